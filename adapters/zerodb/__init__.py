"""ZeroDB adapter: the SessionStore port on ZeroDB (AINative) NoSQL tables over httpx.

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.zerodb.store import ZeroDBSessionStore, open_zerodb_store

__all__ = ["ZeroDBSessionStore", "open_zerodb_store"]

_HOMES = {
    "ZeroDBSessionStore": "adapters.zerodb.store",
    "open_zerodb_store": "adapters.zerodb.store",
}


def __getattr__(name: str) -> Any:
    """The re-exported `name`, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

"""ZeroDB adapter: the SessionStore port on ZeroDB (AINative) NoSQL tables over httpx.

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from adapters.zerodb.store import ZeroDBSessionStore, open_zerodb_store

__all__ = ["ZeroDBSessionStore", "open_zerodb_store"]

__getattr__ = lazy_exports(
    __name__,
    {
        "ZeroDBSessionStore": "adapters.zerodb.store",
        "open_zerodb_store": "adapters.zerodb.store",
    },
)

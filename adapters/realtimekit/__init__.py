"""Cloudflare RealtimeKit: meetings as video rooms (httpx) and verified webhooks (aiohttp).

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.realtimekit.rooms import RealtimeKitRooms
    from adapters.realtimekit.settings import PresetNames, RealtimeKitSettings
    from adapters.realtimekit.signature import SignatureVerifier
    from adapters.realtimekit.webhooks import RealtimeKitWebhooks

__all__ = [
    "PresetNames",
    "RealtimeKitRooms",
    "RealtimeKitSettings",
    "RealtimeKitWebhooks",
    "SignatureVerifier",
]

_HOMES = {
    "RealtimeKitRooms": "adapters.realtimekit.rooms",
    "PresetNames": "adapters.realtimekit.settings",
    "RealtimeKitSettings": "adapters.realtimekit.settings",
    "SignatureVerifier": "adapters.realtimekit.signature",
    "RealtimeKitWebhooks": "adapters.realtimekit.webhooks",
}


def __getattr__(name: str) -> Any:
    """The re-exported `name`, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

"""Cloudflare RealtimeKit: meetings as video rooms (httpx) and verified webhooks (aiohttp).

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.lazy_exports import lazy_exports

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

__getattr__ = lazy_exports(
    __name__,
    {
        "RealtimeKitRooms": "adapters.realtimekit.rooms",
        "PresetNames": "adapters.realtimekit.settings",
        "RealtimeKitSettings": "adapters.realtimekit.settings",
        "SignatureVerifier": "adapters.realtimekit.signature",
        "RealtimeKitWebhooks": "adapters.realtimekit.webhooks",
    },
)

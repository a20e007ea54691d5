"""Cloudflare RealtimeKit: meetings as video rooms (httpx) and verified webhooks (aiohttp)."""

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

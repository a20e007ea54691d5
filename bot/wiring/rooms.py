"""Chooses the VideoRooms provider from settings."""

from __future__ import annotations

from adapters.jitsi import JitsiRooms
from bot.settings import Settings
from core.clock import Clock
from core.ports import VideoRooms


def build_rooms(settings: Settings, clock: Clock) -> VideoRooms:
    """Jitsi (no account needed) unless RealtimeKit is configured (issue 5)."""
    return JitsiRooms(settings.jitsi)

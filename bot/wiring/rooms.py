"""Chooses the VideoRooms provider from settings."""

from __future__ import annotations

from adapters.jitsi import JitsiRooms
from bot.settings import Settings
from core.clock import Clock
from core.ports import VideoRooms


def build_rooms(settings: Settings, clock: Clock) -> VideoRooms:
    """RealtimeKit meetings when `settings.realtimekit` is set, else Jitsi (no account needed).

    RealtimeKitRooms holds an httpx client: the app closes it (`close()`) on exit.
    """
    if settings.realtimekit is not None:
        from adapters.realtimekit import RealtimeKitRooms

        return RealtimeKitRooms(settings.realtimekit, page_url=settings.public_url)
    return JitsiRooms(settings.jitsi)

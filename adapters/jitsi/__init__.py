"""Jitsi Meet video rooms: public meet.jit.si links, or JWT links for a token-auth server."""

from adapters.jitsi.rooms import JitsiRooms
from adapters.jitsi.settings import JitsiSettings, JitsiSettingsError

__all__ = ["JitsiRooms", "JitsiSettings", "JitsiSettingsError"]

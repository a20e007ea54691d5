"""`dojobot check` for RealtimeKit: list the app's presets (a read) and look for the ones
dojobot joins people with."""

from __future__ import annotations

from adapters.checks import CheckResult, fail, ok
from adapters.realtimekit.rooms import RealtimeKitRooms
from adapters.realtimekit.settings import RealtimeKitSettings
from core.errors import RoomUnavailable

PART = "realtimekit"


async def check_realtimekit(settings: RealtimeKitSettings, page_url: str) -> CheckResult:
    """The presets check the rooms run before their first join, run now."""
    rooms = RealtimeKitRooms(settings, page_url=page_url)
    try:
        await rooms.check_presets()
    except RoomUnavailable as error:
        hint = f" {error.hint}" if error.hint else ""
        return fail(PART, f"{error.message}{hint}")
    finally:
        await rooms.close()
    names = ", ".join(sorted(settings.presets.names()))
    return ok(PART, f"app {settings.app_id}: presets {names} found")

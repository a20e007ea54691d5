"""Text → the minimum-attendance command (`/keep-session <id>`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import t
from core.min_attendance_commands import KeepSession, MinAttendanceCommand
from core.parse_context import ParseContext


def keep_session(ctx: ParseContext) -> KeepSession:
    """`/keep-session <id>`."""
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the session id.', word=ctx.args[1]))
    return KeepSession(session_id=ctx.args[0])


MIN_ATTENDANCE_PARSERS: dict[str, Callable[[ParseContext], MinAttendanceCommand]] = {
    "keep-session": keep_session,
}
"""The minimum-attendance parsers by command name."""

"""Text → the minimum-attendance command (`/keep-session <id>`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.errors import InvalidInput
from core.i18n import t
from core.min_attendance_commands import KeepSession, MinAttendanceCommand


class Context(Protocol):
    """What a parser gets from `core.grammar`: the arguments and an error in its usage."""

    args: list[str]

    def error(self, message: str, extra_hint: str | None = None) -> InvalidInput: ...


def keep_session(ctx: Context) -> KeepSession:
    """`/keep-session <id>`."""
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the session id.', word=ctx.args[1]))
    return KeepSession(session_id=ctx.args[0])


MIN_ATTENDANCE_PARSERS: dict[str, Callable[[Context], MinAttendanceCommand]] = {
    "keep-session": keep_session,
}
"""The minimum-attendance parsers by command name."""

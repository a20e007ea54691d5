"""Runs the minimum-attendance commands for `core.executor` (one `case` there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.min_attendance_commands import KeepSession, MinAttendanceCommand
from core.model import Member
from core.reply_outcome import ReplyOutcome

if TYPE_CHECKING:
    from core.service import SessionService


async def run_min_attendance_command(
    service: SessionService, actor: Member, command: MinAttendanceCommand
) -> ReplyOutcome:
    """`/keep-session <id>` → the lines to show the member who typed or clicked it."""
    match command:
        case KeepSession():
            return await service.keep_session(actor, command.session_id)
    raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

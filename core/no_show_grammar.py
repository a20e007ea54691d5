"""Text → the no-show commands (`/my-record`, `/appeal`, `/waive`, `/mark-present`), for
`core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import t
from core.no_show_commands import AppealMark, MarkPresent, NoShowCommand, ShowRecord, WaiveMark
from core.parse_context import ParseContext, member_id_arg, session_id_arg, session_member_args


def _record(ctx: ParseContext) -> ShowRecord:
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[1]))
    return ShowRecord(member_id=member_id_arg(ctx, ctx.args[0]) if ctx.args else None)


def _waive(ctx: ParseContext) -> WaiveMark:
    session_id, member_id = session_member_args(ctx)
    return WaiveMark(session_id=session_id, member_id=member_id)


def _mark_present(ctx: ParseContext) -> MarkPresent:
    session_id, member_id = session_member_args(ctx)
    return MarkPresent(session_id=session_id, member_id=member_id)


NO_SHOW_PARSERS: dict[str, Callable[[ParseContext], NoShowCommand]] = {
    "my-record": _record,
    "appeal": lambda ctx: AppealMark(session_id=session_id_arg(ctx)),
    "waive": _waive,
    "mark-present": _mark_present,
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

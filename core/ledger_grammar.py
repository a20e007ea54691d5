"""Text → the training-ledger commands (`/mark-absent`, `/training-log`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import t
from core.ledger_commands import LedgerCommand, MarkAbsent, ShowTrainingLog
from core.parse_context import ParseContext, member_id_arg, session_member_args


def _mark_absent(ctx: ParseContext) -> MarkAbsent:
    session_id, member_id = session_member_args(ctx)
    return MarkAbsent(session_id=session_id, member_id=member_id)


def _training_log(ctx: ParseContext) -> ShowTrainingLog:
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[1]))
    return ShowTrainingLog(member_id=member_id_arg(ctx, ctx.args[0]) if ctx.args else None)


LEDGER_PARSERS: dict[str, Callable[[ParseContext], LedgerCommand]] = {
    "mark-absent": _mark_absent,
    "training-log": _training_log,
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

"""Text → the training-ledger commands (`/mark-absent`, `/training-log`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import t
from core.ledger_commands import LedgerCommand, MarkAbsent, ShowTrainingLog
from core.parse_context import ParseContext, member_id_arg


def _mark_absent(ctx: ParseContext) -> MarkAbsent:
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) < 2:
        raise ctx.error(t("Missing the member's id after the session id."))
    if len(ctx.args) > 2:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[2]))
    return MarkAbsent(session_id=ctx.args[0], member_id=member_id_arg(ctx, ctx.args[1]))


def _training_log(ctx: ParseContext) -> ShowTrainingLog:
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[1]))
    return ShowTrainingLog(member_id=member_id_arg(ctx, ctx.args[0]) if ctx.args else None)


LEDGER_PARSERS: dict[str, Callable[[ParseContext], LedgerCommand]] = {
    "mark-absent": _mark_absent,
    "training-log": _training_log,
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

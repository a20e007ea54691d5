"""Text → the rank commands (`/progress`, `/promote`, `/promotion-fix`,
`/promotion-remove`), for `core.grammar`. A rank's name may have spaces; a trailing
YYYY-MM-DD is the promotion's date."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from core.i18n import t
from core.parse_context import ParseContext, day_arg, member_id_arg, shown_word
from core.rank_commands import (
    FixPromotion,
    RankCommand,
    RecordPromotion,
    RemovePromotion,
    ShowProgress,
)

_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
"""A last word meant as a date in another spelling (31.03.2026, 03/31/2026): refused with
the format, not read as part of the rank's name."""


def _progress(ctx: ParseContext) -> ShowProgress:
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=shown_word(ctx.args[1])))
    return ShowProgress(member_id=member_id_arg(ctx, ctx.args[0]) if ctx.args else None)


def _member_rank_day(ctx: ParseContext) -> tuple[str, str, date | None]:
    if not ctx.args:
        raise ctx.error(t("Missing the member's id."))
    member_id = member_id_arg(ctx, ctx.args[0])
    rest = list(ctx.args[1:])
    day = None
    if rest and _DATE_LIKE.fullmatch(rest[-1]):
        day = day_arg(ctx, rest.pop(), t("Write the date as YYYY-MM-DD, e.g. 2026-03-31."))
    rank = " ".join(rest).strip()
    if not rank:
        raise ctx.error(t("Missing the rank after the member id."))
    return member_id, rank, day


def _record_promotion(ctx: ParseContext) -> RecordPromotion:
    member_id, rank, day = _member_rank_day(ctx)
    return RecordPromotion(member_id=member_id, rank=rank, on=day)


def _fix(ctx: ParseContext) -> FixPromotion:
    member_id, rank, day = _member_rank_day(ctx)
    return FixPromotion(member_id=member_id, rank=rank, on=day)


def _remove(ctx: ParseContext) -> RemovePromotion:
    if not ctx.args:
        raise ctx.error(t("Missing the member's id."))
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=shown_word(ctx.args[1])))
    return RemovePromotion(member_id=member_id_arg(ctx, ctx.args[0]))


RANK_PARSERS: dict[str, Callable[[ParseContext], RankCommand]] = {
    "progress": _progress,
    "promote": _record_promotion,
    "promotion-fix": _fix,
    "promotion-remove": _remove,
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

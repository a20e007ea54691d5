"""Text → the training-page commands (`/training-page`, `/class-page`, `/overview`), for
`core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import t
from core.parse_context import ParseContext, member_id_arg
from core.training_page_commands import ClassPage, OverviewPage, TrainingPage, TrainingPageCommand


def _training_page(ctx: ParseContext) -> TrainingPage:
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[1]))
    return TrainingPage(member_id=member_id_arg(ctx, ctx.args[0]) if ctx.args else None)


def _class_page(ctx: ParseContext) -> ClassPage:
    if not ctx.args:
        raise ctx.error(t("Missing the weekly class's id (or a session's)."))
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the class id.', word=ctx.args[1]))
    return ClassPage(class_id=ctx.args[0])


def _overview(ctx: ParseContext) -> OverviewPage:
    if ctx.args:
        raise ctx.error(t('Unexpected "{word}": /overview takes nothing.', word=ctx.args[0]))
    return OverviewPage()


TRAINING_PAGE_PARSERS: dict[str, Callable[[ParseContext], TrainingPageCommand]] = {
    "training-page": _training_page,
    "class-page": _class_page,
    "overview": _overview,
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

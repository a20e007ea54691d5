"""Text → the export command (`/export-attendance`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.export_commands import ExportAttendance, ExportCommand
from core.i18n import t
from core.parse_context import ParseContext, member_id_arg, shown_word

FILTERS = ("session", "class", "member", "from", "to")
"""The words `/export-attendance` takes, each followed by its value."""


def _day(ctx: ParseContext, word: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ctx.error(
            t('"{value}" after {word} is not a date.', value=shown_word(value), word=word),
            t("Write dates as YYYY-MM-DD, e.g. from 2026-01-01 to 2026-03-31."),
        ) from None


def _export_attendance(ctx: ParseContext) -> ExportAttendance:
    values: dict[str, str] = {}
    args = list(ctx.args)
    while args:
        word = args.pop(0).lower()
        if word not in FILTERS:
            raise ctx.error(
                t('Unexpected "{word}".', word=shown_word(word)),
                t("Filter with session <id>, class <id>, member <id>, from/to YYYY-MM-DD."),
            )
        if word in values:
            raise ctx.error(t("{word} is given twice.", word=word))
        if not args:
            raise ctx.error(t("Missing the value after {word}.", word=word))
        values[word] = args.pop(0)
    first = _day(ctx, "from", values["from"]) if "from" in values else None
    last = _day(ctx, "to", values["to"]) if "to" in values else None
    if first is not None and last is not None and last < first:
        raise ctx.error(
            t("The range ends before it starts."),
            t("Put the earlier date after from, e.g. from 2026-01-01 to 2026-03-31."),
        )
    member = values.get("member")
    return ExportAttendance(
        session_id=values.get("session"),
        series_id=values.get("class"),
        member_id=None if member is None else member_id_arg(ctx, member),
        first_day=first,
        last_day=last,
    )


EXPORT_PARSERS: dict[str, Callable[[ParseContext], ExportCommand]] = {
    "export-attendance": _export_attendance,
}

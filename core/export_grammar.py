"""Text → the export command (`/export-attendance`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.export_commands import ExportAttendance, ExportCommand
from core.i18n import t
from core.parse_context import ParseContext, day_arg, filter_values, member_id_arg

FILTERS = ("session", "class", "member", "from", "to")
"""The words `/export-attendance` takes, each followed by its value."""


def _day(ctx: ParseContext, word: str, value: str) -> date:
    hint = t("Write dates as YYYY-MM-DD, e.g. from 2026-01-01 to 2026-03-31.")
    return day_arg(ctx, value, hint, after=word)


def _export_attendance(ctx: ParseContext) -> ExportAttendance:
    values = filter_values(
        ctx,
        ctx.args,
        FILTERS,
        t("Filter with session <id>, class <id>, member <id>, from/to YYYY-MM-DD."),
    )
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

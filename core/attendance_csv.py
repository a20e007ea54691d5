"""The attendance export's columns: one place, read by the chat file, the REST API and docs.

One row per ledger entry (member × ended session), in the ledger's order (start time,
session, member). The file starts with a UTF-8 byte order mark: Excel reads a CSV as UTF-8
only when it sees one (without it, names like "Zoë" or "山田" come out garbled), and
LibreOffice, Google Sheets, pandas (`encoding="utf-8-sig"`) and Python's csv module with
`utf-8-sig` all take it. Dates are the session's start in the association's time zone.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, tzinfo

from core.csv_export import UTF8_BOM, csv_rows, spreadsheet_csv_async
from core.training_ledger import LedgerEntry, LedgerQuery

CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Column:
    """One column of the export: its header and what it holds (docs/training-record.md)."""

    name: str
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("date", "the session's start date in the association's time zone (YYYY-MM-DD)"),
    Column("session_id", "the session's id (as in /show-session)"),
    Column("title", "the session's title when it ended"),
    Column("class", "the weekly class (series id) it belongs to; empty for a one-off"),
    Column("instructor_id", "the instructor's member id"),
    Column("member_id", "the member's profile id"),
    Column("member_name", "the member's display name when the session ended"),
    Column("minutes_present", "whole minutes the member was in the room (stays merged)"),
    Column("session_minutes", "whole minutes the session was held (else planned)"),
    Column("attended", "yes or no: the effective answer (a verdict wins over the minutes)"),
    Column("verdict", "present or absent when an instructor or admin decided; else empty"),
    Column("verdict_by", "the member id of who gave the verdict; else empty"),
)
HEADER: tuple[str, ...] = tuple(column.name for column in COLUMNS)


def attendance_row(entry: LedgerEntry, zone: tzinfo) -> tuple[object, ...]:
    """One entry as the export's cells (numbers stay numbers)."""
    return _cells(entry, entry.starts_at.astimezone(zone).date().isoformat())


def _cells(entry: LedgerEntry, day: str) -> tuple[object, ...]:
    """The cells of `COLUMNS`, in order, with the date already written."""
    return (
        day,
        entry.session_id,
        entry.title,
        entry.series_id,
        entry.instructor_id,
        entry.member_id,
        entry.member_name,
        entry.seconds_present // 60,
        entry.session_seconds // 60,
        "yes" if entry.attended else "no",
        None if entry.verdict is None else entry.verdict.value,
        entry.verdict_by,
    )


def _rows(zone: tzinfo) -> Callable[[LedgerEntry], tuple[object, ...]]:
    """`attendance_row` reusing the last date written (entries come in start order: the
    members of one session share it)."""
    last: list[object] = [None, ""]

    def row(entry: LedgerEntry) -> tuple[object, ...]:
        if entry.starts_at != last[0]:
            last[0], last[1] = entry.starts_at, entry.starts_at.astimezone(zone).date().isoformat()
        return _cells(entry, str(last[1]))

    return row


def attendance_csv(entries: Iterable[LedgerEntry], zone: tzinfo) -> Iterator[str]:
    """The export's text in chunks: byte order mark and header first."""
    chunks = csv_rows(HEADER, map(_rows(zone), entries))
    yield UTF8_BOM + next(chunks)
    yield from chunks


def attendance_csv_async(entries: AsyncIterable[LedgerEntry], zone: tzinfo) -> AsyncIterator[str]:
    """`attendance_csv` over a streaming ledger read: a chunk every few hundred rows."""
    return spreadsheet_csv_async(HEADER, entries, _rows(zone))


_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def attendance_filename(query: LedgerQuery, today: date, zone: tzinfo = UTC) -> str:
    """A file name saying what the export holds, e.g.
    `attendance-class-c-7-2026-03-01.csv` (ids made safe for a file name; the `from` day
    as in `zone`, the association's calendar the filter was given in)."""
    parts = ["attendance"]
    if query.session_id:
        parts += ["session", query.session_id]
    if query.series_id:
        parts += ["class", query.series_id]
    if query.member_ids and len(query.member_ids) == 1:
        parts += ["member", query.member_ids[0]]
    if query.since is not None:
        parts += ["from", query.since.astimezone(zone).date().isoformat()]
    parts.append(today.isoformat())
    name = "-".join(_UNSAFE.sub("-", part).strip("-") for part in parts)[:90]
    return f"{name}.csv"

"""CSV text for exports: RFC 4180, CRLF, header first, safe to open in a spreadsheet.

Every export (attendance, audit…) goes through here so they all quote the same way and all
carry the same guard against spreadsheet formula injection: a text cell starting with
`=`, `+`, `-`, `@`, tab or carriage return would be run as a formula by Excel, LibreOffice
or Google Sheets, so it gets a leading `'` (OWASP's advice). Numbers (int, float) are never
touched, so `-5` stays a number. `None` is an empty cell.

The text is produced in chunks of about `BATCH` rows so a caller streaming to a socket or a
file writes few, large pieces and never holds the whole export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

BATCH = 500
"""Rows per yielded chunk."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is prefixed with `'` (formula-injection guard)."""
_FIRST = frozenset(FORMULA_STARTS)

UTF8_BOM = "\ufeff"
"""Put first by exports meant for spreadsheets: Excel reads UTF-8 only when it sees it."""


def guard_cell(cell: object) -> object:
    """The cell as written: text starting like a formula gets a leading `'`; others unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _guarded(row: Sequence[object]) -> list[object]:
    """`guard_cell` over a row, inlined (this runs for every row of every export)."""
    return [
        ("'" + cell if cell[:1] in _FIRST else cell)
        if type(cell) is str or isinstance(cell, str)
        else cell
        for cell in row
    ]


class _Writer:
    """A csv writer into a reusable buffer (RFC 4180: minimal quoting, CRLF line ends)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def render(self, rows: Iterable[Sequence[object]]) -> str:
        self._writer.writerows(_guarded(row) for row in rows)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate(0)
        return text


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV text of `header` then `rows`, in chunks (the header alone first; then up to
    `BATCH` rows per chunk). Join the chunks, or encode each as UTF-8 and write it out."""
    writer = _Writer()
    yield writer.render([header])
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield writer.render(batch)


async def csv_rows_async(
    header: Sequence[str], rows: AsyncIterable[Sequence[object]]
) -> AsyncIterator[str]:
    """`csv_rows` over rows that arrive asynchronously (a streaming store read): a chunk is
    yielded every `BATCH` rows, and the rest at the end."""
    writer = _Writer()
    yield writer.render([header])
    batch: list[Sequence[object]] = []
    async for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield writer.render(batch)
            batch = []
    if batch:
        yield writer.render(batch)


async def spreadsheet_csv_async(
    header: Sequence[str], items: AsyncIterable[T], row: Callable[[T], Sequence[object]]
) -> AsyncIterator[str]:
    """`csv_rows_async` of `row(item)` for each of `items`, with the byte order mark first
    (`UTF8_BOM`: the text is meant for spreadsheets)."""

    async def rows() -> AsyncIterator[Sequence[object]]:
        async for item in items:
            yield row(item)

    first = True
    async for chunk in csv_rows_async(header, rows()):
        yield UTF8_BOM + chunk if first else chunk
        first = False

"""The export file: JSON lines, written and read as streams (see docs/operations.md).

Line 1, the header: `{"format": "dojobot-export", "version": 1, "schema": 5, "exported_at":
"2026-12-01T09:00:00.000000Z"}` (`schema`: the SQL schema version the rows follow). Then one
line per row: `{"table": "rsvps", "row": {…}}`. Last line, the end mark: `{"end": true,
"records": 1234}`, so a file cut short is refused instead of imported in part.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Callable
from datetime import UTC, datetime
from typing import IO, Any

from core.ports import ImportRefused, StoreRecord

FORMAT = "dojobot-export"
VERSION = 1
_WRITE_LINES = 1_000
"""Lines joined per write call."""

Progress = Callable[[int], object]
"""Told how far a stream went: records written, or bytes read."""


def _dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


async def write_dump(
    records: AsyncIterable[StoreRecord],
    out: IO[bytes],
    schema: int,
    now: datetime,
    progress: Progress | None = None,
) -> int:
    """Write the header, every record and the end mark to `out`; how many records."""
    exported_at = now.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    header = {"format": FORMAT, "version": VERSION, "schema": schema}
    out.write(_dumps(header | {"exported_at": exported_at + "Z"}))
    written = 0
    lines: list[bytes] = []
    async for record in records:
        lines.append(_dumps({"table": record.table, "row": record.row}))
        if len(lines) >= _WRITE_LINES:
            out.write(b"".join(lines))
            written += len(lines)
            lines = []
            if progress is not None:
                progress(_WRITE_LINES)
    out.write(b"".join(lines))
    written += len(lines)
    if progress is not None and lines:
        progress(len(lines))
    out.write(_dumps({"end": True, "records": written}))
    out.flush()
    return written


async def read_dump(
    source: IO[bytes], schema: int, progress: Progress | None = None
) -> AsyncIterator[StoreRecord]:
    """The records of an export file, each with its line number; ImportRefused (naming the
    line) for a file that is not an export of this schema, a malformed line, or a file cut
    short."""
    first = source.readline()
    if progress is not None:
        progress(len(first))
    _check_header(_parse(first, 1), schema)
    number = 1
    for number, raw in enumerate(source, start=2):
        if progress is not None:
            progress(len(raw))
        value = _parse(raw, number)
        if isinstance(value, dict) and value.get("end") is True:
            count = number - 2  # every line between the header and here is a record
            if value.get("records") != count:
                raise ImportRefused(
                    f"line {number}: the end mark counts {value.get('records')!r} records "
                    f"but the file holds {count}"
                )
            if source.readline():
                raise ImportRefused(f"line {number + 1}: lines after the end mark")
            return
        if (
            not isinstance(value, dict)
            or set(value) != {"table", "row"}
            or not isinstance(value["table"], str)
            or not isinstance(value["row"], dict)
        ):
            raise ImportRefused(
                f'line {number}: expected {{"table": "<name>", "row": {{…}}}}, got {_excerpt(raw)}'
            )
        yield StoreRecord(value["table"], value["row"], number)
    raise ImportRefused(
        f"line {number + 1}: the file ends without its end mark: the export was cut short "
        "(export again)"
    )


def _parse(raw: bytes, number: int) -> Any:
    if not raw:
        raise ImportRefused(f"line {number}: the file is empty, not a dojobot export")
    try:
        return json.loads(raw)
    except ValueError:
        raise ImportRefused(f"line {number}: not valid JSON: {_excerpt(raw)}") from None


def _check_header(header: Any, schema: int) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportRefused(
            f'line 1: not a dojobot export (the first line must be {{"format": "{FORMAT}", …}}; '
            "write one with `dojobot export`)"
        )
    if header.get("version") != VERSION:
        raise ImportRefused(
            f"line 1: export format version {header.get('version')!r} is not supported "
            f"(this dojobot reads version {VERSION})"
        )
    if header.get("schema") != schema:
        raise ImportRefused(
            f"line 1: the file follows schema version {header.get('schema')!r} and this "
            f"dojobot version {schema}: export and import with the same dojobot version"
        )


def _excerpt(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace").strip()
    return text if len(text) <= 80 else text[:77] + "…"

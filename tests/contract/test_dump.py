"""StoreDump contract over every store: the export covers every table of the SQL schema in one
format, an export imported into an empty store of any other kind exports the same records,
and imports refuse a non-empty target or a wrong record without writing anything."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.sql.dump_rows import columns_of, exported_tables
from adapters.sql.migrations import schema_version
from adapters.sql.schema import metadata
from bot.cli_export import dump_of
from core.ports import ImportRefused, SessionStore, StoreRecord
from tests.contract.dump_scene import TARGETS, populate, records_of, replay


async def test_export_holds_every_table_and_column_of_the_schema(store: SessionStore) -> None:
    await populate(store)
    records = await records_of(store)
    columns = {t.name: [c.name for c in columns_of(t)] for t in exported_tables()}
    # every table of the schema but bookkeeping (migrations) — a new table cannot be forgotten
    assert set(metadata.tables) == set(columns) and schema_version.name not in columns
    assert {r.table for r in records} == set(columns)
    for record in records:
        assert sorted(record.row) == sorted(columns[record.table]), record.table
    # parents first, each table in one run, in the SQL schema's order
    runs = [
        t for i, t in enumerate(r.table for r in records) if i == 0 or records[i - 1].table != t
    ]
    assert runs == [t.name for t in exported_tables()]
    assert await dump_of(store).count_records() == len(records)


async def test_export_matches_the_sql_store_record_for_record(
    store: SessionStore, tmp_path: Path
) -> None:
    """Same rows, same values, same order as the SQLite store's export of the same data."""
    await populate(store)
    async with TARGETS["sqlite"](tmp_path) as reference:
        await populate(reference)
        assert await records_of(store) == await records_of(reference)


@pytest.mark.parametrize("target_kind", list(TARGETS))
async def test_import_into_every_kind_exports_the_same_records(
    store: SessionStore, target_kind: str, tmp_path: Path
) -> None:
    await populate(store)
    exported = await records_of(store)
    async with TARGETS[target_kind](tmp_path) as target:
        assert await dump_of(target).import_records(replay(exported)) == len(exported)
        assert await records_of(target) == exported


async def test_imported_store_works_through_the_port(store: SessionStore, tmp_path: Path) -> None:
    """Not only the rows: the imported store answers like the source (queue, claims, once)."""
    await populate(store)
    exported = await records_of(store)
    async with TARGETS["memory"](tmp_path) as target:
        await dump_of(target).import_records(replay(exported))
        for copy in (store, target):
            assert [r.member_id for r in await copy.list_rsvps("s1")] == [
                "slack:T1:U1",
                "slack:T1:U2",
            ]
            assert len(await copy.list_attendance("s1")) == 2
            assert await copy.webhook_seen("rtk-delivery-1")
            standing = await copy.list_standing_rsvps("w1")
            assert [r.member_id for r in standing] == ["discord:zed", "discord:amy"]


async def test_import_refuses_a_store_that_holds_sessions(store: SessionStore) -> None:
    await populate(store)
    exported = await records_of(store)
    with pytest.raises(ImportRefused, match=r"already holds 2 sessions; import needs an empty"):
        await dump_of(store).import_records(replay(exported))
    assert await records_of(store) == exported


def _broken(records: list[StoreRecord], table: str, **changes: Any) -> list[StoreRecord]:
    """`records` with the first row of `table` changed (a value None: column removed)."""
    index = next(i for i, r in enumerate(records) if r.table == table)
    row = dict(records[index].row)
    for name, value in changes.items():
        if value is None:
            del row[name]
        else:
            row[name] = value
    return [*records[:index], StoreRecord(table, row), *records[index + 1 :]]


Corrupt = Callable[[list[StoreRecord]], list[StoreRecord]]
BAD_RECORDS: dict[str, tuple[Corrupt, str]] = {
    "unknown table": (lambda rs: [*rs, StoreRecord("members", {"id": "x"})], "unknown table"),
    "missing column": (lambda rs: _broken(rs, "rsvps", position=None), "missing column"),
    "extra column": (lambda rs: _broken(rs, "rsvps", shoe_size=42), "unknown column"),
    "text for a number": (lambda rs: _broken(rs, "rsvps", position="1"), "position"),
    "naive instant": (
        lambda rs: _broken(rs, "reminders", due_at="2026-12-02T09:00:00"),
        "due_at",
    ),
    "unknown status": (lambda rs: _broken(rs, "rsvps", status="maybe"), "status"),
    "unknown substitute status": (
        lambda rs: _broken(rs, "substitute_requests", status="maybe"),
        "status",
    ),
    "list for a title": (lambda rs: _broken(rs, "training_sessions", title=[]), "title"),
    "session not in the file": (
        lambda rs: _broken(rs, "rsvps", session_id="s9"),
        "session",
    ),
}


@pytest.mark.parametrize("case", list(BAD_RECORDS))
async def test_a_wrong_record_is_refused_naming_its_line_and_nothing_is_written(
    store: SessionStore, case: str, tmp_path: Path
) -> None:
    async with TARGETS["memory"](tmp_path) as source:
        await populate(source)
        exported = await records_of(source)
    corrupt, says = BAD_RECORDS[case]
    broken = corrupt(exported)
    wrong = next(
        n for n, (a, b) in enumerate(zip([*exported, None], broken, strict=False), 2) if a != b
    )
    with pytest.raises(ImportRefused) as refused:
        await dump_of(store).import_records(replay(broken))
    message = str(refused.value)
    assert says in message
    # one line, or the lines of the batch the database refused (SQL foreign keys)
    found = re.match(r"lines? (\d+)(?:–(\d+))?: ", message)
    assert found, message
    first, last = int(found[1]), int(found[2] or found[1])
    assert first <= wrong <= last, message
    assert await dump_of(store).count_records() == 0

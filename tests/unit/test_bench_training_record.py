"""`bench.training_record` at a tiny scale, so the benchmark cannot rot: it seeds the current
schema, its ledger rows are what the ledger's own rule gives for the seeded stays, and every
measurement runs (or says plainly which piece is missing)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select

from adapters.sql.schema import attendance_intervals, training_ledger
from bench.training_data import RULES, Params
from bench.training_load import BulkTable, SchemaChanged, Seeded
from bench.training_record import StoreFigures, run, table
from core.attendance import merged_seconds
from core.training_ledger import Verdict, counts_as_attended
from tests.pg_server import require_server

TINY = Params(scale=0.004, weeks=3)
"""20 members, 2 weekly classes for 3 weeks."""


async def test_a_tiny_year_is_seeded_and_measured(tmp_path: Path) -> None:
    seeded, figures = await run(TINY, ["sqlite"], tmp_path, repeats=1, export_repeats=1)
    _check(seeded, figures)
    _ledger_agrees_with_the_stays(tmp_path / "training.sqlite")


async def test_the_postgresql_copy_seeds_the_same_year(tmp_path: Path) -> None:
    seeded, figures = await run(
        TINY, ["postgres"], tmp_path, repeats=1, export_repeats=1, server=require_server()
    )
    _check(seeded, figures)


async def test_a_cached_sqlite_file_is_reused_with_its_figures(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, _ = await run(TINY, ["sqlite"], tmp_path / "a", 1, 1, cache_dir=cache, measure=False)
    again, _ = await run(TINY, ["sqlite"], tmp_path / "b", 1, 1, cache_dir=cache, measure=False)
    assert first.cached == [] and again.cached == ["sqlite"]
    assert again.rows == first.rows and again.seconds == {"sqlite": first.seconds["sqlite"]}
    _ledger_agrees_with_the_stays(tmp_path / "b" / "training.sqlite")


def _check(seeded: Seeded, figures: list[StoreFigures]) -> None:
    rows = seeded.rows
    assert rows["training_sessions"] > 0 and rows["member_profiles"] > TINY.members
    assert rows["attendance_intervals"] > rows["training_sessions"]
    assert rows["training_ledger"] >= rows["training_sessions"]
    assert rows.get("rank_promotions", 0) >= TINY.members
    (only,) = figures
    # every piece is in the tree: a renamed one must not quietly become "not available"
    assert set(only.times) == {"member_page", "class_page", "overview", "progress"}
    for key, value in only.times.items():
        assert isinstance(value, list) and len(value) == 1, (key, value)
    assert set(only.exports) == {"quarter", "year"}
    for key, runs in only.exports.items():
        assert isinstance(runs, list), (key, runs)
        assert [r.rows for r in runs] == [only.expected[key]] and only.expected[key] > 0
        assert all(r.rss_peak >= r.rss_before > 0 for r in runs)
    section = table(TINY, seeded, figures, "python -m bench.training_record")
    assert "| `/progress` (`rank_progress`, busiest member) |" in section


def _ledger_agrees_with_the_stays(path: Path) -> None:
    """Each seeded entry's minutes are the merged stays, `attended` the ledger's rule."""
    engine = create_engine(f"sqlite:///{path}")
    stays: dict[tuple[str, str], list[tuple[datetime, datetime]]] = defaultdict(list)
    i, c = attendance_intervals.c, training_ledger.c
    with engine.connect() as connection:
        for session_id, member_id, joined, left in connection.execute(
            select(i.session_id, i.member_id, i.joined_at, i.left_at)
        ):
            stays[session_id, member_id].append((joined, left))
        entries = connection.execute(
            select(c.session_id, c.member_id, c.session_seconds, c.seconds_present, c.attended,
                   c.verdict)
        ).all()  # fmt: skip
    engine.dispose()
    assert entries
    for session_id, member_id, held, present, attended, verdict in entries:
        assert present == merged_seconds(stays.get((session_id, member_id), []))
        decided = None if verdict is None else Verdict(verdict)
        assert bool(attended) == counts_as_attended(present, held, decided, RULES)


def test_a_schema_column_the_seeder_does_not_fill_fails_loudly() -> None:
    changed = Table(
        "training_ledger",
        MetaData(),
        Column("session_id", String, primary_key=True),
        Column("minutes", Integer, nullable=False),
    )
    with pytest.raises(SchemaChanged, match="minutes"):
        BulkTable.of(changed, {"session_id": "s1"})
    with pytest.raises(SchemaChanged, match="member_id"):
        BulkTable.of(changed, {"session_id": "s1", "minutes": 1, "member_id": "m"})

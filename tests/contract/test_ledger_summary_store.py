"""The overview's aggregated ledger read, over every store: per week the distinct sessions
with an entry and the distinct members who attended, the busiest classes (a weekly class by
id, a single session by title; ties by that key; the smallest title) — exactly what the
reference `summarize` counts over the same entries, and nothing outside the bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.ledger_summary import ClassTotal, summarize
from core.ports import SessionStore
from core.training_ledger import LedgerEntry, LedgerQuery

MONDAY = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
BOUNDS = [MONDAY + timedelta(weeks=n) for n in range(4)]  # three weeks


def entry(
    session: str, member: str, at: datetime, attended: bool = True, **more: object
) -> LedgerEntry:
    values: dict[str, object] = {
        "session_id": session,
        "member_id": member,
        "member_name": member,
        "title": "Kata",
        "series_id": "c-kata",
        "instructor_id": "t:sensei",
        "starts_at": at,
        "session_seconds": 3600,
        "seconds_present": 3600 if attended else 0,
        "attended": attended,
        "recorded_at": at + timedelta(hours=1),
    }
    return LedgerEntry.model_validate(values | more)


def scene() -> list[LedgerEntry]:
    w0, w1 = MONDAY + timedelta(hours=18), MONDAY + timedelta(weeks=1, hours=18)
    return [
        entry("s-1", "t:ana", w0),
        entry("s-1", "t:ben", w0, attended=False),  # counts the session, not the member
        entry("s-2", "t:ana", w0 + timedelta(days=2), title="Kata (moved)"),
        entry("s-2", "t:ben", w0 + timedelta(days=2), title="Kata (moved)"),
        entry("s-3", "t:ana", w1, series_id=None, title="Open mat"),
        entry("s-3", "t:cal", w1, series_id=None, title="Open mat"),
        entry("s-4", "t:ben", w1, series_id="c-bo", title="Bo"),
        entry("s-4", "t:cal", w1, series_id="c-bo", title="Bo"),
        entry("s-0", "t:ana", MONDAY - timedelta(seconds=1)),  # before the first week
        entry("s-9", "t:ana", BOUNDS[-1]),  # at the end bound: excluded
    ]


async def test_the_store_counts_what_summarize_counts(store: SessionStore) -> None:
    entries = scene()
    await store.save_ledger(entries)
    summary = await store.ledger_summary(BOUNDS, busiest=5)
    assert [(w.starts, w.sessions, w.members) for w in summary.weeks] == [
        (BOUNDS[0], 2, 2),
        (BOUNDS[1], 2, 3),
        (BOUNDS[2], 0, 0),
    ]
    assert summary.busiest == [
        ClassTotal(title="Kata", attendances=3),  # one class by id, its smallest title
        ClassTotal(title="Bo", attendances=2),  # a tie: by key, "c-bo" < "title:Open mat"
        ClassTotal(title="Open mat", attendances=2),
    ]
    stored = [e async for e in store.read_ledger(LedgerQuery())]
    assert summary == summarize(stored, BOUNDS, 5)
    assert (await store.ledger_summary(BOUNDS, busiest=1)).busiest == summary.busiest[:1]


async def test_bad_bounds_are_refused(store: SessionStore) -> None:
    with pytest.raises(ValueError, match="ascend"):
        await store.ledger_summary([BOUNDS[1], BOUNDS[0]], busiest=5)
    with pytest.raises(ValueError, match="week bounds"):
        await store.ledger_summary(BOUNDS[:1], busiest=5)


async def test_one_class_counts_only_its_entries_with_per_session_totals(
    store: SessionStore,
) -> None:
    entries = scene()
    await store.save_ledger(entries)
    summary = await store.ledger_summary(BOUNDS, busiest=5, series_id="c-kata")
    assert [(w.sessions, w.members) for w in summary.weeks] == [(2, 2), (0, 0), (0, 0)]
    assert [(s.session_id, s.attended, s.no_presence) for s in summary.sessions] == [
        ("s-1", 1, 1),  # ben was going and never came
        ("s-2", 2, 0),
    ]
    assert summary.sessions[0].starts_at == MONDAY + timedelta(hours=18)
    assert summary.busiest == [ClassTotal(title="Kata", attendances=3)]
    stored = [e async for e in store.read_ledger(LedgerQuery())]
    assert summary == summarize(stored, BOUNDS, 5, "c-kata")
    assert (await store.ledger_summary(BOUNDS, busiest=5)).sessions == []


def uneven_scene() -> list[LedgerEntry]:
    """`scene()` and sessions whose entries differ: in title within one class (s-5), in
    class (s-6), in start, across a week's end (s-7); and one nobody attended (s-8)."""
    w0, w1 = MONDAY + timedelta(hours=18), MONDAY + timedelta(weeks=1, hours=18)
    day = timedelta(days=1)
    return [
        *scene(),
        entry("s-5", "t:ana", w1),
        entry("s-5", "t:ben", w1, title="Kata II"),
        entry("s-6", "t:cal", w1, series_id=None, title="Open mat"),
        entry("s-6", "t:dan", w1, series_id="c-bo", title="Open mat"),
        entry("s-7", "t:ana", w0 + day),
        entry("s-7", "t:ben", w1 + day),
        entry("s-8", "t:ana", w1 + 7 * day, attended=False),
        entry("s-8", "t:ben", w1 + 7 * day, attended=False, seconds_present=600),
    ]


async def test_sessions_whose_entries_differ_count_entry_by_entry(store: SessionStore) -> None:
    await store.save_ledger(uneven_scene())
    stored = [e async for e in store.read_ledger(LedgerQuery())]
    summary = await store.ledger_summary(BOUNDS, busiest=5)
    assert [(w.sessions, w.members) for w in summary.weeks] == [(3, 2), (5, 4), (1, 0)]
    assert summary.busiest == [
        ClassTotal(title="Kata", attendances=7),
        ClassTotal(title="Bo", attendances=3),  # s-4, and dan's entry of s-6
        ClassTotal(title="Open mat", attendances=3),  # s-3, and cal's entry of s-6
    ]
    assert summary == summarize(stored, BOUNDS, 5)
    assert (await store.ledger_summary(BOUNDS, busiest=0)).busiest == []
    assert (await store.ledger_summary(BOUNDS, busiest=2)).busiest == summary.busiest[:2]


async def test_one_class_whose_sessions_differ_in_start_and_title(store: SessionStore) -> None:
    await store.save_ledger(uneven_scene())
    stored = [e async for e in store.read_ledger(LedgerQuery())]
    kata = await store.ledger_summary(BOUNDS, busiest=5, series_id="c-kata")
    assert [(w.sessions, w.members) for w in kata.weeks] == [(3, 2), (2, 2), (1, 0)]
    assert [(s.session_id, s.attended, s.no_presence) for s in kata.sessions] == [
        ("s-1", 1, 1),
        ("s-7", 2, 0),  # under its earliest start
        ("s-2", 2, 0),
        ("s-5", 2, 0),
        ("s-8", 0, 1),  # ben was there, too briefly: not a no-show
    ]
    assert kata.sessions[1].starts_at == MONDAY + timedelta(days=1, hours=18)
    assert kata == summarize(stored, BOUNDS, 5, "c-kata")
    assert await store.ledger_summary(BOUNDS, busiest=5, series_id="c-bo") == summarize(
        stored, BOUNDS, 5, "c-bo"
    )

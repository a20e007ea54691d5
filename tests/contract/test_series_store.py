"""The weekly-series part of the SessionStore contract, over every store: series with a
compare-and-set, a materialised mark that only moves forward, standing RSVPs kept once and
in the order made, skipped days kept once, and occurrences found by their series."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.errors import InvalidState
from core.model import Origin, SessionFilter, TrainingSession
from core.ports import SessionStore
from core.recurrence import WeeklyRule
from core.series import Series, SeriesSkip, SeriesStatus, StandingRsvp, occurrence_id

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def a_series(series_id: str = "kids", **changes: object) -> Series:
    rule = WeeklyRule(
        weekdays=frozenset({0, 2}),
        local_time=time(17, 30),
        timezone="Europe/Berlin",
        first_day=date(2026, 12, 2),
        until=date(2027, 6, 30),
        interval_weeks=2,
    )
    fields: dict[str, object] = {
        "id": series_id,
        "root_id": series_id,
        "title": "Kids karate",
        "instructor_id": "slack:T1:U1",
        "instructor_name": "Sensei",
        "rule": rule,
        "duration_minutes": 60,
        "capacity": 20,
        "tags": ["kids"],
        "origin": Origin(platform="slack", workspace_id="T1", channel_id="C1"),
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Series.model_validate(fields | changes)


async def test_a_series_round_trips_and_its_id_is_taken_once(store: SessionStore) -> None:
    series = a_series()
    await store.add_series(series)
    assert await store.get_series("kids") == series
    assert await store.get_series("nope") is None
    with pytest.raises(InvalidState):
        await store.add_series(a_series(title="Again"))
    await store.add_series(a_series("adults", created_at=NOW + timedelta(hours=1), origin=None))
    assert [s.id for s in await store.list_series()] == ["kids", "adults"]


async def test_save_is_a_compare_and_set_on_the_sequence(store: SessionStore) -> None:
    await store.add_series(a_series())
    changed = a_series(title="Kids karate (new dojo)", sequence=1)
    assert await store.save_series(changed, expected_sequence=0)
    stale = a_series(title="Stale edit", sequence=1)
    assert not await store.save_series(stale, expected_sequence=0)
    stored = await store.get_series("kids")
    assert stored is not None and stored.title == "Kids karate (new dojo)" and stored.sequence == 1
    ended = changed.model_copy(update={"status": SeriesStatus.ENDED, "sequence": 2})
    assert await store.save_series(ended, expected_sequence=1)
    assert [s.id for s in await store.list_series(SeriesStatus.ACTIVE)] == []
    assert [s.id for s in await store.list_series(SeriesStatus.ENDED)] == ["kids"]


async def test_the_materialised_mark_only_moves_forward_and_saves_keep_it(
    store: SessionStore,
) -> None:
    await store.add_series(a_series())
    later, earlier = NOW + timedelta(weeks=4), NOW + timedelta(weeks=2)
    await store.mark_materialised("kids", later, NOW)
    await store.mark_materialised("kids", earlier, NOW)
    stored = await store.get_series("kids")
    assert stored is not None and stored.materialised_until == later
    assert await store.save_series(a_series(title="Renamed", sequence=1), expected_sequence=0)
    stored = await store.get_series("kids")
    assert stored is not None and stored.materialised_until == later


async def test_standing_rsvps_are_kept_once_in_the_order_made(store: SessionStore) -> None:
    await store.add_series(a_series())
    members = ["ana", "ben", "cal", "dee"]
    for i, member in enumerate(members):
        rsvp = StandingRsvp(
            series_id="kids", member_id=member, member_name=member.title(), created_at=NOW
        )  # same instant: order is still the order made
        assert await store.add_standing_rsvp(rsvp)
        assert i == 0 or not await store.add_standing_rsvp(rsvp.model_copy())
    assert [r.member_id for r in await store.list_standing_rsvps("kids")] == members
    assert await store.remove_standing_rsvp("kids", "ben")
    assert not await store.remove_standing_rsvp("kids", "ben")
    again = StandingRsvp(series_id="kids", member_id="ben", member_name="Ben", created_at=NOW)
    assert await store.add_standing_rsvp(again)
    assert [r.member_id for r in await store.list_standing_rsvps("kids")] == [
        "ana",
        "cal",
        "dee",
        "ben",
    ]


async def test_racing_standing_rsvps_of_one_member_keep_one(store: SessionStore) -> None:
    await store.add_series(a_series())
    rsvp = StandingRsvp(series_id="kids", member_id="ana", member_name="Ana", created_at=NOW)
    won = await asyncio.gather(*(store.add_standing_rsvp(rsvp) for _ in range(4)))
    assert sorted(won) == [False, False, False, True]
    assert len(await store.list_standing_rsvps("kids")) == 1


async def test_skipped_days_are_kept_once_earliest_first(store: SessionStore) -> None:
    await store.add_series(a_series())
    late = SeriesSkip(series_id="kids", day=date(2026, 12, 28), reason="", created_at=NOW)
    early = SeriesSkip(series_id="kids", day=date(2026, 12, 23), reason="Holiday", created_at=NOW)
    assert await store.add_series_skip(late)
    assert await store.add_series_skip(early)
    assert not await store.add_series_skip(early.model_copy(update={"reason": "Again"}))
    assert await store.list_series_skips("kids") == [early, late]
    assert await store.list_series_skips("adults") == []


async def test_occurrences_are_found_by_their_series(store: SessionStore) -> None:
    await store.add_series(a_series())
    for day, series_id in [(date(2026, 12, 2), "kids"), (date(2026, 12, 14), "kids")]:
        session = TrainingSession(
            id=occurrence_id(series_id, day),
            title="Kids karate",
            instructor_id="slack:T1:U1",
            instructor_name="Sensei",
            start_time=datetime.combine(day, time(16, 30), UTC),
            duration_minutes=60,
            series_id=series_id,
            created_at=NOW,
            updated_at=NOW,
        )
        await store.add_session(session)
    one_off = TrainingSession(
        id="oneoff",
        title="Kata",
        instructor_id="slack:T1:U1",
        instructor_name="Sensei",
        start_time=NOW + timedelta(days=1),
        duration_minutes=60,
        created_at=NOW,
        updated_at=NOW,
    )
    await store.add_session(one_off)
    found = await store.list_sessions(SessionFilter(series_id="kids"))
    assert [s.id for s in found] == ["kids-20261202", "kids-20261214"]
    assert all(s.series_id == "kids" for s in found)
    assert (await store.get_session("oneoff")) == one_off

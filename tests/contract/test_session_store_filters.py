"""Listing as the REST API pages it: combined filters, both orders, every page.

Walking the pages of a filtered listing, in either order, yields each match exactly once,
in (start_time, id) order (ties included), and count_sessions agrees with the walk.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.model import SessionFilter, SessionStatus, TrainingSession
from core.ports import SessionStore

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SENSEI, KYOSHI = "web:sensei", "web:kyoshi"


def session(n: int, **changes: Any) -> TrainingSession:
    values: dict[str, Any] = {
        "id": f"s{n:02d}",
        "title": f"Class {n}",
        "instructor_id": SENSEI,
        "instructor_name": "Sensei",
        # pairs share a start_time, so ordering ties are broken by id
        "start_time": T0 + timedelta(hours=n // 2),
        "duration_minutes": 60,
        "created_at": T0,
        "updated_at": T0,
    }
    return TrainingSession(**(values | changes))


async def seed(store: SessionStore) -> list[TrainingSession]:
    statuses = [SessionStatus.SCHEDULED, SessionStatus.LIVE, SessionStatus.CANCELED]
    added = []
    for n in range(15):
        added.append(
            session(
                n,
                status=statuses[n % 3],
                instructor_id=KYOSHI if n % 4 == 0 else SENSEI,
                event_id="camp" if n % 5 == 0 else None,
            )
        )
        await store.add_session(added[-1])
    return added


async def walk(store: SessionStore, criteria: SessionFilter, size: int) -> list[str]:
    seen: list[str] = []
    offset = 0
    while True:
        page = criteria.model_copy(update={"limit": size, "offset": offset})
        found = [s.id for s in await store.list_sessions(page)]
        seen += found
        if len(found) < size:
            return seen
        offset += size


FILTERS = {
    "all": SessionFilter(),
    "open": SessionFilter(status=[SessionStatus.SCHEDULED, SessionStatus.LIVE]),
    "sensei open": SessionFilter(
        status=[SessionStatus.SCHEDULED, SessionStatus.LIVE], instructor_id=SENSEI
    ),
    "camp": SessionFilter(event_id="camp"),
    "window": SessionFilter(
        starts_after=T0 + timedelta(hours=2), starts_before=T0 + timedelta(hours=6)
    ),
    "kyoshi canceled in window": SessionFilter(
        status=[SessionStatus.CANCELED],
        instructor_id=KYOSHI,
        starts_before=T0 + timedelta(hours=7),
    ),
}


def expected(added: list[TrainingSession], criteria: SessionFilter) -> list[str]:
    def keep(s: TrainingSession) -> bool:
        return (
            (criteria.status is None or s.status in criteria.status)
            and criteria.instructor_id in (None, s.instructor_id)
            and criteria.event_id in (None, s.event_id)
            and (criteria.starts_after is None or s.start_time >= criteria.starts_after)
            and (criteria.starts_before is None or s.start_time < criteria.starts_before)
        )

    return [s.id for s in sorted(added, key=lambda s: (s.start_time, s.id)) if keep(s)]


@pytest.mark.parametrize("name", list(FILTERS))
async def test_pages_cover_each_match_once_in_order(store: SessionStore, name: str) -> None:
    added = await seed(store)
    criteria = FILTERS[name]
    want = expected(added, criteria)
    assert want, "the seed must give every filter something to find"
    for size in (1, 2, 4, 100):
        assert await walk(store, criteria, size) == want
        backwards = criteria.model_copy(update={"descending": True})
        assert await walk(store, backwards, size) == want[::-1]
    assert await store.count_sessions(criteria.model_copy(update={"limit": 1, "offset": 9})) == len(
        want
    )

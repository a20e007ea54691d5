"""The promotions part of the SessionStore contract, over every store: saved by id (a
correction replaces the row and hands back the old one), read by member in date order,
deleted once, moved to the profile on link, dropped by forget-me."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.members import MemberProfile
from core.ports import SessionStore
from core.ranks import Promotion

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SLACK = "slack:T1:U7"
DISCORD = "discord:4242"


def promotion(pid: str, rank: str, on: date, member: str = SLACK, **more: Any) -> Promotion:
    values: dict[str, Any] = {
        "id": pid,
        "member_id": member,
        "rank": rank,
        "promoted_on": on,
        "recorded_by": "t:sensei",
        "recorded_at": T0,
    }
    return Promotion.model_validate(values | more)


def profile(member_id: str) -> MemberProfile:
    return MemberProfile(
        id=member_id,
        display_name="Ana",
        identities=[member_id],
        last_seen_at=T0,
        created_at=T0,
        updated_at=T0,
    )


async def test_promotions_are_read_by_member_in_date_then_recorded_order(
    store: SessionStore,
) -> None:
    assert await store.list_promotions([]) == []
    later = promotion("p-3", "Yellow", date(2026, 6, 1))
    same_day_late = promotion("p-2", "Orange", date(2026, 3, 1), recorded_at=T0 + timedelta(1))
    same_day_early = promotion("p-1", "White", date(2026, 3, 1))
    other = promotion("p-9", "White", date(2026, 1, 1), member=DISCORD)
    for p in (later, same_day_late, same_day_early, other):
        assert await store.save_promotion(p) is None
    assert await store.list_promotions([SLACK]) == [same_day_early, same_day_late, later]
    both = await store.list_promotions([SLACK, DISCORD])
    assert [p.id for p in both] == ["p-9", "p-1", "p-2", "p-3"]


async def test_a_correction_replaces_the_row_and_returns_the_old_one(store: SessionStore) -> None:
    first = promotion("p-1", "Orange", date(2026, 3, 1))
    await store.save_promotion(first)
    fixed = first.model_copy(
        update={
            "rank": "Yellow",
            "promoted_on": date(2026, 3, 2),
            "corrected_by": "t:admin",
            "corrected_at": T0 + timedelta(days=2),
        }
    )
    assert await store.save_promotion(fixed) == first
    assert await store.list_promotions([SLACK]) == [fixed]


async def test_a_promotion_is_deleted_once_even_when_two_delete_it(store: SessionStore) -> None:
    first = promotion("p-1", "Orange", date(2026, 3, 1))
    await store.save_promotion(first)
    results = await asyncio.gather(store.delete_promotion("p-1"), store.delete_promotion("p-1"))
    assert sorted(results, key=lambda r: r is None) == [first, None]
    assert await store.list_promotions([SLACK]) == []
    assert await store.delete_promotion("nope") is None


async def test_linking_moves_promotions_and_their_recorder_to_the_profile(
    store: SessionStore,
) -> None:
    await store.save_profile(profile(SLACK))
    await store.save_profile(profile(DISCORD))
    mine = promotion("p-1", "Orange", date(2026, 3, 1), member=DISCORD)
    given = promotion("p-2", "White", date(2026, 2, 1), member="t:kid", recorded_by=DISCORD)
    await store.save_promotion(mine)
    await store.save_promotion(given)
    await store.link_identity(SLACK, DISCORD, T0 + timedelta(hours=1))
    assert await store.list_promotions([SLACK]) == [mine.model_copy(update={"member_id": SLACK})]
    assert await store.list_promotions([DISCORD]) == []
    assert (await store.list_promotions(["t:kid"]))[0].recorded_by == SLACK


async def test_forget_me_drops_the_members_promotions(store: SessionStore) -> None:
    await store.save_profile(profile(SLACK))
    await store.save_promotion(promotion("p-1", "Orange", date(2026, 3, 1)))
    kept = promotion("p-2", "White", date(2026, 2, 1), member="t:kid")
    await store.save_promotion(kept)
    await store.forget_member(SLACK, "forgotten:x", T0 + timedelta(hours=1))
    assert await store.list_promotions([SLACK, "forgotten:x"]) == []
    assert await store.list_promotions(["t:kid"]) == [kept]

"""The training-ledger part of the SessionStore contract, over every store: one entry per
session × member, recording twice keeps a verdict, a verdict is stored whole (also when two
race), reads filter and come in (starts_at, session, member) order across batches, linking
keeps the better entry per session and forgetting anonymises."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from core.members import FORGOTTEN_NAME, MemberProfile
from core.ports import SessionStore
from core.training_ledger import LedgerEntry, LedgerQuery, Verdict

T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
ANA = "slack:T1:U7"
ANA_DISCORD = "discord:4242"


def entry(session_id: str = "s-1", member_id: str = ANA, **changes: Any) -> LedgerEntry:
    values: dict[str, Any] = {
        "session_id": session_id,
        "member_id": member_id,
        "member_name": "Ana",
        "title": "Kata",
        "series_id": "c-1",
        "tags": ["kids", "dan, 1"],
        "instructor_id": "slack:T1:SENSEI",
        "starts_at": T0,
        "session_seconds": 3600,
        "seconds_present": 3000,
        "attended": True,
        "recorded_at": T0 + timedelta(hours=1),
    }
    return LedgerEntry.model_validate(values | changes)


def decided(base: LedgerEntry, verdict: Verdict, by: str, minutes: int = 5) -> LedgerEntry:
    return base.model_copy(
        update={
            "verdict": verdict,
            "verdict_by": by,
            "verdict_at": T0 + timedelta(hours=1, minutes=minutes),
            "attended": verdict is Verdict.PRESENT,
        }
    )


async def read(store: SessionStore, batch: int = 1000, **query: Any) -> list[LedgerEntry]:
    return [e async for e in store.read_ledger(LedgerQuery(**query), batch=batch)]


async def test_save_get_and_refresh_keeps_one_entry(store: SessionStore) -> None:
    first = entry()
    await store.save_ledger([first, entry(member_id="t:ben", seconds_present=0, attended=False)])
    assert await store.get_ledger_entry("s-1", ANA) == first
    assert await store.get_ledger_entry("s-1", "t:nobody") is None
    longer = entry(seconds_present=3500, member_name="Ana B.", title="Kata II")
    await store.save_ledger([longer])
    assert await store.get_ledger_entry("s-1", ANA) == longer
    assert len(await read(store)) == 2


async def test_saving_twice_keeps_the_verdict_and_the_attended_it_decided(
    store: SessionStore,
) -> None:
    await store.save_ledger([entry()])
    absent = decided(entry(), Verdict.ABSENT, "slack:T1:SENSEI")
    assert await store.set_verdict(absent) == entry()
    await store.save_ledger([entry(seconds_present=3600, recorded_at=T0 + timedelta(hours=2))])
    kept = await store.get_ledger_entry("s-1", ANA)
    assert kept is not None
    assert (kept.verdict, kept.verdict_by, kept.verdict_at) == (
        Verdict.ABSENT,
        "slack:T1:SENSEI",
        absent.verdict_at,
    )
    assert kept.attended is False and kept.seconds_present == 3600


async def test_a_verdict_creates_a_missing_entry_and_returns_what_it_replaced(
    store: SessionStore,
) -> None:
    present = decided(entry(seconds_present=0, attended=False), Verdict.PRESENT, "t:sensei")
    assert await store.set_verdict(present) is None
    assert await store.get_ledger_entry("s-1", ANA) == present
    absent = decided(present, Verdict.ABSENT, "t:admin", minutes=9)
    assert await store.set_verdict(absent) == present
    assert await store.get_ledger_entry("s-1", ANA) == absent


async def test_a_verdict_read_before_the_end_recorded_keeps_the_recorded_minutes(
    store: SessionStore,
) -> None:
    # the decider read no entry (0 s); the end recorded 50 minutes before the verdict landed
    read_early = decided(entry(seconds_present=0, attended=False), Verdict.PRESENT, "t:sensei")
    await store.save_ledger([entry()])
    assert await store.set_verdict(read_early) == entry()
    kept = await store.get_ledger_entry("s-1", ANA)
    assert kept == entry().model_copy(
        update={
            "verdict": Verdict.PRESENT,
            "verdict_by": "t:sensei",
            "verdict_at": read_early.verdict_at,
        }
    )
    assert kept is not None and kept.seconds_present == 3000


async def test_two_verdicts_at_once_leave_one_of_them_whole(store: SessionStore) -> None:
    await store.save_ledger([entry()])
    one = decided(entry(), Verdict.ABSENT, "t:sensei", minutes=1)
    two = decided(entry(), Verdict.PRESENT, "t:admin", minutes=2)
    replaced = await asyncio.gather(store.set_verdict(one), store.set_verdict(two))
    final = await store.get_ledger_entry("s-1", ANA)
    assert final in (one, two)
    assert entry() in replaced  # exactly one of them replaced the recorded entry
    assert (one if final == two else two) in replaced


async def test_reads_filter_and_stream_in_order_across_batches(store: SessionStore) -> None:
    entries = [
        entry(f"s-{i:02d}", member, starts_at=T0 + timedelta(days=i // 2), series_id=series)
        for i in range(9)
        for member, series in ((ANA, "c-1"), ("t:ben", None), ("t:cal", "c-2"))
    ]
    await store.save_ledger(list(reversed(entries)))
    ordered = sorted(entries, key=lambda e: (e.starts_at, e.session_id, e.member_id))
    assert await read(store, batch=4) == ordered
    assert await read(store, batch=1) == ordered
    assert await read(store, member_ids=[ANA, "t:cal"], batch=2) == [
        e for e in ordered if e.member_id in (ANA, "t:cal")
    ]
    assert await read(store, session_id="s-03") == [e for e in ordered if e.session_id == "s-03"]
    assert await read(store, series_id="c-2") == [e for e in ordered if e.series_id == "c-2"]
    since, until = T0 + timedelta(days=1), T0 + timedelta(days=3)
    assert await read(store, since=since, until=until, batch=3) == [
        e for e in ordered if since <= e.starts_at < until
    ]
    assert await read(store, member_ids=[]) == []


def profile(member_id: str) -> MemberProfile:
    return MemberProfile(
        id=member_id,
        display_name="Ana",
        identities=[member_id],
        last_seen_at=T0,
        created_at=T0,
        updated_at=T0,
    )


async def test_linking_moves_entries_to_the_profile_keeping_the_better_per_session(
    store: SessionStore,
) -> None:
    await store.save_profile(profile(ANA))
    await store.save_profile(profile(ANA_DISCORD))
    await store.save_ledger(
        [
            entry("s-1", ANA, seconds_present=600, attended=False),
            entry("s-1", ANA_DISCORD, seconds_present=3000, member_name="ana_d"),  # attended
            entry("s-2", ANA, seconds_present=3000),
            entry("s-2", ANA_DISCORD, seconds_present=3500),  # more time, same attended
            entry("s-3", ANA_DISCORD, member_name="ana_d"),  # only the linked identity's
        ]
    )
    absent = decided(entry("s-2", ANA, seconds_present=3000), Verdict.ABSENT, "t:sensei")
    await store.set_verdict(absent)  # the profile's own: decided absent, loses to attended
    await store.link_identity(ANA, ANA_DISCORD, T0 + timedelta(days=1))
    rows = await read(store)
    assert [(e.session_id, e.member_id) for e in rows] == [("s-1", ANA), ("s-2", ANA), ("s-3", ANA)]
    by_session = {e.session_id: e for e in rows}
    assert by_session["s-1"].seconds_present == 3000 and by_session["s-1"].attended
    assert by_session["s-2"].seconds_present == 3500 and by_session["s-2"].verdict is None
    assert by_session["s-3"].member_name == "ana_d"  # linking renames nothing
    assert await read(store, member_ids=[ANA_DISCORD]) == []


async def test_forgetting_anonymises_the_entries(store: SessionStore) -> None:
    await store.save_profile(profile(ANA))
    await store.save_ledger([entry("s-1", ANA), entry("s-2", ANA), entry("s-2", "t:ben")])
    await store.forget_member(ANA, "forgotten:x1", T0 + timedelta(days=1))
    rows = await read(store)
    assert sorted((e.session_id, e.member_id, e.member_name) for e in rows) == [
        ("s-1", "forgotten:x1", FORGOTTEN_NAME),
        ("s-2", "forgotten:x1", FORGOTTEN_NAME),
        ("s-2", "t:ben", "Ana"),
    ]
    assert all(e.attended for e in rows)  # counts stay, the person goes


async def test_entries_read_back_copy_and_change_like_any_model(store: SessionStore) -> None:
    await store.save_ledger([entry()])
    (read_back,) = await read(store)
    changed = decided(read_back, Verdict.ABSENT, by="slack:T1:SENSEI")
    assert changed.verdict is Verdict.ABSENT and read_back.verdict is None
    assert "verdict" in changed.model_fields_set
    changed.member_name = "Ana B."  # a plain model: its fields can be set
    assert changed.member_name == "Ana B." and read_back.member_name == "Ana"

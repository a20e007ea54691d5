"""Waitlist offers through the service (`SessionService.claim`, the clock's `OfferDuty`) in
two real processes on PostgreSQL, released at once by a line on their stdin (no sleeps):

* late window: in 40 sessions a seat frees 20 minutes before the start; process A clicks
  Claim as one waitlisted member, process B as another — one is going, the other told
  *taken*, every time (each session has members of its own: the sessions overlap, and a
  seat taken in one takes its member off the others' waitlists);
* 40 offers reach their deadline and both processes' clocks wake at once: each lapse is
  DMed once and each freed seat offered (and DMed) once to the next member, across both.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from adapters.sql import open_sql_store
from core.commands import ScheduleSession
from core.model import Member, Origin, Role, RsvpStatus
from core.offers import OfferRules
from core.ports import SessionStore
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.pg_server import fresh_database, require_server
from tests.worker_processes import at_once, workers_running

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SESSIONS = 40
RULES = OfferRules(enabled=True)
SENSEI = Member(id="t:sensei", display_name="sensei", role=Role.INSTRUCTOR)
ORIGIN = Origin(platform="test", workspace_id="w", channel_id="dojo")

WORKER = """
import asyncio, json, sys
from datetime import datetime
from adapters.sql import open_sql_store
from core.model import Member
from core.offer_duty import OfferDuty
from core.offers import OfferRules
from core.ports import SessionStore
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms

async def main(url: str) -> None:
    store = await open_sql_store(url)
    loop = asyncio.get_running_loop()
    try:
        print("ready", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            task = json.loads(line)
            chat = RecordingChatDelivery()
            clock = FakeClock(datetime.fromisoformat(task["now"]))
            service = SessionService(
                store, InMemoryVideoRooms(), chat, clock, offer_rules=OfferRules(enabled=True)
            )
            if task["op"] == "claim":  # each session's own member (sessions overlap)
                found = [
                    (await service.claim(Member(id=m, display_name=m), s)).outcome.value
                    for s, m in task["claims"]
                ]
            else:
                await OfferDuty(service).run_due(clock.now())
                found = []
            dms = [[s.to, s.notice.kind.value, s.notice.session.id] for s in chat.of_kind("dm")]
            print(json.dumps({"outcomes": found, "dms": dms}), flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1]))
"""


def member(name: str) -> Member:
    return Member(id=f"t:{name}", display_name=name)


def offer_service(store: SessionStore) -> SessionService:
    """The parent's service on `store`: offers on, its clock at T0."""
    return SessionService(
        store, InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock(T0), offer_rules=RULES
    )


async def full_sessions(service: SessionService, starts_in: timedelta) -> list[str]:
    """SESSIONS sessions of one seat: `g` going, then w1, w2, w3 waitlisted."""
    ids = []
    for n in range(SESSIONS):
        command = ScheduleSession.model_validate(
            {"title": f"Kata {n}", "start_time": T0 + starts_in, "capacity": 1}
        )
        session = await service.schedule(SENSEI, command, ORIGIN)
        for name in ("g", "w1", "w2", "w3"):  # one member each: a seat taken in one
            await service.rsvp(member(f"{name}-{session.id}"), session.id)  # would free others
        ids.append(session.id)
    return ids


async def test_two_processes_clicking_claim_in_the_late_window_one_wins() -> None:
    async with fresh_database(require_server()) as url:
        store = await open_sql_store(url)
        try:
            service = offer_service(store)
            ids = await full_sessions(service, timedelta(minutes=20))
            for session_id in ids:
                await service.unrsvp(member(f"g-{session_id}"), session_id)  # open window
            assert await store.next_offer_lapse() is None
            now = (T0 + timedelta(minutes=1)).isoformat()
            async with workers_running(WORKER, [url], [url]) as workers:
                tasks = [
                    {"op": "claim", "now": now, "claims": [[s, f"t:{who}-{s}"] for s in ids]}
                    for who in ("w1", "w2")
                ]
                first, second = await at_once(workers, tasks)
            pairs = Counter(
                tuple(sorted(p)) for p in zip(first["outcomes"], second["outcomes"], strict=True)
            )
            assert pairs == {("claimed", "taken"): SESSIONS}
            for session_id in ids:
                assert len(await store.list_rsvps(session_id, RsvpStatus.GOING)) == 1
        finally:
            await store.close()


async def test_two_clocks_lapse_each_offer_once_and_offer_the_seat_on_once() -> None:
    async with fresh_database(require_server()) as url:
        store = await open_sql_store(url)
        try:
            service = offer_service(store)
            ids = await full_sessions(service, timedelta(days=1))
            for session_id in ids:
                await service.unrsvp(member(f"g-{session_id}"), session_id)  # w1 offered
            deadline = await store.next_offer_lapse()
            assert deadline == T0 + RULES.claim_window
            async with workers_running(WORKER, [url], [url]) as workers:
                task = {"op": "duty", "now": deadline.isoformat()}
                answers = await at_once(workers, [task, task])
            dms = Counter(tuple(dm) for answer in answers for dm in answer["dms"])
            for session_id in ids:
                assert dms[(f"t:w1-{session_id}", "offer_lapsed", session_id)] == 1
                assert dms[(f"t:w2-{session_id}", "seat_offered", session_id)] == 1
            assert max(dms.values()) == 1
            offered = await store.list_rsvps_of_sessions(ids, RsvpStatus.OFFERED)
            assert sorted(r.member_id for r in offered) == sorted(f"t:w2-{s}" for s in ids)
        finally:
            await store.close()

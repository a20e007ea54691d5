"""The simulated week of `bench.fair_seats`: member actions on a heap, the real service and
offer duty woken when the store says, every DM recorded; then the lapse step."""

from __future__ import annotations

import heapq
import random
import sys
import time as clock
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

from bench.fair_seats_seed import CAPACITY, T0, WEEK, Layout, layouts, seed

LEAVE_GOING = 0.25
LEAVE_WAITLISTED = 0.10
LATE_SHARE = 0.20
"""Of those who leave, the share that leaves in the last `LATE_SPAN` before the start."""
LATE_SPAN = timedelta(hours=3)
CLAIM, PASS = 0.60, 0.15
"""Answers to an offer; the rest (25 %) never answer."""
CLAIM_DELAY = (timedelta(minutes=1), timedelta(minutes=20))
OPEN_CLAIM = 0.20
OPEN_DELAY = timedelta(minutes=10)
LAPSE_ROUNDS = 10
LAPSE_AT = T0 + WEEK + timedelta(days=2)
"""When the lapse step's sessions start (after the week: nothing else is due then)."""
STARTED = clock.perf_counter()


def log(message: str) -> None:
    print(f"[{clock.perf_counter() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Dm:
    """One DM as the chat received it."""

    step: int
    member: str
    kind: str
    session: str
    detail: object
    """What tells this DM from another of its kind: the offer's deadline, the waitlist place
    told, else the text's template (e.g. "you're next" and "off the overlapping waitlists",
    both WAITLIST_MOVED)."""


@dataclass
class CountingChat:
    """A chat platform that answers at once and records every DM."""

    dms: list[Dm] = field(default_factory=list)
    step: int = 0

    async def send_dm(self, member_id: str, notice: Any) -> None:
        params = getattr(notice.text, "params", {})
        deadline = params.get("deadline")
        detail = (
            getattr(deadline, "instant", None)
            or params.get("place")
            or getattr(notice.text, "msgid", str(notice.text))
        )
        self.dms.append(Dm(self.step, member_id, notice.kind.value, notice.session.id, detail))

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        return False

    async def post_to_channel(self, origin: object, notice: object) -> None:
        return None

    async def send_file(self, member_id: str, file: object) -> None:
        """Exports are not part of this benchmark."""

    async def publish_announcement(self, view: object) -> str | None:
        return None


@dataclass
class Figures:
    """What the week did (counted by the simulation; DMs from the chat)."""

    sessions: int = 0
    waitlisted: int = 0
    freed: int = 0
    filled: int = 0
    fill_minutes: list[float] = field(default_factory=list)
    claims: Counter[str] = field(default_factory=Counter)
    empty_nobody_left: int = 0
    empty_nobody_claimed: int = 0
    over_capacity: int = 0
    seats_lost: int = 0
    """Sessions whose going count at the end is not capacity − freed + filled."""
    unmatched_claims: int = 0
    """Seats won with no freed seat to fill (a seat made from nothing)."""
    missed_replans: int = 0
    wakeup_cpu: list[float] = field(default_factory=list)
    lapse_cpu: list[float] = field(default_factory=list)
    lapse_counts: list[int] = field(default_factory=list)
    lapse_dms: Counter[str] = field(default_factory=Counter)
    """DMs of the lapse step's wake-ups, by kind (all rounds)."""
    lapse_step_size: int = 0
    dms: list[Dm] = field(default_factory=list)
    seconds_seeding: float = 0.0
    seconds_week: float = 0.0
    seconds_total: float = 0.0

    def kinds(self) -> Counter[str]:
        return Counter(dm.kind for dm in self.dms)

    def duplicate_offer_dms(self) -> int:
        """The same offer (session, member, deadline) or its lapse DMed more than once."""
        keys = Counter(
            (dm.session, dm.member, dm.kind, dm.detail)
            for dm in self.dms
            if dm.kind in ("seat_offered", "offer_lapsed")
        )
        return sum(n - 1 for n in keys.values())

    def duplicate_other_dms(self) -> int:
        """A waitlist place told twice, or one open-window round telling a member twice."""
        keys = Counter(
            (dm.session, dm.member, dm.kind, dm.step if dm.kind == "seat_open" else dm.detail)
            for dm in self.dms
            if dm.kind in ("waitlist_moved", "seat_open")
        )
        return sum(n - 1 for n in keys.values())

    def open_rounds(self) -> int:
        """Steps (a departure, a lapse wake-up) that told a session's waitlist a seat is open."""
        return len({(dm.step, dm.session) for dm in self.dms if dm.kind == "seat_open"})


Action = Callable[[], Awaitable[None]]


class Week:
    """The simulated week: member actions on a heap, the duty woken when the store says."""

    def __init__(self, service: Any, duty: Any, fake: Any, chat: CountingChat, rnd: random.Random):
        self.service, self.duty, self.fake, self.chat, self.rnd = service, duty, fake, chat, rnd
        self.events: list[tuple[datetime, int, Action]] = []
        self.order = count()
        self.starts: dict[str, datetime] = {}
        self.going: dict[str, set[str]] = {}
        self.free_since: dict[str, deque[datetime]] = {}
        self.figures = Figures()
        self.replan = True
        self.planned: datetime | None = None

    async def timing_changed(self) -> None:
        """The service's `timing_listener`: the alarm re-plans."""
        self.replan = True

    def at(self, when: datetime, action: Action) -> None:
        heapq.heappush(self.events, (when, next(self.order), action))

    def leave_at(self, session: Layout, member: str) -> None:
        late = self.rnd.random() < LATE_SHARE
        span = min(LATE_SPAN, session.start - T0) if late else session.start - T0
        self.at(session.start - span * self.rnd.random(), self.leave(session.id, member))

    def add(self, sessions: list[Layout], waitlisted: int) -> None:
        for s in sessions:
            self.starts[s.id] = s.start
            self.going[s.id] = set(s.going)
            self.free_since[s.id] = deque()
            for member in s.going:
                if self.rnd.random() < LEAVE_GOING:
                    self.leave_at(s, member)
            for member in s.waiting:
                if self.rnd.random() < LEAVE_WAITLISTED:
                    self.leave_at(s, member)
        self.figures.sessions += len(sessions)
        self.figures.waitlisted = waitlisted

    def member(self, member_id: str) -> Any:
        from core.model import Member

        return Member(id=member_id, display_name=f"Member {member_id}")

    def leave(self, session_id: str, member_id: str) -> Action:
        async def act() -> None:
            was_going = member_id in self.going[session_id]
            change = await self.service.unrsvp(self.member(member_id), session_id)
            if change.changed and was_going:
                self.going[session_id].discard(member_id)
                self.figures.freed += 1
                self.free_since[session_id].append(self.fake.now())

        return act

    def claim(self, session_id: str, member_id: str) -> Action:
        async def act() -> None:
            from core.errors import InvalidState
            from core.offers import ClaimOutcome

            try:
                result = await self.service.claim(self.member(member_id), session_id)
            except InvalidState:  # the session started meanwhile
                self.figures.claims["too late (started)"] += 1
                return
            self.figures.claims[result.outcome.value] += 1
            if result.outcome is not ClaimOutcome.CLAIMED:
                return
            self.going[session_id].add(member_id)
            if not self.free_since[session_id]:
                self.figures.unmatched_claims += 1
                return
            freed_at = self.free_since[session_id].popleft()
            self.figures.filled += 1
            self.figures.fill_minutes.append((self.fake.now() - freed_at).total_seconds() / 60)

        return act

    def passing(self, session_id: str, member_id: str) -> Action:
        async def act() -> None:
            from core.errors import InvalidState

            try:
                await self.service.pass_seat(self.member(member_id), session_id)
            except InvalidState:  # no open offer any more (released by a seat elsewhere)
                self.figures.claims["pass refused"] += 1

        return act

    def react(self, since: int) -> None:
        """Members answer the DMs sent since index `since` (see the module doc)."""
        now, rnd = self.fake.now(), self.rnd
        for dm in self.chat.dms[since:]:
            if dm.kind == "seat_offered" and isinstance(dm.detail, datetime):
                room = (dm.detail - now) * 0.9
                draw = rnd.random()
                if draw < CLAIM:
                    low, high = CLAIM_DELAY
                    delay = min(low + (high - low) * rnd.random(), room)
                    self.at(now + delay, self.claim(dm.session, dm.member))
                elif draw < CLAIM + PASS:
                    self.at(now + room * rnd.random(), self.passing(dm.session, dm.member))
            elif dm.kind == "seat_open" and rnd.random() < OPEN_CLAIM:
                delay = max(OPEN_DELAY * rnd.random(), timedelta(seconds=5))
                self.at(now + delay, self.claim(dm.session, dm.member))

    async def next_due(self) -> datetime | None:
        """The duty's next wake-up as the alarm knows it; a re-plan the service never asked
        for but the store needs is counted (and then used, so the figures stay true)."""
        truth = await self.duty.next_due()
        if self.replan:
            self.planned, self.replan = truth, False
        elif truth is not None and (self.planned is None or truth < self.planned):
            self.figures.missed_replans += 1
            self.planned = truth
        return self.planned

    async def wake(self, when: datetime) -> float:
        """One duty wake-up at `when`: its CPU time (run_due + the next_due read after it)."""
        self.fake.set(max(when, self.fake.now()))
        began = clock.process_time()
        await self.duty.run_due(self.fake.now())
        self.planned = await self.duty.next_due()
        spent = clock.process_time() - began
        self.replan = False
        return spent

    async def run(self, end: datetime) -> None:
        """Event to event until nothing is left to do before `end`."""
        day = 0
        while True:
            if (self.fake.now() - T0).days > day:
                day = (self.fake.now() - T0).days
                log(f"day {day}: {self.figures.freed:,} freed, {self.figures.filled:,} filled")
            self.chat.step += 1
            seen = len(self.chat.dms)
            due = await self.next_due()
            event_at = self.events[0][0] if self.events else None
            if due is not None and due <= end and (event_at is None or due <= event_at):
                self.figures.wakeup_cpu.append(await self.wake(due))
            elif event_at is not None and event_at <= end:
                _, _, action = heapq.heappop(self.events)
                self.fake.set(max(event_at, self.fake.now()))
                await action()
            else:
                break
            self.react(seen)

    async def lapse_step(self, sessions: list[Layout]) -> None:
        """One offer in each of `sessions` at the same instant, then `LAPSE_ROUNDS` wake-ups
        each lapsing all of them at once (and offering every seat on); nobody answers."""
        self.fake.set(max(T0 + WEEK, self.fake.now()))
        for s in sessions:
            await self.service.unrsvp(self.member(s.going[0]), s.id)
        self.figures.lapse_step_size = len(sessions)
        for _ in range(LAPSE_ROUNDS):
            self.chat.step += 1
            seen = len(self.chat.dms)
            due = await self.duty.next_due()
            if due is None:
                break
            self.figures.lapse_cpu.append(await self.wake(due))
            sent = Counter(dm.kind for dm in self.chat.dms[seen:])
            self.figures.lapse_counts.append(sent["offer_lapsed"])
            self.figures.lapse_dms += sent

    async def settle(self, store: Any, sessions: list[Layout]) -> None:
        """After every start: seats still empty (and why), overbooking, seats lost."""
        from core.model import RsvpStatus

        for s in sessions:
            rows = await store.list_rsvps(s.id)
            going = sum(1 for r in rows if r.status is RsvpStatus.GOING)
            waiting = sum(1 for r in rows if r.status is RsvpStatus.WAITLISTED)
            empty = len(self.free_since[s.id])
            if waiting == 0:
                self.figures.empty_nobody_left += empty
            else:
                self.figures.empty_nobody_claimed += empty
            self.figures.over_capacity += going > CAPACITY
            self.figures.seats_lost += going != CAPACITY - empty


@dataclass(frozen=True)
class Params:
    sessions: int = 1000
    waitlisted: int = 50
    lapsing: int = 100
    seed: int = 16


async def simulate(params: Params, directory: Path) -> Figures:
    """Seed, run the week and the lapse step, and count (see the module doc)."""
    from adapters.sql import open_sql_store
    from core.offer_duty import OfferDuty
    from core.offers import OfferRules
    from core.service import SessionService
    from core.testing.clock import FakeClock
    from core.testing.rooms import InMemoryVideoRooms

    began = clock.perf_counter()
    rnd = random.Random(params.seed)
    span = WEEK - timedelta(hours=1)
    starts = sorted(
        (T0 + timedelta(hours=1) + span * rnd.random()).replace(second=0, microsecond=0)
        for _ in range(params.sessions)
    )
    week = layouts("s", params.sessions, params.waitlisted, starts, rnd)
    lapsing = layouts("lapse", params.lapsing, params.waitlisted, [LAPSE_AT] * params.lapsing, rnd)
    path = directory / "fair-seats.db"
    log(f"seeding {params.sessions:,} + {params.lapsing} sessions")
    await seed(path, week + lapsing)
    seeded = clock.perf_counter()
    store = await open_sql_store(f"sqlite+aiosqlite:///{path}")
    try:
        fake, chat = FakeClock(T0), CountingChat()
        holder: list[Week] = []

        async def timing_changed() -> None:
            await holder[0].timing_changed()

        service = SessionService(
            store,
            InMemoryVideoRooms(),
            chat,
            fake,
            timing_listener=timing_changed,
            offer_rules=OfferRules(enabled=True),
        )
        sim = Week(service, OfferDuty(service), fake, chat, rnd)
        holder.append(sim)
        sim.add(week, params.waitlisted)
        log(f"simulating the week: {len(sim.events):,} departures planned")
        await sim.run(T0 + WEEK)
        sim.figures.seconds_week = clock.perf_counter() - seeded
        sim.figures.dms = list(chat.dms)  # the week's; the lapse step's are counted apart
        await sim.settle(store, week)
        log("lapse step")
        await sim.lapse_step(lapsing)
    finally:
        await store.close()
    figures = sim.figures
    figures.seconds_seeding = seeded - began
    figures.seconds_total = clock.perf_counter() - began
    return figures

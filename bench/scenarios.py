"""The sessions every scheduler-scale measurement starts from, for both designs (stdlib only).

A scenario is a list of `SessionSpec`s laid out relative to a base instant `now`: our design
uses a FakeClock at `NOW0`, the obvious design (APScheduler only knows the wall clock) uses the
wall clock at the moment the measuring process seeds its jobs. Each session has 10 going
members; one *reminder* (as counted in the tables) is one message to one recipient, so one
(session, kind) reminder row or date job stands for 10 of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

NOW0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
"""Our design's simulated `now` at (re)start (FakeClock's default start)."""

MEMBERS_PER_SESSION = 10
MEMBER_POOL = 5_000
"""Member ids are drawn from a community of this many people."""

OFFSETS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "1h": timedelta(hours=1),
    "10m": timedelta(minutes=10),
}
"""Reminder kinds (ReminderKind values) and how long before the start each is due."""

WAKEUP_GROUPS = 5
WAKEUP_SESSIONS = 10
"""Wake-up test: 5 wake-ups, each with 10 sessions × 10 members = 100 reminders due."""
WAKEUP_FIRST = timedelta(seconds=2)
WAKEUP_EVERY = timedelta(milliseconds=500)

BURST_SESSIONS = 1_000
"""Burst test: 1,000 sessions × 10 members = 10,000 reminders due at the same instant."""
BURST_AT = timedelta(seconds=3)

DOWNTIME = timedelta(hours=1)
USEFUL_SESSIONS = 100
"""Downtime test: 100 sessions whose 1 h reminder fell due 5 minutes ago (1,000 reminders)…"""
USELESS_SESSIONS = 50
"""…and 50 started 5 minutes ago whose 10 min reminder fell due 15 minutes ago (500)."""


@dataclass(frozen=True)
class SessionSpec:
    """One scheduled session: reminders of kinds due after `created_at` exist; `done` sent."""

    id: str
    start_time: datetime
    created_at: datetime
    members: tuple[str, ...]
    done: frozenset[str] = frozenset()

    def reminder_times(self) -> list[tuple[str, datetime]]:
        """(kind, due time) of every reminder planned when the session was scheduled."""
        return [
            (kind, self.start_time - offset)
            for kind, offset in OFFSETS.items()
            if self.start_time - offset > self.created_at
        ]

    def pending(self) -> list[tuple[str, datetime]]:
        """(kind, due time) of the reminders not sent yet."""
        return [(kind, due) for kind, due in self.reminder_times() if kind not in self.done]


def members_of(index: int) -> tuple[str, ...]:
    """The 10 going members of the index-th session (distinct, spread over the pool)."""
    first = index * MEMBERS_PER_SESSION
    return tuple(f"U{(first + k) % MEMBER_POOL:05d}" for k in range(MEMBERS_PER_SESSION))


def background(count: int, now: datetime) -> list[SessionSpec]:
    """`count` sessions starting over the 30 days after the next 2: nothing due for a day."""
    spread = timedelta(days=30) / max(count, 1)
    created = now - timedelta(hours=1)
    return [
        SessionSpec(
            id=f"bg{i:07d}",
            start_time=(now + timedelta(days=2) + i * spread).replace(microsecond=0),
            created_at=created,
            members=members_of(i),
        )
        for i in range(count)
    ]


def wakeup_due_times(now: datetime) -> list[datetime]:
    """When each wake-up group's 1 h reminders fall due."""
    return [now + WAKEUP_FIRST + g * WAKEUP_EVERY for g in range(WAKEUP_GROUPS)]


def wakeup_groups(now: datetime) -> list[SessionSpec]:
    """10 sessions per wake-up group; only their 1 h reminders are due within the test."""
    return [
        SessionSpec(
            id=f"wake{g}-{j:02d}",
            start_time=due + OFFSETS["1h"],
            created_at=now - timedelta(minutes=1),
            members=members_of(g * WAKEUP_SESSIONS + j),
        )
        for g, due in enumerate(wakeup_due_times(now))
        for j in range(WAKEUP_SESSIONS)
    ]


def burst(now: datetime) -> list[SessionSpec]:
    """1,000 sessions whose 1 h reminders all fall due at `now + BURST_AT`."""
    start = now + BURST_AT + OFFSETS["1h"]
    return [
        SessionSpec(
            id=f"burst{j:04d}",
            start_time=start,
            created_at=now - timedelta(minutes=1),
            members=members_of(j),
        )
        for j in range(BURST_SESSIONS)
    ]


def downtime(now: datetime) -> tuple[list[SessionSpec], list[SessionSpec]]:
    """(useful, useless) sessions after a 1 h downtime ending at `now`.

    Useful: start in 55 min; their 1 h reminder fell due 5 min ago and stays useful until
    the 10 min one is due. Useless: started 5 min ago; their 10 min reminder fell due 15 min
    ago and was pointless from the start on. Reminders due before the downtime were sent.
    """
    created = now - timedelta(days=2)
    useful = [
        SessionSpec(
            id=f"useful{j:03d}",
            start_time=now + timedelta(minutes=55),
            created_at=created,
            members=members_of(j),
            done=frozenset({"24h"}),
        )
        for j in range(USEFUL_SESSIONS)
    ]
    useless = [
        SessionSpec(
            id=f"useless{j:03d}",
            start_time=now - timedelta(minutes=5),
            created_at=created,
            members=members_of(USEFUL_SESSIONS + j),
            done=frozenset({"24h", "1h"}),
        )
        for j in range(USELESS_SESSIONS)
    ]
    return useful, useless

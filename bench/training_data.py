"""The association a year of training leaves behind, as store rows (stdlib + core only).

`Params(scale=1.0)`: 5,000 members, 300 ended sessions a week for 52 weeks (nine in ten are
occurrences of 270 weekly classes, the rest one-off seminars), each with about 90 members
present (about 100 attendance intervals: one in ten rejoined after a drop-out), their going
RSVPs (no-shows included), the training-ledger entry of every member who was present or
going, computed with `core.training_ledger.counts_as_attended` from the merged stays, and
rank promotions. Every count scales with `scale` except the people per session.

Rows are dicts keyed by column name, produced one chunk of sessions at a time
(`session_chunks`), so the whole year never sits in memory; low-volume rows (profiles,
weekly classes, sessions) come from the store's own mapping functions applied to real model
objects, high-volume ones (RSVPs, stays, ledger entries) are built directly and checked
against the models (`check_shapes`). Deterministic for a given `Params`.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from core.attendance import merged_seconds
from core.members import MemberProfile
from core.model import (
    AttendanceInterval,
    Room,
    RoomState,
    Rsvp,
    RsvpStatus,
    SessionStatus,
    TrainingSession,
)
from core.ranks import Promotion, RankLadder, RankStep
from core.recurrence import WeeklyRule
from core.series import Series, occurrence_id
from core.training_ledger import LedgerEntry, TrainingRules, Verdict, counts_as_attended

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
"""The benchmark's `now` (FakeClock's default start): the year of sessions ends here."""
RULES = TrainingRules()
LADDER = RankLadder(
    steps=(
        RankStep("white"),
        RankStep("yellow", min_classes=40, min_months=3),
        RankStep("orange", min_classes=60, min_months=6),
        RankStep("green", min_classes=80, min_months=6),
        RankStep("blue", min_classes=120, min_months=12, class_types=("gi", "no-gi")),
        RankStep("brown", min_classes=150, min_months=18, class_types=("gi",)),
        RankStep("black", min_classes=200, min_months=24, class_types=("gi",)),
    )
)
"""The association's ladder (`/progress` reads it)."""
TAG_SETS = (
    ["bjj", "gi"],
    ["bjj", "no-gi"],
    ["judo"],
    ["kids"],
    ["bjj", "gi", "competition"],
    ["open-mat"],
    ["fundamentals", "gi"],
)
INSTRUCTORS = 30
MAX_CLASSES = 14
"""Weekly classes one member is a regular of, at most (twice a day)."""
ADMIN_ID = "slack:T1:ADMIN"


@dataclass(frozen=True)
class Params:
    """What to seed. `scale` multiplies members and sessions per week (not people per
    session); `weeks` is the span, ending at `NOW`."""

    scale: float = 1.0
    weeks: int = 52
    seed: int = 17
    members_full: int = 5_000
    per_week_full: int = 300
    roster: int = 120
    """Regulars of a weekly class (each comes with probability `turnout`)."""
    turnout: float = 0.76
    rejoin_share: float = 0.1
    verdict_share: float = 0.01

    @property
    def members(self) -> int:
        return max(4, round(self.members_full * self.scale))

    @property
    def per_week(self) -> int:
        return max(2, round(self.per_week_full * self.scale))

    @property
    def weekly_classes(self) -> int:
        return max(1, round(self.per_week * 0.9))

    @property
    def one_offs_per_week(self) -> int:
        return self.per_week - self.weekly_classes

    @property
    def first_day(self) -> date:
        return NOW.date() - timedelta(weeks=self.weeks)


def member_id(n: int) -> str:
    return f"slack:T1:U{n:05d}"


def instructor_id(n: int) -> str:
    return f"slack:T1:I{n:03d}"


@dataclass
class Counts:
    """Rows produced per table (filled while the chunks are generated)."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


class Year:
    """The seeded association: its people and timetable, then its sessions chunk by chunk."""

    def __init__(self, params: Params) -> None:
        self.params = params
        self.random = random.Random(params.seed)
        self.members = [member_id(n) for n in range(1, params.members + 1)]
        self.names = {m: f"Member {m[-5:]}" for m in self.members}
        self.activity = {m: self.random.lognormvariate(0.0, 0.5) for m in self.members}
        self.series = [self._series(n) for n in range(params.weekly_classes)]
        self.rosters = self._rosters()
        self.counts = Counts()

    # people and timetable -------------------------------------------------------------
    def profiles(self) -> list[MemberProfile]:
        """Every member, every instructor and the admin, as profiles."""
        seen = NOW - timedelta(days=1)
        people = [(m, self.names[m]) for m in self.members]
        people += [(instructor_id(n), f"Sensei {n}") for n in range(INSTRUCTORS)]
        people.append((ADMIN_ID, "Admin"))
        return [
            MemberProfile(
                id=pid,
                display_name=name,
                identities=[pid],
                last_seen_at=seen,
                created_at=NOW - timedelta(days=400),
                updated_at=seen,
            )
            for pid, name in people
        ]

    def _series(self, n: int) -> Series:
        created = datetime.combine(self.params.first_day, time(), UTC) - timedelta(days=14)
        return Series(
            id=f"class{n:04d}",
            root_id=f"class{n:04d}",
            title=f"Class {n}: {' / '.join(TAG_SETS[n % len(TAG_SETS)])}",
            description="Weekly class.",
            instructor_id=instructor_id(n % INSTRUCTORS),
            instructor_name=f"Sensei {n % INSTRUCTORS}",
            rule=WeeklyRule(
                weekdays=frozenset({n % 7}),
                local_time=time(6 + (n * 5) % 16, 30 * (n % 2)),
                timezone="UTC",
                first_day=self.params.first_day,
                until=NOW.date() + timedelta(days=365),
            ),
            duration_minutes=90 if n % 3 == 0 else 60,
            tags=list(TAG_SETS[n % len(TAG_SETS)]),
            sequence=0,
            materialised_until=NOW,
            created_at=created,
            updated_at=created,
        )

    def _rosters(self) -> dict[str, list[str]]:
        """Each weekly class's regulars: every member is a regular of a few classes (about
        6.5 on average, more for the more active, at most `MAX_CLASSES`), dealt at random."""
        size = min(self.params.roster, len(self.members))
        seats = size * len(self.series)
        total = sum(self.activity.values())
        most = min(MAX_CLASSES, len(self.series))
        slots: list[str] = []
        for m in self.members:
            slots += [m] * max(1, min(most, round(seats * self.activity[m] / total)))
        self.random.shuffle(slots)
        rosters: list[list[str]] = [[] for _ in self.series]
        members: list[set[str]] = [set() for _ in self.series]
        for i, m in enumerate(slots):
            for k in range(len(self.series)):  # the next class with room that lacks m
                at = (i + k) % len(self.series)
                if len(rosters[at]) < size and m not in members[at]:
                    rosters[at].append(m)
                    members[at].add(m)
                    break
        return {item.root_id: roster for item, roster in zip(self.series, rosters, strict=True)}

    def _roster(self, size: int) -> list[str]:
        """`size` distinct members, the more active more likely (weighted sampling)."""
        rnd = self.random.random
        keys = ((rnd() ** (1.0 / self.activity[m]), m) for m in self.members)
        return [m for _, m in heapq.nlargest(min(size, len(self.members)), keys)]

    # sessions -------------------------------------------------------------------------
    def sessions(self) -> Iterator[TrainingSession]:
        """Every ended session of the span, in start order (occurrences and one-offs)."""
        p = self.params
        starts: list[tuple[datetime, int, str]] = []
        for index, item in enumerate(self.series):
            weekday = next(iter(item.rule.weekdays))
            day = p.first_day + timedelta(days=(weekday - p.first_day.weekday()) % 7)
            while day < NOW.date() + timedelta(days=1):
                starts.append((datetime.combine(day, item.rule.local_time, UTC), index, "s"))
                day += timedelta(weeks=1)
        for week in range(p.weeks):
            for k in range(p.one_offs_per_week):
                at = datetime.combine(p.first_day, time(), UTC) + timedelta(
                    weeks=week, days=k % 7, hours=10 + (k * 3) % 10
                )
                starts.append((at, week * 1000 + k, "o"))
        starts.sort()
        for start, index, kind in starts:
            duration = 90 if kind == "o" else self.series[index].duration_minutes
            if start + timedelta(minutes=duration + 5) > NOW:
                continue
            yield self._occurrence(start, index) if kind == "s" else self._one_off(start, index)

    def _occurrence(self, start: datetime, index: int) -> TrainingSession:
        item = self.series[index]
        return self._ended(
            TrainingSession(
                id=occurrence_id(item.root_id, start.date()),
                title=item.title,
                description=item.description,
                instructor_id=item.instructor_id,
                instructor_name=item.instructor_name,
                start_time=start,
                duration_minutes=item.duration_minutes,
                tags=list(item.tags),
                series_id=item.root_id,
                created_at=start - timedelta(days=14),
                updated_at=start - timedelta(days=14),
            )
        )

    def _one_off(self, start: datetime, key: int) -> TrainingSession:
        n = key % INSTRUCTORS
        return self._ended(
            TrainingSession(
                id=f"seminar{key:06d}",
                title=f"Seminar {key}",
                instructor_id=instructor_id(n),
                instructor_name=f"Sensei {n}",
                start_time=start,
                duration_minutes=90,
                tags=["seminar"],
                created_at=start - timedelta(days=10),
                updated_at=start - timedelta(days=10),
            )
        )

    def _ended(self, session: TrainingSession) -> TrainingSession:
        started = session.start_time + timedelta(seconds=self.random.randrange(0, 120))
        ended = started + timedelta(minutes=session.duration_minutes)
        session.status = SessionStatus.ENDED
        session.started_at = started
        session.ended_at = ended
        session.updated_at = ended
        session.room = Room(
            provider="jitsi",
            room_id=f"dojo-{session.id}",
            state=RoomState.DELETED,
            attempts=1,
            last_attempt_at=session.created_at,
        )
        if ended + timedelta(days=7) <= NOW:
            session.archived_at = ended + timedelta(days=7)
        return session

    def regulars(self, session: TrainingSession) -> list[str]:
        """Who might come: the class's roster, or for a seminar ~120 members at random."""
        if session.series_id is not None:
            return self.rosters[session.series_id]
        return self._roster(self.params.roster)

    # one session's rows ---------------------------------------------------------------
    def session_rows(self, session: TrainingSession) -> dict[str, list[dict[str, Any]]]:
        """RSVPs, stays and ledger entries of one ended session."""
        p, rnd = self.params, self.random.random
        assert session.started_at is not None and session.ended_at is not None
        started, ended = session.started_at, session.ended_at
        held = int((ended - started).total_seconds())
        present: list[str] = []
        absent: list[str] = []
        for m in self.regulars(session):
            (present if rnd() < p.turnout else absent).append(m)
        going = [m for m in present if rnd() < 0.9] + [m for m in absent if rnd() < 0.2]
        rsvps = [
            {
                "session_id": session.id,
                "member_id": m,
                "member_name": self.names[m],
                "status": RsvpStatus.GOING.value,
                "position": position,
                "created_at": session.start_time - timedelta(hours=1 + position),
                "updated_at": session.start_time - timedelta(hours=1 + position),
                "offer_expires_at": None,
            }
            for position, m in enumerate(going, start=1)
        ]
        intervals: list[dict[str, Any]] = []
        seconds: dict[str, int] = {}
        for m in present:
            stays = self._stays(started, ended, held)
            seconds[m] = merged_seconds(stays)
            intervals += [
                {
                    "session_id": session.id,
                    "member_id": m,
                    "member_name": self.names[m],
                    "joined_at": joined,
                    "left_at": left,
                }
                for joined, left in stays
            ]
        ledger = [
            self._entry(session, m, held, seconds.get(m, 0)) for m in sorted({*present, *going})
        ]
        rows = {"rsvps": rsvps, "attendance_intervals": intervals, "training_ledger": ledger}
        for table, items in rows.items():
            self.counts.add(table, len(items))
        return rows

    def _stays(
        self, started: datetime, ended: datetime, held: int
    ) -> list[tuple[datetime, datetime]]:
        """One member's stays: most stay the whole class, some leave early or come late;
        one in ten drops out for a few minutes and rejoins (two stays)."""
        r, uniform = self.random.random(), self.random.uniform
        joined = started + timedelta(seconds=uniform(0, 300))
        left = ended - timedelta(seconds=uniform(0, 300))
        if r < 0.15:
            left = joined + timedelta(seconds=held * uniform(0.2, 0.7))
        elif r < 0.3:
            joined = started + timedelta(seconds=held * uniform(0.1, 0.4))
        joined, left = _second(joined), _second(left)
        if self.random.random() < self.params.rejoin_share:
            cut = _second(joined + (left - joined) * uniform(0.2, 0.8))
            back = cut + timedelta(seconds=self.random.randrange(60, 600))
            if back < left:
                return [(joined, cut), (back, left)]
        return [(joined, left)]

    def _entry(self, session: TrainingSession, m: str, held: int, present: int) -> dict[str, Any]:
        assert session.ended_at is not None
        verdict: Verdict | None = None
        if self.random.random() < self.params.verdict_share:
            verdict = Verdict.ABSENT if present >= RULES.attended_share * held else Verdict.PRESENT
        return {
            "session_id": session.id,
            "member_id": m,
            "member_name": self.names[m],
            "title": session.title,
            "series_id": session.series_id,
            "tags": session.tags,
            "instructor_id": session.instructor_id,
            "starts_at": session.start_time,
            "session_seconds": held,
            "seconds_present": present,
            "attended": counts_as_attended(present, held, verdict, RULES),
            "verdict": None if verdict is None else verdict.value,
            "verdict_by": None if verdict is None else session.instructor_id,
            "verdict_at": None if verdict is None else session.ended_at + timedelta(hours=1),
            "recorded_at": session.ended_at,
        }

    # promotions -----------------------------------------------------------------------
    def promotions(self) -> list[Promotion]:
        """Every member's first rank (graded before the span), and for four in ten one or two
        promotions during it."""
        ranks = [step.name for step in LADDER.steps]
        out: list[Promotion] = []
        span = self.params.weeks * 7
        for n, m in enumerate(self.members):
            level = self.random.randrange(0, 4)
            day = self.params.first_day - timedelta(days=self.random.randrange(30, 900))
            steps = [(level, day)]
            if self.random.random() < 0.4:
                for _ in range(self.random.choice((1, 2))):
                    if level + 1 >= len(ranks):
                        break
                    level += 1
                    day = max(day, self.params.first_day) + timedelta(
                        days=self.random.randrange(30, max(31, span // 2))
                    )
                    if day >= NOW.date():
                        break
                    steps.append((level, day))
            for k, (rank_index, on) in enumerate(steps):
                at = datetime.combine(on, time(18), UTC)
                out.append(
                    Promotion(
                        id=f"promo-{n:05d}-{k}",
                        member_id=m,
                        rank=ranks[rank_index],
                        promoted_on=on,
                        recorded_by=instructor_id(n % INSTRUCTORS),
                        recorded_at=at,
                    )
                )
        self.counts.add("rank_promotions", len(out))
        return out


def _second(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def check_shapes(rows: dict[str, list[dict[str, Any]]]) -> None:
    """The directly built rows are what the models say (a changed model fails here)."""
    for table, model in (
        ("rsvps", Rsvp),
        ("attendance_intervals", AttendanceInterval),
        ("training_ledger", LedgerEntry),
    ):
        sample = rows[table][:1]
        for row in sample:
            item = model.model_validate(row)
            dumped = item.model_dump(mode="python")
            dumped = {k: v.value if isinstance(v, StrEnum) else v for k, v in dumped.items()}
            assert dumped == row, f"{table}: seeded row {row} is not the model's {dumped}"


def check_ledger(session: TrainingSession, rows: dict[str, list[dict[str, Any]]]) -> None:
    """The session's seeded entries are what the ledger records when it ends
    (`core.ledger_use_cases.ledger_entries` over its stays and going RSVPs), verdicts aside."""
    from core.attendance import summarize_attendance
    from core.ledger_use_cases import ledger_entries

    assert session.ended_at is not None
    stays = [
        AttendanceInterval.model_validate(r)
        for r in rows["attendance_intervals"]
        if r["session_id"] == session.id
    ]
    going = [Rsvp.model_validate(r) for r in rows["rsvps"] if r["session_id"] == session.id]
    attendance = summarize_attendance(stays, session.ended_at)
    recorded = {
        e.member_id: e.model_dump()
        for e in ledger_entries(session, attendance, going, RULES, session.ended_at)
    }
    seeded = [r for r in rows["training_ledger"] if r["session_id"] == session.id]
    assert sorted(recorded) == [r["member_id"] for r in seeded], session.id
    for row in seeded:
        mine, theirs = dict(row), dict(recorded[row["member_id"]])
        if mine["verdict"] is not None:  # a verdict given later decides `attended`
            for name in ("verdict", "verdict_by", "verdict_at", "attended"):
                mine.pop(name), theirs.pop(name)
        assert mine == theirs, f"seeded entry {mine} is recorded as {theirs}"


def span_of(params: Params) -> tuple[date, date]:
    """The first and last day (inclusive) of the seeded year."""
    return params.first_day, NOW.date()


def quarter_of(params: Params) -> tuple[date, date]:
    """The first and last day (inclusive) of the year's last quarter (13 weeks, or the whole
    span when shorter)."""
    return NOW.date() - timedelta(weeks=min(13, params.weeks)), NOW.date()


def expected_per_session(params: Params) -> float:
    """About how many stays a session has (for the docs and sanity checks)."""
    return min(params.roster, params.members) * params.turnout * (1 + params.rejoin_share)

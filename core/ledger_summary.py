"""The association overview's one aggregated read of the ledger: sessions and attending
members per week, and the busiest classes, counted by the store (SQL: one GROUP BY each)
instead of streaming every entry.

`bounds` are ascending instants: week i runs from `bounds[i]` (inclusive) to `bounds[i+1]`
(exclusive), on `starts_at` (the caller computes them in the reader's zone, so no store
needs date functions). `summarize` is the reference every store must agree with (the
memory and ZeroDB stores use it as it is).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from pydantic import Field

from core.model import Model
from core.training_ledger import LedgerEntry, LedgerQuery

MAX_WEEKS = 106
"""Weeks one read may count at most (two years)."""


class WeekTotals(Model):
    """One week: distinct sessions with any entry, distinct members who attended one."""

    starts: datetime
    sessions: int = Field(ge=0)
    members: int = Field(ge=0)


class ClassTotal(Model):
    """A class (a weekly class by its id, a single session by its title) and how many
    attended entries it had."""

    title: str
    attendances: int = Field(ge=0)


class SessionTotals(Model):
    """One session of the class asked for: its attended entries, and its entries with no
    presence at all that were not confirmed present (going members who never came: the
    ledger records every member present or going)."""

    session_id: str
    starts_at: datetime
    attended: int = Field(ge=0)
    no_presence: int = Field(ge=0)


class LedgerSummary(Model):
    weeks: list[WeekTotals]
    busiest: list[ClassTotal]
    sessions: list[SessionTotals] = Field(default_factory=list)
    """Per session, by start then id: only when one class (`series_id`) was asked for."""


def check_bounds(bounds: list[datetime]) -> None:
    """ValueError unless `bounds` are 2 to MAX_WEEKS + 1 strictly ascending instants."""
    if not 2 <= len(bounds) <= MAX_WEEKS + 1:
        raise ValueError(f"between 2 and {MAX_WEEKS + 1} week bounds, not {len(bounds)}")
    if any(a >= b for a, b in pairwise(bounds)):
        raise ValueError("week bounds must ascend")


def class_key_of(series_id: str | None, title: str) -> str:
    """What makes a class one for the busiest list: a weekly class by its id, a single
    session by its title."""
    return series_id if series_id is not None else f"title:{title}"


def class_key(entry: LedgerEntry) -> str:
    """The class of `entry` for the busiest list (`class_key_of`)."""
    return class_key_of(entry.series_id, entry.title)


def week_index(bounds: list[datetime], at: datetime) -> int:
    """The week of `bounds` holding `at` (-1 before the first, len(bounds) - 1 from the
    last bound on)."""
    return bisect_right(bounds, at) - 1


class ClassTally:
    """Attended entries per class, and each class's smallest title: counted entry by
    entry (`summarize`) or from a store's partial counts (any order, any split)."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = defaultdict(int)
        self._titles: dict[str, str] = {}

    def add(self, series_id: str | None, title: str, attended: int = 1) -> None:
        """`attended` more entries of the class of (`series_id`, `title`) under `title`."""
        key = class_key_of(series_id, title)
        self._counts[key] += attended
        self._titles[key] = min(self._titles.get(key, title), title)

    def ranked(self, busiest: int) -> list[ClassTotal]:
        """The `busiest` classes by attended entries, most first (ties: by key), each under
        its smallest title."""
        counts = sorted(self._counts.items(), key=lambda item: (-item[1], item[0]))
        return [
            ClassTotal(title=self._titles[key], attendances=n)
            for key, n in counts[: max(0, busiest)]
        ]


def session_totals(entries: Iterable[LedgerEntry]) -> list[SessionTotals]:
    """Per session of `entries`: attended entries and entries with no presence."""
    tallies: dict[str, _Tally] = {}
    for entry in entries:
        _count(tallies, entry)
    return _totals(tallies)


def merged_totals(parts: Iterable[SessionTotals]) -> list[SessionTotals]:
    """Per session, its `parts` added up under the earliest start (a store counting by
    start and session), by start then id."""
    tallies: dict[str, _Tally] = {}
    for part in parts:
        totals = tallies.setdefault(part.session_id, _Tally(part.starts_at))
        totals.starts_at = min(totals.starts_at, part.starts_at)
        totals.attended += part.attended
        totals.no_presence += part.no_presence
    return _totals(tallies)


def _count(tallies: dict[str, _Tally], entry: LedgerEntry) -> None:
    totals = tallies.setdefault(entry.session_id, _Tally(entry.starts_at))
    totals.starts_at = min(totals.starts_at, entry.starts_at)
    if entry.attended:
        totals.attended += 1
    elif entry.seconds_present == 0:
        totals.no_presence += 1


def _totals(tallies: dict[str, _Tally]) -> list[SessionTotals]:
    return sorted(
        (
            SessionTotals(
                session_id=sid,
                starts_at=t.starts_at,
                attended=t.attended,
                no_presence=t.no_presence,
            )
            for sid, t in tallies.items()
        ),
        key=lambda s: (s.starts_at, s.session_id),
    )


@dataclass
class _Tally:
    starts_at: datetime
    attended: int = 0
    no_presence: int = 0


def summarize(
    entries: Iterable[LedgerEntry],
    bounds: list[datetime],
    busiest: int,
    series_id: str | None = None,
) -> LedgerSummary:
    """The summary of `entries` (those outside the bounds, or of another class when
    `series_id` is given, are left out): per week the distinct sessions and attending
    members; the `busiest` classes by attended entries, most first (ties: by key), each
    under its smallest title; with `series_id`, per session its attended entries and its
    entries with no presence."""
    check_bounds(bounds)
    sessions: dict[int, set[str]] = defaultdict(set)
    members: dict[int, set[str]] = defaultdict(set)
    classes = ClassTally()
    per_session: dict[str, _Tally] = {}
    for entry in entries:
        week = week_index(bounds, entry.starts_at)
        if not 0 <= week < len(bounds) - 1:
            continue
        if series_id is not None and entry.series_id != series_id:
            continue
        sessions[week].add(entry.session_id)
        _count(per_session, entry)
        if entry.attended:
            members[week].add(entry.member_id)
            classes.add(entry.series_id, entry.title)
    return LedgerSummary(
        weeks=[
            WeekTotals(starts=bounds[i], sessions=len(sessions[i]), members=len(members[i]))
            for i in range(len(bounds) - 1)
        ],
        busiest=classes.ranked(busiest),
        sessions=_totals(per_session) if series_id is not None else [],
    )


class SummedFromEntries:
    """`ledger_summary` for a store with no GROUP BY (memory, ZeroDB): the entries of the
    range are read through its `read_ledger` and counted with the reference `summarize`."""

    def read_ledger(self, query: LedgerQuery, batch: int = 1000) -> AsyncIterator[LedgerEntry]:
        raise NotImplementedError

    async def ledger_summary(
        self, bounds: list[datetime], busiest: int, series_id: str | None = None
    ) -> LedgerSummary:
        """Sessions and attending members per week of `bounds`, the busiest classes; with
        `series_id`, of that class only, with its per-session totals."""
        check_bounds(bounds)
        query = LedgerQuery(series_id=series_id, since=bounds[0], until=bounds[-1])
        found = [e async for e in self.read_ledger(query)]
        return summarize(found, bounds, busiest, series_id)

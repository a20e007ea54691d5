"""The member part of `InMemorySessionStore`: profiles, their identities, one-time member
codes and held (deferred) deliveries, with the same rules as the SQL adapter.

Linking and forgetting move every record of an identity to another member id under the
store's lock (one transaction); where both ids hold a row for the same thing, the
`core.member_merge` rules pick the one that survives (see `SessionStore.link_identity`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.errors import InvalidState, NotFound
from core.member_merge import (
    better_rsvp,
    kept_delivery,
    profile_for_unlinked,
    without_identity,
)
from core.members import FORGOTTEN_NAME, Addressee, MemberCode, MemberProfile
from core.min_attendance import MinDecision
from core.model import (
    AttendanceInterval,
    DeferredDelivery,
    DeliveryKey,
    Reminder,
    ReminderKind,
    Rsvp,
    TrainingSession,
    ensure_utc,
)
from core.seat_marks import MarkKind, SeatMark
from core.series import Series, StandingRsvp
from core.substitutes import SubstituteRequest, moved_members


class InMemoryMembers:
    """Profiles, identities, member codes and held deliveries in dicts; copies in and out."""

    _lock: asyncio.Lock
    _sessions: dict[str, TrainingSession]
    _rsvps: dict[str, dict[str, Rsvp]]
    _attendance: dict[str, list[AttendanceInterval]]
    _reminders: dict[tuple[str, ReminderKind], Reminder]
    _deliveries: dict[DeliveryKey, Any]
    _series: dict[str, Series]
    _standing: dict[str, list[StandingRsvp]]
    _min_decisions: dict[str, MinDecision]
    _substitutes: dict[str, SubstituteRequest]
    _marks: dict[tuple[str, str, MarkKind], SeatMark]

    if TYPE_CHECKING:  # core/testing/ledger_store.py, mixed in beside this

        def _move_ledger(self, ids: set[str], to: str, name: str | None) -> None: ...

    _move_feeds: Callable[[set[str], str], None]  # core/testing/feed_store.py
    _drop_feeds: Callable[[set[str]], None]
    _move_promotions: Callable[[set[str], str], None]  # core/testing/rank_store.py
    _drop_promotions: Callable[[set[str]], None]

    def __init__(self) -> None:
        self._profiles: dict[str, MemberProfile] = {}
        self._identities: dict[str, str] = {}
        """Every identity → the id of the profile it belongs to."""
        self._codes: dict[str, MemberCode] = {}
        self._deferred: dict[DeliveryKey, DeferredDelivery] = {}

    # profiles ---------------------------------------------------------------------------
    def _profile_of(self, member_id: str) -> MemberProfile | None:
        owner = self._identities.get(member_id)
        return None if owner is None else self._profiles.get(owner)

    async def get_profile(self, member_id: str) -> MemberProfile | None:
        """The profile that has `member_id` as its id or one of its identities, or None."""
        found = self._profile_of(member_id)
        return None if found is None else found.model_copy(deep=True)

    async def get_profiles(self, member_ids: list[str]) -> dict[str, MemberProfile]:
        """The profiles of many ids, keyed by the id asked (ids without one are absent)."""
        found = {i: self._profile_of(i) for i in dict.fromkeys(member_ids)}
        return {i: p.model_copy(deep=True) for i, p in found.items() if p is not None}

    async def get_addressees(self, member_ids: list[str]) -> dict[str, Addressee]:
        """What reaching each id needs, keyed by the id asked."""
        found = {i: self._profile_of(i) for i in dict.fromkeys(member_ids)}
        return {i: p.model_copy(deep=True).addressee() for i, p in found.items() if p}

    async def save_profile(self, profile: MemberProfile) -> None:
        """Insert or overwrite the profile, adding its identities to those it holds
        (InvalidState when one of them belongs to another profile)."""
        stored = _normalised(profile)
        async with self._lock:
            for identity in stored.identities:
                owner = self._identities.get(identity)
                if owner is not None and owner != stored.id:
                    raise InvalidState(f"{identity} belongs to another member's profile.")
            old = self._profiles.get(stored.id)
            held = [] if old is None else old.identities
            merged = list(dict.fromkeys([stored.id, *held, *stored.identities]))
            self._store_profile(stored.model_copy(update={"identities": merged}))

    def _store_profile(self, profile: MemberProfile) -> None:
        old = self._profiles.get(profile.id)
        if old is not None:
            for identity in old.identities:
                self._identities.pop(identity, None)
        self._profiles[profile.id] = profile
        for identity in profile.identities:
            self._identities[identity] = profile.id

    def _drop_profile(self, profile: MemberProfile) -> None:
        for identity in profile.identities:
            self._identities.pop(identity, None)
        del self._profiles[profile.id]

    async def link_identity(self, into_id: str, identity_id: str, now: datetime) -> MemberProfile:
        """Make `identity_id` one of profile `into_id`'s identities, moving what was
        recorded under it (see `SessionStore.link_identity`)."""
        now = ensure_utc(now)
        async with self._lock:
            into = self._profile_of(into_id)
            if into is None:
                raise NotFound(f"No member profile {into_id}.")
            if identity_id in into.identities:
                return into.model_copy(deep=True)
            own = self._profile_of(identity_id)
            if own is not None:
                if len(own.identities) > 1:
                    raise InvalidState(f"{identity_id} is already linked to other accounts.")
                self._drop_profile(own)
                for code in [c for c in self._codes.values() if c.member_id == own.id]:
                    del self._codes[code.code]
            linked = into.model_copy(
                update={"identities": [*into.identities, identity_id], "updated_at": now}
            )
            self._store_profile(linked)
            self._move_records({identity_id}, into.id, None)
            self._move_feeds({identity_id}, into.id)
            return linked.model_copy(deep=True)

    async def unlink_identity(self, profile_id: str, identity_id: str, now: datetime) -> None:
        """Take `identity_id` out of the profile into a profile of its own."""
        now = ensure_utc(now)
        async with self._lock:
            profile = self._profiles.get(profile_id)
            if profile is None or identity_id not in profile.identities:
                raise NotFound(f"{identity_id} is not linked to {profile_id}.")
            if identity_id == profile.id:
                raise InvalidState("A profile's own id cannot be unlinked from it.")
            self._store_profile(without_identity(profile, identity_id, now))
            self._store_profile(profile_for_unlinked(profile, identity_id, now))

    async def forget_member(self, profile_id: str, anonymous_id: str, now: datetime) -> int | None:
        """Delete the profile and its codes; move its records to `anonymous_id` under
        `FORGOTTEN_NAME`. How many RSVP and attendance rows were kept; None: no profile."""
        async with self._lock:
            profile = self._profile_of(profile_id)
            if profile is None:
                return None
            ids = set(profile.identities)
            self._drop_profile(profile)
            for code in [c for c in self._codes.values() if ids & {c.member_id, c.issued_by}]:
                del self._codes[code.code]
            for key in [k for k in self._deferred if k.recipient_id in ids]:
                del self._deferred[key]
            self._drop_promotions(ids)  # forget-me: a forgotten member's ranks go
            self._move_records(ids, anonymous_id, FORGOTTEN_NAME)
            self._drop_feeds(ids)  # a forgotten member's feed stops working
            rsvps = sum(1 for rows in self._rsvps.values() if anonymous_id in rows)
            stays = sum(
                1 for rows in self._attendance.values() for s in rows if s.member_id == anonymous_id
            )
            return rsvps + stays

    # moving records -----------------------------------------------------------------------
    def _move_records(self, ids: set[str], to: str, name: str | None) -> None:
        """Move every row of `ids` to member `to` (with `name` as the name when given)."""
        renamed: dict[str, Any] = {"member_id": to}
        if name is not None:
            renamed["member_name"] = name
        for rows in self._rsvps.values():
            for member_id in [m for m in rows if m in ids]:
                moved = rows.pop(member_id).model_copy(update=renamed)
                found = rows.get(to)
                rows[to] = moved if found is None else better_rsvp(found, moved)
        for session_id, stays in self._attendance.items():
            joins = {s.joined_at for s in stays if s.member_id == to}  # `to`'s own stay wins
            kept: list[AttendanceInterval] = []
            for stay in stays:
                if stay.member_id in ids:
                    if stay.joined_at in joins:
                        continue
                    joins.add(stay.joined_at)
                    stay = stay.model_copy(update=renamed)
                kept.append(stay)
            self._attendance[session_id] = kept
        for series_id, standing in self._standing.items():
            merged: list[StandingRsvp] = []
            for row in standing:
                if row.member_id in ids:
                    row = row.model_copy(update=renamed)
                if all(m.member_id != row.member_id for m in merged):
                    merged.append(row)
            self._standing[series_id] = merged
        self._move_deliveries(ids, to)
        self._move_instructors(ids, to, name)
        self._move_promotions(ids, to)
        self._move_ledger(ids, to, name)

    def _move_deliveries(self, ids: set[str], to: str) -> None:
        for key in [k for k in self._deliveries if k.recipient_id in ids]:
            moved_key = key.model_copy(update={"recipient_id": to})
            found = self._deliveries.pop(key)
            other = self._deliveries.get(moved_key)
            self._deliveries[moved_key] = found if other is None else kept_delivery(other, found)
        for key in [k for k in self._deferred if k.recipient_id in ids]:
            held = self._deferred.pop(key)
            moved_key = key.model_copy(update={"recipient_id": to})
            held = held.model_copy(update={"key": moved_key})
            other = self._deferred.get(moved_key)
            if other is None or held.due_at < other.due_at:
                self._deferred[moved_key] = held

    def _move_instructors(self, ids: set[str], to: str, name: str | None) -> None:
        teacher: dict[str, Any] = {"instructor_id": to}
        if name is not None:
            teacher["instructor_name"] = name
        for session_id, session in self._sessions.items():
            update = dict(teacher) if session.instructor_id in ids else {}
            if session.canceled_by in ids:
                update["canceled_by"] = to
            if update:
                self._sessions[session_id] = session.model_copy(update=update)
        for series_id, series in self._series.items():
            if series.instructor_id in ids:
                self._series[series_id] = series.model_copy(update=teacher)
        for session_id, decision in self._min_decisions.items():
            if decision.decided_by in ids:
                self._min_decisions[session_id] = decision.model_copy(update={"decided_by": to})
        for key, mark in self._marks.items():  # no-show marks: who marked present, who waived
            who = {f: to for f in ("marked_by", "waived_by") if getattr(mark, f) in ids}
            if who:
                self._marks[key] = mark.model_copy(update=who)
        for session_id, request in self._substitutes.items():
            if moved := moved_members(request, ids, to, name):
                self._substitutes[session_id] = request.model_copy(update=moved)

    # member codes -------------------------------------------------------------------------
    async def add_member_code(self, code: MemberCode) -> None:
        """Store a one-time code (InvalidState when the code is taken)."""
        async with self._lock:
            if code.code in self._codes:
                raise InvalidState(f"The code {code.code} is taken.")
            self._codes[code.code] = code.model_copy(deep=True)

    async def take_member_code(self, code: str, now: datetime) -> MemberCode | None:
        """Delete and return the code when it exists and is unexpired at `now`; expired
        codes are dropped."""
        now = ensure_utc(now)
        async with self._lock:
            for stale in [c for c, found in self._codes.items() if found.expires_at <= now]:
                del self._codes[stale]
            return self._codes.pop(code, None)

    # held deliveries ----------------------------------------------------------------------
    async def defer_deliveries(self, deferred: list[DeferredDelivery]) -> None:
        """Hold deliveries until their due_at; a key already held keeps its first due_at."""
        async with self._lock:
            for session_id in sorted({d.key.session_id for d in deferred}):
                if session_id not in self._sessions:
                    raise NotFound(f"No session with id {session_id}.")
            for held in deferred:
                self._deferred.setdefault(held.key, held.model_copy(deep=True))

    async def due_deferred(self, now: datetime, limit: int) -> list[DeferredDelivery]:
        """Held deliveries with due_at <= now, earliest first (ties by key), at most `limit`."""
        now = ensure_utc(now)
        due = sorted((d for d in self._deferred.values() if d.due_at <= now), key=deferred_order)
        return [d.model_copy(deep=True) for d in due[:limit]]

    async def drop_deferred(self, keys: list[DeliveryKey]) -> None:
        """Forget these held deliveries."""
        async with self._lock:
            for key in keys:
                self._deferred.pop(key, None)

    def _next_deferred_due(self) -> datetime | None:
        return min((d.due_at for d in self._deferred.values()), default=None)


def deferred_order(held: DeferredDelivery) -> tuple[datetime, str, str, str, datetime]:
    """The order held deliveries come due in: due_at, then the key's fields."""
    k = held.key
    return (held.due_at, k.session_id, k.recipient_id, k.kind.value, k.start_time)


def _normalised(profile: MemberProfile) -> MemberProfile:
    """A copy whose identities hold its own id first, each identity once."""
    identities = list(dict.fromkeys([profile.id, *profile.identities]))
    return profile.model_copy(update={"identities": identities}, deep=True)

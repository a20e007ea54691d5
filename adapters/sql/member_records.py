"""The member part of `SqlSessionStore`: profiles and their identities, one-time member codes
and held (deferred) deliveries, with the rules of `core.testing.member_store`.

Identities are unique by the key of `member_identities`. Linking and forgetting run in one
write transaction, which first locks (`FOR UPDATE` on PostgreSQL) the profile rows involved,
one at a time in profile id order (so two crossing links never deadlock), then the rows of
every session whose RSVPs move, in id order, as RSVP writes do; where both member ids hold
a row for the same thing, `core.member_merge` picks the one that survives (`member_moves`).
A code is taken by one `DELETE … RETURNING`: one caller gets the row, across processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import Column, Select, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql import schedule_changes
from adapters.sql.batching import chunks
from adapters.sql.contention import contended
from adapters.sql.engine import upsert
from adapters.sql.feed_records import drop_feeds, move_feeds
from adapters.sql.member_moves import move_records
from adapters.sql.rank_records import drop_promotions
from adapters.sql.schema import (
    attendance_intervals,
    deferred_deliveries,
    member_codes,
    member_identities,
    member_profiles,
    rsvps,
)
from core.errors import InvalidState, NotFound
from core.member_merge import (
    profile_for_unlinked,
    without_identity,
)
from core.members import (
    FORGOTTEN_NAME,
    Addressee,
    MemberCode,
    MemberProfile,
    ReminderPreferences,
)
from core.model import DeferredDelivery, DeliveryKey, ReminderKind, ensure_utc

_p = member_profiles.c
_i = member_identities.c
_c = member_codes.c
_h = deferred_deliveries.c
_HELD_KEY = (_h.session_id, _h.recipient_id, _h.kind, _h.start_time)


def profile_to_row(profile: MemberProfile) -> dict[str, Any]:
    """The `member_profiles` row (identities go to `member_identities`)."""
    row = profile.model_dump(mode="python", exclude={"identities", "preferences"})
    row["preferences"] = profile.preferences.model_dump_json()
    return row


def row_to_profile(row: Any, identities: list[str]) -> MemberProfile:
    """Rebuild a profile from its row and its identities in order."""
    data = {k: row[k] for k in member_profiles.c.keys()}  # noqa: SIM118
    data["preferences"] = ReminderPreferences.model_validate_json(row["preferences"])
    return MemberProfile.model_validate(data | {"identities": identities})


_PROFILE_KEYS = tuple(member_profiles.c.keys())
_PROFILE_FIELDS = frozenset(MemberProfile.model_fields)


class _StoredPreferences:
    """Parses the preferences JSON of rows this store wrote (validated then) once per
    distinct text: profiles read together may share one equal `ReminderPreferences`, a
    value that callers copy (`model_copy`) to change, never mutate in place."""

    def __init__(self) -> None:
        self._parsed: dict[str, ReminderPreferences] = {}

    def parse(self, text: str) -> ReminderPreferences:
        preferences = self._parsed.get(text)
        if preferences is None:
            preferences = ReminderPreferences.model_validate_json(text)
            self._parsed[text] = preferences
        return preferences


class _StoredProfiles:
    """Builds profiles from rows this store wrote (`profile_to_row`, validated then):
    constructed (`model_construct`), no second validation; the time stamps come back aware UTC
    (`UtcDateTime`); the preferences parsed once per distinct text (`_StoredPreferences`)."""

    def __init__(self) -> None:
        self._preferences = _StoredPreferences()

    def build(self, values: Sequence[Any], identities: list[str]) -> MemberProfile:
        """The profile of `values` (the `member_profiles` columns in order)."""
        data = dict(zip(_PROFILE_KEYS, values, strict=True))
        data["preferences"] = self._preferences.parse(data["preferences"])
        data["identities"] = identities
        return MemberProfile.model_construct(set(_PROFILE_FIELDS), **data)


def row_to_held(row: Any) -> DeferredDelivery:
    key = DeliveryKey(
        session_id=row["session_id"],
        recipient_id=row["recipient_id"],
        kind=ReminderKind(row["kind"]),
        start_time=row["start_time"],
    )
    return DeferredDelivery(key=key, due_at=row["due_at"], useful_until=row["useful_until"])


def _held_row(held: DeferredDelivery) -> dict[str, Any]:
    k = held.key
    return {
        "session_id": k.session_id,
        "recipient_id": k.recipient_id,
        "kind": k.kind.value,
        "start_time": k.start_time,
        "due_at": held.due_at,
        "useful_until": held.useful_until,
    }


_DROP_HELD = delete(deferred_deliveries).where(
    _h.session_id == bindparam("k_session_id"),
    _h.recipient_id == bindparam("k_recipient_id"),
    _h.kind == bindparam("k_kind"),
    _h.start_time == bindparam("k_start_time", type_=_h.start_time.type),
)


class SqlMembers:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def _raise_missing_session(
        self, session_ids: set[str], error: IntegrityError
    ) -> NoReturn:
        raise NotImplementedError

    # profiles ---------------------------------------------------------------------------
    async def get_profile(self, member_id: str) -> MemberProfile | None:
        """The profile that has `member_id` as its id or one of its identities, or None."""
        return (await self.get_profiles([member_id])).get(member_id)

    async def get_profiles(self, member_ids: list[str]) -> dict[str, MemberProfile]:
        """The profiles of many ids, keyed by the id asked: one query (per 200 ids)."""
        wanted = list(dict.fromkeys(member_ids))
        parts = list(chunks(wanted))
        found: dict[str, MemberProfile] = {}
        async with self._read(len(parts)) as connection:
            for part in parts:
                found |= await _profiles_of(connection, part)
        return found

    async def get_addressees(self, member_ids: list[str]) -> dict[str, Addressee]:
        """What reaching each id needs, keyed by the id asked: one slim query (per 200 ids)."""
        parts = list(chunks(list(dict.fromkeys(member_ids))))
        found: dict[str, Addressee] = {}
        async with self._read(len(parts)) as connection:
            for part in parts:
                found |= await _addressees_of(connection, part)
        return found

    async def save_profile(self, profile: MemberProfile) -> None:
        """Insert or overwrite the profile, adding its identities to those it holds
        (InvalidState when one of them belongs to another profile). The upsert locks the
        profile row first, so saves and links of one profile take turns."""
        identities = list(dict.fromkeys([profile.id, *profile.identities]))
        async with self._write() as connection:
            await _check_owners(connection, profile.id, identities)
            statement = upsert(connection.dialect.name, member_profiles)
            row = profile_to_row(profile)
            await connection.execute(
                statement.values(row).on_conflict_do_update(
                    index_elements=[_p.id], set_={k: v for k, v in row.items() if k != "id"}
                )
            )
            held = await connection.scalars(
                select(_i.identity_id).where(_i.profile_id == profile.id).order_by(_i.position)
            )
            merged = list(dict.fromkeys([profile.id, *held.all(), *identities]))
            await _store_identities(connection, profile.id, merged)

    async def link_identity(self, into_id: str, identity_id: str, now: datetime) -> MemberProfile:
        """Make `identity_id` one of profile `into_id`'s identities, moving what was
        recorded under it, in one transaction (see `SessionStore.link_identity`)."""
        now = ensure_utc(now)
        with contended(f"Linking {identity_id}"):
            return await self._link(into_id, identity_id, now)

    async def _link(self, into_id: str, identity_id: str, now: datetime) -> MemberProfile:
        async with self._write() as connection:
            found = await _lock_profiles_of(connection, [into_id, identity_id])
            into = found.get(into_id)
            if into is None:
                raise NotFound(f"No member profile {into_id}.")
            if identity_id in into.identities:
                return into
            own = found.get(identity_id)
            if own is not None:
                if len(own.identities) > 1:
                    raise InvalidState(f"{identity_id} is already linked to other accounts.")
                await connection.execute(delete(member_codes).where(_c.member_id == own.id))
                await connection.execute(delete(member_profiles).where(_p.id == own.id))
            linked = into.model_copy(
                update={"identities": [*into.identities, identity_id], "updated_at": now}
            )
            await connection.execute(
                update(member_profiles).where(_p.id == into.id).values(updated_at=now)
            )
            await _store_identities(connection, into.id, linked.identities)
            await move_records(connection, [identity_id], into.id, None)
            await move_feeds(connection, [identity_id], into.id)
            return linked

    async def unlink_identity(self, profile_id: str, identity_id: str, now: datetime) -> None:
        """Take `identity_id` out of the profile into a profile of its own."""
        now = ensure_utc(now)
        async with self._write() as connection:
            profile = (await _profiles_of(connection, [profile_id], lock=True)).get(profile_id)
            if profile is None or profile.id != profile_id or identity_id not in profile.identities:
                raise NotFound(f"{identity_id} is not linked to {profile_id}.")
            if identity_id == profile.id:
                raise InvalidState("A profile's own id cannot be unlinked from it.")
            kept = without_identity(profile, identity_id, now)
            await connection.execute(
                update(member_profiles).where(_p.id == profile.id).values(profile_to_row(kept))
            )
            await _store_identities(connection, kept.id, kept.identities)
            await connection.execute(
                insert(member_profiles),
                profile_to_row(profile_for_unlinked(profile, identity_id, now)),
            )
            await _store_identities(connection, identity_id, [identity_id])

    async def forget_member(self, profile_id: str, anonymous_id: str, now: datetime) -> int | None:
        """Delete the profile and its codes; move its records to `anonymous_id` under
        `FORGOTTEN_NAME`, in one transaction. How many RSVP and attendance rows were kept."""
        async with self._write() as connection:
            profile = (await _profiles_of(connection, [profile_id], lock=True)).get(profile_id)
            if profile is None:
                return None
            ids = profile.identities
            await connection.execute(
                delete(member_codes).where(_c.member_id.in_(ids) | _c.issued_by.in_(ids))
            )
            await connection.execute(delete(member_identities).where(_i.profile_id == profile.id))
            await connection.execute(delete(member_profiles).where(_p.id == profile.id))
            await connection.execute(delete(deferred_deliveries).where(_h.recipient_id.in_(ids)))
            await drop_promotions(connection, ids)  # forget-me: their ranks go
            await move_records(connection, ids, anonymous_id, FORGOTTEN_NAME)
            await drop_feeds(connection, ids)  # a forgotten member's feed stops working
            kept_rsvps = await connection.scalar(
                select(func.count()).select_from(rsvps).where(rsvps.c.member_id == anonymous_id)
            )
            a = attendance_intervals.c
            kept_stays = await connection.scalar(
                select(func.count())
                .select_from(attendance_intervals)
                .where(a.member_id == anonymous_id)
            )
            return int(kept_rsvps or 0) + int(kept_stays or 0)

    # member codes -------------------------------------------------------------------------
    async def add_member_code(self, code: MemberCode) -> None:
        """Store a one-time code (InvalidState when the code is taken)."""
        try:
            async with self._write() as connection:
                await connection.execute(insert(member_codes), code.model_dump())
        except IntegrityError as error:
            raise InvalidState(f"The code {code.code} is taken.") from error

    async def take_member_code(self, code: str, now: datetime) -> MemberCode | None:
        """Delete and return the code when unexpired at `now` (one `DELETE … RETURNING`:
        one taker wins); expired codes are dropped."""
        now = ensure_utc(now)
        async with self._write() as connection:
            taken = (
                (
                    await connection.execute(
                        delete(member_codes).where(_c.code == code).returning(*member_codes.c)
                    )
                )
                .mappings()
                .first()
            )
            await connection.execute(delete(member_codes).where(_c.expires_at <= now))
        if taken is None or ensure_utc(taken["expires_at"]) <= now:
            return None
        return MemberCode.model_validate(dict(taken))

    # held deliveries ----------------------------------------------------------------------
    async def defer_deliveries(self, deferred: list[DeferredDelivery]) -> None:
        """Hold deliveries until their due_at; a key already held keeps its first due_at."""
        if not deferred:
            return
        rows = sorted((_held_row(d) for d in deferred), key=lambda r: _held_sort(r))
        try:
            async with self._write() as connection:
                statement = upsert(connection.dialect.name, deferred_deliveries)
                await connection.execute(statement.on_conflict_do_nothing(), rows)
                for session_id in sorted({d.key.session_id for d in deferred}):
                    await schedule_changes.announce(connection, session_id)
        except IntegrityError as error:
            await self._raise_missing_session({d.key.session_id for d in deferred}, error)

    async def due_deferred(self, now: datetime, limit: int) -> list[DeferredDelivery]:
        """Held deliveries with due_at <= now, earliest first (ties by key), at most `limit`."""
        query = (
            select(deferred_deliveries)
            .where(_h.due_at <= ensure_utc(now))
            .order_by(_h.due_at, *_HELD_KEY)
            .limit(limit)
        )
        async with self._read() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [row_to_held(r) for r in rows]

    async def drop_deferred(self, keys: list[DeliveryKey]) -> None:
        """Forget these held deliveries."""
        if not keys:
            return
        rows = [
            {
                "k_session_id": k.session_id,
                "k_recipient_id": k.recipient_id,
                "k_kind": k.kind.value,
                "k_start_time": k.start_time,
            }
            for k in dict.fromkeys(keys)
        ]
        async with self._write() as connection:
            await connection.execute(_DROP_HELD, rows)


def _held_sort(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["session_id"], row["recipient_id"], row["kind"], row["start_time"])


def _profiles_query(*columns: Column[Any]) -> Select[Any]:
    """Asked identity, each identity of its profile in order, the profile's `columns`; for
    the ids bound as `ids` (one expanding parameter: one cached compiled form per engine,
    whatever their number)."""
    asked = member_identities.alias("asked")
    mine = member_identities.alias("mine")
    return (
        select(asked.c.identity_id, mine.c.identity_id, *columns)
        .select_from(
            asked.join(member_profiles, member_profiles.c.id == asked.c.profile_id).join(
                mine, mine.c.profile_id == member_profiles.c.id
            )
        )
        .where(asked.c.identity_id.in_(bindparam("ids", expanding=True)))
        .order_by(asked.c.identity_id, mine.c.position, mine.c.identity_id)
    )


_PROFILES_OF = _profiles_query(*member_profiles.c)
"""Built once (not per read: building the joins and aliases cost more than running it)."""
_ADDRESSEES_OF = _profiles_query(
    _p.id, _p.timezone, _p.locale, _p.preferred_platform, _p.preferences
)
"""Only what reaching a member needs: no name, no time stamps to parse."""
_LOCK_PROFILES_OF = _PROFILES_OF.with_for_update(of=member_profiles)


async def _profiles_of(
    connection: AsyncConnection, member_ids: Sequence[str], lock: bool = False
) -> dict[str, MemberProfile]:
    """The profiles of `member_ids` (by any identity), keyed by the id asked: one query.
    With `lock`, the asked identities' rows are locked (PostgreSQL) until the end."""
    if not member_ids:
        return {}
    query = _LOCK_PROFILES_OF if lock else _PROFILES_OF
    identities: dict[str, list[str]] = {}
    first: dict[str, Sequence[Any]] = {}
    for row in (await connection.execute(query, {"ids": list(member_ids)})).all():
        identities.setdefault(row[0], []).append(row[1])
        first.setdefault(row[0], row[2:])
    stored = _StoredProfiles()
    return {a: stored.build(first[a], identities[a]) for a in identities}


async def _addressees_of(
    connection: AsyncConnection, member_ids: Sequence[str]
) -> dict[str, Addressee]:
    """The addressees of `member_ids` (by any identity), keyed by the id asked: one query."""
    identities: dict[str, list[str]] = {}
    first: dict[str, Sequence[Any]] = {}
    for row in (await connection.execute(_ADDRESSEES_OF, {"ids": list(member_ids)})).all():
        identities.setdefault(row[0], []).append(row[1])
        first.setdefault(row[0], row)
    preferences = _StoredPreferences()
    return {
        asked: Addressee(
            id=row[2],
            timezone=row[3],
            locale=row[4],
            identities=tuple(identities[asked]),
            preferred_platform=row[5],
            preferences=preferences.parse(row[6]),
        )
        for asked, row in first.items()
    }


async def _lock_profiles_of(
    connection: AsyncConnection, member_ids: Sequence[str]
) -> dict[str, MemberProfile]:
    """Lock (PostgreSQL) the profile rows that hold `member_ids`, one at a time in profile id
    order, then read those profiles. Every writer of several profiles locks them so: two
    crossing links wait for each other in turn, never in a cycle. A profile that took one
    of the identities while we waited is locked too (rare; out of order, so it may still
    deadlock: `contended`)."""
    locked: set[str] = set()
    while True:
        found = await _profiles_of(connection, member_ids)
        owners = {p.id for p in found.values()}
        if owners <= locked:
            return found
        for profile_id in sorted(owners - locked):
            await connection.execute(select(_p.id).where(_p.id == profile_id).with_for_update())
        locked |= owners


async def _check_owners(
    connection: AsyncConnection, profile_id: str, identities: list[str]
) -> None:
    owners = await connection.execute(
        select(_i.identity_id, _i.profile_id).where(_i.identity_id.in_(identities))
    )
    for identity, owner in owners:
        if owner != profile_id:
            raise InvalidState(f"{identity} belongs to another member's profile.")


async def _store_identities(
    connection: AsyncConnection, profile_id: str, identities: list[str]
) -> None:
    """Make `identities` (in order) the profile's; InvalidState when one is another's.

    Written with `ON CONFLICT DO UPDATE … WHERE` it is still ours, then read back: a
    concurrent writer of the same identity makes one of the two fail (the key decides).
    """
    await connection.execute(
        delete(member_identities).where(
            _i.profile_id == profile_id, _i.identity_id.not_in(identities)
        )
    )
    statement = upsert(connection.dialect.name, member_identities)
    rows = [
        {"identity_id": identity, "profile_id": profile_id, "position": n}
        for n, identity in enumerate(identities)
    ]
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[_i.identity_id],
            set_={"position": statement.excluded.position},
            where=_i.profile_id == statement.excluded.profile_id,
        ),
        rows,
    )
    await _check_owners(connection, profile_id, identities)

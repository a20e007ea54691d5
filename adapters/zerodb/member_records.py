"""The member part of `ZeroDBSessionStore`: profiles and their identities, one-time member
codes and held (deferred) deliveries, with the rules of `core.testing.member_store`.

ZeroDB has no transactions (see `store`), so every profile write (save, link, unlink,
forget) runs under one lease row, `members:profiles` (`lease.SessionLease`, as RSVP writes run under
their session's): across processes, no two of them interleave and an identity stays with
one profile. Moving a member's RSVPs also holds each session's lease, so no RSVP write of
that session slips in between; the moves are a series of single-row writes, like every
multi-row write here. A code is taken by an insert-then-verify of a take row keyed by the
code and the nonce its row got when added (`exclusive`): one taker wins, across processes, and
a code added back after a take (a refused use hands it back) can be taken again. Held
deliveries are inserted once per key (`_add_once`).
"""

from __future__ import annotations

import secrets
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from adapters.zerodb.feed_records import ZeroDBFeeds
from adapters.zerodb.member_moves import HELD_KEY, ZeroDBMemberMoves
from adapters.zerodb.rank_records import drop_promotions
from adapters.zerodb.rows import instant, parse_instant
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

Row = dict[str, Any]
MEMBER_TABLES = {
    "member_profiles": "Member profiles (one row per person)",
    "member_identities": "Platform identities: one row per identity, naming its profile",
    "member_codes": "One-time member codes (/link, /forget-me confirmations)",
    "member_code_takes": "Codes taken (one winning row per code and add)",
    "deferred_deliveries": "Deliveries held back until their due time (quiet hours)",
}
TAKE_KEY = "take_key"
ADD_NONCE = "add_nonce"
"""A fresh value per `add_member_code`: the take row of one add never blocks the next add."""
MEMBERS_LEASE = "members:profiles"
_PROFILE_TIMES = ("last_seen_at", "created_at", "updated_at")


def profile_to_row(profile: MemberProfile) -> Row:
    """The `member_profiles` row (identities are rows of `member_identities`)."""
    row = profile.model_dump(mode="json", exclude={"id", "identities", "preferences"})
    for name in _PROFILE_TIMES:
        row[name] = instant(getattr(profile, name))
    return row | {"profile_id": profile.id, "preferences": profile.preferences.model_dump_json()}


def row_to_profile(row: Row, identities: list[str]) -> MemberProfile:
    """Rebuild a profile from its row and its identities in order."""
    data = {
        "id": row["profile_id"],
        "display_name": row["display_name"],
        "timezone": row.get("timezone"),
        "locale": row.get("locale"),
        "preferred_platform": row.get("preferred_platform"),
        "identities": identities,
        "preferences": ReminderPreferences.model_validate_json(row["preferences"]),
    }
    for name in _PROFILE_TIMES:
        data[name] = parse_instant(row[name])
    return MemberProfile.model_validate(data)


def held_key(key: DeliveryKey) -> str:
    return "|".join((key.session_id, key.recipient_id, key.kind.value, instant(key.start_time)))


def held_to_row(held: DeferredDelivery) -> Row:
    k = held.key
    return {
        HELD_KEY: held_key(k),
        "session_id": k.session_id,
        "recipient_id": k.recipient_id,
        "kind": k.kind.value,
        "start_time": instant(k.start_time),
        "due_at": instant(held.due_at),
        "useful_until": instant(held.useful_until),
    }


def row_to_held(row: Row) -> DeferredDelivery:
    key = DeliveryKey(
        session_id=row["session_id"],
        recipient_id=row["recipient_id"],
        kind=ReminderKind(row["kind"]),
        start_time=parse_instant(row["start_time"]),
    )
    return DeferredDelivery(
        key=key,
        due_at=parse_instant(row["due_at"]),
        useful_until=parse_instant(row["useful_until"]),
    )


def code_to_row(code: MemberCode) -> Row:
    return code.model_dump(mode="json") | {"expires_at": instant(code.expires_at)}


def row_to_code(row: Row) -> MemberCode:
    data = {name: row[name] for name in MemberCode.model_fields}
    return MemberCode.model_validate(data | {"expires_at": parse_instant(row["expires_at"])})


class ZeroDBMembers(ZeroDBMemberMoves, ZeroDBFeeds):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    # profiles ---------------------------------------------------------------------------
    async def get_profile(self, member_id: str) -> MemberProfile | None:
        """The profile that has `member_id` as its id or one of its identities, or None."""
        return (await self.get_profiles([member_id])).get(member_id)

    async def get_addressees(self, member_ids: list[str]) -> dict[str, Addressee]:
        """What reaching each id needs, keyed by the id asked (from the same reads as
        `get_profiles`: ZeroDB returns whole rows)."""
        return {i: p.addressee() for i, p in (await self.get_profiles(member_ids)).items()}

    async def get_profiles(self, member_ids: list[str]) -> dict[str, MemberProfile]:
        """The profiles of many ids, keyed by the id asked (three queries per 100 ids)."""
        asked: dict[str, str] = {}
        for row in await self._rows_in("member_identities", "identity_id", member_ids):
            asked.setdefault(str(row["identity_id"]), str(row["profile_id"]))
        owners = sorted(set(asked.values()))
        profiles: dict[str, Row] = {}
        for row in await self._rows_in("member_profiles", "profile_id", owners):
            profiles.setdefault(str(row["profile_id"]), row)
        identities: dict[str, dict[str, int]] = {}
        for row in await self._rows_in("member_identities", "profile_id", owners):
            ordered = identities.setdefault(str(row["profile_id"]), {})
            ordered.setdefault(str(row["identity_id"]), int(row.get("position", 0)))
        built = {
            p: row_to_profile(row, sorted(identities.get(p, {}), key=identities[p].__getitem__))
            for p, row in profiles.items()
            if p in identities
        }
        return {i: built[p] for i in dict.fromkeys(member_ids) if (p := asked.get(i)) in built}

    def _members_lease(self, now: datetime) -> AbstractAsyncContextManager[None]:
        return self._serialised(MEMBERS_LEASE, ensure_utc(now))

    async def save_profile(self, profile: MemberProfile) -> None:
        """Insert or overwrite the profile, adding its identities to those it holds
        (InvalidState when one of them belongs to another profile), under the members'
        lease."""
        identities = list(dict.fromkeys([profile.id, *profile.identities]))
        async with self._members_lease(max(profile.updated_at, profile.last_seen_at)):
            for row in await self._rows_in("member_identities", "identity_id", identities):
                if row["profile_id"] != profile.id:
                    raise InvalidState(f"{row['identity_id']} belongs to another member's profile.")
            held = await self._rows("member_identities", {"profile_id": profile.id})
            held.sort(key=lambda r: int(r.get("position", 0)))
            merged = [profile.id, *(str(r["identity_id"]) for r in held), *identities]
            update = {"identities": list(dict.fromkeys(merged))}
            await self._write_profile(profile.model_copy(update=update))

    async def _write_profile(self, profile: MemberProfile) -> None:
        row = profile_to_row(profile)
        stored = await self._first("member_profiles", {"profile_id": profile.id})
        if stored is None:
            await self.tables.insert(self._t("member_profiles"), [row])
        else:
            await self._overwrite("member_profiles", stored, row)
        have: dict[str, Row] = {}
        for found in await self._rows("member_identities", {"profile_id": profile.id}):
            if found["identity_id"] not in profile.identities or found["identity_id"] in have:
                await self._drop("member_identities", found)
            else:
                have[str(found["identity_id"])] = found
        fresh = []
        for n, identity in enumerate(profile.identities):
            old = have.get(identity)
            if old is None:
                fresh.append({"identity_id": identity, "profile_id": profile.id, "position": n})
            elif old.get("position") != n:
                await self._overwrite("member_identities", old, {"position": n})
        if fresh:
            await self.tables.insert(self._t("member_identities"), fresh)

    async def _drop_profile(self, profile: MemberProfile) -> None:
        for row in await self._rows("member_identities", {"profile_id": profile.id}):
            await self._drop("member_identities", row)
        for row in await self._rows("member_profiles", {"profile_id": profile.id}):
            await self._drop("member_profiles", row)

    async def _drop_codes(self, field: str, ids: list[str]) -> None:
        for row in await self._rows_in("member_codes", field, ids):
            await self._drop("member_codes", row)

    async def link_identity(self, into_id: str, identity_id: str, now: datetime) -> MemberProfile:
        """Make `identity_id` one of profile `into_id`'s identities, moving what was
        recorded under it (see `SessionStore.link_identity`), under the members' lease."""
        now = ensure_utc(now)
        async with self._members_lease(now):
            into = await self.get_profile(into_id)
            if into is None:
                raise NotFound(f"No member profile {into_id}.")
            if identity_id in into.identities:
                return into
            own = await self.get_profile(identity_id)
            if own is not None and len(own.identities) > 1:
                raise InvalidState(f"{identity_id} is already linked to other accounts.")
            # records first, the identity last: a link cut off half-way (no transactions)
            # leaves the account unlinked, so linking again finishes it
            await self._move_records([identity_id], into.id, None, now)
            await self._move_feeds([identity_id], into.id)
            if own is not None:
                await self._drop_codes("member_id", [own.id])
                await self._drop_profile(own)
            linked = into.model_copy(
                update={"identities": [*into.identities, identity_id], "updated_at": now}
            )
            await self._write_profile(linked)
            return linked

    async def unlink_identity(self, profile_id: str, identity_id: str, now: datetime) -> None:
        """Take `identity_id` out of the profile into a profile of its own."""
        now = ensure_utc(now)
        async with self._members_lease(now):
            profile = await self.get_profile(profile_id)
            if profile is None or profile.id != profile_id or identity_id not in profile.identities:
                raise NotFound(f"{identity_id} is not linked to {profile_id}.")
            if identity_id == profile.id:
                raise InvalidState("A profile's own id cannot be unlinked from it.")
            await self._write_profile(without_identity(profile, identity_id, now))
            await self._write_profile(profile_for_unlinked(profile, identity_id, now))

    async def forget_member(self, profile_id: str, anonymous_id: str, now: datetime) -> int | None:
        """Delete the profile and its codes; move its records to `anonymous_id` under
        `FORGOTTEN_NAME`. How many RSVP and attendance rows were kept; None: no profile."""
        now = ensure_utc(now)
        async with self._members_lease(now):
            profile = await self.get_profile(profile_id)
            if profile is None:
                return None
            ids = profile.identities
            for row in await self._rows_in("deferred_deliveries", "recipient_id", ids):
                await self._drop("deferred_deliveries", row)
            # records first, the profile last: a forget cut off half-way (no transactions)
            # leaves the profile, so asking again finishes it
            await drop_promotions(self, ids)  # forget-me: their ranks go
            await self._move_records(ids, anonymous_id, FORGOTTEN_NAME, now)
            await self._drop_feeds(ids)  # a forgotten member's feed stops working
            await self._drop_codes("member_id", ids)
            await self._drop_codes("issued_by", ids)
            await self._drop_profile(profile)
            rsvps = await self._rows("rsvps", {"member_id": anonymous_id})
            stays = await self._rows("attendance_intervals", {"member_id": anonymous_id})
            return len({r["session_id"] for r in rsvps}) + len(stays)

    # member codes -------------------------------------------------------------------------
    async def add_member_code(self, code: MemberCode) -> None:
        """Store a one-time code (InvalidState when the code is taken)."""
        row = code_to_row(code) | {ADD_NONCE: secrets.token_hex(8)}
        if not await self._add_once("member_codes", "code", code.code, row):
            raise InvalidState(f"The code {code.code} is taken.")

    async def take_member_code(self, code: str, now: datetime) -> MemberCode | None:
        """Delete and return the code when unexpired at `now`: the one caller whose take
        row wins (insert-then-verify on the code and its add's nonce) gets it; expired codes
        are dropped."""
        stamp = instant(ensure_utc(now))
        found = await self._rows("member_codes", {"code": code})
        for row in found:
            if str(row["expires_at"]) <= stamp:
                await self._drop("member_codes", row)
        live = [r for r in found if str(r["expires_at"]) > stamp]
        if not live:
            return None
        row = live[0]
        take = f"{code}|{row.get(ADD_NONCE) or row['expires_at']}"  # imported rows: no nonce
        marker = {TAKE_KEY: take, "expires_at": row["expires_at"]}
        if not await self._add_once("member_code_takes", TAKE_KEY, take, marker):
            return None
        for left in live:
            await self._drop("member_codes", left)
        table = self._t("member_code_takes")
        expired, _ = await self.tables.query(table, {"expires_at": {"$lte": stamp}}, limit=20)
        for old in expired:  # a code past its expiry can't be taken: its take row may go
            await self._drop("member_code_takes", old)
        return row_to_code(row)

    # held deliveries ----------------------------------------------------------------------
    async def defer_deliveries(self, deferred: list[DeferredDelivery]) -> None:
        """Hold deliveries until their due_at; a key already held keeps its first due_at."""
        for session_id in sorted({d.key.session_id for d in deferred}):
            await self._require_session(session_id)
        for held in deferred:
            row = held_to_row(held)
            await self._add_once("deferred_deliveries", HELD_KEY, row[HELD_KEY], row)

    async def due_deferred(self, now: datetime, limit: int) -> list[DeferredDelivery]:
        """Held deliveries with due_at <= now, earliest first (ties by key), at most `limit`."""
        rows = await self._rows(
            "deferred_deliveries", {"due_at": {"$lte": instant(ensure_utc(now))}}
        )
        found = {str(r[HELD_KEY]): row_to_held(r) for r in reversed(rows)}
        due = sorted(found.values(), key=_held_order)
        return due[:limit]

    async def drop_deferred(self, keys: list[DeliveryKey]) -> None:
        """Forget these held deliveries."""
        wanted = [held_key(k) for k in dict.fromkeys(keys)]
        for row in await self._rows_in("deferred_deliveries", HELD_KEY, wanted):
            await self._drop("deferred_deliveries", row)

    async def _next_deferred_due(self) -> datetime | None:
        table = self._t("deferred_deliveries")
        if self.tables.dialect.sort_key:
            rows, _ = await self.tables.query(table, {}, limit=1, sort=[("due_at", 1)])
        else:
            rows = await self.tables.query_all(table, {})
        return min((parse_instant(str(r["due_at"])) for r in rows), default=None)


def _held_order(held: DeferredDelivery) -> tuple[Any, ...]:
    k = held.key
    return (held.due_at, k.session_id, k.recipient_id, k.kind.value, k.start_time)

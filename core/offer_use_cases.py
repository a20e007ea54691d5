"""The waitlist-offer use cases of `SessionService` (mixed into it: the one door stays one).

With offers on (`OfferRules.enabled`), a seat that frees (a member leaves or passes, the
capacity rises, an offer lapses) is held for the first waitlisted member until a deadline
and offered to them by DM (Claim / Pass); inside the last `open_from` before the start it is
offered to everyone waitlisted and the first claim wins. The store decides who holds and
who wins a seat (`offer_seats`, `claim_seat`, `lapse_offers`: conditional writes under the
session's lock), so two processes agree; every DM goes through `Notifier.dm_once` with a key
naming what it tells, so none is sent twice. Deadlines are kept by `core.offer_duty`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import count

from core.errors import InvalidInput, InvalidState
from core.i18n import t
from core.members import MemberProfile
from core.model import (
    Member,
    Rsvp,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
)
from core.notices import Notice
from core.notifier import Notifier
from core.offer_messages import (
    offer_lapsed,
    places_released,
    seat_offered,
    seat_open,
    waitlist_moved,
)
from core.offers import ClaimOutcome, OfferRules, SeatClaim, in_open_window, offer_deadline
from core.permissions import Action, require
from core.ports import SessionStore
from core.reminder_planner import ReminderPlanner
from core.rules import DURATION_RANGE

LAPSE_BATCH = 200
"""At most this many offers are lapsed per wake-up (the rest at the next, at once)."""
RESEND_BATCH = 200
"""At most this many sessions are looked at when re-sending offers never DMed."""
DM_KEEP = timedelta(days=1)
"""How long after what it tells a DM's once-key is kept (far past any retry)."""
MOST_NOTICE = timedelta(days=14)
"""The longest seat notice a member may ask for."""
_WAITING = (RsvpStatus.WAITLISTED, RsvpStatus.OFFERED)


MATERIAL_JUMP = 5
"""Moving up this many places at once is worth a DM wherever it lands."""


def material_move(old: int, new: int) -> bool:
    """Whether a move on the waitlist from place `old` to `new` (in one change) is worth a
    DM: reaching one of the first three places, or moving up five places or more at once."""
    return new < old and (new <= 3 or old - new >= MATERIAL_JUMP)


def offer_key(rsvp: Rsvp) -> str:
    """The once-key of the DM offering `rsvp`'s seat (one per offer and deadline)."""
    expires = rsvp.offer_expires_at.isoformat() if rsvp.offer_expires_at else "-"
    return f"offer:{rsvp.session_id}:{rsvp.member_id}:{expires}"


def lapse_trigger(rows: Iterable[Rsvp]) -> str:
    """Names the lapse of `rows` (one session's offers, lapsed together) in the once-keys of
    the open-window DMs it causes: a digest of their offer keys, so the key stays short
    however many lapsed (the stores' key column holds 200 characters) and is the same on a
    retry."""
    digest = hashlib.sha256(",".join(offer_key(r) for r in rows).encode()).hexdigest()
    return f"lapse:{digest[:24]}"


class OfferUseCases:
    """Claim, pass, seat notice, and offering freed seats (waitlist offers)."""

    _store: SessionStore
    _notifier: Notifier
    _reminder_planner: ReminderPlanner
    _offer_rules: OfferRules

    def now(self) -> datetime:
        raise NotImplementedError

    async def get(self, session_id: str) -> TrainingSession:
        raise NotImplementedError

    async def profile(self, actor: Member) -> MemberProfile:
        raise NotImplementedError

    async def unrsvp(self, actor: Member, session_id: str) -> RsvpChange:
        raise NotImplementedError

    async def _timing_changed(self) -> None:
        raise NotImplementedError

    async def _promote_waitlisted(self, session: TrainingSession, now: datetime) -> list[Rsvp]:
        raise NotImplementedError

    async def restricted_members(self, member_ids: list[str]) -> frozenset[str]:
        """Members the no-show policy restricts (offers skip them): `NoShowUseCases`,
        before this class among `SessionService`'s bases, answers."""
        return frozenset()

    # commands ---------------------------------------------------------------------------
    def offer_rules(self) -> OfferRules:
        """The association's waitlist-offer settings."""
        return self._offer_rules

    async def claim(self, actor: Member, session_id: str) -> SeatClaim:
        """Take the seat offered to the member (in the open window: a free seat, first claim
        wins). The store decides (one winner per seat, across processes); a refusal comes
        back as the claim's outcome. Taking a seat releases the member's waitlist places in
        sessions that overlap it."""
        require(actor, Action.RSVP)
        session = await self.get(session_id)
        now = self.now()
        if session.status is not SessionStatus.SCHEDULED or now >= session.start_time:
            raise InvalidState(
                t(
                    "“{title}” has started or is over: seats are no longer offered.",
                    title=session.title,
                )
            )
        rules = self._offer_rules
        open_to_all = rules.enabled and in_open_window(now, session.start_time, rules)
        result = await self._store.claim_seat(session.id, actor.id, now, open_to_all)
        if result.outcome is ClaimOutcome.CLAIMED and result.rsvp is not None:
            await self._reminder_planner.member_going(session, actor.id, now)
            await self._tell_moved(session, [result.rsvp], now)
            await self._release_overlapping(actor.id, session, now)
            await self._notifier.announce(session)
            await self._timing_changed()  # an open offer closed: the next lapse may be later
        return result

    async def pass_seat(self, actor: Member, session_id: str) -> RsvpChange:
        """Give the seat offered to the member to the next person: they leave the waitlist
        (the `unrsvp` path, which offers the seat on)."""
        session = await self.get(session_id)
        rows = await self._store.list_rsvps(session.id)
        mine = next((r for r in rows if r.member_id == actor.id), None)
        if mine is None or mine.status is not RsvpStatus.OFFERED:
            raise InvalidState(
                t("You have no seat offer in “{title}” to pass.", title=session.title),
                t("To leave the waitlist, type /unrsvp {id}.", id=session.id),
            )
        return await self.unrsvp(actor, session.id)

    async def set_seat_notice(self, actor: Member, notice: timedelta | None) -> MemberProfile:
        """Don't offer the member seats with less than `notice` before the start (None: any
        notice will do); kept in their profile's preferences."""
        if notice is not None and not timedelta(0) < notice <= MOST_NOTICE:
            raise InvalidInput(
                t("A seat notice is between 1 minute and 14 days."),
                t("Type e.g. /seat-notice 3h, or /seat-notice off."),
            )
        profile = await self.profile(actor)
        preferences = profile.preferences.model_copy(update={"seat_notice": notice})
        changed = profile.model_copy(update={"preferences": preferences, "updated_at": self.now()})
        await self._store.save_profile(changed)
        return changed

    # the clock's duty -------------------------------------------------------------------
    async def next_offer_lapse(self) -> datetime | None:
        """When the earliest open offer lapses (from the store)."""
        return await self._store.next_offer_lapse()

    async def lapse_due_offers(self, limit: int = LAPSE_BATCH) -> int:
        """Lapse the offers past their deadline (the store hands each to one caller), tell
        each member, and offer the freed seats on. How many lapsed."""
        now = self.now()
        lapsed = await self._store.lapse_offers(now, limit)
        if not lapsed:
            return 0
        sessions = {s.id: s for s in await self._store.get_sessions(_ids(lapsed))}
        for row in lapsed:
            session = sessions.get(row.session_id)
            if session is not None:
                key = f"lapsed:{offer_key(row)}"
                await self._dm_once(key, row.member_id, offer_lapsed(session), now, session)
        for session_id, rows in _by_session(lapsed).items():
            session = sessions.get(session_id)
            if session is None:
                continue
            if self._offer_rules.enabled:
                await self._offer_free_seats(session, now, lapse_trigger(rows), replan=False)
            else:  # offers switched off since this one was made: promoted, as without offers
                await self._promote_waitlisted(session, now)
            await self._tell_moved(session, rows, now)
            await self._notifier.announce(session)
        return len(lapsed)

    async def resend_offers(
        self, limit: int = RESEND_BATCH, since: datetime | None = None, seats: bool = False
    ) -> int:
        """Finish what a crash may have cut short, in every upcoming session (page by page
        of `limit`): DM every open offer made at or after `since` (None: all) whose DM was
        never sent (the once-key makes a DM already sent a no-op); with `seats`, also offer
        seats left free while members wait (a crash between a lapse or a leave and the
        offer that follows; the store holds each seat once: that reads every RSVP of the
        upcoming sessions, so the clock does it seldom). How many offers went out."""
        if not self._offer_rules.enabled:
            return 0
        now = self.now()
        done = 0
        for offset in count(0, limit):
            criteria = SessionFilter(
                status=[SessionStatus.SCHEDULED], starts_after=now, limit=limit, offset=offset
            )
            page = await self._store.list_sessions(criteria)
            done += await self._finish_offers(page, since, seats, now)
            if len(page) < limit:
                return done
        raise AssertionError("unreachable")  # pragma: no cover

    async def _finish_offers(
        self, sessions: list[TrainingSession], since: datetime | None, seats: bool, now: datetime
    ) -> int:
        """`resend_offers` for one page of sessions."""
        if not sessions:
            return 0
        ids = [s.id for s in sessions]
        rows = await self._store.list_rsvps_of_sessions(ids, None if seats else RsvpStatus.OFFERED)
        unsent = [
            r
            for r in rows
            if r.status is RsvpStatus.OFFERED
            and r.offer_expires_at is not None
            and r.offer_expires_at > now
            and (since is None or r.updated_at >= since)
        ]
        profiles = await self._store.get_profiles(_ids(unsent, member=True)) if unsent else {}
        by_session = _by_session(rows)
        done = 0
        for session in sessions:
            for row in (r for r in unsent if r.session_id == session.id):
                done += await self._send_offer(session, row, profiles, now)
            if (
                seats
                and _seat_left_free(session, by_session.get(session.id, []))
                and not in_open_window(now, session.start_time, self._offer_rules)
            ):
                done += len(await self._offer_free_seats(session, now, "finish", replan=False))
        return done

    # seats freeing ----------------------------------------------------------------------
    async def _leave_offering(
        self, session: TrainingSession, member_id: str, now: datetime
    ) -> RsvpChange:
        """`unrsvp` with offers on: the member leaves, nobody is promoted, the freed seat
        (theirs, or the one offered to them) is offered on, and those behind them told."""
        before = next(
            (r for r in await self._store.list_rsvps(session.id) if r.member_id == member_id), None
        )
        change = await self._store.rsvp_leave(session.id, member_id, now, promote=False)
        if change.changed:
            await self._offer_free_seats(session, now, f"left:{member_id}:{now.isoformat()}")
            if before is not None and before.status in _WAITING:
                await self._tell_moved(session, [before], now)
        return change

    async def _offers_after_update(
        self, before: TrainingSession, after: TrainingSession, now: datetime, moved: bool
    ) -> None:
        """Offers after a session changed: moved, or its capacity lowered, the open offers are
        withdrawn (back on the waitlist at their place) and made again with the new timing
        and seats; raised, the new seats are offered at once."""
        lowered = after.capacity is not None and (
            before.capacity is None or after.capacity < before.capacity
        )
        raised = after.capacity is None or (
            before.capacity is not None and after.capacity > before.capacity
        )
        withdrawn = await self._store.withdraw_offers(after.id, now) if moved or lowered else []
        if moved or raised or withdrawn:
            await self._offer_free_seats(after, now, f"update:{after.sequence}")
        if withdrawn:
            await self._timing_changed()

    async def _offers_canceled(self, session: TrainingSession, now: datetime) -> None:
        """The session was canceled: its open offers are withdrawn (the cancel notice
        reaches the whole waitlist)."""
        if self._offer_rules.enabled:
            await self._store.withdraw_offers(session.id, now)

    async def _offer_free_seats(
        self,
        session: TrainingSession,
        now: datetime,
        trigger: str,
        only: str | None = None,
        replan: bool = True,
    ) -> list[Rsvp]:
        """Offer the session's free seats: held for the first waitlisted members (their
        notice allowing) until a deadline; inside the open window, every waitlisted member
        (or `only` that one) is told a seat is free, none held. `trigger` names what freed
        the seat (the once-key of the open-window DMs). Offers stop at the start. A new
        deadline re-plans the alarm (`replan`; the clock's own duty leaves it to the
        wake-up, which plans the next one when it is done)."""
        rules = self._offer_rules
        if not rules.enabled or session.status is not SessionStatus.SCHEDULED:
            return []
        if now >= session.start_time:
            return []
        rows = await self._store.list_rsvps(session.id)
        waiting = [r for r in rows if r.status is RsvpStatus.WAITLISTED]
        held = sum(1 for r in rows if r.status in (RsvpStatus.GOING, RsvpStatus.OFFERED))
        if not waiting or (session.capacity is not None and held >= session.capacity):
            return []
        profiles = await self._store.get_profiles([r.member_id for r in waiting])
        skip = frozenset(
            r.member_id for r in waiting if _too_short(profiles.get(r.member_id), session, now)
        ) | await self.restricted_members([r.member_id for r in waiting])  # no-show policy
        deadline = offer_deadline(now, session.start_time, rules)
        if deadline is None:
            for row in waiting:
                if row.member_id in skip or (only is not None and row.member_id != only):
                    continue
                key = f"open:{session.id}:{row.member_id}:{trigger}"
                await self._dm_once(key, row.member_id, seat_open(session), now, session)
            return []
        offered = await self._store.offer_seats(session.id, now, deadline, skip)
        for row in offered:
            await self._send_offer(session, row, profiles, now)
        if offered:
            await self._notifier.announce(session)
            if replan:
                await self._timing_changed()
        return offered

    async def _send_offer(
        self,
        session: TrainingSession,
        row: Rsvp,
        profiles: dict[str, MemberProfile],
        now: datetime,
    ) -> int:
        """DM the offer of `row`'s seat once (its key names the offer and its deadline)."""
        if row.offer_expires_at is None:
            return 0
        profile = profiles.get(row.member_id)
        tz = (profile.timezone if profile is not None else None) or "UTC"
        notice = seat_offered(session, row.offer_expires_at, tz)
        keep = max(row.offer_expires_at - now, timedelta(0)) + DM_KEEP
        sent = await self._notifier.dm_once(offer_key(row), row.member_id, notice, now, keep)
        return int(sent)

    async def _tell_moved(
        self, session: TrainingSession, departed: list[Rsvp], now: datetime
    ) -> None:
        """Tell the waitlisted members behind those who `departed` the waitlist (left, took
        a seat, lapsed) when their place changed materially (`material_move`), once per
        place."""
        if not self._offer_rules.enabled or not departed:
            return
        rows = await self._store.list_rsvps(session.id)
        waiting = sorted((r for r in rows if r.status in _WAITING), key=lambda r: r.position)
        for place, row in enumerate(waiting, start=1):
            ahead = sum(
                1 for d in departed if d.position < row.position and d.member_id != row.member_id
            )
            if row.status is not RsvpStatus.WAITLISTED or not material_move(place + ahead, place):
                continue
            key = f"waitlist:{session.id}:{row.member_id}:{row.position}:{place}"
            await self._dm_once(key, row.member_id, waitlist_moved(session, place), now, session)

    async def _release_overlapping(
        self, member_id: str, session: TrainingSession, now: datetime
    ) -> None:
        """The member took a seat in `session`: leave their waitlist places (waiting or
        offered) in open sessions overlapping it, offering those seats on; told once."""
        longest = timedelta(minutes=DURATION_RANGE[1])
        criteria = SessionFilter(
            status=[SessionStatus.SCHEDULED],
            starts_after=session.start_time - longest,
            starts_before=session.end_time,
            limit=1000,
        )
        others = {
            s.id: s
            for s in await self._store.list_sessions(criteria)
            if s.id != session.id and s.end_time > session.start_time
        }
        if not others:
            return
        rows = await self._store.list_rsvps_of_sessions(list(others))
        mine = [r for r in rows if r.member_id == member_id and r.status in _WAITING]
        released: list[TrainingSession] = []
        for row in mine:
            other = others[row.session_id]
            change = await self._store.rsvp_leave(other.id, member_id, now, promote=False)
            if not change.changed:
                continue
            released.append(other)
            await self._offer_free_seats(other, now, f"left:{member_id}:{now.isoformat()}")
            await self._tell_moved(other, [row], now)
            await self._notifier.announce(other)
        if released:
            notice = places_released(session, [s.title for s in released])
            key = f"released:{session.id}:{member_id}:{now.isoformat()}"
            await self._dm_once(key, member_id, notice, now, session)

    async def _dm_once(
        self, key: str, member_id: str, notice: Notice, now: datetime, session: TrainingSession
    ) -> bool:
        """DM once per key, the key kept until a day after the session's start."""
        keep = max(session.start_time - now, timedelta(0)) + DM_KEEP
        return await self._notifier.dm_once(key, member_id, notice, now, keep)


def _too_short(profile: MemberProfile | None, session: TrainingSession, now: datetime) -> bool:
    """Whether the member asked for more notice than is left before the start."""
    notice = profile.preferences.seat_notice if profile is not None else None
    return notice is not None and notice > session.start_time - now


def _seat_left_free(session: TrainingSession, rows: list[Rsvp]) -> bool:
    """A seat neither taken nor held while someone waits for one."""
    if session.capacity is None:
        return False
    held = sum(1 for r in rows if r.status in (RsvpStatus.GOING, RsvpStatus.OFFERED))
    return held < session.capacity and any(r.status is RsvpStatus.WAITLISTED for r in rows)


def _ids(rows: Iterable[Rsvp], member: bool = False) -> list[str]:
    """The distinct session ids (or member ids) of `rows`, in order."""
    return list(dict.fromkeys(r.member_id if member else r.session_id for r in rows))


def _by_session(rows: Iterable[Rsvp]) -> dict[str, list[Rsvp]]:
    grouped: dict[str, list[Rsvp]] = {}
    for row in rows:
        grouped.setdefault(row.session_id, []).append(row)
    return grouped

"""Ports: what the core needs from the outside world, as small protocols.

Adapters implement them (`SqlSessionStore`, `JitsiRooms`, …); `core.testing` ships in-memory
fakes that pass the same contract suites.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from core.announcement_copy import AnnouncementCopy
from core.audit import AuditEntry, AuditQuery
from core.export_file import ExportFile
from core.ledger_summary import LedgerSummary
from core.members import Addressee, MemberCode, MemberProfile
from core.min_attendance import MinDecision, MinState
from core.model import (
    AttendanceInterval,
    DeferredDelivery,
    DeliveryKey,
    Event,
    Member,
    Origin,
    Reminder,
    ReminderKind,
    RoomLink,
    Rsvp,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
)
from core.notices import Notice
from core.offers import SeatClaim
from core.page_pass import PageKind, PageLink
from core.ranks import Promotion
from core.seat_marks import SeatMark
from core.series import Series, SeriesSkip, SeriesStatus, StandingRsvp
from core.substitutes import SubstituteRequest, SubstituteStatus
from core.training_ledger import LedgerEntry, LedgerQuery
from core.views import AnnouncementView

RELEASED_CLAIM = datetime(1970, 1, 1, tzinfo=UTC)
"""The claim time a released delivery claim is given: older than any lease."""


@dataclass(frozen=True)
class DeliveryClaim:
    """What `SessionStore.record_and_claim` claimed (in the order asked), and which of those
    were claimed before by an attempt that never recorded them sent (a crash, a failed
    send, a hand-back): the message may have reached the platform."""

    claimed: list[DeliveryKey] = field(default_factory=list)
    reclaimed: list[DeliveryKey] = field(default_factory=list)


class SessionStore(Protocol):
    """Durable storage of sessions, events, RSVPs, attendance, reminders and deliveries.

    Every method is atomic on its own. Datetimes go in and come out as aware UTC.
    """

    # sessions -------------------------------------------------------------------------
    async def add_session(self, session: TrainingSession) -> None:
        """Insert a new session (its id must be unused)."""

    async def get_session(self, session_id: str) -> TrainingSession | None:
        """The session with this id, or None."""

    async def get_sessions(self, session_ids: list[str]) -> list[TrainingSession]:
        """The sessions with these ids that exist (any order)."""

    async def save_session(self, session: TrainingSession) -> None:
        """Overwrite an existing session with this state (NotFound if it does not exist)."""

    async def transition_session(self, session: TrainingSession, expected: SessionStatus) -> bool:
        """Overwrite the session only if its stored status is still `expected` (compare and
        set, atomic across processes): True for the one caller that made the change.

        NotFound if it does not exist.
        """

    async def save_within_capacity(self, session: TrainingSession) -> int | None:
        """Overwrite the session unless more members are going than its new capacity.

        Decided under the same lock as the RSVPs of the session, so no RSVP slips in between.
        None when saved; otherwise how many are going (nothing saved). NotFound if missing.
        """

    async def list_sessions(self, criteria: SessionFilter) -> list[TrainingSession]:
        """Sessions matching `criteria`, ordered by start_time (then id), paged."""

    async def count_sessions(self, criteria: SessionFilter) -> int:
        """How many sessions match `criteria`, ignoring limit and offset."""

    async def session_ends(self, criteria: SessionFilter) -> list[datetime]:
        """The scheduled end (`TrainingSession.end_time`) of each session `list_sessions`
        would return for `criteria`, in its order: what the clock needs of them, without
        reading them whole."""

    # events ---------------------------------------------------------------------------
    async def add_event(self, event: Event) -> None:
        """Insert a new event."""

    async def get_event(self, event_id: str) -> Event | None:
        """The event with this id, or None."""

    async def list_events(self) -> list[Event]:
        """All events ordered by created_at."""

    # RSVPs ----------------------------------------------------------------------------
    async def rsvp_going(
        self,
        session_id: str,
        member_id: str,
        member_name: str,
        now: datetime,
        waitlist_only: bool = False,
        passed_over: frozenset[str] = frozenset(),
    ) -> RsvpChange:
        """Atomically mark the member going if a seat is free, else waitlisted at the end
        (always waitlisted with `waitlist_only`: a member restricted by the no-show policy;
        waitlisted members in `passed_over`, restricted ones, don't keep a free seat from
        them).

        The seat decision reads the session's capacity inside the same locked transaction.
        A member already going or waitlisted keeps their row (`changed` False). A member who
        had left re-enters at the back of the queue.
        """

    async def rsvp_leave(
        self, session_id: str, member_id: str, now: datetime, promote: bool = True
    ) -> RsvpChange:
        """Atomically mark the member left; if that frees a seat (the session's capacity read
        under the same lock), promote the first waitlisted.

        A GOING or OFFERED member's seat frees. With `promote` False (waitlist offers on)
        nobody is promoted: the caller offers the seat (`offer_seats`).
        `rsvp` is None when the member had no active RSVP (`changed` False).
        """

    async def promote_waitlisted(self, session_id: str, now: datetime) -> list[Rsvp]:
        """Atomically move waitlisted members to going, in order, while seats are free under
        the session's capacity read inside the lock.

        Used after the capacity was raised; returns the promoted RSVPs.
        """

    async def list_rsvps(self, session_id: str, status: RsvpStatus | None = None) -> list[Rsvp]:
        """RSVPs of a session in arrival order (position), optionally of one status."""

    async def list_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus | None = None
    ) -> list[Rsvp]:
        """RSVPs of several sessions at once, by session then position."""

    async def count_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, int]:
        """How many RSVPs of `status` each of these sessions has, counted by the store
        (sessions with none are left out)."""

    async def members_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, list[str]]:
        """The member ids with an RSVP of `status` in each of these sessions, in position
        order (`list_rsvps_of_sessions`' ids only, without reading the RSVPs whole; sessions
        with none are left out)."""

    async def count_going(self, session_id: str) -> int:
        """How many members are going."""

    # waitlist offers (core/offers.py, core/rsvp_policy.py) -----------------------------
    async def offer_seats(
        self, session_id: str, now: datetime, expires_at: datetime, skip: frozenset[str]
    ) -> list[Rsvp]:
        """Under the session's lock, hold each free seat (capacity − going − offered) for
        the first WAITLISTED members by position whose id is not in `skip`: they become
        OFFERED with `offer_expires_at=expires_at`, `updated_at=now`
        (`rsvp_policy.offers`). Returns the rows now OFFERED (empty when no seat is free or
        nobody is eligible). Two concurrent callers never hold one seat twice."""

    async def claim_seat(
        self, session_id: str, member_id: str, now: datetime, open_to_all: bool
    ) -> SeatClaim:
        """Under the session's lock (`rsvp_policy.claim`): the member's OFFERED row whose
        `offer_expires_at` > now becomes GOING (CLAIMED); with `open_to_all`, a WAITLISTED
        (or OFFERED) member becomes GOING while going + offered < capacity (else TAKEN).
        Otherwise refused with the reason (ALREADY_GOING, NOT_YOUR_TURN, EXPIRED,
        NOT_WAITING) and nothing written. Exactly one winner per seat across processes."""

    async def lapse_offers(self, now: datetime, limit: int) -> list[Rsvp]:
        """Every OFFERED row (any session) with `offer_expires_at` <= now, at most `limit`
        (earliest first), becomes LEFT (`offer_expires_at` kept for the record,
        `updated_at=now`). Returns the rows it changed; a conditional update, so each row is
        returned by exactly one caller across processes."""

    async def withdraw_offers(self, session_id: str, now: datetime) -> list[Rsvp]:
        """The session's OFFERED rows go back to WAITLISTED (same position,
        `offer_expires_at` None, `updated_at=now`), atomically; returns them (the session
        was moved or canceled)."""

    async def next_offer_lapse(self) -> datetime | None:
        """The earliest `offer_expires_at` among OFFERED rows (None: no offer open)."""

    # attendance -----------------------------------------------------------------------
    async def record_join(
        self, session_id: str, member_id: str, member_name: str, at: datetime
    ) -> None:
        """Open an attendance interval for the member at `at`.

        Idempotent, also across processes: a second join of the member at the same `at`
        (a redelivered webhook) opens nothing.
        """

    async def record_leave(self, session_id: str, member_id: str, at: datetime) -> None:
        """Close the member's latest open interval at `at` (no-op when none is open)."""

    async def list_attendance(self, session_id: str) -> list[AttendanceInterval]:
        """All attendance intervals of a session ordered by joined_at."""

    # reminders ------------------------------------------------------------------------
    async def replace_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Drop the session's unfinished reminders and store these instead."""

    async def add_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Store those of `reminders` whose kind the session holds no reminder of for the
        same start time (finished or not); one of that kind for another start is replaced;
        every other row is left alone. Reminders for another start than the session's
        current one are ignored (a move re-plans with `replace_reminders`). Atomic, also
        across processes: concurrent adds of different kinds all stay, of one kind one does.
        """

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Unfinished reminders with due_at <= now, earliest first."""

    async def next_reminder_due(self) -> datetime | None:
        """The earliest due_at among unfinished reminders and held (deferred) deliveries."""

    async def finish_reminders(self, reminders: list[Reminder], at: datetime) -> None:
        """Mark reminders done (sent, or skipped as no longer useful), in one transaction."""

    async def postpone_reminder(
        self,
        session_id: str,
        kind: ReminderKind,
        due_at: datetime,
        start_time: datetime | None = None,
    ) -> None:
        """Move an unfinished reminder's due_at (retry after a failed delivery); with
        `start_time`, only while the stored reminder is still for that start."""

    # deliveries ---------------------------------------------------------------------
    async def claim_deliveries(
        self, keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> list[DeliveryKey]:
        """Claim, in one transaction, the right to send each delivery; return those claimed.

        A key is claimed when no record exists yet (one is created, claimed at `now`), or
        when an earlier claim was never marked sent and was made `lease` or longer ago (a
        crash between claim and send). Not claimed: already sent, or a fresh claim. Unique per
        session × recipient × kind, even across processes. Order of `keys` is kept.
        """

    async def mark_deliveries_sent(self, keys: list[DeliveryKey], at: datetime) -> None:
        """Record, in one transaction, that these claimed deliveries went out."""

    async def record_and_claim(
        self, sent: list[DeliveryKey], keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> DeliveryClaim:
        """In one transaction: record `sent` as sent at `now` (`mark_deliveries_sent`: the
        group just sent), then claim `keys` (`claim_deliveries`: the next group). Returns
        the claimed keys and which of them were claimed before without being recorded
        sent (`reclaimed_deliveries`). NotFound (nothing written) if a session is missing.

        One transaction where two followed each other: what a crash can leave claimed and
        unsent stays one group (either the group sent, or the group just claimed)."""

    async def delivery_sent(self, key: DeliveryKey) -> bool:
        """Whether that delivery is recorded as sent."""

    async def reclaimed_deliveries(self, keys: list[DeliveryKey]) -> list[DeliveryKey]:
        """Those of `keys` claimed more than once and not recorded sent (order kept).

        Asked right after `claim_deliveries` on the keys it returned (`record_and_claim`
        tells it itself): a key listed here was claimed before by an attempt that never
        recorded it sent (a crash, a failed send), so the message may or may not have
        reached the platform.
        """

    async def release_deliveries(self, keys: list[DeliveryKey], claimed_at: datetime) -> None:
        """Give back the claims on `keys` made at `claimed_at` and not recorded sent (a
        process stopping with sends it could not finish), in one transaction.

        A released key is claimable at once by anyone (`claim_deliveries`, whatever the
        lease), and its claim still counts: the next claimer finds it in
        `reclaimed_deliveries`, since the message may have reached the platform. A claim
        made at another time (taken over after the lease) or a sent key is left alone.
        """

    async def defer_deliveries(self, deferred: list[DeferredDelivery]) -> None:
        """Hold deliveries back until their `due_at`; a key already held keeps its first
        `due_at` (idempotent across processes)."""

    async def due_deferred(self, now: datetime, limit: int) -> list[DeferredDelivery]:
        """Held deliveries due at `now` (due_at <= now), earliest first, at most `limit`."""

    async def drop_deferred(self, keys: list[DeliveryKey]) -> None:
        """Forget held deliveries (sent, or no longer useful)."""

    # weekly series ----------------------------------------------------------------------
    async def add_series(self, series: Series) -> None:
        """Insert a new series (InvalidState when the id is taken)."""

    async def get_series(self, series_id: str) -> Series | None:
        """The series with this id, or None."""

    async def save_series(self, series: Series, expected_sequence: int) -> bool:
        """Overwrite the series only if its stored `sequence` is still `expected_sequence`
        (False: someone changed it meanwhile). `materialised_until` is kept as stored.
        Callers set `updated_at` to their clock's now (stores that lease use it as now)."""

    async def list_series(self, status: SeriesStatus | None = None) -> list[Series]:
        """Every series (with `status`, when given), oldest first."""

    async def mark_materialised(self, series_id: str, until: datetime, now: datetime) -> None:
        """Record that every occurrence up to `until` exists (never moves it back); `now`
        is the caller's clock (for stores that take a lease to write)."""

    async def add_standing_rsvp(self, rsvp: StandingRsvp) -> bool:
        """Add a member's standing RSVP; False when they already have one. `created_at`
        is the caller's now."""

    async def remove_standing_rsvp(self, series_id: str, member_id: str) -> bool:
        """Drop it; False when there was none."""

    async def list_standing_rsvps(self, series_id: str) -> list[StandingRsvp]:
        """The series' standing RSVPs in the order they were made."""

    async def add_series_skip(self, skip: SeriesSkip) -> bool:
        """Record a skipped day; False when that day was already skipped."""

    async def list_series_skips(self, series_id: str) -> list[SeriesSkip]:
        """The series' skipped days, earliest first."""

    # member profiles --------------------------------------------------------------------
    async def get_profile(self, member_id: str) -> MemberProfile | None:
        """The profile that has `member_id` as its id or as one of its identities, or None."""

    async def get_profiles(self, member_ids: list[str]) -> dict[str, MemberProfile]:
        """The profiles of many ids at once (reminders), keyed by the id asked; ids with no
        profile are absent."""

    async def get_addressees(self, member_ids: list[str]) -> dict[str, Addressee]:
        """What reaching each of many ids needs (`Addressee`: where DMs go, language, zone,
        reminder choices), keyed by the id asked; ids without a profile are absent. The
        reminder dispatch's read: only those columns."""

    async def save_profile(self, profile: MemberProfile) -> None:
        """Insert or overwrite the profile with this id; its identities are added to those
        it holds (only linking, unlinking and forgetting take one away, so a save made from
        a read before a link never undoes it). InvalidState when one of its identities
        already belongs to another profile (nobody takes over someone else's account by
        saving)."""

    async def link_identity(self, into_id: str, identity_id: str, now: datetime) -> MemberProfile:
        """Make `identity_id` one of profile `into_id`'s identities, in one transaction:
        the identity's own profile (if any) goes, and everything recorded under it (RSVPs,
        attendance, standing RSVPs, deliveries, sessions and classes it instructs) moves to
        `into_id`. Where both ids have a row for the same thing, one survives: per session
        the better RSVP (going > waitlisted > left; the earlier on a tie), per class one
        standing RSVP, per delivery key the sent (else the claimed) one; attendance stays
        are all kept. Names in moved rows stay. NotFound when `into_id` has no profile;
        InvalidState when the identity already belongs to a profile with other identities."""

    async def unlink_identity(self, profile_id: str, identity_id: str, now: datetime) -> None:
        """Take `identity_id` (not the profile's own id) out of the profile; it gets a
        profile of its own (same name, zone and language). What was recorded stays with
        `profile_id`. NotFound when the profile does not hold that identity."""

    async def forget_member(self, profile_id: str, anonymous_id: str, now: datetime) -> int | None:
        """Delete the profile and its member codes, and move everything recorded under any of
        its identities to `anonymous_id` with `FORGOTTEN_NAME` as the name (counts stay,
        the person goes), in one transaction. Returns how many rows were kept anonymously
        (RSVPs + attendance stays); None when there was no such profile."""

    async def add_member_code(self, code: MemberCode) -> None:
        """Store a one-time code (InvalidState when the code is taken)."""

    async def take_member_code(self, code: str, now: datetime) -> MemberCode | None:
        """Delete and return the code if it exists and has not expired at `now`; None
        otherwise. Exactly one caller gets it, across processes."""

    # announcement copies (channels linked across platforms) -----------------------------
    async def add_announcement_copy(self, copy: AnnouncementCopy) -> bool:
        """Record a session's card in a linked channel: True the first time, False when the
        session already has a copy on that platform and channel (unique, across processes).
        NotFound when the session does not exist."""

    async def save_announcement_copy(self, copy: AnnouncementCopy) -> None:
        """Replace the message ref of the recorded copy (its card was posted anew); nothing
        when no such copy is recorded."""

    async def list_announcement_copies(self, session_id: str) -> list[AnnouncementCopy]:
        """The session's copies, by platform then channel."""

    # substitute instructors (core/substitutes.py) ---------------------------------------
    async def open_substitute_request(self, request: SubstituteRequest) -> bool:
        """Store the session's new OPEN request: True when stored; False (nothing written)
        when the session already has an OPEN one. A closed earlier one is replaced. Once
        per session across processes. NotFound when the session does not exist."""

    async def get_substitute_request(self, session_id: str) -> SubstituteRequest | None:
        """The session's latest substitute request, or None."""

    async def update_substitute_request(
        self,
        request: SubstituteRequest,
        expected: SubstituteStatus,
        expected_widened: bool | None = None,
    ) -> bool:
        """Overwrite the session's request with `request` only if its stored status is still
        `expected` (and, when given, `widened` still `expected_widened`): compare and set,
        atomic across processes, so exactly one of two accepts wins."""

    async def due_substitute_requests(self, now: datetime, limit: int) -> list[SubstituteRequest]:
        """OPEN requests with `due_at` <= now, earliest first, at most `limit`."""

    async def next_substitute_due(self) -> datetime | None:
        """The earliest `due_at` among OPEN requests (an indexed query; None: none open)."""

    async def recent_instructors(self, since: datetime) -> dict[str, str]:
        """Instructor id → name (of their latest such session) of every session starting at
        or after `since`, any status."""

    # minimum attendance (core/min_attendance.py) ----------------------------------------
    async def save_min_decision(self, decision: MinDecision) -> None:
        """Store the session's decision, replacing the one it had (planned anew: the
        session moved, or its minimum changed). NotFound when the session does not exist."""

    async def get_min_decision(self, session_id: str) -> MinDecision | None:
        """The session's decision, or None."""

    async def update_min_decision(self, decision: MinDecision, expected: MinState) -> bool:
        """Overwrite the session's decision with `decision` only if the stored one is still
        in state `expected` and for the same `start_time` (compare and set, atomic across
        processes): exactly one of two deciders (a Keep click, the clock applying the
        default, two clocks) wins."""

    async def due_min_decisions(self, now: datetime, limit: int) -> list[MinDecision]:
        """Decisions with `due_at` <= now, earliest first (then by session), at most
        `limit`."""

    async def next_min_decision_due(self) -> datetime | None:
        """The earliest `due_at` of any decision (an indexed query; None: nothing due)."""

    # video-provider webhooks ------------------------------------------------------------
    async def find_session_by_room(self, room_id: str) -> TrainingSession | None:
        """The session whose room has this provider id (archived ones too), or None."""

    async def webhook_seen(self, delivery_id: str) -> bool:
        """Whether a webhook delivery with this id was remembered."""

    async def remember_webhook(self, delivery_id: str, at: datetime) -> bool:
        """Remember a processed delivery; True the first time, False when already known."""

    # no-show marks (core/no_show_policy.py) -------------------------------------------
    async def add_seat_mark(self, mark: SeatMark) -> bool:
        """Insert the mark unless one for its session × member × kind exists: True for the
        one caller that wrote it (a unique key, across processes); nothing is overwritten."""

    async def list_seat_marks(self, member_ids: list[str], since: datetime) -> list[SeatMark]:
        """The marks of these members recorded at or after `since`, oldest first (then by
        session id and kind)."""

    async def list_session_marks(self, session_id: str) -> list[SeatMark]:
        """Every mark of one session, by member id then kind."""

    async def waive_seat_marks(
        self, session_id: str, member_id: str, by: str, at: datetime, since: datetime
    ) -> list[SeatMark]:
        """Waive (`waived_by`, `waived_at`) the member's unwaived no-show and late-cancel
        marks of the session recorded at or after `since`; returns the marks it changed
        (a conditional update: each is returned to exactly one caller, across processes)."""

    async def appeal_seat_marks(
        self, session_id: str, member_id: str, at: datetime
    ) -> list[SeatMark]:
        """Set `appealed_at` on the member's unwaived, unappealed no-show and late-cancel
        marks of the session; returns the marks it changed (once, across processes)."""

    async def drop_seat_marks(self, before: datetime) -> int:
        """Delete the marks recorded before `before` (retention); how many went."""

    async def drop_member_marks(self, member_ids: list[str]) -> int:
        """Delete every mark of these members (forget-me); how many went."""

    # training ledger (core/training_ledger.py) -----------------------------------------
    async def save_ledger(self, entries: list[LedgerEntry]) -> None:
        """Store these entries (one per session × member), in one transaction. An entry that
        exists is refreshed (minutes, name, session copy) but keeps its stored verdict
        (`verdict`, `verdict_by`, `verdict_at`) and the `attended` that verdict decided:
        recording a session's ledger twice (a redelivered end, two processes) changes
        nothing a person decided."""

    async def set_verdict(self, entry: LedgerEntry) -> LedgerEntry | None:
        """Store `entry` (its verdict fields set) for its session × member, creating it when
        missing; an entry that exists takes only the verdict fields and the `attended` they
        decide, keeping its recorded minutes (`core.training_ledger.verdict_over`). Returns
        the entry it replaced (None: there was none). Atomic across processes: two verdicts
        at once leave one of them whole."""

    async def get_ledger_entry(self, session_id: str, member_id: str) -> LedgerEntry | None:
        """The member's entry for the session, or None."""

    def read_ledger(self, query: LedgerQuery, batch: int = 1000) -> AsyncIterator[LedgerEntry]:
        """Every entry matching `query`, in its order, streamed in batches of `batch` with
        bounded memory (an export of a year reads as fast as it writes)."""

    # training pages: the overview's one aggregated ledger read (core.ledger_summary) ------
    async def ledger_summary(
        self, bounds: list[datetime], busiest: int, series_id: str | None = None
    ) -> LedgerSummary:
        """Per week of `bounds` (week i: [bounds[i], bounds[i+1]) on `starts_at`) the
        distinct sessions with an entry and the distinct members who attended; the `busiest`
        classes by attended entries (a weekly class by id, else by title; most first, ties
        by that key; each under its smallest title); with `series_id`, only that class's
        entries count, and `sessions` holds each session's attended and no-presence
        entries. Must equal `core.ledger_summary.summarize` over the same entries."""

    # promotions (core/ranks.py) ---------------------------------------------------------
    async def save_promotion(self, promotion: Promotion) -> Promotion | None:
        """Store the promotion (by id), replacing the one with its id; returns the replaced
        one (None: it is new)."""

    async def list_promotions(self, member_ids: list[str]) -> list[Promotion]:
        """The promotions of these members, by `promoted_on` then `recorded_at`."""

    async def delete_promotion(self, promotion_id: str) -> Promotion | None:
        """Remove one promotion (an admin's correction); returns it (None: unknown)."""

    # audit log (core/audit.py) ----------------------------------------------------------
    async def append_audit(self, entry: AuditEntry) -> None:
        """Add an entry; entries are never changed afterwards (append-only: SQL stores
        refuse UPDATE on the table)."""

    async def list_audit(self, query: AuditQuery) -> list[AuditEntry]:
        """One page of entries matching `query`, newest first (`at`, then `id`, descending);
        none when `before_id` names no stored entry (unknown, or dropped by the retention
        together with every older one): a page never starts over from the newest."""

    async def drop_audit(self, before: datetime) -> int:
        """Delete entries recorded before `before` (retention); how many went."""

    # personal calendar feeds (core/calendar_feed.py) ---------------------------------
    async def save_feed_token(self, member_id: str, token_hash: str, at: datetime) -> None:
        """Make `token_hash` the member's one feed (created `at`), replacing the one they had
        (its hash stops matching at once); atomic across processes: of two saves at once,
        one feed stays. Hashes are unique (InvalidState when another member holds it)."""

    async def member_of_feed(self, token_hash: str) -> str | None:
        """The member id whose feed has this hash, or None (unknown or revoked)."""

    async def drop_feed_token(self, member_id: str) -> bool:
        """Revoke the member's feed; False when they had none."""

    async def member_session_ids(self, member_id: str, since: datetime, limit: int) -> list[str]:
        """Ids of the sessions starting at or after `since` (any status, archived too) in
        which the member holds an active RSVP (going, waitlisted or offered), soonest first
        (then by id), at most `limit`: what their calendar feed lists besides the sessions
        they instruct. An indexed read by member."""

    # once across processes --------------------------------------------------------------
    async def claim_once(self, key: str, now: datetime, ttl: timedelta) -> bool:
        """Claim `key` until `now + ttl`: True for the one caller that claimed it (atomic,
        across processes); False while an earlier claim has not expired.

        An expired claim may be claimed again; expired keys are pruned.
        """

    async def release_once(self, key: str) -> None:
        """Drop a claim of `key` at once (its holder failed; a retry may claim it)."""

    async def close(self) -> None:
        """Release connections; idempotent, called once when the app exits."""


@dataclass(frozen=True)
class StoreRecord:
    """One row of a store export: its logical table (the SQL schema's table name) and its
    columns as JSON values (instants as ISO-8601 UTC strings). `line`: where it was read
    from (0: not from a file), named in error messages."""

    table: str
    row: dict[str, Any] = field(default_factory=dict)
    line: int = 0


class ImportRefused(Exception):
    """An import refused: the target holds data, or a record is wrong (the message names
    its line and what is wrong). Nothing was written where the store has transactions."""


class StoreDump(Protocol):
    """A whole store as a stream of records, and back (`dojobot export` / `import`)."""

    transactional: bool
    """Whether `import_records` writes all or nothing (else a refused record may leave the
    rows before it written: check the whole file first)."""

    async def count_records(self) -> int:
        """How many records `export_records` would yield now (for a progress bar)."""

    def export_records(self) -> AsyncIterator[StoreRecord]:
        """Every row of every table, parents before children, each table in key order,
        streamed with bounded memory."""

    async def import_records(self, records: AsyncIterable[StoreRecord]) -> int:
        """Check and store every record into this empty store; how many were stored.

        ImportRefused when the store is not empty or a record is wrong.
        """


class VideoRooms(Protocol):
    """Video rooms of one provider (Jitsi, RealtimeKit, …)."""

    provider: str
    can_record: bool
    """Whether dojobot can record this provider's rooms (a session asking for it is
    scheduled without recording where it cannot)."""

    async def create_room(self, session: TrainingSession) -> str:
        """Create the session's room and return its room id (RoomUnavailable on failure)."""

    async def join_url(
        self, session: TrainingSession, member: Member, is_host: bool, now: datetime
    ) -> RoomLink:
        """That member's personal link into the room and when it stops working."""

    async def delete_room(self, room_id: str) -> None:
        """Close the room for good; deleting an unknown or deleted room is not an error."""

    async def withdraw_host(self, session: TrainingSession, member_id: str) -> None:
        """The member is no longer the session's host (a substitute took over): whatever
        host access the provider gave them stops working; their next `join_url` is a
        participant's. Nothing to withdraw (never joined, no room) is not an error."""

    async def end_room(self, room_id: str) -> None:
        """Stop joins once the session ended (no-op where empty rooms close by themselves).

        Ending an unknown or already ended room is not an error; `delete_room` still follows.
        """

    async def start_recording(self, room_id: str) -> None:
        """Start recording the room's live call (RoomUnavailable where it cannot record)."""

    async def stop_recording(self, room_id: str) -> None:
        """Stop the room's running recording (InvalidState when none is running)."""

    async def close(self) -> None:
        """Release what the provider holds (HTTP clients); idempotent, called once at exit."""


class ChatDelivery(Protocol):
    """Sends what the core has to say into a chat platform."""

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        """Direct-message one member (DeliveryRefused when the platform refuses; RateLimited
        when it keeps answering "slow down"). A `notice.delivery_marker` travels with the
        message, where `already_delivered` can find it."""

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        """Whether a DM carrying `marker` (see `send_dm`) is among the member's recent DMs,
        asked of the platform itself."""

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        """Post a notice in the session's channel."""

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        """Post the session's announcement, or edit it in place when `origin.message_ref` is set.

        `view` holds everything the announcement shows (session, seat counts, event).

        Returns the message reference to keep (None when the platform has none).
        """

    async def send_file(self, member_id: str, file: ExportFile) -> None:
        """Hand `file` privately to one member (an export): a DM with the file attached on
        Slack and Discord, a file under the data directory on the terminal (its path
        printed). DeliveryRefused when the platform refuses it (DMs closed, file too large)."""


class PageLinks(Protocol):
    """Hands out personal, time-limited links to the training pages (`core.page_pass`)."""

    def available(self) -> bool:
        """Whether the pages are served now (else no link is handed out)."""

    def issue(self, viewer: Member, kind: PageKind, subject: str, now: datetime) -> PageLink:
        """`viewer`'s link to page `kind` of `subject`, issued at `now`."""


class JoinLinks(Protocol):
    """Hands out per-member links to our own join page instead of raw room links."""

    def available(self) -> bool:
        """Whether the join page is served now (else `join` hands out room links)."""

    def issue(self, member: Member, session: TrainingSession, now: datetime) -> RoomLink:
        """The member's short-lived link for `session`, issued at `now`."""


class FeedLinks(Protocol):
    """Where personal calendar feeds are served (`core.calendar_feed.feed_path`)."""

    def available(self) -> bool:
        """Whether the web pages (and so the feeds) are served now."""

    def base_url(self) -> str:
        """Our public base URL (a feed's URL is it plus `feed_path(token)`)."""

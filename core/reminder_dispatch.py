"""Sends due reminders exactly once per session × recipient × kind × start time.

Members' reminder preferences (`core.reminder_preferences`) decide who is due what and when:
which kinds each going member gets (DM or none), which are posted in the channel (the
association's `channel_kinds`), and which wait for the end of a member's quiet hours. Those
are held in the store (`defer_deliveries`) and sent, when due, through the same claim →
send → mark as every delivery, with the same key.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from core import log_context, messages
from core.errors import RateLimited
from core.members import Addressee
from core.model import (
    CHANNEL_RECIPIENT,
    DeferredDelivery,
    DeliveryKey,
    Reminder,
    ReminderKind,
    RsvpStatus,
    SessionStatus,
    TrainingSession,
)
from core.notices import Notice
from core.notifier import Notifier
from core.ports import ChatDelivery, DeliveryClaim, SessionStore
from core.recipients import address_of, locale_of, mention_of
from core.reminder_preferences import MemberReminders, ReminderDefaults, decide, member_reminders
from core.reminders import LEADS, still_useful
from core.telemetry import NO_TELEMETRY, Telemetry, platform_of

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=2)
"""A claim not marked sent within this long is considered crashed and may be retried."""
RETRY_AFTER = timedelta(minutes=2)
"""A reminder whose deliveries partly failed is retried this much later."""
RATE_LIMIT_PATIENCE = 60.0
"""Seconds one delivery may wait, in all, on "slow down" answers before it is left to the
next attempt (RETRY_AFTER). Well under CLAIM_LEASE, so the claim is still ours when it goes."""


class ReminderDispatcher:
    """Claims, sends and records due reminders in batches.

    Per batch of due reminders: one query each for reminders, sessions and going RSVPs; then
    per group of `send_concurrency` deliveries one transaction that records the group before
    it sent and claims this one (the claim tells which were claimed before), and the sends;
    one transaction to record the last group sent and one to finish the reminders; then the
    announcements whose join window just opened are re-rendered (Join button). A reminder
    notice is worded once per session and kind, and copied per recipient. A crash leaves at
    most one group claimed and unsent (retried after the claim's lease); a delivery
    recorded as sent never goes out again. A stopping process does better (`stop_taking`):
    it starts no new group, and a group cut short hands its unsent claims back, to be sent
    at once by the next clock.

    Exactly once across crashes: a delivery claimed again after a lease (the store says which)
    may have reached the platform before the crash, so the platform is asked first
    (`ChatDelivery.already_delivered`, by the key's marker carried on every reminder DM); one
    found there is recorded sent, not sent again. A "slow down" answer (RateLimited) is
    waited out and the send retried, up to `rate_limit_patience` seconds per delivery.
    """

    def __init__(
        self,
        store: SessionStore,
        chat: ChatDelivery,
        *,
        batch_size: int = 500,
        send_concurrency: int = 25,
        rate_limit_patience: float = RATE_LIMIT_PATIENCE,
        pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
        telemetry: Telemetry = NO_TELEMETRY,
        defaults: ReminderDefaults | None = None,
    ) -> None:
        """`defaults`: the association's reminder choices for members who made none, and
        which kinds are posted in the channel (default: the 10-minute one only)."""
        self.store = store
        self.defaults = defaults or ReminderDefaults()
        self.chat = chat
        self.notifier = Notifier(store, chat)
        self.batch_size = batch_size
        self.send_concurrency = send_concurrency
        self.rate_limit_patience = rate_limit_patience
        self._pause = pause
        self._telemetry = telemetry
        self._stopping = False
        self._known = ProfileCache()
        self._recipients = Audience(self._known.profiles, self.defaults)
        self._wording = Wording()

    def stop_taking(self) -> None:
        """Start no new group of sends (the process is stopping). The running group ends
        as usual, or, when cancelled, hands its unsent claims back (`release_deliveries`);
        the reminders stay due for the process that runs the clock next."""
        self._stopping = True

    async def run_due(self, now: datetime) -> int:
        """Send every reminder due at `now`, and every held one whose time came; returns
        how many messages went out."""
        sent = 0
        self._known = ProfileCache()
        self._recipients = Audience(self._known.profiles, self.defaults)
        while not self._stopping:
            due = await self.store.due_reminders(now, self.batch_size)
            if due:
                sent += await self._run_batch(due, now)
            if len(due) < self.batch_size:
                break
        while not self._stopping:
            held = await self.store.due_deferred(now, self.batch_size)
            if held:
                sent += await self._run_held(held, now)
            if len(held) < self.batch_size:
                break
        return sent

    async def _run_batch(self, due: list[Reminder], now: datetime) -> int:
        session_ids = sorted({r.session_id for r in due})
        sessions = {s.id: s for s in await self.store.get_sessions(session_ids)}
        live = [r for r in due if _deliverable(r, sessions.get(r.session_id), now)]
        skipped = [r for r in due if not _deliverable(r, sessions.get(r.session_id), now)]
        self._report_skipped(skipped, sessions)
        going = await self.store.members_of_sessions(
            sorted({r.session_id for r in live}), RsvpStatus.GOING
        )
        audience = await self._audience({m for ids in going.values() for m in ids})
        keys: list[DeliveryKey] = []
        holds: list[DeferredDelivery] = []
        for reminder in live:
            session = sessions[reminder.session_id]
            for member_id in going.get(session.id, []):
                member = audience.reminders(member_id, session.series_id)
                if not member.wants(reminder.kind):
                    continue
                key = DeliveryKey(
                    session_id=session.id,
                    recipient_id=member_id,
                    kind=reminder.kind,
                    start_time=reminder.start_time,
                )
                decision = decide(
                    member, reminder.kind, reminder.start_time, reminder.useful_until, now
                )
                if decision.send_now:
                    keys.append(key)
                elif decision.hold_until is not None:
                    holds.append(
                        DeferredDelivery(
                            key=key, due_at=decision.hold_until, useful_until=decision.useful_until
                        )
                    )
                else:
                    self._telemetry.reminder_skipped(
                        reminder.kind, audience.platform(member_id), "quiet_hours"
                    )
            if (
                session.origin is not None
                and session.origin.channel_id is not None
                and reminder.kind in self.defaults.channel_kinds
            ):
                keys.append(
                    DeliveryKey(
                        session_id=session.id,
                        recipient_id=CHANNEL_RECIPIENT,
                        kind=reminder.kind,
                        start_time=reminder.start_time,
                    )
                )
        if holds:  # before the rows finish: a crash re-runs them, and holding is idempotent
            await self.store.defer_deliveries(holds)
        failed_keys: set[DeliveryKey] = set()
        self._wording = Wording()
        sent, left = await self._send_groups(keys, sessions, audience, now, failed_keys)
        if left:  # left due, not postponed: the next clock goes on at once
            log.info("stopping: %d reminder deliveries left to the next clock", left)
            return sent
        failed = {(key.session_id, key.kind) for key in failed_keys}
        for reminder in due:
            if (reminder.session_id, reminder.kind) in failed:
                await self.store.postpone_reminder(
                    reminder.session_id,
                    reminder.kind,
                    now + RETRY_AFTER,
                    start_time=reminder.start_time,
                )
        finished = [r for r in due if (r.session_id, r.kind) not in failed]
        await self.store.finish_reminders(finished, now)
        await self._refresh_opened_windows(finished, sessions)
        return sent

    async def _run_held(self, held: list[DeferredDelivery], now: datetime) -> int:
        """Send held deliveries whose time came, if still useful, still for the session's
        start, to a member still going who still wants them; then forget them. One whose
        send failed (or is claimed elsewhere) is held again RETRY_AFTER later while useful.
        """
        sessions = {
            s.id: s for s in await self.store.get_sessions(sorted({h.key.session_id for h in held}))
        }
        members = await self.store.members_of_sessions(
            sorted({h.key.session_id for h in held}), RsvpStatus.GOING
        )
        going = {(session_id, m) for session_id, ids in members.items() for m in ids}
        audience = await self._audience({h.key.recipient_id for h in held})
        keys: list[DeliveryKey] = []  # the rest is dropped unsent
        for item in held:
            key, session = item.key, sessions.get(item.key.session_id)
            if (
                session is not None
                and session.status is SessionStatus.SCHEDULED
                and session.start_time == key.start_time
                and now < item.useful_until
                and (key.session_id, key.recipient_id) in going
                and audience.reminders(key.recipient_id, session.series_id).wants(key.kind)
            ):
                keys.append(key)
        failed: set[DeliveryKey] = set()
        self._wording = Wording()
        sent, left = await self._send_groups(keys, sessions, audience, now, failed)
        if left:  # still held and due: the next clock sends them
            return sent
        retry_at = now + RETRY_AFTER
        again = [
            item.model_copy(update={"due_at": retry_at})
            for item in held
            if item.key in failed and retry_at < item.useful_until
        ]
        await self.store.drop_deferred([item.key for item in held])
        if again:
            await self.store.defer_deliveries(again)
        return sent

    async def _audience(self, member_ids: set[str]) -> Audience:
        """The wake-up's recipients, with the profiles of this batch's not read yet read
        at once (one wake-up is one instant: batches of a burst share their members, and
        what each gets, where, is worked out once per wake-up)."""
        ids = sorted(member_ids - {CHANNEL_RECIPIENT} - self._known.asked)
        if ids:
            self._known.add(ids, await self.store.get_addressees(ids))
        return self._recipients

    async def _send_groups(
        self,
        keys: list[DeliveryKey],
        sessions: dict[str, TrainingSession],
        audience: Audience,
        now: datetime,
        failed: set[DeliveryKey],
    ) -> tuple[int, int]:
        """Send these deliveries `send_concurrency` at a time; adds those that must be
        retried to `failed`. Returns how many went out, and how many were left unstarted
        (a stopping process starts no new group).

        Each group is claimed right before it is sent, in the transaction that records the
        group before it sent (`record_and_claim`); the last is recorded on its own. So a
        crash leaves at most one group claimed and unsent, hence the platform look-ups of
        the next attempt.
        """
        sent = 0
        done: list[DeliveryKey] = []  # sent, recorded with the next claim
        try:
            for start in range(0, len(keys), self.send_concurrency):
                if self._stopping:
                    if done:
                        await self.store.mark_deliveries_sent(done, now)
                    return sent, len(keys) - start
                group = keys[start : start + self.send_concurrency]
                claim = await self.store.record_and_claim(done, group, now, CLAIM_LEASE)
                done = []
                failed |= await self._held_elsewhere(group, claim.claimed)
                if claim.claimed:
                    done = await self._send_claimed(claim, sessions, audience, now, failed)
                    sent += len(done)
            if done:
                await self.store.mark_deliveries_sent(done, now)
        except asyncio.CancelledError:
            if done:  # sent, maybe not recorded yet
                await self._hand_back(done, dict.fromkeys(done, True), now)
            raise
        return sent, 0

    async def _send_claimed(
        self,
        claim: DeliveryClaim,
        sessions: dict[str, TrainingSession],
        audience: Audience,
        now: datetime,
        failed: set[DeliveryKey],
    ) -> list[DeliveryKey]:
        """Send the claimed deliveries at once; returns those that went out (to be recorded
        sent) and adds the others to `failed`. Cut short, it hands its claims back."""
        outcomes: dict[DeliveryKey, bool] = {}
        unsure = set(claim.reclaimed)

        async def send(key: DeliveryKey) -> None:
            session = sessions[key.session_id]
            outcomes[key] = await self._send(key, session, audience, key in unsure, now)

        try:
            await asyncio.gather(*(send(key) for key in claim.claimed))
        except asyncio.CancelledError:
            await self._hand_back(claim.claimed, outcomes, now)
            raise
        failed |= {key for key in claim.claimed if not outcomes[key]}
        return [key for key in claim.claimed if outcomes[key]]

    async def _hand_back(
        self, claimed: list[DeliveryKey], outcomes: dict[DeliveryKey, bool], now: datetime
    ) -> None:
        """Cut short (a stopping process): record what went out, release the claims of
        what did not finish so another process sends them at once, not after the lease.
        Those may have reached the platform: their next claimer looks them up first."""
        done = [key for key in claimed if outcomes.get(key)]
        unfinished = [key for key in claimed if key not in outcomes]
        try:
            if done:
                await self.store.mark_deliveries_sent(done, now)
            if unfinished:
                await self.store.release_deliveries(unfinished, now)
        except Exception:
            log.exception("handing back %d reminder deliveries failed", len(unfinished))
            return
        log.info("stopping: %d reminder deliveries handed back", len(unfinished))

    async def _refresh_opened_windows(
        self, finished: list[Reminder], sessions: dict[str, TrainingSession]
    ) -> None:
        """The 10-minute reminder falls due as the join window opens: re-render those
        sessions' announcements so their Join button appears."""
        for reminder in finished:
            session = sessions.get(reminder.session_id)
            if (
                reminder.kind is ReminderKind.BEFORE_10M
                and session is not None
                and session.status is SessionStatus.SCHEDULED
            ):
                await self.notifier.announce(session)

    async def _held_elsewhere(
        self, keys: list[DeliveryKey], claimed: list[DeliveryKey]
    ) -> set[DeliveryKey]:
        """Deliveries claimed by an earlier (crashed?) attempt and not sent.

        Their reminders stay unfinished so they are retried once the claim's lease expires.
        """
        mine = set(claimed)
        held = set()
        for key in keys:
            if key not in mine and not await self.store.delivery_sent(key):
                held.add(key)
        return held

    async def _send(
        self,
        key: DeliveryKey,
        session: TrainingSession,
        audience: Audience,
        unsure: bool,
        now: datetime,
    ) -> bool:
        """Send one delivery; False leaves it claimed, to be retried after the lease.

        `unsure`: an earlier claim of it was never recorded sent, so a DM is first looked
        up on the platform. Rate limits are waited out while patience lasts. Runs as a task
        of its own (gather), so its log lines carry this delivery's id and its session's.
        """
        marker = key.marker()
        log_context.set_session_id(key.session_id)
        log_context.set_delivery_id(delivery_id(key, marker))
        platform = platform_of(audience.address(key.recipient_id), session)
        self._telemetry.reminder_due(key.kind, platform)
        reclaimed = unsure
        waited = 0.0
        while True:
            try:
                if unsure and await self._found_on_platform(key, marker, audience):
                    self._telemetry.reminder_reclaimed(key.kind, platform, "already_delivered")
                    return True
                unsure = False
                await self._send_once(key, marker, session, audience)
                self._report_sent(key, platform, reclaimed, now)
                return True
            except RateLimited as limited:
                if waited + limited.retry_after > self.rate_limit_patience:
                    log.warning(
                        "reminder %s for %s still rate-limited after %.1f s; retried later",
                        key.kind.value,
                        key.recipient_id,
                        waited,
                    )
                    self._telemetry.reminder_failed(key.kind, platform, "rate_limited")
                    return False
                waited += limited.retry_after
                await self._pause(limited.retry_after)
            except Exception:
                log.exception("reminder %s for %s failed", key.kind.value, key.recipient_id)
                self._telemetry.reminder_failed(key.kind, platform, "error")
                return False

    def _report_sent(self, key: DeliveryKey, platform: str, reclaimed: bool, now: datetime) -> None:
        """Tell the telemetry a delivery went out, how late, and whether it was resent."""
        if reclaimed:
            self._telemetry.reminder_reclaimed(key.kind, platform, "resent")
        due_at = key.start_time - LEADS[key.kind]
        self._telemetry.reminder_sent(key.kind, platform, now - due_at)

    def _report_skipped(
        self, skipped: list[Reminder], sessions: dict[str, TrainingSession]
    ) -> None:
        """Tell the telemetry which due reminders are dropped unsent, and why."""
        for reminder in skipped:
            session = sessions.get(reminder.session_id)
            platform = platform_of(CHANNEL_RECIPIENT, session) if session else "none"
            self._telemetry.reminder_skipped(
                reminder.kind, platform, _skip_reason(reminder, session)
            )

    async def _found_on_platform(self, key: DeliveryKey, marker: str, audience: Audience) -> bool:
        """Whether the platform already has this DM (channel posts carry no marker)."""
        if key.recipient_id == CHANNEL_RECIPIENT:
            return False
        if await self.chat.already_delivered(audience.address(key.recipient_id), marker):
            log.info("reminder %s for %s went out before a crash", key.kind.value, key.recipient_id)
            return True
        return False

    async def _send_once(
        self, key: DeliveryKey, marker: str, session: TrainingSession, audience: Audience
    ) -> None:
        to_member = key.recipient_id != CHANNEL_RECIPIENT
        notice = self._wording.reminder(session, key.kind, to_member)
        if to_member:
            address = audience.address(key.recipient_id)
            marked = notice.model_copy(
                update={"delivery_marker": marker, "locale": audience.locale(key.recipient_id)}
            )
            mention_id = audience.mention(key.recipient_id, session)
            mention = self._wording.fallback(session, key.kind, mention_id)
            await self.notifier.dm_or_mention(address, marked, mention)
        else:
            assert session.origin is not None
            await self.chat.post_to_channel(session.origin, notice)


def delivery_id(key: DeliveryKey, marker: str | None = None) -> str:
    """The delivery id on log lines: session, kind and the key's marker (the id the DM
    itself carries; a hash, so no member id is spelt out; `marker`: already computed)."""
    return f"{key.session_id}:{key.kind.value}:{marker or key.marker()}"


def _skip_reason(reminder: Reminder, session: TrainingSession | None) -> str:
    """Why an undeliverable reminder is dropped: its session is gone, not scheduled any
    more (its status), moved to another start, or the reminder went stale."""
    if session is None:
        return "gone"
    if session.status is not SessionStatus.SCHEDULED:
        return session.status.value
    return "moved" if reminder.start_time != session.start_time else "stale"


def _deliverable(reminder: Reminder, session: TrainingSession | None, now: datetime) -> bool:
    """Scheduled, still useful, and still for the session's start (not moved meanwhile)."""
    return (
        session is not None
        and session.status is SessionStatus.SCHEDULED
        and reminder.start_time == session.start_time
        and still_useful(reminder, now)
    )


class Wording:
    """A batch's reminder notices, worded once per session × kind (DM or channel post) and
    copied per recipient: every recipient of one session and kind reads the same words."""

    def __init__(self) -> None:
        self._reminders: dict[tuple[str, ReminderKind, bool], Notice] = {}
        self._fallbacks: dict[tuple[str, ReminderKind], Notice] = {}

    def reminder(self, session: TrainingSession, kind: ReminderKind, to_member: bool) -> Notice:
        """`messages.reminder` (one `session` object per id within a batch)."""
        notice = self._reminders.get((session.id, kind, to_member))
        if notice is None:
            notice = messages.reminder(session, kind, to_member=to_member)
            self._reminders[(session.id, kind, to_member)] = notice
        return notice

    def fallback(self, session: TrainingSession, kind: ReminderKind, mention_id: str) -> Notice:
        """`messages.dm_fallback` for the member to mention."""
        notice = self._fallbacks.get((session.id, kind))
        if notice is None:
            notice = messages.dm_fallback(session, kind, mention_id)
            self._fallbacks[(session.id, kind)] = notice
        return notice.model_copy(update={"mention_member_id": mention_id})


class ProfileCache:
    """The profiles read during one wake-up, and which ids were asked (with or without one)."""

    def __init__(self) -> None:
        self.asked: set[str] = set()
        self.profiles: dict[str, Addressee] = {}

    def add(self, asked: list[str], found: dict[str, Addressee]) -> None:
        self.asked.update(asked)
        self.profiles.update(found)


class Audience:
    """A batch's recipients as their profiles say: what each gets, where DMs go (a linked
    member's preferred platform), their language and who to mention in a session's channel.
    Members without a profile get the association's defaults, DMed at their own id."""

    def __init__(self, profiles: dict[str, Addressee], defaults: ReminderDefaults) -> None:
        """`profiles`: the wake-up's, filled as its batches read them (a member's is read
        before anything about them is asked here)."""
        self._profiles = profiles
        self._defaults = defaults
        self._default = member_reminders(None, defaults)
        self._chosen: dict[tuple[str, str | None], MemberReminders] = {}
        self._addresses: dict[str, str] = {}

    def reminders(self, member_id: str, class_id: str | None) -> MemberReminders:
        """What the member gets for a session of weekly class `class_id` (worked out once
        per wake-up; a member without a profile gets the defaults, worked out once)."""
        profile = self._profiles.get(member_id)
        if profile is None:
            return self._default
        cached = self._chosen.get((member_id, class_id))
        if cached is None:
            cached = member_reminders(profile, self._defaults, class_id)
            self._chosen[(member_id, class_id)] = cached
        return cached

    def address(self, member_id: str) -> str:
        """The identity the member's DMs go to (worked out once per wake-up)."""
        address = self._addresses.get(member_id)
        if address is None:
            address = address_of(self._profiles.get(member_id), member_id)
            self._addresses[member_id] = address
        return address

    def locale(self, member_id: str) -> str | None:
        return locale_of(self._profiles.get(member_id))

    def platform(self, member_id: str) -> str:
        return platform_of(self.address(member_id))

    def mention(self, member_id: str, session: TrainingSession) -> str:
        """Who to mention in the session's channel when the member's DMs are closed."""
        profile = self._profiles.get(member_id)
        if profile is None or len(profile.identities) < 2:
            return member_id if profile is None else profile.id
        return mention_of(profile, member_id, session)

"""Sends due reminders exactly once per session × recipient × kind."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from core import messages
from core.model import (
    CHANNEL_RECIPIENT,
    DeliveryKey,
    Reminder,
    ReminderKind,
    RsvpStatus,
    SessionStatus,
    TrainingSession,
)
from core.notifier import Notifier
from core.ports import ChatDelivery, SessionStore
from core.reminders import still_useful

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=2)
"""A claim not marked sent within this long is considered crashed and may be retried."""
RETRY_AFTER = timedelta(minutes=2)
"""A reminder whose deliveries partly failed is retried this much later."""


class ReminderDispatcher:
    """Claims, sends and records due reminders in batches.

    Per batch of due reminders: one query each for reminders, sessions and going RSVPs, one
    transaction to claim every delivery, sends `send_concurrency` at a time, one transaction
    per `mark_every` sends to record them sent, and one to finish the reminders; then the
    announcements whose join window just opened are re-rendered (Join button). A crash
    re-sends at most the chunk in flight (after the claim's lease); a delivery recorded as
    sent never goes out again.
    """

    def __init__(
        self,
        store: SessionStore,
        chat: ChatDelivery,
        *,
        batch_size: int = 500,
        send_concurrency: int = 25,
        mark_every: int = 100,
    ) -> None:
        self.store = store
        self.chat = chat
        self.notifier = Notifier(store, chat)
        self.batch_size = batch_size
        self.send_concurrency = send_concurrency
        self.mark_every = mark_every

    async def run_due(self, now: datetime) -> int:
        """Send every reminder due at `now`; returns how many messages went out."""
        sent = 0
        while True:
            due = await self.store.due_reminders(now, self.batch_size)
            if not due:
                return sent
            sent += await self._run_batch(due, now)
            if len(due) < self.batch_size:
                return sent

    async def _run_batch(self, due: list[Reminder], now: datetime) -> int:
        session_ids = sorted({r.session_id for r in due})
        sessions = {s.id: s for s in await self.store.get_sessions(session_ids)}
        live = [r for r in due if _deliverable(r, sessions.get(r.session_id), now)]
        going: dict[str, list[str]] = {}
        for rsvp in await self.store.list_rsvps_of_sessions(
            sorted({r.session_id for r in live}), RsvpStatus.GOING
        ):
            going.setdefault(rsvp.session_id, []).append(rsvp.member_id)
        keys: list[DeliveryKey] = []
        for reminder in live:
            session = sessions[reminder.session_id]
            recipients = list(going.get(session.id, []))
            if session.origin is not None and session.origin.channel_id is not None:
                recipients.append(CHANNEL_RECIPIENT)
            keys += [
                DeliveryKey(session_id=session.id, recipient_id=rid, kind=reminder.kind)
                for rid in recipients
            ]
        claimed = await self.store.claim_deliveries(keys, now, CLAIM_LEASE)
        failed = await self._held_elsewhere(keys, claimed)
        sent = 0
        for start in range(0, len(claimed), self.send_concurrency):
            group = claimed[start : start + self.send_concurrency]
            results = await asyncio.gather(
                *(self._send(key, sessions[key.session_id]) for key in group)
            )
            done = [key for key, ok in zip(group, results, strict=True) if ok]
            failed |= {
                (k.session_id, k.kind) for k, ok in zip(group, results, strict=True) if not ok
            }
            if done:
                await self.store.mark_deliveries_sent(done, now)
            sent += len(done)
        for reminder in due:
            if (reminder.session_id, reminder.kind) in failed:
                await self.store.postpone_reminder(
                    reminder.session_id, reminder.kind, now + RETRY_AFTER
                )
        finished = [r for r in due if (r.session_id, r.kind) not in failed]
        await self.store.finish_reminders(finished, now)
        await self._refresh_opened_windows(finished, sessions)
        return sent

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
    ) -> set[tuple[str, ReminderKind]]:
        """Reminders with a delivery claimed by an earlier (crashed?) attempt and not sent.

        They must stay unfinished so the delivery is retried once its claim's lease expires.
        """
        mine = set(claimed)
        held = set()
        for key in keys:
            if key not in mine and not await self.store.delivery_sent(key):
                held.add((key.session_id, key.kind))
        return held

    async def _send(self, key: DeliveryKey, session: TrainingSession) -> bool:
        """Send one delivery; False leaves it claimed, to be retried after the lease."""
        to_member = key.recipient_id != CHANNEL_RECIPIENT
        notice = messages.reminder(session, key.kind, to_member=to_member)
        try:
            if to_member:
                mention = messages.dm_fallback(session, key.kind, key.recipient_id)
                await self.notifier.dm_or_mention(key.recipient_id, notice, mention)
            else:
                assert session.origin is not None
                await self.chat.post_to_channel(session.origin, notice)
            return True
        except Exception:
            log.exception("reminder %s for %s failed", key.kind.value, key.recipient_id)
            return False


def _deliverable(reminder: Reminder, session: TrainingSession | None, now: datetime) -> bool:
    return (
        session is not None
        and session.status is SessionStatus.SCHEDULED
        and still_useful(reminder, now)
    )

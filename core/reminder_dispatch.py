"""Sends due reminders exactly once per session × recipient × kind."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from core import messages
from core.errors import DeliveryRefused
from core.model import (
    CHANNEL_RECIPIENT,
    DeliveryKey,
    Reminder,
    RsvpStatus,
    SessionStatus,
    TrainingSession,
)
from core.notices import Notice
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
    transaction to claim every delivery, sends in groups of `send_concurrency` (each group
    marked sent in one transaction), and one transaction to finish the reminders. A crash
    re-sends at most the group in flight; a delivery recorded as sent never goes out again.
    """

    def __init__(
        self,
        store: SessionStore,
        chat: ChatDelivery,
        *,
        batch_size: int = 500,
        send_concurrency: int = 25,
    ) -> None:
        self.store = store
        self.chat = chat
        self.batch_size = batch_size
        self.send_concurrency = send_concurrency

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
        sessions = {
            s.id: s for s in await self.store.get_sessions(sorted({r.session_id for r in due}))
        }
        useless = [r for r in due if not _deliverable(r, sessions.get(r.session_id), now)]
        live = [r for r in due if r not in useless]
        going = await self.store.list_rsvps_of_sessions(
            sorted({r.session_id for r in live}), RsvpStatus.GOING
        )
        jobs: list[tuple[DeliveryKey, Reminder]] = []
        for reminder in live:
            session = sessions[reminder.session_id]
            recipients = [g.member_id for g in going if g.session_id == session.id]
            if session.origin is not None and session.origin.channel_id is not None:
                recipients.append(CHANNEL_RECIPIENT)
            jobs += [
                (DeliveryKey(session_id=session.id, recipient_id=rid, kind=reminder.kind), reminder)
                for rid in recipients
            ]
        claimed = set(await self.store.claim_deliveries([k for k, _ in jobs], now, CLAIM_LEASE))
        todo = [(key, sessions[key.session_id]) for key, _ in jobs if key in claimed]
        failed: set[str] = set()
        sent = 0
        for start in range(0, len(todo), self.send_concurrency):
            group = todo[start : start + self.send_concurrency]
            results = await asyncio.gather(*(self._send(key, s) for key, s in group))
            done = [key for (key, _), ok in zip(group, results, strict=True) if ok]
            failed |= {
                key.session_id for (key, _), ok in zip(group, results, strict=True) if not ok
            }
            if done:
                await self.store.mark_deliveries_sent(done, now)
            sent += len(done)
        unfinished = [r for r in live if r.session_id in failed]
        for reminder in unfinished:
            await self.store.postpone_reminder(
                reminder.session_id, reminder.kind, now + RETRY_AFTER
            )
        finished = useless + [r for r in live if r.session_id not in failed]
        await self.store.finish_reminders(finished, now)
        return sent

    async def _send(self, key: DeliveryKey, session: TrainingSession) -> bool:
        """Send one delivery; False leaves it claimed, to be retried after the lease."""
        to_member = key.recipient_id != CHANNEL_RECIPIENT
        notice = messages.reminder(session, key.kind, to_member=to_member)
        try:
            if to_member:
                await self._dm_or_fallback(key, session, notice)
            else:
                assert session.origin is not None
                await self.chat.post_to_channel(session.origin, notice)
            return True
        except Exception:
            log.exception("reminder %s for %s failed", key.kind.value, key.recipient_id)
            return False

    async def _dm_or_fallback(
        self, key: DeliveryKey, session: TrainingSession, notice: Notice
    ) -> None:
        try:
            await self.chat.send_dm(key.recipient_id, notice)
        except DeliveryRefused:
            if session.origin is None or session.origin.channel_id is None:
                log.info("DM refused for %s and no channel to fall back to", key.recipient_id)
                return
            await self.chat.post_to_channel(
                session.origin, messages.dm_fallback(session, key.kind, key.recipient_id)
            )


def _deliverable(reminder: Reminder, session: TrainingSession | None, now: datetime) -> bool:
    return (
        session is not None
        and session.status is SessionStatus.SCHEDULED
        and still_useful(reminder, now)
    )

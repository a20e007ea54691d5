"""What the video provider tells us about a room (webhooks), applied to sessions.

Every method is idempotent and tolerates events out of order, because providers redeliver
and do not order deliveries: a join seen twice opens one interval (matched by its join time),
a leave seen before its join records the whole stay, a second "started" or a late "ended"
changes nothing. Rooms that belong to no session are ignored (logged).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from core import messages
from core.model import AttendanceInterval, SessionStatus, TrainingSession, Visibility
from core.service import SessionService

log = logging.getLogger(__name__)

RECORDING_ONCE = timedelta(days=30)
"""How long a posted recording link is remembered (far past any redelivery)."""


class RoomEvents:
    """Attendance, going live, ending and recordings, driven by the room provider."""

    def __init__(self, service: SessionService) -> None:
        self.service = service
        self.store = service.store

    async def _session(self, room_id: str) -> TrainingSession | None:
        session = await self.store.find_session_by_room(room_id)
        if session is None:
            log.info("room event for room %s, which belongs to no session: ignored", room_id)
        return session

    async def _intervals(self, session_id: str, member_id: str) -> list[AttendanceInterval]:
        rows = await self.store.list_attendance(session_id)
        return [row for row in rows if row.member_id == member_id]

    async def participant_joined(
        self, room_id: str, member_id: str, member_name: str, joined_at: datetime
    ) -> None:
        """The member entered the room at `joined_at`; the instructor entering makes it live."""
        session = await self._session(room_id)
        if session is None:
            return
        # idempotent in the store: a redelivered join opens no second stay, in any process
        await self.store.record_join(session.id, member_id, member_name, joined_at)
        if member_id == session.instructor_id:
            await self._live_if_instructor_in(session, joined_at)

    async def participant_left(
        self,
        room_id: str,
        member_id: str,
        member_name: str,
        left_at: datetime,
        joined_at: datetime | None = None,
    ) -> None:
        """The member left at `left_at`; `joined_at` (when known) names the stay that ended."""
        session = await self._session(room_id)
        if session is None:
            return
        rows = await self._intervals(session.id, member_id)
        if joined_at is not None:
            stay = next((row for row in rows if row.joined_at == joined_at), None)
            if stay is None:  # the leave arrived before its join: record the whole stay
                await self.store.record_join(session.id, member_id, member_name, joined_at)
            elif stay.left_at is not None:
                return  # already recorded
        elif not any(row.left_at is None for row in rows):
            return
        await self.store.record_leave(session.id, member_id, left_at)

    async def meeting_started(self, room_id: str, at: datetime) -> None:
        """A call began in the room: the session goes live if its instructor is inside."""
        session = await self._session(room_id)
        if session is not None:
            await self._live_if_instructor_in(session, at)

    async def meeting_ended(self, room_id: str, at: datetime) -> None:
        """The call in the room ended: a live session ends (with its attendance summary)."""
        session = await self._session(room_id)
        if session is None or session.status is not SessionStatus.LIVE:
            return
        log.info("session %s ended by its room at %s", session.id, at.isoformat())
        await self.service.finish(session, automatically=False)

    async def recording_ready(self, room_id: str, url: str) -> None:
        """A recording was uploaded: keep its link, post it in the channel (members-only
        sessions: DM it to the attendees instead). The same link twice is posted once, also
        when two processes hear it at once (a claim in the store decides)."""
        session = await self._session(room_id)
        if session is None or session.recording_url == url:
            return
        now = self.service.clock.now()
        digest = hashlib.sha256(url.encode()).hexdigest()
        if not await self.store.claim_once(f"recording:{session.id}:{digest}", now, RECORDING_ONCE):
            return
        session.recording_url = url
        session.updated_at = self.service.clock.now()
        await self.store.save_session(session)
        notice = messages.recording_ready(session, url)
        if session.visibility is Visibility.PUBLIC:
            await self.service.notifier.post(session, notice)
            return
        attendees = {row.member_id for row in await self.store.list_attendance(session.id)}
        for member_id in sorted(attendees | {session.instructor_id}):
            await self.service.notifier.dm(member_id, notice)

    async def _live_if_instructor_in(self, session: TrainingSession, at: datetime) -> None:
        if session.status is not SessionStatus.SCHEDULED:
            return
        inside = await self._intervals(session.id, session.instructor_id)
        if not any(row.left_at is None for row in inside):
            return
        if self.service.clock.now() < session.join_opens_at:
            log.info("room of session %s is in use before it opens: not live yet", session.id)
            return
        await self.service.go_live(session, at)

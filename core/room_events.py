"""What the video provider tells us about a room (webhooks), applied to sessions.

Every method is idempotent and tolerates events out of order, because providers redeliver
and do not order deliveries: a join seen twice opens one interval (matched by its join time),
a leave seen before its join records the whole stay, a second "started" or a late "ended"
changes nothing. Rooms that belong to no session are ignored (logged).
"""

from __future__ import annotations

import logging
from datetime import datetime

from core import log_context
from core.model import SessionStatus, TrainingSession
from core.service import SessionService

log = logging.getLogger(__name__)


class RoomEvents:
    """Attendance, going live, ending and recordings, driven by the room provider.

    A thin translation from room ids to sessions: every rule and every write is the
    service's (the same path as joins through our own join page).
    """

    def __init__(self, service: SessionService) -> None:
        self.service = service

    async def _session(self, room_id: str) -> TrainingSession | None:
        session = await self.service.session_of_room(room_id)
        if session is None:
            log.info("room event for room %s, which belongs to no session: ignored", room_id)
        else:
            log_context.set_session_id(session.id)
        return session

    async def participant_joined(
        self, room_id: str, member_id: str, member_name: str, joined_at: datetime
    ) -> None:
        """The member entered the room at `joined_at`; the instructor entering makes it live."""
        session = await self._session(room_id)
        if session is not None:
            await self.service.entered_room(session, member_id, member_name, joined_at)

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
        if session is not None:
            await self.service.left_room(session, member_id, member_name, left_at, joined_at)

    async def meeting_started(self, room_id: str, at: datetime) -> None:
        """A call began in the room: the session goes live if its instructor is inside."""
        session = await self._session(room_id)
        if session is not None:
            await self.service.live_if_instructor_in(session, at)

    async def meeting_ended(self, room_id: str, at: datetime) -> None:
        """The call in the room ended: a live session ends (with its attendance summary)."""
        session = await self._session(room_id)
        if session is None or session.status is not SessionStatus.LIVE:
            return
        log.info("session %s ended by its room at %s", session.id, at.isoformat())
        await self.service.finish(session, automatically=False)

    async def recording_ready(self, room_id: str, url: str) -> None:
        """A recording was uploaded: the service keeps and posts its link once."""
        session = await self._session(room_id)
        if session is not None:
            await self.service.recording_ready(session, url)

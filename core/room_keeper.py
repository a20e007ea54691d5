"""Creates and deletes a session's video room, recording how it went on the session."""

from __future__ import annotations

import logging
from datetime import datetime

from core.errors import DojoError
from core.model import RoomState, TrainingSession
from core.ports import SessionStore, VideoRooms

log = logging.getLogger(__name__)


class RoomKeeper:
    """A provider failure is recorded on `session.room`, never raised: the session stays."""

    def __init__(self, store: SessionStore, rooms: VideoRooms) -> None:
        self.store = store
        self.rooms = rooms

    async def create(self, session: TrainingSession, now: datetime) -> TrainingSession:
        """Try to create the room now; store the outcome (ready, or failed with the error)."""
        session.room.attempts += 1
        session.room.last_attempt_at = now
        session.room.provider = self.rooms.provider
        try:
            session.room.room_id = await self.rooms.create_room(session)
            session.room.state = RoomState.READY
            session.room.last_error = None
        except DojoError as error:
            log.warning("room creation failed for session %s: %s", session.id, error.message)
            session.room.state = RoomState.FAILED
            session.room.last_error = error.message
        await self.store.save_session(session)
        return session

    async def delete(self, session: TrainingSession) -> None:
        """Delete the room (caller saves the session); a failure is kept for the cleanup."""
        if session.room.room_id is None or session.room.state is RoomState.DELETED:
            return
        try:
            await self.rooms.delete_room(session.room.room_id)
            session.room.state = RoomState.DELETED
        except DojoError as error:
            log.warning("room deletion failed for session %s: %s", session.id, error.message)
            session.room.last_error = error.message

    async def end(self, session: TrainingSession) -> None:
        """Stop joins to the room of an ended session; a failure is logged (cleanup deletes)."""
        if session.room.room_id is None or session.room.state is not RoomState.READY:
            return
        try:
            await self.rooms.end_room(session.room.room_id)
        except DojoError as error:
            log.warning("ending the room of session %s failed: %s", session.id, error.message)
            session.room.last_error = error.message

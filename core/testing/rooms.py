"""`InMemoryVideoRooms`: a real in-memory `VideoRooms` with failure injection for tests."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

from core.errors import InvalidState, RoomUnavailable
from core.model import Member, RoomLink, TrainingSession


class InMemoryVideoRooms:
    """Rooms kept in memory; links look like `https://rooms.invalid/<room>?member=<id>&host=1`.

    Links expire at `max(end + link_grace, now + link_grace)`, like Jitsi tokens. Joining an
    unknown or deleted room fails, as on a provider with real rooms.

    Failure injection: `fail_creates = n` makes the next n `create_room` calls raise
    `RoomUnavailable`; `down = True` makes every call raise until it is set back.
    `can_record = False` plays a provider dojobot cannot record (like Jitsi).
    """

    provider = "memory"

    def __init__(
        self,
        *,
        base_url: str = "https://rooms.invalid",
        link_grace: timedelta = timedelta(minutes=15),
        fail_creates: int = 0,
        down: bool = False,
        can_record: bool = True,
    ) -> None:
        self.can_record = can_record
        self.base_url = base_url.rstrip("/")
        self.link_grace = link_grace
        self.fail_creates = fail_creates
        self.down = down
        self.created: list[str] = []
        """Room ids in creation order."""
        self.deleted: list[str] = []
        """Room ids closed, each once, in order."""
        self.issued: list[tuple[str, str, bool]] = []
        """(room id, member id, is_host) of every link handed out."""
        self.ended: list[str] = []
        """Room ids ended (joins stopped), each once, in order."""
        self.recording: set[str] = set()
        """Room ids being recorded now."""
        self.recordings: list[str] = []
        """Room ids of every recording started, in order."""
        self.withdrawn: list[tuple[str, str]] = []
        """(room id, member id) of every host access withdrawn."""
        self._sessions: dict[str, str] = {}

    def _check_up(self, action: str) -> None:
        if self.down:
            raise RoomUnavailable(f"video provider unavailable (could not {action})")

    async def create_room(self, session: TrainingSession) -> str:
        """A new room id for the session (RoomUnavailable while failures are injected)."""
        self._check_up("create a room")
        if self.fail_creates > 0:
            self.fail_creates -= 1
            raise RoomUnavailable("video provider unavailable (injected create failure)")
        room_id = f"memory-{secrets.token_hex(12)}"
        self.created.append(room_id)
        self._sessions[room_id] = session.id
        return room_id

    async def join_url(
        self, session: TrainingSession, member: Member, is_host: bool, now: datetime
    ) -> RoomLink:
        """The member's personal link into the session's room."""
        self._check_up("open the room")
        room_id = session.room.room_id
        if room_id is None:
            raise RoomUnavailable("This session has no video room yet. Try again in a minute.")
        if room_id not in self._sessions or room_id in self.deleted or room_id in self.ended:
            raise RoomUnavailable("This session's video room is closed.")
        query = urlencode({"member": member.id, "host": "1" if is_host else "0"})
        url = f"{self.base_url}/{quote(room_id, safe='')}?{query}"
        expires_at = max(session.end_time, now) + self.link_grace
        self.issued.append((room_id, member.id, is_host))
        return RoomLink(url=url, expires_at=expires_at)

    async def delete_room(self, room_id: str) -> None:
        """Close the room; unknown or already deleted rooms are ignored."""
        self._check_up("delete the room")
        if room_id in self._sessions and room_id not in self.deleted:
            self.deleted.append(room_id)

    async def withdraw_host(self, session: TrainingSession, member_id: str) -> None:
        """Record that the member's host access in the session's room was withdrawn."""
        self._check_up("withdraw host rights")
        if session.room.room_id is not None:
            self.withdrawn.append((session.room.room_id, member_id))

    async def end_room(self, room_id: str) -> None:
        """Stop joins (and any recording); unknown or already ended rooms are ignored."""
        self._check_up("end the room")
        self.recording.discard(room_id)
        if room_id in self._sessions and room_id not in self.ended:
            self.ended.append(room_id)

    def _open_room(self, room_id: str) -> None:
        if room_id not in self._sessions or room_id in self.deleted or room_id in self.ended:
            raise RoomUnavailable("This session's video room is closed.")

    async def start_recording(self, room_id: str) -> None:
        """Record the room (InvalidState when it already is)."""
        self._check_up("start recording")
        if not self.can_record:
            raise RoomUnavailable("This provider's rooms can't be recorded by dojobot.")
        self._open_room(room_id)
        if room_id in self.recording:
            raise InvalidState("This session is already being recorded.")
        self.recording.add(room_id)
        self.recordings.append(room_id)

    async def stop_recording(self, room_id: str) -> None:
        """Stop the room's recording (InvalidState when none is running)."""
        self._check_up("stop recording")
        if room_id not in self.recording:
            raise InvalidState("No recording is running.", "Start one with /recording <id> start.")
        self.recording.discard(room_id)

    async def close(self) -> None:
        """Nothing to release."""

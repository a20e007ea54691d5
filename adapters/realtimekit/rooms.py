"""`RealtimeKitRooms`: the `VideoRooms` port on Cloudflare RealtimeKit meetings.

A room is a meeting, created when the session is scheduled (record-on-start from the
session's recording flag). Members become participants lazily, at join time, keyed by our
stable member id (`custom_participant_id`, never an email); a participant is reused across
joins and its token refreshed. Ending the session sets the meeting INACTIVE (no more joins);
deleting the room (cleanup, cancel) also removes its participants, which revokes their tokens.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import jwt

from adapters.realtimekit.client import RealtimeKitClient, Sleep
from adapters.realtimekit.errors import RealtimeKitApiError, no_recording, recording_refused
from adapters.realtimekit.paging import Pages
from adapters.realtimekit.settings import RealtimeKitSettings
from core.errors import RoomUnavailable
from core.model import Member, RoomLink, TrainingSession

log = logging.getLogger(__name__)

PAGE_SIZE = 100


@dataclass
class _Participant:
    id: str
    preset_name: str
    name: str


class RealtimeKitRooms:
    """RealtimeKit meetings and participants over httpx; close with `close()`.

    `page_url` is our public base URL: a member's `RoomLink.url` points at the session's page
    there, and `auth_token` carries the participant token the join page hands to the UI kit.
    """

    provider = "realtimekit"
    can_record = True
    reports_attendance = True
    """Joins and leaves arrive by webhook (`RealtimeKitWebhooks`), not when a link is opened."""

    def __init__(
        self,
        settings: RealtimeKitSettings,
        *,
        page_url: str,
        http: httpx.AsyncClient | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.settings = settings
        self.page_url = page_url.rstrip("/")
        self.client = (
            RealtimeKitClient(settings, http=http)
            if sleep is None
            else RealtimeKitClient(settings, http=http, sleep=sleep)
        )
        self.presets_checked = False
        self._participants: dict[tuple[str, str], _Participant] = {}

    def __repr__(self) -> str:
        return f"RealtimeKitRooms(app_id={self.settings.app_id!r})"

    async def close(self) -> None:
        """Close the HTTP client (idempotent)."""
        await self.client.aclose()

    # presets ----------------------------------------------------------------------------
    async def check_presets(self) -> None:
        """Fail fast (RoomUnavailable) when a configured preset is missing from the app."""
        presets = await self._list("/presets", "list the presets")
        available = {str(p.get("name")) for p in presets}
        missing = sorted(self.settings.presets.names() - available)
        if missing:
            raise RoomUnavailable(
                f"The RealtimeKit app has no preset named {', '.join(missing)}.",
                f"Available presets: {', '.join(sorted(available)) or 'none'}. Set "
                "DOJOBOT_REALTIMEKIT__PRESETS__HOST and …__PARTICIPANT to two of them.",
            )
        self.presets_checked = True

    # rooms ------------------------------------------------------------------------------
    async def create_room(self, session: TrainingSession) -> str:
        """Create the session's meeting; its id is the room id."""
        data = await self.client.call(
            "POST",
            "/meetings",
            action="create the meeting",
            json={
                "title": session.title[:200],
                "record_on_start": session.recording_enabled,
                "persist_chat": self.settings.persist_chat,
                "session_keep_alive_time_in_secs": self.settings.keep_alive_seconds,
            },
        )
        return str(data["id"])

    async def end_room(self, room_id: str) -> None:
        """Set the meeting INACTIVE: no one joins any more (unknown meetings are ignored)."""
        await self._deactivate(room_id)

    async def delete_room(self, room_id: str) -> None:
        """Deactivate the meeting and remove its participants (RealtimeKit keeps meetings)."""
        if not await self._deactivate(room_id):
            return
        path = f"/meetings/{quote(room_id, safe='')}/participants"
        for participant in await self._list(path, "list the participants"):
            await self._ignoring_404(
                "DELETE", f"{path}/{quote(str(participant['id']), safe='')}", "remove a participant"
            )
        for key in [key for key in self._participants if key[0] == room_id]:
            del self._participants[key]

    async def withdraw_host(self, session: TrainingSession, member_id: str) -> None:
        """Remove the member's participant from the meeting (RealtimeKit: deleting a
        participant revokes its tokens), so a host token handed out earlier stops working;
        their next join adds them anew with the participant preset."""
        meeting_id = session.room.room_id
        if not meeting_id:
            return
        known = self._participants.pop((meeting_id, member_id), None)
        if known is None:
            try:
                known = await self._find(meeting_id, member_id)
            except RealtimeKitApiError as error:
                if error.status != 404:
                    raise
                return  # RealtimeKit does not know the meeting: nothing to withdraw
            self._participants.pop((meeting_id, member_id), None)
        if known is None:
            return
        path = f"/meetings/{quote(meeting_id, safe='')}/participants/{quote(known.id, safe='')}"
        await self._ignoring_404("DELETE", path, "withdraw the host's access")

    async def _deactivate(self, room_id: str) -> bool:
        """PATCH the meeting INACTIVE; False when RealtimeKit does not know it."""
        return await self._ignoring_404(
            "PATCH",
            f"/meetings/{quote(room_id, safe='')}",
            "close the meeting",
            json={"status": "INACTIVE"},
        )

    # joining ----------------------------------------------------------------------------
    async def join_url(
        self, session: TrainingSession, member: Member, is_host: bool, now: datetime
    ) -> RoomLink:
        """The member's participant token (created, or refreshed with the right preset)."""
        meeting_id = session.room.room_id
        if not meeting_id:
            raise RoomUnavailable("This session has no video room yet. Try again in a minute.")
        if not self.presets_checked:
            await self.check_presets()
        preset = self.settings.presets.pick(is_host, session.chat_enabled)
        if not session.chat_enabled and preset in (
            self.settings.presets.host,
            self.settings.presets.participant,
        ):
            log.warning("chat is off for session %s but no chat-less preset is set", session.id)
        participant, token = await self._participant_token(meeting_id, member, preset)
        query = urlencode({"participant": participant.id})
        url = f"{self.page_url}/sessions/{quote(session.id, safe='')}?{query}"
        return RoomLink(url=url, auth_token=token, expires_at=token_expiry(token, now))

    async def _participant_token(
        self, meeting_id: str, member: Member, preset: str
    ) -> tuple[_Participant, str]:
        key = (meeting_id, member.id)
        known = self._participants.get(key) or await self._find(meeting_id, member.id)
        if known is not None:
            try:
                return known, await self._refresh(meeting_id, known, member.display_name, preset)
            except RealtimeKitApiError as error:
                if error.status != 404:
                    raise
                self._participants.pop(key, None)  # removed behind our back: add anew
        data = await self.client.call(
            "POST",
            f"/meetings/{quote(meeting_id, safe='')}/participants",
            action="add you to the meeting",
            json={
                "custom_participant_id": member.id,
                "preset_name": preset,
                "name": member.display_name,
            },
        )
        participant = _Participant(str(data["id"]), preset, member.display_name)
        self._participants[key] = participant
        return participant, str(data["token"])

    async def _refresh(
        self, meeting_id: str, participant: _Participant, name: str, preset: str
    ) -> str:
        """Fix the participant's preset or name if they changed, then a fresh token."""
        path = f"/meetings/{quote(meeting_id, safe='')}/participants/{quote(participant.id)}"
        if participant.preset_name != preset or participant.name != name:
            await self.client.call(
                "PATCH",
                path,
                action="update your participant",
                json={"preset_name": preset, "name": name},
            )
            participant.preset_name, participant.name = preset, name
        data = await self.client.call("POST", f"{path}/token", action="refresh your token")
        return str(data["token"])

    async def _find(self, meeting_id: str, member_id: str) -> _Participant | None:
        """The meeting's participant for this member, looked up (and cached)."""
        path = f"/meetings/{quote(meeting_id, safe='')}/participants"
        for row in await self._list(path, "look you up in the meeting"):
            if row.get("custom_participant_id") == member_id:
                preset, name = str(row.get("preset_name") or ""), str(row.get("name") or "")
                found = _Participant(str(row["id"]), preset, name)
                self._participants[(meeting_id, member_id)] = found
                return found
        return None

    # recording --------------------------------------------------------------------------
    async def start_recording(self, room_id: str) -> None:
        """Start recording the meeting's running call."""
        try:
            await self.client.call(
                "POST", "/recordings", action="start recording", json={"meeting_id": room_id}
            )
        except RealtimeKitApiError as error:
            raise recording_refused(error) from error

    async def stop_recording(self, room_id: str) -> None:
        """Stop the meeting's active recording (InvalidState when none is running)."""
        try:
            active = await self.client.call(
                "GET",
                f"/recordings/active-recording/{quote(room_id, safe='')}",
                action="find the running recording",
            )
        except RealtimeKitApiError as error:
            if error.status == 404:
                raise no_recording() from error
            raise
        if not active or not active.get("id"):
            raise no_recording()
        await self.client.call(
            "PUT",
            f"/recordings/{quote(str(active['id']), safe='')}",
            action="stop recording",
            json={"action": "stop"},
        )

    # helpers ----------------------------------------------------------------------------
    async def _list(self, path: str, action: str) -> list[dict[str, Any]]:
        """Every row of a paged list, each once: see `adapters.realtimekit.paging`."""
        pages = Pages(PAGE_SIZE)
        while (page_no := pages.next_page()) is not None:
            envelope = await self.client.call(
                "GET",
                path,
                action=action,
                params={"page_no": page_no, "per_page": PAGE_SIZE},
                envelope=True,
            )
            pages.add(envelope.get("data"), envelope.get("paging"))
        return pages.rows

    async def _ignoring_404(
        self, method: str, path: str, action: str, json: dict[str, Any] | None = None
    ) -> bool:
        """Make the call; False (no error) when the thing is already gone."""
        try:
            await self.client.call(method, path, action=action, json=json)
        except RealtimeKitApiError as error:
            if error.status == 404:
                return False
            raise
        return True


def token_expiry(token: str, now: datetime) -> datetime | None:
    """When a JWT participant token runs out (read, not verified), on our clock.

    RealtimeKit's tokens are JWTs issued when asked for; with `iat` and `exp` the token is good
    for `exp - iat` from `now` (so a skew between Cloudflare's clock and ours does not matter),
    with `exp` alone until `exp`. An opaque token, or one without `exp`: None (unknown).
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float):
        return None
    if isinstance(iat, int | float) and exp >= iat:
        return now + timedelta(seconds=exp - iat)
    return datetime.fromtimestamp(exp, UTC)

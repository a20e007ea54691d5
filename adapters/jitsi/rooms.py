"""`JitsiRooms`: the `VideoRooms` port on Jitsi Meet, with no account and no network.

Jitsi has no REST API: a room exists while someone is in it. Creating a room only picks an
unguessable name; deleting one is a no-op (an empty room vanishes by itself).
"""

from __future__ import annotations

from datetime import datetime

from adapters.jitsi.links import ROOM_NAME, build_join_url, build_room_name
from adapters.jitsi.settings import JitsiSettings
from adapters.jitsi.tokens import JoinGrant, build_claims, mint_token, token_window
from core.errors import RoomUnavailable
from core.model import Member, RoomLink, TrainingSession


class JitsiRooms:
    """Jitsi rooms: plain links on meet.jit.si, or per-member JWT links on a token-auth server."""

    provider = "jitsi"
    can_record = False
    """Jitsi rooms are recorded (if at all) from the room's own menu, not by dojobot."""

    def __init__(self, settings: JitsiSettings | None = None) -> None:
        self.settings = settings or JitsiSettings()

    def __repr__(self) -> str:
        auth = "jwt" if self.settings.uses_tokens else "none"
        return f"JitsiRooms(base_url={self.settings.base_url!r}, auth={auth!r})"

    async def create_room(self, session: TrainingSession) -> str:
        """A fresh unguessable room name; nothing is contacted."""
        return build_room_name(session.title)

    async def join_url(
        self, session: TrainingSession, member: Member, is_host: bool, now: datetime
    ) -> RoomLink:
        """The member's link; with token auth it carries a JWT and expires with the token."""
        room = (session.room.room_id or "").lower()
        if not room:
            raise RoomUnavailable("This session has no video room yet. Try again in a minute.")
        if not ROOM_NAME.match(room):
            raise RoomUnavailable("This session's video room is not a Jitsi room.")
        settings = self.settings
        if not settings.uses_tokens:
            options = {"userInfo.displayName": member.display_name, **settings.link_options}
            return RoomLink(url=build_join_url(settings.base_url, room, options=options))
        window = token_window(
            session.start_time,
            session.end_time,
            now,
            lead=settings.token_lead,
            grace=settings.token_grace,
            min_validity=settings.token_min_validity,
            skew=settings.clock_skew,
        )
        grant = JoinGrant(
            room=room,
            user_id=member.id,
            user_name=member.display_name,
            is_host=is_host,
            recording=session.recording_enabled and is_host,
        )
        token = mint_token(settings, build_claims(settings, grant, window, now))
        url = build_join_url(
            settings.base_url,
            room,
            token=token,
            token_in=settings.token_in,
            options=settings.link_options,
        )
        return RoomLink(url=url, expires_at=window.expires_at)

    async def delete_room(self, room_id: str) -> None:
        """No-op: a Jitsi room closes when its last participant leaves."""

    async def withdraw_host(self, session: TrainingSession, member_id: str) -> None:
        """No-op: Jitsi keeps no rights to take back. A link's token says at minting time
        whether its holder is a moderator, and a minted token can't be revoked; links made
        from now on (the join page mints at click time) give the old host a member's token.
        """

    async def end_room(self, room_id: str) -> None:
        """No-op: Jitsi has no room to close; the room empties when the class leaves."""

    async def start_recording(self, room_id: str) -> None:
        """Jitsi rooms cannot be recorded by the bot."""
        raise RoomUnavailable(_NO_RECORDING, _RECORDING_HINT)

    async def stop_recording(self, room_id: str) -> None:
        """Jitsi rooms cannot be recorded by the bot."""
        raise RoomUnavailable(_NO_RECORDING, _RECORDING_HINT)

    async def close(self) -> None:
        """Nothing to release: Jitsi links are built locally."""


_NO_RECORDING = "This session's Jitsi room can't be recorded by dojobot."
_RECORDING_HINT = (
    "Recording needs Cloudflare RealtimeKit rooms (see “Use Cloudflare RealtimeKit” in the "
    "README); in Jitsi, a moderator can record from the room's own menu."
)

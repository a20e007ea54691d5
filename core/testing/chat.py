"""A chat delivery that records what it was asked to send."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import DeliveryRefused, RateLimited
from core.export_file import ExportFile
from core.model import Origin
from core.notices import Notice
from core.views import AnnouncementView


@dataclass(frozen=True)
class Sent:
    """One recorded message: `to` is a member id, a channel id, or `announcement:<id>`."""

    kind: str
    to: str
    text: str
    notice: Notice | None = None
    file: ExportFile | None = None


@dataclass
class RecordingChatDelivery:
    """Records DMs, channel posts and announcements; members in `dms_closed` refuse DMs."""

    sent: list[Sent] = field(default_factory=list)
    dms_closed: set[str] = field(default_factory=set)
    failing: bool = False
    rate_limited: int = 0
    """The next this many DMs are answered "slow down" (RateLimited, retry after 30 s)."""
    _refs: int = 0

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        self._check()
        if self.rate_limited > 0:
            self.rate_limited -= 1
            raise RateLimited("slow down", retry_after=30.0)
        if member_id in self.dms_closed:
            raise DeliveryRefused(f"{member_id} does not accept direct messages")
        self.sent.append(Sent("dm", member_id, notice.text, notice))

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        """Whether a recorded DM to the member carries `marker` (what the platform holds)."""
        self._check()
        return any(s.notice.delivery_marker == marker for s in self.dms_to(member_id) if s.notice)

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        self._check()
        self.sent.append(Sent("channel", origin.channel_id or "", notice.text, notice))

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        session, going = view.session, view.going
        self._check()
        ref = session.origin.message_ref if session.origin else None
        if ref is None:
            self._refs += 1
            ref = f"msg-{self._refs}"
        self.sent.append(
            Sent("announcement", ref, f"{session.title} {session.status.value} {going} going")
        )
        return ref

    async def send_file(self, member_id: str, file: ExportFile) -> None:
        """Records the file (kind "file"); members in `dms_closed` refuse it like a DM."""
        self._check()
        if member_id in self.dms_closed:
            raise DeliveryRefused(f"{member_id} does not accept direct messages")
        self.sent.append(Sent("file", member_id, file.title, file=file))

    def files_to(self, member_id: str) -> list[ExportFile]:
        """The files handed to the member, oldest first."""
        return [s.file for s in self.sent if s.kind == "file" and s.to == member_id and s.file]

    def dms_to(self, member_id: str) -> list[Sent]:
        return [s for s in self.sent if s.kind == "dm" and s.to == member_id]

    def of_kind(self, kind: str) -> list[Sent]:
        return [s for s in self.sent if s.kind == kind]

    def _check(self) -> None:
        if self.failing:
            raise ConnectionError("chat platform unreachable")

"""One ChatDelivery over every connected platform, chosen by member id or origin."""

from __future__ import annotations

from core.announcement_copies import AnnouncementCopies
from core.errors import DeliveryRefused
from core.export_file import ExportFile
from core.model import Origin
from core.notices import Notice
from core.ports import ChatDelivery
from core.views import AnnouncementView


def platform_of(member_id: str) -> str:
    """The platform prefix of a platform-qualified member id ("slack:T1:U2" → "slack")."""
    return member_id.split(":", 1)[0]


class ChatRouter:
    """Sends each message through the front end of the platform it belongs to.

    Member ids are platform-qualified (`terminal:ana`, `slack:T01:U02`, `discord:1234`), and a
    session's origin names the platform of its channel. A message for a platform with no
    connected front end is refused (DMs) or dropped with nothing to edit (announcements).

    With `copies` (channels linked across platforms), a session's card and channel posts
    also go to each channel linked with its origin's, and a DM fallback mention goes to the
    linked channel on the member's own platform.
    """

    def __init__(self, copies: AnnouncementCopies | None = None) -> None:
        self._routes: dict[str, ChatDelivery] = {}
        self.copies = copies

    def connect(self, platform: str, chat: ChatDelivery) -> None:
        """Route `platform`'s messages to `chat` (replacing an earlier route)."""
        self._routes[platform] = chat

    def _route(self, platform: str) -> ChatDelivery:
        try:
            return self._routes[platform]
        except KeyError:
            raise DeliveryRefused(
                f"dojobot is not connected to {platform}.",
                "Configure that front end, or act from a connected one.",
            ) from None

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        await self._route(platform_of(member_id)).send_dm(member_id, notice)

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        return await self._route(platform_of(member_id)).already_delivered(member_id, marker)

    async def send_file(self, member_id: str, file: ExportFile) -> None:
        await self._route(platform_of(member_id)).send_file(member_id, file)

    @property
    def platforms(self) -> list[str]:
        """The connected platforms, sorted."""
        return sorted(self._routes)

    def unreachable_links(self) -> list[str]:
        """The platforms whose channels are linked but which are not connected, sorted."""
        if self.copies is None:
            return []
        linked = {address.platform for link in self.copies.channels.links for address in link}
        return sorted(linked - set(self._routes))

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        """Post in `origin`'s channel (errors raised), then in each linked channel (errors
        logged: a retry of a failed origin post never repeats a linked one)."""
        copies = self.copies
        member = notice.mention_member_id
        if copies is not None and member is not None:
            here = copies.channels.on_platform(origin, platform_of(member))
            if here is not None:  # the member reads the channel of their own platform
                await self._route(here.platform).post_to_channel(here, notice)
                return
        if copies is None or origin.platform in self._routes or member is not None:
            await self._route(origin.platform).post_to_channel(origin, notice)
        if copies is not None and member is None:
            await copies.post(origin, notice, self._routes.get)

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        """The card in the origin's channel (its message ref), then its copies."""
        origin = view.session.origin
        ref: str | None = None
        failure: Exception | None = None
        if origin is not None and origin.platform in self._routes:
            try:
                ref = await self._routes[origin.platform].publish_announcement(view)
            except Exception as error:  # the copies still get theirs; raised after
                failure = error
        if self.copies is not None:
            await self.copies.publish(view, self._routes.get)
        if failure is not None:
            raise failure
        return ref

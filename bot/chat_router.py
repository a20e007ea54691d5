"""One ChatDelivery over every connected platform, chosen by member id or origin."""

from __future__ import annotations

from core.errors import DeliveryRefused
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
    """

    def __init__(self) -> None:
        self._routes: dict[str, ChatDelivery] = {}

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

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        await self._route(origin.platform).post_to_channel(origin, notice)

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        origin = view.session.origin
        if origin is None or origin.platform not in self._routes:
            return None
        return await self._routes[origin.platform].publish_announcement(view)

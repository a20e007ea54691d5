"""Discord identifiers as the core sees them: member ids and announcement references."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import DeliveryRefused

PLATFORM = "discord"

_MEMBER = re.compile(r"discord:(\d{1,20})")
_REF = re.compile(r"m(?P<message>\d+)(?:\.e(?P<event>\d+))?(?:\.h(?P<digest>[0-9a-f]+))?")


def member_id(user_id: int) -> str:
    """`discord:<user_id>`."""
    return f"{PLATFORM}:{user_id}"


def user_id_of(member_id: str) -> int:
    """The Discord user id inside `discord:<user_id>` (DeliveryRefused for anything else)."""
    match = _MEMBER.fullmatch(member_id)
    if match is None:
        raise DeliveryRefused(f"{member_id} is not a Discord member.")
    return int(match[1])


@dataclass(frozen=True)
class AnnouncementRef:
    """The announcement message and the mirrored Scheduled Event, packed into the core's
    opaque `Origin.message_ref` (`m<message>.e<event>.h<digest>`); `digest` fingerprints
    what the event was last set to, so unchanged events are not patched again."""

    message_id: int | None = None
    event_id: int | None = None
    event_digest: str | None = None

    @classmethod
    def parse(cls, ref: str | None) -> AnnouncementRef:
        match = _REF.fullmatch(ref or "")
        if match is None:
            return cls()
        event = match["event"]
        return cls(int(match["message"]), int(event) if event else None, match["digest"])

    def encode(self) -> str | None:
        if self.message_id is None:
            return None
        text = f"m{self.message_id}"
        if self.event_id is not None:
            text += f".e{self.event_id}"
            if self.event_digest:
                text += f".h{self.event_digest}"
        return text

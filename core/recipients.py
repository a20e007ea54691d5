"""Where a DM to a member goes, in which language, and who to mention when DMs are closed.

The core records everything under a member's profile id; a linked member (several platform
identities, one profile) is DMed once, on the platform they prefer (`MemberProfile.address`),
and mentioned in a session's channel by their identity on that channel's platform. A member
without a profile is DMed and mentioned at the id they were recorded under.
"""

from __future__ import annotations

from core.members import Reachable
from core.model import TrainingSession
from core.notices import Notice
from core.telemetry import platform_of


def address_of(profile: Reachable | None, member_id: str) -> str:
    """The identity the member's DMs go to."""
    return profile.address() if profile is not None else member_id


def locale_of(profile: Reachable | None) -> str | None:
    """The language the member reads (None: the default)."""
    return profile.locale if profile is not None else None


def mention_of(profile: Reachable | None, member_id: str, session: TrainingSession) -> str:
    """Who to mention in the session's channel: the member's identity on the channel's
    platform, else where their DMs go."""
    if profile is None:
        return member_id
    channel = session.origin.platform if session.origin is not None else None
    on_channel = [i for i in profile.identities if platform_of(i) == channel]
    return on_channel[0] if on_channel else profile.address()


def in_their_language(notice: Notice, profile: Reachable | None) -> Notice:
    """The notice for this member's DM: in their language, when their profile has one."""
    locale = locale_of(profile)
    return notice if locale is None else notice.model_copy(update={"locale": locale})

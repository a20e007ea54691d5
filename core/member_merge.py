"""What survives when one member's records move onto another's (pure; every store uses it).

Linking an identity into a profile, or forgetting a member into an anonymous id, moves rows
from one member id to another; where both ids hold a row for the same thing one survives:

* per session the better RSVP: going > waitlisted > left, the earlier position on a tie;
* per weekly class one standing RSVP (the earlier made);
* per delivery key the sent one (the earlier sent), else the latest claim (a send may be
  under way under it);
* per held delivery key the earlier due one;
* attendance stays are all kept (one per member and join instant, as `record_join` keeps).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar

from core.members import FORGOTTEN_NAME, MemberProfile
from core.model import AttendanceInterval, Rsvp, RsvpStatus
from core.telemetry import platform_of

_RANK = {
    RsvpStatus.GOING: 0,
    RsvpStatus.OFFERED: 1,
    RsvpStatus.WAITLISTED: 1,
    RsvpStatus.LEFT: 2,
}


def rsvp_rank(rsvp: Rsvp) -> tuple[int, int]:
    """Lower is better: status (going, waitlisted, left), then position."""
    return (_RANK[rsvp.status], rsvp.position)


def better_rsvp(first: Rsvp, second: Rsvp) -> Rsvp:
    """The RSVP that survives when one member holds both for the same session."""
    return first if rsvp_rank(first) <= rsvp_rank(second) else second


class Claim(Protocol):
    """A delivery record as far as merging reads it."""

    @property
    def claimed_at(self) -> datetime: ...

    @property
    def sent_at(self) -> datetime | None: ...


_C = TypeVar("_C", bound=Claim)


def delivery_rank(claimed_at: datetime, sent_at: datetime | None) -> tuple[int, float]:
    """Lower is better: sent (earlier sent first), else the latest claim."""
    if sent_at is not None:
        return (0, sent_at.timestamp())
    return (1, -claimed_at.timestamp())


def kept_delivery(first: _C, second: _C) -> _C:
    """The delivery record that survives when one member holds both for the same key."""
    a = delivery_rank(first.claimed_at, first.sent_at)
    b = delivery_rank(second.claimed_at, second.sent_at)
    return first if a <= b else second


def without_identity(profile: MemberProfile, identity_id: str, now: datetime) -> MemberProfile:
    """The profile once `identity_id` left it (its preferred platform reset when no
    identity of that platform stays)."""
    identities = [i for i in profile.identities if i != identity_id]
    preferred = profile.preferred_platform
    if preferred is not None and all(platform_of(i) != preferred for i in identities):
        preferred = None
    return profile.model_copy(
        update={"identities": identities, "preferred_platform": preferred, "updated_at": now},
        deep=True,
    )


def profile_for_unlinked(profile: MemberProfile, identity_id: str, now: datetime) -> MemberProfile:
    """The profile of its own an unlinked identity gets: same name, zone and language."""
    return MemberProfile(
        id=identity_id,
        display_name=profile.display_name,
        timezone=profile.timezone,
        locale=profile.locale,
        identities=[identity_id],
        last_seen_at=now,
        created_at=now,
        updated_at=now,
    )


def forgotten_stay(
    stays: list[AttendanceInterval], joined_at: datetime
) -> AttendanceInterval | None:
    """The stay begun at `joined_at` that a forget-me kept anonymously, if any: a room's late
    word about it (a leave) goes to that stay, so no name comes back."""
    return next(
        (s for s in stays if s.joined_at == joined_at and s.member_name == FORGOTTEN_NAME), None
    )

"""The member as a first-class record: one profile per person, over every platform.

A profile's `id` is the platform-qualified id it was first seen with (`slack:T01:U02`,
`discord:1234`, `terminal:ana`); RSVPs, attendance and deliveries are recorded under it. Other
platform ids of the same person are `identities` linked to it (`/link`). Profiles are filled
and refreshed from what the platforms tell dojobot each time the member interacts
(`PlatformFacts`), so reminders, which have no interaction, use the latest name, zone and
language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from pydantic import Field, field_validator

from core.model import Model, ReminderKind, ensure_utc
from core.telemetry import platform_of

LINK_CODE_TTL = timedelta(minutes=10)
"""How long a `/link` code can be entered on the other platform."""
FORGET_CONFIRM_TTL = timedelta(minutes=10)
"""How long a `/forget-me` confirmation stays valid."""
FORGOTTEN_NAME = "(forgotten member)"
"""What records kept for anonymous counts show instead of a forgotten member's name."""


class ReminderRoute(StrEnum):
    """Where a member's reminders go."""

    DM = "dm"
    NONE = "none"


class QuietHours(Model):
    """A daily span in the member's own zone when reminders wait (may wrap past midnight)."""

    start: time
    end: time

    @field_validator("start", "end")
    @classmethod
    def _plain(cls, value: time) -> time:
        return value.replace(tzinfo=None, second=0, microsecond=0)


class ClassReminderOverride(Model):
    """A member's reminder choice for one weekly class (its root id), over their default."""

    kinds: list[ReminderKind] | None = None
    route: ReminderRoute | None = None


class ReminderPreferences(Model):
    """Which reminders a member gets, where, and when not; None means the association's default."""

    kinds: list[ReminderKind] | None = None
    """Standard kinds wanted (24h, 1h, 10m) plus at most one custom lead kind."""
    route: ReminderRoute | None = None
    quiet_hours: QuietHours | None = None
    per_class: dict[str, ClassReminderOverride] = Field(default_factory=dict)
    """Overrides per weekly class, keyed by the class's id (its root id)."""
    seat_notice: timedelta | None = None
    """Waitlist offers: don't offer a seat with less than this before the start (None: any)."""


class MemberProfile(Model):
    """One person: name, zone, language, platform identities, preferences, last seen."""

    id: str = Field(min_length=1)
    display_name: str = Field(min_length=1)
    timezone: str | None = None
    """IANA zone from the platform (Slack users.info `tz`), or None when never told."""
    locale: str | None = None
    """Language tag (`en`, `ja`, `de`, `es`, `fr`, `pt-BR`…) from the platform, or chosen."""
    identities: list[str] = Field(default_factory=list)
    """Every platform-qualified id that is this person, `id` first."""
    preferred_platform: str | None = None
    """Where reminders go for a linked member (`slack`, `discord`…); None: the profile's own."""
    preferences: ReminderPreferences = Field(default_factory=ReminderPreferences)
    last_seen_at: datetime
    created_at: datetime
    updated_at: datetime

    @field_validator("last_seen_at", "created_at", "updated_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)

    def address(self) -> str:
        """The identity reminders and DMs go to: the preferred platform's, else `id`."""
        return address_among(self.id, self.identities, self.preferred_platform)

    def addressee(self) -> Addressee:
        """The part of the profile that reaching the member needs."""
        return Addressee(
            id=self.id,
            timezone=self.timezone,
            locale=self.locale,
            identities=tuple(self.identities),
            preferred_platform=self.preferred_platform,
            preferences=self.preferences,
        )


@dataclass(frozen=True, slots=True)
class Addressee:
    """A member as reminders reach them: the part of their profile that decides where DMs go
    (a linked member's preferred platform), in which language and zone, and which reminders
    they get. The reminder dispatch reads only this (`SessionStore.get_addressees`): no
    name, no time stamps, nothing validated twice."""

    id: str
    timezone: str | None
    locale: str | None
    identities: tuple[str, ...]
    """Every platform-qualified id that is this person, `id` first."""
    preferred_platform: str | None
    preferences: ReminderPreferences
    """Shared, never changed in place (a value read once per distinct stored text)."""

    def address(self) -> str:
        """The identity reminders and DMs go to: the preferred platform's, else `id`."""
        return address_among(self.id, self.identities, self.preferred_platform)


Reachable = MemberProfile | Addressee
"""What the recipient rules (`core.recipients`, `core.reminder_preferences`) read: a whole
profile or its addressee part."""


def address_among(profile_id: str, identities: Sequence[str], preferred: str | None) -> str:
    """The identity DMs go to: the first of `identities` on the `preferred` platform, else
    the profile's own id."""
    if preferred is not None:
        for identity in identities:
            if platform_of(identity) == preferred:
                return identity
    return profile_id


class PlatformFacts(Model):
    """What a platform told dojobot about the member acting now (None: it said nothing)."""

    member_id: str = Field(min_length=1)
    display_name: str = Field(min_length=1)
    timezone: str | None = None
    locale: str | None = None
    front_end: str | None = None
    """Which front end the member acts through ("slack", "discord", "terminal", "api", …):
    the audit log records it."""


class CodePurpose(StrEnum):
    LINK = "link"
    """Entered on another platform, it links that identity into the asker's profile."""
    FORGET = "forget"
    """Confirms a `/forget-me` (or an admin's forget) of `member_id`."""


class MemberCode(Model):
    """A one-time code proving who asked for something, usable once within its TTL."""

    code: str
    purpose: CodePurpose
    member_id: str
    """The profile the code acts on (LINK: the profile the other identity joins)."""
    issued_by: str
    """The identity that asked for it (for FORGET by an admin: the admin)."""
    expires_at: datetime

    @field_validator("expires_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)

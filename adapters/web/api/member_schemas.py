"""Request and response bodies of the member operations (/api/me…, /api/members/{id}…).

A time of day is `"HH:MM"` (24-hour, in the member's own zone); reminder kinds are the
core's (`24h`, `1h`, `10m` and the custom lead times); a field left out or null means the
association's default.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from adapters.web.api.schemas import ID_PATTERN, Request, Response
from adapters.web.api.series_schemas import LocalTime
from core.members import (
    ClassReminderOverride,
    MemberCode,
    MemberProfile,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import ReminderKind

CODE_PATTERN = r"^[A-Za-z0-9 ]{1,32}$"
MAX_CLASS_OVERRIDES = 100

Kinds = Annotated[list[ReminderKind], Field(max_length=len(ReminderKind))]
ClassId = Annotated[str, Field(pattern=ID_PATTERN)]


class QuietHoursBody(Request):
    """A daily span when reminders wait, in the member's own zone; it may wrap past
    midnight (22:00-07:00)."""

    start: LocalTime
    end: LocalTime


class ClassRemindersBody(Request):
    """The member's choice for one weekly class, over their default."""

    class_id: ClassId
    """The weekly class's id."""
    kinds: Kinds | None = None
    route: ReminderRoute | None = None


class RemindersBody(Request):
    """PUT /api/me/reminders: the member's whole choice (what is left out or null goes
    back to the association's default)."""

    kinds: Kinds | None = None
    """The reminders wanted: any of 24h, 1h, 10m and at most one custom lead time."""
    route: ReminderRoute | None = None
    """`dm`: by direct message; `none`: no reminders."""
    quiet_hours: QuietHoursBody | None = None
    per_class: Annotated[list[ClassRemindersBody], Field(max_length=MAX_CLASS_OVERRIDES)] = Field(
        default_factory=list
    )
    """Overrides per weekly class (for a class given twice, the last one)."""

    def preferences(self) -> ReminderPreferences:
        quiet = self.quiet_hours
        return ReminderPreferences(
            kinds=self.kinds,
            route=self.route,
            quiet_hours=None if quiet is None else QuietHours(start=quiet.start, end=quiet.end),
            per_class={
                o.class_id: ClassReminderOverride(kinds=o.kinds, route=o.route)
                for o in self.per_class
            },
        )


class CodeBody(Request):
    """A one-time code as it was shown (case and spaces do not matter)."""

    code: Annotated[str, Field(pattern=CODE_PATTERN)]


class QuietHoursOut(Response):
    start: str
    """"HH:MM" in the member's zone."""
    end: str


class ClassRemindersOut(Response):
    class_id: str
    kinds: list[ReminderKind] | None
    route: ReminderRoute | None


class RemindersOut(Response):
    """The member's reminder choice; null: the association's default."""

    kinds: list[ReminderKind] | None
    route: ReminderRoute | None
    quiet_hours: QuietHoursOut | None
    per_class: list[ClassRemindersOut]

    @classmethod
    def of(cls, preferences: ReminderPreferences) -> RemindersOut:
        quiet = preferences.quiet_hours
        return cls(
            kinds=preferences.kinds,
            route=preferences.route,
            quiet_hours=None
            if quiet is None
            else QuietHoursOut(start=f"{quiet.start:%H:%M}", end=f"{quiet.end:%H:%M}"),
            per_class=[
                ClassRemindersOut(class_id=class_id, kinds=o.kinds, route=o.route)
                for class_id, o in sorted(preferences.per_class.items())
            ],
        )


class ProfileOut(Response):
    """Everything dojobot stores about the member."""

    id: str
    """The profile id: what RSVPs and attendance are recorded under."""
    acting_id: str
    """The account this request came from (one of `identities`)."""
    display_name: str
    timezone: str | None
    locale: str | None
    identities: list[str]
    """Every account that is this member (linked with a code), the profile's own first."""
    preferred_platform: str | None
    reminders: RemindersOut
    last_seen_at: datetime
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, profile: MemberProfile, acting_id: str) -> ProfileOut:
        return cls(
            id=profile.id,
            acting_id=acting_id,
            display_name=profile.display_name,
            timezone=profile.timezone,
            locale=profile.locale,
            identities=profile.identities,
            preferred_platform=profile.preferred_platform,
            reminders=RemindersOut.of(profile.preferences),
            last_seen_at=profile.last_seen_at,
            created_at=profile.created_at,
            updated_at=profile.updated_at,
        )


class CodeOut(Response):
    """A one-time code, valid once until `expires_at`."""

    code: str
    member_id: str
    """The profile it acts on."""
    expires_at: datetime
    next_step: str
    """What to do with it."""

    @classmethod
    def of(cls, code: MemberCode, next_step: str) -> CodeOut:
        return cls(
            code=code.code,
            member_id=code.member_id,
            expires_at=code.expires_at,
            next_step=next_step,
        )


class ForgottenOut(Response):
    """The member is forgotten: profile and personal data deleted everywhere."""

    kept_anonymously: int
    """How many records (RSVPs, stays in rooms) stay, with no name or id, for the counts."""

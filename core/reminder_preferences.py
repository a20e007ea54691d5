"""Reminder preferences (pure rules): who gets which reminder, where, and when.

A member's `ReminderPreferences` (None fields: the association's `ReminderDefaults`), with
the override of the weekly class a session belongs to on top, decide:

- which kinds they get: any of the standard 24 h / 1 h / 10 min, plus at most one custom
  lead time from the menu (`core.reminders.CUSTOM_KINDS`);
- where: by DM, or not at all (`ReminderRoute.NONE`); a channel mention is only the
  fallback for closed DMs;
- when not: quiet hours in their own zone. A reminder due inside them is held until they
  end if it is still useful then, else skipped.

A member's reminder is useful until the next reminder that member gets for the session is
due, else until the start; a standard one also never later than the next standard time
(1 h, 10 min before: what every reminder row allows, see `core.reminders.plan_reminders`).
Held that long, a reminder would only land next to a fresher one, or after the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from core.errors import InvalidInput
from core.i18n import t
from core.members import QuietHours, Reachable, ReminderPreferences, ReminderRoute
from core.model import Model, ReminderKind
from core.reminders import CUSTOM_KINDS, LEADS, STANDARD_KINDS, by_lead


def _customs(kinds: list[ReminderKind]) -> str | None:
    """The custom lead times in `kinds` when there are several (a mistake), else None."""
    custom = [kind for kind in dict.fromkeys(kinds) if kind in CUSTOM_KINDS]
    return ", ".join(k.value for k in custom) if len(custom) > 1 else None


def one_custom(kinds: list[ReminderKind]) -> list[ReminderKind]:
    """`kinds` earliest first (ValueError when more than one custom lead time)."""
    several = _customs(kinds)
    if several is not None:
        raise ValueError(f"at most one custom lead time, not {several}")
    return by_lead(kinds)


class ReminderDefaults(Model):
    """What the association chose for members who did not choose (settings)."""

    kinds: list[ReminderKind] = Field(default_factory=lambda: list(STANDARD_KINDS))
    """The reminders a member gets by DM unless they chose otherwise."""
    route: ReminderRoute = ReminderRoute.DM
    channel_kinds: list[ReminderKind] = Field(default_factory=lambda: [ReminderKind.BEFORE_10M])
    """The reminders also posted in the session's channel (default: "starting soon" only)."""
    timezone: str = "UTC"
    """The zone of quiet hours for members whose platform never told their zone."""

    @field_validator("kinds", "channel_kinds")
    @classmethod
    def _kinds(cls, value: list[ReminderKind]) -> list[ReminderKind]:
        return one_custom(value)


def check_preferences(preferences: ReminderPreferences) -> ReminderPreferences:
    """Refuse more than one custom lead time, in the default or any class override
    (InvalidInput naming the menu); kinds come back ordered earliest first."""
    chosen = [preferences.kinds, *(o.kinds for o in preferences.per_class.values())]
    for kinds in chosen:
        several = None if kinds is None else _customs(kinds)
        if several is not None:
            raise InvalidInput(
                t("You chose more than one custom lead time: {kinds}.", kinds=several),
                t(
                    "Choose one custom lead time ({menu}) next to 24h, 1h and 10m.",
                    menu=", ".join(kind.value for kind in CUSTOM_KINDS),
                ),
            )
    kinds = None if preferences.kinds is None else by_lead(preferences.kinds)
    per_class = {
        class_id: override.model_copy(
            update={"kinds": None if override.kinds is None else by_lead(override.kinds)}
        )
        for class_id, override in preferences.per_class.items()
    }
    return preferences.model_copy(update={"kinds": kinds, "per_class": per_class})


@dataclass(frozen=True)
class MemberReminders:
    """What one member gets for one session: their kinds (earliest first), by DM or not at
    all, their quiet hours and the zone they are read in."""

    kinds: tuple[ReminderKind, ...]
    route: ReminderRoute
    quiet: QuietHours | None = None
    zone: str = "UTC"

    def wants(self, kind: ReminderKind) -> bool:
        """Whether this member gets `kind` by DM."""
        return self.route is ReminderRoute.DM and kind in self.kinds

    @property
    def custom(self) -> ReminderKind | None:
        """Their custom lead kind, when they get reminders and chose one."""
        if self.route is not ReminderRoute.DM:
            return None
        return next((kind for kind in self.kinds if kind in CUSTOM_KINDS), None)


def member_reminders(
    profile: Reachable | None, defaults: ReminderDefaults, class_id: str | None = None
) -> MemberReminders:
    """The member's reminders for a session of weekly class `class_id` (None: a one-off):
    the class override over their own choice over the association's defaults. No profile:
    the defaults."""
    if profile is None:
        return MemberReminders(tuple(defaults.kinds), defaults.route, None, defaults.timezone)
    preferences = profile.preferences
    override = preferences.per_class.get(class_id) if class_id is not None else None
    kinds = override.kinds if override is not None and override.kinds is not None else None
    if kinds is None:
        kinds = preferences.kinds if preferences.kinds is not None else defaults.kinds
    route = override.route if override is not None and override.route is not None else None
    if route is None:
        route = preferences.route if preferences.route is not None else defaults.route
    return MemberReminders(
        kinds=_kept(tuple(kinds)),
        route=route,
        quiet=preferences.quiet_hours,
        zone=profile.timezone or defaults.timezone,
    )


@lru_cache(maxsize=256)
def _kept(kinds: tuple[ReminderKind, ...]) -> tuple[ReminderKind, ...]:
    """Stored kinds, earliest first, keeping only the first custom one (a stored list is
    checked when chosen; this only keeps a bad row harmless)."""
    ordered = by_lead(kinds)
    custom = [kind for kind in ordered if kind in CUSTOM_KINDS][:1]
    return tuple(kind for kind in ordered if kind in STANDARD_KINDS or kind in custom)


def member_useful_until(
    kind: ReminderKind, start: datetime, row_useful_until: datetime, kinds: tuple[ReminderKind, ...]
) -> datetime:
    """Until when the member's `kind` reminder is worth sending: the next later kind of that
    member is due, else the start; never later than the reminder row allows."""
    later = [k for k in kinds if LEADS[k] < LEADS[kind]]
    own = start - max((LEADS[k] for k in later), default=timedelta(0))
    return min(own, row_useful_until)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_end(quiet: QuietHours | None, zone: str, now: datetime) -> datetime | None:
    """When the quiet hours `now` falls in end (UTC), or None when `now` is not inside
    them. Read in the member's `zone` (unknown: UTC); a span whose start is after its end
    wraps past midnight; start == end is no quiet time at all."""
    if quiet is None or quiet.start == quiet.end:
        return None
    tz = _zone(zone)
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    day = local.date()
    if quiet.start < quiet.end:
        if not quiet.start <= clock < quiet.end:
            return None
    elif clock >= quiet.start:
        day += timedelta(days=1)
    elif clock >= quiet.end:
        return None
    ends = datetime.combine(day, quiet.end, tzinfo=tz).astimezone(UTC)
    return ends if ends > now else None


@dataclass(frozen=True)
class Decision:
    """For one member's due reminder: send now, hold until `hold_until`, or skip."""

    send_now: bool
    hold_until: datetime | None
    useful_until: datetime

    @property
    def skip(self) -> bool:
        return not self.send_now and self.hold_until is None


def decide(
    member: MemberReminders,
    kind: ReminderKind,
    start: datetime,
    row_useful_until: datetime,
    now: datetime,
) -> Decision:
    """What to do with the member's `kind` reminder due at `now` (they want it by DM):
    send it; hold it to the end of their quiet hours if it is still useful then; or skip
    it (no longer useful, or useful only until inside their quiet hours)."""
    useful = member_useful_until(kind, start, row_useful_until, member.kinds)
    if now >= useful:
        return Decision(False, None, useful)
    ends = quiet_end(member.quiet, member.zone, now)
    if ends is None:
        return Decision(True, None, useful)
    return Decision(False, ends if ends < useful else None, useful)


def custom_kinds_wanted(
    members: list[MemberReminders], defaults: ReminderDefaults, has_channel: bool
) -> set[ReminderKind]:
    """The custom kinds to plan for a session: those its going members chose, and those
    the association posts in the channel when the session has one."""
    wanted = {m.custom for m in members if m.custom is not None}
    if has_channel:
        wanted |= {kind for kind in defaults.channel_kinds if kind in CUSTOM_KINDS}
    return wanted

"""The components of the member commands: `/reminders`' select menus and `/forget-me`'s
Confirm / Cancel buttons. Their state lives in the custom_id, read by DynamicItems registered
at start-up, so they work after a restart and in any process:

- `dojobot:rem:<field>:<class id>`: a reminders select (`kinds`, `route`, `qs` quiet start,
  `qe` quiet end) or the reset button; the class id is empty for the member's own choice;
- `dojobot:forget:<code>` confirms the forgetting the code names; `dojobot:forget-no` cancels.

Who acts is always the interaction's user; a choice is saved the moment it is made.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any, Protocol, Self

import discord

from adapters.discord import limits
from adapters.discord.buttons import PREFIX, SESSION_ID
from adapters.discord.limits import fit
from adapters.discord.words import t
from core.i18n import ENGLISH, Text, Translator, localize
from core.members import ClassReminderOverride, QuietHours, ReminderPreferences, ReminderRoute
from core.model import ReminderKind
from core.reminder_preferences import ReminderDefaults
from core.reminders import CUSTOM_KINDS, LEADS, STANDARD_KINDS

Interaction = discord.Interaction[Any]

KINDS, ROUTE, QUIET_START, QUIET_END, RESET = "kinds", "route", "qs", "qe", "reset"
FIELDS = (KINDS, ROUTE, QUIET_START, QUIET_END, RESET)
REMINDERS_TEMPLATE = (
    rf"^{PREFIX}:rem:(?P<field>{'|'.join(FIELDS)}):(?P<class_id>(?:{SESSION_ID})?)$"
)
FORGET_TEMPLATE = rf"^{PREFIX}:forget:(?P<code>[A-Za-z0-9]{{1,40}})$"
FORGET_CANCEL = f"{PREFIX}:forget-no"
DEFAULT = "default"
OFF = "off"
DEFAULT_QUIET = QuietHours(start=time(22), end=time(7))
"""Where quiet hours start when a member sets only one end of them."""


class MemberComponentHandler(Protocol):
    """What the member components do (implemented by `MemberActions`)."""

    async def reminders_chosen(
        self, interaction: Interaction, field: str, class_id: str | None, values: list[str]
    ) -> None:
        """A reminders select changed (or its reset button was pressed): save and show."""

    async def forget_confirmed(self, interaction: Interaction, code: str) -> None:
        """Confirm on a `/forget-me` prompt."""

    async def forget_canceled(self, interaction: Interaction) -> None:
        """Cancel on a `/forget-me` prompt."""


def reminders_id(field: str, class_id: str | None) -> str:
    """`dojobot:rem:<field>:<class id>` (at most 100 characters)."""
    custom_id = f"{PREFIX}:rem:{field}:{class_id or ''}"
    if len(custom_id) > limits.CUSTOM_ID.max or not re.fullmatch(REMINDERS_TEMPLATE, custom_id):
        raise ValueError(f"no reminders custom_id for class {class_id!r}")
    return custom_id


def forget_id(code: str) -> str:
    """`dojobot:forget:<code>`."""
    return f"{PREFIX}:forget:{code}"


# what a choice changes ----------------------------------------------------------------
def kind_label(kind: ReminderKind) -> Text:
    """`48 h before`, `10 min before`…"""
    minutes = int(LEADS[kind].total_seconds() // 60)
    if minutes % 60 == 0:
        return t("{hours} h before", hours=minutes // 60)
    return t("{minutes} min before", minutes=minutes)


def hour_label(hour: time) -> str:
    return hour.strftime("%H:%M")


def changed(
    preferences: ReminderPreferences, field: str, class_id: str | None, values: list[str]
) -> ReminderPreferences:
    """The preferences after the member chose `values` in select `field` (of a class's
    override when `class_id` is set). ValueError for a value no menu offers."""
    if class_id is not None:
        return _class_changed(preferences, field, class_id, values)
    if field == KINDS:
        return preferences.model_copy(update={"kinds": [ReminderKind(v) for v in values]})
    if field == ROUTE:
        return preferences.model_copy(update={"route": _route(values)})
    if field in (QUIET_START, QUIET_END):
        return preferences.model_copy(update={"quiet_hours": _quiet(preferences, field, values)})
    if field == RESET:
        return ReminderPreferences(per_class=preferences.per_class)
    raise ValueError(f"unknown reminders field {field!r}")


def _class_changed(
    preferences: ReminderPreferences, field: str, class_id: str, values: list[str]
) -> ReminderPreferences:
    per_class = dict(preferences.per_class)
    override = per_class.get(class_id) or ClassReminderOverride()
    if field == KINDS:
        override = override.model_copy(update={"kinds": [ReminderKind(v) for v in values]})
    elif field == ROUTE:
        override = override.model_copy(update={"route": _route(values)})
    elif field == RESET:
        override = ClassReminderOverride()
    else:
        raise ValueError(f"no {field!r} for a weekly class")
    if override.kinds is None and override.route is None:
        per_class.pop(class_id, None)
    else:
        per_class[class_id] = override
    return preferences.model_copy(update={"per_class": per_class})


def _route(values: list[str]) -> ReminderRoute | None:
    value = values[0] if values else DEFAULT
    return None if value == DEFAULT else ReminderRoute(value)


def _quiet(preferences: ReminderPreferences, field: str, values: list[str]) -> QuietHours | None:
    value = values[0] if values else OFF
    if value == OFF:
        return None
    hour = time(int(value))
    current = preferences.quiet_hours or DEFAULT_QUIET
    if field == QUIET_START:
        return QuietHours(start=hour, end=current.end)
    return QuietHours(start=current.start, end=hour)


# what the message shows ---------------------------------------------------------------
class _SentSelect(discord.ui.Select[Any]):
    """A select as posted: its choices go to the registered DynamicItems."""

    def is_dispatchable(self) -> bool:
        return False


class _SentButton(discord.ui.Button[Any]):
    def is_dispatchable(self) -> bool:
        return False


def _option(label: str, value: str, chosen: bool, tr: Translator) -> discord.SelectOption:
    text = fit(localize(label, tr), limits.SELECT_OPTION_TEXT)
    return discord.SelectOption(label=text, value=value, default=chosen)


def kinds_got(
    preferences: ReminderPreferences, class_id: str | None, defaults: ReminderDefaults
) -> list[ReminderKind]:
    """The kinds the member gets: the class's own choice, else theirs, else the
    association's `defaults` (what the kinds menu shows ticked, as Slack's Home tab does)."""
    override = preferences.per_class.get(class_id) if class_id is not None else None
    for kinds in (override.kinds if override is not None else None, preferences.kinds):
        if kinds is not None:
            return list(kinds)
    return list(defaults.kinds)


def reminders_view(
    preferences: ReminderPreferences,
    class_id: str | None = None,
    tr: Translator = ENGLISH,
    defaults: ReminderDefaults | None = None,
) -> discord.ui.View:
    """The select menus of `/reminders` showing the current choice: which kinds (those the
    member gets ticked, the association's `defaults` where they keep them), where, and quiet
    hours (not per class); and a button back to the defaults; worded by `tr`."""
    override = preferences.per_class.get(class_id) if class_id is not None else None
    if class_id is None:
        route = preferences.route
    else:  # None: "Same as my other reminders"
        route = override.route if override is not None else None
    ticked = kinds_got(preferences, class_id, defaults or ReminderDefaults())
    view = discord.ui.View(timeout=None)
    menu = [*STANDARD_KINDS, *CUSTOM_KINDS]
    view.add_item(
        _SentSelect(
            custom_id=reminders_id(KINDS, class_id),
            placeholder=localize(t("Which reminders"), tr),
            min_values=0,
            max_values=len(menu),
            options=[_option(kind_label(k), k.value, k in ticked, tr) for k in menu],
            row=0,
        )
    )
    view.add_item(
        _SentSelect(
            custom_id=reminders_id(ROUTE, class_id),
            placeholder=localize(t("Where"), tr),
            options=[
                _option(t("By DM"), ReminderRoute.DM.value, route is ReminderRoute.DM, tr),
                _option(t("Not at all"), ReminderRoute.NONE.value, route is ReminderRoute.NONE, tr),
                _option(
                    t("The association's default")
                    if class_id is None
                    else t("Same as my other reminders"),
                    DEFAULT,
                    route is None,
                    tr,
                ),
            ],
            row=1,
        )
    )
    if class_id is None:
        quiet = preferences.quiet_hours
        for row, field, at in (
            (2, QUIET_START, quiet.start if quiet else None),
            (3, QUIET_END, quiet.end if quiet else None),
        ):
            hours = [_option(_quiet_label(field, None), OFF, at is None, tr)] + [
                _option(_quiet_label(field, time(h)), str(h), at == time(h), tr) for h in range(24)
            ]
            view.add_item(_SentSelect(custom_id=reminders_id(field, None), options=hours, row=row))
    view.add_item(
        _SentButton(
            label=localize(
                t("Back to the defaults") if class_id is None else t("Same as my other reminders"),
                tr,
            ),
            style=discord.ButtonStyle.secondary,
            custom_id=reminders_id(RESET, class_id),
            row=4,
        )
    )
    return view


def _quiet_label(field: str, at: time | None) -> Text:
    """`Quiet hours start: 22:00`, `Quiet hours end: off`…"""
    if field == QUIET_START:
        if at is None:
            return t("Quiet hours start: off")
        return t("Quiet hours start: {hour}", hour=hour_label(at))
    if at is None:
        return t("Quiet hours end: off")
    return t("Quiet hours end: {hour}", hour=hour_label(at))


def forget_view(code: str, tr: Translator = ENGLISH) -> discord.ui.View:
    """Confirm (carrying the confirmation code) and Cancel, labelled by `tr`."""
    view = discord.ui.View(timeout=None)
    confirm, cancel = localize(t("Confirm"), tr), localize(t("Cancel"), tr)
    view.add_item(
        _SentButton(label=confirm, style=discord.ButtonStyle.danger, custom_id=forget_id(code))
    )
    view.add_item(
        _SentButton(label=cancel, style=discord.ButtonStyle.secondary, custom_id=FORGET_CANCEL)
    )
    return view


# what receives the choices ------------------------------------------------------------
class RemindersChoice(discord.ui.DynamicItem[discord.ui.Item[Any]], template=REMINDERS_TEMPLATE):
    """A choice in a `/reminders` message; `handler` is set by `member_components`."""

    handler: MemberComponentHandler

    def __init__(self, field: str, class_id: str | None, item: discord.ui.Item[Any]) -> None:
        super().__init__(item)
        self.field = field
        self.class_id = class_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["field"], match["class_id"] or None, item)

    async def callback(self, interaction: Interaction) -> None:
        values = list(getattr(self.item, "values", []))
        await self.handler.reminders_chosen(interaction, self.field, self.class_id, values)


class ForgetConfirm(discord.ui.DynamicItem[discord.ui.Button[Any]], template=FORGET_TEMPLATE):
    """Confirm on a `/forget-me` prompt."""

    handler: MemberComponentHandler

    def __init__(self, code: str) -> None:
        super().__init__(discord.ui.Button(label="Confirm", custom_id=forget_id(code)))
        self.code = code

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["code"])

    async def callback(self, interaction: Interaction) -> None:
        await self.handler.forget_confirmed(interaction, self.code)


class ForgetCancel(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"^{re.escape(FORGET_CANCEL)}$"
):
    """Cancel on a `/forget-me` prompt."""

    handler: MemberComponentHandler

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Cancel", custom_id=FORGET_CANCEL))

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls()

    async def callback(self, interaction: Interaction) -> None:
        await self.handler.forget_canceled(interaction)


def member_components(
    handler: MemberComponentHandler,
) -> tuple[type[discord.ui.DynamicItem[Any]], ...]:
    """The DynamicItem classes to register at start-up; every choice goes to `handler`."""

    class Reminders(RemindersChoice, template=REMINDERS_TEMPLATE):
        pass

    class Confirm(ForgetConfirm, template=FORGET_TEMPLATE):
        pass

    class Cancel(ForgetCancel, template=rf"^{re.escape(FORGET_CANCEL)}$"):
        pass

    for item in (Reminders, Confirm, Cancel):
        item.handler = handler
    return Reminders, Confirm, Cancel

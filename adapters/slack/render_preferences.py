"""A member's reminder preferences as Block Kit: the App Home tab and the /reminders modal.

Both show the same interactive elements (section accessories and an actions block), which
save on change (`block_actions`, read by `preferences_form`): checkboxes for the standard
reminders, a select for one custom lead time, a select for where reminders go, time pickers
for quiet hours in the member's own zone, and buttons to clear quiet hours or go back to the
association's defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from adapters.slack.commands import escape
from adapters.slack.render_common import Block, button, context, cut, mrkdwn, plain, quoted
from adapters.slack.words import say, t, tn
from core.i18n import ENGLISH, Translator, joined
from core.members import MemberProfile, ReminderPreferences, ReminderRoute
from core.model import ReminderKind
from core.reminder_preferences import ReminderDefaults
from core.reminders import CUSTOM_KINDS, LEADS, STANDARD_KINDS
from core.series import Series

ACTION_KINDS = "dojo_pref_kinds"
ACTION_CUSTOM = "dojo_pref_custom"
ACTION_ROUTE = "dojo_pref_route"
ACTION_QUIET_START = "dojo_pref_quiet_start"
ACTION_QUIET_END = "dojo_pref_quiet_end"
ACTION_QUIET_CLEAR = "dojo_pref_quiet_clear"
ACTION_DEFAULTS = "dojo_pref_defaults"
ACTION_CLASS = "dojo_pref_class"
"""Where one weekly class's reminders go; the class's id follows CLASS_BLOCK in the block id."""
CLASS_BLOCK = "pref_class_"
CLASS_DEFAULT = "default"
"""The per-class select's value for "as my other reminders" (no override)."""
CLASSES_SHOWN = 20
"""At most this many weekly classes get a select (a Home tab holds 100 blocks)."""
PREFERENCE_ACTIONS = frozenset(
    {
        ACTION_KINDS,
        ACTION_CUSTOM,
        ACTION_ROUTE,
        ACTION_QUIET_START,
        ACTION_QUIET_END,
        ACTION_QUIET_CLEAR,
        ACTION_DEFAULTS,
        ACTION_CLASS,
    }
)
"""Every element of the preferences; each saves at once when changed."""
CALLBACK_PREFERENCES = "dojo_preferences"
"""The /reminders modal's callback id (it has no submit: every change is saved at once)."""
NO_CUSTOM = "off"
"""The custom-lead select's value for "no extra reminder"."""

DEFAULTS = ReminderDefaults()
"""The association's defaults when none are given (tests, previews)."""
_ROUTE_TEXT = {ReminderRoute.DM: t("Direct message"), ReminderRoute.NONE: t("No reminders")}


def _option(text: str, value: str) -> Block:
    return {"text": plain(text, 75), "value": value}


def _lead_text(kind: ReminderKind) -> str:
    """`48 hours before`, `1 hour before`, `30 minutes before` (a `Text`)."""
    minutes = int(LEADS[kind].total_seconds()) // 60
    if minutes % 60:
        return tn("{n} minute before", "{n} minutes before", minutes)
    return tn("{n} hour before", "{n} hours before", minutes // 60)


def kind_options(tr: Translator = ENGLISH) -> dict[ReminderKind, Block]:
    """The standard reminders' checkboxes."""
    return {k: _option(say(_lead_text(k), tr), k.value) for k in STANDARD_KINDS}


def custom_options(tr: Translator = ENGLISH) -> dict[str, Block]:
    """The custom lead time's choices."""
    return {
        NO_CUSTOM: _option(say(t("No extra reminder"), tr), NO_CUSTOM),
        **{k.value: _option(say(_lead_text(k), tr), k.value) for k in CUSTOM_KINDS},
    }


def route_options(tr: Translator = ENGLISH) -> dict[str, Block]:
    """Where reminders go."""
    return {r.value: _option(say(text, tr), r.value) for r, text in _ROUTE_TEXT.items()}


def class_options(tr: Translator = ENGLISH) -> dict[str, Block]:
    """Where one weekly class's reminders go."""
    return {
        CLASS_DEFAULT: _option(say(t("As my other reminders"), tr), CLASS_DEFAULT),
        ReminderRoute.DM.value: _option(say(t("By direct message"), tr), ReminderRoute.DM.value),
        ReminderRoute.NONE.value: _option(
            say(t("None for this class"), tr), ReminderRoute.NONE.value
        ),
    }


def chosen_kinds(
    preferences: ReminderPreferences, defaults: ReminderDefaults
) -> list[ReminderKind]:
    """The kinds the member gets: theirs, or the association's while they keep the default."""
    return list(defaults.kinds if preferences.kinds is None else preferences.kinds)


def preference_blocks(
    profile: MemberProfile,
    zone: str,
    problem: str | None = None,
    classes: Sequence[Series] = (),
    defaults: ReminderDefaults = DEFAULTS,
    tr: Translator = ENGLISH,
) -> list[Block]:
    """The interactive preferences of `profile` in `tr`'s language, quiet hours read in
    `zone`, with one select per weekly class in `classes`; where the member keeps the
    association's `defaults`, those are shown."""
    kind_choices, custom_choices = kind_options(tr), custom_options(tr)
    route_choices = route_options(tr)
    preferences = profile.preferences
    kinds = chosen_kinds(preferences, defaults)
    blocks: list[Block] = []
    if problem is not None:
        blocks.append(mrkdwn(f":warning: {escape(problem)}"))
    checkboxes: Block = {
        "type": "checkboxes",
        "action_id": ACTION_KINDS,
        "options": list(kind_choices.values()),
    }
    ticked = [kind_choices[k] for k in STANDARD_KINDS if k in kinds]
    if ticked:
        checkboxes["initial_options"] = ticked
    blocks.append(_section("pref_kinds", say(t("*Which reminders*"), tr), checkboxes))
    custom = next((k for k in kinds if k in CUSTOM_KINDS), None)
    blocks.append(
        _section(
            "pref_custom",
            say(t("*One more reminder* at a lead time you choose"), tr),
            _select(
                ACTION_CUSTOM,
                custom_choices[custom.value if custom else NO_CUSTOM],
                custom_choices,
                placeholder=say(t("Choose"), tr),
            ),
        )
    )
    route = preferences.route
    blocks.append(
        _section(
            "pref_route",
            say(t("*Where* (a closed DM falls back to a mention in the channel)"), tr),
            _select(
                ACTION_ROUTE,
                route_choices[route] if route is not None else None,
                route_choices,
                placeholder=say(
                    t(
                        "As the association sets it ({route})",
                        route=say(_ROUTE_TEXT[defaults.route], tr),
                    ),
                    tr,
                ),
            ),
        )
    )
    quiet = preferences.quiet_hours
    quiet_text = t(
        "*Quiet hours* in your zone ({zone}): a reminder due then comes when they end, if it "
        "is still useful.",
        zone=escape(zone),
    )
    blocks.append(mrkdwn(say(quiet_text, tr)))
    elements = [
        _timepicker(ACTION_QUIET_START, quiet.start if quiet else None, say(t("From"), tr)),
        _timepicker(ACTION_QUIET_END, quiet.end if quiet else None, say(t("Until"), tr)),
    ]
    if quiet is not None:
        elements.append(button(say(t("No quiet hours"), tr), ACTION_QUIET_CLEAR, "clear"))
    blocks.append({"type": "actions", "block_id": "pref_quiet", "elements": elements})
    blocks += _class_blocks(preferences, classes, tr)
    blocks.append(context(_summary(profile, kinds, tr)))
    if preferences != ReminderPreferences(per_class=preferences.per_class):
        reset = button(say(t("Use the association's defaults"), tr), ACTION_DEFAULTS, "reset")
        blocks.append({"type": "actions", "block_id": "pref_defaults", "elements": [reset]})
    return blocks


def home_view(
    profile: MemberProfile,
    zone: str,
    problem: str | None = None,
    classes: Sequence[Series] = (),
    defaults: ReminderDefaults = DEFAULTS,
    tr: Translator = ENGLISH,
) -> Block:
    """The App Home tab (views.publish) in `tr`'s language (the member's)."""
    hello = t(
        "Hello {name}. Choose which reminders dojobot sends you, where, and when not: every "
        "change is saved at once.",
        name=escape(profile.display_name),
    )
    header = {"type": "header", "text": plain(say(t("Your reminders"), tr), 150)}
    blocks = preference_blocks(profile, zone, problem, classes, defaults, tr)
    return {
        "type": "home",
        "callback_id": "dojo_home",
        "blocks": [header, mrkdwn(say(hello, tr)), *blocks],
    }


def failure_home(text: str, tr: Translator = ENGLISH) -> Block:
    """The Home tab when the preferences could not be read (`text` says so, with a ref)."""
    header = {"type": "header", "text": plain(say(t("Your reminders"), tr), 150)}
    return {"type": "home", "blocks": [header, mrkdwn(f":warning: {escape(text)}")]}


def preferences_modal(
    profile: MemberProfile,
    zone: str,
    problem: str | None = None,
    classes: Sequence[Series] = (),
    defaults: ReminderDefaults = DEFAULTS,
    tr: Translator = ENGLISH,
) -> Block:
    """The /reminders modal (views.open, then views.update after each change), in `tr`'s
    language (the member's)."""
    saved = t("Every change is saved at once; the Home tab of dojobot shows the same.")
    return {
        "type": "modal",
        "callback_id": CALLBACK_PREFERENCES,
        "title": plain(say(t("Your reminders"), tr), 24),
        "close": plain(say(t("Done"), tr), 24),
        "blocks": [
            context(say(saved, tr)),
            *preference_blocks(profile, zone, problem, classes, defaults, tr),
        ],
    }


def _class_blocks(
    preferences: ReminderPreferences, classes: Sequence[Series], tr: Translator
) -> list[Block]:
    """A select per weekly class: its reminders as the others, by DM, or none."""
    if not classes:
        return []
    class_choices = class_options(tr)
    per_class = t(
        "*Per weekly class* (which reminders: {example})", example="`/reminders class <id> 1h`"
    )
    blocks = [mrkdwn(say(per_class, tr))]
    for series in classes[:CLASSES_SHOWN]:
        override = preferences.per_class.get(series.root_id)
        route = override.route if override is not None else None
        chosen = class_choices[route.value if route is not None else CLASS_DEFAULT]
        title = quoted(cut(escape(series.title), 200), tr)
        blocks.append(
            _section(
                f"{CLASS_BLOCK}{series.root_id}",
                f"{title} (`{series.root_id}`)",
                _select(ACTION_CLASS, chosen, class_choices, say(t("Choose"), tr)),
            )
        )
    if len(classes) > CLASSES_SHOWN:
        more = t("…and {n} more: use /reminders class.", n=len(classes) - CLASSES_SHOWN)
        blocks.append(context(say(more, tr)))
    return blocks


def _summary(profile: MemberProfile, kinds: list[ReminderKind], tr: Translator) -> str:
    preferences = profile.preferences
    if preferences.route is ReminderRoute.NONE:
        return say(t("You get no reminders."), tr)
    leads = [_lead_text(k) for k in sorted(kinds, key=lambda k: LEADS[k], reverse=True)]
    which = joined(leads, t(", ")) if leads else t("no reminders")
    own = t("your choice") if preferences.kinds is not None else t("the association's default")
    return say(t("You get: {which} ({own}).", which=which, own=own), tr)


def _section(block_id: str, text: str, accessory: Block) -> Block:
    return {
        "type": "section",
        "block_id": block_id,
        "text": {"type": "mrkdwn", "text": text},
        "accessory": accessory,
    }


def _select(
    action_id: str, initial: Block | None, options: dict[str, Block], placeholder: str = "Choose"
) -> Block:
    element: Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
        "options": list(options.values()),
    }
    if initial is not None:
        element["initial_option"] = initial
    return element


def _timepicker(action_id: str, initial: time | None, placeholder: str) -> Block:
    element: Block = {
        "type": "timepicker",
        "action_id": action_id,
        "placeholder": plain(placeholder, 150),
    }
    if initial is not None:
        element["initial_time"] = initial.strftime("%H:%M")
    return element

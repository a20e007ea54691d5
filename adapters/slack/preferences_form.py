"""What one change in the preferences (App Home or /reminders modal) makes of a member's
reminder preferences (pure: the caller saves the result through the service)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import time
from typing import Any

from pydantic import ValidationError

from adapters.slack.render_preferences import (
    ACTION_CLASS,
    ACTION_CUSTOM,
    ACTION_DEFAULTS,
    ACTION_KINDS,
    ACTION_QUIET_CLEAR,
    ACTION_QUIET_END,
    ACTION_QUIET_START,
    ACTION_ROUTE,
    CLASS_BLOCK,
    CLASS_DEFAULT,
    DEFAULTS,
    NO_CUSTOM,
    chosen_kinds,
)
from adapters.slack.words import t
from core.errors import InvalidInput
from core.members import ClassReminderOverride, QuietHours, ReminderPreferences, ReminderRoute
from core.model import ReminderKind
from core.reminder_preferences import ReminderDefaults
from core.reminders import CUSTOM_KINDS, STANDARD_KINDS, by_lead

QUIET_FROM = time(22, 0)
QUIET_UNTIL = time(7, 0)
"""The other end of quiet hours when the member has picked only one of them so far."""


def changed_preferences(
    current: ReminderPreferences,
    action: dict[str, Any],
    classes: Collection[str] = (),
    defaults: ReminderDefaults = DEFAULTS,
    state: dict[str, Any] | None = None,
) -> ReminderPreferences:
    """`current` with the change one `block_actions` action made; `classes` are the ids of
    the weekly classes the member may choose for, `defaults` the association's (what a member
    who never chose gets, so a first change starts from them). `state` is the view's
    `state.values`: where it shows the partner of the changed element (the other end of quiet
    hours, the checkboxes for the custom select and back) as the member sees it, that is
    kept, so two quick changes don't undo each other. InvalidInput for a value none of our
    elements offers (a forged or outdated payload)."""
    shown = state or {}
    action_id = action.get("action_id")
    if action_id == ACTION_CLASS:
        return _class_changed(current, action, classes)
    kinds = chosen_kinds(current, defaults)
    if action_id == ACTION_KINDS:
        picked = [
            _kind(o.get("value"), STANDARD_KINDS) for o in action.get("selected_options") or []
        ]
        custom = [k for k in kinds if k in CUSTOM_KINDS]
        other = _shown(shown, "pref_custom", ACTION_CUSTOM, "selected_option")
        if isinstance(other, dict) and other.get("value") is not None:
            value = other.get("value")
            custom = [] if value == NO_CUSTOM else [_kind(value, CUSTOM_KINDS)]
        return _with(current, kinds=by_lead([*picked, *custom]))
    if action_id == ACTION_CUSTOM:
        value = (action.get("selected_option") or {}).get("value")
        standard = [k for k in kinds if k in STANDARD_KINDS]
        ticked = _shown(shown, "pref_kinds", ACTION_KINDS, "selected_options")
        if isinstance(ticked, list):
            standard = [_kind(o.get("value"), STANDARD_KINDS) for o in ticked]
        extra = [] if value == NO_CUSTOM else [_kind(value, CUSTOM_KINDS)]
        return _with(current, kinds=by_lead([*standard, *extra]))
    if action_id == ACTION_ROUTE:
        value = (action.get("selected_option") or {}).get("value")
        try:
            route = ReminderRoute(str(value))
        except ValueError:
            raise InvalidInput(
                t("“{value}” is not a choice here.", value=value), t("Pick DM or none.")
            ) from None
        return _with(current, route=route)
    if action_id in (ACTION_QUIET_START, ACTION_QUIET_END):
        chosen = _time(action.get("selected_time"))
        quiet = current.quiet_hours or QuietHours(start=QUIET_FROM, end=QUIET_UNTIL)
        changed, other, partner = (
            ("start", "end", ACTION_QUIET_END)
            if action_id == ACTION_QUIET_START
            else ("end", "start", ACTION_QUIET_START)
        )
        update = {changed: chosen}
        seen = _shown(shown, "pref_quiet", partner, "selected_time")
        if isinstance(seen, str):
            update[other] = _time(seen)
        return _with(current, quiet_hours=quiet.model_copy(update=update))
    if action_id == ACTION_QUIET_CLEAR:
        return _with(current, quiet_hours=None)
    if action_id == ACTION_DEFAULTS:
        return ReminderPreferences(per_class=current.per_class)
    raise InvalidInput(
        t("dojobot has no setting “{setting}”.", setting=action_id),
        t("Reopen the Home tab and try again."),
    )


def _shown(state: dict[str, Any], block_id: str, action_id: str, field: str) -> Any:
    """An element's value as the view's state shows it (None: not there)."""
    block = state.get(block_id)
    element = block.get(action_id) if isinstance(block, dict) else None
    return element.get(field) if isinstance(element, dict) else None


def _class_changed(
    current: ReminderPreferences, action: dict[str, Any], classes: Collection[str]
) -> ReminderPreferences:
    class_id = str(action.get("block_id", "")).removeprefix(CLASS_BLOCK)
    if class_id not in classes:
        raise InvalidInput(
            t("That weekly class is not running any more."), t("Reopen the Home tab.")
        )
    value = (action.get("selected_option") or {}).get("value")
    per_class = dict(current.per_class)
    override = per_class.pop(class_id, ClassReminderOverride())
    if value != CLASS_DEFAULT:
        try:
            route = ReminderRoute(str(value))
        except ValueError:
            raise InvalidInput(
                t("“{value}” is not a choice here.", value=value), t("Reopen the Home tab.")
            ) from None
        override = override.model_copy(update={"route": route})
    else:
        override = override.model_copy(update={"route": None})
    if override.kinds is not None or override.route is not None:
        per_class[class_id] = override
    return _with(current, per_class=per_class)


def _with(current: ReminderPreferences, **update: Any) -> ReminderPreferences:
    """`current` with `update`, validated as the core validates preferences."""
    try:
        return ReminderPreferences.model_validate(current.model_dump() | update)
    except ValidationError as error:
        problem = error.errors()[0]["msg"]
        raise InvalidInput(
            t("That choice can't be saved: {problem}.", problem=problem), t("Reopen the Home tab.")
        ) from None


def _kind(value: Any, allowed: tuple[ReminderKind, ...]) -> ReminderKind:
    for kind in allowed:
        if kind.value == value:
            return kind
    raise InvalidInput(
        t("“{value}” is not a reminder you can choose here.", value=value),
        t("Reopen the Home tab."),
    )


def _time(value: Any) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(
            t("“{value}” is not a time.", value=value), t("Pick a time such as 22:00.")
        ) from None

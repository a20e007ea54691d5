"""Block Kit builders the modals share: inputs, options, the common session fields, the view."""

from __future__ import annotations

from adapters.slack.render_common import Block, plain
from adapters.slack.words import say, t
from core.i18n import ENGLISH, Translator
from core.model import Visibility
from core.rules import CAPACITY_RANGE

VALUE = "value"
"""The action_id of every input in a modal (the block_id names the field)."""


def input_block(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    """An input block whose element answers under `VALUE`."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": VALUE},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def option(text: str, value: str) -> Block:
    """One option of a select, checkbox group or radio group."""
    return {"text": plain(text, 75), "value": value}


def number_input(low: int, high: int, initial: str | None = None) -> Block:
    """A whole-number input element between `low` and `high`."""
    element: Block = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": str(low),
        "max_value": str(high),
    }
    if initial is not None:
        element["initial_value"] = initial
    return element


def session_settings(record_label: str, tr: Translator = ENGLISH) -> list[Block]:
    """The capacity, options (recording, chat on by default) and visibility inputs, worded
    in `tr`'s language (`record_label` already is)."""
    chat_on = option(say(t("Chat on"), tr), "chat_enabled")
    members = option(say(t("Members only"), tr), Visibility.MEMBERS_ONLY.value)
    public = option(say(t("Public (guests too)"), tr), Visibility.PUBLIC.value)
    return [
        input_block(
            "capacity",
            say(t("Capacity"), tr),
            number_input(*CAPACITY_RANGE),
            optional=True,
            hint=say(t("Empty: unlimited. Beyond it, members join a waitlist."), tr),
        ),
        input_block(
            "options",
            say(t("Options"), tr),
            {
                "type": "checkboxes",
                "options": [option(record_label, "recording_enabled"), chat_on],
                "initial_options": [chat_on],
            },
            optional=True,
        ),
        input_block(
            "visibility",
            say(t("Who may attend"), tr),
            {
                "type": "radio_buttons",
                "options": [members, public],
                "initial_option": members,
            },
        ),
    ]


def modal_view(
    callback_id: str, metadata: str, title: str, submit: str, close: str, blocks: list[Block]
) -> Block:
    """A modal view carrying `metadata` in its `private_metadata`."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain(close, 24),
        "blocks": blocks,
    }

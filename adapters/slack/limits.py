"""Slack's Block Kit limits, as published, and one validator used by the renderers' tests and
the fake Slack alike.

slack_sdk's Block Kit models (`Block.parse`, `View`, their `to_dict()` running every
`validate_json()` down the tree) enforce most documented limits; the facts below are the ones
slack_sdk does not check, each with the page that states it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block as SdkBlock
from slack_sdk.models.views import View

MESSAGE_BLOCKS_MAX = 50
"""https://docs.slack.dev/reference/block-kit/blocks — "up to 50 blocks in each message"."""
MODAL_BLOCKS_MAX = 100
"""https://docs.slack.dev/reference/block-kit/blocks — "100 blocks in modals or Home tabs"."""
MESSAGE_TEXT_MAX = 40_000
"""https://docs.slack.dev/reference/methods/chat.postMessage — text over 40,000 chars is cut."""
SECTION_TEXT_MAX = 3000
"""https://docs.slack.dev/reference/block-kit/blocks/section-block — `text` ≤ 3,000."""
SECTION_FIELD_MAX = 2000
"""https://docs.slack.dev/reference/block-kit/blocks/section-block — each field ≤ 2,000."""
SECTION_FIELDS_MAX = 10
"""https://docs.slack.dev/reference/block-kit/blocks/section-block — at most 10 fields."""
HEADER_TEXT_MAX = 150
"""https://docs.slack.dev/reference/block-kit/blocks/header-block — `text` ≤ 150."""
CONTEXT_ELEMENTS_MAX = 10
"""https://docs.slack.dev/reference/block-kit/blocks/context-block — ≤ 10 elements."""
BUTTON_TEXT_MAX = 75
"""https://docs.slack.dev/reference/block-kit/block-elements/button-element — text ≤ 75."""
BUTTON_VALUE_MAX = 2000
"""https://docs.slack.dev/reference/block-kit/block-elements/button-element — value ≤ 2,000."""
ACTIONS_ELEMENTS_MAX = 25
"""https://docs.slack.dev/reference/block-kit/blocks/actions-block — ≤ 25 elements."""
ID_MAX = 255
"""`action_id` and `block_id` ≤ 255 (button element and every block's reference page)."""
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
"""https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object —
title ≤ 100, text (plain_text only) ≤ 300, confirm/deny ≤ 30."""
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_MAX = 100
"""https://docs.slack.dev/reference/block-kit/composition-objects/option-object and
static select: option text ≤ 75, value ≤ 150, ≤ 100 options."""
INPUT_LABEL_MAX = 2000
PLACEHOLDER_MAX = 150
TEXT_INPUT_MAX_LENGTH = 3000
"""https://docs.slack.dev/reference/block-kit/blocks/input-block (label/hint ≤ 2,000) and
plain-text-input element (placeholder ≤ 150, `max_length` ≤ 3,000)."""
MODAL_TEXT_MAX = 24
"""https://docs.slack.dev/reference/views/modal-views — title, submit, close ≤ 24."""


_SELECTS = frozenset(
    f"{multi}{kind}_select"
    for multi in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
)
ACTIONS_ELEMENTS = _SELECTS | {
    "button",
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "overflow",
    "radio_buttons",
    "rich_text_input",
    "timepicker",
    "workflow_button",
}
"""https://docs.slack.dev/reference/block-kit/blocks/actions-block — the elements an
actions block takes (a plain_text_input, say, belongs in an input block)."""
ACCESSORY_ELEMENTS = _SELECTS | {
    "button",
    "checkboxes",
    "datepicker",
    "image",
    "overflow",
    "radio_buttons",
    "timepicker",
    "workflow_button",
}
"""https://docs.slack.dev/reference/block-kit/blocks/section-block — a section's accessory."""
FEW_OPTIONS_MAX = 10
"""https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element and
radio-button-group-element — at most 10 options."""

CHOICE_ELEMENTS = frozenset(
    {"checkboxes", "radio_buttons", "static_select", "multi_static_select", "overflow"}
)
"""Elements choosing among their own `options`: https://docs.slack.dev/reference/block-kit/
block-elements (each: `options` ≥ 1 item; `initial_option(s)` "must exactly match one of the
options"; an `initial_options` list, when given, has ≥ 1 item)."""


def _choice_problems(node: dict[str, Any], path: str) -> list[str]:
    """An element's initial choices that are not among its options (slack_sdk doesn't check)."""
    options = node.get("options")
    if options is None and "option_groups" in node:
        options = [o for g in node["option_groups"] or [] for o in (g.get("options") or [])]
    if not isinstance(options, list) or not options:
        return [f"must provide at least 1 items [json-pointer:{path}/options]"]
    problems: list[str] = []
    if node.get("type") in ("checkboxes", "radio_buttons") and len(options) > FEW_OPTIONS_MAX:
        problems.append(
            f"no more than {FEW_OPTIONS_MAX} items allowed [json-pointer:{path}/options]"
        )
    initial = node.get("initial_options")
    if isinstance(initial, list) and not initial:
        problems.append(f"must provide at least 1 items [json-pointer:{path}/initial_options]")
    chosen = [("initial_option", node.get("initial_option"))] if "initial_option" in node else []
    chosen += [(f"initial_options/{n}", o) for n, o in enumerate(initial or [])]
    for where, option in chosen:
        if option not in options:
            problems.append(f"must match one of the options [json-pointer:{path}/{where}]")
    return problems


def _placement_problems(node: dict[str, Any], path: str) -> list[str]:
    """Elements in a block that does not take them (slack_sdk parses them anyway)."""
    problems: list[str] = []
    if node.get("type") == "actions":
        for n, element in enumerate(node.get("elements") or []):
            kind = element.get("type") if isinstance(element, dict) else None
            if kind not in ACTIONS_ELEMENTS:
                problems.append(
                    f"`{kind}` is not allowed in an actions block "
                    f"[json-pointer:{path}/elements/{n}/type]"
                )
    accessory = node.get("accessory") if node.get("type") == "section" else None
    if isinstance(accessory, dict) and accessory.get("type") not in ACCESSORY_ELEMENTS:
        problems.append(
            f"`{accessory.get('type')}` is not allowed as an accessory "
            f"[json-pointer:{path}/accessory/type]"
        )
    return problems


def _duplicate_action_ids(node: dict[str, Any], path: str) -> list[str]:
    """An actions block whose elements repeat an `action_id`: Slack refuses the whole
    message ("`action_id` "x" already exists"), slack_sdk does not check it.
    https://docs.slack.dev/reference/block-kit/block-elements/button-element — `action_id`
    unique among the action_ids of its containing block."""
    if node.get("type") != "actions":
        return []
    problems: list[str] = []
    seen: set[str] = set()
    for n, element in enumerate(node.get("elements") or []):
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if not isinstance(action_id, str):
            continue
        if action_id in seen:
            problems.append(
                f'`action_id` "{action_id}" already exists '
                f"[json-pointer:{path}/elements/{n}/action_id]"
            )
        seen.add(action_id)
    return problems


def _walk(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _walk(value, f"{path}/{n}")


def _extra_problems(blocks: list[Any], root: str) -> list[str]:
    """The documented rules slack_sdk does not check."""
    problems: list[str] = []
    for path, node in _walk(blocks, root):
        confirm = node.get("confirm")
        if isinstance(confirm, dict) and "title" in confirm:  # a dialog, not its button
            text = confirm.get("text")
            if not isinstance(text, dict) or text.get("type") != "plain_text":
                problems.append(f"must be a plain_text object [json-pointer:{path}/confirm/text]")
        if node.get("type") == "section":
            for n, f in enumerate(node.get("fields") or []):
                if isinstance(f, dict) and len(str(f.get("text", ""))) > SECTION_FIELD_MAX:
                    problems.append(
                        f"must be less than {SECTION_FIELD_MAX + 1} characters "
                        f"[json-pointer:{path}/fields/{n}/text]"
                    )
        if node.get("type") == "plain_text_input":
            most = node.get("max_length")
            if isinstance(most, int) and not 1 <= most <= TEXT_INPUT_MAX_LENGTH:
                problems.append(
                    f"max_length must be at most {TEXT_INPUT_MAX_LENGTH} "
                    f"[json-pointer:{path}/max_length]"
                )
        if node.get("type") in CHOICE_ELEMENTS:
            problems += _choice_problems(node, path)
        problems += _placement_problems(node, path)
        problems += _duplicate_action_ids(node, path)
        block_id = node.get("block_id")
        if isinstance(block_id, str) and len(block_id) > ID_MAX:
            problems.append(f"must be at most {ID_MAX} characters [json-pointer:{path}/block_id]")
    return problems


def _sdk_problems(blocks: list[Any], root: str) -> list[str]:
    problems: list[str] = []
    for n, raw in enumerate(blocks):
        if not isinstance(raw, dict):
            problems.append(f"must be an object [json-pointer:{root}/{n}]")
            continue
        parsed = SdkBlock.parse(raw)
        if parsed is None or type(parsed) is SdkBlock:
            problems.append(f"unsupported type `{raw.get('type')}` [json-pointer:{root}/{n}]")
            continue
        try:
            parsed.to_dict()
        except (SlackObjectFormationError, TypeError, KeyError, ValueError) as error:
            problems.append(f"{error} [json-pointer:{root}/{n}]")
    return problems


def block_problems(blocks: Any) -> list[str]:
    """What Slack would refuse in a message's `blocks` (empty: it would accept them)."""
    if not isinstance(blocks, list):
        return ["blocks must be a list [json-pointer:/blocks]"]
    problems: list[str] = []
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        problems.append(f"no more than {MESSAGE_BLOCKS_MAX} items allowed [json-pointer:/blocks]")
    return problems + _sdk_problems(blocks, "/blocks") + _extra_problems(blocks, "/blocks")


def view_problems(view: Any) -> list[str]:
    """What Slack would refuse in a modal `view` (empty: it would accept it)."""
    if not isinstance(view, dict):
        return ["view must be an object [json-pointer:/view]"]
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        return ["blocks must be a list [json-pointer:/view/blocks]"]
    problems: list[str] = []
    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError, KeyError, ValueError) as error:
        problems.append(f"{error} [json-pointer:/view]")
    root = "/view/blocks"
    return problems + _sdk_problems(blocks, root) + _extra_problems(blocks, root)


def text_problems(text: Any) -> list[str]:
    """A message's top-level `text` over Slack's limit (Slack would cut it)."""
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
        return [f"text is longer than {MESSAGE_TEXT_MAX} characters"]
    return []

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

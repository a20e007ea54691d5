"""Command buttons on Slack: a notice's or a reply's `NoticeButton`s as Block Kit buttons.

Each button's `value` is the shared-grammar command line (`/claim s-42`) and its
`action_id` is `dojo_cmd_<n>` (n: its place among the buttons, so ids are unique in their
block). A click runs the line for whoever clicked, with their own rights, exactly as if
they had typed it (`SlackHandlers.run_line`): a button never lets anyone do more than they
could type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from adapters.slack.commands import escape
from adapters.slack.limits import (
    ACTIONS_ELEMENTS_MAX,
    BUTTON_TEXT_MAX,
    BUTTON_VALUE_MAX,
    ID_MAX,
)
from adapters.slack.render_common import Block, button, cut
from core.i18n import ENGLISH, Translator, localize
from core.notices import ButtonStyle, NoticeButton

ACTION_COMMAND = "dojo_cmd_"
"""The action_id prefix of a command button; the index follows."""
ACTION_URL = "dojo_url_"
"""The action_id prefix of a link button (acked by the `dojo_` action listener, never run)."""
_COMMAND_ACTION = re.compile(rf"^{ACTION_COMMAND}\d{{1,3}}$")

_STYLES: dict[ButtonStyle, str | None] = {
    ButtonStyle.PRIMARY: "primary",
    ButtonStyle.DANGER: "danger",
    ButtonStyle.PLAIN: None,
}


class CommandTooLong(ValueError):
    """A button's command line does not fit Slack's button `value` (never cut: a cut
    command would run something else)."""


def is_command_action(action_id: str) -> bool:
    """Whether `action_id` is a command button's (`dojo_cmd_<n>`)."""
    return _COMMAND_ACTION.fullmatch(action_id) is not None


def command_elements(
    buttons: Sequence[NoticeButton], tr: Translator = ENGLISH, first: int = 0
) -> list[Block]:
    """The Block Kit buttons of `buttons`, labelled in `tr`'s language (numbered from
    `first`, when other buttons share the block). Raises CommandTooLong for a command
    line longer than a button's value holds."""
    elements: list[Block] = []
    for n, spec in enumerate(buttons, start=first):
        if spec.url is not None:  # a link button: Slack opens it; the click is only acked
            label = cut(escape(localize(spec.label, tr)), BUTTON_TEXT_MAX)
            elements.append(button(label, f"{ACTION_URL}{n}", url=spec.url))
            continue
        if len(spec.command) > BUTTON_VALUE_MAX:
            raise CommandTooLong(
                f"the command of button {spec.label!r} has {len(spec.command)} characters; "
                f"a Slack button's value holds {BUTTON_VALUE_MAX}"
            )
        action_id = f"{ACTION_COMMAND}{n}"
        assert len(action_id) <= ID_MAX
        label = cut(escape(localize(spec.label, tr)), BUTTON_TEXT_MAX)  # as every Slack text
        elements.append(button(label, action_id, spec.command, style=_STYLES[spec.style]))
    return elements


def actions_block(elements: list[Block], block_id: str) -> list[Block]:
    """One actions block of `elements` (none when there are none; Slack refuses an empty
    one), at most Slack's 25 elements."""
    if not elements:
        return []
    if len(elements) > ACTIONS_ELEMENTS_MAX:
        raise ValueError(f"{len(elements)} buttons; an actions block holds {ACTIONS_ELEMENTS_MAX}")
    return [{"type": "actions", "block_id": block_id, "elements": elements}]

"""Our Slack slash commands and the shared-grammar command each one runs.

Derived from the command catalogue (`core.catalogue`): Slack owns some names (`/join`,
`/help` are built in or too generic), so two commands are renamed; everything else is the
terminal's grammar word for word.
"""

from __future__ import annotations

import re

from adapters.slack.ids import member_id
from core.catalogue import CATALOGUE, COMMANDS

SLACK_NAMES: dict[str, str] = {"join": "/join-session", "help": "/dojo-help"}
"""Grammar commands Slack knows under another name (its own `/join`, a generic `/help`)."""
NOT_ON_SLACK = frozenset({"recording", "forget"})
"""Grammar commands without a Slack slash command (Slack admins forget with /forget-me @name)."""
SLACK_ARGUMENTS: dict[str, str] = {"forget-me": "[@member (admins)]"}
"""Grammar commands whose Slack text differs (a mention instead of a member id; the Confirm
button instead of typing `confirm CODE`)."""
MEMBER_COMMANDS = (
    frozenset({"my-record", "waive", "mark-present", "training-page"})
    | frozenset(
        {"progress", "promote", "promotion-fix", "promotion-remove"}  # core/rank_grammar.py
    )
    | frozenset({"mark-absent", "training-log"})
)  # core/ledger_grammar.py
"""Grammar commands that name a member by id: on Slack a mention of them works too (it
arrives escaped and `grammar_line` writes it as their member id, `slack:T…:U…`)."""
ESCAPED_COMMANDS = frozenset({"forget-me"}) | MEMBER_COMMANDS
"""Commands whose manifest entry has `should_escape: true`, so a mention arrives as
`<@U…|name>` (its user id), not as a display name."""
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
FORM_HINT = "[nothing: a form] or "
"""Slack's `/schedule-session`, `/schedule-class` and `/reminders` with no text open a form."""
FORM_COMMANDS = frozenset({"schedule-session", "schedule-class", "reminders"})

SLASH_COMMANDS: dict[str, str] = {
    SLACK_NAMES.get(info.name, f"/{info.name}"): info.name
    for info in CATALOGUE
    if info.name not in NOT_ON_SLACK
}
"""Slack command → grammar command name, in the catalogue's order."""


def manifest_entry(command: str) -> tuple[str, str]:
    """The (description, usage_hint) `slack-app-manifest.yml` must give a Slack command."""
    info = COMMANDS[SLASH_COMMANDS[command]]
    form = FORM_HINT if info.name in FORM_COMMANDS else ""
    return info.summary, form + SLACK_ARGUMENTS.get(info.name, info.arguments)


_RENAMED = {grammar: slack for slack, grammar in SLASH_COMMANDS.items() if slack[1:] != grammar}
_RENAMED["forget"] = "/forget-me"  # Slack admins forget someone with /forget-me @name
_GRAMMAR_WORD = re.compile(r"(?<![\w/-])/(" + "|".join(map(re.escape, _RENAMED)) + r")\b(?!-)")


def grammar_line(command: str, text: str, team_id: str = "") -> str:
    """The shared-grammar line for a Slack slash command and its (unescaped) text; in a
    command naming a member (`MEMBER_COMMANDS`), a mention becomes that member's id in
    workspace `team_id`."""
    name = SLASH_COMMANDS[command]
    if name in MEMBER_COMMANDS and team_id:
        text = _MENTION.sub(lambda found: member_id(team_id, found.group(1)), text)
    return f"/{name} {unescape(text).strip()}".strip()


def slack_wording(text: str) -> str:
    """Core texts name grammar commands (`/join s-42`); say the Slack names instead."""
    return _GRAMMAR_WORD.sub(lambda m: _RENAMED[m.group(1)], text)


def unescape(text: str) -> str:
    """Undo Slack's escaping of &, < and > in command text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Escape &, < and > in text we send as mrkdwn (Slack's control characters)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

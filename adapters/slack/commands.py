"""Our Slack slash commands and the shared-grammar command each one runs.

Slack owns some names (`/join`, `/help` are built in or too generic), so two commands are
renamed; everything else is the terminal's grammar word for word.
"""

from __future__ import annotations

import re

SLASH_COMMANDS: dict[str, str] = {
    "/schedule-session": "schedule-session",
    "/sessions": "sessions",
    "/session": "session",
    "/update-session": "update-session",
    "/cancel-session": "cancel-session",
    "/start-session": "start-session",
    "/end-session": "end-session",
    "/rsvp": "rsvp",
    "/unrsvp": "unrsvp",
    "/join-session": "join",
    "/attendance": "attendance",
    "/create-event": "create-event",
    "/event": "event",
    "/dojo-help": "help",
}
"""Slack command → grammar command name."""

_RENAMED = {grammar: slack for slack, grammar in SLASH_COMMANDS.items() if slack[1:] != grammar}
_GRAMMAR_WORD = re.compile(r"(?<![\w/-])/(" + "|".join(map(re.escape, _RENAMED)) + r")\b(?!-)")


def grammar_line(command: str, text: str) -> str:
    """The shared-grammar line for a Slack slash command and its (unescaped) text."""
    return f"/{SLASH_COMMANDS[command]} {unescape(text).strip()}".strip()


def slack_wording(text: str) -> str:
    """Core texts name grammar commands (`/join s-42`); say the Slack names instead."""
    return _GRAMMAR_WORD.sub(lambda m: _RENAMED[m.group(1)], text)


def unescape(text: str) -> str:
    """Undo Slack's escaping of &, < and > in command text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Escape &, < and > in text we send as mrkdwn (Slack's control characters)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

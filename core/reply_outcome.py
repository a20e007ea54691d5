"""The outcome of a command whose reply is a few lines of text (the fair-seats commands).

Core writes the lines (each a `core.i18n.Text`, rendered in the reader's language); front
ends show them as the reply to the member who typed the command or clicked the button, and
add `buttons` where they can (the terminal prints each button's command line).
"""

from __future__ import annotations

from pydantic import Field

from core.i18n import TextField
from core.model import Model
from core.notices import NoticeButton


class ReplyOutcome(Model):
    """Lines for the member who acted, optionally about one session, with buttons."""

    action: str
    """What was done, for logs and tests (`claimed`, `passed`, `kept`, …)."""
    lines: list[TextField]
    session_id: str | None = None
    buttons: list[NoticeButton] = Field(default_factory=list)

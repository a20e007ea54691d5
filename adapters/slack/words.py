"""The Slack front end's own texts (domain `slack`): what adapters/slack words itself.

`t`/`tn` are the markers Babel's extractor looks for (see docs/i18n.md); they make a
`core.i18n.Message` of this domain, English where it is made, rendered with `say` in the
reader's language.
"""

from __future__ import annotations

from core.i18n import ENGLISH, Domain, Translator, localize

DOMAIN = "slack"
t, tn = Domain(DOMAIN).t, Domain(DOMAIN).tn


def say(text: str, tr: Translator = ENGLISH) -> str:
    """`text` in `tr`'s language (a plain `str` as it is)."""
    return localize(text, tr)


def code(text: str) -> str:
    """`text` as mrkdwn inline code (ids, commands), for a message's parameter."""
    return f"`{text}`"


def bold(text: str) -> str:
    """`text` in mrkdwn bold, for a message's parameter."""
    return f"*{text}*"

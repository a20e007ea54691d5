"""The Slack front end's own texts (domain `slack`): what adapters/slack words itself.

`t`/`tn` are the markers Babel's extractor looks for (see docs/i18n.md); they make a
`core.i18n.Message` of this domain, English where it is made, rendered with `say` in the
reader's language.
"""

from __future__ import annotations

from core.i18n import ENGLISH, Message, Translator, localize

DOMAIN = "slack"


def t(msgid: str, /, **params: object) -> Message:
    """A Slack message; `msgid` is the English template."""
    return Message(msgid, params, domain=DOMAIN)


def tn(singular: str, plural: str, n: int, /, **params: object) -> Message:
    """A counted Slack message; `n` is also available to the templates as `{n}`."""
    return Message(singular, {"n": n, **params}, plural=plural, n=n, domain=DOMAIN)


def say(text: str, tr: Translator = ENGLISH) -> str:
    """`text` in `tr`'s language (a plain `str` as it is)."""
    return localize(text, tr)


def code(text: str) -> str:
    """`text` as mrkdwn inline code (ids, commands), for a message's parameter."""
    return f"`{text}`"


def bold(text: str) -> str:
    """`text` in mrkdwn bold, for a message's parameter."""
    return f"*{text}*"

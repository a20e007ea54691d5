"""The web pages' own texts (domain `web`): what adapters/web words itself on the pages,
calendar files and status JSON members read (the REST API has its own).

`t`/`tn` are the markers Babel's extractor looks for (see docs/i18n.md); they make a
`core.i18n.Message` of this domain, English where it is made, rendered with `say` in the
reader's language.
"""

from __future__ import annotations

from core.i18n import ENGLISH, Message, Translator, localize

DOMAIN = "web"


def t(msgid: str, /, **params: object) -> Message:
    """A web page message; `msgid` is the English template."""
    return Message(msgid, params, domain=DOMAIN)


def tn(singular: str, plural: str, n: int, /, **params: object) -> Message:
    """A counted web page message; `n` is also available to the templates as `{n}`."""
    return Message(singular, {"n": n, **params}, plural=plural, n=n, domain=DOMAIN)


def say(text: str, tr: Translator = ENGLISH) -> str:
    """`text` in `tr`'s language (a plain `str` as it is)."""
    return localize(text, tr)

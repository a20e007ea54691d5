"""The markers of the texts the Discord front end words itself (domain `discord`).

`t` and `tn` are `core.i18n`'s, with this front end's catalogue: Babel's extractor finds
them by name (see docs/i18n.md), and each reader gets them in their language through
`localize(text, translator)`.
"""

from __future__ import annotations

from core.i18n import Message

DOMAIN = "discord"


def t(msgid: str, /, **params: object) -> Message:
    """A message of the `discord` catalogue; `msgid` is the English template."""
    return Message(msgid, params, domain=DOMAIN)


def tn(singular: str, plural: str, n: int, /, **params: object) -> Message:
    """A counted message of the `discord` catalogue; `n` is also available as `{n}`."""
    return Message(singular, {"n": n, **params}, plural=plural, n=n, domain=DOMAIN)

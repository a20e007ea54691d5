"""What every command parser gets from `core.grammar`, and the argument readers they share
(a session id, a member id): one place for their wording."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Protocol

from core.errors import InvalidInput
from core.i18n import t

MAX_MEMBER_ID = 200
"""A member id longer than this is not one (the stores' id columns)."""
_MEMBER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]*")
"""A platform-qualified member id (`slack:T01:U02`, `discord:1234`, `terminal:ana`)."""


class ParseContext(Protocol):
    """What a parser gets from `core.grammar`: the arguments and an error in its usage."""

    args: list[str]

    def error(self, message: str, extra_hint: str | None = None) -> InvalidInput: ...


def session_id_arg(ctx: ParseContext) -> str:
    """The command's only argument, a session id."""
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the session id.', word=ctx.args[1]))
    return ctx.args[0]


def member_id_arg(ctx: ParseContext, word: str) -> str:
    """`word` as a member id (InvalidInput saying how one looks when it is not)."""
    if len(word) > MAX_MEMBER_ID or not _MEMBER_ID.fullmatch(word):
        raise ctx.error(
            t('"{word}" is not a member id.', word=shown_word(word)),
            t("Write it as dojobot shows it, e.g. slack:T01:U02 or discord:1234."),
        )
    return word


def shown_word(word: str) -> str:
    """A refused word, without what could mention someone (`<@U02>`, `@everyone`)."""
    return "".join(c for c in word[:40] if c not in "<>@!&#")


class TimedParseContext(ParseContext, Protocol):
    """A parse that also reads times: the time reference and the actor's zone."""

    now: datetime
    tz: str

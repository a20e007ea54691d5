"""What every command parser gets from `core.grammar`, and the argument readers they share
(a session id, a member id): one place for their wording."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from core.errors import InvalidInput
from core.i18n import Text, t

MAX_MEMBER_ID = 200
"""A member id longer than this is not one (the stores' id columns)."""
_MEMBER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]*")
"""A platform-qualified member id (`slack:T01:U02`, `discord:1234`, `terminal:ana`)."""
_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
"""A day as YYYY-MM-DD (a one-digit month or day too: 2026-3-1)."""


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


def session_member_args(ctx: ParseContext) -> tuple[str, str]:
    """The command's two arguments: a session id, then a member id."""
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) < 2:
        raise ctx.error(t("Missing the member's id after the session id."))
    if len(ctx.args) > 2:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[2]))
    return ctx.args[0], member_id_arg(ctx, ctx.args[1])


def member_id_arg(ctx: ParseContext, word: str) -> str:
    """`word` as a member id (InvalidInput saying how one looks when it is not)."""
    if len(word) > MAX_MEMBER_ID or not _MEMBER_ID.fullmatch(word):
        raise ctx.error(
            t('"{word}" is not a member id.', word=shown_word(word)),
            t("Write it as dojobot shows it, e.g. slack:T01:U02 or discord:1234."),
        )
    return word


def day_arg(ctx: ParseContext, value: str, hint: Text, after: str | None = None) -> date:
    """`value` as a YYYY-MM-DD day; InvalidInput saying it is not a date (the value `after`
    the word `after`, when given) with `hint` (an example of the command) otherwise."""
    try:
        if not _DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat("-".join(part.zfill(2) for part in value.split("-")))
    except ValueError:
        shown = shown_word(value)
        message = (
            t('"{word}" is not a date.', word=shown)
            if after is None
            else t('"{value}" after {word} is not a date.', value=shown, word=after)
        )
        raise ctx.error(message, hint) from None


def filter_values(
    ctx: ParseContext,
    args: Sequence[str],
    filters: Sequence[str],
    hint: Text,
    aliases: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """`args` read as `word value` pairs, each word one of `filters` (lower-cased, keyed by
    its alias when it has one): InvalidInput for another word (with `hint`: the filters),
    a word given twice or one missing its value."""
    values: dict[str, str] = {}
    rest = list(args)
    while rest:
        word = rest.pop(0).lower()
        if word not in filters:
            raise ctx.error(t('Unexpected "{word}".', word=shown_word(word)), hint)
        key = (aliases or {}).get(word, word)
        if key in values:
            raise ctx.error(t("{word} is given twice.", word=word))
        if not rest:
            raise ctx.error(t("Missing the value after {word}.", word=word))
        values[key] = rest.pop(0)
    return values


def shown_word(word: str) -> str:
    """A refused word, without what could mention someone (`<@U02>`, `@everyone`)."""
    return "".join(c for c in word[:40] if c not in "<>@!&#")


class TimedParseContext(ParseContext, Protocol):
    """A parse that also reads times: the time reference and the actor's zone."""

    now: datetime
    tz: str

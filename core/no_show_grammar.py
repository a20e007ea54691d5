"""Text → the no-show commands (`/my-record`, `/appeal`, `/waive`, `/mark-present`), for
`core.grammar`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from core.errors import InvalidInput
from core.i18n import t
from core.no_show_commands import AppealMark, MarkPresent, NoShowCommand, ShowRecord, WaiveMark

MAX_MEMBER_ID = 200
"""A member id longer than this is not one (the stores' id columns)."""
_MEMBER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]*")
"""A platform-qualified member id (`slack:T01:U02`, `discord:1234`, `terminal:ana`)."""


class Context(Protocol):
    """What a parser gets from `core.grammar`: the arguments and an error in its usage."""

    args: list[str]

    def error(self, message: str, extra_hint: str | None = None) -> InvalidInput: ...


def _member(ctx: Context, word: str) -> str:
    if len(word) > MAX_MEMBER_ID or not _MEMBER_ID.fullmatch(word):
        raise ctx.error(
            t('"{word}" is not a member id.', word=_shown(word)),
            t("Write it as dojobot shows it, e.g. slack:T01:U02 or discord:1234."),
        )
    return word


def _shown(word: str) -> str:
    """A refused word, without what could mention someone (`<@U02>`, `@everyone`)."""
    return "".join(c for c in word[:40] if c not in "<>@!&#")


def _session_and_member(ctx: Context) -> tuple[str, str]:
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) < 2:
        raise ctx.error(t("Missing the member's id after the session id."))
    if len(ctx.args) > 2:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[2]))
    return ctx.args[0], _member(ctx, ctx.args[1])


def _session_id(ctx: Context) -> str:
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the session id.', word=ctx.args[1]))
    return ctx.args[0]


def _record(ctx: Context) -> ShowRecord:
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[1]))
    return ShowRecord(member_id=_member(ctx, ctx.args[0]) if ctx.args else None)


def _waive(ctx: Context) -> WaiveMark:
    session_id, member_id = _session_and_member(ctx)
    return WaiveMark(session_id=session_id, member_id=member_id)


def _mark_present(ctx: Context) -> MarkPresent:
    session_id, member_id = _session_and_member(ctx)
    return MarkPresent(session_id=session_id, member_id=member_id)


NO_SHOW_PARSERS: dict[str, Callable[[Context], NoShowCommand]] = {
    "my-record": _record,
    "appeal": lambda ctx: AppealMark(session_id=_session_id(ctx)),
    "waive": _waive,
    "mark-present": _mark_present,
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

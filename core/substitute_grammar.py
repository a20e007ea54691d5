"""Text → the substitute-instructor commands (`/need-sub`, `/take-sub`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.errors import InvalidInput
from core.i18n import t
from core.substitute_commands import NeedSub, SubstituteCommand, TakeSub


class Context(Protocol):
    """What a parser gets from `core.grammar`: the arguments and an error in its usage."""

    args: list[str]

    def error(self, message: str, extra_hint: str | None = None) -> InvalidInput: ...


def _session_id(ctx: Context) -> str:
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the session id.', word=ctx.args[1]))
    return ctx.args[0]


SUBSTITUTE_PARSERS: dict[str, Callable[[Context], SubstituteCommand]] = {
    "need-sub": lambda ctx: NeedSub(session_id=_session_id(ctx)),
    "take-sub": lambda ctx: TakeSub(session_id=_session_id(ctx)),
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

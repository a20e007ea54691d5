"""Text → the substitute-instructor commands (`/need-sub`, `/take-sub`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.parse_context import ParseContext, session_id_arg
from core.substitute_commands import NeedSub, SubstituteCommand, TakeSub

SUBSTITUTE_PARSERS: dict[str, Callable[[ParseContext], SubstituteCommand]] = {
    "need-sub": lambda ctx: NeedSub(session_id=session_id_arg(ctx)),
    "take-sub": lambda ctx: TakeSub(session_id=session_id_arg(ctx)),
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

"""Text → the waitlist-offer commands (`/claim`, `/pass`, `/seat-notice`), for
`core.grammar`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.errors import InvalidInput
from core.i18n import t
from core.offer_commands import ClaimSeat, OfferCommand, PassSeat, SetSeatNotice
from core.timeparse import is_duration, parse_duration

_OFF = frozenset({"off", "none", "any", "default"})


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


def claim(ctx: Context) -> ClaimSeat:
    """`/claim <id>`."""
    return ClaimSeat(session_id=_session_id(ctx))


def pass_seat(ctx: Context) -> PassSeat:
    """`/pass <id>`."""
    return PassSeat(session_id=_session_id(ctx))


def seat_notice(ctx: Context) -> SetSeatNotice:
    """`/seat-notice 3h` (a duration, words allowed: `3 hours`), `/seat-notice off`."""
    text = " ".join(ctx.args).strip()
    if not text:
        raise ctx.error(t("Say how much notice you need, or off."))
    if text.lower() in _OFF:
        return SetSeatNotice(notice=None)
    if not is_duration(text):
        raise ctx.error(
            t('"{text}" is not a length of time.', text=text[:40]),
            t("Write e.g. 3h, 90m or 1d, or off."),
        )
    return SetSeatNotice(notice=parse_duration(text))


OFFER_PARSERS: dict[str, Callable[[Context], OfferCommand]] = {
    "claim": claim,
    "pass": pass_seat,
    "seat-notice": seat_notice,
}
"""The waitlist-offer parsers by command name."""

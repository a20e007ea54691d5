"""Text → the waitlist-offer commands (`/claim`, `/pass`, `/seat-notice`), for
`core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import t
from core.offer_commands import ClaimSeat, OfferCommand, PassSeat, SetSeatNotice
from core.parse_context import ParseContext, session_id_arg
from core.timeparse import is_duration, parse_duration

_OFF = frozenset({"off", "none", "any", "default"})


def claim(ctx: ParseContext) -> ClaimSeat:
    """`/claim <id>`."""
    return ClaimSeat(session_id=session_id_arg(ctx))


def pass_seat(ctx: ParseContext) -> PassSeat:
    """`/pass <id>`."""
    return PassSeat(session_id=session_id_arg(ctx))


def seat_notice(ctx: ParseContext) -> SetSeatNotice:
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


OFFER_PARSERS: dict[str, Callable[[ParseContext], OfferCommand]] = {
    "claim": claim,
    "pass": pass_seat,
    "seat-notice": seat_notice,
}
"""The waitlist-offer parsers by command name."""

"""Text → the calendar feed commands (`/calendar-feed [revoke]`), for `core.grammar`."""

from __future__ import annotations

from collections.abc import Callable

from core.feed_commands import CalendarFeedLink, FeedCommand, RevokeCalendarFeed
from core.i18n import t
from core.parse_context import ParseContext, shown_word

REVOKE_WORDS = frozenset({"revoke", "stop", "off"})
"""What stops a feed (`/calendar-feed revoke`)."""


def _calendar_feed(ctx: ParseContext) -> FeedCommand:
    if not ctx.args:
        return CalendarFeedLink()
    if len(ctx.args) == 1 and ctx.args[0].lower() in REVOKE_WORDS:
        return RevokeCalendarFeed()
    word = ctx.args[0] if ctx.args[0].lower() not in REVOKE_WORDS else ctx.args[1]
    raise ctx.error(
        t('Unexpected "{word}".', word=shown_word(word)),
        t("Write /calendar-feed for your link, or /calendar-feed revoke to stop it."),
    )


FEED_PARSERS: dict[str, Callable[[ParseContext], FeedCommand]] = {
    "calendar-feed": _calendar_feed,
}
"""Parsers by command name (`core.grammar` dispatches to them)."""

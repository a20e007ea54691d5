"""The personal calendar feed commands of the shared grammar (`core.feed_grammar`).

/calendar-feed            a new secret URL of your sessions as a calendar (replaces the old)
/calendar-feed revoke     stop your feed: its URL no longer works
"""

from __future__ import annotations

from core.model import Model


class CalendarFeedLink(Model):
    """A new personal feed URL for the member asking."""


class RevokeCalendarFeed(Model):
    """Stop the asking member's feed."""


FeedCommand = CalendarFeedLink | RevokeCalendarFeed

"""The personal calendar feed use cases of `SessionService` (mixed into it: the one door
stays one).

`/calendar-feed` gives the member a new secret URL of their own sessions as a calendar
(`core.calendar_feed`), replacing the one they had: the old URL stops working at once.
`/calendar-feed revoke` stops it. Only the token's SHA-256 is stored; the URL is shown in
the member's private reply and nowhere else. `feed_sessions` is the web route's read.
"""

from __future__ import annotations

from datetime import datetime

from core.calendar_feed import (
    FEED_LIMIT,
    FEED_PAST,
    feed_path,
    feed_token_hash,
    new_feed_token,
    usable_token,
)
from core.errors import InvalidState
from core.i18n import t
from core.model import Member, SessionFilter, TrainingSession
from core.ports import FeedLinks, SessionStore
from core.reply_outcome import ReplyOutcome


class FeedUseCases:
    """A member's personal calendar feed: issued, replaced, revoked, read."""

    _store: SessionStore
    _feed_links: FeedLinks | None

    def now(self) -> datetime:
        raise NotImplementedError

    async def calendar_feed(self, actor: Member) -> ReplyOutcome:
        """A new personal feed URL for `actor` (their previous one stops working)."""
        url = await self.issue_calendar_feed(actor)
        return ReplyOutcome(
            action="feed_issued",
            lines=[
                t("Your personal calendar feed: {url}", url=url),
                t(
                    "Subscribe to it by URL in your calendar app: your sessions (going, "
                    "waitlisted, teaching) stay up to date there."
                ),
                t(
                    "Keep it to yourself: anyone with this link sees your sessions. "
                    "/calendar-feed again replaces it; /calendar-feed revoke stops it."
                ),
            ],
        )

    async def issue_calendar_feed(self, actor: Member) -> str:
        """`calendar_feed` answering only the new URL (a secret: show it to `actor` alone)."""
        links = self._feed_links
        if links is None or not links.available():
            raise InvalidState(
                t("Calendar feeds need dojobot's web pages, which are not served."),
                t("Ask an admin to turn the web pages on (DOJOBOT_WEB__ENABLED)."),
            )
        token = new_feed_token()
        await self._store.save_feed_token(actor.id, feed_token_hash(token), self.now())
        return links.base_url().rstrip("/") + feed_path(token)

    async def revoke_calendar_feed(self, actor: Member) -> ReplyOutcome:
        """Stop `actor`'s feed (its URL stops working)."""
        if await self._store.drop_feed_token(actor.id):
            return ReplyOutcome(
                action="feed_revoked",
                lines=[t("Your calendar feed is revoked: its link no longer works.")],
            )
        return ReplyOutcome(
            action="feed_none",
            lines=[t("You have no calendar feed. /calendar-feed makes one.")],
        )

    async def feed_sessions(self, token: str) -> list[TrainingSession] | None:
        """The sessions of the member whose feed `token` is: those they are going to, are
        waitlisted for or offered a seat in, and those they instruct, from `FEED_PAST` ago
        on (canceled ones too, so calendars drop them), soonest first, at most
        `FEED_LIMIT`. None when the token is unknown or revoked (no reason given)."""
        if not usable_token(token):
            return None
        member_id = await self._store.member_of_feed(feed_token_hash(token))
        if member_id is None:
            return None
        since = self.now() - FEED_PAST
        ids = await self._store.member_session_ids(member_id, since, FEED_LIMIT)
        attending = await self._store.get_sessions(ids)
        teaching = await self._store.list_sessions(
            SessionFilter(
                instructor_id=member_id,
                starts_after=since,
                include_archived=True,
                limit=FEED_LIMIT,
            )
        )
        found = {s.id: s for s in [*attending, *teaching]}
        ordered = sorted(found.values(), key=lambda s: (s.start_time, s.id))
        return ordered[:FEED_LIMIT]

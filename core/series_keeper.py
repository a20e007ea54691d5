"""Keeps weekly series' occurrences in step with their timetables.

Materialising: every occurrence starting within the rolling window (`ahead`, 4 weeks by
default) exists as a session; the store's taken id makes a second materialisation of the
same day (another process, or a restart midway) add nothing. Each new occurrence gets its
reminders and the series' standing RSVPs in the order they were made (waitlisted once full);
a member who already has an RSVP row for that occurrence (going, or "not this week") is left
as they are, so a repeated run changes nothing. Its room is created then too, as a scheduled
session's is; a room that failed (or a run that died before it) is retried by the room duty
before the start, like any session's.

Cards: one at a time per series. An occurrence gets its channel card `card_ahead` before it
starts (6 days by default), but not before the previous occurrence has started, so a new
series posts one card and a busy channel never sees a flood. Until then the occurrence has no
origin, which keeps every channel post away from it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from core.errors import InvalidState
from core.model import SessionFilter, SessionStatus, TrainingSession
from core.notifier import Notifier
from core.ports import SessionStore
from core.recurrence import placements
from core.reminder_planner import ReminderPlanner
from core.reminder_preferences import ReminderDefaults
from core.room_keeper import RoomKeeper
from core.series import MATERIALISE_AHEAD, Series, SeriesStatus, StandingRsvp, occurrence

log = logging.getLogger(__name__)

CARD_AHEAD = timedelta(days=6)
"""How long before an occurrence its card is posted (when the previous one has started)."""
_WEEK = timedelta(weeks=1)
CARD_CLAIM = timedelta(minutes=15)
"""How long a process holds the right to post one card (the store decides who)."""


class SeriesKeeper:
    """Materialises occurrences and posts their cards; used by the service and its duties."""

    def __init__(
        self,
        store: SessionStore,
        notifier: Notifier,
        room_keeper: RoomKeeper,
        ahead: timedelta = MATERIALISE_AHEAD,
        card_ahead: timedelta = CARD_AHEAD,
        planner: ReminderPlanner | None = None,
    ) -> None:
        self.store = store
        self.planner = planner or ReminderPlanner(store, ReminderDefaults())
        self.notifier = notifier
        self.room_keeper = room_keeper
        self.ahead = ahead
        self.card_ahead = card_ahead
        self._due: datetime | None = None
        self._planned = False
        """Whether `_due` holds when the series next need the clock (see `tend`)."""
        self._cards_checked: datetime | None = None
        """When this process last looked for due cards (None: not yet, so look at all)."""

    # materialising ------------------------------------------------------------------------
    async def materialise(
        self, series: Series, now: datetime, since: datetime | None = None
    ) -> list[TrainingSession]:
        """Add every occurrence up to `now + ahead` not yet added; the ones this call added.
        `since` walks the window again from there (after the segment's rule changed)."""
        until = now + self.ahead
        after = since or series.materialised_until or now
        if series.status is not SeriesStatus.ACTIVE or after >= until:
            return []
        coming = placements(series.rule, max(after, now), until)
        if not coming:  # nothing entered the window: no store work at all
            return []
        skipped = {skip.day for skip in await self.store.list_series_skips(series.root_id)}
        listed: list[TrainingSession] = []
        added: list[TrainingSession] = []
        for placement in coming:
            if placement.day in skipped:
                continue
            session = occurrence(series, placement, now)
            session.origin = None  # no card yet (see `post_due_cards`)
            try:
                await self.store.add_session(session)
            except InvalidState:  # added before (another process, or before a restart)
                stored = await self.store.get_session(session.id)
                if stored is None or stored.status is not SessionStatus.SCHEDULED:
                    continue  # canceled or changed on its own since: left as it is
                session = stored
            else:
                added.append(session)
            listed.append(session)
        added_ids = {session.id for session in added}
        # Read only now: a member saying "every week" meanwhile either is read here, or
        # finds the sessions just added when their own use case lists the coming classes.
        standing = await self.store.list_standing_rsvps(series.root_id)
        for session in listed:
            await self._apply_standing(session.id, standing, now)
            await self.planner.replan(session, now)  # with the custom kinds of who is going
            if session.id in added_ids:  # its room now, as a scheduled session gets it
                session.room.provider = self.room_keeper.rooms.provider
                await self.room_keeper.create(session, now)
        await self.store.mark_materialised(series.id, until, now)
        series.materialised_until = until  # the caller's copy stays current (see `tend`)
        return added

    async def _apply_standing(
        self, session_id: str, standing: list[StandingRsvp], now: datetime
    ) -> None:
        have = {r.member_id for r in await self.store.list_rsvps(session_id)}
        for rsvp in standing:
            if rsvp.member_id not in have:
                await self.store.rsvp_going(session_id, rsvp.member_id, rsvp.member_name, now)

    async def tend(self, now: datetime) -> tuple[list[TrainingSession], datetime | None]:
        """One wake-up's work on one read of the series: list what entered the window, post
        the cards due; the occurrences added and when this is next due.

        Before that time nothing is read: a wake-up for reminders costs the series nothing.
        Every change of a series re-plans the clock (`next_duty`), which reads them again.
        """
        if self._planned and (self._due is None or now < self._due):
            return [], self._due
        active = await self.store.list_series(SeriesStatus.ACTIVE)
        added: list[TrainingSession] = []
        for series in active:
            if series.materialised_until is None or series.materialised_until < now + self.ahead:
                added += await self.materialise(series, now)
        await self.post_due_cards(now, active=active)
        self._due, self._planned = self.next_due(now, active), True
        return added, self._due

    async def next_duty(self, now: datetime) -> datetime | None:
        """When the series next need the clock, read afresh (a series may have changed in
        any process); a duty already due and not yet done stays due."""
        pending = self._due if self._planned and self._due is not None else None
        fresh = self.next_due(now, await self.store.list_series(SeriesStatus.ACTIVE))
        times = [t for t in (fresh, pending if pending and pending <= now else None) if t]
        self._due, self._planned = min(times, default=None), True
        return self._due

    def next_due(self, now: datetime, active: list[Series]) -> datetime | None:
        """The earlier of the next materialisation and the next card, for these segments."""
        times = [self._next_materialisation(now, active), self._next_card(now, active)]
        return min((t for t in times if t is not None), default=None)

    def _next_materialisation(self, now: datetime, active: list[Series]) -> datetime | None:
        """When the window next reaches an occurrence not yet materialised."""
        due: list[datetime] = []
        for series in active:
            start = series.materialised_until or now
            look = start + _WEEK * series.rule.interval_weeks + timedelta(days=1)
            upcoming = placements(series.rule, start, look)
            if upcoming:
                due.append(max(upcoming[0].start - self.ahead, now))
        return min(due, default=None)

    # cards --------------------------------------------------------------------------------
    @staticmethod
    def _timetables(active: list[Series]) -> dict[str, list[Series]]:
        """The running segments of each weekly class (cards belong to the class)."""
        found: dict[str, list[Series]] = {}
        for series in active:
            found.setdefault(series.root_id, []).append(series)
        return found

    def _card_times(self, segments: list[Series], now: datetime) -> list[datetime]:
        """When the cards of the class's next two classes after `now` fall due, by the
        timetable alone: `card_ahead` before each start, not before the previous start.
        (Due times grow class by class, so the second is always after `now`: enough for
        both the next wake-up and what fell due since a time.)"""
        span = _WEEK * max(s.rule.interval_weeks for s in segments) + timedelta(days=1)
        look_back = now - span
        starts = sorted(
            p.start for s in segments for p in placements(s.rule, look_back, now + 2 * span)
        )
        times = [
            max(start - self.card_ahead, previous)
            for previous, start in zip([look_back, *starts], starts, strict=False)
            if start > now
        ]
        return times[:2]

    async def _card_candidate(
        self, root_id: str, now: datetime
    ) -> tuple[TrainingSession, datetime] | None:
        """The class's next occurrence without a card, and when its card is due."""
        upcoming = await self.store.list_sessions(
            SessionFilter(
                series_id=root_id,
                status=[SessionStatus.SCHEDULED, SessionStatus.LIVE],
                starts_after=now - timedelta(days=1),
                limit=20,
            )
        )
        previous_start: datetime | None = None
        for session in upcoming:
            waiting = session.status is SessionStatus.SCHEDULED and session.start_time > now
            if session.origin is None and waiting:
                due = session.start_time - self.card_ahead
                if previous_start is not None:
                    due = max(due, previous_start)
                return session, due
            previous_start = session.start_time
        return None

    async def post_due_cards(
        self, now: datetime, root_id: str | None = None, active: list[Series] | None = None
    ) -> list[TrainingSession]:
        """Post the cards that are due (one per class at most); the sessions announced.

        The store is asked only about classes a card fell due for since this process last
        looked (every class, the first time: a restart catches up), or, with `root_id`,
        about that class alone (just created or changed). Which process posts a card is
        decided by the store (`claim_once`), so two never post the same one."""
        since = self._cards_checked if root_id is None else None
        if active is None:
            active = await self.store.list_series(SeriesStatus.ACTIVE)
        posted: list[TrainingSession] = []
        for root, segments in self._timetables(active).items():
            if root_id is not None and root != root_id:
                continue
            if since is not None and not any(
                since < due <= now for due in self._card_times(segments, since)
            ):
                continue
            try:
                card = await self._post_card(root, segments, now)
            except Exception:  # one class's failure never stops the others' cards
                log.exception("posting the card of weekly class %s failed", root)
                continue
            if card is not None:
                posted.append(card)
        if root_id is None:
            self._cards_checked = now
        return posted

    async def _post_card(
        self, root_id: str, segments: list[Series], now: datetime
    ) -> TrainingSession | None:
        origin = segments[0].origin
        found = None if origin is None else await self._card_candidate(root_id, now)
        if origin is None or found is None or found[1] > now:
            return None
        session = found[0]
        key = f"card:{session.id}"
        if not await self.store.claim_once(key, now, CARD_CLAIM):
            return None  # another process is posting it
        try:
            session.origin = origin.model_copy(update={"message_ref": None})
            await self.store.save_session(session)
        except Exception:
            await self.store.release_once(key)
            raise
        return await self.notifier.announce(session)

    def _next_card(self, now: datetime, active: list[Series]) -> datetime | None:
        """When the next card falls due, by the timetables alone (no store reads per class)."""
        due = [
            time
            for segments in self._timetables(active).values()
            if segments[0].origin is not None
            for time in self._card_times(segments, now)
            if time > now
        ]
        return min(due, default=None)

"""Plans a session's reminder rows: the standard kinds, plus the custom lead kinds someone
going (or the association's channel posts) wants.

A custom kind is planned when a member going wants it: on their RSVP (or promotion), when
they change their preferences or link another account (`add_reminders`: only their kind is
added, so two members' RSVPs taken at once by two processes both keep theirs), and
whenever the session's reminders are re-planned (a move: `replace_reminders`). Rows nobody
wants any more are harmless: at their time nobody is due anything. A change of the
member's zone needs no re-planning: quiet hours are read in their zone when a reminder
falls due (`core.reminder_dispatch`), and lead times do not depend on it (a reminder
already held keeps the end of the quiet hours it was held for).
"""

from __future__ import annotations

from datetime import datetime

from core.members import MemberProfile
from core.model import Reminder, RsvpStatus, SessionFilter, SessionStatus, TrainingSession
from core.ports import SessionStore
from core.reminder_preferences import ReminderDefaults, custom_kinds_wanted, member_reminders
from core.reminders import LEADS, plan_reminders


class ReminderPlanner:
    """Writes each session's reminder rows with the custom kinds its going members chose."""

    def __init__(self, store: SessionStore, defaults: ReminderDefaults) -> None:
        self.store = store
        self.defaults = defaults

    def first_plan(self, session: TrainingSession, now: datetime) -> list[Reminder]:
        """The rows of a session nobody is going to yet (the channel's custom kinds only)."""
        has_channel = session.origin is not None and session.origin.channel_id is not None
        return plan_reminders(session, now, custom_kinds_wanted([], self.defaults, has_channel))

    async def replan(self, session: TrainingSession, now: datetime) -> None:
        """Replace the session's unfinished rows with the standard kinds and every custom
        kind its going members (or the channel) want, for its current start."""
        going = [r.member_id for r in await self.store.list_rsvps(session.id, RsvpStatus.GOING)]
        profiles = await self.store.get_profiles(going) if going else {}
        members = [
            member_reminders(profiles.get(m), self.defaults, session.series_id) for m in going
        ]
        has_channel = session.origin is not None and session.origin.channel_id is not None
        custom = custom_kinds_wanted(members, self.defaults, has_channel)
        await self.store.replace_reminders(session.id, plan_reminders(session, now, custom))

    async def member_going(self, session: TrainingSession, member_id: str, now: datetime) -> None:
        """`member_id` is going now (an RSVP, a promotion): plan their custom kind, when
        they chose one still ahead. One profile read when they chose none."""
        await self._add_custom(await self.store.get_profile(member_id), session, now)

    async def preferences_changed(self, profile: MemberProfile, now: datetime) -> int:
        """Plan the member's (new) custom kind for every scheduled session they (any of
        their identities) are going to; returns for how many sessions it was added."""
        upcoming = await self.store.list_sessions(
            SessionFilter(status=[SessionStatus.SCHEDULED], starts_after=now, limit=1000)
        )
        return await self._add_custom_where_going(profile, upcoming, now)

    async def member_linked(
        self, profile: MemberProfile, sessions: list[TrainingSession], now: datetime
    ) -> int:
        """`profile` took over another account's RSVPs in `sessions` (a `/link`): plan the
        linked member's custom kind in the scheduled ones they are going to; returns in how
        many it was added."""
        scheduled = [s for s in sessions if s.status is SessionStatus.SCHEDULED]
        if not scheduled:
            return 0
        return await self._add_custom_where_going(profile, scheduled, now)

    async def _add_custom_where_going(
        self, profile: MemberProfile, sessions: list[TrainingSession], now: datetime
    ) -> int:
        """Add the member's custom kind to those of `sessions` that the member (any of
        their identities) is going to; returns to how many it was added."""
        mine = {profile.id, *profile.identities}
        going = {
            r.session_id
            for r in await self.store.list_rsvps_of_sessions(
                [s.id for s in sessions], RsvpStatus.GOING
            )
            if r.member_id in mine
        }
        added = 0
        for session in sessions:
            if session.id in going and await self._add_custom(profile, session, now):
                added += 1
        return added

    async def _add_custom(
        self, profile: MemberProfile | None, session: TrainingSession, now: datetime
    ) -> bool:
        """Add the member's custom kind's row to the session when they chose one still
        ahead, leaving the other rows alone; whether there was one to add."""
        custom = member_reminders(profile, self.defaults, session.series_id).custom
        if custom is None or session.start_time - LEADS[custom] <= now:
            return False
        rows = [r for r in plan_reminders(session, now, [custom]) if r.kind is custom]
        await self.store.add_reminders(session.id, rows)
        return True

"""Mirrors a session as a native Discord Scheduled Event (external, located at our page)."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from typing import Any

import discord

from adapters.discord.escape import inert
from adapters.discord.render_common import Links
from adapters.discord.rest import DiscordRest
from core.clock import Clock
from core.model import SessionStatus, TrainingSession

log = logging.getLogger(__name__)

EXTERNAL = 3
GUILD_ONLY = 2
STATUS_CODES = {
    SessionStatus.LIVE: 2,
    SessionStatus.ENDED: 3,
    SessionStatus.CANCELED: 4,
    SessionStatus.NOT_HELD: 4,  # Discord completes only events that were active
}
"""Event status to set when the session reaches that state (SCHEDULED needs none)."""


def event_fields(session: TrainingSession, links: Links) -> dict[str, Any]:
    """What the event should show while the session is scheduled."""
    return {
        "name": inert(session.title)[:100],
        "description": inert(session.description or f"Live session with {session.instructor_name}")[
            :1000
        ],
        "scheduled_start_time": session.start_time.isoformat(),
        "scheduled_end_time": session.end_time.isoformat(),
        "entity_type": EXTERNAL,
        "privacy_level": GUILD_ONLY,
        "entity_metadata": {"location": links.page(session.id)[:100]},
    }


def desired_state(session: TrainingSession, links: Links) -> dict[str, Any]:
    """The event fields (scheduled) or just the status (live, ended, canceled)."""
    if session.status in STATUS_CODES:
        return {"status": STATUS_CODES[session.status]}
    return event_fields(session, links)


def digest(state: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:10]


class EventMirror:
    """Creates, updates and ends/cancels the Scheduled Event of each session.

    Failures are logged and never block the announcement; an unchanged state is not sent
    again (its digest travels in the announcement reference).
    """

    def __init__(self, rest: Callable[[], DiscordRest], links: Links, clock: Clock) -> None:
        self._rest = rest
        self.links = links
        self.clock = clock
        self._forbidden: set[int] = set()

    async def mirror(
        self, guild_id: int, session: TrainingSession, event_id: int | None, last: str | None
    ) -> tuple[int | None, str | None]:
        """Bring the event in line with the session; returns (event id, state digest)."""
        state = desired_state(session, self.links)
        wanted = digest(state)
        if wanted == last or guild_id in self._forbidden:
            return event_id, last
        try:
            if event_id is None:
                if session.status is not SessionStatus.SCHEDULED:
                    return None, None
                if session.start_time <= self.clock.now():
                    return None, None  # Discord refuses events starting in the past
                created = await self._rest().create_event(guild_id, state)
                return int(created["id"]), wanted
            await self._rest().edit_event(guild_id, event_id, state)
        except discord.Forbidden:
            log.warning("no permission to manage scheduled events in guild %s", guild_id)
            self._forbidden.add(guild_id)
            return event_id, last
        except discord.HTTPException as exc:
            # e.g. Discord already completed/canceled it: final states can't change
            log.warning("scheduled event of session %s not updated: %s", session.id, exc)
        return event_id, wanted

    def session_id_of(self, event: dict[str, Any]) -> str | None:
        """The session an event mirrors, from its location (our session page)."""
        location = str((event.get("entity_metadata") or {}).get("location") or "")
        prefix = self.links.page("")
        if not location.startswith(prefix):
            return None
        rest = location[len(prefix) :]
        return rest if re.fullmatch(r"[A-Za-z0-9_-]{1,60}", rest) else None

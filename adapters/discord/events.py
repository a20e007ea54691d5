"""Mirrors a session as a native Discord Scheduled Event (external, located at our page).

Before changing an event its current status is read, and only the changes Discord permits
are made (`event_steps`): Discord starts and completes external events by itself."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from typing import Any

import discord

from adapters.discord.event_steps import event_fields, event_steps
from adapters.discord.render_common import Links
from adapters.discord.rest import DiscordRest
from core.clock import Clock
from core.i18n import ENGLISH, Translator
from core.model import SessionStatus, TrainingSession

log = logging.getLogger(__name__)

__all__ = ["EventMirror", "desired_state", "digest", "event_fields"]


def desired_state(
    session: TrainingSession, links: Links, tr: Translator = ENGLISH
) -> dict[str, Any]:
    """What the event should follow: its fields while the session is scheduled (worded by
    `tr`, the server's language), else the session's status (its digest tells the states
    apart)."""
    if session.status is not SessionStatus.SCHEDULED:
        return {"session": session.status.value}
    return event_fields(session, links, tr)


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
        self,
        guild_id: int,
        session: TrainingSession,
        event_id: int | None,
        last: str | None,
        tr: Translator = ENGLISH,
    ) -> tuple[int | None, str | None]:
        """Bring the event in line with the session, worded by `tr` (the server's language);
        returns (event id, state digest)."""
        state = desired_state(session, self.links, tr)
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
            await self._follow(guild_id, event_id, session, tr)
        except discord.Forbidden:
            log.warning("no permission to manage scheduled events in guild %s", guild_id)
            self._forbidden.add(guild_id)
            return event_id, last
        except discord.HTTPException as exc:
            log.warning("scheduled event of session %s not updated: %s", session.id, exc)
        return event_id, wanted

    async def _follow(
        self, guild_id: int, event_id: int, session: TrainingSession, tr: Translator
    ) -> None:
        """Read the event's status now, then make only the changes Discord permits."""
        rest = self._rest()
        current = int((await rest.get_event(guild_id, event_id))["status"])
        for step in event_steps(session, current, self.links, tr):
            await rest.edit_event(guild_id, event_id, step)

    def session_id_of(self, event: dict[str, Any]) -> str | None:
        """The session an event mirrors, from its location (our session page)."""
        location = str((event.get("entity_metadata") or {}).get("location") or "")
        prefix = self.links.page("")
        if not location.startswith(prefix):
            return None
        rest = location[len(prefix) :]
        return rest if re.fullmatch(r"[A-Za-z0-9_-]{1,60}", rest) else None

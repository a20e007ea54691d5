"""The PATCHes that bring a session's Scheduled Event in step with it, from the status the
event has now, using only the status changes Discord accepts.

Discord allows SCHEDULED→ACTIVE→COMPLETED and SCHEDULED→CANCELED (COMPLETED and CANCELED
are final) and moves an EXTERNAL event to ACTIVE at its start and to COMPLETED at its end
by itself. So: a live session's event ends no earlier than the session's auto-end (its end
plus the grace), so a session running over does not see its event completed under it; an
event Discord already started cannot be canceled, so a session canceled (or not held) after
its start completes the event, named as canceled; an event Discord already finished is left
as it is.
"""

from __future__ import annotations

from typing import Any

from adapters.discord import limits
from adapters.discord.escape import inert
from adapters.discord.limits import ACTIVE, CANCELED, COMPLETED, SCHEDULED, fit
from adapters.discord.render_common import Links
from adapters.discord.words import t
from core.i18n import ENGLISH, Text, Translator, localize
from core.model import SessionStatus, TrainingSession
from core.rules import AUTO_END_GRACE

EXTERNAL = 3
GUILD_ONLY = 2
FINAL = frozenset({COMPLETED, CANCELED})
ACTIVE_FIELDS = ("name", "description", "entity_metadata")
"""What may still change once Discord has started the event (besides its end)."""


def called_off(session: TrainingSession) -> Text:
    """The name of an event Discord started whose session was canceled or not held."""
    title = inert(session.title)
    if session.status is SessionStatus.NOT_HELD:
        return t("Not held: {title}", title=title)
    return t("Canceled: {title}", title=title)


def event_fields(
    session: TrainingSession, links: Links, tr: Translator = ENGLISH
) -> dict[str, Any]:
    """What the event should show while the session is scheduled (worded by `tr`)."""
    live = t("Live session with {name}", name=session.instructor_name)
    about = session.description or localize(live, tr)
    return {
        "name": fit(inert(session.title), limits.EVENT_NAME),
        "description": fit(inert(about), limits.EVENT_DESCRIPTION),
        "scheduled_start_time": session.start_time.isoformat(),
        "scheduled_end_time": session.end_time.isoformat(),
        "entity_type": EXTERNAL,
        "privacy_level": GUILD_ONLY,
        "entity_metadata": {"location": links.page(session.id)[: limits.EVENT_LOCATION.max]},
    }


def _latest_end(session: TrainingSession) -> str:
    """When a started event should end at the latest: when the session ends by itself."""
    return (session.end_time + AUTO_END_GRACE).isoformat()


def event_steps(
    session: TrainingSession, current: int, links: Links, tr: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """The PATCH bodies, in order, from the event's `current` status (none when in step),
    worded by `tr` (the server's language)."""
    if current in FINAL:
        return []
    status = session.status
    if status is SessionStatus.SCHEDULED:
        fields = event_fields(session, links, tr)
        if current == SCHEDULED:
            return [fields]
        active = {k: fields[k] for k in ACTIVE_FIELDS}  # late start: Discord started it
        return [active | {"scheduled_end_time": _latest_end(session)}]
    if status is SessionStatus.LIVE:
        stretch = {"scheduled_end_time": _latest_end(session)}
        return [{"status": ACTIVE} | stretch] if current == SCHEDULED else [stretch]
    if status is SessionStatus.ENDED:
        done = [{"status": COMPLETED}]
        return [{"status": ACTIVE}, *done] if current == SCHEDULED else done
    if current == SCHEDULED:
        return [{"status": CANCELED}]
    name = fit(localize(called_off(session), tr), limits.EVENT_NAME)
    return [{"status": COMPLETED, "name": name}]  # started events can't be canceled

"""Every Discord card, notice, reply and event rendered from extreme inputs (200-character
titles full of `&<>@]`, long descriptions, 1,000 going, 100 sessions in an event) stays
within Discord's documented limits: checked by the same rules the fake Discord enforces."""

from __future__ import annotations

from typing import Any

from adapters.discord.events import event_fields
from adapters.discord.render_card import session_embed, session_view
from adapters.discord.render_common import Links
from adapters.discord.render_notice import mention_content, notice_embed, notice_view
from adapters.discord.render_outcome import error_reply, outcome_reply
from core.commands import ListSessions, ShowEvent
from core.executor import EventOutcome, SessionListOutcome, SessionOutcome
from core.model import Event, RsvpStatus, SessionStatus
from core.views import SessionView
from tests.adapters.test_hostile_text import (
    NOW,
    PUBLIC_URL,
    Typed,
    discord_payload,
    notices,
    outcomes,
    refusal,
    reply_payload,
    rsvp,
    session_of,
)
from tests.fakes.discord_rules import event_errors, message_errors

WORST = "&<>@]" * 40
EXTREME = Typed(
    title=WORST[:200],
    description=(WORST * 20)[:3000],
    reason=(WORST * 20)[:3000],
    instructor=WORST[:200],
    member=WORST[:80],
    event_title=WORST[:200],
    error=(WORST * 20)[:3000],
)
LINKS = Links(PUBLIC_URL)


def fits(payload: dict[str, Any]) -> None:
    errors = message_errors(payload)
    assert not errors, errors


def test_cards_notices_and_events_fit_discords_limits() -> None:
    t = EXTREME
    for notice in notices(session_of(t), t, "discord:77"):
        content, _ = mention_content(notice)
        fits(
            discord_payload(
                content=content, embeds=[notice_embed(notice)], view=notice_view(notice)
            )
        )
    for status in SessionStatus:
        s = session_of(t, status=status)
        fits(
            discord_payload(
                embeds=[session_embed(s, 1000, 1000, LINKS)], view=session_view(s, NOW, LINKS)
            )
        )
        assert not event_errors(event_fields(s, LINKS))


def test_replies_with_1000_going_and_100_sessions_fit_discords_limits() -> None:
    t = EXTREME
    s = session_of(t)
    going = [rsvp(t, n, RsvpStatus.GOING) for n in range(1000)]
    waiting = [rsvp(t, n, RsvpStatus.WAITLISTED) for n in range(1000, 2000)]
    event = Event(id="e1", title=t.event_title, description=t.description, created_at=NOW)
    view = SessionView(session=s, going=going, waitlisted=waiting, event=event)
    many = [session_of(t, id=f"s{n}") for n in range(100)]
    extreme = [
        SessionOutcome(action="shown", view=view, notes=[t.error] * 5),
        SessionOutcome(action="scheduled", view=view, notes=[t.error] * 5),
    ]
    for outcome in [*outcomes(t), *extreme]:
        fits(reply_payload(outcome_reply(outcome, NOW, LINKS)))
    listing = ListSessions()
    for page in (0, 3, 99):
        fits(
            reply_payload(
                outcome_reply(SessionListOutcome(sessions=many), NOW, LINKS, listing, page)
            )
        )
        shown = EventOutcome(action="shown", event=event, sessions=many)
        fits(reply_payload(outcome_reply(shown, NOW, LINKS, ShowEvent(event_id="e1"), page)))
    fits(reply_payload(error_reply(refusal(t), "/rsvp session:")))

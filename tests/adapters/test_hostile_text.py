"""Nothing a member typed reaches Slack or Discord as a live mention or a disguised link.

A property test over every renderer and every text field: titles, descriptions, cancel
reasons, instructor and member names, event titles and error texts are generated full of
mention syntax; every notice kind, the announcement card in every state, every reply and
refusal and the schedule modal are rendered for Slack and Discord, and each string of the
result is searched for a mention, broadcast or link dojobot did not mean to send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.events import event_fields
from adapters.discord.render_card import session_embed, session_view
from adapters.discord.render_common import Links
from adapters.discord.render_notice import mention_content, notice_embed, notice_view
from adapters.discord.render_outcome import Reply, error_reply, outcome_reply
from adapters.slack.render_card import announcement
from adapters.slack.render_modal import schedule_modal
from adapters.slack.render_notice import notice_message
from adapters.slack.render_outcome import error_message, outcome_message
from core import (
    messages,
    min_attendance_messages,
    no_show_messages,
    offer_messages,
    rank_messages,
    substitute_messages,
)
from core.errors import InvalidInput
from core.executor import (
    AttendanceOutcome,
    EventOutcome,
    HelpOutcome,
    JoinOutcome,
    Outcome,
    RsvpOutcome,
    SessionListOutcome,
    SessionOutcome,
)
from core.min_attendance import MinDecision, MinDefault, MinState
from core.model import (
    Attendance,
    Event,
    ReminderKind,
    Room,
    RoomLink,
    RoomState,
    Rsvp,
    RsvpChange,
    RsvpStatus,
    SessionStatus,
    TrainingSession,
)
from core.no_show_policy import NoShowRules
from core.notices import Notice, NoticeButton, NoticeKind
from core.reply_outcome import ReplyOutcome
from core.seat_marks import MarkKind, SeatMark
from core.substitutes import SubstituteRequest
from core.views import SessionView
from tests.hostile import discord_live, hostile_text, slack_live

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
PUBLIC_URL = "https://dojo.example"
JOIN_URL = "https://dojo.example/join/abc?x=1&y=2"
SLACK_INSTRUCTOR, SLACK_MEMBER = "U0SENSEI", "U0ANA"
DISCORD_MEMBER = "77"


@dataclass(frozen=True)
class Typed:
    """Everything a member can type that dojobot shows back."""

    title: str
    description: str
    reason: str
    instructor: str
    member: str
    event_title: str
    error: str


typed_texts = st.builds(
    Typed,
    title=hostile_text(),
    description=hostile_text(),
    reason=hostile_text(),
    instructor=hostile_text(),
    member=hostile_text(),
    event_title=hostile_text(),
    error=hostile_text(),
)


def session_of(t: Typed, **changes: Any) -> TrainingSession:
    return TrainingSession(
        id="s42",
        title=t.title,
        description=t.description,
        event_id="e1",
        instructor_id=f"slack:T0DOJO:{SLACK_INSTRUCTOR}",
        instructor_name=t.instructor,
        start_time=START,
        duration_minutes=60,
        capacity=2,
        recording_enabled=True,
        cancel_reason=t.reason,
        room=Room(provider="memory", state=RoomState.FAILED, last_error=t.error),
        created_at=NOW,
        updated_at=NOW,
    ).model_copy(update=changes)


def no_show_mark(s: TrainingSession, member_id: str) -> SeatMark:
    """A no-show of the member in `s`."""
    return SeatMark(session_id=s.id, member_id=member_id, kind=MarkKind.NO_SHOW, created_at=NOW)


def sub_request(s: TrainingSession, t: Typed) -> SubstituteRequest:
    """A substitute request for `s` by an instructor with a typed name."""
    return SubstituteRequest(
        session_id=s.id,
        requested_by=s.instructor_id,
        instructor_id=s.instructor_id,
        instructor_name=t.instructor,
        created_at=NOW,
        others_at=NOW,
        answer_by=START - timedelta(hours=2),
        updated_at=NOW,
    )


NOTICES: dict[NoticeKind, Callable[[TrainingSession, Typed, str], Notice]] = {
    NoticeKind.REMINDER: lambda s, t, m: messages.reminder(
        s, ReminderKind.BEFORE_10M, to_member=True
    ),
    NoticeKind.PROMOTED: lambda s, t, m: messages.promoted(s),
    NoticeKind.CANCELED: lambda s, t, m: messages.canceled(s, t.member),
    NoticeKind.RESCHEDULED: lambda s, t, m: messages.rescheduled(s, START - timedelta(days=2)),
    NoticeKind.STARTED: lambda s, t, m: messages.started(s),
    NoticeKind.ENDED: lambda s, t, m: messages.ended(s, [f"{t.member}: watched 20 min"], False),
    NoticeKind.DM_FALLBACK: lambda s, t, m: messages.dm_fallback(s, ReminderKind.BEFORE_1H, m),
    NoticeKind.RECORDING_READY: lambda s, t, m: messages.recording_ready(
        s, "https://rec.example/r1?a=1&b=2"
    ),
    NoticeKind.SUB_WANTED: lambda s, t, m: substitute_messages.wanted(s, sub_request(s, t)),
    NoticeKind.SUB_FOUND: lambda s, t, m: substitute_messages.found_for_members(s, t.member),
    NoticeKind.SUB_MISSING: lambda s, t, m: substitute_messages.missing_for_admins(
        s, sub_request(s, t)
    ),
    NoticeKind.NO_SHOW: lambda s, t, m: no_show_messages.mark_recorded(
        s, no_show_mark(s, m), NoShowRules(), "UTC"
    ),
    NoticeKind.APPEAL: lambda s, t, m: no_show_messages.appealed(
        s, m, t.member, [no_show_mark(s, m)]
    ).model_copy(
        update={"buttons": no_show_messages.mark_present_buttons(s, [rsvp(t, 1, RsvpStatus.GOING)])}
    ),
    NoticeKind.SEAT_OFFERED: lambda s, t, m: offer_messages.seat_offered(
        s, START - timedelta(hours=3), "UTC"
    ),
    NoticeKind.SEAT_OPEN: lambda s, t, m: offer_messages.seat_open(s),
    NoticeKind.OFFER_LAPSED: lambda s, t, m: offer_messages.offer_lapsed(s),
    NoticeKind.WAITLIST_MOVED: lambda s, t, m: offer_messages.places_released(
        s, [t.title, t.description]
    ),
    NoticeKind.MIN_ATTENDANCE_ASK: lambda s, t, m: min_attendance_messages.ask(
        s, 1, 2, START - timedelta(hours=2), MinDefault.CANCEL, "UTC"
    ),
    NoticeKind.MIN_ATTENDANCE_OUTCOME: lambda s, t, m: min_attendance_messages.default_applied(
        s,
        MinDecision(
            session_id=s.id,
            start_time=START,
            minimum=2,
            state=MinState.CANCELED,
            answer_by=START - timedelta(hours=2),
            updated_at=NOW,
        ),
        "UTC",
    ),
    NoticeKind.RANK_PROMOTED: lambda s, t, m: rank_messages.congratulation(
        s, "Yellow", START.date()
    ),
    NoticeKind.RANK_ELIGIBLE: lambda s, t, m: rank_messages.digest(
        s, [(t.member, "Yellow"), (t.instructor, "Orange")]
    ),
}
"""How the core words each notice kind; `m` is the member a channel mention is for."""


def test_every_notice_kind_has_a_hostile_case() -> None:
    assert set(NOTICES) == set(NoticeKind)


def notices(s: TrainingSession, t: Typed, member_id: str) -> list[Notice]:
    """Every notice kind, also as the channel mention a closed DM turns it into."""
    built = [make(s, t, member_id) for make in NOTICES.values()]
    return built + [n.model_copy(update={"mention_member_id": member_id}) for n in built]


def rsvp(t: Typed, n: int, status: RsvpStatus) -> Rsvp:
    return Rsvp(
        session_id="s42",
        member_id=f"slack:T0DOJO:U0M{n}",
        member_name=f"{t.member}{n}",
        status=status,
        position=n,
        created_at=NOW,
        updated_at=NOW,
    )


def outcomes(t: Typed) -> list[Outcome]:
    """Every kind of reply, with typed text in every field it shows."""
    event = Event(id="e1", title=t.event_title, description=t.description, created_at=NOW)
    going = [rsvp(t, 1, RsvpStatus.GOING), rsvp(t, 2, RsvpStatus.GOING)]
    waiting = rsvp(t, 3, RsvpStatus.WAITLISTED)
    found: list[Outcome] = []
    for status in SessionStatus:
        s = session_of(t, status=status)
        view = SessionView(session=s, going=going, waitlisted=[waiting], event=event)
        for action in ("shown", "scheduled", "updated", "canceled", "started", "ended"):
            found.append(SessionOutcome(action=action, view=view, notes=[t.error]))
    s = session_of(t)
    view = SessionView(session=s, going=going, waitlisted=[waiting], event=event)
    row = Attendance(
        session_id="s42",
        member_id="slack:T0DOJO:U0M1",
        member_name=t.member,
        joined_at=START,
        left_at=START + timedelta(minutes=20),
        watch_time_seconds=1200,
    )
    found += [
        SessionListOutcome(sessions=[s, session_of(t, id="s43")]),
        RsvpOutcome(change=RsvpChange(rsvp=going[0]), view=view),
        RsvpOutcome(change=RsvpChange(rsvp=waiting), view=view),
        JoinOutcome(session=s, link=RoomLink(url=JOIN_URL, expires_at=START)),
        AttendanceOutcome(session=s, attendance=[row], no_shows=[t.member, t.instructor]),
        EventOutcome(action="shown", event=event, sessions=[s]),
        EventOutcome(action="shown", event=event, sessions=[]),
        HelpOutcome(text=t.description),
        ReplyOutcome(
            action="claim_taken",
            lines=[t.title, t.error],
            session_id="s42",
            buttons=[NoticeButton(label=t.member, command="/rsvp s42")],
        ),
    ]
    return found


def refusal(t: Typed) -> InvalidInput:
    """A refusal that echoes typed text, as parse errors do."""
    return InvalidInput(f"No session with id “{t.title}”.", f"Did you mean {t.description}?")


SLACK_LINKS = frozenset({JOIN_URL})


def assert_slack_inert(rendered: Any, *, mentioned: str | None = None) -> None:
    users = frozenset({SLACK_INSTRUCTOR} | ({mentioned} if mentioned else set()))
    live = slack_live(rendered, users=users, links=SLACK_LINKS)
    assert not live, live


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_texts)
def test_slack_renders_typed_text_inert(t: Typed) -> None:
    member = f"slack:T0DOJO:{SLACK_MEMBER}"
    for notice in notices(session_of(t), t, member):
        mentioned = SLACK_MEMBER if notice.mention_member_id else None
        assert_slack_inert(notice_message(notice), mentioned=mentioned)
    event = Event(id="e1", title=t.event_title, created_at=NOW)
    for status in SessionStatus:
        assert_slack_inert(announcement(session_of(t, status=status), 3, 1, NOW, PUBLIC_URL, event))
    for outcome in outcomes(t):
        assert_slack_inert(outcome_message(outcome, "Europe/Berlin", NOW, PUBLIC_URL))
    assert_slack_inert(error_message(refusal(t)))
    assert_slack_inert(schedule_modal("C1", NOW, [event]))


def discord_payload(
    *, content: str | None = None, embeds: list[discord.Embed], view: discord.ui.View | None
) -> dict[str, Any]:
    """What discord.py would send: content, embeds as JSON, components."""
    return {
        "content": content,
        "embeds": [e.to_dict() for e in embeds],
        "components": view.to_components() if view is not None else [],
    }


def reply_payload(reply: Reply) -> dict[str, Any]:
    kwargs = reply.kwargs()
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    return discord_payload(content=reply.content, embeds=reply.embeds, view=reply.view)


def assert_discord_inert(payload: dict[str, Any], *, mentioned: str | None = None) -> None:
    live = discord_live(payload, users=frozenset({mentioned} if mentioned else set()))
    assert not live, (live, payload)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_texts)
async def test_discord_renders_typed_text_inert(t: Typed) -> None:
    links = Links(PUBLIC_URL)
    member = f"discord:{DISCORD_MEMBER}"
    for notice in notices(session_of(t), t, member):
        content, allowed = mention_content(notice)
        payload = discord_payload(
            content=content, embeds=[notice_embed(notice)], view=notice_view(notice)
        )
        pings = allowed.to_dict()
        assert pings["parse"] == []  # no @everyone, @here, role or user parsed from text
        if notice.mention_member_id:
            assert pings["users"] == [int(DISCORD_MEMBER)]  # only the member addressed
            assert_discord_inert(payload, mentioned=DISCORD_MEMBER)
        else:
            assert "users" not in pings
            assert_discord_inert(payload)
    for status in SessionStatus:
        s = session_of(t, status=status)
        card = discord_payload(
            embeds=[session_embed(s, 3, 1, links)], view=session_view(s, NOW, links)
        )
        assert_discord_inert(card)
        assert_discord_inert(event_fields(s, links))
    for outcome in outcomes(t):
        assert_discord_inert(reply_payload(outcome_reply(outcome, NOW, links)))
    assert_discord_inert(reply_payload(error_reply(refusal(t), "/rsvp session:")))

"""The waitlist-offer notices (DMs with Claim / Pass buttons), worded once for every front
end."""

from __future__ import annotations

from datetime import datetime

from core.i18n import Text, When, t
from core.model import TrainingSession
from core.notices import ButtonStyle, Notice, NoticeButton, NoticeKind


def claim_button(session_id: str) -> NoticeButton:
    """The button that claims the seat (runs `/claim <id>` for whoever clicks)."""
    return NoticeButton(label=t("Claim"), command=f"/claim {session_id}", style=ButtonStyle.PRIMARY)


def pass_button(session_id: str) -> NoticeButton:
    """The button that gives the offered seat to the next person (`/pass <id>`)."""
    return NoticeButton(label=t("Pass"), command=f"/pass {session_id}")


def seat_offered(session: TrainingSession, expires_at: datetime, tz: str) -> Notice:
    """A seat is held for the member until `expires_at` (shown in zone `tz`)."""
    return Notice(
        kind=NoticeKind.SEAT_OFFERED,
        session=session,
        text=t(
            "A seat in “{title}” is free — claim it by {deadline}, or pass it on. "
            "Until then it is held for you only.",
            title=session.title,
            deadline=When(expires_at, tz),
        ),
        buttons=(claim_button(session.id), pass_button(session.id)),
    )


def seat_open(session: TrainingSession) -> Notice:
    """Late window: a free seat open to everyone waitlisted; the first claim wins."""
    return Notice(
        kind=NoticeKind.SEAT_OPEN,
        session=session,
        text=t(
            "A seat in “{title}” is free and it starts soon: the first on the waitlist "
            "to claim it gets it.",
            title=session.title,
        ),
        buttons=(claim_button(session.id),),
    )


def offer_lapsed(session: TrainingSession) -> Notice:
    """The member's offer passed its deadline unclaimed: they are off the waitlist."""
    return Notice(
        kind=NoticeKind.OFFER_LAPSED,
        session=session,
        text=t(
            "You did not claim the seat in “{title}” in time; the seat went to the next "
            "person and you are off the waitlist — RSVP again to rejoin (/rsvp {id}).",
            title=session.title,
            id=session.id,
        ),
    )


def waitlist_moved(session: TrainingSession, place: int) -> Notice:
    """The member's place on the waitlist changed materially."""
    text: Text = (
        t("You're next on the waitlist of “{title}”.", title=session.title)
        if place == 1
        else t(
            "You're #{place} on the waitlist of “{title}” now.", title=session.title, place=place
        )
    )
    return Notice(kind=NoticeKind.WAITLIST_MOVED, session=session, text=text)


def places_released(session: TrainingSession, titles: list[str]) -> Notice:
    """Taking a seat in `session` took the member off overlapping sessions' waitlists."""
    return Notice(
        kind=NoticeKind.WAITLIST_MOVED,
        session=session,
        text=t(
            "You have a seat in “{title}”, so I took you off the waitlist of what overlaps "
            "it: {others}.",
            title=session.title,
            others=", ".join(f"“{name}”" for name in titles),
        ),
    )

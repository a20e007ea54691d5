"""What the waitlist-offer commands do and the reply lines they give (`ReplyOutcome`):
the claim's outcome with what to do next, a pass, a seat notice set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import Duration, Text, When, t
from core.model import Member, Rsvp, TrainingSession
from core.notices import NoticeButton
from core.offer_commands import ClaimSeat, OfferCommand, PassSeat, SetSeatNotice
from core.offers import ClaimOutcome, SeatClaim
from core.reply_outcome import ReplyOutcome
from core.views import SessionView

if TYPE_CHECKING:
    from core.service import SessionService


async def run_offer_command(
    service: SessionService, actor: Member, command: OfferCommand
) -> ReplyOutcome:
    """Run one waitlist-offer command as `actor`; refusals of a claim are replies (with what
    to do), other refusals raise as usual."""
    match command:
        case ClaimSeat():
            result = await service.claim(actor, command.session_id)
            session = await service.get(command.session_id)
            place = _place(await service.view(session.id), actor.id)
            return ReplyOutcome(
                action=f"claim_{result.outcome.value}",
                lines=claim_lines(
                    result, session, actor.timezone, place, service.offer_rules().enabled
                ),
                session_id=session.id,
                buttons=_rsvp_button(session) if _may_rejoin(result) else [],
            )
        case PassSeat():
            await service.pass_seat(actor, command.session_id)
            session = await service.get(command.session_id)
            lines: list[Text] = [
                t(
                    "You passed the seat in “{title}” on; you're off its waitlist.",
                    title=session.title,
                ),
                t("/rsvp {id} puts you back on the waitlist (at the end).", id=session.id),
            ]
            return ReplyOutcome(action="passed", lines=lines, session_id=session.id)
        case SetSeatNotice():
            await service.set_seat_notice(actor, command.notice)
            line = (
                t("Seats will be offered to you whatever the notice.")
                if command.notice is None
                else t(
                    "Seats will be offered to you only with at least {notice} before the start.",
                    notice=Duration(command.notice),
                )
            )
            return ReplyOutcome(action="seat_notice", lines=[line])


def claim_lines(
    result: SeatClaim, session: TrainingSession, tz: str, place: int | None, offers_on: bool
) -> list[Text]:
    """The reply to a claim: what happened and what the member can do now."""
    title, sid = session.title, session.id
    match result.outcome:
        case ClaimOutcome.CLAIMED:
            return [
                t("The seat in “{title}” is yours: you're going.", title=title),
                t("Reminders come by DM before the start; /unrsvp {id} if plans change.", id=sid),
            ]
        case ClaimOutcome.ALREADY_GOING:
            return [t("You're already going to “{title}”.", title=title)]
        case ClaimOutcome.EXPIRED:
            return [
                _ended(result.rsvp, title, tz),
                t("/rsvp {id} puts you back on the waitlist.", id=sid),
            ]
        case ClaimOutcome.TAKEN:
            return [
                t("Someone claimed the last free seat in “{title}” first.", title=title),
                _still_waiting(place),
            ]
        case ClaimOutcome.NOT_YOUR_TURN:
            first = (
                t("No seat in “{title}” is offered to you yet.", title=title)
                if offers_on
                else t("Seats in “{title}” go in waitlist order by themselves.", title=title)
            )
            return [first, _still_waiting(place)]
        case ClaimOutcome.NOT_WAITING:
            return [
                t("You're not on the waitlist of “{title}”.", title=title),
                t("/rsvp {id} puts you on it (or gives you a seat if one is free).", id=sid),
            ]


def _ended(rsvp: Rsvp | None, title: str, tz: str) -> Text:
    expires = rsvp.offer_expires_at if rsvp is not None else None
    if expires is None:
        return t("Your offer of a seat in “{title}” has ended.", title=title)
    return t(
        "This offer ended at {time}; the seat went to the next person.", time=When(expires, tz)
    )


def _still_waiting(place: int | None) -> Text:
    if place is None:
        return t("I'll DM you if a seat is offered to you.")
    return t(
        "You're #{place} on the waitlist; I'll DM you when a seat is yours to claim.", place=place
    )


def _place(view: SessionView, member_id: str) -> int | None:
    """The member's place on the waitlist (None: not on it)."""
    ids = [r.member_id for r in view.waitlisted]
    return ids.index(member_id) + 1 if member_id in ids else None


def _may_rejoin(result: SeatClaim) -> bool:
    return result.outcome in (ClaimOutcome.EXPIRED, ClaimOutcome.NOT_WAITING)


def _rsvp_button(session: TrainingSession) -> list[NoticeButton]:
    return [NoticeButton(label=t("RSVP"), command=f"/rsvp {session.id}")]

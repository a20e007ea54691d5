"""Runs a no-show command for the executor (`core.executor`): every outcome is a reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.model import Member, RsvpChange, RsvpStatus
from core.no_show_commands import AppealMark, MarkPresent, NoShowCommand, ShowRecord, WaiveMark
from core.no_show_messages import restricted_reply as restricted_text
from core.reply_outcome import ReplyOutcome

if TYPE_CHECKING:
    from core.service import SessionService


async def run_no_show_command(
    service: SessionService, actor: Member, command: NoShowCommand
) -> ReplyOutcome:
    """`/my-record`, `/appeal`, `/waive` or `/mark-present` as `actor`."""
    match command:
        case ShowRecord():
            return await service.my_record(actor, command.member_id)
        case AppealMark():
            return await service.appeal(actor, command.session_id)
        case WaiveMark():
            return await service.waive(actor, command.session_id, command.member_id)
        case MarkPresent():
            return await service.mark_present(actor, command.session_id, command.member_id)


async def restricted_reply(
    service: SessionService, actor: Member, change: RsvpChange
) -> ReplyOutcome | None:
    """The reply to an RSVP the no-show policy sent to the waitlist (why, and until when);
    None for any other RSVP (read only for a member just waitlisted)."""
    rsvp = change.rsvp
    if not change.changed or rsvp is None or rsvp.status is not RsvpStatus.WAITLISTED:
        return None
    until = await service.waitlist_only_until(actor.id)
    if until is None:
        return None
    return ReplyOutcome(
        action="waitlisted_restricted",
        lines=[restricted_text(until, actor.timezone)],
        session_id=rsvp.session_id,
    )

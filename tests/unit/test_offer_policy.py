"""The waitlist-offer rules, pure: deadlines, who is offered a seat, what a claim decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import rsvp_policy
from core.model import Rsvp, RsvpStatus
from core.offers import ClaimOutcome, OfferRules, offer_deadline

START = datetime(2026, 12, 10, 18, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ON = OfferRules(enabled=True)


def row(member: str, status: RsvpStatus, position: int, expires: datetime | None = None) -> Rsvp:
    return Rsvp(
        session_id="s-1",
        member_id=member,
        member_name=member,
        status=status,
        position=position,
        created_at=NOW,
        updated_at=NOW,
        offer_expires_at=expires,
    )


def queue(rows: list[Rsvp], capacity: int | None) -> rsvp_policy.Queue:
    return rsvp_policy.queue_of(rows, capacity)


@pytest.mark.parametrize(
    ("before_start", "deadline_before_start"),
    [
        (timedelta(days=3), timedelta(days=3) - timedelta(hours=2)),  # the 2 h window
        (timedelta(hours=2, minutes=20), timedelta(minutes=30)),  # capped: the open window
        (timedelta(hours=1), timedelta(minutes=45)),  # late: 15 min
        (timedelta(minutes=40), timedelta(minutes=30)),  # late, capped at the open window
    ],
)
def test_the_deadline_shrinks_as_the_start_nears_and_never_passes_the_open_window(
    before_start: timedelta, deadline_before_start: timedelta
) -> None:
    assert offer_deadline(START - before_start, START, ON) == START - deadline_before_start


def test_no_seat_is_held_in_the_open_window_nor_after_the_start() -> None:
    assert offer_deadline(START - timedelta(minutes=30), START, ON) is None
    assert offer_deadline(START - timedelta(minutes=1), START, ON) is None
    assert offer_deadline(START + timedelta(minutes=1), START, ON) is None
    no_open = OfferRules(enabled=True, open_from=timedelta(0))
    assert offer_deadline(START - timedelta(minutes=5), START, no_open) == START
    assert offer_deadline(START, START, no_open) is None


def test_an_offered_seat_is_taken_and_a_newcomer_waits_behind_the_waitlist() -> None:
    rows = [row("a", RsvpStatus.GOING, 1), row("b", RsvpStatus.OFFERED, 2, START)]
    decided = rsvp_policy.going(queue(rows, 2), None, "s-1", "c", "c", NOW)
    assert decided.change.rsvp is not None
    assert decided.change.rsvp.status is RsvpStatus.WAITLISTED
    rows = [row("a", RsvpStatus.GOING, 1), row("w", RsvpStatus.WAITLISTED, 2)]
    decided = rsvp_policy.going(queue(rows, 3), None, "s-1", "c", "c", NOW)
    assert decided.change.rsvp is not None
    assert decided.change.rsvp.status is RsvpStatus.WAITLISTED  # a seat is free, w is first
    decided = rsvp_policy.going(queue(rows[:1], 3), None, "s-1", "c", "c", NOW)
    assert decided.change.rsvp is not None and decided.change.rsvp.status is RsvpStatus.GOING


def test_offers_go_to_the_first_waitlisted_not_skipped_one_per_free_seat() -> None:
    rows = [
        row("a", RsvpStatus.GOING, 1),
        row("b", RsvpStatus.OFFERED, 2, START),
        row("c", RsvpStatus.WAITLISTED, 3),
        row("d", RsvpStatus.WAITLISTED, 4),
        row("e", RsvpStatus.WAITLISTED, 5),
    ]
    deadline = NOW + timedelta(hours=2)
    offered = rsvp_policy.offers(queue(rows, 4), NOW, deadline, frozenset({"c"}))
    assert [(r.member_id, r.status, r.offer_expires_at) for r in offered] == [
        ("d", RsvpStatus.OFFERED, deadline),
        ("e", RsvpStatus.OFFERED, deadline),
    ]
    assert rsvp_policy.offers(queue(rows, 2), NOW, deadline, frozenset()) == []


def test_leaving_without_promotion_frees_the_seat_for_an_offer() -> None:
    rows = [row("a", RsvpStatus.GOING, 1), row("w", RsvpStatus.WAITLISTED, 2)]
    decided = rsvp_policy.leave(queue(rows, 1), rows[0], NOW, promote=False)
    assert decided.change.promoted is None and len(decided.writes) == 1
    offered_row = row("o", RsvpStatus.OFFERED, 2, START)
    rows = [row("a", RsvpStatus.GOING, 1), offered_row, row("w", RsvpStatus.WAITLISTED, 3)]
    decided = rsvp_policy.leave(queue(rows, 2), offered_row, NOW)  # offers off: promote
    assert decided.change.promoted is not None and decided.change.promoted.member_id == "w"
    assert decided.change.rsvp is not None and decided.change.rsvp.offer_expires_at is None


def test_a_claim_decides_by_the_offer_and_its_deadline() -> None:
    deadline = NOW + timedelta(hours=2)
    held = row("b", RsvpStatus.OFFERED, 2, deadline)
    rows = [row("a", RsvpStatus.GOING, 1), held, row("c", RsvpStatus.WAITLISTED, 3)]
    q = queue(rows, 2)
    second_before = rsvp_policy.claim(q, held, deadline - timedelta(seconds=1), False)
    assert second_before.outcome is ClaimOutcome.CLAIMED
    assert second_before.rsvp is not None and second_before.rsvp.status is RsvpStatus.GOING
    at_deadline = rsvp_policy.claim(q, held, deadline, False)
    assert at_deadline.outcome is ClaimOutcome.EXPIRED
    assert rsvp_policy.claim(q, rows[2], NOW, False).outcome is ClaimOutcome.NOT_YOUR_TURN
    assert rsvp_policy.claim(q, rows[2], NOW, True).outcome is ClaimOutcome.TAKEN
    assert rsvp_policy.claim(q, rows[0], NOW, True).outcome is ClaimOutcome.ALREADY_GOING
    assert rsvp_policy.claim(q, None, NOW, True).outcome is ClaimOutcome.NOT_WAITING
    lapsed = rsvp_policy.lapse(held, deadline)
    assert lapsed.status is RsvpStatus.LEFT and lapsed.offer_expires_at == deadline
    assert rsvp_policy.claim(q, lapsed, deadline, False).outcome is ClaimOutcome.EXPIRED


def test_in_the_open_window_any_waitlisted_member_takes_a_free_seat() -> None:
    rows = [row("a", RsvpStatus.GOING, 1), row("c", RsvpStatus.WAITLISTED, 2)]
    won = rsvp_policy.claim(queue(rows, 2), rows[1], NOW, True)
    assert won.outcome is ClaimOutcome.CLAIMED
    assert won.rsvp is not None and won.rsvp.status is RsvpStatus.GOING


def test_a_withdrawn_offer_is_back_on_the_waitlist_at_its_place() -> None:
    back = rsvp_policy.withdrawn(row("b", RsvpStatus.OFFERED, 7, START), NOW)
    assert (back.status, back.position, back.offer_expires_at) == (RsvpStatus.WAITLISTED, 7, None)

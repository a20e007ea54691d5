"""The RSVP queue policy every store persists: seat or waitlist, leaving, promotion order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import rsvp_policy
from core.model import Rsvp, RsvpStatus
from core.rsvp_policy import Queue, queue_of

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=5)
GOING, WAITING, LEFT = RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.LEFT


def row(member: str, status: RsvpStatus, position: int) -> Rsvp:
    return Rsvp(
        session_id="s1",
        member_id=member,
        member_name=member.title(),
        status=status,
        position=position,
        created_at=T0,
        updated_at=T0,
    )


def test_the_queue_of_rows_counts_seats_and_orders_the_waitlist() -> None:
    rows = [row("ana", GOING, 1), row("cy", WAITING, 5), row("bo", WAITING, 3), row("di", LEFT, 7)]
    queue = queue_of(rows, capacity=1)
    assert (queue.going, queue.last_position) == (1, 7)
    assert [r.member_id for r in queue.waiting] == ["bo", "cy"]
    assert queue_of([], None) == Queue(None, 0, 0, [])


def test_a_free_seat_seats_and_a_full_session_waitlists_at_the_back() -> None:
    seated = rsvp_policy.going(Queue(2, 1, 4), None, "s1", "cy", "Cy", T1)
    assert seated.change.rsvp is not None
    assert (seated.change.rsvp.status, seated.change.rsvp.position) == (GOING, 5)
    assert seated.writes == [seated.change.rsvp]
    waiting = rsvp_policy.going(Queue(2, 2, 5), None, "s1", "di", "Di", T1)
    assert waiting.change.rsvp is not None
    assert (waiting.change.rsvp.status, waiting.change.rsvp.position) == (WAITING, 6)
    unlimited = rsvp_policy.going(Queue(None, 500, 500), None, "s1", "ed", "Ed", T1)
    assert unlimited.change.rsvp is not None and unlimited.change.rsvp.status is GOING


def test_an_active_member_keeps_the_row_and_one_who_left_reenters_at_the_back() -> None:
    queue = queue_of([row("ana", WAITING, 1), row("bo", LEFT, 2)], capacity=0)
    kept = rsvp_policy.going(queue, row("ana", WAITING, 1), "s1", "ana", "Ana", T1)
    assert kept.change.changed is False and kept.writes == []
    back = rsvp_policy.going(queue, row("bo", LEFT, 2), "s1", "bo", "Bo", T1)
    assert back.change.rsvp is not None
    assert (back.change.rsvp.status, back.change.rsvp.position) == (WAITING, 3)
    assert (back.change.rsvp.created_at, back.change.rsvp.updated_at) == (T0, T1)


def test_a_going_member_who_leaves_frees_one_seat_for_the_first_in_line() -> None:
    ana = row("ana", GOING, 1)
    queue = queue_of([ana, row("cy", WAITING, 3), row("bo", WAITING, 2)], capacity=1)
    decision = rsvp_policy.leave(queue, ana, T1)
    assert decision.change.rsvp is not None and decision.change.rsvp.status is LEFT
    assert decision.change.promoted is not None
    assert (decision.change.promoted.member_id, decision.change.promoted.status) == ("bo", GOING)
    assert [(w.member_id, w.status) for w in decision.writes] == [("ana", LEFT), ("bo", GOING)]


def test_a_waitlisted_member_who_leaves_promotes_nobody_and_absent_members_change_nothing() -> None:
    bo = row("bo", WAITING, 2)
    queue = queue_of([row("ana", GOING, 1), bo], capacity=1)
    decision = rsvp_policy.leave(queue, bo, T1)
    assert decision.change.promoted is None
    assert [w.member_id for w in decision.writes] == ["bo"]
    for existing in (None, row("gone", LEFT, 3)):
        nothing = rsvp_policy.leave(queue, existing, T1)
        assert (nothing.change.rsvp, nothing.change.changed, nothing.writes) == (None, False, [])


def test_promotions_fill_free_seats_in_position_order() -> None:
    rows = [row("ana", GOING, 1), row("di", WAITING, 4), row("bo", WAITING, 2)]
    rows.append(row("cy", WAITING, 3))
    assert [r.member_id for r in rsvp_policy.promotions(queue_of(rows, 3), T1)] == ["bo", "cy"]
    everyone = rsvp_policy.promotions(queue_of(rows, None), T1)
    assert [r.member_id for r in everyone] == ["bo", "cy", "di"]
    assert all(r.status is GOING and r.updated_at == T1 for r in everyone)
    assert rsvp_policy.promotions(queue_of(rows, 1), T1) == []
    assert rsvp_policy.promotions(queue_of(rows, 0), T1) == []


def test_the_waitlist_head_covers_every_seat_a_decision_can_fill() -> None:
    assert rsvp_policy.waitlist_head(None, 3) is None
    assert rsvp_policy.waitlist_head(5, 3) == 3  # two free seats, one freed by a leave
    assert rsvp_policy.waitlist_head(5, 5) == 1
    assert rsvp_policy.waitlist_head(5, 9) == 1

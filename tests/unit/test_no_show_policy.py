"""The no-show policy's pure rules: the period's edge, waivers, present marks, the end of a
restriction, late-cancel windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.no_show_policy import (
    NoShowRules,
    appealable,
    counting,
    in_period,
    is_late_cancel,
    restriction_at,
    waivable,
)
from core.seat_marks import MarkKind, SeatMark

T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
ON = NoShowRules(enabled=True)
DAY = timedelta(days=1)


def mark(days: float, session: str, kind: MarkKind = MarkKind.NO_SHOW, **more: object) -> SeatMark:
    return SeatMark.model_validate(
        {
            "session_id": session,
            "member_id": "t:ana",
            "kind": kind,
            "created_at": T0 + timedelta(days=days),
        }
        | more
    )


def test_three_within_the_period_restrict_for_the_restriction_from_the_third() -> None:
    marks = [mark(0, "s1"), mark(10, "s2"), mark(29, "s3")]
    found = restriction_at(marks, T0 + 29 * DAY, ON)
    assert found is not None
    assert found.started_at == T0 + 29 * DAY
    assert found.ends_at == T0 + 43 * DAY


def test_a_mark_exactly_one_period_older_does_not_count() -> None:
    marks = [mark(0, "s1"), mark(10, "s2"), mark(30, "s3")]
    assert restriction_at(marks, T0 + 30 * DAY, ON) is None
    one_second_less = [mark(0, "s1"), mark(10, "s2"), mark(30 - 1 / 86400, "s3")]
    assert restriction_at(one_second_less, T0 + 30 * DAY, ON) is not None


def test_the_restriction_ends_exactly_at_its_end() -> None:
    marks = [mark(0, "s1"), mark(1, "s2"), mark(2, "s3")]
    ends = T0 + 16 * DAY
    assert restriction_at(marks, ends - timedelta(seconds=1), ON) is not None
    assert restriction_at(marks, ends, ON) is None


def test_waived_and_present_overridden_marks_do_not_count() -> None:
    waived = mark(2, "s3", waived_by="t:boss", waived_at=T0 + 2 * DAY)
    assert restriction_at([mark(0, "s1"), mark(1, "s2"), waived], T0 + 3 * DAY, ON) is None
    present = mark(2.1, "s3", MarkKind.PRESENT, marked_by="t:sensei")
    marks = [mark(0, "s1"), mark(1, "s2"), mark(2, "s3"), present]
    assert restriction_at(marks, T0 + 3 * DAY, ON) is None
    assert [m.session_id for m in counting(marks, ON)] == ["s1", "s2"]


def test_late_cancels_count_unless_the_association_says_not() -> None:
    marks = [mark(0, "s1"), mark(1, "s2", MarkKind.LATE_CANCEL), mark(2, "s3")]
    assert restriction_at(marks, T0 + 2 * DAY, ON) is not None
    no_late = NoShowRules(enabled=True, late_cancels_count=False)
    assert restriction_at(marks, T0 + 2 * DAY, no_late) is None


def test_no_restriction_while_the_policy_is_off() -> None:
    marks = [mark(0, "s1"), mark(1, "s2"), mark(2, "s3")]
    assert restriction_at(marks, T0 + 2 * DAY, NoShowRules()) is None


def test_one_mark_per_session_and_kind_across_linked_identities() -> None:
    twin = mark(0, "s1").model_copy(update={"member_id": "t:anna"})
    assert len(counting([mark(0, "s1"), twin, mark(1, "s2")], ON)) == 2


def test_late_cancel_window_includes_its_first_instant_and_ends_at_the_start() -> None:
    start = T0
    window = ON.late_cancel_window
    assert is_late_cancel(start, start - window, ON)
    assert not is_late_cancel(start, start - window - timedelta(seconds=1), ON)
    assert not is_late_cancel(start, start, ON)


def test_waive_window_and_appealable_marks() -> None:
    one = mark(0, "s1")
    assert waivable(one, T0 + timedelta(hours=24), ON)
    assert not waivable(one, T0 + timedelta(hours=24, seconds=1), ON)
    appealed = mark(1, "s2", appealed_at=T0 + DAY)
    assert appealable([one, appealed], T0 + DAY, ON) == [one]
    assert appealable([one], T0 + DAY + timedelta(seconds=1), ON) == []  # past waiving


def test_in_period_and_retention() -> None:
    marks = [mark(0, "s1"), mark(20, "s2")]
    assert in_period(marks, T0 + 30 * DAY, ON) == [marks[1]]
    assert ON.kept_for() == timedelta(days=44)
    assert NoShowRules(retention=timedelta(days=365)).kept_for() == timedelta(days=365)
    assert NoShowRules(retention=timedelta(days=1)).kept_for() == timedelta(days=44)


def test_the_grammar_reads_the_commands_and_refuses_a_mention_as_member() -> None:
    import pytest

    from core.errors import InvalidInput
    from core.grammar import parse_command
    from core.no_show_commands import AppealMark, MarkPresent, ShowRecord, WaiveMark

    assert parse_command("/my-record", T0, "UTC") == ShowRecord()
    assert parse_command("/my-record slack:T1:U2", T0, "UTC") == ShowRecord(member_id="slack:T1:U2")
    assert parse_command("/appeal s-42", T0, "UTC") == AppealMark(session_id="s-42")
    waive = parse_command("/waive s-42 discord:9", T0, "UTC")
    assert waive == WaiveMark(session_id="s-42", member_id="discord:9")
    present = parse_command("/mark-present s-42 terminal:ana", T0, "UTC")
    assert present == MarkPresent(session_id="s-42", member_id="terminal:ana")
    with pytest.raises(InvalidInput, match="Missing the member's id") as missing:
        parse_command("/waive s-42", T0, "UTC")
    assert "/waive <id> <member-id>" in str(missing.value.hint)
    with pytest.raises(InvalidInput) as mention:
        parse_command("/mark-present s-42 <@U02>", T0, "UTC")
    assert "@" not in mention.value.message and "<" not in mention.value.message
    with pytest.raises(InvalidInput, match="Unexpected"):
        parse_command("/appeal s-42 now", T0, "UTC")

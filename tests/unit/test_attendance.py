from datetime import UTC, datetime, timedelta

from core.attendance import merged_seconds, summarize_attendance
from core.model import AttendanceInterval

T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def interval(member: str, joined: float, left: float | None) -> AttendanceInterval:
    return AttendanceInterval(
        session_id="s1",
        member_id=member,
        member_name=member.title(),
        joined_at=m(joined),
        left_at=None if left is None else m(left),
    )


def test_merged_seconds_counts_overlaps_once_and_rejoins_separately() -> None:
    spans = [(m(0), m(10)), (m(5), m(15)), (m(20), m(30)), (m(29), m(29.5))]
    assert merged_seconds(spans) == (15 + 10) * 60


def test_merged_seconds_ignores_empty_and_inverted_spans() -> None:
    assert merged_seconds([(m(5), m(5)), (m(9), m(1))]) == 0
    assert merged_seconds([]) == 0


def test_summary_per_member_with_rejoin_and_open_interval() -> None:
    rows = [
        interval("ana", 0, 20),
        interval("ana", 30, 50),
        interval("ana", 40, 45),  # overlap from a second device
        interval("ben", 10, None),  # still inside
    ]
    summary = {a.member_id: a for a in summarize_attendance(rows, until=m(60))}
    ana, ben = summary["ana"], summary["ben"]
    assert (ana.joined_at, ana.left_at, ana.watch_time_seconds) == (m(0), m(50), 40 * 60)
    assert ben.left_at is None
    assert ben.watch_time_seconds == 50 * 60


def test_summary_caps_intervals_at_until() -> None:
    rows = [interval("ana", 0, 90)]
    assert summarize_attendance(rows, until=m(60))[0].watch_time_seconds == 60 * 60

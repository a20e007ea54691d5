"""Attendance summaries from join/leave intervals (pure)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from core.model import Attendance, AttendanceInterval


def merged_seconds(intervals: list[tuple[datetime, datetime]]) -> int:
    """Total seconds covered by `intervals`, counting overlaps once."""
    total = 0.0
    current_start: datetime | None = None
    current_end: datetime | None = None
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).total_seconds()
    return int(total)


def summarize_attendance(intervals: list[AttendanceInterval], until: datetime) -> list[Attendance]:
    """One Attendance per member: first join, last leave, merged watch time.

    Intervals still open are counted up to `until` (the session's end, or now while live);
    `left_at` stays None for a member who is still inside.
    """
    by_member: dict[str, list[AttendanceInterval]] = defaultdict(list)
    for interval in intervals:
        by_member[interval.member_id].append(interval)
    summaries = []
    for member_id, rows in by_member.items():
        still_inside = any(row.left_at is None for row in rows)
        spans = [(row.joined_at, min(row.left_at or until, until)) for row in rows]
        last_left = max((row.left_at for row in rows if row.left_at), default=None)
        summaries.append(
            Attendance(
                session_id=rows[0].session_id,
                member_id=member_id,
                member_name=rows[-1].member_name,
                joined_at=min(row.joined_at for row in rows),
                left_at=None if still_inside else last_left,
                watch_time_seconds=merged_seconds(spans),
            )
        )
    return sorted(summaries, key=lambda a: (a.joined_at, a.member_id))

"""The ledger's pure rules: stays merged (a rejoin and overlaps counted once), exactly the
attended share counts, a verdict wins over the minutes, the better entry survives a link,
and weekly streaks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.attendance import summarize_attendance
from core.ledger_log import TrainingTally, weekly_streaks
from core.ledger_use_cases import held_seconds, ledger_entries
from core.model import AttendanceInterval, Rsvp, RsvpStatus, TrainingSession
from core.training_ledger import (
    LedgerEntry,
    TrainingRules,
    Verdict,
    better_entry,
    counts_as_attended,
    saved_over,
)

T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
RULES = TrainingRules()


def session(**changes: object) -> TrainingSession:
    values: dict[str, object] = {
        "id": "s-1",
        "title": "Kata",
        "instructor_id": "t:sensei",
        "instructor_name": "sensei",
        "start_time": T0,
        "duration_minutes": 60,
        "tags": ["kids"],
        "series_id": "c-1",
        "started_at": T0,
        "ended_at": T0 + timedelta(minutes=40),
        "created_at": T0 - timedelta(days=1),
        "updated_at": T0,
    }
    return TrainingSession.model_validate(values | changes)


def stay(member: str, joined: int, left: int | None) -> AttendanceInterval:
    return AttendanceInterval(
        session_id="s-1",
        member_id=member,
        member_name=member[2:],
        joined_at=T0 + timedelta(minutes=joined),
        left_at=None if left is None else T0 + timedelta(minutes=left),
    )


def going(member: str) -> Rsvp:
    return Rsvp(
        session_id="s-1",
        member_id=member,
        member_name=member[2:],
        status=RsvpStatus.GOING,
        position=1,
        created_at=T0,
        updated_at=T0,
    )


def test_the_held_length_is_started_to_ended_else_the_planned_duration() -> None:
    assert held_seconds(session()) == 40 * 60
    assert held_seconds(session(started_at=None, ended_at=None)) == 60 * 60


def test_stays_merge_a_rejoin_counts_once_and_going_never_present_is_zero() -> None:
    end = T0 + timedelta(minutes=40)
    stays = [
        stay("t:ana", 0, 20),
        stay("t:ana", 10, 25),  # overlaps the first (a second device): counted once
        stay("t:ana", 30, None),  # rejoined, still inside at the end
        stay("t:ben", 0, 10),
    ]
    attendance = summarize_attendance(stays, end)
    entries = ledger_entries(session(), attendance, [going("t:ben"), going("t:cal")], RULES, end)
    by_member = {e.member_id: e for e in entries}
    assert by_member["t:ana"].seconds_present == 35 * 60  # 0–25 and 30–40
    assert by_member["t:ana"].attended  # 35 of 40 minutes ≥ 75 %
    assert by_member["t:ben"].seconds_present == 10 * 60 and not by_member["t:ben"].attended
    assert by_member["t:cal"].seconds_present == 0 and not by_member["t:cal"].attended
    assert [e.member_id for e in entries] == ["t:ana", "t:ben", "t:cal"]
    ana = by_member["t:ana"]
    assert (ana.title, ana.tags, ana.series_id, ana.starts_at, ana.session_seconds) == (
        "Kata",
        ["kids"],
        "c-1",
        T0,
        2400,
    )


def test_exactly_the_attended_share_counts_one_second_less_does_not() -> None:
    assert counts_as_attended(2700, 3600, None, RULES)  # exactly 75 %
    assert not counts_as_attended(2699, 3600, None, RULES)
    assert counts_as_attended(1800, 3600, None, TrainingRules(attended_share=0.5))
    assert counts_as_attended(1, 0, None, RULES) and not counts_as_attended(0, 0, None, RULES)


def test_a_verdict_wins_over_the_minutes() -> None:
    assert not counts_as_attended(3600, 3600, Verdict.ABSENT, RULES)
    assert counts_as_attended(0, 3600, Verdict.PRESENT, RULES)


def entry(**changes: object) -> LedgerEntry:
    values: dict[str, object] = {
        "session_id": "s-1",
        "member_id": "t:ana",
        "member_name": "ana",
        "title": "Kata",
        "instructor_id": "t:sensei",
        "starts_at": T0,
        "session_seconds": 3600,
        "seconds_present": 3000,
        "attended": True,
        "recorded_at": T0,
    }
    return LedgerEntry.model_validate(values | changes)


def test_recording_again_keeps_a_verdict_and_the_attended_it_decided() -> None:
    absent = entry(verdict=Verdict.ABSENT, verdict_by="t:sensei", verdict_at=T0, attended=False)
    fresh = entry(seconds_present=3600, attended=True, title="Kata II")
    kept = saved_over(absent, fresh)
    assert (kept.verdict, kept.verdict_by, kept.attended) == (Verdict.ABSENT, "t:sensei", False)
    assert (kept.seconds_present, kept.title) == (3600, "Kata II")
    assert saved_over(entry(), fresh) == fresh and saved_over(None, fresh) == fresh


def test_linking_keeps_the_attended_then_the_decided_then_the_longer_entry() -> None:
    short = entry(seconds_present=100, attended=False)
    attended = entry(seconds_present=2800)
    decided = entry(seconds_present=0, verdict=Verdict.PRESENT, verdict_by="t:s", verdict_at=T0)
    assert better_entry(short, attended) is attended
    assert better_entry(attended, decided) is decided
    assert better_entry(attended, entry(seconds_present=2800)) is attended  # tie: the kept


def test_weekly_streaks_current_holds_until_the_week_is_over() -> None:
    monday = date(2026, 11, 30)
    weeks = {monday - timedelta(weeks=n) for n in (0, 1, 2, 5, 6, 7, 8)}
    assert weekly_streaks(weeks, monday) == (3, 4)
    assert weekly_streaks(weeks - {monday}, monday) == (2, 4)  # this week not over yet
    assert weekly_streaks(weeks, monday + timedelta(weeks=2)) == (0, 4)
    assert weekly_streaks(set(), monday) == (0, 0)


def test_the_tally_counts_this_year_in_all_minutes_and_the_latest() -> None:
    tally = TrainingTally(today=date(2026, 12, 2), zone=ZoneInfo("Europe/Madrid"))
    tally.add(entry(starts_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC)))  # 2026 in Madrid
    tally.add(entry(starts_at=datetime(2025, 12, 20, tzinfo=UTC), session_id="s-0"))
    tally.add(entry(attended=False, seconds_present=60, session_id="s-2"))
    assert (tally.attended_this_year, tally.attended_in_all, tally.sessions) == (1, 2, 3)
    assert tally.seconds_present == 3000 + 3000 + 60
    assert tally.newest_first()[0].session_id == "s-2"

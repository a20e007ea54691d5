"""`/recording start|stop` and the attendance summary posted when a session ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.attendance_report import attendance_lines, watch_time_text
from core.commands import StartRecording, StopRecording, UpdateSession
from core.errors import InvalidInput, InvalidState, PermissionDenied
from core.executor import CommandExecutor, SessionOutcome
from core.grammar import help_text, parse_command
from core.model import Attendance
from core.rules import RECORDING_NEEDS_REALTIMEKIT
from tests.unit.conftest import ANA, BEN, SENSEI, World

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/recording s-1 start", StartRecording(session_id="s-1")),
        ("/recording stop s-1", StopRecording(session_id="s-1")),
        ("/record s-1 STOP", StopRecording(session_id="s-1")),
    ],
)
def test_recording_grammar(text: str, expected: object) -> None:
    assert parse_command(text, NOW, "UTC") == expected


@pytest.mark.parametrize("text", ["/recording s-1", "/recording start", "/recording a b start"])
def test_recording_grammar_errors_show_usage(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_command(text, NOW, "UTC")
    assert "/recording <id> start|stop" in (caught.value.hint or "")


def test_recording_is_in_help() -> None:
    assert "/recording <id> start|stop" in help_text()


async def test_only_the_instructor_records_a_live_session(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5))
    with pytest.raises(InvalidState, match="only a live session"):
        await world.service.record(SENSEI, session.id, on=True)
    await world.service.start(SENSEI, session.id)
    with pytest.raises(PermissionDenied):
        await world.service.record(ANA, session.id, on=True)
    await world.service.record(SENSEI, session.id, on=True)
    assert world.rooms.recording == {session.room.room_id}
    await world.service.record(SENSEI, session.id, on=False)
    assert world.rooms.recording == set()


async def test_end_posts_the_summary_and_ends_the_room(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5))
    await world.service.rsvp(ANA, session.id)
    await world.service.rsvp(BEN, session.id)
    await world.service.start(SENSEI, session.id)
    await world.service.record_join(ANA, session.id)
    world.clock.advance(timedelta(minutes=65))
    await world.service.end(SENSEI, session.id)
    [ended] = [s for s in world.chat.of_kind("channel") if "ended" in s.text]
    assert ended.text.splitlines() == [
        "“Kata basics” ended.",
        "Attended (1): ana 1 h 05 min",
        "RSVP'd but absent (1): ben",
    ]
    assert world.rooms.ended == [session.room.room_id]


def test_summary_lines() -> None:
    row = Attendance(
        session_id="s",
        member_id="m",
        member_name="Ana",
        joined_at=NOW,
        left_at=NOW,
        watch_time_seconds=30,
    )
    assert attendance_lines([row], []) == ["Attended (1): Ana <1 min"]
    assert attendance_lines([], ["Ben"]) == ["Nobody attended.", "RSVP'd but absent (1): Ben"]
    assert watch_time_text(45 * 60) == "45 min"


async def test_rooms_that_cant_record_get_no_recording_promised(world: World) -> None:
    world.rooms.can_record = False  # like Jitsi
    outcome = await CommandExecutor(world.service).execute(
        SENSEI, parse_command('/schedule-session "Kata" tomorrow 18:00 rec', NOW, "UTC"), None
    )
    assert isinstance(outcome, SessionOutcome)
    assert not outcome.view.session.recording_enabled
    assert outcome.notes == [RECORDING_NEEDS_REALTIMEKIT]
    with pytest.raises(InvalidInput, match="Recording needs RealtimeKit"):
        await world.service.update(
            SENSEI, UpdateSession(session_id=outcome.view.session.id, recording_enabled=True)
        )


async def test_rooms_that_can_record_keep_the_recording_flag(world: World) -> None:
    outcome = await CommandExecutor(world.service).execute(
        SENSEI, parse_command('/schedule-session "Kata" tomorrow 18:00 rec', NOW, "UTC"), None
    )
    assert isinstance(outcome, SessionOutcome)
    assert outcome.view.session.recording_enabled and outcome.notes == []

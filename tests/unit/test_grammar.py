"""core.grammar: command text → typed commands, and the errors that say what to type instead."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.commands import (
    CancelSession,
    Command,
    CreateEvent,
    EndSession,
    Help,
    JoinSession,
    ListSessions,
    RsvpGoing,
    RsvpLeave,
    ScheduleSession,
    ShowAttendance,
    ShowEvent,
    ShowSession,
    StartSession,
    UpdateSession,
)
from core.errors import InvalidInput
from core.grammar import ALIASES, USAGE, help_text, parse_command
from core.model import SessionStatus, Visibility
from core.timeparse import DURATION_HINT, TIME_HINT, ZONE_HINT

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tue; 11:00 CET in Berlin
TOMORROW_18 = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # 18:00 CET
FRIDAY_18 = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
DEC_1_18 = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
IN_2_HOURS = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

ALL_STATUSES = [
    SessionStatus.SCHEDULED,
    SessionStatus.LIVE,
    SessionStatus.ENDED,
    SessionStatus.CANCELED,
    SessionStatus.NOT_HELD,
]


def schedule(**fields: object) -> ScheduleSession:
    values: dict[str, object] = {"title": "Kata basics", "start_time": TOMORROW_18} | fields
    return ScheduleSession.model_validate(values)


def update(**fields: object) -> UpdateSession:
    return UpdateSession.model_validate({"session_id": "s-42"} | fields)


def refused(text: str, tz: str = BERLIN) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_command(text, NOW, tz)
    assert caught.value.hint, "every error says what to type instead"
    return caught.value


# ---------------------------------------------------------------- schedule-session


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('/schedule-session "Kata basics" tomorrow 18:00', schedule()),
        ('schedule-session "Kata basics" tomorrow 18:00', schedule()),
        ('/SCHEDULE-SESSION "Kata basics" tomorrow 18:00', schedule()),
        ('/schedule "Kata basics" tomorrow 18:00', schedule()),
        ("/schedule-session 'Kata basics' tomorrow 18:00", schedule()),
        ("/schedule-session “Kata basics” tomorrow 18:00", schedule()),
        ('/schedule-session "Kata basics" tomorrow at 6 pm', schedule()),
        ('/schedule-session "Kata basics" tomorrow 18:00 60m cap 20', schedule(capacity=20)),
        ('/schedule-session "Kata basics" tomorrow 18:00 90', schedule(duration_minutes=90)),
        ('/schedule-session "Kata basics" tomorrow 18:00 1h30m', schedule(duration_minutes=90)),
        ('/schedule-session "Kata basics" tomorrow 18:00 1.5h', schedule(duration_minutes=90)),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 duration 90',
            schedule(duration_minutes=90),
        ),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 duration 45 minutes',
            schedule(duration_minutes=45),
        ),
        ('/schedule-session "Kata basics" tomorrow 18:00 for 2h', schedule(duration_minutes=120)),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 30 minutes',
            schedule(duration_minutes=30),
        ),
        ('/schedule-session "Kata basics" tomorrow 18:00 capacity 12', schedule(capacity=12)),
        ('/schedule-session "Kata basics" tomorrow 18:00 cap 0', schedule(capacity=0)),
        ('/schedule-session "Kata basics" tomorrow 18:00 unlimited', schedule()),
        ('/schedule-session "Kata basics" tomorrow 18:00 cap unlimited', schedule()),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 90 rec nochat public event e-1 '
            'tags kata,beginners desc "Bring a belt"',
            schedule(
                duration_minutes=90,
                recording_enabled=True,
                chat_enabled=False,
                visibility=Visibility.PUBLIC,
                event_id="e-1",
                tags=["kata", "beginners"],
                description="Bring a belt",
            ),
        ),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 recording chat members-only',
            schedule(recording_enabled=True),
        ),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 tags kata, beginners',
            schedule(tags=["kata", "beginners"]),
        ),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 tags #kata,kata,,beginners',
            schedule(tags=["kata", "beginners"]),
        ),
        (
            '/schedule-session "Kata basics" 2026-12-01 18:00 Europe/Berlin 45m',
            schedule(start_time=DEC_1_18, duration_minutes=45),
        ),
        (
            '/schedule-session "Kata basics" 2026-12-01T18:00Z 45m',
            schedule(start_time=datetime(2026, 12, 1, 18, tzinfo=UTC), duration_minutes=45),
        ),
        (
            '/schedule-session "Kata basics" 18:00 1 dec 30 minutes',
            schedule(start_time=DEC_1_18, duration_minutes=30),
        ),
        (
            '/schedule-session "Kata basics" dec 1 18:00 2h',
            schedule(start_time=DEC_1_18, duration_minutes=120),
        ),
        (
            '/schedule-session "Kata basics" fri 6 pm unlimited norec',
            schedule(start_time=FRIDAY_18),
        ),
        # where the time ends: the first standalone duration after a complete time
        (
            '/schedule-session "Kata basics" in 2 hours 45m',
            schedule(start_time=IN_2_HOURS, duration_minutes=45),
        ),
        (
            '/schedule-session "Kata basics" in 2 hours 30 minutes',
            schedule(start_time=IN_2_HOURS, duration_minutes=30),
        ),
        (
            '/schedule-session "Kata basics" in 2h45m',
            schedule(start_time=datetime(2026, 11, 24, 12, 45, tzinfo=UTC)),
        ),
        ('/schedule-session "Kata basics" in 2 hours', schedule(start_time=IN_2_HOURS)),
        (
            '/schedule-session "Kata basics" today 7pm 1.5h',
            schedule(start_time=datetime(2026, 11, 24, 18, tzinfo=UTC), duration_minutes=90),
        ),
        ("/schedule-session Kata tomorrow 18:00", schedule(title="Kata")),
        (
            '/schedule-session "Kata basics" tomorrow 18:00 desc "Sensei\'s favourite"',
            schedule(description="Sensei's favourite"),
        ),
    ],
)
def test_schedule_session(text: str, expected: ScheduleSession) -> None:
    assert parse_command(text, NOW, BERLIN) == expected


def test_schedule_defaults() -> None:
    command = parse_command('/schedule-session "Kata" tomorrow 18:00', NOW, BERLIN)
    assert command == ScheduleSession(
        title="Kata",
        start_time=TOMORROW_18,
        duration_minutes=60,
        capacity=None,
        recording_enabled=False,
        chat_enabled=True,
        visibility=Visibility.MEMBERS_ONLY,
        event_id=None,
        description="",
        tags=[],
    )


def test_schedule_uses_the_members_zone() -> None:
    command = parse_command('/schedule-session "Kata" tomorrow 18:00', NOW, "America/New_York")
    assert isinstance(command, ScheduleSession)
    assert command.start_time == datetime(2026, 11, 25, 23, tzinfo=UTC)


# ---------------------------------------------------------------- update-session


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "/update-session s-42 at fri 7pm 90m",
            update(start_time=datetime(2026, 11, 27, 18, tzinfo=UTC), duration_minutes=90),
        ),
        (
            "/update-session s-42 at tomorrow at 18:00 45m",
            update(start_time=TOMORROW_18, duration_minutes=45),
        ),
        (
            "/update-session s-42 when tomorrow 18:00 cap 5",
            update(start_time=TOMORROW_18, capacity=5),
        ),
        ('/update-session s-42 title "New title"', update(title="New title")),
        ("/update-session s-42 cap unlimited", update(unlimited=True)),
        ("/update-session s-42 unlimited", update(unlimited=True)),
        ("/update-session s-42 capacity 30", update(capacity=30)),
        ("/update-session s-42 norec", update(recording_enabled=False)),
        ("/update-session s-42 rec", update(recording_enabled=True)),
        ("/update-session s-42 nochat", update(chat_enabled=False)),
        ("/update-session s-42 chat", update(chat_enabled=True)),
        ("/update-session s-42 public", update(visibility=Visibility.PUBLIC)),
        ("/update-session s-42 members-only", update(visibility=Visibility.MEMBERS_ONLY)),
        ("/update-session s-42 event e-9", update(event_id="e-9")),
        ("/update-session s-42 tags a,b", update(tags=["a", "b"])),
        ('/update-session s-42 desc "Bring pads"', update(description="Bring pads")),
        ('/update-session s-42 desc ""', update(description="")),
        ("/update s-42 2h", update(duration_minutes=120)),
        ("/update-session s-42 duration 45", update(duration_minutes=45)),
        (
            '/update-session s-42 when in 3 days title "X" norec',
            update(
                start_time=datetime(2026, 11, 27, 10, tzinfo=UTC),
                title="X",
                recording_enabled=False,
            ),
        ),
        (
            "/update-session s-42 at 2026-12-01 18:00 Europe/Berlin public",
            update(start_time=DEC_1_18, visibility=Visibility.PUBLIC),
        ),
    ],
)
def test_update_session(text: str, expected: UpdateSession) -> None:
    assert parse_command(text, NOW, BERLIN) == expected


# ---------------------------------------------------------------- the other commands


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/sessions", ListSessions()),
        ("/sessions all", ListSessions(status=ALL_STATUSES)),
        ("/sessions ALL live", ListSessions(status=ALL_STATUSES)),
        ("/sessions live", ListSessions(status=[SessionStatus.LIVE])),
        (
            "/sessions live ended",
            ListSessions(status=[SessionStatus.LIVE, SessionStatus.ENDED]),
        ),
        ("/sessions live live", ListSessions(status=[SessionStatus.LIVE])),
        ("/sessions scheduled", ListSessions(status=[SessionStatus.SCHEDULED])),
        ("/sessions canceled", ListSessions(status=[SessionStatus.CANCELED])),
        ("/sessions cancelled", ListSessions(status=[SessionStatus.CANCELED])),
        ("/sessions mine", ListSessions(mine=True)),
        ("/sessions event e-1", ListSessions(event_id="e-1")),
        (
            "/sessions mine live event e-1",
            ListSessions(status=[SessionStatus.LIVE], mine=True, event_id="e-1"),
        ),
        ("/list upcoming", ListSessions(status=[SessionStatus.SCHEDULED])),
        ("/session s-1", ShowSession(session_id="s-1")),
        ("/show s-1", ShowSession(session_id="s-1")),
        ("/cancel-session s-1", CancelSession(session_id="s-1")),
        (
            "/cancel-session s-1 Sensei's ill",
            CancelSession(session_id="s-1", reason="Sensei's ill"),
        ),
        (
            '/cancel-session s-1 "flooded dojo"',
            CancelSession(session_id="s-1", reason="flooded dojo"),
        ),
        ("/cancel s-1 snow", CancelSession(session_id="s-1", reason="snow")),
        ("/start-session s-1", StartSession(session_id="s-1")),
        ("/start s-1", StartSession(session_id="s-1")),
        ("/end-session s-1", EndSession(session_id="s-1")),
        ("/end s-1", EndSession(session_id="s-1")),
        ("/join s-1", JoinSession(session_id="s-1")),
        ("/rsvp s-1", RsvpGoing(session_id="s-1")),
        ("/rsvp s-1 yes", RsvpGoing(session_id="s-1")),
        ("/rsvp s-1 going", RsvpGoing(session_id="s-1")),
        ("/rsvp s-1 leave", RsvpLeave(session_id="s-1")),
        ("/rsvp s-1 NO", RsvpLeave(session_id="s-1")),
        ("/going s-1", RsvpGoing(session_id="s-1")),
        ("/unrsvp s-1", RsvpLeave(session_id="s-1")),
        ("/attendance s-1", ShowAttendance(session_id="s-1")),
        ('/create-event "Summer camp"', CreateEvent(title="Summer camp")),
        ("/create-event Summer camp", CreateEvent(title="Summer camp")),
        (
            '/create-event Summer camp desc "Three days"',
            CreateEvent(title="Summer camp", description="Three days"),
        ),
        (
            '/create-event "Camp" description "Bring a tent"',
            CreateEvent(title="Camp", description="Bring a tent"),
        ),
        ("/event e-1", ShowEvent(event_id="e-1")),
        ("/help", Help()),
        ("/help schedule-session", Help(topic="schedule-session")),
        ("/help /schedule", Help(topic="schedule-session")),
        ("help cancel", Help(topic="cancel-session")),
        ("/?", Help()),
    ],
)
def test_other_commands(text: str, expected: Command) -> None:
    assert parse_command(text, NOW, BERLIN) == expected


# ---------------------------------------------------------------- errors


SCHEDULE_USAGE = USAGE["schedule-session"]
UPDATE_USAGE = USAGE["update-session"]


@pytest.mark.parametrize(
    ("text", "message", "hints"),
    [
        # the command line itself
        ("", "Nothing to do: the command is empty.", ["Type /help"]),
        ("   ", "Nothing to do: the command is empty.", ["Type /help"]),
        (
            '/schedul "Kata" tomorrow 18:00',
            'Unknown command "/schedul".',
            ["Did you mean /schedule-session?", "Type /help", SCHEDULE_USAGE],
        ),
        ("/frobnicate", 'Unknown command "/frobnicate".', ["Type /help to see all commands."]),
        (
            '/schedule-session "Kata tomorrow 18:00',
            'A quote is not closed in: /schedule-session "Kata tomorrow 18:00',
            ["Close every quote you open", SCHEDULE_USAGE],
        ),
        ('"oops', 'A quote is not closed in: "oops', ["Close every quote you open"]),
        # schedule-session: title and time
        ("/schedule-session", "Missing the title and the start time.", [SCHEDULE_USAGE]),
        ('/schedule-session "Kata"', "Missing the start time.", ["Times:", SCHEDULE_USAGE]),
        (
            "/schedule-session tomorrow 18:00",
            'Missing the title: "tomorrow" is not a title.',
            ["Put the title first.", SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "" tomorrow 18:00',
            'Missing the title: "" is not a title.',
            [SCHEDULE_USAGE],
        ),
        (
            "/schedule-session Kata basics tomorrow 18:00",
            'Titles with spaces need quotes: "Kata basics".',
            [SCHEDULE_USAGE],
        ),
        (
            "/schedule-session Kata tomorow 18:00",
            'Could not understand the time "tomorow 18:00" (lost at "tomorow").',
            [TIME_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 60m',
            'Could not understand the time "tomorrow 60m" (lost at "60m").',
            [TIME_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow cap 20',
            '"tomorrow" has no time of day.',
            ["Add one, e.g. tomorrow 18:00.", SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 CET 60m',
            '"CET" is a time-zone abbreviation, and those are ambiguous.',
            [ZONE_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 berlin',
            'Unknown time zone "berlin".',
            ["Did you mean Europe/Berlin?", SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 6pm',
            'Could not understand the time "tomorrow 18:00 6pm" (lost at "6pm").',
            [TIME_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" 2026-03-29 02:30 60m',
            "02:30 does not exist on Sun 29 Mar 2026 in Europe/Berlin: "
            "the clocks jump forward that night.",
            ["Try 03:30 instead.", SCHEDULE_USAGE],
        ),
        # schedule-session: options
        (
            '/schedule-session "Kata" tomorrow 18:00 cap lots',
            'The capacity must be a whole number, not "lots".',
            ["Write cap 20 or unlimited.", SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 cap',
            '"cap" needs a value, e.g. cap 20.',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 capp 20',
            'I do not understand "capp".',
            ["Did you mean cap?", SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 "Bring a belt"',
            'I do not understand "Bring a belt".',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 title "X"',
            'I do not understand "title".',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 60m 90m',
            'The duration is given twice (again at "90m").',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 rec norec',
            'The recording is given twice (again at "norec").',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 recording chat members-only norec',
            'The recording is given twice (again at "norec").',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 cap 5 unlimited',
            'The capacity is given twice (again at "unlimited").',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 public members-only',
            'The visibility is given twice (again at "members-only").',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 duration lots',
            '"duration" needs a duration, not "lots".',
            [DURATION_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 duration',
            '"duration" needs a duration.',
            [DURATION_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 0m',
            'A duration must be longer than zero, not "0m".',
            [DURATION_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 -30m',
            'A duration must be positive, not "-30m".',
            [DURATION_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 1.3m',
            'Could not understand the duration "1.3m".',
            [DURATION_HINT, SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 60m 1 dec',
            'I do not understand "1".',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 tags',
            '"tags" needs a value, e.g. tags kata,beginners.',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 tags ,',
            '"tags" needs at least one tag, e.g. tags kata,beginners.',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 event',
            '"event" needs a value, e.g. event e-7.',
            [SCHEDULE_USAGE],
        ),
        (
            '/schedule-session "Kata" tomorrow 18:00 desc',
            '"desc" needs a value, e.g. desc "Bring a belt".',
            [SCHEDULE_USAGE],
        ),
        # update-session
        ("/update-session", "Missing the session id.", [UPDATE_USAGE]),
        (
            "/update-session s-42",
            "Nothing to change: give at least one option.",
            [UPDATE_USAGE],
        ),
        (
            "/update-session s-42 tomorrow 18:00",
            'I do not understand "tomorrow".',
            ["To change the time write: at tomorrow 18:00", UPDATE_USAGE],
        ),
        ("/update-session s-42 at", "Missing the start time.", ["Times:", UPDATE_USAGE]),
        ("/update-session s-42 at cap 5", "Missing the start time.", ["Times:", UPDATE_USAGE]),
        (
            "/update-session s-42 at fri",
            '"fri" has no time of day.',
            [TIME_HINT, UPDATE_USAGE],
        ),
        (
            "/update-session s-42 at tomorrow 18:00 when fri 6pm",
            'The time is given twice (again at "when").',
            [UPDATE_USAGE],
        ),
        (
            "/update-session s-42 title",
            '"title" needs a value, e.g. title "Kata basics".',
            [UPDATE_USAGE],
        ),
        ('/update-session s-42 title ""', "The title cannot be empty.", [UPDATE_USAGE]),
        (
            "/update-session s-42 cap many",
            'The capacity must be a whole number, not "many".',
            ["Write cap 20 or unlimited.", UPDATE_USAGE],
        ),
        (
            "/update-session s-42 nochatt",
            'I do not understand "nochatt".',
            ["Did you mean nochat?", UPDATE_USAGE],
        ),
        # sessions
        ("/sessions bogus", 'I do not understand "bogus".', [USAGE["sessions"]]),
        (
            "/sessions event",
            '"event" needs an event id, e.g. /sessions event e-7.',
            [USAGE["sessions"]],
        ),
        # single-id commands
        ("/session", "Missing the session id.", [USAGE["session"]]),
        ("/session a b", 'Unexpected "b" after the session id.', [USAGE["session"]]),
        ("/start-session", "Missing the session id.", [USAGE["start-session"]]),
        ("/end-session a b", 'Unexpected "b" after the session id.', [USAGE["end-session"]]),
        ("/join", "Missing the session id.", [USAGE["join"]]),
        ("/unrsvp", "Missing the session id.", [USAGE["unrsvp"]]),
        ("/attendance", "Missing the session id.", [USAGE["attendance"]]),
        ("/event", "Missing the event id.", [USAGE["event"]]),
        ("/event e-1 e-2", 'Unexpected "e-2" after the event id.', [USAGE["event"]]),
        ("/cancel-session", "Missing the session id.", [USAGE["cancel-session"]]),
        # rsvp
        ("/rsvp", "Missing the session id.", [USAGE["rsvp"]]),
        (
            "/rsvp s-1 maybe",
            'I do not understand "maybe": say nothing (going) or leave.',
            [USAGE["rsvp"]],
        ),
        ("/rsvp s-1 leave now", 'Unexpected "now".', [USAGE["rsvp"]]),
        # create-event
        ("/create-event", "Missing the event title.", [USAGE["create-event"]]),
        ('/create-event desc "x"', "Missing the event title.", [USAGE["create-event"]]),
        (
            "/create-event Camp desc",
            '"desc" needs a value; quote a description with spaces.',
            [USAGE["create-event"]],
        ),
        (
            "/create-event Camp desc three days",
            '"desc" is followed by "days"; quote a description with spaces.',
            [USAGE["create-event"]],
        ),
        # help
        ("/help nope", 'Unknown command "/nope".', ["Type /help"]),
        ("/help sesions", 'Unknown command "/sesions".', ["Did you mean /sessions?"]),
        ("/help a b", 'Unexpected "b": ask about one command.', [USAGE["help"]]),
    ],
)
def test_errors_say_what_was_wrong_and_what_to_type(
    text: str, message: str, hints: list[str]
) -> None:
    error = refused(text)
    assert error.message == message
    assert error.hint is not None
    for hint in hints:
        assert hint in error.hint


def test_error_user_text_combines_message_and_hint() -> None:
    error = refused('/schedule-session "Kata" tomorrow 18:00 cap lots')
    assert error.user_text().splitlines() == [
        'The capacity must be a whole number, not "lots".',
        "Write cap 20 or unlimited.",
        *SCHEDULE_USAGE.splitlines(),
    ]


def test_a_time_typo_is_not_mistaken_for_an_unquoted_title() -> None:
    error = refused("/schedule-session Kata tomorow 18:00")
    assert "quotes" not in error.message
    assert "tomorow" in error.message


# ---------------------------------------------------------------- usage and help


COMMAND_NAMES = sorted(USAGE)


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_usage_has_one_usage_line_and_one_example_that_parses(name: str) -> None:
    usage, example = USAGE[name].splitlines()
    assert usage.startswith(f"Usage: /{name}")
    assert example.startswith(f"Example: /{name}")
    parse_command(example.removeprefix("Example: "), NOW, BERLIN)


@pytest.mark.parametrize(("alias", "name"), sorted(ALIASES.items()))
def test_aliases_point_at_commands(alias: str, name: str) -> None:
    assert name in USAGE
    assert alias not in USAGE


def test_help_text_lists_every_command() -> None:
    text = help_text(None)
    for name in COMMAND_NAMES:
        assert f"/{name}" in text
    assert "/help <command>" in text


@pytest.mark.parametrize(
    ("topic", "present", "absent"),
    [
        (
            "schedule-session",
            ["Schedule a live session.", SCHEDULE_USAGE, "Times:", "Durations:"],
            [],
        ),
        ("/update", ["Change a scheduled session", UPDATE_USAGE, "Times:"], []),
        ("session", ["Show one session.", USAGE["session"]], ["Times:"]),
        ("RSVP", [USAGE["rsvp"]], ["Times:"]),
    ],
)
def test_help_text_for_one_command(topic: str, present: list[str], absent: list[str]) -> None:
    text = help_text(topic)
    for part in present:
        assert part in text
    for part in absent:
        assert part not in text


def test_help_text_for_an_unknown_command() -> None:
    with pytest.raises(InvalidInput) as caught:
        help_text("scedule")
    assert caught.value.message == 'Unknown command "/scedule".'
    assert caught.value.hint is not None
    assert "Did you mean /schedule-session?" in caught.value.hint

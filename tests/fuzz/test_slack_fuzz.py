"""The Slack front end, over signed HTTP against the fake Web API: any command text gets a
private answer, never an unexpected error; an unexpected one gets a ref and a log line."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.commands import SLASH_COMMANDS
from core.failures import FAILURE_PREFIX
from tests.adapters.slack.world import ANA, SENSEI, make_world
from tests.fuzz.inputs import EXAMPLES, FUZZ, Failures, lines, tokens
from tests.fuzz.rigs import BreakableStore

REPLY_FAILED = f":warning: {FAILURE_PREFIX} (ref "


async def test_an_unexpected_error_answers_the_member_with_a_ref(tmp_path: Path) -> None:
    store = BreakableStore()
    world = await make_world(tmp_path, store=store)
    try:
        with Failures() as failures:
            reply = await world.command("/session", "nope", SENSEI)
            assert FAILURE_PREFIX not in json.dumps(reply)  # a refusal is not a failure
            store.broken = True
            reply = await world.command("/sessions", "", SENSEI)
            store.broken = False
        assert REPLY_FAILED in json.dumps(reply), reply
        [record] = failures.records
        ref = json.dumps(reply).split("(ref ")[1][:6]
        assert ref in record.getMessage() and record.exc_info is not None
        reply = await world.command("/sessions", "", ANA)  # still serving
        assert FAILURE_PREFIX not in json.dumps(reply)
    finally:
        await world.close()


def test_fuzzed_command_text_is_always_answered_without_failures(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    world = loop.run_until_complete(make_world(tmp_path, work_quiet_seconds=0))

    tried: list[int] = []

    @FUZZ
    @given(
        command=st.sampled_from(sorted(SLASH_COMMANDS)),
        text=lines,
        user=st.sampled_from([SENSEI, ANA]),
    )
    def answer(command: str, text: str, user: str) -> None:
        tried.append(1)
        if command in ("/schedule-session", "/schedule-class", "/reminders") and not text.strip():
            return  # opens the form (views.open), not a reply
        mark = len(world.api.responses)
        status, body = loop.run_until_complete(world.sender.command(command, text, user))
        assert (status, body) == (200, ""), (command, text)
        loop.run_until_complete(world.settle())
        assert len(world.api.responses) == mark + 1, (command, text)

    try:
        with Failures() as failures:
            answer()
        assert len(tried) >= EXAMPLES  # every input was tried
        assert not failures.records, [r.getMessage() for r in failures.records[:3]]
        assert FAILURE_PREFIX not in json.dumps(world.api.responses)
    finally:
        loop.run_until_complete(world.close())
        loop.close()


form_values = st.fixed_dictionaries(
    {
        "title": st.one_of(lines, st.none()),
        "description": st.one_of(lines, st.none()),
        "start_time": st.one_of(
            st.integers(), st.sampled_from([0, -1, 1796317200, 10**20]), st.text(max_size=20)
        ),
        "duration_minutes": st.one_of(tokens, st.none()),
        "capacity": st.one_of(tokens, st.none()),
    }
)


def test_fuzzed_schedule_forms_are_always_answered_without_failures(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    world = loop.run_until_complete(make_world(tmp_path, work_quiet_seconds=0))
    loop.run_until_complete(world.sender.command("/schedule-session", "", SENSEI))
    loop.run_until_complete(world.settle())
    [opened] = world.api.calls_of("views.open")
    view = opened.args["view"]
    tried: list[int] = []

    @FUZZ
    @given(typed=form_values)
    def answer(typed: dict[str, Any]) -> None:
        tried.append(1)
        values: dict[str, dict[str, Any]] = {
            "title": {"type": "plain_text_input", "value": typed["title"]},
            "description": {"type": "plain_text_input", "value": typed["description"]},
            "start_time": {"type": "datetimepicker", "selected_date_time": typed["start_time"]},
            "duration_minutes": {"type": "number_input", "value": typed["duration_minutes"]},
            "capacity": {"type": "number_input", "value": typed["capacity"]},
        }
        status, body = loop.run_until_complete(world.sender.submit(view, values, SENSEI))
        assert status == 200, (typed, body)
        assert FAILURE_PREFIX not in body, typed
        loop.run_until_complete(world.settle())

    try:
        with Failures() as failures:
            answer()
        assert len(tried) >= EXAMPLES  # every input was tried
        assert not failures.records, [r.getMessage() for r in failures.records[:3]]
        assert FAILURE_PREFIX not in json.dumps(world.api.responses)
    finally:
        loop.run_until_complete(world.close())
        loop.close()

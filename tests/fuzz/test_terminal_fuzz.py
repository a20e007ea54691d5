"""The terminal front end: any line gets an answer, an unexpected error a ref, and the
process keeps serving."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from hypothesis import given

from core.failures import FAILURE_PREFIX
from tests.fuzz.inputs import EXAMPLES, FUZZ, Failures, lines
from tests.fuzz.rigs import BreakableStore, terminal_app

REF = re.compile(r"Something went wrong \(ref ([0-9A-F]{6})\)")


async def test_an_unexpected_error_answers_with_a_ref_logs_once_and_keeps_serving(
    tmp_path: Path,
) -> None:
    output: list[str] = []
    store = BreakableStore()
    app = await terminal_app(tmp_path, output, store)
    try:
        store.broken = True
        with Failures() as failures:
            assert await app.console.handle("/sessions")
        [answer] = [line for line in output if FAILURE_PREFIX in line]
        found = REF.search(answer)
        assert found and "[error · only you]" in answer, output
        [record] = failures.records
        assert found.group(1) in record.getMessage() and record.exc_info is not None
        store.broken = False
        mark = len(output)
        assert await app.console.handle("/sessions")
        assert any("No sessions" in line or "sessions" in line for line in output[mark:])
    finally:
        await app.close()


async def test_overflowing_numbers_and_far_advances_get_clear_answers(tmp_path: Path) -> None:
    output: list[str] = []
    app = await terminal_app(tmp_path, output, BreakableStore())
    try:
        await app.console.handle("/as sensei instructor")
        line = '/schedule-session "Kata" tomorrow 18:00 99999999999999999999 minutes'
        assert await app.console.handle(line)
        assert "too long" in output[-2] and "[error · only you]" in output[-2], output
        before = app.clock.alarm.clock.now()
        assert await app.console.handle("/advance 99999d")
        assert "too long" in output[-2] and "[error · only you]" in output[-2], output
        assert await app.console.handle("/advance 401d")
        assert "at most 400 days" in output[-2], output
        assert app.clock.alarm.clock.now() == before
        assert await app.console.handle("/advance 1d")
        assert "Advanced 1 d" in output[-1], output
    finally:
        await app.close()


def test_fuzzed_lines_always_get_an_answer_and_never_reach_the_boundary(
    tmp_path: Path,
) -> None:
    """Every line is answered; none is an unexpected error (the boundary is a last resort)."""
    loop = asyncio.new_event_loop()
    output: list[str] = []
    app = loop.run_until_complete(terminal_app(tmp_path, output, BreakableStore()))
    roles = ["/as sensei instructor Europe/Berlin", "/as ana member", "/as boss admin"]

    tried: list[int] = []

    @FUZZ
    @given(line=lines)
    def answer(line: str) -> None:
        tried.append(1)
        word = (line.split() or [""])[0].lower().lstrip("/")
        if word in ("quit", "exit", "advance") or not line.strip():
            return  # /advance runs every duty on the way: bounded and tested above
        mark = len(output)
        for prefix in roles[len(line) % 3 :][:1]:
            loop.run_until_complete(app.console.handle(prefix))
        assert loop.run_until_complete(app.console.handle(line))
        assert len(output) > mark, line

    try:
        with Failures() as failures:
            answer()
        assert len(tried) >= EXAMPLES  # every input was tried
        assert not failures.records, [r.getMessage() for r in failures.records[:3]]
        assert not [line for line in output if FAILURE_PREFIX in line]
    finally:
        loop.run_until_complete(app.close())
        loop.close()

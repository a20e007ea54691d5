"""`/audit` through the grammar and the executor: admins only (others get a clear refusal),
newest first, 10 a page with a "More" button that runs the same selection further, filters
(actor, action, session, from), wrong words explained, and `/audit csv` sent privately as
a file (header, ISO UTC instants, JSON before/after, formula guard)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from core.audit import AuditAction
from core.commands import ScheduleSession
from core.errors import InvalidInput, PermissionDenied
from core.executor import CommandExecutor
from core.grammar import parse_command
from core.model import Member, Role
from core.reply_outcome import ReplyOutcome
from core.testing.audit_dump import AUDIT_COLUMNS
from tests.unit.conftest import ADMIN, ORIGIN, SENSEI, World


async def run(world: World, actor: Member, line: str) -> ReplyOutcome:
    command = parse_command(line, world.now, actor.timezone)
    outcome = await CommandExecutor(world.service).execute(actor, command, ORIGIN)
    assert isinstance(outcome, ReplyOutcome)
    return outcome


async def twelve_sessions(world: World) -> list[str]:
    ids = []
    for n in range(12):
        ids.append((await world.schedule(title=f"Kata {n}")).id)
        world.clock.advance(timedelta(seconds=1))
    return ids


async def test_only_admins_read_the_log(world: World) -> None:
    with pytest.raises(PermissionDenied, match="Only admins can read the audit log"):
        await run(world, SENSEI, "/audit")


async def test_pages_of_ten_newest_first_with_more(world: World) -> None:
    ids = await twelve_sessions(world)
    first = await run(world, ADMIN, "/audit action schedule")
    assert first.action == "audit_page" and len(first.lines) == 10
    assert ids[11] in str(first.lines[0])  # newest first
    (more,) = first.buttons
    assert more.command.startswith("/audit action schedule before ")
    second = await run(world, ADMIN, more.command)
    assert len(second.lines) == 2 and not second.buttons
    shown = [str(line) for line in [*first.lines, *second.lines]]
    assert [next(i for i in ids if i in line) for line in shown] == list(reversed(ids))


async def test_filters_by_session_actor_and_day(world: World) -> None:
    ids = await twelve_sessions(world)
    one = await run(world, ADMIN, f"/audit session {ids[3]}")
    assert len(one.lines) == 1 and "Kata 3" in str(one.lines[0])
    assert "sensei (unknown)" in str(one.lines[0])
    mine = await run(world, ADMIN, f"/audit actor {ADMIN.id}")
    assert mine.action == "audit_empty" and str(mine.lines[0]) == "No audit entries match."
    later = (world.now + timedelta(days=1)).date().isoformat()
    assert (await run(world, ADMIN, f"/audit from {later}")).action == "audit_empty"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("/audit action promote", "is not an action"),
        ("/audit from yesterday", "is not a date"),
        ("/audit who me", 'Unexpected "who"'),
        ("/audit session", "Missing the value after session"),
        ("/audit actor <@U1>", "is not a member id"),
    ],
)
def test_wrong_words_say_what_to_type(line: str, says: str) -> None:
    from datetime import UTC, datetime

    with pytest.raises(InvalidInput, match=says):
        parse_command(line, datetime(2026, 12, 1, tzinfo=UTC), "UTC")


async def test_csv_is_sent_privately_as_a_file(world: World) -> None:
    await world.schedule(title="=HYPERLINK(1)")
    outcome = await run(world, ADMIN, f"/audit csv action {AuditAction.SCHEDULE.value}")
    assert outcome.action == "audit_exported"
    (file,) = world.chat.files_to(ADMIN.id)
    assert file.filename.startswith("audit-") and file.content_type.startswith("text/csv")
    text = file.data.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == AUDIT_COLUMNS
    assert rows[1][1].endswith("Z") and rows[1][5] == "schedule"
    assert '"title":"=HYPERLINK(1)"' in rows[1][8]  # the JSON object, whole
    with pytest.raises(PermissionDenied):
        await run(world, SENSEI, "/audit csv")


async def test_a_more_too_long_for_a_button_is_written_out(world: World) -> None:
    long = Member(id="t:" + "x" * 40, display_name="Long", role=Role.INSTRUCTOR)
    for n in range(12):
        command = ScheduleSession(title=f"K{n}", start_time=world.now + timedelta(days=1))
        await world.service.schedule(long, command)
    long_filters = f"actor {long.id} action schedule from 2026-01-01"
    page = await run(world, ADMIN, f"/audit {long_filters}")
    assert len(page.lines) == 11 and not page.buttons
    written = str(page.lines[-1])
    assert written.startswith(f"More: /audit {long_filters} before ")
    rest = await run(world, ADMIN, written.removeprefix("More: "))
    assert len(rest.lines) == 2

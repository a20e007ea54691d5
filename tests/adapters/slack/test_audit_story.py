"""The audit log on Slack, over HTTP against the fake Web API: an instructor's
`/schedule-session` and `/update-session` are recorded from "slack" (the capacity change
apart); an admin's `/audit` answers ephemerally, newest first, with a "More" button that
runs the next page; a member is refused; `/audit csv` uploads the CSV into the admin's DM
(`files_upload_v2`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.ids import member_id
from core.audit import AuditAction, AuditEntry, AuditQuery
from core.testing.store import InMemorySessionStore
from tests.adapters.slack.world import (
    ADMIN,
    ANA,
    CHANNEL,
    SENSEI,
    SlackWorld,
    command_buttons,
    make_world,
    scheduled_id,
)
from tests.fakes.slack_api import TEAM


@pytest.fixture
async def store() -> InMemorySessionStore:
    return InMemorySessionStore()


@pytest.fixture
async def world(tmp_path: Path, store: InMemorySessionStore) -> AsyncIterator[SlackWorld]:
    built = await make_world(tmp_path, store=store)
    yield built
    await built.close()


def said(reply: dict[str, Any]) -> str:
    return json.dumps(reply, ensure_ascii=False)


async def test_slack_actions_are_recorded_and_only_admins_read_them(
    world: SlackWorld, store: InMemorySessionStore
) -> None:
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00 60m cap 20', SENSEI)
    sid = scheduled_id(reply)
    world.clock.advance(timedelta(seconds=1))
    await world.command("/update-session", f"{sid} cap 25", SENSEI)
    capacity, schedule = await store.list_audit(AuditQuery())
    assert (schedule.action, capacity.action) == (AuditAction.SCHEDULE, AuditAction.CAPACITY)
    assert {schedule.front_end, capacity.front_end} == {"slack"}
    assert capacity.actor_id == member_id(TEAM, SENSEI)
    assert (capacity.before, capacity.after) == ({"capacity": 20}, {"capacity": 25})

    page = await world.command("/audit", f"session {sid}", ADMIN)
    assert page["response_type"] == "ephemeral"
    text = said(page)
    assert "(slack) · capacity" in text and "capacity 20 → 25" in text, text
    assert text.index("· capacity") < text.index("· schedule")
    refused = await world.command("/audit", "", ANA)
    assert "Only admins can read the audit log" in said(refused)


async def test_more_pages_on_and_csv_lands_in_the_dm(
    world: SlackWorld, store: InMemorySessionStore
) -> None:
    for n in range(12):
        await store.append_audit(
            AuditEntry(
                id=f"e{n:02}",
                at=world.clock.now() + timedelta(seconds=n),
                actor_id=member_id(TEAM, SENSEI),
                actor_name="<!channel> Sensei",  # a name as typed: never a live mention
                front_end="slack",
                action=AuditAction.CANCEL,
                target=f"s-{n}",
            )
        )
    first = await world.command("/audit", "action cancel", ADMIN)
    assert "<!channel>" not in said(first)
    [more] = command_buttons(first["blocks"])
    assert more["value"] == "/audit action cancel before e02"
    second = await world.click(more["action_id"], more["value"], ADMIN, CHANNEL, "1.0")
    assert "s-1" in said(second) and "s-2 " not in said(second)

    sent = await world.command("/audit", "csv", ADMIN)
    assert "sent to you privately" in said(sent)
    [shared] = world.api.files_in(f"D{ADMIN}")
    assert shared.filename.startswith("audit-") and shared.data is not None
    rows = list(csv.reader(io.StringIO(shared.data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 13 and rows[1][0] == "e11"

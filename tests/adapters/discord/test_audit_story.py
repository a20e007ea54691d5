"""The audit log on Discord, through the fake Discord API and the real discord.py client:
an instructor's `/schedule-session` and `/cancel-session` are recorded from "discord"; an
admin's `/audit` answers only them, newest first, with a "More" button that runs the next
page; a member is refused; `/audit csv:True` sends the CSV as a DM attachment."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from adapters.discord.ids import member_id
from core.audit import AuditAction, AuditEntry, AuditQuery
from tests.adapters.discord.conftest import Rig, known_members, schedule_kata
from tests.adapters.discord.harness import (
    ADMIN_ROLE,
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    button_ids,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import Person, answer_message, button_press, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
BOSS = Person(509, "boss", [ADMIN_ROLE], permissions=8)
ANA = Person(602, "ana", [MEMBER_ROLE])


async def test_actions_from_discord_are_recorded_and_admins_read_them(rig: Rig) -> None:
    known_members(rig, SENSEI, BOSS, ANA)
    session = await schedule_kata(rig, SENSEI)
    rig.clock.advance(timedelta(seconds=1))
    await rig.gateway.interact(
        slash_command("cancel-session", SENSEI, GUILD, CHANNEL, session=session.id)
    )
    cancel, schedule = await rig.store.list_audit(AuditQuery())
    assert (schedule.action, cancel.action) == (AuditAction.SCHEDULE, AuditAction.CANCEL)
    assert {schedule.front_end, cancel.front_end} == {"discord"}
    assert schedule.actor_id == member_id(SENSEI.user_id)

    answer = await rig.gateway.interact(slash_command("audit", BOSS, GUILD, CHANNEL))
    text = text_of(answer)
    assert is_ephemeral(answer) and "(discord) · cancel" in text, text
    assert text.index("· cancel") < text.index("· schedule")  # newest first
    refused = await rig.gateway.interact(slash_command("audit", ANA, GUILD, CHANNEL))
    assert is_ephemeral(refused) and "Only admins can read the audit log" in text_of(refused)


async def test_more_runs_the_next_page_and_csv_arrives_by_dm(rig: Rig) -> None:
    known_members(rig, BOSS)
    for n in range(12):
        await rig.store.append_audit(
            AuditEntry(
                id=f"e{n:02}",
                at=rig.clock.now() + timedelta(seconds=n),
                actor_id="discord:501",
                actor_name="sensei",
                front_end="discord",
                action=AuditAction.CAPACITY,
                target=f"s-{n}",
                before={"capacity": n},
                after={"capacity": n + 1},
            )
        )
    first = await rig.gateway.interact(
        slash_command("audit", BOSS, GUILD, CHANNEL, action="capacity")
    )
    assert "s-11: capacity 11 → 12" in text_of(first)
    [more] = button_ids(first)
    assert more == "dojobot:/audit action capacity before e02"
    second = await rig.gateway.interact(
        button_press(more, BOSS, GUILD, CHANNEL, answer_message(first, CHANNEL))
    )
    assert is_ephemeral(second) and "s-1:" in text_of(second) and "s-2:" not in text_of(second)

    sent = await rig.gateway.interact(slash_command("audit", BOSS, GUILD, CHANNEL, csv=True))
    assert "sent to you privately" in text_of(sent)
    [(filename, data)] = rig.fake.attachments_to(BOSS.user_id)
    assert filename.startswith("audit-")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 13 and rows[1][0] == "e11"

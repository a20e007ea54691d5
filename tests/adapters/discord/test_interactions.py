"""Slash commands, forms, deferral, sync and the Scheduled Event through the real tree."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from core.model import SessionFilter, SessionStatus
from tests.adapters.discord.conftest import Rig, RigFactory
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import Person, modal_submit, scheduled_event_user_add, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])


async def schedule(rig: Rig, **options: Any) -> str:
    answer = await rig.gateway.interact(
        slash_command(
            "schedule-session",
            SENSEI,
            GUILD,
            CHANNEL,
            title="Kata",
            when="2026-12-03 18:00",
            **options,
        )
    )
    [session] = await rig.store.list_sessions(SessionFilter())
    assert session.title == "Kata", text_of(answer)
    return session.id


async def test_commands_are_synced_only_when_they_change(make_rig: RigFactory) -> None:
    first = await make_rig()
    puts = first.fake.calls_to("PUT", rf"/applications/\d+/guilds/{GUILD}/commands")
    assert len(puts) == 1
    names = {c["name"] for c in first.fake.commands[str(GUILD)]}
    assert {"schedule-session", "rsvp", "cancel-session", "attendance"} <= names
    await first.frontend.stop()
    await make_rig()  # same definitions, same state dir: nothing to do
    assert len(first.fake.calls_to("PUT", rf"/applications/\d+/guilds/{GUILD}/commands")) == 1
    await make_rig(guild_ids=[GUILD, GUILD + 1])  # a new server: only that one
    puts = first.fake.calls_to("PUT", r"/applications/\d+/guilds/\d+/commands")
    assert [c.path.split("/")[4] for c in puts] == [str(GUILD), str(GUILD + 1)]


async def test_slow_work_is_deferred_then_followed_up(make_rig: RigFactory) -> None:
    rig = await make_rig(defer_after_seconds=0.0)
    await schedule(rig)
    [callback] = rig.fake.callbacks
    assert callback["type"] == 5 and callback["data"]["flags"] == 64  # thinking, ephemeral
    [followup] = rig.fake.followups
    assert "Scheduled **Kata**" in text_of(followup) and followup["flags"] == 64


async def test_schedule_form_opens_a_modal_and_its_submit_schedules(rig: Rig) -> None:
    answer = await rig.gateway.interact(
        slash_command("schedule-session-form", SENSEI, GUILD, CHANNEL, recording=True)
    )
    assert answer["type"] == 9
    modal = answer["data"]
    inputs = [c["component"]["custom_id"] for c in modal["components"]]
    assert len(inputs) == 5 and all(c["type"] == 18 for c in modal["components"])
    typed = ["Long kata", "2026-12-03 18:00", "1h30m", "12", "Bring a belt"]
    values = dict(zip(inputs, typed, strict=True))
    answer = await rig.gateway.interact(
        modal_submit(modal["custom_id"], SENSEI, GUILD, CHANNEL, values)
    )
    assert is_ephemeral(answer) and "Scheduled **Long kata**" in text_of(answer), answer
    [session] = await rig.store.list_sessions(SessionFilter())
    assert (session.duration_minutes, session.capacity, session.description) == (
        90,
        12,
        "Bring a belt",
    )
    assert session.recording_enabled


async def test_scheduled_event_follows_start_and_end(rig: Rig) -> None:
    sid = await schedule(rig)
    [event] = rig.fake.events.values()
    rig.clock.set(rig.clock.now() + timedelta(days=2, hours=7, minutes=55))
    for name in ("start-session", "end-session"):
        answer = await rig.gateway.interact(
            slash_command(name, SENSEI, GUILD, CHANNEL, session=sid)
        )
        assert is_ephemeral(answer)
    session = await rig.service.get(sid)
    assert session.status is SessionStatus.ENDED
    statuses = [
        c.body["status"] for c in rig.fake.calls_to("PATCH", r"/guilds/\d+/scheduled-events/\d+")
    ]
    assert statuses == [2, 3] and rig.fake.events[int(event["id"])]["status"] == 3


async def test_session_autocomplete_and_list(rig: Rig) -> None:
    sid = await schedule(rig)
    answer = await rig.gateway.interact(
        slash_command("session", SENSEI, GUILD, CHANNEL, focused="session", session="kat")
    )
    [choice] = answer["data"]["choices"]
    assert choice["value"] == sid and choice["name"].startswith("Kata — Thu 3 Dec 2026 18:00 CET")
    answer = await rig.gateway.interact(slash_command("sessions", SENSEI, GUILD, CHANNEL))
    assert f"`{sid}` **Kata**" in text_of(answer)
    answer = await rig.gateway.interact(slash_command("help", SENSEI, GUILD, CHANNEL))
    assert "/schedule-session title: when:" in text_of(answer)


async def test_session_autocomplete_shows_guests_only_what_they_may_see(rig: Rig) -> None:
    for title, members_only in (("Kata members", True), ("Kata open", False)):
        await rig.gateway.interact(
            slash_command(
                "schedule-session",
                SENSEI,
                GUILD,
                CHANNEL,
                title=title,
                when="2026-12-03 18:00",
                members_only=members_only,
            )
        )
    guest, member = Person(601, "gus", []), Person(602, "mia", [MEMBER_ROLE])

    async def picked(person: Person) -> list[str]:
        answer = await rig.gateway.interact(
            slash_command("join", person, GUILD, CHANNEL, focused="session", session="kata")
        )
        return sorted(c["name"].split(" — ")[0] for c in answer["data"]["choices"])

    assert await picked(guest) == ["Kata open"]
    assert await picked(member) == ["Kata members", "Kata open"]


async def test_interest_is_offered_the_rsvp_unless_already_going(rig: Rig) -> None:
    sid = await schedule(rig)
    [event] = rig.fake.events.values()
    mia = Person(602, "mia", [MEMBER_ROLE])

    async def interested() -> None:
        payload = scheduled_event_user_add(GUILD, int(event["id"]), mia.user_id)
        rig.gateway.dispatch("GUILD_SCHEDULED_EVENT_USER_ADD", payload)
        await asyncio.gather(*rig.frontend.interested.tasks)

    await rig.gateway.interact(slash_command("rsvp", mia, GUILD, CHANNEL, session=sid))
    await interested()
    assert rig.fake.dms_to(mia.user_id) == []
    await rig.gateway.interact(
        slash_command("rsvp", mia, GUILD, CHANNEL, session=sid, answer="leave")
    )
    await interested()
    [offer] = rig.fake.dms_to(mia.user_id)
    assert "Interested" in offer["content"] and f"dojobot:rsvp:{sid}" in str(offer["components"])

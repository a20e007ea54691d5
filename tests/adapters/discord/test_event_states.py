"""The Scheduled Event stays in step with its session using only the status changes Discord
permits, while Discord itself starts and completes external events at their times."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest

from adapters.discord import limits
from core.model import SessionFilter
from tests.adapters.discord.conftest import Rig
from tests.adapters.discord.harness import CHANNEL, GUILD, INSTRUCTOR_ROLE, is_ephemeral
from tests.fakes.discord_api import Person, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])


async def scheduled(rig: Rig) -> None:
    """A session (Thu 3 Dec 17:00-18:00 UTC) and its event, scheduled from Discord."""
    await rig.gateway.interact(
        slash_command(
            "schedule-session", SENSEI, GUILD, CHANNEL, title="Kata", when="2026-12-03 18:00"
        )
    )
    assert len(rig.fake.events) == 1


async def slash(rig: Rig, name: str, **options: Any) -> None:
    answer = await rig.gateway.interact(slash_command(name, SENSEI, GUILD, CHANNEL, **options))
    assert is_ephemeral(answer)


async def only_session(rig: Rig) -> str:
    [session] = await rig.store.list_sessions(SessionFilter(include_archived=True))
    return session.id


async def test_the_fake_moves_external_events_and_refuses_forbidden_transitions(rig: Rig) -> None:
    await scheduled(rig)
    [event_id] = rig.fake.events
    rest = rig.frontend.rest()
    with pytest.raises(discord.HTTPException) as caught:  # SCHEDULED → COMPLETED
        await rest.edit_event(GUILD, event_id, {"status": limits.COMPLETED})
    assert caught.value.status == 400 and caught.value.code == 50035
    assert "status" in rig.fake.refusals[-1].answer["errors"]
    rig.clock.set(rig.clock.now() + timedelta(days=2, hours=8))  # its start: Discord starts it
    assert (await rest.get_event(GUILD, event_id))["status"] == limits.ACTIVE
    with pytest.raises(discord.HTTPException):  # ACTIVE → CANCELED
        await rest.edit_event(GUILD, event_id, {"status": limits.CANCELED})
    rig.clock.set(rig.clock.now() + timedelta(hours=1))  # its end: Discord completes it
    assert (await rest.get_event(GUILD, event_id))["status"] == limits.COMPLETED
    with pytest.raises(discord.HTTPException) as caught:
        await rest.edit_event(GUILD, event_id, {"status": limits.COMPLETED})
    assert caught.value.code == 180000  # a finished event can't change


async def test_a_session_running_over_keeps_its_event_active_until_it_ends(rig: Rig) -> None:
    await scheduled(rig)
    [event_id] = rig.fake.events
    sid = await only_session(rig)
    rig.clock.set(rig.clock.now() + timedelta(days=2, hours=7, minutes=55))
    await slash(rig, "start-session", session=sid)
    assert rig.fake.event(event_id)["status"] == limits.ACTIVE
    rig.clock.set(rig.clock.now() + timedelta(hours=1, minutes=15))  # 10 min past its end
    assert rig.fake.event(event_id)["status"] == limits.ACTIVE  # not completed under it
    await slash(rig, "end-session", session=sid)
    assert rig.fake.event(event_id)["status"] == limits.COMPLETED
    assert rig.fake.refusals == []


async def test_a_session_ended_automatically_leaves_discords_completion_alone(rig: Rig) -> None:
    await scheduled(rig)
    [event_id] = rig.fake.events
    sid = await only_session(rig)
    rig.clock.set(rig.clock.now() + timedelta(days=2, hours=8))  # Discord starts it first
    await slash(rig, "start-session", session=sid)
    rig.clock.set(rig.clock.now() + timedelta(hours=1, minutes=30))  # the auto-end
    ended, _ = await rig.service.end_overdue()
    assert [s.id for s in ended] == [sid]
    assert rig.fake.event(event_id)["status"] == limits.COMPLETED
    assert rig.fake.refusals == []


async def test_a_session_canceled_after_its_start_completes_its_event_as_canceled(
    rig: Rig,
) -> None:
    await scheduled(rig)
    [event_id] = rig.fake.events
    sid = await only_session(rig)
    rig.clock.set(rig.clock.now() + timedelta(days=2, hours=8, minutes=5))  # started by Discord
    assert rig.fake.event(event_id)["status"] == limits.ACTIVE
    await slash(rig, "cancel-session", session=sid)
    event = rig.fake.event(event_id)
    assert event["status"] == limits.COMPLETED and event["name"] == "Canceled: Kata"
    assert rig.fake.refusals == []


async def test_a_session_canceled_before_its_start_cancels_its_event(rig: Rig) -> None:
    await scheduled(rig)
    [event_id] = rig.fake.events
    await slash(rig, "cancel-session", session=await only_session(rig))
    assert rig.fake.event(event_id)["status"] == limits.CANCELED
    assert rig.fake.refusals == []

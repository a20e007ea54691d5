"""/link, /forget-me and /reminders through the real tree and components, and the profile
every interaction refreshes (the member's client language, the server's channel language)."""

from __future__ import annotations

import asyncio
from datetime import time
from typing import Any

import discord
import pytest
from discord.http import Route

from adapters.discord import limits
from core.members import PlatformFacts, QuietHours, ReminderRoute
from core.model import ReminderKind, Role, RsvpStatus, SessionFilter
from tests.adapters.discord.conftest import Rig, RigFactory, channel_session
from tests.adapters.discord.harness import (
    ADMIN_ROLE,
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    is_ephemeral,
    text_of,
)
from tests.adapters.discord.test_weekly_classes import create
from tests.fakes.discord_api import (
    Person,
    answer_message,
    button_press,
    scheduled_event_user_add,
    select_choice,
    slash_command,
)

ANA = Person(511, "ana", [MEMBER_ROLE])
BEN = Person(512, "ben", [MEMBER_ROLE])
BOSS = Person(502, "boss", [ADMIN_ROLE])
SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
SLACK_ANA = PlatformFacts(member_id="slack:T1:U1", display_name="Ana S", timezone="Asia/Tokyo")


def components_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    data = answer.get("data", answer)
    return [c for row in data.get("components") or [] for c in row["components"]]


def custom_id(answer: dict[str, Any], prefix: str) -> str:
    [found] = [c["custom_id"] for c in components_of(answer) if c["custom_id"].startswith(prefix)]
    return str(found)


async def choose(
    rig: Rig, person: Person, answer: dict[str, Any], prefix: str, *values: str
) -> dict[str, Any]:
    """Close the select whose custom_id starts with `prefix` with `values` selected."""
    payload = select_choice(
        custom_id(answer, prefix),
        list(values),
        person,
        GUILD,
        CHANNEL,
        answer_message(answer, CHANNEL),
    )
    return await rig.gateway.interact(payload)


async def press(rig: Rig, person: Person, answer: dict[str, Any], prefix: str) -> dict[str, Any]:
    message = answer_message(answer, CHANNEL)
    return await rig.gateway.interact(
        button_press(custom_id(answer, prefix), person, GUILD, CHANNEL, message)
    )


# the profile ------------------------------------------------------------------------------
async def test_every_interaction_refreshes_the_profile_with_the_clients_language(
    rig: Rig,
) -> None:
    ana_ja = Person(511, "ana", [MEMBER_ROLE], locale="ja")
    await rig.gateway.interact(slash_command("help", ana_ja, GUILD, CHANNEL))
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.locale == "ja" and profile.display_name == "ana"
    assert profile.timezone is None  # Discord tells no personal zone
    ana_es = Person(511, "ana", [MEMBER_ROLE], locale="es-ES")
    await rig.gateway.interact(slash_command("sessions", ana_es, GUILD, CHANNEL))
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.locale == "es-ES"


async def test_times_are_still_read_in_the_servers_zone(rig: Rig) -> None:
    await rig.gateway.interact(
        slash_command(
            "schedule-session", SENSEI, GUILD, CHANNEL, title="Kata", when="2026-12-03 18:00"
        )
    )
    [session] = await rig.store.list_sessions(SessionFilter())
    assert session.start_time.hour == 17  # 18:00 in Berlin, as before profiles


async def test_the_channel_language_is_the_servers_chosen_locale(rig: Rig) -> None:
    members = rig.frontend.members
    await rig.gateway.interact(slash_command("help", ANA, GUILD, CHANNEL))
    assert await members.channel_locale(GUILD) is None  # Discord's default: never chosen
    await rig.gateway.interact(slash_command("help", ANA, GUILD, CHANNEL, guild_locale="de"))
    assert await members.channel_locale(GUILD) == "de"
    assert await members.channel_locale(None) is None
    assert not rig.fake.calls_to("GET", rf"/guilds/{GUILD}")  # the interactions told


async def test_a_process_without_interactions_reads_the_servers_language(
    make_rig: RigFactory,
) -> None:
    rig = await make_rig()
    rig.fake.guild_locales[GUILD] = ("ja", ["COMMUNITY"])
    assert await rig.frontend.members.channel_locale(GUILD) == "ja"
    assert await rig.frontend.members.channel_locale(GUILD) == "ja"
    assert len(rig.fake.calls_to("GET", rf"/guilds/{GUILD}")) == 1  # then remembered
    other = await make_rig()
    other.fake.guild_locales[GUILD] = ("en-US", [])  # not a Community server
    assert await other.frontend.members.channel_locale(GUILD) is None
    community = await make_rig()
    community.fake.guild_locales[GUILD] = ("en-US", ["COMMUNITY"])
    assert await community.frontend.members.channel_locale(GUILD) == "en-US"


# /link --------------------------------------------------------------------------------
async def test_a_slack_code_entered_on_discord_makes_one_member_with_one_rsvp(rig: Rig) -> None:
    await rig.store.add_session(channel_session("discord:501"))
    slack_ana = await rig.service.identify(SLACK_ANA, Role.MEMBER)
    issued = await rig.service.link_code(slack_ana)
    answer = await rig.gateway.interact(
        slash_command("link", ANA, GUILD, CHANNEL, code=issued.code.lower())
    )
    assert is_ephemeral(answer) and "Linked" in text_of(answer), text_of(answer)
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.id == "slack:T1:U1"
    assert set(profile.identities) == {"slack:T1:U1", "discord:511"}
    await rig.gateway.interact(slash_command("rsvp", ANA, GUILD, CHANNEL, session="s1"))
    await rig.service.rsvp(slack_ana, "s1")  # the same person, from Slack
    rsvps = await rig.store.list_rsvps("s1")
    assert [(r.member_id, r.status) for r in rsvps] == [("slack:T1:U1", RsvpStatus.GOING)]


async def test_link_gives_a_code_for_slack_and_remove_unlinks(rig: Rig) -> None:
    answer = await rig.gateway.interact(slash_command("link", ANA, GUILD, CHANNEL))
    assert is_ephemeral(answer) and "/link " in text_of(answer)
    code = text_of(answer).split("**")[1]
    slack_ana = await rig.service.identify(SLACK_ANA, Role.MEMBER)
    linked = await rig.service.link(slack_ana, code)
    assert linked.id == "discord:511" and "slack:T1:U1" in linked.identities
    answer = await rig.gateway.interact(slash_command("link", ANA, GUILD, CHANNEL, remove=True))
    assert "no longer linked" in text_of(answer), text_of(answer)
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.identities == ["discord:511"]


async def test_link_refuses_a_code_with_remove_and_a_wrong_code(rig: Rig) -> None:
    both = await rig.gateway.interact(
        slash_command("link", ANA, GUILD, CHANNEL, code="ABCD", remove=True)
    )
    assert "not both" in text_of(both) and "Usage" in text_of(both)
    wrong = await rig.gateway.interact(slash_command("link", ANA, GUILD, CHANNEL, code="NOPE"))
    assert "unknown, used or expired" in text_of(wrong)


# /reminders ---------------------------------------------------------------------------
async def test_reminders_menus_save_each_choice(rig: Rig) -> None:
    answer = await rig.gateway.interact(slash_command("reminders", ANA, GUILD, CHANNEL))
    assert is_ephemeral(answer)
    rows = answer["data"]["components"]
    assert len(rows) <= limits.ACTION_ROWS.max
    ids = [c["custom_id"] for c in components_of(answer)]
    assert all(len(i) <= limits.CUSTOM_ID.max for i in ids)
    [kinds] = [c for c in components_of(answer) if c["custom_id"] == "dojobot:rem:kinds:"]
    assert [o["value"] for o in kinds["options"]][:3] == ["24h", "1h", "10m"]
    assert "2h" in [o["value"] for o in kinds["options"]]  # the custom lead menu

    answer = await choose(rig, ANA, answer, "dojobot:rem:kinds:", "24h", "2h")
    assert answer["type"] == 7 and "Saved" in text_of(answer), answer
    answer = await choose(rig, ANA, answer, "dojobot:rem:route:", "none")
    answer = await choose(rig, ANA, answer, "dojobot:rem:qs:", "22")
    answer = await choose(rig, ANA, answer, "dojobot:rem:qe:", "6")
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None
    preferences = profile.preferences
    assert preferences.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H]
    assert preferences.route is ReminderRoute.NONE
    assert preferences.quiet_hours == QuietHours(start=time(22), end=time(6))
    assert "22:00–06:00" in text_of(answer)
    shown = {c["custom_id"]: c for c in components_of(answer)}
    chosen = [o["value"] for o in shown["dojobot:rem:kinds:"]["options"] if o.get("default")]
    assert chosen == ["24h", "2h"]

    answer = await press(rig, ANA, answer, "dojobot:rem:reset:")
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.preferences.kinds is None
    assert profile.preferences.quiet_hours is None and "default" in text_of(answer)


async def test_two_custom_lead_times_are_refused_and_nothing_changes(rig: Rig) -> None:
    answer = await rig.gateway.interact(slash_command("reminders", ANA, GUILD, CHANNEL))
    refused = await choose(rig, ANA, answer, "dojobot:rem:kinds:", "2h", "3h")
    assert refused["type"] == 4 and is_ephemeral(refused)
    assert "custom lead time" in text_of(refused), text_of(refused)
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.preferences.kinds is None


# /forget-me ---------------------------------------------------------------------------
async def test_forget_me_asks_then_forgets_on_confirm(rig: Rig) -> None:
    await rig.store.add_session(channel_session("discord:501"))
    await rig.gateway.interact(slash_command("rsvp", ANA, GUILD, CHANNEL, session="s1"))
    prompt = await rig.gateway.interact(slash_command("forget-me", ANA, GUILD, CHANNEL))
    assert is_ephemeral(prompt) and "Forget me?" in text_of(prompt)
    labels = [c["label"] for c in components_of(prompt)]
    assert labels == ["Confirm", "Cancel"]

    canceled = await press(rig, ANA, prompt, "dojobot:forget-no")
    assert canceled["type"] == 7 and "Nothing was deleted" in text_of(canceled)
    assert canceled["data"]["components"] == []
    assert await rig.store.get_profile("discord:511") is not None

    stranger = await press(rig, BEN, prompt, "dojobot:forget:")  # not theirs to confirm
    assert "unknown, used or expired" in text_of(stranger)
    assert await rig.store.get_profile("discord:511") is not None

    done = await press(rig, ANA, prompt, "dojobot:forget:")
    assert done["type"] == 7 and "forgotten" in text_of(done), text_of(done)
    assert await rig.store.get_profile("discord:511") is None
    rsvps = await rig.store.list_rsvps("s1")
    assert all(r.member_id != "discord:511" for r in rsvps)


async def test_admins_forget_a_member_others_cannot(rig: Rig) -> None:
    await rig.gateway.interact(slash_command("help", BEN, GUILD, CHANNEL))
    refused = await rig.gateway.interact(
        slash_command("forget-me", ANA, GUILD, CHANNEL, member=BEN)
    )
    assert "admin" in text_of(refused).lower(), text_of(refused)
    prompt = await rig.gateway.interact(
        slash_command("forget-me", BOSS, GUILD, CHANNEL, member=BEN)
    )
    assert "Forget ben?" in text_of(prompt), text_of(prompt)
    await press(rig, BOSS, prompt, "dojobot:forget:")
    assert await rig.store.get_profile("discord:512") is None
    assert await rig.store.get_profile("discord:502") is not None


async def test_reminders_of_one_weekly_class_override_the_members_own(rig: Rig) -> None:
    class_id = await create(rig)
    answer = await rig.gateway.interact(
        slash_command("reminders", ANA, GUILD, CHANNEL, **{"class": class_id})
    )
    assert "Kids karate" in text_of(answer), text_of(answer)
    ids = [c["custom_id"] for c in components_of(answer)]
    assert ids == [f"dojobot:rem:{f}:{class_id}" for f in ("kinds", "route", "reset")]
    answer = await choose(rig, ANA, answer, "dojobot:rem:kinds:", "10m")
    answer = await choose(rig, ANA, answer, "dojobot:rem:route:", "none")
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.preferences.kinds is None
    override = profile.preferences.per_class[class_id]
    assert override.kinds == [ReminderKind.BEFORE_10M] and override.route is ReminderRoute.NONE
    await press(rig, ANA, answer, "dojobot:rem:reset:")
    profile = await rig.store.get_profile("discord:511")
    assert profile is not None and profile.preferences.per_class == {}


async def test_reminders_of_an_unknown_class_say_so(rig: Rig) -> None:
    answer = await rig.gateway.interact(
        slash_command("reminders", ANA, GUILD, CHANNEL, **{"class": "nope"})
    )
    assert is_ephemeral(answer) and "Usage" in text_of(answer), text_of(answer)


async def test_interested_offers_no_seat_to_a_linked_member_going_from_slack(rig: Rig) -> None:
    await rig.gateway.interact(
        slash_command(
            "schedule-session", SENSEI, GUILD, CHANNEL, title="Kata", when="2026-12-03 18:00"
        )
    )
    [session] = await rig.store.list_sessions(SessionFilter())
    [event] = rig.fake.events.values()
    slack_ana = await rig.service.identify(SLACK_ANA, Role.MEMBER)
    await rig.service.rsvp(slack_ana, session.id)
    issued = await rig.service.link_code(slack_ana)
    await rig.gateway.interact(slash_command("link", ANA, GUILD, CHANNEL, code=issued.code))
    payload = scheduled_event_user_add(GUILD, int(event["id"]), ANA.user_id)
    rig.gateway.dispatch("GUILD_SCHEDULED_EVENT_USER_ADD", payload)
    await asyncio.gather(*rig.frontend.interested.tasks)
    assert rig.fake.dms_to(ANA.user_id) == []  # she holds a seat already, as Ana from Slack


async def test_the_fake_refuses_select_menus_discord_refuses(rig: Rig) -> None:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=CHANNEL)
    options = [{"label": f"o{i}", "value": str(i)} for i in range(26)]
    select = {"type": 3, "custom_id": "s", "options": options, "max_values": 26}
    button = {"type": 2, "style": 2, "label": "b", "custom_id": "b"}
    for rows in (
        [{"type": 1, "components": [select]}],  # 26 options
        [{"type": 1, "components": [select | {"options": options[:3], "max_values": 1}, button]}],
    ):
        with pytest.raises(discord.HTTPException) as refused:
            await rig.frontend.rest().http.request(route, json={"content": "x", "components": rows})
        assert refused.value.status == 400 and refused.value.code == 50035


def ticked(answer: dict[str, Any]) -> list[str]:
    [kinds] = [c for c in components_of(answer) if c["custom_id"].startswith("dojobot:rem:kinds:")]
    return [o["value"] for o in kinds["options"] if o.get("default")]


async def test_the_kinds_menu_ticks_what_the_member_gets_while_on_the_defaults(rig: Rig) -> None:
    """A member who never chose gets the association's reminders: the menu shows them ticked
    (as the Slack Home tab does), so unticking one keeps the others instead of losing all."""
    answer = await rig.gateway.interact(slash_command("reminders", ANA, GUILD, CHANNEL))
    assert ticked(answer) == ["24h", "1h", "10m"]
    class_id = await create(rig)
    answer = await rig.gateway.interact(
        slash_command("reminders", ANA, GUILD, CHANNEL, **{"class": class_id})
    )
    answer = await choose(rig, ANA, answer, "dojobot:rem:route:", "none")  # route only
    assert ticked(answer) == ["24h", "1h", "10m"]  # the kinds still follow her own choice


async def test_a_class_choice_left_open_follows_the_members_own_and_says_so(rig: Rig) -> None:
    """Where a weekly class's override leaves a choice open, the member gets their own
    choice: the class's "where" menu shows "Same as my other reminders" chosen, and its text
    says her own kinds (not "the association's default")."""
    answer = await rig.gateway.interact(slash_command("reminders", ANA, GUILD, CHANNEL))
    answer = await choose(rig, ANA, answer, "dojobot:rem:kinds:", "24h")  # her own: 24 h only
    await choose(rig, ANA, answer, "dojobot:rem:route:", "dm")  # and by DM
    class_id = await create(rig)
    answer = await rig.gateway.interact(
        slash_command("reminders", ANA, GUILD, CHANNEL, **{"class": class_id})
    )
    [where] = [c for c in components_of(answer) if c["custom_id"].startswith("dojobot:rem:route:")]
    chosen = [(o["value"], o["label"]) for o in where["options"] if o.get("default")]
    assert chosen == [("default", "Same as my other reminders")]
    answer = await choose(rig, ANA, answer, "dojobot:rem:route:", "none")  # route only
    assert "Which: 24 h before" in text_of(answer), text_of(answer)
    assert ticked(answer) == ["24h"]

"""Members on Slack: the App Home tab and /reminders save preferences on change; /link and
/forget-me with its Confirm button; replies always go to the Slack user who acted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.slack.render_members import ACTION_FORGET_CONFIRM
from adapters.slack.render_preferences import (
    ACTION_CLASS,
    ACTION_CUSTOM,
    ACTION_DEFAULTS,
    ACTION_KINDS,
    ACTION_QUIET_CLEAR,
    ACTION_QUIET_END,
    ACTION_QUIET_START,
    ACTION_ROUTE,
)
from core.errors import NotFound
from core.members import MemberProfile, PlatformFacts, QuietHours, ReminderRoute
from core.model import Member, ReminderKind, Role
from core.service import SessionService
from tests.adapters.slack.world import ADMIN, ANA, BEN, CAL, CHANNEL, SlackWorld
from tests.fakes.slack_api import TEAM

ANA_ID = f"slack:{TEAM}:{ANA}"


def service(world: SlackWorld) -> SessionService:
    return world.app.wiring.service


async def profile_of(world: SlackWorld, member_id: str) -> MemberProfile:
    return await service(world).profile(Member(id=member_id, display_name="x"))


def element(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    """The element of `view` with `action_id` (a section's accessory or in an actions block)."""
    for block in view["blocks"]:
        for candidate in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(candidate, dict) and candidate.get("action_id") == action_id:
                return candidate
    raise AssertionError(f"no {action_id} in the view")


def option(view: dict[str, Any], action_id: str, value: str) -> dict[str, Any]:
    return next(o for o in element(view, action_id)["options"] if o["value"] == value)


async def change(
    world: SlackWorld, view: dict[str, Any], action_id: str, user: str = ANA, **selected: Any
) -> None:
    block_id = next(b.get("block_id", "") for b in view["blocks"] if element_in(b, action_id))
    kind = element(view, action_id)["type"]
    action = {"action_id": action_id, "block_id": block_id, "type": kind, **selected}
    assert await world.sender.view_action(view, action, user) == (200, "")
    await world.settle()


def element_in(block: dict[str, Any], action_id: str) -> bool:
    elements = [block.get("accessory"), *block.get("elements", [])]
    return any(isinstance(e, dict) and e.get("action_id") == action_id for e in elements)


async def test_app_home_shows_the_preferences_and_saves_each_change(world: SlackWorld) -> None:
    api = world.api
    assert await world.sender.home_opened(ANA) == (200, "")
    await world.settle()
    [published] = api.calls_of("views.publish")
    assert published.args["user_id"] == ANA and published.args["view"]["type"] == "home"
    home = api.home_views[ANA]
    ticked = [o["value"] for o in element(home, ACTION_KINDS)["initial_options"]]
    assert ticked == ["24h", "1h", "10m"]  # the association's default until she chooses
    assert "initial_option" not in element(home, ACTION_ROUTE)
    assert (await profile_of(world, ANA_ID)).locale == "en-US"  # identified on opening

    await change(
        world,
        home,
        ACTION_KINDS,
        selected_options=[option(home, ACTION_KINDS, "24h"), option(home, ACTION_KINDS, "10m")],
    )
    prefs = (await profile_of(world, ANA_ID)).preferences
    assert prefs.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_10M]
    home = api.home_views[ANA]  # published again with what is stored now
    assert [o["value"] for o in element(home, ACTION_KINDS)["initial_options"]] == ["24h", "10m"]

    await change(world, home, ACTION_CUSTOM, selected_option=option(home, ACTION_CUSTOM, "2h"))
    await change(world, api.home_views[ANA], ACTION_ROUTE, selected_option={"value": "none"})
    await change(world, api.home_views[ANA], ACTION_QUIET_START, selected_time="23:00")
    await change(world, api.home_views[ANA], ACTION_QUIET_END, selected_time="06:30")
    prefs = (await profile_of(world, ANA_ID)).preferences
    assert prefs.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H, ReminderKind.BEFORE_10M]
    assert prefs.route is ReminderRoute.NONE
    assert prefs.quiet_hours == QuietHours.model_validate({"start": "23:00", "end": "06:30"})
    home = api.home_views[ANA]
    assert element(home, ACTION_CUSTOM)["initial_option"]["value"] == "2h"
    assert element(home, ACTION_QUIET_START)["initial_time"] == "23:00"
    assert element(home, ACTION_QUIET_END)["initial_time"] == "06:30"
    assert "Asia/Tokyo" in json.dumps(home)  # quiet hours are read in her own zone

    await change(world, home, ACTION_QUIET_CLEAR, value="clear")
    assert (await profile_of(world, ANA_ID)).preferences.quiet_hours is None
    await change(world, api.home_views[ANA], ACTION_DEFAULTS, value="reset")
    prefs = (await profile_of(world, ANA_ID)).preferences
    assert (prefs.kinds, prefs.route, prefs.quiet_hours) == (None, None, None)
    assert not [b for b in api.home_views[ANA]["blocks"] if b.get("block_id") == "pref_defaults"]


async def test_a_forged_choice_is_shown_on_the_home_tab_and_nothing_changes(
    world: SlackWorld,
) -> None:
    await world.sender.home_opened(ANA)
    await world.settle()
    home = world.api.home_views[ANA]
    await change(world, home, ACTION_CUSTOM, selected_option={"value": "7h"})
    await change(world, world.api.home_views[ANA], ACTION_QUIET_START, selected_time="late")
    assert (await profile_of(world, ANA_ID)).preferences.kinds is None
    assert (await profile_of(world, ANA_ID)).preferences.quiet_hours is None
    text = json.dumps(world.api.home_views[ANA]["blocks"][:3], ensure_ascii=False)
    assert "“late” is not a time" in text and "22:00" in text


async def test_reminders_opens_a_modal_that_saves_and_redraws_itself(world: SlackWorld) -> None:
    api = world.api
    assert await world.sender.command("/reminders", "", BEN) == (200, "")
    await world.settle()
    [opened] = api.calls_of("views.open")
    modal = api.views[opened.result["view"]["id"]]
    assert modal["type"] == "modal" and modal["callback_id"] == "dojo_preferences"
    assert "submit" not in modal  # every change is saved at once

    await change(world, modal, ACTION_ROUTE, BEN, selected_option={"value": "dm"})
    [updated] = api.calls_of("views.update")
    assert updated.args["view_id"] == modal["id"]
    assert element(api.views[modal["id"]], ACTION_ROUTE)["initial_option"]["value"] == "dm"
    profile = await profile_of(world, f"slack:{TEAM}:{BEN}")
    assert profile.preferences.route is ReminderRoute.DM
    assert not api.calls_of("views.publish")  # the modal was redrawn, not the Home tab
    assert api.responses == []


async def test_reminders_with_an_expired_trigger_points_to_the_home_tab(world: SlackWorld) -> None:
    world.api.fail_next("views.open", "expired_trigger_id")
    assert await world.sender.command("/reminders", "", CAL) == (200, "")
    await world.settle()
    [reply] = world.api.responses
    assert "Home tab" in reply["text"] and reply["response_type"] == "ephemeral"


async def test_link_on_slack_then_a_discord_identity_enters_the_code(world: SlackWorld) -> None:
    reply = await world.command("/link", "", ANA)
    text = json.dumps(reply["blocks"])
    code = reply["text"].split("link code is ")[1].split(" ")[0]
    assert f"/link code:{code}" in text and reply["response_type"] == "ephemeral"

    core = service(world)
    discord = await core.identify(
        PlatformFacts(member_id="discord:4242", display_name="Ana D"), Role.MEMBER
    )
    linked = await core.link(discord, code)
    assert linked.id == ANA_ID and set(linked.identities) == {ANA_ID, "discord:4242"}
    again = await core.identify(
        PlatformFacts(member_id="discord:4242", display_name="Ana D"), Role.MEMBER
    )
    assert (again.id, again.platform_id) == (ANA_ID, "discord:4242")

    reply = await world.command("/link", code, BEN)  # used once: nobody else can take it
    assert "unknown, used or expired" in reply["text"]
    reply = await world.command("/link", "remove", ANA)
    assert "on its own again" in reply["text"]
    assert (await profile_of(world, ANA_ID)).identities == [ANA_ID]


async def test_a_slack_account_linked_into_a_discord_profile_is_answered_on_slack(
    world: SlackWorld,
) -> None:
    """After linking, Ben's member id is his Discord profile's: replies and his Home tab
    still go to his Slack user id from the request, never one derived from member.id."""
    core = service(world)
    discord = await core.identify(
        PlatformFacts(member_id="discord:77", display_name="Benji"), Role.MEMBER
    )
    code = await core.link_code(discord)
    typed = f"{code.code[:4].lower()} {code.code[4:]}"  # as read aloud: case and spaces
    reply = await world.command("/link", typed, BEN)
    assert reply["text"].startswith("Linked:") and "discord, slack" in reply["text"]
    profile = await profile_of(world, "discord:77")
    assert profile.identities == ["discord:77", f"slack:{TEAM}:{BEN}"]

    assert await world.sender.home_opened(BEN) == (200, "")
    await world.settle()
    [published] = world.api.calls_of("views.publish")
    assert published.args["user_id"] == BEN
    home = world.api.home_views[BEN]
    await change(world, home, ACTION_ROUTE, BEN, selected_option={"value": "none"})
    assert (await profile_of(world, "discord:77")).preferences.route is ReminderRoute.NONE
    reply = await world.command("/sessions", "", BEN)
    assert reply["response_type"] == "ephemeral"


async def test_forget_me_asks_to_confirm_and_only_the_asker_can(world: SlackWorld) -> None:
    reply = await world.command("/forget-me", "", ANA)
    [button] = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == ACTION_FORGET_CONFIRM and button["style"] == "danger"
    code = button["value"]
    refused = await world.click(ACTION_FORGET_CONFIRM, code, BEN, CHANNEL, "1.1")
    assert "unknown, used or expired" in refused["text"]
    done = await world.click(ACTION_FORGET_CONFIRM, code, ANA, CHANNEL, "1.1")
    assert done["text"].startswith("Done: dojobot has forgotten you.")
    admin = Member(id=f"slack:{TEAM}:{ADMIN}", display_name="A", role=Role.ADMIN)
    with pytest.raises(NotFound):
        await service(world).member_profile(admin, ANA_ID)


async def test_admins_forget_a_mentioned_member_others_cannot(world: SlackWorld) -> None:
    await world.command("/sessions", "", CAL)  # Cal has a profile
    reply = await world.command("/forget-me", f"<@{CAL}|cal>", BEN)
    assert "Only admin" in reply["text"] or "only" in reply["text"].lower()
    reply = await world.command("/forget-me", "cal please", ADMIN)
    assert "/forget-me @name" in json.dumps(reply["blocks"])
    reply = await world.command("/forget-me", f"<@{CAL}|cal>", ADMIN)
    assert "*Cal*" in json.dumps(reply["blocks"])
    code = next(
        e["value"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    done = await world.click(ACTION_FORGET_CONFIRM, code, ADMIN, CHANNEL, "1.2")
    assert done["text"].startswith("Done: dojobot has forgotten that member.")
    admin = Member(id=f"slack:{TEAM}:{ADMIN}", display_name="A", role=Role.ADMIN)
    with pytest.raises(NotFound):
        await service(world).member_profile(admin, f"slack:{TEAM}:{CAL}")


async def test_profile_and_reminders_set_use_the_shared_grammar(world: SlackWorld) -> None:
    """/profile and `/reminders set …` (typed) go through the shared grammar and executor."""
    reply = await world.command("/reminders", "set 24h,2h route dm quiet 22:00-07:00", ANA)
    assert reply["response_type"] == "ephemeral" and "unhandled" not in reply["text"]
    prefs = (await profile_of(world, ANA_ID)).preferences
    assert prefs.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H]
    assert prefs.route is ReminderRoute.DM
    reply = await world.command("/profile", "", ANA)
    assert "Ana" in json.dumps(reply["blocks"]) and not world.api.calls_of("views.open")


async def test_each_weekly_class_has_its_own_choice_on_the_home_tab(world: SlackWorld) -> None:
    """A select per weekly class (its hostile title stays escaped); choosing "none" stores
    an override for that class only; a class id forged into the block id is refused."""
    title = '"Kids <!channel> & <@U0BEN>" every mon,wed 17:30 60m until 2027-06-30'
    await world.command("/schedule-class", title, "U0SENSEI")
    [series] = await service(world).list_series(Member(id=ANA_ID, display_name="Ana"))
    await world.sender.home_opened(ANA)
    await world.settle()
    home = world.api.home_views[ANA]
    text = json.dumps(home)
    assert "<!channel>" not in text and "<@U0BEN>" not in text
    [block] = [b for b in home["blocks"] if b.get("block_id") == f"pref_class_{series.root_id}"]
    assert block["accessory"]["initial_option"]["value"] == "default"
    await change(world, home, ACTION_CLASS, selected_option={"value": "none"})
    per_class = (await profile_of(world, ANA_ID)).preferences.per_class
    assert per_class[series.root_id].route is ReminderRoute.NONE
    home = world.api.home_views[ANA]
    [block] = [b for b in home["blocks"] if b.get("block_id") == f"pref_class_{series.root_id}"]
    assert block["accessory"]["initial_option"]["value"] == "none"

    forged = {
        "action_id": ACTION_CLASS,
        "block_id": "pref_class_nope",
        "type": "static_select",
        "selected_option": {"value": "dm"},
    }
    assert await world.sender.view_action(home, forged, ANA) == (200, "")
    await world.settle()
    assert "not running any more" in json.dumps(world.api.home_views[ANA]["blocks"][:3])
    await change(
        world, world.api.home_views[ANA], ACTION_CLASS, selected_option={"value": "default"}
    )
    assert (await profile_of(world, ANA_ID)).preferences.per_class == {}


async def test_the_home_tab_says_when_it_cannot_show_the_preferences(world: SlackWorld) -> None:
    world.api.fail_next("users.info", "fatal_error")
    assert await world.sender.home_opened(CAL) == (200, "")
    await world.settle()
    [failed] = world.api.calls_of("views.publish")
    assert failed.args["user_id"] == CAL and "ref " in json.dumps(failed.args["view"])
    assert await world.sender.home_opened(CAL) == (200, "")  # Slack works again
    await world.settle()
    assert element(world.api.home_views[CAL], ACTION_KINDS)["type"] == "checkboxes"


async def test_the_link_code_reply_offers_only_a_way_that_works(world: SlackWorld) -> None:
    """The code is for Discord: another Slack account typing it is refused (two accounts of
    one platform are two people), so the reply must not suggest `/link CODE` on Slack."""
    reply = await world.command("/link", "", ANA)
    code = reply["text"].split("link code is ")[1].split(" ")[0]
    shown = json.dumps(reply["blocks"], ensure_ascii=False)
    assert f"/link code:{code}" in shown and "/link remove" in shown
    refused = await world.command("/link", code, BEN)
    assert "already has a slack account" in refused["text"]
    assert f"/link {code}" not in shown

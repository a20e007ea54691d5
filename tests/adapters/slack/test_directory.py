"""Roles, time zones and languages from Slack: users.info, user groups, guests; cached; the
member's profile refreshed through the service on every interaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from adapters.slack.directory import SlackDirectory
from adapters.slack.roles import RoleResolver
from adapters.slack.settings import SlackSettings
from adapters.slack.web_api import build_web_client
from core.member_use_cases import SEEN_EVERY
from core.model import Role
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, TEAM, FakeSlackApi


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    fake.add_user("U1", "Ada", "Europe/Berlin")
    fake.add_user("U2", "Bo", "America/New_York")
    fake.add_user("U3", "Cy", "")
    fake.add_user("U4", "Gus", "UTC", is_restricted=True)
    fake.add_user("U5", "Sol", "Not/AZone", is_ultra_restricted=True)
    fake.usergroups["S1"] = ("dojo-admins", ["U2"])
    fake.usergroups["S2"] = ("members", ["U1", "U4"])
    yield fake
    await fake.close()


def service(clock: FakeClock | None = None) -> SessionService:
    return SessionService(
        InMemorySessionStore(), InMemoryVideoRooms(), RecordingChatDelivery(), clock or FakeClock()
    )


async def directory(
    api: FakeSlackApi, core: SessionService | None = None, **options: object
) -> tuple[SlackDirectory, aiohttp.ClientSession]:
    settings = SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_base_url=api.base_url, **options
    )
    http = aiohttp.ClientSession()
    client = build_web_client(settings, http)
    clock = [0.0]
    roles = RoleResolver(
        client,
        settings.admins,
        settings.instructors,
        settings.members_usergroup,
        ttl=60,
        monotonic=lambda: clock[0],
    )
    identify = (core or service()).identify
    found = SlackDirectory(client, roles, "Asia/Tokyo", 60, identify, monotonic=lambda: clock[0])
    return found, http


async def test_roles_by_id_and_handle_guests_and_zones(api: FakeSlackApi) -> None:
    found, http = await directory(api, admins="U9,@dojo-admins", instructors=["U1"])
    try:
        ada = await found.member(TEAM, "U1")
        assert (ada.id, ada.display_name, ada.role, ada.timezone) == (
            "slack:T0DOJO:U1",
            "Ada",
            Role.INSTRUCTOR,
            "Europe/Berlin",
        )
        assert (await found.member(TEAM, "U2")).role is Role.ADMIN
        cy = await found.member(TEAM, "U3")
        assert (cy.role, cy.timezone) == (Role.MEMBER, "Asia/Tokyo")  # no tz: the default
        assert (await found.member(TEAM, "U4")).role is Role.GUEST
        sol = await found.member(TEAM, "U5")
        assert (sol.role, sol.timezone) == (Role.GUEST, "Asia/Tokyo")
        for user in ("U1", "U2", "U3"):
            await found.member(TEAM, user)
        assert len(api.calls_of("users.info")) == 5  # cached per user
        assert len(api.calls_of("usergroups.list")) == 1
        assert len(api.calls_of("usergroups.users.list")) == 1
        found.forget("U1")
        await found.member(TEAM, "U1")
        assert len(api.calls_of("users.info")) == 6
    finally:
        await http.close()


async def test_a_members_group_makes_everyone_else_a_guest(api: FakeSlackApi) -> None:
    found, http = await directory(api, members_usergroup="@members", admins=["S1"])
    try:
        assert (await found.member(TEAM, "U1")).role is Role.MEMBER
        assert (await found.member(TEAM, "U4")).role is Role.MEMBER  # listed explicitly
        assert (await found.member(TEAM, "U3")).role is Role.GUEST
        assert (await found.member(TEAM, "U2")).role is Role.ADMIN  # group id S1
    finally:
        await http.close()


async def test_users_info_asks_for_the_locale_and_the_profile_keeps_it(api: FakeSlackApi) -> None:
    """users.info is called with include_locale (Slack answers `locale` only then); the
    member's language and zone reach their profile, and a change in Slack refreshes it."""
    api.add_user("U6", "Yui", "Asia/Tokyo", locale="ja-JP")
    clock = FakeClock()
    core = service(clock)
    found, http = await directory(api, core)
    try:
        yui = await found.member(TEAM, "U6")
        [call] = api.calls_of("users.info")
        assert call.args["include_locale"] in ("1", "true") and call.http_method == "GET"
        assert call.result["user"]["locale"] == "ja-JP"
        assert (yui.id, yui.locale, yui.timezone, yui.platform_id) == (
            "slack:T0DOJO:U6",
            "ja-JP",
            "Asia/Tokyo",
            None,
        )
        profile = await core.profile(yui)
        assert (profile.display_name, profile.timezone, profile.locale) == (
            "Yui",
            "Asia/Tokyo",
            "ja-JP",
        )
        api.add_user("U6", "Yui K.", "Europe/Berlin", locale="de-DE")  # she moved
        found.forget("U6")  # the user_change event
        clock.advance(SEEN_EVERY + timedelta(seconds=1))
        again = await found.member(TEAM, "U6")
        assert (again.display_name, again.timezone, again.locale) == (
            "Yui K.",
            "Europe/Berlin",
            "de-DE",
        )
        profile = await core.profile(again)
        assert (profile.display_name, profile.timezone, profile.locale) == (
            "Yui K.",
            "Europe/Berlin",
            "de-DE",
        )
    finally:
        await http.close()


async def test_the_fake_answers_locale_only_when_asked(api: FakeSlackApi) -> None:
    settings = SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_base_url=api.base_url
    )
    async with aiohttp.ClientSession() as http:
        client = build_web_client(settings, http)
        plain = await client.users_info(user="U1")
        asked = await client.users_info(user="U1", include_locale=True)
    assert "locale" not in plain["user"] and asked["user"]["locale"] == "en-US"


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import Settings

    monkeypatch.setenv("DOJOBOT_SLACK__BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("DOJOBOT_SLACK__SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("DOJOBOT_SLACK__ADMINS", '["U1", "@dojo-admins"]')
    monkeypatch.setenv("DOJOBOT_SLACK__API_BASE_URL", "http://127.0.0.1:9/api")
    settings = Settings(_env_file=None)
    assert settings.slack is not None
    assert settings.slack.admins == ["U1", "@dojo-admins"]
    assert settings.slack.api_base_url == "http://127.0.0.1:9/api/"
    assert "s3cret" not in repr(settings) and "xoxb-1" not in repr(settings)

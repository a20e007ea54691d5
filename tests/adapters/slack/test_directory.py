"""Roles and time zones from Slack: users.info, user groups, guests; cached."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.slack.directory import SlackDirectory
from adapters.slack.roles import RoleResolver
from adapters.slack.settings import SlackSettings
from adapters.slack.web_api import build_web_client
from core.model import Role
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


async def directory(
    api: FakeSlackApi, **options: object
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
    return SlackDirectory(client, roles, "Asia/Tokyo", ttl=60, monotonic=lambda: clock[0]), http


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

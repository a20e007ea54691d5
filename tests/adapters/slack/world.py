"""A whole dojobot with the Slack front end, over HTTP, against the fake Slack Web API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from adapters.slack import SlackFrontEnd, SlackSettings
from adapters.slack.command_buttons import is_command_action
from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.components import Component, Wiring
from bot.settings import Settings
from bot.wiring.slack import build_slack
from core.ports import SessionStore
from core.testing.clock import FakeClock
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlackApi, SlackSender

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHANNEL = "C0DOJO"
ADMIN, SENSEI, GUEST = "U0ADMIN", "U0SENSEI", "U0GUEST"
ANA, BEN, CAL = "U0ANA", "U0BEN", "U0CAL"
PUBLIC_URL = "https://dojo.example.org"


@dataclass
class SlackWorld:
    """The running app, its Slack component, the fake Web API and a signed sender."""

    app: App
    slack: SlackFrontEnd
    api: FakeSlackApi
    sender: SlackSender
    clock: FakeClock

    async def settle(self) -> None:
        """Wait until every acknowledged request's background work is done."""
        await self.slack.jobs.idle()

    async def command(
        self, command: str, text: str, user: str, channel: str = CHANNEL
    ) -> dict[str, Any]:
        """Run a slash command and return the ephemeral reply it produced."""
        mark = len(self.api.responses)
        status, body = await self.sender.command(command, text, user, channel)
        assert (status, body) == (200, "")
        await self.settle()
        assert len(self.api.responses) == mark + 1, self.api.responses[mark:]
        return self.api.responses[-1]

    async def click(
        self, action_id: str, value: str, user: str, channel: str, ts: str
    ) -> dict[str, Any]:
        """Click a button and return the ephemeral reply it produced."""
        mark = len(self.api.responses)
        status, body = await self.sender.click(action_id, value, user, channel, ts)
        assert (status, body) == (200, "")
        await self.settle()
        assert len(self.api.responses) == mark + 1, self.api.responses[mark:]
        return self.api.responses[-1]

    async def close(self) -> None:
        await self.sender.close()
        await self.app.close()
        await self.api.close()
        assert self.api.refusals() == [], "Slack would have refused these payloads"


async def make_world(
    tmp_path: Path,
    factory: Callable[[Wiring], Component] = build_slack,
    store: SessionStore | None = None,
    also: Sequence[Callable[[Wiring], Component]] = (),
    api: FakeSlackApi | None = None,
    default_language: Literal["en", "ja", "de", "es", "fr"] = "en",
    settings_extra: dict[str, Any] | None = None,
    **slack: Any,
) -> SlackWorld:
    if api is None:  # a started one can be passed in (e.g. with Socket Mode wired to it)
        api = FakeSlackApi()
        await api.start()
    api.add_user(ADMIN, "Admiral", "America/New_York")
    api.add_user(SENSEI, "Sensei", "Europe/Berlin")
    api.add_user(GUEST, "Gus", "UTC", is_restricted=True)
    for user, name in ((ANA, "Ana"), (BEN, "Ben"), (CAL, "Cal")):
        api.add_user(user, name, "Asia/Tokyo")
    api.usergroups["S0SENSEIS"] = ("senseis", [SENSEI])
    options: dict[str, Any] = {
        "admins": [ADMIN],
        "instructors": ["@senseis"],
        "channel_post_interval_seconds": 0,
    } | slack
    settings = Settings(
        data_dir=tmp_path / "data",
        web=WebSettings(port=0, public_url=PUBLIC_URL),
        slack=SlackSettings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_base_url=api.base_url,
            **options,
        ),
        default_language=default_language,
        _env_file=None,
        **(settings_extra or {}),
    )
    clock = FakeClock(START)
    app = await bootstrap(
        settings, write=lambda _: None, clock=clock, components=[factory, *also], store=store
    )
    await app.start()
    component = app.components[0]
    assert isinstance(component, SlackFrontEnd)
    assert app.web is not None
    sender = SlackSender(f"{app.web.base_url}/slack/events", api)
    return SlackWorld(app, component, api, sender, clock)


def command_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The command buttons (their elements) in a message's `actions` blocks."""
    return [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if is_command_action(element["action_id"])
    ]


def scheduled_id(reply: dict[str, Any]) -> str:
    """The session id in `/schedule-session`'s reply."""
    text: str = reply["blocks"][0]["text"]["text"]
    return text.split("id `")[1].split("`")[0]

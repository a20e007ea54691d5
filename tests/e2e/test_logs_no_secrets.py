"""No secret, token or personal join link reaches the logs, at any level.

Each e2e story (terminal, Slack, Discord, RealtimeKit) runs again with dojobot's own logging
set-up at DEBUG (every library logger included), then the captured text is searched for
every configured secret and every token or link handed out during the story, collected from
what the vendor fakes received and answered and from what members were shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from adapters.slack.settings import SlackSettings
from adapters.web import WebSettings
from bot.log_redaction import secrets_of
from bot.settings import Settings
from core.testing.clock import FakeClock
from tests.adapters.discord.harness import discord_settings_fields
from tests.adapters.slack.world import PUBLIC_URL, SlackWorld
from tests.e2e import test_discord_story as discord_story
from tests.e2e import test_realtimekit_story as rtk_story
from tests.e2e.conftest import START, Terminal
from tests.e2e.log_watch import LogWatch, join_tokens, jwts, room_links
from tests.e2e.slack_transport import TRANSPORTS, Transport
from tests.e2e.slack_transport import slack_world as slack_transport_world
from tests.e2e.test_discord_story import (
    test_slash_announcement_rsvps_waitlist_reminders_join_cancel as discord_whole_story,
)
from tests.e2e.test_realtimekit_story import (
    test_cloudflare_down_then_join_attendance_summary_and_recording as rtk_whole_story,
)
from tests.e2e.test_slack_story import (
    test_modal_rsvp_waitlist_reminders_join_cancel as slack_whole_story,
)
from tests.e2e.test_terminal_story import (
    test_schedule_rsvp_waitlist_reminders_restart_join_attendance_autoend_cleanup as terminal_story,
)
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.realtimekit_api import TOKEN, running_fake_realtimekit
from tests.fakes.slack_api import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET


@pytest.fixture
def watch() -> Iterator[LogWatch]:
    watcher = LogWatch()
    yield watcher
    watcher.stop()


def configured_secrets(settings: Settings) -> list[str]:
    found = secrets_of(settings)
    join_secret = settings.data_dir / "join-secret"
    if join_secret.exists():
        found.append(join_secret.read_text().strip())
    assert found, "a story with no secret proves nothing"
    return found


def socket_tickets(text: str) -> set[str]:
    """The tickets of Socket Mode URLs (`apps.connections.open` answers): each opens a
    connection that receives the workspace's requests."""
    return set(re.findall(r"ticket=([0-9a-f]+)", text))


def assert_no_leaks(watch: LogWatch, needles: set[str], libraries: tuple[str, ...]) -> None:
    text = watch.text
    for library in libraries:  # the capture really holds these libraries' output
        as_text = re.search(rf"^[A-Z]+ {re.escape(library)}[.:]", text, re.MULTILINE)
        assert as_text or f'"logger": "{library}' in text, library
    leaks = watch.leaks(needles)
    lines = [line[:160] for line in text.splitlines() if any(n in line for n in leaks)]
    assert leaks == [], f"found in the logs: {leaks}, in {lines[:5]}"
    assert jwts(text) == set(), "a JWT reached the logs"
    assert "xoxb-" not in text and "xapp-" not in text


async def test_terminal_story_logs_no_secret_or_join_link(tmp_path: Path, watch: LogWatch) -> None:
    term = Terminal(tmp_path, FakeClock(START))
    watch.start(term.settings)
    await term.boot()
    try:
        await terminal_story(term)
    finally:
        assert term.app is not None
        await term.app.close()
    issued = join_tokens(*term.output)
    assert issued, "the story hands out personal join links"
    assert_no_leaks(watch, {*configured_secrets(term.settings), *issued}, ("httpx",))


@pytest.fixture(params=TRANSPORTS)
async def slack_world(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    watch: LogWatch,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[SlackWorld]:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    transport: Transport = request.param
    same_secrets = Settings(  # what `dojobot` would have read before it logs anything
        data_dir=tmp_path / "data",
        web=WebSettings(port=0, public_url=PUBLIC_URL),
        slack=SlackSettings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            app_token=APP_TOKEN if transport == "socket_mode" else None,
        ),
        _env_file=None,
    )
    watch.start(same_secrets, "json")
    async with slack_transport_world(tmp_path, transport) as world:
        yield world


async def test_slack_story_logs_no_secret_or_join_link(
    slack_world: SlackWorld, watch: LogWatch
) -> None:
    await slack_whole_story(slack_world)
    await slack_world.settle()
    api = slack_world.api
    seen = json.dumps([*(c.args for c in api.calls), *(c.result for c in api.calls)])
    seen += json.dumps(api.responses)
    issued = join_tokens(seen) | room_links(seen) | socket_tickets(seen)
    assert issued, "the story hands out personal join links"
    secrets = configured_secrets(slack_world.app.settings)
    assert BOT_TOKEN in secrets and SIGNING_SECRET in secrets
    if slack_world.slack.socket_mode:
        assert APP_TOKEN in secrets and socket_tickets(seen)
    assert_no_leaks(watch, {*secrets, *issued}, ("adapters.slack.library",))


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    api = FakeDiscord()
    await api.start()
    yield api
    await api.stop()


@pytest.mark.parametrize("redacted", [True, False], ids=["redacted", "unredacted"])
async def test_discord_story_logs_no_secret_token_or_link(
    tmp_path: Path, discord_fake: FakeDiscord, watch: LogWatch, redacted: bool
) -> None:
    """Unredacted (what `logging.basicConfig` gave before): discord.py's DEBUG lines carry
    every interaction token in their URLs, and the search must find them."""
    story = discord_story.Story(tmp_path, discord_fake)
    watch.start(story.settings, redact=redacted)
    await story.boot()
    try:
        await discord_whole_story(story)
    finally:
        assert story.app is not None
        await story.app.close()
    paths = [c.path for c in discord_fake.calls]
    interaction_tokens = {p.split("/")[3] for p in paths if p.startswith("/interactions/")} | {
        p.split("/")[3] for p in paths if p.startswith("/webhooks/")
    }
    assert interaction_tokens, "the story answers interactions"
    answers = json.dumps([*discord_fake.callbacks, *discord_fake.followups])
    links = room_links(answers)
    assert links, "the story hands out a room link"
    secrets = configured_secrets(story.settings)
    assert discord_settings_fields(discord_fake)["token"] in secrets
    needles = {*secrets, *interaction_tokens, *join_tokens(answers), *links}
    if redacted:
        assert_no_leaks(watch, needles, ("discord.http",))
    else:
        assert interaction_tokens <= set(watch.leaks(needles))


async def test_realtimekit_story_logs_no_secret_or_participant_token(
    tmp_path: Path, watch: LogWatch
) -> None:
    output: list[str] = []
    async with running_fake_realtimekit() as fake:
        minted: list[str] = []
        mint: Callable[[str, str], str] = fake._mint

        def recording_mint(meeting_id: str, participant_id: str) -> str:
            token = mint(meeting_id, participant_id)
            minted.append(token)
            return token

        fake._mint = recording_mint  # type: ignore[method-assign]
        fake.down = True
        settings = rtk_story.rtk_settings(tmp_path, fake)
        watch.start(settings, "json")
        app = await rtk_story.started_app(settings, output)
        story = rtk_story.Story(app, fake, output)
        opened: list[str] = []
        open_page = story.open_join_page

        async def recording_open(printed: list[str]) -> None:
            opened.extend(printed)
            await open_page(printed)

        story.open_join_page = recording_open  # type: ignore[method-assign]
        try:
            await rtk_whole_story(story)
        finally:
            await story.http.aclose()
            await app.close()
    assert minted, "the story hands out participant tokens"
    assert opened, "the story opens the members' links (their token is a JWT: `minted`)"
    secrets = configured_secrets(settings)
    assert TOKEN in secrets
    assert_no_leaks(watch, {*secrets, *minted}, ("httpx", "adapters.web.access"))

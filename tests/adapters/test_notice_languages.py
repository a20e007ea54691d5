"""DMs are worded in the recipient's language and refusals in the member's, on every front
end; with no language known (or one not shipped) everything stays in English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.discord.render_notice import notice_embed
from adapters.discord.render_outcome import error_reply
from adapters.i18n import BabelLanguages
from adapters.slack.chat import SlackChat
from adapters.slack.pacing import ChannelPacer
from adapters.slack.render_outcome import error_message
from adapters.terminal.chat import TerminalChat
from adapters.terminal.directory import TerminalDirectory
from core import messages
from core.errors import NotFound
from core.i18n import t
from core.model import Origin, ReminderKind, Role, TrainingSession
from core.notices import Notice
from core.testing.clock import FakeClock
from tests.adapters.slack.fake_client import fake_slack_client
from tests.fakes.slack_api import FakeSlackApi

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LANGUAGES = BabelLanguages()


def session() -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="slack:T0DOJO:U1",
        instructor_name="Ada",
        start_time=datetime(2026, 12, 2, 17, tzinfo=UTC),
        duration_minutes=60,
        origin=Origin(platform="slack", workspace_id="T0DOJO", channel_id="C1"),
        created_at=NOW,
        updated_at=NOW,
    )


def reminder(locale: str | None) -> Notice:
    notice = messages.reminder(session(), ReminderKind.BEFORE_1H, to_member=True)
    return notice.model_copy(update={"locale": locale})


async def test_the_terminal_prints_each_dm_in_its_readers_language() -> None:
    lines: list[str] = []
    directory = TerminalDirectory()
    ana = directory.act_as("ana", Role.MEMBER, "Europe/Berlin")
    chat = TerminalChat(lines.append, directory, FakeClock(NOW), LANGUAGES)
    await chat.send_dm(ana.id, reminder("de-DE"))
    assert "[DM → ana] Erinnerung: „Kata“ mit Ada beginnt in 1 Stunde." in lines[0]
    moved = messages.rescheduled(session(), datetime(2026, 12, 1, 17, tzinfo=UTC))
    await chat.send_dm(ana.id, moved.model_copy(update={"locale": "ja"}))
    assert "「Kata」は 2026年12月1日(火) 18:00 CET (Europe/Berlin) から" in "\n".join(lines)
    await chat.send_dm(ana.id, reminder("pt-BR"))  # not shipped: the default, English
    assert "Reminder: “Kata” with Ada starts in 1 hour." in lines[-2]


async def test_the_terminal_without_languages_stays_english() -> None:
    lines: list[str] = []
    directory = TerminalDirectory()
    ana = directory.act_as("ana", Role.MEMBER)
    await TerminalChat(lines.append, directory, FakeClock(NOW)).send_dm(ana.id, reminder("ja"))
    assert "Reminder: “Kata” with Ada starts in 1 hour." in lines[0]


@pytest.fixture
async def slack() -> AsyncIterator[tuple[SlackChat, FakeSlackApi]]:
    async with fake_slack_client("Ada") as (api, client):
        yield (
            SlackChat(client, FakeClock(NOW), "https://d.example", ChannelPacer(0), LANGUAGES),
            api,
        )


async def test_a_slack_dm_is_in_the_members_language(
    slack: tuple[SlackChat, FakeSlackApi],
) -> None:
    chat, api = slack
    await chat.send_dm("slack:T0DOJO:U1", reminder("es-419"))
    [dm] = api.dms_to("U1")
    assert "Recordatorio: «Kata» con Ada empieza dentro de 1 hora." in dm.args["text"]
    await chat.post_to_channel(session().origin or Origin(platform="slack"), reminder(None))
    [post] = api.channel_posts("C1")
    assert "Reminder: “Kata” with Ada starts in 1 hour." in post.args["text"]


def test_refusals_render_in_the_readers_language_on_slack_and_discord() -> None:
    error = NotFound(
        t("No session with id “{id}”.", id="s9"), t("List upcoming sessions with /sessions.")
    )
    text, blocks = error_message(error, LANGUAGES.translator("fr"))
    assert "Aucune séance avec l’id «\u00a0s9\u00a0»." in text
    assert "Listez les séances à venir avec /sessions." in str(blocks)
    assert error_message(error)[0].startswith("No session with id “s9”.")
    reply = error_reply(error, None, LANGUAGES.translator("ja"))
    assert reply.embeds[0].description == "id「s9」のセッションはありません。"
    assert reply.embeds[0].fields[0].value == "/sessions で今後のセッションを一覧できます。"
    embed = notice_embed(reminder("de"), LANGUAGES.translator("de"))
    assert embed.description == "Erinnerung: „Kata“ mit Ada beginnt in 1 Stunde."

"""A refusal on Discord is worded in the language of the member's Discord client."""

from __future__ import annotations

from adapters.i18n import BabelLanguages
from tests.adapters.discord.conftest import Rig
from tests.adapters.discord.harness import CHANNEL, GUILD, MEMBER_ROLE, is_ephemeral, text_of
from tests.fakes.discord_api import Person, slash_command


async def test_a_discord_refusal_follows_the_interactions_locale(rig: Rig) -> None:
    rig.frontend.actions.languages = BabelLanguages()  # as bot/wiring/discord.py wires it
    kenji = Person(611, "kenji", [MEMBER_ROLE], locale="ja")
    answer = await rig.gateway.interact(
        slash_command("session", kenji, GUILD, CHANNEL, session="nope")
    )
    assert is_ephemeral(answer)
    assert "id「nope」のセッションはありません。" in text_of(answer), text_of(answer)
    ana = Person(612, "ana", [MEMBER_ROLE], locale="en-US")
    answer = await rig.gateway.interact(
        slash_command("session", ana, GUILD, CHANNEL, session="nope")
    )
    assert "No session with id “nope”." in text_of(answer)

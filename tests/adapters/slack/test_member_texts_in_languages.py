"""The core's member replies, their errors and the seats reach Slack (through the fake Web
API, which checks every Block Kit body) in the member's Slack language."""

from __future__ import annotations

from tests.adapters.slack import test_languages
from tests.adapters.slack.test_languages import ELISE, GRETA, KENJI, schedule, texts
from tests.adapters.slack.world import SENSEI, SlackWorld

NB = "\u00a0"
world = test_languages.world
"""The members of `test_languages` (Kenji reads Japanese, Élise French, Greta German)."""


async def test_profile_link_reminders_and_errors_in_japanese_and_french(
    world: SlackWorld,
) -> None:
    shown = texts(await world.command("/profile", "", KENJI))
    assert "あなたのプロフィール（ID slack:" in shown and "  言語：ja-JP" in shown, shown
    assert "変更：/reminders set … · /link · /forget-me（これらをすべて削除）" in shown
    shown = texts(await world.command("/reminders", "set 5h", KENJI))
    assert "「5h」は送れるリマインダーではありません。" in shown, shown
    shown = texts(await world.command("/link", "nope!", ELISE))
    assert "Ce code de liaison est inconnu, déjà utilisé ou expiré." in shown, shown
    assert "Tapez /link sur votre autre compte pour un nouveau code" in shown
    shown = texts(await world.command("/reminders", "set 24h route dm", ELISE))
    assert f"Enregistré. Vos rappels{NB}:" in shown and f"où{NB}: message privé" in shown, shown


async def test_help_in_german_and_seats_in_french(world: SlackWorld) -> None:
    helped = await world.command("/dojo-help", "", GRETA)
    shown = texts(helped)
    assert "Befehle:" in shown and "Eine Live-Sitzung planen." in shown, shown
    sections = [b["text"]["text"] for b in helped["blocks"]]  # longer than one section holds
    assert len(sections) == 2 and all(s.startswith("```") and s.endswith("```") for s in sections)
    assert sections[-1].endswith("/dojo-help &lt;command&gt; erklärt einen Befehl.```")
    sid, _ = await schedule(world)
    going = await world.command("/rsvp", sid, ELISE)
    assert going["blocks"][-1]["elements"][0]["text"] == f"Inscrits{NB}: 1/20"
    english = texts(await world.command("/dojo-help", "", SENSEI))
    assert "Commands:" in english and "Schedule a live session." in english


async def test_weekly_class_lists_quote_titles_as_the_reader_quotes(world: SlackWorld) -> None:
    """/classes names each class in the reader's quotation marks (« » for Élise), like
    every other Slack reply, not in English ones."""
    await world.command("/schedule-class", '"Kids karate" every mon 17:30 60m', SENSEI)
    shown = texts(await world.command("/classes", "", ELISE))
    assert f"«{NB}Kids karate{NB}»" in shown and "“Kids karate”" not in shown, shown

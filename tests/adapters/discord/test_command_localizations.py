"""Every slash command and option reaches Discord with its name and description in Japanese,
German, Spanish and French, and each localized name is one Discord accepts."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from adapters.discord import command_localizations
from adapters.discord.command_localizations import LOCALES
from adapters.discord.tree import commands_digest
from tests.adapters.discord.conftest import Rig, RigFactory
from tests.adapters.discord.harness import GUILD

NAME_PUNCTUATION = frozenset("-_'")


def discord_name_problem(name: str) -> str | None:
    """Why Discord refuses `name` as a command or option name, or None. Discord's rule:
    `^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lower case where letters have one."""
    if not 1 <= len(name) <= 32:
        return f"{name!r} has {len(name)} characters (1-32)"
    for char in name:
        category = unicodedata.category(char)
        script = unicodedata.name(char, "")
        if char in NAME_PUNCTUATION or category[0] in "LN":
            continue
        if script.startswith(("DEVANAGARI", "THAI")):
            continue
        return f"{name!r} has {char!r} ({category})"
    if name != name.lower():
        return f"{name!r} is not lower case"
    return None


def test_the_name_rule_refuses_what_discord_refuses() -> None:
    assert discord_name_problem("sitzung-ändern") is None
    assert discord_name_problem("セッション開始") is None
    assert discord_name_problem("Sitzung") is not None
    assert discord_name_problem("two words") is not None
    assert discord_name_problem("a·b") is not None
    assert discord_name_problem("x" * 33) is not None


def _entries(command: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"/{command['name']}", command)] + [
        (f"/{command['name']} {o['name']}:", o) for o in command.get("options") or []
    ]


async def test_every_synced_command_and_option_has_all_four_languages(rig: Rig) -> None:
    synced = rig.fake.commands[str(GUILD)]  # what Discord accepted (its description checked)
    assert not rig.fake.refusals
    assert {"link", "forget-me", "reminders"} <= {c["name"] for c in synced}
    problems: list[str] = []
    for command in synced:
        for where, entry in _entries(command):
            names = entry.get("name_localizations") or {}
            descriptions = entry.get("description_localizations") or {}
            for locale in LOCALES:
                name, description = names.get(locale), descriptions.get(locale)
                if name is None or description is None:
                    problems.append(f"{where} has no {locale}")
                    continue
                if (problem := discord_name_problem(name)) is not None:
                    problems.append(f"{where} {locale}: {problem}")
                if not 1 <= len(description) <= 100:
                    problems.append(f"{where} {locale}: description of {len(description)}")
    assert problems == []


async def test_localized_names_are_unique_where_discord_needs_it(rig: Rig) -> None:
    synced = rig.fake.commands[str(GUILD)]
    for locale in LOCALES:
        commands = [c["name_localizations"][locale] for c in synced]
        assert len(commands) == len(set(commands)), locale
        for command in synced:
            options = [o["name_localizations"][locale] for o in command.get("options") or []]
            assert len(options) == len(set(options)), (command["name"], locale)


async def test_every_table_entry_is_used_and_complete(rig: Rig) -> None:
    synced = rig.fake.commands[str(GUILD)]
    assert set(command_localizations.COMMANDS) == {c["name"] for c in synced}
    options = {o["name"] for c in synced for o in c.get("options") or []}
    assert set(command_localizations.OPTIONS) == options
    for table in (command_localizations.COMMANDS, command_localizations.OPTIONS):
        for english, texts in table.items():
            assert set(texts) == set(LOCALES), english


async def test_a_changed_translation_is_synced_again(
    make_rig: RigFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = await make_rig()
    before = commands_digest(rig.frontend.tree, None)
    texts = dict(command_localizations.COMMANDS["help"])
    texts["de"] = ("hilfe", "Wie man dojobot benutzt")
    monkeypatch.setitem(command_localizations.COMMANDS, "help", texts)
    assert commands_digest(rig.frontend.tree, None) != before
    await rig.frontend.stop()
    again = await make_rig()
    puts = again.fake.calls_to("PUT", rf"/applications/\d+/guilds/{GUILD}/commands")
    assert len(puts) == 2
    [synced] = [c for c in again.fake.commands[str(GUILD)] if c["name"] == "help"]
    assert synced["description_localizations"]["de"] == "Wie man dojobot benutzt"

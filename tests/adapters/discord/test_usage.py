"""Discord's help and usage come from the command catalogue."""

from __future__ import annotations

from adapters.discord.usage import SUMMARIES, USAGE, help_text
from core.catalogue import COMMANDS, TIME_HELP


def test_discord_commands_are_catalogue_commands_with_its_summaries() -> None:
    for name, summary in SUMMARIES.items():
        assert USAGE[name].startswith(f"/{name}")
        if name != "schedule-session-form":
            assert summary == COMMANDS[name].summary
    assert set(SUMMARIES) - {"schedule-session-form"} <= set(COMMANDS)
    assert help_text().endswith(TIME_HELP)

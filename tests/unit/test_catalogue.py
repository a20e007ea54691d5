"""The one command catalogue: every command the grammar parses, with fitting texts."""

from __future__ import annotations

from core.catalogue import CATALOGUE, COMMANDS
from core.grammar import USAGE, help_text


def test_the_grammar_knows_exactly_the_catalogue() -> None:
    assert list(USAGE) == [info.name for info in CATALOGUE] == list(COMMANDS)
    text = help_text()
    for info in CATALOGUE:
        assert f"{info.usage}\n    {info.summary}" in text
        assert USAGE[info.name] == f"Usage: {info.usage}\nExample: {info.example_line}"


def test_summaries_fit_one_line_of_a_slack_description() -> None:
    for info in CATALOGUE:
        assert "\n" not in info.summary and len(info.summary) <= 100
        assert info.summary.endswith(".")

"""Persistent buttons hand each press to the handler they were built with (no client lookup)."""

from __future__ import annotations

from typing import Any, cast

import discord

from adapters.discord.buttons import (
    EVERY_WEEK,
    GOING,
    JOIN,
    LEAVE,
    persistent_buttons,
    session_button,
)


class Recorder:
    """A ButtonHandler that notes what was pressed."""

    def __init__(self) -> None:
        self.presses: list[tuple[str, str, bool | None]] = []

    async def rsvp(
        self, interaction: discord.Interaction[Any], session_id: str, going: bool
    ) -> None:
        self.presses.append(("rsvp", session_id, going))

    async def join(self, interaction: discord.Interaction[Any], session_id: str) -> None:
        self.presses.append(("join", session_id, None))

    async def every_week(self, interaction: discord.Interaction[Any], series_id: str) -> None:
        self.presses.append(("every-week", series_id, None))


async def test_each_press_reaches_the_handler_given_to_the_buttons() -> None:
    recorder, other = Recorder(), Recorder()
    persistent_buttons(other)  # a second set does not steal the first set's presses
    interaction = cast(discord.Interaction[Any], object())
    for kind in (GOING, LEAVE, JOIN, EVERY_WEEK):
        posted = session_button(kind, "s-1")
        assert posted.custom_id == f"dojobot:{kind.action}:s-1"
        assert not posted.is_dispatchable()  # presses go to the registered items, not a view
        [item_class] = [
            c
            for c in persistent_buttons(recorder)
            if c.__discord_ui_compiled_template__.fullmatch(str(posted.custom_id))
        ]
        match = item_class.__discord_ui_compiled_template__.fullmatch(str(posted.custom_id))
        assert match is not None
        item = await item_class.from_custom_id(interaction, posted, match)
        await item.callback(interaction)
    assert recorder.presses == [
        ("rsvp", "s-1", True),
        ("rsvp", "s-1", False),
        ("join", "s-1", None),
        ("every-week", "s-1", None),
    ]
    assert other.presses == []

"""Builds the Discord front end from settings and the wired core."""

from __future__ import annotations

from adapters.discord import DiscordFrontEnd
from bot.components import Component, Wiring


def build_discord(wiring: Wiring) -> Component:
    """The Discord component (settings.discord must be set)."""
    settings = wiring.settings
    if settings.discord is None:
        raise ValueError("Discord is not configured: set DOJOBOT_DISCORD__TOKEN.")
    frontend = DiscordFrontEnd(
        settings.discord,
        wiring.executor,
        wiring.clock,
        wiring.public_url,
        settings.default_timezone,
        settings.data_dir / "discord",
        languages=wiring.languages,
    )
    wiring.clock_runner.on_lead.append(frontend.pacer.start_quiet)
    return frontend

"""Builds the Slack front end from settings and the wired core."""

from __future__ import annotations

from adapters.slack import SlackFrontEnd
from bot.components import Component, Wiring


def build_slack(wiring: Wiring) -> Component:
    """The Slack component (HTTP on the shared server, or Socket Mode with an app token)."""
    settings = wiring.settings.slack
    if settings is None:
        raise ValueError("Slack settings are missing (DOJOBOT_SLACK__BOT_TOKEN etc.)")
    return SlackFrontEnd(
        settings,
        wiring.executor,
        wiring.clock,
        wiring.public_url,
        wiring.settings.default_timezone,
        languages=wiring.languages,
    )

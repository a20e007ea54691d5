"""The Slack front end with its 429 waits recorded instead of slept."""

from __future__ import annotations

from collections.abc import Callable

from adapters.slack import SlackFrontEnd
from adapters.slack.web_api import retry_handlers
from bot.components import Component, Wiring


def slack_with_recorded_waits(waits: list[float]) -> Callable[[Wiring], Component]:
    """A component factory: the Slack front end, each 429 wait appended to `waits`."""

    async def record(seconds: float) -> None:
        waits.append(seconds)

    def factory(wiring: Wiring) -> Component:
        settings = wiring.settings.slack
        assert settings is not None
        return SlackFrontEnd(
            settings,
            wiring.executor,
            wiring.clock,
            wiring.public_url,
            wiring.settings.default_timezone,
            retry_handlers=retry_handlers(settings, sleep=record),
        )

    return factory

"""The Slack front end: slash commands, modal, announcement cards, DMs (slack-bolt).

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from adapters.slack.chat import SlackChat
    from adapters.slack.front_end import SlackFrontEnd
    from adapters.slack.settings import SlackSettings

__all__ = ["SlackChat", "SlackFrontEnd", "SlackSettings"]

__getattr__ = lazy_exports(
    __name__,
    {
        "SlackChat": "adapters.slack.chat",
        "SlackFrontEnd": "adapters.slack.front_end",
        "SlackSettings": "adapters.slack.settings",
    },
)

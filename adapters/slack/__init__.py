"""The Slack front end: slash commands, modal, announcement cards, DMs (slack-bolt).

Re-exports are imported on first use (PEP 562), so importing this package, or only its
settings, loads no SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.slack.chat import SlackChat
    from adapters.slack.front_end import SlackFrontEnd
    from adapters.slack.settings import SlackSettings

__all__ = ["SlackChat", "SlackFrontEnd", "SlackSettings"]

_HOMES = {
    "SlackChat": "adapters.slack.chat",
    "SlackFrontEnd": "adapters.slack.front_end",
    "SlackSettings": "adapters.slack.settings",
}


def __getattr__(name: str) -> Any:
    """The re-exported `name`, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)

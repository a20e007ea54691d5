"""The Slack front end: slash commands, modal, announcement cards, DMs (slack-bolt)."""

from adapters.slack.chat import SlackChat
from adapters.slack.front_end import SlackFrontEnd
from adapters.slack.settings import SlackSettings

__all__ = ["SlackChat", "SlackFrontEnd", "SlackSettings"]

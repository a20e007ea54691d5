"""Where a visitor of the public session page gets their own Join link.

The public page cannot tell who is reading it, and a room link must be personal (their
name, their role, checked at click time). So its call to action says so and takes them to
the session's channel in Slack or Discord ("Get your link in Slack"), where their own Join
button hands them a personal link; with no channel to link to, it is only the sentence
saying how to get one (never a button that goes nowhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from adapters.web.words import t
from core.model import Origin

_SLACK_ID = re.compile(r"^[A-Z0-9]+$")
_SNOWFLAKE = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class JoinPlace:
    """A link to where the member's own Join button is and its label (None: only the
    instruction); the label and instruction are texts of the `web` domain."""

    url: str | None
    label: str | None
    how: str


def join_place(origin: Origin | None, session_id: str) -> JoinPlace:
    """The Join button target and instruction for a session scheduled from `origin`."""
    platform = origin.platform if origin else ""
    team = origin.workspace_id if origin else None
    channel = origin.channel_id if origin else None
    if platform == "slack" and channel and _SLACK_ID.match(channel):
        query = {"channel": channel} | ({"team": team} if team and _SLACK_ID.match(team) else {})
        return JoinPlace(
            url="https://slack.com/app_redirect?" + urlencode(query),
            label=t("Get your link in Slack"),
            how=t("Joining is personal: press Join on the session in Slack to get your own link."),
        )
    if platform == "discord" and team and channel and _SNOWFLAKE.match(team + channel):
        return JoinPlace(
            url=f"https://discord.com/channels/{team}/{channel}",
            label=t("Get your link in Discord"),
            how=t(
                "Joining is personal: press Join on the session in Discord to get your own link."
            ),
        )
    return JoinPlace(
        url=None,
        label=None,
        how=t(
            "Joining is personal: type /join {id} where the session was announced.", id=session_id
        ),
    )

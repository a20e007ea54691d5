"""Slack member ids: `slack:<team_id>:<user_id>`, and the Slack names of our commands."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PLATFORM = "slack"

_MEMBER_ID = re.compile(r"slack:([A-Z0-9]+):([A-Z0-9]+)")


def member_id(team_id: str, user_id: str) -> str:
    """The platform-qualified member id of a Slack user in a workspace."""
    return f"{PLATFORM}:{team_id}:{user_id}"


def parse_member_id(value: str) -> tuple[str, str] | None:
    """(team_id, user_id) of a Slack member id, or None for another platform's id."""
    found = _MEMBER_ID.fullmatch(value)
    return (found.group(1), found.group(2)) if found else None


def user_mention(member: str, fallback: str) -> str:
    """`<@U…>` for a Slack member id (Slack renders the name), else the plain fallback."""
    parsed = parse_member_id(member)
    return f"<@{parsed[1]}>" if parsed else fallback


def team_of(body: Mapping[str, Any]) -> str:
    """The workspace id of an interaction payload (`team.id`, else `user.team_id`)."""
    team = body.get("team") or {}
    return str(team.get("id") or body.get("user", {}).get("team_id") or "")

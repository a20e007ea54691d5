"""Drives a DiscordFrontEnd the way the gateway would, against the fake REST API."""

from __future__ import annotations

from typing import Any

from adapters.discord import DiscordFrontEnd
from tests.fakes.discord_api import FakeDiscord, guild_create

GUILD = 700000000000000001
CHANNEL = 700000000000000002
ADMIN_ROLE = 700000000000000010
INSTRUCTOR_ROLE = 700000000000000011
MEMBER_ROLE = 700000000000000012
ROLES = {"Sensei": INSTRUCTOR_ROLE, "Dojo member": MEMBER_ROLE, "Staff": ADMIN_ROLE}


def discord_settings_fields(fake: FakeDiscord) -> dict[str, Any]:
    """DiscordSettings for the fake: roles by id and by name, REST only, Berlin time."""
    return {
        "token": "fake-token",
        "api_base": fake.base,
        "gateway": False,
        "guild_ids": [GUILD],
        "timezone": "Europe/Berlin",
        "admin_roles": [str(ADMIN_ROLE)],
        "instructor_roles": ["sensei"],
        "member_roles": ["Dojo member"],
        "quiet_start": False,  # no process sent before this one
    }


class Gateway:
    """Feeds gateway payloads to the front end's client and waits for its answers."""

    def __init__(self, fake: FakeDiscord, frontend: DiscordFrontEnd) -> None:
        self.fake = fake
        self.frontend = frontend

    def guild_available(self) -> None:
        """GUILD_CREATE: the client caches the guild and its roles."""
        self.fake.add_guild(GUILD, ROLES, [CHANNEL], admin_role=ADMIN_ROLE)
        payload = guild_create(GUILD, self.fake.roles[GUILD], [CHANNEL])
        self.frontend.client._connection.parsers["GUILD_CREATE"](payload)

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.frontend.client._connection.parsers[event](data)

    async def interact(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send INTERACTION_CREATE; return the answer (callback, or follow-up if deferred).
        An answer Discord refuses (400) fails at once, with Discord's errors."""
        fake = self.fake
        refused = len(fake.refusals)
        self.dispatch("INTERACTION_CREATE", payload)

        def answered() -> bool:
            callback = self._callback(payload["id"])
            if callback is None:
                return False
            return callback["type"] != 5 or self._followup(payload["token"]) is not None

        def answer_refused() -> list[Any]:
            new = fake.refusals[refused:]
            return [c.answer for c in new if "/interactions/" in c.path or "/webhooks/" in c.path]

        await fake.wait_for(lambda: answered() or bool(answer_refused()))
        assert not answer_refused(), f"Discord refused the answer: {answer_refused()}"
        callback = self._callback(payload["id"])
        assert callback is not None
        if callback["type"] == 5:
            followup = self._followup(payload["token"])
            assert followup is not None
            return {"type": "followup", "data": followup}
        return callback

    def _callback(self, interaction_id: str) -> dict[str, Any] | None:
        found = [c for c in self.fake.callbacks if c["interaction_id"] == interaction_id]
        return found[-1] if found else None

    def _followup(self, token: str) -> dict[str, Any] | None:
        found = [f for f in self.fake.followups if f["token"] == token]
        return found[-1] if found else None


def text_of(answer: dict[str, Any]) -> str:
    """Everything readable in an answer or a message: content and embed texts."""
    data = answer.get("data", answer)
    parts = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        parts += [str(embed.get("title", "")), str(embed.get("description", ""))]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields", [])]
        parts.append(str((embed.get("footer") or {}).get("text", "")))
    return "\n".join(parts)


def button_ids(message: dict[str, Any]) -> list[str]:
    """custom_id (or url) of every button on a message."""
    data = message.get("data", message)
    return [
        c.get("custom_id") or c.get("url")
        for row in data.get("components") or []
        for c in row.get("components", [])
    ]


def is_ephemeral(answer: dict[str, Any]) -> bool:
    data = answer.get("data", answer)
    return bool(int(data.get("flags") or 0) & 64)


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button on a message (its component dicts)."""
    return [c for row in message.get("components") or [] for c in row["components"]]


def message_text(message: dict[str, Any]) -> str:
    """A message's content and its embeds' descriptions, titles and fields."""
    parts = [str(message.get("content") or "")]
    for embed in message.get("embeds") or []:
        parts += [str(embed.get("description") or ""), str(embed.get("title") or "")]
        parts += [f"{f.get('name')}: {f.get('value')}" for f in embed.get("fields") or []]
    return "\n".join(parts)

"""Configuration of the Slack front end."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr


class SlackSettings(BaseModel):
    """A Slack app's credentials and dojobot's Slack-side choices.

    Present (bot token + signing secret set) → `dojobot run` starts the Slack front end.
    """

    model_config = ConfigDict(extra="forbid")

    bot_token: SecretStr
    """xoxb-… bot token."""
    signing_secret: SecretStr
    """Verifies that HTTP requests come from Slack."""
    app_token: SecretStr | None = None
    """xapp-… app-level token; when set, Socket Mode is used (no public URL needed)."""

"""A session's announcement card in a channel linked with its own (`core.channel_map`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_validator

from core.model import Origin, ensure_utc


class AnnouncementCopy(BaseModel):
    """The card of session `session_id` in `platform`'s channel `channel_id`.

    The session's own card lives in its `Origin`; each linked channel's card is one copy,
    unique per session × platform × channel (the store records it once).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    session_id: str
    platform: str
    channel_id: str
    workspace_id: str | None = None
    message_ref: str
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)

    def origin(self) -> Origin:
        """The copy's channel and message as an Origin (what a front end edits)."""
        return Origin(
            platform=self.platform,
            workspace_id=self.workspace_id,
            channel_id=self.channel_id,
            message_ref=self.message_ref,
        )

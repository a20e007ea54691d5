"""Inbound RealtimeKit webhook payloads (camelCase) as typed records."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import AliasGenerator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

_CONFIG = ConfigDict(
    extra="ignore", populate_by_name=True, alias_generator=AliasGenerator(validation_alias=to_camel)
)


def as_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive time from the vendor is read as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class WebhookMeeting(BaseModel):
    model_config = _CONFIG

    id: str
    session_id: str | None = None
    title: str | None = None
    status: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None


class WebhookParticipant(BaseModel):
    model_config = _CONFIG

    peer_id: str | None = None
    user_display_name: str | None = None
    custom_participant_id: str | None = None
    joined_at: datetime | None = None
    left_at: datetime | None = None


class WebhookRecording(BaseModel):
    model_config = _CONFIG

    id: str | None = None
    recording_id: str | None = None
    status: str | None = None
    download_url: str | None = None
    meeting_id: str | None = None


class WebhookPayload(BaseModel):
    """One delivery: `event` names it; the parts present depend on the event."""

    model_config = _CONFIG

    event: str
    meeting: WebhookMeeting | None = None
    participant: WebhookParticipant | None = None
    recording: WebhookRecording | None = None
    reason: str | None = None

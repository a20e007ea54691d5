"""Inbound RealtimeKit webhook payloads (camelCase) as typed records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    AliasGenerator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic.alias_generators import to_camel

_CONFIG = ConfigDict(
    extra="ignore",
    populate_by_name=True,
    alias_generator=AliasGenerator(validation_alias=to_camel),
    strict=True,
)

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""Times outside these years are not RealtimeKit's: such a delivery is refused (422)."""
MAX_BODY_BYTES = 256 * 1024


class PayloadRefused(Exception):
    """A signed body that can never be applied: answered 4xx (RealtimeKit does not retry)."""

    def __init__(self, status: int, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.detail = detail


def _in_range(value: datetime) -> datetime:
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        raise ValueError("time out of range") from None
    if not EARLIEST <= utc < LATEST:
        raise ValueError(f"time must fall in {EARLIEST.year}-{LATEST.year - 1}")
    return value


Instant = Annotated[datetime, Field(strict=False), AfterValidator(_in_range)]
"""An ISO 8601 time (a string, as RealtimeKit sends) within sane years."""
Text = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]
Url = Annotated[str, StringConstraints(max_length=4096, pattern=r"^https?://[^\x00\s]+$")]


def as_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive time from the vendor is read as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class WebhookMeeting(BaseModel):
    model_config = _CONFIG

    id: Text
    session_id: Text | None = None
    title: Text | None = None
    status: Text | None = None
    started_at: Instant | None = None
    ended_at: Instant | None = None


class WebhookParticipant(BaseModel):
    model_config = _CONFIG

    peer_id: Text | None = None
    user_display_name: Text | None = None
    custom_participant_id: Text | None = None
    joined_at: Instant | None = None
    left_at: Instant | None = None


class WebhookRecording(BaseModel):
    model_config = _CONFIG

    id: Text | None = None
    recording_id: Text | None = None
    status: Text | None = None
    download_url: Url | None = None
    meeting_id: Text | None = None


class WebhookPayload(BaseModel):
    """One delivery: `event` names it; the parts present depend on the event."""

    model_config = _CONFIG

    event: Text
    meeting: WebhookMeeting | None = None
    participant: WebhookParticipant | None = None
    recording: WebhookRecording | None = None
    reason: Text | None = None


def parse_payload(body: bytes) -> WebhookPayload:
    """The payload of a signed delivery; PayloadRefused (400/413/422) when it can never apply."""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadRefused(413, "payload too large")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise PayloadRefused(400, "malformed payload", "not JSON") from None
    try:
        return WebhookPayload.model_validate(data)
    except ValidationError as error:
        where = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors(include_url=False)
        )
        raise PayloadRefused(422, "payload not understood", where) from None

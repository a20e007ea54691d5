"""What Cloudflare RealtimeKit accepts and answers, read from Cloudflare's official SDK.

The PyPI package `cloudflare` (a dev dependency) is generated from Cloudflare's OpenAPI
description and ships, for every RealtimeKit call, a `*_params` TypedDict (what a request may
carry) and a `*_response` pydantic model (what the answer holds). The fake checks every request
body and query against the params (unknown keys refused, JSON types strict) and every answer it
gives against the response model, so it cannot drift from the published API.

Rules the SDK types do not carry are facts below, each with the page it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_type_hints

from cloudflare.types.realtime_kit import (
    meeting_add_participant_params,
    meeting_add_participant_response,
    meeting_create_params,
    meeting_create_response,
    meeting_delete_meeting_participant_response,
    meeting_edit_participant_params,
    meeting_edit_participant_response,
    meeting_get_meeting_by_id_response,
    meeting_get_meeting_participants_params,
    meeting_get_meeting_participants_response,
    meeting_refresh_participant_token_response,
    meeting_update_meeting_by_id_params,
    meeting_update_meeting_by_id_response,
    preset_get_params,
    preset_get_response,
    recording_get_active_recordings_response,
    recording_pause_resume_stop_recording_params,
    recording_pause_resume_stop_recording_response,
    recording_start_recordings_params,
    recording_start_recordings_response,
)
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

API_DOCS = "https://developers.cloudflare.com/api/resources/realtime_kit/"

PAGE_MINIMUM = 0
"""`page_no` and `per_page` have `minimum 0` and no maximum; where pages start is not said.
https://developers.cloudflare.com/api/resources/realtime_kit/subresources/meetings/methods/get_meeting_participants
"""

RECORDING_STATES = ("INVOKED", "RECORDING", "UPLOADING", "UPLOADED", "ERRORED", "PAUSED")
"""A new recording is `INVOKED`; it becomes `RECORDING` once the recorder joined the call.
`recording_start_recordings_response.Data.status`, `started_time` "usually a few seconds after
`invoked_time`" (SDK docstrings)."""

ACTIVE_RECORDING_STATES = ("INVOKED", "RECORDING", "PAUSED")
"""Recordings that `GET /recordings/active-recording/{meeting_id}` still reports [inference:
the docs call these active; UPLOADING/UPLOADED/ERRORED are over]."""

PERSIST_CHAT = "meeting chat would remain for a week within the meeting space"
"""`persist_chat` keeps the chat a week; chat on/off is a preset permission.
`meeting_create_params.MeetingCreateParams.persist_chat` (SDK docstring);
https://developers.cloudflare.com/realtime/realtimekit/concepts/preset/"""


class RequestRefused(Exception):
    """The vendor would answer 400: `message` says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _without(params: type, drop: frozenset[str]) -> TypeAdapter[Any]:
    """A validator of `params` minus its path parameters, refusing unknown keys."""
    hints = get_type_hints(params, include_extras=True)
    fields = {name: hint for name, hint in hints.items() if name not in drop}
    body = TypedDict(params.__name__, fields, total=False)  # type: ignore[misc]
    body.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    return TypeAdapter(body)


_PATH = frozenset({"account_id", "app_id", "meeting_id"})
_APP = frozenset({"account_id", "app_id"})


@dataclass(frozen=True)
class Operation:
    """One RealtimeKit call: what its body and query may hold, and its answer's model."""

    name: str
    response: type[BaseModel]
    body: TypeAdapter[Any] | None = None
    query: TypeAdapter[Any] | None = None

    def check_body(self, raw: bytes) -> Any:
        """The parsed body, or RequestRefused naming the first fault."""
        if self.body is None:
            if raw.strip() not in (b"", b"{}", b"null"):
                raise RequestRefused(f"{self.name} takes no body")
            return None
        try:
            return self.body.validate_json(raw or b"null", strict=True)
        except ValidationError as error:
            raise RequestRefused(_first(error)) from error

    def check_query(self, query: dict[str, str]) -> dict[str, Any]:
        """The parsed query (numbers as floats), or RequestRefused."""
        if self.query is None:
            if query:
                raise RequestRefused(f"{self.name} takes no query parameters")
            return {}
        try:
            parsed: dict[str, Any] = self.query.validate_python(query)
        except ValidationError as error:
            raise RequestRefused(_first(error)) from error
        for key in ("page_no", "per_page"):
            if key in parsed and parsed[key] < PAGE_MINIMUM:
                raise RequestRefused(f"{key} must be >= {PAGE_MINIMUM}")
        return parsed

    def check_answer(self, body: Any) -> None:
        """Raise AssertionError when the fake's own answer breaks the published shape."""
        try:
            self.response.model_validate(body)
        except ValidationError as error:
            message = f"fake answer to {self.name} breaks the SDK type: {error}"
            raise AssertionError(message) from error


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


_r = recording_pause_resume_stop_recording_params
OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation(
            "list_presets",
            preset_get_response.PresetGetResponse,
            query=_without(preset_get_params.PresetGetParams, _APP),
        ),
        Operation(
            "create_meeting",
            meeting_create_response.MeetingCreateResponse,
            body=_without(meeting_create_params.MeetingCreateParams, _APP),
        ),
        Operation("get_meeting", meeting_get_meeting_by_id_response.MeetingGetMeetingByIDResponse),
        Operation(
            "update_meeting",
            meeting_update_meeting_by_id_response.MeetingUpdateMeetingByIDResponse,
            body=_without(meeting_update_meeting_by_id_params.MeetingUpdateMeetingByIDParams, _APP),
        ),
        Operation(
            "list_participants",
            meeting_get_meeting_participants_response.MeetingGetMeetingParticipantsResponse,
            query=_without(
                meeting_get_meeting_participants_params.MeetingGetMeetingParticipantsParams, _PATH
            ),
        ),
        Operation(
            "add_participant",
            meeting_add_participant_response.MeetingAddParticipantResponse,
            body=_without(meeting_add_participant_params.MeetingAddParticipantParams, _PATH),
        ),
        Operation(
            "edit_participant",
            meeting_edit_participant_response.MeetingEditParticipantResponse,
            body=_without(meeting_edit_participant_params.MeetingEditParticipantParams, _PATH),
        ),
        Operation(
            "delete_participant",
            meeting_delete_meeting_participant_response.MeetingDeleteMeetingParticipantResponse,
        ),
        Operation(
            "refresh_token",
            meeting_refresh_participant_token_response.MeetingRefreshParticipantTokenResponse,
        ),
        Operation(
            "start_recording",
            recording_start_recordings_response.RecordingStartRecordingsResponse,
            body=_without(recording_start_recordings_params.RecordingStartRecordingsParams, _APP),
        ),
        Operation(
            "active_recording",
            recording_get_active_recordings_response.RecordingGetActiveRecordingsResponse,
        ),
        Operation(
            "recording_action",
            recording_pause_resume_stop_recording_response.RecordingPauseResumeStopRecordingResponse,
            body=_without(_r.RecordingPauseResumeStopRecordingParams, _APP),
        ),
    )
}

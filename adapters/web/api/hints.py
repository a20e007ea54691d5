"""The hints of API errors, in API terms: the core's neutral `Step`, worded as an API call.

A core error's `hint` is worded for the chat front ends (slash commands). The API never
shows that wording: an error naming a `Step` gets the API wording of the step below; an
error without one keeps its hint unless it names a chat command, in which case the API
points at its own documentation instead.
"""

from __future__ import annotations

import re

from core.errors import DojoError, Step
from core.recurrence import SERIES_HINT
from core.rules import CAPACITY_RANGE, DURATION_RANGE, TITLE_MAX

SESSIONS = "/api/training/sessions"
ONE = SESSIONS + "/{session_id}"
FALLBACK_HINT = "See /api/openapi.json for the operations and their fields."
CHAT_COMMAND = re.compile(r"(^|[\s(“\"])/[a-z][a-z-]*(?![a-z/-])")
"""A slash command such as `/update-session` (not a path such as /api/…: no slash after)."""

API_STEPS: dict[Step, str] = {
    Step.LIST_SESSIONS: f"List sessions with GET {SESSIONS}.",
    Step.SCHEDULE_SESSION: (
        f"Schedule a new session: POST {SESSIONS} with e.g. "
        '{"title": "Kata basics", "start_time": "2026-12-01T18:00:00+01:00"}.'
    ),
    Step.START_SESSION: f"Start it with POST {ONE}/start.",
    Step.CHANGE_SESSION: (f'Send the fields to change: PATCH {ONE} with e.g. {{"capacity": 30}}.'),
    Step.CREATE_EVENT: (
        'Leave "event_id" out, or use the id of an existing event '
        "(events are created from Slack, Discord or the terminal)."
    ),
    Step.FIX_TITLE: f'Send "title" as 1-{TITLE_MAX} characters, e.g. {{"title": "Kata basics"}}.',
    Step.FIX_DURATION: (
        f'Send "duration_minutes" as an integer from {DURATION_RANGE[0]} to {DURATION_RANGE[1]}, '
        'e.g. {"duration_minutes": 90}.'
    ),
    Step.FIX_CAPACITY: (
        f'Send "capacity" as an integer from {CAPACITY_RANGE[0]} to {CAPACITY_RANGE[1]} '
        f"(PATCH {ONE} with e.g. "
        '{"capacity": 30}), or {"unlimited": true} for no limit.'
    ),
    Step.FIX_START_TIME: (
        'Send "start_time" as a future RFC 3339 date-time within two years, '
        'e.g. {"start_time": "2026-12-01T18:00:00+01:00"}.'
    ),
}


SERIES_API_HINT = (
    "Send the timetable as e.g. "
    '{"weekdays": ["mon", "wed"], "local_time": "17:30", "until": "2027-06-30"} '
    '(or "weeks": 12) to POST /api/training/series.'
)

CHAT_SERIES = re.compile(r"/(classes|class|update-class)\b")
SERIES_LIST_HINT = (
    "List weekly classes with GET /api/training/series; "
    "one with its class days: GET /api/training/series/{series_id}."
)

_CHAT = r"(?:^|[\s(“\"])"
"""What comes before a chat command (not a path: `/api/me/forget` is no `/forget`)."""
MEMBER_API_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(_CHAT + r"/link remove"),
        "DELETE /api/me/link first, then POST /api/me/link again with the same code.",
    ),
    (
        re.compile(_CHAT + r"/link\b(?!-)"),
        "Get a code with POST /api/me/link-code (or /link in chat) on your other account, "
        'then POST /api/me/link with {"code": "…"} here.',
    ),
    (
        re.compile(_CHAT + r"/forget(-me)?\b"),
        "Start again with POST /api/me/forget (admins: POST /api/members/{member_id}/forget).",
    ),
    (re.compile(_CHAT + r"/profile\b"), "GET /api/me shows your profile and its id."),
    (
        re.compile(_CHAT + r"/sessions mine lists"),
        "Cancel them first: DELETE /api/training/sessions/{session_id} and "
        "DELETE /api/training/series/{series_id} (GET /api/training/sessions?instructor_id=… "
        "and GET /api/training/series list them).",
    ),
)
"""Member errors' chat hints (`core.member_use_cases`), worded as API calls."""


def api_hint(error: DojoError) -> str | None:
    """What an API client should do about `error`, in API terms."""
    for chat, api in MEMBER_API_HINTS:
        if error.hint and chat.search(error.hint):
            return api
    if error.hint and SERIES_HINT in error.hint:  # a weekly class's timetable, chat syntax
        return SERIES_API_HINT
    if error.hint and CHAT_SERIES.search(error.hint):
        return SERIES_LIST_HINT
    if error.step is not None:
        text = API_STEPS[error.step]
        return text.replace("{session_id}", error.session_id) if error.session_id else text
    if error.hint and CHAT_COMMAND.search(error.hint):
        return FALLBACK_HINT
    return error.hint

"""RealtimeKit failures as core errors: the user reads our words, the log keeps the vendor's."""

from __future__ import annotations

from core.errors import InvalidState, RoomUnavailable

TOKEN_HINT = (
    "Check DOJOBOT_REALTIMEKIT__API_TOKEN: a Cloudflare API token with the Realtime Admin "
    "permission on this account (and the account and app ids)."
)


class RealtimeKitApiError(RoomUnavailable):
    """A RealtimeKit call failed; `status` is the HTTP status (None: no response at all)."""

    def __init__(self, message: str, hint: str | None, status: int | None) -> None:
        super().__init__(message, hint)
        self.status = status


def api_error(status: int | None, action: str) -> RealtimeKitApiError:
    """The error for a failed call that was trying to `action` (e.g. "create the meeting")."""
    code = "no response" if status is None else f"HTTP {status}"
    if status in (401, 403):
        message = (
            f"Cloudflare RealtimeKit refused dojobot's API token ({code}): could not {action}."
        )
        return RealtimeKitApiError(message, TOKEN_HINT, status)
    if status == 404:
        message = f"Cloudflare RealtimeKit doesn't know this room ({code}): could not {action}."
        return RealtimeKitApiError(message, "The room may have been removed; ask an admin.", status)
    if status == 429:
        message = f"Cloudflare RealtimeKit is rate-limiting dojobot ({code}): could not {action}."
        return RealtimeKitApiError(message, "Try again in a few minutes.", status)
    if status is None or status >= 500:
        message = f"Cloudflare RealtimeKit is unavailable ({code}): could not {action}."
        return RealtimeKitApiError(message, "Try again in a minute.", status)
    message = f"Cloudflare RealtimeKit rejected the request ({code}): could not {action}."
    return RealtimeKitApiError(message, "The details are in dojobot's log.", status)


def recording_refused(error: RealtimeKitApiError) -> InvalidState | RealtimeKitApiError:
    """A 4xx on starting a recording usually means nobody is in the call yet."""
    if error.status is not None and 400 <= error.status < 500 and error.status not in (401, 403):
        return InvalidState(
            "RealtimeKit could not start recording: the call isn't running.",
            "Recording starts once someone is in the room; join first, then try again.",
        )
    return error


def no_recording() -> InvalidState:
    """Stopping when nothing is being recorded."""
    return InvalidState("No recording is running.", "Start one with /recording <id> start.")

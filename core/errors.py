"""One error hierarchy; every error carries the message a user should read."""

from __future__ import annotations

from enum import StrEnum

from core.i18n import joined, t


class Step(StrEnum):
    """The next step an error suggests, independent of where it is read.

    `DojoError.hint` words the step for the chat front ends (slash commands); the REST API
    words the same step as an API call, so neither surface reads the other's syntax.
    """

    LIST_SESSIONS = "list_sessions"
    SCHEDULE_SESSION = "schedule_session"
    START_SESSION = "start_session"
    CHANGE_SESSION = "change_session"
    CREATE_EVENT = "create_event"
    FIX_TITLE = "fix_title"
    FIX_DURATION = "fix_duration"
    FIX_CAPACITY = "fix_capacity"
    FIX_START_TIME = "fix_start_time"


class DojoError(Exception):
    """Base error: `message` is shown to the user; `hint` says what to type instead (both
    English, usually `core.i18n` texts that front ends render in the reader's language).

    `step` (with the `session_id` it concerns) names the suggested next step neutrally,
    for surfaces that word it differently from the chat hint.
    """

    code = "error"

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        step: Step | None = None,
        session_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.step = step
        self.session_id = session_id

    def user_text(self) -> str:
        """The message followed by its hint, ready to show (a `core.i18n.Text` when they
        are: `localize` it for the reader)."""
        return self.message if not self.hint else joined([self.message, self.hint])


class InvalidInput(DojoError):
    """The request is malformed or breaks a rule about its values."""

    code = "invalid_input"


class NotFound(DojoError):
    code = "not_found"


class PermissionDenied(DojoError):
    code = "forbidden"


class InvalidState(DojoError):
    """The request is valid but the session's current state does not allow it."""

    code = "conflict"


class Contention(InvalidState):
    """The store gave up on a write that crossed another at the same moment (a PostgreSQL
    deadlock or serialization failure): nothing was written; the same request may be made
    again."""


class RoomUnavailable(DojoError):
    """The video provider could not create, open or delete a room."""

    code = "room_unavailable"


class DeliveryRefused(DojoError):
    """The chat platform refused a message (e.g. a member's DMs are closed)."""

    code = "delivery_refused"


class RateLimited(DojoError):
    """The chat platform asked us to slow down and its client gave up retrying.

    Not a refusal: the same message may be sent again after `retry_after` seconds.
    """

    code = "rate_limited"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message, t("Try again in a moment."))
        self.retry_after = max(retry_after, 0.0)


class StartRefused(Exception):
    """A process cannot start: a part it needs refused it or cannot be reached.

    `message` is the one line to print (it names the setting to check). `variable` names
    the setting at fault when the refusal is a configuration mistake (the command line then
    exits 2); None for an outage (exit 1: the settings may be right, try again later).
    """

    def __init__(self, message: str, variable: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.variable = variable

"""One error hierarchy; every error carries the message a user should read."""

from __future__ import annotations


class DojoError(Exception):
    """Base error: `message` is shown to the user; `hint` says what to type instead."""

    code = "error"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def user_text(self) -> str:
        """The message followed by its hint, ready to show."""
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


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


class RoomUnavailable(DojoError):
    """The video provider could not create, open or delete a room."""

    code = "room_unavailable"


class DeliveryRefused(DojoError):
    """The chat platform refused a message (e.g. a member's DMs are closed)."""

    code = "delivery_refused"

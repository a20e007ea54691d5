"""The ids that tie a log line to the work it belongs to: request, delivery and session.

Plain `contextvars` (stdlib only), so adapters and the core set them and the logging set-up
(bot/logging_setup.py) reads them without either knowing the other. A task started with
`asyncio.create_task` inherits the ids of the code that started it; work queued for later
carries a `snapshot()` and runs under `bound(**snapshot.fields())`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import asdict, dataclass

_REQUEST: ContextVar[str | None] = ContextVar("dojobot_request_id", default=None)
_DELIVERY: ContextVar[str | None] = ContextVar("dojobot_delivery_id", default=None)
_SESSION: ContextVar[str | None] = ContextVar("dojobot_session_id", default=None)

MAX_ID_LENGTH = 64
_SANE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,64}$")


@dataclass(frozen=True)
class LogIds:
    """The ids in effect; None where unset."""

    request_id: str | None = None
    delivery_id: str | None = None
    session_id: str | None = None

    def fields(self) -> dict[str, str | None]:
        """As keyword arguments for `bound`."""
        return asdict(self)


def current() -> LogIds:
    """The ids in effect in this context."""
    return LogIds(_REQUEST.get(), _DELIVERY.get(), _SESSION.get())


snapshot = current
"""The ids to carry to work that runs later (`bound(**snapshot().fields())`)."""


def new_request_id() -> str:
    """A fresh random request id (16 hex digits)."""
    return secrets.token_hex(8)


def sane_id(value: str | None) -> str | None:
    """`value` if it is a usable id from outside (bounded length and charset), else None."""
    if value is None:
        return None
    value = value.strip()
    return value if _SANE.match(value) else None


def set_request_id(value: str | None) -> None:
    """Set the request id for the rest of this context (a task, or a `bound` block)."""
    _REQUEST.set(value)


def set_session_id(value: str | None) -> None:
    """Set the session id for the rest of this context (a task, or a `bound` block)."""
    _SESSION.set(value)


def set_delivery_id(value: str | None) -> None:
    """Set the delivery id for the rest of this context (a task, or a `bound` block)."""
    _DELIVERY.set(value)


@contextmanager
def bound(
    *,
    request_id: str | None = None,
    delivery_id: str | None = None,
    session_id: str | None = None,
) -> Iterator[LogIds]:
    """Within the block, exactly these ids are in effect (the others unset); every id set
    inside, here or by `set_*`, is undone on leaving."""
    tokens: list[tuple[ContextVar[str | None], Token[str | None]]] = [
        (_REQUEST, _REQUEST.set(request_id)),
        (_DELIVERY, _DELIVERY.set(delivery_id)),
        (_SESSION, _SESSION.set(session_id)),
    ]
    try:
        yield current()
    finally:
        for var, token in reversed(tokens):
            var.reset(token)

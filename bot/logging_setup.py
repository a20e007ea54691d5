"""Logging of every dojobot process: one handler on the root logger, human-readable text or
one JSON object per line (`DOJOBOT_LOG_FORMAT=json`), with the process role and the request,
delivery and session ids of core/log_context.py, every record scrubbed of secrets first
(bot/log_redaction.py)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TextIO

from bot.log_redaction import RedactingFilter, Redactor, secrets_of
from core import log_context

if TYPE_CHECKING:
    from bot.settings import Settings

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"
ID_FIELDS = ("request_id", "delivery_id", "session_id")


class ContextFilter(logging.Filter):
    """Stamps each record with the process role and the ids in effect where it was made."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def filter(self, record: logging.LogRecord) -> bool:
        record.role = self.role
        ids = log_context.current()
        for name in ID_FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, getattr(ids, name))
        return True


class TextFormatter(logging.Formatter):
    """`LEVEL logger: message`, then the ids that are set: `[request_id=… session_id=…]`."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        ids = [f"{n}={v}" for n in ID_FIELDS if (v := getattr(record, n, None)) is not None]
        return f"{line} [{' '.join(ids)}]" if ids else line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC ISO-8601), level, logger, message, role, the ids
    that are set, and `exc_info` / `stack_info` (rendered text) when there are any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "role": getattr(record, "role", None),
        }
        for name in ID_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _DojobotHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure` installs (recognised, and replaced, on a second call)."""


def configure(
    settings: Settings | None,
    role: str,
    *,
    level: str | int | None = None,
    fmt: LogFormat | None = None,
    stream: TextIO | None = None,
    extra_secrets: tuple[str, ...] = (),
) -> logging.Handler:
    """Install dojobot's handler on the root logger (replacing one installed before).

    Level and format default to the settings' (`log_level`, `log_format`); `stream` to
    stderr. Every `SecretStr` of the settings, `extra_secrets`, and the room names of Jitsi
    links are scrubbed from every line. Uncaught exceptions and warnings are logged through it too.
    """
    if level is None:
        level = settings.log_level if settings is not None else "WARNING"
    if fmt is None:
        fmt = settings.log_format if settings is not None else "text"
    known = [*(secrets_of(settings) if settings is not None else []), *extra_secrets]
    handler = _DojobotHandler(stream if stream is not None else sys.stderr)
    handler.addFilter(ContextFilter(role))
    rooms = [settings.jitsi.base_url] if settings is not None else []
    handler.addFilter(RedactingFilter(Redactor(known, rooms)))
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _DojobotHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    return handler


def unconfigure(handler: logging.Handler) -> None:
    """Remove a handler `configure` installed (tests)."""
    logging.getLogger().removeHandler(handler)
    logging.captureWarnings(False)
    sys.excepthook = sys.__excepthook__


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("bot").critical("uncaught exception", exc_info=(kind, error, trace))

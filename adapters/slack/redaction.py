"""Personal join links never reach a log: slack_sdk and Bolt log whole requests at DEBUG.

A join link (`…/join/<token>`) or a room link carrying a token (`#jwt=…`, `?authToken=…`)
lets whoever holds it into a session as its member, so the Slack libraries' log records
have them replaced by `[redacted]` before any handler sees them.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
LIBRARY_LOGGERS = ("slack_sdk", "slack_bolt")
_SECRETS = [
    re.compile(r"((?:/|\\/)join(?:/|\\/))[A-Za-z0-9_\-.%]+"),
    re.compile(r"((?:jwt|token|authToken|auth_token)=)[^&\s\"'#<>|\\]+", re.IGNORECASE),
]


def redact(text: str) -> str:
    """`text` with every join-link token and room-link token replaced by `[redacted]`."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
    return text


class JoinLinkRedactor(logging.Filter):
    """Rewrites a log record's message with `redact` (the record is kept, never dropped)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the logging machinery
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


REDACTOR = JoinLinkRedactor()
LIBRARY_LOG = logging.getLogger("adapters.slack.library")
"""The logger every slack_sdk client and the Bolt app are given: it carries the redactor."""
LIBRARY_LOG.addFilter(REDACTOR)


def redact_library_logs() -> None:
    """Attach the redactor to every slack_sdk and slack_bolt logger that exists now.

    Logger filters apply only to records created on that very logger, so each one gets it
    (idempotent; call after the Slack clients are built, when their loggers exist).
    """
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        library = name.split(".")[0] in LIBRARY_LOGGERS
        if library and isinstance(logger, logging.Logger) and REDACTOR not in logger.filters:
            logger.addFilter(REDACTOR)

"""A session's status in words, for the sentences that name it."""

from __future__ import annotations

from core.i18n import Text, t
from core.model import SessionStatus

_WORDS: dict[SessionStatus, Text] = {
    SessionStatus.SCHEDULED: t("scheduled"),
    SessionStatus.LIVE: t("live"),
    SessionStatus.ENDED: t("ended"),
    SessionStatus.CANCELED: t("canceled"),
    SessionStatus.NOT_HELD: t("not_held"),
}
"""The English of each is the enum's value, as the texts have always written it."""


def status_text(status: SessionStatus) -> str:
    """The status as a catalogue message (its value for a status without one)."""
    return _WORDS.get(status, status.value)

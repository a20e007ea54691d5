"""The verified training ledger: one entry per member × session, from real presence.

After a session ends, every member who was in the room (or was going) gets an entry: the
minutes they were present (stays merged, so a rejoin counts once) and whether that counts
as attended (present for at least `TrainingRules.attended_share` of the session). The
instructor (or an admin) may confirm or overrule it (`Verdict`); who did, and when, is kept.
The ledger is what `/training-log`, `/progress`, the exports and the charts read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import Field, field_validator

from core.model import Model, ensure_utc


@dataclass(frozen=True)
class TrainingRules:
    """The association's training-record settings (`DOJOBOT_TRAINING__…`)."""

    attended_share: float = 0.75
    """Present for at least this share of the session's length counts as attended."""


class Verdict(StrEnum):
    PRESENT = "present"
    """The instructor (or an admin) confirmed the member attended."""
    ABSENT = "absent"
    """The instructor (or an admin) recorded the member did not attend."""


class LedgerEntry(Model):
    """One member's record of one ended session.

    `attended` is the effective answer (a verdict wins over the minutes); `seconds_present`
    is what the room (or the join link, with Jitsi) showed, merged; `session_seconds` the
    session's held length (started → ended, else its planned duration). `title`, `tags`,
    `series_id`, `instructor_id` and `starts_at` are copied from the session so the ledger
    is read without joins.
    """

    session_id: str
    member_id: str
    member_name: str
    title: str
    series_id: str | None = None
    tags: list[str] = Field(default_factory=list)
    instructor_id: str
    starts_at: datetime
    session_seconds: int = Field(ge=0)
    seconds_present: int = Field(ge=0)
    attended: bool
    verdict: Verdict | None = None
    verdict_by: str | None = None
    verdict_at: datetime | None = None
    recorded_at: datetime

    @field_validator("starts_at", "verdict_at", "recorded_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)

    @property
    def minutes_present(self) -> int:
        """Whole minutes present."""
        return self.seconds_present // 60


def counts_as_attended(
    seconds_present: int, session_seconds: int, verdict: Verdict | None, rules: TrainingRules
) -> bool:
    """The one attended rule: a verdict decides; otherwise present for at least
    `attended_share` of the session (a zero-length session needs any presence)."""
    if verdict is not None:
        return verdict is Verdict.PRESENT
    if session_seconds <= 0:
        return seconds_present > 0
    return seconds_present >= rules.attended_share * session_seconds


class LedgerQuery(Model):
    """Which ledger entries to read (every given filter applies; None: any).

    `since` inclusive, `until` exclusive, both on `starts_at`. Entries come ordered by
    `starts_at`, then session id, then member id.
    """

    member_ids: list[str] | None = None
    session_id: str | None = None
    series_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)


def entry_rank(entry: LedgerEntry) -> tuple[bool, bool, int]:
    """Higher is better: attended, then decided by a verdict, then more time present."""
    return (entry.attended, entry.verdict is not None, entry.seconds_present)


def better_entry(kept: LedgerEntry, other: LedgerEntry) -> LedgerEntry:
    """The entry that survives when one member holds two for the same session (linking
    identities): the attended one, else the one a person decided, else the longer stay;
    `kept` on a tie."""
    return other if entry_rank(other) > entry_rank(kept) else kept


def saved_over(stored: LedgerEntry | None, fresh: LedgerEntry) -> LedgerEntry:
    """What `save_ledger` stores for `fresh` when `stored` exists: the fresh minutes and
    session copy, the stored verdict (and the `attended` it decided). Every store uses it."""
    if stored is None or stored.verdict is None:
        return fresh
    return fresh.model_copy(
        update={
            "verdict": stored.verdict,
            "verdict_by": stored.verdict_by,
            "verdict_at": stored.verdict_at,
            "attended": stored.attended,
        }
    )


VERDICT_FIELDS = ("verdict", "verdict_by", "verdict_at", "attended")
"""What `set_verdict` writes over a stored entry (the verdict decides `attended`)."""


def verdict_over(stored: LedgerEntry | None, decided: LedgerEntry) -> LedgerEntry:
    """What `set_verdict` stores for `decided` when `stored` exists: the stored minutes and
    session copy (the end may have recorded them after the decider read the entry), the
    decided verdict. Every store uses it."""
    if stored is None:
        return decided
    return stored.model_copy(update={name: getattr(decided, name) for name in VERDICT_FIELDS})


def tags_text(tags: list[str]) -> str:
    """Tags as stored (SQL, exports): their JSON text."""
    return json.dumps(tags, ensure_ascii=False)


def text_tags(text: str) -> list[str]:
    """Tags back from their stored JSON text."""
    found = json.loads(text)
    if not isinstance(found, list) or not all(isinstance(t, str) for t in found):
        raise ValueError(f"tags must be the JSON text of a list of strings, not {text!r}")
    return found

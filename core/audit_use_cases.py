"""The audit use cases of `SessionService` (mixed into it): recording every admin and
instructor action, and reading the log (admins only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from core.audit import AuditAction, AuditEntry, AuditRules
from core.audit_read_use_cases import AuditReadUseCases
from core.audit_values import changed, json_value
from core.ids import new_id
from core.model import Member, TrainingSession
from core.ports import SessionStore

CLOCK_FRONT_END = "clock"
"""The front end named for what the core does by itself (overdue ends, default cancels)."""


SCHEDULED_FIELDS = (
    *("title", "start_time", "duration_minutes", "capacity", "min_going", "min_decide_minutes"),
    *("recording_enabled", "chat_enabled", "visibility", "tags", "event_id", "description"),
    "series_id",
)
"""What a SCHEDULE entry records of the new session (its `after`)."""


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def entry_id(at: datetime) -> str:
    """A new entry's id: `at` in microseconds, base 36, fixed width (so ids sort like
    their instants), then 5 random characters: 17 characters, short enough for a "More"
    button's command line on every platform."""
    micros = (at - _EPOCH) // timedelta(microseconds=1)
    digits = ""
    while micros:
        micros, digit = divmod(micros, 36)
        digits = _DIGITS[digit] + digits
    return f"{digits:0>11}-{new_id(5)}"


class Audits(Protocol):
    """`_audit`'s signature, for the other use-case mixins to declare (an annotation only:
    `AuditUseCases._audit` answers)."""

    async def __call__(
        self,
        actor: Member | None,
        action: AuditAction,
        target: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None: ...


class AuditChanges(Protocol):
    """`_audit_changes`' signature, for the other use-case mixins to declare."""

    async def __call__(
        self, actor: Member, target: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None: ...


def scheduled_fields(session: TrainingSession) -> dict[str, Any]:
    """A new session's options as the SCHEDULE entry's `after` (JSON values)."""
    return {name: json_value(getattr(session, name)) for name in SCHEDULED_FIELDS}


class AuditUseCases(AuditReadUseCases):
    """Writes the audit log; every use case that changes something on behalf of an
    instructor or admin calls `_audit` once the change is stored."""

    _store: SessionStore
    _audit_rules: AuditRules

    def now(self) -> datetime:
        raise NotImplementedError

    async def _audit(
        self,
        actor: Member | None,
        action: AuditAction,
        target: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Append one entry: `actor` None is the core itself (the clock). `before`/`after`
        hold only what changed, as JSON values."""
        now = self.now()
        entry = AuditEntry(
            id=entry_id(now),
            at=now,
            actor_id=actor.id if actor is not None else CLOCK_FRONT_END,
            actor_name=actor.display_name if actor is not None else CLOCK_FRONT_END,
            front_end=(actor.front_end or "unknown") if actor is not None else CLOCK_FRONT_END,
            action=action,
            target=target,
            before=json_value(before or {}),
            after=json_value(after or {}),
        )
        await self._store.append_audit(entry)

    async def _audit_session_change(
        self, actor: Member, old: TrainingSession, new: TrainingSession, names: list[str]
    ) -> None:
        """An update of `names` of a session (see `_audit_changes`)."""
        await self._audit_changes(
            actor, new.id, {n: getattr(old, n) for n in names}, {n: getattr(new, n) for n in names}
        )

    async def _audit_changes(
        self, actor: Member, target: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        """A change of `target`: a changed capacity as one CAPACITY entry, the other changed
        fields as one UPDATE entry (only what differs, before → after); nothing if equal."""
        before, after = changed(old, new)
        if "capacity" in before:
            await self._audit(
                actor,
                AuditAction.CAPACITY,
                target,
                before={"capacity": before.pop("capacity")},
                after={"capacity": after.pop("capacity")},
            )
        if before:
            await self._audit(actor, AuditAction.UPDATE, target, before=before, after=after)

    async def _prune_audit(self, now: datetime) -> int:
        """The daily clean-up: drop entries older than the retention (`AuditRules.kept_for`)."""
        return await self._store.drop_audit(now - self._audit_rules.kept_for)

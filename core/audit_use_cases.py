"""The audit use cases of `SessionService` (mixed into it): recording every admin and
instructor action, and reading the log (admins only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.audit import AuditAction, AuditEntry, AuditRules
from core.ids import new_id
from core.model import Member
from core.ports import SessionStore

CLOCK_FRONT_END = "clock"
"""The front end named for what the core does by itself (overdue ends, default cancels)."""


class AuditUseCases:
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
            id=f"{now:%Y%m%dT%H%M%S%f}-{new_id(6)}",  # sorts like `at`
            at=now,
            actor_id=actor.id if actor is not None else CLOCK_FRONT_END,
            actor_name=actor.display_name if actor is not None else CLOCK_FRONT_END,
            front_end=(actor.front_end or "unknown") if actor is not None else CLOCK_FRONT_END,
            action=action,
            target=target,
            before=before or {},
            after=after or {},
        )
        await self._store.append_audit(entry)

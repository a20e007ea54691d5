"""The audit command of the shared grammar (`core.audit_grammar`).

/audit [csv] [actor <member-id>] [action <name>] [session <id> | target <id>]
       [from YYYY-MM-DD] [to YYYY-MM-DD] [before <entry-id>]
    admins: the audit log, newest first, 10 a page (csv: the whole selection as a file)
"""

from __future__ import annotations

from datetime import date

from core.audit import AuditAction
from core.model import Model


class ShowAudit(Model):
    """Every given filter applies; `since`/`until` are days in the reader's time zone;
    `before_id` continues after that entry (the "More" button)."""

    actor_id: str | None = None
    action: AuditAction | None = None
    target: str | None = None
    since: date | None = None
    until: date | None = None
    """The last day (inclusive)."""
    before_id: str | None = None
    csv: bool = False

    def line(self, before_id: str | None = None) -> str:
        """The command line of this selection (continued after `before_id` when given)."""
        words = ["/audit"]
        for word, value in (
            ("actor", self.actor_id),
            ("action", None if self.action is None else self.action.value),
            ("target", self.target),
            ("from", None if self.since is None else self.since.isoformat()),
            ("to", None if self.until is None else self.until.isoformat()),
            ("before", before_id),
        ):
            if value is not None:
                words += [word, value]
        return " ".join(words)


AuditCommand = ShowAudit

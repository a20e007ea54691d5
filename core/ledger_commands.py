"""The training-ledger commands of the shared grammar (`core.ledger_grammar`).

/mark-absent <id> <member>       the session's instructor (or an admin): they were not there
/training-log [member]           your training record (staff: anyone's)

(`/mark-present <id> <member>` is the no-show command, which also sets the ledger's verdict.)
"""

from __future__ import annotations

from core.model import Model


class MarkAbsent(Model):
    session_id: str
    member_id: str


class ShowTrainingLog(Model):
    member_id: str | None = None
    """None: the member asking."""


LedgerCommand = MarkAbsent | ShowTrainingLog

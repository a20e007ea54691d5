"""Migration 10 (the training record) in four parts, one per feature, applied in order.

Each part alters an existing version-9 database to what `adapters.sql.schema` now declares
for its feature (a fresh database gets the whole schema at once and skips these). Parts
only add tables (with their indexes and, for the audit log, the trigger that keeps it
append-only); no row is rewritten.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from adapters.sql.schema import audit_log, create_audit_guard
from adapters.sql.schema import rank_promotions as rank_promotions_table


def ledger(connection: Connection) -> None:
    """The verified training ledger (a new table, with its indexes)."""
    from adapters.sql.schema import training_ledger

    training_ledger.create(connection, checkfirst=True)


def rank_promotions(connection: Connection) -> None:
    """Rank promotions (a new table, with its index)."""
    rank_promotions_table.create(connection, checkfirst=True)


def audit(connection: Connection) -> None:
    """The append-only audit log (a new table, its indexes and the trigger refusing
    UPDATE)."""
    audit_log.create(connection, checkfirst=True)
    create_audit_guard(connection)  # idempotent: also when the table was already there


def feeds(connection: Connection) -> None:
    """Personal calendar feeds: their secret tokens' hashes (a new table), and RSVPs
    indexed by member (a feed lists a member's sessions)."""
    from adapters.sql.schema import RSVP_MEMBER_INDEX, calendar_feeds, rsvps

    calendar_feeds.create(connection, checkfirst=True)
    (index,) = (i for i in rsvps.indexes if i.name == RSVP_MEMBER_INDEX)
    index.create(connection, checkfirst=True)


def training_record(connection: Connection) -> None:
    """Migration 10: every part, in order."""
    for part in (ledger, rank_promotions, audit, feeds):
        part(connection)

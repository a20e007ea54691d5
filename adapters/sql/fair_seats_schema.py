"""Migration 9 (fair seats) in four parts, one per feature, applied in this order.

Each part alters an existing version-8 database to what `adapters.sql.schema` now declares
for its feature (a fresh database gets the whole schema at once and skips these). Parts
only add: columns (nullable or with a server default) and tables; no row is rewritten.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from adapters.sql.schema import (
    MIN_ATTENDANCE_COLUMNS,
    RSVP_OFFER_INDEX,
    min_attendance_decisions,
    rsvps,
    seat_marks,
    substitute_requests,
    training_sessions,
)


def offers(connection: Connection) -> None:
    """Waitlist offers: the RSVP's offer deadline, indexed with the status (open offers by
    deadline)."""
    columns = {c["name"] for c in inspect(connection).get_columns("rsvps")}
    if "offer_expires_at" not in columns:
        kind = rsvps.c.offer_expires_at.type.compile(dialect=connection.dialect)
        connection.execute(text(f"ALTER TABLE rsvps ADD COLUMN offer_expires_at {kind}"))
    (index,) = (i for i in rsvps.indexes if i.name == RSVP_OFFER_INDEX)
    index.create(connection, checkfirst=True)


def min_attendance(connection: Connection) -> None:
    """Minimum attendance: a session's minimum and decision lead (nullable columns), and
    its decision (a new table, with its index)."""
    columns = {c["name"] for c in inspect(connection).get_columns("training_sessions")}
    for name in MIN_ATTENDANCE_COLUMNS:
        if name not in columns:
            kind = training_sessions.c[name].type.compile(dialect=connection.dialect)
            connection.execute(text(f"ALTER TABLE training_sessions ADD COLUMN {name} {kind}"))
    min_attendance_decisions.create(connection, checkfirst=True)


def no_shows(connection: Connection) -> None:
    """The no-show policy: seat marks (no-show, late cancel, marked present) and waivers
    (a new table, with its indexes)."""
    seat_marks.create(connection, checkfirst=True)


def substitutes(connection: Connection) -> None:
    """Substitute instructors: requests and who accepted (a new table, with its index)."""
    substitute_requests.create(connection, checkfirst=True)


def fair_seats(connection: Connection) -> None:
    """Migration 9: every part, in order."""
    for part in (offers, min_attendance, no_shows, substitutes):
        part(connection)

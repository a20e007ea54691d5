"""Migration 9 (fair seats) in four parts, one per feature, applied in this order.

Each part alters an existing version-8 database to what `adapters.sql.schema` now declares
for its feature (a fresh database gets the whole schema at once and skips these). Parts
only add: columns (nullable or with a server default) and tables; no row is rewritten.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from adapters.sql.schema import rsvps


def offers(connection: Connection) -> None:
    """Waitlist offers: the RSVP's offer deadline."""
    columns = {c["name"] for c in inspect(connection).get_columns("rsvps")}
    if "offer_expires_at" not in columns:
        kind = rsvps.c.offer_expires_at.type.compile(dialect=connection.dialect)
        connection.execute(text(f"ALTER TABLE rsvps ADD COLUMN offer_expires_at {kind}"))


def min_attendance(connection: Connection) -> None:
    """Minimum attendance: a session's minimum and its decision."""


def no_shows(connection: Connection) -> None:
    """The no-show policy: seat marks (no-show, late cancel, marked present) and waivers."""


def substitutes(connection: Connection) -> None:
    """Substitute instructors: requests and who accepted."""


def fair_seats(connection: Connection) -> None:
    """Migration 9: every part, in order."""
    for part in (offers, min_attendance, no_shows, substitutes):
        part(connection)

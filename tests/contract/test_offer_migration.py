"""SQL migration 9, its offers part, on SQLite and PostgreSQL: a version-8 database (RSVPs
without an offer deadline) keeps every RSVP — going, waitlisted, left, in their positions —
and takes offers at once: the deadline column and the status/deadline index."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.schema import RSVP_OFFER_INDEX
from core.model import RsvpStatus
from core.offers import ClaimOutcome
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import T0, make_version_8

DEADLINE = T0 + timedelta(hours=2)
GOING = [(member, member.title()) for member in ("ana", "bo", "cy", "di", "ed")]
UNDO = [f"DROP INDEX {RSVP_OFFER_INDEX}", "ALTER TABLE rsvps DROP COLUMN offer_expires_at"]


def offer_schema(connection: Connection) -> tuple[set[str], set[str]]:
    """The names of `rsvps`' columns and indexes."""
    inspector = inspect(connection)
    columns = {c["name"] for c in inspector.get_columns("rsvps")}
    indexes = {str(i["name"]) for i in inspector.get_indexes("rsvps")}
    return columns, indexes


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_8_keeps_its_rsvps_and_takes_offers(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        # a session of two seats, two going, two waitlisted, one who left; `rsvps` without
        # `offer_expires_at` nor its index
        _, kept = await make_version_8(url, capacity=2, undo=UNDO, going=GOING, left=["ed"])
        assert [r.status for r in kept] == [
            RsvpStatus.GOING,
            RsvpStatus.GOING,
            RsvpStatus.WAITLISTED,
            RsvpStatus.WAITLISTED,
            RsvpStatus.LEFT,
        ]
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                columns, indexes = await connection.run_sync(offer_schema)
            assert "offer_expires_at" in columns and RSVP_OFFER_INDEX in indexes
            assert await store.list_rsvps("s1") == kept  # every row, deadline None
            assert await store.next_offer_lapse() is None
            # offers work at once on the migrated rows
            await store.rsvp_leave("s1", "terminal:ana", T0 + timedelta(minutes=2), promote=False)
            (offer,) = await store.offer_seats("s1", T0, DEADLINE, frozenset())
            assert offer.member_id == "terminal:cy" and offer.position == 3
            assert await store.next_offer_lapse() == DEADLINE
            claim = await store.claim_seat("s1", "terminal:cy", DEADLINE, open_to_all=False)
            assert claim.outcome is ClaimOutcome.EXPIRED
        finally:
            await store.close()

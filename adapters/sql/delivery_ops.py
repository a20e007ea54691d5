"""Delivery claims in bulk: conditional writes that stay correct under concurrency.

A delivery is keyed by session × recipient × kind × start time (`DeliveryKey`).

Each write is one `INSERT … ON CONFLICT (key) DO UPDATE … WHERE …` executed over a list of
rows (executemany): a new key is inserted, an existing one is updated only when the WHERE
holds on the stored row. With RETURNING, a claim gets back exactly the rows it inserted or
updated, whichever the reason, with their attempts (more than one: claimed before and never
recorded sent, so the message may have gone out; no read of its own). PostgreSQL locks a
conflicting row and evaluates the WHERE on its latest version, so two claimers of one stale
key cannot both win; SQLite's write lock (`BEGIN IMMEDIATE`) serialises claimers anyway.

The statements are built once per dialect and take every value as a bound parameter, so
SQLAlchemy compiles each once per engine (a statement rebuilt per call with the keys inlined,
as multi-row VALUES or OR-ed matches, was compiled anew every time: 10–60 ms per 100 keys).

Keys of unknown sessions are refused by the foreign key (no lookup beforehand): the write
fails with an IntegrityError and the store, after the rollback, names the missing session.
Rows are written in key order, so that concurrent PostgreSQL writers lock rows in one order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Executable, bindparam, case, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.engine import Upsert, upsert
from adapters.sql.schema import deliveries
from core.model import DeliveryKey
from core.ports import RELEASED_CLAIM

_d = deliveries.c
_KEY = (_d.session_id, _d.recipient_id, _d.kind, _d.start_time)


@cache
def _claim_statement(dialect_name: str) -> Executable:
    """Insert new keys; re-claim unsent ones claimed at or before `:stale_before`. A row
    given a `sent_at` records its key sent instead, as `_mark_sent_statement` does, so one
    statement records a group sent and claims the next."""
    statement = upsert(dialect_name, deliveries)
    recording = statement.excluded.sent_at.is_not(None)
    return statement.on_conflict_do_update(
        index_elements=list(_KEY),
        set_={
            "sent_at": statement.excluded.sent_at,  # NULL for a claim: stays unsent
            "claimed_at": case((recording, _d.claimed_at), else_=statement.excluded.claimed_at),
            "attempts": case((recording, _d.attempts), else_=_d.attempts + 1),
        },
        where=_d.sent_at.is_(None)
        & (recording | (_d.claimed_at <= bindparam("stale_before", type_=_d.claimed_at.type))),
    ).returning(*_KEY, _d.attempts, _d.sent_at)


@cache
def _mark_sent_statement(dialect_name: str) -> Upsert:
    """Record keys as sent (never-claimed ones too); a first `sent_at` is kept."""
    statement = upsert(dialect_name, deliveries)
    return statement.on_conflict_do_update(
        index_elements=list(_KEY),
        set_={"sent_at": statement.excluded.sent_at},
        where=_d.sent_at.is_(None),
    )


def _rows(keys: Iterable[DeliveryKey], **values: Any) -> list[dict[str, Any]]:
    """One parameter set per distinct key, in key order, each with `values`."""
    ordered = sorted(set(keys), key=_sort_key)
    return [
        {
            "session_id": k.session_id,
            "recipient_id": k.recipient_id,
            "kind": k.kind.value,
            "start_time": k.start_time,
        }
        | values
        for k in ordered
    ]


def _sort_key(key: DeliveryKey) -> tuple[str, str, str, datetime]:
    """The table's key order (and the form claimed rows come back in)."""
    return (key.session_id, key.recipient_id, key.kind.value, key.start_time)


async def claim(
    connection: AsyncConnection, keys: list[DeliveryKey], now: datetime, lease: timedelta
) -> list[DeliveryKey]:
    """Claim new keys and stale unsent ones; returns the claimed keys in the order given."""
    claimed, _ = await record_and_claim(connection, [], keys, now, lease)
    return claimed


async def record_and_claim(
    connection: AsyncConnection,
    sent: list[DeliveryKey],
    keys: list[DeliveryKey],
    now: datetime,
    lease: timedelta,
) -> tuple[list[DeliveryKey], list[DeliveryKey]]:
    """Record `sent` as sent at `now` (as `mark_sent`) and claim `keys` (as `claim`; a key
    also in `sent` is recorded, not claimed), in one statement. Returns the claimed keys in
    the order given, and which of them were claimed before (read from the statement's own
    RETURNING: a claimed row is unsent, and its attempts count the claims, this one too)."""
    recorded = set(sent)
    stale_before = now - lease
    rows = sorted(
        _rows(sent, claimed_at=now, sent_at=now, attempts=1, stale_before=stale_before)
        + _rows(
            [k for k in keys if k not in recorded],
            claimed_at=now,
            sent_at=None,
            attempts=1,
            stale_before=stale_before,
        ),
        key=_row_order,
    )
    if not rows:
        return [], []
    result = await connection.execute(_claim_statement(connection.dialect.name), rows)
    attempts = {tuple(row[:4]): int(row[4]) for row in result if row[5] is None}
    claimed = [k for k in dict.fromkeys(keys) if _sort_key(k) in attempts]
    return claimed, [k for k in claimed if attempts[_sort_key(k)] > 1]


def _row_order(row: dict[str, Any]) -> tuple[Any, ...]:
    """A parameter set's key, in the table's key order (rows are written in it)."""
    return (row["session_id"], row["recipient_id"], row["kind"], row["start_time"])


async def mark_sent(connection: AsyncConnection, keys: list[DeliveryKey], at: datetime) -> None:
    """Record these deliveries as sent at `at` (creating never-claimed ones; first time kept)."""
    if not keys:
        return
    rows = _rows(keys, claimed_at=at, sent_at=at, attempts=1)
    await connection.execute(_mark_sent_statement(connection.dialect.name), rows)


@cache
def _release_statement() -> Executable:
    """Move one key's unsent claim made at `:k_claimed_at` back to `RELEASED_CLAIM`."""
    return (
        update(deliveries)
        .where(
            _d.session_id == bindparam("k_session_id"),
            _d.recipient_id == bindparam("k_recipient_id"),
            _d.kind == bindparam("k_kind"),
            _d.start_time == bindparam("k_start_time", type_=_d.start_time.type),
            _d.claimed_at == bindparam("k_claimed_at", type_=_d.claimed_at.type),
            _d.sent_at.is_(None),
        )
        .values(claimed_at=RELEASED_CLAIM)
    )


async def release(
    connection: AsyncConnection, keys: list[DeliveryKey], claimed_at: datetime
) -> None:
    """Make the unsent claims of `keys` made at `claimed_at` claimable at once (attempts
    kept, so the next claimer looks the message up first)."""
    if not keys:
        return
    rows = [
        {f"k_{name}": value for name, value in row.items()}
        for row in _rows(keys, claimed_at=claimed_at)
    ]
    await connection.execute(_release_statement(), rows)


async def reclaimed(connection: AsyncConnection, keys: list[DeliveryKey]) -> list[DeliveryKey]:
    """Those of `keys` claimed more than once and still unsent (order kept).

    One query per call: the unsent re-claimed rows of the keys' sessions (few: only crashes
    and failed sends leave them), matched here against the keys on every key column.
    """
    if not keys:
        return []
    session_ids = sorted({k.session_id for k in keys})
    rows = await connection.execute(
        select(*_KEY).where(_d.session_id.in_(session_ids), _d.attempts > 1, _d.sent_at.is_(None))
    )
    found = {tuple(row) for row in rows}
    return [k for k in dict.fromkeys(keys) if _key_values(k) in found]


def _key_values(key: DeliveryKey) -> tuple[Any, ...]:
    """The key's values in the order of the table's key columns (enums as stored)."""
    fields = key.model_dump()
    return tuple(getattr(fields[c.name], "value", fields[c.name]) for c in _KEY)

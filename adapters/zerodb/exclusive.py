"""Insert-then-verify: at most one writer wins a key, with no server-side constraint.

ZeroDB documents no unique constraint, transaction or conditional write (reference §5).
What every API variant does offer is insert, query and delete, and that is enough for a
safe claim under one assumption about the server (below):

1. Each writer inserts its row for the key, tagged with a fresh random `write_token`.
2. It reads back every row of the key. A *rival* is another row that counts against it
   (a fresh claim, a sent delivery, an unexpired lock, an existing session with the id …).
3. No rival → it won. A rival with a smaller token (or none: an established row) → it lost,
   and deletes its row. Only rivals with larger tokens → it waits (`pause`) and reads again:
   they are either losers about to delete their rows, or earlier winners; after `tries`
   reads it gives up and deletes its row.

Safety (never two winners): a writer wins only on a read, made after its own insert, that
shows no rival. If X and Y both won, one of the two reads came first, say X's; Y's insert
had then not completed, so Y's read came after X's insert and saw X's row (winners keep
theirs): a contradiction. Progress: among contenders that see each other, the one with the
smallest token survives; the others delete at once.

The assumption: a query sees every insert that completed before it started (linearizable
single-row writes and reads, as a single PostgreSQL or Mongo primary gives). The ZeroDB
documentation does not say so. If the service answers reads from lagging replicas, two
processes can both win; within one process the store's asyncio locks still hold.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

from adapters.zerodb.retry import backoff_seconds
from adapters.zerodb.tables import Pause, Row, ZeroDBError, ZeroDBTables

TOKEN = "write_token"
"""Bookkeeping field on every row the store inserts."""

K = TypeVar("K", bound=Hashable)


def new_token() -> str:
    """A fresh random token (hex: tokens compare as strings)."""
    return uuid.uuid4().hex


async def insert_exclusive(
    tables: ZeroDBTables,
    table: str,
    entries: list[tuple[K, Row]],
    read: Callable[[], Awaitable[list[Row]]],
    key_of: Callable[[Row], K],
    is_rival: Callable[[Row], bool],
    *,
    tries: int,
    pause: Pause,
    pause_seconds: float = 0.05,
) -> dict[K, list[str]]:
    """Insert one row per key and keep those that won: won key → ids of our rows, in entry
    order (a key sent twice gets two rows).

    `read` returns (at least) every row of the keys; `key_of` names a row's key; `is_rival`
    tells whether another writer's row counts against ours.
    """
    if not entries:
        return {}
    token = new_token()
    await tables.insert(table, [row | {TOKEN: token} for _, row in entries])
    undecided = list(dict.fromkeys(k for k, _ in entries))
    won: set[K] = set()
    mine: dict[K, list[str]] = {}
    for attempt in range(1, tries + 1):
        grouped: dict[K, list[Row]] = {}
        for row in await read():
            grouped.setdefault(key_of(row), []).append(row)
        waiting: list[K] = []
        lost: list[str] = []
        for key in undecided:
            rows = grouped.get(key, [])
            mine[key] = [tables.row_id(r) for r in rows if r.get(TOKEN) == token]
            rivals = [
                str(r.get(TOKEN) or "") for r in rows if r.get(TOKEN) != token and is_rival(r)
            ]
            if not mine[key]:
                waiting.append(key)  # our insert is not visible yet
            elif not rivals:
                won.add(key)
            elif min(rivals) < token:
                lost += mine[key]
            else:
                waiting.append(key)
        for row_id in lost:
            await tables.delete(table, row_id)
        undecided = waiting
        if not undecided:
            break
        if attempt < tries:
            await pause(backoff_seconds(attempt, pause_seconds, 1.0, rng=_RNG))
    for key in undecided:
        if not mine.get(key):
            raise ZeroDBError(
                f"Rows inserted into {table} did not show up in a query: ZeroDB reads are not "
                "read-your-writes here, so claims cannot be verified."
            )
        for row_id in mine[key]:
            await tables.delete(table, row_id)
    return {k: mine[k] for k in dict.fromkeys(k for k, _ in entries) if k in won}


_RNG = random.Random()

"""The ledger's read order and filter as the stores that filter in Python apply them
(memory, ZeroDB); the SQL stores say the same in their WHERE and ORDER BY."""

from __future__ import annotations

from datetime import datetime

from core.training_ledger import LedgerEntry, LedgerQuery


def ledger_order(entry: LedgerEntry) -> tuple[datetime, str, str]:
    """The order entries are read in: start, session id, member id."""
    return (entry.starts_at, entry.session_id, entry.member_id)


def ledger_matches(entry: LedgerEntry, query: LedgerQuery) -> bool:
    """Whether `entry` passes every filter of `query`."""
    return (
        (query.member_ids is None or entry.member_id in query.member_ids)
        and (query.session_id is None or entry.session_id == query.session_id)
        and (query.series_id is None or entry.series_id == query.series_id)
        and (query.since is None or entry.starts_at >= query.since)
        and (query.until is None or entry.starts_at < query.until)
    )

"""The overview's aggregated ledger read for `InMemorySessionStore` (`core.ledger_summary`)."""

from __future__ import annotations

from core.ledger_summary import SummedFromEntries


class InMemoryLedgerSummary(SummedFromEntries):
    """Mixed into InMemorySessionStore: counts its own ledger."""

"""The overview's aggregated ledger read for `ZeroDBSessionStore` (`core.ledger_summary`).

ZeroDB has no GROUP BY: the entries of the range are read (through `read_ledger`) and
counted here with the reference `summarize`, so the result is the SQL stores' exactly; its
cost grows with the range's entries (the SQL stores' does not)."""

from __future__ import annotations

from core.ledger_summary import SummedFromEntries


class ZeroDBLedgerSummary(SummedFromEntries):
    """Mixed into ZeroDBSessionStore after its ledger part, whose reads it uses."""

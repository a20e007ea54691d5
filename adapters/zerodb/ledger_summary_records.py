"""The overview's aggregated ledger read for `ZeroDBSessionStore` (`core.ledger_summary`).

ZeroDB has no GROUP BY: the entries of the range are read (through `read_ledger`) and
counted here with the reference `summarize`, so the result is the SQL stores' exactly; its
cost grows with the range's entries (the SQL stores' does not)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from core.ledger_summary import LedgerSummary, check_bounds, summarize
from core.training_ledger import LedgerEntry, LedgerQuery


class ZeroDBLedgerSummary:
    """Mixed into ZeroDBSessionStore after its ledger part, whose reads it uses."""

    def read_ledger(self, query: LedgerQuery, batch: int = 1000) -> AsyncIterator[LedgerEntry]:
        raise NotImplementedError

    async def ledger_summary(
        self, bounds: list[datetime], busiest: int, series_id: str | None = None
    ) -> LedgerSummary:
        """Sessions and attending members per week of `bounds`, the busiest classes; with
        `series_id`, of that class only, with its per-session totals."""
        check_bounds(bounds)
        query = LedgerQuery(series_id=series_id, since=bounds[0], until=bounds[-1])
        found = [e async for e in self.read_ledger(query)]
        return summarize(found, bounds, busiest, series_id)

"""Reading a paged RealtimeKit list completely, each row once.

RealtimeKit lists take `page_no` and `per_page` (both documented with a minimum of 0 and no
maximum) and answer `paging{start_offset, end_offset, total_count}`. The docs say neither
where pages start (0 or 1) nor whether a server serves fewer rows than `per_page` asks, so a
short page proves nothing. `Pages` therefore asks from page 0 upwards, keeps each row once
(by `id`) and stops when `total_count` rows are in; a server numbering from 1 costs one more
call (page 0 repeats page 1, or is empty), never a missed or doubled row.
"""

from __future__ import annotations

from typing import Any


class Pages:
    """The state of reading one list: ask `next_page()`, feed each answer to `add()`."""

    def __init__(self, per_page: int) -> None:
        self.per_page = per_page
        self.rows: list[dict[str, Any]] = []
        self._keys: set[str] = set()
        self._page = 0
        self._largest = 0
        self._done = False

    def next_page(self) -> int | None:
        """The `page_no` to ask for next, or None when the list is complete."""
        return None if self._done else self._page

    def add(self, data: Any, paging: Any) -> None:
        """Take one answer's `data` (its rows) and `paging`."""
        batch = [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []
        for row in batch:
            key = str(row.get("id", sorted(row.items())))
            if key not in self._keys:
                self._keys.add(key)
                self.rows.append(row)
        self._largest = max(self._largest, len(batch))
        self._page += 1
        total = paging.get("total_count") if isinstance(paging, dict) else None
        if not isinstance(total, int | float):  # no paging given: a short page ends the list
            self._done = len(batch) < self.per_page and (bool(batch) or self._page > 1)
            return
        complete = len(self.rows) >= total
        shrank = not batch and self._page > 1  # the list got shorter while we read it
        hopeless = self._page > total // max(self._largest, 1) + 2  # a total never reached
        self._done = complete or shrank or hopeless

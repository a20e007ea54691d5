"""What the ZeroDB store mixins use of `ZeroDBSessionStore`: its table helpers and leases.

The series, copy, member and member-move mixins inherit these declarations instead of each
repeating them; the store's own definitions override them.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from adapters.zerodb.tables import Row, ZeroDBTables


class ZeroDBHost:
    """The table helpers and leases `ZeroDBSessionStore` gives its mixins."""

    tables: ZeroDBTables

    def _t(self, logical: str) -> str:
        raise NotImplementedError

    async def _rows(self, logical: str, filters: dict[str, Any]) -> list[Row]:
        raise NotImplementedError

    async def _first(self, logical: str, filters: dict[str, Any]) -> Row | None:
        raise NotImplementedError

    async def _overwrite(self, logical: str, old: Row, new: Row) -> None:
        raise NotImplementedError

    async def _add_once(self, logical: str, field: str, value: str, row: Row) -> bool:
        raise NotImplementedError

    def _serialised(self, session_id: str, now: datetime) -> AbstractAsyncContextManager[None]:
        raise NotImplementedError

    async def _require_session(self, session_id: str) -> None:
        raise NotImplementedError

"""ZeroDBTables: the few table operations the store needs, over httpx, in any dialect.

Create a table, insert rows, query with filters / sort / limit / offset, replace a row by its
id, delete a row by its id. Every path and envelope key comes from `ZeroDBDialect`.

Retries: 429 (honouring `Retry-After`), 5xx and network errors, with capped exponential
backoff and jitter. An insert is not idempotent, so it is retried only when the server said
429 or the connection was never made; other failures surface. The API key travels in a
default header of the client and is never logged or put into an error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from adapters.http_retry import retry_after_seconds
from adapters.zerodb.dialect import ApiCall, ZeroDBDialect
from adapters.zerodb.retry import RETRYABLE_STATUS, backoff_seconds
from adapters.zerodb.settings import ZeroDBSettings

log = logging.getLogger(__name__)

Row = dict[str, Any]
Pause = Callable[[float], Awaitable[None]]
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_BODY_EXCERPT = 300


class ZeroDBError(Exception):
    """A ZeroDB call failed; `status` is the HTTP status (0: no answer)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class ZeroDBAuthError(ZeroDBError):
    """ZeroDB refused our credentials (401/403): a configuration problem, never retried."""


class ZeroDBTables:
    """Table calls of one project; `requests` counts HTTP requests sent (for cost notes)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        dialect: ZeroDBDialect,
        project_id: str,
        *,
        attempts: int = 4,
        base_seconds: float = 0.25,
        max_seconds: float = 10.0,
        pause: Pause = asyncio.sleep,
    ) -> None:
        self._client = client
        self.dialect = dialect
        self._project_id = project_id
        self._attempts = attempts
        self._base = base_seconds
        self._cap = max_seconds
        self._pause = pause
        self.requests = 0

    @classmethod
    def from_settings(cls, settings: ZeroDBSettings) -> ZeroDBTables:
        """A client for the configured project, with the API key in the dialect's header."""
        dialect = settings.api_dialect
        client = httpx.AsyncClient(
            base_url=settings.base_url,
            headers=dialect.headers(settings.api_key.get_secret_value(), settings.project_id),
            timeout=httpx.Timeout(
                settings.timeout_seconds, connect=settings.connect_timeout_seconds
            ),
        )
        return cls(
            client,
            dialect,
            settings.project_id,
            attempts=settings.retry_attempts,
            base_seconds=settings.retry_base_seconds,
            max_seconds=settings.retry_max_seconds,
        )

    def __repr__(self) -> str:
        return f"ZeroDBTables(base_url={str(self._client.base_url)!r})"

    @property
    def http(self) -> httpx.AsyncClient:
        """The HTTP client (metrics add their event hooks to it)."""
        return self._client

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()

    # operations ---------------------------------------------------------------------------
    async def create_table(self, table: str, description: str) -> None:
        """Create `table` unless it exists (409, or a 400/422 that says it exists); a no-op
        when the dialect has no create call (tables appear with their first insert)."""
        call = self.dialect.create_call(self._project_id, table, description)
        if call is None:
            return
        try:
            await self._send(call)
        except ZeroDBError as error:
            if error.status == 409 or (error.status in (400, 422) and "exist" in str(error)):
                return
            raise

    async def insert(self, table: str, rows: list[Row]) -> None:
        """Insert rows (one call per row, or per batch when the dialect batches)."""
        for call in self.dialect.insert_calls(self._project_id, table, rows):
            await self._send(call, idempotent=False)

    async def query(
        self,
        table: str,
        filters: dict[str, Any],
        *,
        limit: int,
        offset: int = 0,
        sort: list[tuple[str, int]] | None = None,
    ) -> tuple[list[Row], int | None]:
        """One page of matching rows and the total number of matches (None: not answered)."""
        limit = min(limit, self.dialect.max_limit)
        call = self.dialect.query_call(self._project_id, table, filters, limit, offset, sort)
        answer = await self._send(call)
        rows = answer.get(self.dialect.rows_key) or []
        total = answer.get(self.dialect.total_key)
        if not isinstance(rows, list):
            raise ZeroDBError(f"ZeroDB answered a query of {table} without a row list.")
        return rows, total if isinstance(total, int) else None

    async def query_all(
        self, table: str, filters: dict[str, Any], sort: list[tuple[str, int]] | None = None
    ) -> list[Row]:
        """Every matching row, read page by page."""
        page = self.dialect.max_limit
        found: list[Row] = []
        while True:
            rows, _ = await self.query(table, filters, limit=page, offset=len(found), sort=sort)
            found += rows
            if len(rows) < page:
                return found

    async def replace(self, table: str, row_id: str, row: Row) -> None:
        """Overwrite the row with this id by `row`."""
        await self._send(self.dialect.update_call(self._project_id, table, row_id, row))

    async def delete(self, table: str, row_id: str) -> None:
        """Delete the row with this id (an already missing row is not an error)."""
        try:
            await self._send(self.dialect.delete_call(self._project_id, table, row_id))
        except ZeroDBError as error:
            if error.status != 404:
                raise

    async def count(self, table: str, filters: dict[str, Any]) -> int:
        """How many rows match: the answer's total, or every row read when it has none."""
        rows, total = await self.query(table, filters, limit=1)
        if total is not None:
            return total
        return len(await self.query_all(table, filters)) if rows else 0

    def row_id(self, row: Row) -> str:
        """The server-assigned id of an answered row."""
        value = row.get(self.dialect.id_field)
        if value is None:
            raise ZeroDBError(
                f"ZeroDB rows carry no {self.dialect.id_field!r}; "
                "set the dialect's id_field (DOJOBOT_ZERODB__DIALECT_OVERRIDES)."
            )
        return str(value)

    # transport ----------------------------------------------------------------------------
    async def _send(self, call: ApiCall, *, idempotent: bool = True) -> dict[str, Any]:
        """Send one call with retries; the decoded JSON object of a 2xx answer."""
        method, path = call.method, call.path
        for attempt in range(1, self._attempts + 1):
            last = attempt == self._attempts
            try:
                self.requests += 1
                response = await self._client.request(
                    method, path, json=call.body, params=call.params
                )
            except httpx.TransportError as error:
                if last or not (idempotent or isinstance(error, _NEVER_SENT)):
                    raise ZeroDBError(f"ZeroDB unreachable: {type(error).__name__}") from error
                await self._pause(backoff_seconds(attempt, self._base, self._cap))
                continue
            status = response.status_code
            retryable = status == 429 or (idempotent and status in RETRYABLE_STATUS)
            if retryable and not last:
                wait = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))
                log.warning("ZeroDB %s %s answered %s; retrying", method, path, status)
                await self._pause(backoff_seconds(attempt, self._base, self._cap, wait))
                continue
            return _decoded(method, path, response, self.dialect.rows_key)
        raise AssertionError("unreachable")  # pragma: no cover


def _decoded(method: str, path: str, response: httpx.Response, rows_key: str) -> dict[str, Any]:
    """The JSON object of a 2xx answer (a bare list counts as the rows); errors raised."""
    status = response.status_code
    if status in (401, 403):
        raise ZeroDBAuthError(
            f"ZeroDB refused the credentials (HTTP {status}) for {method} {path}: check "
            "DOJOBOT_ZERODB__API_KEY and the dialect's auth_header / auth_scheme.",
            status,
        )
    if status >= 400:
        excerpt = response.text[:_BODY_EXCERPT]
        raise ZeroDBError(f"ZeroDB {method} {path} failed with HTTP {status}: {excerpt}", status)
    if not response.content:
        return {}
    try:
        decoded = response.json()
    except ValueError as error:
        raise ZeroDBError(f"ZeroDB {method} {path} answered non-JSON", status) from error
    return decoded if isinstance(decoded, dict) else {rows_key: decoded}

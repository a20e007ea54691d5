"""A local stand-in of the ZeroDB table API, in memory, on an ephemeral loopback port.

It serves the dialect it is given (paths, envelope keys, verbs: adapters.zerodb.dialect), so
the store can be tested in every documented variant. It does what the documentation says and
no more: rows get a server-assigned random id; there are no unique constraints, no
transactions and no conditional writes; filters are Mongo-style equality plus
`$eq $ne $gt $gte $lt $lte $in`; sort (when the dialect has a sort key) is a Mongo-style object;
limit / offset page the answer, which carries `rows` and `total`. A request without the right
API key in the dialect's auth header gets 401. Every request is recorded, and failures can be
injected (`fail_next`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.zerodb.dialect import ZeroDBDialect
from adapters.zerodb.settings import ZeroDBSettings
from adapters.zerodb.store import ZeroDBSessionStore
from adapters.zerodb.tables import ZeroDBTables
from core.ports import SessionStore
from tests.fakes.recording import recording_middlewares

BODY: web.RequestKey[dict[str, Any] | None] = web.RequestKey("body")
"""The parsed JSON body of a request, kept by the middleware for the handlers."""

Row = dict[str, Any]
_OPERATORS = {"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in"}


@dataclass
class RecordedRequest:
    """One request as the stand-in received it (headers minus nothing: tests check them)."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class _Failure:
    status: int
    retry_after: str | None
    method: str | None


@dataclass
class ZeroDBStandIn:
    """The fake API; `tables` maps table name → rows in insertion order."""

    dialect: ZeroDBDialect = field(default_factory=ZeroDBDialect)
    project_id: str = "proj-1"
    api_key: str = "sk_test_standin"
    tables: dict[str, list[Row]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _server: TestServer | None = None

    # lifecycle ----------------------------------------------------------------------------
    async def start(self) -> str:
        """Serve on 127.0.0.1:<ephemeral>; returns the base URL."""
        self._server = TestServer(self._app(), host="127.0.0.1", port=0)
        await self._server.start_server()
        return str(self._server.make_url("")).rstrip("/")

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    def fail_next(
        self, status: int, times: int = 1, retry_after: str | None = None, method: str | None = None
    ) -> None:
        """Answer the next `times` requests (of `method`, if given) with `status`."""
        self._failures += [_Failure(status, retry_after, method) for _ in range(times)]

    def rows(self, table: str) -> list[Row]:
        """The stored rows of a table (copies)."""
        return [dict(r) for r in self.tables.get(table, [])]

    # routing ------------------------------------------------------------------------------
    def _app(self) -> web.Application:
        d = self.dialect
        base = d.tables(self.project_id)
        app = web.Application(
            middlewares=[*recording_middlewares("zerodb"), self._record_and_check]
        )
        app.router.add_post(base, self._create_table)
        app.router.add_post(d.insert(self.project_id, "{table}"), self._insert)
        app.router.add_post(d.query(self.project_id, "{table}"), self._query)
        if d.update_mode == "by_id":
            app.router.add_route(
                d.update_method, d.row(self.project_id, "{table}", "{row_id}"), self._update_by_id
            )
        else:
            app.router.add_route(
                d.update_method, d.rows(self.project_id, "{table}"), self._update_by_filter
            )
        if d.delete_mode == "by_id":
            app.router.add_delete(d.row(self.project_id, "{table}", "{row_id}"), self._delete_by_id)
        else:
            app.router.add_delete(d.rows(self.project_id, "{table}"), self._delete_by_filter)
        return app

    @web.middleware
    async def _record_and_check(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        self.requests.append(
            RecordedRequest(request.method, request.path, dict(request.headers), body)
        )
        expected = self.dialect.auth_value(self.api_key)
        if request.headers.get(self.dialect.auth_header) != expected:
            return web.json_response({"detail": "Invalid or missing API key"}, status=401)
        failure = next((f for f in self._failures if f.method in (None, request.method)), None)
        if failure is not None:
            self._failures.remove(failure)
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            return web.json_response({"detail": "injected"}, status=failure.status, headers=headers)
        request[BODY] = body
        response: web.StreamResponse = await handler(request)
        return response

    def _table(self, request: web.Request) -> list[Row]:
        name = request.match_info["table"]
        if name not in self.tables:
            raise web.HTTPNotFound(
                text=f'{{"detail": "table {name} not found"}}', content_type="application/json"
            )
        return self.tables[name]

    # handlers -----------------------------------------------------------------------------
    async def _create_table(self, request: web.Request) -> web.Response:
        body = request[BODY] or {}
        name = body.get(self.dialect.create_name_key)
        if not isinstance(name, str) or not name:
            return _unprocessable(f"{self.dialect.create_name_key} required")
        if name in self.tables:
            return web.json_response({"detail": f"table {name} already exists"}, status=409)
        self.tables[name] = []
        return web.json_response({"id": uuid.uuid4().hex, "name": name}, status=201)

    async def _insert(self, request: web.Request) -> web.Response:
        table = self._table(request)
        payload = (request[BODY] or {}).get(self.dialect.insert_key)
        batch = isinstance(payload, list)
        rows: list[Any] = list(payload) if isinstance(payload, list) else [payload]
        if not rows or not all(isinstance(r, dict) for r in rows):
            return _unprocessable(f"{self.dialect.insert_key} required")
        stored: list[Row] = [dict(r) | {self.dialect.id_field: uuid.uuid4().hex} for r in rows]
        table.extend(stored)
        if batch:
            ids = [r[self.dialect.id_field] for r in stored]
            return web.json_response({"inserted_count": len(stored), "ids": ids}, status=201)
        return web.json_response(dict(stored[0]), status=201)

    async def _query(self, request: web.Request) -> web.Response:
        table = self._table(request)
        d = self.dialect
        body = request[BODY] or {}
        filters = body.get(d.filter_key) or {}
        limit = int(body.get(d.limit_key, 100))
        offset = int(body.get(d.offset_key, 0))
        if limit < 1 or limit > d.max_limit or offset < 0:
            return _unprocessable(f"limit must be 1..{d.max_limit}, offset >= 0")
        try:
            found = [dict(r) for r in table if matches(r, filters)]
        except ValueError as error:
            return _unprocessable(str(error))
        sort = body.get(d.sort_key) if d.sort_key else None
        if sort:
            for name, direction in reversed(list(sort.items())):
                found.sort(key=_by_field(name), reverse=direction < 0)
        page = found[offset : offset + limit]
        return web.json_response({d.rows_key: page, d.total_key: len(found)})

    async def _update_by_id(self, request: web.Request) -> web.Response:
        table = self._table(request)
        row = (request[BODY] or {}).get(self.dialect.update_row_key)
        if not isinstance(row, dict):
            return _unprocessable(f"{self.dialect.update_row_key} required")
        index = self._index(table, request.match_info["row_id"])
        if index is None:
            return web.json_response({"detail": "row not found"}, status=404)
        id_field = self.dialect.id_field
        table[index] = {k: v for k, v in row.items() if k != id_field} | {
            id_field: table[index][id_field]
        }
        return web.json_response(dict(table[index]))

    async def _update_by_filter(self, request: web.Request) -> web.Response:
        table = self._table(request)
        body = request[BODY] or {}
        filters = body.get(self.dialect.update_filter_key)
        change = (body.get(self.dialect.update_key) or {}).get("$set")
        if not isinstance(filters, dict) or not isinstance(change, dict):
            return _unprocessable("filter and update.$set required")
        matched = 0
        for index, row in enumerate(table):
            if matches(row, filters):
                matched += 1
                change = {k: v for k, v in change.items() if k != self.dialect.id_field}
                table[index] = row | change
        return web.json_response({"matched_count": matched, "modified_count": matched})

    async def _delete_by_id(self, request: web.Request) -> web.Response:
        table = self._table(request)
        index = self._index(table, request.match_info["row_id"])
        if index is None:
            return web.json_response({"detail": "row not found"}, status=404)
        del table[index]
        return web.json_response({"deleted_count": 1})

    async def _delete_by_filter(self, request: web.Request) -> web.Response:
        table = self._table(request)
        filters = (request[BODY] or {}).get(self.dialect.delete_filter_key)
        if not isinstance(filters, dict) or not filters:
            return _unprocessable("filter required")
        kept = [r for r in table if not matches(r, filters)]
        deleted = len(table) - len(kept)
        table[:] = kept
        return web.json_response({"deleted_count": deleted})

    def _index(self, table: list[Row], row_id: str) -> int | None:
        id_field = self.dialect.id_field
        return next((i for i, r in enumerate(table) if str(r.get(id_field)) == row_id), None)


def matches(row: Row, filters: dict[str, Any]) -> bool:
    """Mongo-style match: every field equal to its value, or passing every operator given."""
    return all(_passes(row.get(name), condition) for name, condition in filters.items())


def _passes(value: Any, condition: Any) -> bool:
    if not isinstance(condition, dict) or not condition or not set(condition) <= _OPERATORS:
        if isinstance(condition, dict) and any(k.startswith("$") for k in condition):
            raise ValueError(f"unsupported operator in {condition}")
        return bool(value == condition)
    return all(_operator(value, op, operand) for op, operand in condition.items())


def _operator(value: Any, op: str, operand: Any) -> bool:
    if op == "$eq":
        return bool(value == operand)
    if op == "$ne":
        return bool(value != operand)
    if op == "$in":
        if not isinstance(operand, list):
            raise ValueError("$in takes a list")
        return value in operand
    if value is None or operand is None or type(value) is not type(operand):
        return False
    comparisons = {
        "$gt": value > operand,
        "$gte": value >= operand,
        "$lt": value < operand,
        "$lte": value <= operand,
    }
    return bool(comparisons[op])


def _by_field(name: str) -> Callable[[Row], tuple[int, Any]]:
    """Sort key of one field: nulls first, then values of one type in their natural order."""

    def key(row: Row) -> tuple[int, Any]:
        value = row.get(name)
        return (0, "") if value is None else (1, value)

    return key


def _unprocessable(detail: str) -> web.Response:
    return web.json_response({"detail": detail}, status=422)


async def no_wait(_seconds: float) -> None:
    """The stores' pause in tests: yield to the loop, never sleep."""
    await asyncio.sleep(0)


def standin_settings(base_url: str, standin: ZeroDBStandIn, **changes: Any) -> ZeroDBSettings:
    """Settings of a store talking to `standin` (no retry pauses)."""
    values: dict[str, Any] = {
        "base_url": base_url,
        "project_id": standin.project_id,
        "api_key": standin.api_key,
        "retry_base_seconds": 0,
        "retry_max_seconds": 0,
    }
    return ZeroDBSettings.model_validate(values | changes)


async def open_standin_store(
    base_url: str, standin: ZeroDBStandIn, lock_tries: int = 8
) -> ZeroDBSessionStore:
    """A ZeroDBSessionStore on the stand-in, its tables created, pausing without sleeping."""
    tables = ZeroDBTables(
        httpx.AsyncClient(
            base_url=base_url,
            headers={standin.dialect.auth_header: standin.dialect.auth_value(standin.api_key)},
        ),
        standin.dialect,
        standin.project_id,
        base_seconds=0,
        max_seconds=0,
        pause=no_wait,
    )
    store = ZeroDBSessionStore(tables, pause=no_wait, lock_tries=lock_tries)
    await store.create_tables()
    return store


@asynccontextmanager
async def standin_store(_tmp: Path) -> AsyncIterator[SessionStore]:
    """The contract-suite factory: a fresh stand-in and a store on it."""
    standin = ZeroDBStandIn()
    base_url = await standin.start()
    store = await open_standin_store(base_url, standin)
    try:
        yield store
    finally:
        await store.close()
        await standin.close()

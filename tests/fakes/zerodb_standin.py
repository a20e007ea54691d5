"""A local stand-in of the ZeroDB table API, in memory, on an ephemeral loopback port.

It serves the dialect it is given (paths, verbs, headers, envelope keys and filter spelling:
adapters.zerodb.dialect), so the store can be tested in every known variant, and it refuses
what the configured variant would refuse, the way ZeroDB's FastAPI service answers:

- an unknown path is 404 `{"detail": "Not Found"}`, a known path with another verb 405
  `{"detail": "Method Not Allowed"}` (before any auth check, as FastAPI routes first);
- a missing or wrong API key in the dialect's auth header is 401, a missing or other project
  id in its project header 403;
- a body (or query string) with a key the variant does not use, without one it needs, or with
  a value of the wrong type (a list where one row is expected, a Mongo filter where a
  `field__op` or condition list is expected …) is 422 with FastAPI's `detail` list
  (`type`, `loc`, `msg`).

Otherwise it does what the sources say and no more: rows get a server-assigned random id;
there are no unique constraints, no transactions and no conditional writes; filters are
equality plus `$eq $ne $gt $gte $lt $lte $in` in the dialect's spelling; sort (when the dialect
has a sort key) is a Mongo-style object; limit / offset page the answer, which carries the
rows and the total (a bare list for GET queries). Variants without a create call get their
tables with the first insert. Every request is recorded, and failures can be injected
(`fail_next`).
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.zerodb.dialect import PRESETS, ZeroDBDialect
from adapters.zerodb.filter_styles import OPERATORS, conditions
from adapters.zerodb.settings import ZeroDBSettings
from adapters.zerodb.store import ZeroDBSessionStore
from adapters.zerodb.tables import ZeroDBTables
from core.ports import SessionStore
from tests.fakes.recording import recording_middlewares

BODY: web.RequestKey[dict[str, Any] | None] = web.RequestKey("body")
"""The parsed JSON body of a request, kept by the middleware for the handlers."""

Row = dict[str, Any]
Condition = tuple[str, str, Any]
_LIST_OPS = {"eq": "$eq", "neq": "$ne", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}
_PLACEHOLDER_ROW = "{row_id}"


class Refused(Exception):
    """A request the API refuses with 422; `errors` is FastAPI's `detail` list."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _missing(*loc: str) -> Refused:
    return Refused([{"type": "missing", "loc": list(loc), "msg": "Field required"}])


def _wrong(kind: str, *loc: str) -> Refused:
    return Refused([{"type": f"{kind}_type", "loc": list(loc), "msg": f"Input should be a {kind}"}])


@dataclass
class RecordedRequest:
    """One request as the stand-in received it (headers minus nothing: tests check them)."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class _Failure:
    status: int
    retry_after: str | None
    method: str | None
    detail: str


@dataclass
class ZeroDBStandIn:
    """The fake API; `tables` maps table name → rows in insertion order."""

    dialect: ZeroDBDialect = field(default_factory=ZeroDBDialect)
    project_id: str = "proj-1"
    api_key: str = "sk_test_standin"
    lenient: bool = False
    """Ignore body keys the shape does not use (FastAPI's default), instead of a 422."""
    delete_filter_optional: bool = False
    """A by-filter delete without the filter key deletes every row (a FastAPI model with a
    defaulted filter), instead of a 422; with `lenient`, a delete that spells the filter
    under another key wipes the table."""
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
        self,
        status: int,
        times: int = 1,
        retry_after: str | None = None,
        method: str | None = None,
        detail: str = "injected",
    ) -> None:
        """Answer the next `times` routed requests (of `method`, if given) with `status` and
        `{"detail": detail}`."""
        self._failures += [_Failure(status, retry_after, method, detail) for _ in range(times)]

    def rows(self, table: str) -> list[Row]:
        """The stored rows of a table (copies)."""
        return [dict(r) for r in self.tables.get(table, [])]

    # routing ------------------------------------------------------------------------------
    def _app(self) -> web.Application:
        d, pid, t = self.dialect, self.project_id, "{table}"
        app = web.Application(
            middlewares=[*recording_middlewares("zerodb"), self._record_and_check]
        )
        routes: list[tuple[str, str, Any]] = []
        if (create := d.create_call(pid, t, "")) is not None:
            routes.append((create.method, create.path, self._create_table))
        if (listing := d.list_call(pid)) is not None:
            routes.append((listing.method, listing.path, self._list_tables))
        if (drop := d.drop_call(pid, t)) is not None:
            routes.append((drop.method, drop.path, self._drop_table))
        insert = d.insert_calls(pid, t, [{}])[0]
        query = d.query_call(pid, t, {}, 1, 0, None)
        update = d.update_call(pid, t, _PLACEHOLDER_ROW, {})
        delete = d.delete_call(pid, t, _PLACEHOLDER_ROW)
        routes += [
            (insert.method, insert.path, self._insert),
            (query.method, query.path, self._query),
            (update.method, update.path, self._update),
            (delete.method, delete.path, self._delete),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, path, handler)
        return app

    @web.middleware
    async def _record_and_check(self, request: web.Request, handler: Any) -> web.StreamResponse:
        raw = await request.read() if request.can_read_body else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.requests.append(
            RecordedRequest(
                request.method, request.path, dict(request.headers), body, dict(request.query)
            )
        )
        unrouted = request.match_info.http_exception
        if isinstance(unrouted, web.HTTPMethodNotAllowed):
            return web.json_response({"detail": "Method Not Allowed"}, status=405)
        if unrouted is not None:
            return web.json_response({"detail": "Not Found"}, status=404)
        refused = self._auth_refusal(request)
        if refused is not None:
            return refused
        failure = next((f for f in self._failures if f.method in (None, request.method)), None)
        if failure is not None:
            self._failures.remove(failure)
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            return web.json_response(
                {"detail": failure.detail}, status=failure.status, headers=headers
            )
        if raw and body is None:
            return _unprocessable(
                [{"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}]
            )
        request[BODY] = body
        try:
            response: web.StreamResponse = await handler(request)
        except Refused as error:
            return _unprocessable(error.errors)
        return response

    def _auth_refusal(self, request: web.Request) -> web.Response | None:
        d = self.dialect
        if request.headers.get(d.auth_header) != d.auth_value(self.api_key):
            return web.json_response({"detail": "Invalid or missing API key"}, status=401)
        if d.project_header and request.headers.get(d.project_header) != self.project_id:
            return web.json_response(
                {"detail": f"Missing or unknown {d.project_header}"}, status=403
            )
        return None

    # request shapes -----------------------------------------------------------------------
    def _body(self, request: web.Request, operation: str, wanted: dict[str, bool]) -> Row:
        """The JSON body, holding exactly the keys of `wanted` (True: required) plus the
        table and operation keys of the dialect; a missing table is then created."""
        d = self.dialect
        body = request[BODY]
        if not isinstance(body, dict):
            raise _wrong("dictionary", "body")
        keys = dict(wanted)
        if d.table_key:
            keys[d.table_key] = True
        if d.operation_key:
            keys[d.operation_key] = True
        _exact(body, keys, "body", self.lenient)
        if d.operation_key and body[d.operation_key] != operation:
            raise Refused(
                [
                    {
                        "type": "literal_error",
                        "loc": ["body", d.operation_key],
                        "msg": f"Input should be '{operation}'",
                    }
                ]
            )
        return body

    def _table_name(self, request: web.Request, body: Row | None) -> str:
        key = self.dialect.table_key
        if key is None:
            return request.match_info["table"]
        name = (body or {}).get(key)
        if not isinstance(name, str) or not name:
            raise _wrong("string", "body", key)
        return name

    def _table(self, request: web.Request, body: Row | None, create: bool = False) -> list[Row]:
        name = self._table_name(request, body)
        if name not in self.tables:
            if self.dialect.create_path is None:  # no create call: tables come with use
                return self.tables.setdefault(name, []) if create else []
            raise web.HTTPNotFound(
                text=json.dumps({"detail": f"table {name} not found"}),
                content_type="application/json",
            )
        return self.tables[name]

    def _filter(self, value: Any, *loc: str) -> list[Condition]:
        """The conditions of a filter in the dialect's spelling (422 otherwise)."""
        style = self.dialect.filter_style
        try:
            if style == "list":
                found = _list_conditions(value, list(loc))
            elif not isinstance(value, dict):
                raise _wrong("dictionary", *loc)
            elif style == "suffix":
                found = _suffix_conditions(value, list(loc))
            else:
                found = conditions(value)
            if any(op == "$in" and not isinstance(v, list) for _, op, v in found):
                raise ValueError("$in takes a list")
            return found
        except ValueError as error:
            raise Refused([{"type": "value_error", "loc": list(loc), "msg": str(error)}]) from None

    # handlers -----------------------------------------------------------------------------
    async def _create_table(self, request: web.Request) -> web.Response:
        key = self.dialect.create_name_key
        body = request[BODY]
        if not isinstance(body, dict):
            raise _wrong("dictionary", "body")
        allowed = {key: True, "schema": False}
        if self.dialect.create_description_key:
            allowed[self.dialect.create_description_key] = False
        _exact(body, allowed, "body", self.lenient)
        name = body[key]
        if not isinstance(name, str) or not name:
            raise _wrong("string", "body", key)
        if name in self.tables:
            return web.json_response({"detail": f"table {name} already exists"}, status=409)
        self.tables[name] = []
        return web.json_response({"id": uuid.uuid4().hex, "name": name}, status=201)

    async def _list_tables(self, _request: web.Request) -> web.Response:
        listed = [{"name": n, "row_count": len(rows)} for n, rows in self.tables.items()]
        if self.dialect.list_path == "/":  # ainative-agent reads a bare list of tables
            return web.json_response(listed)
        return web.json_response({"tables": listed, "total": len(listed)})

    async def _drop_table(self, request: web.Request) -> web.Response:
        name = request.match_info["table"]
        if self.tables.pop(name, None) is None:
            return web.json_response({"detail": f"table {name} not found"}, status=404)
        return web.Response(status=204)

    async def _insert(self, request: web.Request) -> web.Response:
        d = self.dialect
        body = self._body(request, "insert", {d.insert_key: True})
        table = self._table(request, body, create=True)
        payload = body[d.insert_key]
        if d.insert_batch:
            if not isinstance(payload, list) or not payload:
                raise _wrong("list", "body", d.insert_key)
            rows: list[Any] = payload
        else:
            rows = [payload]
        if not all(isinstance(r, dict) for r in rows):
            raise _wrong("dictionary", "body", d.insert_key)
        stored: list[Row] = [dict(r) | {d.id_field: uuid.uuid4().hex} for r in rows]
        table.extend(stored)
        if d.insert_batch:
            ids = [r[d.id_field] for r in stored]
            return web.json_response({"inserted_count": len(stored), "ids": ids}, status=201)
        return web.json_response(dict(stored[0]), status=201)

    async def _query(self, request: web.Request) -> web.Response:
        d = self.dialect
        if d.query_method == "GET":
            args: Row = dict(request.query)
            keys = {d.filter_key: False, d.limit_key: False, d.offset_key: False}
            _exact(args, keys, "query", self.lenient)
            try:
                filters = json.loads(args.get(d.filter_key, "{}"))
                limit, offset = int(args.get(d.limit_key, 100)), int(args.get(d.offset_key, 0))
            except ValueError:
                raise _wrong("valid JSON filter and integer", "query") from None
            table = self._table(request, None)
        else:
            keys = {d.filter_key: False, d.limit_key: False, d.offset_key: False}
            if d.sort_key:
                keys[d.sort_key] = False
            args = self._body(request, "query", keys)
            table = self._table(request, args)
            filters = args.get(d.filter_key, [] if d.filter_style == "list" else {})
            limit, offset = args.get(d.limit_key, 100), args.get(d.offset_key, 0)
            if not isinstance(limit, int) or not isinstance(offset, int):
                raise _wrong("integer", "body", d.limit_key)
        where = self._filter(filters, "body", d.filter_key)
        if limit < 1 or limit > d.max_limit or offset < 0:
            raise Refused(
                [
                    {
                        "type": "value_error",
                        "loc": ["body", d.limit_key],
                        "msg": f"limit must be 1..{d.max_limit}, offset >= 0",
                    }
                ]
            )
        found = [dict(r) for r in table if matches_all(r, where)]
        sort = args.get(d.sort_key) if d.sort_key and d.query_method == "POST" else None
        if sort:
            if not isinstance(sort, dict):
                raise _wrong("dictionary", "body", d.sort_key or "sort")
            for name, direction in reversed(list(sort.items())):
                found.sort(key=_by_field(name), reverse=direction < 0)
        page = found[offset : offset + limit]
        if d.query_method == "GET":
            return web.json_response(page)
        return web.json_response({d.rows_key: page, d.total_key: len(found)})

    async def _update(self, request: web.Request) -> web.Response:
        d = self.dialect
        if d.update_mode == "by_id":
            body = self._body(request, "update", {d.update_row_key: True})
            table = self._table(request, body)
            row = body[d.update_row_key]
            if not isinstance(row, dict):
                raise _wrong("dictionary", "body", d.update_row_key)
            where = [(d.id_field, "$eq", request.match_info["row_id"])]
        else:
            body = self._body(request, "update", {d.update_filter_key: True, d.update_key: True})
            table = self._table(request, body)
            where = self._filter(body[d.update_filter_key], "body", d.update_filter_key)
            change = body[d.update_key]
            if d.update_operator:
                if not isinstance(change, dict) or set(change) != {d.update_operator}:
                    raise _wrong(f"{{{d.update_operator!r}: …}} object", "body", d.update_key)
                change = change[d.update_operator]
            if not isinstance(change, dict) or any(str(k).startswith("$") for k in change):
                raise _wrong("dictionary of fields", "body", d.update_key)
            row = change
        matched = 0
        for index, old in enumerate(table):
            if matches_all(old, where):
                matched += 1
                table[index] = old | {k: v for k, v in row.items() if k != d.id_field}
        if d.update_mode == "by_id":
            if not matched:
                return web.json_response({"detail": "row not found"}, status=404)
            return web.json_response(dict(table[self._index(table, where)]))
        return web.json_response({"matched_count": matched, "modified_count": matched})

    async def _delete(self, request: web.Request) -> web.Response:
        d = self.dialect
        if d.delete_mode == "by_id":
            if request[BODY] is not None:
                raise Refused([{"type": "extra_forbidden", "loc": ["body"], "msg": "No body"}])
            table = self._table(request, None)
            where = [(d.id_field, "$eq", request.match_info["row_id"])]
        else:
            optional = self.delete_filter_optional
            body = self._body(request, "delete", {d.delete_filter_key: not optional})
            table = self._table(request, body)
            if optional and d.delete_filter_key not in body:
                where = []  # no filter: every row
            else:
                where = self._filter(body[d.delete_filter_key], "body", d.delete_filter_key)
            if not where and not optional:
                raise Refused(
                    [
                        {
                            "type": "value_error",
                            "loc": ["body", d.delete_filter_key],
                            "msg": "an empty filter would delete every row",
                        }
                    ]
                )
        kept = [r for r in table if not matches_all(r, where)]
        deleted = len(table) - len(kept)
        table[:] = kept
        if d.delete_mode == "by_id" and not deleted:
            return web.json_response({"detail": "row not found"}, status=404)
        return web.json_response({"deleted_count": deleted})

    def _index(self, table: list[Row], where: list[Condition]) -> int:
        return next(i for i, r in enumerate(table) if matches_all(r, where))


def _exact(body: Row, keys: dict[str, bool], where: str, lenient: bool = False) -> None:
    """Refuse keys not in `keys` (unless `lenient`) and missing required ones (FastAPI's
    `detail` list)."""
    errors: list[dict[str, Any]] = [
        {"type": "extra_forbidden", "loc": [where, k], "msg": "Extra inputs are not permitted"}
        for k in body
        if k not in keys and not lenient
    ]
    errors += [
        {"type": "missing", "loc": [where, k], "msg": "Field required"}
        for k, required in keys.items()
        if required and k not in body
    ]
    if errors:
        raise Refused(errors)


def _suffix_conditions(value: dict[str, Any], loc: list[str]) -> list[Condition]:
    found: list[Condition] = []
    for key, operand in value.items():
        name, _, op = key.rpartition("__")
        if name and f"${op}" in OPERATORS:
            found.append((name, f"${op}", operand))
        elif isinstance(operand, dict):
            raise Refused(
                [
                    {
                        "type": "value_error",
                        "loc": [*loc, key],
                        "msg": "use field__op keys, not operator objects",
                    }
                ]
            )
        else:
            found.append((key, "$eq", operand))
    return found


def _list_conditions(value: Any, loc: list[str]) -> list[Condition]:
    if not isinstance(value, list):
        raise _wrong("list", *loc)
    found: list[Condition] = []
    for n, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"column", "op", "value"}:
            raise Refused(
                [
                    {
                        "type": "value_error",
                        "loc": [*loc, str(n)],
                        "msg": "a condition is {column, op, value}",
                    }
                ]
            )
        column, op, operand = item["column"], item["op"], item["value"]
        if op in _LIST_OPS:
            found.append((column, _LIST_OPS[op], operand))
        elif op == "in" and isinstance(operand, list):
            found.append((column, "$in", operand))
        elif op in ("is", "not.is") and operand is None:
            found.append((column, "$eq" if op == "is" else "$ne", None))
        else:
            raise Refused(
                [
                    {
                        "type": "value_error",
                        "loc": [*loc, str(n), "op"],
                        "msg": f"unsupported op {op!r}",
                    }
                ]
            )
    return found


def matches_all(row: Row, where: list[Condition]) -> bool:
    """Whether `row` passes every condition."""
    return all(_operator(row.get(name), op, operand) for name, op, operand in where)


def matches(row: Row, filters: dict[str, Any]) -> bool:
    """Mongo-style match: every field equal to its value, or passing every operator given."""
    return matches_all(row, conditions(filters))


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


def _unprocessable(errors: list[dict[str, Any]]) -> web.Response:
    return web.json_response({"detail": errors}, status=422)


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
            headers=standin.dialect.headers(standin.api_key, standin.project_id),
        ),
        standin.dialect,
        standin.project_id,
        base_seconds=0,
        max_seconds=0,
        pause=no_wait,
    )
    store = ZeroDBSessionStore(tables, pause=no_wait, lock_tries=lock_tries)
    try:
        await store.create_tables()
    except BaseException:
        await store.close()
        raise
    return store


DIALECT_ENV = "DOJOBOT_TEST_ZERODB_DIALECT"
"""Names the preset the contract suite's ZeroDB store speaks (default `docs`), e.g.
`DOJOBOT_TEST_ZERODB_DIALECT=supabase pytest tests/contract -k zerodb`."""


@asynccontextmanager
async def standin_store(_tmp: Path) -> AsyncIterator[SessionStore]:
    """The contract-suite factory: a fresh stand-in and a store on it, in the preset named by
    `$DOJOBOT_TEST_ZERODB_DIALECT` (default `docs`)."""
    name = os.environ.get(DIALECT_ENV, "").strip() or "docs"
    if name not in PRESETS:
        raise ValueError(f"{DIALECT_ENV}={name!r}: use one of {', '.join(PRESETS)}")
    standin = ZeroDBStandIn(dialect=ZeroDBDialect.model_validate(PRESETS[name]))
    base_url = await standin.start()
    store = await open_standin_store(base_url, standin)
    try:
        yield store
    finally:
        await store.close()
        await standin.close()

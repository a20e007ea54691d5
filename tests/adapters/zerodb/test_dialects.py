"""The dialect presets send exactly what their source sends, and the stand-in refuses any
other shape the way ZeroDB's FastAPI service does (404/405 before auth, 401/403, 422 with
FastAPI's `detail` list)."""

from __future__ import annotations

import json
from itertools import permutations
from typing import Any, get_args

import httpx
import pytest

from adapters.zerodb.dialect import PRESETS, ApiCall, DialectName, resolve_dialect
from adapters.zerodb.filter_styles import spell
from adapters.zerodb.tables import ZeroDBError
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

KEY = "sk_test_standin"
STORE_FILTER: dict[str, Any] = {
    "status": {"$in": ["scheduled", "live"]},
    "start_time": {"$gte": "2026-12-01", "$lt": "2026-12-08"},
    "archived_at": None,
    "sent_at": {"$ne": None},
    "event_id": "e1",
}


def test_every_preset_has_a_name_and_every_name_a_preset() -> None:
    assert list(PRESETS) == list(get_args(DialectName))


# the shapes of the 2026 clients ------------------------------------------------------------
# Every literal below is copied by hand from the client's code (the wheels on PyPI), never
# derived from the dialect: ainative-agent 0.1.0 `_http.py` (`{base}/api/v1{path}`,
# `X-API-Key`) and `tables.py`; zerodb-apscheduler 0.1.0 `jobstore.py`; zerodb-supabase
# 0.1.0 `client.py` and `query.py`.

ROWS = [{"a": 1}, {"a": 2}]


def test_agent_sdk_sends_what_ainative_agent_sends() -> None:
    d = resolve_dialect("agent-sdk")
    assert d.headers(KEY, "p") == {"X-API-Key": KEY}  # no project id anywhere
    # TableClient.create: POST /public/tables/ {"name": name} (+ "schema" when given)
    assert d.create_call("p", "t", "x") == ApiCall("POST", "/api/v1/public/tables/", {"name": "t"})
    assert d.list_call("p") == ApiCall("GET", "/api/v1/public/tables/")
    assert d.drop_call("p", "t") == ApiCall("DELETE", "/api/v1/public/tables/t")
    # insert: POST /public/tables/{t}/rows {"rows": rows}
    assert d.insert_calls("p", "t", ROWS) == [
        ApiCall("POST", "/api/v1/public/tables/t/rows", {"rows": [{"a": 1}, {"a": 2}]})
    ]
    # query: GET /public/tables/{t}/rows, params filter=json.dumps(filter), limit, offset
    assert d.query_call("p", "t", {"a": {"$gte": 1}}, 50, 100, [("a", 1)]) == ApiCall(
        "GET",
        "/api/v1/public/tables/t/rows",
        None,
        {"filter": '{"a": {"$gte": 1}}', "limit": "50", "offset": "100"},
    )
    # update: PUT /public/tables/{t}/rows {"filter": filter, "updates": updates}, as given
    assert d.update_call("p", "t", "r1", {"a": 2}) == ApiCall(
        "PUT", "/api/v1/public/tables/t/rows", {"filter": {"id": "r1"}, "updates": {"a": 2}}
    )
    # delete_rows: DELETE /public/tables/{t}/rows {"filter": filter}
    assert d.delete_call("p", "t", "r1") == ApiCall(
        "DELETE", "/api/v1/public/tables/t/rows", {"filter": {"id": "r1"}}
    )


def test_apscheduler_sends_what_zerodb_apscheduler_sends() -> None:
    d = resolve_dialect("apscheduler")
    # _headers: Authorization: Bearer <key>, X-Project-ID (and Content-Type)
    assert d.headers(KEY, "p") == {"Authorization": f"Bearer {KEY}", "X-Project-ID": "p"}
    # _ensure_table: POST /api/v1/public/tables/{project_id} {"name": table}
    assert d.create_call("p", "t", "x") == ApiCall("POST", "/api/v1/public/tables/p", {"name": "t"})
    assert d.list_call("p") is None
    # _insert_row: POST …/{project_id}/{table}/rows {"rows": [row]}
    assert d.insert_calls("p", "t", ROWS) == [
        ApiCall("POST", "/api/v1/public/tables/p/t/rows", {"rows": [{"a": 1}, {"a": 2}]})
    ]
    # get_next_run_time: POST …/query {"filters": {"next_run_time__ne": None}, "limit": 1}
    nrt = {"next_run_time": {"$lte": 5, "$ne": None}}
    assert d.query_call("p", "t", nrt, 1, 0, None) == ApiCall(
        "POST",
        "/api/v1/public/tables/p/t/query",
        {"filters": {"next_run_time__lte": 5, "next_run_time__ne": None}, "limit": 1},
    )
    # the client never updates: PUT on the path of its delete, with that delete's `filters`
    # and ainative-agent's plain `updates` (inferred, see docs/storage.md)
    assert d.update_call("p", "t", "r1", {"a": 2}) == ApiCall(
        "PUT", "/api/v1/public/tables/p/t/rows", {"filters": {"id": "r1"}, "updates": {"a": 2}}
    )
    # _delete_row: DELETE …/{project_id}/{table}/rows {"filters": {...}}
    assert d.delete_call("p", "t", "r1") == ApiCall(
        "DELETE", "/api/v1/public/tables/p/t/rows", {"filters": {"id": "r1"}}
    )


def test_supabase_sends_what_zerodb_supabase_sends() -> None:
    d = resolve_dialect("supabase")
    # Client: session headers Authorization: Bearer <key>, X-Project-ID (and Content-Type)
    assert d.headers(KEY, "p") == {"Authorization": f"Bearer {KEY}", "X-Project-ID": "p"}
    assert (d.create_call("p", "t", "x"), d.list_call("p"), d.drop_call("p", "t")) == (
        None,
        None,
        None,
    )
    # _execute_insert: POST /api/v1/public/tables/insert {table, operation, rows}
    assert d.insert_calls("p", "t", ROWS) == [
        ApiCall(
            "POST",
            "/api/v1/public/tables/insert",
            {"table": "t", "operation": "insert", "rows": [{"a": 1}, {"a": 2}]},
        )
    ]
    # _execute_select: POST …/query {table, filters, limit, offset, operation: "query"}
    query = d.query_call("p", "t", {"a": None, "b": {"$in": [1, 2]}}, 10, 20, None)
    assert query == ApiCall(
        "POST",
        "/api/v1/public/tables/query",
        {
            "table": "t",
            "operation": "query",
            "filters": [
                {"column": "a", "op": "is", "value": None},
                {"column": "b", "op": "in", "value": [1, 2]},
            ],
            "limit": 10,
            "offset": 20,
        },
    )
    # _execute_update: POST …/update {table, operation, data, filters}
    assert d.update_call("p", "t", "r1", {"a": 2}) == ApiCall(
        "POST",
        "/api/v1/public/tables/update",
        {
            "table": "t",
            "operation": "update",
            "filters": [{"column": "id", "op": "eq", "value": "r1"}],
            "data": {"a": 2},
        },
    )
    # _execute_delete: POST …/delete {table, operation, filters}
    assert d.delete_call("p", "t", "r1") == ApiCall(
        "POST",
        "/api/v1/public/tables/delete",
        {
            "table": "t",
            "operation": "delete",
            "filters": [{"column": "id", "op": "eq", "value": "r1"}],
        },
    )


_HTTPX_HEADERS = {
    "host",
    "accept",
    "accept-encoding",
    "connection",
    "user-agent",
    "content-length",
    "content-type",
}


@pytest.mark.parametrize(
    ("preset", "names"),
    [
        ("agent-sdk", {"x-api-key"}),
        ("apscheduler", {"authorization", "x-project-id"}),
        ("supabase", {"authorization", "x-project-id"}),
    ],
)
async def test_on_the_wire_a_client_preset_sends_only_its_clients_headers(
    preset: Any, names: set[str]
) -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect(preset))
    base_url = await fake.start()
    store = await open_standin_store(base_url, fake)
    try:
        await store.add_session(make_session())
        assert await store.get_session("s1") == make_session()
    finally:
        await store.close()
        await fake.close()
    assert fake.requests
    for sent in fake.requests:
        assert {n.lower() for n in sent.headers} - _HTTPX_HEADERS == names


async def test_a_client_preset_standin_refuses_what_its_client_never_sends() -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect("agent-sdk"))
    base_url = await fake.start()
    base = "/api/v1/public/tables"
    try:
        async with httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": KEY}) as client:
            described = await client.post(f"{base}/", json={"name": "t", "description": "x"})
            assert described.status_code == 422
            assert described.json()["detail"][0]["loc"] == ["body", "description"]
            assert (await client.post(f"{base}/", json={"name": "t"})).status_code == 201
            await client.post(f"{base}/t/rows", json={"rows": [{"a": 1}]})
            wrapped = {"filter": {"a": 1}, "updates": {"$set": {"a": 2}}}
            assert (await client.put(f"{base}/t/rows", json=wrapped)).status_code == 422
            plain = {"filter": {"a": 1}, "updates": {"a": 2}}
            assert (await client.put(f"{base}/t/rows", json=plain)).status_code == 200
    finally:
        await fake.close()
    assert [{k: v for k, v in r.items() if k != "id"} for r in fake.rows("t")] == [{"a": 2}]


def test_the_docs_preset_sends_what_it_always_sent() -> None:
    d = resolve_dialect("docs")
    base = "/api/v1/projects/p/database/tables"
    assert d.headers(KEY, "p") == {"X-API-Key": KEY}
    assert d.create_call("p", "t", "x") == ApiCall("POST", base, {"name": "t", "description": "x"})
    assert d.insert_calls("p", "t", [{"a": 1}, {"a": 2}]) == [
        ApiCall("POST", f"{base}/t/rows", {"row_data": {"a": 1}}),
        ApiCall("POST", f"{base}/t/rows", {"row_data": {"a": 2}}),
    ]
    assert d.query_call("p", "t", STORE_FILTER, 5, 10, [("a", 1)]) == ApiCall(
        "POST", f"{base}/t/query", {"filters": STORE_FILTER, "limit": 5, "skip": 10}
    )
    assert d.update_call("p", "t", "r1", {"a": 2}) == ApiCall(
        "PUT", f"{base}/t/rows/r1", {"row_data": {"a": 2}}
    )
    assert d.delete_call("p", "t", "r1") == ApiCall("DELETE", f"{base}/t/rows/r1")


def test_every_store_filter_has_a_spelling_in_each_style() -> None:
    assert spell(STORE_FILTER, "mongo") == STORE_FILTER
    assert spell(STORE_FILTER, "suffix") == {
        "status__in": ["scheduled", "live"],
        "start_time__gte": "2026-12-01",
        "start_time__lt": "2026-12-08",
        "archived_at": None,
        "sent_at__ne": None,
        "event_id": "e1",
    }
    assert spell(STORE_FILTER, "list") == [
        {"column": "status", "op": "in", "value": ["scheduled", "live"]},
        {"column": "start_time", "op": "gte", "value": "2026-12-01"},
        {"column": "start_time", "op": "lt", "value": "2026-12-08"},
        {"column": "archived_at", "op": "is", "value": None},
        {"column": "sent_at", "op": "not.is", "value": None},
        {"column": "event_id", "op": "eq", "value": "e1"},
    ]
    with pytest.raises(ValueError, match=r"\$regex"):
        spell({"a": {"$regex": "x"}}, "suffix")


# the stand-in refuses other shapes --------------------------------------------------------


@pytest.mark.parametrize(("server", "client"), list(permutations(PRESETS, 2)))
async def test_a_standin_refuses_a_store_speaking_another_preset(server: Any, client: Any) -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect(server))
    base_url = await fake.start()
    wrong = ZeroDBStandIn(dialect=resolve_dialect(client))  # only lends its dialect
    try:
        with pytest.raises(ZeroDBError) as refused:
            await _open_and_use(base_url, wrong)
    finally:
        await fake.close()
    assert refused.value.status in (401, 403, 404, 405, 422)


async def _open_and_use(base_url: str, fake: ZeroDBStandIn) -> None:
    store = await open_standin_store(base_url, fake)
    try:
        await store.add_session(make_session())
        await store.get_session("s1")
    finally:
        await store.close()


async def test_the_standin_answers_like_fastapi() -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect("docs"))
    base_url = await fake.start()
    base = "/api/v1/projects/proj-1/database/tables"
    headers = {"X-API-Key": KEY}
    try:
        async with httpx.AsyncClient(base_url=base_url) as client:
            unknown = await client.post("/api/v1/public/tables/insert", json={})
            assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not Found"})
            verb = await client.patch(base, json={})
            assert (verb.status_code, verb.json()) == (405, {"detail": "Method Not Allowed"})
            no_key = await client.post(base, json={"name": "t"})
            assert no_key.status_code == 401
            await client.post(base, json={"name": "t"}, headers=headers)
            await client.post(f"{base}/t/rows", json={"row_data": {"a": 1}}, headers=headers)
            # `filter` where this shape wants `filters`: refused, not read as "no filter"
            wrong = await client.post(
                f"{base}/t/query", json={"filter": {"a": 2}, "limit": 5}, headers=headers
            )
            assert wrong.status_code == 422
            assert wrong.json() == {
                "detail": [
                    {
                        "type": "extra_forbidden",
                        "loc": ["body", "filter"],
                        "msg": "Extra inputs are not permitted",
                    }
                ]
            }
            batch = await client.post(
                f"{base}/t/rows", json={"row_data": [{"a": 1}]}, headers=headers
            )
            assert batch.status_code == 422  # one row per call in this shape
            right = await client.post(
                f"{base}/t/query", json={"filters": {"a": 2}, "limit": 5}, headers=headers
            )
            assert right.json() == {"rows": [], "total": 0}
    finally:
        await fake.close()


async def test_bearer_shapes_need_the_project_header() -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect("supabase"))
    base_url = await fake.start()
    body = {"table": "t", "operation": "insert", "rows": [{"a": 1}]}
    try:
        async with httpx.AsyncClient(base_url=base_url) as client:
            bearer = {"Authorization": f"Bearer {KEY}"}
            missing = await client.post("/api/v1/public/tables/insert", json=body, headers=bearer)
            assert missing.status_code == 403
            headers = bearer | {"X-Project-ID": "proj-1"}
            mongo = {"table": "t", "operation": "query", "filters": {"a": 1}}
            refused = await client.post("/api/v1/public/tables/query", json=mongo, headers=headers)
            assert refused.status_code == 422
            ok = await client.post("/api/v1/public/tables/insert", json=body, headers=headers)
            assert ok.status_code == 201
    finally:
        await fake.close()
    assert fake.rows("t")[0]["a"] == 1


async def test_a_get_query_carries_its_filter_as_json() -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect("agent-sdk"))
    base_url = await fake.start()
    store = await open_standin_store(base_url, fake)
    try:
        await store.add_session(make_session())
        assert await store.get_session("s1") == make_session()
    finally:
        await store.close()
        await fake.close()
    gets = [r for r in fake.requests if r.method == "GET"]
    assert gets and all(r.body is None for r in gets)
    assert {"session_id": "s1"}.items() <= json.loads(gets[-1].query["filter"]).items()

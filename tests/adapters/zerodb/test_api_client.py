"""ZeroDBTables against the stand-in: auth, retries, error mapping, secrets, every dialect."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from adapters.http_retry import retry_after_seconds
from adapters.zerodb import ZeroDBSessionStore, open_zerodb_store
from adapters.zerodb.dialect import PRESETS, ZeroDBDialect, resolve_dialect
from adapters.zerodb.retry import backoff_seconds
from adapters.zerodb.settings import ZeroDBSettings
from adapters.zerodb.tables import ZeroDBAuthError, ZeroDBError, ZeroDBTables
from bot.settings import Settings
from bot.wiring.stores import open_store
from core.model import DeliveryKey, ReminderKind, RsvpStatus, SessionFilter
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, no_wait, open_standin_store, standin_settings

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECRET = "sk_test_standin"


def tables_for(base_url: str, fake: ZeroDBStandIn, api_key: str = SECRET) -> ZeroDBTables:
    client = httpx.AsyncClient(
        base_url=base_url, headers={fake.dialect.auth_header: fake.dialect.auth_value(api_key)}
    )
    return ZeroDBTables(client, fake.dialect, fake.project_id, base_seconds=0, pause=no_wait)


# auth and secrets ---------------------------------------------------------------------------


async def test_a_wrong_key_is_a_config_error_that_does_not_echo_it(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    fake, base_url = standin
    tables = tables_for(base_url, fake, api_key="sk_wrong_key")
    try:
        with pytest.raises(ZeroDBAuthError) as refused:
            await tables.create_table("t", "d")
    finally:
        await tables.close()
    assert refused.value.status == 401
    assert "API_KEY" in str(refused.value)
    assert "sk_wrong_key" not in str(refused.value)
    assert len(fake.requests) == 1  # 401 is never retried


async def test_the_key_travels_in_the_header_and_never_in_logs(
    standin: tuple[ZeroDBStandIn, str], caplog: pytest.LogCaptureFixture
) -> None:
    fake, base_url = standin
    settings = standin_settings(base_url, fake)
    caplog.set_level(logging.DEBUG)
    store = await open_zerodb_store(settings)
    try:
        fake.fail_next(503, method="POST")
        await store.add_session(make_session())
        assert await store.get_session("s1") == make_session()
    finally:
        await store.close()
    assert all(r.headers.get("X-API-Key") == SECRET for r in fake.requests)
    assert SECRET not in caplog.text
    assert SECRET not in repr(settings)
    assert SECRET not in repr(store.tables)


# retries ---------------------------------------------------------------------------------------


async def test_429_is_retried_after_the_servers_pause(standin: tuple[ZeroDBStandIn, str]) -> None:
    fake, base_url = standin
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    client = httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": SECRET})
    tables = ZeroDBTables(client, fake.dialect, fake.project_id, max_seconds=10, pause=pause)
    try:
        await tables.create_table("t", "d")
        fake.fail_next(429, retry_after="2")
        await tables.insert("t", [{"a": 1}])  # an insert is retried after 429: not applied
        fake.fail_next(429, retry_after="120")
        rows, total = await tables.query("t", {}, limit=10)
    finally:
        await tables.close()
    assert pauses == [2.0, 10.0]  # honoured, capped
    assert [r["a"] for r in rows] == [1]
    assert total == 1


async def test_5xx_retries_reads_but_never_resends_an_insert(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    fake, base_url = standin
    tables = tables_for(base_url, fake)
    try:
        await tables.create_table("t", "d")
        fake.fail_next(503, times=2)
        rows, _ = await tables.query("t", {}, limit=10)
        assert rows == []
        fake.fail_next(502)
        with pytest.raises(ZeroDBError) as failed:
            await tables.insert("t", [{"a": 1}])
        assert failed.value.status == 502
        fake.fail_next(500, times=4)
        with pytest.raises(ZeroDBError):
            await tables.query("t", {}, limit=10)  # gives up after retry_attempts
    finally:
        await tables.close()
    assert fake.rows("t") == []


async def test_an_existing_table_is_not_an_error(standin: tuple[ZeroDBStandIn, str]) -> None:
    fake, base_url = standin
    tables = tables_for(base_url, fake)
    try:
        await tables.create_table("t", "d")
        await tables.create_table("t", "d")
        fake.fail_next(422)
        with pytest.raises(ZeroDBError):
            await tables.create_table("u", "d")
    finally:
        await tables.close()


async def test_an_unreachable_server_is_a_zerodb_error() -> None:
    dialect = ZeroDBDialect()
    client = httpx.AsyncClient(base_url="http://127.0.0.1:9", timeout=1)
    tables = ZeroDBTables(client, dialect, "p", attempts=2, base_seconds=0, pause=no_wait)
    try:
        with pytest.raises(ZeroDBError, match="unreachable"):
            await tables.query("t", {}, limit=1)
    finally:
        await tables.close()
    assert tables.requests == 2


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("3", now) == 3.0
    assert retry_after_seconds("1.5", now) == 1.5
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:07 GMT", now) == 7.0
    assert retry_after_seconds("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None
    assert backoff_seconds(3, 1.0, 2.5, retry_after=9) == 2.5
    assert all(0 <= backoff_seconds(n, 0.5, 3.0) <= min(3.0, 0.5 * 2 ** (n - 1)) for n in (1, 4))


# dialects --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PRESETS))
async def test_the_store_works_in_every_dialect(name: Any) -> None:
    dialect = resolve_dialect(name)
    fake = ZeroDBStandIn(dialect=dialect)
    base_url = await fake.start()
    store = await open_standin_store(base_url, fake)
    try:
        await _short_story(store)
    finally:
        await store.close()
        await fake.close()
    paths = {r.path for r in fake.requests}
    assert all(p.startswith(dialect.tables(fake.project_id)) for p in paths)
    inserts = [r.body for r in fake.requests if r.path.endswith("/rows") and r.method == "POST"]
    assert all(dialect.insert_key in body for body in inserts)
    queries = [r.body for r in fake.requests if r.path.endswith("/query")]
    assert all(dialect.filter_key in body and dialect.limit_key in body for body in queries)


async def _short_story(store: ZeroDBSessionStore) -> None:
    for n in range(4):
        await store.add_session(make_session(f"s{n}", start_time=T0 + timedelta(hours=n)))
    listed = await store.list_sessions(SessionFilter(limit=2, offset=1, descending=True))
    assert [s.id for s in listed] == ["s2", "s1"]
    assert await store.count_sessions(SessionFilter()) == 4
    await store.save_session(make_session("s1", start_time=T0 + timedelta(hours=1), capacity=1))
    await store.rsvp_going("s1", "m1", "Ann", T0)
    await store.rsvp_going("s1", "m2", "Bob", T0)
    change = await store.rsvp_leave("s1", "m1", T0)
    assert change.promoted is not None
    assert [r.member_id for r in await store.list_rsvps("s1", RsvpStatus.GOING)] == ["m2"]
    keys = [
        DeliveryKey(session_id="s1", recipient_id=m, kind=ReminderKind.BEFORE_1H, start_time=T0)
        for m in "ab"
    ]
    assert await store.claim_deliveries(keys, T0, timedelta(minutes=5)) == keys
    await store.mark_deliveries_sent(keys[:1], T0)
    assert await store.delivery_sent(keys[0])
    assert not await store.delivery_sent(keys[1])


def test_overrides_change_single_knobs_and_unknown_ones_are_refused() -> None:
    settings = ZeroDBSettings(
        project_id="p",
        api_key=SECRET,
        dialect="python-sdk",
        dialect_overrides={
            "offset_key": "skip",
            "auth_header": "Authorization",
            "auth_scheme": "Bearer",
        },
    )
    dialect = settings.api_dialect
    assert (dialect.insert_key, dialect.offset_key) == ("rows", "skip")
    assert dialect.auth_value("k") == "Bearer k"
    with pytest.raises(ValueError, match="no_such_knob"):
        ZeroDBSettings(project_id="p", api_key=SECRET, dialect_overrides={"no_such_knob": 1})


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJOBOT_ZERODB__PROJECT_ID", "proj-9")
    monkeypatch.setenv("DOJOBOT_ZERODB__API_KEY", SECRET)
    monkeypatch.setenv("DOJOBOT_ZERODB__DIALECT", "quickstart")
    monkeypatch.setenv("DOJOBOT_ZERODB__DIALECT_OVERRIDES", '{"id_field": "row_id"}')
    settings = Settings(_env_file=None)
    assert settings.zerodb is not None
    assert settings.zerodb.api_dialect.id_field == "row_id"
    assert settings.zerodb.api_dialect.tables("proj-9") == "/v1/public/database/tables"
    assert SECRET not in repr(settings)


async def test_open_store_picks_zerodb_when_configured(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    fake, base_url = standin
    settings = Settings(zerodb=standin_settings(base_url, fake), _env_file=None)
    store = await open_store(settings)
    assert isinstance(store, ZeroDBSessionStore)
    try:
        assert "dojobot_training_sessions" in fake.tables
        assert "dojobot_deliveries" in fake.tables
    finally:
        await store.close()

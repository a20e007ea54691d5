"""The probe behind `dojobot zerodb-check`, through `main(argv)`: configured overrides are tried
first and printed back, a wrong row id field is named with the override that fixes it, and a
service that ignores a filter is caught."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from adapters.zerodb.dialect import resolve_dialect
from adapters.zerodb.probe import Candidate, probe
from bot.cli import main
from tests.fakes.zerodb_standin import ZeroDBStandIn, standin_settings

KEY = "sk_test_standin"


async def test_configured_overrides_are_tried_first_and_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect("python-sdk", {"id_field": "row_id"}))
    base_url = await fake.start()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOJOBOT_ZERODB__BASE_URL", base_url)
    monkeypatch.setenv("DOJOBOT_ZERODB__PROJECT_ID", fake.project_id)
    monkeypatch.setenv("DOJOBOT_ZERODB__API_KEY", KEY)
    monkeypatch.setenv("DOJOBOT_ZERODB__DIALECT", "python-sdk")
    monkeypatch.setenv("DOJOBOT_ZERODB__DIALECT_OVERRIDES", '{"id_field": "row_id"}')
    try:
        code = await asyncio.to_thread(main, ["zerodb-check", "--preset", "python-sdk"])
        assert code == 1  # the bare preset alone: rows carry `row_id`, not `id`
        bare = capsys.readouterr().out
        assert "FAIL python-sdk: POST /api/v1/projects/proj-1/database/tables/" in bare
        assert """rows carry no 'id'; try the override {"id_field": "row_id"}""" in bare
        code = await asyncio.to_thread(main, ["zerodb-check"])
        out = capsys.readouterr().out
    finally:
        await fake.close()
    assert code == 0
    assert "  OK   python-sdk + overrides:" in out
    assert "Use the python-sdk + overrides dialect (already configured)." in out
    assert 'DOJOBOT_ZERODB__DIALECT_OVERRIDES={"id_field": "row_id"}' in out
    assert fake.tables == {}


async def test_a_service_that_ignores_the_filter_key_fails_the_check() -> None:
    # FastAPI ignores unknown body keys by default: `filter` where `filters` is read is no
    # filter at all, and only reading the rows back shows it.
    fake = ZeroDBStandIn(dialect=resolve_dialect("docs"), lenient=True)
    base_url = await fake.start()
    settings = standin_settings(base_url, fake)
    try:
        [verdict] = await probe(settings, [Candidate("docs", {"filter_key": "filter"})])
    finally:
        await fake.close()
    assert verdict.failure is not None
    assert verdict.failure.method == "POST"
    assert verdict.failure.path.endswith("/query")
    assert verdict.failure.status == 200
    assert verdict.failure.message == "an equality filter returned rows ['a', 'b'], expected ['a']"
    assert fake.tables == {}


async def test_a_delete_that_ignores_its_filter_key_fails_the_check() -> None:
    # The service reads `filters` on its delete and, leniently, deletes every row when that
    # key is absent: a candidate spelling the delete's filter `filter` reads and updates
    # right, then empties the table. Only reading every row back after the delete shows it.
    fake = ZeroDBStandIn(
        dialect=resolve_dialect("apscheduler"), lenient=True, delete_filter_optional=True
    )
    base_url = await fake.start()
    settings = standin_settings(base_url, fake)
    try:
        wrong, right = await probe(
            settings,
            [Candidate("apscheduler", {"delete_filter_key": "filter"}), Candidate("apscheduler")],
        )
    finally:
        await fake.close()
    assert wrong.failure is not None
    assert (wrong.failure.method, wrong.failure.status) == ("DELETE", 200)
    assert wrong.failure.path.startswith("/api/v1/public/tables/proj-1/dojobot_zerodb_check_")
    assert wrong.failure.path.endswith("_1/rows")
    assert wrong.failure.message == (
        "the delete of row 'a' by its id removed every row, expected ['b'] to remain: the "
        "service ignored the delete's filter (check delete_filter_key, 'filter' here)"
    )
    assert right.answered, right.failure
    assert fake.tables == {}

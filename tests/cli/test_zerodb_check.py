"""`dojobot zerodb-check` as a real process against the ZeroDB stand-in on loopback: it names
the one preset the stand-in speaks and prints its settings (never the key), names the failing
call when the project refuses one, drops its scratch tables whatever happens, and says which
variables to set when ZeroDB is not configured."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.zerodb.dialect import PRESETS, resolve_dialect
from tests.fakes.zerodb_standin import ZeroDBStandIn

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk_test_standin"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    def verdicts(self, mark: str) -> list[str]:
        """The presets of the `OK` or `FAIL` lines."""
        return [line.split()[1].rstrip(":") for line in self.lines if line.startswith(f"  {mark} ")]


def _env(tmp_path: Path, **zerodb: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DOJOBOT_", "ZERODB_", "AINATIVE_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    env["DOJOBOT_DATA_DIR"] = str(tmp_path / "data")
    env.update({f"DOJOBOT_ZERODB__{k.upper()}": v for k, v in zerodb.items()})
    return env


async def zerodb_check(tmp_path: Path, env: dict[str, str], *args: str) -> Run:
    """Run `dojobot zerodb-check` in a fresh interpreter while this loop serves the fakes."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "zerodb-check",
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return Run(process.returncode, out.decode(), err.decode())


@pytest.fixture
async def served(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[ZeroDBStandIn, str, str]]:
    fake = ZeroDBStandIn(dialect=resolve_dialect(request.param))
    base_url = await fake.start()
    yield fake, base_url, request.param
    await fake.close()


@pytest.mark.parametrize("served", list(PRESETS), indirect=True)
async def test_the_check_names_the_preset_the_project_speaks(
    served: tuple[ZeroDBStandIn, str, str], tmp_path: Path
) -> None:
    fake, base_url, name = served
    env = _env(tmp_path, base_url=base_url, project_id=fake.project_id, api_key=KEY)
    run = await zerodb_check(tmp_path, env)
    assert run.code == 0, run.stdout + run.stderr
    assert run.verdicts("OK") == [name]
    assert sorted(run.verdicts("FAIL")) == sorted(n for n in PRESETS if n != name)
    assert f"DOJOBOT_ZERODB__DIALECT={name}" in run.lines
    assert "DOJOBOT_ZERODB__DIALECT_OVERRIDES={}" in run.lines
    assert f"DOJOBOT_ZERODB__BASE_URL={base_url}" in run.lines
    assert "DOJOBOT_ZERODB__API_KEY=<unchanged>" in run.lines
    assert KEY not in run.stdout + run.stderr
    assert "WARN" not in run.stdout
    # every scratch table dropped (a shape without a drop call keeps an empty one)
    if fake.dialect.drop_path is None:
        assert all(rows == [] for rows in fake.tables.values())
    else:
        assert fake.tables == {}
    # and it wrote nowhere else: every write named a scratch table
    assert all(
        "zerodb_check_" in r.path or "zerodb_check_" in str(r.body)
        for r in fake.requests
        if r.method != "GET"
    )


@pytest.mark.parametrize("served", ["docs"], indirect=True)
async def test_a_refused_call_is_named_and_the_scratch_table_still_dropped(
    served: tuple[ZeroDBStandIn, str, str], tmp_path: Path
) -> None:
    fake, base_url, _ = served
    fake.fail_next(403, method="PUT", detail=f"Row updates are disabled for key {KEY}")
    env = _env(tmp_path, base_url=base_url, project_id=fake.project_id, api_key=KEY)
    run = await zerodb_check(tmp_path, env)
    assert run.code == 1
    assert run.verdicts("OK") == []
    [docs] = [line for line in run.lines if line.startswith("  FAIL docs:")]
    assert "PUT /api/v1/projects/proj-1/database/tables/dojobot_zerodb_check_" in docs
    assert docs.endswith("-> HTTP 403: Row updates are disabled for key <api key>")
    assert "No dialect answered" in run.stderr
    assert KEY not in run.stdout + run.stderr
    assert "DOJOBOT_ZERODB__DIALECT=" not in run.stdout
    assert fake.tables == {}  # created, refused midway, dropped
    assert [r.method for r in fake.requests if "zerodb_check_" in r.path][-1] == "DELETE"


@pytest.mark.parametrize("served", ["supabase"], indirect=True)
async def test_a_wrong_key_fails_every_preset_without_echoing_it(
    served: tuple[ZeroDBStandIn, str, str], tmp_path: Path
) -> None:
    fake, base_url, _ = served
    env = _env(tmp_path, base_url=base_url, project_id=fake.project_id, api_key="sk_wrong_1")
    run = await zerodb_check(tmp_path, env, "--preset", "supabase", "--preset", "docs")
    assert run.code == 1
    assert run.verdicts("FAIL") == ["supabase", "docs"]
    [supabase] = [line for line in run.lines if line.startswith("  FAIL supabase:")]
    assert "POST /api/v1/public/tables/insert -> HTTP 401: Invalid or missing API key" in supabase
    assert "sk_wrong_1" not in run.stdout + run.stderr
    assert fake.tables == {}


async def test_without_zerodb_settings_it_names_the_variables(tmp_path: Path) -> None:
    run = await zerodb_check(tmp_path, _env(tmp_path))
    assert run.code == 2
    assert "DOJOBOT_ZERODB__PROJECT_ID" in run.stderr
    assert "DOJOBOT_ZERODB__API_KEY" in run.stderr
    assert "Traceback" not in run.stderr


async def test_an_unreachable_host_is_one_line_per_preset(tmp_path: Path) -> None:
    env = _env(tmp_path, base_url="http://127.0.0.1:9", project_id="p", api_key=KEY)
    env["DOJOBOT_ZERODB__CONNECT_TIMEOUT_SECONDS"] = "2"
    run = await zerodb_check(tmp_path, env, "--preset", "agent-sdk")
    assert run.code == 1
    assert run.verdicts("FAIL") == ["agent-sdk"]
    assert "GET /api/v1/public/tables/ -> no answer: unreachable (ConnectError)" in run.stdout


async def test_a_dialect_whose_delete_wipes_the_table_is_not_recommended(
    tmp_path: Path,
) -> None:
    # The project reads `filters` on a delete and deletes every row without it (FastAPI
    # ignores the unknown `filter` key): the configured `filter` override must fail, and the
    # bare preset, which deletes one row, be the one recommended.
    fake = ZeroDBStandIn(
        dialect=resolve_dialect("apscheduler"), lenient=True, delete_filter_optional=True
    )
    base_url = await fake.start()
    env = _env(
        tmp_path,
        base_url=base_url,
        project_id=fake.project_id,
        api_key=KEY,
        dialect="apscheduler",
        dialect_overrides='{"delete_filter_key": "filter"}',
    )
    try:
        run = await zerodb_check(tmp_path, env)  # the configured dialect first, then all
    finally:
        await fake.close()
    assert run.code == 0, run.stdout + run.stderr
    [wiped] = [line for line in run.lines if line.startswith("  FAIL apscheduler + overrides:")]
    assert "DELETE /api/v1/public/tables/proj-1/dojobot_zerodb_check_" in wiped
    assert wiped.endswith(
        "/rows -> HTTP 200: the delete of row 'a' by its id removed every row, expected ['b'] "
        "to remain: the service ignored the delete's filter (check delete_filter_key, "
        "'filter' here)"
    )
    assert run.verdicts("OK") == ["apscheduler"]
    assert "DOJOBOT_ZERODB__DIALECT=apscheduler" in run.lines
    assert "DOJOBOT_ZERODB__DIALECT_OVERRIDES={}" in run.lines
    assert fake.tables == {}

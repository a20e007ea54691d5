"""`DOJOBOT_LOG_FORMAT=json` on a real `python -m bot web` process: every line on stderr is
one JSON object with the fields, and a request's `X-Request-Id` is on its log lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.reliability.processes import WebProcess, running

JOIN_SECRET = "join-secret-for-the-json-log-test-0123456789"
API_SECRET = "api-secret-for-the-json-log-test-0123456789ab"


async def test_web_process_logs_one_json_object_per_line_with_the_request_id(
    tmp_path: Path,
) -> None:
    env = {
        "DOJOBOT_LOG_FORMAT": "json",
        "DOJOBOT_WEB__JOIN_SECRET": JOIN_SECRET,
        "DOJOBOT_WEB__API_JWT_SECRET": API_SECRET,
    }
    web = WebProcess("web", env, tmp_path / "web")
    async with running(web), httpx.AsyncClient(base_url=web.url) as client:
        health = await client.get("/healthz", headers={"X-Request-Id": "deploy-check-42"})
        join = await client.get("/join/eyJhbGciOi.forged.token-value")
    assert health.headers["X-Request-Id"] == "deploy-check-42"
    assert join.headers["X-Request-Id"]

    lines = [line for line in web.lines if line.strip()]
    assert lines, "the process logged nothing"
    records = [json.loads(line) for line in lines]  # every line is JSON
    for record in records:
        assert {"time", "level", "logger", "message", "role"} <= record.keys(), record
        assert record["role"] == "web"
        assert datetime.fromisoformat(record["time"]).utcoffset() == UTC.utcoffset(None)
    assert any(r["message"] == "dojobot web process running" for r in records)
    mine = [r for r in records if r.get("request_id") == "deploy-check-42"]
    assert [r["message"].split(" ")[:3] for r in mine] == [["GET", "/healthz", "200"]]
    [joined] = [r for r in records if r["message"].startswith("GET /join/")]
    assert joined["message"].startswith("GET /join/{token} ")
    assert joined["request_id"] == join.headers["X-Request-Id"]
    text = "".join(web.lines)
    assert JOIN_SECRET not in text and API_SECRET not in text
    assert "forged.token-value" not in text

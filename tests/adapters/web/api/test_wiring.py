"""The API wired by bootstrap onto the shared web server, reached over real HTTP by httpx."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr, ValidationError

from adapters.web import WebServer, WebSettings
from adapters.web.api import mint_token
from bot.bootstrap import bootstrap
from bot.settings import Settings
from bot.wiring.api import build_api
from core.model import Role
from core.testing.clock import FakeClock

SECRET = "wired-secret-long-enough-for-hs256-tokens"


async def test_bootstrap_mounts_the_api_on_the_shared_server(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        web=WebSettings(port=0, api_jwt_secret=SecretStr(SECRET)),
        _env_file=None,
    )
    clock = FakeClock()
    app = await bootstrap(settings, write=lambda _line: None, clock=clock, components=[build_api])
    await app.start()
    try:
        assert [c.name for c in app.components] == ["api"]
        assert isinstance(app.web, WebServer)
        raw = mint_token(SecretStr(SECRET), "web:sensei", "Sensei", Role.INSTRUCTOR, clock.now())
        start = (clock.now() + timedelta(days=1)).isoformat()
        async with httpx.AsyncClient(
            base_url=app.web.base_url, headers={"Authorization": f"Bearer {raw}"}
        ) as client:
            created = await client.post(
                "/api/training/sessions", json={"title": "Kata", "start_time": start}
            )
            assert created.status_code == 201, created.text
            listed = await client.get("/api/training/sessions")
        assert listed.json()["items"][0]["id"] == created.json()["id"]
        stored = await app.service.get(created.json()["id"])
        assert (stored.instructor_id, stored.room.provider) == ("web:sensei", "jitsi")
    finally:
        await app.close()


def test_short_secrets_are_refused_by_the_settings() -> None:
    with pytest.raises(ValidationError, match="api_jwt_secret"):
        WebSettings(api_jwt_secret=SecretStr("too-short"))

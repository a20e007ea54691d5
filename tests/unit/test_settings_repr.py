"""Settings never show the database password (repr, str, logs of the settings object)."""

from __future__ import annotations

import pytest

from bot.settings import Settings

URL = "postgresql+asyncpg://dojo:hunter2@db.example:5432/dojo"


@pytest.mark.parametrize("variable", ["DOJOBOT_DATABASE_URL", "DATABASE_URL"])
def test_the_database_password_stays_hidden(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, URL)
    settings = Settings(_env_file=None)
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings)
    assert "hunter2" not in settings.model_dump_json()
    assert settings.effective_database_url == URL

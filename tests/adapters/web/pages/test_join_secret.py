"""The join-link key: configured, else generated once and kept in the data dir."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from adapters.web.join_secret import SECRET_FILE, load_join_secret
from adapters.web.settings import WebSettings


def test_a_configured_secret_wins(tmp_path: Path) -> None:
    settings = WebSettings(join_secret=SecretStr("c" * 40))
    assert load_join_secret(settings, tmp_path) == b"c" * 40
    assert not (tmp_path / SECRET_FILE).exists()


def test_a_generated_secret_is_kept_private_and_reused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = load_join_secret(WebSettings(), data)
    assert len(first) >= 32
    mode = stat.S_IMODE((data / SECRET_FILE).stat().st_mode)
    assert mode == 0o600
    assert load_join_secret(WebSettings(), data) == first


def test_an_unusable_key_file_falls_back_to_a_process_key_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / SECRET_FILE).write_text("short")
    with caplog.at_level(logging.WARNING):
        first = load_join_secret(WebSettings(), tmp_path)
        second = load_join_secret(WebSettings(), tmp_path)
    assert len(first) >= 32 and first != second
    assert "DOJOBOT_WEB__JOIN_SECRET" in caplog.text
    assert "short" not in caplog.text


def test_short_configured_secrets_are_refused_without_echoing_them() -> None:
    with pytest.raises(ValidationError) as caught:
        WebSettings(join_secret=SecretStr("tooshort-secret"))
    assert "32 bytes" in str(caught.value)
    assert "tooshort-secret" not in str(caught.value)
    settings = WebSettings(join_secret=SecretStr("z" * 32))
    assert "z" * 32 not in repr(settings)


def test_settings_bounds_and_base_url() -> None:
    with pytest.raises(ValidationError, match="join_link_ttl"):
        WebSettings(join_link_ttl="PT10S")
    with pytest.raises(ValidationError, match="https"):
        WebSettings(realtimekit_core_url="http://cdn.example/x.js")
    assert WebSettings(port=9000).base_url() == "http://localhost:9000"
    assert WebSettings(port=0).base_url(4321) == "http://localhost:4321"
    assert WebSettings(host="dojo.lan", port=80).base_url() == "http://dojo.lan:80"
    assert WebSettings(public_url="https://x.example/").base_url(1) == "https://x.example"

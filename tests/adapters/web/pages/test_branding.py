"""The association's name, logo and accent on every page, from `DOJOBOT_BRANDING__*`:
checked strictly (nothing reaches the CSS, the markup or the CSP header but what it claims to
be), the logo's origin alone allowed in `img-src`, and text readable on the accent and on both
backgrounds whatever accent is configured."""

from __future__ import annotations

import random
import re
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from adapters.web import WebSettings
from adapters.web.branding import (
    DARK_BACKGROUND,
    DEFAULT_BRANDING,
    LIGHT_BACKGROUND,
    Branding,
    contrast,
)
from adapters.web.session_pages import not_found_page
from bot.bootstrap import bootstrap
from bot.settings import Settings
from core.testing.clock import FakeClock
from tests.adapters.web.pages.conftest import Site
from tests.fuzz.inputs import Failures
from tests.fuzz.rigs import START, BreakableStore

KAI = Branding(name="Aikikai <Kyoto> & co", logo_url="https://cdn.example.org/kai/logo.png?v=2")


def img_src(csp: str) -> str:
    found = re.search(r"img-src ([^;]*);", csp)
    assert found, csp
    return found.group(1)


def test_the_defaults_are_dojobot_with_no_logo_and_an_accent_readable_both_ways() -> None:
    page = not_found_page().text or ""
    assert "<title>No such session · dojobot</title>" in page
    assert '<p class="brand"><span class="brand-name">dojobot</span></p>' in page
    assert "<img" not in page
    assert '<link rel="stylesheet" href="/assets/brand.css">' in page
    assert img_src(DEFAULT_BRANDING.csp()) == "'self' data:"
    assert "--accent: #1d4ed8;" in DEFAULT_BRANDING.style_sheet()


@pytest.mark.parametrize(
    ("accent", "stored"), [("#36C", "#3366cc"), (" #0A7f3B ", "#0a7f3b"), ("#fff", "#ffffff")]
)
def test_accents_are_hex_colours_only(accent: str, stored: str) -> None:
    assert Branding(accent=accent).accent == stored


@pytest.mark.parametrize(
    "accent",
    ["red", "#12345", "#1234567", "#ggg", "#fff;background:url(//x)", "var(--x)", "#fff}", ""],
)
def test_anything_else_as_accent_is_refused_with_what_to_type(accent: str) -> None:
    with pytest.raises(ValidationError, match=r"the accent must be a colour like #1d4ed8"):
        Branding(accent=accent)


@pytest.mark.parametrize(
    "logo",
    [
        "/assets/dojobot.svg",
        "https://cdn.example.org/logo.png",
        "https://CDN.example.org:8443/a/b-c_d.svg?v=2&x=1",
    ],
)
def test_logos_are_https_urls_or_our_own_assets(logo: str) -> None:
    assert Branding(logo_url=logo).logo_url == logo


@pytest.mark.parametrize(
    "logo",
    [
        "http://cdn.example.org/logo.png",
        "javascript:alert(1)",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "//cdn.example.org/logo.png",
        "https://cdn.example.org/logo.png\"onerror='x'",
        "https://cdn.example.org/a b.png",
        "https://user:pw@cdn.example.org/logo.png",
        "https://cdn.example.org;script-src *;/logo.png",
        "https://cdn.example.org/logo.png#x",
        "https://cdn.example.org:99999/logo.png",
        "https:///logo.png",
        "/assets/style.css",
        "/assets/../settings.py",
        "/etc/passwd",
    ],
)
def test_anything_else_as_logo_is_refused_with_what_to_type(logo: str) -> None:
    with pytest.raises(ValidationError, match=r"the logo must be an https URL"):
        Branding(logo_url=logo)


@pytest.mark.parametrize("name", ["", "   ", "two\nlines", "tab\there", "x" * 61])
def test_the_name_is_one_line_of_plain_text(name: str) -> None:
    with pytest.raises(ValidationError):
        Branding(name=name)


def test_the_logo_origin_and_only_it_is_allowed_to_load_images() -> None:
    assert img_src(KAI.csp()) == "'self' data: https://cdn.example.org"
    port = Branding(logo_url="https://Img.Example.org:8443/l.png")
    assert img_src(port.csp()) == "'self' data: https://img.example.org:8443"
    assert img_src(Branding(logo_url="/assets/dojobot.svg").csp()) == "'self' data:"
    for csp in (KAI.csp(), port.csp()):  # the rest of the policy is the strict one
        assert csp.replace(img_src(csp), "'self' data:") == DEFAULT_BRANDING.csp()


def test_text_stays_readable_on_the_accent_and_on_both_backgrounds_whatever_the_accent() -> None:
    picks = random.Random(17)
    accents = ["#777777", "#ffeb3b", "#ff0000", "#000000", "#ffffff", "#1d4ed8"]
    accents += [f"#{picks.randrange(1 << 24):06x}" for _ in range(500)]
    for accent in accents:
        sheet = Branding(accent=accent).style_sheet()
        on_accent, light, dark = re.findall(r"--(?:on-accent|accent-text): (#[0-9a-f]{6});", sheet)
        assert contrast(on_accent, accent) >= 4.5, accent
        assert contrast(light, LIGHT_BACKGROUND) >= 4.5, accent
        assert contrast(dark, DARK_BACKGROUND) >= 4.5, accent
    assert "@media (prefers-color-scheme: dark)" in sheet


def test_the_settings_read_the_branding_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOJOBOT_BRANDING__NAME", "Aikikai Kyoto")
    monkeypatch.setenv("DOJOBOT_BRANDING__LOGO_URL", "https://cdn.example.org/logo.png")
    monkeypatch.setenv("DOJOBOT_BRANDING__ACCENT", "#0a7f3b")
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert settings.branding == Branding(
        name="Aikikai Kyoto", logo_url="https://cdn.example.org/logo.png", accent="#0a7f3b"
    )
    monkeypatch.setenv("DOJOBOT_BRANDING__ACCENT", "#0a7f3b;}body{display:none")
    with pytest.raises(ValidationError, match=r"branding\.accent"):
        Settings(data_dir=tmp_path, _env_file=None)


async def test_the_default_pages_serve_the_default_brand_sheet(site: Site) -> None:
    session = await site.schedule()
    page = await site.client.get(f"/sessions/{session.id}")
    assert "<title>Kata basics · dojobot</title>" in await page.text()
    sheet = await site.client.get("/assets/brand.css")
    assert sheet.status == 200 and sheet.headers["Content-Type"].startswith("text/css")
    assert await sheet.text() == DEFAULT_BRANDING.style_sheet()
    logo = await site.client.get("/assets/dojobot.svg")
    assert logo.status == 200 and logo.headers["Content-Type"].startswith("image/svg+xml")


async def test_every_page_of_the_wired_app_wears_the_configured_brand(tmp_path: Path) -> None:
    store = BreakableStore()
    settings = Settings(
        data_dir=tmp_path / "data",
        web=WebSettings(port=0),
        branding=Branding(name=KAI.name, logo_url=KAI.logo_url, accent="#0a7f3b"),
        _env_file=None,
    )
    app = await bootstrap(settings, write=lambda _: None, clock=FakeClock(START), store=store)
    await app.start()
    assert app.web is not None
    try:
        async with httpx.AsyncClient(base_url=app.web.base_url) as client:
            store.broken = True
            with Failures():
                failed = await client.get("/calendar.ics")
            store.broken = False
            pages = [
                failed,
                await client.get("/sessions/nosuch12"),
                await client.get("/join/not-a-token"),
            ]
            assert [p.status_code for p in pages] == [500, 404, 403]
            for page in pages:
                assert " · Aikikai &lt;Kyoto&gt; &amp; co</title>" in page.text
                logo = '<img class="logo" src="https://cdn.example.org/kai/logo.png?v=2" alt="">'
                assert logo in page.text
                assert '<span class="brand-name">Aikikai &lt;Kyoto&gt; &amp; co</span>' in page.text
                csp = page.headers["Content-Security-Policy"]
                assert img_src(csp) == "'self' data: https://cdn.example.org", csp
            sheet = (await client.get("/assets/brand.css")).text
            assert "--accent: #0a7f3b;" in sheet
    finally:
        await app.close()

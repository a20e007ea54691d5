"""The pages in the reader's language: the member's own on their join page, the browser's
(`Accept-Language`) on public pages, calendar files and the status JSON, else the default;
`<html lang>` says which; what members typed stays as typed, escaped."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import httpx
from aiohttp import ClientResponse

from adapters.i18n import BabelLanguages
from adapters.web import WebSettings
from adapters.web.html import Html, sentence
from adapters.web.readers import accepted, reader
from adapters.web.session_pages import not_found_page
from adapters.web.words import t
from bot.bootstrap import bootstrap
from bot.settings import Settings
from core.i18n import EnglishOnly
from core.members import PlatformFacts
from core.model import Member, Role, RoomLink
from core.testing.clock import FakeClock
from tests.adapters.web.pages.conftest import ANA, SENSEI, Site
from tests.fuzz.inputs import Failures
from tests.fuzz.rigs import START, BreakableStore

JA = {"Accept-Language": "ja-JP,ja;q=0.9,en-US;q=0.8"}
FR = {"Accept-Language": "fr-CA, fr;q=0.9, en;q=0.5"}
NB = "\u00a0"


def lang_of(html: str) -> str:
    found = re.search(r'<html lang="([^"]*)">', html)
    assert found, html[:200]
    return found.group(1)


async def get(site: Site, path: str, headers: dict[str, str] | None = None) -> ClientResponse:
    return await site.client.get(path, headers=headers or {}, allow_redirects=False)


async def test_the_session_page_in_japanese_with_babel_dates_and_nothing_left_in_english(
    site: Site,
) -> None:
    session = await site.schedule(
        recording_enabled=True,
        description="Bring a <belt> & water",
        title="Kata <basics>",
        duration_minutes=90,
    )
    await site.service.rsvp(ANA, session.id)
    response = await get(site, f"/sessions/{session.id}", JA)
    html = await response.text()
    assert response.status == 200 and lang_of(html) == "ja"
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]  # still strict
    text = unescape(html)
    assert "<h1>Kata <basics></h1>" in text and "<basics>" not in html  # escaped, untranslated
    assert "Bring a &lt;belt&gt; &amp; water" in html
    assert "講師：Sensei Sato" in text
    assert 'data-status="scheduled">予定<' in text
    assert ">2026年12月3日(木) 10:00 CET (Europe/Berlin)</time> · 1 時間 30 分" in text
    assert '<span id="recording" class="badge">● 録画あり</span>' in text
    assert "開始まであと 2 日 0 時間 0 分" in text  # the countdown for readers without JS
    assert 'data-template="開始まであと {left}"\n data-done-text="まもなく開始"' in text
    assert 'data-unit-min="{n} 分"' in text and 'data-unit-s="{n} 秒"' in text  # for page.js
    assert '<p id="seats">1/20 人参加予定</p>' in text
    assert "Slack で自分のリンクを受け取る" in text and "「参加」を押して" in text
    assert ">カレンダーに追加</a>" in text and ">すべての公開セッションのカレンダー</a>" in text
    for english in ("Starts in", "going", "Scheduled", "Recorded", "with Sensei", "your calendar"):
        assert english not in text, english


async def test_the_session_page_in_french_and_its_status_json_in_the_browsers_language(
    site: Site,
) -> None:
    session = await site.schedule(in_=timedelta(minutes=30), capacity=1, duration_minutes=90)
    await site.service.rsvp(ANA, session.id)
    await site.service.rsvp(Member(id="discord:7", display_name="Ben"), session.id)
    html = await (await get(site, f"/sessions/{session.id}", FR)).text()
    text = unescape(html)
    assert lang_of(html) == "fr"
    assert "avec Sensei Sato" in text and 'data-status="scheduled">Prévue<' in text
    assert f">mar. 1 déc. 2026 10:30 CET (Europe/Berlin)</time> · 1\u202fh 30{NB}min" in text
    assert "Commence dans 30 min" in text
    assert f'<p id="seats">Inscrits{NB}: 1/1, 1 en liste d’attente</p>' in text  # core's words
    assert "Obtenir votre lien dans Slack" in text and f"appuyez sur «{NB}Rejoindre{NB}»" in text

    response = await get(site, f"/sessions/{session.id}/status.json", JA)
    assert response.headers["Content-Language"] == "ja"
    body = await response.json()
    assert (body["status_label"], body["seats"]) == (
        "予定",
        "1/1 人参加予定、キャンセル待ち 1 人",
    )
    site.clock.advance(timedelta(minutes=25))
    await site.service.start(SENSEI, session.id)
    body = await (await get(site, f"/sessions/{session.id}/status.json", FR)).json()
    assert (body["status"], body["status_label"]) == ("live", "En direct")
    body = await (await get(site, f"/sessions/{session.id}/status.json")).json()
    assert body["status_label"] == "Live now"  # no Accept-Language: the default, English


async def test_the_join_page_speaks_the_members_profile_language_over_the_browsers(
    site: Site,
) -> None:
    session = await site.schedule(in_=timedelta(hours=1), title="Randori <night>")
    facts = PlatformFacts(
        member_id=ANA.id, display_name=ANA.display_name, timezone="Europe/Berlin", locale="ja"
    )
    member = await site.service.identify(facts, Role.MEMBER)
    response = await get(site, f"/join/{site.token(member, session.id)}", FR)
    assert response.status == 409
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    html = await response.text()
    text = unescape(html)
    assert lang_of(html) == "ja"
    assert "Randori &lt;night&gt;" in html and "<night>" not in html
    assert "2026年12月1日(火) 10:50 CET (Europe/Berlin)" in text  # core's refusal, in Babel's ja
    opens = session.join_opens_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # the translated sentence keeps our markup: the <time> element page.js rewrites
    assert f'>ルームが開く時刻：<time data-local\n datetime="{opens}">{opens}</time></p>' in html
    assert 'data-template="開くまであと {left}" data-done-text="開いています"' in text
    assert ">今すぐ参加</a>" in text and "「参加」ボタンが表示されます" in text
    assert ">このセッションについて</a>" in text
    assert "Opens" not in text and "Keep this page open" not in text

    # a member with no profile yet: the browser's language
    stranger = Member(id="slack:T0001:U0NEW", display_name="New", timezone="Europe/Berlin")
    html = await (await get(site, f"/join/{site.token(stranger, session.id)}", FR)).text()
    assert lang_of(html) == "fr" and f"Ouverture{NB}: <time data-local" in html
    assert "Gardez cette page ouverte" in unescape(html)


async def test_the_video_room_page_is_in_the_members_language(site: Site) -> None:
    session = await site.schedule(in_=timedelta(minutes=5))
    original = site.rooms.join_url

    async def with_token(*args: object, **kwargs: object) -> RoomLink:
        link = await original(*args, **kwargs)  # type: ignore[arg-type]
        return link.model_copy(update={"auth_token": "token-1"})

    site.rooms.join_url = with_token  # type: ignore[method-assign]
    facts = PlatformFacts(member_id=ANA.id, display_name=ANA.display_name, locale="de-AT")
    member = await site.service.identify(facts, Role.MEMBER)
    response = await get(site, f"/join/{site.token(member, session.id)}", JA)
    html = await response.text()
    assert response.status == 200 and lang_of(html) == "de"
    assert "<title>Videoraum · dojobot</title>" in html
    assert "Der Videoraum konnte nicht geladen werden." in html


async def test_a_refused_link_says_why_in_the_browsers_language_and_nothing_more(
    site: Site,
) -> None:
    session = await site.schedule(in_=timedelta(minutes=5), title="Randori")
    token = site.token(ANA, session.id)
    response = await get(site, f"/join/{token}x", FR)
    html = await response.text()
    assert response.status == 403 and lang_of(html) == "fr"
    text = unescape(html)
    assert "Ce lien pour rejoindre n’est pas valide." in text
    assert (
        f"Utilisez le bouton «{NB}Rejoindre{NB}»" in text and "Impossible d’ouvrir ce lien" in text
    )
    assert "Randori" not in text and session.id not in text and "Ana" not in text
    site.clock.advance(timedelta(minutes=15))
    html = await (await get(site, f"/join/{token}", JA)).text()
    assert "この参加リンクは期限切れです。" in unescape(html) and lang_of(html) == "ja"
    gone = await get(site, f"/join/{site.token(ANA, 'gone1234')}", {"Accept-Language": "es"})
    html = await gone.text()
    assert gone.status == 404 and "No existe esta sesión" in unescape(html)


async def test_not_found_pages_and_calendar_files_follow_accept_language(site: Site) -> None:
    html = await (await get(site, "/sessions/nosuch12", {"Accept-Language": "es-419"})).text()
    assert lang_of(html) == "es" and "<h1>No existe esta sesión</h1>" in html
    session = await site.schedule(description="Gi <white>")
    ics = await (await get(site, f"/sessions/{session.id}.ics", {"Accept-Language": "de"})).text()
    unfolded = ics.replace("\r\n ", "")
    assert "DESCRIPTION:Mit Sensei Sato.\\n\\nGi <white>\\n\\nDetails und Teilnahme: " in unfolded
    feed = await (await get(site, "/calendar.ics", FR)).text()
    assert "X-WR-CALNAME:Séances dojobot" in feed
    english = await (await get(site, f"/sessions/{session.id}.ics")).text()
    assert "DESCRIPTION:With Sensei Sato.\\n" in english.replace("\r\n ", "")


async def test_the_500_page_of_the_wired_app_speaks_the_browsers_language(
    tmp_path: Path,
) -> None:
    store = BreakableStore()
    settings = Settings(data_dir=tmp_path / "data", web=WebSettings(port=0), _env_file=None)
    app = await bootstrap(settings, write=lambda _: None, clock=FakeClock(START), store=store)
    await app.start()
    assert app.web is not None
    try:
        async with httpx.AsyncClient(base_url=app.web.base_url) as client:
            store.broken = True
            with Failures():
                failed = await client.get("/calendar.ics", headers=JA)
            assert failed.status_code == 500 and lang_of(failed.text) == "ja"
            assert re.search(r"問題が発生しました（参照 [0-9A-F]{6}）。", failed.text)
            store.broken = False
            page = await client.get("/sessions/nosuch12", headers=FR)
            assert "Séance introuvable" in page.text  # wired with the shipped languages
    finally:
        await app.close()


# ---------------------------------------------------------------- pieces


def test_accept_language_is_read_in_order_of_preference_and_garbage_is_ignored() -> None:
    assert accepted("de;q=0.5, ja, fr;q=0.9") == ["ja", "fr", "de"]
    assert accepted("en;q=0, *, es;q=nan, fr;q=2, pt-BR;q=abc, it") == ["it"]
    assert accepted(None) == [] and accepted(";;,,") == []
    assert len(accepted("a," * 10_000)) <= 32  # bounded


def test_the_first_shipped_language_wins_else_the_default() -> None:
    from aiohttp.test_utils import make_mocked_request

    def lang(header: str | None, preferred: str | None = None, default: str = "en") -> str:
        headers = {"Accept-Language": header} if header else {}
        request = make_mocked_request("GET", "/", headers=headers)
        return reader(BabelLanguages(default), request, preferred).locale

    assert lang("pt-BR, fr;q=0.5") == "fr"  # pt is not shipped: the next one
    assert lang("en-US, ja;q=0.9") == "en"
    assert lang("pt-BR") == "en" and lang(None) == "en"
    assert lang("pt-BR", default="de") == "de"  # the association default
    assert lang("fr", preferred="ja-JP") == "ja" and lang("fr", preferred="pt") == "fr"
    request = make_mocked_request("GET", "/", headers={"Accept-Language": "ja"})
    assert reader(EnglishOnly(), request).locale == "en"


def test_a_translated_sentence_escapes_the_translation_but_keeps_our_markup() -> None:
    class Shouting:
        locale = "xx"

        def gettext(self, domain: str, message: str) -> str:
            return "<b>{title}</b> & {time}"

    part = Html('<time datetime="x">x</time>')  # markup of ours, inserted as it is
    text = t("{title} opens at {time}", title="<script>", time="x")
    filled = sentence(text, Shouting(), time=part)  # type: ignore[arg-type]
    assert filled == '&lt;b&gt;&lt;script&gt;&lt;/b&gt; &amp; <time datetime="x">x</time>'


def test_the_english_404_page_is_unchanged() -> None:
    body = not_found_page().text or ""
    assert '<html lang="en">' in body and "<h1>No such session</h1>" in body

"""Slack in the reader's language (issue 15, Language): what adapters/slack words itself —
cards, notices, replies, errors, modals and their field errors, the App Home and /reminders,
/link and /forget-me — in the member's Slack language for what only they see, and in the
association's default language for channel cards. Everything goes through the fake Web API,
which refuses any Block Kit body Slack would refuse (so long translations must fit)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.i18n import SHIPPED, BabelLanguages
from adapters.slack.limits import (
    BUTTON_TEXT_MAX,
    CONFIRM_BUTTON_MAX,
    CONFIRM_TITLE_MAX,
    MODAL_TEXT_MAX,
)
from adapters.slack.render_card import announcement
from adapters.slack.render_members import ACTION_FORGET_CONFIRM
from adapters.slack.render_preferences import ACTION_KINDS, ACTION_QUIET_START
from adapters.slack.words import say, t
from core.model import TrainingSession
from tests.adapters.slack.test_members import change, element
from tests.adapters.slack.test_weekly_classes_modal import form as class_form
from tests.adapters.slack.world import CHANNEL, SENSEI, START, SlackWorld, make_world

KENJI, JUAN, ELISE, GRETA = "U0KENJI", "U0JUAN", "U0ELISE", "U0GRETA"
"""Members whose Slack is in Japanese (an instructor), Spanish, French and German."""
LANGUAGES = BabelLanguages()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    """An association whose default language is German; members with their own languages."""
    built = await make_world(tmp_path, default_language="de", instructors=["@senseis", KENJI])
    built.api.add_user(KENJI, "Kenji", "Asia/Tokyo", locale="ja-JP")
    built.api.add_user(JUAN, "Juan", "Europe/Madrid", locale="es-ES")
    built.api.add_user(ELISE, "Élise", "Europe/Paris", locale="fr-FR")
    built.api.add_user(GRETA, "Greta", "Europe/Berlin", locale="de-DE")
    yield built
    await built.close()  # asserts the fake refused nothing


def texts(message: Any) -> str:
    return json.dumps(message, ensure_ascii=False)


async def schedule(world: SlackWorld, user: str = KENJI) -> tuple[str, dict[str, Any]]:
    reply = await world.command(
        "/schedule-session", '"Kata basics" tomorrow 18:00 60m cap 20', user
    )
    sid = reply["blocks"][0]["text"]["text"].split("id `")[1].split("`")[0]
    return sid, reply


async def test_the_card_is_in_the_associations_language_the_reply_in_the_members(
    world: SlackWorld,
) -> None:
    sid, reply = await schedule(world)
    assert reply["text"].startswith("「Kata basics」（id ")  # Kenji reads Japanese
    assert "を予定しました：2026年12月2日(水) 18:00 JST (Asia/Tokyo)" in reply["text"]
    blocks = texts(reply["blocks"])
    assert "<!date^1796202000^{date_short_pretty} {time}|2026年12月2日(水) 18:00 JST" in blocks
    assert "1 時間" in blocks and "あなたのタイムゾーン（Asia/Tokyo）" in blocks
    [card] = world.api.channel_posts(CHANNEL)  # the channel reads the default: German
    assert card.args["text"] == "Kata basics mit Kenji — 0/20 angemeldet"  # core's words
    shown = texts(card.args["blocks"])
    assert "{date_short_pretty} um {time}|Mi., 2. Dez. 2026 09:00 UTC>" in shown
    assert (
        "*0/20 angemeldet* · keine Aufzeichnung · :speech_balloon: Chat an · nur Mitglieder"
        in shown
    )
    buttons = [e["text"]["text"] for e in card.args["blocks"][-1]["elements"]]
    assert buttons == ["Dabei", "Abmelden", "Zum Kalender hinzufügen", "Abbrechen"]
    confirm = card.args["blocks"][-1]["elements"][-1]["confirm"]
    assert confirm["title"]["text"] == "Diese Einheit absagen?"
    assert confirm["text"]["text"].startswith("„Kata basics“ wird abgesagt")

    english = await world.command("/session", sid, SENSEI)  # en-US: as before, byte for byte
    assert "0/20 going" in texts(english) and "Add to calendar" in texts(english)


async def test_replies_errors_and_notices_are_in_each_members_language(
    world: SlackWorld,
) -> None:
    sid, _ = await schedule(world)
    going = await world.command("/rsvp", sid, JUAN)
    assert going["text"].startswith("Vas a «Kata basics».")
    assert going["blocks"][-1]["elements"][0]["text"] == "Inscritos: 1/20"
    listed = await world.command("/sessions", "", ELISE)
    assert listed["text"] == "1 séance"
    assert "«\u00a0Kata basics\u00a0» avec Kenji [planifiée]" in texts(listed["blocks"])
    refused = await world.command("/session", "nope", KENJI)
    assert refused["text"] == (
        "id「nope」のセッションはありません。\n/sessions で今後のセッションを一覧できます。"
    )
    shown = await world.command("/session", sid, KENJI)
    assert "参加予定：Juan" in texts(shown["blocks"])
    assert "カレンダーに追加" in texts(shown["blocks"])

    moved = await world.command("/update-session", f"{sid} at fri 19:00", KENJI)
    assert "を更新しました：2026年12月4日(金) 19:00 JST" in moved["text"]
    dm = world.api.dms_to(JUAN)[-1].args  # Juan's DM: Spanish, dates in his words too
    assert dm["text"].startswith("«Kata basics» se ha movido del <!date^")
    assert "{date_short_pretty} a las {time}|vie, 4 dic 2026 10:00 UTC>" in dm["text"]
    assert dm["blocks"][-1]["elements"][0]["text"].startswith("Empieza <!date^")


async def test_the_schedule_modal_its_field_errors_and_the_class_form(world: SlackWorld) -> None:
    assert await world.sender.command("/schedule-session", "", KENJI, CHANNEL) == (200, "")
    await world.settle()
    view = world.api.calls_of("views.open")[-1].args["view"]
    assert (view["title"]["text"], view["submit"]["text"]) == ("セッションを予定", "予定する")
    labels = [b["label"]["text"] for b in view["blocks"]]
    assert labels[:4] == ["タイトル", "説明", "開始", "時間（分）"]
    assert "公開（ゲストも可）" in texts(view)
    _, body = await world.sender.submit(
        view, {"title": {"value": " "}, "duration_minutes": {"value": "60"}}, KENJI
    )
    errors = json.loads(body)["errors"]
    assert errors["title"] == "セッションにはタイトルが必要です。"  # the core's, in Japanese
    assert errors["start_time"] == "開始日時を選んでください。"  # the form's own

    assert await world.sender.command("/schedule-class", "", ELISE, CHANNEL) == (200, "")
    await world.settle()
    form = world.api.calls_of("views.open")[-1].args["view"]
    assert (form["title"]["text"], form["submit"]["text"]) == ("Cours hebdomadaire", "Aperçu")
    [days] = [b for b in form["blocks"] if b["block_id"] == "days"]
    assert [o["text"]["text"] for o in days["element"]["options"]][:2] == ["lun.", "mar."]
    _, body = await world.sender.submit(form, {"title": {"value": "Kata"}}, ELISE)
    errors = json.loads(body)["errors"]
    assert errors["days"] == "Cochez au moins un jour de la semaine."

    assert await world.sender.command("/schedule-class", "", KENJI, CHANNEL) == (200, "")
    await world.settle()
    form = world.api.calls_of("views.open")[-1].args["view"]
    _, body = await world.sender.submit(form, class_form(), KENJI)
    pushed = json.loads(body)
    assert pushed["response_action"] == "push", pushed
    preview = pushed["view"]
    assert (preview["submit"]["text"], preview["close"]["text"]) == ("作成", "戻る")
    assert "*次のクラス（あなたのタイムゾーン Asia/Tokyo）：*" in texts(preview)
    assert "毎週 月, 水 17:30（Europe/Berlin）" in texts(preview)


async def test_app_home_and_reminders_modal_in_the_members_language(world: SlackWorld) -> None:
    assert await world.sender.home_opened(KENJI) == (200, "")
    await world.settle()
    home = world.api.home_views[KENJI]
    assert home["blocks"][0]["text"]["text"] == "あなたのリマインダー"
    kinds = [o["text"]["text"] for o in element(home, ACTION_KINDS)["options"]]
    assert kinds == ["24 時間前", "1 時間前", "10 分前"]
    assert "受け取るもの：24 時間前、1 時間前、10 分前（団体の既定値）。" in texts(home)
    await change(world, home, ACTION_QUIET_START, KENJI, selected_time="late")
    assert "「late」は時刻ではありません。" in texts(world.api.home_views[KENJI]["blocks"][:3])

    assert await world.sender.command("/reminders", "", JUAN) == (200, "")
    await world.settle()
    modal = world.api.calls_of("views.open")[-1].args["view"]
    assert (modal["title"]["text"], modal["close"]["text"]) == ("Tus recordatorios", "Listo")
    assert "*Horas de silencio* en tu zona (Europe/Madrid)" in texts(modal)


async def test_link_and_forget_me_in_the_members_language(world: SlackWorld) -> None:
    linked = await world.command("/link", "", KENJI)
    assert linked["text"].startswith("リンクコードは ") and "（有効期間 " in linked["text"]
    assert "Discord で `/link code:" in texts(linked["blocks"])
    asked = await world.command("/forget-me", "", GRETA)
    assert asked["text"] == "Dich vergessen? Bestätige zum Löschen."
    [button] = asked["blocks"][1]["elements"]
    assert button["text"]["text"] == "Bestätigen: vergessen"
    forgot = await world.click(
        ACTION_FORGET_CONFIRM, button["value"], GRETA, CHANNEL, asked["_url"].split(".")[1]
    )
    assert forgot["text"].startswith("Erledigt: dojobot hat dich vergessen.")
    refused = await world.command("/forget-me", "whoever", ELISE)
    assert refused["text"].startswith("/forget-me ne prend rien, ou (admins) le membre à oublier.")


@pytest.mark.parametrize("language", SHIPPED)
def test_short_labels_fit_slacks_limits_in_every_language(language: str) -> None:
    """Modal titles and buttons are cut by Slack's limits: no translation may need cutting."""
    tr = LANGUAGES.translator(language)
    modal = ["Schedule a session", "Schedule", "Cancel", "Weekly class", "Preview", "Create"]
    modal += ["Back", "Your reminders", "Done"]
    for msgid in modal:
        assert len(say(t(msgid), tr)) <= MODAL_TEXT_MAX, msgid
    for msgid in ("Cancel session", "Keep it"):
        assert len(say(t(msgid), tr)) <= CONFIRM_BUTTON_MAX, msgid
    assert len(say(t("Cancel this session?"), tr)) <= CONFIRM_TITLE_MAX
    session = TrainingSession(
        id="s-1",
        title="T" * 200,
        instructor_id="slack:T1:U1",
        instructor_name="N" * 80,
        start_time=START,
        duration_minutes=60,
        created_at=START,
        updated_at=START,
        series_id="k-1",
    )
    _, blocks = announcement(session, 3, 2, START, "https://dojo.example.org", None, tr)
    for button in blocks[-1]["elements"]:
        assert len(button["text"]["text"]) <= BUTTON_TEXT_MAX
    confirm = blocks[-1]["elements"][-1]["confirm"]["text"]["text"]
    assert len(confirm) <= 300 and confirm.rstrip().endswith(("。", ".", "»"))

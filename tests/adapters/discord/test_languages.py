"""What Discord members read is in their language: channel posts (cards, channel notices, the
Scheduled Event) in the server's (`guild_locale` of a Community server, else the
association's default); ephemeral replies, forms, menus and DMs in the member's own.

Everything goes through the real front end and the fake Discord API, which checks every
body against Discord's published limits, so a long translation that would not fit fails.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from adapters.discord.event_steps import event_steps
from adapters.discord.limits import ACTIVE, CANCELED, COMPLETED, SCHEDULED
from adapters.discord.render_common import Links
from adapters.i18n import BabelLanguages
from core.i18n import Languages
from core.messages import reminder
from core.model import ReminderKind, SessionFilter, SessionStatus
from tests.adapters.discord.conftest import Rig, RigFactory, channel_session
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import (
    Person,
    answer_message,
    modal_submit,
    scheduled_event_user_add,
    select_choice,
    slash_command,
)

HANS = Person(701, "hans", [INSTRUCTOR_ROLE], locale="de")
KENJI = Person(702, "kenji", [INSTRUCTOR_ROLE], locale="ja")
LUCIA = Person(703, "lucia", [MEMBER_ROLE], locale="es-ES")
CLAIRE = Person(704, "claire", [INSTRUCTOR_ROLE], locale="fr")
NBSP = "\u00a0"


def speak(rig: Rig, languages: Languages) -> None:
    """The shipped languages, as bot/wiring/discord.py wires them into the front end."""
    rig.frontend.actions.languages = languages
    rig.frontend.discord_chat.languages = languages
    rig.frontend.interested.languages = languages


def labels(message: dict[str, Any]) -> list[str]:
    data = message.get("data", message)
    return [
        str(c.get("label") or c.get("placeholder"))
        for row in data.get("components") or []
        for c in row.get("components", [])
    ]


async def schedule(rig: Rig, person: Person, guild_locale: str = "en-US") -> dict[str, Any]:
    return await rig.gateway.interact(
        slash_command(
            "schedule-session",
            person,
            GUILD,
            CHANNEL,
            guild_locale=guild_locale,
            title="Kata",
            when="2026-12-03 18:00",
            capacity=12,
        )
    )


# channel posts ------------------------------------------------------------------------
async def test_the_card_and_event_speak_the_servers_language_the_reply_the_members(
    rig: Rig,
) -> None:
    speak(rig, BabelLanguages())
    rig.fake.guild_locales[GUILD] = ("ja", ["COMMUNITY"])
    answer = await schedule(rig, HANS, guild_locale="ja")
    assert is_ephemeral(answer)
    [session] = await rig.store.list_sessions(SessionFilter())
    assert f"**Kata** (ID `{session.id}`) für <t:" in text_of(answer)  # Hans reads German
    assert text_of(answer).endswith(" geplant.")

    [card] = rig.fake.channel_messages(CHANNEL)  # the channel reads Japanese
    shown = text_of(card)
    for words in ("日時: <t:", "長さ: 1 時間", "インストラクター: hans", "席: 0/12 人参加予定"):
        assert words in shown, shown
    assert "録画なし · 💬 チャットあり · メンバー限定" in shown
    assert f"予定 · ID {session.id}" in shown
    assert labels(card) == ["行きます", "やめる", "カレンダーに追加"]
    [event] = rig.fake.events.values()
    assert event["description"] == "hans さんのライブセッション"


async def test_a_server_that_chose_no_language_gets_the_association_default(
    rig: Rig,
) -> None:
    speak(rig, BabelLanguages(default="fr"))  # DOJOBOT_DEFAULT_LANGUAGE=fr
    answer = await schedule(rig, Person(705, "ana", [INSTRUCTOR_ROLE], locale="en-US"))
    assert "Scheduled **Kata**" in text_of(answer)  # Ana's client is in English
    [card] = rig.fake.channel_messages(CHANNEL)
    shown = text_of(card)
    assert "Quand: <t:" in shown and "Instructeur: ana" in shown, shown
    assert f"Inscrits{NBSP}: 0/12" in shown
    assert labels(card) == ["J’y vais", "Me désinscrire", "Ajouter au calendrier"]


async def test_a_channel_notice_is_in_the_servers_language(rig: Rig) -> None:
    speak(rig, BabelLanguages())
    rig.fake.guild_locales[GUILD] = ("de", ["COMMUNITY"])
    session = channel_session("discord:701")
    notice = reminder(session, ReminderKind.BEFORE_10M, to_member=False)
    assert session.origin is not None
    await rig.frontend.discord_chat.post_to_channel(session.origin, notice)
    [post] = rig.fake.channel_messages(CHANNEL)
    assert "\nErinnerung: „Kata“ mit sensei beginnt in 10 Minuten." in text_of(post)


# the member's own language --------------------------------------------------------------
async def test_a_dm_and_an_interest_offer_are_in_the_members_language(rig: Rig) -> None:
    speak(rig, BabelLanguages())
    session = channel_session("discord:701")
    notice = reminder(session, ReminderKind.BEFORE_10M, to_member=True)
    await rig.frontend.discord_chat.send_dm(
        "discord:702", notice.model_copy(update={"locale": "ja"})
    )
    [dm] = rig.fake.dms_to(KENJI.user_id)
    assert "リマインダー：sensei さんの「Kata」が10 分後に始まります。" in text_of(dm)
    assert labels(dm) == ["参加"]

    await schedule(rig, HANS)
    [scheduled] = await rig.store.list_sessions(SessionFilter())
    sid = scheduled.id
    for answer in ("going", "leave"):  # Lucia's profile learns her language
        await rig.gateway.interact(
            slash_command("rsvp", LUCIA, GUILD, CHANNEL, session=sid, answer=answer)
        )
    [event] = rig.fake.events.values()
    payload = scheduled_event_user_add(GUILD, int(event["id"]), LUCIA.user_id)
    rig.gateway.dispatch("GUILD_SCHEDULED_EVENT_USER_ADD", payload)
    await asyncio.gather(*rig.frontend.interested.tasks)
    [offer] = rig.fake.dms_to(LUCIA.user_id)
    assert offer["content"].startswith("Marcaste **Me interesa** en **Kata**")
    assert labels(offer) == ["Voy"]


async def test_a_session_its_list_and_help_in_japanese_and_spanish(rig: Rig) -> None:
    speak(rig, BabelLanguages())
    await schedule(rig, HANS)
    [session] = await rig.store.list_sessions(SessionFilter())
    answer = await rig.gateway.interact(
        slash_command("session", KENJI, GUILD, CHANNEL, session=session.id)
    )
    assert "席: 0/12 人参加予定" in text_of(answer), text_of(answer)
    assert labels(answer) == ["行きます", "やめる", "カレンダーに追加"]
    answer = await rig.gateway.interact(slash_command("sessions", LUCIA, GUILD, CHANNEL))
    assert answer["data"]["embeds"][0]["title"] == "Sesiones"
    assert " · hans · programada" in text_of(answer)
    answer = await rig.gateway.interact(
        slash_command("rsvp", LUCIA, GUILD, CHANNEL, session=session.id)
    )
    assert "(Inscritos: 1/12)" in text_of(answer), text_of(answer)

    for person, title, summary in (
        (KENJI, "dojobot のコマンド", "**ライブ練習セッションを予定する**"),
        (LUCIA, "Comandos de dojobot", "**Programar una sesión de entrenamiento en directo**"),
    ):
        answer = await rig.gateway.interact(slash_command("help", person, GUILD, CHANNEL))
        embed, *more = answer["data"]["embeds"]  # pages of one message; the first titled
        assert embed["title"] == title
        assert f"{summary}\n`/schedule-session title: when:" in embed["description"]
        last = (more or [embed])[-1]
        assert not last["description"].endswith("…")  # the whole help fits


async def test_many_sessions_page_in_german(rig: Rig) -> None:
    speak(rig, BabelLanguages())
    base = channel_session("discord:701")
    for i in range(12):
        start = base.start_time + timedelta(hours=i)
        await rig.store.add_session(base.model_copy(update={"id": f"s{i}", "start_time": start}))
    answer = await rig.gateway.interact(slash_command("sessions", HANS, GUILD, CHANNEL))
    [embed] = answer["data"]["embeds"]
    assert embed["title"] == "Sitzungen"
    assert embed["footer"]["text"] == "Seite 1 von 2 · 12 Sitzungen"
    assert labels(answer) == ["Weiter"]


async def test_the_form_and_its_refusal_in_french(rig: Rig) -> None:
    speak(rig, BabelLanguages())
    answer = await rig.gateway.interact(
        slash_command("schedule-session-form", CLAIRE, GUILD, CHANNEL)
    )
    modal = answer["data"]
    assert modal["title"] == "Planifier une séance"
    shown = [c["label"] for c in modal["components"]]
    assert shown == ["Titre", "Quand", "Durée", "Places", "Description"]
    inputs = [c["component"]["custom_id"] for c in modal["components"]]
    typed = ["Kata", "2026-12-03 18:00", "", "douze", ""]
    values = dict(zip(inputs, typed, strict=True))
    answer = await rig.gateway.interact(
        modal_submit(modal["custom_id"], CLAIRE, GUILD, CHANNEL, values)
    )
    assert is_ephemeral(answer)
    [embed] = answer["data"]["embeds"]
    assert (
        embed["description"]
        == f"Les places doivent être un nombre entier, pas «{NBSP}douze{NBSP}»."
    )
    assert [f["name"] for f in embed["fields"]] == ["Essayez", "Utilisation"]
    assert embed["fields"][1]["value"].startswith("`/schedule-session-form [recording:]")


async def test_member_commands_in_japanese_german_and_spanish(rig: Rig) -> None:
    speak(rig, BabelLanguages())
    answer = await rig.gateway.interact(slash_command("reminders", KENJI, GUILD, CHANNEL))
    assert text_of(answer).startswith("あなたのリマインダー（選ぶとすぐに保存されます）：")
    shown = labels(answer)
    assert shown[:2] == ["どのリマインダー", "受け取り方"] and shown[-1] == "既定に戻す"
    kinds = answer["data"]["components"][0]["components"][0]
    assert [o["label"] for o in kinds["options"]][:3] == ["24 時間前", "1 時間前", "10 分前"]
    payload = select_choice(
        "dojobot:rem:kinds:", ["24h"], KENJI, GUILD, CHANNEL, answer_message(answer, CHANNEL)
    )
    answer = await rig.gateway.interact(payload)
    assert text_of(answer).startswith("保存しました。\n種類：24 時間前\n受け取り方：団体の既定")

    answer = await rig.gateway.interact(slash_command("forget-me", HANS, GUILD, CHANNEL))
    assert text_of(answer).startswith("**Mich vergessen?** Das löscht dein dojobot-Profil")
    assert labels(answer) == ["Bestätigen", "Abbrechen"]

    answer = await rig.gateway.interact(slash_command("link", LUCIA, GUILD, CHANNEL))
    assert text_of(answer).startswith("Tu código de vinculación: **")


async def test_a_weekly_class_preview_in_japanese_and_german(make_rig: RigFactory) -> None:
    rig = await make_rig()
    speak(rig, BabelLanguages())
    for person, head, buttons, count in (
        (KENJI, "プレビュー：Kids karate", ["作成", "キャンセル"], "全 "),
        (HANS, "Vorschau: Kids karate", ["Erstellen", "Abbrechen"], " Stunden insgesamt."),
    ):
        answer = await rig.gateway.interact(
            slash_command(
                "schedule-class",
                person,
                GUILD,
                CHANNEL,
                title="Kids karate",
                days="mon,wed",
                time="17:30",
                weeks=4,
            )
        )
        [embed] = answer["data"]["embeds"]
        assert embed["title"] == head, embed
        assert count in embed["description"]
        assert labels(answer) == buttons


def test_a_called_off_event_is_named_in_the_servers_language() -> None:
    """The Scheduled Event Discord already started cannot be canceled: it is completed,
    named as canceled in the server's language."""
    de = BabelLanguages().translator("de")
    session = channel_session("discord:701").model_copy(update={"status": SessionStatus.CANCELED})
    links = Links("https://dojo.example")
    assert event_steps(session, SCHEDULED, links, de) == [{"status": CANCELED}]
    [step] = event_steps(session, ACTIVE, links, de)
    assert step == {"status": COMPLETED, "name": "Abgesagt: Kata"}


async def test_every_language_fits_discords_limits(rig: Rig) -> None:
    """The longest surfaces in each shipped language: the fake refuses anything Discord
    would (labels, options, titles, descriptions), and `/help` is never cut."""
    speak(rig, BabelLanguages())
    await schedule(rig, HANS)
    [session] = await rig.store.list_sessions(SessionFilter())
    for i, locale in enumerate(("en-US", "ja", "de", "es-ES", "fr")):
        person = Person(720 + i, f"m{i}", [INSTRUCTOR_ROLE], locale=locale)
        for command, options in (
            ("help", {}),
            ("reminders", {}),
            ("forget-me", {}),
            ("link", {}),
            ("session", {"session": session.id}),
            ("schedule-session-form", {}),
        ):
            answer = await rig.gateway.interact(
                slash_command(command, person, GUILD, CHANNEL, **options)
            )
            for embed in answer["data"].get("embeds") or []:
                assert not str(embed.get("description", "")).endswith("…"), (locale, command)

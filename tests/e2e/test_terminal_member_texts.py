"""The member commands answer in the member's language on the terminal: /profile, /link,
/reminders and their errors in Japanese and French, /help in German, the seats after an
RSVP; the English of another member is unchanged."""

from __future__ import annotations

from tests.e2e.conftest import Terminal
from tests.e2e.test_terminal_language_story import _speaks

NB = "\u00a0"


async def test_member_replies_in_japanese_french_and_german(terminal: Terminal) -> None:
    printed = await terminal.type(
        "/as sensei instructor Europe/Berlin",
        '/schedule-session "Kata" tomorrow 18:00 cap 20',
        "/as kenji member Asia/Tokyo",
        "/profile",
        "/as elise member Europe/Paris",
        "/profile",
        "/as greta member Europe/Berlin",
        "/profile",
    )
    sid = terminal.session_id(printed)
    await _speaks(terminal, "terminal:kenji", "ja-JP")
    await _speaks(terminal, "terminal:elise", "fr-FR")
    await _speaks(terminal, "terminal:greta", "de-DE")

    text = "\n".join(
        await terminal.type(
            "/as kenji member Asia/Tokyo", "/profile", "/link", f"/rsvp {sid}", "/reminders set 5h"
        )
    )
    assert "あなたのプロフィール（ID terminal:kenji）：" in text, text
    assert "  言語：ja-JP" in text and "    種類：団体の既定" in text
    assert "あなたの連携コード：" in text and "使えるのは1回だけです。" in text
    assert "1/20 人参加予定" in text
    assert "「5h」は送れるリマインダーではありません。" in text

    text = "\n".join(
        await terminal.type(
            "/as elise member Europe/Paris",
            "/reminders set 24h route dm quiet 22:00-07:00",
            "/forget-me",
            "/link nope!",
        )
    )
    assert f"Enregistré. Vos rappels{NB}:" in text, text
    assert f"  où{NB}: message privé" in text and f"heures calmes{NB}: 22:00-07:00" in text
    assert "Cela supprime votre profil et les données personnelles associées, partout." in text
    assert f"«{NB}nope!{NB}» n’est pas un code de liaison." in text

    text = "\n".join(await terminal.type("/as greta member Europe/Berlin", "/help"))
    assert "Befehle:" in text and "Anzeigen, was dojobot über dich speichert." in text, text
    assert "Terminal only:" in text  # the terminal's own lines follow

    text = "\n".join(await terminal.type("/as ana member Europe/Berlin", "/profile", "/help"))
    assert "Your profile (id terminal:ana):" in text and "  name: ana" in text, text
    assert "Commands:" in text and "Show what dojobot stores about you." in text

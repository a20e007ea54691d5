"""A member who reads Japanese gets the terminal's replies and refusals in Japanese, with
dates in Babel's Japanese format; everyone else keeps the English (the app as wired)."""

from __future__ import annotations

from tests.e2e.conftest import Terminal


async def _speaks(terminal: Terminal, member_id: str, locale: str) -> None:
    """Their profile's language, as a platform (or a later `/language`) would set it."""
    assert terminal.app is not None
    store = terminal.app.wiring.store
    profile = await store.get_profile(member_id)
    assert profile is not None
    await store.save_profile(profile.model_copy(update={"locale": locale}))


async def test_replies_and_refusals_follow_the_members_language(terminal: Terminal) -> None:
    printed = await terminal.type(
        "/as sensei instructor Europe/Berlin",
        '/schedule-session "Kata" tomorrow 18:00',
        "/as kenji member Asia/Tokyo",
        "/session nope",
    )
    sid = terminal.session_id(printed)
    assert any("No session with id “nope”." in line for line in printed), printed
    await _speaks(terminal, "terminal:kenji", "ja-JP")
    printed = await terminal.type("/session nope", f"/rsvp {sid}", f"/cancel-session {sid}")
    text = "\n".join(printed)
    assert "[error · only you] id「nope」のセッションはありません。" in text, text
    assert "/sessions で今後のセッションを一覧できます。" in text
    assert "“Kata” に参加登録しました。リマインダーは" in text, text
    assert "中止ができるのは管理者・講師だけです（あなたはメンバーです）。" in text, text
    printed = await terminal.type("/as ana member Europe/Berlin", "/session nope")
    assert any("No session with id “nope”." in line for line in printed), printed

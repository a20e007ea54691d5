"""The personal calendar feed through the terminal front end, on SQLite + Jitsi with the real
web server: `/calendar-feed` prints a secret URL whose calendar holds the member's sessions
(going, waitlisted, teaching; a canceled one as CANCELLED with its new SEQUENCE) and nobody
else's; a new `/calendar-feed` makes the old URL 404; `/calendar-feed revoke` makes it 404;
the token never reaches a log line."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from tests.e2e.conftest import Terminal

FEED = re.compile(r"https?://\S+(/calendar/feed/([A-Za-z0-9_-]+)\.ics)")


def feed_of(printed: list[str]) -> tuple[str, str]:
    """The path and token of the feed URL a `/calendar-feed` printed."""
    found = [m for line in printed if (m := FEED.search(line))]
    assert len(found) == 1, printed
    return found[0].group(1), found[0].group(2)


async def fetch(terminal: Terminal, path: str) -> httpx.Response:
    assert terminal.app is not None and terminal.app.web is not None
    async with httpx.AsyncClient(base_url=terminal.app.web.base_url) as client:
        return await client.get(path)


def events(body: str) -> dict[str, str]:
    """SUMMARY → the VEVENT's text, per event of the calendar."""
    found = {}
    for block in body.split("BEGIN:VEVENT")[1:]:
        summary = re.search(r"SUMMARY:(.*)\r\n", block)
        assert summary is not None
        found[summary.group(1)] = block
    return found


async def test_a_members_feed_lists_their_sessions_and_dies_when_replaced_or_revoked(
    terminal: Terminal, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    printed = await terminal.type(
        "/as sensei instructor",
        '/schedule-session "Kata" 2026-12-02 18:00 60m cap 1',
        '/schedule-session "Randori" 2026-12-03 18:00 60m cap 5',
        '/schedule-session "Iaido" 2026-12-04 18:00 60m cap 5',
        '/schedule-session "Others only" 2026-12-05 18:00 60m cap 5',
    )
    kata, randori, iaido, others = (
        terminal.session_id([line]) for line in printed if "(id " in line
    )
    await terminal.type("/as ben member", f"/rsvp {kata}", f"/rsvp {others}")
    await terminal.type("/as ana member", f"/rsvp {kata}", f"/rsvp {randori}", f"/rsvp {iaido}")
    await terminal.type(f"/unrsvp {iaido}")  # left: not hers any more
    printed = await terminal.type("/calendar-feed")
    path, token = feed_of(printed)
    assert any("Keep it to yourself" in line for line in printed), printed

    response = await fetch(terminal, path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "private, no-store"
    listed = events(response.text)
    assert set(listed) == {"Kata", "Randori"}  # waitlisted for Kata, going to Randori
    assert "STATUS:CONFIRMED" in listed["Randori"]

    # the instructor cancels Randori: it stays in her feed as CANCELLED, with a new SEQUENCE
    before = re.search(r"SEQUENCE:(\d+)", listed["Randori"])
    await terminal.type("/as sensei instructor", f"/cancel-session {randori} sick")
    listed = events((await fetch(terminal, path)).text)
    assert "STATUS:CANCELLED" in listed["Randori"]
    after = re.search(r"SEQUENCE:(\d+)", listed["Randori"])
    assert before and after and int(after.group(1)) > int(before.group(1))

    # the instructor's own feed: the sessions he teaches
    sensei_path, _ = feed_of(await terminal.type("/calendar-feed"))
    assert set(events((await fetch(terminal, sensei_path)).text)) == {
        "Kata",
        "Randori",
        "Iaido",
        "Others only",
    }

    # a new link replaces the old one: the old URL 404s, the new one works
    printed = await terminal.type("/as ana member", "/calendar-feed")
    new_path, new_token = feed_of(printed)
    assert new_token != token
    gone = await fetch(terminal, path)
    assert gone.status_code == 404 and "calendar" not in gone.headers["content-type"]
    assert gone.headers["cache-control"] == "private, no-store"
    assert (await fetch(terminal, new_path)).status_code == 200

    # revoked: the URL 404s, the same answer as a token that never existed
    printed = await terminal.type("/calendar-feed revoke")
    assert any("revoked" in line for line in printed), printed
    revoked = await fetch(terminal, new_path)
    never = await fetch(terminal, "/calendar/feed/" + "a" * 64 + ".ics")
    assert revoked.status_code == never.status_code == 404
    assert revoked.text == never.text
    printed = await terminal.type("/calendar-feed revoke")
    assert any("no calendar feed" in line for line in printed), printed
    printed = await terminal.type("/calendar-feed now")
    assert any("/calendar-feed revoke" in line for line in printed), printed

    # what the app logged (the test's own httpx client plays the calendar app: not ours)
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))
    )
    assert "calendar-feed" in logged  # the commands were logged, at debug level
    for secret in (token, new_token):
        assert secret not in logged

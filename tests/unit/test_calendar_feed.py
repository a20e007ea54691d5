"""Personal calendar feeds in the core: tokens are 256 random bits of which only a SHA-256 is
stored; `/calendar-feed [revoke]` parses; a new feed replaces the old one, revoking stops it;
the feed's read takes a token and answers None for anything unknown, without a reason."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from core.calendar_feed import (
    CalendarFeed,
    feed_path,
    feed_token_hash,
    new_feed_token,
    usable_token,
)
from core.commands import ScheduleSession
from core.errors import InvalidInput, InvalidState
from core.feed_commands import CalendarFeedLink, RevokeCalendarFeed
from core.grammar import parse_command
from core.model import Member, Role
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ANA = Member(id="terminal:ana", display_name="Ana")
SENSEI = Member(id="terminal:sensei", display_name="Sensei", role=Role.INSTRUCTOR)


@dataclass
class Links:
    """The `FeedLinks` port: served or not, at a fixed base URL."""

    on: bool = True

    def available(self) -> bool:
        return self.on

    def base_url(self) -> str:
        return "https://dojo.example/"


def service_with(links: Links | None) -> tuple[SessionService, InMemorySessionStore]:
    store = InMemorySessionStore()
    service = SessionService(
        store, InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock(NOW), feed_links=links
    )
    return service, store


def url_in(lines: list[str]) -> str:
    [url] = [str(line).split(": ", 1)[1] for line in lines if "/calendar/feed/" in line]
    return url


def test_a_token_is_256_random_bits_and_only_its_sha256_is_kept() -> None:
    tokens = {new_feed_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) == 64 and usable_token(t) for t in tokens)
    token = next(iter(tokens))
    assert feed_token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert feed_path(token) == f"/calendar/feed/{token}.ics"
    assert not usable_token("short") and not usable_token("a" * 63 + "/")
    assert not usable_token(token.upper()) and not usable_token(token + "0")
    with pytest.raises(ValueError, match="SHA-256"):
        CalendarFeed(member_id="m", token_hash=token[:40], created_at=NOW)  # not a SHA-256


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/calendar-feed", CalendarFeedLink()),
        ("/calendar-feed revoke", RevokeCalendarFeed()),
        ("calendar-feed REVOKE", RevokeCalendarFeed()),
        ("/calendar-feed stop", RevokeCalendarFeed()),
    ],
)
def test_the_grammar_reads_calendar_feed_lines(line: str, expected: object) -> None:
    assert parse_command(line, NOW, "UTC") == expected


@pytest.mark.parametrize("line", ["/calendar-feed please", "/calendar-feed revoke now"])
def test_other_words_are_refused_saying_what_to_type(line: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_command(line, NOW, "UTC")
    assert "/calendar-feed revoke" in str(refused.value.hint)


async def test_a_new_feed_replaces_the_old_and_revoking_stops_it() -> None:
    service, store = service_with(Links())
    first = url_in((await service.calendar_feed(ANA)).lines)
    assert first.startswith("https://dojo.example/calendar/feed/")  # one slash: base trimmed
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in repr(store._feeds) and feed_token_hash(token) in repr(store._feeds)
    assert await service.feed_sessions(token) == []
    second = url_in((await service.calendar_feed(ANA)).lines)
    token_2 = second.rsplit("/", 1)[1].removesuffix(".ics")
    assert await service.feed_sessions(token) is None
    assert await service.feed_sessions(token_2) == []
    revoked = await service.revoke_calendar_feed(ANA)
    assert revoked.action == "feed_revoked"
    assert await service.feed_sessions(token_2) is None
    assert (await service.revoke_calendar_feed(ANA)).action == "feed_none"


async def test_the_feed_read_answers_none_for_unknown_or_malformed_tokens() -> None:
    service, _ = service_with(Links())
    for token in ("", "x", "a" * 64, "A" * 64, "../../etc/passwd", "a" * 500):
        assert await service.feed_sessions(token) is None


async def test_the_feed_holds_her_rsvps_and_his_teaching_once_each() -> None:
    service, _ = service_with(Links())
    made = ScheduleSession(title="Kata", start_time=NOW + timedelta(days=1), capacity=5)
    kata = await service.schedule(SENSEI, made, None)
    await service.rsvp(SENSEI, kata.id)  # he teaches it and is going: listed once
    await service.rsvp(ANA, kata.id)
    for member in (ANA, SENSEI):
        url = url_in((await service.calendar_feed(member)).lines)
        listed = await service.feed_sessions(url.rsplit("/", 1)[1].removesuffix(".ics"))
        assert [s.id for s in listed or []] == [kata.id]


@pytest.mark.parametrize("links", [None, Links(on=False)])
async def test_without_served_pages_no_feed_is_made(links: Links | None) -> None:
    service, store = service_with(links)
    with pytest.raises(InvalidState) as refused:
        await service.calendar_feed(ANA)
    assert "DOJOBOT_WEB__ENABLED" in str(refused.value.hint)
    assert store._feeds == {}

"""Personal page links: signed like join links under their own purpose, expiring, and
handed out (as a URL button) only to who may see the page."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from core.commands import ScheduleSeries, ScheduleSession
from core.errors import InvalidState, NotFound, PermissionDenied
from core.executor import CommandExecutor
from core.grammar import parse_command
from core.join_pass import InvalidJoinPass, issue_pass, sign_pass, verify_pass
from core.model import SessionFilter
from core.notices import NoticeKind
from core.page_pass import (
    InvalidPagePass,
    PageKind,
    SignedPageLinks,
    issue_page_pass,
    sign_page_pass,
    verify_page_pass,
)
from core.reply_outcome import ReplyOutcome
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ADMIN, ANA, BEN, ORIGIN, SENSEI

SECRET = b"k" * 32
BASE = "https://dojo.example"


def links_and_service() -> tuple[SignedPageLinks, SessionService, FakeClock]:
    clock = FakeClock()
    links = SignedPageLinks(SECRET, BASE, timedelta(hours=24))
    service = SessionService(
        InMemorySessionStore(),
        InMemoryVideoRooms(),
        RecordingChatDelivery(),
        clock,
        page_links=links,
    )
    return links, service, clock


def test_a_page_pass_round_trips_and_expires() -> None:
    clock = FakeClock()
    page_pass = issue_page_pass(ANA, PageKind.MEMBER, ANA.id, clock.now(), timedelta(hours=24))
    token = sign_page_pass(page_pass, SECRET)
    assert verify_page_pass(token, SECRET, clock.now()) == page_pass
    with pytest.raises(InvalidPagePass) as expired:
        verify_page_pass(token, SECRET, clock.now() + timedelta(hours=24))
    assert expired.value.expired


def test_forged_damaged_and_join_tokens_are_not_page_passes() -> None:
    clock = FakeClock()
    page_pass = issue_page_pass(ANA, PageKind.MEMBER, ANA.id, clock.now(), timedelta(hours=1))
    token = sign_page_pass(page_pass, SECRET)
    body, _, signature = token.partition(".")
    other = sign_page_pass(page_pass.model_copy(update={"subject": BEN.id}), SECRET)
    forged = f"{other.partition('.')[0]}.{signature}"  # someone else's page, our signature
    join_token = sign_pass(issue_pass(ANA, "s-1", clock.now(), timedelta(hours=1)), SECRET)
    for bad in (forged, body, token + "x", join_token, sign_page_pass(page_pass, b"o" * 32)):
        with pytest.raises(InvalidPagePass) as refused:
            verify_page_pass(bad, SECRET, clock.now())
        assert not refused.value.expired
    with pytest.raises(InvalidJoinPass):  # and a page token is no join pass
        verify_pass(token, SECRET, clock.now())


async def test_training_page_replies_with_a_personal_url_button() -> None:
    links, service, clock = links_and_service()
    outcome = await service.page_link(ANA, PageKind.MEMBER, None)
    [button] = outcome.buttons
    assert button.url is not None and button.url.startswith(f"{BASE}/record/")
    page_pass = links.verify(button.url.rsplit("/", 1)[1], clock.now())
    assert (page_pass.viewer_id, page_pass.kind, page_pass.subject) == (
        ANA.id,
        PageKind.MEMBER,
        ANA.id,
    )
    assert page_pass.expires_at == clock.now().replace(microsecond=0) + timedelta(hours=24)


async def test_only_staff_open_someone_elses_page_and_a_class_page() -> None:
    _, service, _ = links_and_service()
    with pytest.raises(PermissionDenied):
        await service.page_link(ANA, PageKind.MEMBER, BEN.id)
    outcome = await service.page_link(SENSEI, PageKind.MEMBER, BEN.id)
    assert outcome.buttons[0].url
    session = await service.schedule(
        SENSEI,
        ScheduleSession(title="Kata", start_time=service.now() + timedelta(days=1)),
        ORIGIN,
    )
    with pytest.raises(PermissionDenied):
        await service.page_link(ANA, PageKind.CLASS, session.id)
    assert (await service.page_link(SENSEI, PageKind.CLASS, session.id)).buttons
    with pytest.raises(NotFound):
        await service.page_link(SENSEI, PageKind.CLASS, "c-missing")


async def test_only_admins_open_the_overview() -> None:
    _, service, _ = links_and_service()
    with pytest.raises(PermissionDenied):
        await service.page_link(SENSEI, PageKind.OVERVIEW, None)
    assert (await service.page_link(ADMIN, PageKind.OVERVIEW, None)).buttons[0].url


async def test_without_pages_served_the_link_is_refused_with_a_hint() -> None:
    service = SessionService(
        InMemorySessionStore(), InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock()
    )
    with pytest.raises(InvalidState):
        await service.page_link(ANA, PageKind.MEMBER, None)


async def test_the_ended_summary_of_a_weekly_class_offers_its_class_page() -> None:
    clock, store, chat = FakeClock(), InMemorySessionStore(), RecordingChatDelivery()
    links = SignedPageLinks(SECRET, BASE)
    service = SessionService(store, InMemoryVideoRooms(), chat, clock, page_links=links)
    plan = await service.schedule_series(
        SENSEI,
        ScheduleSeries(
            title="Evening kata",
            weekdays=[clock.now().weekday()],
            local_time=time(18, 0),
            timezone="UTC",
            weeks=2,
        ),
        ORIGIN,
    )
    [first, *_] = await store.list_sessions(SessionFilter(series_id=plan.series.root_id, limit=1))
    one_off = await service.schedule(
        SENSEI, ScheduleSession(title="Open mat", start_time=first.start_time), ORIGIN
    )
    clock.set(first.start_time)
    for session in (first, one_off):
        await service.start(SENSEI, session.id)
        await service.end(SENSEI, session.id)
    ended = [s.notice for s in chat.of_kind("channel") if s.notice is not None]
    by_session = {
        n.session.id: [b.command for b in n.buttons] for n in ended if n.kind is NoticeKind.ENDED
    }
    line = f"/class-page {plan.series.root_id}"
    assert by_session == {first.id: [line], one_off.id: []}
    with pytest.raises(PermissionDenied):
        await CommandExecutor(service).execute(ANA, parse_command(line, clock.now(), "UTC"), None)
    command = parse_command(line, clock.now(), "UTC")
    outcome = await CommandExecutor(service).execute(SENSEI, command, None)
    assert isinstance(outcome, ReplyOutcome)
    [button] = outcome.buttons
    assert button.url and links.verify(button.url.rsplit("/", 1)[1], clock.now()).subject == (
        plan.series.root_id
    )


def test_a_link_fits_a_discord_link_button_whatever_the_name() -> None:
    links = SignedPageLinks(SECRET, "https://dojo.example.org")
    viewer = ANA.model_copy(
        update={"display_name": "長い名前" * 40, "timezone": "America/Argentina/Buenos_Aires"}
    )
    link = links.issue(viewer, PageKind.MEMBER, "discord:123456789012345678", FakeClock().now())
    assert len(link.url) <= 512  # Discord's limit on a link button's url

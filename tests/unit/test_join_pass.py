"""Join passes: signed, per-member, short-lived; and the service's join / open_room with them."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import InvalidState, PermissionDenied
from core.join_pass import (
    DEFAULT_TTL,
    InvalidJoinPass,
    SignedJoinLinks,
    issue_pass,
    sign_pass,
    verify_pass,
)
from core.model import Member, Role
from core.ports import JoinLinks
from core.service import SessionService
from tests.unit.conftest import ANA, BEN, GUEST, SENSEI, World

SECRET = b"k" * 32
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ZOE = Member(id="slack:T1:U9", display_name="Zoë “Z” <b>", role=Role.MEMBER, timezone="Asia/Tokyo")


def token_for(member: Member = ZOE, ttl: timedelta = DEFAULT_TTL) -> str:
    return sign_pass(issue_pass(member, "s1", NOW, ttl), SECRET)


def test_a_pass_round_trips_with_everything_the_rules_need() -> None:
    join_pass = verify_pass(token_for(), SECRET, NOW + timedelta(minutes=14, seconds=59))
    assert join_pass.member == ZOE
    assert join_pass.session_id == "s1"
    assert join_pass.issued_at == NOW
    assert join_pass.expires_at == NOW + timedelta(minutes=15)


def test_the_token_is_url_safe() -> None:
    token = token_for()
    assert all(c.isalnum() or c in "-_." for c in token), token
    assert token.count(".") == 1


def test_an_expired_pass_says_expired() -> None:
    with pytest.raises(InvalidJoinPass) as caught:
        verify_pass(token_for(), SECRET, NOW + DEFAULT_TTL)
    assert caught.value.expired
    assert "expired" in caught.value.message
    assert caught.value.hint and "Join" in caught.value.hint


def _forge(token: str, **changes: object) -> str:
    body, signature = token.split(".")
    fields = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    fields.update(changes)
    raw = json.dumps(fields).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + signature


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: _forge(t, r="admin"), id="role raised"),
        pytest.param(lambda t: _forge(t, m="slack:T1:U1"), id="other member"),
        pytest.param(lambda t: _forge(t, s="s2"), id="other session"),
        pytest.param(lambda t: _forge(t, e=4102444800), id="expiry moved"),
        pytest.param(lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"), id="signature"),
        pytest.param(lambda t: t.split(".")[0], id="no signature"),
        pytest.param(lambda t: "." + t.split(".")[1], id="no body"),
        pytest.param(lambda t: t + "!", id="bad character"),
        pytest.param(lambda t: t + "\u00e9", id="non-ascii"),
        pytest.param(lambda t: t.replace(".", ".x", 1), id="signature shifted"),
        pytest.param(lambda t: "a" * 3000 + "." + t, id="too long"),
        pytest.param(lambda t: "", id="empty"),
    ],
)
def test_a_tampered_token_is_invalid_and_never_called_expired(
    mangle: Callable[[str], str],
) -> None:
    with pytest.raises(InvalidJoinPass) as caught:
        verify_pass(mangle(token_for()), SECRET, NOW + timedelta(days=365))
    assert not caught.value.expired
    assert "isn't valid" in caught.value.message
    assert isinstance(caught.value, PermissionDenied)


def test_a_token_signed_with_another_key_is_invalid() -> None:
    with pytest.raises(InvalidJoinPass):
        verify_pass(token_for(), b"x" * 32, NOW)


def test_a_well_signed_token_with_a_broken_payload_is_invalid() -> None:
    import hashlib
    import hmac

    from core.join_pass import PURPOSE

    for payload in (
        b"[1,2]",
        b'{"m": "x"}',
        b"not json",
        b'{"m":"x","n":"","r":"x","z":"UTC","s":"s1","i":0,"e":99999999999}',
    ):
        body = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
        mac = hmac.new(SECRET, PURPOSE + body.encode(), hashlib.sha256).digest()
        token = body + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
        with pytest.raises(InvalidJoinPass) as caught:
            verify_pass(token, SECRET, NOW)
        assert not caught.value.expired


def test_short_secrets_and_lifetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        sign_pass(issue_pass(ZOE, "s1", NOW, DEFAULT_TTL), b"short")
    with pytest.raises(ValueError, match="32 bytes"):
        SignedJoinLinks(b"short", "https://x")
    with pytest.raises(ValueError, match="positive"):
        SignedJoinLinks(SECRET, "https://x", timedelta())
    with pytest.raises(ValueError, match="positive"):
        issue_pass(ZOE, "s1", NOW, timedelta(seconds=-1))


async def test_signed_join_links_read_the_base_url_at_each_issue(world: World) -> None:
    bases = iter(["http://localhost:1234/", "https://dojo.example"])
    links = SignedJoinLinks(SECRET, lambda: next(bases), timedelta(minutes=5))
    port: JoinLinks = links
    session = await world.schedule()
    first = port.issue(ANA, session, world.now)
    second = port.issue(ANA, session, world.now)
    assert first.url.startswith("http://localhost:1234/join/")
    assert second.url.startswith("https://dojo.example/join/")
    assert first.expires_at == world.now + timedelta(minutes=5)
    assert "ttl=0:05:00" in repr(links) and SECRET.decode() not in repr(links)


async def test_join_hands_out_a_join_page_link_when_configured(world: World) -> None:
    links = SignedJoinLinks(SECRET, "https://dojo.example/", timedelta(minutes=15))
    world.service = SessionService(
        world.store, world.rooms, world.chat, world.clock, join_links=links
    )
    session = await world.schedule(in_=timedelta(minutes=5))
    await world.service.rsvp(ANA, session.id)
    link = await world.service.join(ANA, session.id)
    assert link.url.startswith("https://dojo.example/join/")
    assert link.expires_at == world.now + timedelta(minutes=15)
    assert link.auth_token is None
    assert world.rooms.issued == []  # the provider is asked only at click time
    token = link.url.rsplit("/", 1)[1]
    join_pass = links.verify(token, world.now)
    assert join_pass.member == ANA and join_pass.session_id == session.id


async def test_join_still_refuses_at_once_when_too_early(world: World) -> None:
    links = SignedJoinLinks(SECRET, "https://dojo.example")
    world.service = SessionService(
        world.store, world.rooms, world.chat, world.clock, join_links=links
    )
    session = await world.schedule(in_=timedelta(hours=2))
    with pytest.raises(InvalidState, match="Too early"):
        await world.service.join(ANA, session.id)


async def test_open_room_checks_again_records_the_stay_once_and_returns_the_room(
    world: World,
) -> None:
    session = await world.schedule(in_=timedelta(minutes=5))
    link = await world.service.open_room(BEN, session.id)
    assert link.url.startswith("https://rooms.invalid/")
    assert world.rooms.issued[-1][1:] == (BEN.id, False)
    await world.service.open_room(BEN, session.id)  # reload: still one open stay
    stays = await world.store.list_attendance(session.id)
    assert [(s.member_id, s.joined_at, s.left_at) for s in stays] == [(BEN.id, world.now, None)]
    host_link = await world.service.open_room(SENSEI, session.id)
    assert world.rooms.issued[-1][1:] == (SENSEI.id, True) and host_link.url != link.url


async def test_open_room_after_leaving_opens_a_new_stay(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5))
    await world.service.open_room(BEN, session.id)
    world.clock.advance(timedelta(minutes=3))
    await world.service.record_leave(BEN, session.id)
    await world.service.open_room(BEN, session.id)
    assert len(await world.store.list_attendance(session.id)) == 2


async def test_open_room_leaves_attendance_to_providers_that_report_it(world: World) -> None:
    world.rooms.reports_attendance = True  # type: ignore[attr-defined]
    session = await world.schedule(in_=timedelta(minutes=5))
    await world.service.open_room(BEN, session.id)
    assert await world.store.list_attendance(session.id) == []


async def test_open_room_refuses_with_the_reason(world: World) -> None:
    session = await world.schedule(in_=timedelta(hours=1))
    with pytest.raises(InvalidState, match="Too early"):
        await world.service.open_room(BEN, session.id)
    members_only = await world.schedule(in_=timedelta(minutes=5))
    with pytest.raises(PermissionDenied, match="members only"):
        await world.service.open_room(GUEST, members_only.id)
    assert world.rooms.issued == []
    assert await world.store.list_attendance(members_only.id) == []


B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.mark.parametrize("part", ["signature", "body"])
def test_a_token_verifies_under_exactly_one_spelling(part: str) -> None:
    token = token_for()
    body, signature = token.split(".")
    accepted = []
    for last in B64URL:
        spelled = (
            f"{body}.{signature[:-1]}{last}"
            if part == "signature"
            else f"{body[:-1]}{last}.{signature}"
        )
        try:
            verify_pass(spelled, SECRET, NOW)
        except InvalidJoinPass:
            continue
        accepted.append(spelled)
    assert accepted == [token]

"""The Jitsi adapter: settings, room names, URLs and tokens checked against a Prosody mirror."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
from pydantic import BaseModel, ValidationError

from adapters.jitsi import JitsiRooms, JitsiSettings, JitsiSettingsError
from adapters.jitsi.links import build_join_url, build_room_name, random_part, slugify
from adapters.jitsi.tokens import JoinGrant, build_claims, mint_token, token_window
from core.errors import RoomUnavailable
from core.model import Member, Role, Room, TrainingSession
from tests.fakes.jitsi_verifier import (
    ProsodyTokenConfig,
    TokenRejected,
    parse_link,
    verify_join,
    verify_room,
    verify_token,
)

SECRET = "test-secret-that-is-long-enough-for-hs512-0123456789abcdef-0123456789"
START = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
ANN = Member(id="slack:T1:U2", display_name="Ann")
HOST = Member(id="slack:T1:U1", display_name="Sensei Kano", role=Role.INSTRUCTOR)
SERVER = ProsodyTokenConfig(app_id="dojobot", app_secret=SECRET, accepted_audiences=("jitsi",))


def jwt_settings(**changes: Any) -> JitsiSettings:
    values: dict[str, Any] = {
        "base_url": "https://meet.example.com",
        "app_id": "dojobot",
        "app_secret": SECRET,
    }
    return JitsiSettings(**(values | changes))


def make_session(
    room_id: str | None = "dojo-judo-abcdefghijklmnopqrstuvwx", **changes: Any
) -> TrainingSession:
    values: dict[str, Any] = {
        "id": "s1",
        "title": "Judo randori",
        "instructor_id": HOST.id,
        "instructor_name": HOST.display_name,
        "start_time": START,
        "duration_minutes": 60,
        "created_at": START - timedelta(days=3),
        "updated_at": START - timedelta(days=3),
        "room": Room(provider="jitsi", room_id=room_id),
    }
    return TrainingSession(**(values | changes))


# settings ---------------------------------------------------------------------------------


def test_default_settings_are_public_meet_jit_si() -> None:
    settings = JitsiSettings()
    assert settings.base_url == "https://meet.jit.si"
    assert not settings.uses_tokens
    assert settings.token_in == "fragment"
    assert settings.audience == "jitsi"
    assert (settings.token_lead, settings.token_grace) == (timedelta(minutes=15),) * 2


@pytest.mark.parametrize(
    ("given", "base_url", "domain", "tenant"),
    [
        ("https://Meet.Example.com/", "https://meet.example.com", "meet.example.com", None),
        (
            "https://meet.example.com:8443",
            "https://meet.example.com:8443",
            "meet.example.com",
            None,
        ),
        (
            "https://meet.example.com/Dojo/",
            "https://meet.example.com/dojo",
            "meet.example.com",
            "dojo",
        ),
    ],
)
def test_base_url_is_normalised(given: str, base_url: str, domain: str, tenant: str | None) -> None:
    settings = JitsiSettings(base_url=given)
    assert (settings.base_url, settings.domain, settings.tenant) == (base_url, domain, tenant)
    assert settings.subject == (tenant or domain)


@pytest.mark.parametrize(
    "given",
    [
        "http://meet.example.com",
        "meet.example.com",
        "https://meet.example.com/a/b",
        "https://x.y/?q=1",
    ],
)
def test_bad_base_url_is_refused(given: str) -> None:
    with pytest.raises(ValidationError, match="base_url"):
        JitsiSettings(base_url=given)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"token_grace": timedelta(minutes=-1)}, "negative"),
        ({"link_options": {"jwt": "x"}}, "option name"),
        ({"link_options": {"config.__proto__.x": 1}}, "option name"),
        ({"base_url": "http://meet.example.com"}, "https"),
    ],
)
def test_bad_settings_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        jwt_settings(**changes)
    assert SECRET[:20] not in str(caught.value)


class OuterSettings(BaseModel):
    """A parent model as `bot.settings` may nest us: without `hide_input_in_errors`."""

    jitsi: JitsiSettings


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"app_secret": None}, "both app_id and app_secret"),
        ({"app_id": None}, "both app_id and app_secret"),
        ({"app_secret": SECRET[:20]}, "at least 32 bytes"),
        ({"app_secret": SECRET[:40], "algorithm": "HS384"}, "at least 48 bytes"),
    ],
)
def test_bad_credentials_never_echo_the_secret(changes: dict[str, Any], message: str) -> None:
    values = {"app_id": "dojobot", "app_secret": SECRET} | changes
    with pytest.raises(JitsiSettingsError, match=message) as direct:
        JitsiSettings(**values)
    with pytest.raises(JitsiSettingsError) as nested:
        OuterSettings.model_validate({"jitsi": values})
    for caught in (direct, nested):
        assert SECRET[:20] not in str(caught.value)
        assert SECRET[:20] not in repr(caught.value)


def test_secret_never_shows() -> None:
    settings = jwt_settings()
    rooms = JitsiRooms(settings)
    for text in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        repr(rooms),
        str(rooms),
    ):
        assert SECRET not in text
    assert "jwt" in repr(rooms)


async def test_secret_not_in_errors_or_links() -> None:
    rooms = JitsiRooms(jwt_settings())
    link = await rooms.join_url(make_session(), HOST, True, START)
    assert SECRET not in link.url
    with pytest.raises(RoomUnavailable) as caught:
        await rooms.join_url(make_session(room_id=None), ANN, False, START)
    assert SECRET not in caught.value.user_text()
    assert SECRET not in repr(caught.value)


# room names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Judo Randori!", "judo-randori"),
        ("Jūdō — kata & ukemi", "judo-kata-ukemi"),
        ("柔道", ""),
        ("  --BJJ--  ", "bjj"),
        ("Brazilian jiu-jitsu fundamentals for beginners", "brazilian-jiu-jitsu-fund"),
        ("a" * 23 + " b", "a" * 23),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize("title", ["Judo Randori!", "柔道", "x" * 500, ""])
def test_room_name_is_lowercase_and_unguessable(title: str) -> None:
    name = build_room_name(title)
    assert re.fullmatch(r"dojo(-[a-z0-9]+)*-[a-z2-7]{24}", name)
    assert len(name) <= 54
    assert build_room_name(title) != name


def test_room_name_with_given_randomness() -> None:
    assert build_room_name("Judo", "abc") == "dojo-judo-abc"
    with pytest.raises(ValueError, match="lowercase"):
        build_room_name("Judo", "ABC")


def test_random_part_is_long_base32() -> None:
    assert re.fullmatch(r"[a-z2-7]{24}", random_part())


async def test_create_room_needs_nothing() -> None:
    rooms = JitsiRooms()
    session = make_session(room_id=None, title="Karate kumite")
    assert (await rooms.create_room(session)).startswith("dojo-karate-kumite-")
    await rooms.delete_room("dojo-karate-kumite-whatever")


# URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Ann", 'Zoë & "Co" =1', "Ann “The Hammer” O’Neil", "柔道家 🥋", "a\\&b"]
)
def test_display_name_survives_the_client(name: str) -> None:
    url = build_join_url(
        "https://meet.jit.si",
        "Dojo-Room",
        options={"userInfo.displayName": name, "config.prejoinConfig.enabled": False},
    )
    base, _, fragment = url.partition("#")
    assert base == "https://meet.jit.si/dojo-room"
    assert fragment.isascii()
    assert [part.count("=") for part in fragment.split("&")] == [1, 1]
    seen = parse_link(url).fragment
    assert seen == {"userInfo.displayName": name, "config.prejoinConfig.enabled": False}


def test_token_in_fragment_or_query() -> None:
    token = "eyJ.eyJ.sig"
    options = {"config.startWithAudioMuted": True}
    in_fragment = build_join_url("https://m.example.com/t", "r", token=token, options=options)
    in_query = build_join_url(
        "https://m.example.com/t", "r", token=token, token_in="query", options=options
    )
    assert in_fragment == (
        "https://m.example.com/t/r#jwt=%22eyJ.eyJ.sig%22&config.startWithAudioMuted=true"
    )
    assert in_query == "https://m.example.com/t/r?jwt=eyJ.eyJ.sig#config.startWithAudioMuted=true"
    assert parse_link(in_fragment).token == token
    assert parse_link(in_query).token == token
    assert build_join_url("https://m.example.com", "r") == "https://m.example.com/r"


def test_bare_fragment_token_is_dropped_by_the_client() -> None:
    """Why we JSON-quote it: jitsi-meet #14760 JSON-parses the fragment `jwt`."""
    assert parse_link("https://m.example.com/r#jwt=eyJ.eyJ.sig").token is None


async def test_public_join_url() -> None:
    rooms = JitsiRooms(JitsiSettings(link_options={"config.prejoinConfig.enabled": False}))
    link = await rooms.join_url(make_session(room_id="Dojo-Judo-ABC"), ANN, False, START)
    assert link.expires_at is None
    assert link.url == (
        "https://meet.jit.si/dojo-judo-abc"
        "#userInfo.displayName=%22Ann%22&config.prejoinConfig.enabled=false"
    )


@pytest.mark.parametrize("room_id", [None, "", "bad room!", "-dash-first", "x" * 201])
async def test_join_url_needs_a_jitsi_room(room_id: str | None) -> None:
    with pytest.raises(RoomUnavailable, match="room"):
        await JitsiRooms().join_url(make_session(room_id=room_id), ANN, False, START)


# token lifetime ---------------------------------------------------------------------------

END = START + timedelta(minutes=60)
MIN = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("now", "nbf", "exp"),
    [
        (START - 10 * MIN, START - 15 * MIN, END + 15 * MIN),  # on time
        (START - 15 * MIN, START - 16 * MIN, END + 15 * MIN),  # at the edge: backdated for skew
        (START - timedelta(days=2), START - timedelta(days=2) - MIN, END + 15 * MIN),  # early
        (END + 5 * MIN, START - 15 * MIN, END + 20 * MIN),  # late: never already expired
        (END + timedelta(hours=3), START - 15 * MIN, END + timedelta(hours=3) + 15 * MIN),
    ],
    ids=["on-time", "edge", "early", "late", "very-late"],
)
def test_token_window(now: datetime, nbf: datetime, exp: datetime) -> None:
    window = token_window(
        START, END, now, lead=15 * MIN, grace=15 * MIN, min_validity=15 * MIN, skew=MIN
    )
    assert (window.not_before, window.expires) == (int(nbf.timestamp()), int(exp.timestamp()))
    assert window.expires_at == exp


# tokens -----------------------------------------------------------------------------------


async def test_jwt_link_claims_and_header() -> None:
    now = START - 5 * MIN
    rooms = JitsiRooms(jwt_settings())
    session = make_session(room_id="Dojo-Judo-ABC", recording_enabled=True)
    link = await rooms.join_url(session, HOST, True, now)
    parsed = parse_link(link.url)
    assert parsed.room == "dojo-judo-abc"
    assert parsed.token is not None
    assert link.url.startswith("https://meet.example.com/dojo-judo-abc#jwt=")
    assert jwt.get_unverified_header(parsed.token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(
        parsed.token,
        SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
    )
    assert claims == {
        "iss": "dojobot",
        "aud": "jitsi",
        "sub": "meet.example.com",
        "room": "dojo-judo-abc",
        "iat": int(now.timestamp()),
        "nbf": int((START - 15 * MIN).timestamp()),
        "exp": int((END + 15 * MIN).timestamp()),
        "context": {
            "user": {
                "id": HOST.id,
                "name": "Sensei Kano",
                "moderator": True,
                "affiliation": "owner",
            },
            "features": {"recording": True},
        },
    }
    assert link.expires_at == END + 15 * MIN


async def test_member_is_not_moderator_and_cannot_record() -> None:
    rooms = JitsiRooms(jwt_settings())
    link = await rooms.join_url(make_session(recording_enabled=True), ANN, False, START)
    claims = verify_join(link.url, SERVER, START)
    assert claims["context"]["user"] == {
        "id": ANN.id,
        "name": "Ann",
        "moderator": False,
        "affiliation": "member",
    }
    assert claims["context"]["features"] == {"recording": False}


async def test_tenant_and_query_mode() -> None:
    settings = jwt_settings(base_url="https://meet.example.com/dojo", token_in="query")
    link = await JitsiRooms(settings).join_url(make_session(), ANN, False, START)
    parts = urlsplit(link.url)
    assert parts.path == "/dojo/dojo-judo-abcdefghijklmnopqrstuvwx"
    assert parts.query.startswith("jwt=")
    assert parts.fragment == ""
    server = ProsodyTokenConfig(
        app_id="dojobot", app_secret=SECRET, enable_domain_verification=True
    )
    claims = verify_join(link.url, server, START)
    assert claims["sub"] == "dojo"


@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
async def test_algorithms(algorithm: str) -> None:
    link = await JitsiRooms(jwt_settings(algorithm=algorithm)).join_url(
        make_session(), ANN, False, START
    )
    server = ProsodyTokenConfig(app_id="dojobot", app_secret=SECRET, signature_algorithm=algorithm)
    verify_join(link.url, server, START)


@pytest.mark.parametrize(
    "now",
    [START - 10 * MIN, START - 15 * MIN, END, END + 15 * MIN - timedelta(seconds=1)],
    ids=["join-window", "lead-edge", "end", "last-second"],
)
async def test_link_is_accepted_throughout_the_slot(now: datetime) -> None:
    link = await JitsiRooms(jwt_settings()).join_url(make_session(), ANN, False, now)
    verify_join(link.url, SERVER, now)


async def test_link_dies_with_the_slot() -> None:
    link = await JitsiRooms(jwt_settings()).join_url(make_session(), ANN, False, START)
    with pytest.raises(TokenRejected, match="exp"):
        verify_join(link.url, SERVER, END + 15 * MIN)


# the Prosody mirror, table-tested ---------------------------------------------------------

Claims = dict[str, Any]


def valid_claims() -> Claims:
    settings = jwt_settings()
    grant = JoinGrant(
        room="dojo-room", user_id=ANN.id, user_name="Ann", is_host=False, recording=False
    )
    window = token_window(
        START, END, START, lead=15 * MIN, grace=15 * MIN, min_validity=15 * MIN, skew=MIN
    )
    return build_claims(settings, grant, window, START)


def sign(claims: Claims, algorithm: str = "HS256", secret: str = SECRET, **headers: Any) -> str:
    return jwt.encode(claims, secret, algorithm=algorithm, headers=headers or None)


def without(key: str) -> Callable[[Claims], Claims]:
    return lambda claims: {k: v for k, v in claims.items() if k != key}


def patched(**values: Any) -> Callable[[Claims], Claims]:
    return lambda claims: claims | values


def user(**values: Any) -> Callable[[Claims], Claims]:
    return lambda claims: claims | {"context": {"user": claims["context"]["user"] | values}}


@pytest.mark.parametrize(
    ("change", "sign_with", "server", "now", "reason"),
    [
        (patched(), {}, SERVER, START, None),
        (patched(iss="someone-else"), {}, SERVER, START, "invalid 'iss'"),
        (without("iss"), {}, SERVER, START, "'iss' claim is missing"),
        (patched(iss="other"), {}, ProsodyTokenConfig("dojobot", SECRET, ("*",)), START, None),
        (patched(aud="other"), {}, SERVER, START, "audience"),
        (patched(aud="other"), {}, ProsodyTokenConfig("dojobot", SECRET), START, None),
        (without("aud"), {}, SERVER, START, "'aud' claim is missing"),
        (without("room"), {}, SERVER, START, "'room' claim is missing"),
        (patched(), {}, SERVER, END + 15 * MIN, "Not acceptable by exp"),
        (patched(), {}, SERVER, START - 16 * MIN - timedelta(seconds=1), "Not acceptable by nbf"),
        (patched(exp="never"), {}, SERVER, START, "exp must be number"),
        (patched(), {"algorithm": "HS512"}, SERVER, START, "alg"),
        (patched(), {"algorithm": "none", "secret": None}, SERVER, START, "Invalid token"),
        (patched(), {"secret": SECRET + "x"}, SERVER, START, "Invalid signature"),
        (patched(), {"typ": "JOSE"}, SERVER, START, "Invalid typ"),
        (user(id=42), {}, SERVER, START, "context.user.id"),
        (user(name=None), {}, SERVER, START, "context.user.name"),
    ],
    ids=[
        "valid",
        "wrong-iss",
        "missing-iss",
        "any-iss",
        "wrong-aud",
        "any-aud",
        "missing-aud",
        "missing-room",
        "expired",
        "nbf-future",
        "exp-not-number",
        "wrong-alg",
        "alg-none",
        "wrong-secret",
        "wrong-typ",
        "user-id-number",
        "user-name-null",
    ],
)
def test_verifier_table(
    change: Callable[[Claims], Claims],
    sign_with: dict[str, Any],
    server: ProsodyTokenConfig,
    now: datetime,
    reason: str | None,
) -> None:
    token = sign(change(valid_claims()), **sign_with)
    if reason is None:
        verify_token(token, server, now)
        return
    with pytest.raises(TokenRejected, match=re.escape(reason)):
        verify_token(token, server, now)


@pytest.mark.parametrize(
    ("room_claim", "room", "ok"),
    [
        ("dojo-room", "dojo-room", True),
        ("Dojo-Room", "dojo-room", True),
        ("*", "any", True),
        ("dojo-room", "other", False),
    ],
)
def test_verifier_room(room_claim: str, room: str, ok: bool) -> None:
    claims = valid_claims() | {"room": room_claim}
    if ok:
        verify_room(claims, room, SERVER, domain="meet.example.com")
    else:
        with pytest.raises(TokenRejected, match="another room"):
            verify_room(claims, room, SERVER, domain="meet.example.com")


def test_verifier_domain_verification() -> None:
    server = ProsodyTokenConfig("dojobot", SECRET, enable_domain_verification=True)
    claims = valid_claims()
    verify_room(claims, "dojo-room", server, domain="meet.example.com")
    with pytest.raises(TokenRejected, match="domain"):
        verify_room(claims, "dojo-room", server, domain="meet.example.com", tenant="dojo")


async def test_token_for_one_room_does_not_open_another() -> None:
    link = await JitsiRooms(jwt_settings()).join_url(make_session(), ANN, False, START)
    with pytest.raises(TokenRejected, match="another room"):
        verify_join(link.url, SERVER, START, room="dojo-other-room")


def test_mint_token_needs_credentials() -> None:
    with pytest.raises(ValueError, match="app_secret"):
        mint_token(JitsiSettings(), {})
    with pytest.raises(ValueError, match="app_id"):
        build_claims(
            JitsiSettings(),
            JoinGrant("r", "u", "U", False, False),
            token_window(START, END, START, lead=MIN, grace=MIN, min_validity=MIN, skew=MIN),
            START,
        )

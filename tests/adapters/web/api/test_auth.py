"""Bearer tokens: only valid, unexpired HS256 tokens with our claims get in."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest
from pydantic import SecretStr

from adapters.web.api.auth import BearerAuth, mint_token
from adapters.web.api.errors import Unauthorized
from core.errors import InvalidInput
from core.model import Role
from core.testing.clock import FakeClock
from tests.adapters.web.api.conftest import ANA, SECRET, SENSEI, Api, token

LIST = "/api/training/sessions"


def forged(claims: dict[str, object], header: dict[str, object]) -> str:
    """A token with any header (e.g. alg none), signed with our secret when alg is HS*."""

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def claims(clock: FakeClock, **overrides: object) -> dict[str, object]:
    now = int(clock.now().timestamp())
    return {"sub": "web:ana", "name": "Ana", "role": "member", "exp": now + 60} | overrides


async def test_a_valid_token_names_the_member(api: Api) -> None:
    status, body = await api.call("GET", LIST, ANA)
    assert status == 200
    assert body["total"] == 0


async def test_token_claims_become_the_member() -> None:
    clock = FakeClock()
    with pytest.raises(InvalidInput, match="abbreviation"):
        mint_token(SECRET, "web:a", "A", Role.MEMBER, clock.now(), timezone="cet")
    raw = mint_token(
        SECRET, "slack:T1:U2", "Ana", Role.INSTRUCTOR, clock.now(), timezone="europe/paris"
    )
    found = BearerAuth(SECRET, clock).member(f"bearer {raw}")
    assert (found.id, found.display_name, found.role, found.timezone) == (
        "slack:T1:U2",
        "Ana",
        Role.INSTRUCTOR,
        "Europe/Paris",
    )


@pytest.mark.parametrize(
    ("header", "needle"),
    [
        (None, "needs a bearer token"),
        ("Basic YW5hOnB3", "Bearer scheme"),
        ("Bearer", "Bearer scheme"),
        ("Bearer not-a-jwt", "token is invalid"),
    ],
)
async def test_missing_or_malformed_headers_are_401(
    api: Api, header: str | None, needle: str
) -> None:
    headers = {} if header is None else {"Authorization": header}
    async with api.client.get(LIST, headers=headers) as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        error = (await response.json())["error"]
    assert error["code"] == "unauthorized"
    assert needle in error["message"]
    assert "Authorization: Bearer" in error["hint"]


def bad_tokens(clock: FakeClock) -> dict[str, str]:
    key = SECRET.get_secret_value()
    return {
        "alg none": forged(claims(clock), {"alg": "none", "typ": "JWT"}),
        "wrong alg": jwt.encode(claims(clock), key + "x" * 40, algorithm="HS512"),
        "wrong key": jwt.encode(claims(clock), "another-secret-of-at-least-32-bytes!", "HS256"),
        "no exp": jwt.encode({k: v for k, v in claims(clock).items() if k != "exp"}, key),
        "no sub": jwt.encode({k: v for k, v in claims(clock).items() if k != "sub"}, key),
        "unknown role": jwt.encode(claims(clock, role="sensei"), key),
        "empty name": jwt.encode(claims(clock, name=""), key),
        "expired": jwt.encode(claims(clock, exp=int(clock.now().timestamp())), key),
        "not yet valid": jwt.encode(claims(clock, nbf=int(clock.now().timestamp()) + 60), key),
        "bad tz": jwt.encode(claims(clock, tz="Mars/Olympus"), key),
    }


@pytest.mark.parametrize(
    "case",
    [
        "alg none",
        "wrong alg",
        "wrong key",
        "no exp",
        "no sub",
        "unknown role",
        "empty name",
        "expired",
        "not yet valid",
        "bad tz",
    ],
)
async def test_bad_tokens_are_401(api: Api, case: str) -> None:
    raw = bad_tokens(api.clock)[case]
    status, body = await api.call("GET", LIST, headers={"Authorization": f"Bearer {raw}"})
    assert status == 401, case
    assert body["error"]["code"] == "unauthorized"


async def test_a_token_expires_on_our_clock(api: Api) -> None:
    raw = token(ANA, api.clock, ttl=timedelta(minutes=5))
    headers = {"Authorization": f"Bearer {raw}"}
    assert (await api.call("GET", LIST, headers=headers))[0] == 200
    api.clock.advance(timedelta(minutes=5))
    status, body = await api.call("GET", LIST, headers=headers)
    assert status == 401
    assert body["error"]["message"] == "The token has expired."


async def test_the_token_is_never_echoed(api: Api) -> None:
    raw = token(SENSEI, api.clock)[:-3] + "AAA"
    status, body = await api.call("GET", LIST, headers={"Authorization": f"Bearer {raw}"})
    assert status == 401
    assert raw not in json.dumps(body)


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        BearerAuth(SecretStr("short"), FakeClock())
    with pytest.raises(ValueError, match="at least 32 bytes"):
        mint_token(SecretStr("x" * 31), "web:a", "A", Role.MEMBER, FakeClock().now())


def test_unauthorized_is_a_core_error_with_a_hint() -> None:
    error = Unauthorized("no", "send a token")
    assert error.code == "unauthorized"
    assert error.user_text() == "no\nsend a token"

"""Join passes: short-lived, signed, per-member links to our own join page.

A `JoinPass` names one member (with the role and zone the rules need) and one session, and
expires shortly after it was issued. It travels as an opaque token in `/join/<token>`:
`base64url(json payload) "." base64url(HMAC-SHA256(secret, purpose + payload))`. The payload
is readable but cannot be changed without the secret; the signature is checked before
anything in the payload is trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError, field_validator

from core.errors import PermissionDenied
from core.i18n import t
from core.model import Member, Model, Role, RoomLink, TrainingSession, ensure_utc
from core.signed_token import MIN_SECRET_BYTES as MIN_SECRET_BYTES
from core.signed_token import check_secret, sign_fields, signed_fields

PURPOSE = b"dojobot-join-pass-v1\x00"
"""Domain separation: a MAC made for anything else never verifies as a join pass."""
DEFAULT_TTL = timedelta(minutes=15)


class JoinPass(Model):
    """The right of one member to ask to enter one session's room, until `expires_at`."""

    member_id: str
    display_name: str
    role: Role
    timezone: str
    session_id: str
    issued_at: datetime
    expires_at: datetime

    @field_validator("issued_at", "expires_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)

    @property
    def member(self) -> Member:
        """The member the pass was issued to, as the rules see them."""
        return Member(
            id=self.member_id,
            display_name=self.display_name,
            role=self.role,
            timezone=self.timezone,
        )


class InvalidJoinPass(PermissionDenied):
    """A join token that is forged, damaged or expired; says nothing about its contents."""

    def __init__(self, expired: bool) -> None:
        if expired:
            super().__init__(
                t("This join link has expired."),
                t("Press Join again in Slack or Discord (or type /join <id>) for a fresh link."),
            )
        else:
            super().__init__(
                t("This join link isn't valid."),
                t("Use the Join button in Slack or Discord (or type /join <id>) to get your link."),
            )
        self.expired = expired


def issue_pass(member: Member, session_id: str, now: datetime, ttl: timedelta) -> JoinPass:
    """A pass for `member` into `session_id`, valid from `now` for `ttl`."""
    if ttl <= timedelta():
        raise ValueError("a join pass needs a positive lifetime")
    now = ensure_utc(now).replace(microsecond=0)
    return JoinPass(
        member_id=member.id,
        display_name=member.display_name,
        role=member.role,
        timezone=member.timezone,
        session_id=session_id,
        issued_at=now,
        expires_at=now + ttl,
    )


def sign_pass(join_pass: JoinPass, secret: bytes) -> str:
    """The URL-safe token carrying `join_pass`, signed with `secret`."""
    _check_secret(secret)
    fields = {
        "m": join_pass.member_id,
        "n": join_pass.display_name,
        "r": join_pass.role.value,
        "z": join_pass.timezone,
        "s": join_pass.session_id,
        "i": int(join_pass.issued_at.timestamp()),
        "e": int(join_pass.expires_at.timestamp()),
    }
    return sign_fields(fields, secret, PURPOSE)


def verify_pass(token: str, secret: bytes, now: datetime) -> JoinPass:
    """The pass inside `token` when its signature is ours and it has not expired.

    Raises InvalidJoinPass (expired only when the signature was valid, so a forger learns
    nothing).
    """
    _check_secret(secret)
    fields = signed_fields(token, secret, PURPOSE)
    if fields is None:
        raise InvalidJoinPass(expired=False)
    try:
        join_pass = JoinPass(
            member_id=fields["m"],
            display_name=fields["n"],
            role=fields["r"],
            timezone=fields["z"],
            session_id=fields["s"],
            issued_at=datetime.fromtimestamp(fields["i"], UTC),
            expires_at=datetime.fromtimestamp(fields["e"], UTC),
        )
    except (KeyError, TypeError, ValueError, OverflowError, ValidationError):
        raise InvalidJoinPass(expired=False) from None
    if ensure_utc(now) >= join_pass.expires_at:
        raise InvalidJoinPass(expired=True)
    return join_pass


class SignedJoinLinks:
    """The `JoinLinks` port: `{base_url}/join/<token>` links signed with one secret.

    `base_url` is read at each issue (a callable), so a server listening on a port chosen at
    start-up still hands out working links.
    """

    def __init__(
        self,
        secret: bytes,
        base_url: str | Callable[[], str],
        ttl: timedelta = DEFAULT_TTL,
    ) -> None:
        _check_secret(secret)
        if ttl <= timedelta():
            raise ValueError("join links need a positive lifetime")
        self._secret = secret
        self._base_url = base_url
        self.ttl = ttl

    def __repr__(self) -> str:
        return f"SignedJoinLinks(ttl={self.ttl!s})"

    def available(self) -> bool:
        """Always: whoever configured these links serves the join page."""
        return True

    def issue(self, member: Member, session: TrainingSession, now: datetime) -> RoomLink:
        """The member's link to our join page for `session`, expiring after `ttl`."""
        join_pass = issue_pass(member, session.id, now, self.ttl)
        base = self._base_url() if callable(self._base_url) else self._base_url
        token = sign_pass(join_pass, self._secret)
        return RoomLink(url=f"{base.rstrip('/')}/join/{token}", expires_at=join_pass.expires_at)

    def verify(self, token: str, now: datetime) -> JoinPass:
        """The pass in `token` (InvalidJoinPass when forged, damaged or expired)."""
        return verify_pass(token, self._secret, now)


def _check_secret(secret: bytes) -> None:
    check_secret(secret, "join-link")

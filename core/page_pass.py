"""Page passes: personal, time-limited, signed links to the training pages.

A `PagePass` names who may look (the viewer, with the role and zone the rules and the page
need), which page (a member's training page, a class's page, the association overview) and
until when. It travels as `/record/<token>`, signed exactly like a join pass
(`core.signed_token`: base64url JSON payload, HMAC-SHA256 with the same secret) under its
own purpose string, so a join token never verifies as a page pass nor the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import ValidationError

from core.errors import PermissionDenied
from core.i18n import t
from core.model import Member, Model, Role, ensure_utc
from core.signed_token import check_secret, sign_fields, signed_fields

PURPOSE = b"dojobot-page-pass-v1\x00"
"""Domain separation from join passes (same secret, different MAC input)."""
DEFAULT_TTL = timedelta(hours=24)
MAX_NAME_CHARS = 40
"""The viewer's name is cut to this in the pass (the pages never show it): the link must fit
a Discord link button's 512-character URL."""


class PageKind(StrEnum):
    MEMBER = "member"
    """A member's training page (`subject`: their profile id)."""
    CLASS = "class"
    """A class's page (`subject`: a weekly class's id, or one session's id)."""
    OVERVIEW = "overview"
    """The association overview (`subject` empty)."""


class PagePass(Model):
    """The right of `viewer_id` to see one page until `expires_at`."""

    viewer_id: str
    display_name: str
    role: Role
    timezone: str
    locale: str | None = None
    kind: PageKind
    subject: str = ""
    issued_at: datetime
    expires_at: datetime

    @property
    def viewer(self) -> Member:
        """The viewer as the rules see them (their role when the link was issued)."""
        return Member(
            id=self.viewer_id,
            display_name=self.display_name,
            role=self.role,
            timezone=self.timezone,
            locale=self.locale,
        )


class InvalidPagePass(PermissionDenied):
    """A page token that is forged, damaged or expired; says nothing about its contents."""

    def __init__(self, expired: bool) -> None:
        if expired:
            super().__init__(
                t("This page link has expired."),
                t("Ask for a fresh one in Slack, Discord or the terminal (e.g. /training-page)."),
            )
        else:
            super().__init__(
                t("This page link isn't valid."),
                t("Ask for your link in Slack, Discord or the terminal (e.g. /training-page)."),
            )
        self.expired = expired


def issue_page_pass(
    viewer: Member, kind: PageKind, subject: str, now: datetime, ttl: timedelta
) -> PagePass:
    """A pass for `viewer` to page `kind` of `subject`, valid from `now` for `ttl`."""
    if ttl <= timedelta():
        raise ValueError("a page pass needs a positive lifetime")
    now = ensure_utc(now).replace(microsecond=0)
    return PagePass(
        viewer_id=viewer.id,
        display_name=viewer.display_name[:MAX_NAME_CHARS],
        role=viewer.role,
        timezone=viewer.timezone,
        locale=viewer.locale,
        kind=kind,
        subject=subject,
        issued_at=now,
        expires_at=now + ttl,
    )


def sign_page_pass(page_pass: PagePass, secret: bytes) -> str:
    """The URL-safe token carrying `page_pass`, signed with `secret`."""
    _check_secret(secret)
    fields = {
        "m": page_pass.viewer_id,
        "n": page_pass.display_name,
        "r": page_pass.role.value,
        "z": page_pass.timezone,
        "l": page_pass.locale,
        "k": page_pass.kind.value,
        "s": page_pass.subject,
        "i": int(page_pass.issued_at.timestamp()),
        "e": int(page_pass.expires_at.timestamp()),
    }
    return sign_fields(fields, secret, PURPOSE)


def verify_page_pass(token: str, secret: bytes, now: datetime) -> PagePass:
    """The pass inside `token` when its signature is ours and it has not expired
    (InvalidPagePass otherwise; `expired` only when the signature was valid)."""
    _check_secret(secret)
    fields = signed_fields(token, secret, PURPOSE)
    if fields is None:
        raise InvalidPagePass(expired=False)
    try:
        page_pass = PagePass(
            viewer_id=fields["m"],
            display_name=fields["n"],
            role=fields["r"],
            timezone=fields["z"],
            locale=fields["l"],
            kind=fields["k"],
            subject=fields["s"],
            issued_at=datetime.fromtimestamp(fields["i"], UTC),
            expires_at=datetime.fromtimestamp(fields["e"], UTC),
        )
    except (KeyError, TypeError, ValueError, OverflowError, ValidationError):
        raise InvalidPagePass(expired=False) from None
    if ensure_utc(now) >= page_pass.expires_at:
        raise InvalidPagePass(expired=True)
    return page_pass


class SignedPageLinks:
    """The `PageLinks` port: `{base_url}/record/<token>` links signed with one secret
    (`base_url` read at each issue, like `SignedJoinLinks`)."""

    def __init__(
        self,
        secret: bytes,
        base_url: str | Callable[[], str],
        ttl: timedelta = DEFAULT_TTL,
        available: Callable[[], bool] = lambda: True,
    ) -> None:
        """`available`: whether the pages are served now (the web pages switch it)."""
        _check_secret(secret)
        if ttl <= timedelta():
            raise ValueError("page links need a positive lifetime")
        self._secret = secret
        self._base_url = base_url
        self.ttl = ttl
        self.available = available

    def __repr__(self) -> str:
        return f"SignedPageLinks(ttl={self.ttl!s})"

    def issue(self, viewer: Member, kind: PageKind, subject: str, now: datetime) -> PageLink:
        """`viewer`'s link to page `kind` of `subject`, expiring after `ttl`."""
        page_pass = issue_page_pass(viewer, kind, subject, now, self.ttl)
        base = self._base_url() if callable(self._base_url) else self._base_url
        token = sign_page_pass(page_pass, self._secret)
        return PageLink(url=f"{base.rstrip('/')}/record/{token}", expires_at=page_pass.expires_at)

    def verify(self, token: str, now: datetime) -> PagePass:
        """The pass in `token` (InvalidPagePass when forged, damaged or expired)."""
        return verify_page_pass(token, self._secret, now)


class PageLink(Model):
    """A personal page URL and when it stops working."""

    url: str
    expires_at: datetime


def _check_secret(secret: bytes) -> None:
    check_secret(secret, "page-link")

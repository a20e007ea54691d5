"""`ServedJoinLinks`: the `JoinLinks` port of the web pages, built before the service."""

from __future__ import annotations

from datetime import datetime

from adapters.web.server import WebServer
from adapters.web.settings import WebSettings
from core.join_pass import JoinPass, SignedJoinLinks
from core.model import Member, RoomLink, TrainingSession
from core.page_pass import SignedPageLinks


class ServedJoinLinks:
    """Signed links to `/join/<token>`, available only while a page serves them.

    The composition root builds it and gives it to the service; the web pages switch it on
    once they are served (here, or by the web process `public_url` names) and off at stop.
    While off, `join` hands out the provider's room links instead.
    """

    def __init__(self, settings: WebSettings, secret: bytes) -> None:
        self.settings = settings
        self.signed = SignedJoinLinks(secret, self.base_url, settings.join_link_ttl)
        self.pages = SignedPageLinks(
            secret, self.base_url, settings.page_link_ttl, available=self.available
        )
        """The training pages' links (`core.page_pass`), signed with the same key."""
        self._server: WebServer | None = None
        self._on = False

    def base_url(self) -> str:
        """Our public base URL, with the port actually listened on when it was 0."""
        server = self._server
        return self.settings.base_url(server.port if server is not None else None)

    def serve_on(self, server: WebServer | None) -> None:
        """The server whose port the links carry (None: not known, e.g. a test app)."""
        self._server = server

    def switch(self, on: bool) -> None:
        """Hand out join-page links (`on`) or let the service fall back to room links."""
        self._on = on

    def available(self) -> bool:
        """Whether the join page is served, so the links lead somewhere."""
        return self._on

    def issue(self, member: Member, session: TrainingSession, now: datetime) -> RoomLink:
        """The member's link to our join page for `session`."""
        return self.signed.issue(member, session, now)

    def verify(self, token: str, now: datetime) -> JoinPass:
        """The pass in `token` (InvalidJoinPass when forged, damaged or expired)."""
        return self.signed.verify(token, now)

"""What the pages need from the wired app, gathered once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from adapters.web.branding import Branding
from adapters.web.readers import reader
from adapters.web.settings import WebSettings
from core.clock import Clock
from core.i18n import EnglishOnly, Languages, Translator
from core.service import SessionService


@dataclass(frozen=True)
class PageContext:
    """The service (and its clock: pages follow it, not the browser's), the settings, the
    zone of the server-rendered fallback times, our public base URL (read per request,
    as the port may be chosen at start-up), the shipped languages and the association's
    branding (name, logo, accent)."""

    service: SessionService
    clock: Clock
    settings: WebSettings
    default_timezone: str
    base_url: Callable[[], str]
    languages: Languages = field(default_factory=EnglishOnly)
    branding: Branding = field(default_factory=Branding)

    def reader(self, request: web.Request, preferred: str | None = None) -> Translator:
        """The language to answer `request` in (see `adapters.web.readers`)."""
        return reader(self.languages, request, preferred)

    def url(self, path: str) -> str:
        """The absolute public URL of `path` (which starts with /)."""
        return self.base_url().rstrip("/") + path

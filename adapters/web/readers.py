"""Which language a page is written in.

The join page knows its member: their profile's language comes first. Otherwise (and for
public pages, calendar files and the status JSON) the browser's `Accept-Language` decides,
most preferred shipped language first; a reader who asks for none of them gets the
association default (`languages.translator(None)`).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from core.i18n import Languages, Translator

MAX_HEADER_CHARS = 1000
MAX_RANGES = 32
"""Bounds on what we read of a header anyone can send."""


def accepted(header: str | None) -> list[str]:
    """The language tags of an `Accept-Language` header, most preferred first (ties in the
    header's order); `*`, `q=0` and malformed entries are left out."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate((header or "")[:MAX_HEADER_CHARS].split(",")[:MAX_RANGES]):
        tag, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, number = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = -1.0
        if tag and tag != "*" and 0 < quality <= 1:
            ranked.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(ranked)]


def shipped(languages: Languages, locale: str) -> Translator | None:
    """The translator of `locale` when one of its shipped languages matches it (None when
    `locale` would only get the default)."""
    tr = languages.translator(locale)
    language = locale.replace("_", "-").split("-")[0].strip().lower()
    return tr if tr.locale == language else None


def choose(languages: Languages, locales: Iterable[str | None]) -> Translator:
    """The first of `locales` a shipped language matches, else the association default."""
    for locale in locales:
        if locale and (tr := shipped(languages, locale)) is not None:
            return tr
    return languages.translator(None)


def reader(languages: Languages, request: web.Request, preferred: str | None = None) -> Translator:
    """The page's language: `preferred` (the member's own), else the browser's choice, else
    the association default."""
    return choose(languages, [preferred, *accepted(request.headers.get("Accept-Language"))])

"""One shipped language other than English: its gettext catalogues and Babel's formats."""

from __future__ import annotations

import gettext
from datetime import date, datetime, timedelta
from functools import cached_property
from importlib import resources
from io import BytesIO
from threading import Lock

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from adapters.i18n import formats


def catalogue_text(domain: str, language: str) -> str:
    """The .po file of `domain` in `language`, as shipped in the package."""
    path = resources.files("adapters.i18n") / "catalogues" / domain / f"{language}.po"
    return path.read_text(encoding="utf-8")


def compile_catalogue(po_text: str, language: str) -> gettext.GNUTranslations:
    """A .po file compiled in memory (fuzzy and empty entries left out)."""
    catalog = read_po(BytesIO(po_text.encode("utf-8")), locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class BabelTranslator:
    """One shipped language: its catalogues (loaded per domain on first use) and formats."""

    def __init__(self, language: str) -> None:
        self._language = language
        self._catalogues: dict[str, gettext.GNUTranslations] = {}
        self._lock = Lock()

    @property
    def locale(self) -> str:
        return self._language

    @cached_property
    def _babel(self) -> Locale:
        return Locale.parse(self._language)

    def _catalogue(self, domain: str) -> gettext.GNUTranslations:
        with self._lock:
            found = self._catalogues.get(domain)
            if found is None:
                found = compile_catalogue(catalogue_text(domain, self._language), self._language)
                self._catalogues[domain] = found
            return found

    def gettext(self, domain: str, message: str) -> str:
        return self._catalogue(domain).gettext(message)

    def ngettext(self, domain: str, singular: str, plural: str, n: int) -> str:
        return self._catalogue(domain).ngettext(singular, plural, n)

    def when(self, instant: datetime, tz: str, now: datetime | None = None) -> str:
        return formats.when(instant, tz, self._babel, now)

    def duration(self, span: timedelta) -> str:
        return formats.duration(span, self._babel)

    def number(self, n: int) -> str:
        return formats.number(n, self._babel)

    def day(self, value: date) -> str:
        return formats.day(value, self._babel)

    def weekday(self, index: int) -> str:
        return formats.weekday(index, self._babel)

"""The shipped languages: catalogues read from the package's .po files, compiled in memory
the first time a language is asked for (no build step). Babel is imported with the first
language other than English (`adapters.i18n.translator`): an English-only process never
loads it."""

from __future__ import annotations

from threading import Lock

from core.i18n import DEFAULT_LOCALE, ENGLISH, Translator, negotiate

SHIPPED = ("en", "ja", "de", "es", "fr")
"""Languages with a complete catalogue (English is the source)."""

DOMAINS = ("core", "discord", "web", "slack")
"""The catalogues: one per area (`core` words what the core says)."""


class BabelLanguages:
    """`Languages` for the shipped catalogues; English (the default) is the core's own."""

    def __init__(self, default: str = DEFAULT_LOCALE) -> None:
        self._default = negotiate(default, SHIPPED) or DEFAULT_LOCALE
        self._translators: dict[str, Translator] = {DEFAULT_LOCALE: ENGLISH}
        self._lock = Lock()

    def translator(self, locale: str | None) -> Translator:
        """The reader's language (`ja-JP` → ja, `es-419` → es), else the default."""
        language = negotiate(locale, SHIPPED) or self._default
        with self._lock:
            found = self._translators.get(language)
            if found is None:
                from adapters.i18n.translator import BabelTranslator

                found = self._translators[language] = BabelTranslator(language)
            return found

"""The web pages' own texts (domain `web`): what adapters/web words itself on the pages,
calendar files and status JSON members read (the REST API has its own).

`t`/`tn` are the markers Babel's extractor looks for (see docs/i18n.md); they make a
`core.i18n.Message` of this domain, English where it is made, rendered with `say` in the
reader's language.
"""

from __future__ import annotations

from core.i18n import ENGLISH, Domain, Translator, localize

DOMAIN = "web"
t, tn = Domain(DOMAIN).t, Domain(DOMAIN).tn


def say(text: str, tr: Translator = ENGLISH) -> str:
    """`text` in `tr`'s language (a plain `str` as it is)."""
    return localize(text, tr)

"""The countdown the pages show: written by the server for readers without JavaScript, and
ticking in the browser (assets/page.js) with the same words, in the page's language."""

from __future__ import annotations

from datetime import timedelta

from adapters.web.words import say, t
from core.i18n import Text, Translator, joined

UNITS = {
    "data-unit-d": t("{n} d", n="{n}"),
    "data-unit-h": t("{n} h", n="{n}"),
    "data-unit-min": t("{n} min", n="{n}"),
    "data-unit-s": t("{n} s", n="{n}"),
}
"""A span's units, as `{n}` templates page.js fills while it counts (the sentences around
a span are `{left}` templates likewise, in `data-template`)."""


def unit_attrs(tr: Translator) -> dict[str, str]:
    """The `<body>` attributes that give page.js the units in `tr`'s language."""
    return {name: say(unit, tr) for name, unit in UNITS.items()}


def span(left: timedelta) -> Text:
    """`2 d 0 h 5 min`: a span to the minute, as the server writes it."""
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = ([t("{n} d", n=days)] if days else []) + (
        [t("{n} h", n=hours)] if days or hours else []
    )
    return joined([*parts, t("{n} min", n=mins)], " ")

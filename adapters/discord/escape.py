"""Making text a member typed inert before it enters anything dojobot sends to Discord.

Titles, descriptions, reasons and names are shown as typed, but never as a live mention
(`@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>`, `</cmd:…>`) nor as a masked link
(`[free belts](https://evil.example)`): a zero-width space after each `@` and `<` and after
each `]` breaks Discord's syntax for all of them while the text still reads the same.
Every message also goes out with `allowed_mentions` parse=[] (nothing pings by accident).
"""

from __future__ import annotations

ZWSP = "\u200b"
_BREAK = str.maketrans({"@": "@" + ZWSP, "<": "<" + ZWSP, "]": "]" + ZWSP})


def inert(text: str) -> str:
    """`text` as Discord shows it without mentioning anyone or hiding a link's target."""
    return text.translate(_BREAK)

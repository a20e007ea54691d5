"""Hostile text members can type, and what a live mention or disguised link looks like on
each platform: shared by the property test and the end-to-end checks over loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

VICTIM_SLACK = "U0VICTIM"
VICTIM_DISCORD = "123456789012345678"

PIECES = [
    # Slack
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<!subteam^S0EVIL|@evil>",
    f"<@{VICTIM_SLACK}>",
    "<#C0EVIL|general>",
    "<https://evil.example|free belts>",
    "<mailto:a@evil.example|mail>",
    # Discord
    "@everyone",
    "@here",
    f"<@{VICTIM_DISCORD}>",
    f"<@!{VICTIM_DISCORD}>",
    f"<@&{VICTIM_DISCORD}>",
    f"<#{VICTIM_DISCORD}>",
    f"</rsvp:{VICTIM_DISCORD}>",
    "[free belts](https://evil.example)",
    "[x](<https://evil.example>)",
    # the raw characters and their escapes
    "&",
    "&amp;",
    "&lt;",
    "&gt;",
    "<",
    ">",
    "[",
    "]",
    "(",
    ")",
    "@",
    "!",
    "|",
    "^",
    "*",
    "`",
]
"""Mention, broadcast and link syntax of both platforms, and the characters they are made of."""


def hostile_text(min_size: int = 1) -> st.SearchStrategy[str]:
    """Text a member could type: mention syntax, its characters and anything else, mixed."""
    piece = st.sampled_from(PIECES) | st.text(max_size=4)
    return (
        st.lists(piece, min_size=min_size, max_size=6)
        .map("".join)
        .filter(lambda text: len(text.strip()) >= min_size)
    )


HOSTILE = "".join(PIECES)
"""Every piece at once, for end-to-end checks."""


def strings(payload: Any) -> Iterator[str]:
    """Every string value anywhere in a JSON-like payload (dicts, lists, tuples)."""
    if isinstance(payload, str):
        yield payload
    elif isinstance(payload, dict):
        for value in payload.values():
            yield from strings(value)
    elif isinstance(payload, list | tuple):
        for value in payload:
            yield from strings(value)


_SLACK_DATE = re.compile(r"<!date\^\d+\^[^<>|]*\|[^<>]*>")


def slack_live(
    payload: Any, users: frozenset[str] = frozenset(), links: frozenset[str] = frozenset()
) -> list[str]:
    """Slack control sequences in `payload` that dojobot did not mean to send.

    Ours are `<!date^…|…>`, `<@U…>` of the `users` we mention on purpose and `<url|…>` of our
    own `links`; once those are taken out, any `<` left is user text Slack would parse.
    """
    found: list[str] = []
    for text in strings(payload):
        rest = _SLACK_DATE.sub("", text)
        for user in users:
            rest = rest.replace(f"<@{user}>", "")
        for link in links:
            rest = re.sub(rf"<{re.escape(link)}\|[^<>]*>", "", rest)
        if "<" in rest:
            found.append(text)
    return found


_DISCORD_LIVE = re.compile(r"@everyone|@here|<@[!&]?\d+>|<#\d+>|</[^<>]+:\d+>|\]\(")


def discord_live(payload: Any, users: frozenset[str] = frozenset()) -> list[str]:
    """Discord mentions, broadcasts and masked links in `payload` not meant by dojobot (the
    `<@id>` of `users` mentioned on purpose is allowed)."""
    found: list[str] = []
    for text in strings(payload):
        for match in _DISCORD_LIVE.finditer(text):
            if match.group() not in {f"<@{user}>" for user in users}:
                found.append(match.group())
    return found

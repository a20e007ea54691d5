"""Pure helpers for Jitsi room names and join URLs (reference §2)."""

from __future__ import annotations

import base64
import json
import re
import secrets
import unicodedata
from collections.abc import Mapping
from urllib.parse import quote

from adapters.jitsi.settings import OptionValue, TokenPlacement

ROOM_PREFIX = "dojo"
SLUG_MAX = 24
RANDOM_BYTES = 15
"""120 bits of randomness: 24 base32 characters."""

ROOM_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,198}[a-z0-9])?$")
"""What we accept as a Jitsi room id: lowercase ASCII, digits and inner hyphens."""


def slugify(title: str, max_length: int = SLUG_MAX) -> str:
    """A lowercase ASCII `[a-z0-9-]` slug of `title` (accents folded, others dropped)."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def random_part(num_bytes: int = RANDOM_BYTES) -> str:
    """Unguessable lowercase base32 text from `secrets` (8 characters per 5 bytes)."""
    return base64.b32encode(secrets.token_bytes(num_bytes)).decode("ascii").rstrip("=").lower()


def build_room_name(title: str, randomness: str | None = None) -> str:
    """`dojo-<slug of title>-<randomness>`: lowercase, unguessable, at most ~54 characters."""
    tail = random_part() if randomness is None else randomness
    parts = [ROOM_PREFIX, slugify(title), tail]
    name = "-".join(part for part in parts if part)
    if not ROOM_NAME.match(name):
        raise ValueError("randomness must be lowercase [a-z0-9-]")
    return name


def encode_options(options: Mapping[str, OptionValue]) -> list[str]:
    """`key=value` pairs for a Jitsi fragment: values JSON-encoded, then percent-encoded.

    The web client percent-decodes each value, turns curly quotes into straight ones and
    JSON-parses it (`parseURLParams`). ASCII-only JSON with `&` escaped as `\\u0026` survives
    those rewrites for any string.
    """
    return [f"{key}={quote(_json(value), safe='')}" for key, value in options.items()]


def _json(value: OptionValue) -> str:
    return json.dumps(value).replace("&", "\\u0026")


def build_join_url(
    base_url: str,
    room: str,
    *,
    token: str | None = None,
    token_in: TokenPlacement = "fragment",
    options: Mapping[str, OptionValue] | None = None,
) -> str:
    """`<base_url>/<room>`, the JWT in the fragment or query, options in the fragment.

    Fragment mode writes `#jwt=%22<token>%22`: since jitsi-meet PR #14760 (May 2024) the client
    JSON-parses the fragment `jwt` like any other fragment value, and a bare token would be
    dropped. Query mode writes the bare `?jwt=<token>`, which every client version reads.
    """
    url = f"{base_url.rstrip('/')}/{quote(room.lower(), safe='')}"
    params: dict[str, OptionValue] = {}
    if token is not None:
        if token_in == "query":
            url += f"?jwt={quote(token, safe='')}"
        else:
            params["jwt"] = token
    fragment = encode_options(params | dict(options or {}))
    return url + ("#" + "&".join(fragment) if fragment else "")

"""Short, unguessable, easy-to-type identifiers."""

from __future__ import annotations

import secrets

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_id(length: int = 8) -> str:
    """A random id of `length` characters (8 → about 40 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))

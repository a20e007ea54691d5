"""Writes that PostgreSQL gave up on because they crossed another (deadlock, serialization
failure) come back as `core.errors.Contention`: nothing was written, try again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from core.errors import Contention

RETRYABLE = frozenset({"40001", "40P01"})
"""SQLSTATE serialization_failure and deadlock_detected."""


@contextmanager
def contended(what: str) -> Iterator[None]:
    """Raise Contention (naming `what`) for a write the server aborted as retryable."""
    try:
        yield
    except DBAPIError as error:
        if str(getattr(error.orig, "sqlstate", "") or "") not in RETRYABLE:
            raise
        raise Contention(f"{what} crossed another write at the same moment.") from error

"""Store errors counted around any `SessionStore` (SQLite, PostgreSQL, ZeroDB, memory).

A refusal the core expects (a `DojoError`: not found, invalid input) is an answer, not an
error; anything else raised by a store operation (connection lost, timeout, vendor failure)
is counted by operation and exception class, then raised unchanged.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, cast

from adapters.metrics.registry import DojoMetrics
from core.errors import DojoError
from core.ports import SessionStore


class MeteredStore:
    """Forwards everything to `inner`; its coroutine methods count their failures."""

    def __init__(self, inner: SessionStore, metrics: DojoMetrics) -> None:
        self.inner = inner
        self._errors = metrics.store_errors

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.inner, name)
        if name.startswith("_") or not inspect.iscoroutinefunction(found):
            return found
        wrapped = self._counting(name, found)
        setattr(self, name, wrapped)  # built once per operation
        return wrapped

    def _counting(
        self, name: str, operation: Callable[..., Awaitable[Any]]
    ) -> Callable[..., Awaitable[Any]]:
        errors = self._errors

        @functools.wraps(operation)
        async def counted(*args: Any, **kwargs: Any) -> Any:
            try:
                return await operation(*args, **kwargs)
            except (DojoError, asyncio.CancelledError):
                raise
            except Exception as error:
                errors.labels(name, type(error).__name__).inc()
                raise

        return counted

    def __repr__(self) -> str:
        return f"MeteredStore({self.inner!r})"


def metered(store: SessionStore, metrics: DojoMetrics) -> SessionStore:
    """`store` with its errors counted."""
    return cast(SessionStore, MeteredStore(store, metrics))

"""Chooses the SessionStore from settings."""

from __future__ import annotations

from adapters.sql import open_sql_store
from bot.settings import Settings
from core.ports import SessionStore


async def open_store(settings: Settings) -> SessionStore:
    """The configured store: ZeroDB when `settings.zerodb` is set, else SQL (SQLite by
    default, PostgreSQL by URL)."""
    if settings.zerodb is not None:
        from adapters.zerodb import open_zerodb_store

        return await open_zerodb_store(settings.zerodb)
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return await open_sql_store(url)

"""SQL storage (SQLite, PostgreSQL) for the SessionStore port."""

from adapters.sql.store import SqlSessionStore, open_sql_store

__all__ = ["SqlSessionStore", "open_sql_store"]

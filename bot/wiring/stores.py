"""Chooses the SessionStore from settings."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from adapters.sql import open_sql_store
from bot.config_errors import ConfigError, line, variable
from bot.settings import Settings
from core.errors import StartRefused
from core.ports import SessionStore


async def open_store(settings: Settings) -> SessionStore:
    """The configured store: ZeroDB when `settings.zerodb` is set, else SQL (SQLite by
    default, PostgreSQL by URL). A login or database name the server refuses is a
    ConfigError naming the variable; a server out of reach is StartRefused (an outage)."""
    if settings.zerodb is not None:
        from adapters.zerodb import open_zerodb_store

        return await open_zerodb_store(settings.zerodb)
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(
                [line("DOJOBOT_DATA_DIR", f"cannot create {settings.data_dir}: {error.strerror}")]
            ) from None
    name = variable(("database_url",)) if settings.database_url else "DOJOBOT_DATA_DIR"
    try:
        return await open_sql_store(url)
    except OSError as error:  # refused, unknown host, timed out: an outage, or the wrong host
        raise StartRefused(
            f"Cannot reach the database at {_where(url)} ({type(error).__name__}): is it "
            f"running and reachable from here? If it is, check the host and port in {name}."
        ) from None
    except DBAPIError as error:
        problem = _refusal(url, error)
        if problem is None:
            raise
        raise ConfigError([line(name, problem)]) from None


def _where(url: str) -> str:
    """`host:port` of a server URL (the file of a SQLite one); never its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "memory"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def _refusal(url: str, error: DBAPIError) -> str | None:
    """What is wrong in the URL when the server refused the login or the database (by
    SQLSTATE, whatever the driver), None for any other error. The password never appears."""
    orig = error.orig
    sqlstate = str(getattr(orig, "sqlstate", "") or "")
    parsed = make_url(url)
    cause = type(orig.__cause__ or orig).__name__ if orig is not None else type(error).__name__
    if sqlstate.startswith("28"):  # invalid authorization specification: 28000, 28P01
        return (
            f"the database at {_where(url)} refused the login of user {parsed.username!r} "
            f"({cause}): check the user name and password in it"
        )
    if sqlstate == "3D000":  # invalid catalog name
        return (
            f"no database {parsed.database!r} at {_where(url)} ({cause}): create it, or fix "
            "the database name at the end of the URL"
        )
    return None

"""`dojobot check` for the SQL database: connect, and compare the schema's version with the
one this code migrates to. Reads only: a missing SQLite file is not created."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from adapters.checks import CheckResult, fail, ok, warn
from adapters.sql.engine import normalise_url
from adapters.sql.migrations import current_version, head_version

PART = "database"
CONNECT_TIMEOUT_SECONDS = 5.0
MIGRATE_HINT = "any dojobot process (run, web, discord or clock) migrates it when it starts"


async def check_database(url: str, variable: str) -> CheckResult:
    """Reach the database at `url` (named `variable` in the environment) and read its schema
    version; the URL's password is never shown."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return await _check_sqlite(parsed)
    where = f"postgresql at {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"
    engine = create_async_engine(
        parsed, poolclass=NullPool, connect_args={"timeout": CONNECT_TIMEOUT_SECONDS}
    )
    try:
        return await _version(engine, where)
    except (OSError, TimeoutError) as error:
        return fail(
            PART,
            f"cannot connect to {where} ({type(error).__name__}): is the server running and "
            f"{variable} right?",
        )
    except Exception as error:  # asyncpg's refusals: wrong password, unknown database…
        cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
        said = str(cause).splitlines()[0] if str(cause) else ""
        if parsed.password:
            said = said.replace(str(parsed.password), "***")
        return fail(
            PART,
            f"{where} refused the connection: {said or type(cause).__name__} — check {variable}",
        )
    finally:
        await engine.dispose()


async def _check_sqlite(parsed: URL) -> CheckResult:
    path = Path(parsed.database or "")
    where = f"sqlite at {path}"
    problem = _file_state(path, where)
    if problem is not None:
        return problem
    engine = create_async_engine(_read_only(parsed, path), poolclass=NullPool)
    try:
        return await _version(engine, where)
    except Exception as error:  # sqlite3 errors: not a database, locked…
        return fail(PART, f"{where}: cannot read it ({type(error).__name__}: {error})")
    finally:
        await engine.dispose()


def _read_only(parsed: URL, path: Path) -> URL:
    """The file opened read-only (SQLite's URI form), so checking never writes to it."""
    return parsed.set(
        drivername="sqlite+aiosqlite",
        database=f"{path.absolute().as_uri()}?mode=ro",
        query={"uri": "true"},
    )


def _file_state(path: Path, where: str) -> CheckResult | None:
    """The verdict when the file is missing or out of reach (None: go and read it)."""
    if not path.exists():
        home = next((p for p in path.absolute().parents if p.exists()), Path("/"))
        if not os.access(home, os.W_OK | os.X_OK):
            return fail(
                PART,
                f"{where}: cannot create it, {home} is not writable — set DOJOBOT_DATA_DIR to a "
                "writable directory",
            )
        return ok(
            PART, f"{where}: no database yet; created at version {head_version()} on first start"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        return fail(PART, f"{where}: the file is not readable and writable by this user")
    return None


async def _version(engine: AsyncEngine, where: str) -> CheckResult:
    """The verdict on the schema version the database is at."""
    async with engine.connect() as connection:
        stamped = await connection.run_sync(_has_versions)
        current = await current_version(connection) if stamped else 0
    head = head_version()
    if current == head:
        return ok(PART, f"{where}, schema at version {current}")
    if current == 0:
        return ok(PART, f"{where}: empty; {MIGRATE_HINT} (to version {head})")
    if current < head:
        return warn(PART, f"{where}, schema at version {current} of {head}: {MIGRATE_HINT}")
    return fail(
        PART,
        f"{where}, schema at version {current} but this dojobot knows only {head}: a newer "
        "dojobot migrated it — upgrade dojobot before running it against this database",
    )


def _has_versions(connection: Connection) -> bool:
    return inspect(connection).has_table("schema_version")

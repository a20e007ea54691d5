"""`dojobot check` for ZeroDB: one read-only query (a row of the sessions table)."""

from __future__ import annotations

from adapters.checks import CheckResult, fail, ok
from adapters.zerodb.settings import ZeroDBSettings
from adapters.zerodb.tables import ZeroDBAuthError, ZeroDBError, ZeroDBTables

PART = "zerodb"
PROBED_TABLE = "training_sessions"


async def check_zerodb(settings: ZeroDBSettings) -> CheckResult:
    """Query one row of `<prefix>training_sessions`; a missing table is fine when dojobot
    creates its tables at start."""
    table = settings.table_prefix + PROBED_TABLE
    where = f"project {settings.project_id} at {settings.base_url}"
    tables = ZeroDBTables.from_settings(settings)
    try:
        await tables.query(table, {}, limit=1)
    except ZeroDBAuthError as error:
        return fail(PART, f"{where}: {error}")
    except ZeroDBError as error:
        if error.status != 404:
            return fail(
                PART,
                f"{where}: {error} — check DOJOBOT_ZERODB__BASE_URL, __PROJECT_ID and __DIALECT",
            )
        if not settings.create_tables:
            return fail(
                PART,
                f"{where}: table {table} does not exist and DOJOBOT_ZERODB__CREATE_TABLES is "
                "false: create the tables, or set it to true",
            )
        return ok(PART, f"{where}: reachable; the tables are created when a dojobot process starts")
    finally:
        await tables.close()
    return ok(PART, f"{where}: table {table} answers ({settings.dialect} dialect)")

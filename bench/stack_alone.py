"""The required stack alone, with no dojobot code: what a process costs before our first line.

    python -m bench.stack_alone web DATA_DIR      # reads one line on stdin, then exits
    python -m bench.stack_alone clock DB
    python -m bench.stack_alone obvious DB
    python -m bench.stack_alone ours DB

- **web**: what the default `dojobot run` must do with the libraries its stack names, and
  nothing more: one pydantic-settings `BaseSettings` and one pydantic model validated, a
  SQLite file opened through SQLAlchemy's async engine on aiosqlite with one table written,
  APScheduler's asyncio scheduler started, an aiohttp server listening on a free loopback
  port; then it waits for one line on stdin (the terminal) and shuts all down.
- **clock**: the alarm-clock process on the same stack, no dojobot code: the async engine
  opens the seeded database `DB` (a copy of the scheduler-scale benchmark's own) and reads
  the next due reminder into a pydantic model, then APScheduler's asyncio scheduler starts
  with one date job at that time and wakes up once.
- **obvious**: the scheduler-scale benchmark's obvious design (`bench.obvious_design`:
  APScheduler with its `SQLAlchemyJobStore` on the seeded job store `DB`), started until its
  first wake-up.
- **ours**: our clock as the scheduler-scale benchmark wires it (`bench.our_design`) on `DB`,
  store opened and migrations checked, alarm started with its first wake-up and plan done.

Each exits when ready (after its first wake-up), so its peak RSS is its RSS at ready. Only the
standard library is imported at module level; each kind imports what it needs.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path


async def web(data_dir: Path) -> None:
    """The default run's stack: settings, a model, a SQLite write, a scheduler, a server."""
    from aiohttp import web as aioweb
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from pydantic import BaseModel
    from pydantic_settings import BaseSettings, SettingsConfigDict
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    class Settings(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="STACK_")
        port: int = 0

    class Session(BaseModel):
        id: str
        title: str
        start_time: datetime

    settings = Settings()
    session = Session(id="s1", title="Kata", start_time=datetime.now(UTC))
    engine = create_async_engine(f"sqlite+aiosqlite:///{(data_dir / 'stack.db').as_posix()}")
    async with engine.begin() as conn:
        await conn.execute(
            text("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, t TEXT)")
        )
        await conn.execute(
            text("INSERT OR REPLACE INTO sessions VALUES (:id, :t)"),
            {"id": session.id, "t": session.title},
        )
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start()

    async def hello(_: aioweb.Request) -> aioweb.Response:
        return aioweb.Response(text="ok")

    app = aioweb.Application()
    app.router.add_get("/", hello)
    runner = aioweb.AppRunner(app)
    await runner.setup()
    await aioweb.TCPSite(runner, "127.0.0.1", settings.port).start()
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    scheduler.shutdown(wait=False)
    await runner.cleanup()
    await engine.dispose()


async def clock(db: Path) -> None:
    """The clock's stack: read the next due reminder, plan one job, wake up once."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from pydantic import BaseModel
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    class Due(BaseModel):
        session_id: str
        kind: str
        due_at: datetime

    engine = create_async_engine(f"sqlite+aiosqlite:///{db.as_posix()}")
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT session_id, kind, due_at FROM reminders WHERE done_at IS NULL "
                    "ORDER BY due_at LIMIT 1"
                )
            )
        ).one()
    due = Due(session_id=row[0], kind=row[1], due_at=row[2])
    woke = asyncio.Event()
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(woke.set, "date", run_date=datetime.now(UTC), id=due.session_id)
    scheduler.start()
    await asyncio.wait_for(woke.wait(), 30)
    scheduler.shutdown(wait=False)
    await engine.dispose()


async def obvious(db: Path) -> None:
    """The obvious design, started until its first wake-up over the job store."""
    from bench import obvious_design as od

    scheduler = od.make_scheduler(db)
    scheduler.start()
    for _ in range(30_000):
        if scheduler.passes:
            break
        await asyncio.sleep(0.001)
    else:
        raise TimeoutError("the scheduler never woke up")
    scheduler.shutdown(wait=False)


async def ours(db: Path) -> None:
    """Our clock as the scheduler-scale benchmark wires it, until ready."""
    from bench import scenarios as sc
    from bench.our_design import open_app
    from core.testing.clock import FakeClock

    app = await open_app(db, FakeClock(sc.NOW0))
    await app.alarm.start()
    await app.close()


KINDS = {"web": web, "clock": clock, "obvious": obvious, "ours": ours}


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    if kind == "web":
        path.mkdir(parents=True, exist_ok=True)
    asyncio.run(KINDS[kind](path))


if __name__ == "__main__":
    main()

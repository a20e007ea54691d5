"""Moving a running dojobot from SQLite to PostgreSQL with `dojobot export` / `import`: the
clock on the new store resumes with no reminder lost or repeated."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pydantic import SecretStr

from adapters.web import WebSettings
from bot.settings import Settings
from core.testing.clock import FakeClock
from tests.cli.export_cli import dojobot
from tests.e2e.conftest import START, Terminal
from tests.pg_server import fresh_database, require_server

REMINDER = re.compile(r"\[(DM → \w+|#dojo · everyone)\] Reminder: “(\w+)” .*?starts in ([\w ]+?)\.")
WHO = ("DM → ana", "DM → ben", "#dojo · everyone")


def reminders(lines: list[str]) -> Counter[tuple[str, str, str]]:
    """(recipient, session title, how long before) of every reminder in `lines`."""
    return Counter(
        (found[1], found[2], found[3]) for line in lines if (found := REMINDER.search(line))
    )


def every(title: str, *befores: str) -> Counter[tuple[str, str, str]]:
    """Each reminder to both members; the channel posts only the 10-minute one (the default
    DOJOBOT_CHANNEL_REMINDERS)."""
    return Counter(
        (who, title, before)
        for who in WHO
        for before in befores
        if not who.startswith("#") or before == "10 minutes"
    )


async def test_clock_on_the_new_store_sends_each_reminder_once(tmp_path: Path) -> None:
    old = Terminal(tmp_path / "old", FakeClock(START))  # Tue 1 Dec 2026 09:00 UTC
    await old.boot()
    printed = await old.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-03 18:00 UTC 60m'
    )
    kata = old.session_id(printed)
    printed = await old.type('/schedule-session "Randori" 2026-12-02 12:00 UTC 60m')
    randori = old.session_id(printed)
    for member in ("ana", "ben"):
        await old.type(f"/as {member} member", f"/rsvp {kata}", f"/rsvp {randori}")
    await old.type("/advance 3h10m")  # 12:10: Randori's 24 h reminder went out
    assert reminders(old.output) == every("Randori", "24 hours")
    assert old.app is not None
    await old.app.close()
    old.app = None

    database = old.settings.effective_database_url
    async with fresh_database(require_server()) as pg_url:
        file = tmp_path / "move.jsonl"
        for args, url in ((("export", str(file)), database), (("import", str(file)), pg_url)):
            settings = {"DOJOBOT_DATABASE_URL": url}
            done = await asyncio.to_thread(partial(dojobot, tmp_path, *args, settings=settings))
            assert done.returncode == 0, done.stderr

        # the move took until the next day, 11:30: Randori's 1 h reminder (due 11:00) fell
        # due meanwhile and is still useful; the rest are ahead
        new = Terminal(tmp_path / "new", FakeClock(datetime(2026, 12, 2, 11, 30, tzinfo=UTC)))
        new.settings = Settings(
            data_dir=tmp_path / "new",
            database_url=SecretStr(pg_url),
            web=WebSettings(port=0),
            _env_file=None,
        )
        await new.boot()
        try:
            await new.type("/advance 1m")  # the clock's first run, with what fell due
            assert reminders(new.output) == every("Randori", "1 hour")
            await new.type("/advance 3d")
            assert reminders(new.output) == every("Randori", "1 hour", "10 minutes") + every(
                "Kata", "24 hours", "1 hour", "10 minutes"
            )
        finally:
            assert new.app is not None
            await new.app.close()

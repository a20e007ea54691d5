"""The attendance CSV reads the same from every store (memory, SQLite, PostgreSQL, ZeroDB):
the ledger's order, the filters, a member's own rows only, byte for byte the same text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from core.export_commands import ExportAttendance
from core.model import Member, Role
from core.ports import SessionStore
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.training_ledger import LedgerEntry, Verdict

SENSEI = Member(id="t:sensei", display_name="Sensei", role=Role.INSTRUCTOR)
ANA = Member(id="t:ana", display_name="Ana")
BEN = Member(id="t:ben", display_name='=Ben, "the" 2nd')
START = datetime(2026, 3, 30, 22, 30, tzinfo=UTC)  # 31 March 00:30 in Berlin


def entry(who: Member, day: int, series: str | None = "c-7") -> LedgerEntry:
    at = START + timedelta(days=day)
    return LedgerEntry(
        session_id=f"s-{day}",
        member_id=who.id,
        member_name=who.display_name,
        title='Kata, "basics"',
        series_id=series,
        instructor_id=SENSEI.id,
        starts_at=at,
        session_seconds=3600,
        seconds_present=3599 if who is ANA else 0,
        attended=who is ANA,
        verdict=None if who is ANA else Verdict.ABSENT,
        verdict_by=None if who is ANA else SENSEI.id,
        verdict_at=None if who is ANA else at + timedelta(hours=2),
        recorded_at=at + timedelta(hours=1),
    )


async def text_of(service: SessionService, actor: Member, command: ExportAttendance) -> str:
    chunks = await service.attendance_chunks(actor, service.attendance_query(actor, command))
    return "".join([chunk async for chunk in chunks])


async def test_the_export_reads_the_same_from_every_store(store: SessionStore) -> None:
    service = SessionService(
        store,
        InMemoryVideoRooms(),
        RecordingChatDelivery(),
        FakeClock(START),
        association_timezone="Europe/Berlin",
    )
    await store.save_ledger(
        [entry(BEN, 0), entry(ANA, 0), entry(ANA, 1, series=None), entry(ANA, 3, "c-9")]
    )
    everything = await text_of(service, SENSEI, ExportAttendance())
    assert everything.startswith("\ufeffdate,session_id,title,class,")
    assert everything.splitlines()[1:3] == [
        '2026-03-31,s-0,"Kata, ""basics""",c-7,t:sensei,t:ana,Ana,59,60,yes,,',
        '2026-03-31,s-0,"Kata, ""basics""",c-7,t:sensei,t:ben,'
        '"\'=Ben, ""the"" 2nd",0,60,no,absent,t:sensei',
    ]
    rows = list(csv.reader(io.StringIO(everything[1:], newline="")))
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("2026-03-31", "s-0", "c-7"),
        ("2026-03-31", "s-0", "c-7"),
        ("2026-04-01", "s-1", ""),
        ("2026-04-03", "s-3", "c-9"),
    ]
    own = await text_of(service, ANA, ExportAttendance(last_day=datetime(2026, 4, 1).date()))
    assert [r[1] for r in csv.reader(io.StringIO(own[1:], newline=""))][1:] == ["s-0", "s-1"]
    one_class = await text_of(service, SENSEI, ExportAttendance(series_id="c-9"))
    assert len(one_class.splitlines()) == 2

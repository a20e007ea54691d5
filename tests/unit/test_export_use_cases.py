"""The attendance export from chat (`core.export_use_cases`): the file goes privately to who
asked, members get only their own record, dates are the association's days, big exports
are sent to the REST API instead."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

import core.export_use_cases as export_use_cases
from core.errors import DeliveryRefused, InvalidInput, PermissionDenied
from core.executor import CommandExecutor
from core.grammar import parse_command
from core.model import Member
from core.reply_outcome import ReplyOutcome
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from core.training_ledger import LedgerEntry, LedgerQuery
from tests.unit.conftest import ANA, BEN, SENSEI

NOW = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)


def entry(member: Member, at: datetime, series: str | None = "c-7", n: int = 0) -> LedgerEntry:
    return LedgerEntry(
        session_id=f"s-{at:%m%d}-{n}",
        member_id=member.id,
        member_name=member.display_name,
        title="Kata",
        series_id=series,
        instructor_id=SENSEI.id,
        starts_at=at,
        session_seconds=3600,
        seconds_present=3000,
        attended=True,
        recorded_at=at + timedelta(hours=1),
    )


class Dojo:
    def __init__(self, zone: str = "UTC") -> None:
        self.store = InMemorySessionStore()
        self.chat = RecordingChatDelivery()
        self.service = SessionService(
            self.store,
            InMemoryVideoRooms(),
            self.chat,
            FakeClock(NOW),
            association_timezone=zone,
        )

    async def run(self, actor: Member, line: str) -> ReplyOutcome:
        command = parse_command(line, NOW, actor.timezone)
        outcome = await CommandExecutor(self.service).execute(actor, command, None)
        assert isinstance(outcome, ReplyOutcome)
        return outcome

    def rows_sent_to(self, member: Member) -> list[list[str]]:
        (file,) = self.chat.files_to(member.id)
        assert file.content_type == "text/csv; charset=utf-8"
        return list(csv.reader(io.StringIO(file.data.decode("utf-8-sig"), newline="")))


async def test_a_member_gets_their_own_record_by_private_file() -> None:
    dojo = Dojo()
    day = datetime(2026, 3, 2, 18, tzinfo=UTC)
    await dojo.store.save_ledger([entry(ANA, day), entry(BEN, day), entry(ANA, day, n=1)])
    reply = await dojo.run(ANA, "/export-attendance")
    rows = dojo.rows_sent_to(ANA)
    assert [row[5] for row in rows[1:]] == [ANA.id, ANA.id]
    (file,) = dojo.chat.files_to(ANA.id)
    assert file.filename == "attendance-member-t-ana-2026-04-10.csv"
    assert str(file.title) == "Attendance export: 2 rows"
    assert reply.lines == [f"Attendance export: 2 rows: sent to you privately as {file.filename}."]
    assert dojo.chat.files_to(BEN.id) == []


async def test_a_member_cannot_export_someone_else() -> None:
    dojo = Dojo()
    await dojo.store.save_ledger([entry(BEN, datetime(2026, 3, 2, 18, tzinfo=UTC))])
    with pytest.raises(PermissionDenied):
        await dojo.run(ANA, f"/export-attendance member {BEN.id}")
    with pytest.raises(PermissionDenied):  # the stream refuses before its first chunk
        await dojo.service.attendance_chunks(ANA, LedgerQuery())
    assert dojo.chat.sent == []


async def test_dates_are_whole_days_of_the_association_zone() -> None:
    dojo = Dojo(zone="Asia/Tokyo")
    late = datetime(2026, 3, 31, 20, tzinfo=UTC)  # 1 April 05:00 in Tokyo
    early = datetime(2026, 3, 31, 10, tzinfo=UTC)  # 31 March 19:00 in Tokyo
    other_class = datetime(2026, 3, 31, 11, tzinfo=UTC)
    await dojo.store.save_ledger(
        [entry(ANA, late), entry(ANA, early), entry(BEN, other_class, series="c-9")]
    )
    await dojo.run(SENSEI, "/export-attendance class c-7 from 2026-03-01 to 2026-03-31")
    rows = dojo.rows_sent_to(SENSEI)
    assert [(row[0], row[1]) for row in rows[1:]] == [("2026-03-31", "s-0331-0")]
    assert rows[1][7:10] == ["50", "60", "yes"]


async def test_nothing_to_export_sends_no_file() -> None:
    dojo = Dojo()
    reply = await dojo.run(SENSEI, "/export-attendance session s-1")
    assert reply.action == "attendance_export_empty"
    assert dojo.chat.sent == []


async def test_a_chat_file_has_a_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_use_cases, "MAX_CHAT_ROWS", 2)
    dojo = Dojo()
    day = datetime(2026, 3, 2, 18, tzinfo=UTC)
    await dojo.store.save_ledger([entry(ANA, day, n=i) for i in range(3)])
    with pytest.raises(InvalidInput) as refused:
        await dojo.run(SENSEI, "/export-attendance")
    assert "GET /api/attendance.csv" in str(refused.value.hint)
    assert dojo.chat.sent == []


async def test_closed_dms_are_said_not_swallowed() -> None:
    dojo = Dojo()
    dojo.chat.dms_closed.add(ANA.id)
    await dojo.store.save_ledger([entry(ANA, datetime(2026, 3, 2, 18, tzinfo=UTC))])
    with pytest.raises(DeliveryRefused):
        await dojo.run(ANA, "/export-attendance")


async def test_the_file_name_gives_the_from_day_as_the_association_asked_it() -> None:
    dojo = Dojo("Asia/Tokyo")  # its midnight is the day before in UTC
    await dojo.store.save_ledger([entry(SENSEI, datetime(2026, 4, 2, 3, 0, tzinfo=UTC))])
    await dojo.run(SENSEI, "/export-attendance from 2026-04-01")
    (file,) = dojo.chat.files_to(SENSEI.id)
    assert file.filename == "attendance-from-2026-04-01-2026-04-10.csv"

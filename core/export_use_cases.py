"""The export use cases of `SessionService` (mixed into it): the attendance CSV.

Everything reads LEDGER's `training_entries`, which applies the rules (a member reads only
their own entries; instructors and admins anyone's), so the chat file and the REST API can
never show more than `/training-log` would. A member who asks without a member filter gets
their own record. Chat gets a file (`ChatDelivery.send_file`, privately, at most
`MAX_CHAT_ROWS` rows); the REST API streams the same text (`attendance_chunks`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.attendance_csv import (
    CONTENT_TYPE,
    attendance_csv_async,
    attendance_filename,
)
from core.errors import InvalidInput
from core.export_commands import ExportAttendance
from core.export_file import ExportFile
from core.i18n import t, tn
from core.local_days import ONE_DAY, day_start
from core.model import Member
from core.ports import ChatDelivery
from core.record_access import is_staff
from core.reply_outcome import ReplyOutcome
from core.training_ledger import LedgerEntry, LedgerQuery

MAX_CHAT_ROWS = 50_000
"""Rows a chat file holds at most (≈ 6 MB: under Discord's 10 MiB upload limit); larger
exports are for `GET /api/attendance.csv`, which streams."""


class ExportUseCases:
    """The attendance export, as a chat file or a stream of CSV text."""

    _chat: ChatDelivery
    _association_timezone: str

    def now(self) -> datetime:
        raise NotImplementedError

    if TYPE_CHECKING:  # LEDGER's use case (core/ledger_use_cases.py), mixed in beside this

        def training_entries(
            self, actor: Member, query: LedgerQuery
        ) -> AsyncIterator[LedgerEntry]: ...

    def association_zone(self) -> ZoneInfo:
        """The zone the export's dates are written in (DOJOBOT_DEFAULT_TIMEZONE)."""
        return ZoneInfo(self._association_timezone)

    def attendance_query(self, actor: Member, command: ExportAttendance) -> LedgerQuery:
        """The ledger query of an export request (dates → the association's days; a member
        with no member filter: their own record)."""
        zone = self.association_zone()
        member = command.member_id
        if member is None and not is_staff(actor):
            member = actor.id
        return LedgerQuery(
            member_ids=None if member is None else [member],
            session_id=command.session_id,
            series_id=command.series_id,
            since=day_start(command.first_day, zone),
            until=day_start(command.last_day, zone, ONE_DAY),
        )

    def attendance_filename(self, query: LedgerQuery) -> str:
        """The export's file name for `query`, dated today in the association's zone."""
        zone = self.association_zone()
        return attendance_filename(query, self.now().astimezone(zone).date(), zone)

    async def attendance_chunks(self, actor: Member, query: LedgerQuery) -> AsyncIterator[str]:
        """The export's CSV text in chunks (byte order mark and header first), for a stream.

        The rules are checked before this returns (PermissionDenied, InvalidInput), so a
        caller can still answer with an error; the rows are read as the chunks are taken.
        """
        entries = aiter(self.training_entries(actor, query))
        try:
            first: LedgerEntry | None = await anext(entries)
        except StopAsyncIteration:
            first = None

        async def all_entries() -> AsyncIterator[LedgerEntry]:
            if first is None:
                return
            yield first
            async for entry in entries:
                yield entry

        return attendance_csv_async(all_entries(), self.association_zone())

    async def export_attendance(self, actor: Member, query: LedgerQuery) -> ExportFile:
        """The export as one file (at most `MAX_CHAT_ROWS` rows; InvalidInput beyond)."""
        file, _ = await self._attendance_file(actor, query)
        return file

    async def _attendance_file(self, actor: Member, query: LedgerQuery) -> tuple[ExportFile, int]:
        rows = 0

        async def capped() -> AsyncIterator[LedgerEntry]:
            nonlocal rows
            async for entry in self.training_entries(actor, query):
                rows += 1
                if rows > MAX_CHAT_ROWS:
                    raise InvalidInput(
                        t("That export has more than {n} rows.", n=MAX_CHAT_ROWS),
                        t(
                            "Narrow it (session, class, member, from/to), or download it "
                            "from the REST API: GET /api/attendance.csv."
                        ),
                    )
                yield entry

        zone = self.association_zone()
        text = "".join([chunk async for chunk in attendance_csv_async(capped(), zone)])
        file = ExportFile(
            filename=self.attendance_filename(query),
            content_type=CONTENT_TYPE,
            data=text.encode(),
            title=tn("Attendance export: {n} row", "Attendance export: {n} rows", rows),
            locale=actor.locale,
        )
        return file, rows

    async def send_attendance_export(
        self, actor: Member, command: ExportAttendance
    ) -> ReplyOutcome:
        """`/export-attendance`: the file goes privately to the member who asked."""
        query = self.attendance_query(actor, command)
        file, rows = await self._attendance_file(actor, query)
        if rows == 0:
            return ReplyOutcome(
                action="attendance_export_empty",
                lines=[
                    t("Nothing to export: no ended session's attendance matches."),
                    t("Try fewer filters, e.g. /export-attendance from 2026-01-01."),
                ],
                session_id=command.session_id,
            )
        await self._chat.send_file(actor.acting_id, file)
        return ReplyOutcome(
            action="attendance_exported",
            lines=[file.sent_line()],
            session_id=command.session_id,
        )

"""Reading the audit log (admins only): `/audit` pages with a "More" button, the REST
API's pages and the CSV export (a stream for the API, a file for chat)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

from core.audit import AuditEntry, AuditQuery
from core.audit_commands import ShowAudit
from core.audit_report import CONTENT_TYPE, audit_csv, audit_filename, entry_line
from core.errors import InvalidInput, PermissionDenied
from core.export_file import ExportFile
from core.i18n import t, tn
from core.local_days import ONE_DAY, day_start
from core.model import Member, Role
from core.notices import ButtonStyle, NoticeButton
from core.ports import ChatDelivery, SessionStore
from core.reply_outcome import ReplyOutcome

CHAT_PAGE = 10
"""Entries per `/audit` reply."""
READ_BATCH = 1000
"""Entries per store read while streaming the CSV."""
MAX_BUTTON_LINE = 92
"""The longest command line a button carries on every platform (Discord: 100 characters
with its `dojobot:` prefix); a longer "More" is written out to type instead."""
MAX_CHAT_ROWS = 50_000
"""Rows an `/audit csv` file holds at most; larger ones: `GET /api/audit.csv`."""


def require_admin(actor: Member) -> None:
    """PermissionDenied unless `actor` is an admin."""
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(
            t("Only admins can read the audit log."),
            t("Ask an admin of your association."),
        )


class AuditReadUseCases:
    """The audit log's reads; every one checks that the actor is an admin first."""

    _store: SessionStore
    _chat: ChatDelivery

    def now(self) -> datetime:
        raise NotImplementedError

    async def audit_entries(self, actor: Member, query: AuditQuery) -> list[AuditEntry]:
        """One page of entries, newest first (admins only)."""
        require_admin(actor)
        return await self._store.list_audit(query)

    async def audit_chunks(self, actor: Member, query: AuditQuery) -> AsyncIterator[str]:
        """Every entry `query` selects (its `limit` ignored) as CSV text in chunks, read from
        the store a page at a time. The rule is checked before this returns."""
        require_admin(actor)
        return audit_csv(self._all_entries(query))

    async def _all_entries(
        self, query: AuditQuery, cap: int | None = None
    ) -> AsyncIterator[AuditEntry]:
        page = query.model_copy(update={"limit": READ_BATCH})
        count = 0
        while True:
            entries = await self._store.list_audit(page)
            for entry in entries:
                count += 1
                if cap is not None and count > cap:
                    raise InvalidInput(
                        t("That selection has more than {n} entries.", n=cap),
                        t("Narrow it (actor, action, session, from), or use GET /api/audit.csv."),
                    )
                yield entry
            if len(entries) < READ_BATCH:
                return
            page = page.model_copy(update={"before_id": entries[-1].id})

    def audit_query(self, actor: Member, command: ShowAudit, limit: int = CHAT_PAGE) -> AuditQuery:
        """The store query of an `/audit` command (`from`/`to`: whole days in the actor's
        zone)."""
        zone = ZoneInfo(actor.timezone)
        return AuditQuery(
            actor_id=command.actor_id,
            action=command.action,
            target=command.target,
            since=day_start(command.since, zone),
            until=day_start(command.until, zone, ONE_DAY),
            before_id=command.before_id,
            limit=limit,
        )

    async def audit_page(self, actor: Member, command: ShowAudit) -> ReplyOutcome:
        """`/audit`: 10 entries newest first, and "More" for the next 10 when there are."""
        require_admin(actor)
        if command.csv:
            return await self._send_audit_file(actor, command)
        query = self.audit_query(actor, command, CHAT_PAGE + 1)
        entries = await self._store.list_audit(query)
        if not entries:
            more = command.before_id is not None
            line = t("No more entries.") if more else t("No audit entries match.")
            return ReplyOutcome(action="audit_empty", lines=[line])
        shown = entries[:CHAT_PAGE]
        lines = [entry_line(entry, actor.timezone) for entry in shown]
        buttons = []
        if len(entries) > CHAT_PAGE:
            next_line = command.line(before_id=shown[-1].id)
            if len(next_line) <= MAX_BUTTON_LINE:
                buttons.append(
                    NoticeButton(label=t("More"), command=next_line, style=ButtonStyle.PLAIN)
                )
            else:
                lines.append(t("More: {line}", line=next_line))
        return ReplyOutcome(action="audit_page", lines=lines, buttons=buttons)

    async def _send_audit_file(self, actor: Member, command: ShowAudit) -> ReplyOutcome:
        query = self.audit_query(actor, command)
        rows = 0

        async def counted() -> AsyncIterator[AuditEntry]:
            nonlocal rows
            async for entry in self._all_entries(query, cap=MAX_CHAT_ROWS):
                rows += 1
                yield entry

        text = "".join([chunk async for chunk in audit_csv(counted())])
        if rows == 0:
            return ReplyOutcome(action="audit_empty", lines=[t("No audit entries match.")])
        today = self.now().astimezone(ZoneInfo(actor.timezone)).date()
        file = ExportFile(
            filename=audit_filename(today),
            content_type=CONTENT_TYPE,
            data=text.encode(),
            title=tn("Audit log: {n} entry", "Audit log: {n} entries", rows),
            locale=actor.locale,
        )
        await self._chat.send_file(actor.acting_id, file)
        return ReplyOutcome(
            action="audit_exported",
            lines=[file.sent_line()],
        )

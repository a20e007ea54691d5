"""Handlers of the REST API's training record: a member's ledger in keyset pages, their
rank progress, promotions, attendance verdicts and the personal calendar feed.

They only translate: every rule (who reads whose record, who promotes, who confirms a
session's attendance, the audit entries) is the core's, reached through the same
`SessionService` use cases as /training-log, /progress, /promote, /mark-present and
/calendar-feed. A feed URL is a secret: it is in the response body and nowhere else.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

from aiohttp import web

from adapters.web.api.csv_responses import read_filters
from adapters.web.api.handlers import SessionsApi, json_response
from adapters.web.api.member_handlers import member_id
from adapters.web.api.requests import read_body, session_id
from adapters.web.api.training_schemas import (
    AttendanceBody,
    AttendanceOut,
    FeedOut,
    ProgressOut,
    PromotionBody,
    PromotionOut,
    TrainingEntryOut,
    TrainingPageOut,
    TrainingQuery,
    cursor_of,
    read_cursor,
)
from core.errors import InvalidInput, InvalidState, PermissionDenied
from core.export_commands import ExportAttendance
from core.model import Member
from core.service import SessionService
from core.training_ledger import LedgerEntry, LedgerQuery

FILTER_HINT = (
    "Filter with from=YYYY-MM-DD, to=YYYY-MM-DD, limit=1…100, after=<next of the previous "
    "page>, e.g. GET /api/members/{member_id}/training?from=2026-01-01&limit=20."
)
OWN_HINT = "A member's token reads only their own record: use your own member id (GET /api/me)."
PROMOTE_HINT = "Instructors and admins record promotions; see your own with GET …/progress."
VERDICT_HINT = "The session's instructor or an admin confirms its attendance."


def _query(
    service: SessionService,
    actor: Member,
    target: str,
    filters: TrainingQuery,
    after: tuple[datetime, str] | None,
) -> LedgerQuery:
    """The ledger read of one page: the export's query for the member and days (the
    association's zone), from the cursor's start on (keyset)."""
    if filters.from_ and filters.to and filters.to < filters.from_:
        raise InvalidInput("The range ends before it starts (to is before from).", FILTER_HINT)
    days = ExportAttendance(member_id=target, first_day=filters.from_, last_day=filters.to)
    query = service.attendance_query(actor, days)
    if after is None or (query.since is not None and query.since >= after[0]):
        return query
    return query.model_copy(update={"since": after[0]})


class TrainingApi:
    """Handlers of the training record."""

    def __init__(self, sessions: SessionsApi) -> None:
        self.sessions = sessions
        self.service = sessions.service

    async def training(self, request: web.Request) -> web.Response:
        """One page of the member's ledger, oldest first, and the cursor of the next."""
        actor = await self.sessions.member(request)
        target = member_id(request)
        filters = read_filters(request, TrainingQuery, FILTER_HINT)
        after = None if filters.after is None else read_cursor(filters.after, FILTER_HINT)
        query = _query(self.service, actor, target, filters, after)
        page: list[LedgerEntry] = []
        entries = self.service.training_entries(actor, query)
        try:
            async for entry in entries:
                if after is not None and (entry.starts_at, entry.session_id) <= after:
                    continue
                page.append(entry)
                if len(page) > filters.limit:
                    break
        except PermissionDenied as error:
            raise PermissionDenied(error.message, OWN_HINT) from error
        finally:
            if isinstance(entries, AsyncGenerator):
                await entries.aclose()  # stop the store's read where the page ends
        shown = page[: filters.limit]
        more = len(page) > filters.limit
        return json_response(
            TrainingPageOut(
                entries=[TrainingEntryOut.of(e) for e in shown],
                next=cursor_of(shown[-1]) if more else None,
            )
        )

    async def progress(self, request: web.Request) -> web.Response:
        """The member's progress toward their next rank."""
        actor = await self.sessions.member(request)
        target = member_id(request)
        try:
            result = await self.service.rank_progress(actor, target)
        except PermissionDenied as error:
            raise PermissionDenied(error.message, OWN_HINT) from error
        return json_response(ProgressOut.of(result))

    async def add_promotion(self, request: web.Request) -> web.Response:
        """Record a promotion (as /promote: audited, the member congratulated once)."""
        actor = await self.sessions.member(request)
        target = member_id(request)
        body = await read_body(request, PromotionBody)
        try:
            promotion = await self.service.add_promotion(actor, target, body.rank, body.date)
        except PermissionDenied as error:
            raise PermissionDenied(error.message, PROMOTE_HINT) from error
        return json_response(PromotionOut.of(promotion), 201)

    async def set_attendance(self, request: web.Request) -> web.Response:
        """Mark a member present or absent in an ended session (as /mark-present)."""
        actor = await self.sessions.member(request)
        session, target = session_id(request), member_id(request)
        body = await read_body(request, AttendanceBody)
        try:
            outcome = await self.service.set_attendance(actor, session, target, body.verdict)
        except PermissionDenied as error:
            raise PermissionDenied(error.message, VERDICT_HINT) from error
        except InvalidState as error:  # not ended yet
            hint = f"Mark attendance once it has ended (POST /api/training/sessions/{session}/end)."
            raise InvalidState(error.message, hint) from error
        return json_response(
            AttendanceOut(
                session_id=session,
                member_id=target,
                verdict=body.verdict,
                changed=outcome.action.startswith("marked_"),
                message=" ".join(str(line) for line in outcome.lines),
            )
        )

    async def new_feed(self, request: web.Request) -> web.Response:
        """A new personal calendar feed URL; the previous one stops working."""
        actor = await self.sessions.member(request)
        url = await self.service.issue_calendar_feed(actor)
        return json_response(FeedOut(url=url), 201, **{"Cache-Control": "no-store"})

    async def revoke_feed(self, request: web.Request) -> web.Response:
        """Stop the caller's calendar feed (204 also when there was none)."""
        actor = await self.sessions.member(request)
        await self.service.revoke_calendar_feed(actor)
        return web.Response(status=204)

"""Handlers of /api/training/series…: weekly classes through SessionService's use cases.

Like the session handlers they only translate: the role check of core's permission table
runs before the body is read (403 before 422), every other rule is the core's.
"""

from __future__ import annotations

import re

from aiohttp import web

from adapters.web.api.handlers import SessionsApi, json_response
from adapters.web.api.requests import read_body, read_query
from adapters.web.api.schemas import ID_PATTERN, SessionOut
from adapters.web.api.series_schemas import (
    EndQuery,
    EndResult,
    SeriesCreate,
    SeriesDetailOut,
    SeriesList,
    SeriesOut,
    SeriesPlanOut,
    SeriesUpdate,
    SkipCreate,
    SkipOut,
    SkipResult,
    StandingOut,
)
from core.commands import EndSeries, SkipDay
from core.errors import NotFound
from core.permissions import Action, require

_ID = re.compile(ID_PATTERN)
SERIES = "/api/training/series"
LIST_HINT = f"List weekly classes with GET {SERIES}."


def series_id(request: web.Request) -> str:
    """The `{series_id}` of the path; ids that cannot exist are NotFound at once."""
    value = request.match_info["series_id"]
    if not _ID.fullmatch(value):
        raise NotFound(f"No weekly class with id “{value[:64]}”.", LIST_HINT)
    return value


class SeriesApi:
    """Weekly classes: create, preview, list, show, change, skip, end, stand."""

    def __init__(self, sessions: SessionsApi) -> None:
        self.sessions = sessions
        self.service = sessions.service

    async def create(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        require(actor, Action.SCHEDULE)
        body = await read_body(request, SeriesCreate)
        plan = await self.service.schedule_series(actor, body.command())
        location = f"{SERIES}/{plan.series.root_id}"
        return json_response(SeriesPlanOut.of(plan), 201, Location=location)

    async def preview(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        require(actor, Action.SCHEDULE)
        body = await read_body(request, SeriesCreate)
        return json_response(
            SeriesPlanOut.of(await self.service.preview_series(actor, body.command()))
        )

    async def list_series(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        found = await self.service.list_series(actor)
        return json_response(SeriesList(items=[SeriesOut.of(s) for s in found]))

    async def get(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        detail = await self.service.series_detail(actor, series_id(request))
        return json_response(SeriesDetailOut.of(detail))

    async def update(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        require(actor, Action.UPDATE)
        sid = series_id(request)
        body = await read_body(request, SeriesUpdate)
        series = await self.service.update_series(actor, body.command(sid))
        return json_response(
            SeriesDetailOut.of(await self.service.series_detail(actor, series.root_id))
        )

    async def skip(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        require(actor, Action.CANCEL)
        sid = series_id(request)
        body = await read_body(request, SkipCreate)
        command = SkipDay(series_id=sid, day=body.day, reason=body.reason)
        canceled = await self.service.skip_day(actor, command)
        detail = await self.service.series_detail(actor, sid)
        skip = next(s for s in detail.skips if s.day == body.day)
        result = SkipResult(
            skip=SkipOut.of(skip), canceled=SessionOut.of(canceled) if canceled else None
        )
        return json_response(result, 201)

    async def end(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        require(actor, Action.CANCEL)
        sid = series_id(request)
        query = read_query(request, EndQuery)
        command = EndSeries(series_id=sid, reason=query.reason or "")
        canceled = await self.service.end_series(actor, command)
        series = await self.service.get_series(sid)
        result = EndResult(
            series=SeriesOut.of(series), canceled=[SessionOut.of(s) for s in canceled]
        )
        return json_response(result)

    async def stand(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        require(actor, Action.RSVP)
        sid = series_id(request)
        changes = await self.service.stand(actor, sid)
        series = await self.service.get_series(sid)
        return json_response(StandingOut.made(series.root_id, changes))

    async def drop_standing(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        require(actor, Action.RSVP)
        sid = series_id(request)
        removed = await self.service.drop_standing(actor, sid)
        series = await self.service.get_series(sid)
        body = StandingOut(series_id=series.root_id, standing=False, changed=removed, rsvps=[])
        return json_response(body)

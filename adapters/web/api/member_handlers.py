"""Handlers of /api/me… and /api/members/{member_id}…: the member use cases over HTTP.

Like the session handlers they only translate; every rule (who may forget whom, codes,
linking) is the core's. The caller is identified on every request (`SessionsApi.member`),
so their profile is filled from the token's claims as on any other platform.
"""

from __future__ import annotations

import re

from aiohttp import web

from adapters.web.api.handlers import SessionsApi, json_response
from adapters.web.api.member_schemas import (
    CodeBody,
    CodeOut,
    ForgottenOut,
    ProfileOut,
    RemindersBody,
)
from adapters.web.api.requests import read_body
from adapters.web.api.schemas import MEMBER_PATH_PATTERN
from core.errors import NotFound
from core.members import MemberProfile
from core.model import Member
from core.permissions import require_self_or_admin

FORGET_SELF_HINT = "To be forgotten yourself: POST /api/me/forget."

ME = "/api/me"
_MEMBER_ID = re.compile(MEMBER_PATH_PATTERN)
LINK_NEXT = (
    'On your other account, POST /api/me/link with {"code": "…"} (or type /link CODE in '
    "Slack, Discord or the terminal) before expires_at."
)


def member_id(request: web.Request) -> str:
    """The `{member_id}` of the path; ids that cannot exist are NotFound at once."""
    value = request.match_info["member_id"]
    if not _MEMBER_ID.fullmatch(value):
        raise NotFound(f"No member “{value[:64]}”.", "Use the member's id as GET /api/me shows it.")
    return value


class MembersApi:
    """The caller's profile, reminders, linked accounts and forget-me; admins' forget."""

    def __init__(self, sessions: SessionsApi) -> None:
        self.sessions = sessions
        self.service = sessions.service

    def _profile(self, profile: MemberProfile, actor: Member) -> web.Response:
        return json_response(ProfileOut.of(profile, actor.acting_id))

    async def me(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        return self._profile(await self.service.profile(actor), actor)

    async def set_reminders(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        body = await read_body(request, RemindersBody)
        profile = await self.service.set_reminder_preferences(actor, body.preferences())
        return self._profile(profile, actor)

    async def link_code(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        code = await self.service.link_code(actor)
        return json_response(CodeOut.of(code, LINK_NEXT), 201)

    async def link(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        body = await read_body(request, CodeBody)
        await self.service.link(actor, body.code)
        return self._profile(await self.service.profile(actor), actor)

    async def unlink(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        profile = await self.service.unlink(actor)
        return json_response(ProfileOut.of(profile, actor.acting_id))

    async def forget_me(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        code = await self.service.forget_request(actor)
        step = f'POST {ME}/forget/confirm with {{"code": "{code.code}"}} before expires_at.'
        return json_response(CodeOut.of(code, step), 201)

    async def confirm_forget_me(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        body = await read_body(request, CodeBody)
        kept = await self.service.forget(actor, body.code, actor.id)
        return json_response(ForgottenOut(kept_anonymously=kept))

    async def forget_member(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        target = member_id(request)
        require_self_or_admin(actor, target, "forget", FORGET_SELF_HINT)
        code = await self.service.forget_request(actor, target)
        step = (
            f"POST /api/members/{target}/forget/confirm with "
            f'{{"code": "{code.code}"}} before expires_at.'
        )
        return json_response(CodeOut.of(code, step), 201)

    async def confirm_forget_member(self, request: web.Request) -> web.Response:
        actor = await self.sessions.member(request)
        target = member_id(request)
        require_self_or_admin(actor, target, "forget", FORGET_SELF_HINT)
        body = await read_body(request, CodeBody)
        kept = await self.service.forget(actor, body.code, target)
        return json_response(ForgottenOut(kept_anonymously=kept))

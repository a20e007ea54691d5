"""A fake Discord REST API (v10) on an ephemeral loopback port, for discord.py to talk to.

Point discord.py at it with `Route.BASE = fake.base` (DiscordSettings.api_base). It serves
login, commands, DM channels, messages, interaction callbacks, follow-ups, scheduled events,
members and roles; records every call; and enforces Discord's limits: a global limit of
`global_limit` requests per `window` seconds (sliding; interaction callbacks and webhooks
excluded) and per-route buckets announced with `X-RateLimit-*` headers, answering 429 with
`retry_after` (and the `Via` header discord.py requires) when exceeded. Responses carry the
exact `application/json` content type discord.py checks for.

Message nonces (`enforce_nonce`) dedupe like Discord's: only for `nonce_window` seconds (a few
minutes) on an injectable clock (`clock`, shifted by `advance`), then the same nonce creates a
new message. `GET /channels/{id}/messages` lists a channel newest first, without nonces.

Bodies are validated against Discord's documented limits (`adapters.discord.limits`, via
`tests.fakes.discord_rules`): a message, interaction answer or Scheduled Event that exceeds one
gets Discord's 400 `{"code": 50035, "errors": {...}, "message": "Invalid Form Body"}`, and is
kept in `refusals`. Scheduled Events change status only as Discord allows (SCHEDULED→ACTIVE→
COMPLETED, SCHEDULED→CANCELED; a finished event answers 180000), and EXTERNAL events go ACTIVE
at `scheduled_start_time` and COMPLETED at `scheduled_end_time` by themselves, on the
injectable `wall_clock`.

Files come as Discord takes them: `multipart/form-data` with a `payload_json` part (the
message) and one `files[n]` part per file, each with a filename; `payload_json.attachments`
entries refer to the files by `id` = n. Invalid JSON answers 50109, a file part without a
filename, an unknown part or an attachment id with no file answers 50035, more than
`upload_limit` bytes in all answers 413 / 40005 ("Request entity too large"). A created
message lists its attachments; their bytes are kept in `uploads` (by attachment id).

Also here: builders of realistic gateway payloads (GUILD_CREATE, INTERACTION_CREATE for slash
commands, autocomplete, buttons and modals, GUILD_SCHEDULED_EVENT_USER_ADD).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, web

from adapters.discord import limits
from tests.fakes.discord_openapi import spec_validator
from tests.fakes.discord_rules import (
    callback_errors,
    event_errors,
    invalid,
    message_errors,
)
from tests.fakes.recording import recording_middlewares

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
_ids = itertools.count(1_100_000_000_000_000_000)
UPLOAD_LIMIT = 10 * 1024 * 1024
"""Discord's default upload limit per message (10 MiB, servers without boosts, DMs)."""
FILE_PART = re.compile(r"files\[(\d+)\]")


@dataclass
class Upload:
    """One `files[n]` part of a multipart request."""

    index: int
    filename: str
    data: bytes
    content_type: str


def _error(message: str) -> dict[str, Any]:
    """One field's error in Discord's "Invalid Form Body" tree."""
    return {"_errors": [{"code": "BASE_TYPE_INVALID", "message": message}]}


def snowflake() -> int:
    return next(_ids)


def user_payload(user_id: int, name: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


BOT_USER = user_payload(BOT_ID, "dojobot", bot=True)
NONCE_WINDOW = 180.0
"""Seconds (Discord time) a message nonce is remembered: Discord says "a few minutes"."""


@dataclass
class Call:
    """One request the fake received and how it answered."""

    method: str
    path: str
    body: Any
    status: int
    at: float
    answer: Any = None


@dataclass
class Bucket:
    limit: int
    per: float
    remaining: int = 0
    reset_at: float = 0.0


# (method, path regex, bucket name, limit, per seconds); the first group is the major parameter
ROUTE_LIMITS: list[tuple[str, str, str, int, float]] = [
    ("POST", r"/channels/(\d+)/messages", "messages", 5, 5.0),
    ("PATCH", r"/channels/(\d+)/messages/\d+", "edits", 5, 5.0),
    ("POST", r"/users/@me/channels()", "dm-open", 50, 1.0),
    ("POST", r"/guilds/(\d+)/scheduled-events", "events", 10, 10.0),
    ("PATCH", r"/guilds/(\d+)/scheduled-events/\d+", "events", 10, 10.0),
]
EXEMPT = re.compile(r"/(interactions|webhooks)/")


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def bot_message(
    message_id: int, channel_id: int, data: dict[str, Any], kind: int, flags: int = 0
) -> dict[str, Any]:
    """A message object by the bot as Discord returns it: `data`'s content, embeds,
    components and flags (OR `flags`), of message type `kind` (0 default, 20 a command's)."""
    return {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": BOT_USER,
        "content": data.get("content") or "",
        "timestamp": _now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": data.get("embeds") or [],
        "components": data.get("components") or [],
        "pinned": False,
        "type": kind,
        "flags": int(data.get("flags") or 0) | flags,
    }


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


class FakeDiscord:
    """The fake API with its recorded state."""

    def __init__(
        self,
        global_limit: int = 50,
        window: float = 1.0,
        route_limits: bool = True,
        nonce_window: float = NONCE_WINDOW,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`window` is the global limit's window in seconds; route buckets and the nonce
        window scale with it (window 0.2 runs Discord's clock five times faster, for
        benchmarks). `clock` (seconds) times the nonce window; `wall_clock` (aware datetimes,
        default the real time) is Discord's "now" for Scheduled Events."""
        self.global_limit = global_limit
        self.window = window
        self.route_limits = route_limits
        self.nonce_window = nonce_window * window
        self._clock = clock
        self.wall_clock: Callable[[], datetime] = wall_clock or (lambda: datetime.now(UTC))
        self.refusals: list[Call] = []
        self.spec = spec_validator()
        """Discord's published description: every request is checked against it first."""
        self.clock_offset = 0.0
        self.calls: list[Call] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self._by_channel: dict[str, list[dict[str, Any]]] = {}
        self.dm_channels: dict[int, int] = {}
        self._dm_users: dict[int, int] = {}
        self.closed_dms: set[int] = set()
        self.guild_channels: set[int] = set()
        self.events: dict[int, dict[str, Any]] = {}
        self.members: dict[tuple[int, int], list[int]] = {}
        self.roles: dict[int, list[dict[str, Any]]] = {}
        self.guild_locales: dict[int, tuple[str, list[str]]] = {}
        """Per guild: its `preferred_locale` and `features` (default: en-US, none)."""
        self.commands: dict[str, list[dict[str, Any]]] = {}
        """Registered slash commands by scope: "global" or the guild id."""
        self.token: str | None = None
        """Set → calls must carry `Authorization: Bot <token>`, else 401 (like Discord)."""
        self.callbacks: list[dict[str, Any]] = []
        self.followups: list[dict[str, Any]] = []
        self.injected: list[tuple[str, re.Pattern[str], float]] = []
        self.global_429s = 0
        self.route_429s = 0
        self.nonce_hits = 0
        self._nonces: dict[tuple[int, str], tuple[int, float]] = {}
        self._starts: deque[float] = deque()
        self._buckets: dict[str, Bucket] = {}
        self._headers: dict[str, str] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base = ""
        self.upload_limit = UPLOAD_LIMIT
        self.uploads: dict[int, bytes] = {}
        """Attachment id → the bytes uploaded with it."""
        self._incoming: list[Upload] = []
        """The files of the request being answered (attached to the message it creates)."""

    # lifecycle --------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(middlewares=recording_middlewares("discord"))
        app.router.add_get("/_fake/stats", self._stats)
        app.router.add_post("/_fake/advance", self._advance)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}/api/v10"
        return self.base

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # helpers for tests ------------------------------------------------------------------
    def add_guild(
        self,
        guild_id: int,
        roles: dict[str, int],
        channels: list[int],
        admin_role: int | None = None,
    ) -> None:
        """Register a guild's text channels and roles (name → id); @everyone has its id."""
        self.guild_channels.update(channels)
        self.roles[guild_id] = [
            {"id": str(guild_id), "name": "@everyone", "permissions": "0", "position": 0}
        ] + [
            {
                "id": str(rid),
                "name": name,
                "permissions": str(8 if rid == admin_role else 0),
                "position": i + 1,
            }
            for i, (name, rid) in enumerate(roles.items())
        ]

    def add_member(self, guild_id: int, user_id: int, role_ids: list[int]) -> None:
        self.members[(guild_id, user_id)] = role_ids

    def inject_429(
        self, method: str, path_pattern: str, retry_after: float = 0.001, times: int = 1
    ) -> None:
        """Answer the next `times` matching requests with a 429 (a route's, with its
        headers and body)."""
        for _ in range(times):
            self.injected.append((method, re.compile(path_pattern), retry_after))

    def advance(self, seconds: float) -> None:
        """Move the nonce clock on (a process that was down for a while)."""
        self.clock_offset += seconds

    def now(self) -> float:
        return self._clock() + self.clock_offset

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        regex = re.compile(pattern)
        return [c for c in self.calls if c.method == method and regex.fullmatch(c.path)]

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        return list(self._by_channel.get(str(channel_id), []))

    def dms_to(self, user_id: int) -> list[dict[str, Any]]:
        channel = self.dm_channels.get(user_id)
        return [] if channel is None else self.channel_messages(channel)

    async def wait_for(self, predicate: Callable[[], bool], within: float = 10.0) -> None:
        """Until `predicate()` holds (re-checked after each request); fails after `within` s."""

        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(until(), within)

    async def _advance(self, request: web.Request) -> web.Response:
        self.advance(float(request.query["seconds"]))
        return _json({"now": self.now()})

    async def _stats(self, request: web.Request) -> web.Response:
        """What a benchmark in another process needs to know (not part of Discord's API)."""
        return _json(self.stats())

    def stats(self) -> dict[str, Any]:
        per_user = {
            str(u): len(self._by_channel.get(str(c), [])) for u, c in self.dm_channels.items()
        }
        return {
            "dm_messages": per_user,
            "requests": len(self.calls),
            "dm_opens": len(self.calls_to("POST", r"/users/@me/channels")),
            "global_429s": self.global_429s,
            "route_429s": self.route_429s,
            "nonce_hits": self.nonce_hits,
            "history_reads": len(self.calls_to("GET", r"/channels/\d+/messages")),
        }

    # the API ----------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[Upload] = []
        response: web.Response | None = None
        if request.content_type == "multipart/form-data":
            body, files, response = await self._multipart(request)
        else:
            raw = await request.read()
            body = json.loads(raw) if raw and "json" in request.content_type else None
        response = response or self._unauthorized(path, request.headers.get("Authorization"))
        if response is None:
            response = self._limited(request.method, path) or self._against_spec(
                request.method, path, body
            )
        if response is None:
            self._incoming = files
            try:
                response = self._route(request.method, path, body, request)
            except KeyError:
                response = _json({"message": "Unknown", "code": 10000}, 404)
            finally:
                self._incoming = []
        call = Call(request.method, path, body, response.status, time.monotonic())
        self.calls.append(call)
        if response.status == 400:
            call.answer = json.loads(response.body)  # type: ignore[arg-type]
            self.refusals.append(call)
        async with self._changed:
            self._changed.notify_all()
        return response

    async def _multipart(
        self, request: web.Request
    ) -> tuple[dict[str, Any] | None, list[Upload], web.Response | None]:
        """A multipart message: its `payload_json`, its `files[n]`, or Discord's refusal."""
        payload: dict[str, Any] | None = None
        files: list[Upload] = []
        errors: dict[str, Any] = {}
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader):
                return None, [], _json(invalid({"_multipart": _error("nested multipart")}), 400)
            name = part.name or ""
            data = await part.read()
            if name == "payload_json":
                try:
                    payload = json.loads(data)
                except ValueError:
                    payload = None
                if not isinstance(payload, dict):
                    answer = {"message": "The request body contains invalid JSON.", "code": 50109}
                    return None, [], _json(answer, 400)
            elif (match := FILE_PART.fullmatch(name)) is not None:
                if not part.filename:
                    errors[name] = _error("a file needs a filename")
                    continue
                kind = part.headers.get("Content-Type", "application/octet-stream")
                files.append(Upload(int(match.group(1)), part.filename, bytes(data), kind))
            else:
                errors[name or "_part"] = _error(f"unknown form field {name!r}")
        if sum(len(f.data) for f in files) > self.upload_limit:
            return None, [], _json({"message": "Request entity too large", "code": 40005}, 413)
        indexes = {f.index for f in files}
        for i, attachment in enumerate((payload or {}).get("attachments") or []):
            ref = attachment.get("id") if isinstance(attachment, dict) else None
            if ref is None or int(ref) not in indexes:
                errors.setdefault("attachments", {})[str(i)] = _error("no files[n] with that id")
        if errors:
            return None, [], _json(invalid(errors), 400)
        return payload or {}, files, None

    def attachments_to(self, user_id: int) -> list[tuple[str, bytes]]:
        """(filename, bytes) of every file sent to the user by DM, oldest first."""
        return [
            (a["filename"], self.uploads[int(a["id"])])
            for message in self.dms_to(user_id)
            for a in message.get("attachments") or []
        ]

    def _unauthorized(self, path: str, authorization: str | None) -> web.Response | None:
        """Discord's 401 for a bot call without `Bot <token>` (only when `token` is set;
        interaction callbacks and webhooks carry their own token in the path)."""
        if self.token is None or EXEMPT.match(path) or authorization == f"Bot {self.token}":
            return None
        return _json({"message": "401: Unauthorized", "code": 0}, 401)

    def _against_spec(self, method: str, path: str, body: Any) -> web.Response | None:
        """Discord's 404 for a route its description lacks, its 400 "Invalid Form Body" for
        a body that doesn't match the route's request schema, else None."""
        route = self.spec.route(method, path)
        if route is None:
            return _json({"message": "404: Not Found", "code": 0}, 404)
        errors = self.spec.errors(route, body)
        return _json(invalid(errors), 400) if errors else None

    def _limited(self, method: str, path: str) -> web.Response | None:
        """A 429 when a limit is exceeded, else None (and the bucket headers are queued)."""
        for i, (m, pattern, retry_after) in enumerate(self.injected):
            if m == method and pattern.fullmatch(path):
                del self.injected[i]
                self.route_429s += 1
                return self._too_many(retry_after, is_global=False)
        self._headers = {}
        if EXEMPT.match(path):
            return None
        now = time.monotonic()
        while self._starts and self._starts[0] <= now - self.window:
            self._starts.popleft()
        if len(self._starts) >= self.global_limit:
            self.global_429s += 1
            return self._too_many(self._starts[0] + self.window - now, is_global=True)
        bucket = self._bucket(method, path)
        if bucket is not None:
            key, state = bucket
            if now >= state.reset_at:
                state.remaining, state.reset_at = state.limit, now + state.per
            if state.remaining <= 0:
                self.route_429s += 1
                return self._too_many(state.reset_at - now, is_global=False)
            state.remaining -= 1
            reset_after = state.reset_at - now
            self._headers = {
                "X-RateLimit-Limit": str(state.limit),
                "X-RateLimit-Remaining": str(state.remaining),
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": key.split(":")[0],
            }
        self._starts.append(now)
        return None

    def _bucket(self, method: str, path: str) -> tuple[str, Bucket] | None:
        if not self.route_limits:
            return None
        for m, pattern, name, limit, per in ROUTE_LIMITS:
            match = re.fullmatch(pattern, path)
            if m == method and match:
                key = f"{name}:{match.group(1)}"
                if key not in self._buckets:
                    self._buckets[key] = Bucket(limit, per * self.window)
                return key, self._buckets[key]
        return None

    def _too_many(self, retry_after: float, is_global: bool) -> web.Response:
        retry_after = max(retry_after, 0.0)
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers |= {
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Bucket": "messages",
            }
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 4),
            "global": is_global,
        }
        return _json(body, 429, headers)

    def _route(self, method: str, path: str, body: Any, request: web.Request) -> web.Response:
        routes: list[tuple[str, str, Callable[..., web.Response]]] = [
            ("GET", r"/users/@me", lambda: _json(BOT_USER)),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("PUT", r"/applications/\d+/commands", lambda: self._put_commands("global", body)),
            ("GET", r"/applications/\d+/commands", lambda: _json(self.commands.get("global", []))),
            (
                "GET",
                r"/applications/\d+/guilds/(\d+)/commands",
                lambda g: _json(self.commands.get(g, [])),
            ),
            (
                "PUT",
                r"/applications/\d+/guilds/(\d+)/commands",
                lambda g: self._put_commands(g, body),
            ),
            ("POST", r"/users/@me/channels", lambda: self._open_dm(body)),
            ("POST", r"/channels/(\d+)/messages", lambda c: self._create_message(int(c), body)),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", lambda c, m: self._edit(int(m), body)),
            ("GET", r"/channels/(\d+)/messages/(\d+)", lambda c, m: _json(self.messages[int(m)])),
            ("GET", r"/channels/(\d+)/messages", lambda c: self._list_messages(c, request)),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", lambda i, t: self._callback(i, body)),
            ("POST", r"/webhooks/(\d+)/([^/]+)", lambda a, t: self._followup(t, body)),
            (
                "PATCH",
                r"/webhooks/(\d+)/([^/]+)/messages/(.+)",
                lambda a, t, m: self._followup(t, body),
            ),
            ("POST", r"/guilds/(\d+)/scheduled-events", lambda g: self._create_event(g, body)),
            (
                "PATCH",
                r"/guilds/(\d+)/scheduled-events/(\d+)",
                lambda g, e: self._edit_event(e, body),
            ),
            (
                "GET",
                r"/guilds/(\d+)/scheduled-events/(\d+)",
                lambda g, e: _json(self.event(int(e))),
            ),
            ("GET", r"/guilds/(\d+)/members/(\d+)", self._member),
            ("GET", r"/guilds/(\d+)/roles", lambda g: _json(self.roles.get(int(g), []))),
            ("GET", r"/guilds/(\d+)", lambda g: self._guild(int(g))),
        ]
        for m, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if m == method and match:
                response = handler(*match.groups())
                response.headers.update(self._headers)
                return response
        return _json({"message": f"404: Not Found {method} {path}", "code": 0}, 404)

    def _application(self) -> web.Response:
        return _json(
            {
                "id": str(APP_ID),
                "name": "dojobot",
                "icon": None,
                "description": "",
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": user_payload(1, "owner"),
                "verify_key": "00" * 32,
                "flags": 0,
            }
        )

    def _put_commands(self, scope: str, body: list[dict[str, Any]]) -> web.Response:
        stored = [
            {**c, "id": str(snowflake()), "application_id": str(APP_ID), "version": "1"}
            for c in body
        ]
        self.commands[scope] = stored
        return _json(stored)

    def _open_dm(self, body: dict[str, Any]) -> web.Response:
        user_id = int(body["recipient_id"])
        channel = self.dm_channels.setdefault(user_id, snowflake())
        self._dm_users[channel] = user_id
        return _json({"id": str(channel), "type": 1, "recipients": [user_payload(user_id, "u")]})

    def _message(self, channel_id: int, body: dict[str, Any], flags: int = 0) -> dict[str, Any]:
        message_id = snowflake()
        message = bot_message(message_id, channel_id, body, 0, flags)
        message["nonce"] = body.get("nonce")
        message["attachments"] = [self._attachment(upload) for upload in self._incoming]
        self.messages[message_id] = message
        self._by_channel.setdefault(str(channel_id), []).append(message)
        return message

    def _attachment(self, upload: Upload) -> dict[str, Any]:
        """An attachment object as Discord returns it (the bytes kept in `uploads`)."""
        attachment_id = snowflake()
        self.uploads[attachment_id] = upload.data
        return {
            "id": str(attachment_id),
            "filename": upload.filename,
            "size": len(upload.data),
            "url": f"{self.base}/_fake/attachments/{attachment_id}/{upload.filename}",
            "proxy_url": f"{self.base}/_fake/attachments/{attachment_id}/{upload.filename}",
            "content_type": upload.content_type,
        }

    def _create_message(self, channel_id: int, body: dict[str, Any]) -> web.Response:
        if errors := message_errors(body):
            return _json(invalid(errors), 400)
        user = self._dm_users.get(channel_id)
        if user is None and channel_id not in self.guild_channels:
            return _json({"message": "Unknown Channel", "code": 10003}, 404)
        if user is not None and user in self.closed_dms:
            return _json({"message": "Cannot send messages to this user", "code": 50007}, 403)
        nonce = body.get("nonce")
        now = self.now()
        if nonce and body.get("enforce_nonce"):
            known = self._nonces.get((channel_id, nonce))
            if known is not None and now - known[1] < self.nonce_window:
                self.nonce_hits += 1
                return _json(self.messages[known[0]])
        message = self._message(channel_id, body)
        if nonce:
            self._nonces[(channel_id, nonce)] = (int(message["id"]), now)
        return _json(message)

    def _list_messages(self, channel: str, request: web.Request) -> web.Response:
        """The newest `limit` (1-100, default 50) messages, newest first; no nonces."""
        if int(channel) not in self._dm_users and int(channel) not in self.guild_channels:
            return _json({"message": "Unknown Channel", "code": 10003}, 404)
        try:
            limit = int(request.query.get("limit", "50"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            return _json(
                {"message": "Invalid Form Body", "code": 50035, "errors": {"limit": {}}}, 400
            )
        newest = list(reversed(self._by_channel.get(channel, [])))[:limit]
        return _json([{k: v for k, v in m.items() if k != "nonce"} for m in newest])

    def _edit(self, message_id: int, body: dict[str, Any]) -> web.Response:
        message = self.messages[message_id]
        if errors := message_errors(body):
            return _json(invalid(errors), 400)
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key]
        message["edited_timestamp"] = _now_iso()
        return _json(message)

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> web.Response:
        if errors := callback_errors(body):
            return _json(invalid(errors), 400)
        self.callbacks.append({"interaction_id": interaction_id, **body})
        kind = body["type"]
        data = body.get("data") or {}
        ephemeral = bool(int(data.get("flags") or 0) & 64)
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": ephemeral,
            }
        }
        if kind in (4, 5):
            message = self._message(0, data, 64 if ephemeral else 0)
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return _json(answer)

    def _followup(self, token: str, body: dict[str, Any]) -> web.Response:
        if errors := message_errors(body):
            return _json(invalid(errors), 400)
        self.followups.append({"token": token, **body})
        return _json(self._message(0, body))

    def _create_event(self, guild: str, body: dict[str, Any]) -> web.Response:
        if errors := event_errors(body):
            return _json(invalid(errors), 400)
        event_id = snowflake()
        event = {
            **body,
            "id": str(event_id),
            "guild_id": guild,
            "channel_id": None,
            "creator_id": str(BOT_ID),
            "status": 1,
            "entity_id": None,
            "user_count": 0,
        }
        self.events[event_id] = event
        return _json(event)

    def _edit_event(self, event_id: str, body: dict[str, Any]) -> web.Response:
        event = self.event(int(event_id))
        if event["status"] in (limits.COMPLETED, limits.CANCELED):
            return _json({"message": "Cannot update a finished event", "code": 180000}, 400)
        errors = event_errors(body)
        status = body.get("status")
        if status is not None and (event["status"], status) not in limits.EVENT_TRANSITIONS:
            change = f"Cannot change the status from {event['status']} to {status}"
            errors["status"] = {
                "_errors": [{"code": "GUILD_SCHEDULED_EVENT_INVALID_STATUS", "message": change}]
            }
        if errors:
            return _json(invalid(errors), 400)
        event.update(body)
        return _json(event)

    def event(self, event_id: int) -> dict[str, Any]:
        """A Scheduled Event as Discord has it now: an EXTERNAL one is ACTIVE from its start
        and COMPLETED from its end (by `wall_clock`), as Discord moves them by itself."""
        event = self.events[event_id]
        if event.get("entity_type") == 3:
            now = self.wall_clock()
            start = datetime.fromisoformat(event["scheduled_start_time"])
            end = datetime.fromisoformat(event["scheduled_end_time"])
            if event["status"] == limits.SCHEDULED and now >= start:
                event["status"] = limits.ACTIVE
            if event["status"] == limits.ACTIVE and now >= end:
                event["status"] = limits.COMPLETED
        return event

    def _guild(self, guild_id: int) -> web.Response:
        """GET /guilds/{id}: the guild with its `preferred_locale` and `features`."""
        if guild_id not in self.roles:
            return _json({"message": "Unknown Guild", "code": 10004}, 404)
        locale, features = self.guild_locales.get(guild_id, ("en-US", []))
        channels = sorted(self.guild_channels)
        guild = guild_create(guild_id, self.roles[guild_id], channels)
        guild |= {"preferred_locale": locale, "features": features}
        for key in ("channels", "members", "threads", "presences", "voice_states"):
            guild.pop(key, None)
        return _json(guild)

    def _member(self, guild: str, user: str) -> web.Response:
        roles = self.members[(int(guild), int(user))]
        return _json(
            {
                "user": user_payload(int(user), f"user{user}"),
                "roles": [str(r) for r in roles],
                "joined_at": _now_iso(),
                "deaf": False,
                "mute": False,
                "flags": 0,
                "nick": None,
            }
        )


# gateway payloads ---------------------------------------------------------------------


def guild_create(guild_id: int, roles: list[dict[str, Any]], channel_ids: list[int]):
    """A GUILD_CREATE as the gateway sends it (the client caches guild, roles, channels)."""
    return {
        "id": str(guild_id),
        "name": "Dojo",
        "icon": None,
        "owner_id": "1",
        "roles": [
            {
                **r,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
            for r in roles
        ],
        "channels": [
            {"id": str(c), "type": 0, "name": f"dojo-{c}", "position": i, "guild_id": str(guild_id)}
            for i, c in enumerate(channel_ids)
        ],
        "members": [],
        "emojis": [],
        "stickers": [],
        "features": [],
        "member_count": 10,
        "large": False,
        "unavailable": False,
        "threads": [],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
    }


@dataclass
class Person:
    """A Discord user in the test guild."""

    user_id: int
    name: str
    role_ids: list[int] = field(default_factory=list)
    permissions: int = 0
    locale: str = "en-US"
    """Their Discord client's language (the interaction's `locale`)."""


def _base(
    kind: int,
    person: Person,
    guild_id: int | None,
    channel_id: int,
    data: dict[str, Any],
    guild_locale: str = "en-US",
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"token-{snowflake()}",
        "version": 1,
        "data": data,
        "locale": person.locale,
        "app_permissions": "0",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)} if guild_id else {},
        "attachment_size_limit": 8 * 1024 * 1024,
        "channel_id": str(channel_id),
    }
    user = user_payload(person.user_id, person.name)
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
        payload["guild_locale"] = guild_locale
        payload["context"] = 0
        payload["channel"] = {"id": str(channel_id), "type": 0, "guild_id": str(guild_id)}
        payload["member"] = {
            "user": user,
            "roles": [str(r) for r in person.role_ids],
            "permissions": str(person.permissions),
            "nick": None,
            "joined_at": _now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
        }
    else:
        payload["context"] = 1
        payload["channel"] = {"id": str(channel_id), "type": 1, "recipients": [user]}
        payload["user"] = user
    return payload


def _option(name: str, value: Any, focused: bool) -> dict[str, Any]:
    kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
    option = {"name": name, "type": kind, "value": value}
    if focused:
        option["focused"] = True
    return option


def slash_command(
    name: str,
    person: Person,
    guild_id: int,
    channel_id: int,
    focused: str | None = None,
    guild_locale: str = "en-US",
    **options: Any,
) -> dict[str, Any]:
    """INTERACTION_CREATE for `/name option:value…` (type 2), or autocomplete (type 4) when
    `focused` names the option being typed. A `Person` as a value is a USER option (type 6),
    resolved the way Discord resolves it (`data.resolved.users` / `members`)."""
    people = {k: v for k, v in options.items() if isinstance(v, Person)}
    data: dict[str, Any] = {
        "id": str(snowflake()),
        "name": name,
        "type": 1,
        "guild_id": str(guild_id),
        "options": [
            {"name": k, "type": 6, "value": str(v.user_id)}
            if isinstance(v, Person)
            else _option(k, v, k == focused)
            for k, v in options.items()
        ],
    }
    if people:
        data["resolved"] = {
            "users": {str(p.user_id): user_payload(p.user_id, p.name) for p in people.values()},
            "members": {
                str(p.user_id): {
                    "roles": [str(r) for r in p.role_ids],
                    "permissions": str(p.permissions),
                    "nick": None,
                    "joined_at": _now_iso(),
                    "flags": 0,
                }
                for p in people.values()
            },
        }
    return _base(4 if focused else 2, person, guild_id, channel_id, data, guild_locale)


def button_press(
    custom_id: str,
    person: Person,
    guild_id: int | None,
    channel_id: int,
    message: dict[str, Any],
) -> dict[str, Any]:
    """INTERACTION_CREATE for a button (type 3) on `message`, in a guild or a DM."""
    payload = _base(3, person, guild_id, channel_id, {"custom_id": custom_id, "component_type": 2})
    payload["message"] = message
    return payload


def answer_message(answer: dict[str, Any], channel_id: int) -> dict[str, Any]:
    """The message an interaction answer (a callback of type 4 or 7, or a follow-up) shows,
    as Discord puts it into the next interaction on one of its components."""
    return bot_message(snowflake(), channel_id, answer.get("data", answer), 20)


def select_choice(
    custom_id: str,
    values: list[str],
    person: Person,
    guild_id: int | None,
    channel_id: int,
    message: dict[str, Any],
) -> dict[str, Any]:
    """INTERACTION_CREATE for a string select (type 3, component_type 3) on `message`: the
    values the member left selected when they closed the menu."""
    data = {"custom_id": custom_id, "component_type": 3, "values": values}
    payload = _base(3, person, guild_id, channel_id, data)
    payload["message"] = message
    return payload


def modal_submit(
    custom_id: str, person: Person, guild_id: int, channel_id: int, values: dict[str, str]
) -> dict[str, Any]:
    """INTERACTION_CREATE for a submitted modal (type 5): Labels wrapping text inputs."""
    components = [
        {"type": 18, "id": i + 1, "component": {"type": 4, "custom_id": cid, "value": value}}
        for i, (cid, value) in enumerate(values.items())
    ]
    return _base(
        5, person, guild_id, channel_id, {"custom_id": custom_id, "components": components}
    )


def scheduled_event_user_add(guild_id: int, event_id: int, user_id: int) -> dict[str, Any]:
    return {
        "guild_id": str(guild_id),
        "guild_scheduled_event_id": str(event_id),
        "user_id": str(user_id),
    }


async def _serve(global_limit: int, window: float) -> None:
    fake = FakeDiscord(global_limit, window)
    print(await fake.start(), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":  # a fake in its own process, for benchmarks
    import sys

    asyncio.run(_serve(int(sys.argv[1]), float(sys.argv[2])))

"""A fake Slack: the Web API our bot calls, and the signed requests Slack sends us.

`FakeSlackApi` is an aiohttp app on an ephemeral loopback port answering `/api/<method>`
like Slack does (JSON, form or query arguments; realistic bodies: message `ts`, DM channel
ids, users.info with `tz`) and recording every call; `/respond/<n>` plays the interactions'
response_url. Errors and 429 bursts can be injected. Every `blocks`/`view` it receives is
validated like Slack does (adapters/slack/limits.py: slack_sdk's Block Kit models plus the
documented limits they don't check) and refused with Slack's `invalid_blocks` /
`invalid_arguments` answer, `errors` and `response_metadata.messages`. Messages keep their
`metadata`, which conversations.history returns (newest first) only with
`include_all_metadata`, as Slack does; Slack has no idempotency key, so a message posted
twice is there twice. File uploads follow Slack's three steps (what slack_sdk's
`files_upload_v2` does): files.getUploadURLExternal (filename and a positive length
required, `files:write` scope) hands out an upload URL on this fake's own port; the bytes
POSTed there must be exactly that length; files.completeUploadExternal shares uploaded
files (each once) into `channel_id`. `SlackSender` signs and POSTs slash commands, button
clicks and modal submissions to our real server, as Slack would.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from slack_sdk.signature import SignatureVerifier

from adapters.slack.limits import MESSAGE_TEXT_MAX, block_problems, view_problems
from adapters.slack.scopes import BOT_SCOPES
from tests.fakes.recording import recording_middlewares

TEAM = "T0DOJO"
BOT_USER = "U0BOT"
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-A0DOJO-1-test-token"
"""The app-level token: the only one `apps.connections.open` takes (Socket Mode)."""
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


@dataclass
class Call:
    """One Web API call as the fake received it."""

    method: str
    args: dict[str, Any]
    http_method: str
    authorization: str | None
    result: dict[str, Any] = field(default_factory=dict)
    """What the fake answered (e.g. the posted message's `ts`)."""


@dataclass
class Message:
    """A message the bot posted (and its later edits)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    edits: int = 0
    metadata: dict[str, Any] | None = None


@dataclass
class SlackFile:
    """A file announced with files.getUploadURLExternal (its bytes once uploaded; the
    channel once completed)."""

    id: str
    filename: str
    length: int
    upload_key: str
    data: bytes | None = None
    title: str | None = None
    channel: str | None = None
    initial_comment: str | None = None


@dataclass
class FakeUser:
    id: str
    name: str
    tz: str = "UTC"
    locale: str = "en-US"
    """users.info answers it only with `include_locale=true`, as Slack does."""
    is_restricted: bool = False
    is_ultra_restricted: bool = False
    is_bot: bool = False


@dataclass
class Injected:
    error: str | None = None
    status: int = 200
    retry_after: int | None = None


@dataclass
class FakeSlackApi:
    """The Slack Web API on loopback; see the module docstring."""

    users: dict[str, FakeUser] = field(default_factory=dict)
    usergroups: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """group id → (handle, user ids)."""
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[str, str], Message] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    """Bodies POSTed to response_urls."""
    expired_triggers: set[str] = field(default_factory=set)
    scopes: list[str] = field(default_factory=lambda: list(BOT_SCOPES))
    """The bot token's scopes, answered in the `x-oauth-scopes` header as Slack does."""
    refused_responses: list[dict[str, Any]] = field(default_factory=list)
    """response_url bodies refused for invalid blocks."""
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Open modals by view id (views.open, views.update)."""
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each user's App Home tab as last published (views.publish)."""
    files: dict[str, SlackFile] = field(default_factory=dict)
    """Files by id, from files.getUploadURLExternal on."""
    socket_url: str | None = None
    open_socket: Callable[[], str] | None = None
    """Issues a fresh Socket Mode URL (tests/fakes/slack_socket_mode.py)."""

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._injected: dict[str, list[Injected]] = {}
        self._changed = asyncio.Event()
        self._server: TestServer | None = None

    # lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(middlewares=recording_middlewares("slack"))
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{n}", self._respond)
        app.router.add_post("/upload/v1/{key}", self._upload)
        app.router.add_get("/_fake/stats", self._stats)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/api/"))

    def response_url(self, n: int | str) -> str:
        assert self._server is not None
        return str(self._server.make_url(f"/respond/{n}"))

    # set-up and injection ----------------------------------------------------------------
    def add_user(
        self, user_id: str, name: str, tz: str = "UTC", locale: str = "en-US", **flags: bool
    ) -> FakeUser:
        user = FakeUser(user_id, name, tz, locale, **flags)
        self.users[user_id] = user
        return user

    def fail_next(self, method: str, error: str, times: int = 1) -> None:
        """The next `times` calls of `method` answer `{"ok": false, "error": error}`."""
        self._injected.setdefault(method, []).extend(Injected(error=error) for _ in range(times))

    def rate_limit_next(self, method: str, times: int, retry_after: int = 1) -> None:
        """The next `times` calls of `method` answer HTTP 429 with `Retry-After`."""
        self._injected.setdefault(method, []).extend(
            Injected(status=429, error="ratelimited", retry_after=retry_after) for _ in range(times)
        )

    # queries -----------------------------------------------------------------------------
    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def dms_to(self, user_id: str) -> list[Call]:
        """chat.postMessage calls into the DM channel of `user_id`."""
        return [c for c in self.calls_of("chat.postMessage") if c.args["channel"] == f"D{user_id}"]

    def channel_posts(self, channel: str) -> list[Call]:
        return [c for c in self.calls_of("chat.postMessage") if c.args["channel"] == channel]

    def messages_in(self, channel: str) -> list[Message]:
        """Messages that exist in `channel` (a call answered 429 created none)."""
        return [m for (c, _), m in self.messages.items() if c == channel]

    def refusals(self) -> list[Any]:
        """Calls and response_url bodies refused for blocks or a view Slack would not take."""
        refused = [
            c
            for c in self.calls
            if c.result.get("error") in ("invalid_blocks", "invalid_arguments")
        ]
        return [*refused, *self.refused_responses]

    def files_in(self, channel: str) -> list[SlackFile]:
        """Files shared into `channel` (completed uploads), oldest first."""
        return [f for f in self.files.values() if f.channel == channel]

    def message(self, channel: str, ts: str) -> Message:
        return self.messages[(channel, ts)]

    async def wait_for(self, condition: Callable[[], bool], within: float = 5.0) -> None:
        """Wait until `condition()` holds, re-checking after every call the fake receives."""
        async with asyncio.timeout(within):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    # HTTP --------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if request.content_type == "application/json":
                args.update(json.loads(raw))
            else:
                args.update(parse_qsl(raw))
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        call = Call(method, args, request.method, request.headers.get("Authorization"))
        self.calls.append(call)
        self._changed.set()
        token_error = _token_refusal(method, request.headers.get("Authorization"))
        if token_error is not None:
            call.result = {"error": token_error}
            return web.json_response({"ok": False, "error": token_error})
        bot_call = method not in APP_TOKEN_METHODS
        if bot_call and request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        queue = self._injected.get(method)
        if queue:
            injected = queue.pop(0)
            headers = (
                {"Retry-After": str(injected.retry_after)}
                if injected.retry_after is not None
                else {}
            )
            return web.json_response(
                {"ok": False, "error": injected.error}, status=injected.status, headers=headers
            )
        refusal = _refusal(method, args)
        if refusal is not None:
            call.result = refusal
            return web.json_response({"ok": False, **refusal})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        body = handler(args) if handler else {}
        call.result = body
        scopes = {"x-oauth-scopes": ",".join(self.scopes)}  # Slack lists the token's scopes
        if "error" in body:
            return web.json_response({"ok": False, **body}, headers=scopes)
        return web.json_response({"ok": True, **body}, headers=scopes)

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        problems = block_problems(body["blocks"]) if "blocks" in body else []
        if problems:  # Slack answers a response_url with bad blocks 400 `invalid_blocks`
            self.refused_responses.append(body)
            self._changed.set()
            return web.Response(status=400, text="invalid_blocks")
        body["_url"] = request.match_info["n"]
        self.responses.append(body)
        self._changed.set()
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """Step 2 of an upload: the bytes, raw or multipart (a `file`/`filename` part), to
        the URL files.getUploadURLExternal issued; anything else is refused with a 4xx."""
        key = request.match_info["key"]
        found = next((f for f in self.files.values() if f.upload_key == key), None)
        if found is None:
            return web.Response(status=404, text="upload URL not found")
        if found.data is not None:
            return web.Response(status=400, text="already uploaded")
        if request.content_type.startswith("multipart/"):
            data = b""
            async for part in await request.multipart():
                if isinstance(part, aiohttp.BodyPartReader) and part.name in ("file", "filename"):
                    data = await part.read()
        else:
            data = await request.read()
        self._changed.set()
        if len(data) != found.length:
            return web.Response(
                status=400, text=f"length mismatch: announced {found.length}, got {len(data)}"
            )
        found.data = data
        return web.Response(text=f"OK - {len(data)}")

    # per-method bodies -----------------------------------------------------------------
    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        """Step 1 of an upload: `filename` and `length` (> 0) required, `files:write`."""
        if "files:write" not in self.scopes:
            return {
                "error": "missing_scope",
                "needed": "files:write",
                "provided": ",".join(self.scopes),
            }
        filename = str(args.get("filename") or "")
        raw_length = args.get("length")
        if not filename or raw_length in (None, "", "0", 0):
            return {"error": "missing_argument"}
        try:
            length = int(raw_length)
        except (TypeError, ValueError):
            return {"error": "invalid_arguments"}
        if length <= 0:
            return {"error": "invalid_arguments"}
        file_id = f"F0{next(self._file_ids):08d}"
        key = secrets.token_urlsafe(12)
        self.files[file_id] = SlackFile(file_id, filename, length, key)
        assert self._server is not None
        return {"upload_url": str(self._server.make_url(f"/upload/v1/{key}")), "file_id": file_id}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        """Step 3: `files` (a JSON array of `{id, title?}`), each uploaded and not yet
        completed; `channel_id` a channel or a DM channel the bot has."""
        raw = args.get("files")
        if not raw:
            return {"error": "missing_argument"}
        try:
            items = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError:
            return {"error": "invalid_arguments"}
        if not isinstance(items, list) or not items:
            return {"error": "invalid_arguments"}
        if not all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in items):
            return {"error": "invalid_arguments"}
        chosen = [self.files.get(item["id"]) for item in items]
        if any(f is None or f.data is None or f.channel is not None for f in chosen):
            return {"error": "file_not_found"}
        channel = args.get("channel_id") or None
        if channel is not None and not _known_channel(str(channel), self.users):
            return {"error": "channel_not_found"}
        shared: list[dict[str, Any]] = []
        for item, found in zip(items, chosen, strict=True):
            assert found is not None and found.data is not None
            found.title = str(item.get("title") or found.filename)
            found.channel = None if channel is None else str(channel)
            found.initial_comment = args.get("initial_comment")
            shared.append(
                {
                    "id": found.id,
                    "name": found.filename,
                    "title": found.title,
                    "size": len(found.data),
                    "user": BOT_USER,
                    "is_public": False,
                }
            )
        return {"files": shared}

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://dojo.slack.com/",
            "team": "Dojo",
            "user": "dojobot",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": "B0BOT",
            "is_enterprise_install": False,
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(args.get("user", ""))
        if user is None:
            return {"error": "user_not_found"}
        answer: dict[str, Any] = {
            "id": user.id,
            "team_id": TEAM,
            "name": user.name.lower(),
            "real_name": user.name,
            "deleted": False,
            "tz": user.tz,
            "tz_label": user.tz,
            "tz_offset": 0,
            "is_bot": user.is_bot,
            "is_restricted": user.is_restricted,
            "is_ultra_restricted": user.is_ultra_restricted,
            "profile": {"display_name": user.name, "real_name": user.name},
        }
        if _truthy(args.get("include_locale")):  # Slack: `locale` only when asked for
            answer["locale"] = user.locale
        return {"user": answer}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users", ""))
        if users not in self.users:
            return {"error": "user_not_found"}
        return {"channel": {"id": f"D{users}"}}

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args["channel"])
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        if metadata is not None and not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and isinstance(metadata.get("event_payload"), dict)
        ):
            return {"error": "invalid_metadata_format"}
        ts = self._next_ts()
        text = str(args.get("text", ""))[:MESSAGE_TEXT_MAX]  # Slack cuts, it doesn't refuse
        self.messages[(channel, ts)] = Message(
            channel, ts, text, args.get("blocks", []), metadata=metadata
        )
        return {
            "channel": channel,
            "ts": ts,
            "message": _message_shape(self.messages[(channel, ts)]),
        }

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """The channel's messages, newest first, `limit` of them (default 100, at most 999)
        after `oldest` if given; `metadata` only with `include_all_metadata`."""
        channel = str(args.get("channel", ""))
        found = [m for (c, _), m in self.messages.items() if c == channel]
        if not found and channel.removeprefix("D") not in self.users:
            return {"error": "channel_not_found"}
        try:
            limit = min(int(args.get("limit") or 100), 999)
            oldest = float(args.get("oldest") or 0)
        except ValueError:
            return {"error": "invalid_arguments"}
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        newest_first = sorted(
            (m for m in found if float(m.ts) > oldest), key=lambda m: float(m.ts), reverse=True
        )
        page = [
            {
                "type": "message",
                "user": BOT_USER,
                "bot_id": "B0BOT",
                "app_id": "A0DOJO",
                "text": m.text,
                "ts": m.ts,
                "blocks": m.blocks,
                **({"metadata": m.metadata} if with_metadata and m.metadata else {}),
            }
            for m in newest_first[:limit]
        ]
        return {
            "messages": page,
            "has_more": len(newest_first) > limit,
            "pin_count": 0,
            "response_metadata": {"next_cursor": ""},
        }

    def stats(self) -> dict[str, Any]:
        """What a benchmark in another process needs to know (not part of Slack's API)."""
        per_channel: dict[str, int] = {}
        for channel, _ in self.messages:
            per_channel[channel] = per_channel.get(channel, 0) + 1
        return {
            "messages": per_channel,
            "requests": len(self.calls),
            "history_calls": len(self.calls_of("conversations.history")),
        }

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args["channel"]), str(args["ts"]))
        message = self.messages.get(key)
        if message is None:
            return {"error": "message_not_found"}
        message.text = str(args.get("text", ""))[:MESSAGE_TEXT_MAX]
        message.blocks = args.get("blocks", [])
        message.edits += 1
        return {
            "channel": key[0],
            "ts": key[1],
            "text": message.text,
            "message": _message_shape(message),
        }

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("trigger_id") in self.expired_triggers:
            return {"error": "expired_trigger_id"}
        view = {**args["view"], "id": f"V{len(self.calls)}", "hash": "h1"}
        self.views[view["id"]] = view
        return {"view": view}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        """Replace an open modal by its `view_id` (or `external_id`); a stale `hash` is
        refused with `hash_conflict`, as Slack does."""
        found = self.views.get(str(args.get("view_id", "")))
        if found is None:
            return {"error": "not_found"}
        if args.get("hash") and args["hash"] != found.get("hash"):
            return {"error": "hash_conflict"}
        version = int(str(found.get("hash", "h1")).removeprefix("h")) + 1
        view = {**args["view"], "id": found["id"], "hash": f"h{version}"}
        self.views[view["id"]] = view
        return {"view": view}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        """Set a user's App Home tab (`user_id` and a `home` view checked in `_refusal`)."""
        user = str(args["user_id"])
        if user not in self.users:
            return {"error": "user_not_found"}
        previous = self.home_views.get(user)
        version = 1 if previous is None else int(previous["hash"].removeprefix("h")) + 1
        view = {
            **args["view"],
            "id": f"VHOME{user}",
            "team_id": TEAM,
            "app_id": "A0DOJO",
            "bot_id": "B0BOT",
            "state": {"values": {}},
            "hash": f"h{version}",
        }
        self.home_views[user] = view
        return {"view": view}

    def _usergroups_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "usergroups": [
                {"id": gid, "handle": handle, "team_id": TEAM}
                for gid, (handle, _) in self.usergroups.items()
            ]
        }

    def _usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = self.usergroups.get(str(args.get("usergroup")))
        if group is None:
            return {"error": "no_such_subteam"}
        return {"users": group[1]}

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.open_socket is not None:
            return {"url": self.open_socket()}
        return {"url": self.socket_url or "ws://127.0.0.1:9/"}


BLOCK_METHODS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}
)
VIEW_METHODS = frozenset({"views.open", "views.update", "views.push", "views.publish"})


def _token_refusal(method: str, authorization: str | None) -> str | None:
    """Slack's error for a call made with the wrong kind of token (None: not that case).

    An app-level token (`xapp-…`) may call only the app-level methods, and those take no
    other token: `not_allowed_token_type` (docs.slack.dev/reference/methods/apps.connections.open).
    """
    token = (authorization or "").removeprefix("Bearer ")
    if method in APP_TOKEN_METHODS:
        if not token:
            return "not_authed"
        if token.startswith("xapp-"):
            return None if token == APP_TOKEN else "invalid_auth"
        return "not_allowed_token_type"
    return "not_allowed_token_type" if token.startswith("xapp-") else None


def _known_channel(channel: str, users: dict[str, FakeUser]) -> bool:
    """A channel id the fake accepts: a public/private channel (`C…`, `G…`) or the DM
    channel (`D<user>`) of a known user."""
    if channel.startswith("D"):
        return channel[1:] in users
    return channel[:1] in ("C", "G") and len(channel) > 1


def _truthy(value: Any) -> bool:
    """A boolean argument as the sdk sends it (`1`, `true`) or JSON's true."""
    return value is True or str(value).lower() in ("1", "true")


def _view_call_problems(method: str, args: dict[str, Any]) -> list[str]:
    """What Slack refuses in a views.* call besides the view's blocks: views.publish needs a
    `user_id` and a `home` view; modals (open, push, update) must be of type `modal`."""
    problems: list[str] = []
    view = args.get("view")
    kind = view.get("type") if isinstance(view, dict) else None
    if method == "views.publish":
        if not args.get("user_id"):
            problems.append("missing required field: user_id [json-pointer:/user_id]")
        if kind != "home":
            problems.append("must be `home` to publish a Home tab [json-pointer:/view/type]")
    elif kind != "modal":
        problems.append("must be `modal` [json-pointer:/view/type]")
    if method == "views.update" and not (args.get("view_id") or args.get("external_id")):
        problems.append("view_id or external_id required [json-pointer:/view_id]")
    return problems


def _refusal(method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a message or view it would refuse (None: it would accept it)."""
    if method in BLOCK_METHODS and "blocks" in args:
        problems, error = block_problems(args["blocks"]), "invalid_blocks"
    elif method in VIEW_METHODS:
        problems = _view_call_problems(method, args) + view_problems(args.get("view"))
        error = "invalid_arguments"
    else:
        return None
    if not problems:
        return None
    return {
        "error": error,
        "errors": problems,
        "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
    }


def _message_shape(message: Message) -> dict[str, Any]:
    """A message as Slack's chat.postMessage/chat.update answers show it."""
    return {
        "type": "message",
        "user": BOT_USER,
        "bot_id": "B0BOT",
        "app_id": "A0DOJO",
        "team": TEAM,
        "text": message.text,
        "ts": message.ts,
        "blocks": message.blocks,
        **({"edited": {"user": BOT_USER, "ts": message.ts}} if message.edits else {}),
    }


class SlackSender:
    """Plays Slack's side of inbound HTTP: signed slash commands, clicks and submissions."""

    def __init__(self, url: str, api: FakeSlackApi, secret: str = SIGNING_SECRET) -> None:
        self.url = url
        self.api = api
        self.verifier = SignatureVerifier(secret)
        self._triggers = itertools.count(1)
        self._salt = secrets.token_hex(4)
        self._events = 0
        self._http = aiohttp.ClientSession()

    async def close(self) -> None:
        await self._http.close()

    def trigger(self) -> str:
        """A fresh trigger_id (unique across senders, as Slack's are)."""
        return f"{next(self._triggers)}.{int(time.time())}.{self._salt}"

    def signed(
        self, body: str, timestamp: int | None = None, retry: int | None = None
    ) -> dict[str, str]:
        """Headers Slack would send with `body` (signed now unless `timestamp` is given)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": ts,
            "x-slack-signature": str(self.verifier.generate_signature(timestamp=ts, body=body)),
        }
        if retry is not None:
            headers["x-slack-retry-num"] = str(retry)
            headers["x-slack-retry-reason"] = "http_timeout"
        return headers

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, str]:
        async with self._http.post(self.url, data=body.encode(), headers=headers) as response:
            return response.status, await response.text()

    def command_body(self, command: str, text: str, user: str, channel: str = "C0DOJO") -> str:
        trigger = self.trigger()
        return urlencode(
            {
                "token": "deprecated",
                "team_id": TEAM,
                "team_domain": "dojo",
                "channel_id": channel,
                "channel_name": "dojo",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0DOJO",
                "is_enterprise_install": "false",
                "response_url": self.api.response_url(trigger),
                "trigger_id": trigger,
            }
        )

    async def command(
        self, command: str, text: str, user: str, channel: str = "C0DOJO"
    ) -> tuple[int, str]:
        body = self.command_body(command, text, user, channel)
        return await self.post(body, self.signed(body))

    def interaction_body(self, payload: dict[str, Any]) -> str:
        return "payload=" + quote(json.dumps(payload))

    async def click(
        self, action_id: str, value: str, user: str, channel: str, message_ts: str
    ) -> tuple[int, str]:
        trigger = self.trigger()
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "dojo"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": "A0DOJO",
            "trigger_id": trigger,
            "channel": {"id": channel, "name": "dojo"},
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "message": {"ts": message_ts, "type": "message", "text": "", "blocks": []},
            "response_url": self.api.response_url(trigger),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "session_actions",
                    "value": value,
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        body = self.interaction_body(payload)
        return await self.post(body, self.signed(body))

    def event_body(self, event: dict[str, Any]) -> str:
        """An Events API `event_callback` carrying `event`, as Slack POSTs it (JSON)."""
        self._events += 1
        return json.dumps(
            {
                "token": "deprecated",
                "team_id": TEAM,
                "api_app_id": "A0DOJO",
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{self._salt.upper()}{self._events:04d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            }
        )

    async def event(self, event: dict[str, Any]) -> tuple[int, str]:
        """Deliver one event through the events path (signed JSON)."""
        body = self.event_body(event)
        return await self.post(body, self.signed(body) | {"content-type": "application/json"})

    async def home_opened(self, user: str) -> tuple[int, str]:
        """`app_home_opened` on the Home tab, with the view Slack last published (if any)."""
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user,
            "channel": f"D{user}",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        }
        if user in self.api.home_views:
            event["view"] = self.api.home_views[user]
        return await self.event(event)

    async def view_action(
        self, view: dict[str, Any], action: dict[str, Any], user: str
    ) -> tuple[int, str]:
        """A `block_actions` from an element of a Home tab or modal `view` (as the fake last
        stored it): `action` is the element's action (`action_id`, `block_id`, `type`, and
        its `selected_*` value)."""
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "dojo"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": "A0DOJO",
            "trigger_id": self.trigger(),
            "container": {"type": "view", "view_id": view["id"]},
            "view": view,
            "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
        }
        body = self.interaction_body(payload)
        return await self.post(body, self.signed(body))

    async def submit(
        self, view: dict[str, Any], values: dict[str, dict[str, Any]], user: str
    ) -> tuple[int, str]:
        """Submit a modal `view` (as views.open received it) with these input values."""
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM, "domain": "dojo"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": "A0DOJO",
            "trigger_id": self.trigger(),
            "view": {
                **view,
                "id": "V0MODAL",
                "hash": "h1",
                "state": {"values": {k: {"value": v} for k, v in values.items()}},
            },
            "response_urls": [],
        }
        body = self.interaction_body(payload)
        return await self.post(body, self.signed(body))


def bench_user(n: int) -> str:
    """The Slack user id of the n-th member of a benchmark's fake workspace."""
    return f"U{n:07d}"


async def _serve(users: int) -> None:
    fake = FakeSlackApi()
    for n in range(users):
        fake.add_user(bench_user(n), f"m{n}")
    await fake.start()
    print(fake.base_url, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":  # a fake in its own process, for benchmarks
    import sys

    asyncio.run(_serve(int(sys.argv[1])))

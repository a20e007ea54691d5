"""An in-process fake of the Cloudflare RealtimeKit REST API (and its webhook signer).

It serves the subset dojobot uses under `/client/v4/accounts/{acct}/realtime/kit/{app}/…`
with `{"success": true, "data": …}` envelopes, checks the Bearer token, records every request,
and can inject failures: `fail_next(503, times=2)`, `fail_next(429, retry_after="1")`,
`down = True` (every call 503). `webhook_key_path` serves a published signing key.

Like the vendor it refuses what the published API refuses (`realtimekit_spec`: bodies and
queries checked against the official SDK's types; 400 in RealtimeKit's error envelope), and
its answers are checked against the SDK's response models: `created_at`/`updated_at` on every
object, `paging{start_offset,end_offset,total_count}` on lists, recordings that start
`INVOKED`, participant tokens that are JWTs. Lists page with `page_no`/`per_page`; where the
first page is (`first_page`, 0 or 1) and the largest page served (`max_per_page`) are not
documented, so both are settings and the tests cover each reading.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.fakes.realtimekit_spec import (
    ACTIVE_RECORDING_STATES,
    OPERATIONS,
    RECORDING_STATES,
    RequestRefused,
)
from tests.fakes.recording import recording_middlewares

ACCOUNT = "acct-0123"
APP = "app-4567"
TOKEN = "cf-test-token"
PREFIX = f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}"
KEY_PATH = "/.well-known/webhooks.json"
DEFAULT_PRESETS = ["group_call_host", "group_call_participant", "webinar_viewer"]


@dataclass
class Recorded:
    method: str
    path: str
    body: Any
    query: dict[str, str]


@dataclass
class Failure:
    status: int
    retry_after: str | None = None
    body: Any = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class FakeRealtimeKit:
    """State and behaviour of the fake; `app()` builds its aiohttp application."""

    presets: list[str] = field(default_factory=lambda: list(DEFAULT_PRESETS))
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """meeting id → participant id → participant (with its current `token`)."""
    recordings: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    """The messages of the 400s the fake answered because a request broke the spec."""
    violations: list[str] = field(default_factory=list)
    """Answers of the fake that broke the SDK's response types (a bug in the fake)."""
    down: bool = False
    public_key_pem: str | None = None
    key_fetches: int = 0
    base_url: str = ""
    first_page: int = 0
    """The number of the first page (the docs only say `page_no` >= 0)."""
    max_per_page: int | None = None
    """Serve at most this many rows a page whatever `per_page` asks (None: no limit)."""
    default_per_page: int = 20
    token_lifetime: timedelta = timedelta(hours=24)
    now: Callable[[], datetime] = _utc_now
    _signing_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)

    def fail_next(
        self, status: int, times: int = 1, retry_after: str | None = None, body: Any = None
    ) -> None:
        """The next `times` API calls answer `status` (with Retry-After / body if given)."""
        self.failures += [Failure(status, retry_after, body) for _ in range(times)]

    def calls(self, method: str | None = None, suffix: str = "") -> list[Recorded]:
        """Recorded API calls, optionally of one method and ending with `suffix`."""
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and r.path.endswith(suffix)
        ]

    def participant_of(self, meeting_id: str, member_id: str) -> dict[str, Any] | None:
        """The meeting's participant with this custom_participant_id."""
        found = self.participants.get(meeting_id, {}).values()
        return next((p for p in found if p["custom_participant_id"] == member_id), None)

    def add_participants(self, meeting_id: str, count: int, preset: str | None = None) -> None:
        """Add `count` participants (`custom_participant_id` "other:<n>") behind our back."""
        for n in range(count):
            self._new_participant(
                meeting_id, f"other:{n}", preset or self.presets[-1], f"Other {n}"
            )

    def set_recording_status(self, recording_id: str, status: str) -> None:
        """Move a recording on, as RealtimeKit does by itself (INVOKED → RECORDING …)."""
        assert status in RECORDING_STATES
        recording = self.recordings[recording_id]
        recording["status"] = status
        if status == "RECORDING" and recording.get("started_time") is None:
            recording["started_time"] = _iso(self.now())

    # app ---------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(middlewares=[*recording_middlewares("realtimekit"), self._middleware])
        p = PREFIX
        app.router.add_get(KEY_PATH, self._public_key)
        app.router.add_get(f"{p}/presets", self._list_presets)
        app.router.add_post(f"{p}/meetings", self._create_meeting)
        app.router.add_get(f"{p}/meetings/{{mid}}", self._get_meeting)
        app.router.add_patch(f"{p}/meetings/{{mid}}", self._patch_meeting)
        app.router.add_get(f"{p}/meetings/{{mid}}/participants", self._list_participants)
        app.router.add_post(f"{p}/meetings/{{mid}}/participants", self._add_participant)
        app.router.add_patch(f"{p}/meetings/{{mid}}/participants/{{pid}}", self._edit_participant)
        app.router.add_delete(
            f"{p}/meetings/{{mid}}/participants/{{pid}}", self._delete_participant
        )
        app.router.add_post(f"{p}/meetings/{{mid}}/participants/{{pid}}/token", self._token)
        app.router.add_post(f"{p}/recordings", self._start_recording)
        app.router.add_get(f"{p}/recordings/active-recording/{{mid}}", self._active_recording)
        app.router.add_put(f"{p}/recordings/{{rid}}", self._recording_action)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == KEY_PATH:
            return await handler(request)
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        self.requests.append(Recorded(request.method, request.path, body, dict(request.query)))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _error(401, "Authentication error")
        if self.down:
            return _error(503, "Service unavailable")
        if self.failures:
            failure = self.failures.pop(0)
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
            if failure.body is not None:
                return web.json_response(failure.body, status=failure.status, headers=headers)
            return _error(failure.status, "Injected failure", headers)
        try:
            return await handler(request)
        except RequestRefused as refused:
            self.refusals.append(refused.message)
            return _error(400, refused.message)

    async def _input(self, request: web.Request, operation: str) -> tuple[Any, dict[str, Any]]:
        """The request's body and query, checked against the published types."""
        spec = OPERATIONS[operation]
        query = spec.check_query(dict(request.query))
        return spec.check_body(await request.read()), query

    def _ok(
        self, operation: str, data: Any, status: int = 200, paging: dict[str, int] | None = None
    ) -> web.Response:
        answer: dict[str, Any] = {"success": True, "data": data}
        if paging is not None:
            answer["paging"] = paging
        try:
            OPERATIONS[operation].check_answer(answer)
        except AssertionError as broken:
            self.violations.append(str(broken))
            return _error(500, "fake answer breaks the SDK type")
        return web.json_response(answer, status=status)

    def _page(
        self, rows: list[dict[str, Any]], query: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """One page of `rows` as `page_no`/`per_page` ask, and its `paging`."""
        size = int(query.get("per_page", self.default_per_page))
        if self.max_per_page is not None:
            size = min(size, self.max_per_page)
        index = max(int(query.get("page_no", self.first_page)) - self.first_page, 0)
        start = index * size
        chunk = rows[start : start + size]
        end = start + len(chunk) - 1 if chunk else start
        return chunk, {"total_count": len(rows), "start_offset": start, "end_offset": end}

    async def _public_key(self, _request: web.Request) -> web.Response:
        self.key_fetches += 1
        if self.public_key_pem is None:
            return _error(404, "no key")
        return web.json_response(
            {"success": True, "data": {"publicKey": self.public_key_pem}, "message": ""}
        )

    async def _list_presets(self, request: web.Request) -> web.Response:
        _, query = await self._input(request, "list_presets")
        stamp = _iso(datetime(2026, 1, 1, tzinfo=UTC))
        rows = [
            {"id": _preset_id(n), "name": n, "created_at": stamp, "updated_at": stamp}
            for n in self.presets
        ]
        chunk, paging = self._page(rows, query)
        return self._ok("list_presets", chunk, paging=paging)

    async def _create_meeting(self, request: web.Request) -> web.Response:
        body, _ = await self._input(request, "create_meeting")
        stamp = _iso(self.now())
        meeting = {"id": str(uuid.uuid4()), "status": "ACTIVE", **(body or {})}
        meeting |= {"created_at": stamp, "updated_at": stamp}
        self.meetings[meeting["id"]] = meeting
        self.participants[meeting["id"]] = {}
        return self._ok("create_meeting", meeting, 201)

    def _meeting(self, request: web.Request) -> dict[str, Any]:
        meeting = self.meetings.get(request.match_info["mid"])
        if meeting is None:
            raise _not_found("Meeting not found")
        return meeting

    async def _get_meeting(self, request: web.Request) -> web.Response:
        await self._input(request, "get_meeting")
        return self._ok("get_meeting", self._meeting(request))

    async def _patch_meeting(self, request: web.Request) -> web.Response:
        body, _ = await self._input(request, "update_meeting")
        meeting = self._meeting(request)
        meeting.update(body or {})
        meeting["updated_at"] = _iso(self.now())
        return self._ok("update_meeting", meeting)

    async def _list_participants(self, request: web.Request) -> web.Response:
        _, query = await self._input(request, "list_participants")
        rows = list(self.participants[self._meeting(request)["id"]].values())
        chunk, paging = self._page([_public(p) for p in rows], query)
        return self._ok("list_participants", chunk, paging=paging)

    def _new_participant(
        self, meeting_id: str, custom_id: str, preset: str, name: str | None
    ) -> dict[str, Any]:
        stamp = _iso(self.now())
        participant_id = str(uuid.uuid4())
        participant = {
            "id": participant_id,
            "token": self._mint(meeting_id, participant_id),
            "custom_participant_id": custom_id,
            "preset_name": preset,
            "name": name,
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.participants[meeting_id][participant_id] = participant
        return participant

    async def _add_participant(self, request: web.Request) -> web.Response:
        body, _ = await self._input(request, "add_participant")
        meeting = self._meeting(request)
        if body["preset_name"] not in self.presets:
            raise RequestRefused(f"Preset {body['preset_name']!r} not found")
        participant = self._new_participant(
            meeting["id"], body["custom_participant_id"], body["preset_name"], body.get("name")
        )
        return self._ok("add_participant", participant, 201)

    def _participant(self, request: web.Request) -> dict[str, Any]:
        meeting = self._meeting(request)
        participant = self.participants[meeting["id"]].get(request.match_info["pid"])
        if participant is None:
            raise _not_found("Participant not found")
        return participant

    async def _edit_participant(self, request: web.Request) -> web.Response:
        body, _ = await self._input(request, "edit_participant")
        participant = self._participant(request)
        if body.get("preset_name") is not None and body["preset_name"] not in self.presets:
            raise RequestRefused(f"Preset {body['preset_name']!r} not found")
        participant.update({k: v for k, v in body.items() if v is not None})
        participant["updated_at"] = _iso(self.now())
        return self._ok("edit_participant", participant)

    async def _delete_participant(self, request: web.Request) -> web.Response:
        await self._input(request, "delete_participant")
        participant = self._participant(request)
        del self.participants[request.match_info["mid"]][participant["id"]]
        gone = _public(participant) | {"preset_id": _preset_id(participant["preset_name"])}
        return self._ok("delete_participant", gone)

    async def _token(self, request: web.Request) -> web.Response:
        await self._input(request, "refresh_token")
        participant = self._participant(request)
        participant["token"] = self._mint(request.match_info["mid"], participant["id"])
        return self._ok("refresh_token", {"token": participant["token"]})

    def _mint(self, meeting_id: str, participant_id: str) -> str:
        """A participant token: a JWT, like RealtimeKit's, valid `token_lifetime`."""
        issued = self.now()
        claims = {
            "sub": participant_id,
            "meetingId": meeting_id,
            "jti": uuid.uuid4().hex,
            "iat": int(issued.timestamp()),
            "exp": int((issued + self.token_lifetime).timestamp()),
        }
        return jwt.encode(claims, self._signing_key, algorithm="HS256")

    def _active(self, meeting_id: str) -> dict[str, Any] | None:
        return next(
            (
                r
                for r in self.recordings.values()
                if r["meeting_id"] == meeting_id and r["status"] in ACTIVE_RECORDING_STATES
            ),
            None,
        )

    async def _start_recording(self, request: web.Request) -> web.Response:
        body, _ = await self._input(request, "start_recording")
        meeting = self.meetings.get(body["meeting_id"])
        if meeting is None:
            return _error(404, "Meeting not found")
        if self._active(meeting["id"]) and not body.get("allow_multiple_recordings"):
            return _error(409, "A recording is already running")
        recording = {
            "id": str(uuid.uuid4()),
            "meeting_id": meeting["id"],
            "status": "INVOKED",
            "invoked_time": _iso(self.now()),
            "output_file_name": f"{meeting['id']}_{int(self.now().timestamp())}.mp4",
        }
        self.recordings[recording["id"]] = recording
        return self._ok("start_recording", recording, 201)

    async def _active_recording(self, request: web.Request) -> web.Response:
        await self._input(request, "active_recording")
        recording = self._active(request.match_info["mid"])
        if recording is None:
            return _error(404, "No active recording")
        return self._ok("active_recording", recording)

    async def _recording_action(self, request: web.Request) -> web.Response:
        body, _ = await self._input(request, "recording_action")
        recording = self.recordings.get(request.match_info["rid"])
        if recording is None:
            return _error(404, "Recording not found")
        if recording["status"] not in ACTIVE_RECORDING_STATES:
            return _error(409, f"Recording is {recording['status']}")
        action = body["action"]
        recording["status"] = {"stop": "UPLOADING", "pause": "PAUSED"}.get(action, "RECORDING")
        if action == "stop":
            recording["stopped_time"] = _iso(self.now())
        return self._ok("recording_action", recording)


def _public(participant: dict[str, Any]) -> dict[str, Any]:
    """A participant as lists show it: without its token."""
    return {k: v for k, v in participant.items() if k != "token"}


def _preset_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"preset:{name}"))


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    body = {"success": False, "errors": [{"code": status, "message": message}]}
    return web.json_response(body, status=status, headers=headers)


def _not_found(message: str) -> web.HTTPNotFound:
    body = json.dumps({"success": False, "errors": [{"code": 404, "message": message}]})
    return web.HTTPNotFound(text=body, content_type="application/json")


@asynccontextmanager
async def running_fake_realtimekit(
    fake: FakeRealtimeKit | None = None,
) -> AsyncIterator[FakeRealtimeKit]:
    """Serve a fake on 127.0.0.1 on an ephemeral port; `fake.base_url` is the API base."""
    fake = fake or FakeRealtimeKit()
    server = TestServer(fake.app(), host="127.0.0.1", port=0)
    await server.start_server()
    fake.base_url = str(server.make_url("/client/v4"))
    try:
        yield fake
    finally:
        await server.close()
    assert not fake.violations, fake.violations


def key_url(fake: FakeRealtimeKit) -> str:
    """Where the fake publishes its webhook key."""
    return fake.base_url.removesuffix("/client/v4") + KEY_PATH


class WebhookSigner:
    """A test RSA key pair signing webhook bodies the way RealtimeKit does."""

    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def public_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def sign(self, body: bytes) -> str:
        """base64 RSASSA-PKCS1-v1_5 / SHA-256 signature of the raw bytes (`rtk-signature`)."""
        return base64.b64encode(self._key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()

    def headers(self, body: bytes, delivery: str | None = None) -> dict[str, str]:
        """The headers of a delivery of `body`."""
        return {
            "content-type": "application/json",
            "rtk-signature": self.sign(body),
            "rtk-uuid": delivery or str(uuid.uuid4()),
            "rtk-webhook-id": "webhook-1",
        }


def payload(event: str, meeting_id: str, **parts: Any) -> bytes:
    """A webhook body: `{"event": …, "meeting": {"id": …}, **parts}` (camelCase parts)."""
    meeting = {"id": meeting_id, "sessionId": "call-1", "title": "t", "status": "LIVE"}
    meeting.update(parts.pop("meeting", {}))
    return json.dumps({"event": event, "meeting": meeting, **parts}).encode()

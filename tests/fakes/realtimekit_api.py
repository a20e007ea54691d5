"""An in-process fake of the Cloudflare RealtimeKit REST API (and its webhook signer).

It serves the subset dojobot uses under `/client/v4/accounts/{acct}/realtime/kit/{app}/…`
with `{"success": true, "data": …}` envelopes, checks the Bearer token, records every request,
and can inject failures: `fail_next(503, times=2)`, `fail_next(429, retry_after="1")`,
`down = True` (every call 503). `webhook_key_path` serves a published signing key.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

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


@dataclass
class FakeRealtimeKit:
    """State and behaviour of the fake; `app()` builds its aiohttp application."""

    presets: list[str] = field(default_factory=lambda: list(DEFAULT_PRESETS))
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """meeting id → participant id → participant."""
    recordings: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    down: bool = False
    public_key_pem: str | None = None
    key_fetches: int = 0
    base_url: str = ""

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

    # app ---------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
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
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == KEY_PATH:
            return await handler(request)  # type: ignore[no-any-return]
        raw = await request.read()
        body = json.loads(raw) if raw else None
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
        return await handler(request)  # type: ignore[no-any-return]

    async def _public_key(self, _request: web.Request) -> web.Response:
        self.key_fetches += 1
        if self.public_key_pem is None:
            return _error(404, "no key")
        return web.json_response(
            {"success": True, "data": {"publicKey": self.public_key_pem}, "message": ""}
        )

    async def _list_presets(self, _request: web.Request) -> web.Response:
        return _ok([{"id": f"preset-{n}", "name": n} for n in self.presets])

    async def _create_meeting(self, request: web.Request) -> web.Response:
        body = await request.json()
        meeting = {"id": str(uuid.uuid4()), "status": "ACTIVE", **body}
        self.meetings[meeting["id"]] = meeting
        self.participants[meeting["id"]] = {}
        return _ok(meeting, 201)

    def _meeting(self, request: web.Request) -> dict[str, Any]:
        meeting = self.meetings.get(request.match_info["mid"])
        if meeting is None:
            raise _not_found("Meeting not found")
        return meeting

    async def _get_meeting(self, request: web.Request) -> web.Response:
        return _ok(self._meeting(request))

    async def _patch_meeting(self, request: web.Request) -> web.Response:
        meeting = self._meeting(request)
        meeting.update(await request.json())
        return _ok(meeting)

    async def _list_participants(self, request: web.Request) -> web.Response:
        rows = list(self.participants[self._meeting(request)["id"]].values())
        page = int(request.query.get("page_no", "1"))
        size = int(request.query.get("per_page", "20"))
        chunk = rows[(page - 1) * size : page * size]
        return _ok([{k: v for k, v in p.items() if k != "token"} for p in chunk])

    async def _add_participant(self, request: web.Request) -> web.Response:
        meeting = self._meeting(request)
        body = await request.json()
        if body.get("preset_name") not in self.presets:
            return _error(400, f"Preset {body.get('preset_name')!r} not found")
        if not body.get("custom_participant_id"):
            return _error(400, "custom_participant_id is required")
        participant = {
            "id": str(uuid.uuid4()),
            "token": _new_token(),
            "custom_participant_id": body["custom_participant_id"],
            "preset_name": body["preset_name"],
            "name": body.get("name"),
        }
        self.participants[meeting["id"]][participant["id"]] = participant
        return _ok(participant, 201)

    def _participant(self, request: web.Request) -> dict[str, Any]:
        meeting = self._meeting(request)
        participant = self.participants[meeting["id"]].get(request.match_info["pid"])
        if participant is None:
            raise _not_found("Participant not found")
        return participant

    async def _edit_participant(self, request: web.Request) -> web.Response:
        participant = self._participant(request)
        body = await request.json()
        if "preset_name" in body and body["preset_name"] not in self.presets:
            return _error(400, "Preset not found")
        participant.update(body)
        return _ok({k: v for k, v in participant.items() if k != "token"})

    async def _delete_participant(self, request: web.Request) -> web.Response:
        participant = self._participant(request)
        del self.participants[request.match_info["mid"]][participant["id"]]
        return _ok(participant)

    async def _token(self, request: web.Request) -> web.Response:
        participant = self._participant(request)
        participant["token"] = _new_token()
        return _ok({"token": participant["token"]})

    async def _start_recording(self, request: web.Request) -> web.Response:
        body = await request.json()
        meeting = self.meetings.get(body.get("meeting_id", ""))
        if meeting is None:
            return _error(404, "Meeting not found")
        if any(
            r["meeting_id"] == meeting["id"] and r["status"] == "RECORDING"
            for r in self.recordings.values()
        ):
            return _error(409, "A recording is already running")
        recording = {"id": str(uuid.uuid4()), "meeting_id": meeting["id"], "status": "RECORDING"}
        self.recordings[recording["id"]] = recording
        return _ok(recording, 201)

    async def _active_recording(self, request: web.Request) -> web.Response:
        mid = request.match_info["mid"]
        for recording in self.recordings.values():
            if recording["meeting_id"] == mid and recording["status"] == "RECORDING":
                return _ok(recording)
        return _error(404, "No active recording")

    async def _recording_action(self, request: web.Request) -> web.Response:
        recording = self.recordings.get(request.match_info["rid"])
        if recording is None:
            return _error(404, "Recording not found")
        action = (await request.json()).get("action")
        recording["status"] = {"stop": "UPLOADING", "pause": "PAUSED"}.get(action, "RECORDING")
        return _ok(recording)


def _ok(data: Any, status: int = 200) -> web.Response:
    return web.json_response({"success": True, "data": data}, status=status)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    body = {"success": False, "errors": [{"code": status, "message": message}]}
    return web.json_response(body, status=status, headers=headers)


def _not_found(message: str) -> web.HTTPNotFound:
    body = json.dumps({"success": False, "errors": [{"code": 404, "message": message}]})
    return web.HTTPNotFound(text=body, content_type="application/json")


def _new_token() -> str:
    return f"rtk-{uuid.uuid4().hex}{uuid.uuid4().hex}"


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

"""Recorded traffic: every vendor fake can append what it receives and answers to a file.

When `DOJOBOT_FAKES_RECORD_DIR` is set, each fake's aiohttp app gets `recording_middlewares`,
which append one JSON object per request to `<dir>/<vendor>.jsonl` (`slack`, `discord`,
`realtimekit`, `zerodb`). Discord, RealtimeKit and ZeroDB lines carry `method` (HTTP), `path`,
`query`, `body` (parsed JSON or null), `status` and `response`; Slack lines carry `method` (the
Web API method, or `response_url`), `http`, `query`, `args` (the parsed arguments) and
`response`. Secrets are left out: headers are never recorded, token/secret-like keys are
dropped from Slack arguments and redacted elsewhere, and join-link, `jwt=`, bearer and Slack
token values inside strings are redacted. Each line is written with a single `O_APPEND`
write, so several fake processes can append to the same file. Unset, nothing is added.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from adapters.slack.redaction import REDACTED, redact

ENV = "DOJOBOT_FAKES_RECORD_DIR"
VENDORS = ("slack", "discord", "realtimekit", "zerodb")
CONTROL_PREFIX = "/_fake/"
"""Paths a test uses to steer a fake (stats, clock): not vendor traffic, never recorded."""


_SECRET_KEY = re.compile(
    r"^((access|refresh|bot|auth|app|user|id|client)[_-]?)?(token|secret|password|jwt)$"
    r"|^((x[_-])?api[_-]?key|authorization|signing[_-]secret)$",
    re.IGNORECASE,
)
"""Keys whose values are credentials (`write_token`, a ZeroDB claim marker, is not one)."""
_SECRET_TEXT = [
    re.compile(r"xox[abpre]-[A-Za-z0-9-]+"),
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"(?i)(bearer\s+)[^\s\"',]+"),
]
_SECRET_PATHS = [  # Discord interaction and webhook tokens travel in the path
    re.compile(r"(/interactions/\d+/)[^/]+"),
    re.compile(r"(/webhooks/\d+/)[^/]+"),
]


class TrafficRecorder:
    """Appends JSON lines to one vendor's file; a no-op when recording is off."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, vendor: str) -> TrafficRecorder:
        """The recorder of `vendor` under `$DOJOBOT_FAKES_RECORD_DIR`, or a no-op if unset."""
        if vendor not in VENDORS:
            raise ValueError(f"unknown vendor {vendor!r}; use one of {', '.join(VENDORS)}")
        directory = os.environ.get(ENV, "").strip()
        if not directory:
            return cls(None)
        Path(directory).mkdir(parents=True, exist_ok=True)
        return cls(Path(directory) / f"{vendor}.jsonl")

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def write(self, line: dict[str, Any]) -> None:
        """Append `line` as one JSON line (one write, so lines from processes never mix)."""
        if self.path is None:
            return
        data = (json.dumps(line, ensure_ascii=False, default=str) + "\n").encode()
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)


def scrub(value: Any) -> Any:
    """`value` with secret-like keys redacted and secrets inside strings replaced."""
    if isinstance(value, dict):
        return {k: REDACTED if _SECRET_KEY.search(str(k)) else scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return _scrub_text(value)
    return value


def _scrub_text(text: str) -> str:
    text = redact(text)
    for pattern in _SECRET_TEXT:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return text


def _scrub_path(path: str) -> str:
    for pattern in _SECRET_PATHS:
        path = pattern.sub(lambda m: m.group(1) + REDACTED, path)
    return _scrub_text(path)


def _without_secrets(args: dict[str, Any]) -> dict[str, Any]:
    """Slack arguments with token/secret-like ones dropped, the rest scrubbed."""
    return {k: scrub(v) for k, v in args.items() if not _SECRET_KEY.search(k)}


def _parsed(raw: bytes) -> Any:
    """`raw` as JSON, its text if it is not JSON, or None when empty."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _answer(response: web.StreamResponse) -> Any:
    body = response.body if isinstance(response, web.Response) else None
    return _parsed(body) if isinstance(body, bytes) else None


def _slack_args(request: web.Request, raw: bytes) -> dict[str, Any]:
    """The arguments as Slack reads them: query, then a JSON or form body."""
    args: dict[str, Any] = dict(request.query)
    if raw:
        text = raw.decode(errors="replace")
        if request.content_type == "application/json":
            parsed = _parsed(raw)
            args.update(parsed if isinstance(parsed, dict) else {"body": parsed})
        else:
            args.update(parse_qsl(text))
    for key in ("blocks", "view", "attachments", "metadata"):
        if isinstance(args.get(key), str):
            parsed = _parsed(args[key].encode())
            args[key] = parsed
    return args


def _slack_line(request: web.Request, raw: bytes, response: web.StreamResponse) -> dict[str, Any]:
    method = request.match_info.get("method") or (
        "response_url" if request.path.startswith("/respond/") else request.path
    )
    query = {k: v for k, v in request.query.items() if not _SECRET_KEY.search(k)}
    return {
        "method": method,
        "http": request.method,
        "query": scrub(query),
        "args": _without_secrets(_slack_args(request, raw)),
        "response": scrub(_answer(response)),
    }


def _http_line(request: web.Request, raw: bytes, response: web.StreamResponse) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": _scrub_path(request.path),
        "query": scrub(dict(request.query)),
        "body": scrub(_parsed(raw)) if raw else None,
        "status": response.status,
        "response": scrub(_answer(response)),
    }


async def _body(request: web.Request) -> bytes:
    """The request body, read after the handler (aiohttp caches what the handler read, and
    reading first would make `can_read_body` false for handlers that check it)."""
    if not request.body_exists:
        return b""
    try:
        return await request.read()
    except Exception:  # a body the handler streamed away or the client broke off
        return b""


def recording_middlewares(vendor: str) -> list[Middleware]:
    """The middleware recording `vendor`'s traffic (put it first), or none when off."""
    recorder = TrafficRecorder.from_env(vendor)
    if not recorder.enabled:
        return []
    line_of = _slack_line if vendor == "slack" else _http_line

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(CONTROL_PREFIX):
            return await handler(request)
        try:
            response = await handler(request)
        except web.HTTPException as refused:
            recorder.write(line_of(request, await _body(request), refused))
            raise
        recorder.write(line_of(request, await _body(request), response))
        return response

    return [record]

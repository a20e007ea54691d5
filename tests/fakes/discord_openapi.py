"""Discord's published OpenAPI description, enforced on every request the fake Discord receives.

The description comes from the npm package `discord-api-spec` (generated from Discord's own
discord/discord-api-spec), installed by `make test` into `tests/fakes/discord_spec/`. Its
`discord-api-spec.ts` maps each route and method to a request body type; its zod module holds
a schema per type. This module reads the route table from the former and asks one long-lived
node process (`validate.mjs`) to check bodies against the latter; problems come back as the
`errors` object of Discord's 400 "Invalid Form Body" (code 50035).
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "discord_spec"
PACKAGE = HERE / "node_modules" / "discord-api-spec" / "build" / "discord-api-spec.ts"
INSTALL_HINT = "run `make services` (npm ci in tests/fakes/discord_spec) first"

_PATH = re.compile(r'^  "(/[^"]*)": \{$')
_METHOD = re.compile(r"^    (get|put|post|patch|delete): \{$")
_BODY = re.compile(r"^      requestBody\??:(.*)$")
_TYPE = re.compile(r"^([A-Za-z0-9]+)(\[\])?$")

Candidate = tuple[str, bool]
"""A request body type of the description, and whether the body is an array of it."""


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    body: tuple[Candidate, ...]
    """Empty: no body, or an inline shape the zod module has no schema for."""


def _candidates(text: str) -> tuple[Candidate, ...]:
    found: list[Candidate] = []
    for part in text.replace(";", "").split("|"):
        match = _TYPE.match(part.strip().strip("()"))
        if match and match.group(1) not in ("null", "undefined", "never", "unknown"):
            found.append((match.group(1), bool(match.group(2))))
    return tuple(found)


def read_routes(source: Path = PACKAGE) -> list[Route]:
    """Every route and method with its request body types, most literal templates first (so
    `/users/@me` wins over `/users/{user_id}`)."""
    if not source.exists():
        raise RuntimeError(f"Discord's API description is not installed: {INSTALL_HINT}")
    routes: list[Route] = []
    lines = source.read_text(encoding="utf-8").splitlines()
    template = method = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if (path := _PATH.match(line)) is not None:
            template, method = path.group(1), None
        elif template and (verb := _METHOD.match(line)) is not None:
            method = verb.group(1).upper()
        elif template and method and (body := _BODY.match(line)) is not None:
            text = body.group(1).strip()
            if text == "":  # a union, one `| Type` per line until the `;`
                while not text.endswith(";"):
                    i += 1
                    text += " " + lines[i].strip()
            inline = text.startswith("{")
            regex = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template))
            routes.append(
                Route(method, template, re.compile(regex), () if inline else _candidates(text))
            )
            method = None
        i += 1
    return sorted(routes, key=lambda r: r.template.count("{"))


_ZOD_CODES = {
    "too_big": "BASE_TYPE_MAX_LENGTH",
    "too_small": "BASE_TYPE_MIN_LENGTH",
    "invalid_value": "BASE_TYPE_CHOICES",
    "invalid_union": "BASE_TYPE_CHOICES",
}


def _leaf(issue: dict[str, Any]) -> dict[str, Any]:
    if issue["code"] == "too_big" and "maximum" in issue:
        code, message = _ZOD_CODES["too_big"], f"Must be {issue['maximum']} or fewer in length."
    elif issue["code"] == "too_small" and "minimum" in issue:
        code, message = _ZOD_CODES["too_small"], f"Must be {issue['minimum']} or more in length."
    elif issue["code"] == "invalid_type" and issue.get("missing"):
        code, message = "BASE_TYPE_REQUIRED", "This field is required"
    else:
        code, message = _ZOD_CODES.get(issue["code"], "BASE_TYPE_BAD"), issue["message"]
    return {"_errors": [{"code": code, "message": message}]}


def discord_errors(issues: list[dict[str, Any]]) -> dict[str, Any]:
    """zod issues → Discord's nested `errors` object (`{"embeds": {"0": {"title": {...}}}}`)."""
    errors: dict[str, Any] = {}
    for issue in issues:
        node = errors
        for key in issue["path"]:
            node = node.setdefault(str(key), {})
        node.update(_leaf(issue))
    return errors


def _snowflake_key(key: str) -> bool:
    return key == "id" or key.endswith("_id")


_OFFSET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def as_sent(body: Any) -> Any:
    """The body as Discord reads it. The description types snowflakes as strings, and Discord
    also takes them as integers (discord.py sends `recipient_id`, `parent_id`… as ints). Its
    times are OpenAPI `date-time` (RFC 3339, offsets allowed), which the zod generator narrows
    to `Z` only: an offset time is read as the same instant in UTC."""
    if isinstance(body, str) and _OFFSET_TIME.match(body):
        instant = datetime.fromisoformat(body).astimezone(UTC)
        return instant.isoformat().replace("+00:00", "Z")
    if isinstance(body, dict):
        return {
            key: (
                str(value)
                if _snowflake_key(key) and isinstance(value, int) and not isinstance(value, bool)
                else [str(v) if isinstance(v, int) else v for v in value]
                if (key.endswith("_ids") or key in ("users", "roles")) and isinstance(value, list)
                else as_sent(value)
            )
            for key, value in body.items()
        }
    if isinstance(body, list):
        return [as_sent(item) for item in body]
    return body


class SpecValidator:
    """Checks request bodies against the description through one node process per test run."""

    def __init__(self) -> None:
        self.routes = read_routes()
        self._lock = threading.Lock()
        self._node: subprocess.Popen[str] | None = None

    def route(self, method: str, path: str) -> Route | None:
        """The described route `path` (relative to /api/v10) belongs to, if any."""
        return next(
            (r for r in self.routes if r.method == method and r.pattern.fullmatch(path)), None
        )

    def errors(self, route: Route, body: Any) -> dict[str, Any]:
        """Discord's `errors` object for a JSON body sent to `route` (empty: it is valid, or
        the route takes no described body)."""
        if body is None or not route.body:
            return {}
        answer = self._ask({"schemas": route.body, "body": as_sent(body)})
        return {} if answer["ok"] else discord_errors(answer["issues"])

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            node = self._start()
            assert node.stdin is not None and node.stdout is not None
            node.stdin.write(json.dumps(request) + "\n")
            node.stdin.flush()
            line = node.stdout.readline()
        if not line:
            raise RuntimeError("the Discord spec validator (node) stopped")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _start(self) -> subprocess.Popen[str]:
        if self._node is None or self._node.poll() is not None:
            node = shutil.which("node")
            if node is None:
                raise RuntimeError(f"node is not installed: {INSTALL_HINT}")
            self._node = subprocess.Popen(
                [node, str(HERE / "validate.mjs")],
                cwd=HERE,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
            atexit.register(self.close)
        return self._node

    def close(self) -> None:
        node, self._node = self._node, None
        if node is not None:
            node.terminate()
            node.wait()


_shared: SpecValidator | None = None


def spec_validator() -> SpecValidator:
    """The validator shared by every fake Discord of this test run (node starts once)."""
    global _shared
    if _shared is None:
        _shared = SpecValidator()
    return _shared

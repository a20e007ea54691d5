"""Which table-API shape does a ZeroDB project answer? The probe behind `dojobot zerodb-check`.

For each candidate dialect (every preset, and first the configured one when it has
overrides), with that dialect's headers and the exact calls the store would send
(`ZeroDBDialect.*_call`):

1. read-only: list the project's tables, when the shape has such a call (401/403/404 rule
   the shape out; 405 only says there is no list call there);
2. on a scratch table of its own (`<table_prefix>zerodb_check_<random>_<n>`): create it, insert
   two rows, read them back with an equality filter and with operators (`$gte`, `$in`,
   equality to null), overwrite one by its id, delete it by its id and check each effect
   (after the delete, every row is read back: exactly the other row must remain, so a
   service that ignores the delete's filter key and empties the table is caught);
3. always drop the scratch table again once it may exist (also after a failure part-way, or
   on Ctrl-C); shapes without a drop call get their rows deleted instead.

A candidate answers when every call succeeds and every read shows what was written. The
first failing call is kept as one line: method, path, HTTP status and the vendor's message.
Nothing outside the scratch tables is written. The API key is sent, never returned or
printed: any echo of it in a vendor message is masked.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, NoReturn, get_args

import httpx

from adapters.zerodb.dialect import ApiCall, DialectName, ZeroDBDialect, resolve_dialect
from adapters.zerodb.settings import ZeroDBSettings

SCRATCH_MARK = "zerodb_check_"
"""Between the table prefix and the random part of every scratch table's name."""
_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class FailedCall:
    """One call that failed: `status` 0 when no answer came; `message` the vendor's words
    (or what the answer lacked)."""

    method: str
    path: str
    status: int
    message: str

    def line(self, label: str) -> str:
        answer = f"HTTP {self.status}" if self.status else "no answer"
        return f"{label}: {self.method} {self.path} -> {answer}: {self.message}"


@dataclass(frozen=True)
class Candidate:
    """A preset, with knob overrides (the configured ones) or none."""

    dialect: DialectName
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.dialect} + overrides" if self.overrides else self.dialect


@dataclass
class Verdict:
    """What one candidate did: `failure` None means it answered every call as expected."""

    candidate: Candidate
    failure: FailedCall | None = None
    notes: list[str] = field(default_factory=list)
    cleanup: list[FailedCall] = field(default_factory=list)
    """Calls that failed while removing the scratch table (it may be left behind)."""

    @property
    def answered(self) -> bool:
        return self.failure is None


class _Failed(Exception):
    def __init__(self, failure: FailedCall) -> None:
        super().__init__(failure.line("call"))
        self.failure = failure


def candidates(settings: ZeroDBSettings) -> list[Candidate]:
    """Every preset, led by the configured dialect with its overrides when it has some."""
    found = [Candidate(name) for name in get_args(DialectName)]
    if settings.dialect_overrides:
        found.insert(0, Candidate(settings.dialect, dict(settings.dialect_overrides)))
    return found


async def probe(
    settings: ZeroDBSettings,
    chosen: list[Candidate] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Verdict]:
    """Try each candidate (default: `candidates(settings)`) in turn; one verdict each."""
    run = uuid.uuid4().hex[:8]
    verdicts: list[Verdict] = []
    for n, candidate in enumerate(chosen or candidates(settings), start=1):
        table = f"{settings.table_prefix}{SCRATCH_MARK}{run}_{n}"
        verdicts.append(await _probe_one(settings, candidate, table, transport))
    return verdicts


async def _probe_one(
    settings: ZeroDBSettings,
    candidate: Candidate,
    table: str,
    transport: httpx.AsyncBaseTransport | None,
) -> Verdict:
    dialect = resolve_dialect(candidate.dialect, candidate.overrides)
    key = settings.api_key.get_secret_value()
    client = httpx.AsyncClient(
        base_url=settings.base_url,
        headers=dialect.headers(key, settings.project_id),
        timeout=httpx.Timeout(settings.timeout_seconds, connect=settings.connect_timeout_seconds),
        transport=transport,
    )
    scratch = _Scratch(client, dialect, settings.project_id, table, key)
    verdict = Verdict(candidate)
    try:
        await scratch.run(verdict)
    except _Failed as failed:
        verdict.failure = failed.failure
    finally:
        try:
            await scratch.remove(verdict)
        finally:
            await client.aclose()
    return verdict


@dataclass
class _Scratch:
    """The calls of one candidate on its scratch table."""

    client: httpx.AsyncClient
    dialect: ZeroDBDialect
    project_id: str
    table: str
    secret: str
    may_exist: bool = False
    last: tuple[ApiCall, int] = (ApiCall("GET", "/"), 0)
    """The last call answered with a 2xx, and its status (for failures of its content)."""

    async def run(self, verdict: Verdict) -> None:
        d, pid, table = self.dialect, self.project_id, self.table
        listing = d.list_call(pid)
        if listing is None:
            verdict.notes.append("no list-tables call in this shape")
        else:
            try:
                await self.send(listing)
            except _Failed as failed:
                if failed.failure.status != 405:
                    raise
                verdict.notes.append(f"{listing.method} {listing.path}: no list-tables call")
        create = d.create_call(pid, table, "dojobot zerodb-check scratch table (dropped at once)")
        if create is None:
            verdict.notes.append("no create-table call: the first insert makes the table")
        rows = [
            {"probe_key": "a", "n": 1, "gone": None},
            {"probe_key": "b", "n": 2, "gone": None},
        ]
        inserts = d.insert_calls(pid, table, rows)
        if create is not None:
            await self.making(create)
        else:  # the first insert makes the table
            await self.making(inserts.pop(0))
        for call in inserts:
            await self.send(call)
        [first] = await self.expect({"probe_key": "a"}, ["a"], "an equality filter")
        if first.get("n") != 1:
            self.mismatch(first, "the row read back differs from the row written")
        operators = {"n": {"$gte": 2}, "gone": None, "probe_key": {"$in": ["a", "b"]}}
        await self.expect(operators, ["b"], "a filter with $gte, $in and null")
        row_id = self.row_id(first)
        await self.send(d.update_call(pid, table, row_id, {"probe_key": "a", "n": 10}))
        [updated] = await self.expect({"probe_key": "a"}, ["a"], "the row just updated")
        if updated.get("n") != 10:
            self.mismatch(updated, "the update by id did not change the row")
        await self.send(d.delete_call(pid, table, row_id))
        answered = self.last
        left = sorted(str(r.get("probe_key")) for r in await self.rows({}))
        if not left:
            hint = (
                "the service ignored the delete's filter (check delete_filter_key, "
                f"{d.delete_filter_key!r} here)"
                if d.delete_mode == "by_filter"
                else "the service ignored the row id in the path"
            )
            self.fail(
                f"the delete of row 'a' by its id removed every row, expected ['b'] to remain: "
                f"{hint}",
                on=answered,
            )
        if left != ["b"]:
            self.fail(
                f"after the delete of row 'a' by its id the table holds rows {left}, "
                "expected ['b']",
                on=answered,
            )

    async def remove(self, verdict: Verdict) -> None:
        """Drop the scratch table (or delete its rows when the shape cannot drop tables)."""
        if not self.may_exist:
            return
        d, pid = self.dialect, self.project_id
        drop = d.drop_call(pid, self.table)
        try:
            if drop is not None:
                await self.send(drop, missing_ok=True)
                return
            for row in await self.rows({}):
                if d.id_field in row:
                    await self.send(d.delete_call(pid, self.table, str(row[d.id_field])))
            verdict.notes.append(
                f"no drop-table call in this shape: the empty table {self.table} may remain"
            )
        except _Failed as failed:
            verdict.cleanup.append(failed.failure)

    # calls --------------------------------------------------------------------------------
    async def making(self, call: ApiCall) -> None:
        """Send the call that makes the table: from then on it may exist, unless refused
        outright (4xx), and is removed whatever happens next."""
        self.may_exist = True
        try:
            await self.send(call)
        except _Failed as failed:
            if 400 <= failed.failure.status < 500:
                self.may_exist = False
            raise

    async def send(self, call: ApiCall, *, missing_ok: bool = False) -> Any:
        """The decoded answer of a 2xx (None when empty); anything else fails."""
        try:
            response = await self.client.request(
                call.method, call.path, json=call.body, params=call.params
            )
        except httpx.HTTPError as error:
            raise _Failed(
                FailedCall(call.method, call.path, 0, f"unreachable ({type(error).__name__})")
            ) from None
        if response.status_code >= 400 and not (missing_ok and response.status_code == 404):
            message = vendor_message(response, self.secret)
            raise _Failed(FailedCall(call.method, call.path, response.status_code, message))
        self.last = (call, response.status_code)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            self.fail("the answer is not JSON")

    async def rows(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        d = self.dialect
        call = d.query_call(self.project_id, self.table, filters, min(100, d.max_limit), 0, None)
        answer = await self.send(call)
        found = answer if isinstance(answer, list) else (answer or {}).get(d.rows_key)
        if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
            self.fail(f"the answer has no {d.rows_key!r} list of rows: {_excerpt(answer)}")
        return list(found)

    async def expect(
        self, filters: dict[str, Any], keys: list[str], what: str
    ) -> list[dict[str, Any]]:
        """The rows of `filters`, which must be exactly the rows of `keys`."""
        found = await self.rows(filters)
        got = sorted(str(r.get("probe_key")) for r in found)
        if got != sorted(keys):
            nested = [k for k in ("row_data", "data") if found and k in found[0]]
            hint = (
                f" (the fields come back nested under {nested[0]!r}; the store reads flat rows)"
                if nested
                else ""
            )
            self.fail(f"{what} returned rows {got}, expected {sorted(keys)}{hint}")
        return found

    def row_id(self, row: dict[str, Any]) -> str:
        id_field = self.dialect.id_field
        if row.get(id_field) is None:
            others = [k for k in ("id", "_id", "row_id") if k in row and k != id_field]
            hint = f'; try the override {{"id_field": "{others[0]}"}}' if others else ""
            self.fail(f"rows carry no {id_field!r}{hint}")
        return str(row[id_field])

    def mismatch(self, row: dict[str, Any], what: str) -> NoReturn:
        self.fail(f"{what}: {_excerpt(row)}")

    def fail(self, message: str, on: tuple[ApiCall, int] | None = None) -> NoReturn:
        """Fail on the last call answered (or the answered call `on`): its answer, or its
        effect, was not what the store needs."""
        call, status = on or self.last
        raise _Failed(FailedCall(call.method, call.path, status, _mask(message, self.secret)))


def vendor_message(response: httpx.Response, secret: str = "") -> str:
    """The vendor's own words in an error answer (FastAPI's `detail` spelled out), short."""
    try:
        text = _message_of(response.json())
    except ValueError:
        text = response.text
    text = " ".join(text.split())[:_MESSAGE_CHARS] or response.reason_phrase
    return _mask(text, secret)


def _message_of(data: Any) -> str:
    if isinstance(data, dict):
        for key in ("detail", "message", "error", "msg"):
            if key in data:
                value = data[key]
                return value if isinstance(value, str) else _message_of(value)
        return json.dumps(data)
    if isinstance(data, list):
        return "; ".join(_item(item) for item in data)
    return str(data)


def _item(item: Any) -> str:
    """One FastAPI validation error: `body.filters: Field required`."""
    if isinstance(item, dict) and "msg" in item:
        loc = ".".join(str(part) for part in item.get("loc") or [])
        return f"{loc}: {item['msg']}" if loc else str(item["msg"])
    return _message_of(item)


def _excerpt(value: Any) -> str:
    return json.dumps(value, default=str)[:_MESSAGE_CHARS]


def _mask(text: str, secret: str) -> str:
    return text.replace(secret, "<api key>") if secret else text

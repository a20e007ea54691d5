"""`GET /api/attendance.csv` through the real HTTP server: a streamed CSV download with the
filters, the ledger's rules from the token, and 400s that say what to send."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from adapters.web.api.paths import ATTENDANCE_CSV
from core.csv_export import BATCH
from core.model import Member, Role
from core.training_ledger import LedgerEntry, LedgerQuery
from tests.adapters.web.api.conftest import ADMIN, ANA, SENSEI, Api, member

BEN = member("ben", Role.MEMBER)
PATH = "/api/attendance.csv"


def entry(who: Member, at: datetime, series: str | None = "c-7", n: int = 0) -> LedgerEntry:
    return LedgerEntry(
        session_id=f"s-{at:%m%d}-{n}",
        member_id=who.id,
        member_name=who.display_name,
        title="Kata",
        series_id=series,
        instructor_id=SENSEI.id,
        starts_at=at,
        session_seconds=3600,
        seconds_present=2700,
        attended=True,
        recorded_at=at + timedelta(hours=1),
    )


async def download(api: Api, who: Member, query: str = "") -> tuple[int, dict[str, str], str]:
    async with api.client.get(PATH + query, headers=api.auth(who)) as response:
        body = await response.read()
        return response.status, dict(response.headers), body.decode("utf-8")


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


async def test_an_instructor_downloads_a_class_in_a_date_range(api: Api) -> None:
    march = datetime(2026, 3, 10, 18, tzinfo=UTC)
    await api.store.save_ledger(
        [
            entry(ANA, march),
            entry(BEN, march),
            entry(ANA, march + timedelta(days=40)),
            entry(BEN, march, series="c-9", n=1),
        ]
    )
    status, headers, text = await download(api, SENSEI, "?class=c-7&from=2026-03-01&to=2026-03-31")
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"].startswith('attachment; filename="attendance-class-c-7')
    assert headers["Transfer-Encoding"] == "chunked"
    assert text.startswith("\ufeffdate,session_id,title,class,")
    assert [(r[1], r[5], r[7]) for r in rows(text)[1:]] == [
        ("s-0310-0", ANA.id, "45"),
        ("s-0310-0", BEN.id, "45"),
    ]


async def test_a_member_gets_only_their_own_rows_and_403_for_others(api: Api) -> None:
    day = datetime(2026, 3, 10, 18, tzinfo=UTC)
    await api.store.save_ledger([entry(ANA, day), entry(BEN, day)])
    status, _, text = await download(api, ANA)
    assert status == 200
    assert [r[5] for r in rows(text)[1:]] == [ANA.id]
    async with api.client.get(f"{PATH}?member={BEN.id}", headers=api.auth(ANA)) as response:
        assert response.status == 403
        assert response.content_type == "application/json"
        error = (await response.json())["error"]
    assert error["code"] == "forbidden"
    assert "member=" in error["hint"]


async def test_bad_filters_say_what_to_send(api: Api) -> None:
    for query in ("?from=1/2/2026", "?to=0", "?klass=c-7", "?session=a b", "?class=a&class=b"):
        status, body = await api.call("GET", PATH + query, ADMIN)
        assert status == 400, query
        assert body["error"]["code"] == "bad_filter"
        assert "from=YYYY-MM-DD" in body["error"]["hint"]
    status, body = await api.call("GET", PATH + "?from=2026-03-02&to=2026-03-01", ADMIN)
    assert status == 422  # readable, but a range that ends before it starts
    assert "from=YYYY-MM-DD" in body["error"]["hint"]


async def test_no_token_is_401(api: Api) -> None:
    status, body = await api.call("GET", PATH)
    assert status == 401 and body["error"]["code"] == "unauthorized"


async def test_rows_are_sent_as_they_are_read(api: Api) -> None:
    """The first rows reach the client while the store is still held back: nothing waits
    for the whole export."""
    start = datetime(2026, 1, 1, 18, tzinfo=UTC)
    count = 3 * BATCH + 7
    await api.store.save_ledger(
        [entry(ANA, start + timedelta(minutes=i), n=i) for i in range(count)]
    )
    gate = asyncio.Event()
    read_ledger = api.store.read_ledger

    async def held_back(query: LedgerQuery, batch: int = 1000) -> AsyncIterator[LedgerEntry]:
        async for n, found in aenumerate(read_ledger(query, batch)):
            if n == BATCH + 1:
                await gate.wait()  # the rest only once the client has the first rows
            yield found

    api.store.read_ledger = held_back  # type: ignore[method-assign]
    received = b""
    async with asyncio.timeout(10), api.client.get(PATH, headers=api.auth(ADMIN)) as response:
        assert response.status == 200
        while received.count(b"\r\n") < BATCH + 1:
            received += await response.content.readany()
        gate.set()
        received += await response.content.read()
    assert len(rows(received.decode())) == count + 1


async def aenumerate(items: AsyncIterator[LedgerEntry]) -> AsyncIterator[tuple[int, LedgerEntry]]:
    n = 0
    async for item in items:
        n += 1
        yield n, item


async def test_the_document_describes_the_download(api: Api) -> None:
    status, document = await api.call("GET", "/api/openapi.json")
    assert status == 200
    operation = document["paths"][ATTENDANCE_CSV.path]["get"]
    assert operation["operationId"] == "exportAttendanceCsv"
    assert set(operation["responses"]["200"]["content"]) == {"text/csv"}
    assert "Content-Disposition" in operation["responses"]["200"]["headers"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"session", "class", "member", "from", "to"}
    assert {"400", "401", "403"} <= set(operation["responses"])

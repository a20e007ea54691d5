"""Attendance exports on Discord, through the fake Discord API and the real discord.py
client: `/export-attendance` sends the CSV as a DM with the file attached (multipart
`payload_json` + `files[0]`, as Discord takes files), and answers only the typer; the fake
refuses malformed multipart bodies the way Discord does."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from adapters.discord.ids import member_id
from core.errors import DeliveryRefused
from core.export_file import ExportFile
from core.i18n import t
from core.training_ledger import LedgerEntry
from tests.adapters.discord.conftest import Rig, known_members
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import FakeDiscord, Person, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
ANA = Person(602, "ana", [MEMBER_ROLE])
BEN = Person(603, "ben", [MEMBER_ROLE])
DAY = datetime(2026, 11, 20, 18, tzinfo=UTC)


def entry(person: Person, series: str = "c-7", n: int = 0) -> LedgerEntry:
    return LedgerEntry(
        session_id=f"s-{n}",
        member_id=member_id(person.user_id),
        member_name=person.name,
        title="Kata",
        series_id=series,
        instructor_id=member_id(SENSEI.user_id),
        starts_at=DAY + timedelta(days=n),
        session_seconds=3600,
        seconds_present=1800,
        attended=False,
        recorded_at=DAY + timedelta(days=n, hours=1),
    )


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


async def export(rig: Rig, person: Person, **options: Any) -> dict[str, Any]:
    return await rig.gateway.interact(
        slash_command("export-attendance", person, GUILD, CHANNEL, **options)
    )


async def test_the_csv_arrives_as_a_dm_attachment(rig: Rig) -> None:
    known_members(rig, SENSEI, ANA, BEN)
    await rig.store.save_ledger([entry(ANA), entry(BEN), entry(ANA, series="c-9", n=1)])
    answer = await export(rig, ANA)
    assert is_ephemeral(answer) and "sent to you privately" in text_of(answer)
    [(filename, data)] = rig.fake.attachments_to(ANA.user_id)
    assert filename.startswith("attendance-member-discord-602-") and filename in text_of(answer)
    assert [row[5] for row in csv_rows(data)[1:]] == [member_id(ANA.user_id)] * 2
    [dm] = rig.fake.dms_to(ANA.user_id)
    assert dm["content"] == "Attendance export: 2 rows"
    assert rig.fake.attachments_to(BEN.user_id) == []

    await export(rig, SENSEI, **{"class": "c-7", "from": "2026-11-20", "to": "2026-11-20"})
    [(_, data)] = rig.fake.attachments_to(SENSEI.user_id)
    assert [(row[0], row[6], row[9]) for row in csv_rows(data)[1:]] == [
        ("2026-11-20", "ana", "no"),
        ("2026-11-20", "ben", "no"),
    ]


async def test_a_member_asking_for_another_is_refused(rig: Rig) -> None:
    known_members(rig, ANA, BEN)
    await rig.store.save_ledger([entry(BEN)])
    answer = await export(rig, ANA, member=BEN)
    assert is_ephemeral(answer) and "only your own training record" in text_of(answer)
    assert rig.fake.attachments_to(ANA.user_id) == []


async def test_a_file_over_the_upload_limit_is_refused_not_crashed(rig: Rig) -> None:
    known_members(rig, ANA)
    rig.fake.upload_limit = 10
    file = ExportFile("a.csv", "text/csv; charset=utf-8", b"x" * 11, t("Attendance"))
    with pytest.raises(DeliveryRefused) as refused:
        await rig.frontend.discord_chat.send_file(member_id(ANA.user_id), file)
    assert "too large" in str(refused.value)


# the fake takes multipart like Discord ----------------------------------------------------


async def post_form(fake: FakeDiscord, form: aiohttp.FormData) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{fake.base}/users/@me/channels", json={"recipient_id": str(ANA.user_id)}
        ) as opened:
            channel = (await opened.json())["id"]
        async with http.post(f"{fake.base}/channels/{channel}/messages", data=form) as answer:
            return answer.status, await answer.json()


def form(payload: str | None, filename: str | None = "a.csv", name: str = "files[0]") -> Any:
    data = aiohttp.FormData()
    if payload is not None:
        data.add_field("payload_json", payload, content_type="application/json")
    data.add_field(name, b"a,b\r\n", filename=filename, content_type="text/csv")
    return data


async def test_malformed_multipart_is_refused_like_discord(fake: FakeDiscord) -> None:
    good = json.dumps({"content": "x", "attachments": [{"id": 0, "filename": "a.csv"}]})
    status, message = await post_form(fake, form(good))
    assert status == 200 and message["attachments"][0]["filename"] == "a.csv"
    status, body = await post_form(fake, form("{not json"))
    assert (status, body["code"]) == (400, 50109)
    status, body = await post_form(fake, form(json.dumps({"attachments": [{"id": 3}]})))
    assert (status, body["code"]) == (400, 50035) and "attachments" in body["errors"]
    status, body = await post_form(fake, form(good, name="upload"))
    assert (status, body["code"]) == (400, 50035)
    fake.upload_limit = 4
    status, body = await post_form(fake, form(good))
    assert (status, body["code"]) == (413, 40005)

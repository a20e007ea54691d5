"""Weekly classes on Discord, end to end: real discord.py over loopback against the fake API.

`/schedule-class` previews (nothing stored) and Create sets the class; its first class's card
carries an Every week button; `/class`, `/skip-class`, `/end-class` and `/update-class` work
through the executor; each occurrence is mirrored as its own Scheduled Event (never a
`recurrence_rule`); typed text never becomes a live mention; the fake refuses nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from core.model import RsvpStatus, SessionFilter, SessionStatus
from core.rules import CAPACITY_RANGE, DURATION_RANGE, TITLE_MAX
from core.series import SeriesStatus
from tests.adapters.discord.conftest import Rig
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    button_ids,
    is_ephemeral,
    text_of,
)
from tests.adapters.discord.test_untrusted_text import outgoing
from tests.fakes.discord_api import Person, button_press, slash_command
from tests.hostile import discord_live

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
MIA = Person(602, "mia", [MEMBER_ROLE])
HOSTILE = "@everyone <@123> **x**"
FIRST_CLASS = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
"""Thu 3 Dec 2026 18:00 in Berlin (the server's zone); the rig's clock is Tue 1 Dec 09:00."""


def message_of(rig: Rig, answer: dict[str, Any]) -> dict[str, Any]:
    """The ephemeral message an answer created (as discord.py will see it on a press)."""
    components = answer["data"].get("components") or []
    [message] = [m for m in rig.fake.messages.values() if m["components"] == components][-1:]
    return message | {"channel_id": str(CHANNEL)}


def labelled(message: dict[str, Any], label: str) -> str:
    [found] = [
        c["custom_id"]
        for row in message["components"]
        for c in row["components"]
        if c.get("label") == label
    ]
    return str(found)


async def preview(rig: Rig, title: str = "Kids karate", **options: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"days": "thu", "time": "18:00", "weeks": 4, "capacity": 2}
    fields |= options
    payload = slash_command("schedule-class", SENSEI, GUILD, CHANNEL, title=title, **fields)
    return await rig.gateway.interact(payload)


async def create(rig: Rig, title: str = "Kids karate", **options: Any) -> str:
    """Preview, press Create; the new class's id."""
    shown = await preview(rig, title, **options)
    message = message_of(rig, shown)
    press = button_press(labelled(message, "Create"), SENSEI, GUILD, CHANNEL, message)
    created = await rig.gateway.interact(press)
    assert created["type"] == 7, created  # the preview is replaced in place
    assert not created["data"].get("components"), created  # no second Create
    [series] = await rig.store.list_series()
    assert f"id {series.id}" in text_of(created)
    return series.id


def card_of(rig: Rig, series_id: str) -> dict[str, Any]:
    """The announcement card in the channel that carries the class's Every week button."""
    wanted = f"dojobot:every-week:{series_id}"
    [card] = [m for m in rig.fake.channel_messages(CHANNEL) if wanted in button_ids(m)]
    return card


async def test_preview_stores_nothing_then_create_sets_the_class(rig: Rig) -> None:
    shown = await preview(rig, days="mon,thu")
    assert is_ephemeral(shown)
    text = text_of(shown)
    assert "Preview: Kids karate" in text and "Create" in text
    stamp = int(FIRST_CLASS.timestamp())
    assert f"<t:{stamp}:F>" in text  # the next classes, each in the reader's own zone
    assert "every Mon, Thu at 18:00 (Europe/Berlin)" in text and "8 classes in all" in text
    assert await rig.store.list_series() == []
    assert await rig.store.list_sessions(SessionFilter()) == []

    series_id = await create(rig, days="mon,thu")
    [stored] = await rig.store.list_series()
    assert stored.rule.weekdays == frozenset({0, 3}) and stored.capacity == 2
    assert stored.origin is not None and stored.origin.channel_id == str(CHANNEL)
    first = await rig.service.get(f"{series_id}-20261203")
    assert first.series_id == series_id and first.start_time == FIRST_CLASS
    card = card_of(rig, series_id)  # one card: the first class only, no flood
    assert len(rig.fake.channel_messages(CHANNEL)) == 1
    assert f"dojobot:rsvp:{first.id}" in button_ids(card)
    assert rig.fake.refusals == []


async def test_cancel_on_the_preview_creates_nothing(rig: Rig) -> None:
    shown = await preview(rig)
    message = message_of(rig, shown)
    press = button_press(labelled(message, "Cancel"), SENSEI, GUILD, CHANNEL, message)
    answer = await rig.gateway.interact(press)
    assert answer["type"] == 7 and "Not created" in text_of(answer)
    assert await rig.store.list_series() == []
    assert rig.fake.refusals == []


async def test_bad_days_and_dates_say_what_to_type(rig: Rig) -> None:
    answer = await preview(rig, days="funday")
    assert '"funday" is not a day of the week' in text_of(answer)
    assert "mon,wed" in text_of(answer) and "/schedule-class title: days: time:" in text_of(answer)
    answer = await preview(rig, until="2026-11-01")
    assert "Preview" not in text_of(answer)
    assert await rig.store.list_series() == []
    assert rig.fake.refusals == []


async def test_every_week_on_the_card_show_skip_and_end(rig: Rig) -> None:
    series_id = await create(rig)
    card = card_of(rig, series_id)
    pressed = await rig.gateway.interact(
        button_press(f"dojobot:every-week:{series_id}", MIA, GUILD, CHANNEL, card)
    )
    assert is_ephemeral(pressed) and "You go to every class now" in text_of(pressed)
    [standing] = await rig.store.list_standing_rsvps(series_id)
    assert standing.member_id == f"discord:{MIA.user_id}"
    first_id = f"{series_id}-20261203"
    going = await rig.store.list_rsvps(first_id, RsvpStatus.GOING)
    assert [r.member_id for r in going] == [f"discord:{MIA.user_id}"]

    shown = await rig.gateway.interact(
        slash_command("class", MIA, GUILD, CHANNEL, **{"class": series_id})
    )
    text = text_of(shown)
    assert "1 going every week (you too)" in text and first_id in text
    picked = await rig.gateway.interact(
        slash_command("class", MIA, GUILD, CHANNEL, focused="class", **{"class": "karate"})
    )
    [choice] = picked["data"]["choices"]
    assert choice["value"] == series_id and choice["name"].startswith("Kids karate — every Thu")
    listed = await rig.gateway.interact(slash_command("classes", MIA, GUILD, CHANNEL))
    assert f"`{series_id}` **Kids karate**" in text_of(listed)

    # one Scheduled Event per occurrence, never a recurring one
    [event] = rig.fake.events.values()
    assert event["scheduled_start_time"] == FIRST_CLASS.isoformat()
    assert event["entity_metadata"]["location"].endswith(f"/sessions/{first_id}")
    assert not any("recurrence_rule" in (c.body or {}) for c in rig.fake.calls if c.body)

    skipped = await rig.gateway.interact(
        slash_command(
            "skip-class",
            SENSEI,
            GUILD,
            CHANNEL,
            **{"class": series_id, "day": "2026-12-03", "reason": "Dojo closed"},
        )
    )
    assert "Skipped a day of" in text_of(skipped) and "Dojo closed" in text_of(skipped)
    assert (await rig.service.get(first_id)).status is SessionStatus.CANCELED
    assert rig.fake.events[int(event["id"])]["status"] == 4  # SCHEDULED → CANCELED
    await rig.fake.wait_for(lambda: bool(rig.fake.dms_to(MIA.user_id)))
    assert [s.day for s in await rig.store.list_series_skips(series_id)] == [date(2026, 12, 3)]

    ended = await rig.gateway.interact(
        slash_command("end-class", SENSEI, GUILD, CHANNEL, **{"class": series_id})
    )
    assert "Ended: Kids karate" in text_of(ended)
    [stored] = await rig.store.list_series()
    assert stored.status is SeriesStatus.ENDED
    assert rig.fake.refusals == []


async def test_update_class_from_a_day_on(rig: Rig) -> None:
    series_id = await create(rig)
    answer = await rig.gateway.interact(
        slash_command(
            "update-class",
            SENSEI,
            GUILD,
            CHANNEL,
            **{"class": series_id, "following": "2026-12-10", "time": "19:00"},
        )
    )
    text = text_of(answer)
    assert "Changed: Kids karate" in text and "Then from Thu 10 Dec 2026" in text, text
    assert "at 19:00" in text
    [event] = rig.fake.events.values()  # the first class keeps its time, so does its event
    assert event["scheduled_start_time"] == FIRST_CLASS.isoformat()
    await rig.gateway.interact(
        slash_command(
            "update-class", SENSEI, GUILD, CHANNEL, **{"class": series_id, "time": "18:30"}
        )
    )
    moved = FIRST_CLASS.replace(minute=30)
    assert (await rig.service.get(f"{series_id}-20261203")).start_time == moved
    assert rig.fake.events[int(event["id"])]["scheduled_start_time"] == moved.isoformat()
    assert len(rig.fake.events) == 1
    denied = await rig.gateway.interact(
        slash_command("end-class", MIA, GUILD, CHANNEL, **{"class": series_id})
    )
    assert "Only admin or instructor" in text_of(denied)
    assert rig.fake.refusals == []


async def test_a_hostile_title_never_becomes_a_mention(rig: Rig) -> None:
    series_id = await create(rig, title=HOSTILE, description="<@&700000000000000012> hi")
    [stored] = await rig.store.list_series()
    assert stored.title == HOSTILE  # kept as typed
    card = card_of(rig, series_id)
    await rig.gateway.interact(
        button_press(f"dojobot:every-week:{series_id}", MIA, GUILD, CHANNEL, card)
    )
    for name in ("class", "every-week", "not-every-week"):
        await rig.gateway.interact(slash_command(name, MIA, GUILD, CHANNEL, **{"class": series_id}))
    await rig.gateway.interact(slash_command("classes", MIA, GUILD, CHANNEL))
    await rig.gateway.interact(
        slash_command(
            "end-class", SENSEI, GUILD, CHANNEL, **{"class": series_id, "reason": HOSTILE}
        )
    )
    sent = outgoing(rig)
    assert any("scheduled-events" in what for what, _ in sent)
    live = discord_live([body for _, body in sent])
    assert not live, live
    for what, body in sent:
        if "scheduled-events" not in what:
            assert body.get("allowed_mentions") == {"parse": []}, (what, body)
    assert rig.fake.refusals == []


async def test_the_commands_are_registered_and_help_fits(rig: Rig) -> None:
    names = {c["name"] for c in rig.fake.commands[str(GUILD)]}
    wanted = {"schedule-class", "classes", "class", "every-week", "not-every-week"}
    assert wanted | {"skip-class", "end-class", "update-class"} <= names
    answer = await rig.gateway.interact(slash_command("help", SENSEI, GUILD, CHANNEL))
    assert "/schedule-class title: days: time:" in text_of(answer)
    assert rig.fake.refusals == []


async def test_the_preview_tells_what_dst_does(rig: Rig) -> None:
    answer = await preview(rig, days="sun", time="02:30", weeks=1, **{"from": "2027-03-28"})
    text = text_of(answer)
    assert "Daylight saving time" in text and "02:30 doesn't exist in Europe/Berlin" in text
    assert "(moved by DST)" in text and "1 class in all" in text
    assert rig.fake.refusals == []


async def test_days_and_zone_autocomplete(rig: Rig) -> None:
    async def choices(option: str, typed: str) -> list[dict[str, Any]]:
        fields = {"title": "K", "days": "mon", "time": "18:00"} | {option: typed}
        payload = slash_command("schedule-class", SENSEI, GUILD, CHANNEL, focused=option, **fields)
        answer = await rig.gateway.interact(payload)
        found: list[dict[str, Any]] = answer["data"]["choices"]
        return found

    assert [(c["name"], c["value"]) for c in await choices("days", "wed, monday")] == [
        ("Mon, Wed", "mon,wed")
    ]
    [bad] = await choices("days", "funday")
    assert bad["name"].startswith("⚠")
    assert (await choices("timezone", ""))[0]["value"] == "Europe/Berlin"  # the server's first
    assert "America/New_York" in [c["value"] for c in await choices("timezone", "new york")]
    assert rig.fake.refusals == []


async def test_registered_options_carry_the_cores_limits(rig: Rig) -> None:
    commands = {c["name"]: c for c in rig.fake.commands[str(GUILD)]}
    for name in ("schedule-session", "schedule-class"):
        options = {o["name"]: o for o in commands[name]["options"]}
        assert options["title"]["max_length"] == TITLE_MAX
        duration = options["duration"]
        assert (duration["min_value"], duration["max_value"]) == DURATION_RANGE
        capacity = options["capacity"]
        assert (capacity["min_value"], capacity["max_value"]) == CAPACITY_RANGE

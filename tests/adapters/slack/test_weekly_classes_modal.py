"""The /schedule-class modal (issue 14): the form opens in the member's zone, bad fields come
back under their inputs, a valid form is answered with a preview of the next classes in the
member's own zone (with DST notes) pushed over the form, and Create stores the class and posts
one card to the channel the modal was opened from."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.limits import view_problems
from tests.adapters.slack.world import ANA, CHANNEL, SENSEI, SlackWorld
from tests.e2e.slack_transport import TRANSPORTS, Transport, slack_world

KENJI = "U0KENJI"
"""An instructor whose Slack zone is Asia/Tokyo."""


@pytest.fixture(params=TRANSPORTS)
async def world(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SlackWorld]:
    """Over signed HTTP and over Socket Mode: the acks carry the errors and views alike."""
    transport: Transport = request.param
    async with slack_world(tmp_path, transport, instructors=["@senseis", KENJI]) as built:
        built.api.add_user(KENJI, "Kenji", "Asia/Tokyo")
        yield built


async def open_form(world: SlackWorld, user: str) -> dict[str, Any]:
    """/schedule-class with no text; the view views.open received."""
    status, body = await world.sender.command("/schedule-class", "", user, CHANNEL)
    assert (status, body) == (200, "")
    await world.settle()
    opened = world.api.calls_of("views.open")[-1]
    assert opened.result.get("error") is None, opened.result
    view: dict[str, Any] = opened.args["view"]
    return view


def form(**changes: Any) -> dict[str, dict[str, Any]]:
    """The form's state: Kids karate, Mon and Wed 17:30 Berlin until 30 Jun 2027, cap 20."""
    values: dict[str, dict[str, Any]] = {
        "title": {"type": "plain_text_input", "value": "Kids karate"},
        "days": {
            "type": "checkboxes",
            "selected_options": [{"value": "0"}, {"value": "2"}],
        },
        "time": {"type": "timepicker", "selected_time": "17:30"},
        "timezone": {"type": "plain_text_input", "value": "Europe/Berlin"},
        "first_day": {"type": "datepicker", "selected_date": None},
        "until": {"type": "datepicker", "selected_date": "2027-06-30"},
        "weeks": {"type": "number_input", "value": None},
        "interval": {"type": "checkboxes", "selected_options": []},
        "duration_minutes": {"type": "number_input", "value": "60"},
        "capacity": {"type": "number_input", "value": "20"},
        "options": {"type": "checkboxes", "selected_options": [{"value": "chat_enabled"}]},
        "visibility": {"type": "radio_buttons", "selected_option": {"value": "members_only"}},
        "description": {"type": "plain_text_input", "value": "Bring a belt"},
    }
    for block_id, state in changes.items():
        values[block_id] = {**values[block_id], **state}
    return values


async def submit(
    world: SlackWorld, view: dict[str, Any], values: dict[str, Any], user: str
) -> dict[str, Any]:
    """Submit `view` and return the ack's body (the response_action)."""
    status, body = await world.sender.submit(view, values, user)
    assert status == 200, body
    answer: dict[str, Any] = json.loads(body)
    await world.settle()
    return answer


async def test_no_text_opens_the_class_form_with_the_members_zone(world: SlackWorld) -> None:
    view = await open_form(world, KENJI)
    assert view["callback_id"] == "dojo_series_form"
    assert json.loads(view["private_metadata"]) == {"channel_id": CHANNEL}
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"]}
    assert kinds == {
        "title": "plain_text_input",
        "days": "checkboxes",
        "time": "timepicker",
        "timezone": "plain_text_input",
        "first_day": "datepicker",
        "until": "datepicker",
        "weeks": "number_input",
        "interval": "checkboxes",
        "duration_minutes": "number_input",
        "capacity": "number_input",
        "options": "checkboxes",
        "visibility": "radio_buttons",
        "description": "plain_text_input",
    }
    [zone] = [b for b in view["blocks"] if b["block_id"] == "timezone"]
    assert zone["element"]["initial_value"] == "Asia/Tokyo"
    [days] = [b for b in view["blocks"] if b["block_id"] == "days"]
    assert [o["value"] for o in days["element"]["options"]] == [str(n) for n in range(7)]
    assert world.api.responses == []  # no reply: the form is the answer


async def test_bad_fields_come_back_under_their_inputs(world: SlackWorld) -> None:
    view = await open_form(world, KENJI)
    answer = await submit(
        world,
        view,
        form(
            days={"selected_options": []},
            timezone={"value": "Berlin"},
            weeks={"value": "12"},
            title={"value": "  "},
            capacity={"value": "0"},
        ),
        KENJI,
    )
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {"title", "days", "timezone", "weeks", "capacity"}
    assert errors["title"] == "Type the title."
    assert errors["capacity"].startswith("Capacity must be between 1 and")
    assert "Tick at least one day" in errors["days"]
    assert "Did you mean Europe/Berlin?" in errors["timezone"]
    assert "not both" in errors["weeks"]
    answer = await submit(world, view, form(until={"selected_date": "2026-11-30"}), KENJI)
    assert answer["errors"] == {
        "until": "Pick a last day on or after the first day (Tue 1 Dec 2026)."
    }

    # the core's rule about the whole timetable lands under the field that fixes it
    answer = await submit(world, view, form(until={"selected_date": "2029-06-30"}), KENJI)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["until"] and "two years" in answer["errors"]["until"]
    values = form(until={"selected_date": None}, weeks={"value": "200"})
    answer = await submit(world, view, values, KENJI)
    assert answer["errors"] == {"weeks": "A series runs for 1 to 104 weeks; got 200."}

    # a member may not schedule: said under the title, nothing stored
    answer = await submit(world, await open_form(world, ANA), form(), ANA)
    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["title"]
    assert await world.app.store.list_series() == []
    assert world.api.channel_posts(CHANNEL) == []


async def test_preview_in_the_members_zone_then_create_posts_one_card(world: SlackWorld) -> None:
    view = await open_form(world, KENJI)
    answer = await submit(world, view, form(), KENJI)
    assert answer["response_action"] == "push"  # over the form: its Back returns to it
    preview = answer["view"]
    assert view_problems(preview) == []
    assert preview["callback_id"] == "dojo_series_preview"
    assert (preview["submit"]["text"], preview["close"]["text"]) == ("Create", "Back")
    shown = json.dumps(preview["blocks"], ensure_ascii=False)
    # Wed 2 Dec 17:30 in Berlin (CET) is Thu 3 Dec 01:30 in Tokyo
    assert "in your time zone (Asia/Tokyo)" in shown
    assert "Thu 3 Dec 2026 01:30 JST (Asia/Tokyo)" in shown
    assert "Tue 8 Dec 2026 01:30 JST (Asia/Tokyo)" in shown
    assert shown.count("JST (Asia/Tokyo)") == 5
    assert "every Mon, Wed at 17:30 (Europe/Berlin) until Wed 30 Jun 2027" in shown
    assert "classes in all" in shown and "Daylight saving" not in shown
    assert await world.app.store.list_series() == []  # a preview stores nothing
    assert world.api.channel_posts(CHANNEL) == []

    answer = await submit(world, preview, {}, KENJI)
    assert answer == {"response_action": "clear"}
    [series] = await world.app.store.list_series()
    assert (series.title, series.capacity, series.rule.timezone) == (
        "Kids karate",
        20,
        "Europe/Berlin",
    )
    assert series.rule.local_time.strftime("%H:%M") == "17:30"
    assert sorted(series.rule.weekdays) == [0, 2]
    assert series.origin is not None and series.origin.channel_id == CHANNEL
    [card] = world.api.channel_posts(CHANNEL)
    assert "Kids karate" in card.args["text"]
    [reply] = world.api.calls_of("chat.postEphemeral")
    assert reply.args["user"] == KENJI and "Weekly class" in reply.args["text"]


async def test_preview_tells_the_dst_move_of_a_0230_sunday_class(world: SlackWorld) -> None:
    view = await open_form(world, SENSEI)
    values = form(
        days={"selected_options": [{"value": "6"}]},
        time={"selected_time": "02:30"},
        until={"selected_date": "2027-04-30"},
        title={"value": "Kata <!channel> & <@U0ANA>"},
    )
    answer = await submit(world, view, values, SENSEI)
    assert answer["response_action"] == "push"
    assert view_problems(answer["view"]) == []
    shown = json.dumps(answer["view"]["blocks"], ensure_ascii=False)
    assert "Daylight saving" in shown
    assert (
        "Sun 28 Mar 2027: 02:30 doesn't exist in Europe/Berlin that night (clocks go forward), "
        "so that class starts at 03:00." in shown
    )
    assert "Sun 6 Dec 2026 02:30 CET (Europe/Berlin)" in shown  # the sensei's own zone
    assert "Kata &lt;!channel&gt; &amp; &lt;@U0ANA&gt;" in shown  # typed text is never live
    assert "<!channel>" not in shown and "<@U0ANA>" not in shown


async def test_a_description_too_long_to_carry_is_refused_under_it(world: SlackWorld) -> None:
    view = await open_form(world, KENJI)
    quotes = '"' * 1999  # each is two characters in the preview's JSON metadata
    answer = await submit(world, view, form(description={"value": quotes}), KENJI)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["description"]
    assert "shorten the description by" in answer["errors"]["description"]

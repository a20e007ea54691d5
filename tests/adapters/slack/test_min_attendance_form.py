"""The Slack schedule modal's "Minimum going" input: a valid view with the field, read back
into the command's minimum, and a minimum above the capacity shown under the field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.i18n import BabelLanguages
from adapters.slack.limits import view_problems
from adapters.slack.render_modal import schedule_modal
from adapters.slack.schedule_form import read_schedule_form

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def submitted(capacity: str | None, minimum: str | None) -> dict[str, Any]:
    values = {
        "title": {"value": "Kata"},
        "start_time": {"selected_date_time": int(START.timestamp())},
        "duration_minutes": {"value": "60"},
        "capacity": {"value": capacity},
        "min_going": {"value": minimum},
        "visibility": {"selected_option": {"value": "members_only"}},
    }
    return {"state": {"values": {k: {"value": v} for k, v in values.items()}}}


def test_the_modal_asks_for_a_minimum_and_reads_it_back() -> None:
    view = schedule_modal("C1", NOW, [], BabelLanguages().translator("de"))
    assert view_problems(view) == []
    field = next(b for b in view["blocks"] if b["block_id"] == "min_going")
    assert field["optional"] and field["element"]["type"] == "number_input"
    assert field["label"]["text"] == "Mindestzahl an Zusagen"
    command, errors = read_schedule_form(submitted("12", "5"), NOW)
    assert errors == {} and command is not None and command.min_going == 5
    command, errors = read_schedule_form(submitted(None, None), NOW)
    assert command is not None and command.min_going is None


def test_a_minimum_above_the_capacity_is_shown_under_its_field() -> None:
    command, errors = read_schedule_form(submitted("4", "6"), NOW)
    assert command is None
    assert errors == {"min_going": "The minimum (6) can't be above the capacity (4)."}

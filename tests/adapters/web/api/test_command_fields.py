"""The REST bodies carry the core commands' fields: names, defaults and optionality once."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from adapters.web.api.schemas import SessionCreate, SessionUpdate, command_fields
from core.commands import ScheduleSession, UpdateSession


def test_bodies_have_the_commands_fields_and_defaults() -> None:
    for body, command in ((SessionCreate, ScheduleSession), (SessionUpdate, UpdateSession)):
        wanted = {n: f for n, f in command.model_fields.items() if n != "session_id"}
        assert list(body.model_fields) == list(wanted)
        for name, field in wanted.items():
            got = body.model_fields[name]
            assert got.get_default(call_default_factory=True) == field.get_default(
                call_default_factory=True
            )
            assert got.is_required() == field.is_required()


def test_a_command_field_gets_the_apis_strict_type() -> None:
    class Retitle(BaseModel):
        session_id: str
        title: str | None = None
        capacity: int | None = None

    fields = command_fields(Retitle)
    assert list(fields) == ["title", "capacity"]
    body = SessionUpdate.model_validate({"capacity": 20})
    assert body.command("s1").capacity == 20
    for bad in ({"capacity": "20"}, {"capacity": 0}, {"title": ""}, {"unlimited": 1}):
        with pytest.raises(ValidationError):
            SessionUpdate.model_validate(bad)


def test_a_command_field_without_an_api_type_is_refused_at_once() -> None:
    class Renamed(BaseModel):
        colour: str = "red"

    with pytest.raises(KeyError, match="colour"):
        command_fields(Renamed)

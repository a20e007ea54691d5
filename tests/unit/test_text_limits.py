"""The limits of a session's text fields live once, in core.rules: every front end meets them
(the REST API used to be the only one refusing a 10,000-character description), and the API's
schema states the same numbers."""

from __future__ import annotations

import pytest

from adapters.web.api.schemas import SessionCreate
from core.commands import CreateEvent, UpdateSession
from core.errors import InvalidInput
from core.rules import DESCRIPTION_MAX, TAG_MAX, TAGS_MAX
from tests.unit.conftest import SENSEI, World


async def test_a_description_over_the_limit_is_refused_everywhere(world: World) -> None:
    with pytest.raises(InvalidInput, match=f"limit is {DESCRIPTION_MAX}"):
        await world.schedule(description="x" * (DESCRIPTION_MAX + 1))
    session = await world.schedule(description="  " + "x" * DESCRIPTION_MAX + "  ")
    assert len(session.description) == DESCRIPTION_MAX
    with pytest.raises(InvalidInput) as refused:
        await world.service.update(
            SENSEI, UpdateSession(session_id=session.id, description="y" * (DESCRIPTION_MAX + 1))
        )
    assert refused.value.hint is not None and refused.value.hint.startswith("Shorten it")
    with pytest.raises(InvalidInput, match=f"limit is {DESCRIPTION_MAX}"):
        await world.service.create_event(
            SENSEI, CreateEvent(title="Camp", description="z" * (DESCRIPTION_MAX + 1))
        )


async def test_tags_are_counted_and_bounded(world: World) -> None:
    with pytest.raises(InvalidInput, match=f"limit is {TAGS_MAX}"):
        await world.schedule(tags=[f"t{i}" for i in range(TAGS_MAX + 1)])
    with pytest.raises(InvalidInput, match=f"limit is {TAG_MAX}"):
        await world.schedule(tags=["k" * (TAG_MAX + 1)])
    session = await world.schedule(tags=[" kata ", "", *[f"t{i}" for i in range(TAGS_MAX - 1)]])
    assert session.tags[0] == "kata" and len(session.tags) == TAGS_MAX
    with pytest.raises(InvalidInput, match=f"limit is {TAGS_MAX}"):
        await world.service.update(
            SENSEI, UpdateSession(session_id=session.id, tags=["a"] * (TAGS_MAX + 1))
        )


def test_the_api_schema_states_the_core_limits() -> None:
    schema = SessionCreate.model_json_schema()["properties"]
    assert schema["description"]["maxLength"] == DESCRIPTION_MAX
    tags = schema["tags"]
    assert tags["maxItems"] == TAGS_MAX
    assert tags["items"]["maxLength"] == TAG_MAX

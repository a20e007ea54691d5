"""RealtimeKit lists read completely, whatever the (undocumented) page numbering and size.

The docs give `page_no` a minimum of 0, no maximum `per_page`, and answers a
`paging.total_count`; they do not say whether pages start at 0 or 1 or whether a server serves
fewer rows than asked. The fake is run under each reading; the old loop (pages 1, 2, … until a
short page) missed participants under two of them and then added them a second time.
"""

from __future__ import annotations

import pytest

from adapters.realtimekit import PresetNames, RealtimeKitRooms
from adapters.realtimekit.paging import Pages
from core.model import Member
from tests.adapters.realtimekit.conftest import T0, Sleeps, session, settings_for
from tests.fakes.realtimekit_api import FakeRealtimeKit

FIRST = Member(id="slack:T1:U2", display_name="Ann")
LAST = Member(id="slack:T1:U9", display_name="Zed")

READINGS = [
    pytest.param(0, None, id="pages-from-0"),
    pytest.param(1, None, id="pages-from-1"),
    pytest.param(1, 50, id="pages-from-1-at-most-50"),
    pytest.param(0, 30, id="pages-from-0-at-most-30"),
]


@pytest.mark.parametrize(("first_page", "max_per_page"), READINGS)
async def test_250_participants_none_missed_none_added_twice(
    fake: FakeRealtimeKit, sleeps: Sleeps, first_page: int, max_per_page: int | None
) -> None:
    fake.first_page, fake.max_per_page = first_page, max_per_page
    before = RealtimeKitRooms(settings_for(fake), page_url="https://dojo.example", sleep=sleeps)
    s = session(await before.create_room(session()))
    meeting_id = s.room.room_id or ""
    await before.join_url(s, FIRST, False, T0)
    fake.add_participants(meeting_id, 250)
    await before.join_url(s, LAST, False, T0)
    await before.close()

    after = RealtimeKitRooms(settings_for(fake), page_url="https://dojo.example", sleep=sleeps)
    for member in (FIRST, LAST):  # a restart: nothing cached, both are looked up
        await after.join_url(s, member, False, T0)
    assert len(fake.calls("POST", "/participants")) == 2
    assert len(fake.participants[meeting_id]) == 252

    await after.delete_room(meeting_id)  # every participant found, each deleted once
    await after.close()
    assert fake.participants[meeting_id] == {}
    assert len(fake.calls("DELETE")) == 252


@pytest.mark.parametrize(("first_page", "max_per_page"), READINGS)
async def test_presets_are_read_on_every_page(
    fake: FakeRealtimeKit, sleeps: Sleeps, first_page: int, max_per_page: int | None
) -> None:
    fake.first_page, fake.max_per_page = first_page, max_per_page
    fake.presets = ["group_call_host", *(f"team_{n}" for n in range(150)), "late_viewer"]
    presets = PresetNames(participant="late_viewer")
    rooms = RealtimeKitRooms(
        settings_for(fake, presets=presets), page_url="https://dojo.example", sleep=sleeps
    )
    await rooms.check_presets()
    await rooms.close()
    assert rooms.presets_checked


def test_pages_stop_on_a_total_that_never_fills() -> None:
    """A `total_count` larger than what the pages hold ends after a bounded number of calls."""
    pages = Pages(per_page=2)
    asked = []
    while (page := pages.next_page()) is not None:
        asked.append(page)
        pages.add([{"id": "a"}, {"id": "b"}], {"total_count": 5})
    assert len(pages.rows) == 2
    assert len(asked) <= 5


def test_pages_without_paging_stop_on_a_short_page() -> None:
    pages = Pages(per_page=2)
    answers = iter([[{"id": "a"}, {"id": "b"}], [{"id": "c"}]])
    while pages.next_page() is not None:
        pages.add(next(answers), None)
    assert [row["id"] for row in pages.rows] == ["a", "b", "c"]

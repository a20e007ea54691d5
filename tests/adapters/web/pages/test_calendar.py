"""Calendar files, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from core.commands import UpdateSession
from core.model import Visibility
from tests.adapters.web.pages.conftest import ANA, SENSEI, Site


async def fetch(site: Site, path: str) -> Calendar:
    response = await site.client.get(path)
    assert response.status == 200, path
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(await response.read())


async def test_one_session_as_ics(site: Site) -> None:
    session = await site.schedule(
        title="Kata, basics; and more", description="Line one\nLine two", tags=["kata"]
    )
    await site.service.rsvp(ANA, session.id)
    calendar = await fetch(site, f"/sessions/{session.id}.ics")
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"{session.id}@dojo.example"
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert str(event["SUMMARY"]) == "Kata, basics; and more"
    assert "Line one\nLine two" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"https://dojo.example/sessions/{session.id}"
    assert event["STATUS"] == "CONFIRMED"
    assert event["CLASS"] == "PRIVATE"  # members-only by default
    raw = (await (await site.client.get(f"/sessions/{session.id}.ics")).read()).decode()
    assert "DTSTART:20261203T090000Z" in raw
    assert ANA.display_name not in raw and ANA.id not in raw and SENSEI.id not in raw


async def test_a_canceled_session_is_cancelled_in_the_calendar(site: Site) -> None:
    session = await site.schedule()
    await site.service.cancel(SENSEI, session.id)
    [event] = (await fetch(site, f"/sessions/{session.id}.ics")).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"


async def test_the_feed_lists_upcoming_public_sessions_only(site: Site) -> None:
    public = await site.schedule(title="Public", visibility=Visibility.PUBLIC)
    live = await site.schedule(in_=timedelta(minutes=5), title="Live", visibility=Visibility.PUBLIC)
    await site.schedule(title="Members")
    canceled = await site.schedule(title="Canceled", visibility=Visibility.PUBLIC)
    await site.service.cancel(SENSEI, canceled.id)
    site.clock.advance(timedelta(minutes=5))
    await site.service.start(SENSEI, live.id)
    calendar = await fetch(site, "/calendar.ics")
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Live", "Public"]
    assert {str(e["UID"]).split("@")[0] for e in events} == {live.id, public.id}
    assert all(e["CLASS"] == "PUBLIC" for e in events)


async def test_unknown_session_ics_is_404(site: Site) -> None:
    response = await site.client.get("/sessions/nosuch12.ics")
    assert response.status == 404


async def test_each_change_raises_the_sequence_under_the_same_uid(site: Site) -> None:
    session = await site.schedule()

    async def event() -> tuple[str, int, datetime]:
        [found] = (await fetch(site, f"/sessions/{session.id}.ics")).walk("VEVENT")
        return str(found["UID"]), int(found.decoded("SEQUENCE")), found.decoded("DTSTART")

    uid, first, _ = await event()
    assert first == 0
    await site.service.update(SENSEI, UpdateSession(session_id=session.id, title="Kata II"))
    moved_to = session.start_time + timedelta(days=1)
    await site.service.update(SENSEI, UpdateSession(session_id=session.id, start_time=moved_to))
    assert await event() == (uid, 2, moved_to)
    await site.service.cancel(SENSEI, session.id)
    assert await event() == (uid, 3, moved_to)

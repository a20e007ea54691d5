"""Through the terminal on SQLite, with waitlist offers on: a freed seat is offered by DM
with Claim / Pass, a claim out of turn is refused with the reason, an offer lapses at its
deadline (kept by the clock, across a restart) and goes to the next, who claims it; a
member's seat notice is kept and shown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.offer_settings import OfferSettings
from tests.e2e.conftest import Terminal, booted


@pytest.fixture
async def offering(tmp_path: Path) -> AsyncIterator[Terminal]:
    async with booted(tmp_path, offers=OfferSettings(enabled=True)) as term:
        yield term


def dms_to(printed: list[str], name: str, needle: str) -> list[str]:
    return [line for line in printed if f"[DM → {name}]" in line and needle in line]


async def test_a_freed_seat_is_offered_lapses_and_goes_to_the_next(offering: Terminal) -> None:
    term = offering
    printed = await term.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-02 18:00 60m cap 1'
    )
    kata = term.session_id(printed)
    await term.type(
        "/as ana member", f"/rsvp {kata}", "/as ben member", f"/rsvp {kata}",
        "/as cal member", f"/rsvp {kata}",
    )  # fmt: skip

    printed = await term.type("/as ana member", f"/unrsvp {kata}")  # 09:00: the seat frees
    [offer] = dms_to(printed, "ben", "A seat in “Kata” is free — claim it by")
    assert "11:00" in offer, offer  # two hours to claim
    assert any(f"[Claim] /claim {kata}" in line for line in printed), printed
    assert any(f"[Pass] /pass {kata}" in line for line in printed), printed
    assert not dms_to(printed, "cal", "A seat")

    printed = await term.type("/as cal member", f"/claim {kata}")
    assert any("No seat in “Kata” is offered to you yet." in line for line in printed), printed
    assert any("You're #2 on the waitlist" in line for line in printed), printed

    await term.restart()  # the deadline is kept by the store, not by this process
    printed = await term.type("/advance 1h59m")
    assert not dms_to(printed, "ben", "did not claim")
    printed = await term.type("/advance 1m")  # 11:00: ben's offer lapses, cal's begins
    assert len(dms_to(printed, "ben", "You did not claim the seat in “Kata” in time")) == 1
    assert len(dms_to(printed, "cal", "A seat in “Kata” is free — claim it by")) == 1

    printed = await term.type("/as ben member", f"/claim {kata}")
    assert any("This offer ended at" in line for line in printed), printed
    assert any(f"/rsvp {kata} puts you back on the waitlist." in line for line in printed)

    printed = await term.type("/as cal member", f"/claim {kata}")
    assert any("The seat in “Kata” is yours: you're going." in line for line in printed)
    printed = await term.type(f"/session {kata}")
    assert any("cal" in line for line in printed), printed
    printed = await term.type("/advance 3h")
    assert not [line for line in printed if "[DM →" in line and "A seat" in line], printed


async def test_a_seat_notice_is_kept_shown_and_skips_short_offers(offering: Terminal) -> None:
    term = offering
    printed = await term.type(
        "/as sensei instructor", '/schedule-session "Randori" 2026-12-01 11:30 60m cap 1'
    )
    randori = term.session_id(printed)
    printed = await term.type("/as ana member", "/seat-notice 3h")
    assert any("only with at least 3 h before the start" in line for line in printed), printed
    printed = await term.type("/reminders")
    assert any("seat offers: only with 3 h notice or more" in line for line in printed), printed
    printed = await term.type("/seat-notice soon")
    assert any("is not a length of time" in line for line in printed), printed
    await term.type(
        "/as ben member", f"/rsvp {randori}", "/as ana member", f"/rsvp {randori}",
        "/as cal member", f"/rsvp {randori}",
    )  # fmt: skip
    printed = await term.type("/as ben member", f"/unrsvp {randori}")  # 2 h 30 min before
    assert not dms_to(printed, "ana", "A seat")  # ana asked for 3 h
    assert len(dms_to(printed, "cal", "A seat in “Randori” is free — claim it by")) == 1
    printed = await term.type("/as cal member", f"/pass {randori}")
    assert any("You passed the seat in “Randori” on" in line for line in printed), printed

"""`bench.fair_seats` at a tiny size, so the benchmark cannot rot: it runs against the current
schema and service, and its invariants hold (no offer DMed twice, no seat made or lost)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bench.fair_seats import table
from bench.fair_seats_week import Dm, Figures, Params, simulate


async def test_a_tiny_week_keeps_every_invariant(tmp_path: Path) -> None:
    params = Params(sessions=4, waitlisted=4, lapsing=2)
    figures = await simulate(params, tmp_path)
    kinds = figures.kinds()
    assert figures.freed > 0 and kinds["seat_offered"] > 0
    assert 0 < figures.filled <= figures.freed
    assert figures.filled + figures.empty_nobody_left + figures.empty_nobody_claimed == (
        figures.freed
    )
    assert figures.duplicate_offer_dms() == 0
    assert figures.duplicate_other_dms() == 0
    assert (figures.over_capacity, figures.seats_lost, figures.unmatched_claims) == (0, 0, 0)
    assert figures.missed_replans == 0
    assert figures.wakeup_cpu and figures.lapse_counts
    assert set(figures.lapse_counts) == {2}  # each wake-up lapsed both offers at once
    assert "| **duplicate offer DMs**" in table(params, figures)


def test_the_same_offer_delivered_twice_is_counted() -> None:
    deadline = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    offer = Dm(step=1, member="U1", kind="seat_offered", session="s1", detail=deadline)
    figures = Figures(dms=[offer, offer, Dm(2, "U1", "offer_lapsed", "s1", None)])
    assert figures.duplicate_offer_dms() == 1


def test_next_in_line_and_places_released_are_two_dms_not_a_duplicate() -> None:
    moved = [
        Dm(1, "U1", "waitlist_moved", "s1", "You're next on the waitlist of “{title}”."),
        Dm(2, "U1", "waitlist_moved", "s1", "You have a seat in “{title}”, so I took you off"),
    ]
    assert Figures(dms=moved).duplicate_other_dms() == 0
    assert Figures(dms=[moved[0], moved[0]]).duplicate_other_dms() == 1

"""Fair seats: waitlist offers over a simulated week, through the real service and duty.

    python -m bench.fair_seats [--sessions 1000] [--waitlisted 50] [--lapsing 100] [--no-write]

1,000 sessions (capacity 20, full: 20 going members) each with 50 waitlisted members, their
starts spread evenly at random over a week, seeded in bulk into a SQLite file (the default
store, current schema, reminders planned as `SessionService` plans them; `bench.seed_ours`
style). Members come from a community of 20,000, so one member can wait in overlapping
sessions (taking a seat releases their other places, as the service does). Offers are on
with the default `OfferRules`: a 2 h claim window, 15 min inside the last 2 h, every
waitlisted member told at once inside the last 30 min (the first claim wins).

During the week each going member leaves with probability 25 % (a freed seat), one in five
of those in the last 3 h before the start (so frees reach the late windows), the others at
a uniform instant between the week's start and the session's; 10 % of the waitlisted leave
the same way. An offered member claims (60 %, 1–20 min after the DM, inside the window),
passes (15 %, at a random moment of the window) or never answers (25 %: the offer lapses
and the seat cascades to the next). Told in the open window, a member claims with
probability 20 % within 10 minutes (the first wins, the others are told it is taken).

Everything runs on a FakeClock through `SessionService` (`unrsvp`, `claim`, `pass_seat`) and
the real `OfferDuty`, woken at the instant the store says (`next_due`, the indexed MIN of
open deadlines), the loop jumping event to event (no fixed step). The alarm re-plans only
when the service reports a timing change (`timing_listener`), as in production; the store's
next deadline is read afresh at every step too, so a missed re-plan is counted, not hidden.
The chat is a counter recording every DM (its session, member, kind and deadline), so
duplicates are counted from what was delivered.

Then a separate measured step: `--lapsing` further sessions get one offer each at the same
instant; the duty's wake-up at that deadline lapses them all (and offers each seat on: the
next round of the cascade), ten rounds in a row.

Wake-up cost: CPU time of the process (`process_time`: all threads, SQLite's included) of
the duty's `run_due` plus the `next_due` the alarm reads after it. The table goes to stdout
and, unless --no-write, into BENCHMARKS.md between its markers. A benchmark, not a test: it
asserts nothing, but refuses to print a table whose labels its figures contradict.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench.fair_seats_week import Figures, Params, simulate
from bench.report import write_section


def pct(values: list[float], q: float) -> float:
    """The nearest-rank `q` quantile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_min(minutes: float) -> str:
    return f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.1f} h"


def table(params: Params, f: Figures) -> str:
    """The BENCHMARKS.md section; refuses (SystemExit) when a label would be false."""
    if f.lapse_counts and any(n != f.lapse_step_size for n in f.lapse_counts):
        raise SystemExit(f"the lapse step lapsed {f.lapse_counts}, not {f.lapse_step_size} each")
    kinds = f.kinds()
    fills = f.fill_minutes

    def spread(values: list[float], show: Callable[[float], str]) -> str:
        if not values:
            return "—"
        return (
            f"{show(statistics.median(values))} / {show(pct(values, 0.9))} "
            f"/ {show(pct(values, 0.99))}"
        )

    lapse = (
        f"{fmt_ms(statistics.median(f.lapse_cpu))} / {fmt_ms(max(f.lapse_cpu))}"
        if f.lapse_cpu
        else "—"
    )
    rows = [
        ("sessions × waitlisted (capacity 20, full)", f"{f.sessions:,} × {f.waitlisted}"),
        ("seats freed (going members leaving)", f"{f.freed:,}"),
        ("offers sent (seat held, Claim / Pass DM)", f"{kinds['seat_offered']:,}"),
        ("offers lapsed (never answered)", f"{kinds['offer_lapsed']:,}"),
        ("open-to-all rounds (last 30 min) / DMs", f"{f.open_rounds():,} / {kinds['seat_open']:,}"),
        ("seats filled by a claim", f"{f.filled:,}"),
        ("still empty at the start: nobody left to offer", f"{f.empty_nobody_left:,}"),
        ("still empty at the start: waitlisted, none claimed", f"{f.empty_nobody_claimed:,}"),
        ("freed → filled, simulated (median / p90 / p99)", spread(fills, fmt_min)),
        ("claims refused (taken / expired / not waiting)", refused(f.claims)),
        ("**duplicate offer DMs** (same offer or lapse twice)", f"**{f.duplicate_offer_dms()}**"),
        ("duplicate other DMs (place moved, open round)", f"{f.duplicate_other_dms()}"),
        ("over capacity / seats lost / claims with no freed seat",
         f"{f.over_capacity} / {f.seats_lost} / {f.unmatched_claims}"),
        ("alarm re-plans missed (store's deadline earlier)", f"{f.missed_replans}"),
        ("duty wake-ups in the week", f"{len(f.wakeup_cpu):,}"),
        ("CPU per wake-up (median / p99)",
         f"{fmt_ms(statistics.median(f.wakeup_cpu))} / {fmt_ms(pct(f.wakeup_cpu, 0.99))}"
         if f.wakeup_cpu else "—"),
        (f"CPU per wake-up, {f.lapse_step_size} lapsing at once (median / max of "
         f"{len(f.lapse_cpu)})", lapse),
        ("DMs per such wake-up (lapsed / offered / place moved)", lapse_dms(f)),
        ("wall time: seeding / the week / in all",
         f"{f.seconds_seeding:.0f} s / {f.seconds_week:.0f} s / {f.seconds_total:.0f} s"),
    ]  # fmt: skip
    lines = [
        "## Fair seats: waitlist offers over a simulated week (`bench/fair_seats.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.fair_seats --sessions {params.sessions} "
        f"--waitlisted {params.waitlisted} --lapsing {params.lapsing}` (seed {params.seed}). "
        "SQLite, `SessionService` and the clock's `OfferDuty` on a FakeClock jumping event "
        "to event; default offer rules (2 h window, 15 min in the last 2 h, open to all in "
        "the last 30 min). 25 % of going members and 10 % of waitlisted leave (a fifth of "
        "them in the last 3 h); offers: 60 % claim in 1–20 min, 15 % pass, 25 % never "
        "answer; told a seat is open, 20 % claim within 10 min. CPU is the process's "
        "(`process_time`) for `run_due` + `next_due`.",
        "",
        "| measure | value |",
        "|---|---:|",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
    ]
    return "\n".join(lines) + "\n"


def lapse_dms(f: Figures) -> str:
    rounds = len(f.lapse_cpu) or 1
    return " / ".join(
        f"{f.lapse_dms[kind] / rounds:,.0f}"
        for kind in ("offer_lapsed", "seat_offered", "waitlist_moved")
    )


def refused(claims: Counter[str]) -> str:
    return (
        f"{claims['taken']:,} / {claims['expired']:,} / "
        f"{claims['not_waiting'] + claims['not_your_turn']:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--waitlisted", type=int, default=50)
    parser.add_argument("--lapsing", type=int, default=100)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args()
    params = Params(args.sessions, args.waitlisted, args.lapsing, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-fair-seats-") as tmp:
        figures = asyncio.run(simulate(params, Path(tmp)))
    section = table(params, figures)
    print(section)
    if not args.no_write:
        write_section("fair_seats", section)


if __name__ == "__main__":
    main()

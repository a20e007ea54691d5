"""Hostile and careless input for the fuzz tests: hypothesis strategies and the budget.

`DOJOBOT_FUZZ_EXAMPLES` sets how many inputs each fuzz test tries (default: a few hundred,
so the regular suite stays fast); the marked long run sets it to thousands.
"""

from __future__ import annotations

import logging
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from core.grammar import ALIASES, USAGE

EXAMPLES = int(os.environ.get("DOJOBOT_FUZZ_EXAMPLES", "300"))
"""Inputs per fuzz test."""

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 300,  # the regular run is reproducible; long runs explore
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

HUGE = ["99999999999999999999", "9" * 400, "1" + "0" * 30, "-99999999999", "0", "-1", "1e9"]
WORDS = [
    *(f"/{name}" for name in USAGE),
    *(f"/{alias}" for alias in ALIASES),
    "today",
    "tonight",
    "tomorrow",
    "in",
    "next",
    "this",
    "at",
    "on",
    "fri",
    "friday",
    "18:00",
    "6pm",
    "6:30",
    "am",
    "pm",
    "noon",
    "midnight",
    "24:00",
    "23:59:59",
    "2026-12-03",
    "2026-12-03T18:00+01:00",
    "9999-12-31",
    "0001-01-01",
    "2026/2/30",
    "dec",
    "1",
    "31",
    "29",
    "feb",
    "2027",
    "1st",
    "Europe/Berlin",
    "UTC",
    "Z",
    "Mars/Base",
    "CET",
    "utc+5",
    "berlin",
    "60m",
    "1h30m",
    "1h30",
    "90",
    "1.5h",
    "2d",
    "3w",
    "an",
    "a",
    "hour",
    "minutes",
    "days",
    "weeks",
    "cap",
    "capacity",
    "unlimited",
    "duration",
    "for",
    "event",
    "tags",
    "desc",
    "title",
    "when",
    "rec",
    "norec",
    "chat",
    "nochat",
    "public",
    "members-only",
    "all",
    "mine",
    "live",
    "ended",
    "canceled",
    "scheduled",
    "leave",
    "start",
    "stop",
    "going",
    "help",
    '"',
    "'",
    "“",
    "”",
    '"Kata',
    'basics"',
    "#",
    "<!channel>",
    "<@U123>",
    "&lt;",
    "\t",
    "\x00",
    "²",
    "٣",
    "①",
    "１２",
    "𝟗",
    "-",
    "--",
    ",",
    "kata,",
    *HUGE,
]


def _joined(parts: list[str]) -> str:
    return " ".join(parts)


tokens = st.one_of(
    st.sampled_from(WORDS),
    st.integers().map(str),
    st.text(max_size=12),
    st.builds(
        lambda n, u: f"{n}{u}",
        st.integers(min_value=-10, max_value=10**25),
        st.sampled_from(["m", "h", "d", "w", " minutes", "days", ""]),
    ),
)
"""One word: the grammar's vocabulary, numbers of every size, or anything at all."""

lines = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda name, rest: f"{name} {_joined(rest)}",
        st.sampled_from([f"/{name}" for name in (*USAGE, *ALIASES)]),
        st.lists(tokens, max_size=12),
    ),
    st.lists(tokens, max_size=14).map(_joined),
)
"""A whole command line: free text, a command with fuzzed words, or fuzzed words alone."""

times = st.one_of(st.text(max_size=60), st.lists(tokens, max_size=6).map(_joined))
"""What a member types where a time (or a duration) goes."""


class Failures(logging.Handler):
    """Collects every log record of an error-boundary report ("… failed (ref …)")."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> Failures:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        logging.getLogger().removeHandler(self)

"""The bounded option types of dojobot's slash commands (Discord checks them client-side):
the core's own limits (`core.rules`, `core.recurrence`), so Discord refuses exactly what the
service would."""

from __future__ import annotations

from discord import app_commands

from core.min_attendance import DECIDE_RANGE
from core.recurrence import MAX_WEEKS
from core.rules import CAPACITY_RANGE, DESCRIPTION_MAX, DURATION_RANGE, TITLE_MAX

Title = app_commands.Range[str, 1, TITLE_MAX]
Description = app_commands.Range[str, 1, DESCRIPTION_MAX]
Minutes = app_commands.Range[int, DURATION_RANGE[0], DURATION_RANGE[1]]
Seats = app_commands.Range[int, CAPACITY_RANGE[0], CAPACITY_RANGE[1]]
Weeks = app_commands.Range[int, 1, MAX_WEEKS]
MinGoing = app_commands.Range[int, 1, CAPACITY_RANGE[1]]
"""Minimum attendance (`min 5`); the service checks it against the capacity."""
DecideMinutes = app_commands.Range[
    int, int(DECIDE_RANGE[0].total_seconds() // 60), int(DECIDE_RANGE[1].total_seconds() // 60)
]
"""How many minutes before the start the minimum is decided (`decide 3h` is 180)."""

SESSION_HELP = "The session (type to search, or paste its id)"
"""How every session option is described (its search is the session autocomplete)."""

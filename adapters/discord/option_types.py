"""The bounded option types of dojobot's slash commands (Discord checks them client-side)."""

from __future__ import annotations

from discord import app_commands

from core.recurrence import MAX_WEEKS

Title = app_commands.Range[str, 1, 100]
Description = app_commands.Range[str, 1, 1000]
Minutes = app_commands.Range[int, 5, 1440]
Seats = app_commands.Range[int, 1, 10000]
Weeks = app_commands.Range[int, 1, MAX_WEEKS]

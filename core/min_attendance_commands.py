"""The minimum-attendance command of the shared grammar.

/keep-session <id>     hold a session although fewer than its minimum are going

(The minimum itself is an option of /schedule-session and /update-session: `min 5`,
`nomin`, `decide 3h`; the Cancel button runs /cancel-session <id> <reason>.)
"""

from __future__ import annotations

from core.model import Model


class KeepSession(Model):
    """The instructor (or an admin) keeps a session with too few going."""

    session_id: str


MinAttendanceCommand = KeepSession
"""The minimum-attendance commands."""

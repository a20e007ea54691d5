"""Discord rendering shared by cards, notices and replies: colours, links, native times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import discord

from core.model import SessionStatus, TrainingSession, Visibility

COLORS = {
    SessionStatus.SCHEDULED: discord.Colour.blurple(),
    SessionStatus.LIVE: discord.Colour.green(),
    SessionStatus.ENDED: discord.Colour.light_grey(),
    SessionStatus.CANCELED: discord.Colour.red(),
    SessionStatus.NOT_HELD: discord.Colour.dark_grey(),
}
STATUS_LABELS = {
    SessionStatus.SCHEDULED: "Scheduled",
    SessionStatus.LIVE: "🔴 Live now",
    SessionStatus.ENDED: "Ended",
    SessionStatus.CANCELED: "Canceled",
    SessionStatus.NOT_HELD: "Not held (never started)",
}


@dataclass(frozen=True)
class Links:
    """Our public pages for a session (served by the web front end)."""

    public_url: str

    def page(self, session_id: str) -> str:
        return f"{self.public_url}/sessions/{session_id}"

    def calendar(self, session_id: str) -> str:
        return f"{self.public_url}/sessions/{session_id}.ics"


def when_text(start: datetime) -> str:
    """`<t:…:F>` (`<t:…:R>`): each viewer sees their own zone, and a live countdown."""
    return f"{discord.utils.format_dt(start, 'F')} ({discord.utils.format_dt(start, 'R')})"


def badges(session: TrainingSession) -> str:
    recording = "⏺️ recorded" if session.recording_enabled else "not recorded"
    chat = "💬 chat on" if session.chat_enabled else "chat off"
    who = "members only" if session.visibility is Visibility.MEMBERS_ONLY else "public"
    return f"{recording} · {chat} · {who}"

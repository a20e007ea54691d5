"""Discord rendering shared by cards, notices and replies: colours, links, native times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import discord

from adapters.discord import limits
from adapters.discord.limits import ELLIPSIS, fit
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


def embed_size(embed: discord.Embed) -> int:
    """What counts toward Discord's 6,000 characters: title, description, field names and
    values, footer text, author name."""
    texts = [embed.title, embed.description, embed.footer.text, embed.author.name]
    texts += [t for f in embed.fields for t in (f.name, f.value)]
    return sum(len(t or "") for t in texts)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """`embed` within Discord's total (all its parts together): the description, then the
    longest field values, are cut until it fits."""
    excess = embed_size(embed) - limits.EMBEDS_TOTAL.max
    if excess > 0 and embed.description and len(embed.description) > 2 * len(ELLIPSIS):
        keep = max(len(ELLIPSIS), len(embed.description) - excess)
        embed.description = fit(embed.description, limits.Limit(keep, ""))
        excess = embed_size(embed) - limits.EMBEDS_TOTAL.max
    while excess > 0 and embed.fields:
        i, field = max(enumerate(embed.fields), key=lambda pair: len(pair[1].value or ""))
        value = field.value or ""
        keep = max(len(ELLIPSIS), len(value) - excess)
        if keep >= len(value):
            break
        embed.set_field_at(
            i, name=field.name, value=fit(value, limits.Limit(keep, "")), inline=bool(field.inline)
        )
        excess = embed_size(embed) - limits.EMBEDS_TOTAL.max
    return embed

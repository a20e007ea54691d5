"""Discord rendering shared by cards, notices and replies: colours, links, native times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import discord

from adapters.discord import limits
from adapters.discord.limits import ELLIPSIS, fit
from adapters.discord.words import t
from core.i18n import Text, joined
from core.model import SessionStatus, TrainingSession, Visibility
from core.views import seats_text as seats_text  # the core's words, for the embeds

COLORS = {
    SessionStatus.SCHEDULED: discord.Colour.blurple(),
    SessionStatus.LIVE: discord.Colour.green(),
    SessionStatus.ENDED: discord.Colour.light_grey(),
    SessionStatus.CANCELED: discord.Colour.red(),
    SessionStatus.NOT_HELD: discord.Colour.dark_grey(),
}
STATUS_LABELS: dict[SessionStatus, Text] = {
    SessionStatus.SCHEDULED: t("Scheduled"),
    SessionStatus.LIVE: t("🔴 Live now"),
    SessionStatus.ENDED: t("Ended"),
    SessionStatus.CANCELED: t("Canceled"),
    SessionStatus.NOT_HELD: t("Not held (never started)"),
}
STATUS_WORDS: dict[SessionStatus, Text] = {
    SessionStatus.SCHEDULED: t("scheduled"),
    SessionStatus.LIVE: t("live"),
    SessionStatus.ENDED: t("ended"),
    SessionStatus.CANCELED: t("canceled"),
    SessionStatus.NOT_HELD: t("not_held"),
}
"""A status in a line of a list (`/sessions`, a weekly class's coming classes)."""


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


def badges(session: TrainingSession) -> Text:
    """`⏺️ recorded · 💬 chat on · members only`."""
    recording = t("⏺️ recorded") if session.recording_enabled else t("not recorded")
    chat = t("💬 chat on") if session.chat_enabled else t("chat off")
    return joined([recording, chat, audience(session.visibility)], " · ")


def audience(visibility: Visibility) -> Text:
    """`members only` or `public`."""
    return t("members only") if visibility is Visibility.MEMBERS_ONLY else t("public")


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

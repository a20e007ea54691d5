"""Lists of sessions (`/sessions`, `/event`): pages that fit Discord's limits, turned with
Previous / Next buttons."""

from __future__ import annotations

import discord

from adapters.discord import limits
from adapters.discord.escape import inert
from adapters.discord.limits import fit, pages
from adapters.discord.paging import Listing, page_view
from core.model import TrainingSession

PER_PAGE = 10
"""Sessions per page at most (fewer when their lines would exceed the description)."""


def session_line(session: TrainingSession) -> str:
    """`id` **title** — time (relative) · instructor · status."""
    start = session.start_time
    return (
        f"`{session.id}` **{inert(session.title)}** — {discord.utils.format_dt(start, 'f')} "
        f"({discord.utils.format_dt(start, 'R')}) · {inert(session.instructor_name)} · "
        f"{session.status.value}"
    )


def list_page(
    title: str,
    sessions: list[TrainingSession],
    page: int,
    listing: Listing | None,
) -> tuple[discord.Embed, discord.ui.View | None]:
    """Page `page` (from 0, clamped) of the sessions as an embed, and its page buttons."""
    chunks = pages([session_line(s) for s in sessions], limits.EMBED_DESCRIPTION.max, PER_PAGE)
    page = min(max(page, 0), len(chunks) - 1)
    embed = discord.Embed(
        title=fit(title, limits.EMBED_TITLE), description="\n".join(chunks[page]) or None
    )
    view = page_view(listing, page, len(chunks))
    if len(chunks) > 1:
        footer = f"Page {page + 1} of {len(chunks)} · {len(sessions)} sessions"
        if view is None:
            footer += " · narrow the list to see the rest"
        embed.set_footer(text=footer)
    return embed, view

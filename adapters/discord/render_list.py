"""Lists of sessions (`/sessions`, `/event`): pages that fit Discord's limits, turned with
Previous / Next buttons."""

from __future__ import annotations

import discord

from adapters.discord import limits
from adapters.discord.escape import inert
from adapters.discord.limits import fit, pages
from adapters.discord.paging import Listing, page_view
from adapters.discord.render_common import STATUS_WORDS
from adapters.discord.words import tn
from core.i18n import ENGLISH, Translator, localize
from core.model import TrainingSession

PER_PAGE = 10
"""Sessions per page at most (fewer when their lines would exceed the description)."""


def session_line(session: TrainingSession, tr: Translator = ENGLISH) -> str:
    """`id` **title** — time (relative) · instructor · status."""
    start = session.start_time
    return (
        f"`{session.id}` **{inert(session.title)}** — {discord.utils.format_dt(start, 'f')} "
        f"({discord.utils.format_dt(start, 'R')}) · {inert(session.instructor_name)} · "
        f"{localize(STATUS_WORDS[session.status], tr)}"
    )


def list_page(
    title: str,
    sessions: list[TrainingSession],
    page: int,
    listing: Listing | None,
    tr: Translator = ENGLISH,
) -> tuple[discord.Embed, discord.ui.View | None]:
    """Page `page` (from 0, clamped) of the sessions as an embed, and its page buttons,
    worded by `tr` (`title` too, when it is a `Text`)."""
    lines = [session_line(s, tr) for s in sessions]
    chunks = pages(lines, limits.EMBED_DESCRIPTION.max, PER_PAGE)
    page = min(max(page, 0), len(chunks) - 1)
    embed = discord.Embed(
        title=fit(localize(title, tr), limits.EMBED_TITLE),
        description="\n".join(chunks[page]) or None,
    )
    view = page_view(listing, page, len(chunks), tr)
    if len(chunks) > 1:
        params = {"page": page + 1, "pages": len(chunks)}
        footer = (
            tn(
                "Page {page} of {pages} · {n} session",
                "Page {page} of {pages} · {n} sessions",
                len(sessions),
                **params,
            )
            if view is not None
            else tn(
                "Page {page} of {pages} · {n} session · narrow the list to see the rest",
                "Page {page} of {pages} · {n} sessions · narrow the list to see the rest",
                len(sessions),
                **params,
            )
        )
        embed.set_footer(text=fit(localize(footer, tr), limits.FOOTER_TEXT))
    return embed, view

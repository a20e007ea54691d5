"""DMs and channel posts: reminders, cancellations, promotions, start and end."""

from __future__ import annotations

import discord

from adapters.discord import limits
from adapters.discord.buttons import JOIN, session_button
from adapters.discord.command_buttons import add_command_buttons
from adapters.discord.escape import inert
from adapters.discord.ids import user_id_of
from adapters.discord.limits import fit
from adapters.discord.render_common import COLORS, fit_embed, when_text
from core.i18n import ENGLISH, Translator, localize
from core.messages import moved_text
from core.notices import Notice


def notice_embed(notice: Notice, tr: Translator = ENGLISH) -> discord.Embed:
    """A notice (reminder, cancellation, promotion…) with the session's time, worded by `tr`
    (the reader's language); a move is told from `<t:…:F>` to `<t:…:F>`, in each reader's
    own zone."""
    session = notice.session
    text = inert(localize(notice.text, tr))
    if notice.moved_from is not None and notice.moved_to is not None:
        old = discord.utils.format_dt(notice.moved_from, "F")
        new = discord.utils.format_dt(notice.moved_to, "F")
        text = localize(moved_text(inert(session.title), old, new), tr)
    embed = discord.Embed(
        description=fit(text, limits.EMBED_DESCRIPTION), colour=COLORS[session.status]
    )
    embed.add_field(
        name=fit(inert(session.title), limits.FIELD_NAME), value=when_text(session.start_time)
    )
    return fit_embed(embed)


def notice_view(notice: Notice, tr: Translator = ENGLISH) -> discord.ui.View | None:
    """The Join button a notice asks for (each press gets that member's own link) and its
    command buttons (each runs its command for whoever presses it), labelled by `tr`."""
    view = None
    if notice.show_join:
        view = discord.ui.View(timeout=None)
        view.add_item(session_button(JOIN, notice.session.id, tr))
    return add_command_buttons(view, notice.buttons, tr)


def channel_notice_view(notice: Notice, tr: Translator = ENGLISH) -> discord.ui.View | None:
    """A channel post's buttons: only the notice's command buttons (whoever presses one
    runs its command with their own rights)."""
    return add_command_buttons(None, notice.buttons, tr)


def mention_content(notice: Notice) -> tuple[str | None, discord.AllowedMentions]:
    """`<@user>` for a channel notice addressed to one member; pings only that member."""
    if notice.mention_member_id is None:
        return None, discord.AllowedMentions.none()
    user_id = user_id_of(notice.mention_member_id)
    return f"<@{user_id}>", discord.AllowedMentions(
        everyone=False, roles=False, users=[discord.Object(user_id)]
    )

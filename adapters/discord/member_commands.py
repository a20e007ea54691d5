"""Discord's member commands: `/link`, `/forget-me` and `/reminders`, and what their
components do.

- `/link` answers (privately) with a one-time code to type on Slack as `/link CODE`;
  `/link code:CODE` links this Discord account into the profile that issued CODE;
  `/link remove:True` unlinks it.
- `/forget-me` answers with what will be deleted and Confirm / Cancel buttons, Confirm
  carrying the confirmation code; admins add `member:@user`. Only the person who asked can
  confirm (the service checks the code was issued to the identity pressing).
- `/reminders` answers with select menus showing the member's choices (which reminders,
  where, quiet hours); each choice is saved at once. `/reminders class:` does the same for
  one weekly class (which and where), over the member's other choices.

Who acts is the interaction's user (`InteractionActions.member_of`), never derived from
`member.id`, which may be another platform's id once linked.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.escape import inert
from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import member_id
from adapters.discord.member_components import (
    changed,
    forget_view,
    hour_label,
    kind_label,
    reminders_view,
)
from adapters.discord.render_outcome import Reply
from adapters.discord.series_commands import class_choices
from adapters.discord.usage import USAGE
from adapters.discord.words import t, tn
from core.errors import InvalidInput
from core.i18n import ENGLISH, Text, Translator, joined, localize
from core.members import LINK_CODE_TTL, MemberProfile, ReminderRoute
from core.reminder_preferences import ReminderDefaults
from core.service import SessionService
from core.telemetry import platform_of

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]
LinkCode = app_commands.Range[str, 1, 40]


class MemberActions:
    """Runs the member commands and their components for the member who acted."""

    def __init__(self, actions: InteractionActions, service: SessionService) -> None:
        self.actions = actions
        self.service = service

    # /link ----------------------------------------------------------------------------
    async def link(self, interaction: Interaction, code: str | None, remove: bool) -> None:
        """A code to enter on the other platform, or link with one, or unlink."""

        async def work() -> Reply:
            member = await self.actions.member_of(interaction)
            tr = self.actions.translator(interaction)
            if code and remove:
                raise InvalidInput(
                    t("/link takes a code or remove, not both."),
                    t("Type /link code:CODE to link, or /link remove:True to unlink."),
                )
            if remove:
                return unlinked_reply(await self.service.unlink(member), tr)
            if code:
                return linked_reply(await self.service.link(member, code), tr)
            issued = await self.service.link_code(member)
            return link_code_reply(issued.code, tr)

        await self.actions.answer(interaction, work, USAGE["link"])

    # /forget-me -----------------------------------------------------------------------
    async def forget_request(self, interaction: Interaction, target: discord.User | None) -> None:
        """What will be deleted, with Confirm / Cancel."""

        async def work() -> Reply:
            member = await self.actions.member_of(interaction)
            someone = None if target is None else member_id(target.id)
            issued = await self.service.forget_request(member, someone)
            name = None if target is None else target.display_name
            tr = self.actions.translator(interaction)
            prompt = localize(forget_prompt(name), tr)
            return Reply(content=prompt, view=forget_view(issued.code, tr))

        await self.actions.answer(interaction, work, USAGE["forget-me"])

    async def forget_confirmed(self, interaction: Interaction, code: str) -> None:
        """Confirm: forget the member the code names, if the one pressing asked for it."""

        async def work() -> Reply:
            member = await self.actions.member_of(interaction)
            kept = await self.service.forget(member, code)
            return Reply(
                content=localize(forgotten_text(kept), self.actions.translator(interaction))
            )

        await self.actions.answer(interaction, work, USAGE["forget-me"], edit=True)

    async def forget_canceled(self, interaction: Interaction) -> None:
        """Cancel: nothing happens."""

        async def work() -> Reply:
            nothing = t("Nothing was deleted.")
            return Reply(content=localize(nothing, self.actions.translator(interaction)))

        await self.actions.answer(interaction, work, edit=True)

    # /reminders -----------------------------------------------------------------------
    async def reminders(self, interaction: Interaction, class_id: str | None) -> None:
        """The member's reminder choices as select menus."""

        async def work() -> Reply:
            member = await self.actions.member_of(interaction)
            root, title = await self._class(class_id)
            profile = await self.service.profile(member)
            tr = self.actions.translator(interaction)
            defaults = self.service.reminder_defaults()
            return reminders_reply(profile, root, title, tr=tr, defaults=defaults)

        await self.actions.answer(interaction, work, USAGE["reminders"])

    async def reminders_chosen(
        self, interaction: Interaction, field: str, class_id: str | None, values: list[str]
    ) -> None:
        """Save the choice made in a `/reminders` menu and show the menus again."""

        async def work() -> Reply:
            member = await self.actions.member_of(interaction)
            root, title = await self._class(class_id)
            profile = await self.service.profile(member)
            chosen = changed(profile.preferences, field, root, values)  # the service checks it
            saved = await self.service.set_reminder_preferences(member, chosen)
            tr = self.actions.translator(interaction)
            defaults = self.service.reminder_defaults()
            return reminders_reply(saved, root, title, saved=True, tr=tr, defaults=defaults)

        await self.actions.answer(interaction, work, USAGE["reminders"], edit=True)

    async def _class(self, class_id: str | None) -> tuple[str | None, str | None]:
        """The weekly class's id members type (its root id) and its title."""
        if not class_id:
            return None, None
        series = await self.service.get_series(class_id.strip())
        return series.root_id, series.title


# what the member reads ----------------------------------------------------------------
def link_code_reply(code: str, tr: Translator = ENGLISH) -> Reply:
    minutes = int(LINK_CODE_TTL.total_seconds() // 60)
    text = t(
        "Your link code: **{code}**\n"
        "On Slack, type `/link {code}` within {minutes} minutes (it works once). "
        "Then your Slack and Discord accounts are one member: one RSVP per session, "
        "reminders once, on the platform you prefer.",
        code=code,
        minutes=minutes,
    )
    return Reply(content=localize(text, tr))


def linked_reply(profile: MemberProfile, tr: Translator = ENGLISH) -> Reply:
    platforms = ", ".join(sorted({platform_of(i) for i in profile.identities}))
    text = t(
        "Linked: this Discord account is now part of **{name}**'s profile ({platforms}). "
        "RSVPs and reminders count once across them.",
        name=inert(profile.display_name),
        platforms=platforms,
    )
    return Reply(content=localize(text, tr))


def unlinked_reply(profile: MemberProfile, tr: Translator = ENGLISH) -> Reply:
    text = t(
        "This Discord account is no longer linked to your other accounts. "
        "What was recorded stays with the profile it was recorded under."
    )
    return Reply(content=localize(text, tr))


def forget_prompt(name: str | None) -> Text:
    """What `/forget-me` will delete, for the member themselves or (admins) someone."""
    if name is None:
        return t(
            "**Forget me?** This deletes your dojobot profile everywhere: name, language, "
            "linked accounts, reminder choices and RSVPs to come (the seats go to the "
            'waitlist). Only anonymous counts stay (e.g. "12 attended"). This cannot be '
            "undone.\nPress **Confirm** within 10 minutes, or **Cancel**."
        )
    return t(
        "**Forget {name}?** This deletes their dojobot profile everywhere: name, language, "
        "linked accounts, reminder choices and RSVPs to come (the seats go to the "
        'waitlist). Only anonymous counts stay (e.g. "12 attended"). This cannot be '
        "undone.\nPress **Confirm** within 10 minutes, or **Cancel**.",
        name=inert(name),
    )


def forgotten_text(kept: int) -> Text:
    return tn(
        "Done: forgotten everywhere. {n} record(s) are kept only as anonymous counts.",
        "Done: forgotten everywhere. {n} record(s) are kept only as anonymous counts.",
        kept,
    )


def _route_text(route: ReminderRoute | None) -> Text:
    if route is None:
        return t("the association's default")
    return t("by DM") if route is ReminderRoute.DM else t("not at all")


def reminders_text(
    profile: MemberProfile, class_id: str | None, class_title: str | None, saved: bool
) -> Text:
    """The member's reminder choices in words, above the menus."""
    preferences = profile.preferences
    override = preferences.per_class.get(class_id) if class_id is not None else None
    kinds = preferences.kinds  # what a class's override leaves open is the member's own
    route = preferences.route
    if override is not None:
        kinds = override.kinds if override.kinds is not None else kinds
        route = override.route if override.route is not None else route
    which: Text = (
        t("the association's default")
        if kinds is None
        else (joined([kind_label(k) for k in kinds], ", ") if kinds else t("none"))
    )
    lines: list[str] = [
        t("Saved.") if saved else t("Your reminders (each choice is saved at once):")
    ]
    if class_title is not None:
        lines.append(
            t(
                "For the weekly class **{title}**, over your other choices.",
                title=inert(class_title),
            )
        )
    lines += [t("Which: {which}", which=which), t("Where: {where}", where=_route_text(route))]
    if class_id is None:
        quiet = preferences.quiet_hours
        zone: str = profile.timezone or t("the association's zone")
        lines.append(
            t("Quiet hours: none")
            if quiet is None
            else t(
                "Quiet hours: {start}–{end} ({zone})",
                start=hour_label(quiet.start),
                end=hour_label(quiet.end),
                zone=zone,
            )
        )
    return joined(lines)


def reminders_reply(
    profile: MemberProfile,
    class_id: str | None = None,
    class_title: str | None = None,
    saved: bool = False,
    tr: Translator = ENGLISH,
    defaults: ReminderDefaults | None = None,
) -> Reply:
    """The member's choices in words and as menus; the kinds menu ticks what they get
    (`defaults`: the association's, where they keep them), as Slack's Home tab does."""
    return Reply(
        content=localize(reminders_text(profile, class_id, class_title, saved), tr),
        view=reminders_view(profile.preferences, class_id, tr, defaults),
    )


# the commands -------------------------------------------------------------------------
def register_member_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, service: SessionService
) -> None:
    """Add `/link`, `/forget-me` and `/reminders` to `tree`."""
    members = MemberActions(actions, service)

    async def class_autocomplete(interaction: Interaction, current: str) -> Choices:
        return await class_choices(service, await actions.member_of(interaction), current)

    @tree.command(name="link", description="Link your Discord and Slack accounts into one member")
    @app_commands.describe(
        code="The code /link gave you on the other platform",
        remove="Unlink this Discord account from the others",
    )
    async def link(
        interaction: Interaction, code: LinkCode | None = None, remove: bool = False
    ) -> None:
        await members.link(interaction, code, remove)

    @tree.command(name="forget-me", description="Delete everything dojobot stores about you")
    @app_commands.describe(member="(admins) the member to forget, on their request")
    async def forget_me(interaction: Interaction, member: discord.User | None = None) -> None:
        await members.forget_request(interaction, member)

    @tree.command(
        name="reminders", description="Choose which reminders you get, where and when not"
    )
    @app_commands.describe(class_="A weekly class, to choose its reminders apart")
    @app_commands.rename(class_="class")
    @app_commands.autocomplete(class_=class_autocomplete)
    async def reminders(interaction: Interaction, class_: str | None = None) -> None:
        await members.reminders(interaction, class_)

"""The member commands run on the service, and the reply every text front end shows.

`run_member_command` maps a `MemberCommand` onto the member use cases and returns a
`MemberOutcome`; `member_lines` words it as plain lines (the terminal prints them, Slack and
Discord escape them as any shared reply).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from core.i18n import Duration, Text, When, joined, t, tn
from core.member_commands import (
    ConfirmForget,
    IssueLinkCode,
    LinkAccount,
    MemberCommand,
    RequestForget,
    SetReminders,
    ShowProfile,
    ShowReminders,
    UnlinkAccount,
)
from core.members import (
    FORGOTTEN_NAME,
    ClassReminderOverride,
    MemberCode,
    MemberProfile,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import Member, Model, ReminderKind

if TYPE_CHECKING:
    from core.service import SessionService


class MemberAction(StrEnum):
    PROFILE = "profile"
    REMINDERS = "reminders"
    REMINDERS_SET = "reminders_set"
    LINK_CODE = "link_code"
    LINKED = "linked"
    UNLINKED = "unlinked"
    FORGET_CODE = "forget_code"
    FORGOTTEN = "forgotten"


class MemberOutcome(Model):
    """What a member command did: the profile shown or changed, the code issued (link or
    forget confirmation), how many records a forget kept anonymously."""

    action: MemberAction
    acting_id: str
    """The account the command came from (`this account` in the reply)."""
    profile: MemberProfile | None = None
    code: MemberCode | None = None
    kept: int = 0
    forgotten_self: bool = False


async def run_member_command(
    service: SessionService, actor: Member, command: MemberCommand
) -> MemberOutcome:
    """Run one member command as `actor`."""

    def done(action: MemberAction, **fields: object) -> MemberOutcome:
        return MemberOutcome.model_validate(
            {"action": action, "acting_id": actor.acting_id} | fields
        )

    match command:
        case ShowProfile():
            return done(MemberAction.PROFILE, profile=await service.profile(actor))
        case ShowReminders():
            return done(MemberAction.REMINDERS, profile=await service.profile(actor))
        case SetReminders():
            profile = await service.change_reminder_preferences(actor, command)
            return done(MemberAction.REMINDERS_SET, profile=profile)
        case IssueLinkCode():
            return done(MemberAction.LINK_CODE, code=await service.link_code(actor))
        case LinkAccount():
            return done(MemberAction.LINKED, profile=await service.link(actor, command.code))
        case UnlinkAccount():
            return done(MemberAction.UNLINKED, profile=await service.unlink(actor))
        case RequestForget():
            code = await service.forget_request(actor, command.member_id)
            return done(
                MemberAction.FORGET_CODE, code=code, forgotten_self=code.member_id == actor.id
            )
        case ConfirmForget():
            kept = await service.forget(actor, command.code, actor.id if command.own else None)
            return done(MemberAction.FORGOTTEN, kept=kept)
    raise AssertionError(f"unhandled member command {command!r}")  # pragma: no cover


def member_lines(outcome: MemberOutcome, tz: str, now: datetime) -> list[str]:
    """The reply to the member who typed the command, as plain lines (texts each reader
    gets in their own language)."""
    code, profile = outcome.code, outcome.profile
    match outcome.action:
        case MemberAction.LINK_CODE if code is not None:
            return [
                t("Your link code: {code}", code=code.code),
                _indent(
                    t(
                        "On your other account, type /link {code} before {when}.",
                        code=code.code,
                        when=When(code.expires_at, tz, now),
                    )
                ),
                _indent(t("It works once; nobody else should see it.")),
            ]
        case MemberAction.FORGET_CODE if code is not None:
            deletes = (
                t("This deletes your profile and the personal data with it, everywhere.")
                if outcome.forgotten_self
                else t(
                    "This deletes member {id} and the personal data with it, everywhere.",
                    id=code.member_id,
                )
            )
            confirm = "/forget-me confirm" if outcome.forgotten_self else "/forget confirm"
            return [
                deletes,
                _indent(t("Seats they hold are given up; records stay only as anonymous counts.")),
                _indent(
                    t(
                        "To confirm, type {command} {code} before {when}.",
                        command=confirm,
                        code=code.code,
                        when=When(code.expires_at, tz, now),
                    )
                ),
            ]
        case MemberAction.FORGOTTEN:
            return [
                t("Forgotten: the profile and its personal data are deleted."),
                _indent(
                    tn(
                        "{n} records stay, anonymous, as “{name}”.",
                        "{n} records stay, anonymous, as “{name}”.",
                        outcome.kept,
                        name=FORGOTTEN_NAME,
                    )
                ),
            ]
        case MemberAction.LINKED if profile is not None:
            return [
                t(
                    "Linked: these accounts are one member now: {accounts}",
                    accounts=", ".join(profile.identities),
                ),
                _indent(t("One RSVP per session and one reminder each; /link remove undoes it.")),
            ]
        case MemberAction.UNLINKED if profile is not None:
            return [
                t("Unlinked: {id} is on its own now.", id=outcome.acting_id),
                _indent(t("What was recorded stays with the profile it was recorded under.")),
            ]
        case MemberAction.REMINDERS | MemberAction.REMINDERS_SET if profile is not None:
            head = (
                t("Saved. Your reminders:")
                if outcome.action is MemberAction.REMINDERS_SET
                else t("Your reminders:")
            )
            return [head, *reminder_lines(profile.preferences)]
        case MemberAction.PROFILE if profile is not None:
            return profile_lines(profile, outcome.acting_id, tz, now)
    return [outcome.action.value]  # pragma: no cover


def profile_lines(profile: MemberProfile, acting_id: str, tz: str, now: datetime) -> list[str]:
    """What dojobot stores about the member, in the order docs/members.md lists it."""
    accounts = [t("{id} (this one)", id=i) if i == acting_id else i for i in profile.identities]
    lines: list[str] = [
        t("Your profile (id {id}):", id=profile.id),
        _indent(t("name: {name}", name=profile.display_name)),
        _indent(t("time zone: {zone}", zone=profile.timezone or t("not told (UTC)"))),
        _indent(
            t(
                "language: {language}",
                language=profile.locale or t("not told (the association default)"),
            )
        ),
        _indent(t("accounts: {accounts}", accounts=joined(accounts, ", "))),
    ]
    if profile.preferred_platform is not None:
        lines.append(_indent(t("reminders go to: {platform}", platform=profile.preferred_platform)))
    lines.append(_indent(t("last seen: {when}", when=When(profile.last_seen_at, tz, now))))
    lines.append(_indent(t("reminders:")))
    lines += [_indent(line) for line in reminder_lines(profile.preferences)]
    lines.append(t("Change: /reminders set … · /link · /forget-me (deletes all of this)"))
    return lines


def reminder_lines(preferences: ReminderPreferences) -> list[str]:
    """A member's reminder choices, one per line; unset ones say the association decides."""
    quiet = preferences.quiet_hours
    lines: list[str] = [
        _indent(t("which: {kinds}", kinds=_kinds(preferences.kinds))),
        _indent(t("where: {route}", route=_route(preferences.route))),
        _indent(
            t(
                "quiet hours: {start}-{end} (your zone)",
                start=quiet.start.strftime("%H:%M"),
                end=quiet.end.strftime("%H:%M"),
            )
            if quiet is not None
            else t("quiet hours: none")
        ),
    ]
    if preferences.seat_notice is not None:  # waitlist offers (/seat-notice)
        notice = Duration(preferences.seat_notice)
        lines.append(_indent(t("seat offers: only with {notice} notice or more", notice=notice)))
    for class_id, override in sorted(preferences.per_class.items()):
        lines.append(_indent(t("class {id}: {choice}", id=class_id, choice=_override(override))))
    return lines


def _indent(text: str) -> Text:
    """`text` as an indented line (the indent is not part of the message)."""
    return joined(["  ", text], "")


def _kinds(kinds: list[ReminderKind] | None) -> Text:
    if kinds is None:
        return t("the association's default")
    if not kinds:
        return t("none")
    return joined([t("{kind} before", kind=kind.value) for kind in kinds], ", ")


def _route(route: ReminderRoute | None) -> Text:
    match route:
        case ReminderRoute.DM:
            return t("direct message")
        case ReminderRoute.NONE:
            return t("nowhere (no reminders)")
    return t("the association's default")


def _override(override: ClassReminderOverride) -> Text:
    parts = []
    if override.kinds is not None:
        parts.append(_kinds(override.kinds))
    if override.route is not None:
        parts.append(_route(override.route))
    return joined(parts, " · ") if parts else t("as your default")

"""Replies to /link and /forget-me (ephemeral Block Kit): codes, confirmations, results."""

from __future__ import annotations

from adapters.slack.commands import escape
from adapters.slack.render_common import Block, button, context, mrkdwn
from adapters.slack.words import bold, say, t
from adapters.slack.words import code as mono
from core.i18n import ENGLISH, Translator
from core.members import FORGET_CONFIRM_TTL, LINK_CODE_TTL, MemberCode, MemberProfile
from core.telemetry import platform_of

ACTION_FORGET_CONFIRM = "dojo_forget_confirm"
"""The Confirm button of /forget-me; its value is the confirmation code."""


def link_code_message(code: MemberCode, tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """The one-time code and how to enter it on Discord, in `tr`'s language."""
    valid = tr.duration(LINK_CODE_TTL)
    text = t("Your link code is {code} (valid {valid}, once).", code=code.code, valid=valid)
    shown = t(
        "Your link code: {code} (valid for {valid}, usable once).",
        code=bold(code.code),
        valid=valid,
    )
    on_discord = t(
        "On Discord, type {command}: your Discord account and this Slack account become one "
        "member (one RSVP, one reminder, one attendance record).",
        command=mono(f"/link code:{code.code}"),
    )
    # not "/link CODE from another Slack account": the core refuses two accounts of one
    # platform in one profile (two Slack accounts are two people)
    elsewhere = t("Undo later: {undo}.", undo="`/link remove`")
    blocks = [
        mrkdwn(f":link: {say(shown, tr)}"),
        mrkdwn(say(on_discord, tr)),
        context(say(elsewhere, tr)),
    ]
    return say(text, tr), blocks


def linked_message(profile: MemberProfile, tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """The accounts that are one member now."""
    platforms = ", ".join(sorted({platform_of(i) for i in profile.identities}))
    text = say(
        t(
            "Linked: {name} is one member on {platforms}.",
            name=escape(profile.display_name),
            platforms=platforms,
        ),
        tr,
    )
    shared = t("RSVPs, attendance and reminders are shared. Undo: {undo}.", undo="`/link remove`")
    blocks = [mrkdwn(f":white_check_mark: {text}"), context(say(shared, tr))]
    return text, blocks


def unlinked_message(profile: MemberProfile, tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """What this Slack account is linked to after `/link remove`."""
    others = [i for i in profile.identities if i != profile.id]
    platforms = ", ".join(sorted({platform_of(i) for i in others}))
    text = say(
        t("Unlinked: this account is on its own again.")
        if not others
        else t("Unlinked. Still linked: {platforms}.", platforms=platforms),
        tr,
    )
    return text, [mrkdwn(f":white_check_mark: {text}")]


def forget_confirm_message(
    code: MemberCode, profile: MemberProfile, own: bool, tr: Translator = ENGLISH
) -> tuple[str, list[Block]]:
    """Step one of forgetting: what goes, and the Confirm button carrying the code."""
    name = escape(profile.display_name)
    if own:
        text = t("Forget you? Confirm to delete.")
        what = t(
            "dojobot will forget you: name, time zone, language, linked accounts and reminder "
            "choices are deleted everywhere, RSVPs to coming sessions are given up. Attendance "
            "stays only as anonymous counts. This cannot be undone."
        )
    else:
        text = t("Forget {name}? Confirm to delete.", name=name)
        what = t(
            "dojobot will forget {name}: name, time zone, language, linked accounts and "
            "reminder choices are deleted everywhere, RSVPs to coming sessions are given up. "
            "Attendance stays only as anonymous counts. This cannot be undone.",
            name=bold(name),
        )
    valid = t(
        "Valid for {valid}. Not what you wanted? Ignore this message: nothing happens.",
        valid=tr.duration(FORGET_CONFIRM_TTL),
    )
    confirm = say(t("Confirm: forget"), tr)
    blocks = [
        mrkdwn(f":warning: {say(what, tr)}"),
        {
            "type": "actions",
            "block_id": "forget_confirm",
            "elements": [button(confirm, ACTION_FORGET_CONFIRM, code.code, style="danger")],
        },
        context(say(valid, tr)),
    ]
    return say(text, tr), blocks


def forgotten_message(kept: int, own: bool, tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """Step two done: how many records stay, anonymously."""
    if own:
        done = t(
            "Done: dojobot has forgotten you. {kept} record(s) kept as anonymous counts.",
            kept=kept,
        )
    else:
        done = t(
            "Done: dojobot has forgotten that member. {kept} record(s) kept as anonymous counts.",
            kept=kept,
        )
    text = say(done, tr)
    blocks = [mrkdwn(f":white_check_mark: {text}")]
    if own:
        blocks.append(context(say(t("Using dojobot again starts a new, empty profile."), tr)))
    return text, blocks

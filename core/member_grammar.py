"""Text → member commands (the `core.grammar` parsers of `core.member_commands`).

    /reminders set 24h,1h,2h route dm quiet 22:00-07:00
    /reminders set 10m quiet off     ·  /reminders set default
    /reminders class k3x9 1h route none  ·  /reminders class k3x9 default

Kinds are the standard 24h, 1h, 10m plus at most one custom lead time from the menu
(`core.reminders.CUSTOM_KINDS`), comma- or space-separated; `kinds default` goes back to the
association's choice, as do `route default` and `quiet off`.
"""

from __future__ import annotations

from collections.abc import Callable

from core.errors import InvalidInput
from core.i18n import Text, t
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
from core.members import QuietHours, ReminderRoute
from core.model import ReminderKind
from core.parse_context import ParseContext
from core.reminders import CUSTOM_KINDS, STANDARD_KINDS
from core.timeparse import parse_time_of_day

KINDS_HINT: Text = t(
    "Reminders: {standard} and one of {custom}, e.g. /reminders set 24h,1h,2h",
    standard=", ".join(k.value for k in STANDARD_KINDS),
    custom=", ".join(k.value for k in CUSTOM_KINDS),
)
QUIET_HINT: Text = t("Write quiet hours like quiet 22:00-07:00 (your own zone), or quiet off.")
ROUTE_HINT: Text = t("Write route dm (reminders by direct message), route none or route default.")


def _none(ctx: ParseContext, command: MemberCommand) -> MemberCommand:
    if ctx.args:
        raise ctx.error(t('Unexpected "{word}".', word=ctx.args[0]))
    return command


def link(ctx: ParseContext) -> MemberCommand:
    """`/link`, `/link CODE` (a code typed with a space still reads), `/link remove`."""
    if not ctx.args:
        return IssueLinkCode()
    if len(ctx.args) == 1 and ctx.args[0].lower() in ("remove", "undo", "off", "unlink"):
        return UnlinkAccount()
    code = "".join(ctx.args)
    if len(code) > 32 or not code.isalnum():
        raise ctx.error(t('"{code}" is not a link code.', code=" ".join(ctx.args)[:40]))
    return LinkAccount(code=code)


def _confirm(ctx: ParseContext, words: list[str], own: bool) -> ConfirmForget:
    code = "".join(words)
    if not code:
        raise ctx.error(t("Missing the confirmation code after confirm."))
    if len(code) > 32 or not code.isalnum():
        raise ctx.error(t('"{code}" is not a confirmation code.', code=" ".join(words)[:40]))
    return ConfirmForget(code=code, own=own)


def forget_me(ctx: ParseContext) -> MemberCommand:
    """`/forget-me`, then `/forget-me confirm CODE`."""
    if not ctx.args:
        return RequestForget()
    if ctx.args[0].lower() != "confirm":
        raise ctx.error(
            t('Unexpected "{word}": type /forget-me, then confirm CODE.', word=ctx.args[0])
        )
    return _confirm(ctx, ctx.args[1:], own=True)


def forget(ctx: ParseContext) -> MemberCommand:
    """`/forget MEMBER` (admins), then `/forget confirm CODE`."""
    if not ctx.args:
        raise ctx.error(t("Missing the member's id (as /profile shows it)."))
    if ctx.args[0].lower() == "confirm":
        return _confirm(ctx, ctx.args[1:], own=False)
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}" after the member id.', word=ctx.args[1]))
    return RequestForget(member_id=ctx.args[0])


def reminders(ctx: ParseContext) -> MemberCommand:
    """`/reminders`, `/reminders set …`, `/reminders class <id> …`."""
    if not ctx.args:
        return ShowReminders()
    word = ctx.args[0].lower()
    if word == "set":
        return _changes(ctx, ctx.args[1:], None)
    if word == "class":
        if len(ctx.args) < 2:
            raise ctx.error(t("Missing the class id after class."), t("List them with /classes."))
        return _changes(ctx, ctx.args[2:], ctx.args[1])
    raise ctx.error(t('I do not understand "{word}": say set or class.', word=ctx.args[0]))


def _changes(ctx: ParseContext, words: list[str], class_id: str | None) -> SetReminders:
    if not words:
        raise ctx.error(t("Nothing to change: give reminders, a route or quiet hours."), KINDS_HINT)
    if [w.lower() for w in words] == ["default"]:
        return SetReminders(class_id=class_id, reset=True)
    given: dict[str, object] = {"class_id": class_id}
    kinds: list[ReminderKind] = []
    i = 0
    while i < len(words):
        key = words[i].lower()
        value = words[i + 1] if i + 1 < len(words) else None
        if key in _FIELDS:
            if value is None:
                raise ctx.error(t('"{word}" needs a value.', word=words[i]), _HINTS[key])
            if _FIELDS[key] in given:
                raise ctx.error(t('"{word}" is given twice.', word=words[i]), _HINTS[key])
            given[_FIELDS[key]] = _VALUE[key](ctx, value)
            i += 2
            continue
        kinds += _kinds(ctx, words[i])
        i += 1
    if "quiet_hours" in given and class_id is not None:
        raise ctx.error(t("Quiet hours are yours, not a class's."), t("Use /reminders set quiet …"))
    if kinds:
        if "kinds" in given:
            raise ctx.error(t("The reminders are given twice."), KINDS_HINT)
        given["kinds"] = kinds
    return SetReminders.model_validate(given)


def _kinds(ctx: ParseContext, text: str) -> list[ReminderKind]:
    found = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        try:
            found.append(ReminderKind(part))
        except ValueError:
            raise ctx.error(
                t('"{kind}" is not a reminder I can send.', kind=part), KINDS_HINT
            ) from None
    return found


def _kinds_value(ctx: ParseContext, text: str) -> list[ReminderKind] | None:
    return None if text.lower() == "default" else _kinds(ctx, text)


def _route(ctx: ParseContext, text: str) -> ReminderRoute | None:
    if text.lower() == "default":
        return None
    try:
        return ReminderRoute(text.lower())
    except ValueError:
        raise ctx.error(t('"{route}" is not a route.', route=text), ROUTE_HINT) from None


def _quiet(ctx: ParseContext, text: str) -> QuietHours | None:
    if text.lower() in ("off", "none", "default"):
        return None
    start, dash, end = text.partition("-")
    if not dash:
        raise ctx.error(t('"{hours}" is not a span of hours.', hours=text), QUIET_HINT)
    try:
        return QuietHours(start=parse_time_of_day(start), end=parse_time_of_day(end))
    except InvalidInput as error:
        raise ctx.error(error.message, QUIET_HINT) from None


_VALUE: dict[str, Callable[[ParseContext, str], object]] = {
    "route": _route,
    "quiet": _quiet,
    "kinds": _kinds_value,
}
_FIELDS = {"route": "route", "quiet": "quiet_hours", "kinds": "kinds"}
_HINTS = {"route": ROUTE_HINT, "quiet": QUIET_HINT, "kinds": KINDS_HINT}

MEMBER_PARSERS: dict[str, Callable[[ParseContext], MemberCommand]] = {
    "profile": lambda ctx: _none(ctx, ShowProfile()),
    "link": link,
    "forget-me": forget_me,
    "forget": forget,
    "reminders": reminders,
}
"""The member commands by name (`core.catalogue` lists them)."""

"""How each slash command is typed on Discord, for help and for error replies.

Names and summaries come from the command catalogue (`core.catalogue`); Discord adds only its
option syntax, and its form variant of `/schedule-session`.
"""

from adapters.discord.command_localizations import COMMANDS as LOCALIZED
from adapters.discord.command_localizations import LOCALES
from adapters.discord.words import t
from core.catalogue import COMMANDS, TIME_HELP
from core.i18n import ENGLISH, Translator, localize

OPTIONS: dict[str, str] = {
    "schedule-session": (
        "title: when: [duration:] [capacity:] [recording:] [chat:] [members_only:] [event:] "
        "[description:]"
    ),
    "schedule-session-form": "[recording:] [chat:] [members_only:] [event:] — opens a form",
    "sessions": "[status:] [mine:] [event:]",
    "session": "session:",
    "update-session": (
        "session: [title:] [when:] [duration:] [capacity:] [unlimited:] [recording:] [chat:] "
        "[members_only:] [event:] [description:]"
    ),
    "cancel-session": "session: [reason:]",
    "start-session": "session:",
    "end-session": "session:",
    "join": "session:",
    "rsvp": "session: [answer: going|leave]",
    "attendance": "session:",
    "create-event": "title: [description:]",
    "event": "event:",
    "schedule-class": (
        "title: days: time: [timezone:] [until:|weeks:] [every_other_week:] [from:] "
        "[duration:] [capacity:] [recording:] [chat:] [members_only:] [event:] "
        "[description:] [tags:] — previews, then Create"
    ),
    "classes": "",
    "class": "class:",
    "every-week": "class:",
    "not-every-week": "class:",
    "skip-class": "class: day: [reason:]",
    "end-class": "class: [reason:]",
    "update-class": (
        "class: [following:] [time:] [days:] [title:] [duration:] [capacity:] [unlimited:] "
        "[description:]"
    ),
    "link": "[code:] [remove:] — no option: a code to type on Slack",
    "forget-me": "[member:] — then Confirm",
    "reminders": "[class:] — menus; each choice is saved",
    "claim": "session:",
    "pass": "session:",
    "seat-notice": "notice: 1h|2h|3h|6h|12h|24h|off",
    "keep-session": "session:",
    "my-record": "[member:] (instructors, admins: anyone's)",
    "appeal": "session:",
    "calendar-feed": "[revoke:] — the link comes only to you",
    "waive": "session: member:",
    "mark-present": "session: member:",
    "mark-absent": "session: member:",
    "training-log": "[member:] (instructors, admins: anyone's)",
    "need-sub": "session:",
    "take-sub": "session:",
    "training-page": "[member:] (instructors, admins: anyone's)",
    "class-page": "class:",
    "overview": "",
    "export-attendance": "[session:] [class:] [member:] [from:] [to:]",
    "progress": "[member:] (instructors, admins: anyone's)",
    "promote": "member: rank: [date:]",
    "promotion-fix": "member: rank: [date:]",
    "promotion-remove": "member:",
    "audit": "[csv:] [actor:] [action:] [session:] [from:] [to:] (admins)",
    "help": "",
}
"""Discord's slash commands (grammar names, plus the form variant) → their options."""

FORM_SUMMARY = t("Schedule with a form, for a long description.")
"""`/schedule-session-form`, Discord's own command (Slack opens the form on an empty text)."""

USAGE: dict[str, str] = {name: f"/{name} {options}".rstrip() for name, options in OPTIONS.items()}
"""Per Discord command: how it is typed."""

SUMMARIES: dict[str, str] = {
    name: FORM_SUMMARY if name == "schedule-session-form" else COMMANDS[name].summary
    for name in OPTIONS
}
"""Per Discord command: what it does, in one line (the catalogue's; a name missing there
fails at import)."""


def summary(name: str, tr: Translator = ENGLISH) -> str:
    """What command `name` does, in `tr`'s language: the catalogue's line in English, else
    the command's description as Discord shows it in that language."""
    if tr.locale == ENGLISH.locale or name == "schedule-session-form":
        return localize(SUMMARIES[name], tr)
    locale = next((code for code in LOCALES if code.split("-")[0] == tr.locale), None)
    texts = LOCALIZED.get(name, {})
    if locale is None or locale not in texts:
        return SUMMARIES[name]
    return texts[locale][1]


def help_lines(tr: Translator = ENGLISH) -> list[str]:
    """Every command (its summary, then its usage as typed, never translated), then how
    times are written."""
    lines = [f"**{summary(name, tr)}**\n`{usage}`" for name, usage in USAGE.items()]
    return [*lines, localize(TIME_HELP, tr)]


def help_text(tr: Translator = ENGLISH) -> str:
    """`help_lines` as one text."""
    return "\n".join(help_lines(tr))

"""The command catalogue: every command's name, one-line summary, text usage and an example.

The one list of commands. The grammar's help and error hints, Slack's slash commands (and,
through a test, `slack-app-manifest.yml`) and Discord's help are derived from it; front ends
add only what is their own (Slack's two renamed commands, Discord's option syntax).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import Text, t


@dataclass(frozen=True)
class CommandInfo:
    """One command as people type it: `/{name} {arguments}`."""

    name: str
    summary: Text
    """What it does, in one line of at most 100 characters (Slack's limit)."""
    arguments: str
    """The text syntax after the name ("" when it takes none)."""
    example: str
    """The arguments of one example that parses."""

    @property
    def usage(self) -> str:
        """`/name arguments`."""
        return f"/{self.name} {self.arguments}".rstrip()

    @property
    def example_line(self) -> str:
        """`/name example`."""
        return f"/{self.name} {self.example}".rstrip()


CATALOGUE: tuple[CommandInfo, ...] = (
    CommandInfo(
        "schedule-session",
        t("Schedule a live session."),
        '"Title" <when> [60m|duration 90] [cap 20|unlimited] [rec|norec] [chat|nochat] '
        '[public|members-only] [event <id>] [tags a,b] [desc "…"] [min N] [decide 3h]',
        '"Kata basics" tomorrow 18:00 90m cap 20 tags kata,beginners',
    ),
    CommandInfo(
        "update-session",
        t("Change a scheduled session (at least one change)."),
        '<id> [title "…"] [at <when>] [<duration>] [cap N|unlimited] [rec|norec] '
        '[chat|nochat] [public|members-only] [event <id>] [tags a,b] [desc "…"] '
        "[min N|nomin] [decide 3h]",
        "s-42 at fri 7pm 90m",
    ),
    CommandInfo(
        "sessions",
        t("List sessions (default: scheduled and live)."),
        "[all|scheduled|live|ended|not-held|canceled|mine] [event <id>]",
        "mine live",
    ),
    CommandInfo("session", t("Show one session."), "<id>", "s-42"),
    CommandInfo(
        "cancel-session",
        t("Cancel a session, optionally saying why."),
        "<id> [reason…]",
        "s-42 instructor is ill",
    ),
    CommandInfo(
        "keep-session",
        t("Hold a session although fewer than its minimum are going."),
        "<id>",
        "s-42",
    ),
    CommandInfo("start-session", t("Start a session now."), "<id>", "s-42"),
    CommandInfo("end-session", t("End a live session."), "<id>", "s-42"),
    CommandInfo("join", t("Get your link into a session."), "<id>", "s-42"),
    CommandInfo(
        "recording",
        t("Start or stop recording your live session (RealtimeKit rooms)."),
        "<id> start|stop",
        "s-42 start",
    ),
    CommandInfo("rsvp", t("Say you are going (or `leave`)."), "<id> [leave]", "s-42"),
    CommandInfo("unrsvp", t("Take back your RSVP."), "<id>", "s-42"),
    CommandInfo(
        "claim", t("Take the seat offered to you (late: a free seat, first wins)."), "<id>", "s-42"
    ),
    CommandInfo("pass", t("Give the seat offered to you to the next person."), "<id>", "s-42"),
    CommandInfo(
        "seat-notice",
        t("Don't offer me a seat with less notice than this before the start."),
        "<3h|off>",
        "3h",
    ),
    CommandInfo("attendance", t("Who attended a session."), "<id>", "s-42"),
    CommandInfo(
        "create-event",
        t("Create an event that sessions can belong to."),
        '"Title" [desc "…"]',
        '"Summer camp 2026" desc "Three days of kata"',
    ),
    CommandInfo("event", t("Show an event and its sessions."), "<id>", "e-7"),
    CommandInfo(
        "schedule-class",
        t("Set a weekly class: the same local time every week."),
        '"Title" every [other] <days> <time> [zone] [from <date>] [until <date>|for N weeks] '
        "[60m] [cap 20|unlimited] [rec|norec] [chat|nochat] [public|members-only] "
        '[event <id>] [tags a,b] [desc "…"]',
        '"Kids karate" every mon,wed 17:30 60m cap 20 until 2027-06-30',
    ),
    CommandInfo(
        "update-class",
        t("Change a weekly class: every class to come, or from one day on."),
        '<id> [following <date>] [title "…"] [at <time>] [on <days>] [<duration>] '
        '[cap N|unlimited] [desc "…"]',
        "k3x9 following 2027-01-11 at 18:00",
    ),
    CommandInfo("classes", t("List the weekly classes."), "", ""),
    CommandInfo("class", t("Show a weekly class and its coming classes."), "<id>", "k3x9"),
    CommandInfo("every-week", t("Go to every class of a weekly class."), "<id>", "k3x9"),
    CommandInfo(
        "not-every-week", t("Stop going every week (classes listed already stay)."), "<id>", "k3x9"
    ),
    CommandInfo(
        "skip-class",
        t("Skip one day of a weekly class; members going are told."),
        "<id> <date> [reason…]",
        "k3x9 2026-12-28 Dojo closed",
    ),
    CommandInfo(
        "end-class",
        t("End a weekly class; the classes to come are canceled."),
        "<id> [reason…]",
        "k3x9 Season over",
    ),
    CommandInfo("profile", t("Show what dojobot stores about you."), "", ""),
    CommandInfo(
        "reminders",
        t("Show or choose your reminders: which, by DM or not, quiet hours, per class."),
        "[set <24h,1h,10m,2h…|default> [route dm|none] [quiet 22:00-07:00|off]] "
        "[class <id> <kinds|default> [route dm|none]]",
        "set 24h,10m,2h route dm quiet 22:00-07:00",
    ),
    CommandInfo(
        "link",
        t("Link your accounts on two platforms: get a code here, enter it there."),
        "[CODE|remove]",
        "K7MX2QPA",
    ),
    CommandInfo(
        "forget-me",
        t("Delete your profile and personal data; asks you to confirm with a code."),
        "[confirm CODE]",
        "confirm K7MX2QPA",
    ),
    CommandInfo(
        "forget",
        t("Admins: forget a member on their request; asks to confirm with a code."),
        "<member-id>|confirm CODE",
        "slack:T01:U02",
    ),
    CommandInfo(
        "need-sub",
        t("Ask for a substitute instructor for your session."),
        "<id>",
        "s-42",
    ),
    CommandInfo(
        "take-sub",
        t("Accept to teach a session as its substitute instructor."),
        "<id>",
        "s-42",
    ),
    CommandInfo(
        "my-record",
        t("Your no-shows, late cancels and any RSVP restriction (staff: anyone's)."),
        "[member-id]",
        "slack:T01:U02",
    ),
    CommandInfo("appeal", t("Appeal your no-show or late cancel in a session."), "<id>", "s-42"),
    CommandInfo(
        "waive",
        t("Admins: waive a member's no-show or late cancel in a session."),
        "<id> <member-id>",
        "s-42 slack:T01:U02",
    ),
    CommandInfo(
        "mark-present",
        t("Instructors: record a member present in your ended session."),
        "<id> <member-id>",
        "s-42 slack:T01:U02",
    ),
    CommandInfo(
        "mark-absent",
        t("Instructors: record a member absent in your ended session."),
        "<id> <member-id>",
        "s-42 slack:T01:U02",
    ),
    CommandInfo(
        "training-log",
        t("Your training record: sessions, minutes, streaks (staff: anyone's)."),
        "[member-id]",
        "slack:T01:U02",
    ),
    CommandInfo(
        "training-page",
        t("A personal link to your training page (staff: anyone's)."),
        "[member-id]",
        "slack:T01:U02",
    ),
    CommandInfo(
        "class-page",
        t("Instructors: a personal link to a weekly class's attendance page."),
        "<class-id>",
        "c-7",
    ),
    CommandInfo("overview", t("Admins: a personal link to the association overview."), "", ""),
    CommandInfo(
        "export-attendance",
        t("Attendance as a CSV file, sent to you privately (members: your own)."),
        "[session <id>] [class <class-id>] [member <member-id>] [from YYYY-MM-DD] [to YYYY-MM-DD]",
        "class c-7 from 2026-01-01 to 2026-03-31",
    ),
    CommandInfo(
        "calendar-feed",
        t("Your sessions as a private calendar feed link (revoke: stop it)."),
        "[revoke]",
        "revoke",
    ),
    CommandInfo(
        "progress",
        t("Your progress toward your next rank (staff: anyone's)."),
        "[member-id]",
        "slack:T01:U02",
    ),
    CommandInfo(
        "promote",
        t("Instructors: record a member's promotion (date: today unless given)."),
        "<member-id> <rank> [YYYY-MM-DD]",
        "slack:T01:U02 Orange 2026-03-31",
    ),
    CommandInfo(
        "promotion-fix",
        t("Admins: correct a member's latest promotion (rank, and date if given)."),
        "<member-id> <rank> [YYYY-MM-DD]",
        "slack:T01:U02 Yellow",
    ),
    CommandInfo(
        "promotion-remove",
        t("Admins: remove a member's latest promotion."),
        "<member-id>",
        "slack:T01:U02",
    ),
    CommandInfo(
        "audit",
        t("Admins: the audit log, newest first (csv: as a file, sent privately)."),
        "[csv] [actor <member-id>] [action <name>] [session <id>] [from YYYY-MM-DD] "
        "[to YYYY-MM-DD]",
        "session s-42 action capacity",
    ),
    CommandInfo("help", t("List the commands, or explain one."), "[command]", "schedule-session"),
)
"""Every command, in the order help lists them."""

COMMANDS: dict[str, CommandInfo] = {info.name: info for info in CATALOGUE}
"""The catalogue by name."""

TIME_EXAMPLES = "tomorrow 18:00 · fri 7pm · 1 Dec 18:00 · 2026-12-01 18:00 Europe/Berlin · in 2h"
"""Times as people type them (English works everywhere)."""
TIME_HELP: Text = t("Times: {examples}", examples=TIME_EXAMPLES)
DURATION_HELP: Text = t(
    "Durations: {examples}", examples="60m · 1h30m · 90 (minutes) · 1.5h · duration 45 minutes"
)

"""What the no-show policy tells people (`core.no_show_use_cases`), in every reader's language."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.i18n import Duration, Text, When, joined, t, tn
from core.model import Rsvp, TrainingSession
from core.no_show_policy import NoShowRules, Restriction
from core.notices import ButtonStyle, Notice, NoticeButton, NoticeKind
from core.seat_marks import MarkKind, SeatMark

MARK_PRESENT_BUTTONS = 10
"""At most this many Mark-present buttons on a summary (Discord: 5 per row, 5 rows; the
others are typed: `/mark-present <id> <member>`)."""


def kind_text(kind: MarkKind) -> Text:
    """`no-show`, `late cancel`, `marked present`."""
    return {
        MarkKind.NO_SHOW: t("no-show"),
        MarkKind.LATE_CANCEL: t("late cancel"),
        MarkKind.PRESENT: t("marked present"),
    }[kind]


def appeal_button(session_id: str) -> NoticeButton:
    """Runs `/appeal <id>` for the member who clicks."""
    return NoticeButton(label=t("Appeal"), command=f"/appeal {session_id}")


def waive_button(session_id: str, member_id: str) -> NoticeButton:
    """Runs `/waive <id> <member>` (admins only)."""
    return NoticeButton(
        label=t("Waive"), command=f"/waive {session_id} {member_id}", style=ButtonStyle.PRIMARY
    )


def mark_present_buttons(session: TrainingSession, absent: list[Rsvp]) -> tuple[NoticeButton, ...]:
    """One `/mark-present <id> <member>` button per absent member, at most
    `MARK_PRESENT_BUTTONS`."""
    return tuple(
        NoticeButton(
            label=t("Present: {name}", name=r.member_name),
            command=f"/mark-present {session.id} {r.member_id}",
        )
        for r in absent[:MARK_PRESENT_BUTTONS]
    )


def summary_hint(session: TrainingSession, absent: list[Rsvp]) -> list[Text]:
    """The summary's line on marking absent members present (none when nobody is absent)."""
    if not absent:
        return []
    if len(absent) > MARK_PRESENT_BUTTONS:
        return [
            t(
                "Instructor: was someone there after all? Type /mark-present {id} <member> "
                "for the members without a button.",
                id=session.id,
            )
        ]
    return [t("Instructor: was someone there after all? Mark them present with a button.")]


def mark_recorded(session: TrainingSession, mark: SeatMark, rules: NoShowRules, tz: str) -> Notice:
    """A no-show or late cancel was recorded (to the member, with Appeal)."""
    if mark.kind is MarkKind.LATE_CANCEL:
        head = t(
            "You left “{title}” ({when}) less than {window} before its start: "
            "recorded as a late cancel.",
            title=session.title,
            when=When(session.start_time, tz),
            window=Duration(rules.late_cancel_window),
        )
    else:
        head = t(
            "You were going to “{title}” ({when}) but never joined: recorded as a no-show.",
            title=session.title,
            when=When(session.start_time, tz),
        )
    hint = t(
        "Wrong? Appeal within {window}: /appeal {id}. See your record with /my-record.",
        window=Duration(rules.waive_within),
        id=session.id,
    )
    return Notice(
        kind=NoticeKind.NO_SHOW,
        session=session,
        text=joined([head, hint]),
        buttons=(appeal_button(session.id),),
    )


def restriction_began(
    session: TrainingSession, restriction: Restriction, rules: NoShowRules, tz: str
) -> Notice:
    """The member's RSVPs go to the waitlist only from now (with Appeal of the last mark)."""
    text = joined(
        [
            tn(
                "You have {n} no-show or late cancel within {period}.",
                "You have {n} no-shows or late cancels within {period}.",
                rules.threshold,
                period=Duration(rules.period),
            ),
            t(
                "Until {until} your RSVPs go to the waitlist only.",
                until=When(restriction.ends_at, tz),
            ),
            t("Appeal a mark with /appeal <id>; see them all with /my-record."),
        ]
    )
    return Notice(
        kind=NoticeKind.NO_SHOW, session=session, text=text, buttons=(appeal_button(session.id),)
    )


def restricted_reply(until: datetime, tz: str) -> Text:
    """Why a restricted member's RSVP was waitlisted although a seat was free."""
    return t(
        "You are waitlisted: after several no-shows your RSVPs go to the waitlist only "
        "until {until}. See /my-record.",
        until=When(until, tz),
    )


def appealed(session: TrainingSession, member_id: str, name: str, marks: list[SeatMark]) -> Notice:
    """To admins: a member appeals their marks in a session (with Waive)."""
    kinds = joined([kind_text(m.kind) for m in marks], ", ")
    return Notice(
        kind=NoticeKind.APPEAL,
        session=session,
        text=t(
            "{name} ({member}) appeals their {kinds} in “{title}” ({id}).",
            name=name,
            member=member_id,
            kinds=kinds,
            title=session.title,
            id=session.id,
        ),
        buttons=(waive_button(session.id, member_id),),
    )


def waived(session: TrainingSession, by_name: str) -> Notice:
    """To the member: their mark was waived."""
    return Notice(
        kind=NoticeKind.NO_SHOW,
        session=session,
        text=t(
            "{admin} waived your mark in “{title}”: it no longer counts.",
            admin=by_name,
            title=session.title,
        ),
    )


def marked_present(session: TrainingSession, by_name: str) -> Notice:
    """To the member: the instructor recorded them present."""
    return Notice(
        kind=NoticeKind.NO_SHOW,
        session=session,
        text=t(
            "{instructor} marked you present in “{title}”: your no-show no longer counts.",
            instructor=by_name,
            title=session.title,
        ),
    )


def record_lines(
    member_id: str,
    marks: list[SeatMark],
    titles: dict[str, str],
    counted: int,
    restriction: Restriction | None,
    rules: NoShowRules,
    tz: str,
) -> list[Text]:
    """`/my-record`: the counts, each mark in the period and any restriction."""
    lines: list[Text] = [
        t(
            "Record of {member} over the last {period}:",
            member=member_id,
            period=Duration(rules.period),
        )
    ]
    if not marks:
        lines.append(t("No no-shows, late cancels or present marks."))
    for mark in marks:
        state: list[Text] = []
        if mark.waived:
            state.append(t("waived"))
        elif mark.appealed_at is not None:
            state.append(t("appealed"))
        line = t(
            "{when} · {kind} · “{title}” ({id})",
            when=When(mark.created_at, tz),
            kind=kind_text(mark.kind),
            title=titles.get(mark.session_id, mark.session_id),
            id=mark.session_id,
        )
        lines.append(joined([line, *state], " · "))
    if rules.enabled:
        lines.append(
            tn(
                "{n} counts towards the limit of {limit}.",
                "{n} count towards the limit of {limit}.",
                counted,
                limit=rules.threshold,
            )
        )
    else:
        lines.append(t("The association has no consequences for no-shows switched on."))
    if restriction is not None:
        lines.append(
            t(
                "Your RSVPs go to the waitlist only until {until}.",
                until=When(restriction.ends_at, tz),
            )
        )
    return lines


def appeal_hint(window: timedelta) -> Text:
    """How to appeal a mark (shown under `/my-record`)."""
    return t(
        "Appeal a no-show or late cancel with /appeal <id>; an admin can waive it within {window}.",
        window=Duration(window),
    )

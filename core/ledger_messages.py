"""What the training ledger tells people (`core.ledger_use_cases`), in every reader's language:
the ended summary's Present / Absent buttons and `/training-log`'s lines."""

from __future__ import annotations

from core.attendance_report import watch_time_text
from core.i18n import Text, t, tn
from core.ledger_log import TrainingTally
from core.model import Rsvp, TrainingSession
from core.notices import ButtonStyle, NoticeButton
from core.training_ledger import LedgerEntry, Verdict

VERDICT_BUTTONS = 10
"""At most this many Present / Absent buttons on a summary (Discord: 5 per row, 5 rows; the
others are typed: `/mark-present <id> <member>`, `/mark-absent <id> <member>`)."""


def verdict_buttons(
    session: TrainingSession, going: list[Rsvp], entries: list[LedgerEntry]
) -> tuple[tuple[NoticeButton, ...], bool]:
    """The instructor's buttons on the ended summary: Present for each going member not
    counted attended (in RSVP order) and for each member who was in the room too briefly
    without going (in the order they joined), then Absent for each member counted attended
    (in the order they joined), at most `VERDICT_BUTTONS`; and whether some were left out."""
    by_member = {e.member_id: e for e in entries}
    going_ids = {r.member_id for r in going}
    short = [(e.member_id, e.member_name) for e in entries if e.member_id not in going_ids]
    present = [
        NoticeButton(
            label=t("Present: {name}", name=name),
            command=f"/mark-present {session.id} {member_id}",
        )
        for member_id, name in [*((r.member_id, r.member_name) for r in going), *short]
        if (entry := by_member.get(member_id)) is None or not entry.attended
    ]
    absent = [
        NoticeButton(
            label=t("Absent: {name}", name=e.member_name),
            command=f"/mark-absent {session.id} {e.member_id}",
            style=ButtonStyle.DANGER,
        )
        for e in entries
        if e.attended
    ]
    every = [*present, *absent]
    return tuple(every[:VERDICT_BUTTONS]), len(every) > VERDICT_BUTTONS


def typed_verdict_hint(session: TrainingSession) -> Text:
    """The summary's line when some members have no button."""
    return t(
        "Instructor: type /mark-present {id} <member> or /mark-absent {id} <member> "
        "for the members without a button.",
        id=session.id,
    )


def verdict_done(name: str, session: TrainingSession, verdict: Verdict) -> Text:
    """The reply to the instructor who set a verdict."""
    if verdict is Verdict.PRESENT:
        return t(
            "{name} is marked present in “{title}” (by you): it counts as attended.",
            name=name,
            title=session.title,
        )
    return t(
        "{name} is marked absent in “{title}” (by you): it does not count as attended.",
        name=name,
        title=session.title,
    )


def verdict_already(name: str, session: TrainingSession, verdict: Verdict) -> Text:
    """The reply when the member already has that verdict."""
    if verdict is Verdict.PRESENT:
        return t("{name} is already marked present in “{title}”.", name=name, title=session.title)
    return t("{name} is already marked absent in “{title}”.", name=name, title=session.title)


def log_heading(name: str) -> Text:
    """`Training log of Ana`."""
    return t("Training log of {name}", name=name)


def log_totals(tally: TrainingTally) -> list[Text]:
    """Totals and streaks."""
    current, best = tally.streaks()
    return [
        t(
            "Classes attended: {year} this year, {all} in all · {time} present in all.",
            year=tally.attended_this_year,
            all=tally.attended_in_all,
            time=watch_time_text(tally.seconds_present),
        ),
        t(
            "Weekly streak: {current} · best {best}.",
            current=tn("{n} week", "{n} weeks", current),
            best=tn("{n} week", "{n} weeks", best),
        ),
    ]


def log_line(entry: LedgerEntry, tally: TrainingTally, names: dict[str, str]) -> Text:
    """`2026-12-01 · Kata · 45 min · ✓ (confirmed by Sensei)`."""
    mark = "✓" if entry.attended else "✗"
    day = tally.local_day(entry.starts_at).isoformat()
    minutes = watch_time_text(entry.seconds_present)
    if entry.verdict is None:
        return t(
            "{day} · {title} · {minutes} · {mark}",
            day=day,
            title=entry.title,
            minutes=minutes,
            mark=mark,
        )
    who = names.get(entry.verdict_by or "", entry.verdict_by or "?")
    if entry.verdict is Verdict.PRESENT:
        return t(
            "{day} · {title} · {minutes} · {mark} (marked present by {who})",
            day=day,
            title=entry.title,
            minutes=minutes,
            mark=mark,
            who=who,
        )
    return t(
        "{day} · {title} · {minutes} · {mark} (marked absent by {who})",
        day=day,
        title=entry.title,
        minutes=minutes,
        mark=mark,
        who=who,
    )


def log_empty() -> Text:
    """No entries yet."""
    return t("No classes recorded yet: the record starts with the next session you join.")

"""What minimum attendance tells people: the instructor's question (Keep / Cancel), what
happened when nobody answered, and the replies of `/keep-session`."""

from __future__ import annotations

from datetime import datetime

from core.i18n import Text, When, joined, t, tn
from core.min_attendance import MinDecision, MinDefault, MinState
from core.model import TrainingSession
from core.notices import ButtonStyle, Notice, NoticeButton, NoticeKind


def cancel_reason(minimum: int) -> str:
    """The reason a session canceled for too few going carries (typed on the Cancel button,
    so plain English like any reason an instructor types)."""
    return f"Fewer than {minimum} going"


def keep_button(session_id: str) -> NoticeButton:
    """Keep: runs `/keep-session <id>`."""
    return NoticeButton(
        label=t("Keep"), command=f"/keep-session {session_id}", style=ButtonStyle.PRIMARY
    )


def cancel_button(session_id: str, minimum: int) -> NoticeButton:
    """Cancel: runs `/cancel-session <id> Fewer than N going`."""
    return NoticeButton(
        label=t("Cancel"),
        command=f"/cancel-session {session_id} {cancel_reason(minimum)}",
        style=ButtonStyle.DANGER,
    )


def ask(
    session: TrainingSession,
    going: int,
    minimum: int,
    answer_by: datetime,
    default: MinDefault,
    tz: str,
) -> Notice:
    """To the instructor: too few are going; Keep or Cancel by `answer_by`."""
    question = tn(
        "Only {n} of the minimum {minimum} is going to “{title}” ({when}). Keep it or cancel?",
        "Only {n} of the minimum {minimum} are going to “{title}” ({when}). Keep it or cancel?",
        going,
        minimum=minimum,
        title=session.title,
        when=When(session.start_time, tz),
    )
    deadline = When(answer_by, tz)
    fallback = (
        t("Answer by {deadline}; if you don't, it is canceled.", deadline=deadline)
        if default is MinDefault.CANCEL
        else t("Answer by {deadline}; if you don't, it goes ahead.", deadline=deadline)
    )
    return Notice(
        kind=NoticeKind.MIN_ATTENDANCE_ASK,
        session=session,
        text=joined([question, fallback], " "),
        buttons=(keep_button(session.id), cancel_button(session.id, minimum)),
    )


def default_applied(session: TrainingSession, decision: MinDecision, tz: str) -> Notice:
    """To the instructor: nobody answered, so the default was applied."""
    deadline = When(decision.answer_by or decision.decided_at or session.start_time, tz)
    text = (
        t(
            "Nobody answered by {deadline}: “{title}” was canceled and its members were told.",
            deadline=deadline,
            title=session.title,
        )
        if decision.state is MinState.CANCELED
        else t(
            "Nobody answered by {deadline}: “{title}” goes ahead as planned.",
            deadline=deadline,
            title=session.title,
        )
    )
    return Notice(kind=NoticeKind.MIN_ATTENDANCE_OUTCOME, session=session, text=text)


def going_ahead(session: TrainingSession) -> Notice:
    """To the members going or waitlisted, once the question was asked: it was kept (by
    the instructor or by default). Not a word about how few are going: that would only
    make the session emptier."""
    return Notice(
        kind=NoticeKind.MIN_ATTENDANCE_OUTCOME,
        session=session,
        text=t("“{title}” goes ahead as planned. See you there!", title=session.title),
    )


def kept(session: TrainingSession, decision: MinDecision, tz: str) -> Text:
    """`/keep-session` kept it."""
    return t(
        "Kept: “{title}” ({when}) goes ahead even with fewer than {minimum} going.",
        title=session.title,
        when=When(session.start_time, tz),
        minimum=decision.minimum,
    )


def already_decided(session: TrainingSession, decision: MinDecision | None, tz: str) -> Text:
    """Why `/keep-session` has nothing (more) to do, from the session and its decision."""
    at = When(decision.decided_at, tz) if decision and decision.decided_at else None
    if decision is not None and decision.by_default and at is not None:
        if decision.state is MinState.CANCELED:
            deadline = When(_deadline(decision), tz)
            return t("Already canceled at {at} because nobody answered.", at=deadline)
        return t(
            "Already kept at {at} because nobody answered: “{title}” goes ahead.",
            at=When(_deadline(decision), tz),
            title=session.title,
        )
    if session.canceled_at is not None:
        return t(
            "“{title}” was already canceled at {at}.",
            title=session.title,
            at=When(session.canceled_at, tz),
        )
    if decision is not None and decision.state is MinState.KEPT and at is not None:
        return t("“{title}” was already kept at {at}.", title=session.title, at=at)
    if decision is not None and decision.state is MinState.ENOUGH:
        return t("Enough members are going to “{title}”: nothing to decide.", title=session.title)
    return t("“{title}” has no minimum: nothing to keep.", title=session.title)


def _deadline(decision: MinDecision) -> datetime:
    return decision.answer_by or decision.decided_at or decision.start_time

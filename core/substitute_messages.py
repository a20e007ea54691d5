"""The notices and replies of substitute requests, worded once for every front end."""

from __future__ import annotations

from core.i18n import Text, When, t, tn
from core.model import TrainingSession
from core.notices import ButtonStyle, Notice, NoticeButton, NoticeKind
from core.substitutes import SubstituteRequest


def accept_button(session_id: str) -> NoticeButton:
    """The Accept button: runs `/take-sub <id>` for whoever clicks it."""
    return NoticeButton(
        label=t("Accept"), command=f"/take-sub {session_id}", style=ButtonStyle.PRIMARY
    )


def wanted(session: TrainingSession, request: SubstituteRequest) -> Notice:
    """To an eligible instructor: will you teach it? (Accept)."""
    return Notice(
        kind=NoticeKind.SUB_WANTED,
        session=session,
        text=t(
            "{instructor} needs a substitute for “{title}” ({start}). Can you teach it? "
            "The first to accept before {deadline} takes it.",
            instructor=request.instructor_name,
            title=session.title,
            start=When(session.start_time, "UTC"),
            deadline=When(request.answer_by, "UTC"),
        ),
        buttons=(accept_button(session.id),),
    )


def found_for_members(session: TrainingSession, previous: str) -> Notice:
    """To members going or waitlisted: who teaches now."""
    return Notice(
        kind=NoticeKind.SUB_FOUND,
        session=session,
        text=t(
            "{substitute} will teach “{title}” ({start}) instead of {instructor}.",
            substitute=session.instructor_name,
            title=session.title,
            start=When(session.start_time, "UTC"),
            instructor=previous,
        ),
    )


def found_for_instructor(session: TrainingSession) -> Notice:
    """To the instructor who was replaced."""
    return Notice(
        kind=NoticeKind.SUB_FOUND,
        session=session,
        text=t(
            "{substitute} accepted to teach “{title}” for you. The room's host rights are "
            "theirs now; your join link lets you in as a participant.",
            substitute=session.instructor_name,
            title=session.title,
        ),
    )


def missing_for_admins(session: TrainingSession, request: SubstituteRequest) -> Notice:
    """To admins (or the channel): nobody accepted in time."""
    return Notice(
        kind=NoticeKind.SUB_MISSING,
        session=session,
        text=t(
            "Nobody accepted to substitute for {instructor} in “{title}” ({start}). Find "
            "someone, or cancel it with /cancel-session {id}.",
            instructor=request.instructor_name,
            title=session.title,
            start=When(session.start_time, "UTC"),
            id=session.id,
        ),
    )


def missing_for_instructor(session: TrainingSession) -> Notice:
    """To the instructor who asked: nobody accepted in time."""
    return Notice(
        kind=NoticeKind.SUB_MISSING,
        session=session,
        text=t(
            "Nobody accepted to substitute for you in “{title}”. The admins were told.",
            title=session.title,
        ),
    )


def asked_line(count: int, request: SubstituteRequest, tz: str) -> Text:
    """The reply to `/need-sub`: how many were asked, until when."""
    if count == 0:
        return t(
            "No instructor can be asked right now (none free at that time). If nobody "
            "accepts by {deadline}, the admins are told.",
            deadline=When(request.answer_by, tz),
        )
    return tn(
        "Substitute request sent to {n} instructor; if they accept before {deadline}, "
        "they teach it.",
        "Substitute request sent to {n} instructors; the first to accept before "
        "{deadline} teaches it.",
        count,
        deadline=When(request.answer_by, tz),
    )

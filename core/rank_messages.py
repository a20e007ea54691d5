"""The texts of rank progress: `/progress` lines, promotion replies and DMs (via `t()`)."""

from __future__ import annotations

from datetime import date

from core.i18n import Text, t
from core.model import TrainingSession
from core.notices import Notice, NoticeKind
from core.ranks import RankLadder, RankProgress

RANKS_OFF_HINT = t("An admin sets the ladder with DOJOBOT_RANKS__LADDER or DOJOBOT_RANKS__FILE.")


def ranks_off() -> Text:
    return t("Ranks are not set up in this dojo.")


def ladder_names(ladder: RankLadder) -> str:
    """The ranks in order, for a reply listing them."""
    return " · ".join(step.name for step in ladder.steps)


def progress_line(progress: RankProgress) -> Text:
    """ "18/24 classes toward Yellow · 2 of 3 months at Orange" and its variants."""
    p = progress
    if p.next_rank is None:
        return t(
            "At {rank}, the top rank · {classes} classes since {day}",
            rank=p.current_rank or "",
            classes=p.classes_done,
            day=p.current_since.isoformat() if p.current_since else "",
        )
    if p.current_rank is None:
        return t(
            "{done}/{needed} classes toward {next} · {months} of {months_needed} months "
            "since the first class",
            done=p.classes_done,
            needed=p.classes_needed,
            next=p.next_rank,
            months=p.months_done,
            months_needed=p.months_needed,
        )
    return t(
        "{done}/{needed} classes toward {next} · {months} of {months_needed} months at {rank}",
        done=p.classes_done,
        needed=p.classes_needed,
        next=p.next_rank,
        months=p.months_done,
        months_needed=p.months_needed,
        rank=p.current_rank,
    )


def eligible_line(progress: RankProgress) -> Text:
    return t("Ready for {next}: every requirement is met.", next=progress.next_rank or "")


def whose(name: str) -> Text:
    return t("Progress of {name}:", name=name)


def promoted_reply(name: str, rank: str, day: date) -> Text:
    return t(
        "Recorded: {name} promoted to {rank} on {day}.", name=name, rank=rank, day=day.isoformat()
    )


def corrected_reply(name: str, rank: str, day: date) -> Text:
    return t(
        "Corrected: {name}'s latest promotion is now {rank} on {day}.",
        name=name,
        rank=rank,
        day=day.isoformat(),
    )


def removed_reply(name: str, rank: str, day: date) -> Text:
    return t(
        "Removed {name}'s promotion to {rank} of {day}.", name=name, rank=rank, day=day.isoformat()
    )


def congratulation(session: TrainingSession, rank: str, day: date) -> Notice:
    """The promoted member's DM (about their latest class)."""
    text = t(
        "Congratulations! You were promoted to {rank} on {day}.", rank=rank, day=day.isoformat()
    )
    return Notice(kind=NoticeKind.RANK_PROMOTED, session=session, text=text)


def digest(session: TrainingSession, names: list[tuple[str, str]]) -> Notice:
    """An instructor's weekly digest (about their latest class): who became eligible.
    Private: the session goes without its channel, so an instructor whose DMs are closed
    is not told in the class channel (other members' progress is not for everyone)."""
    listed = "; ".join(f"{name} → {rank}" for name, rank in names)
    text = t("Newly eligible for their next rank: {members}.", members=listed)
    private = session.model_copy(update={"origin": None})
    return Notice(kind=NoticeKind.RANK_ELIGIBLE, session=private, text=text)

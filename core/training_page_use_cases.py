"""The training-page use cases of `SessionService` (mixed into it): personal page links
(`/training-page`, `/class-page`, `/overview`) and the one read the class page needs beyond
the ledger, how many were going to each session of a class (counted by the store).

A link is a signed, time-limited pass (`core.page_pass`) issued only to who may see the
page: a member their own training page, instructors and admins anyone's and every class's,
admins the overview. The page checks the rules again when it is opened (the ledger's and
the ranks' own use cases do), so a link never shows more than its viewer could ask for.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import InvalidState, NotFound, PermissionDenied
from core.i18n import Text, t
from core.ledger_summary import LedgerSummary, session_totals
from core.local_days import week_of
from core.model import (
    Member,
    Model,
    Role,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
)
from core.notices import ButtonStyle, NoticeButton
from core.page_pass import PageKind
from core.ports import PageLinks, SessionStore
from core.record_access import is_staff, require_reader
from core.reply_outcome import ReplyOutcome
from core.series import Series
from core.training_ledger import LedgerQuery

BUSIEST = 5
"""Classes the overview ranks."""
MAX_CLASS_SESSIONS = 1000
"""Sessions of one class a page reads at most (a weekly class for 19 years)."""
PRIMARY = ButtonStyle.PRIMARY


class ClassSession(Model):
    """One held session of a class: going RSVPs, attended ledger entries, and entries with
    no presence at all (going members who never came: the no-shows)."""

    session_id: str
    title: str
    starts_at: datetime
    going: int
    attended: int
    no_presence: int


class ClassRecord(Model):
    title: str
    sessions: list[ClassSession]


def class_page_buttons(session: TrainingSession) -> tuple[NoticeButton, ...]:
    """The ended summary's "Class page" button, on an occurrence of a weekly class: it runs
    `/class-page <class id>` for whoever clicks, so the instructor (or an admin) gets their
    own private link, and anyone else is told it is not for them."""
    if session.series_id is None:
        return ()
    return (NoticeButton(label=t("Class page"), command=f"/class-page {session.series_id}"),)


class TrainingPageUseCases:
    """Personal page links and the class page's RSVP counts."""

    _store: SessionStore
    _page_links: PageLinks | None

    def now(self) -> datetime:
        raise NotImplementedError

    async def get_series(self, series_id: str) -> Series:
        raise NotImplementedError

    async def page_link(self, actor: Member, kind: PageKind, subject: str | None) -> ReplyOutcome:
        """A private reply with a button opening `actor`'s personal link to the page.

        MEMBER: `subject` a member id (None: the actor's own; someone else's needs an
        instructor or admin); CLASS: a weekly class or session id (instructors, admins);
        OVERVIEW: admins. PermissionDenied / NotFound otherwise; InvalidState when no web
        page is served to open.
        """
        subject, label, line = await self._page_subject(actor, kind, subject)
        if self._page_links is None or not self._page_links.available():
            raise InvalidState(
                t("The training pages are not served here."),
                t("Ask an admin to run dojobot's web pages (see docs/training-record.md)."),
            )
        link = self._page_links.issue(actor, kind, subject, self.now())
        return ReplyOutcome(
            action=f"page_link_{kind.value}",
            lines=[
                line,
                t(
                    "The link is yours alone and works until {until} (UTC).",
                    until=link.expires_at.strftime("%Y-%m-%d %H:%M"),
                ),
            ],
            buttons=[NoticeButton(label=label, command=link.url, url=link.url, style=PRIMARY)],
        )

    async def _page_subject(
        self, actor: Member, kind: PageKind, subject: str | None
    ) -> tuple[str, Text, Text]:
        match kind:
            case PageKind.MEMBER:
                member_id = subject or actor.id
                own = require_reader(
                    actor,
                    [member_id],
                    t("Only instructors and admins may open someone else's training page."),
                    t("Type /training-page for your own."),
                )
                if own:
                    member_id = actor.id
                    return member_id, t("Open your training page"), t("Your training page:")
                return (
                    member_id,
                    t("Open the training page"),
                    t("The training page of {member}:", member=member_id),
                )
            case PageKind.CLASS:
                self._require_staff(actor, t("Only instructors and admins may open a class page."))
                class_id = (subject or "").strip()
                title = await self._class_title(class_id)
                return class_id, t("Open the class page"), t("The page of “{title}”:", title=title)
            case PageKind.OVERVIEW:
                if actor.role is not Role.ADMIN:
                    raise PermissionDenied(
                        t("Only admins may open the association overview."),
                        t("Type /training-page for your own training page."),
                    )
                return "", t("Open the overview"), t("The association overview:")

    @staticmethod
    def _require_staff(actor: Member, message: Text) -> None:
        if not is_staff(actor):
            raise PermissionDenied(message, t("Type /training-page for your own training page."))

    async def _class_title(self, class_id: str) -> str:
        """The title of the weekly class (or single session) `class_id` (NotFound if none)."""
        series = await self._store.get_series(class_id) if class_id else None
        if series is not None:
            return series.title
        session = await self._store.get_session(class_id) if class_id else None
        if session is not None:
            return session.title
        raise NotFound(
            t("No weekly class or session with id “{id}”.", id=class_id),
            t("List weekly classes with /classes, sessions with /sessions."),
        )

    async def class_record(self, actor: Member, class_id: str, weeks: int) -> ClassRecord:
        """A weekly class's (or one session's) held sessions of the last `weeks` weeks in
        the actor's zone: for each, how many were going, attended, and never came
        (instructors and admins; NotFound for an unknown id). Reads: the sessions, one
        count of their going RSVPs by the store, and one aggregated ledger read."""
        self._require_staff(actor, t("Only instructors and admins may open a class page."))
        title = await self._class_title(class_id)
        bounds = week_bounds(self.now(), actor.timezone, weeks)
        if await self._store.get_series(class_id) is not None:
            sessions = await self._store.list_sessions(
                SessionFilter(
                    series_id=class_id,
                    status=[SessionStatus.ENDED],
                    starts_after=bounds[0],
                    starts_before=bounds[-1],
                    include_archived=True,
                    limit=MAX_CLASS_SESSIONS,
                )
            )
            summary = await self._store.ledger_summary(bounds, 0, series_id=class_id)
            totals = {s.session_id: s for s in summary.sessions}
        else:
            one = await self._store.get_session(class_id)
            sessions = [one] if one is not None and one.status is SessionStatus.ENDED else []
            entries = [e async for e in self._store.read_ledger(LedgerQuery(session_id=class_id))]
            totals = {t.session_id: t for t in session_totals(entries)}
        going = await self._store.count_rsvps_of_sessions(
            [s.id for s in sessions], RsvpStatus.GOING
        )
        held = []
        for session in sorted(sessions, key=lambda s: (s.start_time, s.id)):
            found = totals.get(session.id)
            held.append(
                ClassSession(
                    session_id=session.id,
                    title=session.title,
                    starts_at=session.start_time,
                    going=going.get(session.id, 0),
                    attended=found.attended if found else 0,
                    no_presence=found.no_presence if found else 0,
                )
            )
        return ClassRecord(title=title, sessions=held)

    async def overview_summary(self, actor: Member, weeks: int) -> LedgerSummary:
        """The association's last `weeks` weeks (this one included), Monday to Monday in
        the actor's zone: sessions and attending members per week, the busiest classes
        (admins; one aggregated store read, however large the ledger)."""
        if actor.role is not Role.ADMIN:
            raise PermissionDenied(
                t("Only admins may open the association overview."),
                t("Type /training-page for your own training page."),
            )
        return await self._store.ledger_summary(
            week_bounds(self.now(), actor.timezone, weeks), BUSIEST
        )


def week_bounds(now: datetime, timezone: str, weeks: int) -> list[datetime]:
    """The local Mondays 00:00 (as instants) starting each of the last `weeks` weeks up to
    `now`'s, and the Monday after: `weeks + 1` ascending bounds."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    today = now.astimezone(zone).date()
    monday = week_of(today)
    days = [monday - timedelta(weeks=weeks - 1 - n) for n in range(weeks + 1)]
    return [datetime.combine(day, time(0), zone) for day in days]

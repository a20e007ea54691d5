"""The three training pages, gathered through the service's public use cases and written as
HTML with their charts (`training_charts`) and each chart's text alternative (a caption
and a data table), in the reader's language.

`member_page`, `class_page` and `overview_page` read once and return a `PageView`: the
body (given how chart URLs are made) and the charts it shows, each drawn on demand. The
`render_*` functions draw a whole page with every chart, as one reader's visit does: the
benchmark times them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from adapters.web.branding import DEFAULT_ACCENT, DEFAULT_BRANDING, Branding
from adapters.web.chart_data import (
    ClassStats,
    MemberStats,
    OverviewStats,
    class_stats,
    member_stats,
    overview_stats,
)
from adapters.web.html import EMPTY, Html, join, page, render
from adapters.web.training_charts import bar_chart, heatmap, month_label
from adapters.web.words import say, t
from core.i18n import ENGLISH, Message, Translator
from core.model import Member
from core.ranks import RankProgress
from core.service import SessionService
from core.training_ledger import LedgerEntry, LedgerQuery

YEAR = timedelta(weeks=53)
CLASS_WEEKS = 53
"""The class page covers the last 53 weeks (this one included)."""
OVERVIEW_WEEKS = 12
"""The overview covers the last 12 weeks (the whole association's ledger is large)."""
ChartUrl = Callable[[str], str]


@dataclass(frozen=True)
class PageView:
    """A page's title, its body (given each chart's URL by name) and its charts."""

    title: str
    body: Callable[[ChartUrl], Html]
    charts: dict[str, Callable[[], str]] = field(default_factory=dict)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


async def _entries(service: SessionService, actor: Member, query: LedgerQuery) -> list[LedgerEntry]:
    return [entry async for entry in service.training_entries(actor, query)]


def chart_figure(url: str, alt: str, caption: str, summary: str, table: Html) -> Html:
    """A chart as an image with its caption, and its data as a table under a disclosure."""
    return render(
        '<figure class="chart"><img src="$url" alt="$alt" width="800" height="320">'
        "<figcaption>$caption</figcaption></figure>\n"
        "<details><summary>$summary</summary>\n$table</details>",
        url=url,
        alt=alt,
        caption=caption,
        summary=summary,
        table=table,
    )


def data_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Html:
    """A table with a caption and column headers (numbers right-aligned by the style)."""
    head = join([render('<th scope="col">$h</th>', h=h) for h in header])
    body = join(
        [
            Html(
                "<tr>"
                + render('<th scope="row">$c</th>', c=row[0])
                + join([render("<td>$c</td>", c=c) for c in row[1:]])
                + "</tr>"
            )
            for row in rows
        ]
    )
    return render(
        '<div class="table-wrap"><table><caption>$caption</caption>'
        "<thead><tr>$head</tr></thead><tbody>$body</tbody></table></div>",
        caption=caption,
        head=head,
        body=body,
    )


def _short(day: date) -> str:
    return f"{day:%m-%d}"


# ------------------------------------------------------------------------- member page


async def member_page(
    service: SessionService,
    actor: Member,
    member_id: str,
    now: datetime,
    tr: Translator = ENGLISH,
    accent: str = DEFAULT_ACCENT,
) -> PageView:
    """A member's training page: the year's calendar heatmap, minutes per week and rank
    progress (the ledger's and the ranks' rules: PermissionDenied when `actor` may not)."""
    zone = _zone(actor.timezone)
    today = now.astimezone(zone).date()
    query = LedgerQuery(member_ids=[member_id], since=now - YEAR, until=now + timedelta(days=1))
    entries = await _entries(service, actor, query)
    progress = await service.rank_progress(actor, member_id)
    stats = member_stats(entries, today, zone)
    name = entries[-1].member_name if entries else member_id
    title = say(t("Training of {name}", name=name), tr)

    def heat_svg() -> str:
        return heatmap(
            stats.days,
            say(t("Attended minutes per day"), tr),
            say(t("{day}: {minutes} min", day="{day}", minutes="{minutes}"), tr),
            [f"{m:02d}" for m in range(1, 13)],
            [tr.weekday(i) for i in range(7)],
        )

    def weeks_svg() -> str:
        return bar_chart(
            say(t("Minutes per week"), tr),
            [_short(w) for w, _ in stats.weeks],
            [(say(t("Minutes"), tr), [m for _, m in stats.weeks])],
            accent,
        )

    def body(url: ChartUrl) -> Html:
        return _member_body(stats, progress, title, tr, url)

    return PageView(title, body, {"calendar": heat_svg, "weeks": weeks_svg})


def progress_text(progress: RankProgress, tr: Translator = ENGLISH) -> Message:
    """One line on the way to the next rank."""
    if progress.next_rank is None:
        if progress.current_rank is None:
            return t("No rank ladder is set up.")
        return t("Rank {rank}: the top of the ladder.", rank=progress.current_rank)
    current = progress.current_rank or say(t("no rank yet"), tr)
    text = t(
        "Rank {rank}. Toward {next}: {classes_done} of {classes_needed} classes, "
        "{months_done} of {months_needed} months.",
        rank=current,
        next=progress.next_rank,
        classes_done=progress.classes_done,
        classes_needed=progress.classes_needed,
        months_done=progress.months_done,
        months_needed=progress.months_needed,
    )
    return text


def _member_body(
    stats: MemberStats, progress: RankProgress, title: str, tr: Translator, url: ChartUrl
) -> Html:
    summary = say(
        t(
            "{classes} classes and {minutes} minutes attended from {first} to {last}.",
            classes=stats.classes,
            minutes=stats.minutes,
            first=tr.day(stats.first),
            last=tr.day(stats.last),
        ),
        tr,
    )
    done = min(progress.classes_done, progress.classes_needed)
    bar = (
        render(
            '<progress value="$value" max="$max" aria-labelledby="rank-line">$value</progress>',
            value=done,
            max=progress.classes_needed,
        )
        if progress.next_rank is not None and progress.classes_needed > 0
        else EMPTY
    )
    ready = (
        render('<p class="badge">$text</p>', text=say(t("Ready for the next rank"), tr))
        if progress.eligible
        else EMPTY
    )
    months = data_table(
        say(t("Classes and minutes per month"), tr),
        [say(t("Month"), tr), say(t("Classes"), tr), say(t("Minutes"), tr)],
        [(month_label(m), c, n) for m, c, n in stats.months] or [(say(t("none yet"), tr), 0, 0)],
    )
    weeks = data_table(
        say(t("Minutes per week"), tr),
        [say(t("Week of"), tr), say(t("Minutes"), tr)],
        [(tr.day(w), m) for w, m in stats.weeks],
    )
    active = sum(1 for d in stats.days if d.minutes)
    return render(
        "<h1>$title</h1>\n<p>$summary</p>\n"
        '<section aria-labelledby="rank-head"><h2 id="rank-head">$rank_head</h2>'
        '<p id="rank-line">$rank_line</p>$bar$ready</section>\n'
        '<section aria-labelledby="cal-head"><h2 id="cal-head">$cal_head</h2>$calendar</section>\n'
        '<section aria-labelledby="week-head"><h2 id="week-head">$week_head</h2>$weeks</section>',
        title=title,
        summary=summary,
        rank_head=say(t("Rank progress"), tr),
        rank_line=say(progress_text(progress, tr), tr),
        bar=bar,
        ready=ready,
        cal_head=say(t("The year in classes"), tr),
        calendar=chart_figure(
            url("calendar"),
            say(t("Calendar of the year, one square per day, darker for more minutes"), tr),
            say(t("Trained on {days} days of the year.", days=active), tr),
            say(t("The numbers per month"), tr),
            months,
        ),
        week_head=say(t("Minutes per week"), tr),
        weeks=chart_figure(
            url("weeks"),
            say(t("Bar chart of the minutes attended each week"), tr),
            say(
                t(
                    "Most in one week: {minutes} minutes.",
                    minutes=max((m for _, m in stats.weeks), default=0),
                ),
                tr,
            ),
            say(t("The numbers per week"), tr),
            weeks,
        ),
    )


# -------------------------------------------------------------------------- class page


async def class_page(
    service: SessionService,
    actor: Member,
    class_id: str,
    now: datetime,
    tr: Translator = ENGLISH,
    accent: str = DEFAULT_ACCENT,
) -> PageView:
    """A class's page for instructors and admins: attendance per week, going vs present per
    session, and the no-show rate, over the last year."""
    zone = _zone(actor.timezone)
    record = await service.class_record(actor, class_id, CLASS_WEEKS)
    held = record.sessions
    today = now.astimezone(zone).date()
    first = held[0].starts_at.astimezone(zone).date() if held else today
    stats = class_stats(
        [(s.session_id, s.starts_at, s.going, s.attended, s.no_presence) for s in held],
        first,
        today,
        zone,
    )
    class_title = record.title
    title = say(t("Class: {title}", title=class_title), tr)

    def weeks_svg() -> str:
        return bar_chart(
            say(t("Members present per week"), tr),
            [_short(w) for w, _ in stats.weeks],
            [(say(t("Present"), tr), [n for _, n in stats.weeks])],
            accent,
        )

    def sessions_svg() -> str:
        return bar_chart(
            say(t("Going and present per session"), tr),
            [_short(s.starts_at.astimezone(zone).date()) for s in stats.sessions],
            [
                (say(t("Going"), tr), [s.going for s in stats.sessions]),
                (say(t("Present"), tr), [s.present for s in stats.sessions]),
            ],
            accent,
        )

    def body(url: ChartUrl) -> Html:
        return _class_body(stats, title, tr, url, zone)

    return PageView(title, body, {"weeks": weeks_svg, "sessions": sessions_svg})


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)} %"


def _class_body(
    stats: ClassStats, title: str, tr: Translator, url: ChartUrl, zone: ZoneInfo
) -> Html:
    summary = say(
        t(
            "{sessions} sessions held; {going} going RSVPs, {no_shows} of them no-shows "
            "(no-show rate {rate}).",
            sessions=len(stats.sessions),
            going=stats.going,
            no_shows=stats.no_shows,
            rate=_percent(stats.no_show_rate),
        ),
        tr,
    )
    weeks = data_table(
        say(t("Members present per week"), tr),
        [say(t("Week of"), tr), say(t("Present"), tr)],
        [(tr.day(w), n) for w, n in stats.weeks],
    )
    sessions = data_table(
        say(t("Going and present per session"), tr),
        [say(t("Session"), tr), say(t("Going"), tr), say(t("Present"), tr), say(t("No-shows"), tr)],
        [
            (tr.day(s.starts_at.astimezone(zone).date()), s.going, s.present, s.no_shows)
            for s in stats.sessions
        ]
        or [(say(t("none yet"), tr), 0, 0, 0)],
    )
    return render(
        "<h1>$title</h1>\n<p>$summary</p>\n"
        '<section aria-labelledby="week-head"><h2 id="week-head">$week_head</h2>$weeks</section>\n'
        '<section aria-labelledby="rsvp-head"><h2 id="rsvp-head">$rsvp_head</h2>'
        "$sessions</section>",
        title=title,
        summary=summary,
        week_head=say(t("Attendance per week"), tr),
        weeks=chart_figure(
            url("weeks"),
            say(t("Bar chart of the members present each week"), tr),
            say(t("Most in one week: {n}.", n=max((n for _, n in stats.weeks), default=0)), tr),
            say(t("The numbers per week"), tr),
            weeks,
        ),
        rsvp_head=say(t("Going and present"), tr),
        sessions=chart_figure(
            url("sessions"),
            say(t("Bar chart of going RSVPs and members present at each session"), tr),
            say(t("No-show rate: {rate}.", rate=_percent(stats.no_show_rate)), tr),
            say(t("The numbers per session"), tr),
            sessions,
        ),
    )


# ------------------------------------------------------------------------------ overview


async def overview_page(
    service: SessionService,
    actor: Member,
    now: datetime,
    tr: Translator = ENGLISH,
    accent: str = DEFAULT_ACCENT,
) -> PageView:
    """The association overview for admins: sessions and attending members per week over
    the last `OVERVIEW_WEEKS` weeks, and the busiest classes."""
    summary = await service.overview_summary(actor, OVERVIEW_WEEKS)  # one aggregated read
    stats = overview_stats(summary, _zone(actor.timezone))
    title = say(t("Overview"), tr)

    def weeks_svg() -> str:
        return bar_chart(
            say(t("Sessions and members per week"), tr),
            [_short(w) for w, _, _ in stats.weeks],
            [
                (say(t("Sessions"), tr), [s for _, s, _ in stats.weeks]),
                (say(t("Members"), tr), [m for _, _, m in stats.weeks]),
            ],
            accent,
            label_every=2,
        )

    def busiest_svg() -> str:
        return bar_chart(
            say(t("Busiest classes"), tr),
            [name for name, _ in stats.busiest],
            [(say(t("Attendances"), tr), [n for _, n in stats.busiest])],
            accent,
            label_every=1,
        )

    def body(url: ChartUrl) -> Html:
        return _overview_body(stats, title, tr, url)

    return PageView(title, body, {"weeks": weeks_svg, "busiest": busiest_svg})


def _overview_body(stats: OverviewStats, title: str, tr: Translator, url: ChartUrl) -> Html:
    weeks = data_table(
        say(t("Sessions and members per week"), tr),
        [say(t("Week of"), tr), say(t("Sessions"), tr), say(t("Members"), tr)],
        [(tr.day(w), s, m) for w, s, m in stats.weeks],
    )
    busiest = data_table(
        say(t("Busiest classes"), tr),
        [say(t("Class"), tr), say(t("Attendances"), tr)],
        stats.busiest or [(say(t("none yet"), tr), 0)],
    )
    return render(
        "<h1>$title</h1>\n<p>$summary</p>\n"
        '<section aria-labelledby="week-head"><h2 id="week-head">$week_head</h2>$weeks</section>\n'
        '<section aria-labelledby="busy-head"><h2 id="busy-head">$busy_head</h2>$busiest</section>',
        title=title,
        summary=say(
            t("The last {weeks} weeks of the whole association.", weeks=OVERVIEW_WEEKS), tr
        ),
        week_head=say(t("Sessions and members per week"), tr),
        weeks=chart_figure(
            url("weeks"),
            say(t("Bar chart of the sessions held and the members present each week"), tr),
            say(
                t(
                    "{sessions} sessions, {members} members present in the latest week.",
                    sessions=stats.weeks[-1][1] if stats.weeks else 0,
                    members=stats.weeks[-1][2] if stats.weeks else 0,
                ),
                tr,
            ),
            say(t("The numbers per week"), tr),
            weeks,
        ),
        busy_head=say(t("Busiest classes"), tr),
        busiest=chart_figure(
            url("busiest"),
            say(t("Bar chart of the classes with the most attendances"), tr),
            say(t("Ranked by attendances, most first."), tr),
            say(t("The numbers per class"), tr),
            busiest,
        ),
    )


# ---------------------------------------------------------------------- whole pages


def whole_page(
    view: PageView, chart_url: ChartUrl, tr: Translator, brand: Branding = DEFAULT_BRANDING
) -> Html:
    """`view` in the common layout (the pages' own style sheet added)."""
    return page(
        view.title,
        view.body(chart_url),
        head=Html('<link rel="stylesheet" href="/assets/record.css">'),
        body_attrs={"class": "record"},
        lang=tr.locale,
        brand=brand,
    )


def _drawn(view: PageView, tr: Translator) -> str:
    markup = whole_page(view, lambda name: f"{name}.svg", tr)
    for draw in view.charts.values():
        draw()
    return markup


async def render_member_page(
    service: SessionService, actor: Member, member_id: str, now: datetime, tr: Translator = ENGLISH
) -> str:
    """A member's whole training page, its charts drawn too (what one visit costs)."""
    return _drawn(await member_page(service, actor, member_id, now, tr), tr)


async def render_class_page(
    service: SessionService, actor: Member, class_id: str, now: datetime, tr: Translator = ENGLISH
) -> str:
    """A class's whole page, its charts drawn too (what one visit costs)."""
    return _drawn(await class_page(service, actor, class_id, now, tr), tr)


async def render_overview_page(
    service: SessionService, actor: Member, now: datetime, tr: Translator = ENGLISH
) -> str:
    """The whole overview page, its charts drawn too (what one visit costs)."""
    return _drawn(await overview_page(service, actor, now, tr), tr)

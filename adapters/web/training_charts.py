"""The training pages' charts as SVG documents, drawn on the server.

Bar charts are pygal's (a small, pure-Python SVG library, imported only when a chart is
drawn so `dojobot run` starts as fast as before); the calendar heatmap, which pygal has
no chart for, is a grid of squares written here. Each SVG is served as an image from our
own origin (`image/svg+xml`, see `training_pages`): its inline `<style>` never meets the
pages' strict CSP, and nothing in it runs (images run no scripts). Colours follow the
reader's light or dark mode. Every chart has a text alternative on the page itself.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from types import ModuleType

from adapters.web.chart_data import HeatDay

WIDTH, HEIGHT = 800, 320
INK_LIGHT, INK_DARK = "#374151", "#d1d5db"
GRID_LIGHT, GRID_DARK = "#d1d5db", "#4b5563"
SECOND_COLOUR = "#9ca3af"
DARK_CSS = (
    "inline:@media (prefers-color-scheme: dark) {"
    f" text {{ fill: {INK_DARK} !important; }}"
    f" .guides .line, .axis .line {{ stroke: {GRID_DARK} !important; }} }}"
)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    accent: str,
    label_every: int = 4,
) -> str:
    """A bar chart (one bar group per label, one bar per series) as an SVG document."""
    pygal = _pygal()
    from pygal.style import Style

    style = Style(
        background="transparent",
        plot_background="transparent",
        foreground=INK_LIGHT,
        foreground_strong=INK_LIGHT,
        foreground_subtle=GRID_LIGHT,
        colors=(accent, SECOND_COLOUR),
        font_family="system-ui, sans-serif",
        title_font_size=18,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
    )
    chart = pygal.Bar(
        style=style,
        width=WIDTH,
        height=HEIGHT,
        title=title,
        js=[],
        css=["file://style.css", "file://graph.css", DARK_CSS],
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, label_every),
        truncate_label=-1,
        print_values=False,
        margin=8,
        spacing=6,
        no_data_text="",
    )
    top = max((v for _, values in series for v in values), default=0)
    step = max(1, math.ceil(top / 5))
    chart.y_labels = list(range(0, int(top) + step + 1, step))  # whole numbers: counts, minutes
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    rendered = chart.render(is_unicode=True)
    return str(rendered)


def _pygal() -> ModuleType:
    """pygal, imported at first use (only pages that draw charts pay for it), without the
    import hook it adds for its map plugins (`sys.meta_path`): an old-style finder that makes
    every failed import anywhere in the process warn (ImportWarning), and we use no maps."""
    import pygal

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


CELL, GAP = 12, 3
LEFT, TOP = 34, 22
HEAT_LIGHT = ("#e5e7eb", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a")
HEAT_DARK = ("#1f2937", "#1e3a8a", "#1d4ed8", "#3b82f6", "#93c5fd")


def heatmap(
    days: Sequence[HeatDay],
    title: str,
    day_text: str,
    month_names: Sequence[str],
    weekday_names: Sequence[str],
) -> str:
    """The calendar heatmap of `days` (one square per day, a column per week, Monday on
    top) as an SVG document; `day_text` is a `str.format` template with `{day}` and
    `{minutes}` for each square's tooltip; `month_names` 12 short names, `weekday_names`
    7 (Monday first)."""
    if not days:
        return _svg(LEFT + 10, TOP + 10, title, [])
    first = days[0].day
    start = first - timedelta(days=first.weekday())
    parts: list[str] = []
    last_month = -1
    for item in days:
        offset = (item.day - start).days
        column, row = divmod(offset, 7)
        x, y = LEFT + column * (CELL + GAP), TOP + row * (CELL + GAP)
        tip = escape(day_text.format(day=item.day.isoformat(), minutes=item.minutes))
        parts.append(
            f'<rect class="h{item.level}" x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
            f'rx="2"><title>{tip}</title></rect>'
        )
        if item.day.day <= 7 and item.day.month != last_month and row == 0:
            last_month = item.day.month
            parts.append(
                f'<text x="{x}" y="{TOP - 8}">{escape(month_names[last_month - 1])}</text>'
            )
    for row in (0, 2, 4):
        y = TOP + row * (CELL + GAP) + CELL - 2
        parts.append(f'<text x="0" y="{y}">{escape(weekday_names[row])}</text>')
    columns = (days[-1].day - start).days // 7 + 1
    width = LEFT + columns * (CELL + GAP)
    height = TOP + 7 * (CELL + GAP)
    return _svg(width, height, title, parts)


def _svg(width: int, height: int, title: str, parts: list[str]) -> str:
    light = "".join(f".h{n}{{fill:{c}}}" for n, c in enumerate(HEAT_LIGHT))
    dark = "".join(f".h{n}{{fill:{c}}}" for n, c in enumerate(HEAT_DARK))
    style = (
        f"text{{font:11px system-ui,sans-serif;fill:{INK_LIGHT}}}{light}"
        f"@media (prefers-color-scheme: dark){{text{{fill:{INK_DARK}}}{dark}}}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img"><title>{escape(title)}</title>'
        f"<style>{style}</style>{''.join(parts)}</svg>"
    )


def month_label(day: date) -> str:
    """`2026-03` for a month (language-neutral axis label)."""
    return f"{day.year:04d}-{day.month:02d}"

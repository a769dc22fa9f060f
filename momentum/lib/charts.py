"""Charts as server-rendered SVG: readable without JavaScript, safe under a strict CSP.

Each function returns SVG markup (escaped, safe to insert) with a <title> and <desc> for
screen readers; pages should also offer the numbers as a table (``table.data``). Colours come
from CSS classes (static/css/momentum.css, ``.chart-*``), so charts follow the design system.

    line([("Mon", 3), ("Tue", 5)], title="Lessons per day")
    bars([("Day 1", 120), ("Day 2", 96)], title="Learners reaching each day")
    calendar({date(2026, 11, 2): 1, ...}, start=date(2026, 9, 1), end=date(2026, 11, 30), title="Streak")
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float
Formatter = Callable[[float], str]


def _plain(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _nice_ceiling(value: float) -> float:
    """The smallest 'round' number >= value (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return float(candidate)
    return float(10 ** (exponent + 1))


def _axis(values: Sequence[float]) -> tuple[float, float]:
    """The value axis (bottom, top) in four round steps; below zero only when a value is (net figures)."""
    high, low = max([*values, 0.0]), min([*values, 0.0])
    if low < 0:
        step = _nice_ceiling((high - low) / 4)
        while -math.ceil(-low / step) * step + 4 * step < high:
            step = _nice_ceiling(step * 1.01)
        bottom = -math.ceil(-low / step) * step
        return bottom, bottom + 4 * step
    ceiling = _nice_ceiling(high)
    if all(v == int(v) for v in values) and ceiling <= 20 and ceiling % 4:  # small counts: whole ticks
        return 0.0, float(math.ceil(max(high, 1) / 4) * 4)
    return 0.0, ceiling


def _frame(
    size: tuple[int, int],
    title: str,
    description: str,
    body: list[str],
    css_class: str,
    *,
    natural_width: bool = False,
) -> SafeString:
    width, height = size
    fixed_size = f'width="{width}" height="{height}" ' if natural_width else ""
    return mark_safe(  # noqa: S308  (every interpolated text is escaped above or here)
        f'<svg class="chart {css_class}" {fixed_size}viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>" + "".join(body) + "</svg>"
    )


def line(
    points: Sequence[tuple[str, Number]],
    *,
    title: str,
    width: int = 520,
    height: int = 220,
    fmt: Formatter = _plain,
    area: bool = True,
) -> SafeString:
    """A line (and area) chart of labelled values in order, e.g. a daily time series."""
    left, right, top, bottom = 48, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(value) for _, value in points]
    floor, ceiling = _axis(values)
    span = ceiling - floor
    description = (
        "; ".join(f"{label}: {fmt(value)}" for label, value in zip([p[0] for p in points], values, strict=True))
        or "No data"
    )
    body: list[str] = []
    for i in range(5):  # horizontal grid with value labels
        y = top + plot_h - plot_h * i / 4
        body.append(f'<line class="chart-grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        tick = escape(fmt(floor + span * i / 4))
        body.append(f'<text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    if points:
        step = plot_w / max(len(points) - 1, 1)
        coords = [
            (
                left + i * step if len(points) > 1 else left + plot_w / 2,
                top + plot_h - plot_h * (value - floor) / span,
            )
            for i, value in enumerate(values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        if area:
            base = f"{top + plot_h + plot_h * floor / span:.1f}"  # the zero line
            body.append(
                f'<polygon class="chart-area" points="{coords[0][0]:.1f},{base} {path} {coords[-1][0]:.1f},{base}"/>'
            )
        body.append(f'<polyline class="chart-line" points="{path}"/>')
        every = max(1, math.ceil(len(points) / 8))  # at most about eight x labels
        for i, (label, _value) in enumerate(points):
            x, y = coords[i]
            body.append(f'<circle class="chart-dot" cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{escape(label)}: '
                        f"{escape(fmt(values[i]))}</title></circle>")  # fmt: skip
            last = len(points) - 1
            if i % every == 0 or (i == last and last % every >= every / 2):
                body.append(
                    f'<text class="chart-axis" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>'
                )
    else:
        body.append(
            f'<text class="chart-empty" x="{width / 2}" y="{height / 2}" text-anchor="middle">No data yet</text>'
        )
    return _frame((width, height), title, description, body, "chart-line-chart")


def bars(
    items: Sequence[tuple[str, Number]],
    *,
    title: str,
    width: int = 520,
    bar_height: int = 24,
    fmt: Formatter = _plain,
    highlight: str | None = None,
) -> SafeString:
    """Horizontal bars, one per labelled value (funnels, breakdowns, drop-off by day)."""
    label_w, value_w, gap = 130, 56, 8
    height = max(len(items), 1) * (bar_height + gap) + gap
    ceiling = max((float(value) for _, value in items), default=0) or 1.0
    plot_w = width - label_w - value_w
    description = "; ".join(f"{label}: {fmt(float(value))}" for label, value in items) or "No data"
    body: list[str] = []
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_height + gap)
        w = max(plot_w * float(value) / ceiling, 1 if value else 0)
        css = "chart-bar chart-bar-highlight" if label == highlight else "chart-bar"
        body.append(
            f'<text class="chart-label" x="{label_w - 8}" y="{y + bar_height * 0.68:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        body.append(f'<rect class="{css}" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" rx="4"/>')
        body.append(
            f'<text class="chart-value" x="{label_w + w + 6:.1f}" y="{y + bar_height * 0.68:.1f}">'
            f"{escape(fmt(float(value)))}</text>"
        )
    if not items:
        body.append(
            f'<text class="chart-empty" x="{width / 2}" y="{height / 2 + 4}" text-anchor="middle">No data yet</text>'
        )
    return _frame((width, height), title, description, body, "chart-bars")


def calendar(
    days: Mapping[date, Number],
    *,
    start: date,
    end: date,
    title: str,
    cell: int = 14,
    fmt: Formatter = _plain,
) -> SafeString:
    """A GitHub-style calendar: one square per day (weeks as columns), darker for more."""
    first = start - timedelta(days=start.weekday())  # columns start on Monday
    weeks = (end - first).days // 7 + 1
    left, top, gap = 28, 16, 3
    width = left + weeks * (cell + gap)
    height = top + 7 * (cell + gap)
    peak = max((float(v) for v in days.values()), default=0) or 1.0
    active = sum(1 for d, v in days.items() if start <= d <= end and v)
    description = f"{active} active day{'s' if active != 1 else ''} between {start.isoformat()} and {end.isoformat()}"
    body: list[str] = []
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        body.append(f'<text class="chart-axis" x="0" y="{top + row * (cell + gap) + cell - 3}">{name}</text>')
    day = first
    while day <= end:
        column, row = (day - first).days // 7, day.weekday()
        x, y = left + column * (cell + gap), top + row * (cell + gap)
        if row == 0 and day.day <= 7:  # the month's name above its first Monday
            body.append(f'<text class="chart-axis" x="{x}" y="{top - 5}">{day.strftime("%b")}</text>')
        if day >= start:
            value = float(days.get(day, 0))
            level = 0 if not value else min(4, 1 + int(3 * value / peak))
            label = f"{day.isoformat()}: {fmt(value)}"
            body.append(
                f'<rect class="chart-cell chart-cell-{level}" x="{x}" y="{y}" width="{cell}" height="{cell}" rx="3">'
                f"<title>{escape(label)}</title></rect>"
            )
        day += timedelta(days=1)
    return _frame((width, height), title, description, body, "chart-calendar", natural_width=True)

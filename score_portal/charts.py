"""Charts drawn on the server as SVG (matplotlib): the one chart module of the portal, used
by web pages (as data: images, since the Content-Security-Policy forbids the inline styles
matplotlib writes) and by PDF reports, so both show the same chart from the same code.

Readable without colour: every series has its own hatching or marker and line style, and
values are written on the chart. Text is drawn as paths (``svg.fonttype = 'path'``) so an
SVG needs no font; Chinese labels use Noto Sans CJK SC (Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import re
import threading
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from .dates import PLANNED, date_range  # noqa: E402

matplotlib.rcParams.update(
    {
        "font.family": "sans-serif",
        "font.sans-serif": [
            "Noto Sans CJK SC",
            "Noto Sans CJK JP",
            "WenQuanYi Micro Hei",
            "DejaVu Sans",
        ],
        "svg.fonttype": "path",
        "svg.hashsalt": "score-portal",  # stable ids: the same data gives the same SVG
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 9,
    }
)

BLUE = "#1b4f8a"
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo"]
FILLS = [BLUE, "#7fa7d6", "#c9d8ea", "#4d4d4d", "#a0a0a0", "#e0e0e0"]
SERIES_STYLES = [
    ("o", "-", BLUE),
    ("s", "--", "#b35900"),
    ("^", ":", "#2e7d32"),
    ("D", "-.", "#6a1b9a"),
]

_lock = threading.Lock()  # matplotlib's font cache is not thread-safe


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog so it can sit inside HTML
    # matplotlib writes each label into an XML comment; drop them so no text from the data
    # can close the comment and reach a page as markup.
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def _cached(kind: str, draw, **arguments) -> str:
    """Drawing takes a tenth of a second or more; the same data gives the same chart, so a
    chart is kept in the cache under a digest of everything that goes into it."""
    from django.core.cache import cache

    digest = hashlib.sha256(repr((kind, sorted(arguments.items()))).encode()).hexdigest()
    key = f"chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        with _lock:
            svg = draw(**arguments)
        cache.set(key, svg, 24 * 3600)
    return svg


def data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI for an ``<img>``: the chart's text never mixes with the
    page's HTML, and the PDF renderer's URL fetcher accepts data: images only."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _label(value) -> str:
    if value is None:
        return ""
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


# --- Trend of one KPI ---------------------------------------------------------------------


def trend_svg(
    points: list[tuple],
    *,
    baseline: Decimal | None,
    unit: str,
    title: str,
    baseline_label: str,
    follow_up_label: str,
) -> str:
    """A KPI's follow-up values over time with the baseline as a dashed line. A point dated
    outside the plausible range (stored before the date rule) is left out of the chart: the
    axis would span millennia, and matplotlib cannot place dates near year 1 or 9999."""
    first, last = date_range(PLANNED)
    points = [point for point in points if first <= _as_date(point[0]) <= last]
    return _cached(
        "trend",
        _draw_trend,
        points=tuple(points),
        baseline=baseline,
        unit=unit,
        title=str(title),
        baseline_label=str(baseline_label),
        follow_up_label=str(follow_up_label),
    )


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _draw_trend(*, points, baseline, unit, title, baseline_label, follow_up_label) -> str:
    figure = Figure(figsize=(4.2, 2.2), dpi=100)
    axes = figure.subplots()
    if points:
        dates = [p[0] for p in points]
        values = [float(p[1]) for p in points]
        axes.plot(dates, values, marker="o", linestyle="-", color=BLUE, label=follow_up_label)
        for date, value in zip(dates, values, strict=True):
            axes.annotate(
                f"{value:g}",
                (date, value),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=7,
            )
        if len(set(dates)) == 1:  # one point: a readable window around it, not years
            axes.set_xlim(
                dates[0] - datetime.timedelta(days=45), dates[0] + datetime.timedelta(days=45)
            )
    else:
        # Only a baseline: no time axis to draw (matplotlib would label it 0 to 1).
        axes.set_xticks([])
    if baseline is not None:
        axes.axhline(float(baseline), linestyle="--", color="#6c757d", label=baseline_label)
    axes.set_title(title, fontsize=9, loc="left")
    axes.set_ylabel(unit, fontsize=8)
    axes.tick_params(axis="x", labelrotation=30, labelsize=7)
    axes.legend(fontsize=7, frameon=False, loc="best")
    return _svg(figure)


# --- Grouped bars ---------------------------------------------------------------------------


def bar_chart(
    *,
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str = "",
    ylabel: str = "",
    horizontal: bool = False,
    width: float = 6.5,
    height: float = 3.0,
) -> str:
    """Grouped bars, one group per category and one hatched bar per series, as SVG text."""
    return _cached(
        "bars",
        _draw_bars,
        categories=tuple(str(c) for c in categories),
        series=tuple((str(k), tuple(v)) for k, v in series.items()),
        title=str(title),
        ylabel=str(ylabel),
        horizontal=horizontal,
        width=width,
        height=height,
    )


def _draw_bars(*, categories, series, title, ylabel, horizontal, width, height) -> str:
    figure = Figure(figsize=(width, height))
    axes = figure.subplots()
    count = max(len(series), 1)
    bar = 0.8 / count
    positions = range(len(categories))
    for index, (name, values) in enumerate(series):
        offsets = [p - 0.4 + bar * (index + 0.5) for p in positions]
        draw = axes.barh if horizontal else axes.bar
        bars = draw(
            offsets,
            [float(v or 0) for v in values],
            bar,
            label=name,
            color=FILLS[index % len(FILLS)],
            edgecolor="black",
            linewidth=0.6,
            hatch=HATCHES[index % len(HATCHES)],
        )
        axes.bar_label(bars, labels=[_label(v) for v in values], padding=2, fontsize=7)
    if horizontal:
        axes.set_yticks(list(positions), list(categories))
        axes.invert_yaxis()
        axes.set_xlabel(ylabel)
    else:
        axes.set_xticks(
            list(positions),
            list(categories),
            rotation=30 if len(categories) > 6 else 0,
            ha="right" if len(categories) > 6 else "center",
        )
        axes.set_ylabel(ylabel)
    (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.margins(x=0.02, y=0.15)
    if title:
        axes.set_title(title)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    figure.tight_layout()
    return _svg(figure)


# --- Counts per month -------------------------------------------------------------------------


def monthly_svg(months: list[str], series: dict[str, list[int]], *, title: str) -> str:
    """Several counts per month as lines; each series has its own marker and line style and
    every point carries its value, so the chart reads without colour."""
    return _cached(
        "monthly",
        _draw_monthly,
        months=tuple(months),
        series=tuple((str(k), tuple(v)) for k, v in series.items()),
        title=str(title),
    )


def _draw_monthly(*, months, series, title) -> str:
    figure = Figure(figsize=(7.2, 2.8), dpi=100)
    axes = figure.subplots()
    positions = list(range(len(months)))
    for (label, values), (marker, style, colour) in zip(series, SERIES_STYLES, strict=False):
        axes.plot(positions, values, marker=marker, linestyle=style, color=colour, label=label)
        for position, value in zip(positions, values, strict=True):
            if value:
                axes.annotate(
                    f"{value:g}",
                    (position, value),
                    textcoords="offset points",
                    xytext=(0, 4),
                    ha="center",
                    fontsize=7,
                )
    axes.set_xticks(positions, labels=months, fontsize=7)
    axes.tick_params(axis="x", labelrotation=45)
    axes.set_ylim(bottom=0, top=max([1, *(max(v, default=0) for _label, v in series)]) * 1.2)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, fontsize=9, loc="left")
    axes.legend(fontsize=7, frameon=False, loc="upper left", ncols=max(len(series), 1))
    return _svg(figure)

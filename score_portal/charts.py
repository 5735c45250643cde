"""Charts drawn on the server as SVG (matplotlib), so a page and a PDF show the same chart
from the same code. Readable without colour: markers, line styles and labels carry meaning."""

import io
import re
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

matplotlib.rcParams.update({
    "font.sans-serif": ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Micro Hei",
                        "DejaVu Sans"],
    "font.family": "sans-serif",
    "svg.fonttype": "path",  # self-contained: no font needed where the SVG is shown
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 9,
})


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog so it can sit inside HTML
    # matplotlib writes each label into an XML comment; drop them so no text from the data
    # can close the comment and reach the page as markup.
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def _cached(kind: str, draw, **arguments) -> str:
    """Drawing takes a tenth of a second or more; the same data gives the same chart, so a
    chart is kept in the cache under a digest of everything that goes into it."""
    import hashlib

    from django.core.cache import cache

    digest = hashlib.sha256(repr((kind, sorted(arguments.items()))).encode()).hexdigest()
    key = f"chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = draw(**arguments)
        cache.set(key, svg, 24 * 3600)
    return svg


def trend_svg(points: list[tuple], *, baseline: Decimal | None, unit: str, title: str,
              baseline_label: str, follow_up_label: str) -> str:
    """A KPI's follow-up values over time with the baseline as a dashed line."""
    return _cached("trend", _draw_trend, points=tuple(points), baseline=baseline, unit=unit,
                   title=str(title), baseline_label=str(baseline_label),
                   follow_up_label=str(follow_up_label))


def _draw_trend(*, points, baseline, unit, title, baseline_label, follow_up_label) -> str:
    figure, axes = plt.subplots(figsize=(4.2, 2.2), dpi=100)
    if points:
        dates = [p[0] for p in points]
        values = [float(p[1]) for p in points]
        axes.plot(dates, values, marker="o", linestyle="-", color="#1b4f8a",
                  label=follow_up_label)
        for date, value in zip(dates, values, strict=True):
            axes.annotate(f"{value:g}", (date, value), textcoords="offset points",
                          xytext=(0, 5), ha="center", fontsize=7)
        if len(set(dates)) == 1:  # one point: a readable window around it, not years
            import datetime

            axes.set_xlim(dates[0] - datetime.timedelta(days=45),
                          dates[0] + datetime.timedelta(days=45))
    if baseline is not None:
        axes.axhline(float(baseline), linestyle="--", color="#6c757d", label=baseline_label)
    axes.set_title(title, fontsize=9, loc="left")
    axes.set_ylabel(unit, fontsize=8)
    axes.tick_params(axis="x", labelrotation=30, labelsize=7)
    axes.legend(fontsize=7, frameon=False, loc="best")
    return _svg(figure)


def bars_svg(labels: list[str], values: list[float], *, title: str, unit: str = "") -> str:
    """Horizontal bars with the value written at the end of each bar."""
    height = max(1.2, 0.35 * len(labels) + 0.6)
    figure, axes = plt.subplots(figsize=(4.6, height), dpi=100)
    positions = range(len(labels))
    axes.barh(list(positions), values, color="#1b4f8a", hatch="//", edgecolor="white")
    axes.set_yticks(list(positions), labels=labels, fontsize=8)
    axes.invert_yaxis()
    for position, value in zip(positions, values, strict=True):
        axes.text(value, position, f" {value:g}{unit}", va="center", fontsize=7)
    axes.set_title(title, fontsize=9, loc="left")
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    return _svg(figure)


SERIES_STYLES = [("o", "-", "#1b4f8a"), ("s", "--", "#b35900"), ("^", ":", "#2e7d32"),
                 ("D", "-.", "#6a1b9a")]


def monthly_svg(months: list[str], series: dict[str, list[int]], *, title: str) -> str:
    """Several counts per month as lines; each series has its own marker and line style and
    every point carries its value, so the chart reads without colour."""
    figure, axes = plt.subplots(figsize=(7.2, 2.8), dpi=100)
    positions = list(range(len(months)))
    for (label, values), (marker, style, colour) in zip(series.items(), SERIES_STYLES,
                                                          strict=False):
        axes.plot(positions, values, marker=marker, linestyle=style, color=colour, label=label)
        for position, value in zip(positions, values, strict=True):
            if value:
                axes.annotate(f"{value:g}", (position, value), textcoords="offset points",
                              xytext=(0, 4), ha="center", fontsize=7)
    axes.set_xticks(positions, labels=months, fontsize=7)
    axes.tick_params(axis="x", labelrotation=45)
    axes.set_ylim(bottom=0, top=max([1, *(max(v, default=0) for v in series.values())]) * 1.2)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, fontsize=9, loc="left")
    axes.legend(fontsize=7, frameon=False, loc="upper left", ncols=len(series))
    return _svg(figure)


def data_uri(svg: str) -> str:
    """An SVG as a data: URI for an <img>: the page's Content-Security-Policy forbids the
    inline style attributes matplotlib writes, an image keeps them to itself."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

"""Server-side SVG charts with matplotlib, shared by web pages and PDF reports.

Charts are readable without colour: every series has its own hatching and every bar carries
its value as a label. Text is drawn as paths (``svg.fonttype = 'path'``) so the SVG needs no
font, and Chinese labels use Noto Sans CJK SC when it is installed.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

matplotlib.rcParams.update({
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "DejaVu Sans"],
    "svg.fonttype": "path",
    "svg.hashsalt": "score-portal",  # stable ids: the same data gives the same SVG
    "axes.unicode_minus": False,
    "font.size": 9,
})

HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo"]
GREYS = ["#1b4f8a", "#7fa7d6", "#c9d8ea", "#4d4d4d", "#a0a0a0", "#e0e0e0"]

_lock = threading.Lock()  # pyplot's font cache is not thread-safe


def bar_chart(*, categories: Sequence[str], series: dict[str, Sequence[float]],
              title: str = "", ylabel: str = "", horizontal: bool = False,
              width: float = 6.5, height: float = 3.0) -> str:
    """Grouped bars, one group per category and one hatched bar per series, as SVG text."""
    with _lock:
        fig = Figure(figsize=(width, height))
        ax = fig.subplots()
        count = max(len(series), 1)
        bar = 0.8 / count
        positions = range(len(categories))
        for index, (name, values) in enumerate(series.items()):
            offsets = [p - 0.4 + bar * (index + 0.5) for p in positions]
            draw = ax.barh if horizontal else ax.bar
            bars = draw(offsets, [float(v or 0) for v in values], bar, label=name,
                        color=GREYS[index % len(GREYS)], edgecolor="black", linewidth=0.6,
                        hatch=HATCHES[index % len(HATCHES)])
            ax.bar_label(bars, labels=[_label(v) for v in values], padding=2, fontsize=7)
        if horizontal:
            ax.set_yticks(list(positions), list(categories))
            ax.invert_yaxis()
            ax.set_xlabel(ylabel)
        else:
            ax.set_xticks(list(positions), list(categories),
                          rotation=30 if len(categories) > 6 else 0,
                          ha="right" if len(categories) > 6 else "center")
            ax.set_ylabel(ylabel)
        from matplotlib.ticker import MaxNLocator

        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
        ax.margins(x=0.02, y=0.15)
        ax.spines[["top", "right"]].set_visible(False)
        if title:
            ax.set_title(title)
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8)
        fig.tight_layout()
        return _svg(fig)


def _label(value) -> str:
    if value is None:
        return ""
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def svg_data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI for an ``<img>``: the chart's text never mixes with the
    page's HTML, and the PDF renderer's URL fetcher accepts data: images only."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

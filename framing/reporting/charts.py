"""Charts as inline SVG strings (matplotlib, Agg backend), byte-for-byte reproducible.

Reproducibility: a fixed ``svg.hashsalt`` (matplotlib otherwise salts clip-path
ids with a random UUID), no ``Date``/``Creator`` metadata, text kept as
``<text>`` (``svg.fonttype = none``: small files, searchable labels), and every
``id`` prefixed per chart so several charts can live in one HTML page.
"""
from __future__ import annotations

import io
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["PALETTE", "frames_chart", "group_colours", "positions_chart", "svg_of"]

#: Okabe & Ito (2008) colour-blind-safe palette; official blue, commentary vermilion first.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F", "#000000")

_RC = {
    "svg.hashsalt": "framing-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#9aa3ad",
    "axes.labelcolor": "#333333",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.titlesize": 10,
    "legend.frameon": False,
}


def group_colours(groups: Sequence[str]) -> dict[str, str]:
    """A colour per group, in display order."""
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}


def svg_of(fig, chart_id: str) -> str:  # type: ignore[no-untyped-def]
    """Serialise a figure to an inline ``<svg>`` element (no XML prolog, ids prefixed with ``chart_id``)."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{chart_id}-{m.group(1)}"', svg)
    svg = re.sub(r'(<svg[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r'\1', svg, count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title" class="chart" ', 1) \
        .replace(">", f'><title id="{chart_id}-title">{chart_id.replace("-", " ")}</title>', 1).strip() + "\n"


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams.update(_RC)
    return plt.subplots(figsize=(width, height))


def frames_chart(frames: pd.DataFrame, groups: Sequence[str], top: int = 14) -> str:
    """Grouped horizontal bars: each frame's share (%) of the group's frame cues.

    ``frames`` is :attr:`Comparison.frames` (``frame, group, share``). Returns
    '' when there are no frame cues.
    """
    if frames.empty:
        return ""
    order = list(dict.fromkeys(frames["frame"]))[:top]
    names = dict(zip(frames["frame"], frames["label"] if "label" in frames else frames["frame"]))
    colours = group_colours(groups)
    n_g = len(groups)
    fig, ax = _figure(6.4, (0.16 + 0.1 * n_g) * len(order) + 0.8)
    height = 0.8 / n_g
    y = np.arange(len(order))
    for i, g in enumerate(groups):
        sub = frames[frames["group"] == g].set_index("frame")["share"].reindex(order).fillna(0.0)
        ax.barh(y - 0.4 + height * (i + 0.5), sub.to_numpy() * 100, height=height * 0.92, color=colours[g], label=g)
    ax.set_yticks(y, [_short(str(names[f]), 34) for f in order])
    ax.invert_yaxis()
    ax.set_xlabel("share of the group's frame cues (%), mean over its documents")
    ax.legend(loc="lower right", ncols=min(n_g, 4))
    ax.grid(axis="x", color="#e5e7eb", linewidth=0.6)
    ax.set_axisbelow(True)
    return svg_of(fig, "frames-chart")


def positions_chart(documents: pd.DataFrame, features: Sequence[tuple[str, str]], groups: Sequence[str],
                    max_dots: int = 12) -> str:
    """Dot plot: where each document (or each group) sits on each feature, scaled to the documents' range.

    ``features`` is a list of ``(column, label)``. On each row 0 is the lowest
    document and 1 the highest, so features with different units share one axis.
    Up to ``max_dots`` documents every document is a dot, coloured by group;
    above that each group is its median with a bar over its interquartile range
    (thousands of dots would make a heavy, unreadable chart). Returns '' when there is nothing to plot.
    """
    if not features:
        return ""
    colours = group_colours(groups)
    fig, ax = _figure(7.2, 0.36 * len(features) + 1.0)
    per_document = len(documents) <= max_dots
    seen: set[str] = set()
    for row, (col, _label) in enumerate(features):
        values = pd.to_numeric(documents[col], errors="coerce")
        lo, hi = values.min(), values.max()
        span = hi - lo if hi > lo else 1.0
        for i, g in enumerate(groups):
            v = ((values[documents["group"] == g] - lo) / span).dropna().to_numpy()
            if not len(v):
                continue
            offset = (i - (len(groups) - 1) / 2) * min(0.18, 0.5 / len(groups))  # groups side by side, not on top
            label = g if g not in seen else None
            seen.add(g)
            if per_document:
                ax.scatter(v, np.full(len(v), row + offset), s=46, color=colours[g], edgecolor="white",
                           linewidth=0.8, zorder=3, label=label, alpha=0.9)
            else:
                q1, med, q3 = np.quantile(v, [0.25, 0.5, 0.75])
                ax.plot([q1, q3], [row + offset] * 2, color=colours[g], linewidth=2.5, alpha=0.6, zorder=2)
                ax.scatter([med], [row + offset], s=46, color=colours[g], edgecolor="white", linewidth=0.8,
                           zorder=3, label=label)
        ax.axhline(row, color="#eef0f3", linewidth=0.8, zorder=1)
    ax.set_yticks(range(len(features)), [_short(lbl) for _c, lbl in features])
    ax.invert_yaxis()
    ax.set_xlim(-0.05, 1.05)
    ax.set_xticks([0, 0.5, 1], ["lowest document", "", "highest document"])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08 - 0.3 / max(len(features), 1)), ncols=min(len(groups), 4))
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return svg_of(fig, "positions-chart")


def _short(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"

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

__all__ = ["PALETTE", "findings_chart", "frames_chart", "group_colours", "positions_chart", "svg_of"]

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


# ---------------------------------------------------------------------------
# the overview chart: hand-written SVG, values on a labelled scale per finding

def _nice_max(x: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``x`` (1 for 0)."""
    if x <= 0 or not np.isfinite(x):
        return 1.0
    power = 10 ** np.floor(np.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= x * 0.999999:
            return float(m * power)
    return float(10 * power)


def _svg_text(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _fmt_value(v: float) -> str:
    from .findings import fmt

    return fmt(float(v))


def _value_text(values: np.ndarray, names: Sequence[str], width: int = 64) -> str:
    """'Chinese Embassy 7.89' for one document, 'mean 0.68: A 0 · B 0 · C 2.04' for a few, 'mean 4.2' for many."""
    mean = _fmt_value(float(values.mean()))
    if len(values) == 1 and names:
        return f"{names[0]} {mean}"
    if len(values) <= 4 and len(names) == len(values):
        items = " · ".join(f"{n[:18]} {_fmt_value(v)}" for v, n in sorted(zip(values, names)))
        text = f"mean {mean}: {items}"
        return text if len(text) <= width else text[: width - 1] + "…"
    return f"mean {mean}"


def _finite(values: Sequence[float]) -> np.ndarray:
    """The finite ``values``, in order, as floats."""
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def findings_chart(rows: Sequence[dict], groups: Sequence[str], max_dots: int = 60) -> str:
    """One block per finding: a line per group on the finding's own scale (0 to a round maximum, in its unit).

    ``rows``: dicts with ``title`` (the construct), ``unit`` (e.g. "per 1,000 words"), ``values``
    (group -> per-document values) and ``labels`` (group -> document labels, same order). A group with
    at most ``max_dots`` documents shows every document as a dot (named in its tooltip); larger groups show
    the middle half of their documents as a bar. The group's mean is a diamond with its value printed
    at the right, so a gap of one word per document reads as the small gap it is.
    """
    if not rows:
        return ""
    colours = group_colours(groups)
    left, right, width = 250, 620, 1000
    line_h, head_h, gap = 17, 38, 10  # head_h: the title's line, then the scale's numbers below it
    height = sum(head_h + line_h * len(groups) + gap for _ in rows) + 28
    out = [(f'<svg class="chart findings-chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="findings-chart-title" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, '
           f'sans-serif" font-size="11"><title id="findings-chart-title">Each finding on its own scale: documents '
           f'(dots) and group means (diamonds, value at the right)</title>')]
    y = 8
    for row in rows:
        values = {g: _finite(row["values"].get(g, [])) for g in groups}
        every = np.concatenate([v for v in values.values() if len(v)]) if any(len(v) for v in values.values()) \
            else np.zeros(1)
        big = any(len(v) > max_dots for v in values.values())
        hi_data = float(np.quantile(every, 0.95)) if big else float(every.max())
        hi_data = max(hi_data, *(float(v.mean()) for v in values.values() if len(v)))
        lo = min(0.0, float(every.min()))
        hi = _nice_max(hi_data) if hi_data > 0 else 1.0
        lo = -_nice_max(-lo) if lo < 0 else 0.0
        scale = (right - left) / (hi - lo) if hi > lo else 1.0

        def x_of(v: float, lo: float = lo, hi: float = hi, scale: float = scale) -> float:
            return left + (min(max(v, lo), hi) - lo) * scale

        unit = f" ({row['unit']})" if row.get("unit") and row["unit"] not in row["title"] else ""
        out.append(f'<text x="4" y="{y + 12}" font-weight="bold" fill="#1f2933">{_svg_text(row["title"])}'
                   f'<tspan font-weight="normal" fill="#5f6b7a">{_svg_text(unit)}</tspan></text>')
        axis_y = y + head_h - 6
        out.append(f'<line x1="{left}" x2="{right}" y1="{axis_y}" y2="{axis_y}" stroke="#9aa3ad"/>')
        for tick in (lo, (lo + hi) / 2, hi):
            tx = x_of(tick)
            out.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{axis_y - 3}" y2="{axis_y}" stroke="#9aa3ad"/>'
                       f'<text x="{tx:.1f}" y="{axis_y - 5}" text-anchor="middle" fill="#5f6b7a" font-size="10">'
                       f'{_svg_text(_fmt_value(tick))}</text>')
        for i, g in enumerate(groups):
            gy = axis_y + 4 + line_h * i + line_h / 2
            v = values[g]
            out.append(f'<text x="{left - 8}" y="{gy + 4:.1f}" text-anchor="end" fill="{colours[g]}">'
                       f'{_svg_text(g)} ({len(v)})</text>')
            out.append(f'<line x1="{left}" x2="{right}" y1="{gy:.1f}" y2="{gy:.1f}" stroke="#eef0f3"/>')
            if not len(v):
                continue
            if len(v) > max_dots:
                q1, q3 = np.quantile(v, [0.25, 0.75])
                out.append(f'<line x1="{x_of(q1):.1f}" x2="{x_of(q3):.1f}" y1="{gy:.1f}" y2="{gy:.1f}" '
                           f'stroke="{colours[g]}" stroke-width="5" stroke-opacity="0.45"><title>middle half of '
                           f'the {_svg_text(g)} documents: {_fmt_value(q1)} to {_fmt_value(q3)}</title></line>')
            else:
                names = row.get("labels", {}).get(g, [""] * len(v))
                for value, name in zip(v, names):
                    out.append(f'<circle cx="{x_of(value):.1f}" cy="{gy:.1f}" r="4" fill="{colours[g]}" '
                               f'fill-opacity="0.55" stroke="#fff" stroke-width="0.8"><title>{_svg_text(name)}: '
                               f'{_fmt_value(value)}</title></circle>')
            m = float(v.mean())
            mx = x_of(m)
            names = row.get("labels", {}).get(g, [])
            out.append(f'<path d="M{mx:.1f} {gy - 6:.1f} L{mx + 6:.1f} {gy:.1f} L{mx:.1f} {gy + 6:.1f} '
                       f'L{mx - 6:.1f} {gy:.1f} Z" fill="{colours[g]}" stroke="#1f2933" stroke-width="0.8">'
                       f'<title>{_svg_text(g)} mean: {_fmt_value(m)}</title></path>')
            out.append(f'<text x="{right + 10}" y="{gy + 4:.1f}" fill="#1f2933">{_svg_text(_value_text(v, names))}'
                       f'{"" if hi >= float(v.max()) else " (some beyond the scale)"}</text>')
        y += head_h + line_h * len(groups) + gap
    out.append(f'<text x="{left}" y="{y + 10}" fill="#5f6b7a" font-size="10">● one document (hover for its name '
               f'and value) · ◆ group mean · each finding on its own scale, from 0 to a round number</text></svg>')
    return "\n".join(out) + "\n"

"""A document with its cues marked, for ``framing explain``: colours in a terminal, plain markers otherwise.

Cues are grouped into *spans* (cues whose characters overlap are one span). In a terminal, a span is
coloured by the family of its first cue and styled by voice (quoted speech underlined, reported speech in
italics, a questioner's turn dimmed); elsewhere it is written ``[text]{family:category, ... | voice}``.
Cues longer than :data:`MAX_SPAN` characters (whole sentences, e.g. readability's long sentences) are not
marked in the text but counted at the end, with every family's cues by voice.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import click

__all__ = ["FAMILY_COLOURS", "MAX_SPAN", "Cue", "Span", "render", "spans"]

#: terminal colour of each built-in family (others: white)
FAMILY_COLOURS = {"source_type": "cyan", "hedging": "yellow", "promotional": "magenta", "readability": "blue",
                  "credibility": "green", "framing": "red"}
#: voice -> click.style keywords
VOICE_STYLES = {"author": {}, "quoted": {"underline": True}, "reported": {"italic": True},
                "questioner": {"dim": True, "underline": True}}
MAX_SPAN = 80


@dataclass(frozen=True)
class Cue:
    """One cue of the evidence: where it is, which family and category, in whose voice."""

    start: int
    end: int
    family: str
    category: str
    voice: str


@dataclass
class Span:
    """Overlapping cues, marked as one stretch of text."""

    start: int
    end: int
    cues: list[Cue]

    def label(self) -> str:
        names = list(dict.fromkeys(f"{c.family}:{c.category}" for c in self.cues))
        voices = sorted({c.voice for c in self.cues} - {"author"})
        return ", ".join(names) + (f" | {', '.join(voices)}" if voices else "")


def spans(cues: Iterable[Cue]) -> list[Span]:
    """Merge overlapping cues into spans, in text order."""
    out: list[Span] = []
    for cue in sorted(cues, key=lambda c: (c.start, -c.end)):
        if out and cue.start < out[-1].end:
            out[-1].end = max(out[-1].end, cue.end)
            out[-1].cues.append(cue)
        else:
            out.append(Span(cue.start, cue.end, [cue]))
    return out


def _styled(text: str, span: Span, colour: bool) -> str:
    if not colour:
        return f"[{text}]{{{span.label()}}}"
    first = span.cues[0]
    voice = first.voice if all(c.voice == first.voice for c in span.cues) else "quoted"
    return click.style(text, fg=FAMILY_COLOURS.get(first.family, "white"), bold=True, **VOICE_STYLES.get(voice, {}))


def legend(colour: bool) -> str:
    """One line naming what the marks mean."""
    if not colour:
        return "cues marked [text]{family:category | voice}; the author's own voice is not named"
    families = " ".join(click.style(f, fg=c, bold=True) for f, c in FAMILY_COLOURS.items())
    voices = " ".join(click.style(v, **s) for v, s in VOICE_STYLES.items() if s)
    return f"families: {families}   voices: {voices} (plain = the author's)"


def render(body: str, cues: Sequence[Cue], *, colour: bool) -> str:
    """``body`` with its short cues marked, then counts of every cue by family and voice."""
    short = [c for c in cues if c.end - c.start <= MAX_SPAN]
    parts, at = [], 0
    for span in spans(short):
        parts.append(body[at:span.start])
        parts.append(_styled(body[span.start:span.end], span, colour))
        at = span.end
    parts.append(body[at:])
    return "".join(parts).rstrip("\n") + "\n\n" + summary(cues)


def summary(cues: Sequence[Cue]) -> str:
    """``family: n cues (voice n, ...)`` lines, in family order of first appearance."""
    by_family: dict[str, Counter[str]] = {}
    for c in cues:
        by_family.setdefault(c.family, Counter())[c.voice] += 1
    if not by_family:
        return "no cues fired"
    lines = []
    for family, voices in by_family.items():
        detail = ", ".join(f"{v} {n}" for v, n in voices.most_common())
        lines.append(f"{family}: {sum(voices.values())} cue(s) ({detail})")
    return "\n".join(lines)

"""Whose voice is this? Quoted and reported stretches of a document body.

Commentary that quotes an official must not inherit the official's hedges or
boosters, so extractors ask :meth:`Attribution.voice_at` for every cue:

* ``quoted`` — inside quotation marks (straight or curly double quotes, and
  single curly quotes spanning at least three words);
* ``reported`` — in a sentence of reported speech: a reporting verb with a
  third-party subject ("…, he said", "officials argued that …",
  "according to the ministry, …");
* ``author`` — everything else: the document's own voice.

Scare quotes around one or two words ('inclusivity') are not treated as
quotations: they are the author's own framing device.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document

__all__ = ["Attribution", "attribute", "REPORTING_VERBS"]

REPORTING_VERBS = (
    "said|says|say|told|tells|stated|states|added|adds|noted|notes|argued|argues|claimed|claims|"
    "stressed|stresses|emphasized|emphasised|emphasizes|emphasises|warned|warns|insisted|insists|"
    "explained|explains|asserted|asserts|announced|announces|declared|declares|acknowledged|"
    "acknowledges|contended|contends|wrote|writes|according to"
)
_QUOTE_RE = re.compile(r"“[^”\n]{1,2000}”|\"[^\"\n]{1,2000}\"|‘[^’\n]{1,2000}’(?![a-z])")
# reporting verb with a third-party subject (not "I said", "we believe")
_REPORTED_RE = re.compile(
    r"(?:\baccording to\b)|"
    r"(?:\b(?:he|she|they|it|officials?|ministers?|spokes(?:person|man|woman)|experts?|analysts?|critics?|"
    r"sources?|[A-Z][a-z]+)\s+(?:" + REPORTING_VERBS.replace("|according to", "") + r")\b)|"
    r"(?:[,”\"]\s*(?:" + REPORTING_VERBS.replace("|according to", "") + r")\s+(?:[A-Z][a-z]+|he|she|they|the)\b)",
)


@dataclass
class Attribution:
    """Quoted spans and reported-speech sentences of one document body."""

    quotes: list[tuple[int, int]] = field(default_factory=list)
    reported_sentences: frozenset[int] = frozenset()
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [s for s, _ in self.quotes]

    def in_quote(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self.quotes[i][1]

    def voice_at(self, offset: int, sentence: int) -> str:
        """``quoted``, ``reported`` or ``author`` for a cue at ``offset`` in sentence ``sentence``."""
        if self.in_quote(offset):
            return "quoted"
        if sentence in self.reported_sentences:
            return "reported"
        return "author"


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _QUOTE_RE.finditer(text):
        inner = m.group(0)[1:-1]
        if len(inner.split()) >= 3:  # scare quotes ('inclusivity') stay the author's
            spans.append((m.start(), m.end()))
    return spans


def attribute(doc: "Document") -> Attribution:
    """Find quoted spans and reported-speech sentences in ``doc.body``."""
    text = doc.body
    seg = doc.segmentation
    reported = set()
    for i, (s, e) in enumerate(seg.sentences):
        if _REPORTED_RE.search(text, s, e):
            reported.add(i)
    return Attribution(_quote_spans(text), frozenset(reported))

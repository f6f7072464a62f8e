"""The cue layer: every lexicon matched once over the shared tokens, with negation, acronyms and voice decided once.

Extractors do not match words themselves. Each registers its lexicons here as *layers*
(:func:`register_layer`); :func:`cues_of` then computes, once per document and cached on it, a :class:`Cues`
object holding

* the matches of every layer, from one :class:`~framing.cues.matcher.CueMatcher` pass over the lower-cased tokens of
  each sentence;
* the negation scope of every token (:func:`~framing.cues.rules.negation_scope`);
* the acronym tokens ("US", "UN", "WHO"), which are never the function words they spell;
* the voice of every cue (``author``, ``quoted``, ``reported`` or ``questioner``) from
  :attr:`Document.attribution <framing.document.Document.attribution>`. A questioner's turn (a journalist's question in
  a press conference) is not the document's: its cues are shown as evidence, with their voice, but no extractor
  counts them, and rates are per 1,000 of the other words (:attr:`Cues.answered_words`).

The constructs that several families need (first person, vague and named attribution, quotations, reporting verbs,
evaluative language, puffery, headline hype, interpretive framing, metonymy, obligation) are measured once from
these cues and owned by one family; :data:`CONSTRUCT_OWNERS` says which column holds each, and the others read it.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..lexicon import LexiconEntry, Match
from .matcher import CueMatcher
from .rules import NEGATION_WINDOW, acronym_tokens, negation_scope

if TYPE_CHECKING:  # pragma: no cover
    from ..document import Document

__all__ = ["CONSTRUCT_OWNERS", "NEGATION_WINDOW", "CueMatcher", "Cues", "cues_of", "register_layer"]

#: construct -> (owning family, column): the one place each shared construct is reported
CONSTRUCT_OWNERS: dict[str, tuple[str, str]] = {
    "first person (institutional)": ("framing", "framing_institutional_first_person_per_1k"),
    "first person (we/our/us)": ("framing", "framing_we_per_1k"),
    "obligation (deontic modals)": ("framing", "framing_deontic_per_1k"),
    "epistemic uncertainty": ("hedging", "hedging_uncertain_sentences_share"),
    "hedges and boosters": ("hedging", "hedging_hedges_per_1k"),
    "vague attribution": ("credibility", "credibility_vague_attributions_per_1k"),
    "named attribution": ("credibility", "credibility_named_attribution_share"),
    "quotations": ("credibility", "credibility_quotes_per_1k"),
    "reporting verbs (attributions)": ("credibility", "credibility_attributions_per_1k"),
    "evaluative language": ("promotional", "promo_evaluative_per_1k"),
    "puffery": ("promotional", "promo_puffery_per_1k"),
    "headline hype": ("promotional", "promo_headline_hype"),
    "interpretive framing": ("source_type", "source_type_interpretive_per_1k"),
    "metonymy": ("source_type", "source_type_metonymy_per_1k"),
}

_LAYERS: dict[str, tuple[LexiconEntry, ...]] = {}
_STATE: dict[str, Any] = {"version": 0, "matcher": None}


def register_layer(name: str, entries: Iterable[LexiconEntry]) -> str:
    """Add a lexicon to the shared matcher under ``name``; returns the layer key to read matches by.

    The key carries a digest of the entries, so a user's replacement lexicon is a layer of its own and two
    configurations never read each other's matches. Registering the same entries again costs nothing.
    """
    entries = tuple(entries)
    digest = hashlib.sha256("\n".join(f"{e.term}\t{e.category}\t{e.weight}\t{e.extra}" for e in entries)
                            .encode("utf-8")).hexdigest()[:12]
    key = f"{name}@{digest}"
    if key not in _LAYERS:
        _LAYERS[key] = entries
        _STATE["version"] += 1
        _STATE["matcher"] = None
    return key


def _matcher() -> CueMatcher:
    if _STATE["matcher"] is None:
        _STATE["matcher"] = CueMatcher(_LAYERS)
    return _STATE["matcher"]


@dataclass
class Cues:
    """The cues of one document: matches per layer, negation scope, acronyms and voice."""

    doc: Document
    matches: dict[str, list[Match]]
    negated_by: list[int]
    acronyms: frozenset[int]
    version: int = 0
    _by_sentence: dict[str, dict[int, list[Match]]] = field(default_factory=dict, repr=False)

    def layer(self, key: str) -> list[Match]:
        """Matches of one registered layer, in token order."""
        return self.matches.get(key, [])

    def in_sentence(self, key: str, sentence: int) -> list[Match]:
        """Matches of a layer that lie in one sentence."""
        table = self._by_sentence.get(key)
        if table is None:
            token_sentence = self.doc.segmentation.token_sentence
            table = {}
            for m in self.layer(key):
                table.setdefault(token_sentence[m.first], []).append(m)
            self._by_sentence[key] = table
        return table.get(sentence, [])

    def negated(self, first: int) -> bool:
        """True when the token ``first`` lies in a negation scope."""
        return self.negated_by[first] >= 0 if first < len(self.negated_by) else False

    def is_acronym(self, i: int) -> bool:
        """True when token ``i`` is an acronym ("US", "WHO"), not the function word it spells."""
        return i in self.acronyms

    def voice(self, offset: int, sentence: int) -> str:
        """``author``, ``quoted``, ``reported`` or ``questioner`` for a cue at character ``offset``."""
        return self.doc.attribution.voice_at(offset, sentence)

    @cached_property
    def sentence_voice(self) -> list[str]:
        """Each sentence's voice: ``questioner``, ``reported``, ``quoted`` (half its words quoted) or ``author``."""
        seg, att = self.doc.segmentation, self.doc.attribution
        quoted = self.quoted_words
        out = []
        for si in range(seg.n_sentences):
            if si in att.questioner_sentences:
                out.append("questioner")
            elif si in att.reported_sentences:
                out.append("reported")
            else:
                s0, s1 = seg.sentence_tokens(si)
                out.append("quoted" if s1 > s0 and quoted[si] * 2 >= s1 - s0 else "author")
        return out

    @cached_property
    def questioner_words(self) -> int:
        """Words in questioners' turns (Q&A transcripts, interviews): not the document's own speakers' words, so
        left out of the extractors' counts and of the words their rates are per."""
        seg, asked = self.doc.segmentation, self.doc.attribution.questioner_sentences
        return sum(b - a for a, b in map(seg.sentence_tokens, asked)) if asked else 0

    @property
    def answered_words(self) -> int:
        """Words outside questioners' turns: the denominator of the extractors' per-1,000-word rates (all the words
        of a text that is nothing but a question, whose counted cues are then none: its rates are 0, not NaN)."""
        n = self.doc.segmentation.n_words
        return (n - self.questioner_words) or n

    @cached_property
    def quoted_words(self) -> list[int]:
        """For each sentence, how many of its tokens start inside a quotation (:meth:`Attribution.in_quote`)."""
        seg, quotes = self.doc.segmentation, self.doc.attribution.quotes
        if not quotes:
            return [0] * seg.n_sentences
        starts = seg.token_starts
        inside = bytearray(len(starts))  # 1 for a token whose first character lies in a quotation
        for q_start, q_end in quotes:
            first, last = bisect_left(starts, q_start), bisect_left(starts, q_end)
            inside[first:last] = b"\x01" * (last - first)
        return [inside.count(1, s0, s1) for s0, s1 in map(seg.sentence_tokens, range(seg.n_sentences))]


#: a transcriber's or editor's insertion in square brackets, one to three words: "[Laughter]", "[Applause]",
#: "[inaudible]", "[the President]"; not the speaker's words (paragraph numbers such as "[4.]" hold no word)
_INSERTION_RE = re.compile(r"\[([^\W\d_][^\W\d_'’-]*(?:[ '’-][^\W\d_]+){0,2})\]")


def _inserted_tokens(seg: Any) -> frozenset[int]:
    """The tokens inside bracketed insertions (:data:`_INSERTION_RE`): no cue starting there is counted, in any
    voice. A news conference's 36 "[Laughter]" were 36 positive sentiment words of the official texts."""
    text = seg.text
    if "[" not in text:
        return frozenset()
    starts = seg.token_starts
    out: set[int] = set()
    for m in _INSERTION_RE.finditer(text):
        out.update(range(bisect_left(starts, m.start(1)), bisect_left(starts, m.end(1))))
    return frozenset(out)


def cues_of(doc: Document) -> Cues:
    """The document's cues, computed once for every registered layer (cached on ``doc.cache``)."""
    cached = doc.cache.get("cues")
    version = _STATE["version"]
    if cached is not None and cached.version == version:
        return cached
    seg = doc.segmentation
    bounds = [seg.sentence_tokens(si) for si in range(seg.n_sentences)]
    lower = seg.lower
    found = _matcher().find(lower, bounds)
    inserted = _inserted_tokens(seg)
    if inserted:
        found = {k: [m for m in v if m.first not in inserted] for k, v in found.items()}
    cues = Cues(doc, found, negation_scope(seg.text, seg.tokens, lower, bounds),
                acronym_tokens(seg.words, bounds), version)
    doc.cache["cues"] = cues
    return cues

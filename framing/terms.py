"""Corpus-level framing: distinctive terms, recurring formulae and actors of each group of documents.

Three functions, each taking framing :class:`~framing.document.Document` objects
and one group label per document, each returning a tidy DataFrame with evidence:

* :func:`distinctive_terms` — words and phrases that set a group apart, by the
  log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn
  2008, "Fightin' Words"), the prior mixing the corpus with a general English
  frequency list (``wordfreq``) so that a four-document corpus still gets a
  sensible prior;
* :func:`recurring_formulae` — multi-word expressions a group repeats
  ("community with a shared future", "small yard(s), high fence(s)"), set
  phrases from a packaged list (``framing/lexicons/formulae.tsv``) and quoted
  slogans, with variants merged under one key;
* :func:`actors` — which countries, government metonyms ("Beijing"),
  organisations, people and collective actors each group names, and what they
  do when they are the grammatical subject ("Beijing seeks", "China believes").

All three read the tokens of ``doc.segmentation`` (no re-tokenising); a
possessive ``'s`` is stripped so "China's" counts as "China". Every example is
a dict ``{doc_id, start, end, text, sentence, sentence_start, voice}`` whose
``start``/``end`` index ``doc.body`` (``doc.body[start:end] == text``) and
whose ``sentence`` is the sentence text starting at ``sentence_start``.

References
----------
Monroe B. L., Colaresi M. P. & Quinn K. M. (2008). Fightin' words: Lexical feature
selection and evaluation for identifying the content of political conflict.
*Political Analysis* 16(4), 372-403.
Speer R. (2022). wordfreq (v3). Zenodo. doi:10.5281/zenodo.7199437.
Koopmans R. & Statham P. (1999). Political claims analysis. *Mobilization* 4(2), 203-221.
"""
from __future__ import annotations

import heapq
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .actors import (  # actor mentions live in framing.actors (one document); re-exported here
    _POSSESSIVE_END,
    _SKIP_TO_PREDICATE,
    STOPWORDS,
    ActorMention,
    _Tokens,
    _tokens,
    find_actor_mentions,
)
from .document import Document
from .lexicon import Lexicon, PhraseMatcher, load_lexicon

__all__ = [
    "ACTOR_COLUMNS",
    "FORMULA_COLUMNS",
    "STOPWORDS",
    "TERM_COLUMNS",
    "ActorMention",
    "actors",
    "distinctive_terms",
    "find_actor_mentions",
    "normalised_tokens",
    "prior_frequencies",
    "recurring_formulae",
    "singular",
    "skeleton",
]

#: Columns of :func:`distinctive_terms`.
TERM_COLUMNS = ("group", "term", "surface", "n", "n_rest", "docs_in_group", "log_odds", "z", "examples")
#: Columns of :func:`recurring_formulae`.
FORMULA_COLUMNS = ("group", "phrase", "count", "n_docs", "kind", "key", "variants", "other_groups", "examples")
#: Columns of :func:`actors`.
ACTOR_COLUMNS = ("group", "actor", "kind", "refers_to", "mentions", "n_docs", "as_subject", "top_predicates",
                 "top_attributes", "top_context", "examples")

_DIGIT_RE = re.compile(r"^\d")
# quoted expressions: curly double, straight double, curly single, straight single (not an apostrophe)
_QUOTED_RE = re.compile(r"“([^”\n]{1,120})”|\"([^\"\n]{1,120})\"|‘([^’\n]{1,120})’(?![A-Za-z])"
                        r"|(?<![A-Za-z])'([^'\n]{1,120})'(?![A-Za-z])")
_MAX_QUOTED_WORDS = 10


def _group_tokens(doc: Document) -> _Tokens:
    """:func:`_tokens` with the questioners' turns blanked (a transcript's journalists, not the document's speakers):
    the terms and formulae of a group are counted from its own words, and no phrase runs across a question."""
    cached = doc.cache.get("terms.group_tokens")
    if cached is not None:
        return cached
    tok = _tokens(doc)
    asked = doc.attribution.questioner_sentences
    if asked:
        norm, joins = list(tok.norm), list(tok.joins_next)
        seg = doc.segmentation
        for si in asked:
            a, b = seg.sentence_tokens(si)
            norm[a:b] = [""] * (b - a)
            joins[max(a - 1, 0):b] = [False] * (b - max(a - 1, 0))
        tok = _Tokens(tuple(norm), tok.possessive, tuple(joins))
    doc.cache["terms.group_tokens"] = tok
    return tok


def normalised_tokens(doc: Document) -> list[str]:
    """Lower-case tokens of ``doc`` with a possessive ``'s`` stripped ("China's" -> "china")."""
    return list(_tokens(doc).norm)


def _is_edge_word(token: str, stopwords: frozenset[str]) -> bool:
    """May this token start or end a term? (not a function word, not a number, not a lone letter)."""
    return len(token) > 1 and token not in stopwords and not _DIGIT_RE.match(token)


def singular(word: str) -> str:
    """A crude singular of a lower-case word ("opportunities" -> "opportunity", "fences" -> "fence", "approaches" ->
    "approach"); words in -ss, -us, -is and -ics stay whole ("consensus", "crisis", "politics")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        return word[:-1]
    return word


def skeleton(words: Iterable[str], stopwords: frozenset[str] = STOPWORDS) -> str:
    """Key relating variants of a formula: content words, hyphens split, crude singular.

    "small yards with high fences" and "small yard, high fence" both give
    ``"small yard high fence"``; "capacity-building" and "capacity building" both
    give ``"capacity building"``.
    """
    parts = []
    for w in words:
        w = w.lower().replace("’", "'")
        w = w.removesuffix("'s")
        pieces = w.split("-")
        hyphenated = len(pieces) > 1  # "well-being", "win-win": every part is content
        for piece in pieces:
            if piece and (hyphenated or piece not in stopwords):
                parts.append(singular(piece))
    return " ".join(parts)


def _n_words(tokens: Sequence[str]) -> int:
    """Words in a phrase, counting the parts of hyphenated tokens ("win-win" = 2)."""
    return sum(1 + t.count("-") for t in tokens)


def _runs(tok: _Tokens) -> list[tuple[int, int]]:
    """Maximal token ranges ``[a, b)`` with only white space between neighbours (phrases never cross punctuation)."""
    runs, start = [], 0
    n = len(tok.norm)
    for i in range(n):
        if not tok.joins_next[i] or tok.possessive[i]:
            runs.append((start, i + 1))
            start = i + 1
    return [r for r in runs if r[1] > r[0]]


def _ngrams(tok: _Tokens, n_min: int, n_max: int, stopwords: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Token ranges of n-grams (``n_min`` to ``n_max`` tokens) inside runs, with content words at both edges.

    A possessive token may only end a term ("China's proposal" gives "china", "proposal", not "china proposal").
    """
    edge = [len(t) > 1 and t not in stopwords and not t[0].isdigit() for t in tok.norm]
    for a, b in _runs(tok):
        for i in range(a, b):
            if not edge[i]:
                continue
            for n in range(n_min, n_max + 1):
                j = i + n
                if j > b:
                    break
                if edge[j - 1]:
                    yield i, j


def _example(doc: Document, start: int, end: int) -> dict[str, Any]:
    seg = doc.segmentation
    si = seg.sentence_at(start)
    s0, s1 = seg.sentences[si] if si >= 0 else (start, end)
    return {"doc_id": doc.id, "start": start, "end": end, "text": doc.body[start:end],
            "sentence": doc.body[s0:s1], "sentence_start": s0, "voice": doc.attribution.voice_at(start, si)}


def _span(doc: Document, first: int, last: int) -> tuple[int, int]:
    toks = doc.segmentation.tokens
    return toks[first][0], toks[last - 1][1]


def _check_groups(docs: Sequence[Document], groups: Sequence[Hashable]) -> list[Hashable]:
    docs, groups = list(docs), list(groups)
    if len(docs) != len(groups):
        raise ValueError(f"{len(docs)} documents but {len(groups)} group labels")
    return groups


def _group_order(groups: Iterable[Hashable]) -> list[Hashable]:
    return sorted({g for g in groups if g is not None}, key=str)


# ---------------------------------------------------------------------------
# distinctive terms (Fightin' Words)

@lru_cache(maxsize=200_000)
def _wordfreq(token: str) -> float:
    from wordfreq import word_frequency

    return word_frequency(token, "en", minimum=1e-9)


def prior_frequencies(terms: Iterable[Sequence[str]]) -> np.ndarray:
    """General-English prior frequency of each term (tuple of tokens), from ``wordfreq``.

    Unigrams: ``wordfreq.word_frequency(w, "en")`` (floor 1e-9). N-grams back off
    to wordfreq's own rule for multi-word strings, ``1 / f = sum_i 1 / f_i``
    (dominated by the rarest word), computed from the cached unigram values.
    Values are relative within one n-gram order; the caller normalises them.
    """
    return np.fromiter((1.0 / sum(1.0 / _wordfreq(w) for w in words) for words in terms), dtype=float)


def _log_odds(y_i: np.ndarray, y_j: np.ndarray, alpha: np.ndarray, n_i: float, n_j: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al. (2008) eq. 16 and 19: log-odds ratio with Dirichlet prior ``alpha`` and its z-score."""
    a0 = alpha.sum()
    with np.errstate(divide="ignore", invalid="ignore"):  # a term that is all of a tiny group's text: -inf, no warning
        delta = (np.log(y_i + alpha) - np.log(n_i + a0 - y_i - alpha)
                 - np.log(y_j + alpha) + np.log(n_j + a0 - y_j - alpha))
    var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    return delta, delta / np.sqrt(var)


def distinctive_terms(docs: Sequence[Document], groups: Sequence[Hashable], prior: str = "wordfreq",
                      ngram_range: tuple[int, int] = (1, 3), min_count: int = 2, top_n: int = 25,
                      stopwords: frozenset[str] = STOPWORDS, prior_weight: float = 1.0,
                      max_examples: int = 3) -> pd.DataFrame:
    """Words and phrases over-represented in each group compared with the rest of the corpus.

    Each group is compared with all other documents pooled ("rest"), n-gram order by
    n-gram order, with the log-odds ratio and informative Dirichlet prior of Monroe,
    Colaresi & Quinn (2008, "Fightin' Words"):
    ``delta_w = log((y_wi + a_w) / (n_i + a_0 - y_wi - a_w)) - log((y_wj + a_w) / (n_j + a_0 - y_wj - a_w))``,
    ``z_w = delta_w / sqrt(1 / (y_wi + a_w) + 1 / (y_wj + a_w))``.

    Parameters
    ----------
    docs : sequence of Document
    groups : sequence
        One group label per document (``None`` = left out). With fewer than two
        distinct labels there is nothing to compare: an empty table and a warning.
    prior : {"wordfreq", "corpus"}
        ``"corpus"``: ``a_w`` proportional to the term's frequency in the whole
        corpus. ``"wordfreq"`` (default): an equal mix of that and the term's
        general-English frequency (:func:`prior_frequencies`), each normalised
        within the n-gram order, so frequent English words are shrunk even when
        the corpus is four documents.
    ngram_range : (int, int)
        Smallest and largest n-gram, in tokens. N-grams stay within a sentence,
        never cross punctuation, and neither start nor end with a stopword, a
        number or a single letter.
    min_count : int
        Minimum count of the term in the group.
    top_n : int
        Terms kept per group (highest z first).
    stopwords : frozenset of str
        Function words (default :data:`STOPWORDS`).
    prior_weight : float
        ``a_0`` as a multiple of the corpus size in that n-gram order (1 = the prior
        weighs as much as the data).
    max_examples : int
        Examples per term (first occurrence per document, documents in input order).

    Returns
    -------
    DataFrame with columns :data:`TERM_COLUMNS`, groups sorted by label, then by z (descending):

    group; term (lower-case, possessive stripped, e.g. ``"global south"``); surface
    (most frequent spelling in the group, e.g. ``"Global South"``); n (count in the
    group); n_rest (count in the other documents); docs_in_group (documents of the
    group using it); log_odds (delta, natural log; > 0 = more typical of the group);
    z (delta / its SD; |z| > 1.96 is the customary threshold, but with four
    documents read it as a ranking, not a test); examples (list of example dicts,
    see the module docstring). Only terms with z > 0 are listed. A term contained in
    a longer listed term with the same count in the group is dropped (the longer
    one says more).
    """
    groups = _check_groups(docs, groups)
    labels = _group_order(groups)
    if prior not in ("wordfreq", "corpus"):
        raise ValueError(f"prior must be 'wordfreq' or 'corpus', not {prior!r}")
    if len(labels) < 2:
        warnings.warn("distinctive_terms: one group has no 'rest' to be compared with; empty table", stacklevel=2)
        return pd.DataFrame(columns=list(TERM_COLUMNS))
    acc = TermCounts(ngram_range, stopwords)
    for doc, g in zip(docs, groups):
        acc.add(doc, g)
    return acc.table(docs, groups, prior=prior, min_count=min_count, top_n=top_n, prior_weight=prior_weight,
                     max_examples=max_examples)


#: An accumulator holding more than this many (group, key) entries drops its rarest keys (see :func:`_prune`).
MAX_ENTRIES = 600_000
#: Accumulators check their size every this many documents (so where they prune does not depend on chunking).
PRUNE_EVERY = 256


def _prune(tables: dict[Hashable, dict[str, Any]], count: Any, limit: int) -> dict[Hashable, Counter]:
    """Drop the rarest keys when the tables together hold more than ``limit`` entries.

    The rule (lossy counting): entries whose count is at most k are dropped, k = 1, 2, ... until at most
    half of ``limit`` remain. A dropped key that occurs again starts from zero, so counts of frequent keys
    can be low by the few occurrences seen before a prune; a key must be seen more than k times between two
    prunes to survive one. Only large corpora (hundreds of thousands of distinct n-grams) are pruned; the
    tables ranked at the end are the most frequent keys, which pruning keeps. Returns what was dropped,
    per table, as ``{table: Counter(order -> occurrences)}`` so that totals stay exact.
    """
    dropped: dict[Hashable, Counter] = {}
    k = 0
    while sum(len(t) for t in tables.values()) > limit // 2:
        k += 1
        for g, table in tables.items():
            gone = [key for key, v in table.items() if count(v) <= k]
            tally = dropped.setdefault(g, Counter())
            for key in gone:
                tally[key.count(" ") + 1 if isinstance(key, str) else 0] += count(table.pop(key))
    return dropped


def _term_keys(tok: _Tokens, n_min: int, n_max: int, stopwords: frozenset[str]) -> list[str]:
    """The n-grams of :func:`_ngrams` as space-joined strings (built incrementally: one join per n-gram)."""
    norm = tok.norm
    edge = [len(t) > 1 and t not in stopwords and not t[0].isdigit() for t in norm]
    out = []
    append = out.append
    for a, b in _runs(tok):
        for i in range(a, b):
            if not edge[i]:
                continue
            key = norm[i]
            last = min(i + n_max, b)
            for j in range(i + 1, last + 1):
                if j > i + 1:
                    key = key + " " + norm[j - 1]
                if j - i >= n_min and edge[j - 1]:
                    append(key)
    return out


class TermCounts:
    """Per-group n-gram counts for :func:`distinctive_terms`, filled one document at a time.

    Memory is bounded by the vocabulary (at most :data:`MAX_ENTRIES` keys, the rarest dropped beyond:
    :func:`_prune`), not by the number of documents; the group totals of every n-gram order stay exact.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), stopwords: frozenset[str] = STOPWORDS,
                 max_entries: int = MAX_ENTRIES):
        self.ngram_range, self.stopwords, self.max_entries = ngram_range, stopwords, max_entries
        self.counts: dict[Hashable, Counter] = {}
        self.doc_freq: dict[Hashable, Counter] = {}
        self.dropped: dict[Hashable, Counter] = {}  # group -> order -> occurrences of pruned keys
        self.n_docs = 0
        self.pruned = False

    def add(self, doc: Document, g: Hashable) -> None:
        if g is None:
            return
        keys = _term_keys(_group_tokens(doc), *self.ngram_range, self.stopwords)
        seen = Counter(keys)
        counts = self.counts.get(g)
        if counts is None:
            counts = self.counts[g] = Counter()
            self.doc_freq[g] = Counter()
        counts.update(seen)
        self.doc_freq[g].update(seen.keys())
        self.n_docs += 1
        if self.n_docs % PRUNE_EVERY == 0:
            self.prune()

    def merge(self, other: TermCounts) -> None:
        """Add the counts of ``other`` (filled from later documents, e.g. a chunk scored in a worker process),
        then prune if the tables are over their limit: counts in first-seen order, as if added here."""
        for g, tally in other.counts.items():
            if g not in self.counts:
                self.counts[g], self.doc_freq[g] = Counter(), Counter()
            self.counts[g].update(tally)
            self.doc_freq[g].update(other.doc_freq[g])
        for g, tally in other.dropped.items():
            self.dropped.setdefault(g, Counter()).update(tally)
        self.n_docs += other.n_docs
        self.pruned = self.pruned or other.pruned
        self.prune()

    def prune(self) -> None:
        if sum(len(c) for c in self.counts.values()) <= self.max_entries:
            return
        self.pruned = True
        for g, tally in _prune(self.counts, int, self.max_entries).items():
            self.dropped.setdefault(g, Counter()).update(tally)
            df = self.doc_freq[g]
            for key in [k for k in df if k not in self.counts[g]]:
                del df[key]

    def relabel(self, labels: dict[Hashable, Hashable]) -> None:
        """Rename groups (e.g. the provisional "rest" key to "commentary" or "non-official")."""
        for table in (self.counts, self.doc_freq, self.dropped):
            items = list(table.items())
            table.clear()
            table.update({labels.get(g, g): v for g, v in items})

    def table(self, docs: Sequence[Document], groups: Sequence[Hashable], prior: str = "wordfreq",
              min_count: int = 2, top_n: int = 25, prior_weight: float = 1.0, max_examples: int = 3) -> pd.DataFrame:
        """The :func:`distinctive_terms` table; ``docs``/``groups`` give the examples and the spellings
        (every document, or a sample of each group's documents)."""
        labels = _group_order(self.counts)
        if len(labels) < 2:
            return pd.DataFrame(columns=list(TERM_COLUMNS))
        n_min, n_max = self.ngram_range
        counts = self.counts
        # keys as they are stored (space-joined): sorting them sorts their word tuples (a space sorts before
        # any character of a token), so a key's position in this list is its rank in the table's tie-break
        keys = sorted(set().union(*(counts[g] for g in labels)))
        order_of = np.fromiter((k.count(" ") + 1 for k in keys), dtype=np.int64, count=len(keys))
        found: dict[Hashable, list[tuple[np.ndarray, ...]]] = {g: [] for g in labels}
        for order in range(n_min, n_max + 1):
            at = np.flatnonzero(order_of == order)
            if not len(at):
                continue
            these = [keys[i] for i in at]
            per_group = {g: np.fromiter((counts[g].get(t, 0) for t in these), dtype=float, count=len(these))
                         for g in labels}
            y_all = sum(per_group.values())
            n_all = y_all.sum()
            p = y_all / n_all
            if prior == "wordfreq":
                wf = prior_frequencies(t.split(" ") for t in these)
                p = 0.5 * p + 0.5 * wf / wf.sum()
            alpha = prior_weight * n_all * p
            extra = {g: self.dropped.get(g, Counter()).get(order, 0) for g in labels}
            n_total = n_all + sum(extra.values())
            for g in labels:
                y_i = per_group[g]
                n_i = y_i.sum() + extra[g]
                delta, z = _log_odds(y_i, y_all - y_i, alpha, n_i, n_total - n_i)
                keep = np.flatnonzero((y_i >= min_count) & (z > 0))
                found[g].append((at[keep], z[keep], delta[keep], y_i[keep], (y_all - y_i)[keep]))
        groups = _check_groups(docs, groups)
        out: list[dict[str, Any]] = []
        for g in labels:
            chosen = _top_terms(_ranked_terms(g, keys, found[g], self.doc_freq[g]), top_n)
            _attach_examples(chosen, [d for d, gg in zip(docs, groups) if gg == g], n_min, n_max, self.stopwords,
                             max_examples)
            out.extend(chosen)
        for r in out:
            r["term"] = " ".join(r.pop("terms"))
        return pd.DataFrame(out, columns=list(TERM_COLUMNS))


def _ranked_terms(group: Hashable, keys: list[str], found: list[tuple[np.ndarray, ...]], doc_freq: Counter
                  ) -> Iterator[dict[str, Any]]:
    """A group's candidate terms as rows, highest z first (ties: the term's spelling), made one at a time as
    they are read: only the few the table keeps become rows, not every candidate of a large vocabulary."""
    if not found:
        return
    at, z, delta, n, n_rest = (np.concatenate(column) for column in zip(*found))
    for k in np.lexsort((at, -z)):
        key = keys[at[k]]
        yield {"group": group, "terms": tuple(key.split(" ")), "n": int(n[k]), "n_rest": int(n_rest[k]),
               "docs_in_group": doc_freq[key], "log_odds": float(delta[k]), "z": float(z[k])}


def _top_terms(ranked: Iterable[dict[str, Any]], top_n: int) -> list[dict[str, Any]]:
    """The first ``top_n`` terms of ``ranked``, a term contained in a longer chosen one with the same count
    left out (the longer one says more), highest z first."""
    chosen: list[dict[str, Any]] = []
    for r in ranked:
        if len(chosen) >= top_n:
            break
        if any(_contains(c["terms"], r["terms"]) and c["n"] == r["n"] for c in chosen):
            continue
        chosen = [c for c in chosen if not (_contains(r["terms"], c["terms"]) and c["n"] == r["n"])]
        chosen.append(r)
    chosen.sort(key=lambda r: (-r["z"], " ".join(r["terms"])))
    return chosen


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def _attach_examples(chosen: list[dict[str, Any]], docs: list[Document], n_min: int, n_max: int,
                     stopwords: frozenset[str], max_examples: int) -> None:
    wanted = {r["terms"]: r for r in chosen}
    examples: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    later: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    surfaces: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for doc in docs:
        tok = _group_tokens(doc)
        seen: set[tuple[str, ...]] = set()
        for i, j in _ngrams(tok, n_min, n_max, stopwords):
            t = tok.norm[i:j]
            if t not in wanted:
                continue
            start, end = _span(doc, i, j)
            surface = doc.body[start:end]
            if tok.possessive[j - 1]:
                surface = _POSSESSIVE_END.sub("", surface)
                end = start + len(surface)
            surfaces[t][surface] += 1
            if t in seen:
                if len(later[t]) < max_examples:
                    later[t].append(_example(doc, start, end))
                continue
            seen.add(t)
            if len(examples[t]) < max_examples:
                examples[t].append(_example(doc, start, end))
    for t, r in wanted.items():
        r["examples"] = (examples[t] + later[t])[:max_examples]
        r["surface"] = min(surfaces[t].items(), key=lambda kv: (-kv[1], kv[0]))[0] if surfaces[t] else " ".join(t)


# ---------------------------------------------------------------------------
# recurring formulae and slogans

@dataclass
class _Occurrence:
    """A formula's occurrence: document position, token range, key, kind and character span in the body
    (kept, so that reading the occurrence later does not need the document's tokens again)."""

    doc: int
    first: int
    last: int
    key: str
    kind: str
    start: int
    end: int


def _quoted_token_ranges(doc: Document) -> list[tuple[int, int]]:
    """Token ranges of short quoted expressions (1 to 10 words): slogans and scare quotes."""
    seg = doc.segmentation
    starts = [s for s, _ in seg.tokens]
    from bisect import bisect_left

    out = []
    for m in _QUOTED_RE.finditer(doc.body):
        g = next(i for i in range(1, 5) if m.group(i) is not None)
        a, b = m.start(g), m.end(g)
        first, last = bisect_left(starts, a), bisect_left(starts, b)
        if first < last and seg.tokens[last - 1][1] <= b and 1 <= _n_words(seg.lower[first:last]) <= _MAX_QUOTED_WORDS:
            if "." in doc.body[a:b].rstrip(".").replace("U.S.", ""):  # a quoted sentence, not a slogan
                continue
            out.append((first, last))
    return out


def _formula_matcher(known: str | Path | Lexicon | None) -> tuple[PhraseMatcher | None, Lexicon | None]:
    if known is None:
        return None, None
    lex = known if isinstance(known, Lexicon) else load_lexicon(known)
    return PhraseMatcher(lex.entries), lex


def recurring_formulae(docs: Sequence[Document], groups: Sequence[Hashable], min_n: int = 2, max_n: int = 6,
                       min_count: int = 2, top_n: int = 30, known: str | Path | Lexicon | None = "formulae",
                       stopwords: frozenset[str] = STOPWORDS, max_examples: int = 3) -> pd.DataFrame:
    """Multi-word expressions, set phrases and slogans each group uses, variants merged.

    Three kinds of evidence, each occurrence a token range of one document:

    * ``known`` — a set phrase of the packaged list ``framing/lexicons/formulae.tsv``
      (or ``known``: a lexicon name, path or :class:`Lexicon`; ``None`` to switch off),
      listed even when it occurs once: "community with a shared future";
    * ``quoted`` — a short expression in quotation marks (1 to 10 words, not a
      sentence), listed even when it occurs once: the author marks it as a set
      phrase ("small yards with high fences", 'inclusivity');
    * ``repeated`` — an n-gram of ``min_n`` to ``max_n`` words (hyphenated parts
      count: "win-win" is 2 words) with content words at both edges, not crossing
      punctuation, used at least ``min_count`` times in the group.

    Variants are merged under one ``key``: the canonical name of a known formula,
    else the phrase's :func:`skeleton` (content words, crude singular), so
    "small yard, high fence" (quoted in commentary) and "small yards with high fences"
    (quoted in an official statement) share the key "small yard, high fence" (or
    "small yard high fence" without the packaged list). Sub-phrases of a longer
    listed phrase are merged into it: a repeated n-gram is listed only if at least
    ``min_count`` of its occurrences lie outside longer listed phrases and known
    or quoted ones.

    Returns
    -------
    DataFrame with columns :data:`FORMULA_COLUMNS`, groups sorted by label, then by
    count, n_docs (descending), phrase; per group at most ``top_n`` known/quoted rows
    and at most ``top_n`` repeated rows (so once-used set phrases are not crowded out
    by frequent topic n-grams such as "artificial intelligence"):

    group; phrase (the group's most frequent surface form, e.g. "small yards with high
    fences"); count (occurrences in the group); n_docs (documents of the group using
    it); kind ("known", "quoted", "repeated", or several joined by "+"); key (the
    merge key); variants (list of distinct surface forms in the group, most frequent
    first); other_groups (dict other group -> occurrences of the same key there, only
    non-zero; this relates the official and commentary spellings of one formula);
    examples (list of example dicts).
    """
    groups = _check_groups(docs, groups)
    acc = FormulaCounts(min_n, max_n, known, stopwords)
    for doc, g in zip(docs, groups):
        acc.add(doc, g)
    return acc.table(docs, groups, min_count=min_count, top_n=top_n, max_examples=max_examples)


_KIND_BITS = {"known": 1, "quoted": 2, "repeated": 4}


class _Fixed:
    """A known or quoted phrase of one group: occurrences, documents, kinds and spellings (small: there are
    many, most used once, so one spelling is a string and only a second one makes a Counter)."""

    __slots__ = ("count", "kind_bits", "last_doc", "n_docs", "spelling")

    def __init__(self) -> None:
        self.count, self.n_docs, self.last_doc, self.kind_bits = 0, 0, -1, 0
        self.spelling: str | Counter | None = None

    def add_spelling(self, surface: str) -> None:
        if self.spelling is None:
            self.spelling = surface
        elif isinstance(self.spelling, str):
            if surface != self.spelling:
                self.spelling = Counter({self.spelling: self.count - 1, surface: 1})
        else:
            self.spelling[surface] += 1

    def merge(self, other: _Fixed) -> None:
        """Add the occurrences of the same phrase in later documents (``other``)."""
        surfaces = self.surfaces + other.surfaces
        self.count += other.count
        self.n_docs += other.n_docs
        self.kind_bits |= other.kind_bits
        self.spelling = next(iter(surfaces)) if len(surfaces) == 1 else (surfaces or None)

    @property
    def surfaces(self) -> Counter:
        if isinstance(self.spelling, Counter):
            return self.spelling
        return Counter({self.spelling: self.count}) if self.spelling is not None else Counter()

    @property
    def kinds(self) -> list[str]:
        return [k for k, bit in _KIND_BITS.items() if self.kind_bits & bit]


class FormulaCounts:
    """Per-group counts for :func:`recurring_formulae`, filled one document at a time.

    Kept per group: every known or quoted phrase (occurrences, documents, kinds, spellings) and every
    n-gram key (occurrences, documents), at most :data:`MAX_ENTRIES` of them (the rarest dropped beyond:
    :func:`_prune`). Which repeated n-grams are listed (sub-phrases of longer listed phrases merged away),
    their spellings and every row's examples come from the documents given to :meth:`table`: all of them,
    or a sample of each group; with a sample, a sub-phrase is listed when its share of free occurrences
    in the sample, times its count in the corpus, reaches ``min_count``.
    """

    def __init__(self, min_n: int = 2, max_n: int = 6, known: str | Path | Lexicon | None = "formulae",
                 stopwords: frozenset[str] = STOPWORDS, max_entries: int = MAX_ENTRIES):
        self.min_n, self.max_n, self.stopwords, self.max_entries = min_n, max_n, stopwords, max_entries
        self.matcher, _ = _formula_matcher(known)
        self.fixed: dict[Hashable, dict[str, _Fixed]] = {}
        self.key_counts: dict[Hashable, Counter] = {}
        self.key_docs: dict[Hashable, Counter] = {}
        self.n_docs = 0

    def add(self, doc: Document, g: Hashable) -> None:
        if g is None:
            return
        d = self.n_docs
        self.n_docs += 1
        tok = _group_tokens(doc)
        fixed = self.fixed.setdefault(g, {})
        for o in _fixed_occurrences(d, doc, tok, self.matcher, self.stopwords):
            f = fixed.get(o.key)
            if f is None:
                f = fixed[o.key] = _Fixed()
            f.count += 1
            if f.last_doc != d:
                f.n_docs += 1
                f.last_doc = d
            for kind in o.kind.split("+"):
                f.kind_bits |= _KIND_BITS[kind]
            f.add_spelling(_POSSESSIVE_END.sub("", doc.body[o.start:o.end]))
        seen = Counter(_formula_keys(tok, self.min_n, self.max_n, self.stopwords))
        if g not in self.key_counts:
            self.key_counts[g], self.key_docs[g] = Counter(), Counter()
        self.key_counts[g].update(seen)
        self.key_docs[g].update(seen.keys())
        if self.n_docs % PRUNE_EVERY == 0:
            self.prune()

    def empty_copy(self) -> FormulaCounts:
        """A new, empty accumulator with these settings, sharing the compiled matcher of known formulae."""
        new = FormulaCounts(self.min_n, self.max_n, None, self.stopwords, self.max_entries)
        new.matcher = self.matcher
        return new

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the compiled matcher (a pickled accumulator is for :meth:`merge`)."""
        return {**self.__dict__, "matcher": None}

    def merge(self, other: FormulaCounts) -> None:
        """Add the counts of ``other`` (filled from later documents), then prune if over the limit."""
        for g, table in other.fixed.items():
            fixed = self.fixed.setdefault(g, {})
            for key, f in table.items():
                mine = fixed.get(key)
                if mine is None:
                    f.last_doc = -1  # document positions are the other accumulator's
                    fixed[key] = f
                else:
                    mine.merge(f)
        for g, tally in other.key_counts.items():
            if g not in self.key_counts:
                self.key_counts[g], self.key_docs[g] = Counter(), Counter()
            self.key_counts[g].update(tally)
            self.key_docs[g].update(other.key_docs[g])
        self.n_docs += other.n_docs
        self.prune()

    def prune(self) -> None:
        if sum(len(c) for c in self.key_counts.values()) > self.max_entries:
            _prune(self.key_counts, int, self.max_entries)
            for g, docs in self.key_docs.items():
                for key in [k for k in docs if k not in self.key_counts[g]]:
                    del docs[key]
        if sum(len(f) for f in self.fixed.values()) > self.max_entries // 5:
            _prune(self.fixed, lambda f: f.count, self.max_entries // 5)

    def relabel(self, labels: dict[Hashable, Hashable]) -> None:
        for table in (self.fixed, self.key_counts, self.key_docs):
            items = list(table.items())
            table.clear()
            table.update({labels.get(g, g): v for g, v in items})

    def table(self, docs: Sequence[Document], groups: Sequence[Hashable], min_count: int = 2, top_n: int = 30,
              max_examples: int = 3) -> pd.DataFrame:
        """The :func:`recurring_formulae` table (see :class:`FormulaCounts` for what ``docs`` give)."""
        groups = _check_groups(docs, groups)
        labels = _group_order(set(self.fixed) | set(self.key_counts))
        cap = max(200, 10 * top_n)
        candidates = _top_candidates(self.key_counts, min_count, cap)
        fixed_keys = {(g, key) for g, table in self.fixed.items() for key in table}
        sample_fixed: list[_Occurrence] = []
        sample_ngrams: list[_Occurrence] = []
        for d, (doc, g) in enumerate(zip(docs, groups)):
            if g is None:
                continue
            tok = _group_tokens(doc)
            sample_fixed.extend(_fixed_occurrences(d, doc, tok, self.matcher, self.stopwords))
            sample_ngrams.extend(_Occurrence(d, i, j, key, "repeated", *_span(doc, i, j))
                                 for i, j, key in _keyed_ngrams(tok, self.min_n, self.max_n, self.stopwords)
                                 if (g, key) in candidates)
        listed = _listed_repeated(candidates, self.key_counts, sample_ngrams, sample_fixed, fixed_keys, groups,
                                  min_count)
        return _formula_table(self, listed, sample_fixed, sample_ngrams, docs, groups, labels, top_n, max_examples)


def _top_candidates(key_counts: dict[Hashable, Counter], min_count: int, cap: int) -> set[tuple[Hashable, str]]:
    """The ``cap`` most frequent n-gram keys of each group with at least ``min_count`` uses.

    Sub-phrase merging only lowers counts, so phrases beyond the cap could not reach the
    top of the table; the cap keeps large corpora fast.
    """
    out: set[tuple[Hashable, str]] = set()
    for g, counts in key_counts.items():
        top = heapq.nsmallest(cap, ((-n, key) for key, n in counts.items() if n >= min_count))
        out.update((g, key) for _, key in top)
    return out


@lru_cache(maxsize=100_000)
def _token_skeleton(token: str, stopwords: frozenset[str]) -> str:
    return skeleton((token,), stopwords)


def _keyed_ngrams(tok: _Tokens, min_n: int, max_n: int, stopwords: frozenset[str]) -> list[tuple[int, int, str]]:
    """(first, last, skeleton key) of every n-gram of ``min_n`` to ``max_n`` words (hyphen parts count).

    Same n-grams as :func:`_ngrams` (content words at the edges, within a run), keys built incrementally.
    """
    norm = tok.norm
    pieces = [_token_skeleton(t, stopwords) for t in norm]
    words = [1 + t.count("-") for t in norm]
    edge = [len(t) > 1 and t not in stopwords and not t[0].isdigit() for t in norm]
    out = []
    for a, b in _runs(tok):
        for i in range(a, b):
            if not edge[i]:
                continue
            n, key = 0, ""
            for j in range(i, b):
                n += words[j]
                if n > max_n:
                    break
                if pieces[j]:
                    key = f"{key} {pieces[j]}" if key else pieces[j]
                if n >= min_n and edge[j]:
                    out.append((i, j + 1, key))
    return out


def _formula_keys(tok: _Tokens, min_n: int, max_n: int, stopwords: frozenset[str]) -> list[str]:
    """The keys of :func:`_keyed_ngrams` alone (no positions: what the counts need)."""
    return [key for _, _, key in _keyed_ngrams(tok, min_n, max_n, stopwords)]


def _fixed_occurrences(d: int, doc: Document, tok: _Tokens, matcher: PhraseMatcher | None,
                       stopwords: frozenset[str]) -> list[_Occurrence]:
    """Known-formula matches, and quoted expressions (a quote around a known formula marks it quoted)."""
    out: list[_Occurrence] = []
    if matcher is not None:
        for m in matcher.find(list(tok.norm)):
            canonical = m.entry.extra[0] if m.entry.extra and m.entry.extra[0] else m.entry.term
            out.append(_Occurrence(d, m.first, m.last, canonical, "known", *_span(doc, m.first, m.last)))
    for first, last in _quoted_token_ranges(doc):
        inside = [o for o in out if o.kind.startswith("known") and first <= o.first and o.last <= last]
        if inside and sum(o.last - o.first for o in inside) >= (last - first) / 2:
            for o in inside:
                o.kind = "known+quoted"
            continue
        key = skeleton(tok.norm[first:last], stopwords)
        if key:
            out.append(_Occurrence(d, first, last, key, "quoted", *_span(doc, first, last)))
    return out


def _listed_repeated(candidates: set[tuple[Hashable, str]], key_counts: dict[Hashable, Counter],
                     ngram_occ: list[_Occurrence], fixed: list[_Occurrence], fixed_keys: set[tuple[Hashable, str]],
                     groups: list[Hashable], min_count: int) -> dict[tuple[Hashable, str], list[_Occurrence]]:
    """N-gram keys used at least ``min_count`` times in a group, longest first, sub-phrases merged.

    A key is listed when at least ``min_count`` of its occurrences lie outside longer listed phrases and
    known or quoted ones. Occurrences are those of the documents given (``ngram_occ``, ``fixed``); when they
    are a sample, the share of free occurrences in the sample times the key's count in the corpus
    (``key_counts``) is compared with ``min_count`` (the same test when the sample is every document).
    Returns the listed keys with their occurrences in the documents given.
    """
    by_key: dict[tuple[Hashable, str], list[_Occurrence]] = defaultdict(list)
    for o in ngram_occ:
        by_key[(groups[o.doc], o.key)].append(o)
    covered: dict[int, set[int]] = defaultdict(set)
    for o in fixed:
        covered[o.doc].update(range(o.first, o.last))
    cands = [gk for gk in candidates if gk not in fixed_keys]
    cands.sort(key=lambda gk: (-len(gk[1].split()), -key_counts[gk[0]][gk[1]], str(gk[0]), gk[1]))
    out: dict[tuple[Hashable, str], list[_Occurrence]] = {}
    for gk in cands:
        occ = by_key.get(gk, [])
        free = [o for o in occ if any(k not in covered[o.doc] for k in range(o.first, o.last))]
        # an occurrence can be counted once per position (two surface n-grams may share a key)
        positions = {(o.doc, o.first, o.last) for o in free}
        everywhere = {(o.doc, o.first, o.last) for o in occ}
        if everywhere and len(positions) * key_counts[gk[0]][gk[1]] < min_count * len(everywhere):
            continue
        seen: set[tuple[int, int, int]] = set()
        kept = []
        for o in occ:
            if (o.doc, o.first, o.last) not in seen:
                seen.add((o.doc, o.first, o.last))
                kept.append(o)
                covered[o.doc].update(range(o.first, o.last))
        out[gk] = kept
    return out


def _example_occurrences(occ: list[_Occurrence], max_examples: int) -> list[_Occurrence]:
    """The occurrences shown as examples: the first in each document, then second ones when there are few
    documents (at most ``max_examples``)."""
    occ = sorted(occ, key=lambda o: (o.doc, o.first))
    chosen: list[_Occurrence] = []
    for o in occ:
        if len(chosen) < max_examples and all(c.doc != o.doc for c in chosen):
            chosen.append(o)
    for o in occ:  # fill up with second occurrences when there are few documents
        if len(chosen) >= max_examples:
            break
        if all((c.doc, c.start) != (o.doc, o.start) for c in chosen):
            chosen.append(o)
    return chosen


def _attach_occurrence_examples(rows: list[dict[str, Any]], docs: Sequence[Document], max_examples: int) -> None:
    """Each row's ``examples`` from its ``_occ`` occurrences, made document by document (each document's
    sentences are read once, not once per example)."""
    chosen = [_example_occurrences(r.pop("_occ"), max_examples) for r in rows]
    made: dict[tuple[int, int, int], dict[str, Any]] = {}
    for o in sorted((o for c in chosen for o in c), key=lambda o: (o.doc, o.start)):
        if (o.doc, o.start, o.end) not in made:
            made[(o.doc, o.start, o.end)] = _example(docs[o.doc], o.start, o.end)
    for r, c in zip(rows, chosen):
        r["examples"] = [dict(made[(o.doc, o.start, o.end)]) for o in c]


def _formula_table(acc: FormulaCounts, listed: dict[tuple[Hashable, str], list[_Occurrence]],
                   sample_fixed: list[_Occurrence], sample_ngrams: list[_Occurrence], docs: Sequence[Document],
                   groups: list[Hashable], labels: list[Hashable], top_n: int, max_examples: int) -> pd.DataFrame:
    fixed_occ: dict[tuple[Hashable, str], list[_Occurrence]] = defaultdict(list)
    for o in sample_fixed:
        fixed_occ[(groups[o.doc], o.key)].append(o)
    # how often each listed key occurs anywhere (listed or not), for other_groups: n-grams, else known/quoted
    # hits (only the keys that become rows: the tables hold up to MAX_ENTRIES keys)
    shown = {key for table in acc.fixed.values() for key in table} | {key for _, key in listed}
    anywhere: dict[str, Counter] = defaultdict(Counter)
    for g, counts in acc.key_counts.items():
        for key in shown:
            n = counts.get(key)
            if n:
                anywhere[key][g] = n
    for g, table in acc.fixed.items():
        for key, f in table.items():
            anywhere[key][g] = max(anywhere[key][g], f.count)
    rows: list[dict[str, Any]] = []
    order = ("known", "quoted", "repeated")
    for g, table in acc.fixed.items():
        for key, f in table.items():
            variants = [s for s, _ in sorted(f.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))]
            row = _formula_row(g, key, variants, f.count, f.n_docs, sorted(f.kinds, key=order.index), anywhere)
            row["_occ"] = fixed_occ.get((g, key), [])
            rows.append(row)
    for (g, key), occ in listed.items():
        surfaces = Counter(_POSSESSIVE_END.sub("", docs[o.doc].body[o.start:o.end]) for o in occ)
        variants = [s for s, _ in sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0]))] or [key]
        row = _formula_row(g, key, variants, acc.key_counts[g][key], acc.key_docs[g][key], ["repeated"], anywhere)
        row["_occ"] = occ
        rows.append(row)
    out = []
    by_group: dict[Hashable, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_group[r["group"]].append(r)
    for g in labels:
        mine = sorted(by_group.get(g, []), key=lambda r: (-r["count"], -r["n_docs"], r["phrase"].lower(), r["key"]))
        marked = [r for r in mine if r["kind"] != "repeated"][:top_n]
        repeated = [r for r in mine if r["kind"] == "repeated"][:top_n]
        chosen = {id(x) for x in marked + repeated}
        out.extend(r for r in mine if id(r) in chosen)
    _attach_occurrence_examples(out, docs, max_examples)  # examples only for the rows listed
    return pd.DataFrame(out, columns=list(FORMULA_COLUMNS))


def _formula_row(g: Hashable, key: str, variants: list[str], count: int, n_docs: int, kinds: list[str],
                 anywhere: dict[str, Counter]) -> dict[str, Any]:
    other = {str(h): n for h, n in sorted(anywhere[key].items(), key=lambda kv: str(kv[0])) if h != g and n}
    return {"group": g, "phrase": variants[0], "count": count, "n_docs": n_docs, "kind": "+".join(kinds),
            "key": key, "variants": variants, "other_groups": other}


def actors(docs: Sequence[Document], groups: Sequence[Hashable], top_n: int = 20, lexicon: str | Path = "actors",
           max_examples: int = 3, top_words: int = 8, context_window: int = 6) -> pd.DataFrame:
    """Which actors each group names, how often, and what they do in its sentences.

    Actors come from :func:`find_actor_mentions` (lexicon ``framing/lexicons/actors.tsv``
    or a user's file, plus title + name for people). Mentions are counted in every
    voice (a quoted "China" is still named by the document).

    Returns
    -------
    DataFrame with columns :data:`ACTOR_COLUMNS`, groups sorted by label, then by
    mentions (descending), actor:

    group; actor (canonical name: "China", "Beijing", "Wang Yi", "Chinese Foreign
    Ministry", "developing countries"); kind ("country", "government metonym",
    "organisation", "person", "group"); refers_to (the country or body a metonym or
    organisation stands for, e.g. Beijing -> "China"; "" when none); mentions (count in
    the group); n_docs (documents of the group naming it); as_subject (mentions where it
    is the grammatical subject of a predicate); top_predicates (list of (word, count)
    pairs, most frequent first, at most ``top_words``: e.g. Beijing -> [("seeks", 1),
    ("challenging", 1), ("championing", 1)]); top_attributes (list of (noun, count)
    after a possessive: China's *proposal*, *commitment*); top_context (list of
    (word, count): content words within ``context_window`` tokens of the mention in the
    same sentence, e.g. the US -> "containment", "restrictions"); examples (list of
    example dicts, subject mentions first).
    """
    groups = _check_groups(docs, groups)
    acc = ActorCounts(lexicon, max_examples, context_window)
    for doc, g in zip(docs, groups):
        acc.add(doc, g)
    return acc.table(top_n, top_words)


#: An :class:`ActorCounts` holding more actors than this drops the least mentioned (see :func:`_prune`).
MAX_ACTORS = 20_000


class ActorCounts:
    """Per-group actor statistics for :func:`actors`, filled one document at a time.

    Memory is bounded by the number of distinct actors (at most :data:`MAX_ACTORS` per accumulator; the
    least mentioned are dropped beyond, by the rule of :func:`_prune`) and ``max_examples`` per actor.
    """

    def __init__(self, lexicon: str | Path = "actors", max_examples: int = 3, context_window: int = 6,
                 max_actors: int = MAX_ACTORS):
        self.lexicon, self.max_examples, self.context_window = lexicon, max_examples, context_window
        self.max_actors = max_actors
        self.stats: dict[Hashable, dict[str, dict[str, Any]]] = {}
        self.labels: set[Hashable] = set()
        self.n_docs = 0

    def add(self, doc: Document, g: Hashable) -> None:
        if g is None:
            return
        self.labels.add(g)
        d = self.n_docs
        self.n_docs += 1
        asked = doc.attribution.questioner_sentences  # a journalist's question names no actor of the group's
        mentions = [m for m in find_actor_mentions(doc, self.lexicon) if m.sentence not in asked]
        named = {k for o in mentions for k in range(o.first, o.last)}
        stats = self.stats.setdefault(g, {})
        for m in mentions:
            s = stats.get(m.actor)
            if s is None:
                s = stats[m.actor] = {"kind": m.kind, "refers_to": m.refers_to, "mentions": 0, "n_docs": 0,
                                      "last_doc": -1, "as_subject": 0, "pred": Counter(), "attr": Counter(),
                                      "context": Counter(), "subject_ex": [], "other_ex": []}
            s["context"].update(_context_words(doc, m, self.context_window, named))
            s["mentions"] += 1
            if s["last_doc"] != d:
                s["n_docs"] += 1
                s["last_doc"] = d
            if m.subject:
                s["as_subject"] += 1
                s["pred"].update(m.predicates)
            if m.attribute:
                s["attr"][m.attribute] += 1
            bucket = s["subject_ex"] if m.subject else s["other_ex"]
            if len(bucket) < self.max_examples:
                bucket.append(_example(doc, m.start, m.end))
        if self.n_docs % PRUNE_EVERY == 0:
            self.prune()

    def merge(self, other: ActorCounts) -> None:
        """Add the statistics of ``other`` (filled from later documents), then prune if over the limit."""
        self.labels |= other.labels
        for g, table in other.stats.items():
            stats = self.stats.setdefault(g, {})
            for actor, s in table.items():
                mine = stats.get(actor)
                if mine is None:
                    s["last_doc"] = -1  # document positions are the other accumulator's
                    stats[actor] = s
                    continue
                for name in ("mentions", "n_docs", "as_subject"):
                    mine[name] += s[name]
                for name in ("pred", "attr", "context"):
                    mine[name].update(s[name])
                for name in ("subject_ex", "other_ex"):
                    mine[name].extend(s[name][:max(0, self.max_examples - len(mine[name]))])
        self.n_docs += other.n_docs
        self.prune()

    def prune(self) -> None:
        if sum(len(t) for t in self.stats.values()) > self.max_actors:
            _prune(self.stats, lambda s: s["mentions"], self.max_actors)

    def relabel(self, labels: dict[Hashable, Hashable]) -> None:
        items = list(self.stats.items())
        self.stats = {labels.get(g, g): v for g, v in items}
        self.labels = {labels.get(g, g) for g in self.labels}

    def table(self, top_n: int = 20, top_words: int = 8) -> pd.DataFrame:
        rows = []
        for g, stats in self.stats.items():
            for actor, s in stats.items():
                rows.append({"group": g, "actor": actor, "kind": s["kind"], "refers_to": s["refers_to"],
                             "mentions": s["mentions"], "n_docs": s["n_docs"], "as_subject": s["as_subject"],
                             "top_predicates": _top(s["pred"], top_words), "top_attributes": _top(s["attr"], top_words),
                             "top_context": _top(s["context"], top_words),
                             "examples": (s["subject_ex"] + s["other_ex"])[:self.max_examples]})
        out = []
        for g in _group_order(self.labels):
            out.extend(sorted((r for r in rows if r["group"] == g), key=lambda r: (-r["mentions"], r["actor"]))[:top_n])
        return pd.DataFrame(out, columns=list(ACTOR_COLUMNS))


def _context_words(doc: Document, m: ActorMention, window: int, named: set[int]) -> set[str]:
    """Content words near a mention in its sentence (no function words, numbers, or actor names: ``named``)."""
    seg, tok = doc.segmentation, _tokens(doc)
    s0, s1 = seg.sentence_tokens(m.sentence)
    out = set()
    for k in range(max(s0, m.first - window), min(s1, m.last + window)):
        w = tok.norm[k]
        if k in named or w in STOPWORDS or len(w) < 3 or w[0].isdigit() or w in _SKIP_TO_PREDICATE:
            continue
        out.add(w)
    return out


def _top(counter: Counter, n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def resources(known: str | Path | None = "formulae", lexicon: str | Path = "actors") -> list[dict[str, str]]:
    """Provenance of what the three analyses use, for a run record or a methods section.

    The formulae and actors lexicons (:meth:`Lexicon.provenance`: name, version,
    sha256 …) and the ``wordfreq`` package whose English list is the prior of
    :func:`distinctive_terms`.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        wf_version = version("wordfreq")
    except PackageNotFoundError:  # pragma: no cover
        wf_version = "unknown"
    out = [load_lexicon(lexicon).provenance()]
    if known is not None:
        out.append(load_lexicon(known).provenance())
    out.append({"name": "wordfreq", "version": wf_version, "source": "Speer R. (2022) wordfreq v3, English "
                "'best' list (prior of distinctive_terms)", "licence": "Apache-2.0 code; CC BY-SA 4.0 data"})
    return out

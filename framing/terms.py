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

import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
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


def normalised_tokens(doc: Document) -> list[str]:
    """Lower-case tokens of ``doc`` with a possessive ``'s`` stripped ("China's" -> "china")."""
    return list(_tokens(doc).norm)


def _is_edge_word(token: str, stopwords: frozenset[str]) -> bool:
    """May this token start or end a term? (not a function word, not a number, not a lone letter)."""
    return len(token) > 1 and token not in stopwords and not _DIGIT_RE.match(token)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
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
                parts.append(_singular(piece))
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


def prior_frequencies(terms: Sequence[tuple[str, ...]]) -> np.ndarray:
    """General-English prior frequency of each term (tuple of tokens), from ``wordfreq``.

    Unigrams: ``wordfreq.word_frequency(w, "en")`` (floor 1e-9). N-grams back off
    to wordfreq's own rule for multi-word strings, ``1 / f = sum_i 1 / f_i``
    (dominated by the rarest word), computed from the cached unigram values.
    Values are relative within one n-gram order; the caller normalises them.
    """
    out = np.empty(len(terms))
    for k, words in enumerate(terms):
        out[k] = 1.0 / sum(1.0 / _wordfreq(w) for w in words)
    return out


def _log_odds(y_i: np.ndarray, y_j: np.ndarray, alpha: np.ndarray, n_i: float, n_j: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al. (2008) eq. 16 and 19: log-odds ratio with Dirichlet prior ``alpha`` and its z-score."""
    a0 = alpha.sum()
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
    n_min, n_max = ngram_range
    counts: dict[Hashable, Counter] = {g: Counter() for g in labels}
    doc_freq: dict[Hashable, Counter] = {g: Counter() for g in labels}
    for doc, g in zip(docs, groups):
        if g is None:
            continue
        tok = _tokens(doc)
        seen = Counter(tok.norm[i:j] for i, j in _ngrams(tok, n_min, n_max, stopwords))
        counts[g].update(seen)
        doc_freq[g].update(seen.keys())
    total: Counter = Counter()
    for c in counts.values():
        total.update(c)
    rows: list[dict[str, Any]] = []
    for order in range(n_min, n_max + 1):
        vocab = sorted(t for t in total if len(t) == order)
        if not vocab:
            continue
        y_all = np.array([total[t] for t in vocab], dtype=float)
        n_all = y_all.sum()
        p = y_all / n_all
        if prior == "wordfreq":
            wf = prior_frequencies(vocab)
            p = 0.5 * p + 0.5 * wf / wf.sum()
        alpha = prior_weight * n_all * p
        for g in labels:
            y_i = np.array([counts[g][t] for t in vocab], dtype=float)
            n_i = y_i.sum()
            delta, z = _log_odds(y_i, y_all - y_i, alpha, n_i, n_all - n_i)
            keep = np.flatnonzero((y_i >= min_count) & (z > 0))
            for k in keep:
                rows.append({"group": g, "terms": vocab[k], "n": int(y_i[k]), "n_rest": int(y_all[k] - y_i[k]),
                             "docs_in_group": doc_freq[g][vocab[k]], "log_odds": float(delta[k]),
                             "z": float(z[k])})
    return _finish_terms(rows, docs, groups, labels, top_n, n_min, n_max, stopwords, max_examples)


def _finish_terms(rows: list[dict[str, Any]], docs: Sequence[Document], groups: list[Hashable],
                  labels: list[Hashable], top_n: int, n_min: int, n_max: int, stopwords: frozenset[str],
                  max_examples: int) -> pd.DataFrame:
    out: list[dict[str, Any]] = []
    for g in labels:
        cands = sorted((r for r in rows if r["group"] == g), key=lambda r: (-r["z"], " ".join(r["terms"])))
        chosen: list[dict[str, Any]] = []
        for r in cands:
            if len(chosen) >= top_n:
                break
            if any(_contains(c["terms"], r["terms"]) and c["n"] == r["n"] for c in chosen):
                continue
            chosen = [c for c in chosen if not (_contains(r["terms"], c["terms"]) and c["n"] == r["n"])]
            chosen.append(r)
        chosen.sort(key=lambda r: (-r["z"], " ".join(r["terms"])))
        _attach_examples(chosen, [d for d, gg in zip(docs, groups) if gg == g], n_min, n_max, stopwords,
                         max_examples)
        out.extend(chosen)
    for r in out:
        r["term"] = " ".join(r.pop("terms"))
    return pd.DataFrame(out, columns=list(TERM_COLUMNS))


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
        tok = _tokens(doc)
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
    doc: int
    first: int
    last: int
    key: str
    kind: str


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
    labels = _group_order(groups)
    matcher, _ = _formula_matcher(known)
    fixed: list[_Occurrence] = []
    key_counts: Counter = Counter()  # (group, key) -> n-gram occurrences
    keyed: dict[int, list[tuple[int, int, str]]] = {}
    for d, (doc, g) in enumerate(zip(docs, groups)):
        if g is None:
            continue
        tok = _tokens(doc)
        fixed.extend(_fixed_occurrences(d, doc, tok, matcher, stopwords))
        keyed[d] = _keyed_ngrams(tok, min_n, max_n, stopwords)
        key_counts.update((g, key) for _, _, key in keyed[d])
    candidates = _top_candidates(key_counts, min_count, max(200, 10 * top_n))
    ngram_occ = [_Occurrence(d, i, j, key, "repeated") for d, items in keyed.items() for i, j, key in items
                 if (groups[d], key) in candidates]
    repeated = _repeated(ngram_occ, fixed, groups, min_count)
    return _formula_table(fixed + repeated, key_counts, docs, groups, labels, top_n, max_examples)


def _top_candidates(key_counts: Counter, min_count: int, cap: int) -> set[tuple[Hashable, str]]:
    """The ``cap`` most frequent n-gram keys of each group with at least ``min_count`` uses.

    Sub-phrase merging only lowers counts, so phrases beyond the cap could not reach the
    top of the table; the cap keeps large corpora fast.
    """
    by_group: dict[Hashable, list[tuple[int, str]]] = defaultdict(list)
    for (g, key), n in key_counts.items():
        if n >= min_count:
            by_group[g].append((n, key))
    out: set[tuple[Hashable, str]] = set()
    for g, items in by_group.items():
        items.sort(key=lambda nk: (-nk[0], nk[1]))
        out.update((g, key) for _, key in items[:cap])
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


def _fixed_occurrences(d: int, doc: Document, tok: _Tokens, matcher: PhraseMatcher | None,
                       stopwords: frozenset[str]) -> list[_Occurrence]:
    """Known-formula matches, and quoted expressions (a quote around a known formula marks it quoted)."""
    out: list[_Occurrence] = []
    if matcher is not None:
        for m in matcher.find(list(tok.norm)):
            canonical = m.entry.extra[0] if m.entry.extra and m.entry.extra[0] else m.entry.term
            out.append(_Occurrence(d, m.first, m.last, canonical, "known"))
    for first, last in _quoted_token_ranges(doc):
        inside = [o for o in out if o.kind.startswith("known") and first <= o.first and o.last <= last]
        if inside and sum(o.last - o.first for o in inside) >= (last - first) / 2:
            for o in inside:
                o.kind = "known+quoted"
            continue
        key = skeleton(tok.norm[first:last], stopwords)
        if key:
            out.append(_Occurrence(d, first, last, key, "quoted"))
    return out


def _repeated(ngram_occ: list[_Occurrence], fixed: list[_Occurrence], groups: list[Hashable],
              min_count: int) -> list[_Occurrence]:
    """N-gram keys used at least ``min_count`` times in a group, longest first, sub-phrases merged."""
    by_key: dict[tuple[Hashable, str], list[_Occurrence]] = defaultdict(list)
    for o in ngram_occ:
        by_key[(groups[o.doc], o.key)].append(o)
    covered: dict[int, set[int]] = defaultdict(set)
    fixed_keys = {(groups[o.doc], o.key) for o in fixed}
    for o in fixed:
        covered[o.doc].update(range(o.first, o.last))
    cands = [(gk, occ) for gk, occ in by_key.items() if gk not in fixed_keys]
    cands.sort(key=lambda c: (-len(c[0][1].split()), -len(c[1]), str(c[0][0]), c[0][1]))
    out: list[_Occurrence] = []
    for _, occ in cands:
        free = [o for o in occ if any(k not in covered[o.doc] for k in range(o.first, o.last))]
        # an occurrence can be counted once per position (two surface n-grams may share a key)
        positions = {(o.doc, o.first, o.last) for o in free}
        if len(positions) < min_count:
            continue
        seen: set[tuple[int, int, int]] = set()
        for o in occ:
            if (o.doc, o.first, o.last) not in seen:
                seen.add((o.doc, o.first, o.last))
                out.append(o)
                covered[o.doc].update(range(o.first, o.last))
    return out


def _formula_table(occurrences: list[_Occurrence], key_counts: Counter, docs: Sequence[Document],
                   groups: list[Hashable], labels: list[Hashable], top_n: int, max_examples: int) -> pd.DataFrame:
    by_key: dict[tuple[Hashable, str], list[_Occurrence]] = defaultdict(list)
    for o in occurrences:
        by_key[(groups[o.doc], o.key)].append(o)
    # how often each key occurs anywhere (listed or not), for other_groups: n-grams, else known/quoted hits
    anywhere: dict[str, Counter] = defaultdict(Counter)
    for (g, key), n in key_counts.items():
        anywhere[key][g] = n
    fixed_counts = Counter((o.key, groups[o.doc]) for o in occurrences if o.kind != "repeated")
    for (key, g), n in fixed_counts.items():
        anywhere[key][g] = max(anywhere[key][g], n)
    rows: list[dict[str, Any]] = []
    for (g, key), occ in by_key.items():
        occ = sorted(occ, key=lambda o: (o.doc, o.first))
        surfaces: Counter = Counter()
        examples = []
        for o in occ:
            start, end = _span(docs[o.doc], o.first, o.last)
            surfaces[_POSSESSIVE_END.sub("", docs[o.doc].body[start:end])] += 1
            if len(examples) < max_examples and all(e["doc_id"] != docs[o.doc].id for e in examples):
                examples.append(_example(docs[o.doc], start, end))
        for o in occ:  # fill up with second occurrences when there are few documents
            if len(examples) >= max_examples:
                break
            start, end = _span(docs[o.doc], o.first, o.last)
            if all((e["doc_id"], e["start"]) != (docs[o.doc].id, start) for e in examples):
                examples.append(_example(docs[o.doc], start, end))
        variants = [s for s, _ in sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0]))]
        kinds = sorted({k for o in occ for k in o.kind.split("+")}, key=("known", "quoted", "repeated").index)
        other = {str(h): n for h, n in sorted(anywhere[key].items(), key=lambda kv: str(kv[0])) if h != g and n}
        rows.append({"group": g, "phrase": variants[0], "count": len(occ), "n_docs": len({o.doc for o in occ}),
                     "kind": "+".join(kinds), "key": key, "variants": variants, "other_groups": other,
                     "examples": examples})
    out = []
    for g in labels:
        mine = sorted((r for r in rows if r["group"] == g),
                      key=lambda r: (-r["count"], -r["n_docs"], r["phrase"].lower(), r["key"]))
        marked = [r for r in mine if r["kind"] != "repeated"][:top_n]
        repeated = [r for r in mine if r["kind"] == "repeated"][:top_n]
        out.extend(r for r in mine if any(r is x for x in marked + repeated))
    return pd.DataFrame(out, columns=list(FORMULA_COLUMNS))


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
    labels = _group_order(groups)
    stats: dict[tuple[Hashable, str], dict[str, Any]] = {}
    for doc, g in zip(docs, groups):
        if g is None:
            continue
        mentions = find_actor_mentions(doc, lexicon)
        named = {k for o in mentions for k in range(o.first, o.last)}
        for m in mentions:
            s = stats.setdefault((g, m.actor), {"kind": m.kind, "refers_to": m.refers_to, "mentions": 0,
                                                "docs": set(), "as_subject": 0, "pred": Counter(),
                                                "attr": Counter(), "context": Counter(), "subject_ex": [],
                                                "other_ex": []})
            s["context"].update(_context_words(doc, m, context_window, named))
            s["mentions"] += 1
            s["docs"].add(doc.id)
            if m.subject:
                s["as_subject"] += 1
                s["pred"].update(m.predicates)
            if m.attribute:
                s["attr"][m.attribute] += 1
            bucket = s["subject_ex"] if m.subject else s["other_ex"]
            if len(bucket) < max_examples:
                bucket.append(_example(doc, m.start, m.end))
    rows = []
    for (g, actor), s in stats.items():
        rows.append({"group": g, "actor": actor, "kind": s["kind"], "refers_to": s["refers_to"],
                     "mentions": s["mentions"], "n_docs": len(s["docs"]), "as_subject": s["as_subject"],
                     "top_predicates": _top(s["pred"], top_words), "top_attributes": _top(s["attr"], top_words),
                     "top_context": _top(s["context"], top_words), "examples": (s["subject_ex"] + s["other_ex"])[:max_examples]})
    out = []
    for g in labels:
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

"""Aligned claims: the official side's key sentences beside the other groups' sentences about the same thing.

Offline and transparent: no embedding model. A sentence is a bag of content
words (lower-case, stopwords and numbers out, a crude singular), weighted by
inverse document frequency over all sentences of the corpus; the words of the
official formulae weigh double. Two
sentences match by the cosine of these vectors, and the words they share are
shown, so the reader sees why they were paired.

Key sentences (:func:`key_sentences`) are the official group's sentences in
the author's own voice with the most distinctive official terms, formulae and
stance cues (at most one per document). For each, :func:`aligned_claims` keeps
the best-matching sentences of other documents (one per document), each with
its voice and its stance cues (modality, hedges, evaluation, attribution).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .terms import STOPWORDS, singular

if TYPE_CHECKING:  # pragma: no cover
    from .compare import Comparison
    from .pipeline import Analysis

__all__ = ["ALIGNED_COLUMNS", "aligned_claims", "content_words", "cosine", "key_sentences"]

#: Columns of :func:`aligned_claims`.
ALIGNED_COLUMNS = ("claim", "key_doc_id", "key_sentence", "key_cues", "rank", "doc_id", "group", "sentence",
                   "voice", "cues", "similarity", "shared")

#: Evidence categories shown as a sentence's stance cues, by extractor.
STANCE_CATEGORIES = {
    "framing": {"deontic", "epistemic", "institutional", "analytic"},
    "hedging": {"hedge", "booster", "attitude"},
    "promotional": {"evaluative", "loaded", "puffery", "doubt", "framing_verb", "contentious_label"},
    "credibility": {"named_attribution", "vague_attribution", "quote"},
    "source_type": {"diplomatic", "interpretive", "metonymy"},
}
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]+")
MIN_WORDS, MAX_WORDS = 8, 70
#: Fewest content words of a key sentence, and fewest things a pair shares (the words of one name count once).
MIN_CONTENT, MIN_SHARED = 6, 2
#: A speaker label opening a transcript turn ("QUESTION:", "MR PRICE:", "SECRETARY BLINKEN:").
SPEAKER_LABEL = re.compile(r"^\s*(?:[A-Z][A-Z.'’ -]{1,40}|Question|Q|A):\s*")


def content_words(text: str) -> list[str]:
    """Lower-case content words of ``text`` (stopwords, short words and possessive 's out), each in its crude
    singular (:func:`framing.terms.singular`: "opportunities" is shown as "opportunity", not "opportunitie")."""
    out = []
    for w in _WORD_RE.findall(text):
        w = w.lower().replace("’", "'")
        w = w[:-2] if w.endswith("'s") else w.strip("'-")
        if len(w) < 3 or w in STOPWORDS:
            continue
        out.append(singular(w))
    return out


def name_units(text: str) -> dict[str, int]:
    """Content word -> the name it is part of in ``text``, for the words of a name of two words or more (a run of
    capitalised words: "Middle East", "French Foreign Minister Jean-Yves Le Drian"), which share a number; the
    other words are not listed (each is a thing of its own). Small: it is kept for every candidate sentence."""
    runs: dict[int, list[str]] = {}
    run, previous_end = -1, -1
    for i, m in enumerate(_WORD_RE.finditer(text)):
        capital = m.group()[0].isupper()
        joined = capital and previous_end >= 0 and not text[previous_end:m.start()].strip()
        run = run if joined else i
        previous_end = m.end() if capital else -1
        if capital:
            runs.setdefault(run, []).extend(content_words(m.group()))
    return {w: run for run, words in runs.items() if len(set(words)) > 1 for w in words}


def _shared_units(shared: set[str], *sentences: dict[str, int]) -> int:
    """How many things ``shared`` words name: the words of one name ("United States": "united", "state") count
    once, in whichever sentence they form it."""
    return min(len({units.get(w, w) for w in shared}) for units in sentences)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _vector(words: Iterable[str], idf: dict[str, float], boost: set[str]) -> dict[str, float]:
    counts = Counter(words)
    return {w: (1 + math.log(c)) * idf.get(w, 1.0) * (2.0 if w in boost else 1.0) for w, c in counts.items()}


def _sentences(doc: Any) -> list[tuple[int, str]]:
    """(index, text) of the document's sentences of a claim's length, transcript speaker labels removed."""
    out = []
    for i, (s, e) in enumerate(doc.segmentation.sentences):
        text = SPEAKER_LABEL.sub("", " ".join(doc.body[s:e].split()))
        if MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            out.append((i, text))
    return out


def _cues_by_sentence(comp: Comparison) -> dict[tuple[str, int], list[str]]:
    ev = comp.evidence
    out: dict[tuple[str, int], list[str]] = {}
    if ev.empty:
        return out
    for d, s, x, cat, cue in zip(ev["doc_id"], ev["sentence"], ev["extractor"], ev["category"], ev["cue"]):
        if cat in STANCE_CATEGORIES.get(x, ()):
            label = f"{cat.replace('_', ' ')}: {cue}"
            items = out.setdefault((str(d), int(s)), [])
            if label not in items:
                items.append(label)
    return out


def _sentence_voice(doc: Any, si: int) -> str:
    att = doc.attribution
    if si in att.questioner_sentences:
        return "questioner"
    s, e = doc.segmentation.sentences[si]
    if si in att.reported_sentences:
        return "reported"
    if any(qs < e and qe > s for qs, qe in att.quotes):
        return "contains a quotation"
    return "author"


def _official_vocabulary(comp: Comparison, official: str, top: int = 60) -> dict[str, float]:
    """Content word -> weight: the official group's distinctive terms (by z) and formula words."""
    weights: dict[str, float] = {}
    t = comp.terms
    if not t.empty and {"group", "term", "z"} <= set(t.columns):
        for term, z in t.loc[t["group"] == official, ["term", "z"]].head(top).itertuples(index=False):
            for w in content_words(str(term)):
                weights[w] = max(weights.get(w, 0.0), max(float(z), 0.0) / 2 + 1.0)
    f = comp.formulae
    if not f.empty and {"group", "phrase"} <= set(f.columns):
        for phrase in f.loc[f["group"] == official, "phrase"].head(top):
            for w in content_words(str(phrase)):
                weights[w] = max(weights.get(w, 0.0), 2.0)
    return weights


def key_sentences(analysis: Analysis, comp: Comparison, official: str, n: int = 6) -> list[tuple[str, int, str]]:
    """The official group's most telling sentences: ``(doc id, sentence index, text)``, spread over its documents
    (at most ``ceil(n / documents)`` from one document).

    Score = the summed weights of the official vocabulary it contains plus one per stance cue, over the
    square root of its length; author-voice sentences only (not questions, not quotations).
    """
    vocab = _official_vocabulary(comp, official)
    cues = _cues_by_sentence(comp)
    group_of = dict(zip(comp.documents["id"], comp.documents["group"]))
    best: list[tuple[float, str, int, str]] = []
    n_docs = sum(1 for d in analysis.documents if group_of.get(d.id) == official)
    per_doc = max(1, math.ceil(n / max(n_docs, 1)))
    for doc in analysis.documents:
        if group_of.get(doc.id) != official:
            continue
        scored = []
        for si, text in _sentences(doc):
            words = content_words(text)
            if _sentence_voice(doc, si) != "author" or len(set(words)) < MIN_CONTENT:
                continue
            hits = [vocab[w] for w in set(words) if w in vocab]
            if len(hits) < 2:
                continue
            # fsum: exact whatever the set's order (a plain sum's rounding followed the hash seed, so ties
            # between key sentences, and the sentences chosen, changed from run to run)
            score = (math.fsum(hits) + len(cues.get((doc.id, si), []))) / max(len(words), 1) ** 0.25
            scored.append((score, si, text))
        for score, si, text in sorted(scored, key=lambda x: (-x[0], x[1]))[:per_doc]:
            best.append((-score, doc.id, si, text))
    best.sort()
    return [(d, si, text) for _s, d, si, text in best[:n]]


OFFICIAL = "official"  # the group whose key sentences are aligned (framing.compare.OFFICIAL)


def aligned_claims(analysis: Analysis, comp: Comparison, n_claims: int = 6, per_claim: int = 2,
                   min_similarity: float = 0.12) -> pd.DataFrame:
    """For each official key sentence, the ``per_claim`` most similar sentences of other groups (:data:`ALIGNED_COLUMNS`).

    Pairs below ``min_similarity`` (cosine) are dropped: a key sentence may have no counterpart.
    Empty without an official group and another group.
    """
    if OFFICIAL not in comp.groups or len(comp.groups) < 2:
        return pd.DataFrame(columns=list(ALIGNED_COLUMNS))
    group_of = dict(zip(comp.documents["id"], comp.documents["group"]))
    keys = key_sentences(analysis, comp, OFFICIAL, n_claims)
    if not keys:
        return pd.DataFrame(columns=list(ALIGNED_COLUMNS))
    others = [(doc, si, text, content_words(text)) for doc in analysis.documents
              if group_of.get(doc.id) not in (None, OFFICIAL) for si, text in _sentences(doc)]
    key_words = [content_words(text) for _d, _s, text in keys]
    df = Counter(w for ws in key_words + [o[3] for o in others] for w in set(ws))
    n = len(others) + len(keys)
    idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
    boost = _boosted(comp)
    cues = _cues_by_sentence(comp)
    wanted = set().union(*map(set, key_words))
    others = [o for o in others if len(wanted.intersection(o[3])) >= MIN_SHARED]
    vectors = [_vector(o[3], idf, boost) for o in others]
    other_units: dict[int, dict[str, int]] = {}  # the candidates' names, found when first needed
    rows = []
    for c, ((kd, ks, ktext), kw) in enumerate(zip(keys, key_words), start=1):
        kv = _vector(kw, idf, boost)
        best: dict[str, tuple[float, Any, int, str, list[str]]] = {}
        key_set, key_units = set(kw), name_units(ktext)
        for i, ((doc, si, text, words), vector) in enumerate(zip(others, vectors)):
            shared = key_set.intersection(words)
            if len(shared) < MIN_SHARED:
                continue
            if i not in other_units:
                other_units[i] = name_units(text)
            if _shared_units(shared, key_units, other_units[i]) < MIN_SHARED:  # one name is one thing shared
                continue
            sim = cosine(kv, vector)
            if sim >= min_similarity and (doc.id not in best or sim > best[doc.id][0]):
                best[doc.id] = (sim, doc, si, text, words)
        ranked = sorted(best.values(), key=lambda x: (-round(x[0], 12), x[1].id, x[2]))[:per_claim]
        for rank, (sim, doc, si, text, words) in enumerate(ranked, start=1):
            shared = sorted(set(kw) & set(words), key=lambda w: (-idf.get(w, 0), w))[:8]
            rows.append((c, kd, ktext, "; ".join(cues.get((kd, ks), [])), rank, doc.id, group_of[doc.id], text,
                         _sentence_voice(doc, si), "; ".join(cues.get((doc.id, si), [])), round(sim, 4),
                         ", ".join(shared)))
    return pd.DataFrame(rows, columns=list(ALIGNED_COLUMNS))


def _boosted(comp: Comparison) -> set[str]:
    """Words that weigh double: the words of the formulae (not the actors' names, whose commonest words,
    "united", "state", would pair any two sentences that name the same country)."""
    words: set[str] = set()
    for table, col in ((comp.formulae, "phrase"),):
        if not table.empty and col in table.columns:
            for value in table[col].astype(str):
                words.update(content_words(value))
    return words

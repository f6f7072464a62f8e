"""What the report says: ranked differences in plain sentences, exemplar sentences, number formatting.

Shared by the HTML and Markdown writers so both say the same thing from the
same tables. Nothing here reads documents: only :class:`~framing.compare.Comparison`
tables (which are also written to CSV).

Two regimes, chosen per comparison:

* **tested** — every group has at least two documents (or resampling units):
  differences are ranked by the absolute Cliff's delta, with the bootstrap CI
  of each group mean and the Benjamini-Hochberg q;
* **descriptive** — a group has a single document: no test is possible, so a
  feature is reported only when the groups' per-document values do not
  overlap at all, ranked by the gap between the groups as a share of the
  feature's full range across documents, and the sentence gives every value.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..compare import Comparison, arrow_strings
from ..segment import TITLES

__all__ = [
    "Difference",
    "Exemplar",
    "exemplars",
    "fmt",
    "group_exemplars",
    "headline_features",
    "is_tested",
    "overview_sentence",
    "ranked_differences",
    "stands_alone",
]


#: Above this many documents, value tables show group summaries instead of one column per document.
MAX_DOCUMENT_COLUMNS = 12
#: Exemplar sentences shown per group and feature family, at most.
MAX_EXEMPLARS_PER_GROUP = 6


def fmt(x: Any, digits: int = 2) -> str:
    """Fixed, locale-free number formatting: '–' for missing, fewer decimals for larger numbers."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, (bool, np.bool_)):
        return "yes" if x else "no"
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    v = float(x)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e6:  # counts stored as floats (NaN-capable columns)
        return f"{int(v):,}"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 0.01:
        return f"{v:.{digits}f}"
    if a >= 0.001:
        return f"{v:.4f}"
    return f"{v:.1e}"


def fmt_effect(x: Any) -> str:
    """An effect size with its sign and two decimals ('+0.83', '-1.00'); '–' when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{float(x):+.2f}"


def fmt_p(p: Any) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


_DIRECTION_WORDS = ("higher", "lower", "0..1", "1 if", "+1", "-1")


def _is_integer_valued(values: pd.Series) -> bool:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(v)) and bool((v == v.round()).all())


def headline_features(comp: Comparison) -> list[str]:
    """Feature columns worth ranking and showing first: scores, rates and shares, not the raw counts behind them.

    A column is a raw count (shown only on request) when it ends in ``_count``,
    when a ``<name>_per_1k`` sibling exists, or when its description states no
    direction ("higher = ...", "0..1", "1 if ...") and all its values are integers.
    """
    present = set(comp.features["feature"])
    keep = []
    for f, desc in zip(comp.features["feature"], comp.features["description"]):
        if f.endswith("_count") or f + "_per_1k" in present:
            continue
        if not any(w in desc for w in _DIRECTION_WORDS) and _is_integer_valued(comp.documents[f]):
            continue
        keep.append(f)
    return keep


def is_binary(values: Any) -> bool:
    """True when every non-missing value is 0 or 1."""
    v = pd.to_numeric(pd.Series(list(values)), errors="coerce").dropna()
    return bool(len(v)) and bool(v.isin([0, 1]).all())


def small_groups_sentence(sizes: dict[str, int]) -> str:
    """'There is only one official document (against 3 commentary documents).' for groups of one document."""
    single = [g for g, n in sizes.items() if n < 2]
    others = [f"{n} {g} document{'s' if n != 1 else ''}" for g, n in sizes.items() if g not in single]
    if len(single) == 1:
        against = f" (against {', '.join(others)})" if others else ""
        return f"There is only one {single[0]} document{against}."
    return f"These groups have a single document each: {', '.join(single)}."


def one_group_sentence(comp: Comparison) -> str:
    """What a report of a single group can say ('' with two groups or more): that nothing is compared."""
    if len(comp.groups) >= 2:
        return ""
    sizes = comp.group_sizes()
    group = comp.groups[0] if comp.groups else "(none)"
    n = sizes.get(group, len(comp.documents))
    return (f"Only one group: '{group}' ({n} document{'s' * (n != 1)}). There is nothing to compare, so no finding, "
            "test or effect size is given; each document's values are in the tables below and in documents.csv. "
            "To compare, declare roles in metadata (official, news, commentary, promotional) or group by a column "
            "(--by COLUMN).")


def significance_note(comp: Comparison, alpha: float = 0.05) -> tuple[str, bool]:
    """What the tests can and do say, as ``(plain text, is_a_caveat)``; ``("", False)`` without tests.

    Says plainly when the groups are too small for any permutation p-value to
    reach ``alpha`` (e.g. 2 vs 2 documents: the smallest p is 1/3), or when no
    feature survives the Benjamini-Hochberg correction.
    """
    from ..stats import min_achievable_pvalue

    first = comp.comparison[comp.comparison["group"] == comp.groups[0]]
    q = pd.to_numeric(first["q"], errors="coerce").dropna()
    if q.empty:
        return "", False
    sizes = comp.group_sizes()
    n_a = sizes[comp.groups[0]]
    n_b = sum(n for g, n in sizes.items() if g != comp.groups[0])
    floor = min_achievable_pvalue(n_a, n_b) if min(n_a, n_b) < 30 else 0.0  # (C(n, k) overflows a float)
    small = f" With {n_a} and {n_b} documents the bootstrap intervals are crude." if min(n_a, n_b) < 5 else ""
    if floor >= alpha:
        return ((f"With {n_a} {comp.groups[0]} and {n_b} other documents, the smallest p-value a permutation test "
                f"can give is {floor:.3f}: no difference can reach p < {alpha} at this size, so the effects below "
                f"describe these documents and test nothing.{small}"), True)
    n_sig = int((q < alpha).sum())
    if n_sig == 0:
        return ((f"None of the {len(q)} features differs at q < {alpha} after correcting for multiple comparisons "
                f"(smallest q = {fmt_p(float(q.min()))}). The differences below are the largest effects observed, "
                f"not established ones.{small}"), True)
    versus = f" ({comp.groups[0]} against the other groups)" if len(comp.groups) > 2 else ""
    return (f"{n_sig} of {len(q)} features differ at q < {alpha}{versus} after the Benjamini-Hochberg "
            f"correction.{small}"), False


def is_tested(comp: Comparison) -> bool:
    """True when every group has at least two documents, so a permutation test is possible."""
    sizes = comp.group_sizes()
    return bool(sizes) and len(sizes) >= 2 and min(sizes.values()) >= 2


@dataclass(frozen=True)
class Difference:
    """One ranked difference between a group and its reference."""

    feature: str
    extractor: str
    label: str
    description: str
    group: str
    reference: str
    direction: str            # "higher" or "lower": the group relative to the reference
    score: float              # |Cliff's delta| (tested) or gap share of range (descriptive)
    group_values: tuple[float, ...]
    reference_values: tuple[float, ...]
    row: dict[str, Any]       # the comparison.csv row of the group


def _values(comp: Comparison, feature: str, groups: list[str]) -> np.ndarray:
    docs = comp.documents
    v = pd.to_numeric(docs.loc[docs["group"].isin(groups), feature], errors="coerce").to_numpy(dtype=float)
    return v[~np.isnan(v)]


def ranked_differences(comp: Comparison, limit: int | None = 10, per_family: int | None = 2) -> list[Difference]:
    """The largest differences between each group and its reference, largest first.

    Tested regime: all features with a Cliff's delta, by ``|delta|`` then ``|g|``.
    Descriptive regime: only features whose group values and reference values
    do not overlap, by the gap between them over the feature's range.
    With two groups only the first (e.g. official vs commentary) is listed,
    the other being its mirror image. At most ``per_family`` differences per
    extractor are kept, so one family of correlated measures (six readability
    grades) cannot fill the list.
    """
    labels = comp.features.set_index("feature")
    tested = is_tested(comp)
    groups = comp.groups[:1] if len(comp.groups) == 2 else comp.groups
    out: list[Difference] = []
    rows = comp.comparison
    for feature in headline_features(comp):
        for group in groups:
            sel = rows[(rows["feature"] == feature) & (rows["group"] == group)]
            if sel.empty:
                continue
            row = sel.iloc[0].to_dict()
            others = [g for g in comp.groups if g != group]
            a, b = _values(comp, feature, [group]), _values(comp, feature, others)
            if len(a) == 0 or len(b) == 0:
                continue
            if tested:
                delta = row.get("cliffs_delta", float("nan"))
                if delta is None or math.isnan(delta) or delta == 0:
                    continue
                score = abs(float(delta))
                direction = "higher" if delta > 0 else "lower"
            else:
                lo = max(a.min(), b.min())
                hi = min(a.max(), b.max())
                if lo <= hi:  # ranges overlap (or touch): nothing to say without a test
                    continue
                span = max(a.max(), b.max()) - min(a.min(), b.min())
                score = float((lo - hi) / span) if span > 0 else 0.0
                direction = "higher" if a.min() > b.max() else "lower"
            out.append(Difference(feature, str(labels.at[feature, "extractor"]), str(labels.at[feature, "label"]),
                                  str(labels.at[feature, "description"]), group, row.get("reference", "rest"),
                                  direction, score, tuple(sorted(a)), tuple(sorted(b)), row))
    out.sort(key=lambda d: (-round(d.score, 12), -abs(_num(d.row.get("hedges_g"))), d.feature, d.group))
    unique: list[Difference] = []
    for d in out:  # (nearly) the same numbers under two names (all voices vs author voice) are said once
        if not any(_same_numbers(d, u) for u in unique):
            unique.append(d)
    out = unique
    if per_family is not None:
        kept: dict[str, int] = {}
        capped = []
        for d in out:
            kept[d.extractor] = kept.get(d.extractor, 0) + 1
            if kept[d.extractor] <= per_family:
                capped.append(d)
        out = capped
    return out if limit is None else out[:limit]


def _same_numbers(a: Difference, b: Difference, rel: float = 0.02) -> bool:
    """True when two differences of one family give the same values, up to ``rel`` relative difference."""
    if (a.extractor, a.group) != (b.extractor, b.group) or len(a.group_values) != len(b.group_values) or \
            len(a.reference_values) != len(b.reference_values):
        return False
    x = np.array(a.group_values + a.reference_values)
    y = np.array(b.group_values + b.reference_values)
    return bool(np.allclose(x, y, rtol=rel, atol=1e-9))


def _num(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(v) else v


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _range(values: tuple[float, ...]) -> str:
    if len(values) == 1 or min(values) == max(values):
        return fmt(values[0]) if len(values) == 1 else f"{fmt(values[0])} each"
    return f"{fmt(min(values))}–{fmt(max(values))}"


def _q_clause(q: Any) -> str:
    """'q = 0.042', 'q < 0.001' or 'no q'."""
    text = fmt_p(q)
    return "no q" if text == "–" else (f"q {text}" if text.startswith("<") else f"q = {text}")


def _texts(group: str, n: int, quantifier: str = "each of") -> str:
    """'the official text', 'each of the 3 commentary texts', 'the other text', 'each of the 3 other texts'."""
    name = "other" if group == "rest" else group
    return f"the {name} text" if n == 1 else f"{quantifier} the {n} {name} texts"


def overview_sentence(d: Difference, sizes: dict[str, int], tested: bool) -> str:
    """One plain sentence for a difference (plain text; the writers escape it)."""
    n_g = sizes.get(d.group, len(d.group_values))
    reference = d.reference if d.reference != "rest" else "the other groups"
    n_r = len(d.reference_values)
    if tested:
        r = d.row
        return (f"{d.group.capitalize()} texts score {d.direction} on {d.label} "
                f"(mean {fmt(r.get('mean'))}, 95% CI {fmt(r.get('ci_low'))}–{fmt(r.get('ci_high'))}, "
                f"{_plural(n_g, 'document')}) than {reference} "
                f"(mean {fmt(float(np.mean(d.reference_values)))}); Cliff's delta {fmt_effect(r.get('cliffs_delta'))}, "
                f"{_q_clause(r.get('q'))}.")
    if is_binary(d.group_values + d.reference_values) and d.label.startswith("1 if "):
        return _binary_sentence(d, n_g, d.reference, n_r)
    subject = f"The {d.group} text" if n_g == 1 else f"Every {d.group} text"
    obj = f"{_texts(d.reference, n_r)} ({_range(d.reference_values)})"
    return f"{subject} scores {d.direction} on {d.label} ({_range(d.group_values)}) than {obj}."


def separated(comp: Comparison, feature: str) -> bool:
    """True when the first group's per-document values and the others' do not overlap at all."""
    a = _values(comp, feature, comp.groups[:1])
    b = _values(comp, feature, comp.groups[1:])
    return bool(len(a) and len(b)) and (a.min() > b.max() or a.max() < b.min())


def _binary_sentence(d: Difference, n_g: int, reference: str, n_r: int) -> str:
    """'An author is named in each of the 3 commentary texts but not in the official text.'"""
    clause = d.label[len("1 if "):].split(", else")[0].strip()
    yes_group, yes_n, no_group, no_n = ((d.group, n_g, reference, n_r) if d.direction == "higher"
                                        else (reference, n_r, d.group, n_g))
    return f"Yes for {_texts(yes_group, yes_n)}, no for {_texts(no_group, no_n, 'any of')}: {clause}."


def source_type_rows(docs: pd.DataFrame, max_rows: int) -> tuple[pd.DataFrame, int]:
    """The documents a source-type table lists, and how many documents' declared role and detected type disagree.

    At most ``max_rows`` rows, the disagreements first (every document, in order, when there are no more). Rows
    are taken, the table is not copied (at 100,000 documents the documents table is about 0.2 GB)."""
    disagree = (docs["role"].astype(bool) & docs["detected_type"].astype(bool)
                & (docs["role"] != docs["detected_type"])).to_numpy(dtype=bool)
    if len(docs) <= max_rows:
        return docs, int(disagree.sum())
    order = np.concatenate([np.flatnonzero(disagree), np.flatnonzero(~disagree)])[:max_rows]
    return docs.iloc[order], int(disagree.sum())


# ---------------------------------------------------------------------------
# exemplar sentences

@dataclass(frozen=True)
class Exemplar:
    """A sentence with the cues to highlight, as offsets into the sentence."""

    doc_id: str
    group: str
    sentence: int
    text: str
    spans: tuple[tuple[int, int, str, str], ...]  # (start, end, voice, "category: cue")
    notes: tuple[str, ...] = ()  # sentence-level cues (e.g. "long sentence: 41 words")
    score: float = 0.0  # how telling the sentence is (see :func:`exemplars`)


_FIELDS = ("sentence", "start", "end", "voice", "category", "cue", "note", "group", "sentence_start", "sentence_text")
_TEXT = _FIELDS.index("sentence_text")

#: A sentence of fewer words cannot stand alone as evidence ("Roberts pointed out.", its quote split off).
MIN_EXEMPLAR_WORDS = 5
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
#: lower-case words inside a speaker's name or title ("Minister of Foreign Affairs Wang Yi")
_NAME_CONNECTORS = frozenset(("of", "for", "and", "the", "on", "in", "at", "de", "to"))
#: a sentence ending in a title before a name was cut there ("Declared GOP candidates including Sens.")
_CUT_AT_TITLE = re.compile(r"\b(?:" + "|".join(t.capitalize() for t in TITLES) + r")\.[\"'”’)]*\s*$")


def stands_alone(text: str) -> bool:
    """Whether a sentence can be shown alone as evidence.

    Not a fragment of fewer than :data:`MIN_EXEMPLAR_WORDS` words, nor a speaker and a reporting verb only
    ("Foreign Ministry Spokesperson Wang Wenbin said.": capitalised words, then one or two lower-case ones), the
    quotation having been split off into the sentence before, nor a sentence cut at a title before a name
    ("Declared GOP candidates including Sens.").
    """
    words = _WORD_RE.findall(text)
    if len(words) < MIN_EXEMPLAR_WORDS or _CUT_AT_TITLE.search(text):
        return False
    tail = len(words)
    while tail > 0 and not words[tail - 1][0].isupper():
        tail -= 1
    return not (0 < tail and len(words) - tail in (1, 2)
                and all(w[0].isupper() or w in _NAME_CONNECTORS for w in words[:tail]))


def in_headline_case(text: str) -> bool:
    """Whether ``text`` reads as a title: at least three words of four letters or more, three in four of them
    capitalised ("Why Did Rosenstein Write the August 2 Memo?"). A finding's quote is a sentence of the text."""
    long_words = [w for w in _WORD_RE.findall(text) if len(w) >= 4]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


def _standing_first(ranked: list[tuple[int, float]], text_of: Any, limit: int) -> list[tuple[int, float]]:
    """The first ``limit`` of the ranked ``(sentence, score)`` pairs, those whose text (``text_of(sentence)``)
    stands alone before any fragment: a fragment is shown only when too few other sentences are left."""
    alone: list[tuple[int, float]] = []
    fragments: list[tuple[int, float]] = []
    for kv in ranked:
        (alone if stands_alone(text_of(kv[0])) else fragments).append(kv)
        if len(alone) >= limit:
            break
    return (alone + fragments)[:limit]


@dataclass
class _Selection:
    """Where one extractor's (and categories') evidence rows are, per document, with each category's weight.

    Rows become tuples only for the document asked about: a large report's evidence is not copied whole
    into Python objects (it was the peak of a 30,000-document report's memory)."""

    evidence: pd.DataFrame  # held so the cache key (its id) cannot be reused while cached
    rows_of: dict[str, np.ndarray]  # document id -> positions of its selected rows in ``evidence``
    rarity: dict[str, float]

    def __post_init__(self) -> None:
        # the _FIELDS columns' own arrays (views, not copies): a document's rows are taken from them directly,
        # without building a DataFrame per document
        self._columns = [_array_of(self.evidence[c]) for c in _FIELDS]

    def rows(self, doc_id: str) -> list[tuple]:
        at = self.rows_of.get(doc_id)
        if at is None:
            return []
        return list(zip(*(_values_at(col, at) for col in self._columns)))


def _array_of(column: pd.Series) -> Any:
    """A column's values without a copy: its numpy array, Arrow strings as their Arrow array (with the value
    pandas gives a missing one), or its extension array."""
    if isinstance(column.dtype, np.dtype):
        return column.to_numpy()
    arrow = arrow_strings(column)
    return (arrow, column.dtype.na_value) if arrow is not None else column.array


def _values_at(column: Any, at: np.ndarray) -> list:
    """The values at positions ``at`` as Python objects (Arrow's take: pandas' costs 30 µs a call more, and the
    report asks for a few rows of each of thousands of documents)."""
    if isinstance(column, np.ndarray):
        return column[at].tolist()
    if isinstance(column, tuple):
        arrow, missing = column
        values = arrow.take(at).to_pylist()
        return [missing if v is None else v for v in values] if None in values else values
    return column.take(at).tolist()


_SELECTIONS: dict[tuple, _Selection] = {}


def _selection(evidence: pd.DataFrame, extractor: str | None, categories: set[str] | None) -> _Selection:
    """Filter and index the evidence once per (table, extractor, categories), not once per document."""
    key = (id(evidence), extractor, frozenset(categories) if categories is not None else None)
    if key not in _SELECTIONS:
        if any(k[0] != id(evidence) for k in _SELECTIONS):  # a new table: forget the old one
            _SELECTIONS.clear()
        mask = evidence["sentence"] >= 0
        if extractor is not None:
            mask &= evidence["extractor"] == extractor
        if categories is not None:
            mask &= evidence["category"].isin(categories)
        at = np.flatnonzero(mask.to_numpy(dtype=bool))
        counts = evidence["category"].iloc[at].value_counts()
        rarity = {str(c): 1.0 / math.sqrt(int(n)) for c, n in counts.items()}
        doc_ids = evidence["doc_id"].iloc[at].reset_index(drop=True)
        rows_of = {str(d): at[i] for d, i in doc_ids.groupby(doc_ids, sort=False).indices.items()}
        _SELECTIONS[key] = _Selection(evidence, rows_of, rarity)
    return _SELECTIONS[key]


def exemplars(evidence: pd.DataFrame, doc_id: str, extractor: str | None = None, limit: int = 3,
              categories: set[str] | None = None) -> list[Exemplar]:
    """The most telling sentences of a document for one extractor (or all), in reading order.

    A sentence scores ``sum(1 / sqrt(n_category))`` over its cues, where
    ``n_category`` is how often the cue's category fired in the whole corpus
    (for this selection): a rare, specific cue (clickbait, a loaded label)
    outweighs the tenth occurrence of a frequent, diffuse one (a positive
    sentiment word). Cues in the author's own voice count fully, quoted or
    reported ones half. The ``limit`` best sentences are returned in reading order, those that stand alone
    (:func:`stands_alone`) before any fragment.
    """
    selection = _selection(evidence, extractor, categories)
    rows = selection.rows(doc_id)
    if not rows:
        return []
    score: dict[int, float] = {}
    by_sentence: dict[int, list[tuple]] = {}
    for row in rows:
        sentence, voice, category = int(row[0]), row[3], row[4]
        score[sentence] = score.get(sentence, 0.0) + selection.rarity[str(category)] * (
            1.0 if voice == "author" else 0.5)
        by_sentence.setdefault(sentence, []).append(row)
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    top = _standing_first(ranked, lambda s: str(by_sentence[s][0][_TEXT]), limit)
    out = []
    for s, value in sorted(top):
        _, _, _, _, _, _, _, group, base, text = by_sentence[s][0]
        base, text = int(base), str(text)
        spans, notes = [], []
        for _s, start, end, voice, category, cue, note, *_rest in by_sentence[s]:
            start, end = int(start) - base, int(end) - base
            if not 0 <= start < end <= len(text):
                continue
            if end - start >= 0.9 * len(text.strip()):  # a sentence-level cue: described, not highlighted
                notes.append(f"{str(category).replace('_', ' ')}: {note or cue}")
            else:
                spans.append((start, end, str(voice), f"{category}: {cue}"))
        text, kept = trimmed(text, sorted(set(spans)))
        out.append(Exemplar(doc_id, str(group), s, text, tuple(kept), tuple(sorted(set(notes))), float(value)))
    return out


#: Longest exemplar shown whole; a longer "sentence" (a transcript without full stops runs to thousands of
#: characters) is cut to the window of this size holding the most cues, with "…" where it was cut.
MAX_EXEMPLAR_CHARS = 400


def trimmed(text: str, spans: list[tuple[int, int, str, str]],
            width: int = MAX_EXEMPLAR_CHARS) -> tuple[str, list[tuple[int, int, str, str]]]:
    """``text`` and its cue ``spans`` (sorted), cut to the ``width`` characters holding the most cues (at word
    boundaries, "…" marking each cut; spans shifted, those outside dropped); unchanged when it is short enough."""
    if len(text) <= width:
        return text, spans
    best, first, last = 0, 0, min(width, len(text))
    for i, (start, _end, *_r) in enumerate(spans):
        inside = [sp for sp in spans[i:] if sp[1] - start <= width]
        if len(inside) > best:
            best, first, last = len(inside), start, inside[-1][1]
    pad = (width - (last - first)) // 2
    a = max(0, min(first - pad, len(text) - width))
    b = min(len(text), a + width)
    a, b = word_bounds(text, a, b, first, max(last, a))
    shift = a - (a > 0)  # offsets in the text, less this, are offsets in the cut text (after its "…")
    kept = [(st - shift, en - shift, *rest) for st, en, *rest in spans if st >= a and en <= b]
    return with_ellipses(text, a, b), kept


def word_bounds(text: str, left: int, right: int, keep_from: int, keep_to: int) -> tuple[int, int]:
    """``left`` and ``right`` moved inwards to word boundaries: the start after a space before ``keep_from``, the
    end at a space after ``keep_to`` (shared by the findings' quotes and the exemplars)."""
    if left > 0:
        space = text.find(" ", left)
        left = space + 1 if 0 <= space < keep_from else left
    if right < len(text):
        space = text.rfind(" ", keep_to, right)
        right = space if space > 0 else right
    return left, right


def with_ellipses(text: str, left: int, right: int) -> str:
    """``text[left:right]`` with "…" where it cuts ``text``."""
    return ("…" if left > 0 else "") + text[left:right] + ("…" if right < len(text) else "")


def group_exemplars(evidence: pd.DataFrame, doc_ids: list[str], extractor: str | None, per_doc: int,
                    per_group: int, categories: set[str] | None = None) -> list[Exemplar]:
    """Exemplars of a group: up to ``per_doc`` per document, then the ``per_group`` most telling overall.

    Kept in document order, so a reader sees each document's sentences together; a fragment
    (:func:`stands_alone`) is kept only when too few other sentences are left.
    """
    pool = [x for d in doc_ids for x in exemplars(evidence, d, extractor, per_doc, categories)]
    if len(pool) <= per_group:
        return pool
    keep = set(sorted(range(len(pool)),
                      key=lambda i: (not stands_alone(pool[i].text), -round(pool[i].score, 12), i))[:per_group])
    return [x for i, x in enumerate(pool) if i in keep]


def non_overlapping(spans: tuple[tuple[int, int, str, str], ...]) -> list[tuple[int, int, str, list[str]]]:
    """Merge cue spans for highlighting: overlapping cues join one span listing every cue.

    The voice of a merged span is the first cue's; spans come back sorted.
    """
    merged: list[tuple[int, int, str, list[str]]] = []
    for start, end, voice, label in sorted(spans):
        if merged and start < merged[-1][1]:
            s, e, v, labels = merged[-1]
            merged[-1] = (s, max(e, end), v, labels + ([label] if label not in labels else []))
        else:
            merged.append((start, end, voice, [label]))
    return merged

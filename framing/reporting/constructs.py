"""Findings an analyst can act on: one per construct, ranked by effect and support, with a quote from each side.

A *construct* is what a reader means ("the text prescribes", "the text names its
sources"), measured by one or more columns (a family's all-voices and author-voice
versions of the same measure, its rate and its share) and evidenced by some cue
categories. :data:`CONSTRUCTS` lists them by hand; a feature no construct claims
becomes a construct of its own, and two such constructs of one family whose
values move together (|Spearman| >= :data:`MERGE_CORRELATION` across documents)
are merged, so correlated columns give one finding, not two.

Each construct is either **framing** (stance, modality, voice, actors, frames,
evaluation, sourcing) or **form** (the format of a genre: Q&A turn markers,
speaker labels, datelines, headings, boilerplate, headline form, readability).
The overview lists framing findings; form findings have their own section.

A finding is **thin** (listed, never a headline) when it rests on fewer than
:data:`MIN_OCCURRENCES` cues in the group that has more of them, when one
document carries more than half of those cues in a group of several documents,
or, with a test, when its Benjamini-Hochberg q is 0.05 or more; without a test, when the gap between the
groups' values is less than :data:`MIN_GAP_SHARE` of their range.
Findings are ranked by effect (|Cliff's delta| with a test, the gap between the
groups' values as a share of their range without one) weighted by support
(``0.5 + 0.5 * min(1, cues / 30)``).
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..attribution import SPEAKER_LABEL_RE
from ..compare import Comparison, rows_among
from ..extractors.frames import FRAME_LABELS

__all__ = [
    "CONSTRUCTS",
    "MERGE_CORRELATION",
    "MIN_GAP_SHARE",
    "MIN_OCCURRENCES",
    "Construct",
    "Finding",
    "Quote",
    "constructs_for",
    "finding_sentence",
    "findings",
    "unit_sentence",
    "units_named",
]

FRAMING, FORM = "framing", "form"
MIN_OCCURRENCES = 5
MERGE_CORRELATION = 0.9
#: Below this |Cliff's delta| (a "negligible" effect, Romano et al. 2006) a tested difference is not a finding.
MIN_DELTA = 0.147
#: Without a test (a group of one document), the least gap between the groups' values, as a share of the range
#: of all values, for a headline: "36.8 against 21.8-36.7" separates the groups but says nothing.
MIN_GAP_SHARE = 0.15
#: A tested finding with a q-value at or above this is listed as thin.
ALPHA = 0.05
#: Questioners' turns are the journalists' words, not the group's: their cues are not quoted as evidence.
NOT_THE_GROUPS_VOICE = ("questioner",)
#: The source-type model's features (:mod:`framing.extractors.source_type`) that count what a construct counts. When
#: the groups are the model's calls, a difference in such a construct partly restates how the texts were grouped
#: ("official texts use more 'we'" of texts called official partly because they say "we"), and the finding says so.
MODEL_READS: dict[str, tuple[str, ...]] = {
    "institutional voice": ("we_institutional_per_1k",),
    "quotations": ("quotes", "quoted_share"),
    "attribution": ("reporting_per_1k", "named_attribution", "vague_source_per_1k"),
    "named sources": ("named_attribution",),
    "vague sources": ("vague_source_per_1k",),
    "negative tone": ("sentiment_negative_per_1k",),
    "evaluation": ("evaluative_per_1k", "judgement_per_1k"),
    "loaded language": ("judgement_per_1k", "motive_per_1k"),
    "obligation": ("obligation_per_1k",),
    "assertiveness": ("certainty_per_1k",),
    "reading motives": ("interpretive_per_1k", "motive_per_1k"),
    "puffery": ("promo_hype_per_1k",),
    "specifics": ("numbers", "currency"),
    "reader address": ("reader_address_per_1k", "second_person_per_1k"),
    "exclamations": ("exclamations",),
}
#: what the group_basis column of the documents says of a document grouped by the source-type model's call
DETECTED = "detected type"


@dataclass(frozen=True)
class Construct:
    """What a finding is about: columns that measure it and the cue categories that evidence it."""

    name: str                                    # short name, e.g. "obligation"
    what: str                                    # what there is more or less of, in plain words
    kind: str                                    # FRAMING or FORM
    aspect: str                                  # stance, modality, voice, actors, frames, evaluation, sourcing, form
    columns: tuple[str, ...]
    evidence: tuple[tuple[str, frozenset[str]], ...] = ()


def _c(name: str, what: str, kind: str, aspect: str, columns: Sequence[str],
       evidence: dict[str, Sequence[str]] | None = None) -> Construct:
    ev = tuple((x, frozenset(cats)) for x, cats in (evidence or {}).items())
    return Construct(name, what, kind, aspect, tuple(columns), ev)


_FRAME_KEYS = tuple(FRAME_LABELS)

#: The hand-made constructs (columns absent from a run are ignored).
CONSTRUCTS: tuple[Construct, ...] = (
    _c("obligation", "prescriptive language (should, must, need to)", FRAMING, "modality",
       ["framing_deontic_per_1k", "framing_deontic_share"], {"framing": ["deontic"], "source_type": ["obligation"]}),
    _c("possibility", "language of possibility (may, might, could, likely)", FRAMING, "modality",
       ["framing_epistemic_per_1k"], {"framing": ["epistemic"]}),
    _c("tentativeness", "tentative language (may, perhaps, suggest) and uncertain sentences", FRAMING, "stance",
       ["hedging_hedges_per_1k", "hedging_hedges_author_per_1k", "hedging_uncertain_sentences_share",
        "hedging_uncertain_sentences_author_share", "hedging_mean_uncertainty", "hedging_balance",
        "hedging_balance_author"], {"hedging": ["hedge"]}),
    _c("assertiveness", "assertive language (clearly, certainly, in fact)", FRAMING, "stance",
       ["hedging_boosters_per_1k", "hedging_boosters_author_per_1k"], {"hedging": ["booster"]}),
    _c("attitude", "attitude marking (unfortunately, importantly)", FRAMING, "evaluation",
       ["hedging_attitude_per_1k", "hedging_attitude_author_per_1k"], {"hedging": ["attitude"]}),
    _c("institutional voice", "first-person plural and institutional self-presentation ('we', 'our', 'the government "
       "believes', 'stands ready')", FRAMING,
       "voice", ["framing_institutional_first_person_per_1k", "framing_we_per_1k", "source_type_diplomatic_per_1k"],
       {"framing": ["institutional", "first_person"], "source_type": ["diplomatic"]}),
    _c("reading motives", "reading of actors' motives from outside ('the government seeks', 'positioning itself')",
       FRAMING, "actors", ["framing_third_person_analysis_per_1k", "source_type_interpretive_per_1k",
                           "source_type_metonymy_per_1k"],
       {"framing": ["analytic"], "source_type": ["interpretive", "metonymy"]}),
    _c("actors", "naming of actors (countries, governments, organisations, people)", FRAMING, "actors",
       ["framing_actor_mentions_per_1k"], {"framing": ["actor"]}),
    _c("evaluation", "evaluative language (excellent, disastrous, absurd)", FRAMING, "evaluation",
       ["promo_evaluative_per_1k", "promo_evaluative_author_per_1k"], {"promotional": ["evaluative"]}),
    _c("loaded language", "loaded language (chaos, propaganda, extremist)", FRAMING, "evaluation",
       ["promo_loaded_per_1k", "promo_loaded_author_per_1k", "promo_contentious_label_per_1k",
        "promo_contentious_label_author_per_1k", "promo_score"],
       {"promotional": ["loaded", "contentious_label"]}),
    _c("puffery", "puffery and superlatives (groundbreaking, world-class, best)", FRAMING, "evaluation",
       ["promo_puffery_per_1k", "promo_puffery_author_per_1k", "promo_superlative_per_1k",
        "promo_superlative_author_per_1k"], {"promotional": ["puffery", "superlative"]}),
    _c("intensifiers", "intensifiers (very, truly, extremely)", FRAMING, "evaluation",
       ["promo_intensifier_per_1k", "promo_intensifier_author_per_1k"], {"promotional": ["intensifier"]}),
    _c("doubt", "language of doubt (so-called, alleged, claimed, insisted)", FRAMING,
       "stance", ["promo_doubt_per_1k", "promo_doubt_author_per_1k", "promo_framing_verb_per_1k",
                  "promo_framing_verb_author_per_1k"], {"promotional": ["doubt", "framing_verb"]}),
    _c("editorialising", "editorialising (notably, sadly, of course) and cliché", FRAMING, "evaluation",
       ["promo_editorializing_per_1k", "promo_editorializing_author_per_1k", "promo_cliche_per_1k",
        "promo_cliche_author_per_1k"], {"promotional": ["editorializing", "cliche"]}),
    _c("positive tone", "positive sentiment vocabulary", FRAMING, "evaluation",
       ["promo_sentiment_positive_per_1k", "promo_sentiment_positive_author_per_1k"],
       {"promotional": ["sentiment_positive"]}),
    _c("negative tone", "negative sentiment vocabulary", FRAMING, "evaluation",
       ["promo_sentiment_negative_per_1k", "promo_sentiment_negative_author_per_1k"],
       {"promotional": ["sentiment_negative"]}),
    _c("attribution", "attribution to sources (said, according to)", FRAMING, "sourcing",
       ["credibility_attributions_per_1k"], {"credibility": ["named_attribution", "vague_attribution"]}),
    _c("named sources", "naming of sources (rather than vague ones)", FRAMING, "sourcing",
       ["credibility_named_attribution_share"], {"credibility": ["named_attribution"]}),
    _c("vague sources", "vague sourcing (critics say, some argue)", FRAMING, "sourcing",
       ["credibility_vague_attributions_per_1k"], {"credibility": ["vague_attribution"]}),
    _c("quotations", "direct quotation", FRAMING, "sourcing",
       ["credibility_quotes_per_1k", "hedging_author_word_share"], {"credibility": ["quote"]}),
    _c("citations", "citation of documents, laws and resolutions", FRAMING, "sourcing",
       ["credibility_citations_per_1k", "credibility_citations_distinct"], {"credibility": ["citation"]}),
    _c("specifics", "specific detail (numbers, sums, dates)", FRAMING, "sourcing", ["credibility_specifics_per_1k"]),
    *(_c(f"frame: {FRAME_LABELS[k].lower()}", f"'{FRAME_LABELS[k].lower()}' frame vocabulary", FRAMING, "frames",
         [f"framing_frame_{k}_per_1k", f"framing_frame_{k}_share"], {"framing": [f"frame_{k}"]})
      for k in _FRAME_KEYS),
    _c("frame density", "frame vocabulary overall (the 14 generic frames together)", FRAMING, "frames",
       ["framing_frame_cues_per_1k"],
       {"framing": [f"frame_{k}" for k in _FRAME_KEYS]}),
    # form
    _c("Q&A format", "Q&A format (Question:, Spokesperson: turn markers)", FORM, "format",
       ["source_type_qa_turns_per_1k"], {"source_type": ["qa_turns", "titled_names"]}),
    _c("headings", "headings and section labels", FORM, "format", ["source_type_headings_per_1k"],
       {"source_type": ["section_label", "conclusion_heading"]}),
    _c("boilerplate", "page furniture (photo credits, share prompts, disclaimers, bios)", FORM, "boilerplate",
       ["source_type_boilerplate_promo", "credibility_has_disclaimer", "credibility_social_calls_count",
        "promo_call_to_action_per_1k", "promo_call_to_action_author_per_1k", "promo_boilerplate_social_count"],
       {"source_type": ["photo_credit"], "promotional": ["call_to_action"]}),
    _c("reader address", "direct address (you, your)", FORM, "format",
       ["promo_reader_address_per_1k", "promo_reader_address_author_per_1k"], {"promotional": ["reader_address"]}),
    _c("byline and date", "bylines and dates", FORM, "format", ["credibility_has_byline",
                                                                        "credibility_has_date"]),
    _c("headline form", "headline hype and clickbait form", FORM, "headline",
       ["promo_headline_hype", "credibility_headline_question", "credibility_headline_listicle",
        "credibility_headline_caps_count", "promo_clickbait_per_1k", "promo_clickbait_author_per_1k"],
       {"promotional": ["clickbait", "headline_clickbait", "headline_puffery"]}),
    _c("exclamations", "exclamation", FORM, "format", ["promo_exclamation_per_1k",
                                                              "promo_exclamation_author_per_1k"]),
    _c("readability", "difficult prose (long sentences and words)", FORM, "readability",
       ["readability_consensus_grade", "readability_flesch_kincaid_grade", "readability_gunning_fog",
        "readability_smog_index", "readability_coleman_liau_index", "readability_automated_readability_index",
        "readability_dale_chall_grade", "readability_dale_chall_score", "readability_linsear_write",
        "readability_text_standard", "readability_words_per_sentence", "readability_syllables_per_word",
        "readability_letters_per_word", "readability_polysyllables_per_1k", "readability_complex_words_per_1k",
        "readability_difficult_words_per_1k", "readability_unfamiliar_words_per_1k",
        "readability_long_words_per_1k"]),
    _c("easy reading", "plain, easy prose (Flesch reading ease)", FORM, "readability",
       ["readability_flesch_reading_ease"]),
)

#: Columns that are the source-type model's verdicts (not measures of a text) or measure other people's words
#: (quoted and reported speech): never findings.
#: The promotional family's totals (every cue of the family together: sentiment words, direct address, evaluative
#: and loaded words) are not one construct: a transcript's "you" and "great" made "more promotional and loaded
#: wording" of official texts that used less loaded language. Its parts are findings, each under its own name.
NOT_FINDINGS = re.compile(r"^source_type_(p_|agrees_with_declared|uncertain|margin)|_reported_per_1k$|_reported_count$|"
                          r"^promo_(cues|cues_author|density)_per_1k$|"
                          r"^readability_(words|sentences|syllables|polysyllables|complex_words|difficult_words|"
                          r"difficult_word_types|unfamiliar_words|long_words|letters|characters)$")
#: Unclaimed columns whose name says they describe form.
_FORM_NAME = re.compile(r"qa_|heading|boilerplate|headline|byline|has_date|disclaimer|social|call_to_action|"
                        r"exclamation|reader_address|^readability_|dateline|speaker")


def constructs_for(comp: Comparison, candidates: Sequence[str]) -> list[Construct]:
    """The constructs of a comparison: the hand-made ones with their present columns, then one per unclaimed
    candidate column, unclaimed columns of one family merged when their values correlate (|rho| >= 0.9)."""
    present = set(candidates)
    out = [Construct(c.name, c.what, c.kind, c.aspect, tuple(x for x in c.columns if x in present), c.evidence)
           for c in CONSTRUCTS]
    out = [c for c in out if c.columns]
    claimed = {x for c in out for x in c.columns}
    labels = comp.features.set_index("feature")
    extra: list[Construct] = []
    for col in candidates:
        if col in claimed or NOT_FINDINGS.search(col):
            continue
        family = str(labels.at[col, "extractor"]) if col in labels.index else col.split("_")[0]
        label = str(labels.at[col, "label"]) if col in labels.index else col
        merged = False
        for i, c in enumerate(extra):
            if c.name.split(":")[0] == family and _correlated(comp.documents, c.columns[0], col):
                extra[i] = Construct(c.name, c.what, c.kind, c.aspect, c.columns + (col,), c.evidence)
                merged = True
                break
        if not merged:
            kind = FORM if _FORM_NAME.search(col) else FRAMING
            extra.append(Construct(f"{family}: {label}", label, kind, "form" if kind == FORM else "other", (col,)))
    return out + extra


def _correlated(documents: pd.DataFrame, a: str, b: str) -> bool:
    x = pd.to_numeric(documents[a], errors="coerce")
    y = pd.to_numeric(documents[b], errors="coerce")
    ok = x.notna() & y.notna()
    if ok.sum() < 3 or x[ok].nunique() < 2 or y[ok].nunique() < 2:
        return False
    rho = x[ok].rank().corr(y[ok].rank())
    return bool(abs(rho) >= MERGE_CORRELATION)


@dataclass(frozen=True)
class Quote:
    """A short sentence as evidence: where it is from and the cue to highlight (offsets in ``text``)."""

    doc_id: str
    group: str
    text: str
    at: int
    length: int
    voice: str
    #: every cue of the finding's kind in the quoted text, ``(start, length, voice)``, sorted, not overlapping (the
    #: sentence was chosen for holding the most of them: highlighting the first alone showed 'deliberately' as the
    #: loaded language of 'she deliberately lied to pander to her base and further unfairly demonize Kavanaugh')
    spans: tuple[tuple[int, int, str], ...] = ()
    #: the ``(extractor, category)`` of every highlighted cue, sorted (which column's cues the quote shows)
    cues: tuple[tuple[str, str], ...] = ()


@dataclass
class Finding:
    """One construct's difference between the first group and the others."""

    construct: Construct
    column: str                      # the column that shows the difference best
    label: str                       # its label
    group: str
    reference: str
    direction: str                   # "more" or "less" (the group relative to the reference)
    effect: float                    # |Cliff's delta| (tested) or gap share of range (descriptive)
    delta: float                     # signed Cliff's delta (NaN for a group of one document)
    tested: bool
    group_values: np.ndarray
    reference_values: np.ndarray
    row: dict[str, Any]              # comparison.csv row of the group for ``column``
    occurrences: int                 # cues in the group with more of them
    docs_with_cues: int
    top_doc_share: float
    thin: bool
    thin_reason: str
    quotes: dict[str, Quote | None] = field(default_factory=dict)
    also: tuple[str, ...] = ()       # the other columns merged into this finding
    counted: str = "cue"             # what ``occurrences`` counts: "cue", or "document" (no cue to count)
    cues_in: dict[str, int] = field(default_factory=dict)  # cues of each group without a quote
    counted_in: dict[str, str] = field(default_factory=dict)  # what ``cues_in`` counts ("cue", "count")
    model_read: bool = False         # the groups are the source-type model's calls, and the model reads these cues
    #: the labels of the construct's columns whose cues the quotes highlight, in the construct's order: ``label``
    #: when they show the column's own cues, a merged column's when they show its cues (see :func:`_quoted_columns`)
    quoted: tuple[str, ...] = ()

    def missing_quote(self, group: str, n_docs: int) -> str:
        """What stands in place of a quote for ``group`` (of ``n_docs`` documents): no cue at all, or cues none
        of which is in a sentence the report holds (a heading line, a document not kept whole), or a count over
        the whole text."""
        if not self.construct.evidence:
            return "Measured over the whole text (a count of its words or sentences): no sentence to quote."
        n = self.cues_in.get(group, 0)
        if n <= 0:
            return f"No cue of this kind in the {n_docs} {group} document{'s' if n_docs != 1 else ''}."
        cues = f"{n:,} cue{'s' if n != 1 else ''}"
        if self.counted_in.get(group) == "count":  # the column's own count: no cue of it in the evidence
            return f"{cues} counted, none of them in the evidence with a sentence to quote."
        return f"{cues}, none of them in a sentence that can be quoted here (see the evidence)."

    @property
    def score(self) -> float:
        """Effect weighted by support (see module docstring)."""
        return self.effect * (0.5 + 0.5 * min(1.0, self.occurrences / 30.0))


def _values(comp: Comparison, column: str, groups: Sequence[str]) -> np.ndarray:
    docs = comp.documents
    v = pd.to_numeric(docs.loc[docs["group"].isin(groups), column], errors="coerce").to_numpy(dtype=float)
    return v[np.isfinite(v)]


def _cliffs(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return float("nan")
    y = np.sort(b)  # by ranks: O((n + m) log m), not an n x m matrix (same value as the mean sign of all pairs)
    greater = int(np.searchsorted(y, a, side="left").sum())
    less = int((len(y) - np.searchsorted(y, a, side="right")).sum())
    return float((greater - less) / (len(a) * len(b)))


def _column_effect(comp: Comparison, column: str, group: str, others: list[str], tested: bool
                   ) -> tuple[float, float, np.ndarray, np.ndarray] | None:
    """(effect, signed delta, group values, reference values), or None when the column says nothing."""
    a, b = _values(comp, column, [group]), _values(comp, column, others)
    if not len(a) or not len(b):
        return None
    delta = _cliffs(a, b)
    if tested:
        if math.isnan(delta) or abs(delta) < MIN_DELTA:
            return None
        return abs(delta), delta, a, b
    lo, hi = max(a.min(), b.min()), min(a.max(), b.max())
    if lo <= hi:
        return None
    span = max(a.max(), b.max()) - min(a.min(), b.min())
    return (float((lo - hi) / span) if span > 0 else 0.0), (1.0 if a.min() > b.max() else -1.0), a, b


def _count_sibling(comp: Comparison, column: str) -> str | None:
    for stem in (column.replace("_per_1k", "_count"), column.replace("_per_1k", "")):
        if stem != column and stem in comp.documents.columns:
            return stem
    return None


def column_family(comp: Comparison, column: str) -> str | None:
    """The extractor that wrote ``column`` (from the comparison's feature table)."""
    features = comp.features
    if features.empty or "feature" not in features.columns:
        return None
    hit = features.loc[features["feature"] == column, "extractor"]
    return str(hit.iloc[0]) if len(hit) else None


def _cues_of(construct: Construct, family: str | None) -> tuple[tuple[str, frozenset[str]], ...]:
    """The construct's cue categories that measure ``family``'s column: one family's cues are never added to
    another's (the 'institutional voice' of the framing family is not also counted in source type's spans)."""
    own = tuple(pair for pair in construct.evidence if pair[0] == family)
    return own or construct.evidence


#: Columns that count the author's own voice only ("promo_loaded_author_per_1k", "hedging_balance_author"): their
#: support counts the author's cues only, not the quoted and reported ones the all-voices column counts.
AUTHOR_ONLY = re.compile(r"_author(?:_count|_per_1k|_share)?$")


def _support(comp: Comparison, construct: Construct, column: str, ids: list[str]) -> tuple[int, int, float, str]:
    """(cues, documents with a cue, largest single document's share of the cues, what was counted) in documents
    ``ids``, counting the cues of the family that wrote ``column``, in the voices it counts (:data:`AUTHOR_ONLY`).

    What was counted: "cue" (the evidence's cues), "count" (the column's own count, or the count its rate implies,
    where no cue of it is in the evidence) or "document" (a score or a share: the documents with a value)."""
    ev = comp.evidence
    per_doc: pd.Series | None = None
    counted = getattr(comp, "cue_counts", None)
    cues = _cues_of(construct, column_family(comp, column))
    author_only = AUTHOR_ONLY.search(column) is not None
    if cues and counted is not None and not counted.empty:  # every document's cues, counted
        mask = np.zeros(len(counted), dtype=bool)
        for extractor, cats in cues:
            mask |= ((counted["extractor"] == extractor) & counted["category"].isin(cats)).to_numpy()
        sub = counted[mask & rows_among(counted["doc_id"], ids)]
        per_doc = sub.groupby("doc_id", observed=True)["n_author" if author_only else "n"].sum()
        per_doc = per_doc[per_doc > 0]
    elif cues and counted is None and not ev.empty:
        mask = np.zeros(len(ev), dtype=bool)
        for extractor, cats in cues:
            mask |= ((ev["extractor"] == extractor) & ev["category"].isin(cats)).to_numpy()
        voices = (ev["voice"] == "author") if author_only else ~ev["voice"].isin(NOT_THE_GROUPS_VOICE)
        sub = ev[mask & rows_among(ev["doc_id"], ids) & voices.to_numpy()]
        per_doc = sub.groupby("doc_id").size()
    if per_doc is not None and not per_doc.empty and column.startswith("source_type_"):
        per_doc = _uncapped(comp, column, per_doc)
    basis = "cue"
    if per_doc is None or per_doc.empty:
        basis = "count"
        sibling = _count_sibling(comp, column)
        if sibling is not None:
            per_doc = _document_values(comp.documents, sibling, ids)
            per_doc = per_doc[per_doc > 0]
        else:
            per_doc = _implied_counts(comp, column, ids)
            if per_doc is None:  # a score or a share without cues: the documents with a non-zero value
                n = int((_document_values(comp.documents, column, ids) != 0).sum())
                return n, n, (1.0 / n if n else 1.0), "document"
            per_doc = per_doc[per_doc > 0]
    if per_doc is None or per_doc.empty:
        return 0, 0, 1.0, basis
    total = float(per_doc.sum())
    return int(total), int((per_doc > 0).sum()), float(per_doc.max() / total) if total else 1.0, basis


#: a column description saying its values are counts ("...; count, higher = more page furniture", "(count)")
_A_COUNT = re.compile(r"[;(]\s*count\b")


def _implied_counts(comp: Comparison, column: str, ids: list[str]) -> pd.Series | None:
    """What a column without cues to count says of its own count, per document of ``ids``: a rate per 1,000 words
    times the document's words, or a count's value; None for a score or a share (no count in it).

    Source type's heading and page-furniture spans are evidence only where they pushed the call, so a column of
    its could have no cue at all: its 135 headings in 73 documents read '73 cues in 73 documents'."""
    docs = comp.documents
    if column.endswith("_per_1k") and "n_words" in docs.columns:
        return _rate_times_words(docs, column, ids)
    features = comp.features
    desc = features.loc[features["feature"] == column, "description"] if "description" in features.columns \
        else pd.Series(dtype=object)
    if column.endswith("_count") or (len(desc) and _A_COUNT.search(str(desc.iloc[0]))):
        return _document_values(docs, column, ids)
    return None


def _rate_times_words(docs: pd.DataFrame, column: str, ids: list[str]) -> pd.Series:
    """The count a per-1,000-words ``column`` implies for documents ``ids``: rate x words / 1,000, rounded."""
    values = _document_values(docs, [column, "n_words"], ids)
    return (values[column] * values["n_words"] / 1000).round()


def _document_values(docs: pd.DataFrame, columns: str | list[str], ids: list[str]) -> Any:
    """The values of ``columns`` (one name: a Series; a list: a DataFrame) for documents ``ids`` (in that order,
    indexed by id) as numbers, missing as 0; only the columns needed are taken from the documents table, and the
    documents are looked up once for all of them."""
    names = [columns] if isinstance(columns, str) else list(columns)
    sub = docs[["id", *names]].set_index("id").loc[ids, names]
    values = sub.apply(lambda v: pd.to_numeric(v, errors="coerce")).fillna(0)
    return values[columns] if isinstance(columns, str) else values


def _uncapped(comp: Comparison, column: str, per_doc: pd.Series) -> pd.Series:
    """Per-document cue counts, raised to what a per-1,000-words column implies where the evidence was capped
    (source type keeps at most 12 spans per feature)."""
    if not column.endswith("_per_1k") or "n_words" not in comp.documents.columns \
            or not comp.documents["id"].is_unique:
        return per_doc
    known = set(comp.documents["id"])
    implied = _rate_times_words(comp.documents, column, [i for i in per_doc.index if i in known])
    return np.maximum(per_doc.astype(float), implied.reindex(per_doc.index).fillna(0)).astype(int)


def _thin(occurrences: int, docs: int, top_share: float, group_size: int) -> str:
    if occurrences < MIN_OCCURRENCES:
        return f"rests on {occurrences} cue{'s' if occurrences != 1 else ''}"
    if group_size > 1 and (docs <= 1 or top_share > 0.5):
        return f"one document carries {top_share:.0%} of the cues"
    return ""


#: The voices a finding's quote is drawn from, in order of preference: the group's own words first; for sourcing
#: (attribution, quotation) the reporting of other people's words is the group's own act, so every voice of the
#: group at once. An attribution's cue mostly falls in the reported clause ("..., said legislator Claudia Mo"):
#: the author's voice alone left the few odd ones ("Experience suggests the answer for many is no.").
_QUOTED_VOICES = {False: (("author",), ("author", "reported", "quoted")), True: (("author", "reported", "quoted"),)}


def _quote(comp: Comparison, construct: Construct, column: str, ids: list[str], group: str,
           width: int = 220) -> Quote | None:
    """A short sentence of the group showing a cue of the construct that ``column`` counts (:func:`_cues_of`, as
    its support does): most cues first, then the shortest, skipping fragments that cannot stand alone as evidence
    ("Roberts pointed out."; see :func:`_first_standing`). A cue of another family's column is not quoted: "We are
    not in any hurry" (a call to action of the promotional family) stood beside an official mean of 0 on the
    source-type page-furniture column the finding was measured by."""
    ev = comp.evidence
    cues = _cues_of(construct, column_family(comp, column))
    if not cues or ev.empty:
        return None
    mask = np.zeros(len(ev), dtype=bool)
    for extractor, cats in cues:
        mask |= ((ev["extractor"] == extractor) & ev["category"].isin(cats)).to_numpy()
    sub = ev[mask & rows_among(ev["doc_id"], ids) & (ev["sentence"] >= 0).to_numpy()]
    if sub.empty:
        return None
    for voices in _QUOTED_VOICES[construct.aspect == "sourcing"]:
        own = sub[sub["voice"].isin(voices)]
        if not own.empty:
            sub = own
            break
    plain = sub[~sub["note"].astype(str).str.contains("negated", regex=False)]
    sub = plain if not plain.empty else sub  # "I can't speculate" is a poor example of speculating
    sub = _typical_cues(sub, column)
    counts = sub.groupby(["doc_id", "sentence"]).size()
    texts = sub.groupby(["doc_id", "sentence"])["sentence_text"].first()
    lengths = texts.str.len()
    order = pd.DataFrame({"n": counts, "len": lengths, "short": lengths <= width}).reset_index()
    order = order.sort_values(["short", "n", "len", "doc_id", "sentence"],
                              ascending=[False, False, True, True, True], kind="stable")
    d, s = _first_standing(order, texts, titles=construct.aspect == "headline")
    rows = sub[(sub["doc_id"] == d) & (sub["sentence"] == s)]
    row = rows.iloc[0]
    sentence = str(row["sentence_text"])
    at, length = int(row["start"]) - int(row["sentence_start"]), int(row["end"]) - int(row["start"])
    if not 0 <= at <= at + length <= len(sentence):
        at, length = 0, 0
    text, shown_at = _without_speaker_label(sentence, at)
    text, shown_at = _trim(text, shown_at, length, width)
    spans, cues = _shown_spans(rows, sentence, text, at - shown_at)
    if not spans and length:  # the first cue alone is highlighted
        cues = ((str(row["extractor"]), str(row["category"])),)
    return Quote(str(d), group, text, shown_at, length, str(row["voice"]), spans, cues)


def _typical_cues(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """The evidence ``rows`` of one cue category: ``column``'s own (:func:`_own_cue`) when there are any, else the
    commonest among them (ties: the first by name). A quote shows the group's typical cue of the construct: the
    attribution finding ("said, according to") quoted "That's what normal people think", one of 58 vague
    attributions, beside 100 named ones in the same texts and voice."""
    categories = rows["category"].astype(str)
    counts = categories.value_counts()
    if len(counts) < 2:
        return rows
    own = [c for c in counts.index if _own_cue(column, c)]
    chosen = own or [min(counts.index[counts == counts.max()])]
    return rows[categories.isin(chosen).to_numpy()]


def _shown_spans(rows: pd.DataFrame, sentence: str, text: str, shift: int
                 ) -> tuple[tuple[tuple[int, int, str], ...], tuple[tuple[str, str], ...]]:
    """The cue spans of ``rows`` (evidence rows of one sentence) as ``(start, length, voice)`` in ``text``, the
    sentence as shown (cut on the left by ``shift`` characters): those the cut left out dropped, overlaps merged;
    and the ``(extractor, category)`` of the cues kept, sorted."""
    spans, cues = [], set()
    for start, end, base, voice, extractor, category in zip(rows["start"], rows["end"], rows["sentence_start"],
                                                            rows["voice"], rows["extractor"], rows["category"]):
        a, b = int(start) - int(base), int(end) - int(base)
        if 0 <= a < b <= len(sentence) and 0 <= a - shift and text[a - shift:b - shift] == sentence[a:b]:
            spans.append((a - shift, b - shift, str(voice)))
            cues.add((str(extractor), str(category)))
    merged: list[tuple[int, int, str]] = []
    for a, b, voice in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]), merged[-1][2])
        else:
            merged.append((a, b, voice))
    return tuple((a, b - a, voice) for a, b, voice in merged), tuple(sorted(cues))


#: The cue category that is a column's own where its name does not end in it. The institutional first person
#: counts every 'we/our/us' as well (:func:`_support` counts them), but a 'we' is the cue the we/our/us column
#: counts alone: "I don't think any of us thought we were damaging anybody" shows no institution speaking.
_OWN_CUES = {"framing_institutional_first_person": "institutional", "framing_we": "first_person"}


def _own_cue(column: str, category: str) -> bool:
    """Whether ``category`` is ``column``'s own cue: the category its name ends in ('promo_contentious_label_per_1k'
    and 'contentious_label', all voices or the author's), or its entry in :data:`_OWN_CUES`."""
    stem = re.sub(r"(?:_author)?(?:_per_1k|_share|_count)?$", "", column)
    own = _OWN_CUES.get(stem)
    return category == own if own is not None else stem.endswith("_" + category)


def _quoted_columns(comp: Comparison, construct: Construct, column: str,
                    quotes: dict[str, Quote | None]) -> tuple[str, ...]:
    """The construct's columns whose cues the ``quotes`` highlight, in the construct's order: a highlighted cue is
    a merged column's when it is that column's own (:func:`_own_cue`, same family) and not ``column``'s; any other
    cue of the construct is ``column``'s. The institutional first person's quotes showed a personal 'we' (the
    we/our/us column's cue) under a footer naming the institutional first person alone."""
    shown = {cue for q in quotes.values() if q is not None for cue in q.cues}
    family = {c: column_family(comp, c) for c in construct.columns}
    out = set()
    for extractor, category in shown:
        sibling = None if _own_cue(column, category) else next(
            (c for c in construct.columns if c != column and family[c] == extractor and _own_cue(c, category)), None)
        out.add(sibling or column)
    return tuple(c for c in construct.columns if c in out)


def _first_standing(order: pd.DataFrame, texts: pd.Series, titles: bool = False) -> tuple[Any, Any]:
    """The (doc_id, sentence) of the first candidate in ``order`` whose text stands alone as evidence
    (:func:`~framing.reporting.findings.stands_alone`) and, unless ``titles``, is not a title
    (:func:`~framing.reporting.findings.in_headline_case`); else the first that stands alone; else the first."""
    from .findings import in_headline_case, stands_alone

    first, standing = None, None
    for key in zip(order["doc_id"], order["sentence"]):  # read in order, up to the first that will do
        text = str(texts[key])
        first = key if first is None else first
        if stands_alone(text):
            if titles or not in_headline_case(text):
                return key
            standing = key if standing is None else standing
    return standing if standing is not None else first


def _without_speaker_label(text: str, at: int) -> tuple[str, int]:
    """The sentence without a leading speaker label ("MR PRICE:", the voice module's turn labels), unless the cue
    is in it: the quote is the speaker's words."""
    m = SPEAKER_LABEL_RE.match(text)
    if m is None:
        return text, at
    end = m.end() + 1 + len(text[m.end() + 1:]) - len(text[m.end() + 1:].lstrip())
    if at < end or end >= len(text):
        return text, at
    return text[end:], at - end


def _trim(text: str, at: int, length: int, width: int) -> tuple[str, int]:
    """Cut a long sentence to about ``width`` characters around the cue, at word boundaries, with ellipses."""
    if len(text) <= width:
        return text, at
    from .findings import with_ellipses, word_bounds

    left = max(0, at - width // 2)
    right = min(len(text), max(at + length + width // 2, left + width))
    left, right = word_bounds(text, left, right, at, at + length)
    return with_ellipses(text, left, right), at - left + (1 if left > 0 else 0)


def is_tested(comp: Comparison) -> bool:
    sizes = comp.group_sizes()
    return len(sizes) >= 2 and min(sizes.values()) >= 2


def findings(comp: Comparison, candidates: Sequence[str], kind: str | None = FRAMING) -> list[Finding]:
    """Every construct's difference between the first group and the others, best first (thin ones last).

    ``candidates`` are the feature columns to consider (e.g. the headline features); ``kind`` keeps
    framing or form constructs only (None: both).
    """
    if len(comp.groups) < 2:
        return []
    group, others = comp.groups[0], comp.groups[1:]
    tested = is_tested(comp)
    docs = comp.documents
    by_model = "group_basis" in docs.columns and bool((docs["group_basis"] == DETECTED).any())
    labels = comp.features.set_index("feature")["label"]
    out: list[Finding] = []
    for construct in constructs_for(comp, candidates):
        if kind is not None and construct.kind != kind:
            continue
        effects = [(col, e) for col in construct.columns
                   if (e := _column_effect(comp, col, group, list(others), tested)) is not None]
        if not effects:
            continue
        # the construct's main column when it shows the difference, else the column that shows it best
        col, (effect, delta, a, b) = effects[0] if effects[0][0] == construct.columns[0] else \
            max(effects, key=lambda ce: (ce[1][0], -construct.columns.index(ce[0])))
        direction = "more" if delta > 0 else "less"
        higher = [group] if delta > 0 else list(others)
        ids_hi = docs.loc[docs["group"].isin(higher), "id"].tolist()
        occ, n_docs, top, basis = _support(comp, construct, col, ids_hi)
        reason = _thin(occ, n_docs, top, len(ids_hi))
        row = _row(comp, col, group)
        q = _float(row.get("q"))
        if tested and not reason and not math.isnan(q) and q >= ALPHA:
            reason = f"not significant at this unit (q = {q:.2f})"
        if not tested and not reason and effect < MIN_GAP_SHARE:
            reason = f"the values barely separate (a gap of {effect:.0%} of their range)"
        ids_of = {g: docs.loc[docs["group"] == g, "id"].tolist() for g in comp.groups}
        quotes = {g: _quote(comp, construct, col, ids_of[g], g) for g in comp.groups}
        missing = {g: _support(comp, construct, col, ids_of[g]) for g, q in quotes.items() if q is None}
        cues_in = {g: m[0] for g, m in missing.items()}
        quoted = tuple(str(labels.get(c, c)) for c in _quoted_columns(comp, construct, col, quotes))
        out.append(Finding(construct, col, str(labels.get(col, col)), group,
                           others[0] if len(others) == 1 else "the others", direction, effect,
                           delta if tested else float("nan"), tested, a, b, row, occ, n_docs, top, bool(reason),
                           reason, quotes, tuple(c for c in construct.columns if c != col),
                           "document" if basis == "document" else "cue", cues_in,
                           {g: m[3] for g, m in missing.items()}, by_model and construct.name in MODEL_READS, quoted))
    out.sort(key=lambda f: (f.thin, -round(f.score, 12), f.construct.name))
    return out


def _float(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def _row(comp: Comparison, column: str, group: str) -> dict[str, Any]:
    rows = comp.comparison
    sel = rows[(rows["feature"] == column) & (rows["group"] == group)]
    return sel.iloc[0].to_dict() if not sel.empty else {}


# ---------------------------------------------------------------------------
# words

def _unit(column: str) -> str:
    if column.endswith("_per_1k"):
        return " per 1,000 words"
    return ""


def _num(x: float) -> str:
    from .findings import fmt

    return fmt(x)


def _span(values: np.ndarray) -> str:
    if len(values) == 1 or values.min() == values.max():
        return _num(float(values[0]))
    return f"{_num(float(values.min()))}–{_num(float(values.max()))}"


def finding_sentence(f: Finding, names: dict[str, str] | None = None, unit: str = "document") -> str:
    """The finding in plain words, with its numbers: what, which way, how much, how sure."""
    from .findings import fmt_effect, fmt_p

    names = names or {}
    g = _as_subject(f.group, names.get(f.group, f.group))
    r = _as_object(f.reference, names.get(f.reference, f.reference))
    what = _what(f)
    if what.startswith("share of "):  # "have a higher share of ...", not "use more share of ..."
        head = f"{g} have a {'higher' if f.direction == 'more' else 'lower'} {what} than {r}"
    else:
        head = f"{g} use {_amount(f.direction, what)} {what} than {r}"
    u = _unit(f.column)
    if f.tested:
        q = fmt_p(f.row.get("q"))
        q_text = (f"q {q}" if q.startswith("<") else f"q = {q}") if q != "–" else "no test at this unit"
        return (f"{head}: mean {_num(float(np.mean(f.group_values)))} vs {_num(float(np.mean(f.reference_values)))}"
                f"{u}; Cliff's δ {fmt_effect(f.delta)}, {q_text} ({unit}-level test).")
    n_a, n_b = len(f.group_values), len(f.reference_values)
    a = f"the {f.group} text" if n_a == 1 else f"each of the {n_a} {f.group} texts"
    b = f"the {f.reference} text" if n_b == 1 else f"each of the {n_b} {f.reference} texts"
    return f"{head}: {_span(f.group_values)}{u} in {a}, {_span(f.reference_values)} in {b}."


def pooled_name(group: str, name: str) -> tuple[str, str] | None:
    """(head, kinds) of a pooled group's display name ('non-official (commentary, news, promotional)'), or None
    when the name is the group's own (a metadata value may hold parentheses of its own)."""
    if name == group or not name.endswith(")") or " (" not in name:
        return None
    head, _, kinds = name[:-1].partition(" (")
    return head, kinds


def _as_subject(group: str, name: str) -> str:
    """A group's display name as the subject of a finding: 'Official texts'; a pooled group's name
    ('non-official (commentary, news, promotional)') as 'Non-official texts (commentary, news, promotional)'."""
    pooled = pooled_name(group, name)
    head = pooled[0] if pooled else name
    head = head[:1].upper() + head[1:]  # 'BBC texts', not str.capitalize's 'Bbc texts'
    return f"{head} texts ({pooled[1]})" if pooled else f"{head} texts"


def _as_object(group: str, name: str) -> str:
    """A group's display name after 'than': 'commentary'; a pooled group's as 'non-official texts (commentary,
    news, promotional)'."""
    pooled = pooled_name(group, name)
    return f"{pooled[0]} texts ({pooled[1]})" if pooled else name


def _what(f: Finding) -> str:
    """What the finding is about: the construct's words when its main measure (in any voice) shows the difference,
    else the words of the column that does, so a sentence never claims more of what was not measured."""
    main = f.construct.columns[0] if f.construct.columns else f.column
    if f.column.replace("_author", "") == main.replace("_author", ""):
        return f.construct.what
    label = re.split(r":| per 1,000", f.label, maxsplit=1)[0]
    label = _COLUMN_NOTE.sub("", label).strip(" ,;")  # "(higher = harder)", "(0-1; ...)": the column's notes
    return label or f.construct.what


#: a column label's notes on its direction or range, "(higher = harder)", "(0-1; NaN without modals)"
_COLUMN_NOTE = re.compile(r"\s*\((?:higher|lower|0-1|0\.\.1)[^()]*\)")


def _amount(direction: str, what: str) -> str:
    """"more", "less" or, before a plural ("words", "headings"), "fewer"."""
    head = what.split(" ", 1)[0].strip("'\"")
    plural = len(head) > 3 and head.endswith("s") and not head.endswith(("ss", "us", "is"))
    return "fewer" if direction == "less" and plural else direction


def short_label(label: str, width: int = 60) -> str:
    """A column label without its examples: 'hedges per 1,000 words' from 'hedges (may, might …) per 1,000 words'."""
    text = re.sub(r"\s*\([^()]*\)", "", label).replace(" :", ":").strip(" :;")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def support_sentence(f: Finding) -> str:
    """'Measured by deontic modals per 1,000 words; 34 cues in 12 official documents' (and why it is thin)."""
    side = f.group if f.direction == "more" else f.reference
    if f.counted == "document":
        base = f"non-zero in {f.docs_with_cues} {side} document{'s' if f.docs_with_cues != 1 else ''}"
    else:
        base = f"{f.occurrences} cue{'s' if f.occurrences != 1 else ''} in {f.docs_with_cues} {side} document" \
               f"{'s' if f.docs_with_cues != 1 else ''}"
    model = " · the source-type model that made the groups reads these cues: the difference partly restates the " \
            "grouping" if f.model_read else ""
    return f"measured by {short_label(f.label)}; {base}" + (f" — thin: {f.thin_reason}" if f.thin else "") + \
        _quoted_clause(f) + model


def _quoted_clause(f: Finding) -> str:
    """'; the quotes highlight cues of a merged column: we/our/us per 1,000 words, author voice' when the quotes
    show a merged column's cues rather than (or besides) those of the column named (a thin finding's quotes are not
    shown: nothing to say)."""
    others = [short_label(label) for label in f.quoted if label != f.label]
    if f.thin or not others:
        return ""
    merged = "a merged column" if len(others) == 1 else "merged columns"
    return f"; the quotes {'also ' if f.label in f.quoted else ''}highlight cues of {merged}: {' and '.join(others)}"


def units_named(unit: str) -> str:
    """The units of analysis in the plural: "documents", "outlets", or "'desk' values" for a metadata column."""
    return f"{unit}s" if unit in ("document", "outlet") else f"'{unit}' values"


def unit_sentence(comp: Comparison) -> str:
    """The unit of analysis and why, in one sentence."""
    g = comp.grouping
    unit = g.get("unit", g.get("resample_unit", "document"))
    reason = str(g.get("unit_reason", "")).split(": ", 1)
    why = reason[1] if len(reason) == 2 else reason[0]
    units = units_named(unit)
    out = f"Unit of analysis: {units}. Why: {why}." if why else f"Unit of analysis: {units}."
    if g.get("sample"):  # a large corpus read in chunks: where the sentences come from
        out += " " + str(g["sample"])
    return out

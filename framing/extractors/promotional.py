"""Promotional and loaded language: puffery, superlatives, editorialising, calls to action, headline hype.

Cues come from one lexicon (``framing/lexicons/promotional.tsv``) matched in a
single pass over ``doc.segmentation.lower``, plus three cheap rules:
``most``/``least`` + adjective (a periphrastic superlative), exclamation marks,
and listicle/exclamation patterns in the headline. The category map follows
Wikipedia's Manual of Style "Words to watch" (puffery, contentious labels,
unsupported attributions, expressions of doubt, editorializing, synonyms for
*said*, euphemisms and clichés; CC BY-SA 4.0), extended with superlatives,
intensifiers, evaluative adjectives, loaded (charged, pejorative) words,
clickbait phrases, calls to action and direct address of the reader.

Every cue is attributed to a voice with ``doc.attribution.voice_at``: the
author's own, ``quoted`` or ``reported``. Words by which the author *frames*
someone else's words (``claimed``, ``so-called``, ``critics say``) stay in the
author's voice in a reported sentence, unless they sit inside a quotation.

Two document scores, both higher = more promotional / loaded:

* ``promo_density_per_1k`` — transparent: the lexicon weights of the
  author-voice cues per 1,000 words;
* ``promo_score`` — a logistic model (``framing/models/promotional.json``,
  trained by ``framing train promotional``) over rates of (a) each lexicon
  category in the author's voice and in others' voices, (b) frequent lexicon
  cues, (c) the hedging extractor's categories (hedges, boosters, attitude
  markers, vague words: Recasens et al. 2013 found hedges and factive,
  assertive and implicative verbs to mark NPOV bias; the last three are in
  ``framing_verb``) and (d) *style words*: closed-class function words
  (``promotional_style.tsv``: only, however, all, never, ...) and words with
  an adverb, adjective or participle suffix (-ly, -ous, -ive, -ed, ...) seen in
  enough rows of every training file — never bare nouns or capitalised
  names, so it cannot learn topics. Rates are per 100 words with an add-k
  length prior (``count * 100 / (words + k)``): a single cue in a five-word
  line is not read as 20 per 100 words, while for documents of hundreds of
  words it is the plain rate. A probability-like value in 0..1; the logit is
  the sum of the cues' ``weight`` plus the style terms listed in
  ``Result.extra["score_terms"]``. Headline columns do not enter it.

Validation (dev sets in ``../shared/eval``, sentence-as-document, label 1 =
biased): ``framing train promotional ../shared/eval/promo_wikinpov.csv
../shared/eval/promo_babe.csv -o framing/models/promotional.json`` chooses the
length prior k, the style-word scale (a stronger L2 penalty on style words)
and C by 5-fold CV (folds stratified by file x label x subset) and records a
*nested* 5-fold CV ROC AUC (hyper-parameters re-chosen inside every outer
training part; vocabulary and cue support counted on training rows only):
nested CV AUC 0.751 on WikiNPOV and 0.776
on BABE (before this model: plain 5-fold CV 0.715 and 0.756, no length prior,
style words or hedging), selection CV 0.751 and 0.774 at the chosen point
(k=40, scale 0.3, C=0.03), and in-sample AUC (what ``framing evaluate
promotional FILE`` prints with the shipped model) of 0.779 and 0.811. The
WikiNPOV figure sits at the 0.75 target, within fold-split noise of it;
biased vs the ``cw-hard`` neutral subset (neutral sentences that contain
bias-lexicon words) is the hardest contrast (about 0.70).
``framing train promotional FILE... --cv 5`` prints the nested
figures without writing a model. The score is a measure of
subjective, loaded and promotional wording; bias carried by content or
selection alone (a one-sided but plainly worded statement) is out of its reach.

References: Wikipedia, "Manual of Style/Words to watch"; Recasens, Danescu-
Niculescu-Mizil & Jurafsky (2013), Linguistic models for analyzing and
detecting biased language, ACL; Hube & Fetahu (2019), WSDM; Spinde et al.
(2021), BABE, Findings of EMNLP.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress, count
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..cues import cues_of, register_layer
from ..cues.rules import NameGuard
from ..cues.stance import stance_cues
from ..document import Document
from ..lexicon import Lexicon, PhraseMatcher, load_lexicon
from ..model_files import load_model
from ..segment import WORD_RE
from .base import Evidence, Extractor, Result, per_1k, register

__all__ = [
    "CATEGORIES",
    "PromotionalExtractor",
    "model_counts",
    "model_features",
    "promotional_score",
    "style_terms",
]

#: cue categories, in column order (``exclamation`` comes from a rule, the rest from the lexicon)
CATEGORIES: tuple[str, ...] = (
    "puffery", "superlative", "intensifier", "evaluative", "loaded", "contentious_label", "editorializing",
    "unsupported_attribution", "doubt", "framing_verb", "cliche", "clickbait", "call_to_action",
    "reader_address", "first_person", "sentiment_positive", "sentiment_negative", "exclamation",
)
#: lexicon entries that only block shorter cues inside fixed expressions ("Great Britain")
EXCLUDE = "exclude"
#: the author's framing of other people's words: author voice even in a reported sentence
FRAMING_CATEGORIES = frozenset({"framing_verb", "unsupported_attribution", "doubt"})
#: categories that make a headline "hype"
HEADLINE_HYPE_CATEGORIES = frozenset({"puffery", "superlative", "intensifier", "evaluative", "loaded",
                                      "clickbait", "exclamation"})
#: features enter the model as rates per this many words
RATE_UNIT = 100.0
#: suffixes marking adverbs, adjectives and participles: such words (besides function words) may get a style weight
STYLE_SUFFIXES = ("ly", "ful", "ous", "ive", "able", "ible", "ic", "less", "ish", "ed", "ing")
_STYLE_WORD_RE = re.compile(r"[a-z][a-z'-]*\Z")
DESCRIPTIONS = {
    "puffery": "peacock and puffery terms (groundbreaking, pivotal, world-class, bold)",
    "superlative": "superlatives (best, largest, of all time, most + adjective)",
    "intensifier": "intensifiers (very, extremely, truly, massive)",
    "evaluative": "evaluative adjectives and adverbs (excellent, impressive, disastrous, absurd)",
    "loaded": "charged or pejorative words (slammed, chaos, propaganda, radical)",
    "contentious_label": "contentious labels (cult, extremist, denier, controversial)",
    "editorializing": "editorialising adverbs and phrases (notably, sadly, of course, in fact)",
    "unsupported_attribution": "unsupported attributions (some say, critics argue, widely regarded)",
    "doubt": "expressions of doubt (so-called, alleged, purported, supposed)",
    "framing_verb": "loaded synonyms for 'said', factive and implicative verbs (claimed, insisted, knew, failed to)",
    "cliche": "cliches, idioms and euphemisms (a testament to, paradigm shift, passed away)",
    "clickbait": "clickbait phrases (here's why, you won't believe, takes center stage)",
    "call_to_action": "calls to action and social prompts (subscribe, sign up, click, share this)",
    "reader_address": "direct address of the reader (you, your)",
    "first_person": "first-person pronouns (I, we, our): the writer speaking as a person",
    "sentiment_positive": "other positive sentiment words (Pattern subjectivity and VADER lexicons)",
    "sentiment_negative": "other negative sentiment words (Pattern subjectivity and VADER lexicons)",
    "exclamation": "exclamation marks (a run of '!' counts once)",
}


def _category_columns(cat: str) -> tuple[str, ...]:
    return (f"promo_{cat}_count", f"promo_{cat}_per_1k", f"promo_{cat}_author_count", f"promo_{cat}_author_per_1k")


#: categories counted here for the model but reported by the family that owns the construct:
#: first person (framing: ``framing_we_per_1k``), vague attribution (credibility:
#: ``credibility_vague_attributions_per_1k``)
OWNED_ELSEWHERE = frozenset({"first_person", "unsupported_attribution"})
#: praise that a negation cancels ("should not become an exclusive club" praises nothing); a negated evaluative or
#: sentiment word is still evaluation ("not effective"), so those categories keep their negated cues
NEGATABLE = frozenset({"puffery"})

_CATEGORY_COLUMNS = {cat: _category_columns(cat) for cat in CATEGORIES}
COLUMNS: tuple[str, ...] = (
    *(c for cat in CATEGORIES if cat not in OWNED_ELSEWHERE for c in _category_columns(cat)),
    "promo_cues_count", "promo_cues_per_1k", "promo_cues_author_count", "promo_cues_author_per_1k",
    "promo_cues_quoted_count", "promo_cues_reported_count",
    "promo_density_per_1k", "promo_score",
    "promo_headline_hype_count", "promo_headline_clickbait_count", "promo_headline_hype",
    "promo_boilerplate_social_count",
)


def _column_descriptions() -> dict[str, str]:
    out: dict[str, str] = {}
    for cat in CATEGORIES:
        if cat in OWNED_ELSEWHERE:
            continue
        what = DESCRIPTIONS[cat]
        out[f"promo_{cat}_count"] = f"{what}: count, all voices; higher = more"
        out[f"promo_{cat}_per_1k"] = f"{what}: per 1,000 words, all voices; higher = more"
        out[f"promo_{cat}_author_count"] = f"{what}: count in the author's own voice; higher = more"
        out[f"promo_{cat}_author_per_1k"] = f"{what}: per 1,000 words in the author's own voice; higher = more"
    out.update({
        "promo_cues_count": "every cue of this family (puffery, evaluative, loaded and sentiment words, direct "
                            "address ...), all voices (count); higher = more",
        "promo_cues_per_1k": "every cue of this family (puffery, evaluative, loaded and sentiment words, direct "
                             "address ...) per 1,000 words, all voices; higher = more",
        "promo_cues_author_count": "every cue of this family in the author's own voice (count); higher = more",
        "promo_cues_author_per_1k": "every cue of this family in the author's own voice per 1,000 words; "
                                    "higher = more",
        "promo_cues_quoted_count": "cues inside quotations (not the author's words; count); higher = more",
        "promo_cues_reported_count": "cues in reported speech ('..., he said'; count); higher = more",
        "promo_density_per_1k": "every cue of this family in the author's own voice, weighted by its lexicon "
                                "weight, per 1,000 words (transparent score); higher = more",
        "promo_score": "loaded or biased wording: a logistic model trained on sentences labelled biased in WikiNPOV "
                       "and BABE, over cue rates by voice and style words (0..1); higher = more loaded. Not a "
                       "genre label: a one-sided official statement can score as high as an advert "
                       "(genre: source_type_p_promotional)",
        "promo_headline_hype_count": "hype cues in the headline (puffery, superlatives, intensifiers, "
                                     "evaluative and loaded words, clickbait, '!'); count, higher = more hype",
        "promo_headline_clickbait_count": "clickbait patterns in the headline (phrases, listicle number, '!'); "
                                          "count, higher = more clickbait",
        "promo_headline_hype": "1 when the headline has any hype cue, else 0",
        "promo_boilerplate_social_count": "share/subscribe/follow blocks separated from the body at ingestion; "
                                          "count, higher = more social prompts",
    })
    return out


_MOST = frozenset({"most", "least"})
_ADJ_SUFFIXES = ("ful", "ous", "ive", "able", "ible", "al", "ic", "ant", "ent", "ar", "ary", "less", "ed", "ing")
_MOST_STOP = frozenset(["of", "people", "part", "parts", "likely", "recently", "notably", "commonly", "frequently", "often", "cases", "times", "things", "members", "countries", "states", "years", "days", "important"]) - {"important"}
_LISTICLE_RE = re.compile(r"^\s*(\d{1,3})\s+[A-Za-z]")
# "!!*" is "!+" spelled so that the pattern starts with a literal, which Python's regex engine jumps to
# (about thirty times faster on a body with "!" somewhere)
_EXCLAMATION_RE = re.compile(r"!!*")


@register
class PromotionalExtractor(Extractor):
    """Promotional, peacock and loaded language, by voice, with a document score.

    Parameters
    ----------
    lexicon : str or Path, optional
        A lexicon file replacing the packaged ``promotional`` lexicon (same
        categories; see :data:`CATEGORIES`).
    extra_lexicon : str or Path, optional
        A lexicon file whose entries are added to (and override) the lexicon.
    model : str or Path
        The packaged model name or a model JSON written by ``framing train promotional``.
    """

    name = "promotional"
    version = "1"
    columns = COLUMNS
    description = ("Promotional and loaded language (Wikipedia 'Words to watch' categories, superlatives, "
                   "intensifiers, evaluative and charged words, calls to action, headline hype), by voice, "
                   "with a logistic promotional score; higher = more promotional")
    column_descriptions = _column_descriptions()

    def __init__(self, lexicon: str | Path | None = None, extra_lexicon: str | Path | None = None,
                 sentiment_lexicon: str | Path | None = "promotional_sentiment", model: str | Path = "promotional"):
        self.lexicon = lexicon
        self.extra_lexicon = extra_lexicon
        self.sentiment_lexicon = sentiment_lexicon
        self.model = model

    def get_params(self) -> dict[str, Any]:
        return {"lexicon": self.lexicon, "extra_lexicon": self.extra_lexicon,
                "sentiment_lexicon": self.sentiment_lexicon, "model": self.model}

    def __getstate__(self) -> dict[str, Any]:
        # the compiled state is rebuilt on first use after unpickling (it keys cues by object id)
        return {k: v for k, v in self.__dict__.items() if k != "_state_"}

    # ---- resources (loaded on first use, not in __init__) -----------------
    def _state(self) -> _State:
        state = getattr(self, "_state_", None)
        if state is None:
            state = self._state_ = _State.build(self.lexicon, self.extra_lexicon, self.sentiment_lexicon,
                                                self.model)
        return state

    def resources(self) -> list[dict[str, str]]:
        state = self._state()
        model = {"name": "promotional-model", "path": str(self.model), "sha256": state.model.get("sha256", ""),
                 "trained_on": ";".join(f["file"] for f in state.model.get("training", {}).get("files", []))}
        return [lex.provenance() for lex in (*state.lexicons, state.style_lexicon)] + [model]

    # ---- extraction ---------------------------------------------------------
    def extract(self, doc: Document) -> Result:
        state = self._state()
        evidence = find_cues(doc, state)
        doc.cache["promotional_evidence"] = evidence
        n = cues_of(doc).answered_words  # questioners' turns are not the document's words
        features: dict[str, float] = {}
        totals = {"all": 0, "author": 0, "quoted": 0, "reported": 0, "questioner": 0}
        by_cat = {c: [0, 0] for c in CATEGORIES}
        density = 0.0
        for ev in evidence:
            totals[ev.voice] += 1
            if ev.voice == "questioner":  # shown as evidence, not counted
                continue
            counts = by_cat[ev.category]
            counts[0] += 1
            totals["all"] += 1
            if ev.voice == "author":
                counts[1] += 1
                density += state.lexicon_weight.get(ev.cue, 1.0)
        for cat, (n_all, n_author) in by_cat.items():
            if cat in OWNED_ELSEWHERE:
                continue
            c_all, r_all, c_auth, r_auth = _CATEGORY_COLUMNS[cat]
            features.update({c_all: n_all, r_all: per_1k(n_all, n), c_auth: n_author, r_auth: per_1k(n_author, n)})
        features.update({
            "promo_cues_count": totals["all"], "promo_cues_per_1k": per_1k(totals["all"], n),
            "promo_cues_author_count": totals["author"], "promo_cues_author_per_1k": per_1k(totals["author"], n),
            "promo_cues_quoted_count": totals["quoted"], "promo_cues_reported_count": totals["reported"],
            "promo_density_per_1k": per_1k(density, n),
        })
        terms = style_terms(doc, state)
        features["promo_score"] = promotional_score(evidence, state.model, sum(terms.values()))
        headline = headline_hype(doc, state)
        features["promo_headline_hype_count"] = headline["hype_count"]
        features["promo_headline_clickbait_count"] = headline["clickbait_count"]
        features["promo_headline_hype"] = float(headline["hype_count"] > 0)
        features["promo_boilerplate_social_count"] = doc.boilerplate_counts().get("social", 0)
        evidence.extend(headline["evidence"])
        extra = {"headline": {k: v for k, v in headline.items() if k != "evidence"},
                 "score_terms": _score_terms(evidence, terms, state.model)}
        return Result(features, evidence, "", extra)


class _State:
    """Compiled lexicons, matcher and model of one extractor instance."""

    def __init__(self, lexicons: Sequence[Lexicon], model: dict[str, Any], style: Lexicon | None = None):
        entries: dict[str, Any] = {}
        for lex in lexicons:  # later lexicons win on the same term (the hand-written one comes last)
            unknown = sorted({e.category for e in lex.entries} - set(CATEGORIES) - {EXCLUDE})
            if unknown:
                raise ValueError(f"{lex.path}: unknown promotional categories {unknown}; "
                                 f"use one of {', '.join(CATEGORIES)} or '{EXCLUDE}'")
            entries.update({" ".join(e.words): e for e in lex.entries})
        self.lexicons = tuple(lexicons)
        self.matcher = PhraseMatcher(entries.values())  # for metadata titles, which are not documents
        self.layer = register_layer("promotional", entries.values())
        self.lexicon_weight = {term: e.weight for term, e in entries.items()}
        self.adjective_cues = frozenset(term for term, e in entries.items()
                                        if e.category in ("puffery", "evaluative", "sentiment_positive",
                                                          "sentiment_negative") and len(e.words) == 1)
        self.cue_of = {id(e): term for term, e in entries.items()}
        self.model = model
        self.style_lexicon = style
        self.style_words = frozenset(e.term for e in style.entries) if style else frozenset()
        coef = model["coefficients"]
        self.word_coef = {k[2:]: v for k, v in coef.items() if k.startswith("v:")}
        self.uses_hedges = any(k.startswith(("h:", "ho:")) for k in coef)
        self._rule_of: dict[str, str] = {}
        self._cue_weights: dict[tuple[str, str], tuple[float, float]] = {}

    def cue_weights(self, category: str, cue: str) -> tuple[float, float]:
        """A cue's contribution to the model's logit per unit rate: (in the author's voice, in another voice)."""
        key = (category, cue)
        weights = self._cue_weights.get(key)
        if weights is None:
            coef = self.model["coefficients"]
            weights = self._cue_weights[key] = (coef.get("a:" + category, 0.0) + coef.get("w:" + cue, 0.0),
                                                coef.get("o:" + category, 0.0))
        return weights

    def superlative_rule(self, tokens: Sequence[str]) -> dict[str, str]:
        """Token -> ``most`` (most/least), the adjective it is the ``-est`` form of, or ''.

        A memo of every token seen, so each distinct token is examined once.
        """
        memo = self._rule_of
        for t in set(tokens).difference(memo):
            if t in _MOST:
                memo[t] = "most"
            elif len(t) >= 6 and t.endswith("est") and t not in self.lexicon_weight:
                memo[t] = _est_stem(t, self.adjective_cues)
            else:
                memo[t] = ""
        return memo

    def superlative_hits(self, tokens: Sequence[str]) -> list[tuple[int, str]]:
        """(position, rule) of the tokens that :meth:`superlative_rule` gives a rule, in order."""
        try:  # every token seen before (the usual case): one look-up per token, no search for new ones
            rules = list(map(self._rule_of.__getitem__, tokens))
        except KeyError:
            rules = list(map(self.superlative_rule(tokens).__getitem__, tokens))
        return [(i, rules[i]) for i in _indices(rules)]

    @classmethod
    def build(cls, lexicon: str | Path | None = None, extra: str | Path | None = None,
              sentiment: str | Path | None = "promotional_sentiment",
              model: str | Path | None = "promotional") -> _State:
        """Load the lexicons (sentiment first, then the main one, extended by ``extra``) and the model."""
        main = load_lexicon(lexicon) if lexicon else load_lexicon("promotional")
        if extra:
            main = main.extended(load_lexicon(extra))
        lexicons = ([load_lexicon(sentiment)] if sentiment else []) + [main]
        return cls(lexicons, _load_model(str(model)) if model else EMPTY_MODEL, load_lexicon("promotional_style"))


#: the model used before one is trained (every cue weighs 0, the score is 0.5)
EMPTY_MODEL: dict[str, Any] = {"intercept": 0.0, "coefficients": {}, "threshold": 0.5}


@lru_cache(maxsize=8)
def _load_model(name_or_path: str) -> dict[str, Any]:
    import hashlib

    model = load_model(name_or_path)
    model["sha256"] = hashlib.sha256(json.dumps(model, sort_keys=True).encode()).hexdigest()
    return model


# ---------------------------------------------------------------------------
# voices and token positions

def _indices(flags: Iterable[Any]) -> list[int]:
    """Positions of the true values in ``flags``, found without a Python-level loop."""
    return list(compress(count(), flags))


class _SentenceVoices:
    """``doc.attribution.voice_at`` for the many cues of one document, asked once per sentence where that is enough.

    An offset's voice depends on its sentence and on the quotation that holds it, if any: in a sentence that no
    quotation overlaps every offset has the same voice, asked for once (:attr:`by_sentence`). Offsets in sentences
    with a quotation, or outside every sentence, are asked one by one.
    """

    def __init__(self, doc: Document):
        seg, attribution = doc.segmentation, doc.attribution
        self.voice_at = attribution.voice_at
        with_quotes = _sentences_with_quotes(seg, attribution.quotes)
        #: each sentence's voice, or None for a sentence with a quotation (ask :meth:`__call__` for those)
        self.by_sentence: list[str | None] = [None if si in with_quotes else self.voice_at(start, si)
                                              for si, (start, _) in enumerate(seg.sentences)]

    def __call__(self, offset: int, sentence: int) -> str:
        """The voice at character ``offset`` of sentence ``sentence``."""
        voice = self.by_sentence[sentence] if sentence >= 0 else None
        return voice or self.voice_at(offset, sentence)


def _sentences_with_quotes(seg: Any, quotes: Sequence[tuple[int, int]]) -> frozenset[int]:
    """Indices of the sentences whose span overlaps a quotation (or might: the test errs on the side of more)."""
    if not quotes:
        return frozenset()
    starts = [s for s, _ in seg.sentences]
    out: set[int] = set()
    for qs, qe in quotes:
        out.update(range(max(bisect_right(starts, qs) - 1, 0), bisect_left(starts, qe)))
    return frozenset(out)


def voices_of(doc: Document) -> _SentenceVoices:
    """The document's voice lookup (see :class:`_SentenceVoices`), shared by the cue, stance and style passes."""
    voices = doc.cache.get("promotional_voices")
    if voices is None:
        voices = doc.cache["promotional_voices"] = _SentenceVoices(doc)
    return voices


# ---------------------------------------------------------------------------
# cue finding

def find_cues(doc: Document, state: _State) -> list[Evidence]:
    """Every promotional cue in ``doc.body``, in text order, with category, voice and offsets.

    Each cue's ``weight`` is its contribution to the model's logit (0 without a model).
    """
    seg = doc.segmentation
    tokens = seg.tokens
    tok_sent = seg.token_sentence
    make = _CueMaker(doc, state)
    cue_of = state.cue_of
    words = seg.words
    names = NameGuard(seg)
    cues = cues_of(doc)
    for m in cues.layer(state.layer):
        entry = m.entry
        start, end = tokens[m.first][0], tokens[m.last - 1][1]
        if entry.category == EXCLUDE or (m.last - m.first == 1 and cues.is_acronym(m.first)):
            continue
        if words[m.first][:1].isupper() and names.in_name(m.first, m.last):
            continue
        if entry.category in NEGATABLE and cues.negated(m.first):
            continue
        make(entry.category, cue_of[id(entry)], start, end, tok_sent[m.first])
    _superlative_rules(doc, state, make)
    _exclamations(doc, make)
    make.out.sort(key=attrgetter("start", "end"))
    return make.out


class _CueMaker:
    """Builds the evidence of one document: voice, and the cue's contribution to the model's logit."""

    def __init__(self, doc: Document, state: _State):
        self.body = doc.body
        self.voice_at = voices_of(doc)
        self.weights = state.cue_weights
        self.unit = rate_unit(doc.segmentation.n_words, state.model)
        self.transcript = cues_of(doc).questioner_words > 0
        self.out: list[Evidence] = []

    def __call__(self, cat: str, cue: str, start: int, end: int, sentence: int, note: str = "") -> None:
        voice = self.voice_at(start, sentence)
        if voice == "reported" and cat in FRAMING_CATEGORIES:
            voice = "author"
            note = note or "the author's framing of reported words"
        if cat == "reader_address" and self.transcript and voice != "questioner":
            return  # a Q&A transcript's answers speak to the questioner: their "you" is not the reader's
        w = self.weights(cat, cue)[voice != "author"]
        self.out.append(Evidence("promotional", cat, cue, self.body[start:end], start, end, sentence, voice,
                                 w * self.unit, note))


def _superlative_rules(doc: Document, state: _State, make: _CueMaker) -> None:
    """Superlatives the lexicon does not list.

    ``most``/``least`` + an adjective-like word (most powerful, least effective),
    and ``-est`` forms of a subjective adjective of the lexicons (coolest,
    nicest, happiest; biggest only if ``big`` were listed).
    """
    seg = doc.segmentation
    lower = seg.lower
    n = len(lower)
    for i, rule in state.superlative_hits(lower):
        t = lower[i]
        last = i
        if rule == "most":
            if i + 1 >= n or seg.token_sentence[i + 1] != seg.token_sentence[i]:
                continue
            nxt = lower[i + 1]
            if nxt in _MOST_STOP or not (nxt in state.adjective_cues or nxt.endswith(_ADJ_SUFFIXES)):
                continue
            last, cue, note = i + 1, f"{t} +adjective", "periphrastic superlative"
        else:
            cue, note = "-est +adjective", f"superlative of '{rule}'"
        make("superlative", cue, seg.tokens[i][0], seg.tokens[last][1], seg.token_sentence[i], note)


def _est_stem(token: str, adjectives: frozenset[str]) -> str:
    """The listed adjective that ``token`` is the ``-est`` form of ('' if none)."""
    base = token[:-3]
    for stem in (base, token[:-2], base[:-1] if len(base) > 2 and base[-1] == base[-2] else "",
                 base[:-1] + "y" if base.endswith("i") else ""):
        if stem and stem in adjectives:
            return stem
    return ""


def _exclamations(doc: Document, make: _CueMaker) -> None:
    body = doc.body
    if "!" not in body:
        return
    seg = doc.segmentation
    for m in _EXCLAMATION_RE.finditer(body):
        make("exclamation", "!", m.start(), m.end(), seg.sentence_at(m.start()))


# ---------------------------------------------------------------------------
# headline

def headline_span(doc: Document) -> tuple[int, int] | None:
    """Character span of the headline in ``doc.body``: the title where the body contains it, else sentence 0."""
    title = _fold_quotes(doc.title.strip())
    if title:
        i = _fold_quotes(doc.body[:4000]).find(title)
        if i >= 0:
            return i, i + len(title)
    sents = doc.segmentation.sentences
    if title or not sents:
        return None
    return sents[0]


def _fold_quotes(text: str) -> str:
    """Curly quotes and apostrophes as straight ones (same length, so offsets are kept)."""
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def headline_hype(doc: Document, state: _State) -> dict[str, Any]:
    """Hype cues in the headline (the title, or the first sentence when there is no title).

    Returns ``hype_count``, ``clickbait_count``, ``source`` and ``evidence``.
    ``source`` is ``body`` when the headline was found in the body (evidence
    then has body offsets) or ``title`` when it exists only in the metadata:
    the hits, with offsets into ``doc.title``, are then listed under ``hits``
    instead of the body evidence.
    """
    span = headline_span(doc)
    if span is not None:
        text, base, source = doc.body[span[0]:span[1]], span[0], "body"
        cues = [ev for ev in doc.cache.get("promotional_evidence", ()) if span[0] <= ev.start and ev.end <= span[1]]
    else:
        text, base, source = doc.title, 0, "title"
        cues = _title_cues(doc.title, state)
    hits = [_headline_evidence(ev, f"headline_{ev.category}") for ev in cues
            if ev.category in HEADLINE_HYPE_CATEGORIES]
    m = _LISTICLE_RE.match(text)
    if m:
        s, e = base + m.start(1), base + m.end(1)
        sentence = doc.segmentation.sentence_at(s) if source == "body" else -1
        hits.append(Evidence("promotional", "headline_listicle", "number-led headline", m.group(1), s, e,
                             sentence, "author", 0.0, "in the headline (not in promo_score)"))
    clickbait = [ev for ev in hits if ev.category in ("headline_clickbait", "headline_exclamation",
                                                        "headline_listicle")]
    result: dict[str, Any] = {"source": source, "text": text, "hype_count": len(hits),
                              "clickbait_count": len(clickbait), "evidence": hits if source == "body" else []}
    if source == "title":
        result["hits"] = [ev.to_dict() for ev in hits]
    return result


def _headline_evidence(ev: Evidence, category: str) -> Evidence:
    return Evidence(ev.extractor, category, ev.cue, ev.text, ev.start, ev.end, ev.sentence, ev.voice, 0.0,
                    "in the headline (not in promo_score)")


def _title_cues(title: str, state: _State) -> list[Evidence]:
    """Cues in a metadata title that the body does not contain (offsets index the title)."""
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(title)]
    lower = [title[s:e].lower().replace("’", "'") for s, e in spans]
    out = []
    for m in state.matcher.find(lower):
        if m.entry.category != EXCLUDE:
            s, e = spans[m.first][0], spans[m.last - 1][1]
            out.append(Evidence("promotional", m.entry.category, " ".join(m.entry.words), title[s:e], s, e))
    for m in _EXCLAMATION_RE.finditer(title):
        out.append(Evidence("promotional", "exclamation", "!", m.group(0), m.start(), m.end()))
    return out


# ---------------------------------------------------------------------------
# the model

def rate_unit(n_words: int, model: dict[str, Any]) -> float:
    """What one occurrence adds to a model rate: ``RATE_UNIT / (n_words + k)``, k the model's length prior."""
    return RATE_UNIT / (n_words + model.get("length_prior", 0.0)) if n_words else 0.0


def model_counts(doc: Document, evidence: Sequence[Evidence], style_words: frozenset[str]) -> dict[str, float]:
    """Occurrence counts of every feature the promotional model can read (before vocabulary selection).

    ``a:CATEGORY`` (author voice), ``o:CATEGORY`` (quoted or reported),
    ``w:CUE`` (one lexicon cue in the author's voice), ``h:CATEGORY`` /
    ``ho:CATEGORY`` (hedging-extractor cues in the author's / others' voice)
    and ``v:WORD`` (a candidate style word in the author's voice).
    """
    out: dict[str, float] = {}

    def add(key: str) -> None:
        out[key] = out.get(key, 0.0) + 1.0

    for ev in evidence:
        if ev.category.startswith("headline_"):
            continue
        if ev.voice == "author":
            add(f"a:{ev.category}")
            add(f"w:{ev.cue}")
        else:
            add(f"o:{ev.category}")
    for voice, category in _stance_features(doc):
        add(("h:" if voice == "author" else "ho:") + category)
    for word in _author_style_tokens(doc, lambda t: is_style_candidate(t, style_words)):
        add("v:" + word)
    return out


_STANCE_FEATURES = frozenset(("hedge", "booster", "attitude", "self_mention", "vague"))


def _stance_features(doc: Document) -> list[tuple[str, str]]:
    """(voice, category) of the cue layer's stance cues (hedges, boosters, attitude, self-mentions, vague words)."""
    if doc.na_reason:
        return []
    spans = doc.segmentation.tokens
    voice = voices_of(doc)
    return [(voice(spans[c.first][0], c.sentence), c.category) for c in stance_cues(doc)
            if c.category in _STANCE_FEATURES]


def is_style_candidate(token: str, style_words: frozenset[str]) -> bool:
    """A function word, or a lower-case word with an adverb/adjective/participle suffix (not a bare noun)."""
    return token in style_words or (token.endswith(STYLE_SUFFIXES) and bool(_STYLE_WORD_RE.match(token)))


def _author_style_tokens(doc: Document, keep: Any) -> list[str]:
    """Lower-cased tokens passing ``keep`` in the author's voice, skipping capitalised words inside a sentence."""
    seg = doc.segmentation
    lower, tok_sent, tokens, words = seg.lower, seg.token_sentence, seg.tokens, seg.words
    voices = voices_of(doc)
    by_sentence, voice_at = voices.by_sentence, voices.voice_at
    out = []
    for i in _indices(map(keep, lower)):
        si = tok_sent[i]
        if i and tok_sent[i - 1] == si and words[i][:1].isupper():
            continue  # part of a name or title
        if (by_sentence[si] or voice_at(tokens[i][0], si)) == "author":
            out.append(lower[i])
    return out


def model_features(counts: dict[str, float], n_words: int, length_prior: float, word_scale: float = 1.0
                   ) -> dict[str, float]:
    """Counts as rates per 100 words with an add-``length_prior`` denominator; style words times ``word_scale``."""
    if not n_words:
        return {}
    unit = RATE_UNIT / (n_words + length_prior)
    return {k: v * unit * (word_scale if k.startswith("v:") else 1.0) for k, v in counts.items()}


def style_terms(doc: Document, state: _State) -> dict[str, float]:
    """Logit contributions of hedging categories (``h:``/``ho:``) and learned style words (``v:WORD``)."""
    coef = state.model["coefficients"]
    unit = rate_unit(doc.segmentation.n_words, state.model)
    out: dict[str, float] = {}
    if not unit:
        return out
    if state.uses_hedges:
        for voice, category in _stance_features(doc):
            key = ("h:" if voice == "author" else "ho:") + category
            if key in coef:
                out[key] = out.get(key, 0.0) + coef[key] * unit
    word_coef = state.word_coef
    if word_coef:
        for word, n in Counter(_author_style_tokens(doc, word_coef.__contains__)).items():
            out["v:" + word] = _running_total(word_coef[word] * unit, n)
    return out


def _running_total(value: float, n: int) -> float:
    """``value`` added ``n`` times to 0.0, one at a time: bit for bit the total of adding it per occurrence
    (``n * value`` can differ in the last bit)."""
    total = 0.0
    for _ in range(n):
        total += value
    return total


def _score_terms(evidence: Sequence[Evidence], terms: dict[str, float], model: dict[str, Any]) -> dict[str, Any]:
    """The parts of ``promo_score``'s logit: intercept, lexicon cues, hedging categories, style words."""
    return {"intercept": model["intercept"],
            "cues": round(sum(ev.weight for ev in evidence if not ev.category.startswith("headline_")), 5),
            "hedging": {k: round(v, 5) for k, v in terms.items() if not k.startswith("v:")},
            "style_words": {k[2:]: round(v, 5) for k, v in sorted(terms.items(), key=lambda kv: -abs(kv[1]))
                            if k.startswith("v:")}}


def promotional_score(evidence: Sequence[Evidence], model: dict[str, Any], style_logit: float = 0.0) -> float:
    """The model's probability for a document (higher = more promotional) from its cues' logit contributions.

    ``style_logit`` is the sum of :func:`style_terms` (hedging categories and style words).
    """
    logit = model["intercept"] + style_logit + sum(ev.weight for ev in evidence
                                                   if not ev.category.startswith("headline_"))
    return 1.0 / (1.0 + math.exp(-logit))

"""Hedging: Hyland's interactional metadiscourse, in the author's voice and in others'.

Counts hedges (may, might, suggest, perhaps, to some extent …), boosters
(clearly, certainly, in fact, must …), attitude markers, self-mentions and
vague attribution ("some experts say", weasel words) from the packaged
lexicon ``framing/lexicons/hedging.tsv`` (or a user's), and decides for every
sentence whether it is *uncertain*, with a probability from a small logistic
regression trained on BioScope, SFU Review and WikiWeasel
(``framing train hedging …``; coefficients in ``framing/models/hedging.json``).

The cues come from the cue layer (:mod:`framing.cues.stance`): one pass over the tokens for every lexicon,
negation scope and acronyms decided once, and the rules that settle each reading ("May" the month, deontic
vs epistemic modals, "China believes" as a stance rather than a hedge). This module only aggregates them and
runs the sentence model.

Constructs owned elsewhere are not recounted here: first person is the framing family's
(``framing_we_per_1k``), vague attribution the credibility family's
(``credibility_vague_attributions_per_1k``); both remain features of the sentence model.

Every cue gets a voice from :attr:`Document.attribution` (``author``,
``quoted``, ``reported`` or ``questioner``), so commentary that quotes an
official does not inherit the official's hedges and a journalist's question
is not the spokesperson's: ``*_author_*`` columns count the document's own
voice, ``*_reported_*`` columns everyone else's.

The uncertain-sentence share counts *epistemic* uncertainty only: a sentence the model flags whose only modal
cues are obligations or abilities ("countries should cooperate", "we can build") is not counted as uncertain,
since the model follows SFU's labels there (see below).

Validation (label 1 = uncertain sentence; the figures are stored in the model
under ``training.in_sample`` and ``training.cross_validation``)::

    framing train hedging ../shared/eval/hedging_{bioscope,sfu,wikiweasel}.csv -o framing/models/hedging.json
    framing evaluate hedging ../shared/eval/hedging_bioscope.csv --json      # in-sample
    framing train hedging ../shared/eval/hedging_{bioscope,sfu,wikiweasel}.csv --cv 5     # cross-validated

The sentence model follows its training data: SFU labels deontic and
ability modals ("you should buy it", "it can hold") as speculation (about 95%
of its sentences whose only modal cue has such a reading are labelled 1), so
the model's uncertain-sentence share counts such sentences too, whereas the
hedge columns count only the epistemic readings the rules keep. Leaving those
readings out of the model costs about 0.08 F1 on SFU (0.72, under target).

References
----------
Hyland K. (2005). *Metadiscourse: Exploring Interaction in Writing*. Continuum.
Hyland K. (1998). *Hedging in Scientific Research Articles*. Benjamins.
Farkas R. et al. (2010). The CoNLL-2010 Shared Task: Learning to detect hedges
and their scope in natural language text. CoNLL 2010, 1-12.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..cues import cues_of
from ..cues.stance import COUNTED_CATEGORIES, RULES, Cue, find_cues, stance_cues, stance_layer
from ..document import Document
from ..lexicon import Lexicon, PhraseMatcher, load_lexicon
from ..model_files import load_model
from ..segment import Segmentation, segment
from .base import NAN, Evidence, Extractor, Result, per_1k, register

#: stance readings that make a sentence epistemically uncertain, and those that mark obligation or ability only
_UNCERTAINTY_MARKERS = frozenset(("hedge", "vague", "vague_quantifier", "unnamed_source", "peacock"))
_NON_EPISTEMIC = frozenset(("deontic", "ability", "request"))
#: categories this family reports as columns (self-mentions and vague words are owned by other families)
REPORTED_CATEGORIES = ("hedge", "booster", "attitude")
_PLURAL = {"hedge": "hedges", "booster": "boosters", "attitude": "attitude"}

__all__ = [
    "COUNTED_CATEGORIES",
    "REPORTED_CATEGORIES",
    "RULES",
    "Cue",
    "HedgingExtractor",
    "find_cues",
    "hedge_matches",
    "sentence_uncertainty",
    "text_uncertainty",
]

#: categories that are counted (the others record a rejected reading, e.g. ``month``)
# ---------------------------------------------------------------------------
# the sentence-uncertainty model

class UncertaintyModel:
    """Logistic regression over cue and word features of a span of tokens.

    Parameters
    ----------
    model : dict
        The JSON model (``coefficients``, ``intercept``, ``threshold``,
        ``vocabulary``) written by ``framing train hedging``.
    """

    def __init__(self, model: dict[str, Any]):
        self.model = model
        self.coef: dict[str, float] = dict(model["coefficients"])
        self.intercept = float(model["intercept"])
        self.threshold = float(model["threshold"])
        self.vocabulary = frozenset(model.get("vocabulary", ()))
        self.heads = frozenset(w.split(" ", 1)[0] for w in self.vocabulary if " " in w)
        #: each pair's first word -> the words that follow it in the vocabulary's pairs
        self.pairs: dict[str, frozenset[str]] = {
            head: frozenset(w.split(" ", 1)[1] for w in self.vocabulary if w.startswith(head + " "))
            for head in self.heads}

    def probability(self, features: dict[str, float]) -> float:
        """P(uncertain) for one span's features (higher = more likely uncertain)."""
        coef = self.coef
        z = self.intercept
        for name, value in features.items():
            w = coef.get(name)
            if w is not None:
                z += w * value
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def sentence_probabilities(self, seg: Segmentation, cues: Sequence[Cue],
                               found: dict[int, set[str]]) -> list[float]:
        """``probability(span_features(...))`` of every sentence of ``seg``, without building the features.

        ``cues`` are the document's cues, ``found`` its vocabulary words and pairs by sentence
        (:func:`vocabulary_by_sentence`). Each feature's weight is added to the intercept in the order
        :func:`span_features` inserts the feature (a feature met again is not added again), so every sum, and
        so every probability, is the same to the last bit; a cue's weighted features are worked out once per
        (category, term, negated) and remembered.
        """
        by_sentence: dict[int, list[Cue]] = {}
        for cue in cues:
            by_sentence.setdefault(cue.sentence, []).append(cue)
        coef, intercept, terms_of = self.coef, self.intercept, self._cue_terms
        w_len, w_cues, w_question = coef.get("len"), coef.get("cues"), coef.get("question")
        tokens, text = seg.tokens, seg.text
        log1p, log, exp = math.log1p, math.log, math.exp
        bounds = [seg.sentence_tokens(si) for si in range(seg.n_sentences)]
        out = []
        for si, (first, last) in enumerate(bounds):
            z = intercept
            n_marked = 0
            sentence_cues = by_sentence.get(si)
            if sentence_cues:
                seen: set[str] = set()
                for cue in sentence_cues:
                    key = (cue.category, cue.term, cue.negated)
                    terms = terms_of.get(key)
                    if terms is None:
                        terms = terms_of[key] = self._weighted_cue_features(*key)
                    if terms[0]:
                        n_marked += 1
                    for name, w in terms[1]:
                        if name not in seen:
                            seen.add(name)
                            z += w
            words = found.get(si)
            if words:
                for w in sorted(words):
                    weight = coef.get("w=" + w)
                    if weight is not None:
                        z += weight
            if w_len is not None:
                z += w_len * log1p(last - first)
            if n_marked > 1 and w_cues is not None:
                z += w_cues * log(n_marked)
            if last > first and w_question is not None:
                end = tokens[last - 1][1]
                if text[end:end + 3].lstrip(" \"'”’)").startswith("?"):
                    z += w_question * 1.0
            out.append(1.0 / (1.0 + exp(-z)) if z > -700 else 0.0)
        return out

    @cached_property
    def _cue_terms(self) -> dict[tuple[str, str, bool], tuple[bool, tuple[tuple[str, float], ...]]]:
        return {}

    def _weighted_cue_features(self, category: str, term: str, negated: bool
                               ) -> tuple[bool, tuple[tuple[str, float], ...]]:
        """Whether a cue marks uncertainty, and its features that have a weight, in :func:`span_features`' order."""
        names = ["cat=" + category, "cue=" + term + "/" + category]
        if negated:
            names.append("negated=" + category)
        coef = self.coef
        return (category in _UNCERTAINTY_MARKERS,
                tuple((name, coef[name] * 1.0) for name in names if coef.get(name) is not None))


def span_features(seg: Segmentation, cues: Sequence[Cue], first: int, last: int,
                  vocabulary: frozenset[str], heads: frozenset[str] | None = None,
                  found: Iterable[str] | None = None) -> dict[str, float]:
    """Features of tokens ``[first, last)`` given the cues inside them.

    ``cat=<category>`` and ``cue=<term>/<category>`` are presence indicators
    of the cue readings, ``w=<word>`` of vocabulary words and word pairs
    (``heads``, the first words of the vocabulary's pairs, only saves
    lookups; ``None`` = try every pair), ``len`` the log
    token count and ``question`` whether the span ends with a question mark.
    ``found``, when given, is the vocabulary words and pairs of the span already looked up
    (:func:`vocabulary_by_sentence`); otherwise the span's words are looked up here.
    """
    feats: dict[str, float] = {}
    n_marked = 0
    for cue in cues:
        if cue.category in _UNCERTAINTY_MARKERS:
            n_marked += 1
        feats["cat=" + cue.category] = 1.0
        feats["cue=" + cue.term + "/" + cue.category] = 1.0
        if cue.negated:
            feats["negated=" + cue.category] = 1.0
    if found is None:
        words = seg.lower[first:last]
        candidate_pairs: Iterable[tuple[str, str]] = itertools.pairwise(words)
        if heads is not None:  # only the pairs whose first word can start a vocabulary pair
            candidate_pairs = itertools.compress(candidate_pairs, map(heads.__contains__, words))
        pairs = list(map(" ".join, candidate_pairs))
        found = vocabulary.intersection(words + pairs)
    for w in sorted(found):  # a fixed order: sums equal in every process
        feats["w=" + w] = 1.0
    feats["len"] = math.log1p(last - first)
    if n_marked > 1:
        feats["cues"] = math.log(n_marked)
    if last > first:
        end = seg.tokens[last - 1][1]
        if seg.text[end:end + 3].lstrip(" \"'”’)").startswith("?"):
            feats["question"] = 1.0
    return feats


def vocabulary_by_sentence(seg: Segmentation, vocabulary: frozenset[str],
                           pairs: dict[str, frozenset[str]]) -> dict[int, set[str]]:
    """The vocabulary words and word pairs (``pairs``: first word -> second words) in each sentence that has any.

    What :func:`span_features` finds in each sentence's words, for the whole document at once: the tokens that are
    vocabulary words, and those that can start a vocabulary pair, are found in C (``map`` over the document) and
    only they are visited; a pair's string is made only when it is in the vocabulary. A pair never spans two
    sentences.
    """
    lower, token_sentence = seg.lower, seg.token_sentence
    found: dict[int, set[str]] = {}
    for i in itertools.compress(itertools.count(), map(vocabulary.__contains__, lower)):
        found.setdefault(token_sentence[i], set()).add(lower[i])
    last = len(lower) - 1
    for i in itertools.compress(itertools.count(), map(pairs.__contains__, lower)):
        if i < last and lower[i + 1] in pairs[lower[i]] and token_sentence[i + 1] == token_sentence[i]:
            found.setdefault(token_sentence[i], set()).add(lower[i] + " " + lower[i + 1])
    return found


# ---------------------------------------------------------------------------
# packaged resources, loaded once

_DEFAULTS: dict[str, Any] = {}


def _default_extractor() -> HedgingExtractor:
    if "extractor" not in _DEFAULTS:
        _DEFAULTS["extractor"] = HedgingExtractor()
    return _DEFAULTS["extractor"]


def hedge_matches(doc: Document, extractor: HedgingExtractor | None = None) -> list[Evidence]:
    """Every counted hedging cue of ``doc`` as :class:`Evidence`, memoised in ``doc.cache``.

    Categories are ``hedge``, ``booster``, ``attitude``, ``self_mention`` and
    ``vague``; ``voice`` says whether the cue is the author's own, quoted or
    reported. Empty for empty and non-English documents.
    """
    return (extractor or _default_extractor()).evidence(doc)


def sentence_uncertainty(doc: Document, extractor: HedgingExtractor | None = None) -> list[float]:
    """P(uncertain) for every sentence of ``doc`` (NaN for non-English/empty documents), memoised.

    Higher = more likely that the sentence expresses uncertainty (CoNLL-2010
    task 1 sense); compare with the model's ``threshold`` for a decision.
    """
    return (extractor or _default_extractor()).sentence_probabilities(doc)


def text_uncertainty(texts: Sequence[str], extractor: HedgingExtractor | None = None) -> list[float]:
    """P(uncertain) for each text taken as one unit (e.g. one sentence per row of an evaluation file)."""
    return (extractor or _default_extractor()).text_probabilities(texts)


# ---------------------------------------------------------------------------
# the extractor

def _columns() -> tuple[str, ...]:
    cols: list[str] = []
    for cat in ("hedges", "boosters"):
        for voice in ("", "_author", "_reported"):
            cols += [f"hedging_{cat}{voice}_count", f"hedging_{cat}{voice}_per_1k"]
    cols += ["hedging_balance", "hedging_balance_author",
             "hedging_uncertain_sentences_count", "hedging_uncertain_sentences_share",
             "hedging_uncertain_sentences_author_share", "hedging_mean_uncertainty"]
    cols += ["hedging_attitude_count", "hedging_attitude_per_1k", "hedging_attitude_author_per_1k"]
    cols += ["hedging_author_word_share"]
    return tuple(cols)


def _column_descriptions() -> dict[str, str]:
    d: dict[str, str] = {}
    what = {"hedges": "hedges (may, might, perhaps, suggest, negated boosters …); higher = more tentative",
            "boosters": "boosters (clearly, certainly, in fact, epistemic must …); higher = more assertive"}
    voices = {"": "in any voice", "_author": "in the author's own voice",
              "_reported": "inside quotations or reported speech"}
    for cat, text in what.items():
        for v, vtext in voices.items():
            d[f"hedging_{cat}{v}_count"] = f"number of {text.split(';')[0]} {vtext};{text.split(';')[1]}"
            denom = {"": "words", "_author": "author-voice words", "_reported": "quoted/reported words"}[v]
            d[f"hedging_{cat}{v}_per_1k"] = f"{text.split(';')[0]} {vtext} per 1,000 {denom};{text.split(';')[1]}"
    d["hedging_balance"] = ("(hedges - boosters) / (hedges + boosters), all voices; +1 = only hedges (tentative), "
                            "-1 = only boosters (assertive); NaN when there are neither")
    d["hedging_balance_author"] = ("the hedge/booster balance in the author's own voice, -1..+1; +1 = only hedges "
                                   "(tentative), -1 = only boosters (assertive)")
    d["hedging_uncertain_sentences_count"] = ("sentences judged epistemically uncertain (model probability >= "
                                            "threshold, not only obligation or ability); higher = more tentative")
    d["hedging_uncertain_sentences_share"] = ("share of sentences judged epistemically uncertain (obligation and "
                                              "ability alone do not count; questioners' turns left out), 0..1; "
                                              "higher = more tentative")
    d["hedging_uncertain_sentences_author_share"] = ("share of author-voice sentences (not reported, mostly "
                                                     "outside quotes) judged uncertain, 0..1")
    d["hedging_mean_uncertainty"] = "mean sentence probability of uncertainty, 0..1; higher = more tentative"
    d["hedging_attitude_count"] = ("attitude markers (unfortunately, surprisingly, important …); count, "
                                   "higher = more evaluative")
    d["hedging_attitude_per_1k"] = "attitude markers per 1,000 words; higher = more evaluative"
    d["hedging_attitude_author_per_1k"] = ("attitude markers in the author's voice per 1,000 author-voice words; "
                                           "higher = more evaluative")
    d["hedging_author_word_share"] = "share of words in the author's own voice (not quoted or reported), 0..1"
    return d


@dataclass(frozen=True)
class _Loaded:
    """What a :class:`HedgingExtractor` loads on first use."""

    lexicon: Lexicon
    matcher: PhraseMatcher
    model_json: dict[str, Any]
    model: UncertaintyModel
    key: str
    layer: str


@register
class HedgingExtractor(Extractor):
    """Hedges, boosters, attitude markers, self-mentions and sentence uncertainty (Hyland 2005).

    Parameters
    ----------
    lexicon : str or Path, optional
        A lexicon file replacing the packaged ``hedging`` lexicon.
    extend : str or Path, optional
        A lexicon file whose entries are added to (and override) the lexicon.
    model : str or Path, optional
        A model JSON replacing the packaged ``hedging`` model.
    """

    name = "hedging"
    version = "1"
    description = ("Hyland's interactional metadiscourse: hedges, boosters and attitude markers per 1,000 words, "
                   "split by voice (author vs quoted/reported/questioner), and the share of sentences a "
                   "logistic-regression model judges epistemically uncertain.")
    columns = _columns()
    column_descriptions = _column_descriptions()

    def __init__(self, lexicon: str | Path | None = None, extend: str | Path | None = None,
                 model: str | Path | None = None):
        self.lexicon = lexicon
        self.extend = extend
        self.model = model

    @cached_property
    def _state(self) -> _Loaded:
        """Lexicon, matcher and model, loaded on first use."""
        lex = load_lexicon(self.lexicon or "hedging")
        if self.extend is not None:
            lex = lex.extended(load_lexicon(self.extend))
        model_json = load_model(self.model or "hedging")
        key = "hedging:" + lex.sha256[:16] + ":" + str(model_json.get("fingerprint", self.model))
        return _Loaded(lex, PhraseMatcher(lex.entries), model_json, UncertaintyModel(model_json), key,
                       stance_layer(lex.entries))

    @property
    def _lexicon(self) -> Lexicon:
        return self._state.lexicon

    @property
    def _matcher(self) -> PhraseMatcher:
        return self._state.matcher

    @property
    def _model_json(self) -> dict[str, Any]:
        return self._state.model_json

    @property
    def _model(self) -> UncertaintyModel:
        return self._state.model

    @property
    def _key(self) -> str:
        return self._state.key

    def get_params(self) -> dict[str, Any]:
        return {"lexicon": self.lexicon, "extend": self.extend, "model": self.model}

    def resources(self) -> list[dict[str, str]]:
        m = self._model_json
        return [self._lexicon.provenance(),
                {"name": "hedging model", "version": str(m.get("version", "")), "path": str(self.model or
                 "framing/models/hedging.json"), "threshold": str(self._model.threshold),
                 "trained_on": ";".join(f["file"] for f in m.get("training", {}).get("files", []))}]

    @property
    def threshold(self) -> float:
        """Probability at or above which a sentence is judged uncertain."""
        return self._model.threshold

    # ---- shared, memoised work -------------------------------------------
    def cues(self, doc: Document) -> list[Cue]:
        """Disambiguated cues of ``doc`` (counted and rejected readings), memoised in ``doc.cache``."""
        return stance_cues(doc, self._state.layer)

    def evidence(self, doc: Document) -> list[Evidence]:
        """The counted cues of ``doc`` as evidence with voice, memoised in ``doc.cache``."""
        key = self._key + ":evidence"
        cached = doc.cache.get(key)
        if cached is None:
            cached = self._evidence(doc) if not doc.na_reason else []
            doc.cache[key] = cached
        return cached

    def _evidence(self, doc: Document) -> list[Evidence]:
        seg = doc.segmentation
        spans = seg.tokens
        body = doc.body
        voice_at = doc.attribution.voice_at
        out = []
        for cue in self.cues(doc):
            if cue.category not in REPORTED_CATEGORIES:
                continue
            start, end = spans[cue.first][0], spans[cue.last - 1][1]
            voice = voice_at(start, cue.sentence)
            weight, note = 1.0, cue.note
            if voice == "questioner":  # a journalist's words: shown, not counted
                weight, note = 0.0, "questioner: not counted" + (f"; {cue.note}" if cue.note else "")
            out.append(Evidence(self.name, cue.category, cue.term, body[start:end], start, end, cue.sentence,
                                voice, weight, note))
        return out

    def sentence_probabilities(self, doc: Document) -> list[float]:
        """P(uncertain) per sentence of ``doc`` (NaN for every sentence when it cannot be scored)."""
        key = self._key + ":sentences"
        cached = doc.cache.get(key)
        if cached is None:
            seg = doc.segmentation
            if doc.na_reason:
                cached = [NAN] * seg.n_sentences
            else:
                cached = self._sentence_probabilities(seg, self.cues(doc))
            doc.cache[key] = cached
        return cached

    def _sentence_probabilities(self, seg: Segmentation, cues: Sequence[Cue]) -> list[float]:
        model = self._model
        return model.sentence_probabilities(seg, cues, vocabulary_by_sentence(seg, model.vocabulary, model.pairs))

    def text_probabilities(self, texts: Sequence[str]) -> list[float]:
        """P(uncertain) for each text as one unit (all its sentences' tokens together)."""
        return [self._model.probability(self.text_features(t)) for t in texts]

    def text_features(self, text: str) -> dict[str, float]:
        """Model features of a whole text taken as one unit."""
        seg = segment(text)
        return span_features(seg, find_cues(seg, self._matcher), 0, seg.n_words, self._model.vocabulary,
                             self._model.heads)

    # ---- the columns -------------------------------------------------------
    lazy_evidence = True

    def extract(self, doc: Document, evidence: bool = True) -> Result:
        seg = doc.segmentation
        layer = cues_of(doc)
        n_words = layer.answered_words  # questioners' turns are not the document's words
        voice_of_sentence = layer.sentence_voice
        quoted_words = _others_words(doc, voice_of_sentence)
        author_words = n_words - quoted_words
        feats: dict[str, float] = {}
        counts = {(cat, v): 0 for cat in REPORTED_CATEGORIES for v in ("author", "reported", "questioner")}
        if evidence:
            rows = self.evidence(doc)
            for ev in rows:
                counts[(ev.category, _BUCKET.get(ev.voice, "reported"))] += 1
        else:  # the same counts from the cues, without building their evidence
            rows = []
            spans = seg.tokens
            voice_at = doc.attribution.voice_at
            for cue in self.cues(doc):
                if cue.category in REPORTED_CATEGORIES:
                    voice = voice_at(spans[cue.first][0], cue.sentence)
                    counts[(cue.category, _BUCKET.get(voice, "reported"))] += 1
        for cat in REPORTED_CATEGORIES:
            a, r = counts[(cat, "author")], counts[(cat, "reported")]
            name = _PLURAL[cat]
            feats[f"hedging_{name}_count"] = float(a + r)
            feats[f"hedging_{name}_per_1k"] = per_1k(a + r, n_words)
            feats[f"hedging_{name}_author_per_1k"] = per_1k(a, author_words)
            if cat in ("hedge", "booster"):
                feats[f"hedging_{name}_author_count"] = float(a)
                feats[f"hedging_{name}_reported_count"] = float(r)
                feats[f"hedging_{name}_reported_per_1k"] = per_1k(r, quoted_words)
        feats["hedging_balance"] = _balance(feats["hedging_hedges_count"], feats["hedging_boosters_count"])
        feats["hedging_balance_author"] = _balance(feats["hedging_hedges_author_count"],
                                                   feats["hedging_boosters_author_count"])
        uncertain = self.uncertain_sentences(doc)
        feats.update(self._uncertainty_columns(doc, uncertain, voice_of_sentence))
        feats["hedging_author_word_share"] = author_words / seg.n_words if seg.n_words else NAN
        probs = self.sentence_probabilities(doc)
        extra = {"sentence_uncertainty": [round(p, 4) for p in probs], "threshold": self.threshold,
                 "uncertain_sentences": [i for i, u in enumerate(uncertain) if u]}
        return Result(feats, list(rows), "", extra)

    def uncertain_sentences(self, doc: Document) -> list[bool]:
        """Per sentence: judged uncertain by the model *and* epistemic (not only obligation or ability)."""
        probs = self.sentence_probabilities(doc)
        t = self.threshold
        readings: dict[int, set[str]] = {}
        for cue in self.cues(doc):
            readings.setdefault(cue.sentence, set()).add(cue.category)
        out = []
        for si, p in enumerate(probs):
            cats = readings.get(si, set())
            obligation_only = bool(cats & _NON_EPISTEMIC) and not (cats & _UNCERTAINTY_MARKERS)
            out.append(p >= t and not obligation_only)
        return out

    def _uncertainty_columns(self, doc: Document, uncertain: list[bool],
                             voice_of_sentence: list[str]) -> dict[str, float]:
        probs = self.sentence_probabilities(doc)
        if not probs:
            return {}
        author = [d for d, v in zip(uncertain, voice_of_sentence) if v == "author"]
        answered = [d for d, v in zip(uncertain, voice_of_sentence) if v != "questioner"]
        return {"hedging_uncertain_sentences_count": float(sum(answered)),
                "hedging_uncertain_sentences_share": sum(answered) / len(answered) if answered else NAN,
                "hedging_uncertain_sentences_author_share": sum(author) / len(author) if author else NAN,
                "hedging_mean_uncertainty": sum(probs) / len(probs)}


def _balance(hedges: float, boosters: float) -> float:
    """(h - b) / (h + b): +1 = only hedges, -1 = only boosters, NaN when neither occurs."""
    total = hedges + boosters
    return (hedges - boosters) / total if total else NAN


#: the count a cue's voice goes to: the author's, others' (quoted or reported), or a questioner's (not counted)
_BUCKET = {"author": "author", "questioner": "questioner"}


def _others_words(doc: Document, voice_of_sentence: list[str]) -> int:
    """Words of others the document reports: whole reported sentences and words inside quotations (not the
    questioners' turns, which are not the document's words at all)."""
    seg = doc.segmentation
    quoted = cues_of(doc).quoted_words
    other = 0
    for si, voice in enumerate(voice_of_sentence):
        if voice == "questioner":
            continue
        s0, s1 = seg.sentence_tokens(si)
        other += s1 - s0 if voice == "reported" else quoted[si]
    return other

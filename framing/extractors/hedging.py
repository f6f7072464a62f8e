"""Hedging: Hyland's interactional metadiscourse, in the author's voice and in others'.

Counts hedges (may, might, suggest, perhaps, to some extent …), boosters
(clearly, certainly, in fact, must …), attitude markers, self-mentions and
vague attribution ("some experts say", weasel words) from the packaged
lexicon ``framing/lexicons/hedging.tsv`` (or a user's), and decides for every
sentence whether it is *uncertain*, with a probability from a small logistic
regression trained on BioScope, SFU Review and WikiWeasel
(``framing train hedging …``; coefficients in ``framing/models/hedging.json``).

Matching is one pass over the lower-cased tokens with
:class:`~framing.lexicon.PhraseMatcher` (case-insensitive, multi-word,
``suggest*`` wildcards), then a few rules read the neighbouring tokens:

* ``May`` the month or a name ("in May 2024", "15 May", "Theresa May") is no hedge;
* ``can`` of possibility ("can be", "can lead to") is a hedge, ``can`` of ability
  ("we can build") is not; ``could`` of past ability ("I could not find") is not;
* ``must``/``should``/``ought`` count only when epistemic ("must have been",
  "must be true", "should be fine"), not deontic ("countries must work together");
* a negated booster ("not clear", "not certain", "not always") counts as a
  hedge; a negated hedge stays a hedge ("not likely"), except ``doubt`` which
  turns into a booster ("I do not doubt"); "no doubt" is a booster;
* approximators (about, around, some) count only before a number; attributive
  ``certain`` ("certain countries") is a quantifier, not a booster; ``US`` is a
  country, not a self-mention.

Every cue gets a voice from :attr:`Document.attribution` (``author``,
``quoted`` or ``reported``), so commentary that quotes an official does not
inherit the official's hedges: ``*_author_*`` columns count the document's
own voice, ``*_reported_*`` columns quotations and reported speech.

Validation (label 1 = uncertain sentence; the figures are stored in the model
under ``training.in_sample`` and ``training.cross_validation``)::

    framing train hedging ../shared/eval/hedging_{bioscope,sfu,wikiweasel}.csv -o framing/models/hedging.json
    framing evaluate hedging ../shared/eval/hedging_bioscope.csv --json      # in-sample
    python -m framing.extractors.hedging --cv 5 ../shared/eval/hedging_{bioscope,sfu,wikiweasel}.csv

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
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..document import Document
from ..evaluate import register_task
from ..lexicon import Lexicon, LexiconEntry, PhraseMatcher, load_lexicon
from ..segment import Segmentation, segment
from ..training import load_model, register_trainer
from .base import NAN, Evidence, Extractor, Result, per_1k, register

__all__ = [
    "COUNTED_CATEGORIES",
    "RULES",
    "Cue",
    "HedgingExtractor",
    "cross_validate",
    "find_cues",
    "hedge_matches",
    "sentence_uncertainty",
    "text_uncertainty",
]

#: categories that are counted (the others record a rejected reading, e.g. ``month``)
COUNTED_CATEGORIES = ("hedge", "booster", "attitude", "self_mention", "vague")
_UNCERTAINTY_MARKERS = frozenset(("hedge", "vague", "vague_quantifier", "unnamed_source", "peacock"))
_PLURAL = {"hedge": "hedges", "booster": "boosters", "attitude": "attitude", "self_mention": "self_mentions",
           "vague": "vague"}

# ---------------------------------------------------------------------------
# word classes the rules read

_NEGATORS = frozenset("not no never neither nor hardly scarcely barely cannot without nobody none".split())
_PERSONAL = frozenset("i we you he she they".split())
_FIRST_PERSON = frozenset("i me my mine myself we us our ours ourselves".split())
_DETERMINERS = frozenset("a an the this that these those any what every some which each same such".split())
_DETERMINERS_POSSESSIVES = _DETERMINERS | frozenset("its their his her our your my full great huge enormous "
                                                     "untapped real".split())
_MONTH_BEFORE = frozenset(
    "in of on since until till by from during early late mid last next this through before after between "
    "throughout and to".split())
_MONTH_AFTER = frozenset("was is has had saw will brought marked and or through until to".split())
_NAME_TITLES = frozenset("mrs ms mr dr theresa prime".split())
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred hundreds thousand thousands million millions billion billions trillion "
    "dozen dozens half a an".split())
_POSSIBILITY_VERBS = frozenset(
    "be cause lead result occur happen vary affect contribute induce trigger become mean reduce increase "
    "help explain arise indicate suggest represent involve hurt harm damage undermine backfire fail "
    "get go take".split())
_MODAL_SKIP = frozenset("not also still all then now surely certainly always never indeed clearly definitely "
                        "probably possibly therefore thus only even".split())
_PARTICIPLES_IRREGULAR = frozenset(
    "been known had done seen gone made taken thought felt got gotten come given held kept left lost meant "
    "paid put read said sent set shown spent told understood won written brought built bought caught "
    "chosen drawn driven fallen forgotten found heard hidden hit hurt led met run sold struck taught "
    "thrown worn".split())
_MUST_BE_EPISTEMIC = frozenset(
    "true right wrong the a an some more tired mistaken aware possible likely obvious clear so because that "
    "here there mad crazy kidding joking nice hard difficult easy something someone one worth related due "
    "missing".split())
_SHOULD_BE_EPISTEMIC = frozenset(
    "fine ok okay enough sufficient good better easy possible able available ready true here there "
    "interesting fun worth adequate".split())
_PREDICATIVE_BEFORE = frozenset(
    "is are was were be been being am quite absolutely fairly not almost so very completely make for feel "
    "feels felt seem seems seemed remain remains appear appears 'm 're".split())
_PREDICATIVE_AFTER = frozenset("that to of about whether".split())
_ROMAN_BEFORE = frozenset("war phase type part chapter class article section annex title stage grade "
                          "level book volume act".split())
_PUNCT_BREAK = re.compile(r"[,;:()\[\]]")
_NUMBER_RE = re.compile(r"\d")

#: the disambiguation rules a lexicon entry may name in its fourth column
RULES = ("month_may", "can_possibility", "could_ability", "modal_epistemic", "approximator", "vague_quantifier",
         "predicative", "not_after_determiner", "name_us", "roman_i", "flip_on_negation", "keep_on_negation")


@dataclass(frozen=True)
class Cue:
    """One lexicon hit after disambiguation.

    ``first``/``last`` are token indices (``[first, last)``) into the
    segmentation; ``category`` is the reading the rules settled on: one of
    :data:`COUNTED_CATEGORIES`, or a rejected reading (``month``, ``name``,
    ``ability``, ``deontic``, ``quantifier``, ``request``, ``block``, ``none``)
    that is not counted but is still a model feature.
    """

    first: int
    last: int
    sentence: int
    category: str
    term: str
    negated: bool = False
    note: str = ""


# ---------------------------------------------------------------------------
# rules: each returns (category, note) for the hit at tokens [i, j)

class _Context:
    """The tokens around a hit, within its sentence."""

    __slots__ = ("lower", "s0", "s1", "seg", "words")

    def __init__(self, seg: Segmentation, s0: int, s1: int):
        self.seg, self.lower, self.words, self.s0, self.s1 = seg, seg.lower, seg.words, s0, s1

    def prev(self, i: int, k: int = 1) -> str:
        return self.lower[i - k] if i - k >= self.s0 else ""

    def next(self, j: int, k: int = 0) -> str:
        return self.lower[j + k] if j + k < self.s1 else ""

    def next_skipping(self, j: int, skip: frozenset[str]) -> int:
        """Index of the first token at or after ``j`` that is not in ``skip`` (``s1`` if none)."""
        while j < self.s1 and (self.lower[j] in skip or self.lower[j].endswith("n't")):
            j += 1
        return j


def _is_number(token: str) -> bool:
    return bool(_NUMBER_RE.match(token)) or token in _NUMBER_WORDS


def _is_participle(token: str) -> bool:
    return token in _PARTICIPLES_IRREGULAR or (len(token) > 4 and token.endswith(("ed", "en")))


def _rule_month_may(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    word, nxt, prev = c.words[i], c.next(j), c.prev(i)
    next_is_date = bool(nxt) and nxt[0].isdigit()
    if word[0] != "M":  # lower-case "may": only an explicit date makes it the month
        return ("month", "'may' before a date is the month") if next_is_date and prev in _MONTH_BEFORE else (
            category, "")
    if prev in _NAME_TITLES or (i > c.s0 and c.words[i - 1][:1].isupper() and prev not in _MONTH_BEFORE
                                and not _is_number(prev)):
        return "name", "'May' after a name or title is a name"
    if (next_is_date or prev in _MONTH_BEFORE or (prev and prev[0].isdigit()) or j >= c.s1
            or nxt in _MONTH_AFTER):
        return "month", "'May' the month"
    return category, ""


def _rule_can_possibility(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    prev = c.prev(i)
    if prev in ("a", "an", "the"):
        return "none", "'can' the noun"
    k = c.next_skipping(j, frozenset(("also", "still", "only", "even", "easily", "quickly", "sometimes", "often")))
    verb = c.lower[k] if k < c.s1 else ""
    if prev not in _PERSONAL and verb in _POSSIBILITY_VERBS:
        return category, "'can' of possibility"
    return "ability", "'can' of ability"


def _rule_could_ability(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    negated = c.lower[i].endswith("n't") or c.next(j) == "not"
    k = c.next_skipping(j, _MODAL_SKIP)
    verb = c.lower[k] if k < c.s1 else ""
    if i == c.s0 and c.next(j) == "you":
        return "request", "'could you' is a request"
    if negated and c.prev(i) in _PERSONAL and verb not in ("be", "have"):
        return "ability", "'could not' of past ability"
    return category, ""


def _rule_modal_epistemic(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    term = c.lower[i]
    start = j + 1 if term == "ought" and c.next(j) == "to" else j
    k = c.next_skipping(start, _MODAL_SKIP)
    verb = c.lower[k] if k < c.s1 else ""
    after = c.lower[k + 1] if k + 1 < c.s1 else ""
    if verb == "have" and _is_participle(after):
        return category, f"epistemic '{term} have'"
    if verb == "be":
        if term == "must" and (after in _MUST_BE_EPISTEMIC or (after.endswith("ing") and len(after) > 4)):
            return category, "epistemic 'must be'"
        if term != "must" and after in _SHOULD_BE_EPISTEMIC:
            return category, f"epistemic '{term} be'"
    return "deontic", f"deontic '{term}' (obligation)"


def _rule_approximator(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    nxt = c.next(j)
    if _is_number(nxt) and nxt not in ("a", "an") or (nxt in ("a", "an") and c.next(j, 1) in _NUMBER_WORDS):
        return category, "approximator before a number"
    return "none", ""


def _rule_vague_quantifier(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    nxt = c.next(j)
    if c.lower[i] == "some" and _is_number(nxt) and nxt not in ("a", "an"):
        return "hedge", "approximator before a number"
    for k in (0, 1):
        tok = c.next(j, k)
        if len(tok) > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
            return "vague_quantifier", "indefinite quantifier before a plural noun"
    return "none", ""


def _rule_predicative(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    prev, nxt = c.prev(i), c.next(j)
    if prev in _PREDICATIVE_BEFORE or prev.endswith(("'m", "'re", "'s")) or nxt in _PREDICATIVE_AFTER \
            or j >= c.s1:
        return category, ""
    return "quantifier", "attributive 'certain' is a quantifier"


def _rule_not_after_determiner(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    if c.prev(i) in _DETERMINERS_POSSESSIVES:
        return "none", f"'{c.lower[i]}' after a determiner is a noun"
    return category, ""


def _rule_name_us(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    if c.words[i] in ("US", "U.S"):
        return "none", "'US' the country"
    return category, ""


def _rule_roman_i(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    if c.prev(i) in _ROMAN_BEFORE:
        return "none", "roman numeral 'I'"
    return category, ""


_RULE_FUNCS = {
    "month_may": _rule_month_may, "can_possibility": _rule_can_possibility, "could_ability": _rule_could_ability,
    "modal_epistemic": _rule_modal_epistemic, "approximator": _rule_approximator,
    "vague_quantifier": _rule_vague_quantifier, "predicative": _rule_predicative,
    "not_after_determiner": _rule_not_after_determiner, "name_us": _rule_name_us,
    "roman_i": _rule_roman_i,
}


def _negated(c: _Context, i: int) -> bool:
    """True when one of the three tokens before ``i`` (same clause) is a negator."""
    lower = c.lower
    for k in range(i - 1, max(c.s0, i - 3) - 1, -1):
        tok = lower[k]
        if tok in _NEGATORS or tok.endswith("n't"):
            spans = c.seg.tokens
            return not _PUNCT_BREAK.search(c.seg.text, spans[k][1], spans[i][0])
    return False


def _apply_negation(category: str, rule: str, note: str) -> tuple[str, str]:
    if rule == "keep_on_negation":
        return category, note
    if category == "booster":
        return "hedge", "negated booster counted as hedge"
    if category == "hedge" and rule == "flip_on_negation":
        return "booster", "negated doubt counted as booster"
    if category == "hedge":
        return "hedge", "negated hedge kept as hedge (still uncertain)"
    return category, note


def _resolve(c: _Context, i: int, j: int, entry: LexiconEntry, sentence: int) -> Cue:
    category = entry.category or "hedge"
    rule = entry.extra[0] if entry.extra else ""
    note = ""
    func = _RULE_FUNCS.get(rule)
    if func is not None:
        category, note = func(c, i, j, category)
    negated = False
    if category in ("hedge", "booster") and _negated(c, i):
        negated = True
        category, note = _apply_negation(category, rule, note)
    return Cue(i, j, sentence, category, entry.term, negated, note)


def find_cues(seg: Segmentation, matcher: PhraseMatcher) -> list[Cue]:
    """All lexicon hits of ``seg``, sentence by sentence, with the rules applied."""
    cues: list[Cue] = []
    find = matcher.find
    lower = seg.lower
    for si in range(seg.n_sentences):
        s0, s1 = seg.sentence_tokens(si)
        if s0 == s1:
            continue
        matches = find(lower, s0, s1)
        if not matches:
            continue
        ctx = _Context(seg, s0, s1)
        for m in matches:
            cue = _resolve(ctx, m.first, m.last, m.entry, si)
            cues.append(cue)
            if m.last - m.first > 1 and cue.category != "self_mention":
                cues.extend(_self_mentions_within(lower, cue))
    return cues


def _self_mentions_within(lower: list[str], cue: Cue) -> list[Cue]:
    """First-person pronouns inside a multi-word cue ("in our view", "to my knowledge") are self-mentions too."""
    return [Cue(k, k + 1, cue.sentence, "self_mention", lower[k], False, f"inside '{cue.term}'")
            for k in range(cue.first, cue.last) if lower[k] in _FIRST_PERSON]


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

    def probability(self, features: dict[str, float]) -> float:
        """P(uncertain) for one span's features (higher = more likely uncertain)."""
        coef = self.coef
        z = self.intercept
        for name, value in features.items():
            w = coef.get(name)
            if w is not None:
                z += w * value
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def span_features(seg: Segmentation, cues: Sequence[Cue], first: int, last: int,
                  vocabulary: frozenset[str], heads: frozenset[str] | None = None) -> dict[str, float]:
    """Features of tokens ``[first, last)`` given the cues inside them.

    ``cat=<category>`` and ``cue=<term>/<category>`` are presence indicators
    of the cue readings, ``w=<word>`` of vocabulary words and word pairs
    (``heads``, the first words of the vocabulary's pairs, only saves
    lookups; ``None`` = try every pair), ``len`` the log
    token count and ``question`` whether the span ends with a question mark.
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
    words = seg.lower[first:last]
    pairs = [a + " " + b for a, b in itertools.pairwise(words) if heads is None or a in heads]
    for w in vocabulary.intersection(words + pairs):
        feats["w=" + w] = 1.0
    feats["len"] = math.log1p(last - first)
    if n_marked > 1:
        feats["cues"] = math.log(n_marked)
    if last > first:
        end = seg.tokens[last - 1][1]
        if seg.text[end:end + 3].lstrip(" \"'”’)").startswith("?"):
            feats["question"] = 1.0
    return feats


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
    for cat in ("attitude", "self_mentions", "vague"):
        cols += [f"hedging_{cat}_count", f"hedging_{cat}_per_1k", f"hedging_{cat}_author_per_1k"]
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
            d[f"hedging_{cat}{v}_count"] = f"number of {text.split(';')[0]} {vtext}"
            denom = {"": "words", "_author": "author-voice words", "_reported": "quoted/reported words"}[v]
            d[f"hedging_{cat}{v}_per_1k"] = f"{text.split(';')[0]} {vtext} per 1,000 {denom};{text.split(';')[1]}"
    d["hedging_balance"] = ("(hedges - boosters) / (hedges + boosters), all voices; +1 = only hedges (tentative), "
                            "-1 = only boosters (assertive); NaN when there are neither")
    d["hedging_balance_author"] = "the hedge/booster balance in the author's own voice (same direction)"
    d["hedging_uncertain_sentences_count"] = "sentences the model judges uncertain (probability >= threshold)"
    d["hedging_uncertain_sentences_share"] = "share of sentences judged uncertain, 0..1; higher = more tentative"
    d["hedging_uncertain_sentences_author_share"] = ("share of author-voice sentences (not reported, mostly "
                                                     "outside quotes) judged uncertain, 0..1")
    d["hedging_mean_uncertainty"] = "mean sentence probability of uncertainty, 0..1; higher = more tentative"
    d["hedging_attitude_count"] = "attitude markers (unfortunately, surprisingly, important …)"
    d["hedging_attitude_per_1k"] = "attitude markers per 1,000 words; higher = more evaluative"
    d["hedging_attitude_author_per_1k"] = "attitude markers in the author's voice per 1,000 author-voice words"
    d["hedging_self_mentions_count"] = "first-person self-mentions (I, we, our; not 'US')"
    d["hedging_self_mentions_per_1k"] = "self-mentions per 1,000 words; higher = more personal authorial presence"
    d["hedging_self_mentions_author_per_1k"] = "self-mentions in the author's voice per 1,000 author-voice words"
    d["hedging_vague_count"] = "vague attributions / weasel words (some experts say, it is believed, reportedly)"
    d["hedging_vague_per_1k"] = "vague attributions per 1,000 words; higher = more unsourced claims"
    d["hedging_vague_author_per_1k"] = "vague attributions in the author's voice per 1,000 author-voice words"
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
    description = ("Hyland's interactional metadiscourse: hedges, boosters, attitude markers, self-mentions and "
                   "vague attribution per 1,000 words, split by voice (author vs quoted/reported), and the share "
                   "of sentences a logistic-regression model judges uncertain.")
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
        return _Loaded(lex, PhraseMatcher(lex.entries), model_json, UncertaintyModel(model_json), key)

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
        key = self._key + ":cues"
        cached = doc.cache.get(key)
        if cached is None:
            cached = find_cues(doc.segmentation, self._matcher)
            doc.cache[key] = cached
        return cached

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
            if cue.category not in COUNTED_CATEGORIES:
                continue
            start, end = spans[cue.first][0], spans[cue.last - 1][1]
            out.append(Evidence(self.name, cue.category, cue.term, body[start:end], start, end, cue.sentence,
                                voice_at(start, cue.sentence), 1.0, cue.note))
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
        by_sentence: dict[int, list[Cue]] = {}
        for cue in cues:
            by_sentence.setdefault(cue.sentence, []).append(cue)
        vocab, heads = self._model.vocabulary, self._model.heads
        prob = self._model.probability
        out = []
        for si in range(seg.n_sentences):
            s0, s1 = seg.sentence_tokens(si)
            out.append(prob(span_features(seg, by_sentence.get(si, ()), s0, s1, vocab, heads)))
        return out

    def text_probabilities(self, texts: Sequence[str]) -> list[float]:
        """P(uncertain) for each text as one unit (all its sentences' tokens together)."""
        return [self._model.probability(self.text_features(t)) for t in texts]

    def text_features(self, text: str) -> dict[str, float]:
        """Model features of a whole text taken as one unit."""
        seg = segment(text)
        return span_features(seg, find_cues(seg, self._matcher), 0, seg.n_words, self._model.vocabulary,
                             self._model.heads)

    # ---- the columns -------------------------------------------------------
    def extract(self, doc: Document) -> Result:
        seg = doc.segmentation
        evidence = self.evidence(doc)
        n_words = seg.n_words
        quoted_words, voice_of_sentence = _voice_words(doc)
        author_words = n_words - quoted_words
        feats: dict[str, float] = {}
        counts = {(cat, v): 0 for cat in COUNTED_CATEGORIES for v in ("author", "reported")}
        for ev in evidence:
            counts[(ev.category, "author" if ev.voice == "author" else "reported")] += 1
        for cat in COUNTED_CATEGORIES:
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
        feats.update(self._uncertainty_columns(doc, voice_of_sentence))
        feats["hedging_author_word_share"] = author_words / n_words if n_words else NAN
        threshold = self.threshold
        probs = self.sentence_probabilities(doc)
        extra = {"sentence_uncertainty": [round(p, 4) for p in probs], "threshold": threshold,
                 "uncertain_sentences": [i for i, p in enumerate(probs) if p >= threshold]}
        return Result(feats, list(evidence), "", extra)

    def _uncertainty_columns(self, doc: Document, voice_of_sentence: list[str]) -> dict[str, float]:
        probs = self.sentence_probabilities(doc)
        if not probs:
            return {}
        t = self.threshold
        decided = [p >= t for p in probs]
        author = [d for d, v in zip(decided, voice_of_sentence) if v == "author"]
        return {"hedging_uncertain_sentences_count": float(sum(decided)),
                "hedging_uncertain_sentences_share": sum(decided) / len(decided),
                "hedging_uncertain_sentences_author_share": sum(author) / len(author) if author else NAN,
                "hedging_mean_uncertainty": sum(probs) / len(probs)}


def _balance(hedges: float, boosters: float) -> float:
    """(h - b) / (h + b): +1 = only hedges, -1 = only boosters, NaN when neither occurs."""
    total = hedges + boosters
    return (hedges - boosters) / total if total else NAN


def _voice_words(doc: Document) -> tuple[int, list[str]]:
    """Words inside quotations or reported speech, and each sentence's voice.

    A sentence is ``reported`` when attribution marks it so, ``quoted`` when
    at least half its words are inside quotation marks, else ``author``.
    """
    seg = doc.segmentation
    att = doc.attribution
    quotes = att.quotes
    reported = att.reported_sentences
    spans = seg.tokens
    other = 0
    voices = []
    qi = 0
    n_q = len(quotes)
    for si in range(seg.n_sentences):
        s0, s1 = seg.sentence_tokens(si)
        if si in reported:
            other += s1 - s0
            voices.append("reported")
            continue
        inside = 0
        for k in range(s0, s1) if quotes else ():
            start = spans[k][0]
            while qi < n_q and quotes[qi][1] <= start:
                qi += 1
            if qi < n_q and quotes[qi][0] <= start:
                inside += 1
        other += inside
        voices.append("quoted" if s1 > s0 and inside * 2 >= s1 - s0 else "author")
    return other, voices


# ---------------------------------------------------------------------------
# training and cross-validation: framing train hedging FILES... [--cv K]

#: training defaults (recorded in the model JSON)
TRAIN_DEFAULTS = {"C": 0.25, "max_words": 400, "min_df": 5, "seed": 20100715}


@dataclass
class _Labelled:
    """Featurised training rows: cue features, token sets, labels, CV groups and source file."""

    cue_features: list[dict[str, float]]
    tokens: list[frozenset[str]]
    labels: list[int]
    groups: list[str]
    files: list[int]


def cv_group(row_id: str) -> str:
    """The unit rows must not be split across in cross-validation.

    BioScope abstracts group by PMID (``bioscope-abs-<PMID>-<sentence>``), SFU
    reviews by review file (``sfu-<category>-<file>-s<n>``); other rows
    (WikiWeasel has no documents) are their own group.
    """
    parts = row_id.split("-")
    if row_id.startswith("bioscope-") and len(parts) >= 4:
        return "-".join(parts[:3])
    if row_id.startswith("sfu-") and len(parts) >= 4:
        return "-".join(parts[:3])
    return row_id


def _read_labelled(files: Sequence[Path], text_col: str, label_col: str, matcher: PhraseMatcher) -> _Labelled:
    import pandas as pd

    data = _Labelled([], [], [], [], [])
    for fi, path in enumerate(files):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in (text_col, label_col):
            if col not in df.columns:
                raise ValueError(f"{path}: no column '{col}'")
        ids = df["id"].tolist() if "id" in df.columns else [f"{path.name}:{i}" for i in range(len(df))]
        for row_id, text, label in zip(ids, df[text_col], df[label_col]):
            if label not in ("0", "1"):
                raise ValueError(f"{path}: label {label!r} is not 0 or 1")
            seg = segment(text)
            cues = find_cues(seg, matcher)
            data.cue_features.append(span_features(seg, cues, 0, seg.n_words, frozenset()))
            data.tokens.append(_unigrams_bigrams(seg.lower))
            data.labels.append(int(label))
            data.groups.append(f"{fi}:{cv_group(str(row_id))}")
            data.files.append(fi)
    return data


def _unigrams_bigrams(tokens: Sequence[str]) -> frozenset[str]:
    return frozenset(tokens) | frozenset(a + " " + b for a, b in itertools.pairwise(tokens))


def _candidate_words(data: _Labelled, rows: Sequence[int], min_df: int) -> list[str]:
    """Words in at least ``min_df`` rows of each of at least two files (or of the only file)."""
    from collections import Counter

    per_file: dict[int, Counter] = {}
    for r in rows:
        per_file.setdefault(data.files[r], Counter()).update(data.tokens[r])
    need = min(2, len(per_file))
    seen: Counter = Counter()
    for counter in per_file.values():
        seen.update(w for w, n in counter.items() if n >= min_df)
    return sorted(w for w, n in seen.items() if n >= need and not _NUMBER_RE.search(w))


def _row_features(data: _Labelled, r: int, vocabulary: frozenset[str]) -> dict[str, float]:
    feats = dict(data.cue_features[r])
    for w in data.tokens[r] & vocabulary:
        feats["w=" + w] = 1.0
    return feats


def _fit(data: _Labelled, rows: Sequence[int], C: float, max_words: int, min_df: int,
         seed: int) -> dict[str, Any]:
    """Select a compact word vocabulary (L1) and fit the L2 logistic regression on ``rows``."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    y = np.asarray([data.labels[r] for r in rows])
    vocabulary = frozenset(_candidate_words(data, rows, min_df))
    if max_words and len(vocabulary) > max_words:
        vec = DictVectorizer()
        X = _int32(vec.fit_transform([{"w=" + w: 1.0 for w in data.tokens[r] & vocabulary} for r in rows]))
        l1 = LogisticRegression(l1_ratio=1.0, solver="liblinear", C=C, random_state=seed, max_iter=2000)
        l1.fit(X, y)
        weights = np.abs(l1.coef_[0])
        order = np.argsort(-weights, kind="stable")[:max_words]
        names = vec.get_feature_names_out()
        vocabulary = frozenset(names[i][2:] for i in order if weights[i] > 0)
    vec = DictVectorizer()
    X = _int32(vec.fit_transform([_row_features(data, r, vocabulary) for r in rows]))
    clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=5000)
    clf.fit(X, y)
    coef = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-6}
    return {"coefficients": coef, "intercept": float(clf.intercept_[0]), "vocabulary": sorted(vocabulary),
            "threshold": 0.5}


def _int32(X: Any) -> Any:
    """CSR matrix with 32-bit indices (liblinear refuses 64-bit ones)."""
    X = X.tocsr()
    X.indices = X.indices.astype("int32")
    X.indptr = X.indptr.astype("int32")
    return X


def _predict(model: dict[str, Any], data: _Labelled, rows: Sequence[int]) -> list[float]:
    m = UncertaintyModel(model)
    return [m.probability(_row_features(data, r, m.vocabulary)) for r in rows]


def _f1(labels: Sequence[int], decisions: Sequence[bool]) -> float:
    tp = sum(1 for y, d in zip(labels, decisions) if y and d)
    fp = sum(1 for y, d in zip(labels, decisions) if not y and d)
    fn = sum(1 for y, d in zip(labels, decisions) if y and not d)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _best_threshold(data: _Labelled, rows: Sequence[int], probs: Sequence[float]) -> float:
    """The one threshold maximising the mean F1 over the training files (no per-domain thresholds)."""
    by_file: dict[int, list[int]] = {}
    for k, r in enumerate(rows):
        by_file.setdefault(data.files[r], []).append(k)
    best, best_score = 0.5, -1.0
    for t in [x / 100 for x in range(20, 81)]:
        score = sum(_f1([data.labels[rows[k]] for k in ks], [probs[k] >= t for k in ks])
                    for ks in by_file.values()) / len(by_file)
        if score > best_score + 1e-12:
            best, best_score = t, score
    return best


def _folds(data: _Labelled, rows: Sequence[int], k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """Group k-fold over ``rows`` (groups shuffled with ``seed``; each group in exactly one test fold)."""
    import random

    groups = sorted({data.groups[r] for r in rows})
    random.Random(seed).shuffle(groups)
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [([r for r in rows if fold_of[data.groups[r]] != f], [r for r in rows if fold_of[data.groups[r]] == f])
            for f in range(k)]


def _fit_with_threshold(data: _Labelled, rows: Sequence[int], params: dict[str, Any]) -> dict[str, Any]:
    """The whole training procedure on ``rows``: fit, then choose the threshold on grouped 5-fold OOF predictions."""
    fit_args = {k: params[k] for k in ("C", "max_words", "min_df", "seed")}
    oof: dict[int, float] = {}
    for train_rows, test_rows in _folds(data, rows, 5, params["seed"] + 1):
        oof.update(zip(test_rows, _predict(_fit(data, train_rows, **fit_args), data, test_rows)))
    model = _fit(data, rows, **fit_args)
    model["threshold"] = _best_threshold(data, rows, [oof[r] for r in rows])
    return model


def _metrics(labels: Sequence[int], probs: Sequence[float], threshold: float) -> dict[str, float]:
    from ..evaluate import binary_metrics

    m = binary_metrics(labels, probs, [int(p >= threshold) for p in probs])
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}


def cross_validate(files: Sequence[str | Path], folds: int = 5, text_col: str = "text", label_col: str = "label",
                   **params: Any) -> dict[str, Any]:
    """Grouped k-fold cross-validation of the whole training procedure, per file.

    Each outer fold reruns the whole training procedure (vocabulary,
    coefficients, and the threshold from an inner grouped 5-fold split) on the
    other folds; rows of one BioScope abstract or one SFU review stay in one
    fold. Returns precision/recall/F1/ROC AUC per file on the pooled
    out-of-fold predictions.
    """
    p = {**TRAIN_DEFAULTS, **params}
    paths = [Path(f) for f in files]
    data = _read_labelled(paths, text_col, label_col, PhraseMatcher(load_lexicon("hedging").entries))
    rows = list(range(len(data.labels)))
    oof_prob: dict[int, float] = {}
    oof_dec: dict[int, int] = {}
    for train_rows, test_rows in _folds(data, rows, folds, p["seed"]):
        model = _fit_with_threshold(data, train_rows, p)
        probs = _predict(model, data, test_rows)
        oof_prob.update(zip(test_rows, probs))
        oof_dec.update((r, int(pr >= model["threshold"])) for r, pr in zip(test_rows, probs))
    out: dict[str, Any] = {"folds": folds, "grouping": "bioscope by PMID, sfu by review file, others by row",
                           "params": p, "files": {}}
    from ..evaluate import binary_metrics

    for fi, path in enumerate(paths):
        rs = [r for r in rows if data.files[r] == fi]
        m = binary_metrics([data.labels[r] for r in rs], [oof_prob[r] for r in rs], [oof_dec[r] for r in rs])
        out["files"][path.name] = {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}
    return out


def _fingerprint(model: dict[str, Any]) -> str:
    import hashlib
    import json

    core = {k: model[k] for k in ("coefficients", "intercept", "threshold", "vocabulary")}
    return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()[:16]


@register_trainer("hedging", description="sentence uncertainty: logistic regression on hedging cues and words",
                  default_output="framing/models/hedging.json")
def train_hedging(files: Sequence[Path], text_col: str = "text", label_col: str = "label", cv: int = 5,
                  **params: Any) -> dict[str, Any]:
    """Fit the sentence-uncertainty model on labelled sentence files (label 1 = uncertain).

    The word vocabulary (uni- and bigrams in at least two files, at most
    ``max_words`` chosen by an L1 fit) and the coefficients are fitted on all
    rows; the one decision threshold maximises the mean F1 over the files on
    5-fold grouped out-of-fold predictions. With ``cv`` > 1 the whole
    procedure is also cross-validated (grouped by document) and the figures
    are stored in the model under ``training.cross_validation``.
    """
    from .. import __version__
    from ..training import file_provenance

    p = {**TRAIN_DEFAULTS, **params}
    paths = [Path(f) for f in files]
    lexicon = load_lexicon("hedging")
    data = _read_labelled(paths, text_col, label_col, PhraseMatcher(lexicon.entries))
    rows = list(range(len(data.labels)))
    model = _fit_with_threshold(data, rows, p)
    model["name"] = "hedging"
    model["version"] = HedgingExtractor.version
    model["fingerprint"] = _fingerprint(model)
    training: dict[str, Any] = {
        "files": [file_provenance(f) for f in paths], "rows": len(rows), "positives": sum(data.labels),
        "params": p, "lexicon": lexicon.provenance(), "framing_version": __version__,
        "in_sample": {f.name: _metrics([data.labels[r] for r in rows if data.files[r] == i],
                                       _predict(model, data, [r for r in rows if data.files[r] == i]),
                                       model["threshold"]) for i, f in enumerate(paths)},
        "command": "framing train hedging " + " ".join(str(f) for f in files) + " -o framing/models/hedging.json",
    }
    if cv and cv > 1:
        training["cross_validation"] = cross_validate(paths, folds=cv, text_col=text_col, label_col=label_col,
                                                      **params)
    model["training"] = training
    return model


@register_task("hedging", "binary", description="sentence uncertainty (label 1 = uncertain): P(uncertain) from the "
               "hedging model, decision = probability >= the model's threshold")
def _predict_task(texts: Sequence[str]) -> tuple[list[float], list[int]]:
    ex = _default_extractor()
    probs = ex.text_probabilities(texts)
    return probs, [int(p >= ex.threshold) for p in probs]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m framing.extractors.hedging --cv 5 FILE...``: print grouped cross-validation metrics."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m framing.extractors.hedging",
                                     description="Grouped k-fold cross-validation of the hedging model.")
    parser.add_argument("files", nargs="+", help="labelled CSV files (id,text,label)")
    parser.add_argument("--cv", type=int, default=5, help="number of folds (default 5)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    result = cross_validate(args.files, folds=args.cv)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{args.cv}-fold cross-validation ({result['grouping']})")
        for name, m in result["files"].items():
            print(f"{name:<28} precision {m['precision']:.3f}  recall {m['recall']:.3f}  f1 {m['f1']:.3f}  "
                  f"roc_auc {m['roc_auc']:.3f}  n {m['n']}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

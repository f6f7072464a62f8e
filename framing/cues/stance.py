"""Epistemic stance cues, read once for every family: hedges, boosters, attitude markers, self-mentions, vague words.

The readings of the ``hedging`` lexicon (Hyland 2005) are settled here, in the cue layer, so that the hedging
family counts them, the promotional model uses them as features and nobody recounts them. Matching is the cue
layer's one pass (:func:`framing.cues.cues_of`); negation scope and acronyms are the cue layer's
(:mod:`framing.cues.rules`); then a few rules read the neighbouring tokens:

* ``May`` the month or a name ("in May 2024", "15 May", "Theresa May") is no hedge;
* ``can`` of possibility ("can be", "can lead to") is a hedge, ``can`` of ability ("we can build") is not;
  ``could`` of past ability ("I could not find") is not, nor a polite request ("Matt, could you…", "if you
  could tell us…");
* ``must``/``should``/``ought`` count only when epistemic ("must have been", "should be fine"), not deontic
  ("countries should work together"): obligation is its own construct (``deontic`` readings, counted by the
  framing family), never uncertainty;
* cognition verbs (think, believe, feel, suppose, suspect) are the author's hedge only with a first-person or
  impersonal subject ("I think", "we believe", "it is believed"); with a third party ("China believes",
  "critics think") they are a ``stance`` reading: an institution's position or someone else's view, not the
  author's uncertainty and not a sourced attribution;
* a negated booster ("not clear") counts as a hedge; a negated hedge stays a hedge ("not likely"), except
  ``doubt`` which turns into a booster ("I do not doubt"); "no doubt" is a booster;
* approximators (about, around, some) count only before a number; attributive ``certain`` ("certain
  countries") is a quantifier, not a booster; an acronym ("US", "WHO") is never a pronoun;
* the noun of a verb entry ("there is speculation that", "amid speculation", "speculators") reports what others
  do, not the writer's tentativeness: only the verb and adjective ("we speculate", "it is speculated",
  "speculative") are hedges.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..lexicon import LexiconEntry, PhraseMatcher, load_lexicon
from ..segment import Segmentation
from . import cues_of, register_layer
from .rules import acronym_tokens, negation_scope

if TYPE_CHECKING:  # pragma: no cover
    from ..document import Document

__all__ = ["COUNTED_CATEGORIES", "RULES", "Cue", "find_cues", "stance_cues", "stance_layer"]

COUNTED_CATEGORIES = ("hedge", "booster", "attitude", "self_mention", "vague")
_UNCERTAINTY_MARKERS = frozenset(("hedge", "vague", "vague_quantifier", "unnamed_source", "peacock"))
_PLURAL = {"hedge": "hedges", "booster": "boosters", "attitude": "attitude", "self_mention": "self_mentions",
           "vague": "vague"}

# ---------------------------------------------------------------------------
# word classes the rules read

_PERSONAL = frozenset(["i", "we", "you", "he", "she", "they"])
_FIRST_PERSON = frozenset(["i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"])
_DETERMINERS = frozenset(["a", "an", "the", "this", "that", "these", "those", "any", "what", "every", "some", "which", "each", "same", "such"])
_DETERMINERS_POSSESSIVES = _DETERMINERS | frozenset(["its", "their", "his", "her", "our", "your", "my", "full", "great", "huge", "enormous", "untapped", "real"])
_MONTH_BEFORE = frozenset(
    ["in", "of", "on", "since", "until", "till", "by", "from", "during", "early", "late", "mid", "last", "next", "this", "through", "before", "after", "between", "throughout", "and", "to"])
_MONTH_AFTER = frozenset(["was", "is", "has", "had", "saw", "will", "brought", "marked", "and", "or", "through", "until", "to"])
_NAME_TITLES = frozenset(["mrs", "ms", "mr", "dr", "theresa", "prime"])
_NUMBER_WORDS = frozenset(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "trillion", "dozen", "dozens", "half", "a", "an"])
_POSSIBILITY_VERBS = frozenset(
    ["be", "cause", "lead", "result", "occur", "happen", "vary", "affect", "contribute", "induce", "trigger", "become", "mean", "reduce", "increase", "help", "explain", "arise", "indicate", "suggest", "represent", "involve", "hurt", "harm", "damage", "undermine", "backfire", "fail", "get", "go", "take"])
_MODAL_SKIP = frozenset(["not", "also", "still", "all", "then", "now", "surely", "certainly", "always", "never", "indeed", "clearly", "definitely", "probably", "possibly", "therefore", "thus", "only", "even"])
_PARTICIPLES_IRREGULAR = frozenset(
    ["been", "known", "had", "done", "seen", "gone", "made", "taken", "thought", "felt", "got", "gotten", "come", "given", "held", "kept", "left", "lost", "meant", "paid", "put", "read", "said", "sent", "set", "shown", "spent", "told", "understood", "won", "written", "brought", "built", "bought", "caught", "chosen", "drawn", "driven", "fallen", "forgotten", "found", "heard", "hidden", "hit", "hurt", "led", "met", "run", "sold", "struck", "taught", "thrown", "worn"])
_MUST_BE_EPISTEMIC = frozenset(
    ["true", "right", "wrong", "the", "a", "an", "some", "more", "tired", "mistaken", "aware", "possible", "likely", "obvious", "clear", "so", "because", "that", "here", "there", "mad", "crazy", "kidding", "joking", "nice", "hard", "difficult", "easy", "something", "someone", "one", "worth", "related", "due", "missing"])
_SHOULD_BE_EPISTEMIC = frozenset(
    ["fine", "ok", "okay", "enough", "sufficient", "good", "better", "easy", "possible", "able", "available", "ready", "true", "here", "there", "interesting", "fun", "worth", "adequate"])
_PREDICATIVE_BEFORE = frozenset(
    ["is", "are", "was", "were", "be", "been", "being", "am", "quite", "absolutely", "fairly", "not", "almost", "so", "very", "completely", "make", "for", "feel", "feels", "felt", "seem", "seems", "seemed", "remain", "remains", "appear", "appears", "'m", "'re"])
_PREDICATIVE_AFTER = frozenset(["that", "to", "of", "about", "whether"])
_ROMAN_BEFORE = frozenset(["war", "phase", "type", "part", "chapter", "class", "article", "section", "annex", "title", "stage", "grade", "level", "book", "volume", "act"])
_NUMBER_RE = re.compile(r"\d")

#: the disambiguation rules a lexicon entry may name in its fourth column
RULES = ("month_may", "can_possibility", "could_ability", "modal_epistemic", "approximator", "vague_quantifier",
         "predicative", "not_after_determiner", "not_noun", "name_us", "roman_i", "cognition", "flip_on_negation",
         "keep_on_negation")
#: tokens skipped between a cognition verb and its subject ("we firmly believe", "China does not think")
_COGNITION_SKIP = frozenset(["also", "still", "firmly", "strongly", "really", "truly", "sincerely", "genuinely", "always", "long", "do", "does", "did", "not", "never", "further", "therefore", "thus", "only", "all", "both"])
#: subjects that make a cognition verb the author's own hedge: first person, impersonal or passive
_COGNITION_OWN = frozenset(["i", "we", "it", "is", "are", "was", "were", "be", "been", "being", "widely", "generally", "commonly", "often", "to", "and", "or", "but", "that", "so"])


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

    def __init__(self, first: int, last: int, sentence: int, category: str, term: str, negated: bool = False,
                 note: str = "") -> None:
        # the instance __dict__ written directly, as for Match and Evidence: the same frozen object, built without
        # an object.__setattr__ call per field (the cue layer builds one per stance cue)
        d = self.__dict__
        d["first"] = first
        d["last"] = last
        d["sentence"] = sentence
        d["category"] = category
        d["term"] = term
        d["negated"] = negated
        d["note"] = note


# ---------------------------------------------------------------------------
# rules: each returns (category, note) for the hit at tokens [i, j)

class _Context:
    """The tokens around a hit, within its sentence (``s0``, ``s1``: set for each sentence in turn)."""

    __slots__ = ("acronyms", "lower", "negated_by", "s0", "s1", "seg", "words")

    def __init__(self, seg: Segmentation, s0: int, s1: int, negated_by: Sequence[int], acronyms: frozenset[int]):
        self.seg, self.lower, self.words, self.s0, self.s1 = seg, seg.lower, seg.words, s0, s1
        self.negated_by, self.acronyms = negated_by, acronyms

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


#: Words after which "could you" opens a request ("And could you…", "Please, could you…").
_REQUEST_OPENERS = frozenset(("and", "so", "but", "then", "now", "also", "please", "well", "okay", "ok", "yes",
                              "sir", "madam", "just", "lastly", "finally", "secondly"))
#: Verbs of a polite request after "if you could (just)": tell, explain, elaborate, …
_REQUEST_VERBS = frozenset(("tell", "explain", "elaborate", "give", "share", "say", "talk", "comment", "clarify",
                            "speak", "confirm", "describe", "update", "walk", "address", "expand", "help", "provide",
                            "repeat", "respond", "answer", "characterize", "characterise", "outline", "offer",
                            "shed", "take", "go", "put", "weigh", "detail", "specify", "let", "read"))

#: Words between "if you could" and the request's verb ("if you could just tell us").
_REQUEST_SKIP = _MODAL_SKIP | frozenset(("just", "please", "perhaps", "briefly", "quickly"))


def _opens_clause(c: _Context, i: int) -> bool:
    """Token ``i`` begins its sentence, follows an opener ("and", "please") or follows a comma, colon or dash
    ("Matt, could you…")."""
    if i == c.s0 or c.prev(i) in _REQUEST_OPENERS:
        return True
    tokens = c.seg.tokens
    gap = c.seg.text[tokens[i - 1][1]:tokens[i][0]]
    return any(ch in gap for ch in ",;:—–(")


def _rule_could_ability(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    negated = c.lower[i].endswith("n't") or c.next(j) == "not"
    k = c.next_skipping(j, _MODAL_SKIP)
    verb = c.lower[k] if k < c.s1 else ""
    if c.next(j) == "you" and _opens_clause(c, i):
        return "request", "'could you' is a request"
    if c.prev(i) == "you" and c.prev(i, 2) == "if" and \
            c.lower[min(c.next_skipping(j, _REQUEST_SKIP), c.s1 - 1)] in _REQUEST_VERBS:
        return "request", "'if you could tell us' is a request"
    if negated and c.prev(i) in _PERSONAL and verb not in ("be", "have"):
        return "ability", "'could not' of past ability"
    if c.prev(i) in _PERSONAL and c.prev(i, 2) == "if" and verb not in ("be", "have"):
        return "ability", "'if I could …' is a hypothetical ability"
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


#: endings of the nouns a wildcard verb entry also matches ("speculation", "speculations", "speculators")
_NOUN_ENDINGS = ("ion", "ions", "or", "ors")
#: words before a verb entry's form that make it a noun ("the estimate", "government estimates")
_DETERMINERS = frozenset(("the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our",
                          "your", "my", "such", "official", "government", "initial", "early", "latest", "new",
                          "conservative", "independent", "preliminary", "previous"))


def _rule_not_noun(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    """The noun of a verb entry ("there is speculation that", "amid speculation", "the latest estimates", "under the
    assumption") names what others say or do, or a figure, not the writer's own tentativeness ("we speculate", "it
    is speculated", "speculative", "we estimate", "an estimated 300" stay hedges)."""
    word = c.lower[i]
    if word.endswith(_NOUN_ENDINGS) or (not word.endswith(("ed", "ing", "ive", "ively"))
                                        and (c.prev(i) in _DETERMINERS or c.next(j) == "of")):
        return "none", f"'{word}' is a noun: it reports what others do, not the writer's hedge"
    return category, ""


def _rule_name_us(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    if i in c.acronyms or c.words[i] in ("US", "U.S"):
        return "none", f"'{c.words[i]}' is an acronym (a name), not a pronoun"
    return category, ""


def _rule_cognition(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    k = i - 1
    while k >= c.s0 and (c.lower[k] in _COGNITION_SKIP or c.lower[k].endswith("n't")):
        k -= 1
    if k < c.s0 or c.lower[k] in _COGNITION_OWN:
        return category, ""
    return "stance", f"'{c.words[k]} {c.lower[i]}': a third party's view or an institution's position, not a hedge"


def _rule_roman_i(c: _Context, i: int, j: int, category: str) -> tuple[str, str]:
    if c.prev(i) in _ROMAN_BEFORE:
        return "none", "roman numeral 'I'"
    return category, ""


_RULE_FUNCS = {
    "month_may": _rule_month_may, "can_possibility": _rule_can_possibility, "could_ability": _rule_could_ability,
    "modal_epistemic": _rule_modal_epistemic, "approximator": _rule_approximator,
    "vague_quantifier": _rule_vague_quantifier, "predicative": _rule_predicative,
    "not_after_determiner": _rule_not_after_determiner, "not_noun": _rule_not_noun, "name_us": _rule_name_us,
    "roman_i": _rule_roman_i, "cognition": _rule_cognition,
}


def _negated(c: _Context, i: int) -> bool:
    """True when token ``i`` lies in a negation scope (the cue layer's, :func:`~framing.cues.rules.negation_scope`)."""
    return c.negated_by[i] >= 0


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
    """All hits of ``matcher`` in ``seg`` with the rules applied (for texts outside a document, e.g. training rows)."""
    bounds = [seg.sentence_tokens(si) for si in range(seg.n_sentences)]
    negated_by = negation_scope(seg.text, seg.tokens, seg.lower, bounds)
    acronyms = acronym_tokens(seg.words, bounds)
    by_sentence = {si: matcher.find(seg.lower, s0, s1) for si, (s0, s1) in enumerate(bounds) if s1 > s0}
    return _resolve_all(seg, by_sentence, negated_by, acronyms)


def _resolve_all(seg: Segmentation, by_sentence: dict, negated_by: Sequence[int],
                 acronyms: frozenset[int]) -> list[Cue]:
    cues: list[Cue] = []
    lower = seg.lower
    ctx = _Context(seg, 0, 0, negated_by, acronyms)  # one context, moved from sentence to sentence
    for si in sorted(by_sentence):
        matches = by_sentence[si]
        if not matches:
            continue
        ctx.s0, ctx.s1 = seg.sentence_tokens(si)
        for m in matches:
            cue = _resolve(ctx, m.first, m.last, m.entry, si)
            cues.append(cue)
            if m.last - m.first > 1 and cue.category != "self_mention":
                cues.extend(_self_mentions_within(lower, cue))
    return cues


def stance_layer(entries: Sequence[LexiconEntry] | None = None) -> str:
    """Register the stance lexicon (the packaged ``hedging`` one by default) with the cue layer; its layer key."""
    if entries is None:
        return _default_stance_layer()
    return register_layer("hedging", entries)


@lru_cache(maxsize=1)
def _default_stance_layer() -> str:
    return register_layer("hedging", load_lexicon("hedging").entries)


def stance_cues(doc: Document, layer: str | None = None) -> list[Cue]:
    """The stance cues of ``doc`` (counted and rejected readings), from the cue layer's one pass; memoised."""
    layer = layer or stance_layer()
    key = "stance:" + layer
    cached = doc.cache.get(key)
    if cached is None:
        cues = cues_of(doc)
        seg = doc.segmentation
        by_sentence: dict[int, list] = {}
        token_sentence = seg.token_sentence
        for m in cues.layer(layer):
            by_sentence.setdefault(token_sentence[m.first], []).append(m)
        cached = _resolve_all(seg, by_sentence, cues.negated_by, cues.acronyms)
        doc.cache[key] = cached
    return cached


def _self_mentions_within(lower: list[str], cue: Cue) -> list[Cue]:
    """First-person pronouns inside a multi-word cue ("in our view", "to my knowledge") are self-mentions too."""
    return [Cue(k, k + 1, cue.sentence, "self_mention", lower[k], False, f"inside '{cue.term}'")
            for k in range(cue.first, cue.last) if lower[k] in _FIRST_PERSON]



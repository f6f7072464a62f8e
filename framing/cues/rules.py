"""Rules every construct shares, decided once per document: negation scope and acronyms.

* **Negation** (after NegEx, Chapman et al. 2001): a trigger ("not", "no", "never", "without", "n't", "cannot",
  "still less" …) opens a scope over the next :data:`NEGATION_WINDOW` tokens of its sentence; punctuation inside
  the sentence (, ; : ( ) — –) or a contrastive word ("but", "however", "yet", "although", "whereas", "while")
  closes it. A cue inside a scope is *negated*: "should not become an exclusive club" does not praise anything as
  exclusive, "not clear" is no booster.
* **Names**: a capitalised cue that is not the first word of its sentence and touches another capitalised word
  ("the Global Security Initiative", "Embassy Spokesperson", "Resident Evil") is part of a name, not the common
  word it contains, unless the sentence is a title-case headline ("China's Bold Initiative Takes Center Stage").
* **Acronyms**: an all-capitals token of two or more letters in a sentence that is not itself in capitals ("US",
  "U.S", "UN", "WHO", "IT") is a name, never the function word it spells ("us", "who", "it").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import compress, count
from typing import Any

__all__ = ["NEGATION_WINDOW", "NEGATORS", "acronym_tokens", "is_negator", "negation_scope"]

#: tokens after a trigger that its scope covers
NEGATION_WINDOW = 4
NEGATORS = frozenset(["not", "no", "never", "neither", "nor", "cannot", "without", "nobody", "none", "nothing", "hardly", "scarcely", "barely", "less"])
#: "less" negates only in "still less" / "much less" (the other uses compare)
_LESS_BEFORE = frozenset({"still", "much", "even"})
_TERMINATORS = frozenset(["but", "however", "yet", "although", "though", "whereas", "while", "instead", "rather"])
_BREAK_RE = re.compile(r"[,;:()\[\]—–]")
_CONTRACTED_NOT_RE = re.compile(r"[nN]['’][tT]")
_TRIGGER_WORDS = NEGATORS


def is_negator(lower: Sequence[str], i: int) -> bool:
    """True when lower-cased token ``i`` opens a negation scope."""
    tok = lower[i]
    if tok.endswith("n't"):
        return True
    if tok == "less":
        return i > 0 and lower[i - 1] in _LESS_BEFORE
    return tok in NEGATORS


def negation_scope(text: str, tokens: Sequence[tuple[int, int]], lower: Sequence[str],
                   sentences: Sequence[tuple[int, int]]) -> list[int]:
    """For every token, the index of the trigger whose scope covers it, or -1 when it is not negated.

    ``sentences`` are token ranges ``[first, last)``; a scope never crosses one. The trigger itself is not in its
    own scope ("no" is not a negated cue, "no doubt" is handled by the lexicons as a phrase).
    """
    scope = [-1] * len(lower)
    triggers = sorted(set(_indices(map(_TRIGGER_WORDS.__contains__, lower)))
                      .union(_contracted_negations(text, tokens, lower)))
    if not triggers:
        return scope
    first_tokens = [s0 for s0, _ in sentences]
    for t in triggers:
        if not is_negator(lower, t):
            continue
        k = bisect_right(first_tokens, t) - 1
        end = sentences[k][1] if k >= 0 and t < sentences[k][1] else t + 1
        for i in range(t + 1, min(t + NEGATION_WINDOW + 1, end)):
            if lower[i] in _TERMINATORS or _break_before(text, tokens, i) or is_negator(lower, i):
                break
            scope[i] = t
    return scope


def _contracted_negations(text: str, tokens: Sequence[tuple[int, int]], lower: Sequence[str]) -> list[int]:
    """Indices of the tokens whose lower-cased form ends in "n't" ("don't", "Isn’t", "CAN'T").

    Found from the text's n't / n’t (any case), a scan of the characters in C, instead of a test of every token:
    only ``N``/``n``, an apostrophe and ``T``/``t`` lower-case to the last three characters of such a token.
    """
    out = []
    for m in _CONTRACTED_NOT_RE.finditer(text):
        k = bisect_left(tokens, (m.end(),)) - 1  # the last token starting before the match's end
        if k >= 0 and tokens[k][1] == m.end() and lower[k].endswith("n't"):
            out.append(k)
    return out


def _break_before(text: str, tokens: Sequence[tuple[int, int]], i: int) -> bool:
    """True when punctuation that closes a negation scope lies after the start of token ``i - 1`` and at or
    before the start of token ``i`` (a comma inside "924,000" counts for the next token)."""
    return _BREAK_RE.search(text, tokens[i - 1][0] + 1, tokens[i][0] + 1) is not None


def acronym_tokens(words: Sequence[str], sentences: Sequence[tuple[int, int]]) -> frozenset[int]:
    """Indices of tokens that are acronyms (all capitals, two letters or more, in a sentence not set in capitals)."""
    out: set[int] = set()
    candidates = [i for i in _indices(map(str.isupper, words)) if _is_caps(words[i])]
    if not candidates:
        return frozenset()
    for s0, s1 in sentences:
        caps = candidates[bisect_left(candidates, s0):bisect_left(candidates, s1)]
        if not caps:
            continue
        letters = sum(1 for i in range(s0, s1) if words[i][:1].isalpha())
        if letters and len(caps) * 2 > letters and letters > 3:  # a headline or label in capitals: no signal
            continue
        out.update(caps)
    return frozenset(out)


def _indices(flags: Any) -> list[int]:
    """Positions of the true values in ``flags`` (an iterable of booleans), without a Python-level loop."""
    return list(compress(count(), flags))


def _is_caps(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and sum(c.isalpha() for c in word) >= 2


class NameGuard:
    """Tells capitalised cues inside names from the common words they contain (see the module docstring)."""

    def __init__(self, seg: Any):
        self.seg = seg
        self._title_case: dict[int, bool] = {}

    def in_name(self, first: int, last: int, *, sentence_start_counts: bool = False) -> bool:
        """True when tokens ``[first, last)`` start with a capital and belong to a longer name.

        ``sentence_start_counts``: a sentence-initial cue followed by a capitalised word is a name too
        ("Embassy Spokesperson: …"); by default the first word of a sentence is given the benefit of the doubt.
        """
        seg = self.seg
        words = seg.words
        if not words[first][:1].isupper():
            return False
        sentence = seg.token_sentence[first]
        s_first, s_last = seg.sentence_tokens(sentence)
        at_start = first == s_first
        if at_start and not sentence_start_counts:
            return False
        before = not at_start and words[first - 1][:1].isupper()
        after = last < s_last and words[last][:1].isupper()
        return (before or after) and not self._is_title_case(sentence, s_first, s_last)

    def _is_title_case(self, sentence: int, first: int, last: int) -> bool:
        known = self._title_case.get(sentence)
        if known is None:
            s_start, s_end = self.seg.sentences[sentence]
            if self.seg.text[s_start:s_end].rstrip("\"'”’) ").endswith("."):
                self._title_case[sentence] = False
                return False
            content = [w for w in self.seg.words[first:last] if len(w) > 3]
            known = self._title_case[sentence] = bool(content) and sum(w[0].isupper() for w in content) >= 0.6 * len(
                content)
        return known

"""Readability formulas as pure functions of counts, and two ways of counting.

Methods note. By default framing reproduces textstat (the tool most readability studies cite) to the
last bit, from one pass over the text: words, sentences, syllables (CMU Pronouncing Dictionary,
Pyphen for words it lacks), letters and word classes are each counted once, syllables once per
distinct word. textstat departs from the published formulas: it ends a sentence at every ".", "!" or
"?" even inside a token (decimals, "U.S.", URLs) and drops fragments of two words or fewer, while it
runs headlines and list items without final punctuation into the next sentence; its Coleman-Liau
index uses 0.058 where Coleman & Liau (1975) have 0.0588; it counts proper names and inflected forms
of familiar words as "difficult" (Dale-Chall, Gunning fog). On 674 English news pages (dev set
source_type_web.csv) 9.4% of textstat's sentence breaks fall inside one of framing's sentences (81%
of those inside a token), offset here by the headlines it merges (net +0.9% sentences); where
decimals and abbreviations are dense and headlines rare, the extra breaks dominate, so grades come
out lower and reading ease higher. ``mode="framing"`` applies the published coefficients and word
rules to framing's own sentences and tokens: fidelity to the formulas' authors instead of
comparability with textstat studies. Both modes share every formula below; only the counts differ.
"""
from __future__ import annotations

import copy
import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from itertools import compress, count, islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from .syllables import cmu_syllable_table, syllable_count

if TYPE_CHECKING:  # pragma: no cover
    from .segment import Segmentation

__all__ = [
    "COEFFICIENTS",
    "CONSENSUS_FORMULAS",
    "TEXTSTAT_COEFFICIENTS",
    "ReadabilityCounts",
    "automated_readability_index",
    "coleman_liau_index",
    "consensus_grade",
    "count_segmentation",
    "count_textstat",
    "dale_chall_grade",
    "dale_chall_score",
    "easy_words",
    "flesch_kincaid_grade",
    "flesch_reading_ease",
    "gunning_fog",
    "linsear_write",
    "scores_from_counts",
    "sentence_profile",
    "smog_index",
    "text_standard",
]

NAN = float("nan")

#: Published coefficients, one entry per formula (references in each function's docstring).
COEFFICIENTS: dict[str, dict[str, float]] = {
    "flesch_reading_ease": {"base": 206.835, "words_per_sentence": 1.015, "syllables_per_word": 84.6},
    "flesch_kincaid_grade": {"words_per_sentence": 0.39, "syllables_per_word": 11.8, "constant": -15.59},
    "gunning_fog": {"scale": 0.4},
    "smog_index": {"scale": 1.043, "sentences_sampled": 30.0, "constant": 3.1291},
    "coleman_liau_index": {"letters_per_100_words": 0.0588, "sentences_per_100_words": 0.296, "constant": -15.8},
    "automated_readability_index": {"characters_per_word": 4.71, "words_per_sentence": 0.5, "constant": -21.43},
    "dale_chall_score": {"difficult_percent": 0.1579, "words_per_sentence": 0.0496, "adjustment": 3.6365,
                         "adjustment_above_percent": 5.0},
    "linsear_write": {"easy_weight": 1.0, "hard_weight": 3.0, "low_score_cut": 20.0, "low_score_offset": 2.0},
}

#: textstat's coefficients: the published ones except Coleman-Liau's 0.058 (published: 0.0588).
TEXTSTAT_COEFFICIENTS: dict[str, dict[str, float]] = copy.deepcopy(COEFFICIENTS)
TEXTSTAT_COEFFICIENTS["coleman_liau_index"]["letters_per_100_words"] = 0.058

#: Dale-Chall raw score -> US grade: lower edges of Chall & Dale's (1995) correspondence bands
#: (4.9 and below: grade 4 and below; 5.0-5.9: 5-6; 6.0-6.9: 7-8; 7.0-7.9: 9-10; 8.0-8.9: 11-12;
#: 9.0-9.9: 13-15; 10 and above: 16+), interpolated linearly between edges.
_DALE_CHALL_BANDS = ((5.0, 5.0), (6.0, 7.0), (7.0, 9.0), (8.0, 11.0), (9.0, 13.0), (10.0, 16.0))

#: grade-level formulas averaged by :func:`consensus_grade`
CONSENSUS_FORMULAS = ("flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index",
                      "automated_readability_index", "dale_chall_grade")


# ---------------------------------------------------------------------------
# formulas: pure functions of counts (NaN when a denominator is zero)

def _defined(*denominators: float) -> bool:
    return all(d > 0 for d in denominators)


def flesch_reading_ease(n_words: int, n_sentences: int, n_syllables: int,
                        coef: Mapping[str, float] = COEFFICIENTS["flesch_reading_ease"]) -> float:
    """Flesch (1948) reading ease; higher = easier (0-100 for most prose)."""
    if not _defined(n_words, n_sentences):
        return NAN
    return (coef["base"] - coef["words_per_sentence"] * (n_words / n_sentences)
            - coef["syllables_per_word"] * (n_syllables / n_words))


def flesch_kincaid_grade(n_words: int, n_sentences: int, n_syllables: int,
                         coef: Mapping[str, float] = COEFFICIENTS["flesch_kincaid_grade"]) -> float:
    """Kincaid et al. (1975) grade level; higher = harder (US school grade)."""
    if not _defined(n_words, n_sentences):
        return NAN
    return (coef["words_per_sentence"] * (n_words / n_sentences)
            + coef["syllables_per_word"] * (n_syllables / n_words) + coef["constant"])


def gunning_fog(n_words: int, n_sentences: int, n_complex_words: int,
                coef: Mapping[str, float] = COEFFICIENTS["gunning_fog"]) -> float:
    """Gunning (1952) fog index; higher = harder (years of schooling)."""
    if not _defined(n_words, n_sentences):
        return NAN
    return coef["scale"] * (n_words / n_sentences + 100 * n_complex_words / n_words)


def smog_index(n_sentences: int, n_polysyllables: int,
               coef: Mapping[str, float] = COEFFICIENTS["smog_index"]) -> float:
    """McLaughlin (1969) SMOG grade, with the sentence-count normalisation; higher = harder."""
    if not _defined(n_sentences):
        return NAN
    return coef["scale"] * (coef["sentences_sampled"] * (n_polysyllables / n_sentences)) ** 0.5 + coef["constant"]


def coleman_liau_index(n_words: int, n_sentences: int, n_letters: int,
                       coef: Mapping[str, float] = COEFFICIENTS["coleman_liau_index"]) -> float:
    """Coleman & Liau (1975) index from letters and sentences per 100 words; higher = harder."""
    if not _defined(n_words, n_sentences):
        return NAN
    return (coef["letters_per_100_words"] * (n_letters / n_words * 100)
            - coef["sentences_per_100_words"] * (n_sentences / n_words * 100) + coef["constant"])


def automated_readability_index(n_words: int, n_sentences: int, n_characters: int,
                                n_character_words: int | None = None,
                                coef: Mapping[str, float] = COEFFICIENTS["automated_readability_index"]) -> float:
    """Smith & Senter (1967) ARI from characters per word and words per sentence; higher = harder.

    ``n_character_words`` is the word count that divides ``n_characters``
    (textstat divides by all white-space separated chunks, punctuation-only
    ones included); it defaults to ``n_words``.
    """
    per = n_words if n_character_words is None else n_character_words
    if not _defined(n_words, n_sentences, per):
        return NAN
    return (coef["characters_per_word"] * (n_characters / per)
            + coef["words_per_sentence"] * (n_words / n_sentences) + coef["constant"])


def dale_chall_score(n_words: int, n_sentences: int, n_difficult_words: int,
                     coef: Mapping[str, float] = COEFFICIENTS["dale_chall_score"]) -> float:
    """New Dale-Chall raw score (Dale & Chall 1948; Chall & Dale 1995); higher = harder.

    ``n_difficult_words`` are words outside the Dale-Chall list of ~3,000
    familiar words; 3.6365 is added when they exceed 5% of the words.
    """
    if not _defined(n_words, n_sentences):
        return NAN
    percent = 100 * n_difficult_words / n_words
    score = coef["difficult_percent"] * percent + coef["words_per_sentence"] * (n_words / n_sentences)
    if percent > coef["adjustment_above_percent"]:
        score += coef["adjustment"]
    return score


def dale_chall_grade(score: float) -> float:
    """Dale-Chall raw score as a US grade (Chall & Dale 1995 bands, linear between band edges)."""
    if math.isnan(score):
        return NAN
    first, last = _DALE_CHALL_BANDS[0], _DALE_CHALL_BANDS[-1]
    if score < first[0]:
        return score  # "4.9 and below: grade 4 and below"
    if score >= last[0]:
        return last[1] + 2.0 * (score - last[0])
    for (x0, y0), (x1, y1) in itertools.pairwise(_DALE_CHALL_BANDS):
        if score < x1:
            return y0 + (y1 - y0) * (score - x0) / (x1 - x0)
    return last[1]  # pragma: no cover


def linsear_write(n_easy_words: int, n_hard_words: int, n_sentences: int,
                  coef: Mapping[str, float] = COEFFICIENTS["linsear_write"]) -> float:
    """Linsear Write grade (O'Hayre 1966) on a ~100-word sample; higher = harder.

    Easy words have at most two syllables, hard words three or more.
    """
    if not _defined(n_sentences):
        return NAN
    number = float((n_easy_words * coef["easy_weight"] + n_hard_words * coef["hard_weight"]) / n_sentences)
    if number <= coef["low_score_cut"]:
        number -= coef["low_score_offset"]
    return number / 2


def _reading_ease_grades(fre: float) -> list[int]:
    """textstat's mapping of Flesch reading ease to grades inside :func:`text_standard`."""
    for low, grades in ((90, [5]), (80, [6]), (70, [7]), (60, [8, 9]), (50, [10]), (40, [11]), (30, [12])):
        if low <= fre < low + 10:
            return grades
    return [13]


def text_standard(fkgl: float, fre: float, smog: float, cli: float, ari: float, dale_chall: float,
                  linsear: float, fog: float) -> float:
    """textstat's ``text_standard`` consensus: the most frequent grade among the formulas' votes.

    Each grade formula votes floor, ceil and round of its value, reading ease
    votes its band's grade(s); the first most frequent vote wins, clamped to
    1-18 (as ``textstat.text_standard(text, float_output=True)``). Higher = harder.
    """
    votes: list[int] = []
    votes.extend([math.floor(fkgl), math.ceil(fkgl), round(fkgl)])
    votes.extend(_reading_ease_grades(fre))
    for score in (smog, cli, ari, dale_chall, linsear, fog):
        votes.extend([math.floor(score), math.ceil(score), round(score)])
    grade = float(Counter(votes).most_common(1)[0][0])
    return max(1, min(grade, 18))


def consensus_grade(grades: Mapping[str, float]) -> float:
    """Mean of the six grade-level formulas in :data:`CONSENSUS_FORMULAS`; higher = harder.

    Flesch-Kincaid, Gunning fog, SMOG, Coleman-Liau, ARI and the Dale-Chall
    score converted to a grade with :func:`dale_chall_grade`. Reading ease is
    left out (it is Flesch-Kincaid's inputs on another scale) and so is
    Linsear Write (textstat scores only the first 100 words). A mean of
    continuous grades keeps the ordering information that textstat's
    integer-valued ``text_standard`` vote throws away. Nothing is fitted.
    On the dev sets (textstat counting): OneStopEnglish same-text pairwise
    accuracy 0.996 (``text_standard``: 0.884), CLEAR Spearman with teachers'
    easiness -0.572 (``text_standard``: -0.517).
    """
    values = [grades[name] for name in CONSENSUS_FORMULAS]
    if any(math.isnan(v) for v in values):
        return NAN
    return sum(values) / len(values)


# ---------------------------------------------------------------------------
# counts

@dataclass
class ReadabilityCounts:
    """The counts every formula is computed from (one document, one counting mode).

    Attributes
    ----------
    n_words, n_sentences, n_syllables : int
    n_polysyllables : int
        Words of three or more syllables (SMOG).
    n_complex_words : int
        Gunning fog's hard words (textstat: 3+ syllables and not on the Dale-Chall list).
    n_difficult_words : int
        Words of 2+ syllables not on the Dale-Chall list (every occurrence).
    n_difficult_word_types : int
        Distinct such words, as ``textstat.difficult_words(text)`` counts them.
    n_unfamiliar_words : int
        Dale-Chall's difficult words: not on its list of familiar words.
    n_letters : int
        Letters and digits in words (Coleman-Liau).
    n_characters, n_character_words : int
        ARI's characters and the word count that divides them.
    n_long_words : int
        Words of more than six letters.
    linsear_easy, linsear_hard, linsear_sentences : int
        Linsear Write's counts on its 100-word sample.
    """

    n_words: int = 0
    n_sentences: int = 0
    n_syllables: int = 0
    n_polysyllables: int = 0
    n_complex_words: int = 0
    n_difficult_words: int = 0
    n_difficult_word_types: int = 0
    n_unfamiliar_words: int = 0
    n_letters: int = 0
    n_characters: int = 0
    n_character_words: int = 0
    n_long_words: int = 0
    linsear_easy: int = 0
    linsear_hard: int = 0
    linsear_sentences: int = 0
    #: per framing sentence (only for ``count_segmentation``): words and polysyllabic words
    sentence_words: list[int] = field(default_factory=list, repr=False)
    sentence_polysyllables: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, int]:
        """The counts (without the per-sentence lists)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _PER_SENTENCE}


_PER_SENTENCE = ("sentence_words", "sentence_polysyllables")


@lru_cache(maxsize=1)
def easy_words() -> frozenset[str]:
    """The Dale-Chall list of familiar words that textstat ships (lower case).

    Read straight from textstat's ``resources/en/easy_words.txt`` (as its ``get_lang_easy_words("en_US")``
    reads it: one word per line, stripped) without importing textstat, whose import pulls in NLTK and SciPy.
    """
    from importlib.util import find_spec

    spec = find_spec("textstat")  # a top-level package: located, not imported
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - textstat is a dependency
        raise ImportError("textstat is not installed: framing reads its Dale-Chall word list")
    for location in spec.submodule_search_locations:
        path = Path(location) / "resources" / "en" / "easy_words.txt"
        if path.exists():
            with open(path, encoding="utf-8") as f:
                return frozenset(line.strip() for line in f)
    raise FileNotFoundError("textstat's resources/en/easy_words.txt")  # pragma: no cover


# textstat's tokenisation (backend.transformations.remove_punctuation, selections.list_words): textstat removes the
# apostrophes not followed by a contraction ending ("'s", "'t", "'ll", …), then every other character that is
# neither a word character nor white space, and splits at white space. Both rules look no further than the
# white-space chunk a character sits in (an apostrophe at a chunk's end is followed by white space, which is no
# contraction ending), so a chunk's word depends on the chunk alone and is worked out once per distinct chunk.
_NON_CONTRACTION_APOSTROPHE_RE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION_RE = re.compile(r"[^\w\s']+")
# textstat's sentence pieces (backend.counts.count_sentences: r"\b[^.!?]+[.!?]*"), counted when they hold more than
# two words, i.e. three white-space chunks with a word character. The optional look-ahead captures those three chunks
# when the piece has them and nothing otherwise, so one findall() both finds and classifies the pieces.
_THREE_WORD_CHUNKS = r"(?:[^.!?\w]*+\w[^.!?\s]*+){3}"
_TEXTSTAT_PIECE_RE = re.compile(rf"\b(?:(?=({_THREE_WORD_CHUNKS}))|)[^.!?]+[.!?]*")
_CHUNK_RE = re.compile(r"\S+")
LINSEAR_SAMPLE_WORDS = 100
# the white-space chunks before the LINSEAR_SAMPLE_WORDS-th one, and the white space after them
_SAMPLE_CHUNKS_RE = re.compile(rf"\s*+(?:\S++\s*+){{{LINSEAR_SAMPLE_WORDS - 1}}}")

#: what one white-space chunk adds to a document's counts, in the order they are packed (see :func:`_pack`)
_CHUNK_FIELDS = ("characters", "words", "letters", "syllables", "polysyllables", "complex_words",
                 "unfamiliar_words", "difficult_words", "long_words", "linsear_easy")
#: bits per packed field: a field's total is at most a few times the text's length in characters (syllables can
#: outnumber letters: "www" has nine), far below 2**48
_FIELD_BITS = 48
_FIELD_MASK = (1 << _FIELD_BITS) - 1

#: per-chunk facts memoised across documents (cleared together when they grow past _MEMO_LIMIT entries)
_MEMO_LIMIT = 300_000
_CHUNK_FACTS: dict[str, int] = {}     # chunk -> its packed counts
_CHUNK_WORD: dict[str, str] = {}      # chunk -> its word after punctuation removal ('' when nothing is left)
_DIFFICULT_WORDS: set[str] = set()    # words seen that are difficult (2+ syllables, not on the Dale-Chall list)
_FRAMING_WORDS: dict[str, tuple[int, int, bool, bool, bool, bool]] = {}


def _remember(memo: dict, key: str, value: tuple) -> tuple:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _pack(values: Sequence[int]) -> int:
    """Counts in :data:`_CHUNK_FIELDS` order as one integer, so that summing packed integers sums every field."""
    return sum(int(v) << (i * _FIELD_BITS) for i, v in enumerate(values))


def _unpack(total: int) -> dict[str, int]:
    """The fields of a (summed) packed integer, by name."""
    return {name: (total >> (i * _FIELD_BITS)) & _FIELD_MASK for i, name in enumerate(_CHUNK_FIELDS)}


def _textstat_chunk(chunk: str) -> tuple[str, int]:
    """A white-space chunk's textstat word ('' if only punctuation) and its packed counts.

    Syllables as :func:`~framing.syllables.syllable_count` gives them for the lower-cased word; familiar words are
    on the Dale-Chall list; long words have more than six letters; Linsear Write's easy words have one or two
    syllables.
    """
    word = _PUNCTUATION_RE.sub("", _NON_CONTRACTION_APOSTROPHE_RE.sub("", chunk))
    if not word:
        return word, _pack((len(chunk),))
    lower = word.lower()
    syl = cmu_syllable_table().get(lower)
    if syl is None:
        syl = syllable_count(lower)
    familiar = lower in easy_words()
    difficult = syl >= 2 and not familiar
    if difficult:
        _DIFFICULT_WORDS.add(word)
    letters = len(word) - word.count("'")
    return word, _pack((len(chunk), 1, letters, syl, syl >= 3, syl >= 3 and not familiar, not familiar, difficult,
                        letters > 6, 0 < syl < 3))


def _learn_chunks(chunks: list[str]) -> None:
    """Work out the word and counts of every chunk not seen before."""
    new = set(chunks).difference(_CHUNK_FACTS)
    if len(_CHUNK_FACTS) + len(new) > _MEMO_LIMIT:
        for memo in (_CHUNK_FACTS, _CHUNK_WORD, _DIFFICULT_WORDS):
            memo.clear()
        new = set(chunks)
    for chunk in new:
        _CHUNK_WORD[chunk], _CHUNK_FACTS[chunk] = _textstat_chunk(chunk)


def _chunk_totals(chunks: list[str]) -> int:
    """The packed counts of ``chunks`` summed (every chunk is memoised afterwards)."""
    try:
        return sum(map(_CHUNK_FACTS.__getitem__, chunks))
    except KeyError:
        _learn_chunks(chunks)
        return sum(map(_CHUNK_FACTS.__getitem__, chunks))


def _textstat_sentence_count(text: str, end: int) -> int:
    """textstat's sentence count of ``text[:end]``: pieces of more than two words (at least 1 unless empty)."""
    if end == 0:
        return 0
    pieces = _TEXTSTAT_PIECE_RE.findall(text, 0, end)
    return max(1, len(pieces) - pieces.count(""))


def _chunk_end(text: str, index: int) -> int:
    """End offset of white-space chunk number ``index`` (from 0; at least ``LINSEAR_SAMPLE_WORDS - 1``)."""
    skipped = _SAMPLE_CHUNKS_RE.match(text)  # one regex step over the chunks before the sample's last
    return next(islice(_CHUNK_RE.finditer(text, skipped.end()), index - (LINSEAR_SAMPLE_WORDS - 1), None)).end()


def count_textstat(text: str) -> ReadabilityCounts:
    """Count ``text`` exactly as textstat (>= 0.7.9, English) does, in one pass over its white-space chunks.

    Words are white-space separated chunks left after removing punctuation
    (apostrophes of contractions kept, hyphens dropped: "well-known" is one
    word, "3.5" becomes "35"); sentences are textstat's "."/"!"/"?" pieces
    of more than two words; syllables come from :func:`~framing.syllables.syllable_count`.
    Each distinct chunk is examined once (memoised across documents); a document's counts are then one sum.
    """
    chunks = text.split()
    totals = _unpack(_chunk_totals(chunks))
    counts = ReadabilityCounts(
        n_words=totals["words"], n_syllables=totals["syllables"], n_polysyllables=totals["polysyllables"],
        n_complex_words=totals["complex_words"], n_difficult_words=totals["difficult_words"],
        n_difficult_word_types=len(_DIFFICULT_WORDS.intersection(map(_CHUNK_WORD.__getitem__, chunks))),
        n_unfamiliar_words=totals["unfamiliar_words"], n_letters=totals["letters"],
        n_characters=totals["characters"], n_character_words=len(chunks), n_long_words=totals["long_words"],
        n_sentences=_textstat_sentence_count(text, len(text)))
    _linsear_textstat(text, chunks, totals, counts)
    return counts


def _linsear_textstat(text: str, chunks: list[str], totals: dict[str, int], counts: ReadabilityCounts) -> None:
    """Linsear Write counts as textstat takes them: the first 100 words, and the sentences of the chunks up to and
    including the one holding the 100th word (the whole text when it has 100 chunks or fewer)."""
    if len(chunks) > LINSEAR_SAMPLE_WORDS:
        word_chunks = compress(count(), map(_CHUNK_WORD.__getitem__, chunks))  # indices of chunks with a word
        last = next(islice(word_chunks, LINSEAR_SAMPLE_WORDS - 1, None), len(chunks) - 1)
        sample = _unpack(sum(map(_CHUNK_FACTS.__getitem__, chunks[:last + 1])))
        counts.linsear_sentences = _textstat_sentence_count(text, _chunk_end(text, last))
    else:
        sample = totals
        counts.linsear_sentences = counts.n_sentences
    counts.linsear_hard = sample["polysyllables"]
    counts.linsear_easy = sample["linsear_easy"]


# --- framing's own segmentation ------------------------------------------

_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("es", ""), ("s", ""), ("ed", ""),
                ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"), ("er", ""), ("er", "e"), ("est", ""),
                ("est", "e"), ("'s", ""))


def _familiar(word: str, easy: frozenset[str]) -> bool:
    """On the Dale-Chall list, directly or as a regular inflection (-s, -ed, -ing, -er, -est) of a listed word."""
    if word in easy:
        return True
    for suffix, replacement in _INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)]
            if stem + replacement in easy:
                return True
            if replacement == "" and len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in easy:
                return True  # stopped -> stop
    return False


def _token_syllables(word: str) -> int:
    """Syllables of a framing token: hyphenated compounds count their parts."""
    if "-" in word:
        return sum(syllable_count(part) for part in word.split("-") if part)
    return syllable_count(word)


def _suffix_made_complex(word: str, syllables: int) -> bool:
    """Gunning's exception: three syllables only because of -es, -ed or -ing."""
    if syllables != 3:
        return False
    for suffix in ("es", "ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return syllable_count(word[: -len(suffix)]) < 3
    return False


def _framing_word(word: str) -> tuple[int, int, bool, bool, bool, bool]:
    """(syllables, letters, is a number, polysyllabic, unfamiliar, complex) of a lower-case framing token."""
    if word[0].isdigit():
        letters = len(word) - word.count(".") - word.count(",") - word.count(":")
        return _remember(_FRAMING_WORDS, word, (1, letters, True, False, False, False))
    letters = len(word) - word.count("-") - word.count("'")
    syl = _token_syllables(word)
    poly = syl >= 3
    complex_ = poly and "-" not in word and not _suffix_made_complex(word, syl)
    return _remember(_FRAMING_WORDS, word, (syl, letters, False, poly, not _familiar(word, easy_words()), complex_))


def count_segmentation(seg: Segmentation) -> ReadabilityCounts:
    """Count with framing's segmentation and the published word rules (``mode="framing"``).

    Sentences are framing's sentences that hold at least one word token
    (headlines and list items without final punctuation included; decimals,
    abbreviations and initials never split). Words are framing's tokens
    (hyphenated compounds and numbers are one word). Proper names are
    capitalised tokens that do not start their sentence: Dale-Chall counts
    them as familiar and Gunning fog as not complex; regular inflections of
    familiar words are familiar (Dale & Chall's rules); Gunning's complex words
    exclude hyphenated compounds and words made three syllables by -es/-ed/-ing.
    Numbers are words, never polysyllabic, complex or unfamiliar.
    """
    counts = ReadabilityCounts()
    lower = seg.lower
    n_sents = seg.n_sentences
    sent_words = _sentence_word_counts(seg)
    sent_poly = [0] * n_sents
    # one look at each distinct word (memoised across documents)
    memo = _FRAMING_WORDS
    syllables_of: dict[str, int] = {}
    watch: dict[str, tuple[bool, bool, bool]] = {}  # word -> (polysyllabic, unfamiliar, complex unless a name)
    for word, n in Counter(lower).items():
        syl, letters, _, poly, unfamiliar, complex_ = memo.get(word) or _framing_word(word)
        syllables_of[word] = syl
        counts.n_syllables += syl * n
        counts.n_letters += letters * n
        if letters > 6:
            counts.n_long_words += n
        if poly or unfamiliar:
            watch[word] = (poly, unfamiliar, complex_)
    # proper names and per-sentence counts need the token's position (only for the watched words)
    text = seg.text
    tokens = seg.tokens
    tok_sent = seg.token_sentence
    difficult_types: set[str] = set()
    for i in [i for i, word in enumerate(lower) if word in watch]:
        word = lower[i]
        poly, unfamiliar, complex_ = watch[word]
        si = tok_sent[i]
        proper = i > 0 and tok_sent[i - 1] == si and text[tokens[i][0]].isupper()
        if poly:
            counts.n_polysyllables += 1
            sent_poly[si] += 1
            if complex_ and not proper:
                counts.n_complex_words += 1
        if unfamiliar and not proper:
            counts.n_unfamiliar_words += 1
            if syllables_of[word] >= 2:
                counts.n_difficult_words += 1
                difficult_types.add(word)
    counts.n_difficult_word_types = len(difficult_types)
    counts.n_words = len(lower)
    counts.n_characters = counts.n_letters
    counts.n_character_words = counts.n_words
    counts.n_sentences = sum(1 for n in sent_words if n)
    counts.sentence_words = sent_words
    counts.sentence_polysyllables = sent_poly
    _linsear_segmentation(seg, syllables_of, counts)
    return counts


def _sentence_word_counts(seg: Segmentation) -> list[int]:
    """Word tokens in each sentence."""
    return [last - first for first, last in map(seg.sentence_tokens, range(seg.n_sentences))]


def sentence_profile(seg: Segmentation) -> tuple[list[int], list[int]]:
    """Words and words of three or more syllables in each of framing's sentences (for evidence).

    The same per-sentence figures :func:`count_segmentation` gives, without the other counts.
    """
    polysyllabic = map(itemgetter(3), _framing_facts(seg.lower))
    sent_poly = [0] * seg.n_sentences
    for si, n in Counter(compress(seg.token_sentence, polysyllabic)).items():
        sent_poly[si] = n
    return _sentence_word_counts(seg), sent_poly


def _framing_facts(lower: list[str]) -> list[tuple[int, int, bool, bool, bool, bool]]:
    """:func:`_framing_word`'s facts for each lower-case token (memoised across documents)."""
    memo = _FRAMING_WORDS
    try:
        return list(map(memo.__getitem__, lower))
    except KeyError:
        return [memo.get(word) or _framing_word(word) for word in lower]


def _tally_linsear_words(sample: list[str], syllables_of: dict[str, int], counts: ReadabilityCounts) -> None:
    """Linsear Write's easy (1-2 syllables) and hard (3+) words of the sample."""
    for word in sample:
        syl = syllables_of[word]
        if syl >= 3:
            counts.linsear_hard += 1
        elif syl > 0:
            counts.linsear_easy += 1


def _linsear_segmentation(seg: Segmentation, syllables_of: dict[str, int], counts: ReadabilityCounts) -> None:
    """Linsear Write on the first 100 tokens and the sentences they touch."""
    sample = seg.lower[:LINSEAR_SAMPLE_WORDS]
    _tally_linsear_words(sample, syllables_of, counts)
    counts.linsear_sentences = len(set(seg.token_sentence[:LINSEAR_SAMPLE_WORDS]))


# ---------------------------------------------------------------------------
# counts -> scores

def _textstat_guarded(counts: ReadabilityCounts) -> dict[str, float]:
    """The formulas with textstat's coefficients and its convention of 0.0 for undefined values."""
    c = TEXTSTAT_COEFFICIENTS
    w, s, syl = counts.n_words, counts.n_sentences, counts.n_syllables
    wps_zero = w == 0 or s == 0
    out = {
        "flesch_reading_ease": 0.0 if wps_zero or syl == 0 else flesch_reading_ease(w, s, syl,
                                                                                    c["flesch_reading_ease"]),
        "flesch_kincaid_grade": 0.0 if wps_zero or syl == 0 else flesch_kincaid_grade(w, s, syl,
                                                                                      c["flesch_kincaid_grade"]),
        # textstat's sentence count is >= 1 whenever there are words
        "gunning_fog": 0.0 if w == 0 else gunning_fog(w, s, counts.n_complex_words, c["gunning_fog"]),
        "smog_index": 0.0 if s == 0 else smog_index(s, counts.n_polysyllables, c["smog_index"]),
        "coleman_liau_index": 0.0 if wps_zero or counts.n_letters == 0
        else coleman_liau_index(w, s, counts.n_letters, c["coleman_liau_index"]),
        "automated_readability_index": 0.0 if wps_zero or counts.n_character_words == 0 or counts.n_characters == 0
        else automated_readability_index(w, s, counts.n_characters, counts.n_character_words,
                                         c["automated_readability_index"]),
        "dale_chall_score": 0.0 if w == 0 else dale_chall_score(w, s, counts.n_unfamiliar_words,
                                                                c["dale_chall_score"]),
        "linsear_write": 0.0 if counts.linsear_sentences == 0
        else linsear_write(counts.linsear_easy, counts.linsear_hard, counts.linsear_sentences, c["linsear_write"]),
    }
    return out


def scores_from_counts(counts: ReadabilityCounts, mode: str = "textstat") -> dict[str, float]:
    """Every formula's value from ``counts``.

    Parameters
    ----------
    counts : ReadabilityCounts
        From :func:`count_textstat` (``mode="textstat"``) or :func:`count_segmentation`.
    mode : {"textstat", "framing"}
        ``textstat``: textstat's coefficients and its 0.0 for undefined values;
        ``framing``: published coefficients, NaN when undefined.

    Returns
    -------
    dict
        Formula name -> value, plus ``text_standard``, ``dale_chall_grade`` and
        ``consensus_grade``.
    """
    if mode == "textstat":
        out = _textstat_guarded(counts)
    elif mode == "framing":
        c = COEFFICIENTS
        w, s = counts.n_words, counts.n_sentences
        out = {
            "flesch_reading_ease": flesch_reading_ease(w, s, counts.n_syllables, c["flesch_reading_ease"]),
            "flesch_kincaid_grade": flesch_kincaid_grade(w, s, counts.n_syllables, c["flesch_kincaid_grade"]),
            "gunning_fog": gunning_fog(w, s, counts.n_complex_words, c["gunning_fog"]),
            "smog_index": smog_index(s, counts.n_polysyllables, c["smog_index"]),
            "coleman_liau_index": coleman_liau_index(w, s, counts.n_letters, c["coleman_liau_index"]),
            "automated_readability_index": automated_readability_index(w, s, counts.n_characters, None,
                                                                       c["automated_readability_index"]),
            "dale_chall_score": dale_chall_score(w, s, counts.n_unfamiliar_words, c["dale_chall_score"]),
            "linsear_write": linsear_write(counts.linsear_easy, counts.linsear_hard, counts.linsear_sentences,
                                           c["linsear_write"]),
        }
    else:
        raise ValueError(f"mode must be 'textstat' or 'framing', not {mode!r}")
    defined = not any(math.isnan(v) for v in out.values())
    out["text_standard"] = text_standard(out["flesch_kincaid_grade"], out["flesch_reading_ease"],
                                         out["smog_index"], out["coleman_liau_index"],
                                         out["automated_readability_index"], out["dale_chall_score"],
                                         out["linsear_write"], out["gunning_fog"]) if defined else NAN
    out["dale_chall_grade"] = dale_chall_grade(out["dale_chall_score"])
    out["consensus_grade"] = consensus_grade(out)
    return out

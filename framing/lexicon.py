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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from itertools import compress, count
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "Candidates",
    "Lexicon",
    "LexiconEntry",
    "LexiconError",
    "Match",
    "PhraseMatcher",
    "file_candidates",
    "load_lexicon",
    "longest_at",
    "longest_phrase",
    "packaged_lexicons",
    "trie_pattern",
    "word_matches",
]

REQUIRED_HEADER = ("name", "version", "source", "licence")


class LexiconError(ValueError):
    """A lexicon file is malformed (names the file and the line)."""


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    category: str = ""
    weight: float = 1.0
    extra: tuple[str, ...] = ()

    @cached_property
    def words(self) -> tuple[str, ...]:
        # computed once per entry (matchers ask for it several times per lexicon load); cached_property writes
        # the instance __dict__ directly, which a frozen dataclass allows
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

    def extended(self, other: Lexicon) -> Lexicon:
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
    append = entries.append
    for lineno, line in enumerate(text.splitlines(), 1):  # splitlines() already drops "\r\n"
        if not line or line.isspace():
            continue
        if line[0] == "#":
            if not entries and ":" in line:
                key, _, value = line[1:].partition(":")
                header[key.strip().lower()] = value.strip()
            continue
        parts = line.split("\t")
        term = parts[0].strip()
        if not term:
            raise LexiconError(f"{path}:{lineno}: empty term")
        n = len(parts)
        if n == 1:
            append(LexiconEntry(term))
            continue
        category = parts[1].strip()
        weight = 1.0
        if n > 2 and parts[2].strip():
            try:
                weight = float(parts[2])
            except ValueError:
                raise LexiconError(f"{path}:{lineno}: weight {parts[2]!r} is not a number") from None
        append(LexiconEntry(term, category, weight, tuple(p.strip() for p in parts[3:]) if n > 3 else ()))
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

    def __init__(self, first: int, last: int, entry: LexiconEntry) -> None:
        # the instance __dict__ written directly: the same frozen object, built faster than through the
        # dataclass's object.__setattr__ calls (the cue layer builds hundreds per document)
        d = self.__dict__
        d["first"] = first
        d["last"] = last
        d["entry"] = entry


def trie_pattern(phrases: Iterable[str], *, end: str = "") -> str:
    """A regular-expression alternation of ``phrases``, factored as a character trie.

    ``trie_pattern(["said", "says", "say"])`` gives ``sa(?:id|y(?:s|))``: the regex engine rejects a position
    after a character or two instead of trying every phrase in turn (the reporting verbs of
    :mod:`framing.attribution`: about four times faster than their plain alternation). At every node the longer
    continuations are tried before ``end`` (the pattern appended where a phrase ends), so among phrases that match
    at one position the longest is tried first, as in a longest-first alternation. Metacharacters are escaped.
    """
    root: dict = {}
    for phrase in phrases:
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[None] = None  # a phrase ends here
    return _trie_node_pattern(root, end) if root else "(?!)"


def _trie_node_pattern(node: dict, end: str) -> str:
    alternatives = [re.escape(ch) + _trie_node_pattern(child, end)
                    for ch, child in sorted((k, v) for k, v in node.items() if k is not None)]
    if None in node:
        alternatives.append(end)
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


class Candidates(NamedTuple):
    """What one lexicon may match starting at one token, in the order the longest-first walk tries it.

    Every multi-word candidate comes before every one-word candidate, longest first; among equally long ones an
    exact first word beats a wildcard, then the lexicon's order decides. The multi-word candidates are filed by
    their second word, so a common first word ("the", "in") that starts hundreds of phrases costs one dict probe
    instead of a comparison per phrase.
    """

    #: the first one-word candidate (it always matches), or None
    single: LexiconEntry | None
    #: next token -> the multi-word candidates whose second word it may be, in walk order
    by_second: dict[str, tuple[_Candidate, ...]]
    #: the multi-word candidates whose second word is a wildcard (for any other next token), in walk order
    any_second: tuple[_Candidate, ...]


# one multi-word candidate: (number of words, the words after the first or None when one is a wildcard, words, entry)
_Candidate = tuple[int, "list[str] | None", tuple[str, ...], LexiconEntry]


def word_matches(pattern: str, token: str) -> bool:
    """A lexicon word against a token: ``suggest*`` matches any continuation, other words match exactly."""
    if pattern.endswith("*"):
        return token.startswith(pattern[:-1])
    return pattern == token


def file_candidates(ordered: Iterable[tuple[tuple[str, ...], LexiconEntry]]) -> Candidates:
    """:class:`Candidates` from a token's candidate ``(words, entry)`` pairs, already in walk order."""
    single = None
    multi: list[_Candidate] = []
    for words, entry in ordered:
        if len(words) == 1:
            single = entry if single is None else single
        else:
            rest = None if any(w.endswith("*") for w in words[1:]) else list(words[1:])
            multi.append((len(words), rest, words, entry))
    any_second = tuple(c for c in multi if c[2][1].endswith("*"))
    by_second: dict[str, list[_Candidate]] = {}
    if not any_second:
        for c in multi:
            by_second.setdefault(c[2][1], []).append(c)
    else:  # a wildcard second word also belongs to every exact second word it matches, in walk order
        for w in {c[2][1] for c in multi if not c[2][1].endswith("*")}:
            by_second[w] = [c for c in multi if word_matches(c[2][1], w)]
    return Candidates(single, {w: tuple(cs) for w, cs in by_second.items()}, any_second)


def longest_at(candidates: Candidates, tokens: Sequence[str], i: int, end: int) -> tuple[int, LexiconEntry] | None:
    """The walk's match starting at token ``i`` (given ``candidates`` of ``tokens[i]``) within ``tokens[:end]``.

    Returns ``(number of tokens, entry)``, or None when nothing matches there.
    """
    if i + 1 < end:
        phrases = candidates.by_second.get(tokens[i + 1], candidates.any_second)
        if phrases:
            hit = longest_phrase(phrases, tokens, i, end)
            if hit is not None:
                return hit
    if candidates.single is not None:
        return 1, candidates.single
    return None


def longest_phrase(phrases: Sequence[_Candidate], tokens: Sequence[str], i: int,
                   end: int) -> tuple[int, LexiconEntry] | None:
    """The first of ``phrases`` (multi-word candidates in walk order) that matches at token ``i`` within
    ``tokens[:end]``, as ``(number of tokens, entry)``; None when none does."""
    for n, rest, words, entry in phrases:
        if i + n <= end and (tokens[i + 1:i + n] == rest if rest is not None else
                             all(word_matches(words[k], tokens[i + k]) for k in range(1, n))):
            return n, entry
    return None


class PhraseMatcher:
    """Find lexicon terms (single or multi-word, with ``*`` wildcards) in a token list.

    Matching is greedy and longest-first at each position, and matches do not
    overlap; among equally long entries an exact first word beats a wildcard,
    then the lexicon's order decides.

    It is fast on real text because news vocabulary is Zipfian: each distinct
    token's candidate entries are worked out once and remembered (a wildcard
    entry costs one dict probe per prefix length, once per distinct token),
    only tokens that can start an entry are visited, and multi-word
    candidates are looked up by the next token (:class:`Candidates`).
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
        self._memo: dict[str, Candidates | None] = {}  # token -> its candidates (None: starts no entry)

    def _candidates(self, token: str) -> list[tuple[tuple[str, ...], LexiconEntry]]:
        found = list(self._exact.get(token, ()))
        n = len(token)
        for k in self._prefix_lengths:
            if k <= n:
                found.extend(self._prefix.get(token[:k], ()))
        found.sort(key=lambda c: -len(c[0]))  # stable: exact heads before wildcard heads
        return found

    def _learn(self, tokens: Iterable[str]) -> None:
        memo = self._memo
        new = set(tokens).difference(memo)
        if not new:
            return
        if len(memo) + len(new) > self.MAX_MEMO:
            memo.clear()
            new = set(tokens)  # the tokens known before were cleared with the rest
        for token in new:
            found = self._candidates(token)
            memo[token] = file_candidates(found) if found else None

    def _plans(self, tokens: Sequence[str]) -> list[Candidates | None]:
        """Each token's candidates, in one C-level pass once every token is known (learning the new ones first)."""
        try:
            return list(map(self._memo.__getitem__, tokens))
        except KeyError:
            self._learn(tokens)
            return list(map(self._memo.__getitem__, tokens))

    def find(self, tokens: Sequence[str], start: int = 0, end: int | None = None) -> list[Match]:
        """Matches in ``tokens[start:end]`` (lower-cased tokens, e.g. ``Segmentation.lower``)."""
        end = len(tokens) if end is None else end
        plans = self._plans(tokens[start:end] if start or end < len(tokens) else tokens)
        out: list[Match] = []
        free = start
        for k in compress(count(), plans):  # only the tokens that can start an entry
            i = start + k
            if i < free:
                continue
            hit = longest_at(plans[k], tokens, i, end)  # type: ignore[arg-type]
            if hit is not None:
                out.append(Match(i, i + hit[0], hit[1]))
                free = i + hit[0]
        return out

"""One matcher for every lexicon: each token of a document is looked at once, whatever the number of word lists.

Every extractor's lexicon (and a user's replacement) is added to one :class:`CueMatcher` under a *layer* name.
A call to :meth:`CueMatcher.find` walks the lower-cased tokens of each sentence once and returns, for every layer,
the same matches a separate :class:`~framing.lexicon.PhraseMatcher` over that lexicon would give: greedy,
longest-first at each position, no overlap *within* a layer (layers may overlap each other: "China believes" can be
a stance cue in one and a reporting verb in another; the constructs decide which reading counts).

Speed comes from the Zipfian shape of news vocabulary: each distinct token's candidate entries (across all layers)
are worked out once and remembered, only tokens that can start an entry are visited, and a multi-word candidate is
rejected on its second word before the rest is compared. Matches never cross a sentence boundary.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from ..lexicon import LexiconEntry, Match

__all__ = ["CueMatcher"]

# candidate: (length, rest of the words or None when a later word is a wildcard, words, entry)
_Candidate = tuple[int, "list[str] | None", tuple[str, ...], LexiconEntry]


def _word_matches(pattern: str, token: str) -> bool:
    return token.startswith(pattern[:-1]) if pattern.endswith("*") else pattern == token


class CueMatcher:
    """Many lexicons, one pass: ``find(tokens, bounds)`` returns ``{layer: [Match, ...]}``.

    Parameters
    ----------
    layers : mapping of layer name to lexicon entries
        Each layer keeps its own non-overlap; the order of entries breaks ties as in the lexicon file.
    """

    #: distinct tokens remembered before the memo is cleared (bounds memory on huge vocabularies)
    MAX_MEMO = 500_000

    def __init__(self, layers: dict[str, Iterable[LexiconEntry]]):
        self.layers = tuple(layers)
        self._exact: dict[str, list[tuple[int, tuple[str, ...], LexiconEntry]]] = {}
        self._prefix: dict[str, list[tuple[int, tuple[str, ...], LexiconEntry]]] = {}
        for li, entries in enumerate(layers.values()):
            for entry in entries:
                words = entry.words
                if not words:
                    continue
                head = words[0]
                table = self._prefix if head.endswith("*") else self._exact
                table.setdefault(head.rstrip("*"), []).append((li, words, entry))
        self._prefix_lengths = sorted({len(k) for k in self._prefix}, reverse=True)
        # token -> per layer: (layer index, candidates longest first, possible second words or None)
        self._memo: dict[str, tuple[tuple[int, tuple[_Candidate, ...], frozenset[str] | None], ...]] = {}

    def _compile(self, token: str) -> tuple[tuple[int, tuple[_Candidate, ...], frozenset[str] | None], ...]:
        found = list(self._exact.get(token, ()))
        for k in self._prefix_lengths:
            if k <= len(token):
                found.extend(self._prefix.get(token[:k], ()))
        by_layer: dict[int, list[tuple[tuple[str, ...], LexiconEntry]]] = {}
        for li, words, entry in found:
            by_layer.setdefault(li, []).append((words, entry))
        out = []
        for li in sorted(by_layer):
            cands = sorted(by_layer[li], key=lambda c: -len(c[0]))  # stable: exact heads before wildcard heads
            compiled = tuple((len(w), None if any(x.endswith("*") for x in w[1:]) else list(w[1:]), w, e)
                             for w, e in cands)
            wild_second = any(c[1] is None and c[0] > 1 for c in compiled)
            seconds = None if wild_second else frozenset(c[1][0] for c in compiled if c[0] > 1)
            out.append((li, compiled, seconds))
        return tuple(out)

    def _learn(self, tokens: Sequence[str]) -> None:
        memo = self._memo
        new = set(tokens).difference(memo)
        if not new:
            return
        if len(memo) + len(new) > self.MAX_MEMO:
            memo.clear()
        for token in new:
            memo[token] = self._compile(token)

    def find(self, tokens: Sequence[str], bounds: Sequence[tuple[int, int]]) -> dict[str, list[Match]]:
        """Matches per layer in lower-cased ``tokens``, each within one ``[first, last)`` span of ``bounds``.

        ``bounds`` are the sentences' token ranges, in order; only tokens that can start an entry are visited.
        """
        self._learn(tokens)
        memo = self._memo
        n_layers = len(self.layers)
        found: list[list[Match]] = [[] for _ in range(n_layers)]
        starters = [i for i, t in enumerate(tokens) if memo[t]]
        firsts = [s0 for s0, _ in bounds]
        free = [0] * n_layers
        for i in starters:
            k = bisect_right(firsts, i) - 1
            if k < 0 or i >= bounds[k][1]:
                continue  # a token outside every sentence span
            s1 = bounds[k][1]
            multi_next = tokens[i + 1] if i + 1 < s1 else None
            for li, compiled, seconds in memo[tokens[i]]:
                if i < free[li]:
                    continue
                multi_ok = multi_next is not None and (seconds is None or multi_next in seconds)
                for n, rest, words, entry in compiled:
                    if n > 1 and (not multi_ok or i + n > s1):
                        continue
                    if n == 1 or (tokens[i + 1:i + n] == rest if rest is not None else
                                  all(_word_matches(words[k2], tokens[i + k2]) for k2 in range(1, n))):
                        found[li].append(Match(i, i + n, entry))
                        free[li] = i + n
                        break
        return dict(zip(self.layers, found))

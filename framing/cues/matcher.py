"""One matcher for every lexicon: each token of a document is looked at once, whatever the number of word lists.

Every extractor's lexicon (and a user's replacement) is added to one :class:`CueMatcher` under a *layer* name.
A call to :meth:`CueMatcher.find` walks the lower-cased tokens of each sentence once and returns, for every layer,
the same matches a separate :class:`~framing.lexicon.PhraseMatcher` over that lexicon would give: greedy,
longest-first at each position, no overlap *within* a layer (layers may overlap each other: "China believes" can be
a stance cue in one and a reporting verb in another; the constructs decide which reading counts).

Speed comes from the Zipfian shape of news vocabulary: each distinct token's candidate entries (across all layers)
are worked out once and remembered, only tokens that can start an entry are visited, and multi-word candidates are
looked up by the next token (:class:`~framing.lexicon.Candidates`), so a common word that starts hundreds of phrases
("the", "in") costs one dict probe. Matches never cross a sentence boundary.

(A character-trie regex per layer over the space-joined tokens was measured too: it finds the same matches, but
joining the tokens and scanning once per layer cost as much as this walk, so the walk stayed.)
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress, count

from ..lexicon import Candidates, LexiconEntry, Match, file_candidates, longest_phrase

__all__ = ["CueMatcher"]


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
        # token -> (its layer plans, next tokens) or None when no entry starts with the token; "next tokens" is
        # None when the token may match on its own, else the second words it needs (most tokens that start only
        # phrases, "the", "in", start none of them)
        self._memo: dict[str, tuple[tuple[_LayerPlan, ...], frozenset[str] | None] | None] = {}

    def _plan(self, token: str) -> tuple[tuple[_LayerPlan, ...], frozenset[str] | None] | None:
        compiled = self._compile(token)
        if not compiled:
            return None
        layers = tuple(_layer_plan(li, c) for li, c in compiled)
        if any(c.single is not None or c.any_second for _, c in compiled):
            return layers, None
        return layers, frozenset(w for _, c in compiled for w in c.by_second)

    def _compile(self, token: str) -> tuple[tuple[int, Candidates], ...]:
        found = list(self._exact.get(token, ()))
        for k in self._prefix_lengths:
            if k <= len(token):
                found.extend(self._prefix.get(token[:k], ()))
        by_layer: dict[int, list[tuple[tuple[str, ...], LexiconEntry]]] = {}
        for li, words, entry in found:
            by_layer.setdefault(li, []).append((words, entry))
        # stable sort, longest first: exact heads before wildcard heads, then the lexicon's order
        return tuple((li, file_candidates(sorted(by_layer[li], key=lambda c: -len(c[0])))) for li in sorted(by_layer))

    def _learn(self, tokens: Sequence[str]) -> None:
        memo = self._memo
        new = set(tokens).difference(memo)
        if not new:
            return
        if len(memo) + len(new) > self.MAX_MEMO:
            memo.clear()
            new = set(tokens)  # the document's known tokens were cleared with the rest
        for token in new:
            memo[token] = self._plan(token)

    def find(self, tokens: Sequence[str], bounds: Sequence[tuple[int, int]]) -> dict[str, list[Match]]:
        """Matches per layer in lower-cased ``tokens``, each within one ``[first, last)`` span of ``bounds``.

        ``bounds`` are the sentences' token ranges, in order; only tokens that can start an entry are visited.
        """
        found: list[list[Match]] = [[] for _ in self.layers]
        free = [0] * len(self.layers)
        # every token's plan in one C-level pass; only the tokens that can start an entry are visited, in order,
        # each with the end of the span of ``bounds`` that holds it (tokens outside every span are skipped)
        try:  # every token seen before: no set of the document's tokens to build
            plans = list(map(self._memo.__getitem__, tokens))
        except KeyError:
            self._learn(tokens)
            plans = list(map(self._memo.__getitem__, tokens))
        n_bounds = len(bounds)
        b = 0
        s0, s1 = bounds[0] if n_bounds else (0, 0)
        for i in compress(count(), plans):
            if i >= s1:
                b += 1
                while b < n_bounds and bounds[b][1] <= i:
                    b += 1
                if b >= n_bounds:
                    break
                s0, s1 = bounds[b]
            if i < s0:
                continue
            layers, next_words = plans[i]  # type: ignore[misc]
            if next_words is not None and (i + 1 >= s1 or tokens[i + 1] not in next_words):
                continue  # starts only phrases, and not this one
            for li, single, by_second, any_second in layers:
                if i < free[li]:
                    continue
                # the longest phrase filed under the next token, else the one-word entry (as ``longest_at``)
                if by_second is not None and i + 1 < s1:
                    phrases = by_second.get(tokens[i + 1], any_second)
                    if phrases:
                        hit = longest_phrase(phrases, tokens, i, s1)
                        if hit is not None:
                            found[li].append(Match(i, i + hit[0], hit[1]))
                            free[li] = i + hit[0]
                            continue
                if single is not None:
                    found[li].append(Match(i, i + 1, single))
                    free[li] = i + 1
        return dict(zip(self.layers, found))


#: what the walk needs of one layer's candidates at a token: (layer index, the one-word entry or None, the
#: multi-word candidates by next token or None when there are none, those with a wildcard second word)
_LayerPlan = tuple[int, "LexiconEntry | None", "dict[str, tuple] | None", tuple]


def _layer_plan(li: int, candidates: Candidates) -> _LayerPlan:
    multi_word = bool(candidates.by_second or candidates.any_second)
    return li, candidates.single, candidates.by_second if multi_word else None, candidates.any_second

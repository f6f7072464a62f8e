"""The cue layer: one matcher for every lexicon, negation and acronyms decided once, voice including questioners,
and every shared construct reported by exactly one family."""
from __future__ import annotations

import pytest

import framing
from framing.cues import CONSTRUCT_OWNERS, CueMatcher, cues_of, register_layer
from framing.cues.rules import acronym_tokens, negation_scope
from framing.extractors.base import resolve_extractors
from framing.ingest import make_document
from framing.lexicon import LexiconEntry, PhraseMatcher, load_lexicon, packaged_lexicons
from framing.segment import segment


@pytest.fixture(scope="module")
def seeds():
    return {d.id[:3]: d for d in framing.load("seeds/")}


def _bounds(seg):
    return [seg.sentence_tokens(si) for si in range(seg.n_sentences)]


def test_one_matcher_gives_each_lexicon_what_its_own_matcher_would(seeds):
    """Per layer, the shared matcher equals a PhraseMatcher over that lexicon, sentence by sentence."""
    names = [n for n in packaged_lexicons() if n not in ("promotional_style",)]
    layers = {n: load_lexicon(n).entries for n in names}
    shared = CueMatcher(layers)
    separate = {n: PhraseMatcher(e) for n, e in layers.items()}
    checked = 0
    for doc in seeds.values():
        seg = doc.segmentation
        found = shared.find(seg.lower, _bounds(seg))
        for n in names:
            expected = [(m.first, m.last, m.entry.term) for s0, s1 in _bounds(seg)
                        for m in separate[n].find(seg.lower, s0, s1)]
            assert [(m.first, m.last, m.entry.term) for m in found[n]] == expected, n
            checked += len(expected)
    assert checked > 500


def test_layers_keep_their_own_longest_match_and_may_overlap_each_other():
    shared = CueMatcher({"a": [LexiconEntry("in"), LexiconEntry("in conclusion")],
                         "b": [LexiconEntry("conclusion"), LexiconEntry("leverag*")]})
    tokens = ["in", "conclusion", "we", "are", "leveraging", "it", "in"]
    found = shared.find(tokens, [(0, len(tokens))])
    assert [(m.first, m.last) for m in found["a"]] == [(0, 2), (6, 7)]
    assert [(m.first, m.last) for m in found["b"]] == [(1, 2), (4, 5)]
    # matches never cross a sentence boundary
    split = shared.find(tokens, [(0, 1), (1, len(tokens))])
    assert [(m.first, m.last) for m in split["a"]] == [(0, 1), (6, 7)]


def test_registering_a_layer_twice_is_free_and_a_replacement_is_a_layer_of_its_own():
    entries = load_lexicon("hedging").entries
    assert register_layer("hedging", entries) == register_layer("hedging", entries)
    assert register_layer("hedging", entries[:10]) != register_layer("hedging", entries)


@pytest.mark.parametrize("text, cue, negated", [
    ("It should not become an exclusive club.", "exclusive", True),
    ("It is not, however, an exclusive club.", "exclusive", False),   # punctuation closes the scope
    ("No one doubts it is an exclusive club.", "exclusive", False),   # beyond the window
    ("Never a truly exclusive club.", "exclusive", True),
    ("It is still less an exclusive club.", "exclusive", True),       # "still less" negates
    ("It is less exclusive than before.", "exclusive", False),        # a comparison does not
    ("They did not win but an exclusive club did.", "exclusive", False),  # "but" closes it
])
def test_negation_scope(text, cue, negated):
    seg = segment(text)
    scope = negation_scope(seg.text, seg.tokens, seg.lower, _bounds(seg))
    i = seg.lower.index(cue)
    assert (scope[i] >= 0) is negated


def test_acronyms_are_names_except_in_capitalised_headlines():
    seg = segment("The US and WHO joined us. IT WAS US WHO DID IT")
    found = {seg.words[i] for i in acronym_tokens(seg.words, _bounds(seg))}
    assert found == {"US", "WHO"}  # the all-caps second sentence is a headline: no signal


def test_questioner_turns_are_not_the_documents_voice():
    doc = make_document("t", "Question: Some countries say you lied. What is your response?\n"
                             "Spokesperson: We firmly oppose the accusation. Some people say otherwise.\n"
                             "AFP: Will China retaliate?\nMao Ning: China believes dialogue is the way.")
    voices = cues_of(doc).sentence_voice
    assert voices == ["questioner", "questioner", "author", "reported", "questioner", "author"]


def test_seed_002_question_is_the_journalists(seeds):
    doc = seeds["002"]
    voices = cues_of(doc).sentence_voice
    assert voices[:3] == ["questioner"] * 3 and set(voices[3:]) == {"author"}


def test_every_shared_construct_has_one_owner_column_and_no_duplicate():
    columns = {c: e.name for e in resolve_extractors(None) for c in e.columns}
    for construct, (family, column) in CONSTRUCT_OWNERS.items():
        assert columns.get(column) == family, construct
    duplicates = ["promo_first_person_per_1k", "hedging_self_mentions_per_1k", "source_type_we_per_1k",
                  "hedging_vague_per_1k", "source_type_vague_sources_per_1k", "promo_unsupported_attribution_per_1k",
                  "source_type_named_attribution_per_1k", "source_type_quotes_per_1k", "source_type_reporting_per_1k",
                  "source_type_evaluative_per_1k", "source_type_promo_per_1k", "source_type_second_person_per_1k",
                  "credibility_author_hedges_per_1k", "credibility_author_boosters_per_1k",
                  "credibility_author_confidence", "credibility_headline_hype_count"]
    assert not [c for c in duplicates if c in columns]


def test_the_cues_are_computed_once_per_document(seeds, monkeypatch):
    import framing.cues as cues_module

    calls = []
    original = cues_module.CueMatcher.find

    def counting(self, tokens, bounds):
        calls.append(len(tokens))
        return original(self, tokens, bounds)

    monkeypatch.setattr(cues_module.CueMatcher, "find", counting)
    docs = framing.load("seeds/")
    framing.analyze(docs)  # every extractor's lexicons are layers of the one matcher
    before = len(calls)
    framing.analyze(docs)
    assert before <= 2 * len(docs)  # once per document (twice at most when a new layer joins mid-run)
    assert len(calls) == before  # cached on the document: a second run matches nothing again


def _plain_walk(entries, tokens, start, end):
    """The longest-first walk written out plainly: every candidate tried in order at every token (the reference)."""
    def fits(words, i):
        return i + len(words) <= end and all(
            tokens[i + k].startswith(w[:-1]) if w.endswith("*") else tokens[i + k] == w for k, w in enumerate(words))
    # longest first; then an exact first word, then wildcard first words by longer prefix; then the lexicon's order
    ordered = sorted(((e.words, e) for e in entries if e.words),
                     key=lambda c: (-len(c[0]), c[0][0].endswith("*"), -len(c[0][0])))
    out, i = [], start
    while i < end:
        hit = next(((len(w), e) for w, e in ordered if fits(w, i)), None)
        if hit:
            out.append((i, i + hit[0], hit[1].term))
            i += hit[0]
        else:
            i += 1
    return out


def test_the_matchers_equal_a_plain_longest_first_walk_on_random_lexicons():
    """Second-word dispatch, shared memo and sentence bounds change nothing: random lexicons with wildcards."""
    import random

    rng = random.Random(5)
    words = ["a", "ab", "abc", "b", "bc", "c", "a*", "ab*", "b*", "c*", "x"]
    tokens_pool = ["a", "ab", "abc", "abcd", "b", "bc", "bcd", "c", "ca", "x"]
    for _ in range(1500):
        entries = [LexiconEntry(" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))), str(k))
                   for k in range(rng.randint(1, 10))]
        tokens = [rng.choice(tokens_pool) for _ in range(rng.randint(0, 16))]
        cut = rng.randint(0, len(tokens))
        bounds = [(0, cut), (cut, len(tokens))]
        expected = [m for s0, s1 in bounds for m in _plain_walk(entries, tokens, s0, s1)]
        by_phrase = [(m.first, m.last, m.entry.term) for s0, s1 in bounds
                     for m in PhraseMatcher(entries).find(tokens, s0, s1)]
        shared = CueMatcher({"only": entries}).find(tokens, bounds)["only"]
        assert by_phrase == expected, (entries, tokens)
        assert [(m.first, m.last, m.entry.term) for m in shared] == expected, (entries, tokens)


def test_negation_scope_closes_at_punctuation_between_tokens_and_inside_numbers():
    seg = segment("They did not, in fact, agree. No 924,000 people came. Not (all) of them.")
    scope = negation_scope(seg.text, seg.tokens, seg.lower, _bounds(seg))
    negated = [seg.words[i] for i, t in enumerate(scope) if t >= 0]
    assert negated == ["924,000"]  # "in" follows a comma, "people" the comma inside 924,000, "all" a bracket

"""Echo analysis: how an official phrase reappears (quoted, adopted, contested), on constructed sentences."""
from __future__ import annotations

import pytest

from framing.echo import ADOPTED, CONTESTED, QUOTED, classify_occurrence, phrase_pattern


def _classify(sentence: str, phrase: str, voice: str = "author", cues=()):
    m = phrase_pattern([phrase]).search(sentence)
    assert m, (phrase, sentence)
    return classify_occurrence(sentence, m.start(), m.end(), voice, cues)


@pytest.mark.parametrize("sentence, voice, expected, why", [
    ("China calls for 'win-win cooperation' with its partners.", "author", QUOTED, "attributed"),
    ("The minister said the two sides seek win-win cooperation.", "reported", QUOTED, "reported"),
    ("“We pursue win-win cooperation with all,” the spokesperson said.", "quoted", QUOTED, "quotation"),
    ("The deal is a model of win-win cooperation for the region.", "author", ADOPTED, "own voice"),
    ("Its 'win-win cooperation' benefits Beijing first.", "author", CONTESTED, "scare quotes"),
    ("This is not win-win cooperation but dependence.", "author", CONTESTED, "negation"),
    ("Behind the so-called win-win cooperation lies leverage.", "author", CONTESTED, "doubt"),
    ("Win-win cooperation is an empty slogan.", "author", CONTESTED, "doubt"),
])
def test_classification_of_constructed_cases(sentence, voice, expected, why):
    how, reason = _classify(sentence, "win-win cooperation", voice)
    assert how == expected, (sentence, reason)


def test_a_loaded_cue_nearby_contests_an_author_voice_use():
    assert _classify("The win-win cooperation pitch is pure spin.", "win-win cooperation", cues=["spin"])[0] \
        == CONTESTED


def test_phrase_pattern_matches_variants_plurals_and_hyphens_but_not_inside_words():
    p = phrase_pattern(["small yard high fence", "community with a shared future"])
    assert p.search("a small-yard, high fence") is None  # punctuation inside: a different phrase
    assert p.search("small yard high fences").group(0) == "small yard high fences"
    assert p.search("A Community With A Shared Future for mankind")
    assert phrase_pattern(["win-win"]).search("win win deals") and not phrase_pattern(["win"]).search("winning")


def test_proper_names_are_not_formulae():
    from framing.echo import is_name

    assert is_name("United States") and is_name("Secretary of State")
    assert not is_name("win-win cooperation") and not is_name("rules-based international order")


def test_counts_are_not_formulae():
    """The UK statements' repeated "2.5 million people" made "million people" an official formula 'adopted' by a
    news report of Beijing's testing figures."""
    from framing.echo import is_count

    assert is_count("million people") and is_count("per cent") and is_count("Thousands of jobs")
    assert not is_count("American people") and not is_count("win-win cooperation") and not is_count("")


def test_the_official_formulae_traced_leave_out_counts_and_names():
    from types import SimpleNamespace

    import pandas as pd

    from framing.echo import official_phrases

    formulae = pd.DataFrame({"group": "official", "kind": "repeated", "count": 20, "other_groups": [{}] * 3,
                             "phrase": ["million people", "United Kingdom", "protect our NHS"],
                             "variants": [("million people",), ("United Kingdom",), ("protect our NHS",)]})
    comp = SimpleNamespace(formulae=formulae, terms=pd.DataFrame(),
                           group_sizes=lambda: {"official": 10, "news": 10})
    traced = [p.phrase for p in official_phrases(comp, "official") if p.source == "official formula"]
    assert traced == ["protect our NHS"]


def test_a_questioners_words_are_neither_an_official_use_nor_an_echo():
    from framing.document import Document
    from framing.echo import _occurrences

    doc = Document(id="q", body=("Question: Some say win-win cooperation is a slogan. What is your comment?\n"
                                 "Spokesperson: We pursue win-win cooperation with all countries."))
    pattern = phrase_pattern(["win-win cooperation"])
    hits = _occurrences(doc, pattern)
    assert [doc.body[s:e] for s, e in hits] == ["win-win cooperation"]
    assert hits[0][0] > doc.body.index("Spokesperson:")


def test_a_formula_is_traced_by_its_phrases_not_by_an_ordinary_word_in_it():
    from framing.echo import _lexicon_phrases

    (partners,) = [p for p in _lexicon_phrases() if p.phrase == "like-minded partners"]
    pattern = phrase_pattern(list(partners.variants))
    assert pattern.search("We will work with like-minded countries on export controls.")
    assert pattern.search("like-minded partners") and not pattern.search("Many like-minded people consider it.")


def test_each_document_is_segmented_once_for_every_phrase_together(monkeypatch):
    """A large report's sample keeps few token tables (bounded caches): the echo pass reads every phrase in a
    document while the document is segmented, not the document again for each phrase."""
    import pandas as pd

    import framing
    import framing.segment
    from framing.document import bounded_caches
    from framing.echo import echo_table

    official = ("We pursue win-win cooperation and a community with a shared future for mankind. "
                "Win-win cooperation serves all countries, and we oppose hegemonism.")
    others = [f"Analysts in city {i} doubt the so-called win-win cooperation. Others welcome a community with a "
              f"shared future for mankind, while critics say hegemonism is a label." for i in range(6)]
    frame = pd.DataFrame({"id": ["o1", *[f"c{i}" for i in range(6)]], "text": [official, *others],
                          "role": ["official"] + ["commentary"] * 6})
    analysis = framing.analyze(framing.load(frame, id_col="id"))
    comp = framing.compare(analysis, by="role")
    expected = echo_table(analysis, comp)
    assert any("win-win" in p.lower() for p in expected["phrase"])
    assert expected.groupby("doc_id")["phrase"].nunique().min() >= 2  # several phrases in each document

    calls = []
    real = framing.segment.segment
    monkeypatch.setattr(framing.segment, "segment", lambda *a, **k: calls.append(1) or real(*a, **k))
    for doc in analysis.documents:
        doc.release()
    with bounded_caches(2):
        again = echo_table(analysis, comp)
    pd.testing.assert_frame_equal(again, expected)
    assert len(calls) <= len(analysis.documents)

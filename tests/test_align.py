"""Aligned claims: the official key sentences beside the other groups' sentences about the same thing."""
from __future__ import annotations

from pathlib import Path

import pytest

from framing.align import MIN_SHARED, aligned_claims, content_words

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_content_words_are_shown_in_a_readable_singular():
    words = content_words("The opportunities and challenges of the crisis: consensus, politics, taxes and fences.")
    assert words == ["opportunity", "challenge", "crisis", "consensus", "politics", "tax", "fence"]
    assert content_words("approaches, processes, wishes") == ["approach", "process", "wish"]
    assert "opportunitie" not in words and "consensu" not in words and "crisi" not in words


@pytest.fixture(scope="module")
def seeds_comparison():
    import framing
    from framing.compare import compare

    analysis = framing.analyze(framing.load(SEEDS))
    return analysis, compare(analysis)


def test_the_seeds_official_claims_are_paired_with_commentary_sentences_sharing_their_words(seeds_comparison):
    analysis, comp = seeds_comparison
    table = aligned_claims(analysis, comp)
    assert len(table) > 0 and set(table["group"]) == {"commentary"}
    for row in table.itertuples():
        shared = row.shared.split(", ")
        assert len(shared) >= MIN_SHARED and row.similarity >= 0.12
        # every word shown as shared is a content word of both sentences, spelled as a word of the language
        assert set(shared) <= set(content_words(row.key_sentence)) & set(content_words(row.sentence))
        assert not any(w.endswith("ie") for w in shared), shared
    # the embassy statement's claim about the Global AI Governance Initiative finds the commentary's sentence on it
    initiative = table[table["sentence"].str.contains("Global AI Governance Initiative", regex=False)]
    assert {"initiative", "governance"} <= set(initiative["shared"].iloc[0].split(", "))


def test_the_words_of_one_name_are_one_thing_shared():
    from framing.align import name_units

    units = name_units("French Foreign Minister Jean-Yves Le Drian met officials from the Middle East in Paris.")
    assert units["french"] == units["foreign"] == units["minister"] != units["middle"] == units["east"]
    assert "official" not in units and "paris" not in units  # a word of its own, or a one-word name
    assert name_units("At times, the agency could not handle it.") == {}


def test_a_pair_must_share_two_things_not_the_two_words_of_one_name(monkeypatch):
    """'United States' alone paired a 1966 press conference with a 2019 news report ('shared: united, state')."""
    from types import SimpleNamespace

    import pandas as pd

    from framing import align
    from framing.ingest import make_document

    key = "The United States will defend free trade and open markets for every partner in the region."
    docs = [make_document("off", key),
            make_document("a", "Critics in the United States doubted the value of this approach yesterday."),
            make_document("b", "Free trade and open markets helped each partner, the report said yesterday.")]
    comp = SimpleNamespace(groups=["official", "commentary"], formulae=pd.DataFrame(), terms=pd.DataFrame(),
                           documents=pd.DataFrame({"id": ["off", "a", "b"],
                                                   "group": ["official", "commentary", "commentary"]}),
                           evidence=pd.DataFrame(columns=["doc_id", "sentence", "extractor", "category", "cue"]))
    monkeypatch.setattr(align, "key_sentences", lambda analysis, comp, official, n: [("off", 0, key)])
    table = align.aligned_claims(SimpleNamespace(documents=docs), comp)
    assert list(table["doc_id"]) == ["b"]
    assert set(table["shared"].iloc[0].split(", ")) >= {"trade", "market", "partner"}

"""Corpus-level framing on real text: distinctive terms, recurring formulae, actors."""
from pathlib import Path

import numpy as np
import pytest

import framing
from framing.document import Document
from framing.terms import (
    ACTOR_COLUMNS,
    FORMULA_COLUMNS,
    TERM_COLUMNS,
    _log_odds,
    actors,
    distinctive_terms,
    find_actor_mentions,
    prior_frequencies,
    recurring_formulae,
    skeleton,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seeds():
    docs = list(framing.load(SEEDS))
    return docs, [d.role for d in docs]


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, body=text, language="en")


def _assert_examples_slice(df, docs):
    by_id = {d.id: d for d in docs}
    for examples in df.examples:
        for e in examples:
            body = by_id[e["doc_id"]].body
            assert body[e["start"]:e["end"]] == e["text"]
            assert body[e["sentence_start"]:e["sentence_start"] + len(e["sentence"])] == e["sentence"]
            assert e["voice"] in ("author", "quoted", "reported", "questioner")


# --- formulae ------------------------------------------------------------------

def test_skeleton_relates_formula_variants():
    assert skeleton(["small", "yards", "with", "high", "fences"]) == skeleton(["small", "yard", "high", "fence"])
    assert skeleton(["capacity-building"]) == skeleton(["capacity", "building"]) == "capacity building"
    assert skeleton(["new", "approaches"]) == skeleton(["new", "approach"]) == "new approach"  # not "approache"
    assert skeleton(["well-being"]) == "well being"  # parts of a hyphenated word are never stopwords
    assert skeleton(["community", "with", "a", "shared", "future"]) != skeleton(["community", "with", "a", "common", "future"])


#: an official answer and a commentary that spell one slogan two ways (after seeds 002 and 001)
_YARD_TEXTS = {
    "official": ("Spokesperson: Certain countries are erecting “small yards with high fences” in science and "
                 "technology. China firmly opposes this."),
    "commentary": "Washington calls its export controls a 'small yard, high fence' approach to technology.",
}


def test_official_and_commentary_spellings_of_small_yard_high_fence_are_related():
    docs = [_doc(g, text) for g, text in _YARD_TEXTS.items()]
    out = recurring_formulae(docs, list(_YARD_TEXTS))
    assert list(out.columns) == list(FORMULA_COLUMNS)
    yard = out[out.key == "small yard, high fence"].set_index("group")
    assert yard.loc["official", "phrase"] == "small yards with high fences"    # in curly quotes
    assert yard.loc["commentary", "phrase"] == "small yard, high fence"        # in straight quotes
    assert yard.loc["official", "kind"] == "known+quoted"
    assert yard.loc["official", "other_groups"] == {"commentary": 1}
    assert yard.loc["commentary", "other_groups"] == {"official": 1}
    _assert_examples_slice(out, docs)


def test_a_questioners_phrase_is_not_the_official_groups(seeds):
    # in seed 002 "small yards with high fences" is in the journalist's question, not the spokesperson's answer
    docs, groups = seeds
    out = recurring_formulae(docs, groups)
    yard = out[out.key == "small yard, high fence"]
    assert set(yard.group) == {"commentary"}
    assert yard.iloc[0]["other_groups"] == {}
    _assert_examples_slice(out, docs)


def test_formula_variants_related_without_the_packaged_list():
    docs = [_doc(g, text) for g, text in _YARD_TEXTS.items()]
    out = recurring_formulae(docs, list(_YARD_TEXTS), known=None)
    yard = out[out.key == "small yard high fence"]
    assert set(yard.group) == {"official", "commentary"}
    assert (yard.kind == "quoted").all()


def test_official_formulae_and_quoted_slogans(seeds):
    docs, groups = seeds
    official = recurring_formulae(docs, groups).query("group == 'official'").set_index("key")
    assert official.loc["community with a shared future", "kind"] == "known"
    assert official.loc["win-win", "count"] == 1
    assert official.loc["club rule", "kind"] == "quoted"                      # “club rule” in 002
    assert official.loc["capacity-building", "count"] == 2
    assert "global ai governance" not in official.index                     # merged into the known formula key


def test_repeated_phrase_merges_its_sub_phrases_and_ignores_one_offs():
    texts = ["We support the digital compact initiative. The digital compact initiative is open.",
             "Critics doubt the digital compact initiative and its unusual timing."]
    docs = [_doc("a", texts[0]), _doc("b", texts[1])]
    out = recurring_formulae(docs, ["g", "g"], known=None)
    assert out.phrase.tolist() == ["digital compact initiative"]
    assert out.loc[0, "count"] == 3 and out.loc[0, "n_docs"] == 2
    # "unusual timing" occurs once, unquoted: not a formula; sub-phrases "digital compact" are merged
    assert not out.phrase.str.contains("timing|^digital compact$").any()


# --- distinctive terms ---------------------------------------------------------

def test_log_odds_hand_computation():
    # delta = log(4 / 7) - log(2 / 9); var = 1/4 + 1/2
    delta, z = _log_odds(np.array([3.0]), np.array([1.0]), np.array([1.0]), 10.0, 10.0)
    assert delta[0] == pytest.approx(np.log(4 / 7) - np.log(2 / 9))
    assert z[0] == pytest.approx(delta[0] / np.sqrt(0.75))


def test_wordfreq_prior_knows_common_from_rare_words():
    common, rare = prior_frequencies([("people",), ("hegemonism",)])
    assert common > 100 * rare
    # n-grams back off to wordfreq's 1/f = sum 1/f_i: dominated by the rarer word
    (bigram,) = prior_frequencies([("people", "hegemonism")])
    assert rare / 2 < bigram < rare


def test_distinctive_terms_on_constructed_groups():
    a = ["Containment policy and containment rhetoric dominate the containment debate in Washington.",
         "The containment strategy of Washington shapes containment talk."]
    b = ["Cooperation and dialogue: cooperation benefits all, cooperation is open.",
         "Open cooperation and dialogue help every partner through cooperation."]
    docs = [_doc(f"a{i}", t) for i, t in enumerate(a)] + [_doc(f"b{i}", t) for i, t in enumerate(b)]
    groups = ["hawk", "hawk", "dove", "dove"]
    for prior in ("wordfreq", "corpus"):
        out = distinctive_terms(docs, groups, prior=prior)
        assert list(out.columns) == list(TERM_COLUMNS)
        hawk, dove = out[out.group == "hawk"], out[out.group == "dove"]
        assert hawk.iloc[0].term == "containment" and dove.iloc[0].term == "cooperation"
        assert "containment" not in dove.term.tolist()
        assert (out.z > 0).all()
        row = hawk.iloc[0]
        assert row.n == 5 and row.n_rest == 0 and row.docs_in_group == 2
        _assert_examples_slice(out, docs)
        assert {e["doc_id"] for e in row.examples} == {"a0", "a1"}  # examples from different documents first


def test_distinctive_terms_on_seeds(seeds):
    docs, groups = seeds
    out = distinctive_terms(docs, groups)
    commentary = out[out.group == "commentary"].term.tolist()
    official = out[out.group == "official"].term.tolist()
    assert "beijing" in commentary
    assert "global governance" in official and "beijing" not in official
    assert out[out.term == "beijing"].surface.iloc[0] == "Beijing"
    _assert_examples_slice(out, docs)


def test_distinctive_terms_needs_two_groups_and_a_known_prior(seeds):
    docs, _ = seeds
    with pytest.warns(UserWarning, match="one group"):
        assert distinctive_terms(docs, ["x"] * len(docs)).empty
    with pytest.raises(ValueError, match="prior"):
        distinctive_terms(docs, ["x", "y"] * 2, prior="uniform")
    with pytest.raises(ValueError, match="labels"):
        distinctive_terms(docs, ["x"])


# --- actors ------------------------------------------------------------------------

def test_actors_on_seeds(seeds):
    docs, groups = seeds
    out = actors(docs, groups)
    assert list(out.columns) == list(ACTOR_COLUMNS)
    c = out[out.group == "commentary"].set_index("actor")
    o = out[out.group == "official"].set_index("actor")
    assert c.loc["Beijing", "kind"] == "government metonym" and c.loc["Beijing", "refers_to"] == "China"
    assert "seeks" in dict(c.loc["Beijing", "top_predicates"])
    assert "championing" in dict(c.loc["Beijing", "top_predicates"])  # "By championing …, Beijing is …"
    assert {"believes", "stands ready", "remains committed"} <= set(dict(o.loc["China", "top_predicates"]))
    assert c.loc["Wang Yi", "kind"] == "person" and c.loc["Wang Yi", "mentions"] == 3  # "Minister Wang" resolved
    assert o.loc["Xi Jinping", "kind"] == "person"
    assert "Assembly" not in c.index and "UN General Assembly" in c.index     # not a person "General Assembly"
    assert "proposal" in dict(c.loc["China", "top_attributes"])              # China's proposal
    assert "containment" in dict(c.loc["United States", "top_context"])      # "'containment' (represented by the US)"
    assert "china" not in dict(c.loc["Wang Yi", "top_context"])              # other actors are not context
    _assert_examples_slice(out, docs)


def test_actor_rules_negative_cases():
    doc = _doc("x", "Tell us what the US wants. The plan was represented by China as fair. "
                    "Officials allowed China to join. China aims to lead.")
    ms = find_actor_mentions(doc)
    assert [m.actor for m in ms] == ["United States", "China", "China", "China"]
    assert [m.subject for m in ms] == [True, False, False, True]
    assert ms[0].predicates == ("wants",) and ms[3].predicates == ("aims",)
    for m in ms:
        assert doc.body[m.start:m.end] in ("US", "China")


def test_joins_next_is_blank_gaps_within_a_sentence():
    """Vectorised joins: the gap between two tokens is non-empty white space without a line break, in one sentence."""
    from framing.actors import _LAST_SPACE, _tokens

    assert not any(chr(c).isspace() for c in range(_LAST_SPACE + 1, 0x110000))
    text = ("China\u3000believes it.\tThe U.S.\u00a0plan \n  is 1The \U0001F600 next\u2003word\r\nline "
            "don't-stop \ud800 x, y")
    doc = _doc("g", text)
    seg = doc.segmentation
    spans, sent = seg.tokens, seg.token_sentence
    expected = [sent[i] == sent[i + 1] and text[spans[i][1]:spans[i + 1][0]].isspace()
                and "\n" not in text[spans[i][1]:spans[i + 1][0]] for i in range(len(spans) - 1)] + [False]
    assert list(_tokens(doc).joins_next) == expected
    assert any(expected) and not all(expected[:-1])


def test_titled_names_match_the_word_bounded_pattern():
    """The title scan without a leading \\b finds what the pattern with one finds."""
    import re

    from framing.actors import _actor_tables, _titled_names

    person_re = _actor_tables("actors")[3]
    bounded = re.compile(r"\b" + person_re.pattern)
    text = ("President Xi met Foreign Minister Wang Yi. XPresident Wang Minister Li; _Dr Smith, 3Mr Jones "
            "éMinister Lee, Prime Minister Li Qiang said. SPresident Wang Minister Li Qiang ministerMr Brown "
            "Mr. Jones Jr Dr Who")
    spans = [(m.span(), m.groupdict()) for m in _titled_names(person_re, text)]
    assert spans == [(m.span(), m.groupdict()) for m in bounded.finditer(text)]
    assert len(spans) >= 5


def test_resources_name_the_lexicons_and_wordfreq():
    from framing.terms import resources

    names = [r["name"] for r in resources()]
    assert names == ["actors", "formulae", "wordfreq"]
    assert len(resources()[0]["sha256"]) == 64

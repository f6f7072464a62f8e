"""Lexicon files and the phrase matcher, on real sentences."""
import pytest

from framing.lexicon import LexiconError, PhraseMatcher, load_lexicon, parse_lexicon
from framing.segment import segment

HEADER = "# name: test\n# version: 1\n# source: written for the tests\n# licence: CC0\n"


def _lex(body: str):
    return parse_lexicon(HEADER + body, "<test>")


def _matches(lex, text):
    seg = segment(text)
    return [(" ".join(seg.words[m.first:m.last]), m.entry.category) for m in PhraseMatcher(lex.entries).find(seg.lower)]


def test_multiword_wildcard_and_case_insensitive_matching():
    lex = _lex("suggest*\thedge\nto some extent\thedge\nclearly\tbooster\nit is clear that\tbooster\n")
    text = "The data Suggested a link. It is clear that, to some extent, results CLEARLY vary."
    assert _matches(lex, text) == [("Suggested", "hedge"), ("It is clear that", "booster"),
                                   ("to some extent", "hedge"), ("CLEARLY", "booster")]


def test_longest_match_wins_and_matches_do_not_overlap():
    lex = _lex("shared future\tslogan\ncommunity with a shared future\tslogan\nfuture\tword\n")
    assert _matches(lex, "building a community with a shared future for humanity") == [
        ("community with a shared future", "slogan")]


def test_curly_apostrophes_match_straight_entries():
    lex = _lex("don't\tnegation\n")
    assert _matches(lex, "We don’t know.") == [("don’t", "negation")]


def test_no_false_match_on_partial_phrase():
    lex = _lex("in fact\tbooster\n")
    assert _matches(lex, "In the fact sheet, nothing.") == []


def test_header_is_required():
    with pytest.raises(LexiconError, match="header lacks"):
        parse_lexicon("# name: x\nmay\thedge\n", "bad.tsv")


def test_bad_weight_names_file_and_line():
    with pytest.raises(LexiconError, match=r"bad.tsv:5: weight"):
        parse_lexicon(HEADER + "may\thedge\tlots\n", "bad.tsv")


def test_extended_lexicon_adds_entries_and_changes_hash(tmp_path):
    base = _lex("may\thedge\n")
    extra = parse_lexicon(HEADER.replace("name: test", "name: mine") + "arguably\thedge\n", str(tmp_path / "m.tsv"))
    merged = base.extended(extra)
    assert merged.terms() == {"may", "arguably"}
    assert merged.sha256 != base.sha256
    assert merged.provenance()["extended_by"].endswith("m.tsv")


def test_user_lexicon_file_loads_by_path(tmp_path):
    p = tmp_path / "mine.tsv"
    p.write_text(HEADER + "perhaps\thedge\n", encoding="utf-8")
    lex = load_lexicon(p)
    assert lex.name == "test" and len(lex) == 1 and lex.path == str(p)


def test_unknown_packaged_lexicon_is_a_clear_error():
    with pytest.raises(LexiconError, match="no packaged lexicon named 'nope'"):
        load_lexicon("nope")

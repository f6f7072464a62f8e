"""Promotional language: cues by category and voice, headline hype, the score, the evaluation task and trainer."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from framing.evaluate import TASKS, _ensure_tasks, evaluate_frame
from framing.extractors.promotional import (COLUMNS, PromotionalExtractor, _State, is_style_candidate,
                                             model_features, rate_unit, style_terms)
from framing.training.promotional import derive_sentiment_lexicon, train_promotional
from framing.lexicon import parse_lexicon
from framing.ingest import make_document
from framing.lexicon import PhraseMatcher

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="module")
def extractor() -> PromotionalExtractor:
    return PromotionalExtractor()


def _doc(text: str, title: str = "") -> "make_document":
    return make_document("t", text, {"title": title} if title else None)


def _cues(result, category: str | None = None, voice: str | None = None) -> list[str]:
    return [e.text for e in result.evidence
            if (category is None or e.category == category) and (voice is None or e.voice == voice)]


# ---- seeds ----------------------------------------------------------------

def test_seed_000_puffery_pivotal_and_instrumental(extractor, seed_docs):
    result = extractor.score(seed_docs["000"])
    puffery = [t.lower() for t in _cues(result, "puffery", "author")]
    assert "pivotal" in puffery and "instrumental" in puffery
    assert result.features["promo_puffery_author_count"] >= 2


def test_seed_003_headline_hype_and_pivotal_moment(extractor, seed_docs):
    doc = seed_docs["003"]
    result = extractor.score(doc)
    headline = {(e.category, e.text) for e in result.evidence if e.category.startswith("headline_")}
    assert ("headline_puffery", "Bold") in headline
    assert ("headline_clickbait", "Takes Center Stage") in headline
    assert result.features["promo_headline_hype"] == 1.0
    assert result.features["promo_headline_hype_count"] >= 2
    pivotal = [e for e in result.evidence if e.category == "puffery" and e.text == "pivotal"]
    assert pivotal and doc.body[pivotal[0].start:pivotal[0].end + 7] == "pivotal moment"


def test_official_002_has_less_puffery_than_blog_000(extractor, seed_docs):
    official = extractor.score(seed_docs["002"]).features
    blog = extractor.score(seed_docs["000"]).features
    assert official["promo_puffery_per_1k"] < blog["promo_puffery_per_1k"]
    assert official["promo_headline_hype"] == 0.0


def test_every_evidence_offset_slices_back(extractor, seed_docs):
    for doc in seed_docs.values():
        result = extractor.score(doc)
        assert result.evidence
        for ev in result.evidence:
            assert doc.body[ev.start:ev.end] == ev.text, ev


# ---- categories, voice, negatives -----------------------------------------

def test_neutral_news_sentence_scores_low(extractor):
    neutral = extractor.score(_doc("The committee met on Tuesday to review the budget for the next fiscal year."))
    hyped = extractor.score(_doc("This groundbreaking, world-class initiative is truly the most remarkable "
                                 "milestone ever!"))
    assert neutral.features["promo_cues_count"] == 0
    assert neutral.features["promo_score"] < hyped.features["promo_score"]
    assert neutral.features["promo_score"] < extractor._state().model["threshold"] <= hyped.features["promo_score"]
    assert hyped.features["promo_puffery_count"] >= 3


def test_best_known_inside_quotes_is_quoted_voice(extractor):
    text = 'The critic wrote: "It is the best-known bridge in the whole country." The bridge opened in 1932.'
    result = extractor.score(_doc(text))
    best = [e for e in result.evidence if e.text == "best-known"]
    assert best and best[0].voice == "quoted" and best[0].category == "superlative"
    assert result.features["promo_superlative_count"] == 1
    assert result.features["promo_superlative_author_count"] == 0
    assert result.features["promo_cues_quoted_count"] >= 1


def test_framing_words_in_reported_speech_stay_author_voice(extractor):
    result = extractor.score(_doc("Officials said the so-called reform claimed to cut costs."))
    voices = {e.text: e.voice for e in result.evidence}
    assert voices["so-called"] == "author" and voices["claimed"] == "author"


def test_fixed_expressions_block_cues(extractor):
    result = extractor.score(_doc("Great Britain signed the treaty after a great deal of talks, leading to peace."))
    assert _cues(result, "evaluative") == [] and _cues(result, "puffery") == []


def test_capitalised_words_inside_names_are_not_cues(extractor):
    prose = extractor.score(_doc("Denver bands include Cephalic Carnage, Deuce Mob and Five Iron Frenzy."))
    assert prose.features["promo_cues_count"] == 0
    heading = extractor.score(_doc("China's Bold Initiative Takes Center Stage"))
    assert _cues(heading, "puffery") == ["Bold"]


def test_calls_to_action_and_exclamations(extractor):
    result = extractor.score(_doc("Read the full story. Subscribe to our newsletter and share this article!!"))
    assert result.features["promo_call_to_action_count"] == 3  # subscribe to, newsletter, share this
    assert result.features["promo_exclamation_count"] == 1
    assert _cues(result, "exclamation") == ["!!"]


def test_superlative_rules(extractor):
    result = extractor.score(_doc("It is the most powerful and the coolest app, not the most of them."))
    sup = {e.text: e.note for e in result.evidence if e.category == "superlative"}
    assert "most powerful" in sup and "coolest" in sup
    assert "most of" not in sup


def test_listicle_and_title_only_headline(extractor):
    doc = _doc("Officials met today.", title="7 Stunning Reasons Why This Is The Best Plan Ever!")
    result = extractor.score(doc)
    headline = result.extra["headline"]
    assert headline["source"] == "title"  # not in the body: offsets index the title
    cats = {h["category"] for h in headline["hits"]}
    assert {"headline_listicle", "headline_superlative", "headline_exclamation"} <= cats
    for h in headline["hits"]:
        assert doc.title[h["start"]:h["end"]] == h["text"]
    assert result.features["promo_headline_clickbait_count"] >= 2
    assert not [e for e in result.evidence if e.category.startswith("headline_")]


def test_columns_declared_and_nan_for_empty(extractor):
    assert set(PromotionalExtractor.column_descriptions) == set(COLUMNS)
    empty = extractor.score(_doc("   "))
    assert empty.na_reason and all(math.isnan(v) for v in empty.features.values())
    full = extractor.score(_doc("A remarkable and bold plan."))
    assert list(full.features) == list(COLUMNS)


def test_extractor_survives_pickling_and_rebuilding_from_params(extractor):
    import pickle

    doc_text = "A bold, remarkable plan!"
    expected = extractor.score(_doc(doc_text)).features
    assert pickle.loads(pickle.dumps(extractor)).score(_doc(doc_text)).features == expected
    assert PromotionalExtractor(**extractor.get_params()).score(_doc(doc_text)).features == expected


def test_evidence_weights_and_score_terms_explain_the_score(extractor):
    result = extractor.score(_doc("A remarkable, bold and unprecedented plan was announced by the ministry."))
    model = extractor._state().model
    terms = result.extra["score_terms"]
    cues = sum(e.weight for e in result.evidence if not e.category.startswith("headline_"))
    assert terms["cues"] == pytest.approx(cues, abs=1e-4)
    logit = model["intercept"] + cues + sum(terms["hedging"].values()) + sum(terms["style_words"].values())
    assert result.features["promo_score"] == pytest.approx(1 / (1 + math.exp(-logit)), abs=1e-4)
    assert set(terms["style_words"]) <= {"a", "and", "by", "the", "was", "announced", "remarkable"}


def test_style_words_are_function_words_or_suffix_marked_never_bare_nouns():
    style = _State.build(model=None).style_words
    assert is_style_candidate("however", style) and is_style_candidate("never", style)
    assert is_style_candidate("shamelessly", style) and is_style_candidate("notorious", style)
    assert not is_style_candidate("government", style) and not is_style_candidate("refugees", style)
    model = PromotionalExtractor()._state().model
    learned = [k[2:] for k in model["coefficients"] if k.startswith("v:")]
    assert learned and all(is_style_candidate(w, style) for w in learned)


def test_style_words_skip_names_and_quotations():
    state = PromotionalExtractor()._state()
    plain = style_terms(_doc("The plan was only partly funded, however."), state)
    assert {"v:only", "v:however"} <= set(plain)
    quoted = style_terms(_doc('The minister said: "The plan was only partly funded, however."'), state)
    assert "v:however" not in quoted and "v:only" not in quoted
    named = style_terms(_doc("They met at the Only Fools Cafe."), state)
    assert "v:only" not in named


def test_length_prior_damps_a_single_cue_in_a_short_line():
    model = {"length_prior": 30.0}
    assert rate_unit(5, model) == pytest.approx(100 / 35)
    assert rate_unit(5, {}) == pytest.approx(20.0)
    assert rate_unit(0, model) == 0.0
    assert model_features({"a:puffery": 1.0, "v:only": 2.0}, 70, 30.0, 0.5) == pytest.approx(
        {"a:puffery": 1.0, "v:only": 1.0})


# ---- lexicons and matcher ---------------------------------------------------

def _write_lexicon(path: Path, body: str) -> Path:
    path.write_text("# name: mine\n# version: 1\n# source: test\n# licence: CC0\n" + body, encoding="utf-8")
    return path


def test_user_lexicon_extends_and_is_recorded(tmp_path):
    lex = _write_lexicon(tmp_path / "mine.tsv", "synergistic\tpuffery\t1\n")
    ex = PromotionalExtractor(extra_lexicon=lex)
    result = ex.score(_doc("A synergistic plan."))
    assert _cues(result, "puffery") == ["synergistic"]
    assert any(str(lex) in r.get("extended_by", "") for r in ex.resources())


def test_user_lexicon_with_unknown_category_is_rejected(tmp_path):
    lex = _write_lexicon(tmp_path / "bad.tsv", "shiny\tsparkle\t1\n")
    with pytest.raises(ValueError, match="unknown promotional categories"):
        PromotionalExtractor(lexicon=lex).score(_doc("A shiny plan."))


def test_memo_matcher_finds_what_phrase_matcher_finds(seed_docs):
    state = _State.build(model=None)
    merged = PhraseMatcher({" ".join(e.words): e for lex in state.lexicons for e in lex.entries}.values())
    for doc in seed_docs.values():
        lower = doc.segmentation.lower
        assert state.matcher.find(lower) == merged.find(lower)
        assert state.matcher.find(lower, 5, 60) == merged.find(lower, 5, 60)


def test_sentiment_list_derivation_rules(tmp_path):
    xml = tmp_path / "en-sentiment.xml"
    xml.write_text('<sentiment>'
                   '<word form="splendid" polarity="0.8" subjectivity="0.9" />'
                   '<word form="dire" polarity="-0.6" subjectivity="0.7" />'
                   '<word form="dire" polarity="-0.2" subjectivity="0.5" />'
                   '<word form="wooden" polarity="0.0" subjectivity="0.1" />'
                   '<word form="gay" polarity="0.6" subjectivity="0.8" />'
                   '<word form="odd" polarity="0.0" subjectivity="0.9" />'
                   '</sentiment>', encoding="utf-8")
    vader = tmp_path / "vader_lexicon.txt"
    vader.write_text("horrid\t-2.5\t0.5\t[]\nmeh\t-0.5\t0.5\t[]\nwar\t-2.9\t0.5\t[]\n:)\t2.0\t0.5\t[]\n",
                     encoding="utf-8")
    lex = parse_lexicon(derive_sentiment_lexicon(xml, vader), "derived")
    got = {e.term: (e.category, e.weight) for e in lex.entries}
    assert got == {"splendid": ("sentiment_positive", 0.9), "dire": ("sentiment_negative", 0.6),
                   "horrid": ("sentiment_negative", 0.83)}


# ---- evaluation task and trainer -------------------------------------------

def test_promotional_task_on_a_small_frame():
    _ensure_tasks()
    assert TASKS["promotional"].kind == "binary"
    df = pd.DataFrame({"text": ["The council approved the budget on Monday.",
                                "The bridge is 300 metres long and opened in 1932.",
                                "This groundbreaking, world-class triumph is truly the greatest milestone ever!",
                                "The so-called experts shamelessly peddled their absurd, bizarre propaganda."],
                       "label": ["0", "0", "1", "1"]})
    metrics = evaluate_frame("promotional", df)["metrics"]
    assert metrics["roc_auc"] == 1.0 and metrics["recall"] == 1.0


def test_trainer_is_reproducible_on_a_small_file(tmp_path):
    neutral = ["The council met on {} to discuss the {} budget.", "The {} bridge opened to traffic in {}."]
    loaded = ["This groundbreaking {} plan is truly the most remarkable milestone of {}!",
              "The so-called {} experts peddled absurd, bizarre propaganda in {}."]
    rows = [(t.format(w, y), lab) for lab, temps in ((0, neutral), (1, loaded)) for t in temps
            for w, y in (("city", "May"), ("county", "June"), ("river", "2001"), ("state", "2010"), ("new", "1990"))]
    path = tmp_path / "dev.csv"
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
    first = train_promotional([path], folds=2, min_support=2, min_df=2)
    second = train_promotional([path], folds=2, min_support=2, min_df=2)
    assert first == second
    assert first["coefficients"]["a:puffery"] > 0
    assert first["training"]["cv_roc_auc"]["dev.csv"] > 0.9
    assert first["training"]["nested_cv_roc_auc"]["dev.csv"] > 0.9
    assert first["length_prior"] in (20.0, 40.0)
    assert not any(k in first["coefficients"] for k in ("v:council", "v:bridge", "v:budget"))  # nouns never
    assert "groundbreaking" not in str(first["training"]["files"])  # provenance, not text


# ---- dev-set figures (skipped without ../shared) ----------------------------

@pytest.mark.skipif(not (SHARED / "promo_babe.csv").exists(), reason="../shared/eval not available")
@pytest.mark.parametrize("name", ["promo_wikinpov.csv", "promo_babe.csv"])
def test_dev_roc_auc_matches_the_model_record(name):
    """``framing evaluate`` reproduces the in-sample AUC the trainer recorded, and beats its cross-validated one."""
    from framing.evaluate import evaluate_file
    from framing.training import load_model

    training = load_model("promotional")["training"]
    auc = evaluate_file("promotional", SHARED / name)["metrics"]["roc_auc"]
    assert auc == pytest.approx(training["in_sample_roc_auc"][name], abs=0.01)
    assert auc >= training["nested_cv_roc_auc"][name] > 0.70
    assert training["nested_cv_roc_auc"][name] >= (0.75 if name == "promo_wikinpov.csv" else 0.70)


def test_sentence_voices_agree_with_attribution() -> None:
    from framing.extractors.promotional import voices_of

    doc = _doc('The plan is bold. "It is a truly historic and remarkable step," the minister said. '
               'Critics, he added, were wrong. Question: Is it the best plan ever? Answer: It is. '
               'She called it “a disaster for everyone involved” and left.')
    voices, seg = voices_of(doc), doc.segmentation
    for (start, _), si in zip(seg.tokens, seg.token_sentence):
        assert voices(start, si) == doc.attribution.voice_at(start, si)
    assert voices(len(doc.body) + 5, -1) == doc.attribution.voice_at(len(doc.body) + 5, -1)


def test_running_total_adds_one_at_a_time() -> None:
    from framing.extractors.promotional import _running_total

    value = 0.1 * 3 / 7
    total = 0.0
    for n in range(12):
        assert _running_total(value, n) == total
        total += value

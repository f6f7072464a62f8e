"""Hedging extractor: cues, disambiguation rules, voice split, sentence uncertainty, training."""
import json
import math
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.evaluate import evaluate_frame
from framing.extractors.hedging import (
    COUNTED_CATEGORIES,
    HedgingExtractor,
    hedge_matches,
    sentence_uncertainty,
    text_uncertainty,
)
from framing.training.hedging import cross_validate, cv_group, train_hedging
from framing.ingest import finish_document, make_document

P = "hedging_"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="module")
def ex():
    return HedgingExtractor()


@pytest.fixture(scope="module")
def seeds():
    return {d.id[:3]: d for d in framing.load("seeds")}


def cues(ex, text, category=None):
    """(category, matched text, note) of every counted cue in ``text``."""
    r = ex.score(make_document("t", text))
    return [(e.category, e.text, e.note) for e in r.evidence if category is None or e.category == category]


def readings(ex, text, term):
    """Every reading (counted or rejected) the rules gave ``term`` in ``text``."""
    return [c.category for c in ex.cues(make_document("t", text)) if c.term == term]


# ---------------------------------------------------------------------------
# seeds

def test_seed_001_could_lead_to_is_a_hedge_in_reported_speech(ex, seeds):
    doc = seeds["001"]
    ev = [e for e in hedge_matches(doc) if e.text == "could"]
    assert len(ev) == 1
    assert ev[0].category == "hedge"
    assert doc.body[ev[0].end:ev[0].end + 8] == " lead to"
    assert ev[0].voice == "reported"  # "They argue that ... could lead to ..."
    f = ex.score(doc).features
    assert f[P + "hedges_reported_count"] >= 1


def test_seed_002_official_boosts_in_its_own_voice_and_obliges_without_hedging(ex, seeds):
    doc = seeds["002"]
    r = ex.score(doc)
    boosters = [e for e in r.evidence if e.category == "booster"]
    assert [e.text for e in boosters] == ["consistently", "Truly", "fully"]
    assert all(e.voice == "author" for e in boosters)
    assert r.features[P + "boosters_author_count"] == 3
    # four deontic 'should's ("global AI governance should not become ...") are obligations, not hedges
    assert readings(ex, doc.body, "should") == ["deontic"] * doc.body.count(" should ")
    # "certain countries" is the journalist's, and vague attribution is the credibility family's construct
    assert "vague" in readings(ex, doc.body, "certain countries")
    assert "vague" not in {e.category for e in r.evidence}
    # "China believes": the institution's position, not the spokesperson hedging
    assert readings(ex, doc.body, "believes") == ["stance"]
    assert r.features[P + "uncertain_sentences_share"] == 0  # obligations are not uncertainty


def test_seed_evidence_offsets_slice_back(ex, seeds):
    for doc in seeds.values():
        r = ex.score(doc)
        assert r.evidence, doc.id
        for e in r.evidence:
            assert doc.body[e.start:e.end] == e.text
            assert e.category in COUNTED_CATEGORIES
            assert doc.segmentation.sentence_at(e.start) == e.sentence
            assert e.voice in ("author", "quoted", "reported")


def test_seed_columns_are_complete_and_consistent(ex, seeds):
    for doc in seeds.values():
        f = ex.score(doc).features
        assert list(f) == list(ex.columns)
        assert f[P + "hedges_count"] == f[P + "hedges_author_count"] + f[P + "hedges_reported_count"]
        assert f[P + "hedges_per_1k"] == pytest.approx(f[P + "hedges_count"] * 1000 / doc.segmentation.n_words)
        assert 0 <= f[P + "uncertain_sentences_share"] <= 1
        assert 0 < f[P + "author_word_share"] <= 1
    assert set(ex.column_descriptions) == set(ex.columns)


# ---------------------------------------------------------------------------
# lexicon: case, inflection, multi-word

def test_case_insensitive_inflected_and_multi_word_cues(ex):
    text = "SUGGESTS a rise. It Suggested more. To some extent this appears to hold, and perhaps it will."
    found = [t for c, t, _ in cues(ex, text, "hedge")]
    assert found == ["SUGGESTS", "Suggested", "To some extent", "appears to", "perhaps"]


def test_blocked_phrases_do_not_fire(ex):
    assert cues(ex, "They chose talks rather than sanctions; think tanks and the kind of policy they like.") == []


def test_attitude_and_self_mentions(ex):
    text = "Unfortunately, we think our plan is surprisingly robust. In my view it works."
    cats = [(c, t) for c, t, _ in cues(ex, text)]
    assert ("attitude", "Unfortunately") in cats and ("attitude", "surprisingly") in cats
    # self-mentions are read (a sentence-model feature) but reported by the framing family, not as hedging columns
    assert [c.term for c in ex.cues(make_document("t", text)) if c.category == "self_mention"] == ["we", "our", "my"]
    assert not any(c == "self_mention" for c, _ in cats)


def test_cognition_verbs_hedge_only_for_the_author(ex):
    assert readings(ex, "We believe the talks will fail.", "believe") == ["hedge"]
    assert readings(ex, "The talks, I believe, will fail.", "believe") == ["hedge"]
    assert readings(ex, "China firmly believes that the talks will fail.", "believes") == ["stance"]
    assert readings(ex, "Critics think the talks will fail.", "think") == ["stance"]


# ---------------------------------------------------------------------------
# disambiguation rules (with negative cases)

@pytest.mark.parametrize("text,expected", [
    ("The talks took place in May 2024.", ["month"]),
    ("The summit opened on 15 May.", ["month"]),
    ("Talks resumed May 3 in Geneva.", ["month"]),
    ("May was a busy month for diplomats.", ["month"]),
    ("Theresa May said little.", ["name"]),
    ("The talks may resume.", ["hedge"]),
    ("May I ask a question?", ["hedge"]),
])
def test_may_the_month_or_a_name_is_no_hedge(ex, text, expected):
    assert readings(ex, text, "may") == expected


@pytest.mark.parametrize("text,expected", [
    ("Sanctions can lead to shortages.", ["hedge"]),
    ("This can be a problem.", ["hedge"]),
    ("We can build more roads.", ["ability"]),
    ("Engineers can design the system.", ["ability"]),
])
def test_can_of_possibility_vs_ability(ex, text, expected):
    assert readings(ex, text, "can") == expected


@pytest.mark.parametrize("text,expected", [
    ("Countries must work together.", ["deontic"]),
    ("Safeguards must be implemented.", ["deontic"]),
    ("He must have known the risks.", ["booster"]),
    ("This must be true.", ["booster"]),
    ("You must be joking.", ["booster"]),
])
def test_must_epistemic_is_a_booster_deontic_is_not_counted(ex, text, expected):
    assert readings(ex, text, "must") == expected


def test_negated_boosters_become_hedges(ex):
    found = cues(ex, "It is not clear whether the plan works. Officials are not certain. It is not always so.")
    assert [(c, t) for c, t, _ in found] == [("hedge", "clear"), ("hedge", "certain"), ("hedge", "always")]
    assert all(note == "negated booster counted as hedge" for _, _, note in found)


def test_negated_hedges_stay_hedges_but_doubt_flips(ex):
    assert cues(ex, "The deal is not likely to pass.") == [
        ("hedge", "likely", "negated hedge kept as hedge (still uncertain)")]
    assert [(c, t) for c, t, _ in cues(ex, "There is no doubt that it works.")] == [
        ("booster", "There is no doubt")]
    assert [(c, t) for c, t, _ in cues(ex, "Officials do not doubt the figures.")] == [("booster", "doubt")]
    assert [(c, t) for c, t, _ in cues(ex, "Officials doubt the figures.")] == [("hedge", "doubt")]


def test_negation_does_not_cross_a_clause(ex):
    assert [(c, t) for c, t, _ in cues(ex, "It was not cheap, but clearly it worked.")] == [("booster", "clearly")]


def test_approximators_only_before_numbers(ex):
    assert [(c, t) for c, t, _ in cues(ex, "About 200 people came.")] == [("hedge", "About")]
    assert cues(ex, "They talked about the policy around the clock.") == []


def test_certain_attributive_vs_predicative_and_us_the_country(ex):
    assert readings(ex, "Certain reforms are planned.", "certain") == ["quantifier"]
    assert readings(ex, "I am certain of it.", "certain") == ["booster"]
    assert readings(ex, "US officials met them.", "us") == ["none"]
    assert readings(ex, "They met us.", "us") == ["self_mention"]
    assert readings(ex, "We harness the potential of AI.", "potential") == ["none"]
    assert readings(ex, "The potential risks are large.", "potential") == ["none"]
    assert readings(ex, "Potential risks are large.", "potential") == ["hedge"]


# ---------------------------------------------------------------------------
# attribution split

def test_commentary_quoting_an_official_may_counts_as_quoted(ex):
    text = ("The ministry's line is familiar. “Prices may rise further next year,” the spokesperson said. "
            "In our view the reform clearly works.")
    r = ex.score(make_document("t", text))
    by_text = {e.text: e for e in r.evidence}
    assert by_text["may"].voice == "quoted"
    assert by_text["clearly"].voice == "author"
    f = r.features
    assert f[P + "hedges_reported_count"] == 1
    assert f[P + "hedges_author_count"] == 1  # "In our view"
    assert f[P + "boosters_author_count"] == 1
    assert f[P + "balance_author"] == 0
    assert f[P + "balance"] == pytest.approx((2 - 1) / 3)


def test_reported_speech_is_separated_from_the_author(ex):
    text = "Officials warned that the deal may collapse. We think it will hold."
    f = ex.score(make_document("t", text)).features
    assert f[P + "hedges_reported_count"] == 1  # may, in reported speech
    assert f[P + "hedges_author_count"] == 1    # think


def test_uncertain_sentence_share_in_the_author_voice_leaves_reported_sentences_out(ex):
    text = "Officials warned that the deal may possibly collapse. The committee adopted the budget on Tuesday."
    f = ex.score(make_document("t", text)).features
    assert f[P + "uncertain_sentences_share"] == 0.5
    assert f[P + "uncertain_sentences_author_share"] == 0.0
    assert 0 < f[P + "author_word_share"] < 1


def test_balance_is_nan_without_hedges_or_boosters(ex):
    f = ex.score(make_document("t", "The committee met on Tuesday and adopted the budget.")).features
    assert math.isnan(f[P + "balance"]) and math.isnan(f[P + "balance_author"])
    assert f[P + "hedges_count"] == 0


# ---------------------------------------------------------------------------
# sentence uncertainty

def test_sentence_uncertainty_ranks_hedged_sentences_above_plain_ones(ex):
    text = ("These results suggest that the protein may be involved in DNA repair. "
            "The protein binds DNA in the nucleus. "
            "I think it might work if you are patient. "
            "The car has four doors.")
    doc = make_document("t", text)
    probs = sentence_uncertainty(doc)
    assert len(probs) == doc.segmentation.n_sentences == 4
    assert probs[0] >= ex.threshold and probs[2] >= ex.threshold
    assert probs[1] < ex.threshold and probs[3] < ex.threshold
    assert sentence_uncertainty(doc) is probs  # memoised in doc.cache
    r = ex.score(doc)
    assert r.features[P + "uncertain_sentences_count"] == 2
    assert r.extra["uncertain_sentences"] == [0, 2]


def test_text_uncertainty_matches_the_evaluate_task(ex):
    texts = ["Several critics believe the results are probably wrong.", "The museum opened in 1901."]
    df = pd.DataFrame({"text": texts, "label": ["1", "0"]})
    result = evaluate_frame("hedging", df)
    assert set(result["metrics"]) >= {"precision", "recall", "f1", "roc_auc"}
    probs = text_uncertainty(texts)
    assert probs[0] > probs[1]
    assert result["metrics"]["roc_auc"] == 1.0


# ---------------------------------------------------------------------------
# NaN, lexicon options, provenance

def test_non_english_and_empty_documents_are_nan(ex):
    doc = finish_document(make_document("fr", "Le gouvernement pourrait peut-être annoncer de nouvelles mesures "
                                              "la semaine prochaine, selon plusieurs sources proches du dossier."))
    assert doc.language == "fr"
    r = ex.score(doc)
    assert r.na_reason and all(math.isnan(v) for v in r.features.values())
    assert hedge_matches(doc) == []
    assert all(math.isnan(p) for p in sentence_uncertainty(doc))
    assert "empty" in ex.score(make_document("e", "  ")).na_reason


def test_user_lexicon_extends_and_is_recorded(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("# name: mine\n# version: 2\n# source: test\n# licence: CC0\n"
                     "touted\tbooster\t1.0\nmay\thedge\t1.0\n", encoding="utf-8")
    ex = HedgingExtractor(extend=extra)
    found = [(e.category, e.text) for e in ex.score(make_document("t", "The plan, touted in May, may work.")).evidence]
    assert found == [("booster", "touted"), ("hedge", "May"), ("hedge", "may")]  # 'may' without the month rule
    res = ex.resources()
    assert res[0]["extended_by"].endswith("mine.tsv") and len(res[0]["sha256"]) == 64
    assert "hedging" in res[0]["name"] and res[1]["threshold"]
    assert repr(ex).startswith("HedgingExtractor(lexicon=None, extend=")


# ---------------------------------------------------------------------------
# training (own toy files; the dev sets are used only when present)

def _toy_files(tmp_path):
    hedged = ["The drug may reduce pain in {}.", "It seems that {} might help.", "Perhaps {} is involved.",
              "These data suggest a role for {}.", "It is possible that {} binds here.", "{} could be a cause."]
    plain = ["The drug reduced pain in {}.", "{} was measured twice.", "We cloned {} last year.",
             "{} binds the promoter.", "The {} sample was frozen.", "Cells expressing {} were counted."]
    names = ["p53", "actin", "myc", "ras", "tau", "insulin", "keratin", "ferritin"]
    paths = []
    for k, prefix in enumerate(("bioscope-abs", "sfu-cars")):
        rows = []
        for n, name in enumerate(names):
            for t in hedged:
                rows.append({"id": f"{prefix}-{n}-{len(rows)}", "text": t.format(name), "label": "1"})
            for t in plain:
                rows.append({"id": f"{prefix}-{n}-{len(rows)}", "text": t.format(name), "label": "0"})
        path = tmp_path / f"toy{k}.csv"
        pd.DataFrame(rows).to_csv(path, index=False)
        paths.append(path)
    return paths


def test_training_is_reproducible_and_learns_the_cues(tmp_path):
    files = _toy_files(tmp_path)
    a = train_hedging(files, cv=0, max_words=50, min_df=2)
    b = train_hedging(files, cv=0, max_words=50, min_df=2)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert a["coefficients"]["cat=hedge"] > 0
    assert a["training"]["in_sample"]["toy0.csv"]["f1"] == 1.0
    assert all("text" not in f for f in a["training"]["files"])  # provenance only, never the text
    model_path = tmp_path / "m.json"
    model_path.write_text(json.dumps(a), encoding="utf-8")
    ex = HedgingExtractor(model=model_path)
    assert ex.text_probabilities(["It seems that p53 might help."])[0] >= ex.threshold


def test_cross_validation_groups_documents(tmp_path):
    assert cv_group("bioscope-abs-8051172-S842.2") == "bioscope-abs-8051172"
    assert cv_group("sfu-cars-yes23-s109") == "sfu-cars-yes23"
    assert cv_group("wikiweasel-train-00521") == "wikiweasel-train-00521"
    result = cross_validate(_toy_files(tmp_path), folds=2, max_words=50, min_df=2)
    assert set(result["files"]) == {"toy0.csv", "toy1.csv"}
    assert result["files"]["toy0.csv"]["f1"] > 0.8


def test_cross_validation_by_model_name(tmp_path):
    """``framing.training.cross_validate(NAME, ...)`` (what ``framing train NAME --cv K`` runs) is the model's CV."""
    from framing.training import cross_validate as cross_validate_model
    from framing.training import trainable

    assert {"hedging", "promotional", "source-type"} <= set(trainable())
    files = _toy_files(tmp_path)
    by_name = cross_validate_model("hedging", files, folds=2, max_words=50, min_df=2)
    assert by_name == cross_validate(files, folds=2, max_words=50, min_df=2)
    with pytest.raises(KeyError, match="unknown model"):
        cross_validate_model("nonsense", files)


def test_cross_validation_command_prints_per_file_f1(tmp_path):
    import json

    from click.testing import CliRunner

    from framing.cli import main

    files = [str(f) for f in _toy_files(tmp_path)]
    result = CliRunner().invoke(main, ["train", "hedging", *files, "--cv", "2"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["folds"] == 2 and {"toy0.csv", "toy1.csv"} <= set(figures["files"])
    assert all(0 <= f["f1"] <= 1 for f in figures["files"].values())
    refused = CliRunner().invoke(main, ["train", "hedging", *files, "--cv", "2", "-o", str(tmp_path / "m.json")])
    assert refused.exit_code == 2


@pytest.mark.skipif(not (EVAL / "hedging_bioscope.csv").exists(), reason="dev sets in ../shared/eval absent")
def test_shipped_model_meets_targets_in_sample():
    targets = {"hedging_bioscope.csv": 0.80, "hedging_sfu.csv": 0.75, "hedging_wikiweasel.csv": 0.55}
    for name, target in targets.items():
        df = pd.read_csv(EVAL / name, dtype=str, keep_default_na=False)
        assert evaluate_frame("hedging", df)["metrics"]["f1"] >= target, name


def test_a_questioners_hedges_are_shown_with_no_weight():
    """A journalist's 'may' is evidence in the questioner's voice, weighted 0 and noted, and not counted."""
    import framing

    result = framing.analyze(["Question: Are you sure the plan may fail?\nSpokesperson: Perhaps it will."])
    ev = result.evidence[result.evidence.extractor == "hedging"]
    asked = ev[ev.voice == "questioner"]
    assert set(asked.cue) == {"sure", "may"}
    assert (asked.weight == 0.0).all() and asked.note.str.startswith("questioner: not counted").all()
    assert ev[ev.voice == "author"].weight.tolist() == [1.0]
    assert result.features.loc[0, "hedging_hedges_count"] == 1.0

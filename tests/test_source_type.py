"""Source type: official / news / commentary / promotional, with the cues that drove it."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import framing
from framing.evaluate import TASKS, _ensure_tasks, evaluate_frame
from framing.extractors.source_type import (
    CLASSES,
    FEATURE_TRANSFORM,
    FEATURES,
    UNCERTAIN_MARGIN,
    SourceTypeExtractor,
    _LinearModel,
    build_matchers,
    cue_features,
    cue_lexicon,
)
from framing.ingest import make_document

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"

OFFICIAL = """Question: How does the Ministry view the outcome of the summit?
Spokesperson: China believes the summit has sent a positive signal. We stand ready to work with all parties
to deepen practical cooperation on the basis of mutual respect and win-win results.
China firmly opposes interference in its internal affairs and remains committed to peaceful development.
Question: Will the two sides sign further agreements?
Spokesperson: We will release information in due course. The two sides have agreed to maintain communication."""

NEWS = """GENEVA (Reuters) - Negotiators from 40 countries agreed on Tuesday to extend talks on a global plastics
treaty by six months, officials said, after two weeks of meetings failed to produce a draft text.
"We are closer than we were in March," said Inger Andersen, head of the UN Environment Programme, told
reporters late on Tuesday. The delegations will meet again in Nairobi on Nov. 14, according to a statement.
Oil-producing countries, including Saudi Arabia, objected to limits on production, two delegates said."""

COMMENTARY = """Opinion

Beijing's treaty diplomacy is less about plastics than about positioning. Why else would it court the
developing world so loudly while its own factories keep growing? Washington, for its part, seeks to look
busy without committing to anything. Clearly, both capitals want the credit without the cost.
The truth is that a treaty without production limits is a hollow gesture, and we should say so plainly."""

PROMOTIONAL = """Top 10 Plastic-Free Products You Need in 2025

Photo by Jane Doe on Unsplash

Looking for the best eco-friendly products? Discover our range of premium, affordable solutions.
Why Choose Reusable Bags
Reusable bags play a pivotal role in navigating the evolving landscape of sustainable living.
Moreover, they offer unbeatable quality and a seamless shopping experience for you and your family.
Conclusion
In conclusion, these innovative products are a game-changer. Shop now and enjoy free delivery!
Subscribe to our newsletter"""


@pytest.fixture(scope="module")
def extractor() -> SourceTypeExtractor:
    return SourceTypeExtractor()


@pytest.fixture(scope="module")
def seeds() -> dict[str, framing.Document]:
    return {d.id[:3]: d for d in framing.load(ROOT / "seeds")}


def _label(ex: SourceTypeExtractor, text: str, **meta: str) -> str:
    return ex.score(make_document("t", text, dict(meta))).extra["label"]


# --- the seeds -----------------------------------------------------------------

@pytest.mark.parametrize("seed, expected", [("002", "official"), ("001", "commentary"), ("003", "news"),
                                            ("000", "promotional")])
def test_seeds_get_their_type(extractor, seeds, seed, expected):
    result = extractor.score(seeds[seed])
    assert result.extra["label"] == expected
    probs = [result.features[f"source_type_p_{c}"] for c in CLASSES]
    assert math.isclose(sum(probs), 1.0, abs_tol=1e-6)
    assert result.features[f"source_type_p_{expected}"] == max(probs)
    # right with a margin: not an uncertain call
    assert result.features["source_type_margin"] >= UNCERTAIN_MARGIN
    assert result.features["source_type_uncertain"] == 0.0
    assert result.extra["display_label"] == expected


def test_declared_role_disagreement_is_reported(extractor, seeds):
    # seed 003 is declared 'commentary' in seeds/metadata.csv but reads as a news report
    result = extractor.score(seeds["003"])
    assert result.extra["declared"] == "commentary"
    assert result.extra["disagrees"] is True
    assert result.features["source_type_agrees_with_declared"] == 0.0
    agree = extractor.score(seeds["002"])  # declared official, detected official
    assert agree.features["source_type_agrees_with_declared"] == 1.0
    assert agree.extra["disagrees"] is False


def test_no_declared_role_gives_nan_agreement(extractor):
    result = extractor.score(make_document("t", NEWS))
    assert math.isnan(result.features["source_type_agrees_with_declared"])
    assert result.extra["declared"] is None and result.extra["disagrees"] is False


def test_evidence_slices_back_and_supports_the_label(extractor, seeds):
    for doc in seeds.values():
        result = extractor.score(doc)
        assert result.evidence, doc.id
        for ev in result.evidence:
            assert doc.body[ev.start:ev.end] == ev.text
            assert ev.extractor == "source_type"
            assert ev.weight > 0
    cats = {ev.category for ev in extractor.score(seeds["002"]).evidence}
    assert "qa_turns" in cats
    labels = [ev for ev in extractor.score(seeds["001"]).evidence if ev.category == "section_label"]
    assert labels and any("Analysis" in ev.text or "Analysis" in ev.note for ev in labels)


def test_features_are_the_same_without_evidence(extractor):
    # evidence=False skips building the evidence: features and extra must not change (fresh documents for
    # each run, so neither reads spans the other resolved)
    with_ev = {d.id: extractor.score(d) for d in framing.load(ROOT / "seeds")}
    without = {d.id: extractor.score(d, evidence=False) for d in framing.load(ROOT / "seeds")}
    assert with_ev.keys() == without.keys()
    for key, full in with_ev.items():
        lean = without[key]
        assert full.evidence and lean.evidence == []
        assert repr(lean.features) == repr(full.features), key  # repr: NaN equals NaN
        assert lean.extra == full.extra and lean.na_reason == full.na_reason


def test_no_evidence_is_built_when_none_is_wanted(monkeypatch, seeds):
    ex = SourceTypeExtractor()
    monkeypatch.setattr(ex, "_evidence", lambda *a: pytest.fail("evidence built though not wanted"))
    assert ex.score(seeds["002"], evidence=False).evidence == []


# --- written passages ---------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [(OFFICIAL, "official"), (NEWS, "news"), (COMMENTARY, "commentary"),
                                            (PROMOTIONAL, "promotional")])
def test_written_passages(extractor, text, expected):
    assert _label(extractor, text) == expected


def test_negative_quoted_official_language_does_not_make_news_official(extractor):
    # a news report quoting a spokesperson's formulae stays news: the formulae are attributed, dated, wired
    text = ("BEIJING (Reuters) - China said on Monday it \"firmly opposes\" new export controls and "
            "\"stands ready to\" respond, foreign ministry spokesperson Mao Ning told a regular news briefing. "
            "The measures, announced by the U.S. Commerce Department on Friday, cover 140 companies, "
            "officials said. Shares of chipmakers fell 3% in Shanghai, according to exchange data.")
    assert _label(extractor, text) == "news"


def test_negative_plain_essay_without_scaffolding_is_not_promotional(extractor):
    text = ("I have been thinking about why our city keeps failing its cyclists. It is not money; it is will. "
            "Every spring the council promises new lanes, and every autumn we get paint that fades by winter. "
            "Should we really accept that? I don't think so, and neither should you.")
    # a 49-word snippet with "you", "why" and "every" and no names: the model hesitates between commentary and
    # promotional (0.46 / 0.49 with the model of 2026-12-06); it must not be a confident promotional call
    result = extractor.score(make_document("t", text))
    probs = result.extra["probabilities"]
    assert "commentary" in sorted(probs, key=probs.__getitem__)[-2:]
    assert result.extra["label"] != "promotional" or result.features["source_type_uncertain"] == 1.0


def test_metadata_schema_type_shifts_probabilities(extractor):
    text = NEWS
    plain = extractor.score(make_document("a", text))
    opinion = extractor.score(make_document("b", text, {"schema_type": "OpinionNewsArticle"}))
    assert opinion.features["source_type_p_commentary"] > plain.features["source_type_p_commentary"]
    assert any(ev.category == "metadata" for ev in opinion.evidence)
    assert opinion.extra["metadata_cues"] == ["schema_type=OpinionNewsArticle"]


def test_prior_correction_shifts_toward_the_named_class(extractor, seeds):
    doc = seeds["003"]
    base = extractor.score(doc).features["source_type_p_official"]
    shifted = SourceTypeExtractor(prior={"official": 0.9}).score(doc).features["source_type_p_official"]
    assert shifted > base
    with pytest.raises(ValueError, match="unknown classes"):
        SourceTypeExtractor(prior={"blog": 0.5}).score(doc)
    with pytest.raises(ValueError, match="positive"):
        SourceTypeExtractor(prior={"news": 1.5}).score(doc)


def test_em_recovers_the_class_proportions_of_a_skewed_corpus():
    from framing.extractors.source_type import estimate_class_prior, shrink_prior

    # 90 documents of class 0 and 10 of class 1, each scored 0.7 for its own class under equal priors
    probs = np.array([[0.7, 0.3]] * 90 + [[0.3, 0.7]] * 10)
    est = estimate_class_prior(probs, pseudocount=0.0)
    assert est[0] > 0.85 and est.sum() == pytest.approx(1.0)
    # a class the corpus lacks keeps a little mass through the pseudo-count
    assert estimate_class_prior(np.array([[0.9, 0.1]] * 50), pseudocount=1.0)[1] > 0
    half = shrink_prior(est, 0.5)
    assert 0.5 < half[0] < est[0]  # half-way in log-odds between equal priors and the estimate
    assert shrink_prior(est, 0.0) == pytest.approx([0.5, 0.5])


def _corpus(n_official: int, n_news: int) -> list:
    docs = [make_document(f"o{i}", OFFICIAL.replace("summit", f"summit number {i}")) for i in range(n_official)]
    docs += [make_document(f"n{i}", NEWS.replace("40", str(i + 41))) for i in range(n_news)]
    return docs


def test_corpus_prior_leans_toward_the_corpus_majority_only_for_large_corpora():
    docs = _corpus(24, 2)
    assert SourceTypeExtractor().fit(docs).corpus_prior_ is None  # off by default
    fitted = SourceTypeExtractor(prior="corpus").fit(docs)
    assert fitted.n_corpus_docs_ == 26
    assert fitted.corpus_prior_["official"] > 0.5 > fitted.corpus_prior_["news"]
    assert fitted.corpus_prior_["official"] < fitted.corpus_prior_estimate_["official"]  # shrunk half-way
    uniform = SourceTypeExtractor(prior="uniform").fit(docs)
    assert uniform.corpus_prior_ is None
    p_corpus = fitted.score(docs[-1]).features["source_type_p_official"]
    p_uniform = uniform.score(docs[-1]).features["source_type_p_official"]
    assert p_corpus > p_uniform
    small = SourceTypeExtractor(prior="corpus").fit(docs[:5])  # below min_corpus: equal priors, nothing estimated
    assert small.corpus_prior_ is None
    assert small.score(docs[0]).features == SourceTypeExtractor(prior="uniform").score(docs[0]).features


def test_analyze_records_the_corpus_prior_in_the_run_record():
    default = framing.analyze(_corpus(20, 3), ["source_type"]).run["extractors"][0]["prior"]
    assert default["setting"] == "uniform" and default["used"] is None and default["documents"] == 0
    opts = {"source_type": {"prior": "corpus"}}
    prior = framing.analyze(_corpus(20, 3), ["source_type"], options=opts).run["extractors"][0]["prior"]
    assert prior["setting"] == "corpus" and prior["documents"] == 23
    assert prior["used"]["official"] > 0.25
    small = framing.analyze(_corpus(2, 1), ["source_type"], options=opts).run["extractors"][0]["prior"]
    assert small["used"] is None and small["documents"] == 0


def test_a_documents_type_does_not_depend_on_its_batch(seeds):
    # by default a document scores the same alone and inside a skewed corpus of 25 documents
    import pandas as pd

    target = seeds["003"].body
    alone = framing.score(pd.Series({"x": target}), extractors=["source_type"])
    others = {f"o{i}": OFFICIAL.replace("summit", f"summit number {i}") for i in range(24)}
    batch = framing.score(pd.Series({**others, "x": target}), extractors=["source_type"])
    cols = [f"source_type_p_{c}" for c in CLASSES] + ["source_type_uncertain", "source_type_margin"]
    assert alone.loc["x", cols].tolist() == pytest.approx(batch.loc["x", cols].tolist(), abs=1e-9)
    assert alone.loc["x", cols[:4]].astype(float).idxmax() == batch.loc["x", cols[:4]].astype(float).idxmax()


def test_uncertain_calls_are_marked(extractor, seeds):
    clear = extractor.score(seeds["002"])
    probs = {c: clear.features[f"source_type_p_{c}"] for c in CLASSES}
    top, second = sorted(probs, key=probs.__getitem__, reverse=True)[:2]
    assert clear.features["source_type_uncertain"] == 0.0 and clear.extra["display_label"] == top
    # a prior that brings the runner-up level with the winner makes the call uncertain, and the label says so
    ratio = probs[top] / probs[second]
    rest = [c for c in CLASSES if c not in (top, second)]
    prior = {top: 0.5 / (1 + ratio) * 1.02, second: 0.5 * ratio / (1 + ratio), rest[0]: 0.25}
    close = SourceTypeExtractor(prior=prior).score(seeds["002"])
    assert close.features["source_type_uncertain"] == 1.0
    assert close.features["source_type_margin"] < UNCERTAIN_MARGIN
    label, runner = close.extra["label"], close.extra["runner_up"]
    assert {label, runner} == {top, second} and close.extra["uncertain"] is True
    assert close.extra["display_label"] == f"{label}?/{runner}"


def test_prior_accepts_the_command_line_forms():
    from framing.extractors.source_type import parse_prior

    assert parse_prior("official=0.9,news=0.05") == {"official": 0.9, "news": 0.05}
    assert parse_prior("uniform") == "uniform" and parse_prior(None) == "uniform"
    assert parse_prior("corpus") == "corpus"
    with pytest.raises(ValueError, match="CLASS=P"):
        parse_prior("mostly official")
    with pytest.raises(ValueError, match="between 0 and 1"):
        SourceTypeExtractor(prior="corpus", prior_strength=2).fit(_corpus(20, 1))


# --- features -----------------------------------------------------------------------

def test_outlet_marks_are_masked():
    # "(Reuters) -", "(CNN)", agency photo credits and issuing-office lines name an outlet, not a genre
    table, matcher = build_matchers(cue_lexicon())
    plain = "TOLEDO, Ohio - Democrats made gains in the region on Tuesday, officials said, according to polls."
    marked = plain.replace("Ohio -", "Ohio (Reuters) -") + " (Jim Bourg/Reuters)"
    a = cue_features(make_document("a", plain), table, matcher)
    b = cue_features(make_document("b", marked), table, matcher)
    for f in ("proper_nouns", "all_caps", "named_attribution", "reporting_per_1k"):
        assert b[f] * make_document("b", marked).segmentation.n_words == pytest.approx(
            a[f] * make_document("a", plain).segmentation.n_words), f
    office = cue_features(make_document("o", "Office of the Spokesperson\n\nThe talks went well."), table, matcher)
    assert office["institution_per_1k"] == 0 and office["proper_nouns"] == 0


def test_commentary_and_official_cue_families():
    table, matcher = build_matchers(cue_lexicon())
    op = cue_features(make_document("c", "Why the Fed must act\n\nTo be sure, the bill is a ploy. Make no mistake: "
                                           "Washington should stop pretending, and Congress must act. Don't we "
                                           "deserve better? It's time to say so."), table, matcher)
    for f in ("concessive_per_1k", "motive_per_1k", "reader_address_per_1k", "recommendation_per_1k",
              "actor_recommendations", "opinion_title", "contractions", "rhetorical_questions"):
        assert op[f] > 0, f
    off = cue_features(make_document("o", "The two sides exchanged views on regional security. We firmly oppose "
                                          "the decision and we urge all parties to show restraint. The United "
                                          "States calls on the government to act.\nQ. Will you respond?\n"
                                          "THE PRESIDENT. We will."), table, matcher)
    for f in ("readout_per_1k", "official_voice_per_1k", "speaker_turns"):
        assert off[f] > 0, f
    # a recommendation inside a quotation is the quoted speaker's, not the author's
    quoted = cue_features(make_document("q", '"Washington should stop," the senator said.'), table, matcher)
    assert quoted["actor_recommendations"] == 0


def test_an_ad_slot_is_not_a_promotional_label():
    # "Sponsored" labels the text; an "Advertisement" slot is page furniture that news pages carry too
    table, matcher = build_matchers(cue_lexicon())
    body = "\n\nThe council approved the budget on Tuesday, officials said."
    assert cue_features(make_document("a", "Advertisement" + body), table, matcher)["promo_label"] == 0
    assert cue_features(make_document("s", "Sponsored" + body), table, matcher)["promo_label"] > 0


def test_reporters_attribution_verbs_are_reporting_cues():
    table, matcher = build_matchers(cue_lexicon())
    doc = make_document("r", "The minister declined to comment. Officials denied the report, and the mayor warned "
                             "of delays. The agency could not be reached.")
    feats = cue_features(doc, table, matcher)
    assert feats["reporting_per_1k"] * doc.segmentation.n_words / 1000 == pytest.approx(4)


def test_transcript_speaker_labels_are_counted_but_not_acronyms_in_prose():
    table, matcher = build_matchers(cue_lexicon())
    transcript = ("Senator on Sunday television\nChris WALLACE: Where are we now in the Middle East?"
                  "      BIDEN : We are in trouble, Chris.\nO'BRIEN: Good to have you back.")
    prose = "The NATO summit opened today. Leaders of the EU met the USA delegation: nothing was agreed."
    assert cue_features(make_document("t", transcript), table, matcher)["speaker_turns"] > 0
    assert cue_features(make_document("p", prose), table, matcher)["speaker_turns"] == 0


def test_official_self_presentation_families():
    table, matcher = build_matchers(cue_lexicon())
    release = make_document("r", "Senator Smith secured federal funds for the county. I introduced legislation "
                                 "to protect our nation's farms, and my amendment passed the committee.")
    essay = make_document("e", "Frozen peas taste better than you think, and they keep for months in a freezer.")
    rel = cue_features(release, table, matcher)
    ess = cue_features(essay, table, matcher)
    for fam in ("credit_claiming", "legislative", "self_action", "national_address"):
        assert rel[f"{fam}_per_1k"] > 0, fam
        assert ess[f"{fam}_per_1k"] == 0, fam


def test_cue_features_cover_every_feature_and_are_finite():
    table, matcher = build_matchers(cue_lexicon())
    feats = cue_features(make_document("t", OFFICIAL), table, matcher)
    assert set(feats) == set(FEATURES)
    assert all(math.isfinite(v) and v >= 0 for v in feats.values())
    assert feats["qa_turns"] > 0 and feats["diplomatic_per_1k"] > 0


def test_function_word_rates_count_whole_words_without_highlighting_them():
    from framing.extractors.source_type import _Spans

    table, matcher = build_matchers(cue_lexicon())
    doc = make_document("t", "The theory of the state is not there. Then the others left.")
    spans = _Spans()
    feats = cue_features(doc, table, matcher, spans)
    n_words = doc.segmentation.n_words
    assert feats["fw_the_per_1k"] == pytest.approx(3 * 1000 / n_words)  # not "theory", "there" or "others"
    assert feats["fw_there_per_1k"] > 0 and feats["fw_not_per_1k"] > 0
    assert feats["fw_said_per_1k"] == 0 and feats["fw_we_per_1k"] == 0
    assert not any(k.startswith("fw_") for k in spans.by_feature)  # too diffuse to highlight as evidence


def test_stance_cues_are_counted_by_voice():
    # a columnist's judgement is the author's; the same words inside a quotation are the quoted speaker's
    table, matcher = build_matchers(cue_lexicon())
    author = cue_features(make_document("a", "To be sure, the plan is a cynical ploy, and Congress clearly "
                                             "should reject it."), table, matcher)
    quoted = cue_features(make_document("q", 'The senator said: "To be sure, the plan is a cynical ploy, and '
                                             'Congress clearly should reject it."'), table, matcher)
    plain = cue_features(make_document("p", "The committee met on Tuesday and published its report."),
                         table, matcher)
    assert author["stance_author"] > 0 and author["stance_other"] == 0
    assert quoted["stance_author"] == 0 and quoted["stance_other"] > 0
    assert plain["stance_author"] == plain["stance_other"] == 0


def test_dated_attribution_is_the_wire_reports_said_on_tuesday():
    table, matcher = build_matchers(cue_lexicon())
    for text in ("The ministry said on Tuesday that talks would resume.",
                 "Officials told reporters Monday that the bridge would reopen.",
                 "The company on Friday said it would cut 200 jobs."):
        assert cue_features(make_document("n", text), table, matcher)["dated_attribution"] > 0, text
    for text in ("I said it before and I will say it again: this is a mistake.",
                 "The meeting on Tuesday was productive, and both sides agreed to meet again."):
        assert cue_features(make_document("n", text), table, matcher)["dated_attribution"] == 0, text


def test_first_person_inside_quotes_is_not_the_author_voice():
    table, matcher = build_matchers(cue_lexicon())
    quoted = cue_features(make_document("t", 'The minister said: "We will act and we will win this fight."'),
                          table, matcher)
    author = cue_features(make_document("t", "We will act and we will win this fight, the minister said."),
                          table, matcher)
    assert quoted["we_institutional_per_1k"] == 0 and quoted["we_institutional_quoted_per_1k"] > 0
    assert author["we_institutional_per_1k"] > 0 and author["we_institutional_quoted_per_1k"] == 0


def test_invariance_selection_keeps_a_cue_only_if_its_direction_holds_across_sources():
    from framing.training.source_type import invariant_columns

    rng = np.random.default_rng(0)
    y = np.repeat(["news", "commentary"], 60)
    families = np.array([f"s{i // 20}" for i in range(120)])  # three sources per class
    steady = np.where(y == "commentary", 2.0, 1.0) + rng.normal(0, 0.1, 120)
    # pooled, commentary is higher; but only because one commentary source is extreme: it is lower in most pairs
    quirk = np.where(y == "commentary", 0.5, 1.0)
    quirk[families == "s3"] = 9.0
    X = np.column_stack([steady, quirk])
    kept = invariant_columns(X, y, families, np.array([True, True]))
    assert kept.tolist() == [True, False]
    # a feature without a coefficient to begin with stays without one
    assert invariant_columns(X, y, families, np.array([False, True])).tolist() == [False, False]


def test_creative_commons_attribution_is_not_a_stock_photo_credit():
    table, matcher = build_matchers(cue_lexicon())
    stock = cue_features(make_document("t", "Ten tips for better sleep\nPhoto by Anna Lee on Unsplash\nSleep matters."),
                         table, matcher)
    licence = cue_features(make_document("t", "On writing\n\"Desk\" by J. Roe is licensed under CC BY-SA 4.0\n"
                                              "I write every morning."), table, matcher)
    assert stock["photo_credit"] > 0
    assert licence["photo_credit"] == 0


def test_metonymy_needs_an_actor_reading():
    table, matcher = build_matchers(cue_lexicon())
    actor_text = "In this dispute Beijing seeks leverage while Washington's answer is slow."
    actor = cue_features(make_document("t", actor_text),
                         table, matcher)
    place = cue_features(make_document("t", "The delegates flew from Beijing to a hotel in Washington on Monday."),
                         table, matcher)
    assert actor["metonymy"] > 0
    assert place["metonymy"] == 0


def test_user_lexicon_extension_is_used(tmp_path, extractor):
    lex = tmp_path / "extra.tsv"
    lex.write_text("# name: extra\n# version: 1\n# source: test\n# licence: CC0\nzorblat\tpromo_hype\n",
                   encoding="utf-8")
    doc = make_document("t", "The zorblat is here. Zorblat for everyone.")
    table, matcher = build_matchers(cue_lexicon(extend=lex))
    assert cue_features(doc, table, matcher)["promo_hype_per_1k"] > 0
    plain_table, plain_matcher = build_matchers(cue_lexicon())
    assert cue_features(doc, plain_table, plain_matcher)["promo_hype_per_1k"] == 0
    ex = SourceTypeExtractor(extend_lexicon=lex)
    assert any(r["name"] == "source_type" and r["extended_by"] for r in ex.resources())


def test_empty_and_non_english_documents_are_nan(extractor):
    doc = make_document("t", "   ")
    result = extractor.score(doc)
    assert all(math.isnan(v) for v in result.features.values())
    assert result.na_reason


# --- model file, training, evaluation ---------------------------------------------

def test_packaged_model_is_small_and_has_provenance_not_text():
    path = ROOT / "framing" / "models" / "source_type.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_size < 60_000
    assert spec["classes"] == list(CLASSES) and spec["features"] == list(FEATURES)
    assert len(spec["coef"]) == len(CLASSES) and len(spec["coef"][0]) == len(FEATURES)
    files = spec["provenance"]["files"]
    assert all(len(f["sha256"]) == 64 for f in files)
    # provenance names and hashes the files; it holds no training text (no 'text' field, no long strings)
    def strings(node):
        if isinstance(node, dict):
            for k, v in node.items():
                yield str(k)
                yield from strings(v)
        elif isinstance(node, list):
            for v in node:
                yield from strings(v)
        elif isinstance(node, str):
            yield node

    assert not any(k.get("text") for k in files)
    assert max(len(x) for x in strings(spec["provenance"])) < 400


def test_the_model_records_its_transform_and_older_log1p_models_still_score():
    spec = json.loads((ROOT / "framing" / "models" / "source_type.json").read_text(encoding="utf-8"))
    assert spec["transform"] == f"{FEATURE_TRANSFORM} then standardise"
    values = dict.fromkeys(FEATURES, 3.0)
    for kind, fn in (("sqrt", np.sqrt), ("log1p", np.log1p)):
        model = _LinearModel({**spec, "transform": f"{kind} then standardise"})
        z = model.standardise(values, np.full(len(FEATURES), 3.0))
        np.testing.assert_allclose(z, (fn(3.0) - model.mean) / model.scale)
    # a model file written before the transform was recorded is read as log1p
    legacy = _LinearModel({k: v for k, v in spec.items() if k != "transform"})
    assert legacy.transform == "log1p"


def test_training_on_a_small_corpus_writes_a_usable_model(tmp_path):
    from framing.training import train

    rows = []
    for i in range(30):
        rows.append({"text": OFFICIAL.replace("summit", f"summit number {i}"), "label": "official",
                     "source": f"ministry{i % 3}"})
        rows.append({"text": NEWS.replace("40", str(i + 41)), "label": "news", "source": f"wire{i % 3}"})
        rows.append({"text": COMMENTARY.replace("plastics", f"issue {i}"), "label": "commentary",
                     "source": f"paper{i % 3}"})
        rows.append({"text": PROMOTIONAL.replace("2025", str(2000 + i)), "label": "promotional",
                     "source": f"shop{i % 3}"})
    import pandas as pd

    csv = tmp_path / "mine.csv"
    pd.DataFrame(rows).to_csv(csv, index=False)
    out = train("source-type", [csv], tmp_path / "model.json", cv=3)
    spec = json.loads(out.read_text(encoding="utf-8"))
    cv = spec["provenance"]["cv"]
    assert cv["headline"]["macro_f1"] > 0.9 and cv["headline"]["corpus_prior"] > 0.9
    assert set(cv["by_source"]) == {f"{k}{i}" for k in ("ministry", "wire", "paper", "shop") for i in range(3)}
    ex = SourceTypeExtractor(model=out)
    assert _label(ex, NEWS) == "news"


def test_training_rejects_unknown_labels(tmp_path):
    from framing.training import train

    csv = tmp_path / "bad.csv"
    csv.write_text("text,label\nhello there this is a text,blog\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not among"):
        train("source-type", [csv], tmp_path / "m.json")


def test_evaluation_task_is_registered_and_scores_a_frame():
    import pandas as pd

    _ensure_tasks()
    assert TASKS["source-type"].kind == "multiclass"
    df = pd.DataFrame({"text": [OFFICIAL, NEWS, COMMENTARY, PROMOTIONAL],
                       "label": ["official", "news", "commentary", "promotional"]})
    result = evaluate_frame("source-type", df)
    assert result["metrics"]["macro_f1"] == 1.0


@pytest.mark.skipif(not (EVAL / "source_type_web.csv").exists(), reason="needs ../shared/eval")
def test_dev_set_web_sample_above_chance():
    import pandas as pd

    df = pd.read_csv(EVAL / "source_type_web.csv", dtype=str, keep_default_na=False)
    df = df.groupby("label").sample(40, random_state=0)
    result = evaluate_frame("source-type", df)
    assert result["metrics"]["macro_f1"] > 0.6


def test_a_wire_service_named_in_the_text_is_no_cue():
    """A wire service's name names an outlet, not a genre: a column citing "Xinhua reported" or "Bloomberg said"
    reads exactly as one citing a person (a hand-set cue pushed such a text toward news before)."""
    table, matcher = build_matchers(cue_lexicon())
    text = ("Beijing wants the world to see a partner. {0} reported on Tuesday that the talks had stalled, and "
            "{1} said the deal was dead. I think the White House should stop pretending otherwise.")
    cited = cue_features(make_document("c", text.format("Xinhua", "Bloomberg")), table, matcher)
    named = cue_features(make_document("n", text.format("Harmon", "Okafor")), table, matcher)
    assert cited == named

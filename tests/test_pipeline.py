"""The library entry points and the scikit-learn transformer, on the seeds."""
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing
from framing.pipeline import BASE_COLUMNS

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seed_analysis():
    return framing.analyze(framing.load(SEEDS))


def test_score_has_one_row_per_seed_with_declared_roles(seed_analysis):
    feats = seed_analysis.features
    assert len(feats) == 4
    roles = dict(zip(feats["id"], feats["role"]))
    assert roles["002_1255f110069410cc"] == "official"
    assert {roles[k] for k in roles if not k.startswith("002")} == {"commentary"}
    assert list(feats.columns[: len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    assert (feats["n_words"] > 300).all()


def test_every_registered_extractor_contributes_its_columns(seed_analysis):
    cols = set(seed_analysis.features.columns)
    for name in framing.available_extractors():
        ex = framing.get_extractor(name)
        assert set(ex.columns) <= cols, name


def test_evidence_offsets_slice_back_to_the_body(seed_analysis):
    docs = {d.id: d for d in seed_analysis.documents}
    ev = seed_analysis.evidence
    for row in ev.itertuples():
        assert docs[row.doc_id].body[row.start:row.end] == row.text


def test_series_input_keeps_its_index():
    s = pd.Series({"a": "The minister said the plan may fail.", "b": "Prices rose 5% in May."})
    out = framing.score(s)
    assert list(out.index) == ["a", "b"]
    assert list(out["id"]) == ["a", "b"]


def test_dataframe_input_carries_metadata():
    df = pd.DataFrame({"text": ["China stands ready to work with all parties."], "role": ["official"],
                       "outlet": ["Embassy"]}, index=[7])
    out = framing.score(df)
    assert out.loc[7, "role"] == "official" and out.loc[7, "outlet"] == "Embassy"


def test_non_english_document_is_kept_and_flagged():
    out = framing.score(["La situation économique du pays reste très difficile selon le ministre des finances."])
    assert out.loc[0, "language"] == "fr"
    assert "non-English" in out.loc[0, "na_reason"]


def test_framing_features_follows_the_sklearn_contract():
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = pd.Series(["It may possibly rain, perhaps.", "It will certainly rain, clearly.",
                       "Officials said it might rain.", "This is undoubtedly the best plan ever!"] * 3,
                      index=range(100, 112))
    y = [0, 1, 0, 1] * 3
    est = framing.FramingFeatures()
    assert clone(est).get_params() == est.get_params()
    X = est.fit_transform(texts)
    assert X.shape == (12, len(est.get_feature_names_out()))
    pipe = make_pipeline(framing.FramingFeatures(), LogisticRegression(max_iter=200))
    pipe.fit(texts, y)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict(texts), pipe.predict(texts))
    est_pd = framing.FramingFeatures().set_output(transform="pandas").fit(texts)
    out = est_pd.transform(texts)
    assert list(out.index) == list(texts.index)
    assert list(out.columns) == list(est_pd.get_feature_names_out())


def test_framing_features_rejects_unknown_columns():
    with pytest.raises(ValueError, match="unknown feature columns"):
        framing.FramingFeatures(columns=["no_such_feature"]).fit(["text"])


def test_framing_features_rows_do_not_depend_on_the_batch():
    # 24 near-identical official texts would move a corpus prior; the transformer must not use one
    official = "We stand ready to work with all parties. Our government firmly supports dialogue and cooperation."
    news = "Officials said on Tuesday that talks would resume, according to two diplomats in Geneva."
    est = framing.FramingFeatures(extractors=["source_type"]).fit([news])
    alone = est.transform([news])
    crowded = est.transform([official] * 24 + [news])[-1:]
    np.testing.assert_allclose(alone, crowded)


# ---------------------------------------------------------------------------
# hostile input: documents without words, the source path, bounded evidence

@pytest.mark.parametrize("text", [".", '"', "\u200b", "¡¿", "---", "...", "\ufeff"])
def test_a_document_without_words_is_scored_as_nan_with_the_reason(text):
    table = framing.score([text, "The ministry said the talks may resume."])
    assert table.loc[0, "na_reason"] == "no words" and table.loc[0, "n_words"] == 0
    assert table.iloc[0, len(BASE_COLUMNS):].isna().all()
    assert table.loc[1, "na_reason"] == ""


def test_the_source_path_follows_the_id(seed_analysis):
    feats = seed_analysis.features
    assert list(BASE_COLUMNS[:2]) == ["id", "path"]
    assert [Path(p).parent for p in feats["path"]] == [SEEDS] * 4
    assert [Path(p).stem for p in feats["path"]] == list(feats["id"])


def test_evidence_of_an_unpunctuated_document_carries_bounded_context():
    from framing.pipeline import SENTENCE_TEXT_MAX

    words = "the officials reportedly said it may be a truly remarkable and historic step".split()
    text = " ".join(words[i % len(words)] for i in range(3000))
    analysis = framing.analyze([text])
    doc, ev = analysis.documents[0], analysis.evidence
    assert doc.segmentation.n_sentences >= 12 and any("chunks" in w for w in doc.warnings)
    assert len(ev) > 500
    assert ev["sentence_text"].str.len().max() <= SENTENCE_TEXT_MAX
    for row in ev.itertuples():
        assert doc.body[row.start:row.end] == row.text and row.text in row.sentence_text
    assert len({id(s) for s in ev["sentence_text"]}) <= doc.segmentation.n_sentences  # shared, not copied


def test_a_context_window_is_cut_at_word_boundaries_and_marked():
    from framing.pipeline import context_window

    text = " ".join(f"w{i:03d}" for i in range(400))  # 1,599 characters
    start = text.index("w200")
    window = context_window(text, 0, len(text), start, start + 4, width=60)
    assert window.startswith("…") and window.endswith("…") and "w200" in window
    assert len(window) <= 62
    inner = window.strip("…")
    assert inner in text and all(len(tok) == 4 for tok in inner.split())
    assert context_window(text, 0, 29, 0, 4, width=300) == text[:29]  # a short sentence is kept whole

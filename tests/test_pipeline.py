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

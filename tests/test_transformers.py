"""FramingFeatures under scikit-learn: estimator checks that apply to text input, composition, and the cache."""
from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils import estimator_checks as checks

from framing.transformers import FeatureCache, FramingFeatures

TEXTS = ["It may possibly rain, perhaps.", "It will certainly rain, clearly.",
         "Officials said it might rain.", "This is undoubtedly the best plan ever!",
         "The ministry said the talks may resume.", "We firmly support dialogue and cooperation."]
LABELS = [0, 1, 0, 1, 0, 1]
FAST = ["hedging"]


def make(**params):
    return FramingFeatures(extractors=FAST, **params)


# ---------------------------------------------------------------------------
# scikit-learn's own checks that do not need numeric input

@pytest.mark.parametrize("check", [checks.check_parameters_default_constructible, checks.check_get_params_invariance,
                                   checks.check_set_params, checks.check_no_attributes_set_in_init,
                                   checks.check_estimator_repr, checks.check_estimator_cloneable,
                                   checks.check_estimator_tags_renamed, checks.check_valid_tag_types,
                                   checks.check_do_not_raise_errors_in_init_or_set_params, checks.check_mixin_order],
                         ids=lambda c: c.__name__)
def test_sklearn_checks_for_text_estimators(check):
    check("FramingFeatures", FramingFeatures())


# the same properties as scikit-learn's data checks, on texts

def test_fit_returns_self_and_does_not_change_parameters():
    est = make(memory=None)
    params = est.get_params()
    assert est.fit(TEXTS) is est
    assert est.get_params() == params


def test_fit_is_idempotent_and_transform_needs_no_fit():
    once = make().fit(TEXTS).transform(TEXTS)
    twice = make().fit(TEXTS).fit(TEXTS).transform(TEXTS)
    unfitted = make().transform(TEXTS)  # stateless: requires_fit is False
    np.testing.assert_array_equal(once, twice)
    np.testing.assert_array_equal(once, unfitted)


def test_rows_are_invariant_to_order_and_subsets():
    est = make().fit(TEXTS)
    full = est.transform(TEXTS)
    order = np.arange(len(TEXTS))[::-1]
    np.testing.assert_array_equal(est.transform([TEXTS[i] for i in order]), full[order])
    np.testing.assert_array_equal(est.transform(TEXTS[2:4]), full[2:4])


def test_dict_unchanged_by_transform():
    est = make().fit(TEXTS)
    before = dict(est.__dict__)
    est.transform(TEXTS)
    assert est.__dict__.keys() == before.keys()


def test_input_shapes():
    est = make().fit(TEXTS)
    ref = est.transform(TEXTS)
    np.testing.assert_array_equal(est.transform(np.array(TEXTS, dtype=object)), ref)
    np.testing.assert_array_equal(est.transform(np.array(TEXTS, dtype=object).reshape(-1, 1)), ref)
    np.testing.assert_array_equal(est.transform(pd.DataFrame({"text": TEXTS, "x": 1})), ref)
    assert est.transform([]).shape == (0, ref.shape[1])
    with pytest.raises(TypeError, match="single string"):
        est.transform("one text")
    with pytest.raises(ValueError, match="strings"):
        est.transform([1.5, 2.5])
    with pytest.raises(ValueError, match="one column of texts"):
        est.transform(pd.DataFrame({"a": TEXTS, "b": TEXTS}))


def test_missing_texts_and_lone_surrogates_are_scored_not_refused():
    est = make(fill_value=None).fit(TEXTS)
    empty = est.transform([""])
    # pandas' own missing value in a string column, as None and NaN are: an empty text's row
    with_na = est.transform(pd.Series([TEXTS[0], pd.NA, None], dtype="string"))
    np.testing.assert_array_equal(with_na[0], est.transform([TEXTS[0]])[0])
    np.testing.assert_array_equal(with_na[1:], np.vstack([empty, empty]))
    # a lone surrogate (broken UTF-16) is replaced, as the loaders do, rather than stopping the transform
    broken = est.transform(["It may \ud800 possibly rain, perhaps."])
    np.testing.assert_array_equal(broken, est.transform(["It may \ufffd possibly rain, perhaps."]))


def test_nan_is_filled_or_kept():
    texts = ["La situation économique du pays reste très difficile selon le ministre.", TEXTS[0]]
    assert not np.isnan(make().fit_transform(texts)).any()
    assert np.isnan(make(fill_value=None).fit_transform(texts)).any()


# ---------------------------------------------------------------------------
# composition

def test_pipeline_clone_pickle_and_set_output():
    pipe = Pipeline([("features", make()), ("model", LogisticRegression(max_iter=500))]).fit(TEXTS, LABELS)
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_array_equal(restored.predict(TEXTS), pipe.predict(TEXTS))
    assert clone(pipe).get_params()["features__extractors"] == FAST
    series = pd.Series(TEXTS, index=[f"d{i}" for i in range(len(TEXTS))])
    out = make().set_output(transform="pandas").fit_transform(series)
    assert list(out.index) == list(series.index) and list(out.columns) == list(make().get_feature_names_out())


def test_column_transformer_beside_other_columns():
    frame = pd.DataFrame({"text": TEXTS, "outlet": ["a", "b"] * 3})
    columns = ColumnTransformer([("framing", make(columns=["hedging_hedges_per_1k", "hedging_boosters_per_1k"]),
                                  "text"),
                                 ("outlet", OneHotEncoder(sparse_output=False), ["outlet"])])
    columns.set_output(transform="pandas")
    out = columns.fit_transform(frame)
    assert list(out.columns) == ["framing__hedging_hedges_per_1k", "framing__hedging_boosters_per_1k",
                                 "outlet__outlet_a", "outlet__outlet_b"]
    assert out.loc[0, "framing__hedging_hedges_per_1k"] > 0


# ---------------------------------------------------------------------------
# the cache: folds do not rescore

def test_cached_rows_equal_fresh_rows_and_are_not_rescored(tmp_path, monkeypatch):
    FeatureCache.clear_memory()
    fresh = make().fit_transform(TEXTS)
    calls = []
    original = FramingFeatures._score

    def counting(self, texts):
        calls.append(len(texts))
        return original(self, texts)

    monkeypatch.setattr(FramingFeatures, "_score", counting)
    pipe = Pipeline([("features", make(memory=tmp_path)), ("model", LogisticRegression(max_iter=500))])
    cross_val_score(pipe, pd.Series(TEXTS * 2), LABELS * 2, cv=3)
    assert sum(calls) == len(set(TEXTS))  # every distinct text scored once over 3 folds (6 transforms)
    np.testing.assert_allclose(make(memory=tmp_path).fit_transform(TEXTS), fresh)
    FeatureCache.clear_memory()  # a new process: the rows come from disk
    calls.clear()
    np.testing.assert_allclose(make(memory=str(tmp_path)).fit_transform(TEXTS), fresh)
    assert calls == []


def test_the_cache_key_follows_the_configuration(tmp_path):
    a = make(memory=tmp_path).config_key()
    assert a == clone(make(memory=tmp_path)).config_key()
    assert a != FramingFeatures(extractors=["readability"], memory=tmp_path).config_key()


def test_a_joblib_memory_gives_its_folder(tmp_path):
    joblib = pytest.importorskip("joblib")
    est = make(memory=joblib.Memory(tmp_path, verbose=0))
    est.fit_transform(TEXTS[:2])
    assert list((tmp_path / "framing-features").rglob("*.npy"))

"""``framing``'s features as a scikit-learn transformer."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from .document import BOILERPLATE_CATEGORIES
from .extractors.base import resolve_extractors
from .pipeline import score

__all__ = ["FramingFeatures"]

#: a row must not depend on which other texts share its batch: the source-type probabilities use equal
#: priors here, not the corpus prior that ``framing score`` estimates from the whole corpus
DOCUMENT_LEVEL_OPTIONS = {"source_type": {"prior": "uniform"}}

class FramingFeatures(TransformerMixin, BaseEstimator):
    """Numeric ``framing`` features for a column of texts, as a scikit-learn transformer.

    Parameters
    ----------
    extractors : list of str, optional
        Extractor names (default: all registered).
    columns : list of str, optional
        Keep only these feature columns (default: every numeric feature).
    fill_value : float or None, default 0.0
        Replaces NaN (undefined ratios such as a hedge/booster balance with no
        cues, or non-English documents) so downstream estimators accept the
        matrix. ``None`` keeps NaN (for estimators that handle it, e.g.
        ``HistGradientBoostingClassifier``).

    Notes
    -----
    Stateless: ``fit`` only validates parameters and records
    ``feature_names_out_``, and each row depends on its own text only (the
    source-type probabilities use equal priors, not a corpus prior). Works in ``Pipeline``, ``GridSearchCV`` and
    ``clone``; ``set_output(transform="pandas")`` keeps the input's index.
    """

    def __init__(self, extractors: Sequence[str] | None = None, columns: Sequence[str] | None = None,
                 fill_value: float | None = 0.0):
        self.extractors = extractors
        self.columns = columns
        self.fill_value = fill_value

    def _numeric_columns(self) -> list[str]:
        exs = resolve_extractors(self.extractors)
        cols = ["n_words", "n_sentences", "n_paragraphs", *(f"boilerplate_{c}" for c in BOILERPLATE_CATEGORIES)]
        cols += [c for e in exs for c in e.columns]
        if self.columns is not None:
            unknown = [c for c in self.columns if c not in cols]
            if unknown:
                raise ValueError(f"unknown feature columns: {unknown}")
            cols = list(self.columns)
        return cols

    def fit(self, X: Any, y: Any = None) -> "FramingFeatures":
        self.feature_names_out_ = np.asarray(self._numeric_columns(), dtype=object)
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "feature_names_out_")
        texts = X if isinstance(X, (pd.Series, pd.DataFrame)) else pd.Series(list(X))
        if isinstance(texts, pd.DataFrame):
            texts = texts.iloc[:, 0] if "text" not in texts.columns else texts["text"]
        feats = score(texts, self.extractors, options=DOCUMENT_LEVEL_OPTIONS)
        matrix = feats[list(self.feature_names_out_)].to_numpy(dtype=float)
        if self.fill_value is not None:
            matrix = np.where(np.isnan(matrix), self.fill_value, matrix)
        return matrix

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        tags.input_tags.allow_nan = True
        return tags

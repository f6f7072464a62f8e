"""``framing``'s features as a scikit-learn transformer, with an optional cache of scored texts.

Scoring is the slow part of a model selection loop: every cross-validation fold and every grid point
transforms the same texts again. Two ways out:

* ``FramingFeatures(memory="cache_dir")`` keeps every scored text's row on disk (and in memory), keyed by a
  hash of the text and of the configuration (extractors, options, framing version, lexicon and model
  hashes), so each text is scored once however many folds, clones and processes ask for it;
* or score once with :func:`framing.score` and fit on the columns of the frame (select them in a
  ``ColumnTransformer``), which is what the transformer does inside.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from . import __version__
from .document import BOILERPLATE_CATEGORIES
from .extractors.base import resolve_extractors
from .pipeline import score

__all__ = ["FeatureCache", "FramingFeatures"]

#: a row must not depend on which other texts share its batch: the source-type probabilities use equal
#: priors here, not the corpus prior that ``framing score`` estimates from the whole corpus
DOCUMENT_LEVEL_OPTIONS = {"source_type": {"prior": "uniform"}}

Memory = str | os.PathLike | Any | None


class FeatureCache:
    """Feature rows of scored texts, by hash, in memory and (with a folder) on disk.

    Parameters
    ----------
    location : path, optional
        Folder for the on-disk cache (one ``.npy`` file per text and configuration, under
        ``framing-features/``). ``None`` keeps rows in this process only.
    config : str
        A digest of everything the rows depend on besides the text (see :meth:`FramingFeatures.config_key`).
    """

    #: rows shared by every cache object of this process: clones made per fold find each other's rows
    _MEMORY: ClassVar[dict[str, np.ndarray]] = {}

    def __init__(self, location: str | os.PathLike | None, config: str):
        self.folder = Path(location) / "framing-features" if location is not None else None
        self.config = config

    def key(self, text: str) -> str:
        """The cache key of one text under this configuration."""
        return hashlib.sha256(f"{self.config}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, key: str) -> Path | None:
        return self.folder / key[:2] / f"{key}.npy" if self.folder is not None else None

    def get(self, key: str) -> np.ndarray | None:
        """The row stored under ``key`` (memory first, then disk), or None."""
        path = self._path(key)
        row = self._MEMORY.get(key)
        if row is not None:
            if path is not None and not path.is_file():
                self._save(path, row)  # scored in this process for another folder: keep it here too
            return row
        if path is not None and path.is_file():
            row = self._MEMORY[key] = np.load(path, allow_pickle=False)
        return row

    def put(self, key: str, row: np.ndarray) -> None:
        """Store ``row`` under ``key`` in memory and, with a folder, on disk (atomically)."""
        self._MEMORY[key] = row
        path = self._path(key)
        if path is not None:
            self._save(path, row)

    @staticmethod
    def _save(path: Path, row: np.ndarray) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.save(fh, row, allow_pickle=False)
        os.replace(tmp, path)

    @classmethod
    def clear_memory(cls) -> None:
        """Forget the rows held in this process (the on-disk files stay)."""
        cls._MEMORY.clear()


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
    options : dict, optional
        Extractor options, ``{"hedging": {"lexicon": "my_hedges.tsv"}}``.
    memory : str, path, joblib.Memory or None, default None
        Cache scored texts: a folder (or a ``joblib.Memory``, whose location is used) keeps each text's row
        on disk, keyed by the hash of the text and of the configuration, so cross-validation folds, grid
        points and later runs do not score a text twice. Rows are also shared within the process. ``None``
        scores every text on every call.

    Attributes
    ----------
    feature_names_out_ : ndarray of str
        The output columns (set by ``fit``).

    Notes
    -----
    Stateless: ``fit`` only validates parameters and records
    ``feature_names_out_``, and each row depends on its own text only (the
    source-type probabilities use equal priors, not a corpus prior). Works in ``Pipeline``,
    ``ColumnTransformer`` (give the text column by name, as a string), ``GridSearchCV``, ``clone`` and pickle;
    ``set_output(transform="pandas")`` keeps the input's index. Accepts a list or Series of texts, or a
    one-column DataFrame (a ``text`` column is used when there are several).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression            # doctest: +SKIP
    >>> from sklearn.pipeline import make_pipeline                     # doctest: +SKIP
    >>> model = make_pipeline(FramingFeatures(memory=".framing-cache"), LogisticRegression())  # doctest: +SKIP
    >>> model.fit(texts, labels)                                        # doctest: +SKIP
    """

    def __init__(self, extractors: Sequence[str] | None = None, columns: Sequence[str] | None = None,
                 fill_value: float | None = 0.0, options: dict[str, dict[str, Any]] | None = None,
                 memory: Memory = None):
        self.extractors = extractors
        self.columns = columns
        self.fill_value = fill_value
        self.options = options
        self.memory = memory

    # -- configuration -------------------------------------------------------

    def _extractor_options(self) -> dict[str, dict[str, Any]]:
        merged = {k: dict(v) for k, v in DOCUMENT_LEVEL_OPTIONS.items()}
        for name, opts in (self.options or {}).items():
            merged.setdefault(name, {}).update(opts)
        return merged

    def _all_columns(self) -> list[str]:
        """Every numeric column the configured extractors give, in order."""
        exs = resolve_extractors(self.extractors)
        cols = ["n_words", "n_sentences", "n_paragraphs", *(f"boilerplate_{c}" for c in BOILERPLATE_CATEGORIES)]
        return cols + [c for e in exs for c in e.columns]

    def _numeric_columns(self) -> list[str]:
        cols = self._all_columns()
        if self.columns is not None:
            unknown = [c for c in self.columns if c not in cols]
            if unknown:
                raise ValueError(f"unknown feature columns: {unknown}")
            cols = list(self.columns)
        return cols

    def config_key(self) -> str:
        """A digest of everything a row depends on besides its text (cache key prefix)."""
        options = self._extractor_options()
        exs = resolve_extractors(self.extractors, options)
        record = {"framing": __version__, "extractors": [e.provenance() for e in exs],
                  "params": {e.name: repr(e) for e in exs}, "columns": self._all_columns(),
                  "options": {k: {p: str(v) for p, v in o.items()} for k, o in options.items()}}
        return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def _cache(self) -> FeatureCache | None:
        if self.memory is None:
            return None
        location = getattr(self.memory, "location", self.memory)  # a joblib.Memory gives its folder
        return FeatureCache(location, self.config_key())

    # -- the scikit-learn API ----------------------------------------------

    def fit(self, X: Any, y: Any = None) -> FramingFeatures:
        """Validate the parameters and record :attr:`feature_names_out_` (nothing is learned from ``X``)."""
        _texts(X)
        self.feature_names_out_ = np.asarray(self._numeric_columns(), dtype=object)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """The feature matrix, one row per text (``n_texts × len(feature_names_out_)``, float64)."""
        texts = _texts(X)
        names = list(getattr(self, "feature_names_out_", None) if hasattr(self, "feature_names_out_")
                     else self._numeric_columns())
        rows = self._rows(texts)
        matrix = rows[:, [self._all_columns().index(c) for c in names]] if len(rows) else np.empty((0, len(names)))
        if self.fill_value is not None:
            matrix = np.where(np.isnan(matrix), self.fill_value, matrix)
        return matrix

    def _rows(self, texts: list[str]) -> np.ndarray:
        """Every numeric column for ``texts``, from the cache where possible."""
        cache = self._cache()
        if cache is None:
            return self._score(texts)
        keys = [cache.key(t) for t in texts]
        found = {k: cache.get(k) for k in set(keys)}
        missing = [k for k, row in found.items() if row is None]
        if missing:
            first = {k: t for t, k in zip(texts, keys) if k in set(missing)}
            for key, row in zip(first, self._score(list(first.values()))):
                cache.put(key, row)
                found[key] = row
        return np.vstack([found[k] for k in keys]) if keys else np.empty((0, len(self._all_columns())))

    def _score(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, len(self._all_columns())))
        # object dtype: pandas' Arrow strings cannot hold a lone surrogate, which the documents replace with a warning
        feats = score(pd.Series(texts, dtype=object), self.extractors, options=self._extractor_options())
        return feats[self._all_columns()].to_numpy(dtype=float)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output column names."""
        if hasattr(self, "feature_names_out_"):
            return self.feature_names_out_
        return np.asarray(self._numeric_columns(), dtype=object)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        tags.input_tags.allow_nan = True
        return tags


def _texts(X: Any) -> list[str]:
    """The texts of ``X``: a list, array or Series of strings, or a DataFrame's text column."""
    if isinstance(X, pd.DataFrame):
        if X.shape[1] != 1 and "text" not in X.columns:
            raise ValueError(f"FramingFeatures takes one column of texts; got {X.shape[1]} columns without a 'text' "
                             "column (select the text column, e.g. ColumnTransformer([(..., 'text')]))")
        X = X["text"] if "text" in X.columns else X.iloc[:, 0]
    if isinstance(X, str):
        raise TypeError("FramingFeatures takes an iterable of texts, not a single string; wrap it in a list")
    values = X.tolist() if isinstance(X, (pd.Series, np.ndarray)) else list(X)
    if values and isinstance(values[0], (list, tuple, np.ndarray)):
        values = [v[0] if len(v) == 1 else _not_text(v) for v in values]
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else _as_text(v) for v in values]


def _as_text(value: Any) -> str:
    if not isinstance(value, str):
        _not_text(value)
    return value


def _not_text(value: Any) -> str:
    raise ValueError(f"FramingFeatures takes texts (strings); got {type(value).__name__} {str(value)[:40]!r}")

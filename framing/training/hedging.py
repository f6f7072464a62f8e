"""Training and cross-validation of the hedging sentence-uncertainty model.

``framing train hedging FILE... -o framing/models/hedging.json`` fits the model
(:func:`train_hedging`); ``framing train hedging FILE... --cv K`` (or
:func:`framing.training.cross_validate`) prints the grouped k-fold
cross-validation of the whole training procedure (:func:`cross_validate`).
The features are the scoring code's own (:func:`framing.extractors.hedging.find_cues`
and :func:`~framing.extractors.hedging.span_features`), so a trained model
scores exactly as it was fitted.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cues.stance import _NUMBER_RE, find_cues
from ..extractors.hedging import HedgingExtractor, UncertaintyModel, span_features
from ..lexicon import PhraseMatcher, load_lexicon
from ..segment import segment
from . import register_cv, register_trainer

__all__ = ["TRAIN_DEFAULTS", "cross_validate", "cv_group", "train_hedging"]

#: training defaults (recorded in the model JSON)
TRAIN_DEFAULTS = {"C": 0.4, "max_words": 400, "min_df": 5, "seed": 20100715}


@dataclass
class _Labelled:
    """Featurised training rows: cue features, token sets, labels, CV groups and source file."""

    cue_features: list[dict[str, float]]
    tokens: list[frozenset[str]]
    labels: list[int]
    groups: list[str]
    files: list[int]


def cv_group(row_id: str) -> str:
    """The unit rows must not be split across in cross-validation.

    BioScope abstracts group by PMID (``bioscope-abs-<PMID>-<sentence>``), SFU
    reviews by review file (``sfu-<category>-<file>-s<n>``); other rows
    (WikiWeasel has no documents) are their own group.
    """
    parts = row_id.split("-")
    if row_id.startswith("bioscope-") and len(parts) >= 4:
        return "-".join(parts[:3])
    if row_id.startswith("sfu-") and len(parts) >= 4:
        return "-".join(parts[:3])
    return row_id


def _read_labelled(files: Sequence[Path], text_col: str, label_col: str, matcher: PhraseMatcher) -> _Labelled:
    import pandas as pd

    data = _Labelled([], [], [], [], [])
    for fi, path in enumerate(files):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in (text_col, label_col):
            if col not in df.columns:
                raise ValueError(f"{path}: no column '{col}'")
        ids = df["id"].tolist() if "id" in df.columns else [f"{path.name}:{i}" for i in range(len(df))]
        for row_id, text, label in zip(ids, df[text_col], df[label_col]):
            if label not in ("0", "1"):
                raise ValueError(f"{path}: label {label!r} is not 0 or 1")
            seg = segment(text)
            cues = find_cues(seg, matcher)
            data.cue_features.append(span_features(seg, cues, 0, seg.n_words, frozenset()))
            data.tokens.append(_unigrams_bigrams(seg.lower))
            data.labels.append(int(label))
            data.groups.append(f"{fi}:{cv_group(str(row_id))}")
            data.files.append(fi)
    return data


def _unigrams_bigrams(tokens: Sequence[str]) -> frozenset[str]:
    return frozenset(tokens) | frozenset(a + " " + b for a, b in itertools.pairwise(tokens))


def _candidate_words(data: _Labelled, rows: Sequence[int], min_df: int) -> list[str]:
    """Words in at least ``min_df`` rows of each of at least two files (or of the only file)."""
    from collections import Counter

    per_file: dict[int, Counter] = {}
    for r in rows:
        per_file.setdefault(data.files[r], Counter()).update(data.tokens[r])
    need = min(2, len(per_file))
    seen: Counter = Counter()
    for counter in per_file.values():
        seen.update(w for w, n in counter.items() if n >= min_df)
    return sorted(w for w, n in seen.items() if n >= need and not _NUMBER_RE.search(w))


def _row_features(data: _Labelled, r: int, vocabulary: frozenset[str]) -> dict[str, float]:
    feats = dict(data.cue_features[r])
    for w in data.tokens[r] & vocabulary:
        feats["w=" + w] = 1.0
    return feats


def _fit(data: _Labelled, rows: Sequence[int], C: float, max_words: int, min_df: int,
         seed: int) -> dict[str, Any]:
    """Select a compact word vocabulary (L1) and fit the L2 logistic regression on ``rows``."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    y = np.asarray([data.labels[r] for r in rows])
    vocabulary = frozenset(_candidate_words(data, rows, min_df))
    if max_words and len(vocabulary) > max_words:
        vec = DictVectorizer()
        X = _int32(vec.fit_transform([{"w=" + w: 1.0 for w in data.tokens[r] & vocabulary} for r in rows]))
        l1 = LogisticRegression(l1_ratio=1.0, solver="liblinear", C=C, random_state=seed, max_iter=2000)
        l1.fit(X, y)
        weights = np.abs(l1.coef_[0])
        order = np.argsort(-weights, kind="stable")[:max_words]
        names = vec.get_feature_names_out()
        vocabulary = frozenset(names[i][2:] for i in order if weights[i] > 0)
    vec = DictVectorizer()
    X = _int32(vec.fit_transform([_row_features(data, r, vocabulary) for r in rows]))
    clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=5000)
    clf.fit(X, y)
    coef = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-6}
    return {"coefficients": coef, "intercept": float(clf.intercept_[0]), "vocabulary": sorted(vocabulary),
            "threshold": 0.5}


def _int32(X: Any) -> Any:
    """CSR matrix with 32-bit indices (liblinear refuses 64-bit ones)."""
    X = X.tocsr()
    X.indices = X.indices.astype("int32")
    X.indptr = X.indptr.astype("int32")
    return X


def _predict(model: dict[str, Any], data: _Labelled, rows: Sequence[int]) -> list[float]:
    m = UncertaintyModel(model)
    return [m.probability(_row_features(data, r, m.vocabulary)) for r in rows]


def _f1(labels: Sequence[int], decisions: Sequence[bool]) -> float:
    tp = sum(1 for y, d in zip(labels, decisions) if y and d)
    fp = sum(1 for y, d in zip(labels, decisions) if not y and d)
    fn = sum(1 for y, d in zip(labels, decisions) if y and not d)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _best_threshold(data: _Labelled, rows: Sequence[int], probs: Sequence[float]) -> float:
    """The one threshold maximising the mean F1 over the training files (no per-domain thresholds)."""
    by_file: dict[int, list[int]] = {}
    for k, r in enumerate(rows):
        by_file.setdefault(data.files[r], []).append(k)
    best, best_score = 0.5, -1.0
    for t in [x / 100 for x in range(20, 81)]:
        score = sum(_f1([data.labels[rows[k]] for k in ks], [probs[k] >= t for k in ks])
                    for ks in by_file.values()) / len(by_file)
        if score > best_score + 1e-12:
            best, best_score = t, score
    return best


def _folds(data: _Labelled, rows: Sequence[int], k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """Group k-fold over ``rows`` (groups shuffled with ``seed``; each group in exactly one test fold)."""
    import random

    groups = sorted({data.groups[r] for r in rows})
    random.Random(seed).shuffle(groups)
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [([r for r in rows if fold_of[data.groups[r]] != f], [r for r in rows if fold_of[data.groups[r]] == f])
            for f in range(k)]


def _fit_with_threshold(data: _Labelled, rows: Sequence[int], params: dict[str, Any]) -> dict[str, Any]:
    """The whole training procedure on ``rows``: fit, then choose the threshold on grouped 5-fold OOF predictions."""
    fit_args = {k: params[k] for k in ("C", "max_words", "min_df", "seed")}
    oof: dict[int, float] = {}
    for train_rows, test_rows in _folds(data, rows, 5, params["seed"] + 1):
        oof.update(zip(test_rows, _predict(_fit(data, train_rows, **fit_args), data, test_rows)))
    model = _fit(data, rows, **fit_args)
    model["threshold"] = _best_threshold(data, rows, [oof[r] for r in rows])
    return model


def _metrics(labels: Sequence[int], probs: Sequence[float], threshold: float) -> dict[str, float]:
    from ..evaluate import binary_metrics

    m = binary_metrics(labels, probs, [int(p >= threshold) for p in probs])
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}


def cross_validate(files: Sequence[str | Path], folds: int = 5, text_col: str = "text", label_col: str = "label",
                   **params: Any) -> dict[str, Any]:
    """Grouped k-fold cross-validation of the whole training procedure, per file.

    Each outer fold reruns the whole training procedure (vocabulary,
    coefficients, and the threshold from an inner grouped 5-fold split) on the
    other folds; rows of one BioScope abstract or one SFU review stay in one
    fold. Returns precision/recall/F1/ROC AUC per file on the pooled
    out-of-fold predictions.
    """
    p = {**TRAIN_DEFAULTS, **params}
    paths = [Path(f) for f in files]
    data = _read_labelled(paths, text_col, label_col, PhraseMatcher(load_lexicon("hedging").entries))
    rows = list(range(len(data.labels)))
    oof_prob: dict[int, float] = {}
    oof_dec: dict[int, int] = {}
    for train_rows, test_rows in _folds(data, rows, folds, p["seed"]):
        model = _fit_with_threshold(data, train_rows, p)
        probs = _predict(model, data, test_rows)
        oof_prob.update(zip(test_rows, probs))
        oof_dec.update((r, int(pr >= model["threshold"])) for r, pr in zip(test_rows, probs))
    out: dict[str, Any] = {"folds": folds, "grouping": "bioscope by PMID, sfu by review file, others by row",
                           "params": p, "files": {}}
    from ..evaluate import binary_metrics

    for fi, path in enumerate(paths):
        rs = [r for r in rows if data.files[r] == fi]
        m = binary_metrics([data.labels[r] for r in rs], [oof_prob[r] for r in rs], [oof_dec[r] for r in rs])
        out["files"][path.name] = {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}
    return out


def _fingerprint(model: dict[str, Any]) -> str:
    import hashlib
    import json

    core = {k: model[k] for k in ("coefficients", "intercept", "threshold", "vocabulary")}
    return hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()[:16]


@register_cv("hedging")
def _cv(files: Sequence[Path], folds: int = 5, **options: Any) -> dict[str, Any]:
    return cross_validate(files, folds=folds, **options)


@register_trainer("hedging", description="sentence uncertainty: logistic regression on hedging cues and words",
                  default_output="framing/models/hedging.json")
def train_hedging(files: Sequence[Path], text_col: str = "text", label_col: str = "label", cv: int = 5,
                  **params: Any) -> dict[str, Any]:
    """Fit the sentence-uncertainty model on labelled sentence files (label 1 = uncertain).

    The word vocabulary (uni- and bigrams in at least two files, at most
    ``max_words`` chosen by an L1 fit) and the coefficients are fitted on all
    rows; the one decision threshold maximises the mean F1 over the files on
    5-fold grouped out-of-fold predictions. With ``cv`` > 1 the whole
    procedure is also cross-validated (grouped by document) and the figures
    are stored in the model under ``training.cross_validation``.
    """
    from .. import __version__
    from . import file_provenance

    p = {**TRAIN_DEFAULTS, **params}
    paths = [Path(f) for f in files]
    lexicon = load_lexicon("hedging")
    data = _read_labelled(paths, text_col, label_col, PhraseMatcher(lexicon.entries))
    rows = list(range(len(data.labels)))
    model = _fit_with_threshold(data, rows, p)
    model["name"] = "hedging"
    model["version"] = HedgingExtractor.version
    model["fingerprint"] = _fingerprint(model)
    training: dict[str, Any] = {
        "files": [file_provenance(f) for f in paths], "rows": len(rows), "positives": sum(data.labels),
        "params": p, "lexicon": lexicon.provenance(), "framing_version": __version__,
        "in_sample": {f.name: _metrics([data.labels[r] for r in rows if data.files[r] == i],
                                       _predict(model, data, [r for r in rows if data.files[r] == i]),
                                       model["threshold"]) for i, f in enumerate(paths)},
        "command": "framing train hedging " + " ".join(str(f) for f in files) + " -o framing/models/hedging.json",
    }
    if cv and cv > 1:
        training["cross_validation"] = cross_validate(paths, folds=cv, text_col=text_col, label_col=label_col,
                                                      **params)
    model["training"] = training
    return model

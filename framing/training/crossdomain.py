"""Cross-domain figures: train on some labelled files, score another, closer to what users see on their own text.

``framing train hedging FILE... --cross-domain`` trains the sentence-uncertainty model on every file but one and
scores the one left out (F1 at the model's threshold, ROC AUC), for each file in turn;
``framing train promotional FILE... --cross-domain`` does the same for the promotional score (ROC AUC). Nothing is
tuned on the scored file: the whole training procedure (vocabulary, coefficients, threshold, grid) sees only the
others. No model is written.
"""
from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["cross_domain", "CROSS_DOMAIN"]


def _labelled(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[int]]:
    from ..evaluate import read_eval_file

    df = read_eval_file(path)
    return df[text_col].astype(str).tolist(), [int(float(v)) for v in df[label_col]]


def _with_model(model: dict[str, Any], score: Callable[[str], Any]) -> Any:
    """Write ``model`` to a temporary JSON file and call ``score(path)``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.json"
        path.write_text(json.dumps(model), encoding="utf-8")
        return score(str(path))


def _hedging(train: Sequence[Path], test: Path, text_col: str, label_col: str) -> dict[str, float]:
    from ..evaluate import binary_metrics
    from ..extractors.hedging import HedgingExtractor
    from .hedging import train_hedging

    model = train_hedging(list(train), text_col=text_col, label_col=label_col, cv=0)
    texts, labels = _labelled(test, text_col, label_col)

    def score(path: str) -> dict[str, float]:
        ex = HedgingExtractor(model=path)
        probs = ex.text_probabilities(texts)
        return binary_metrics(labels, probs, [int(p >= ex.threshold) for p in probs])

    return _with_model(model, score)


def _promotional(train: Sequence[Path], test: Path, text_col: str, label_col: str) -> dict[str, float]:
    from ..evaluate import binary_metrics
    from ..extractors.promotional import PromotionalExtractor
    from ..ingest import make_document
    from .promotional import train_promotional

    model = train_promotional(list(train), text_col=text_col, label_col=label_col, nested=False)
    texts, labels = _labelled(test, text_col, label_col)

    def score(path: str) -> dict[str, float]:
        ex = PromotionalExtractor(model=path)
        threshold = ex._state().model["threshold"]
        scores = [ex.score(make_document(f"row-{i}", t)).features["promo_score"] for i, t in enumerate(texts)]
        return binary_metrics(labels, scores, [int(s >= threshold) for s in scores])

    return _with_model(model, score)


#: model name -> ``fn(train_files, test_file, text_col, label_col) -> metrics``
CROSS_DOMAIN: dict[str, Callable[..., dict[str, float]]] = {"hedging": _hedging, "promotional": _promotional}


def cross_domain(name: str, files: Sequence[str | Path], *, text_col: str = "text",
                 label_col: str = "label") -> dict[str, Any]:
    """For each file, train ``name`` on the other files and score it; returns ``{file: metrics}``.

    Parameters
    ----------
    name : str
        ``hedging`` or ``promotional``.
    files : sequence of paths
        At least two labelled files (the dev sets of ``framing evaluate``).
    """
    if name not in CROSS_DOMAIN:
        raise KeyError(f"no cross-domain figures for {name!r}; available: {', '.join(CROSS_DOMAIN)}")
    paths = [Path(f) for f in files]
    if len(paths) < 2:
        raise ValueError("cross-domain figures need at least two labelled files")
    out: dict[str, Any] = {}
    for test in paths:
        train = [p for p in paths if p != test]
        metrics = CROSS_DOMAIN[name](train, test, text_col, label_col)
        out[test.name] = {"trained_on": [p.name for p in train],
                          **{k: round(float(v), 4) for k, v in metrics.items()}}
    return {"model": name, "scheme": "train on the other files, score this one", "files": out}

"""The evaluation tasks of ``framing evaluate TASK FILE``, registered with :func:`framing.evaluate.register_task`.

Each task turns the texts of an evaluation file into documents, scores them
with an extractor and returns predictions; :mod:`framing.evaluate` reads the
file, checks its labels and computes the metrics. The extractors know nothing
of evaluation: this module is the only place that ties them to it.

========================  ==========  ===============================================================
task                      kind        prediction
========================  ==========  ===============================================================
``hedging``               binary      P(uncertain) of each text as one unit, decision at the model's threshold
``promotional``           binary      ``promo_score`` of each text as a document, decision at the threshold
``readability``           regression  consensus grade (textstat counting)
``source-type``           multiclass  the type with the highest probability, each text on its own (equal priors)
``weasel-attribution``    binary      number of vague attributions, decision = at least one
========================  ==========  ===============================================================

The functions are declared here with :func:`task` and registered with
:func:`framing.evaluate.register_task` by :func:`framing.evaluate._ensure_tasks`
on the first evaluation (so this module does not import :mod:`framing.evaluate`,
which imports it: no import cycle). Tasks of your own are registered with
:func:`framing.evaluate.register_task` directly.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .extractors.credibility import CredibilityExtractor
from .extractors.hedging import _default_extractor
from .extractors.promotional import PromotionalExtractor
from .extractors.readability import ReadabilityExtractor
from .extractors.source_type import CLASSES, NAN, SourceTypeExtractor

__all__ = ["BUILTIN_TASKS", "TaskSpec", "predict_grades", "predict_hedging", "predict_promotional",
           "predict_source_type", "predict_weasel", "task"]


@dataclass(frozen=True)
class TaskSpec:
    """A built-in task: the arguments of :func:`framing.evaluate.register_task` and the prediction function."""

    name: str
    kind: str
    predict: Callable[..., Any]
    options: dict[str, Any] = field(default_factory=dict)


#: the built-in tasks, in declaration order
BUILTIN_TASKS: list[TaskSpec] = []


def task(name: str, kind: str, **options: Any) -> Callable:
    """Declare ``predict(texts)`` as built-in task ``name`` (options as for :func:`framing.evaluate.register_task`)."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        BUILTIN_TASKS.append(TaskSpec(name, kind, fn, options))
        return fn

    return deco


def _sentence_documents(texts: Sequence[str]) -> list[Document]:
    """Each text as a document of its own (no cleaning beyond what ``make_document`` does)."""
    from .ingest import make_document

    return [make_document(f"row-{i}", str(t)) for i, t in enumerate(texts)]


def _as_document(text: str) -> Document:
    """A document cleaned exactly as the loaders clean files (boilerplate kept apart), without metadata."""
    from .ingest import finish_document, make_document

    return finish_document(make_document("t", text))


@task("hedging", "binary", description="sentence uncertainty (label 1 = uncertain): P(uncertain) from the "
      "hedging model, decision = probability >= the model's threshold")
def predict_hedging(texts: Sequence[str]) -> tuple[list[float], list[int]]:
    ex = _default_extractor()
    probs = ex.text_probabilities(texts)
    return probs, [int(p >= ex.threshold) for p in probs]


@task("promotional", "binary",
      description="sentence-as-document promotional score (promo_score); decision = score >= the "
                  "model's threshold; label 1 = biased/promotional")
def predict_promotional(texts: Sequence[str]) -> tuple[list[float], list[int]]:
    """Score each text as a document; returns (promo_score, decision at the model's threshold)."""
    ex = PromotionalExtractor()
    threshold = ex._state().model["threshold"]
    scores = [ex.score(doc).features["promo_score"] for doc in _sentence_documents(texts)]
    return scores, [int(s >= threshold) for s in scores]


@task("readability", "regression", higher_is_higher=True,
      description="consensus grade (mean of six grade formulas, textstat counting); higher = harder")
def predict_grades(texts: Sequence[str]) -> list[float]:
    """Consensus grade for each text (NaN for empty or non-English texts)."""
    from .pipeline import as_documents

    docs, _ = as_documents(list(texts))
    extractor = ReadabilityExtractor(n_evidence=0)
    return [extractor.score(doc).features["readability_consensus_grade"] for doc in docs]


@task("source-type", "multiclass", labels=CLASSES,
      description="source type of a document (official / news / commentary / promotional)")
def predict_source_type(texts: Sequence[str]) -> tuple[list[str], Any]:
    """The most probable type of each text, scored on its own (equal priors, as ``framing score`` does by
    default: a document's type does not depend on the file around it), and the probabilities."""
    import pandas as pd

    docs = [_as_document(t) for t in texts]
    ex = SourceTypeExtractor(prior="uniform")
    nan_row = dict.fromkeys(CLASSES, NAN)
    probs = [nan_row if doc.na_reason else ex.predict_proba(doc)[0] for doc in docs]
    frame = pd.DataFrame(probs, columns=list(CLASSES))
    # a document the tool declines to score (e.g. non-English) gets no type: it counts as an error
    labels = ["unscored" if doc.na_reason else label for doc, label in zip(docs, frame.fillna(-1).idxmax(axis=1))]
    return labels, frame


@task("weasel-attribution", "binary",
      description="vague attribution (label 1 = weasel/uncertain sentence, e.g. WikiWeasel): score = vague "
                  "attributions in the text, decision = at least one")
def predict_weasel(texts: Sequence[str]) -> tuple[list[float], list[int]]:
    from .ingest import make_document

    ex = CredibilityExtractor()
    counts = [ex.score(make_document(f"row{i}", t)).features["credibility_vague_attributions_count"]
              for i, t in enumerate(texts)]
    counts = [0.0 if math.isnan(c) else c for c in counts]  # NaN (empty / non-English row): no cue
    return counts, [int(c > 0) for c in counts]

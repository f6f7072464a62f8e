"""Validation against human labels: ``framing evaluate TASK FILE``.

A task is registered with :func:`register_task`; the built-in tasks
(``hedging``, ``promotional``, ``readability``, ``source-type``,
``weasel-attribution``) are declared in :mod:`framing.tasks` and registered
on first use by :func:`_ensure_tasks`, never by the extractors. The task's
function receives the texts and returns predictions; this module reads the
file, checks its columns and labels, and computes the metrics:

* ``binary`` tasks return a score per text (higher = more likely label 1) and
  a 0/1 decision: ``precision``, ``recall``, ``f1``, ``roc_auc``;
* ``regression`` tasks return a number per text (e.g. a grade):
  ``spearman``, ``pearson`` and, with a group column, ``pairwise_accuracy``;
* ``multiclass`` tasks return a label per text: ``accuracy``, ``macro_f1``,
  per-class precision/recall/F1 and the confusion matrix.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

__all__ = ["Task", "register_task", "TASKS", "EvaluationError", "evaluate_file", "evaluate_frame",
           "binary_metrics", "regression_metrics", "multiclass_metrics", "pairwise_accuracy"]


class EvaluationError(ValueError):
    """The evaluation file cannot be used (missing column, bad labels…)."""


@dataclass(frozen=True)
class Task:
    name: str
    kind: str  # binary | regression | multiclass
    predict: Callable[[Sequence[str]], Any]
    description: str = ""
    #: for multiclass: the labels the task knows
    labels: tuple[str, ...] = ()
    #: for regression: True when a higher prediction should mean a *higher* label
    #: (e.g. grade vs level); metrics report the signed correlation either way
    higher_is_higher: bool = True


TASKS: dict[str, Task] = {}


def register_task(name: str, kind: str, *, description: str = "", labels: Sequence[str] = (),
                  higher_is_higher: bool = True) -> Callable:
    """Decorator registering ``predict(texts)`` as evaluation task ``name``.

    For binary tasks ``predict`` returns ``(scores, decisions)``; for
    regression a sequence of floats; for multiclass a sequence of labels
    (optionally ``(labels, probabilities DataFrame)``).
    """
    if kind not in ("binary", "regression", "multiclass"):
        raise ValueError(kind)

    def deco(fn: Callable) -> Callable:
        TASKS[name] = Task(name, kind, fn, description, tuple(labels), higher_is_higher)
        return fn

    return deco


_builtin_registered = False


def _ensure_tasks() -> None:
    """Register the built-in tasks declared in :mod:`framing.tasks` (once)."""
    global _builtin_registered
    if _builtin_registered:
        return
    from .tasks import BUILTIN_TASKS

    for spec in BUILTIN_TASKS:
        register_task(spec.name, spec.kind, **spec.options)(spec.predict)
    _builtin_registered = True


# ---------------------------------------------------------------------------
# metrics

def binary_metrics(y_true: Sequence[int], scores: Sequence[float], decisions: Sequence[int]) -> dict[str, float]:
    from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

    y = np.asarray(y_true, dtype=int)
    d = np.asarray(decisions, dtype=int)
    s = np.nan_to_num(np.asarray(scores, dtype=float), nan=0.0)
    p, r, f, _ = precision_recall_fscore_support(y, d, average="binary", zero_division=0)
    auc = float(roc_auc_score(y, s)) if len(set(y)) == 2 else float("nan")
    return {"precision": float(p), "recall": float(r), "f1": float(f), "roc_auc": auc,
            "n": int(len(y)), "n_positive": int(y.sum())}


def pairwise_accuracy(labels: Sequence[float], preds: Sequence[float], groups: Sequence[Any]) -> float:
    """Share of same-group pairs with different labels that ``preds`` orders like ``labels`` (ties count half)."""
    df = pd.DataFrame({"y": labels, "p": preds, "g": groups})
    right = total = 0.0
    for _, g in df.groupby("g"):
        ys, ps = g["y"].to_numpy(float), g["p"].to_numpy(float)
        for i in range(len(ys)):
            for j in range(i + 1, len(ys)):
                if ys[i] == ys[j]:
                    continue
                total += 1
                dy, dp = ys[i] - ys[j], ps[i] - ps[j]
                right += 0.5 if dp == 0 else float((dy > 0) == (dp > 0))
    return right / total if total else float("nan")


def regression_metrics(y_true: Sequence[float], preds: Sequence[float],
                       groups: Sequence[Any] | None = None) -> dict[str, float]:
    from scipy.stats import pearsonr, spearmanr

    y = np.asarray(y_true, dtype=float)
    p = np.asarray(preds, dtype=float)
    ok = ~np.isnan(p)
    if ok.sum() < 2:
        raise ValueError(f"a correlation needs at least 2 scored rows; {int(ok.sum())} of {len(y)} could be scored")
    if np.ptp(y[ok]) == 0 or np.ptp(p[ok]) == 0:  # constant labels or scores: no correlation is defined
        spearman = pearson = float("nan")
    else:
        spearman, pearson = float(spearmanr(y[ok], p[ok]).statistic), float(pearsonr(y[ok], p[ok])[0])
    out = {"spearman": spearman, "pearson": pearson, "n": int(len(y)), "n_scored": int(ok.sum())}
    if groups is not None:
        g = np.asarray(groups, dtype=object)
        out["pairwise_accuracy"] = pairwise_accuracy(y[ok], p[ok], g[ok])
    return out


def multiclass_metrics(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy and macro-F1 over the classes present in ``y_true`` (other predictions are errors)."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    y = [str(v) for v in y_true]
    p = [str(v) for v in y_pred]
    present = sorted(set(y))
    p_, r_, f_, s_ = precision_recall_fscore_support(y, p, labels=present, zero_division=0)
    all_labels = sorted(set(y) | set(p))
    cm = confusion_matrix(y, p, labels=all_labels)
    return {
        "accuracy": float(np.mean([a == b for a, b in zip(y, p)])),
        "macro_f1": float(np.mean(f_)),
        "per_class": {c: {"precision": float(p_[i]), "recall": float(r_[i]), "f1": float(f_[i]),
                          "support": int(s_[i])} for i, c in enumerate(present)},
        "confusion_matrix": {"labels": all_labels, "matrix": cm.tolist()},
        "n": len(y),
    }


# ---------------------------------------------------------------------------
# running

def read_eval_file(path: str | Path) -> pd.DataFrame:
    p = Path(path)
    if not p.exists():
        raise EvaluationError(f"{p}: no such file")
    try:
        if p.suffix.lower() == ".jsonl":
            return pd.read_json(p, lines=True, dtype=False)
        return pd.read_csv(p, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{p}: cannot parse ({exc})") from None


def evaluate_frame(task_name: str, df: pd.DataFrame, *, text_col: str = "text", label_col: str = "label",
                   group_col: str | None = None, source: str = "<frame>") -> dict[str, Any]:
    """Score ``df[text_col]`` with the task and compare with ``df[label_col]``."""
    _ensure_tasks()
    if task_name not in TASKS:
        raise EvaluationError(f"unknown task {task_name!r}; tasks: {', '.join(sorted(TASKS))}")
    task = TASKS[task_name]
    for col in [text_col, label_col] + ([group_col] if group_col else []):
        if col not in df.columns:
            raise EvaluationError(f"{source}: no column '{col}' (columns: {', '.join(map(str, df.columns))})")
    if df.empty:
        raise EvaluationError(f"{source}: no rows")
    texts = df[text_col].astype(str).tolist()
    raw = df[label_col]
    result: dict[str, Any] = {"task": task_name, "file": source, "n": len(df)}
    if task.kind == "binary":
        try:
            y = [int(float(v)) for v in raw]
        except ValueError:
            raise EvaluationError(f"{source}: labels in '{label_col}' must be 0 or 1") from None
        if set(y) - {0, 1}:
            raise EvaluationError(f"{source}: labels in '{label_col}' must be 0 or 1, found {sorted(set(y) - {0, 1})}")
        scores, decisions = task.predict(texts)
        result["metrics"] = binary_metrics(y, scores, decisions)
    elif task.kind == "regression":
        try:
            y_f = [float(v) for v in raw]
        except ValueError:
            raise EvaluationError(f"{source}: labels in '{label_col}' must be numbers") from None
        if any(math.isnan(v) for v in y_f):
            raise EvaluationError(f"{source}: empty labels in '{label_col}'")
        preds = task.predict(texts)
        groups = df[group_col].tolist() if group_col else None
        try:
            result["metrics"] = regression_metrics(y_f, preds, groups)
        except ValueError as exc:
            raise EvaluationError(f"{source}: {exc}") from None
    else:
        y_s = [str(v).strip().lower() for v in raw]
        bad = sorted(set(y_s) - set(task.labels)) if task.labels else []
        if bad:
            raise EvaluationError(f"{source}: labels {bad} are not among {list(task.labels)}")
        out = task.predict(texts)
        preds = out[0] if isinstance(out, tuple) else out
        result["metrics"] = multiclass_metrics(y_s, preds)
    return result


def evaluate_file(task_name: str, path: str | Path, **kwargs: Any) -> dict[str, Any]:
    """Read ``path`` (CSV or JSON Lines) and run :func:`evaluate_frame`."""
    df = read_eval_file(path)
    return evaluate_frame(task_name, df, source=str(path), **kwargs)


def format_result(result: dict[str, Any]) -> str:
    """Human-readable summary of :func:`evaluate_file`'s result."""
    lines = [f"task {result['task']} on {result['file']} ({result['n']} rows)"]
    m = result["metrics"]
    for k, v in m.items():
        if k == "per_class":
            lines.append("per class:")
            for c, d in v.items():
                lines.append(f"  {c:<12} precision {d['precision']:.3f}  recall {d['recall']:.3f}  "
                             f"f1 {d['f1']:.3f}  support {d['support']}")
        elif k == "confusion_matrix":
            labels = v["labels"]
            lines.append("confusion matrix (rows = true, columns = predicted):")
            lines.append("  " + " " * 12 + "".join(f"{lab[:10]:>11}" for lab in labels))
            for lab, row in zip(labels, v["matrix"]):
                lines.append(f"  {lab[:12]:<12}" + "".join(f"{x:>11}" for x in row))
        elif isinstance(v, float):
            lines.append(f"{k:<18} {v:.4f}")
        else:
            lines.append(f"{k:<18} {v}")
    return "\n".join(lines)

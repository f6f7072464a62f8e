"""Reproducible training of the shipped models: ``framing train MODEL FILE... [-o OUT.json] [--cv K]``.

One module per model (:mod:`.hedging`, :mod:`.promotional`,
:mod:`.source_type`) holds its training rows, fitting, cross-validation and
hyper-parameter grid, and registers two functions:

* a trainer (:func:`register_trainer`), which receives the labelled files
  (CSV/JSONL paths) and options and returns a JSON-serialisable dict
  (coefficients, vocabulary of cue features, training provenance: file
  hashes, row counts, cross-validated scores);
* a cross-validation (:func:`register_cv`), which receives the same files and
  returns the cross-validated figures as a JSON-serialisable dict, without
  writing a model.

Models ship as these small JSON files in ``framing/models/``, never as copied
training text. The training modules import the extractors (for the features
they score with); the extractors never import this package.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ..model_files import load_model

__all__ = ["register_trainer", "register_cv", "TRAINERS", "CROSS_VALIDATORS", "MODULES", "train", "cross_validate",
           "check_labelled", "trainable", "file_provenance", "load_model"]

#: the training modules, imported on first use of :func:`train` / :func:`cross_validate`
MODULES = ("hedging", "promotional", "source_type")


@dataclass(frozen=True)
class Trainer:
    name: str
    fn: Callable[..., dict[str, Any]]
    description: str
    default_output: str


TRAINERS: dict[str, Trainer] = {}
#: model name -> ``fn(files: list[Path], folds: int, **options) -> dict`` (cross-validated figures)
CROSS_VALIDATORS: dict[str, Callable[..., dict[str, Any]]] = {}


def register_trainer(name: str, *, description: str = "", default_output: str = "") -> Callable:
    """Decorator registering ``fn(files: list[Path], **options) -> dict`` as trainer ``name``."""

    def deco(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        TRAINERS[name] = Trainer(name, fn, description, default_output or f"{name}.json")
        return fn

    return deco


def register_cv(name: str) -> Callable:
    """Decorator registering ``fn(files: list[Path], folds: int, **options) -> dict`` as model ``name``'s CV."""

    def deco(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        CROSS_VALIDATORS[name] = fn
        return fn

    return deco


_loaded = False


def _load_trainers() -> None:
    """Import every training module once (each registers its trainer and cross-validation)."""
    global _loaded
    if _loaded:
        return
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")
    _loaded = True


def trainable() -> list[str]:
    """Names of the models :func:`train` and :func:`cross_validate` know."""
    _load_trainers()
    return sorted(TRAINERS)


def file_provenance(path: str | Path) -> dict[str, Any]:
    """Name, size and SHA-256 of a training file (recorded in the model, not its text)."""
    p = Path(path)
    data = p.read_bytes()
    return {"file": p.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def check_labelled(files: Sequence[str | Path], folds: int = 2, text_col: str = "text",
                   label_col: str = "label") -> None:
    """Raise ValueError, naming the files, when they cannot train a classifier: a missing column, fewer than two
    labels, or a label with fewer rows than ``folds`` (scikit-learn's own messages name neither file nor label).
    Files of other kinds (a source-type file's own columns) are left to the trainer."""
    from ..evaluate import read_eval_file

    counts: dict[str, int] = {}
    for f in files:
        table = read_eval_file(f)
        if text_col not in table.columns or label_col not in table.columns:
            continue  # the trainer knows its files' other layouts and says what is missing
        for label, n in table.loc[table[text_col].astype(str).str.strip().ne(""), label_col].astype(str) \
                .value_counts().items():
            counts[label] = counts.get(label, 0) + int(n)
    if not counts:
        return
    named = ", ".join(str(f) for f in files)
    if len(counts) < 2:
        raise ValueError(f"{named}: every row has the label {next(iter(counts))!r}; a classifier needs two labels")
    thin = {label: n for label, n in counts.items() if n < folds}
    if thin:
        shown = ", ".join(f"{label!r} ({n})" for label, n in sorted(thin.items()))
        raise ValueError(f"{named}: too few rows of label {shown}; each label needs at least {folds}")


def train(name: str, files: Sequence[str | Path], output: str | Path | None = None, **options: Any) -> Path:
    """Train model ``name`` on ``files`` and write it as JSON; returns the path written."""
    _load_trainers()
    if name not in TRAINERS:
        raise KeyError(f"unknown model {name!r}; trainable: {', '.join(sorted(TRAINERS))}")
    trainer = TRAINERS[name]
    with _files_named(files, 2, options):
        model = trainer.fn([Path(f) for f in files], **options)
    out = Path(output) if output else Path(trainer.default_output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


def cross_validate(name: str, files: Sequence[str | Path], folds: int = 5, **options: Any) -> dict[str, Any]:
    """Cross-validate model ``name``'s whole training procedure on ``files`` (``folds`` folds); no model is written.

    Returns the model's cross-validated figures as a JSON-serialisable dict:
    per-file precision/recall/F1/ROC AUC over grouped folds for ``hedging``,
    nested-CV ROC AUC per file for ``promotional``, per-file macro-F1 under
    source-grouped folds (corpus and equal priors) for ``source-type``.
    """
    _load_trainers()
    if name not in CROSS_VALIDATORS:
        raise KeyError(f"unknown model {name!r}; cross-validated: {', '.join(sorted(CROSS_VALIDATORS))}")
    with _files_named(files, folds, options):
        return CROSS_VALIDATORS[name]([Path(f) for f in files], folds, **options)


@contextlib.contextmanager
def _files_named(files: Sequence[str | Path], folds: int, options: dict[str, Any]) -> Iterator[None]:
    """A ValueError of the training that names no file (scikit-learn's, on files that cannot train a classifier)
    is replaced by :func:`check_labelled`'s, which names the files and the labels; the trainers' own messages,
    which name their file, pass as they are."""
    try:
        yield
    except ValueError as exc:
        if any(str(f) in str(exc) for f in files):
            raise
        check_labelled(files, folds, options.get("text_col", "text"), options.get("label_col", "label"))
        raise ValueError(f"{', '.join(str(f) for f in files)}: {exc}") from exc

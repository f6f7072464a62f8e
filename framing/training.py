"""Reproducible training of the shipped models: ``framing train MODEL FILE... -o OUT.json``.

A model is trained by a function registered with :func:`register_trainer`;
it receives the labelled files (CSV/JSONL paths) and options, and returns a
JSON-serialisable dict (coefficients, vocabulary of cue features, training
provenance: file hashes, row counts, cross-validated scores). Models ship as
these small JSON files in ``framing/models/``, never as copied training text.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

__all__ = ["register_trainer", "TRAINERS", "train", "file_provenance", "load_model"]


@dataclass(frozen=True)
class Trainer:
    name: str
    fn: Callable[..., dict[str, Any]]
    description: str
    default_output: str


TRAINERS: dict[str, Trainer] = {}


def register_trainer(name: str, *, description: str = "", default_output: str = "") -> Callable:
    """Decorator registering ``fn(files: list[Path], **options) -> dict`` as trainer ``name``."""

    def deco(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        TRAINERS[name] = Trainer(name, fn, description, default_output or f"{name}.json")
        return fn

    return deco


def file_provenance(path: str | Path) -> dict[str, Any]:
    """Name, size and SHA-256 of a training file (recorded in the model, not its text)."""
    p = Path(path)
    data = p.read_bytes()
    return {"file": p.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def train(name: str, files: Sequence[str | Path], output: str | Path | None = None, **options: Any) -> Path:
    """Train model ``name`` on ``files`` and write it as JSON; returns the path written."""
    from .extractors import load_builtin

    load_builtin()  # extractor modules register their trainers

    if name not in TRAINERS:
        raise KeyError(f"unknown model {name!r}; trainable: {', '.join(sorted(TRAINERS))}")
    trainer = TRAINERS[name]
    model = trainer.fn([Path(f) for f in files], **options)
    out = Path(output) if output else Path(trainer.default_output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


def load_model(name_or_path: str | Path) -> dict[str, Any]:
    """Load a packaged model by name (``framing/models/NAME.json``) or a user's model file by path."""
    from importlib import resources

    p = Path(name_or_path)
    if p.suffix == ".json" and p.exists():
        return json.loads(p.read_text(encoding="utf-8"))
    ref = resources.files("framing") / "models" / f"{name_or_path}.json"
    return json.loads(ref.read_text(encoding="utf-8"))

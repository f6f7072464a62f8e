"""The shipped models' JSON files: :func:`load_model`.

Scoring code (the extractors) reads models through this module; fitting them
is :mod:`framing.training`'s job, which scoring code never imports.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["load_model"]


def load_model(name_or_path: str | Path) -> dict[str, Any]:
    """Load a packaged model by name (``framing/models/NAME.json``) or a user's model file by path."""
    from importlib import resources

    p = Path(name_or_path)
    if p.suffix == ".json" and p.exists():
        return json.loads(p.read_text(encoding="utf-8"))
    ref = resources.files("framing") / "models" / f"{name_or_path}.json"
    return json.loads(ref.read_text(encoding="utf-8"))

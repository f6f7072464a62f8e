"""Feature extractors, one module each, registered by name.

Every module in this package (other than :mod:`.base`) is imported on first
use of the registry (not when ``framing`` is imported, which stays fast), so
adding an extractor is adding one module that
decorates its class with :func:`~framing.extractors.base.register`.
Pipeline (and column) order follows :data:`PIPELINE_ORDER`, then any other
registered extractor in module-name order.
"""
from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, Evidence, Extractor, Result, available_extractors, get_extractor, register

__all__ = ["Evidence", "Extractor", "Result", "register", "get_extractor", "available_extractors", "REGISTRY",
           "PIPELINE_ORDER", "load_builtin"]

#: preferred order of the built-in extractors (columns appear in this order)
PIPELINE_ORDER = ("source_type", "hedging", "promotional", "readability", "credibility", "framing")


_loaded = False


def load_builtin() -> None:
    """Import every extractor module once, registering its extractor, tasks and trainers."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name != "base" and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    ordered = {n: REGISTRY[n] for n in PIPELINE_ORDER if n in REGISTRY}
    ordered.update({n: c for n, c in REGISTRY.items() if n not in ordered})
    REGISTRY.clear()
    REGISTRY.update(ordered)


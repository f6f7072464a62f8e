"""framing — credibility and framing signals for official and commentary texts, with evidence.

Quick start::

    import framing
    docs = framing.load("seeds/")                 # a Corpus of Documents (.problems: what could not be read)
    scores = framing.score(docs)                  # pandas DataFrame, one row per document, fixed dtypes
    evidence = framing.explain(docs[0])           # every cue that fired, with its sentence and offsets
    tables = framing.compare(scores, by="role")   # the comparison tables (a Comparison)
    framing.report("seeds/", "reports/")          # the report, as ``framing report`` writes it

Importing ``framing`` is cheap: the library functions import pandas, scikit-learn and the
extractors on first use (so ``framing --help`` stays fast).
"""
from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover - what the lazy names below resolve to, for type checkers
    from .api import compare, empty_scores, explain, load, report, score, score_columns
    from .distributed import score_frame
    from .document import BoilerplateBlock, Document
    from .extractors import available_extractors, get_extractor, register
    from .ingest import Corpus, LoadProblem
    from .pipeline import Analysis, analyze
    from .transformers import FramingFeatures

#: public name -> module defining it (imported on first access)
_LAZY = {
    "load": "api", "score": "api", "score_columns": "api", "empty_scores": "api", "explain": "api",
    "report": "api", "compare": "api",
    "analyze": "pipeline", "Analysis": "pipeline",
    "Document": "document", "BoilerplateBlock": "document",
    "Corpus": "ingest", "LoadProblem": "ingest",
    "available_extractors": "extractors", "get_extractor": "extractors", "register": "extractors",
    "FramingFeatures": "transformers",
    "score_frame": "distributed",
}

__all__ = ["Analysis", "BoilerplateBlock", "Corpus", "Document", "FramingFeatures", "LoadProblem", "__version__",
           "analyze", "available_extractors", "compare", "empty_scores", "explain", "get_extractor", "load",
           "register", "report", "score", "score_columns", "score_frame"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'framing' has no attribute {name!r}")
    if name == "compare":  # the submodule framing.compare doubles as the function (see _FramingPackage)
        return import_module(".compare", __name__)
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _CallableCompareModule(types.ModuleType):
    """``framing.compare`` is both a submodule (the comparison machinery) and the library function.

    Importing a submodule sets it as an attribute of its package, which would hide a function of the same
    name; so the module itself is made callable: ``framing.compare(scores, by="outlet")`` calls
    :func:`framing.api.compare`, and ``from framing.compare import Comparison`` still works.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from .api import compare

        return compare(*args, **kwargs)


class _FramingPackage(types.ModuleType):
    """The package's module type: makes the ``framing.compare`` submodule callable as soon as it is imported."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "compare" and type(value) is types.ModuleType:
            value.__class__ = _CallableCompareModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _FramingPackage

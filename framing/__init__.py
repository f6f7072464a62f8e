"""framing — credibility and framing signals for official and commentary texts, with evidence.

Quick start::

    import framing
    docs = framing.load("seeds/")
    table = framing.score(docs)          # pandas DataFrame, one row per document
    result = framing.analyze(docs)       # .features, .evidence, .run
"""
from __future__ import annotations

__version__ = "0.1.0"

from .document import Document, BoilerplateBlock  # noqa: E402
from .ingest import Corpus, LoadProblem, load  # noqa: E402
from .pipeline import Analysis, analyze, score  # noqa: E402
from .extractors import available_extractors, get_extractor, register  # noqa: E402

__all__ = ["__version__", "Document", "BoilerplateBlock", "Corpus", "LoadProblem", "load", "score", "analyze",
           "Analysis", "FramingFeatures", "available_extractors", "get_extractor", "register", "report"]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # FramingFeatures needs scikit-learn: import it only when asked for
    if name == "FramingFeatures":
        from .transformers import FramingFeatures

        return FramingFeatures
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def report(paths=None, out_dir="reports", **options):  # type: ignore[no-untyped-def]
    """Write the comparison report (HTML, Markdown, CSV, JSON) for ``paths`` (default ``seeds/``) into ``out_dir``.

    Returns the list of paths written. See :func:`framing.reporting.build_report` for the options.
    """
    from .reporting import build_report

    return build_report(paths, out_dir, **options)

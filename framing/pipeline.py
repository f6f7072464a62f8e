"""Run the extractors over a corpus: one row of features per document, plus the evidence.

The library's entry points:

* :func:`analyze` — documents in, an :class:`Analysis` out (features table,
  evidence table, the documents, and a run record);
* :func:`score` — just the features table (a pandas DataFrame keeping the
  input's index);
* :class:`framing.transformers.FramingFeatures` — the same features as a
  scikit-learn transformer (its own module, so ``import framing`` does not
  import scikit-learn).
"""
from __future__ import annotations

import hashlib
import math
import platform
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from . import __version__
from .document import BOILERPLATE_CATEGORIES, Document
from .extractors.base import Extractor, resolve_extractors
from .ingest import make_document
from .segment import MAX_SENTENCE_CHARS

__all__ = ["Analysis", "analyze", "score", "as_documents", "BASE_COLUMNS"]

BASE_COLUMNS = (
    "id", "path", "title", "role", "outlet", "date", "language", "encoding",
    "n_words", "n_sentences", "n_paragraphs",
    *(f"boilerplate_{c}" for c in BOILERPLATE_CATEGORIES),
    "na_reason",
)
EVIDENCE_COLUMNS = ("doc_id", "extractor", "category", "cue", "text", "start", "end", "sentence", "voice",
                    "weight", "note", "sentence_text")

#: Evidence rows carry their whole sentence when it is at most this long (segmentation caps sentences at
#: this length, except a chunk made of one giant token); a longer sentence gives a window around the cue.
SENTENCE_TEXT_MAX = MAX_SENTENCE_CHARS
#: Width of that window (characters of context around the cue, cut at word boundaries, marked with '…').
CONTEXT_WINDOW = 300
ELLIPSIS = "…"


@dataclass
class Analysis:
    """Everything one run produced.

    Attributes
    ----------
    documents : list of Document
    features : pandas.DataFrame
        One row per document: base columns, then each extractor's columns.
    evidence : pandas.DataFrame
        One row per cue that fired (see :data:`EVIDENCE_COLUMNS`).
    run : dict
        Versions, extractors and their resources (lexicon hashes, models).
    extras : dict
        Per-extractor, per-document structured output that is not a column
        (e.g. class probabilities' cue lists), ``extras[name][doc_id]``.
    """

    documents: list[Document]
    features: pd.DataFrame
    evidence: pd.DataFrame
    run: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, dict[str, Any]] = field(default_factory=dict)


def as_documents(data: Any) -> tuple[list[Document], pd.Index | None]:
    """Accept documents, strings, a pandas Series of texts or a DataFrame with a ``text`` column."""
    if isinstance(data, pd.DataFrame):
        if "text" not in data.columns:
            raise ValueError("DataFrame input needs a 'text' column")
        docs = []
        for i, (idx, row) in enumerate(data.iterrows()):
            meta = {k: str(v) for k, v in row.items() if k != "text" and isinstance(v, str) and v}
            doc_id = meta.pop("id", "") or str(idx)
            docs.append(make_document(doc_id, str(row["text"]), meta, path=f"<DataFrame row {i}>"))
        return _finish(docs), data.index
    if isinstance(data, pd.Series):
        docs = [make_document(str(idx), "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v),
                              path=f"<Series {idx}>") for idx, v in data.items()]
        return _finish(docs), data.index
    if isinstance(data, (str, Document)):
        data = [data]
    docs = []
    for i, item in enumerate(data):
        if isinstance(item, Document):
            docs.append(item)
        elif isinstance(item, str):
            docs.append(_finish([make_document(f"doc{i}", item, path=f"<text {i}>")])[0])
        else:
            raise TypeError(f"cannot score a {type(item).__name__}; give Documents, strings, a Series or DataFrame")
    return docs, None


def _finish(docs: list[Document]) -> list[Document]:
    """Apply the same cleaning the file loaders do (language, boilerplate) to in-memory texts."""
    from .ingest import finish_document

    return [finish_document(d) for d in docs]


def base_row(doc: Document) -> dict[str, Any]:
    seg = doc.segmentation
    row: dict[str, Any] = {
        "id": doc.id, "path": doc.path or "", "title": doc.title, "role": doc.role or "", "outlet": doc.outlet or "",
        "date": doc.date or "", "language": doc.language, "encoding": doc.encoding,
        "n_words": seg.n_words, "n_sentences": seg.n_sentences, "n_paragraphs": seg.n_paragraphs,
    }
    for cat, n in doc.boilerplate_counts().items():
        row[f"boilerplate_{cat}"] = n
    row["na_reason"] = doc.na_reason
    return row


def run_record(extractors: Sequence[Extractor]) -> dict[str, Any]:
    import sklearn
    import textstat

    return {
        "framing_version": __version__,
        "python": platform.python_version(),
        "packages": {"pandas": pd.__version__, "numpy": np.__version__, "scikit-learn": sklearn.__version__,
                     "textstat": getattr(textstat, "__version__", "unknown")},
        "extractors": [e.provenance() for e in extractors],
    }


def analyze(data: Any, extractors: Iterable[str | Extractor] | None = None, *, progress: bool = False,
            options: dict[str, dict[str, Any]] | None = None) -> Analysis:
    """Score every document with every extractor.

    Parameters
    ----------
    data : list of Document or str, pandas Series or DataFrame
        The corpus (see :func:`framing.load` for files).
    extractors : iterable of names or Extractor instances, optional
        Defaults to every registered extractor.
    progress : bool
        Show a progress bar on stderr.
    options : dict, optional
        Constructor keyword arguments per extractor name, e.g.
        ``{"hedging": {"lexicon": "my_hedges.tsv"}}`` to use your own lexicon.
    """
    docs, index = as_documents(data)
    exs = resolve_extractors(extractors, options)
    rows: list[dict[str, Any]] = []
    ev_rows: list[tuple] = []
    extras: dict[str, dict[str, Any]] = {e.name: {} for e in exs}
    for ex in exs:  # corpus-level steps (e.g. the source-type corpus prior) before any document is scored
        ex.fit(docs)
    iterator: Iterable[Document] = docs
    if progress:
        from tqdm import tqdm

        iterator = tqdm(docs, desc="scoring", unit="doc", leave=False)
    for doc in iterator:
        row = base_row(doc)
        contexts = _SentenceContexts(doc)
        for ex in exs:
            result = ex.score(doc)
            row.update(result.features)
            if result.extra:
                extras[ex.name][doc.id] = result.extra
            for ev in result.evidence:
                ev_rows.append((doc.id, ev.extractor, ev.category, ev.cue, ev.text, ev.start, ev.end, ev.sentence,
                                ev.voice, ev.weight, ev.note, contexts.get(ev)))
        rows.append(row)
    columns = list(BASE_COLUMNS) + [c for e in exs for c in e.columns]
    features = pd.DataFrame(rows, columns=columns)
    if index is not None:
        features.index = index
    evidence = pd.DataFrame(ev_rows, columns=list(EVIDENCE_COLUMNS))
    return Analysis(docs, features, evidence, run_record(exs), extras)


class _SentenceContexts:
    """The ``sentence_text`` of a document's evidence rows, bounded per cue and shared between cues.

    A sentence of at most :data:`SENTENCE_TEXT_MAX` characters is sliced
    once and the same string is referenced by every cue in it (never a copy
    per cue); a longer one gives each cue a window of about
    :data:`CONTEXT_WINDOW` characters (:func:`context_window`).
    """

    def __init__(self, doc: Document) -> None:
        self.body = doc.body
        self.sentences = doc.segmentation.sentences
        self.cache: dict[int, str] = {}

    def get(self, ev: Any) -> str:
        if not 0 <= ev.sentence < len(self.sentences):
            return ""
        s, e = self.sentences[ev.sentence]
        if e - s > SENTENCE_TEXT_MAX:
            return context_window(self.body, s, e, ev.start, ev.end)
        if ev.sentence not in self.cache:
            self.cache[ev.sentence] = self.body[s:e]
        return self.cache[ev.sentence]


def context_window(text: str, lo: int, hi: int, start: int, end: int, width: int = CONTEXT_WINDOW) -> str:
    """About ``width`` characters of ``text[lo:hi]`` around ``text[start:end]``, cut at word boundaries.

    A cut is marked with '…'; the cue itself is never cut (a cue longer than
    ``width`` is returned whole with its cut context marked).
    """
    start, end = max(lo, min(start, hi)), max(lo, min(end, hi))
    side = max(0, width - (end - start)) // 2
    a, b = max(lo, start - side), min(hi, end + side)
    if a > lo:
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < hi:
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    return (ELLIPSIS if a > lo else "") + text[a:b].strip() + (ELLIPSIS if b < hi else "")


def score(data: Any, extractors: Iterable[str | Extractor] | None = None, *, progress: bool = False,
          options: dict[str, dict[str, Any]] | None = None) -> pd.DataFrame:
    """One row per document: base columns and every extractor's features (see :func:`analyze`)."""
    return analyze(data, extractors, progress=progress, options=options).features


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

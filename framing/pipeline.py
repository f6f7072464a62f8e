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

import contextlib
import contextvars
import gc
import hashlib
import math
import platform
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from .document import BOILERPLATE_CATEGORIES, Document
from .extractors.base import Extractor, resolve_extractors
from .ingest import make_document
from .segment import MAX_SENTENCE_CHARS

__all__ = [
    "BASE_COLUMNS",
    "INFO_COLUMNS",
    "STRING_DTYPE",
    "Analysis",
    "analyze",
    "as_documents",
    "conform_scores",
    "score",
    "score_schema",
    "show_progress",
]

#: Columns that echo the input (its id, where it came from, its metadata) rather than measure it.
INFO_COLUMNS = ("id", "path", "title", "role", "outlet", "date")
#: Counts every document has (never NaN): int64 in every batch.
COUNT_COLUMNS = ("n_words", "n_sentences", "n_paragraphs", *(f"boilerplate_{c}" for c in BOILERPLATE_CATEGORIES))
BASE_COLUMNS = (*INFO_COLUMNS, "language", "encoding", *COUNT_COLUMNS, "na_reason")
#: The dtype of every text column of a scores table: pandas' own string dtype (NaN for missing), in every batch.
STRING_DTYPE = pd.StringDtype(na_value=np.nan) if "na_value" in pd.StringDtype.__init__.__code__.co_varnames \
    else pd.StringDtype()
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


def as_documents(data: Any, *, text_col: str = "text", id_col: str | None = None
                 ) -> tuple[list[Document], pd.Index | None]:
    """Documents from documents, strings, a pandas Series of texts or a DataFrame with a text column.

    Returns the documents and the index to give their rows (the Series' or DataFrame's; ``None`` otherwise).
    A DataFrame's string cells other than the text become metadata (``title``, ``outlet``, ``role``, ``date``
    and any column of your own); the id is ``id_col``'s value, else an ``id`` column, else the index label.
    """
    if isinstance(data, pd.DataFrame):
        return _frame_documents(data, text_col, id_col), data.index
    if isinstance(data, pd.Series):
        docs = [make_document(str(idx), _text(v), path=f"<Series {idx}>") for idx, v in data.items()]
        return _finish(docs), data.index
    if isinstance(data, (str, bytes, bytearray, Document)):
        data = [data]
    docs = []
    for i, item in enumerate(data):
        if isinstance(item, Document):
            docs.append(item)
        elif isinstance(item, str):
            docs.append(_finish([make_document(f"doc{i}", item, path=f"<text {i}>")])[0])
        elif isinstance(item, (bytes, bytearray)):
            raise TypeError("cannot score bytes; decode them first (e.g. data.decode('utf-8')) or load the file "
                            "with framing.load, which finds the encoding")
        else:
            raise TypeError(f"cannot score a {type(item).__name__}; give Documents, strings, a Series or DataFrame")
    return docs, None


def _text(value: Any) -> str:
    """A cell as text ('' for None, NaN, pandas' NA and NaT)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _frame_documents(frame: pd.DataFrame, text_col: str, id_col: str | None) -> list[Document]:
    if text_col not in frame.columns:
        raise ValueError(f"no text column {text_col!r} in the DataFrame (columns: "
                         f"{', '.join(map(str, frame.columns))[:200]}); name it with text_col=")
    if id_col is not None and id_col not in frame.columns:
        raise ValueError(f"no id column {id_col!r} in the DataFrame; name it with id_col=")
    docs = []
    for i, (idx, row) in enumerate(zip(frame.index, frame.itertuples(index=False, name=None))):
        cells = dict(zip(frame.columns, row))
        meta = {str(k): _text(v).strip() for k, v in cells.items() if k != text_col and _text(v).strip()}
        doc_id = meta.pop(id_col, "") if id_col else meta.pop("id", "")
        docs.append(make_document(doc_id or str(idx), _text(cells[text_col]), meta, path=f"<DataFrame row {i}>"))
    return _finish(docs)


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
    # versions from the installed metadata: importing scikit-learn or textstat (NLTK, SciPy) would cost seconds
    from importlib.metadata import PackageNotFoundError, version

    def _version(dist: str) -> str:
        try:
            return version(dist)
        except PackageNotFoundError:
            return "not installed"

    return {
        "framing_version": __version__,
        "python": platform.python_version(),
        "packages": {"pandas": pd.__version__, "numpy": np.__version__, "scikit-learn": _version("scikit-learn"),
                     "textstat": _version("textstat")},
        "extractors": [e.provenance() for e in extractors],
    }


_PROGRESS: contextvars.ContextVar[bool] = contextvars.ContextVar("framing_progress", default=False)


@contextlib.contextmanager
def show_progress(enabled: bool = True) -> Iterator[None]:
    """Within the block, :func:`analyze` calls that do not say otherwise show a progress bar on stderr.

    The command line uses it to show progress inside library calls (e.g. the report's own scoring).
    """
    token = _PROGRESS.set(enabled)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def progress_wanted() -> bool:
    """Whether :func:`show_progress` is on here."""
    return _PROGRESS.get()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block, and resumed as it was (see :func:`analyze` for why)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyze(data: Any, extractors: Iterable[str | Extractor] | None = None, *, progress: bool | None = None,
            options: dict[str, dict[str, Any]] | None = None, text_col: str = "text",
            id_col: str | None = None, evidence: bool = True, release: bool = False) -> Analysis:
    """Score every document with every extractor.

    Parameters
    ----------
    data : list of Document or str, pandas Series or DataFrame
        The corpus (see :func:`framing.load` for files).
    extractors : iterable of names or Extractor instances, optional
        Defaults to every registered extractor.
    progress : bool, optional
        Show a progress bar on stderr (default: as set by :func:`show_progress`, else no).
    options : dict, optional
        Constructor keyword arguments per extractor name, e.g.
        ``{"hedging": {"lexicon": "my_hedges.tsv"}}`` to use your own lexicon.
    text_col, id_col : str, optional
        For DataFrame input: the text column (default ``text``) and the id column (default: ``id`` if
        present, else the index label).
    evidence : bool, default True
        Build the evidence table. ``False`` computes the same features without building any evidence (the
        extractors skip it; ``Analysis.evidence`` is then an empty table with the usual columns): what
        :func:`score` and ``framing score`` without ``--evidence`` need.
    release : bool, default False
        Drop each document's segmentation, voice and cue caches as soon as it is scored
        (:meth:`Document.release`), so a chunk's memory is its rows, not its documents' token tables: what
        streaming scoring does. The documents are still returned; their caches are rebuilt if used again.
    """
    docs, index = as_documents(data, text_col=text_col, id_col=id_col)
    if progress is None:
        progress = _PROGRESS.get()
    exs = resolve_extractors(extractors, options)
    rows: list[dict[str, Any]] = []
    ev_rows: list[tuple] = []
    extras: dict[str, dict[str, Any]] = {e.name: {} for e in exs}
    # Scoring allocates millions of small objects and frees almost none of them in cycles (a few dozen per
    # thousand documents), so the cyclic garbage collector's passes over the growing heap are pure overhead
    # (about a fifth of the run): it is paused while scoring and building the two tables, and resumed, as it was,
    # afterwards. Building the evidence table allocates hundreds of thousands of objects at once: with the
    # collector on, that is when its full passes over every document's caches would run (the table alone took
    # about half as long again with it on, at 1,000 news articles).
    with gc_paused():
        for ex in exs:  # corpus-level steps (e.g. the source-type corpus prior) before any document is scored
            ex.fit(docs)
        iterator: Iterable[Document] = docs
        if progress:
            from tqdm import tqdm

            iterator = tqdm(docs, desc="framing: scoring", unit="doc", leave=False, delay=0.5)
        for doc in iterator:
            row = base_row(doc)
            if not evidence:
                for ex in exs:
                    result = ex.score(doc, evidence=False)
                    row.update(result.features)
                    if result.extra:
                        extras[ex.name][doc.id] = result.extra
                rows.append(row)
                if release:
                    doc.release()
                continue
            contexts = _SentenceContexts(doc)
            texts, window = contexts.texts, contexts.window
            doc_id = doc.id
            for ex in exs:
                result = ex.score(doc)
                row.update(result.features)
                if result.extra:
                    extras[ex.name][doc_id] = result.extra
                ev_rows.extend([(doc_id, ev.extractor, ev.category, ev.cue, ev.text, ev.start, ev.end, ev.sentence,
                                 ev.voice, ev.weight, ev.note,
                                 texts[ev.sentence] if ev.sentence in texts else window(ev))
                                for ev in result.evidence])
            rows.append(row)
            if release:
                doc.release()
        columns = list(BASE_COLUMNS) + [c for e in exs for c in e.columns]
        features = pd.DataFrame(rows, columns=columns)
        evidence = pd.DataFrame(ev_rows, columns=list(EVIDENCE_COLUMNS))
    if index is not None:
        features.index = index
    return Analysis(docs, features, evidence, run_record(exs), extras)


class _SentenceContexts:
    """The ``sentence_text`` of a document's evidence rows, bounded per cue and shared between cues.

    A sentence of at most :data:`SENTENCE_TEXT_MAX` characters is sliced
    once and the same string is referenced by every cue in it (never a copy
    per cue); a longer one gives each cue a window of about
    :data:`CONTEXT_WINDOW` characters (:func:`context_window`).
    """

    def __init__(self, doc: Document) -> None:
        self.body = body = doc.body
        self.sentences = sentences = doc.segmentation.sentences
        #: sentence index -> its text, for every sentence of at most :data:`SENTENCE_TEXT_MAX` characters (one
        #: slice per sentence, made up front: a document's cues outnumber its sentences several times over)
        self.texts: dict[int, str] = {si: body[s:e] for si, (s, e) in enumerate(sentences)
                                      if e - s <= SENTENCE_TEXT_MAX}

    def window(self, ev: Any) -> str:
        """The context of a cue outside :attr:`texts`: a window in a long sentence, '' outside every sentence."""
        if not 0 <= ev.sentence < len(self.sentences):
            return ""
        s, e = self.sentences[ev.sentence]
        return context_window(self.body, s, e, ev.start, ev.end)


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


def score(data: Any, extractors: Iterable[str | Extractor] | None = None, *, progress: bool | None = None,
          options: dict[str, dict[str, Any]] | None = None, text_col: str = "text",
          id_col: str | None = None) -> pd.DataFrame:
    """One row per document: base columns and every extractor's features, in the fixed schema.

    See :func:`analyze` for the parameters and :func:`conform_scores` for the dtypes.
    """
    exs = resolve_extractors(extractors, options)
    features = analyze(data, exs, progress=progress, text_col=text_col, id_col=id_col, evidence=False).features
    return conform_scores(features, exs)


def score_schema(extractors: Iterable[str | Extractor] | None = None,
                 options: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Column -> dtype of a scores table, whatever the batch.

    Text columns (:data:`INFO_COLUMNS`, ``language``, ``encoding``, ``na_reason``) are :data:`STRING_DTYPE`;
    the base counts (words, sentences, paragraphs, boilerplate blocks) are ``int64``; every extractor column,
    counts included, is ``float64``, because any of them is NaN for an empty or non-English document.
    """
    exs = resolve_extractors(extractors, options)
    schema: dict[str, Any] = {c: STRING_DTYPE for c in BASE_COLUMNS}
    schema.update({c: np.dtype("int64") for c in COUNT_COLUMNS})
    schema.update({c: np.dtype("float64") for e in exs for c in e.columns})
    return {c: schema[c] for c in (*BASE_COLUMNS, *(c for e in exs for c in e.columns))}


def conform_scores(features: pd.DataFrame, extractors: Iterable[str | Extractor] | None = None) -> pd.DataFrame:
    """``features`` with the columns and dtypes of :func:`score_schema` (an empty frame gets them too)."""
    schema = score_schema(extractors)
    frame = features.reindex(columns=list(schema))
    return frame.astype({c: d for c, d in schema.items() if frame[c].dtype != d})


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

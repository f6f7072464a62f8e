"""The library: load documents, score them, explain a score, compare groups, write the report.

Every function takes what an analyst has at hand — file paths, a pandas DataFrame of articles, a Series of
texts, or :class:`~framing.document.Document` objects — and returns pandas objects with fixed columns and
dtypes::

    articles = pd.read_csv("articles.csv")                        # text, outlet, label, ...
    scores = framing.score(articles, text_col="body", scores_only=True)
    table = articles.join(scores)                                 # same index, no clashing names
    comparison = framing.compare(table, by="outlet")              # Comparison: .comparison, .documents, ...
    framing.explain(articles.loc[0, "body"])                      # every cue behind the numbers

The scores table
----------------
One row per input, with the input's index (a Series' or DataFrame's; 0..n-1 for a list). Its columns are
:func:`score_columns` preceded, unless ``scores_only=True``, by the document info columns
(:data:`~framing.pipeline.INFO_COLUMNS`: ``id, path, title, role, outlet, date``), which echo the input.
The dtypes do not depend on the batch (:func:`~framing.pipeline.score_schema`): text columns are pandas'
string dtype, the base counts ``int64``, every extractor column ``float64`` (NaN for empty or non-English
documents), and :func:`empty_scores` has them too. ``framing extractors`` prints what every column means,
with its direction and unit.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .compare import Comparison
from .document import ROLES, Document
from .extractors.base import Extractor, resolve_extractors
from .ids import IdCounts, unique_id
from .ingest import Corpus, read_metadata
from .ingest import load as _load_files
from .pipeline import (
    EVIDENCE_COLUMNS,
    INFO_COLUMNS,
    STRING_DTYPE,
    Analysis,
    analyze,
    as_documents,
    conform_scores,
    run_record,
    score_schema,
)

__all__ = ["EXPLAIN_COLUMNS", "compare", "empty_scores", "explain", "load", "report", "score", "score_columns"]

PathLike = str | Path
#: What :func:`score` and :func:`explain` accept.
Texts = str | Document | Iterable[str | Document] | pd.Series | pd.DataFrame
ExtractorSpec = Iterable[str | Extractor] | None
Options = Mapping[str, Mapping[str, Any]] | None

#: Columns of :func:`explain`, with their dtypes.
EXPLAIN_COLUMNS: dict[str, Any] = {
    "document": STRING_DTYPE, "family": STRING_DTYPE, "category": STRING_DTYPE, "cue": STRING_DTYPE,
    "text": STRING_DTYPE, "voice": STRING_DTYPE, "sentence": STRING_DTYPE, "sentence_index": np.dtype("int64"),
    "start": np.dtype("int64"), "end": np.dtype("int64"), "weight": np.dtype("float64"), "note": STRING_DTYPE,
}

#: Metadata a Document holds as attributes (the rest goes to ``Document.meta``).
_DOCUMENT_FIELDS = ("title", "outlet", "author", "date", "url", "role")


def _options(options: Options) -> dict[str, dict[str, Any]] | None:
    return {k: dict(v) for k, v in options.items()} if options else None


# ---------------------------------------------------------------------------
# load

def load(paths: PathLike | Iterable[PathLike] | pd.DataFrame, *, text_col: str = "text", id_col: str | None = None,
         metadata: PathLike | pd.DataFrame | None = None, title_col: str = "title",
         boilerplate: bool = True) -> Corpus:
    """Load documents from files, folders, tables or a DataFrame.

    Parameters
    ----------
    paths : path, list of paths, or pandas.DataFrame
        Files and folders (``.txt``, ``.md``, ``.html``, ``.jsonl``, ``.csv``; ``-`` for stdin), or a
        DataFrame with one row per document.
    text_col : str, default "text"
        The text column of ``.csv``/``.jsonl`` inputs and of a DataFrame.
    id_col : str, optional
        The id column (default: ``id`` when present; else the file name, row number or DataFrame index).
    metadata : path or pandas.DataFrame, optional
        A sidecar (CSV or TOML keyed by ``file`` or ``id``; or a DataFrame with an ``id`` column) giving
        ``title, outlet, author, date, url, role`` and columns of your own; it wins over a folder's sidecar.
    title_col : str, default "title"
        The title column of ``.csv``/``.jsonl`` inputs.
    boilerplate : bool, default True
        Separate page furniture from the body (files only); ``False`` keeps the whole text as the body.

    Returns
    -------
    Corpus
        A list of :class:`~framing.document.Document`; ``.problems`` lists what could not be read.

    Raises
    ------
    ValueError
        When a DataFrame has no ``text_col`` (or no ``id_col`` when one is named).
    """
    if isinstance(paths, pd.DataFrame):
        docs, _ = as_documents(paths, text_col=text_col, id_col=id_col)
        corpus = Corpus(docs)
        if metadata is not None:
            _apply_metadata(corpus, _metadata_rows(metadata))
        return corpus
    files = {"text_col": text_col, "id_col": id_col or "id", "title_col": title_col, "boilerplate": boilerplate}
    if isinstance(metadata, pd.DataFrame):
        corpus = _load_files(paths, **files)
        _apply_metadata(corpus, _metadata_rows(metadata))
        return corpus
    return _load_files(paths, metadata=metadata, **files)


def _metadata_rows(metadata: PathLike | pd.DataFrame) -> dict[str, dict[str, str]]:
    """``{id: {field: value}}`` from a sidecar file or a DataFrame with an ``id`` column."""
    if not isinstance(metadata, pd.DataFrame):
        return read_metadata(Path(metadata))
    if "id" not in metadata.columns:
        raise ValueError("a metadata DataFrame needs an 'id' column")
    rows = metadata.astype(object).where(metadata.notna(), "").astype(str).to_dict("records")
    return {row.pop("id"): row for row in rows}


def _apply_metadata(docs: Sequence[Document], rows: Mapping[str, Mapping[str, str]]) -> None:
    for doc in docs:
        for key, value in rows.get(doc.id, {}).items():
            value = str(value).strip()
            if not value or key in ("id", "file"):
                continue
            if key == "role" and value.lower() not in ROLES:
                doc.warnings.append(f"declared role {value!r} is not one of {', '.join(ROLES)}; ignored")
            elif key in _DOCUMENT_FIELDS:
                setattr(doc, key, value.lower() if key == "role" else value)
            else:
                doc.meta[key] = value


# ---------------------------------------------------------------------------
# score

def score_columns(extractors: ExtractorSpec = None, options: Options = None) -> list[str]:
    """The measurement columns of a scores table (everything but the document info columns), in order.

    These are framing's own names (``language``, ``n_words``, ``boilerplate_*``, ``na_reason``, then each
    extractor's prefixed columns), so they do not clash with an input's columns unless it was scored before.
    """
    return [c for c in score_schema(extractors, _options(options)) if c not in INFO_COLUMNS]


def empty_scores(extractors: ExtractorSpec = None, options: Options = None, *,
                 scores_only: bool = False) -> pd.DataFrame:
    """The zero-row scores table: every column of :func:`score`, with its dtype.

    Useful to start a ``pd.concat`` of batches or to declare a Parquet schema.
    """
    table = conform_scores(pd.DataFrame(), resolve_extractors(extractors, _options(options)))
    return table.drop(columns=list(INFO_COLUMNS)) if scores_only else table


def score(data: Texts, *, text_col: str = "text", id_col: str | None = None, scores_only: bool = False,
          extractors: ExtractorSpec = None, options: Options = None, progress: bool | None = None,
          n_jobs: int | None = None) -> pd.DataFrame:
    """Score texts: one row per input, with the input's index, in a fixed schema.

    Parameters
    ----------
    data : str, Document, list of str or Document, pandas.Series or pandas.DataFrame
        The texts. A DataFrame's other string columns become metadata (``title``, ``outlet``, ``role``,
        ``date`` and your own); its ``id_col`` (default ``id``) gives the ids, else the index does.
    text_col : str, default "text"
        The text column of a DataFrame.
    id_col : str, optional
        The id column of a DataFrame.
    scores_only : bool, default False
        Return only :func:`score_columns`, without the info columns that echo the input (``id, path,
        title, role, outlet, date``), so that ``df.join(framing.score(df, scores_only=True))`` adds the
        scores beside your columns.
    extractors : list of str, optional
        Extractor names (default: all; see ``framing extractors``).
    options : dict, optional
        Extractor options, e.g. ``{"hedging": {"lexicon": "my_hedges.tsv"}}``.
    progress : bool, optional
        A progress bar on stderr.
    n_jobs : int, optional
        Worker processes scoring chunks of documents (``-1``: every core). Default: every core when there
        are more than two chunks (2,000 documents), else one process. The rows are the same, in the same
        order, whatever ``n_jobs``. Workers rebuild the extractors from their names and ``options``, so
        extractor instances (and a corpus-level step such as ``source_type.prior=corpus``) are scored in
        one process. Workers start with ``forkserver``/``spawn``, which imports your main script again:
        in a script, call this under ``if __name__ == "__main__":`` (the default only uses workers when
        the script has that guard, or from a notebook or console).

    Returns
    -------
    pandas.DataFrame
        Columns and dtypes as :func:`empty_scores`; values for documents that cannot be scored (empty,
        no words, non-English) are NaN with the reason in ``na_reason``.

    Examples
    --------
    >>> scores = framing.score(pd.Series({"a": "Officials said the plan may fail."}))  # doctest: +SKIP
    >>> scores.loc["a", "hedging_hedges_per_1k"]                                        # doctest: +SKIP
    """
    exs = resolve_extractors(extractors, _options(options))
    docs, index = as_documents(data, text_col=text_col, id_col=id_col)
    jobs = _score_jobs(n_jobs, len(docs), exs, extractors)
    if jobs == 1:
        table = conform_scores(analyze(docs, exs, progress=progress, evidence=False).features, exs)
    else:
        table = _score_in_workers(docs, exs, _options(options), jobs, progress)
    if index is not None:
        table.index = index
    return table.drop(columns=list(INFO_COLUMNS)) if scores_only else table


def _score_jobs(n_jobs: int | None, n_docs: int, exs: Sequence[Extractor], spec: ExtractorSpec) -> int:
    """The worker processes :func:`score` uses (1 = this process)."""
    from .stream import DEFAULT_CHUNK_SIZE, available_cpus, needs_whole_corpus

    if n_jobs is not None and (not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1):
        raise ValueError(f"n_jobs must be a positive whole number or -1 (every core), got {n_jobs!r}")
    if spec is not None and any(isinstance(e, Extractor) for e in spec):
        return 1  # instances cannot be rebuilt by name in a worker
    if needs_whole_corpus(exs) or n_docs < 2:
        return 1
    if n_jobs is None:
        return available_cpus() if n_docs > 2 * DEFAULT_CHUNK_SIZE and _main_is_guarded() else 1
    return available_cpus() if n_jobs == -1 else n_jobs


def _main_is_guarded() -> bool:
    """True when worker processes can import ``__main__`` safely (no script, or one with a main guard)."""
    import sys

    path = getattr(sys.modules.get("__main__"), "__file__", None)
    if path is None:
        return True  # a console, a notebook, python -c
    try:
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "__name__" in source and "__main__" in source


def _score_in_workers(docs: list[Document], exs: Sequence[Extractor], options: dict[str, dict[str, Any]] | None,
                      jobs: int, progress: bool | None) -> pd.DataFrame:
    """The scores table of ``docs``, scored in chunks by ``jobs`` worker processes (rows in input order)."""
    from .pipeline import _PROGRESS
    from .stream import DEFAULT_CHUNK_SIZE, ChunkScorer, chunked

    size = max(1, min(DEFAULT_CHUNK_SIZE, -(-len(docs) // (4 * jobs))))
    scorer = ChunkScorer(exs, options, jobs)
    bar = None
    if progress or (progress is None and _PROGRESS.get()):
        from tqdm import tqdm

        bar = tqdm(total=len(docs), desc="framing: scoring", unit="doc", leave=False, delay=0.5)
    parts = []
    try:
        for result in scorer.map(chunked(docs, size)):
            parts.append(result.features)
            if bar is not None:
                bar.update(result.n_docs)
    finally:
        scorer.close()
        if bar is not None:
            bar.close()
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------
# explain

def explain(data: Texts, *, extractors: ExtractorSpec = None, options: Options = None,
            text_col: str = "text") -> pd.DataFrame:
    """The evidence behind the scores: one row per cue that fired.

    Parameters
    ----------
    data : str or Document (or several, as for :func:`score`)
        The text(s) to explain.
    extractors, options, text_col
        As for :func:`score`.

    Returns
    -------
    pandas.DataFrame
        :data:`EXPLAIN_COLUMNS`: ``document`` (id), ``family`` (the extractor), ``category`` (the construct,
        e.g. ``hedge``, ``puffery``), ``cue`` (the lexicon entry or rule), ``text`` (exactly
        ``body[start:end]``), ``voice`` (``author``, ``quoted``, ``reported`` or ``questioner``),
        ``sentence`` (its text, or a window around the cue in a very long sentence), ``sentence_index``,
        ``start``, ``end`` (character offsets into the document's body), ``weight`` and ``note``; in
        document order.
    """
    analysis = analyze(data, resolve_extractors(extractors, _options(options)), text_col=text_col)
    return explain_table(analysis)


def explain_table(analysis: Analysis) -> pd.DataFrame:
    """The evidence of an analysis in the :func:`explain` layout."""
    ev = analysis.evidence.rename(columns={"doc_id": "document", "extractor": "family", "sentence": "sentence_index",
                                           "sentence_text": "sentence"})
    ev = ev.sort_values(["start", "end"], kind="stable")
    order = {doc.id: i for i, doc in enumerate(analysis.documents)}
    ev = ev.iloc[np.argsort(ev["document"].map(order).to_numpy(), kind="stable")] if len(ev) else ev
    ev = ev.reindex(columns=list(EXPLAIN_COLUMNS)).reset_index(drop=True)
    return ev.astype({c: d for c, d in EXPLAIN_COLUMNS.items() if ev[c].dtype != d})


# ---------------------------------------------------------------------------
# compare and report

def compare(scores: pd.DataFrame | Analysis, by: str | None = None, unit: str | None = None, *, seed: int = 0,
            n_boot: int = 2000, n_perm: int = 5000, text_col: str = "text", max_examples: int = 3) -> Comparison:
    """Compare groups of documents on every feature, from a scores table.

    Parameters
    ----------
    scores : pandas.DataFrame or Analysis
        A table from :func:`score` (possibly joined to your own columns), or an :class:`~framing.Analysis`.
    by : str, optional
        The column to group by (e.g. ``outlet``). Default: the declared ``role`` (official vs the rest), else
        the detected source type (the ``source_type_p_*`` columns).
    unit : {"document", "outlet"} or str, optional
        What the bootstrap and permutation tests resample (default: chosen from the data; see
        :func:`framing.compare.compare`).
    seed, n_boot, n_perm
        Seed, bootstrap resamples and permutation relabelings: same table and seed, same result.
    text_col : str, default "text"
        When the table holds the texts, the distinctive terms, formulae and actors are computed from them;
        without texts those tables are empty (the feature comparison does not need them).
    max_examples : int
        Examples kept per term, formula and actor.

    Returns
    -------
    Comparison
        ``.comparison`` (feature, group, n_docs, mean, median, CI, Cliff's delta, Hedges' g, p, q, note),
        ``.documents`` (one row per document with its group), ``.features`` (the catalogue), and more.

    Raises
    ------
    ValueError
        When ``by`` is not a column of the table, or the documents cannot be grouped.
    """
    from .compare import compare as compare_analysis

    if not isinstance(scores, Analysis) and "n_words" not in scores.columns:
        raise ValueError("the table holds no scores (no 'n_words' column): score it first, e.g. "
                         "table.join(framing.score(table, scores_only=True))")
    analysis = scores if isinstance(scores, Analysis) else analysis_from_scores(scores, text_col=text_col)
    if by is not None and not isinstance(scores, Analysis) and by not in scores.columns:
        raise ValueError(f"no column {by!r} to group by (columns: {', '.join(map(str, scores.columns))[:200]})")
    extra: dict[str, Any] = {"unit": unit} if unit in (None, "document", "outlet") else {"resample_by": unit}
    return compare_analysis(analysis, by, seed, n_boot=n_boot, n_perm=n_perm, max_examples=max_examples, **extra)


def analysis_from_scores(scores: pd.DataFrame, *, text_col: str = "text") -> Analysis:
    """An :class:`~framing.Analysis` holding a scores table, for the comparison machinery.

    The documents carry the table's info and other columns as metadata (and its texts when ``text_col``
    is present); the evidence is empty; the source-type label is the most probable ``source_type_p_*``.
    """
    frame = scores.reset_index(drop=True).copy()
    given = frame["id"].astype(str) if "id" in frame.columns else pd.Series(scores.index.astype(str))
    seen = IdCounts()
    ids = pd.Series([unique_id(seen, i) for i in given])  # a repeated id (or index label) renamed a#2, as loading does
    measured = set(score_columns())
    docs = []
    for i, row in enumerate(frame.to_dict("records")):
        meta = {str(k): _cell_text(v) for k, v in row.items() if k not in measured and k not in ("id", text_col)}
        meta = {k: v for k, v in meta.items() if v}
        doc = Document(id=ids[i], body=_cell_text(row.get(text_col, "")), path=meta.pop("path", None))
        _apply_metadata([doc], {doc.id: meta})
        doc.language = _cell_text(row.get("language", "")) or "und"
        docs.append(doc)
    defaults = {"title": "", "outlet": "", "date": "", "role": "", "language": "und", "na_reason": ""}
    added = {c: [getattr(d, c, None) or v for d in docs] for c, v in defaults.items() if c not in frame.columns}
    features = frame.assign(id=ids.values, **added).copy()  # one assignment: no fragmented frame
    exs = [e for e in resolve_extractors(None) if set(e.columns) <= set(frame.columns)]
    evidence = pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})
    return Analysis(docs, features, evidence, run_record(exs), {"source_type": _detected_labels(frame, ids)})


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _detected_labels(frame: pd.DataFrame, ids: pd.Series) -> dict[str, dict[str, str]]:
    """doc id -> {"label": the most probable source type} from the ``source_type_p_*`` columns."""
    cols = [c for c in frame.columns if str(c).startswith("source_type_p_")]
    if not cols:
        return {}
    probs = frame[cols].to_numpy(dtype=float)
    scored = ~np.isnan(probs).all(axis=1)
    best = np.nanargmax(np.where(np.isnan(probs), -np.inf, probs), axis=1)
    return {ids[i]: {"label": cols[best[i]][len("source_type_p_"):]} for i in np.flatnonzero(scored)}


def _is_scores_table(frame: pd.DataFrame, text_col: str) -> bool:
    return text_col not in frame.columns and "n_words" in frame.columns


def report(paths: PathLike | Iterable[PathLike] | pd.DataFrame | Sequence[Document] | None = None,
           out_dir: PathLike = "reports", *, text_col: str = "text", id_col: str | None = None,
           metadata: PathLike | None = None, unit: str | None = None, **options: Any) -> list[Path]:
    """Write the comparison report (HTML, Markdown, CSV tables, run.json) into ``out_dir``.

    Parameters
    ----------
    paths : path(s), DataFrame of texts, scores table, or documents, optional
        What to report on (default ``seeds/``). A DataFrame with ``text_col`` is scored; a scores table
        (from :func:`score`, without the texts) is compared as it is, with the feature tables only.
    out_dir : path, default "reports"
        The folder to write (refused when it is, holds or is inside an input folder).
    text_col, id_col, metadata
        As for :func:`load`.
    unit : str, optional
        What the statistics resample (``document``, ``outlet`` or a metadata column), as for :func:`compare`.
    **options
        Report options (:class:`framing.reporting.ReportOptions`): ``by``, ``seed``, ``resample_by``,
        ``n_boot``, ``n_perm``, ``snippets``, ``extractors``, ``extractor_options``, ``title``, ``csv_safe``...;
        and ``jobs`` (worker processes that score the chunks, default 1; ``None`` = every core for more than
        two chunks of 200; the report is the same whatever ``jobs``).

    Returns
    -------
    list of pathlib.Path
        The files written, ``run.json`` last.
    """
    from .reporting import build_report

    if unit is not None:
        options["resample_by"] = unit
    if isinstance(paths, pd.DataFrame):
        if _is_scores_table(paths, text_col):
            options.pop("jobs", None)  # nothing to score
            return _report_from_scores(paths, out_dir, **options)
        corpus = load(paths, text_col=text_col, id_col=id_col, metadata=metadata)
        return build_report(corpus, out_dir, inputs=["<DataFrame>"], **options)
    if id_col is not None:
        options["id_col"] = id_col
    return build_report(paths, out_dir, text_col=text_col, metadata=metadata, **options)


def _report_from_scores(scores: pd.DataFrame, out_dir: PathLike, **options: Any) -> list[Path]:
    from .reporting import ReportOptions, write_report

    opts = ReportOptions(**options)
    analysis = analysis_from_scores(scores)
    comp = compare(analysis, opts["by"], seed=opts["seed"], n_boot=opts["n_boot"], n_perm=opts["n_perm"],
                   max_examples=opts["examples"], unit=opts["resample_by"])
    return write_report(comp, analysis, out_dir, opts, {"paths": ["<scores table>"], "metadata": None})

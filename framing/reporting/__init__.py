"""The comparison report: HTML, Markdown, CSV tables and a JSON run record, from one set of tables.

:func:`build_report` loads documents, runs every registered extractor, compares
the groups (:func:`framing.compare.compare`) and writes into ``out_dir``:

``report.html``
    self-contained page (inline CSS and SVG, no script, no external resource);
``report.md``
    the same findings and tables in Markdown;
``documents.csv``, ``comparison.csv``, ``features.csv``, ``terms.csv``, ``formulae.csv``,
``frames.csv``, ``actors.csv``, ``modality.csv``, ``echo.csv``, ``aligned.csv``, ``furniture.csv``
    the tables the pages are built from;
``evidence.csv`` or ``evidence.csv.gz``
    every cue that fired: plain up to :data:`EVIDENCE_PLAIN_ROWS` rows, gzip-compressed above
    (``evidence="auto"``, the default; ``"csv"``, ``"gz"`` or ``"none"`` to choose);
``run.json``
    versions, extractor resources (lexicon and model hashes), options, input file
    hashes, the written files' hashes, and the only timestamp.

Same input, same options: byte-identical files, except ``generated_at`` in
run.json (which honours ``SOURCE_DATE_EPOCH``). The files are written as a set
(:class:`framing.output.StagedFolder`): ``run.json`` is moved in last, so a folder whose
``run.json`` names every file with a matching hash is complete. CSV cells that a
spreadsheet would run as formulas are prefixed with ``'`` unless ``csv_safe=False``.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import platform
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, ClassVar

import pandas as pd

from ..compare import COMMENTARY, NON_OFFICIAL, OFFICIAL, Comparison, assign_groups, check_whole_number, compare
from ..document import Document, bounded_caches
from ..ingest import Corpus, iter_documents, load
from ..output import (
    RUN_RECORD,
    CompressingWriter,
    StagedFolder,
    check_outputs,
    csv_rows,
    file_sha256,
    folder_lock,
    spreadsheet_safe,
)
from ..pipeline import Analysis
from ..stream import give_back_memory
from .html import render_html
from .markdown import render_markdown
from .methods import MethodsInfo, methods_info
from .stream import CHUNK_SIZE, KEPT_TOKEN_TABLES, SAMPLE_PER_GROUP, SENTENCES_PER_CUE

__all__ = [
    "DEFAULT_INPUT",
    "EVIDENCE_GZ",
    "REPORT_FILES",
    "TABLE_FILES",
    "NoDocuments",
    "ReportOptions",
    "build_report",
    "evidence_file",
    "evidence_note",
    "table_to_csv",
    "write_report",
    "write_table_csv",
]

DEFAULT_INPUT = "seeds"

#: Comparison table -> CSV file name, in the order they are written.
TABLE_FILES = {"documents": "documents.csv", "comparison": "comparison.csv", "features": "features.csv",
               "terms": "terms.csv", "formulae": "formulae.csv", "frames": "frames.csv", "actors": "actors.csv",
               "modality": "modality.csv", "echo": "echo.csv", "aligned": "aligned.csv",
               "furniture": "furniture.csv", "evidence": "evidence.csv"}
#: The compressed evidence table, written instead of evidence.csv when it is large.
EVIDENCE_GZ = "evidence.csv.gz"
#: Above this many evidence rows, ``evidence="auto"`` writes evidence.csv.gz instead of evidence.csv.
EVIDENCE_PLAIN_ROWS = 50_000
#: Every file a report may write (a new report removes those of the previous run it no longer writes).
REPORT_FILES = (*TABLE_FILES.values(), EVIDENCE_GZ, "report.html", "report.md", RUN_RECORD)
EVIDENCE_MODES = ("auto", "csv", "gz", "none")


class NoDocuments(ValueError):
    """Not one document could be loaded; ``problems`` says why, input by input."""

    def __init__(self, message: str, problems: Sequence[Any] = ()):
        super().__init__(message)
        self.problems = list(problems)


class ReportOptions(dict):
    """The options of a report run, as recorded in run.json (a plain dict with defaults)."""

    DEFAULTS: ClassVar[dict[str, Any]] = {"by": None, "seed": 0, "resample_by": None, "n_boot": 2000, "n_perm": 5000,
                                "snippets": 2, "top": 10, "examples": 2, "max_cards": 40, "extractors": None,
                                "extractor_options": None, "title": None,
                                "csv_safe": True, "unit": None, "evidence": "auto"}

    def __init__(self, **options: Any):
        unknown = set(options) - set(self.DEFAULTS)
        if unknown:
            raise TypeError(f"unknown report option(s): {', '.join(sorted(unknown))}")
        super().__init__({**self.DEFAULTS, **options})
        if self["unit"] not in (None, "document", "outlet"):
            raise ValueError(f"unit must be 'document' or 'outlet', not {self['unit']!r}")
        if self["evidence"] not in EVIDENCE_MODES:
            raise ValueError(f"evidence must be one of {', '.join(EVIDENCE_MODES)}, not {self['evidence']!r}")
        for name, least in (("seed", 0), ("snippets", 0), ("top", 0), ("examples", 0), ("max_cards", 0),
                            ("n_boot", 1), ("n_perm", 1)):
            check_whole_number(name, self[name], least, kinds=(int,))  # plain ints: run.json records them


def build_report(paths: str | Path | Iterable[str | Path] | Sequence[Document] | None = None,
                 out_dir: str | Path = "reports", *, metadata: str | Path | None = None, text_col: str = "text",
                 id_col: str = "id", title_col: str = "title", inputs: Sequence[str] | None = None,
                 chunk_size: int = CHUNK_SIZE, sample_size: int = SAMPLE_PER_GROUP,
                 sentences_per_cue: int = SENTENCES_PER_CUE,
                 on_chunk: Callable[[list[Document], list[Any]], None] | None = None, jobs: int | None = 1,
                 **options: Any) -> list[Path]:
    """Load, analyse, compare and write the report; return the paths written.

    Parameters
    ----------
    paths : path(s) or documents, optional
        Files/folders for :func:`framing.load` (default ``seeds``), or already
        loaded documents (a :class:`~framing.ingest.Corpus` keeps its load problems).
    out_dir : path
        Folder to write into (created if needed).
    metadata, text_col, id_col, title_col
        Passed to :func:`framing.load` (``metadata`` is only recorded when documents are given).
    inputs : list of str, optional
        The input names to record in run.json when ``paths`` are documents.
    **options
        See :class:`ReportOptions`: ``by`` (metadata column to group by),
        ``seed``, ``resample_by``, ``n_boot``, ``n_perm``, ``snippets`` (exemplar
        sentences per document and family), ``top`` (findings in the overview),
        ``examples`` (contexts per term), ``max_cards`` (document cards),
        ``extractors`` (names; default all), ``extractor_options`` (``{extractor: {param: value}}``,
        e.g. a user lexicon), ``title``, ``csv_safe`` (default True: string cells a spreadsheet would
        run as a formula are prefixed with ``'``; False writes raw values), ``unit`` (``"document"`` or
        ``"outlet"``: the unit of analysis; default chosen from the data, with its reason printed in the
        report), ``evidence`` (``"auto"``: evidence.csv, or evidence.csv.gz above 50,000 rows; ``"csv"``,
        ``"gz"``, ``"none"``).
    chunk_size : int
        Documents scored at a time (:mod:`framing.reporting.stream`): memory depends on it and on the
        number of features and groups, not on the number of documents.
    sample_size : int
        Documents kept whole per group (a seeded sample) for the examples of terms and formulae, echoes and
        aligned claims; a corpus with at most this many per group gives the same report as one read at once.
    sentences_per_cue : int
        Sentences kept per group and cue category from every document (a seeded reservoir), from which, with
        the kept documents', the exemplar sentences and the findings' quotes are drawn.
    jobs : int or None
        Worker processes that score and summarise the chunks (``None``: every core when there are more than
        two chunks); the report is the same whatever ``jobs``.
    on_chunk : callable, optional
        ``on_chunk(documents, problems)`` after each chunk is scored: the chunk's documents (their
        ``warnings`` filled in) and every load problem met so far (the command line prints both as they come).

    Raises
    ------
    ValueError
        When no document could be loaded, or :class:`framing.output.OutputConflict` (a ValueError)
        when ``out_dir`` is, holds or is inside an input; :class:`framing.compare.GroupingError`
        when the documents cannot be grouped; :class:`framing.output.FolderBusy` when another
        run is writing ``out_dir``.
    """
    from .stream import accumulate

    opts = ReportOptions(**options)
    check_outputs([*_input_locations(paths), metadata], folder=("out_dir", out_dir, REPORT_FILES))
    documents, problems = _documents(paths, metadata, text_col, id_col, title_col)
    hook = None if on_chunk is None else (lambda chunk: on_chunk(chunk, problems))
    acc = accumulate(documents, opts["extractors"], opts["extractor_options"], by=opts["by"], seed=opts["seed"],
                     max_cards=opts["max_cards"], chunk_size=chunk_size, sample_size=sample_size,
                     sentences_per_cue=sentences_per_cue, on_chunk=hook,
                     jobs=jobs)
    if not acc.n_docs:
        raise NoDocuments("no documents could be loaded", problems)
    try:
        with bounded_caches(KEPT_TOKEN_TABLES):  # the kept documents' token tables: a few hundred at a time
            analysis = acc.light_analysis()
            give_back_memory()  # the chunks' feature tables, now joined into one
            assigned = assign_groups(analysis, opts["by"])
            labels = acc.group_labels(assigned[0])
            parts = acc.parts(labels, analysis.run, assigned)
            del assigned  # the comparison reads it from the parts, once
            comp = compare(analysis, opts["by"], opts["seed"], resample_by=opts["resample_by"], n_boot=opts["n_boot"],
                           n_perm=opts["n_perm"], max_examples=opts["examples"], unit=opts["unit"], parts=parts)
            del parts
            acc.forget_kept_evidence(analysis)  # comp.evidence has it now, in the report's order
            if acc.n_docs > len(acc.kept):
                comp.grouping["sample"] = sample_note(acc)
            given = {"paths": list(inputs) if inputs is not None else _given_paths(paths),
                     "metadata": str(metadata) if metadata else None}
            return write_report(comp, analysis, out_dir, opts, given, problems, evidence=(acc, labels))
    finally:
        acc.spool.close()


def sample_note(acc: Any) -> str:
    """What the report's sentences come from when a large corpus was read in chunks."""
    return (f"{len(acc.kept):,} of {acc.n_docs:,} documents were kept whole (a seeded sample of up to "
            f"{acc.sample_size} per group, and the first {acc.max_cards} ids of each group for the cards): "
            "examples and spellings of terms and formulae, echoes and aligned claims come from them; quotes and "
            "exemplar sentences come from them and from a seeded sample of up to "
            f"{acc.cue_sentences.k} sentences per group and cue category drawn from every document; every number "
            "(features, tests, counts of terms, formulae, actors, frames, cues) comes from every document.")


def _documents(paths: Any, metadata: Any, text_col: str, id_col: str, title_col: str
               ) -> tuple[Iterable[Document], list[Any]]:
    """The documents to report on, one at a time (files are read as the chunks need them), and the list
    their load problems go to."""
    if paths is None:
        paths = DEFAULT_INPUT
    if isinstance(paths, Corpus):
        return paths, paths.problems
    if isinstance(paths, (str, Path)):
        paths = [paths]
    items = list(paths)
    if items and all(isinstance(p, Document) for p in items):
        return items, []
    problems: list[Any] = []
    return iter_documents(items, metadata=metadata, text_col=text_col, id_col=id_col, title_col=title_col,
                          problems=problems), problems


def _input_locations(paths: Any) -> list[str]:
    """The files and folders the report reads: the paths given, or the files the given documents came from."""
    if paths is None or isinstance(paths, (str, Path)):
        return [str(paths or DEFAULT_INPUT)]
    items = list(paths)
    return [str(p) for p in items if isinstance(p, (str, Path))] + \
        [d.path for d in items if isinstance(d, Document) and d.path and Path(d.path).is_file()]


def _given_paths(paths: Any) -> list[str]:
    if paths is None:
        return [DEFAULT_INPUT]
    if isinstance(paths, (str, Path)):
        return [str(paths)]
    items = list(paths) if not isinstance(paths, Corpus) else []
    return [str(p) for p in items if isinstance(p, (str, Path))]


def _as_corpus(paths: Any, metadata: Any, text_col: str, id_col: str, title_col: str) -> Corpus:
    if paths is None:
        paths = DEFAULT_INPUT
    if isinstance(paths, Corpus):
        return paths
    if isinstance(paths, (str, Path)):
        paths = [paths]
    items = list(paths)
    if items and all(isinstance(p, Document) for p in items):
        return Corpus(items)
    return load(items, metadata=metadata, text_col=text_col, id_col=id_col, title_col=title_col)


def _title(comp: Comparison, given: str | None) -> str:
    if given:
        return given
    if len(comp.groups) < 2:
        return f"The {comp.groups[0] if comp.groups else ''} documents, described (one group: nothing to compare)"
    if set(comp.groups) <= {OFFICIAL, COMMENTARY} and len(comp.groups) == 2:
        return "How the official texts and the commentary differ"
    if set(comp.groups) == {OFFICIAL, NON_OFFICIAL}:
        return "How the official texts and the non-official texts differ"
    return f"How the documents differ by {comp.grouping.get('by', 'group')}"


def write_report(comp: Comparison, analysis: Analysis, out_dir: str | Path, options: dict[str, Any],
                 inputs: dict[str, Any], problems: Sequence[Any] = (), evidence: Any = None) -> list[Path]:
    """Write the tables, the pages and the run record of a comparison into ``out_dir``, as one set.

    Every file is written into a staging folder beside ``out_dir`` and moved in when all are ready,
    ``run.json`` (naming every file with its hash) last; an interrupted run leaves the previous report
    in place. A second run writing the same folder at the same time raises :class:`framing.output.FolderBusy`.
    ``evidence``: ``(accumulator, group labels)`` of a corpus read in chunks, whose whole evidence table is
    spooled (:class:`framing.reporting.stream.ReportAccumulator`); default: ``comp.evidence``.
    """
    out = Path(out_dir)
    info = methods_info(analysis.run, title=_title(comp, options.get("title")), seed=options["seed"],
                        n_boot=options["n_boot"], n_perm=options["n_perm"])
    csv_safe = options.get("csv_safe", True)
    with folder_lock(out), StagedFolder(out, owned_names=REPORT_FILES) as stage:
        names: list[str] = []
        evidence_mode = options.get("evidence", "auto")
        for name, filename in TABLE_FILES.items():
            table = getattr(comp, name)
            if table.columns.empty:
                continue
            if name == "evidence":
                written = _stage_evidence(stage, table, evidence_mode, csv_safe, evidence, comp.groups)
                names += [written] if written else []
                continue
            with stage.open(filename) as fh:
                write_table_csv(table, fh, csv_safe=csv_safe)
            names.append(filename)
        n_evidence = evidence[0].spool.rows if evidence is not None else len(comp.evidence)
        note = evidence_note(n_evidence, evidence_mode)
        _stage_text(stage, "report.html", render_html(comp, info, snippets=options["snippets"], top=options["top"],
                                                      examples=options["examples"], max_cards=options["max_cards"],
                                                      evidence_note=note))
        _stage_text(stage, "report.md", render_markdown(comp, info, snippets=options["snippets"], top=options["top"],
                                                    max_rows=options["max_cards"]))
        names += ["report.html", "report.md"]
        record = run_record(comp, analysis, info, options, inputs, problems, [stage.path / n for n in names])
        _stage_record(stage, record)
        return stage.commit(names + [RUN_RECORD])


def evidence_file(n_rows: int, mode: str = "auto") -> str | None:
    """The file the evidence table goes to: evidence.csv, evidence.csv.gz (large, or asked), or None."""
    if mode == "none":
        return None
    if mode == "gz" or (mode == "auto" and n_rows > EVIDENCE_PLAIN_ROWS):
        return EVIDENCE_GZ
    return TABLE_FILES["evidence"]


def evidence_note(n_rows: int, mode: str = "auto") -> str:
    """Where the evidence table went, in one sentence for the report."""
    name = evidence_file(n_rows, mode)
    if name is None:
        return f"The evidence table ({n_rows:,} cues) was not written (evidence='none')."
    if name == EVIDENCE_GZ:
        why = "as asked" if mode == "gz" else f"because it has more than {EVIDENCE_PLAIN_ROWS:,} rows"
        return (f"Every cue that fired ({n_rows:,}) is in {EVIDENCE_GZ}, compressed {why} "
                "(evidence='csv' writes it plain).")
    return f"Every cue that fired ({n_rows:,}) is in evidence.csv."


def _stage_evidence(stage: StagedFolder, table: pd.DataFrame, mode: str, csv_safe: bool, spooled: Any = None,
                    groups: Sequence[str] = ()) -> str | None:
    """Write the evidence table as chosen by :func:`evidence_file` (gzip without a timestamp: reproducible).

    ``spooled`` (accumulator, labels): the whole table is streamed from the accumulator's spool, one chunk
    at a time; else ``table`` is written."""
    import gzip

    name = evidence_file(spooled[0].spool.rows if spooled is not None else len(table), mode)
    if name is None:
        return None

    def write(fh: IO[str]) -> None:
        if spooled is not None:
            spooled[0].write_evidence(
                lambda table, header: write_table_csv(table, fh, csv_safe=csv_safe, header=header),
                list(groups), spooled[1])
        else:
            write_table_csv(table, fh, csv_safe=csv_safe)

    if name == EVIDENCE_GZ:
        with stage.open(name, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6,
                                                          mtime=0) as gz, CompressingWriter(gz) as fh:
            write(fh)
        return name
    with stage.open(name) as fh:
        write(fh)
    return name


def _stage_text(stage: StagedFolder, name: str, text: str) -> None:
    with stage.open(name) as fh:
        fh.write(text)


#: Stands for the run record's list of input documents while the rest of the record is laid out.
_DOCUMENTS_SLOT = "\ue000documents\ue000"


def _stage_record(stage: StagedFolder, record: dict[str, Any]) -> None:
    """Write the run record, its list of input documents one entry at a time (:func:`record_pieces`)."""
    with stage.open(RUN_RECORD) as fh:
        for piece in record_pieces(record):
            fh.write(piece)


def record_pieces(record: dict[str, Any]) -> Iterator[str]:
    """The text of ``json.dumps(record, indent=2, ensure_ascii=False) + "\\n"``, byte for byte, in pieces:
    ``record["inputs"]["documents"]`` (any iterable: one entry per document) is laid out one entry at a time, so
    a large corpus's list of inputs is never held whole, as objects or as text."""
    entries = record["inputs"]["documents"]
    slot = json.dumps(_DOCUMENTS_SLOT, ensure_ascii=False)
    text = json.dumps({**record, "inputs": {**record["inputs"], "documents": _DOCUMENTS_SLOT}},
                      indent=2, ensure_ascii=False) + "\n"
    if text.count(slot) != 1:  # the stand-in also spelled elsewhere in the record (an option's value)
        yield json.dumps({**record, "inputs": {**record["inputs"], "documents": list(entries)}},
                         indent=2, ensure_ascii=False) + "\n"
        return
    head, tail = text.split(slot)
    key_line = head.rsplit("\n", 1)[1]  # '    "documents": '
    indent = key_line[:len(key_line) - len(key_line.lstrip(" "))]
    inner = indent + "  "
    yield head
    first = True
    for entry in entries:
        yield ("[\n" if first else ",\n") + inner + json.dumps(entry, indent=2, ensure_ascii=False).replace(
            "\n", "\n" + inner)
        first = False
    yield "[]" if first else "\n" + indent + "]"
    yield tail


#: Rows of a table made CSV-ready (cells as JSON, spreadsheet-safe) and written at a time.
CSV_ROWS_AT_ONCE = 10_000


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return value


def _csv_ready(table: pd.DataFrame, csv_safe: bool) -> pd.DataFrame:
    table = table.copy()
    for col in table.columns:
        if table[col].dtype == object:
            table[col] = table[col].map(_cell)
    return spreadsheet_safe(table) if csv_safe else table


def write_table_csv(table: pd.DataFrame, fh: IO[str], *, csv_safe: bool = True, header: bool = True) -> None:
    """Stream a report table as CSV to ``fh``: ``%.6g`` floats, list/dict cells as compact JSON,
    spreadsheet-safe strings unless ``csv_safe=False``; ``header=False`` appends rows to a table begun before.
    Written :data:`CSV_ROWS_AT_ONCE` rows at a time: a 100,000-document table is never copied whole."""
    for start in range(0, max(len(table), 1), CSV_ROWS_AT_ONCE):
        rows = _csv_ready(table.iloc[start:start + CSV_ROWS_AT_ONCE], csv_safe)
        fast = csv_rows(rows, "%.6g")
        if fast is None:
            rows.to_csv(fh, index=False, header=header and start == 0, float_format="%.6g", lineterminator="\n")
            continue
        if header and start == 0:
            rows.iloc[:0].to_csv(fh, index=False, lineterminator="\n")
        fh.write(fast)


def table_to_csv(table: pd.DataFrame, *, csv_safe: bool = True) -> str:
    """The CSV text :func:`write_table_csv` writes."""
    buffer = io.StringIO()
    write_table_csv(table, buffer, csv_safe=csv_safe)
    return buffer.getvalue()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _input_hashes(analysis: Analysis) -> Iterator[dict[str, Any]]:
    """Each document's run-record entry, one at a time (a large corpus's list is written as it is made)."""
    hashed: dict[str, str] = {}  # a file holding many documents (a table) is read and hashed once
    for doc in analysis.documents:
        known = getattr(doc, "hash_entry", None)  # computed while a chunked report had the document
        if known is not None:
            yield known
            continue
        entry: dict[str, Any] = {"id": doc.id, "path": doc.path or ""}
        p = Path(doc.path) if doc.path and not doc.path.startswith("<") and doc.path != "-" else None
        if p is not None and p.is_file():
            if doc.path not in hashed:
                hashed[doc.path] = file_sha256(p)
            entry["sha256"] = hashed[doc.path]
        else:
            entry["body_sha256"] = _sha256(doc.body.encode("utf-8"))
        entry["encoding"] = doc.encoding  # the codec the bytes were decoded with
        if doc.warnings:  # e.g. a guessed codec with its confidence, replaced bytes, a split over-long sentence
            entry["warnings"] = list(doc.warnings)
        yield entry


def _metadata_hashes(analysis: Analysis, metadata: str | None) -> list[dict[str, str]]:
    folders = sorted({str(Path(d.path).parent) for d in analysis.documents if d.path and Path(d.path).is_file()})
    files = [Path(f) / n for f in folders for n in ("metadata.csv", "metadata.toml")]
    if metadata:
        files.append(Path(metadata))
    return [{"path": str(f), "sha256": file_sha256(f)} for f in files if f.is_file()]


def _skipped(problem: Any) -> dict[str, str]:
    """A skipped input and why, from a :class:`~framing.ingest.LoadProblem` (or anything printable)."""
    path = getattr(problem, "path", None)
    reason = getattr(problem, "message", None)
    if path is None or reason is None:
        return {"path": "", "reason": str(problem)}
    return {"path": str(path), "reason": str(reason)}


def _generated_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return now.replace(microsecond=0).isoformat()


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def run_record(comp: Comparison, analysis: Analysis, info: MethodsInfo, options: dict[str, Any],
               inputs: dict[str, Any], problems: Sequence[Any], written: Sequence[Path]) -> dict[str, Any]:
    """The run record: what produced these files, and (under ``generated_at``) when."""
    run = analysis.run
    return {
        "generated_at": _generated_at(),
        "framing_version": run.get("framing_version"),
        "options": {k: _jsonable(v) for k, v in options.items()},
        "grouping": comp.grouping,
        "groups": comp.group_sizes(),
        "inputs": {**inputs, "documents": _input_hashes(analysis),
                   "metadata_files": _metadata_hashes(analysis, inputs.get("metadata"))},
        "problems": [_skipped(p) for p in problems],
        "extractors": run.get("extractors", []),
        "lexicons": [{k: x.get(k, "") for k in ("name", "version", "sha256", "used_by")} for x in info.lexicons],
        "environment": {"python": run.get("python", platform.python_version()), "packages": run.get("packages", {})},
        "files": {p.name: file_sha256(p) for p in written},
    }

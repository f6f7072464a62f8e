"""Loaders: from files, folders, tables and stdin to :class:`~framing.document.Document` objects.

* Plain text (``.txt``), Markdown (``.md``, markup stripped to plain text),
  HTML (``.html``/``.htm``, main text and metadata extracted with
  trafilatura, reader comments excluded), JSON Lines (``.jsonl``) and CSV
  (``.csv``) tables with configurable text/id/title columns, and ``-`` for
  standard input (HTML when it looks like HTML, plain text otherwise).
* Bytes are decoded strictly as UTF-8 first (a UTF-8, UTF-16 or UTF-32 byte
  order mark is honoured); otherwise, in this order: the charset an HTML page
  declares; UTF-8 with the invalid bytes replaced when most of the non-ASCII
  bytes are valid UTF-8; cp1252 when it reads as Western European text; then
  the encoding charset-normalizer finds most plausible. The codec is recorded
  in :attr:`Document.encoding`, and :attr:`Document.warnings` says which bytes
  were replaced or which codec was chosen, why, and how confident. Binary
  files are refused.
* Folder walks read every file once: a folder or file reached again (a
  directory symlink loop, two links to one folder) is skipped with one line.
  Unreadable folders, names that are not valid UTF-8 and framing's own report
  folders (a ``run.json`` written by framing) are skipped with one line each.
* Metadata (title, outlet, author, date, url, role, anything else) comes from
  a sidecar file — ``metadata.csv``/``metadata.toml`` in a folder, or the
  ``metadata=`` argument — and/or from the table rows and the HTML itself;
  the sidecar wins over what is found in the document.
* :func:`finish_document` separates boilerplate (:mod:`framing.boilerplate`)
  and detects the language (py3langid).

Nothing fails loudly half-way: every file or row that cannot be used becomes a
:class:`LoadProblem` (one line naming it and the problem) on
:attr:`Corpus.problems`, and the rest is loaded.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
import warnings as pywarnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import ROLES, Document
from .ids import IdCounts, unique_id

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Corpus",
    "LoadProblem",
    "UnreadableInput",
    "decode_bytes",
    "detect_language",
    "finish_document",
    "iter_documents",
    "load",
    "make_document",
    "markdown_to_text",
    "read_metadata",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".csv", ".parquet")
#: tables read record by record (never whole): memory does not grow with the file
_TABLE_SUFFIXES = (".jsonl", ".csv", ".parquet")
#: rows per Parquet record batch read at a time
PARQUET_BATCH_ROWS = 256
METADATA_NAMES = ("metadata.csv", "metadata.toml")
_HTML_SUFFIXES = (".html", ".htm")
_MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class LoadProblem:
    """A file (or row) that could not be loaded, and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Corpus(list):
    """A list of documents that also remembers what could not be loaded (:attr:`problems`)."""

    def __init__(self, docs: Iterable[Document] = (), problems: Iterable[LoadProblem] = ()):
        super().__init__(docs)
        self.problems: list[LoadProblem] = list(problems)


class UnreadableInput(ValueError):
    """Raised by :func:`decode_bytes` for input that is not text (binary, undecodable, empty)."""


class _Sidecar(dict):
    """Metadata rows ``{file name or id: fields}`` from sidecar files, remembering which file each row came from
    and which rows a document used (:meth:`unused`: the rows that matched no document read)."""

    def __init__(self) -> None:
        super().__init__()
        self.source: dict[str, str] = {}
        self.used: set[str] = set()

    def add(self, rows: dict[str, dict[str, str]], source: Path) -> None:
        self.update(rows)
        self.source.update(dict.fromkeys(rows, str(source)))

    def __getitem__(self, key: str) -> dict[str, str]:
        found = super().__getitem__(key)
        self.used.add(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            return self[key]
        return default

    def unused(self) -> dict[str, list[str]]:
        """Sidecar file -> the keys of its rows that no document used, in the file's order."""
        out: dict[str, list[str]] = {}
        for key in self:
            if key not in self.used:
                out.setdefault(self.source[key], []).append(key)
        return out


@dataclass
class _Options:
    text_col: str = "text"
    id_col: str = "id"
    title_col: str = "title"
    boilerplate: bool = True
    metadata: _Sidecar = field(default_factory=_Sidecar)        # from metadata=
    folder_metadata: dict[Path, _Sidecar] = field(default_factory=dict)  # by resolved folder
    _by_parent: dict[Path, dict[str, dict[str, str]]] = field(default_factory=dict)  # by folder as given
    walked: list[_Sidecar] = field(default_factory=list)  # the sidecars of folders read whole
    seen_ids: IdCounts = field(default_factory=IdCounts)
    visited: dict[str, str] = field(default_factory=dict)  # real path -> path as first reached


def load(paths: str | Path | Iterable[str | Path], *, metadata: str | Path | None = None, text_col: str = "text",
         id_col: str = "id", title_col: str = "title", boilerplate: bool = True) -> Corpus:
    """Load documents from files, folders, ``.jsonl``/``.csv`` tables or ``-`` (stdin).

    Parameters
    ----------
    paths : path or iterable of paths
        Files or folders. Folders are read recursively in name order (hidden entries skipped); a
        ``metadata.csv``/``metadata.toml`` inside a folder is the sidecar for
        its files (also when a file is named directly).
    metadata : path, optional
        A sidecar metadata file (CSV with a ``file`` or ``id`` column, or TOML
        with ``[[document]]`` tables) giving title, outlet, author, date, url,
        role, …; it wins over a folder's own sidecar.
    text_col, id_col, title_col : str
        Column names in ``.jsonl``/``.csv`` inputs.
    boilerplate : bool
        Separate boilerplate from the body (default). ``False`` keeps the
        whole text as the body.

    Returns
    -------
    Corpus
        The documents, with ``.problems`` listing every file or row that could not be read.
    """
    problems: list[LoadProblem] = []
    docs = list(iter_documents(paths, metadata=metadata, text_col=text_col, id_col=id_col, title_col=title_col,
                               boilerplate=boilerplate, problems=problems))
    return Corpus(docs, problems)


def iter_documents(paths: str | Path | Iterable[str | Path], *, metadata: str | Path | None = None,
                   text_col: str = "text", id_col: str = "id", title_col: str = "title", boilerplate: bool = True,
                   problems: list[LoadProblem] | None = None) -> Iterator[Document]:
    """The documents of :func:`load`, one at a time, in the same order and with the same ids.

    Tables (``.jsonl``, ``.csv``, ``.parquet``) are read record by record, so memory does not grow with
    the input: a consumer that drops each document after use (``framing score`` scores them in chunks)
    holds only the ids seen so far (to rename duplicates). Every input or row that cannot be used is
    appended to ``problems`` (a list the caller owns and may read while iterating) as it is met.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    opts = _Options(text_col=text_col, id_col=id_col, title_col=title_col, boilerplate=boilerplate)
    if problems is None:
        problems = []
    if metadata is not None:
        try:
            opts.metadata.add(read_metadata(Path(metadata), problems), Path(metadata))
        except (OSError, ValueError) as exc:
            problems.append(LoadProblem(str(metadata), f"cannot read metadata ({_reason(exc)})"))
    for p in paths:
        source = None if str(p) == "-" else Path(str(p))
        for doc in _expand(source, opts, problems):
            yield _unique_id(doc, opts)
    problems.extend(_unused_metadata(opts))


def _unused_metadata(opts: _Options) -> list[LoadProblem]:
    """One problem per sidecar file with rows that named no document read: the ``metadata=`` file, and the
    sidecars of folders read whole (a folder's files named one by one need not all be read)."""
    out = []
    for table in [opts.metadata, *opts.walked]:
        for source, keys in table.unused().items():
            rows = f"{len(keys):,} row{'s' * (len(keys) != 1)} name{'s' * (len(keys) == 1)}"
            out.append(LoadProblem(source, f"{rows} no document that was read ({_listed(keys)}); "
                                           "not used: check the file names or ids"))
    return out


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _unique_id(doc: Document, opts: _Options) -> Document:
    """Rename a repeated id ``a`` to ``a#2``, ``a#3``, … (skipping any such name already taken)."""
    renamed = unique_id(opts.seen_ids, doc.id)
    if renamed != doc.id:
        doc.warnings.append(f"duplicate id {doc.id!r}; renamed to '{renamed}'")
        doc.id = renamed
    return doc


# ---------------------------------------------------------------------------
# files and folders

def _expand(path: Path | None, opts: _Options, problems: list[LoadProblem], walked: bool = False) -> Iterator[Document]:
    """Documents from one input; ``walked`` is True for entries reached by walking a folder."""
    if path is None:
        yield from _load_stdin(opts, problems)
        return
    bad_name = _undecodable_name(path)
    if bad_name:
        problems.append(LoadProblem(shown_path(path), bad_name))
        return
    try:
        is_dir = path.is_dir()
    except OSError as exc:  # e.g. a file inside a folder without search permission
        problems.append(LoadProblem(str(path), f"cannot read ({_reason(exc)})"))
        return
    if is_dir:
        yield from _expand_folder(path, opts, problems, walked)
        return
    if not path.exists():
        problems.append(LoadProblem(str(path), "broken symbolic link (its target is missing or loops)"
                                    if path.is_symlink() else "no such file or folder"))
        return
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        problems.append(LoadProblem(str(path), _unsupported(path)))
        return
    if _seen_before(path, opts, problems, walked):
        return
    _folder_sidecar(path.parent, opts, problems)
    if path.suffix.lower() in _TABLE_SUFFIXES:
        yield from _stream_table(path, opts, problems)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(LoadProblem(str(path), f"cannot read ({_reason(exc)})"))
        return
    yield from _load_bytes(raw, str(path), path, opts, problems)


def _expand_folder(folder: Path, opts: _Options, problems: list[LoadProblem], walked: bool) -> Iterator[Document]:
    """Documents of a folder and its sub-folders (name order; hidden entries and sidecars skipped)."""
    if _seen_before(folder, opts, problems, walked):
        return
    report = _framing_report_folder(folder)
    if report:
        problems.append(LoadProblem(str(folder), report))
        return
    try:
        children = sorted(folder.iterdir())
    except OSError as exc:
        problems.append(LoadProblem(str(folder), f"cannot read folder ({_reason(exc)}); skipped"))
        return
    opts.walked.append(_folder_sidecar(folder, opts, problems))
    for child in children:
        if child.name in METADATA_NAMES or child.name.startswith("."):
            continue  # sidecars are metadata; hidden files and folders are not documents
        yield from _expand(child, opts, problems, walked=True)  # sub-folders too, each with its own sidecar


def shown_path(path: Path | str) -> str:
    """``path`` as printable text: bytes that are not UTF-8 in a file name shown as ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _undecodable_name(path: Path) -> str:
    """Why a path whose name holds bytes that are not UTF-8 is skipped ('' for a good name)."""
    bad = sorted({ord(c) - 0xDC00 for c in str(path) if "\udc80" <= c <= "\udcff"})
    if not bad:
        return ""
    byte_list = ", ".join(f"0x{b:02x}" for b in bad)
    return f"file name is not valid UTF-8 (byte {byte_list}); skipped: rename it to read it"


def _seen_before(path: Path, opts: _Options, problems: list[LoadProblem], walked: bool) -> bool:
    """True (with one problem line) when a folder walk reaches a file or folder already read.

    Paths named explicitly are always read; the walk never reads one real path twice, so a
    directory symlink loop or two links to one folder cannot inflate the corpus.
    """
    real = os.path.realpath(path)
    first = opts.visited.get(real)
    if first is None:
        opts.visited[real] = str(path)
        return False
    if not walked:
        return False
    parent = os.path.realpath(path.parent)
    if os.path.commonpath([real, parent]) == real:
        problems.append(LoadProblem(str(path), f"directory symlink loop (leads back to {first}); skipped"))
    else:
        kind = "folder" if path.is_dir() else "file"
        problems.append(LoadProblem(str(path), f"same {kind} as {first} (already read); skipped"))
    return True


#: largest ``run.json`` read to recognise a report folder
_RUN_RECORD_MAX_BYTES = 10_000_000


def _framing_report_folder(folder: Path) -> str:
    """Why ``folder`` is not read as input when it is a framing report folder ('' otherwise)."""
    record = folder / "run.json"
    try:
        if record.stat().st_size > _RUN_RECORD_MAX_BYTES:
            return ""
        data = json.loads(record.read_bytes())
    except (OSError, ValueError):
        return ""
    if not isinstance(data, dict) or "framing_version" not in data:
        return ""
    return ("a framing report folder (its run.json was written by framing); its tables are outputs, "
            "not documents; skipped")


def _unsupported(path: Path) -> str:
    return f"unsupported file type '{path.suffix.lower() or '(none)'}' (supported: {' '.join(SUPPORTED_SUFFIXES)})"


def _folder_sidecar(folder: Path, opts: _Options, problems: list[LoadProblem]) -> _Sidecar:
    """The metadata rows of ``folder``'s sidecar files (read once per folder)."""
    key = Path(os.path.realpath(folder))
    if key in opts.folder_metadata:
        return opts.folder_metadata[key]
    table = opts.folder_metadata[key] = _Sidecar()
    for name in METADATA_NAMES:
        side = folder / name
        try:
            if not side.is_file():
                continue
            table.add(read_metadata(side, problems), side)
        except (OSError, ValueError) as exc:
            problems.append(LoadProblem(str(side), f"cannot read metadata ({_reason(exc)})"))
    return table


def _load_bytes(raw: bytes, source: str, path: Path | None, opts: _Options, problems: list[LoadProblem],
                kind: str | None = None) -> Iterator[Document]:
    suffix = kind or (path.suffix.lower() if path else ".txt")
    declared = _declared_charset(raw) if suffix in _HTML_SUFFIXES else None
    try:
        text, encoding, warnings = decode_bytes(raw, declared)
    except UnreadableInput as exc:
        problems.append(LoadProblem(source, str(exc)))
        return
    if suffix == ".jsonl":
        yield from _rows_jsonl(text.splitlines(), source, path, opts, problems, encoding, warnings)
    elif suffix == ".csv":
        yield from _rows_csv(io.StringIO(text, newline="").readlines(), source, path, opts, problems, encoding,
                             warnings)
    else:
        doc_id = path.stem if path else "stdin"
        meta = _file_metadata(path, doc_id, opts)
        doc = _text_document(text, suffix, source, doc_id, meta, encoding, warnings, problems)
        if doc is not None:
            yield from _checked(finish_document(doc, boilerplate=opts.boilerplate), source, problems)


def _load_stdin(opts: _Options, problems: list[LoadProblem]) -> Iterator[Document]:
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    head = raw[:1000].lstrip().lower()
    kind = ".html" if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head else ".txt"
    yield from _load_bytes(raw, "-", None, opts, problems, kind=kind)


def _file_metadata(path: Path | None, doc_id: str, opts: _Options) -> dict[str, str]:
    """Sidecar metadata of a file: the folder's sidecar, overridden by ``metadata=``."""
    if path is None:
        return dict(opts.metadata.get("-", {}) or opts.metadata.get("stdin", {}))
    folder = _folder_table(path, opts)
    meta: dict[str, str] = {}
    for table in (folder, opts.metadata):
        for key in (path.stem, path.name, str(path), path.as_posix()):
            if key in table:
                meta.update(table[key])
                break
    return meta


def _folder_table(path: Path, opts: _Options) -> dict[str, dict[str, str]]:
    """The sidecar table of the folder holding ``path`` (resolved once per folder)."""
    table = opts._by_parent.get(path.parent)
    if table is None:
        table = opts._by_parent[path.parent] = opts.folder_metadata.get(Path(os.path.realpath(path.parent)), {})
    return table


def _text_document(text: str, suffix: str, source: str, doc_id: str, meta: dict[str, str], encoding: str,
                   warnings: list[str], problems: list[LoadProblem]) -> Document | None:
    extra: list[tuple[int, int, str, str]] = []
    notes: list[str] = []
    if suffix in _HTML_SUFFIXES:
        with _library_warnings() as notes:
            extracted = extract_html(text)
        if extracted is None:
            problems.append(LoadProblem(source, "no main text found in the HTML (trafilatura extracted nothing)"))
            return None
        text, found = extracted
        if found.get("date") and not meta.get("date"):
            found["date_source"] = "page"  # the page's own metadata, not the user's sidecar
        meta = {**found, **meta}
        fmt = "html"
    elif suffix in _MARKDOWN_SUFFIXES:
        text, front, extra = markdown_to_text(text)
        if front.get("date") and not meta.get("date"):
            front["date_source"] = "page"
        meta = {**front, **meta}
        fmt = "markdown"
    else:
        fmt = "text"
    if not text.strip():
        problems.append(LoadProblem(source, "no text after extraction" if fmt != "text" else
                                    "only white space, no text"))
        return None
    meta.setdefault("format", fmt)
    doc = make_document(doc_id=meta.pop("id", "") or doc_id, text=text, meta=meta, path=source, encoding=encoding)
    doc.warnings.extend([*warnings, *notes])
    if extra:
        doc.cache["_boilerplate_hints"] = extra
    return doc


# ---------------------------------------------------------------------------
# tables

def _stream_table(path: Path, opts: _Options, problems: list[LoadProblem]) -> Iterator[Document]:
    """The rows of a ``.jsonl``/``.csv``/``.parquet`` file, read record by record.

    A text table that is UTF-8 throughout (checked first in one pass over the bytes, in constant
    memory) is read line by line; anything else (a UTF-16/32 byte order mark, another encoding, an
    empty or blank file) goes through :func:`decode_bytes` whole as before, with the same warnings
    and problems.
    """
    source = str(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield from _rows_parquet(path, opts, problems)
        return
    try:
        codec = _utf8_codec(path)
        if codec is None:
            raw = path.read_bytes()
    except UnreadableInput as exc:
        problems.append(LoadProblem(source, str(exc)))
        return
    except OSError as exc:
        problems.append(LoadProblem(source, f"cannot read ({_reason(exc)})"))
        return
    if codec is None:
        yield from _load_bytes(raw, source, path, opts, problems)
        return
    try:
        # newline="": lines end at \n, \r or \r\n, as io.StringIO(text, newline="") splits the whole text
        with open(path, encoding=codec, newline="") as fh:
            if suffix == ".jsonl":
                lines: Iterable[str] = (part for line in fh for part in line.splitlines() or [""])
                yield from _rows_jsonl(lines, source, path, opts, problems, "utf-8", [])
            else:
                yield from _rows_csv(fh, source, path, opts, problems, "utf-8", [])
    except OSError as exc:
        problems.append(LoadProblem(source, f"cannot read ({_reason(exc)})"))


#: bytes read at a time while checking that a table is UTF-8
_CHECK_BLOCK = 1 << 20


def _utf8_codec(path: Path) -> str | None:
    """``"utf-8"`` (or ``"utf-8-sig"`` with its byte order mark) when the whole file is UTF-8 text with
    something besides white space; None when :func:`decode_bytes` must decide on the whole bytes.

    Raises :class:`UnreadableInput` for a binary file, as :func:`decode_bytes` would (same sample, same message).
    """
    import codecs

    with open(path, "rb") as fh:
        head = fh.read(8192)
        if not head or b"\x00" in head:
            return None  # empty, UTF-16/32 without a byte order mark, or binary: decode_bytes says which
        codec = "utf-8"
        for bom, name in _BOMS:
            if head.startswith(bom):
                if name != "utf-8-sig":
                    return None
                codec = name
        if codec == "utf-8":
            _refuse_binary(head)
        decoder = codecs.getincrementaldecoder(codec)("strict")
        text_seen = False
        block = head
        try:
            while block:
                text = decoder.decode(block)
                text_seen = text_seen or bool(text.strip())
                block = fh.read(_CHECK_BLOCK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return codec if text_seen else None


def _rows_parquet(path: Path, opts: _Options, problems: list[LoadProblem]) -> Iterator[Document]:
    """The rows of a Parquet file, one record batch (:data:`PARQUET_BATCH_ROWS` rows) at a time."""
    source = str(path)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        problems.append(LoadProblem(source, "reading Parquet needs pyarrow (pip install 'framing[parquet]')"))
        return
    try:
        pf = pq.ParquetFile(path)
        names = list(pf.schema_arrow.names)
    except (OSError, ValueError, pa.ArrowException) as exc:
        problems.append(LoadProblem(source, f"not a readable Parquet file ({_one_line(exc)})"))
        return
    if opts.text_col not in names:
        problems.append(LoadProblem(source, f"no '{opts.text_col}' column (columns: "
                                            f"{', '.join(names)[:200] or 'none'}); use --text-col"))
        return
    stem = path.stem
    rowno = 0
    batches = pf.iter_batches(batch_size=PARQUET_BATCH_ROWS)
    while True:
        try:
            batch = next(batches, None)
        except (OSError, ValueError, pa.ArrowException) as exc:
            problems.append(LoadProblem(f"{source}:{rowno + 1}", f"cannot read the rest of the Parquet file "
                                                                 f"({_one_line(exc)}); rows from here skipped"))
            return
        if batch is None:
            break
        for row in batch.to_pylist():
            rowno += 1
            where = f"{source}:{rowno}"
            yield from _row_document(row, where, f"{stem}-{rowno}", path, opts, problems, "utf-8", [])
    if rowno == 0:
        problems.append(LoadProblem(source, "no rows"))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _rows_jsonl(lines: Iterable[str], source: str, path: Path | None, opts: _Options, problems: list[LoadProblem],
                encoding: str, warnings: list[str]) -> Iterator[Document]:
    stem = path.stem if path else "stdin"
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(LoadProblem(where, f"malformed JSON line ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(row, dict):
            problems.append(LoadProblem(where, f"line is a JSON {type(row).__name__}, not an object"))
            continue
        yield from _row_document(row, where, f"{stem}-{lineno}", path, opts, problems, encoding, warnings)


def _rows_csv(lines: Iterable[str], source: str, path: Path | None, opts: _Options, problems: list[LoadProblem],
              encoding: str, warnings: list[str]) -> Iterator[Document]:
    records = _csv_line_records(iter(lines))
    header = next(records, None)
    fieldnames = header[1] if header is not None and header[1] is not None else []
    if opts.text_col not in fieldnames:
        problems.append(LoadProblem(source, f"no '{opts.text_col}' column (columns: "
                                            f"{_listed(fieldnames) or 'none'}); "
                                            f"{_separator_hint(fieldnames) or 'use --text-col'}"))
        return
    repeated = sorted({name for name in fieldnames if fieldnames.count(name) > 1})
    if repeated:  # a row's dict would keep the last of each: the first is read, and the file says so
        problems.append(LoadProblem(source, f"the header names {_listed([repr(r) for r in repeated])} more than "
                                            "once; the first column of each name is read"))
    stem = path.stem if path else "stdin"
    rowno = 0
    for lineno, fields, error in records:
        where = f"{source}:{lineno}"
        if fields is None:
            problems.append(LoadProblem(where, error))
            continue
        rowno += 1
        ragged = _ragged(fields, fieldnames, opts.text_col)
        if ragged:
            problems.append(LoadProblem(where, ragged))
            continue
        row = _first_of_each(fieldnames, fields) if repeated else dict(zip(fieldnames, fields))
        docs = _row_document(row, where, f"{stem}-{rowno}", path, opts, problems, encoding, warnings)
        for doc in docs:
            if len(fields) < len(fieldnames):
                doc.warnings.append(f"row has {len(fields)} of the header's {len(fieldnames)} fields; "
                                    f"{_listed(fieldnames[len(fields):])} left empty")
            yield doc
    if rowno == 0:
        problems.append(LoadProblem(source, "no rows (only a header)"))


#: Names listed in one message before the rest are counted ("a, b, … and 4,990 more").
LISTED_NAMES = 10


def _listed(names: Sequence[str], limit: int = LISTED_NAMES) -> str:
    """``names`` joined by commas, the first ``limit`` of them and a count of the rest: one readable line."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])}, … and {len(names) - limit:,} more"


def _separator_hint(fieldnames: Sequence[str]) -> str:
    """Why a CSV header of one field has no text column when it looks separated by something other than commas
    ('' otherwise)."""
    if len(fieldnames) != 1:
        return ""
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if sep in fieldnames[0]:
            return f"the header looks separated by {name}: framing reads comma-separated CSV"
    return ""


def _first_of_each(names: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    """``dict(zip(names, values))`` keeping the first value of a repeated name, in the header's order."""
    row: dict[str, str] = {}
    for name, value in zip(names, values):
        row.setdefault(name, value)
    return row


def _ragged(fields: list[str], fieldnames: list[str], needed: str) -> str:
    """Why a row of the wrong length cannot be used ('' when it can: short rows that still hold ``needed``)."""
    if len(fields) > len(fieldnames):
        return f"row has {len(fields)} fields, the header {len(fieldnames)}; row skipped"
    if len(fields) <= fieldnames.index(needed):
        return (f"row has {len(fields)} field{'s' * (len(fields) != 1)}, the header {len(fieldnames)}: "
                f"no value for '{needed}'; row skipped")
    return ""


def _csv_records(text: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """``(line number, fields, '')`` for each non-blank CSV record, or ``(line, None, why)`` for a malformed one.

    Parsed strictly, so an unclosed quote cannot swallow the rest of the file: the record that
    starts at a malformed line is reported, and reading resumes on the next line.
    """
    return _csv_line_records(iter(io.StringIO(text, newline="").readlines()))


def _csv_line_records(lines: Iterator[str]) -> Iterator[tuple[int, list[str] | None, str]]:
    """:func:`_csv_records` over lines read one at a time (each with its line end).

    Only the lines of the record being parsed are held: after a malformed record they are
    parsed again from its second line, as the whole-text reader did.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    pushed: list[str] = []  # lines to read again, last first
    start = 0  # number of lines before the record being parsed
    held: list[str] = []  # the lines read since the last complete record

    def feed() -> Iterator[str]:
        while True:
            if pushed:
                line = pushed.pop()
            else:
                line = next(lines, None)
                if line is None:
                    return
            held.append(line)
            yield line

    while True:
        held.clear()
        reader = csv.reader(feed(), strict=True)
        try:
            for fields in reader:
                if fields:
                    yield start + 1, fields, ""
                start += len(held)
                held.clear()
            return
        except csv.Error as exc:
            bad = start + 1
            stopped = start + len(held)
            pushed.extend(reversed(held[1:]))
            if not pushed:
                following = next(lines, None)
                if following is not None:
                    pushed.append(following)
            more = bool(pushed)
            yield bad, None, _csv_error(exc, bad, stopped, bad + 1 if more else bad)
            start = bad


def _csv_error(exc: csv.Error, line: int, stopped: int, n_lines: int) -> str:
    if "end of data" in str(exc):
        what = "unclosed quote (the field runs to the end of the file)"
    else:
        what = f"unclosed or stray quote (the quoted field only closes on line {stopped}: {exc})"
    resume = f", reading resumes on line {line + 1}" if line < n_lines else ""
    return f"malformed CSV row: {what}; line {line} skipped{resume}"


def _row_document(row: dict[str, Any], where: str, default_id: str, path: Path | None, opts: _Options,
                  problems: list[LoadProblem], encoding: str, warnings: list[str]) -> Iterator[Document]:
    if opts.text_col not in row:
        problems.append(LoadProblem(where, f"no '{opts.text_col}' field"))
        return
    text = row.get(opts.text_col)
    if not isinstance(text, str):
        problems.append(LoadProblem(where, f"'{opts.text_col}' is not a string"))
        return
    if not text.strip():
        problems.append(LoadProblem(where, f"empty text in '{opts.text_col}'"))
        return
    meta = {str(k): _cell(v) for k, v in row.items() if k != opts.text_col}
    doc_id = meta.pop(opts.id_col, "") or default_id
    if opts.title_col != "title":
        meta["title"] = meta.pop(opts.title_col, "") or meta.get("title", "")
    side: dict[str, str] = {}
    if path is not None:
        side.update(_folder_table(path, opts).get(doc_id, {}))
    side.update(opts.metadata.get(doc_id, {}))
    meta = {**{k: v for k, v in meta.items() if v}, **side}
    meta.pop("id", None)
    meta.setdefault("format", "text")
    doc = make_document(doc_id=doc_id, text=text, meta=meta, path=where, encoding=encoding)
    doc.warnings.extend(warnings)
    yield from _checked(finish_document(doc, boilerplate=opts.boilerplate), where, problems)


def _checked(doc: Document, source: str, problems: list[LoadProblem]) -> Iterator[Document]:
    """The document, unless boilerplate separation left no body (then a problem naming what was found)."""
    if doc.body.strip():
        yield doc
        return
    found = ", ".join(f"{n} {cat}" for cat, n in doc.boilerplate_counts().items() if n)
    problems.append(LoadProblem(source, f"no text after extraction (only boilerplate: {found})"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# ---------------------------------------------------------------------------
# decoding

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_MAGIC = ((b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub)"),
          (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"\x1f\x8b", "gzip-compressed"), (b"\xd0\xcf\x11\xe0", "an old MS Office document"),
          (b"\x7fELF", "an executable"), (b"SQLite format 3", "an SQLite database"), (b"RIFF", "a media file"))
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode file contents by a fixed policy, saying what it chose and how sure it is.

    A byte order mark, then strict UTF-8; otherwise, in order: the declared
    charset; UTF-8 with the invalid bytes replaced by U+FFFD when most
    non-ASCII sequences are valid UTF-8; for Latin-script text in a Windows
    code page, cp1250 for Central European languages and cp1252 for Western
    ones (:func:`_latin_single_byte`); UTF-8 with
    replacement when under 1 % of the bytes are outside UTF-8; then
    charset-normalizer's best guess.

    Parameters
    ----------
    raw : bytes
    declared : str, optional
        The charset the content declares (an HTML ``<meta charset>``), tried
        when the bytes are not UTF-8.

    Returns
    -------
    (text, encoding, warnings)
        ``warnings`` says which bytes were replaced, or which codec was chosen, why and with what confidence.

    Raises
    ------
    UnreadableInput
        For empty, white-space-only, binary or undecodable input (the message says which).
    """
    _refuse_empty(raw)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                raise UnreadableInput(f"undecodable: starts with a {codec} byte order mark but is not {codec}") \
                    from None
            _refuse_empty(text)
            return text, codec, []
    utf16 = _bomless_utf16(raw)
    if utf16 is not None:
        return utf16, "utf-16", ["no byte order mark; decoded as UTF-16 (every other byte is zero)"]
    _refuse_binary(raw)
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    escaped = raw.decode("utf-8", "surrogateescape")  # each invalid byte becomes one lone surrogate
    n_bad = sum(1 for c in escaped if "\udc80" <= c <= "\udcff")
    n_valid = sum(1 for c in escaped if c > "\x7f") - n_bad
    first = next(i for i, c in enumerate(escaped) if "\udc80" <= c <= "\udcff")
    detail = f"{n_bad} byte{'s' * (n_bad != 1)} outside UTF-8, the first at character {first}"
    invalid = f"not valid UTF-8 ({detail})"
    if declared:
        try:
            return raw.decode(declared), declared, [f"{invalid}; decoded as {declared}, the charset the page declares"]
        except (UnicodeDecodeError, LookupError):
            pass
    if n_valid >= n_bad:
        confidence = n_valid / (n_valid + n_bad)
        return _utf8_replaced(escaped, invalid, f"{n_valid} of the {n_valid + n_bad} non-ASCII sequences are valid "
                                                f"UTF-8; confidence {confidence:.2f}")
    latin = _latin_single_byte(raw)
    if latin is not None:
        text, codec, why = latin
        return text, codec, [f"{invalid}; decoded as {codec} ({why})"]
    if n_bad <= 0.01 * len(raw):
        return _utf8_replaced(escaped, invalid, f"under 1% of the bytes, and no single-byte encoding reads them as "
                                                f"Western text; confidence {1 - n_bad / len(raw):.2f}")
    return _guessed(raw, detail)


def _refuse_empty(data: bytes | str) -> None:
    if not data:
        raise UnreadableInput("empty file")
    if not data.strip():
        raise UnreadableInput("only white space, no text")


#: invalid bytes listed one by one in a warning (the rest are counted)
_LISTED_BYTES = 5


def _utf8_replaced(escaped: str, invalid: str, why: str) -> tuple[str, str, list[str]]:
    """UTF-8 text with each invalid byte (a lone surrogate in ``escaped``) replaced by U+FFFD, and the warning."""
    where = [(i, ord(c) - 0xDC00) for i, c in enumerate(escaped) if "\udc80" <= c <= "\udcff"]
    listed = ", ".join(f"0x{b:02x} at character {i}" for i, b in where[:_LISTED_BYTES])
    more = f" and {len(where) - _LISTED_BYTES} more" if len(where) > _LISTED_BYTES else ""
    text = re.sub("[\udc80-\udcff]", "\ufffd", escaped)
    note = (f"{invalid}; decoded as UTF-8 with {len(where)} byte{'s' * (len(where) != 1)} replaced "
            f"by U+FFFD ({listed}{more}): {why}")
    return text, "utf-8", [note]


#: letters of Western European languages that cp1252 encodes above ASCII
_WESTERN_LETTERS = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸ")
#: cp1252 punctuation and symbols of Western text, which belong between words rather than inside them
_WESTERN_MARKS = frozenset("‘’‚“”„–—…•€£¢¥§©®™°±·«»¡¿ªº²³¹¼½¾´×÷¶†‡‰‹›\xa0\xad")
#: marks that may stand inside a word ("it’s", "l’État", a soft hyphen, a middle dot)
_IN_WORD_MARKS = frozenset("’'·\xad")
#: share of a text's letters above ASCII beyond which it is not Western European (Cyrillic, Greek read as cp1252)
_MAX_NON_ASCII_LETTERS = 0.4
#: share of the non-ASCII characters that must read as plausible Western text
_MIN_WESTERN_SHARE = 0.9


def _latin_single_byte(raw: bytes) -> tuple[str, str, str] | None:
    """``(text, codec, why)`` for Latin-script text in a Windows code page, else None.

    cp1250 when the text is in a Central European language (Czech "č, ř, ě" and Hungarian "ő, ű" read in
    cp1252 as the Western letters "è, ø, ì, õ, û", so the letters alone cannot tell; the language can);
    cp1252 when its reading looks like Western European text (:func:`_western_share`).
    """
    try:
        western: str | None = raw.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are unassigned in cp1252
        western = None
    reading = western if western is not None else raw.decode("latin-1")
    share = _western_share(reading)
    if share is None:
        return None
    lang, prob = detect_language(reading)
    if lang in _CP1250_LANGUAGES:
        try:
            return raw.decode("cp1250"), "cp1250", (f"Central European: the text reads as language '{lang}', "
                                                    f"written in cp1250 rather than cp1252; confidence {prob:.2f}")
        except UnicodeDecodeError:
            pass
    if western is not None and share >= _MIN_WESTERN_SHARE:
        return western, "cp1252", (f"Western European: the non-ASCII characters read as Western letters and "
                                   f"punctuation; confidence {share:.2f}")
    return None


#: languages written in cp1250 (Central European), whose letters cp1252 would misread as Western ones
_CP1250_LANGUAGES = frozenset({"cs", "sk", "pl", "hu", "hr", "sl", "bs", "sr", "ro", "sq"})


def _western_share(text: str) -> float | None:
    """Share of the non-ASCII characters of a single-byte reading that are plausible Western text.

    Plausible: Western letters, or Western punctuation not wedged between two letters (Polish cp1250
    read as cp1252 gives "Rz¹d", "³" and "¿" inside words). None when the text has no non-ASCII
    characters or when letters above ASCII are not a minority (Cyrillic or Greek read as cp1252 are
    all accented Latin): then it is not Latin-script text in a Windows code page.
    """
    plausible = total = accented = letters = 0
    for i, c in enumerate(text):
        if c.isalpha():
            letters += 1
        if c <= "\x7f":
            continue
        total += 1
        if c in _WESTERN_LETTERS:
            plausible += 1
            accented += 1
        elif c in _WESTERN_MARKS and (c in _IN_WORD_MARKS or not _between_letters(text, i)):
            plausible += 1
    if not total or accented > _MAX_NON_ASCII_LETTERS * letters:
        return None
    return plausible / total


def _between_letters(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def _guessed(raw: bytes, detail: str) -> tuple[str, str, list[str]]:
    """charset-normalizer's best reading, with a confidence split among the readings that fit as well."""
    with _library_warnings() as caught:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(raw))
    if not matches:
        raise UnreadableInput(f"undecodable: not UTF-8 ({detail}) and no other encoding fits")
    best = matches[0]
    text = str(best)
    if _control_ratio(text.encode("utf-8", "ignore")) > 0.05:
        raise UnreadableInput(f"undecodable: not UTF-8 and the best guess ({best.encoding}) gives control characters")
    ties = [m.encoding for m in matches[1:] if m.chaos <= best.chaos + 0.01]
    confidence = (1 - best.chaos) / (1 + len(ties))
    alternatives = f"; as good: {', '.join(ties[:3])}{' …' if len(ties) > 3 else ''}" if ties else ""
    language = f", language {best.language}" if best.language and best.language != "Unknown" else ""
    note = (f"not valid UTF-8 ({detail}); decoded as {best.encoding} (guessed by charset-normalizer{language}; "
            f"confidence {confidence:.2f}{alternatives})")
    return text, best.encoding, [note, *caught]


@contextlib.contextmanager
def _library_warnings() -> Iterator[list[str]]:
    """Python warnings raised by a library inside the block, as document warnings instead of stderr lines."""
    notes: list[str] = []
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        yield notes
    notes.extend(dict.fromkeys(f"{w.category.__name__} from {_module_of(w.filename)}: {w.message}" for w in caught))


def _module_of(filename: str) -> str:
    parts = Path(filename).with_suffix("").parts
    return ".".join(parts[parts.index("site-packages") + 1:]) if "site-packages" in parts else Path(filename).stem


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _declared_charset(raw: bytes) -> str | None:
    m = _CHARSET_RE.search(raw[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def _bomless_utf16(raw: bytes) -> str | None:
    """UTF-16 text written without a byte order mark (zero high bytes of ASCII), else None."""
    sample = raw[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) >= 0.7 * len(zeros):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                return None
            return text if _control_ratio(text.encode("utf-8", "ignore")) <= 0.05 else None
    return None


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL))) / len(sample)


def _refuse_binary(raw: bytes) -> None:
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise UnreadableInput(f"binary file ({what}), not text")
    sample = raw[:8192]
    if b"\x00" in sample:
        raise UnreadableInput("binary file (contains NUL bytes), not text")
    if _control_ratio(sample) > 0.05:
        raise UnreadableInput("binary file (too many control characters), not text")


# ---------------------------------------------------------------------------
# HTML

_JSONLD_RE = re.compile(r"<script[^>]+type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_META_RE = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""(\w[\w:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_SECTION_META = ("article:section", "section", "parsely-section", "sailthru.section", "og:article:section")


def extract_html(html: str) -> tuple[str, dict[str, str]] | None:
    """Main text and metadata of an HTML page (trafilatura; reader comments excluded).

    Returns ``None`` when trafilatura finds no main text. The metadata keys are
    ``title``, ``author``, ``date``, ``outlet`` (site name), ``url``,
    ``description``, ``categories``, ``tags``, ``schema_type`` (schema.org
    ``@type`` values from JSON-LD, e.g. ``OpinionNewsArticle``) and
    ``section`` (e.g. ``Opinion``, ``Sponsored``), each only when present.
    """
    import trafilatura

    result = trafilatura.bare_extraction(html, include_comments=False, include_tables=True, with_metadata=True,
                                         deduplicate=False)
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        return None
    meta: dict[str, str] = {}
    for key, attr in (("title", "title"), ("author", "author"), ("date", "date"), ("outlet", "sitename"),
                      ("url", "url"), ("description", "description")):
        value = getattr(result, attr, None)
        if value:
            meta[key] = str(value)
    for key in ("categories", "tags"):
        values = getattr(result, key, None)
        if values:
            meta[key] = "; ".join(values)
    types, sections = _schema_types_and_sections(html)
    if types:
        meta["schema_type"] = "; ".join(types)
    if sections:
        meta["section"] = "; ".join(sections)
    return text, meta


def _schema_types_and_sections(html: str) -> tuple[list[str], list[str]]:
    """schema.org ``@type`` values (articles first) and section labels declared in JSON-LD and meta tags."""
    types: list[str] = []
    sections: list[str] = []
    for block in _JSONLD_RE.findall(html):
        try:
            data = json.loads(block.strip())
        except json.JSONDecodeError:
            continue
        for node in _jsonld_nodes(data):
            for t in _as_list(node.get("@type")):
                if isinstance(t, str) and t not in types:
                    types.append(t)
            for s in _as_list(node.get("articleSection")) + _as_list(node.get("genre")):
                if isinstance(s, str) and s.strip() and s.strip() not in sections:
                    sections.append(s.strip())
    for tag in _META_RE.findall(html):
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTR_RE.finditer(tag)}
        name = (attrs.get("property") or attrs.get("name") or "").lower()
        value = attrs.get("content", "").strip()
        if name in _SECTION_META and value and value not in sections:
            sections.append(value)
    articles = [t for t in types if t.endswith("Article") or t in ("Report", "BlogPosting", "Review")]
    return articles + [t for t in types if t not in articles], sections


def _jsonld_nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_nodes(item)
    elif isinstance(data, dict):
        yield data
        for item in _as_list(data.get("@graph")):
            yield from _jsonld_nodes(item)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# ---------------------------------------------------------------------------
# Markdown

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE_RE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_QUOTE_RE = re.compile(r"^(\s{0,3}>\s?)+")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_INLINE_RES = (
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),          # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),         # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),           # <http://…>
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),                 # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),                      # `code`
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **bold**
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),    # _italic_
    (re.compile(r"~~(.+?)~~"), r"\1"),                      # ~~strike~~
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),     # escapes
)
_FRONT_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$")


def markdown_to_text(md: str) -> tuple[str, dict[str, str], list[tuple[int, int, str, str]]]:
    """Plain text of a Markdown document.

    Headings lose their ``#``, emphasis and code marks go, links become their
    text, images become their alt text (returned as ``caption`` spans so the
    boilerplate separator keeps them apart), reference definitions, rules and
    code fences are dropped; list markers and line structure are kept. YAML or
    TOML front matter becomes metadata.

    Returns
    -------
    (text, front_matter, caption_spans)
        ``caption_spans`` are ``(start, end, "caption", rule)`` into ``text``.
    """
    lines = md.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front, lines = _front_matter(lines)
    out: list[str] = []
    spans: list[tuple[int, int, str, str]] = []
    pos = 0
    in_fence = False
    for raw in lines:
        if _FENCE_RE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            line = raw
        elif _REFDEF_RE.match(raw) or _RULE_RE.match(raw) or (_SETEXT_RE.match(raw) and out and out[-1].strip()):
            line = ""
        else:
            line, image_only = _markdown_line(raw)
            if image_only and line.strip():
                lead = len(line) - len(line.lstrip())
                spans.append((pos + lead, pos + len(line.rstrip()), "caption", "markdown_image_alt"))
        out.append(line)
        pos += len(line) + 1
    return "\n".join(out), front, spans


def _markdown_line(raw: str) -> tuple[str, bool]:
    line = _QUOTE_RE.sub("", raw)
    heading = _HEADING_RE.match(line)
    if heading:
        line = heading.group(1)
    image_only = bool(_IMAGE_RE.search(line)) and not _IMAGE_RE.sub("", line).strip()
    line = _IMAGE_RE.sub(lambda m: m.group(1) or m.group(2) or "", line)
    for rx, repl in _INLINE_RES:
        line = rx.sub(repl, line)
    return line, image_only


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, lines
    fence = lines[0].strip()
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() == fence:
            meta: dict[str, str] = {}
            for line in lines[1:end]:
                m = _FRONT_KEY_RE.match(line)
                if m and m.group(2):
                    meta[m.group(1).lower()] = m.group(2).strip().strip("\"'")
            return meta, lines[end + 1:]
    return {}, lines


# ---------------------------------------------------------------------------
# documents

def make_document(doc_id: str, text: str, meta: dict[str, str] | None = None, path: str | None = None,
                  encoding: str = "utf-8") -> Document:
    """Build a :class:`Document` from raw text and a metadata mapping.

    ``role`` (or ``declared_role``) must be one of :data:`~framing.document.ROLES`;
    any other value is kept as ``meta['role_declared_raw']`` with a warning.
    """
    meta = dict(meta or {})
    role = (meta.pop("role", "") or meta.pop("declared_role", "")).strip().lower() or None
    warnings: list[str] = []
    if role is not None and role not in ROLES:
        meta["role_declared_raw"] = role
        warnings.append(f"declared role {role!r} is not one of {', '.join(ROLES)}; ignored")
        role = None
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    title = meta.pop("title", "") or _first_line(body)
    return Document(
        id=str(doc_id), body=body, title=title,
        outlet=meta.pop("outlet", None) or None, author=meta.pop("author", None) or None,
        date=meta.pop("date", None) or None, url=meta.pop("url", None) or None, role=role,
        meta=meta, path=path, encoding=encoding, source_text=body, warnings=warnings,
    )


def _metadata_rows(path: Path, problems: list[LoadProblem] | None) -> list[dict[str, str]]:
    """The well-formed rows of a CSV sidecar; each ragged or malformed row is a problem (or raises)."""
    text = path.read_text(encoding="utf-8-sig")
    if "\x00" in text:
        raise ValueError("binary file (contains NUL bytes), not a metadata table")
    records = _csv_records(text)
    header = next(records, None)
    if header is None or header[1] is None:
        raise ValueError(header[2] if header else "empty file")
    fieldnames = header[1]
    if not {"file", "id"} & {f.strip().lower() for f in fieldnames}:
        raise ValueError(f"no 'file' or 'id' column (header: {', '.join(fieldnames)[:80]})")
    rows = []
    for lineno, fields, error in records:
        if fields is not None and len(fields) != len(fieldnames):
            error = f"ragged metadata row: {len(fields)} fields, the header {len(fieldnames)}; row not used"
        if error:
            if problems is None:
                raise ValueError(f"line {lineno}: {error}")
            problems.append(LoadProblem(f"{path}:{lineno}", error))
            continue
        rows.append(dict(zip(fieldnames, fields)))
    return rows


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def _toml_rows(data: dict[str, Any], path: Path, problems: list[LoadProblem] | None) -> list[dict[str, Any]]:
    """The rows of a TOML sidecar: ``[[document]]`` tables (each with a ``file`` or ``id``), or one table per
    document named by its file or id (``["d000.txt"]`` then ``role = "official"``). An entry without a key, a
    value that is not a single text, number, date or truth value, and a top-level setting that is not a table
    are not used: each is a problem (or raises when ``problems`` is None)."""
    def skip(why: str) -> None:
        if problems is None:
            raise ValueError(why)
        problems.append(LoadProblem(str(path), why))

    listed = data.get("document", data.get("documents", []))
    if not isinstance(listed, list):
        raise ValueError("expected [[document]] tables")
    rows: list[dict[str, Any]] = []
    for i, entry in enumerate(listed, start=1):
        if not isinstance(entry, dict) or not (entry.get("file") or entry.get("id")):
            skip(f"[[document]] entry {i} has no 'file' or 'id'; not used")
            continue
        rows.append(entry)
    for key, value in data.items():
        if key in ("document", "documents"):
            continue
        if not isinstance(value, dict):
            skip(f"top-level setting {key!r} is not a table of one document's metadata; not used")
            continue
        rows.append({"file": key, **value})
    for row in rows:
        for field_name in [k for k, v in row.items() if isinstance(v, (list, dict))]:
            skip(f"'{field_name}' of {row.get('file') or row.get('id')!r} is not a single value; not used")
            del row[field_name]
    return rows


def read_metadata(path: Path, problems: list[LoadProblem] | None = None) -> dict[str, dict[str, str]]:
    """Read a sidecar metadata file into ``{file name or id: {field: value}}``.

    CSV: one row per document with a ``file`` and/or ``id`` column. TOML:
    ``[[document]]`` tables with the same keys, or a table per document named
    by its file or id (:func:`_toml_rows`). Rows are keyed by ``file``
    when given, else by ``id``. A CSV row with more or fewer fields than the
    header, or an unclosed quote, is not used: it is added to ``problems``
    (one line naming the file and line), or raises when ``problems`` is None.

    Raises
    ------
    ValueError
        When the file is malformed or has neither a ``file`` nor an ``id`` column.
    """
    if path.suffix.lower() == ".toml":
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"malformed TOML: {exc}") from None
        rows = _toml_rows(data, path, problems)
    else:
        rows = _metadata_rows(path, problems)
    out: dict[str, dict[str, str]] = {}
    repeated: dict[str, int] = {}
    for row in rows:
        if not isinstance(row, dict):
            continue
        row = {str(k).strip().lower(): str(v).strip() for k, v in row.items() if k is not None and v not in (None, "")}
        key = row.pop("file", "") or row.get("id", "")
        if key:
            if key in out:
                repeated[key] = repeated.get(key, 1) + 1
            out[key] = row
    if repeated and problems is not None:
        for key, n in repeated.items():
            problems.append(LoadProblem(str(path), f"{n} rows name {key!r}; the last one is used"))
    if rows and not out:
        raise ValueError("no 'file' or 'id' column")
    return out


#: characters given to the language identifier. py3langid walks the sample byte by byte in Python, so
#: its cost grows with it (on this machine ~1,500 docs/s at 600 characters, ~480 at 3,000); on 1,500
#: long English and Spanish press releases 400, 600, 1,200 and 3,000 characters gave identical labels
LANGUAGE_SAMPLE_CHARS = 600


def _language_sample(text: str) -> str:
    """Up to :data:`LANGUAGE_SAMPLE_CHARS` characters from the middle of ``text`` (away from headlines)."""
    if len(text) <= LANGUAGE_SAMPLE_CHARS:
        return text
    start = max(0, len(text) // 2 - LANGUAGE_SAMPLE_CHARS // 2)
    space = text.find(" ", start, start + 50)
    start = space + 1 if space >= 0 else start
    return text[start:start + LANGUAGE_SAMPLE_CHARS]


#: confidence a non-English guess in Latin script needs before a document is flagged as non-English
#: (texts under / over 40 words). On 23,659 English sentences of the shared evaluation sets (hedging,
#: promotional) py3langid alone said Latin, Pidgin, Welsh … for about 0.4 %, nearly all below 0.6;
#: with these thresholds one remains. Foreign sentences of 10-20 words score above 0.85.
NON_ENGLISH_MIN_CONFIDENCE = (0.8, 0.5)
_SHORT_TEXT_WORDS = 40


def _mostly_non_latin(sample: str) -> bool:
    """True when most letters are outside the Latin script (Chinese, Cyrillic, Arabic …): not English."""
    letters = [c for c in sample if c.isalpha()]
    return sum(c > "\u024f" for c in letters) > len(letters) / 2


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 language code and confidence, or ``"und"`` (undetermined).

    py3langid (which ships its model) on a sample from the middle of the
    text. ``"und"`` for texts too short to tell (fewer than five words and
    fifteen characters) and for non-English guesses in Latin script below
    :data:`NON_ENGLISH_MIN_CONFIDENCE`, so a few foreign-looking names do not
    make an English sentence unscoreable.
    """
    sample = _language_sample(text)
    n_words = len(sample.split())
    if n_words < 5 and len(sample.replace(" ", "")) < 15:
        return "und", 0.0
    from .langid import identifier  # py3langid's model, unpacked once and memory-mapped (milliseconds)

    lang, prob = identifier().classify(sample)
    needed = NON_ENGLISH_MIN_CONFIDENCE[0] if n_words < _SHORT_TEXT_WORDS else NON_ENGLISH_MIN_CONFIDENCE[1]
    if lang != "en" and prob < needed and not _mostly_non_latin(sample):
        return "und", float(prob)
    return str(lang), float(prob)


#: template labels that name the genre of the page; a plain-text document showing one gets ``meta['section']``
GENRE_LABELS = frozenset({"opinion", "op-ed", "commentary", "editorial", "analysis", "news analysis", "perspective",
                          "sponsored", "sponsored content", "sponsored post", "paid content", "paid post",
                          "partner content", "promoted", "advertorial", "press release", "explainer", "fact check"})


def _section_from_labels(doc: Document) -> None:
    """``meta['section']`` from genre labels in the text ("Opinion", "Sponsored"), unless the page declared one."""
    if doc.meta.get("section"):
        return
    found = []
    for block in doc.boilerplate:
        label = " ".join(block.text.split())
        if block.category == "section_label" and label.lower().rstrip(":") in GENRE_LABELS and label not in found:
            found.append(label)
    if found:
        doc.meta["section"] = "; ".join(found)


def finish_document(doc: Document, *, boilerplate: bool = True) -> Document:
    """Separate boilerplate from the body and detect the language (in place; returns ``doc``).

    The separation always starts again from :attr:`Document.source_text`, so
    calling this twice gives the same result. A title that was only the first
    line of the text is re-derived from the cleaned body.
    """
    if not doc.source_text:
        doc.source_text = doc.body
    if boilerplate:
        from .boilerplate import separate

        hints = doc.cache.pop("_boilerplate_hints", ())
        sep = separate(doc.source_text, outlet=doc.outlet, author=doc.author, extra=hints,
                       lead_alt=doc.meta.get("format") != "html")
        if doc.title == _first_line(doc.source_text):
            doc.title = _first_line(sep.body) or doc.title
        doc.body, doc.boilerplate = sep.body, sep.blocks
        _section_from_labels(doc)
        doc.__dict__.pop("segmentation", None)
        doc.__dict__.pop("attribution", None)
    lang, conf = detect_language(doc.body)
    doc.language, doc.language_confidence = lang, conf
    return doc

"""Loaders: from files, folders, tables and stdin to :class:`~framing.document.Document` objects.

FOUNDATION VERSION — plain text and Markdown files, JSON Lines and CSV tables,
sidecar metadata. (HTML, encoding detection, language detection and
boilerplate separation are being filled in; the API below is stable.)
"""
from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .document import ROLES, Document

__all__ = ["load", "Corpus", "LoadProblem", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".csv")
METADATA_NAMES = ("metadata.csv", "metadata.toml")


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


@dataclass
class _Options:
    text_col: str = "text"
    id_col: str = "id"
    title_col: str = "title"
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)


def load(paths: str | Path | Iterable[str | Path], *, metadata: str | Path | None = None, text_col: str = "text",
         id_col: str = "id", title_col: str = "title") -> Corpus:
    """Load documents from files, folders, ``.jsonl``/``.csv`` tables or ``-`` (stdin).

    Parameters
    ----------
    paths : path or iterable of paths
        Files or folders. Folders are read non-recursively in name order; a
        ``metadata.csv``/``metadata.toml`` inside a folder is used as its sidecar.
    metadata : path, optional
        A sidecar metadata file (CSV with a ``file`` or ``id`` column, or TOML
        with ``[[document]]`` tables) giving title, outlet, date, url, role, …
    text_col, id_col, title_col : str
        Column names in ``.jsonl``/``.csv`` inputs.

    Returns
    -------
    Corpus
        The documents, with ``.problems`` listing every file that could not be read.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    opts = _Options(text_col=text_col, id_col=id_col, title_col=title_col)
    problems: list[LoadProblem] = []
    if metadata is not None:
        opts.metadata.update(read_metadata(Path(metadata)))
    docs: list[Document] = []
    for p in paths:
        for item in _expand(Path(str(p)) if str(p) != "-" else None, opts, problems):
            docs.append(item)
    return Corpus(docs, problems)


def _expand(path: Path | None, opts: _Options, problems: list[LoadProblem]) -> Iterator[Document]:
    if path is None:
        text = sys.stdin.read()
        yield from _documents_from_text(text, "-", "stdin", opts, problems)
        return
    if path.is_dir():
        for name in METADATA_NAMES:
            side = path / name
            if side.exists():
                for k, v in read_metadata(side).items():
                    opts.metadata.setdefault(k, v)
        for child in sorted(path.iterdir()):
            if child.name in METADATA_NAMES or child.name.startswith(".") or child.is_dir():
                continue
            yield from _expand(child, opts, problems)
        return
    if not path.exists():
        problems.append(LoadProblem(str(path), "no such file or folder"))
        return
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        problems.append(LoadProblem(str(path), f"unsupported file type '{suffix or '(none)'}' "
                                               f"(supported: {' '.join(SUPPORTED_SUFFIXES)})"))
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(LoadProblem(str(path), f"cannot read ({exc.strerror or exc})"))
        return
    if not raw.strip():
        problems.append(LoadProblem(str(path), "empty file"))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(LoadProblem(str(path), "not UTF-8 text"))
        return
    if suffix == ".jsonl":
        yield from _rows_jsonl(text, path, opts, problems)
    elif suffix == ".csv":
        yield from _rows_csv(text, path, opts, problems)
    else:
        yield from _documents_from_text(text, str(path), path.stem, opts, problems)


def _documents_from_text(text: str, source: str, doc_id: str, opts: _Options,
                         problems: list[LoadProblem]) -> Iterator[Document]:
    if not text.strip():
        problems.append(LoadProblem(source, "no text"))
        return
    meta = dict(opts.metadata.get(Path(source).name, {}) or opts.metadata.get(doc_id, {}))
    yield finish_document(make_document(doc_id=meta.pop("id", "") or doc_id, text=text, meta=meta, path=source))


def _rows_jsonl(text: str, path: Path, opts: _Options, problems: list[LoadProblem]) -> Iterator[Document]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(LoadProblem(where, f"invalid JSON ({exc.msg})"))
            continue
        if not isinstance(row, dict):
            problems.append(LoadProblem(where, "line is not a JSON object"))
            continue
        yield from _row_document(row, where, f"{path.stem}-{lineno}", opts, problems)


def _rows_csv(text: str, path: Path, opts: _Options, problems: list[LoadProblem]) -> Iterator[Document]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or opts.text_col not in reader.fieldnames:
        problems.append(LoadProblem(str(path), f"no '{opts.text_col}' column (columns: "
                                               f"{', '.join(reader.fieldnames or [])}); use --text-col"))
        return
    for rowno, row in enumerate(reader, 2):
        yield from _row_document(row, f"{path}:{rowno}", f"{path.stem}-{rowno - 1}", opts, problems)


def _row_document(row: dict, where: str, default_id: str, opts: _Options,
                  problems: list[LoadProblem]) -> Iterator[Document]:
    text = row.get(opts.text_col)
    if not isinstance(text, str) or not text.strip():
        problems.append(LoadProblem(where, f"no text in column '{opts.text_col}'"))
        return
    meta = {k: ("" if v is None else str(v)) for k, v in row.items() if k != opts.text_col}
    doc_id = meta.pop(opts.id_col, "") or default_id
    if opts.title_col != "title" and opts.title_col in meta:
        meta["title"] = meta.pop(opts.title_col)
    meta = {**opts.metadata.get(doc_id, {}), **{k: v for k, v in meta.items() if v}}
    yield finish_document(make_document(doc_id=doc_id, text=text, meta=meta, path=where))


def make_document(doc_id: str, text: str, meta: dict[str, str] | None = None, path: str | None = None,
                  encoding: str = "utf-8") -> Document:
    """Build a :class:`Document` from raw text and a metadata mapping."""
    meta = dict(meta or {})
    role = (meta.pop("role", "") or meta.pop("declared_role", "")).strip().lower() or None
    if role is not None and role not in ROLES:
        meta["role_declared_raw"] = role
        role = None
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    title = meta.pop("title", "") or _first_line(body)
    return Document(
        id=str(doc_id), body=body, title=title,
        outlet=meta.pop("outlet", None) or None, author=meta.pop("author", None) or None,
        date=meta.pop("date", None) or None, url=meta.pop("url", None) or None, role=role,
        meta=meta, path=path, encoding=encoding, source_text=body,
    )


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Read a sidecar metadata file into ``{file name or id: {field: value}}``."""
    if path.suffix.lower() == ".toml":
        import tomllib

        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rows = data.get("document", [])
    else:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        row = {str(k): str(v) for k, v in row.items() if v not in (None, "")}
        key = row.pop("file", "") or row.get("id", "")
        if key:
            out[key] = row
    return out


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 language code and confidence (``("und", 0.0)`` for very short texts)."""
    sample = text[:5000]
    if len(sample.split()) < 5:
        return "und", 0.0
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    global _IDENTIFIER
    if _IDENTIFIER is None:
        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    lang, prob = _IDENTIFIER.classify(sample)
    return str(lang), float(prob)


_IDENTIFIER = None


def finish_document(doc: Document) -> Document:
    """Separate boilerplate from the body and detect the language (in place; returns ``doc``)."""
    lang, conf = detect_language(doc.body)
    doc.language, doc.language_confidence = lang, conf
    return doc

"""Writing results safely: atomic files, report folders written as a set, a lock, spreadsheet-safe CSV.

* :func:`atomic_file` writes to a temporary name in the target's folder and renames it into place
  (``os.replace``), so a reader sees the old file or the new one, never half of one.
* :class:`StagedFolder` writes a whole set of files (a report) into a hidden staging folder next to the
  target, then moves them in, ``run.json`` last; while files are being moved the folder holds
  :data:`INCOMPLETE_MARKER` and no ``run.json``. A folder is complete when its ``run.json`` exists and
  names every file with a matching hash (:func:`verify_folder`).
* :func:`folder_lock` refuses a second run writing into the same folder (:class:`FolderBusy`).
* :func:`spreadsheet_safe` prefixes with ``'`` every string cell a spreadsheet would read as a formula
  (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return); numbers are left alone. CSV gets it
  by default; JSON Lines and Parquet always keep raw values.
* :func:`check_outputs` refuses outputs that would overwrite, or be written into, the inputs.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

__all__ = ["FORMULA_PREFIXES", "INCOMPLETE_MARKER", "LOCK_NAME", "TABLE_SUFFIXES", "CompressingWriter", "FolderBusy",
           "OutputConflict", "StagedFolder", "atomic_file", "check_outputs", "csv_rows", "folder_lock", "safe_cell",
           "spreadsheet_safe", "verify_folder", "write_csv", "write_table"]

#: A string cell starting with one of these is a formula (or may start one) in Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Present in a report folder while its files are being moved into place.
INCOMPLETE_MARKER = ".framing-incomplete"
#: The lock file inside a report folder while a run writes it.
LOCK_NAME = ".framing.lock"
RUN_RECORD = "run.json"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")


class OutputConflict(ValueError):
    """An output path that would overwrite or write into an input, or that cannot be written as asked."""


class FolderBusy(RuntimeError):
    """Another run holds the folder's lock."""


# ---------------------------------------------------------------------------
# spreadsheet-safe cells

def safe_cell(value: Any) -> Any:
    """``'`` + the string when a spreadsheet would read it as a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_column(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if isinstance(series.dtype, pd.StringDtype):
        return _safe_strings(series)
    if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
        return series.map(safe_cell)
    return series  # numbers, booleans, dates: not strings, never touched


def _safe_strings(series: pd.Series) -> pd.Series:
    """:func:`safe_cell` of each cell of a column of pandas' string dtype: the cells' starts are tested in one
    vectorised pass (not a Python call per cell) and only the formula cells are rewritten."""
    formulas = np.flatnonzero(series.str.startswith(FORMULA_PREFIXES).to_numpy(dtype=bool, na_value=False))
    if not formulas.size:
        return series
    safe = series.copy()
    safe.iloc[formulas] = ["'" + cell for cell in series.iloc[formulas]]
    return safe


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose string cells (and column names) cannot run as spreadsheet formulas."""
    safe = pd.DataFrame({i: _safe_column(df.iloc[:, i]) for i in range(df.shape[1])}, index=df.index)
    safe.columns = [safe_cell(c) for c in df.columns]
    return safe


# ---------------------------------------------------------------------------
# atomic files

def _new_file_mode() -> int:
    """The mode ``open`` would give a new file under the current umask (mkstemp's files are 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync(fh: IO[Any]) -> None:
    fh.flush()
    os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_file(path: str | Path, mode: str = "w", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success rename it to ``path``, on any error remove it.

    ``open_kwargs`` go to :func:`open` (e.g. ``encoding``, ``newline``); text mode defaults to UTF-8.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if "b" not in mode:
        open_kwargs.setdefault("encoding", "utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with open(fd, mode, **open_kwargs) as fh:
            yield fh
            _fsync(fh)
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _new_file_mode())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------
# CSV rows in columnar passes

def _quotes_carriage_return() -> bool:
    """Whether this Python's ``csv`` writer quotes a field holding a carriage return when lines end in ``\\n``
    (3.11 does not; later versions may)."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["a\rb", "c"])
    return buffer.getvalue().startswith('"')


_NEEDS_QUOTES: str | None = None  # the regex of the characters that make the csv writer quote a field


def _needs_quotes() -> str:
    global _NEEDS_QUOTES
    if _NEEDS_QUOTES is None:
        _NEEDS_QUOTES = '[,"\n\r]' if _quotes_carriage_return() else '[,"\n]'
    return _NEEDS_QUOTES


def _float_cells(values: np.ndarray, float_format: str) -> np.ndarray:
    """``float_format % v`` for each float, ``""`` for NaN; each distinct value (by its bits: -0.0 is not 0.0)
    formatted once."""
    bits, inverse = np.unique(values.view(np.int64), return_inverse=True)
    distinct = bits.view(np.float64)
    formatted = np.array([float_format % v for v in distinct.tolist()], dtype=object)
    formatted[np.isnan(distinct)] = ""
    return formatted[inverse.ravel()]


def _csv_cells(series: pd.Series, float_format: str) -> Any:
    """A column's cells as an Arrow string array, written as pandas' ``to_csv`` writes them (NA as ``""``),
    or None for a column kind it does not handle (the caller falls back to pandas)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) or (dtype == object and pd.api.types.infer_dtype(series) in ("string",
                                                                                                     "empty")):
        cells = pa.array(series, type=pa.large_string(), from_pandas=True)
    elif isinstance(dtype, np.dtype) and dtype.kind == "f":
        cells = pa.array(_float_cells(series.to_numpy(dtype=np.float64), float_format), type=pa.large_string())
    elif isinstance(dtype, np.dtype) and dtype.kind in "iu":
        cells = pc.cast(pa.array(series.to_numpy()), pa.large_string())
    elif isinstance(dtype, np.dtype) and dtype.kind == "b":
        cells = pc.if_else(pa.array(series.to_numpy()), "True", "False").cast(pa.large_string())
    else:
        return None
    if isinstance(cells, pa.ChunkedArray):  # a column of Arrow-backed strings
        cells = cells.combine_chunks()
    cells = pc.fill_null(cells, "")
    quote = pc.match_substring_regex(cells, _needs_quotes())
    if not pc.any(quote).as_py():
        return cells
    quoted = cells.filter(quote)
    doubled = pc.match_substring(quoted, '"')
    if pc.any(doubled).as_py():
        quoted = pc.if_else(doubled, pc.replace_substring(quoted, '"', '""'), quoted)
    mark, nothing = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    return pc.replace_with_mask(cells, quote, pc.binary_join_element_wise(mark, quoted, mark, nothing))


def csv_rows(df: pd.DataFrame, float_format: str = "%.6g") -> str | None:
    """The rows of ``df`` (no header, no index) exactly as ``df.to_csv(index=False, header=False,
    float_format=float_format, lineterminator="\\n")`` writes them, built column by column in Arrow (about a
    quarter of the time of pandas' row writer); None when pyarrow is absent or a column is of a kind it does
    not handle (dates, mixed objects, a single column), so the caller writes with pandas."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    if df.shape[1] < 2 or not len(df):  # one column: csv quotes a lone empty field, a case not copied here
        return None
    columns = []
    for i in range(df.shape[1]):
        cells = _csv_cells(df.iloc[:, i], float_format)
        if cells is None:
            return None
        columns.append(cells)
    lines = pc.binary_join_element_wise(*columns, pa.scalar(",", pa.large_string()))
    whole = pa.LargeListArray.from_arrays(pa.array([0, len(lines)], type=pa.int64()), lines)
    return pc.binary_join(whole, pa.scalar("\n", pa.large_string()))[0].as_py() + "\n"


class CompressingWriter:
    """A text file whose writes are gzip-compressed into ``gz`` by a second thread, so compressing one batch
    overlaps formatting the next (zlib lets go of the interpreter while it compresses): use as a context
    manager. Text is encoded as UTF-8 and handed over in batches of at least ``batch`` characters, at most
    ``depth`` batches waiting; the compressed bytes depend on the text and ``batch`` only (reproducible)."""

    def __init__(self, gz: IO[bytes], batch: int = 1 << 22, depth: int = 2) -> None:
        import queue

        self._gz, self._batch = gz, batch
        self._pending: list[str] = []
        self._size = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._compress, name="framing-gzip", daemon=True)
        self._thread.start()

    def _compress(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._gz.write(data)
                except Exception as exc:  # noqa: BLE001 (raised again in the writing thread at its next write)
                    self._error = exc

    def _hand_over(self) -> None:
        if self._pending:
            self._queue.put("".join(self._pending).encode("utf-8"))
            self._pending, self._size = [], 0
        if self._error is not None:
            raise self._error

    def write(self, text: str) -> int:
        self._pending.append(text)
        self._size += len(text)
        if self._size >= self._batch:
            self._hand_over()
        return len(text)

    def close(self) -> None:
        """Hand over what is left and wait until every batch is compressed."""
        try:
            self._hand_over()
        finally:
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> CompressingWriter:  # noqa: PYI034 (Python 3.10 has no typing.Self)
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            self.close()
            return
        self._pending = []  # failing already: stop the thread without raising over the first error
        self._queue.put(None)
        self._thread.join()


def write_csv(df: pd.DataFrame, fh: IO[str], *, csv_safe: bool = True, **to_csv: Any) -> None:
    """Stream ``df`` as CSV to an open text file (spreadsheet-safe unless ``csv_safe=False``)."""
    (spreadsheet_safe(df) if csv_safe else df).to_csv(fh, index=False, **to_csv)


def write_table(df: pd.DataFrame, output: str | Path, *, csv_safe: bool = True) -> None:
    """Write a DataFrame as CSV, JSON Lines or Parquet by extension (``-`` = CSV on stdout), atomically.

    CSV cells are spreadsheet-safe unless ``csv_safe=False``; JSON Lines and Parquet keep raw values.
    """
    if str(output) == "-":
        write_csv(df, sys.stdout, csv_safe=csv_safe)
        return
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with atomic_file(path, "w", newline="") as fh:
            write_csv(df, fh, csv_safe=csv_safe)
    elif suffix == ".jsonl":
        with atomic_file(path, "w", newline="\n") as fh:
            df.to_json(fh, orient="records", lines=True, force_ascii=False)
    elif suffix == ".parquet":
        with atomic_file(path, "wb") as fh:
            df.to_parquet(fh, index=False)
    else:
        raise OutputConflict(f"unsupported output type '{suffix}' (use .csv, .jsonl or .parquet)")


# ---------------------------------------------------------------------------
# the folder lock

_HELD: set[Path] = set()


def _lock_owner(lock: Path) -> dict[str, Any]:
    try:
        return json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _owner_is_gone(owner: dict[str, Any]) -> bool:
    """True when the lock was taken on this host by a process that no longer exists."""
    pid = owner.get("pid")
    if owner.get("host") != socket.gethostname() or not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _take_lock(lock: Path) -> None:
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        owner = _lock_owner(lock)
        if not _owner_is_gone(owner):
            who = f"pid {owner['pid']}" if "pid" in owner else "another process"
            raise FolderBusy(f"{lock.parent}: another framing run ({who}) is writing this folder; "
                             f"if it is gone, remove {lock}") from None
        lock.unlink(missing_ok=True)  # a crashed run's lock
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"pid": os.getpid(), "host": socket.gethostname()}, fh)


@contextlib.contextmanager
def folder_lock(folder: str | Path) -> Iterator[Path]:
    """Hold ``folder/.framing.lock`` (creating the folder) for the block; re-entrant within a process.

    Raises :class:`FolderBusy` when another live process holds it. A folder this call created is
    removed again if it is left empty (e.g. the run failed before writing anything).
    """
    target = Path(folder).resolve()
    if target in _HELD:
        yield target
        return
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    lock = target / LOCK_NAME
    try:
        _take_lock(lock)
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()
        raise
    _HELD.add(target)
    try:
        yield target
    finally:
        _HELD.discard(target)
        lock.unlink(missing_ok=True)
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()  # only succeeds when nothing was written


# ---------------------------------------------------------------------------
# a folder written as a set

@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block ends (main thread only), then raise it: the block is not cut in half."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield  # not ours to change (another thread, or a handler installed outside Python)
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


class StagedFolder:
    """Write a set of files into a hidden staging folder, then move them into ``target`` together.

    Use as a context manager: create files under :attr:`path` (or with :meth:`open`), then call
    :meth:`commit` with the names in the order to move them (the run record last). Leaving the
    block without committing (an error, Ctrl-C) removes the staging folder and leaves ``target`` as it
    was. During :meth:`commit` the old ``run.json`` is removed first and :data:`INCOMPLETE_MARKER` is
    present, so a folder cut off mid-move is recognisably incomplete.
    """

    def __init__(self, target: str | Path, owned_names: Iterable[str] = ()):
        self.target = Path(target)
        self.owned_names = set(owned_names)
        self.path: Path | None = None

    def __enter__(self) -> StagedFolder:  # noqa: PYI034 (Python 3.10 has no typing.Self)
        self.target.mkdir(parents=True, exist_ok=True)
        parent = self.target.absolute().parent
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.target.absolute().name}.framing-staging-", dir=parent))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None

    def open(self, name: str, mode: str = "w", **open_kwargs: Any) -> IO[Any]:
        """Open ``name`` in the staging folder (text mode: UTF-8, ``\\n`` line ends)."""
        assert self.path is not None, "use StagedFolder as a context manager"
        if "b" not in mode:
            open_kwargs.setdefault("encoding", "utf-8")
            open_kwargs.setdefault("newline", "\n")
        return open(self.path / name, mode, **open_kwargs)

    def commit(self, names: list[str]) -> list[Path]:
        """Move ``names`` (the last one the completion record) into the target; return their final paths."""
        assert self.path is not None, "use StagedFolder as a context manager"
        for name in names:
            with open(self.path / name, "rb") as fh:
                os.fsync(fh.fileno())
        with _interrupts_deferred():
            marker = self.target / INCOMPLETE_MARKER
            marker.write_text("framing is moving a new set of files into this folder; "
                              "if this file stays, the folder is incomplete\n", encoding="utf-8")
            stale = self._previous_files() - set(names)
            (self.target / RUN_RECORD).unlink(missing_ok=True)
            for name in names:
                os.replace(self.path / name, self.target / name)
            for name in sorted(stale):
                (self.target / name).unlink(missing_ok=True)
            marker.unlink()
        return [self.target / name for name in names]

    def _previous_files(self) -> set[str]:
        """Files the previous run.json names that this writer owns (to remove when no longer written)."""
        try:
            files = json.loads((self.target / RUN_RECORD).read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError, AttributeError):
            return set()
        return {n for n in files if isinstance(n, str) and n in self.owned_names and Path(n).name == n}


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read a megabyte at a time (a report's evidence can be hundreds of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_folder(folder: str | Path) -> list[str]:
    """Why ``folder`` is not a complete report (empty list: complete): run.json names every file by hash."""
    folder = Path(folder)
    if (folder / INCOMPLETE_MARKER).exists():
        return [f"{folder}: incomplete (a run was interrupted while moving files into place)"]
    try:
        files = json.loads((folder / RUN_RECORD).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{folder}: no readable {RUN_RECORD}"]
    problems = []
    for name, digest in files.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif file_sha256(path) != digest:
            problems.append(f"{path}: does not match the hash in {RUN_RECORD}")
    return problems


# ---------------------------------------------------------------------------
# outputs versus inputs

def _real(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _input_paths(inputs: Iterable[str | Path | None]) -> list[Path]:
    return [_real(p) for p in inputs if p is not None and str(p) != "-"]


def check_outputs(inputs: Iterable[str | Path | None], files: dict[str, str | None] | None = None,
                  folder: tuple[str, str | Path, Iterable[str]] | None = None) -> None:
    """Refuse outputs that would overwrite an input or write into an input folder (:class:`OutputConflict`).

    ``inputs`` are the input files and folders (``-`` and ``None`` ignored); ``files`` maps an option name
    to an output file (``-`` = stdout); ``folder`` is ``(option name, output folder, names written into it)``.
    Nothing is created or read beyond ``stat``: call it before loading any document.
    """
    given = _input_paths(inputs)
    folders = [p for p in given if p.is_dir()]
    plain = [p for p in given if not p.is_dir()]
    outputs = {opt: out for opt, out in (files or {}).items() if out is not None}
    _check_stdout_once(outputs)
    seen: dict[Path, str] = {}
    for opt, out in outputs.items():
        if out == "-":
            continue
        path = _real(out)
        if path in seen:
            raise OutputConflict(f"{opt} and {seen[path]} name the same file: {out}")
        seen[path] = opt
        _check_file(opt, out, path, plain, folders)
    if folder is not None:
        _check_folder(*folder, plain=plain, folders=folders)


def _check_stdout_once(outputs: dict[str, str | None]) -> None:
    on_stdout = [opt for opt, out in outputs.items() if out == "-"]
    if len(on_stdout) > 1:
        raise OutputConflict(f"{' and '.join(on_stdout)} cannot both write to stdout ('-')")


def _check_parent(opt: str, out: str | Path, path: Path) -> None:
    """The nearest existing ancestor of an output must be a folder."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputConflict(f"{opt} {out}: {parent} is a file, not a folder")
            return


def _check_file(opt: str, out: str | Path, path: Path, plain: list[Path], folders: list[Path]) -> None:
    _check_parent(opt, out, path)
    if path in plain:
        raise OutputConflict(f"{opt} {out} is an input; it would be overwritten")
    if path.is_dir():
        raise OutputConflict(f"{opt} {out} is a folder; give a file name")
    for f in folders:
        if _within(path, f):
            raise OutputConflict(f"{opt} {out} is inside the input folder {f}; it would be read as input next time")


def _check_folder(opt: str, out: str | Path, names: Iterable[str], *, plain: list[Path],
                  folders: list[Path]) -> None:
    path = _real(out)
    _check_parent(opt, out, path)
    if path.exists() and not path.is_dir():
        raise OutputConflict(f"{opt} {out} is a file, not a folder")
    for f in folders:
        if _within(path, f) or _within(f, path):
            relation = "is" if path == f else "is inside" if _within(path, f) else "contains"
            raise OutputConflict(f"{opt} {out} {relation} the input folder {f}; the report would be read as input")
    targets = {path / n for n in names}
    for p in plain:
        if p in targets:
            raise OutputConflict(f"{opt} {out} would overwrite the input {p}")

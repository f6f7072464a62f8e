"""Scoring a corpus of any size in flat memory: chunks, worker processes, partial outputs and ``--resume``.

``framing score`` reads its inputs as a stream (:func:`framing.ingest.iter_documents`), scores them
``chunk_size`` documents at a time and appends each chunk to the outputs as soon as it is scored, so
nothing per document outlives its chunk except what is written (and its id, to rename duplicates).

Chunks
    Every extractor scores one document at a time, so a chunk's rows are the rows a one-shot run
    gives; the exception is a corpus-level step (``-O source_type.prior=corpus`` estimates a class
    prior from every document), for which the whole corpus is one chunk (:func:`needs_whole_corpus`).

Processes (:class:`ChunkScorer`)
    With ``jobs > 1`` the parent reads the documents and worker processes (``forkserver`` on Linux,
    else ``spawn``) score whole chunks. Each worker builds the extractors once from their names and
    options (never pickled instances) and returns the chunk's scores table, its evidence when asked,
    and the documents' warnings. The parent writes the chunks in input order with at most
    ``2 × jobs`` chunks in flight, so the output is byte-identical to one process. ``jobs=None``
    means: every available core when the input runs to more than two chunks, else one process.

Partial outputs and resume (:class:`PartialRun`)
    ``OUT`` is written as ``OUT.partial`` (and ``EVIDENCE`` as ``EVIDENCE.partial``); after each
    chunk both are flushed and fsynced and then the journal ``OUT.partial.json`` records, atomically,
    how many documents and bytes are committed, the columns, and a hash of the committed ids. At the
    end the partial files are renamed into place and the journal removed. Interrupted (Ctrl-C,
    SIGTERM, an error), the partial files and the journal stay — unless no chunk was committed, then
    nothing is left and ``OUT`` is untouched. ``--resume`` reads the journal, refuses other columns
    (other extractors or options) or another output format, cuts each partial file back to its
    committed length (a torn last row from a killed run goes), checks that the input's first
    documents still have the committed ids, skips them and appends the rest. Parquet's footer is only
    written when the file is closed: an interruption closes the writer so the row groups written so
    far are readable and resumable; a killed run (SIGKILL, power loss) leaves no footer, and resume
    then refuses with a one-line message (delete the partial files to start again). Standard output
    (``-o -``) is written chunk by chunk, without partial file or resume.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .document import Document
from .signals import signals_held, sigterm_as_interrupt

__all__ = ["DEFAULT_CHUNK_SIZE", "ChunkResult", "ChunkScorer", "PartialRun", "ResumeError", "StreamUsageError",
           "available_cpus", "chunked", "give_back_memory", "needs_whole_corpus", "partial_paths", "sigterm_as_interrupt"]

#: documents scored (and written) at a time
DEFAULT_CHUNK_SIZE = 1000
JOURNAL_SUFFIX = ".partial.json"
PARTIAL_SUFFIX = ".partial"
#: text columns of the evidence table (the rest: start, end, sentence are int64, weight float64)
_EVIDENCE_INTS = ("start", "end", "sentence")
#: seconds to wait after each committed chunk (a test hook: FRAMING_TEST_CHUNK_DELAY)
_TEST_DELAY = float(os.environ.get("FRAMING_TEST_CHUNK_DELAY") or 0)


class StreamUsageError(ValueError):
    """The command line cannot be honoured as given (exit 2): e.g. a partial file left without ``--resume``."""


class ResumeError(ValueError):
    """A partial output that cannot be resumed (exit 1): killed Parquet, changed input, shortened file."""


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def partial_paths(output: str) -> tuple[Path, Path]:
    """``OUT.partial`` and its journal ``OUT.partial.json``."""
    return Path(output + PARTIAL_SUFFIX), Path(output + JOURNAL_SUFFIX)


def needs_whole_corpus(extractors: Sequence[Any]) -> bool:
    """True when an extractor learns from the whole corpus before scoring (source type's corpus prior)."""
    from .extractors.base import Extractor

    for ex in extractors:
        if type(ex).fit is Extractor.fit:
            continue
        prior = getattr(ex, "prior", None)
        if ex.name != "source_type" or (isinstance(prior, str) and prior.strip().lower() == "corpus"):
            return True
    return False


def chunked(docs: Iterable[Document], size: int | None) -> Iterator[list[Document]]:
    """Lists of ``size`` documents (the last one shorter); ``size=None``: one list of everything."""
    chunk: list[Document] = []
    for doc in docs:
        chunk.append(doc)
        if size is not None and len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------------------
# scoring a chunk, here or in a worker process

@dataclass
class ChunkResult:
    """What scoring one chunk gives: its scores (the fixed schema), evidence (or None) and warnings."""

    n_docs: int
    features: pd.DataFrame
    evidence: pd.DataFrame | None
    #: (document path, warning) for every warning the chunk's documents carry, in document order
    warnings: list[tuple[str, str]] = field(default_factory=list)


def score_chunk(docs: list[Document], extractors: Sequence[Any], evidence: bool) -> ChunkResult:
    """Segment and score ``docs`` with ``extractors``: the rows a one-shot :func:`framing.analyze` gives them."""
    from .pipeline import analyze, conform_scores

    analysis = analyze(docs, extractors, evidence=evidence, release=True)
    features = conform_scores(analysis.features, extractors)
    warnings = [(doc.path or doc.id, w) for doc in docs for w in doc.warnings]
    return ChunkResult(len(docs), features, analysis.evidence if evidence else None, warnings)


_WORKER: dict[str, Any] = {}


def _init_worker(names: list[str], options: dict[str, dict[str, Any]] | None, parent: int | None = None) -> None:
    """Worker start: Ctrl-C is the parent's to handle; the worker ends with the ``parent`` process, however
    that ends; build the extractors once."""
    from .extractors.base import cached_extractors

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        exit_with(parent)
    _WORKER["extractors"] = cached_extractors(names, options or None)


def exit_with(pid: int, poll: float = 1.0) -> None:
    """End this process when process ``pid`` ends, even by SIGKILL, which leaves no time to stop workers.

    A pool's worker waits on a queue whose writing end it holds itself, so it would wait for ever once the
    parent is gone (and the forkserver, which lives until its last child ends, with it). A daemon thread
    waits on the parent (a pidfd on Linux, else a poll every ``poll`` seconds) and exits the process."""
    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # not Linux 5.3+, or already gone
            fd = None
        if fd is not None:
            select.select([fd], [], [])  # readable when the process has ended
        else:
            while _alive(pid):
                time.sleep(poll)
        os._exit(1)

    threading.Thread(target=watch, name=f"framing-exit-with-{pid}", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        pass
    return True


def _worker_task(task: Callable[..., Any], args: tuple[Any, ...], docs: list[Document]) -> Any:
    result = task(docs, _WORKER["extractors"], *args)
    give_back_memory()
    return result


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class ChunkScorer:
    """Score chunks in this process or in ``jobs`` worker processes; results come back in input order.

    Parameters
    ----------
    extractors : list of Extractor
        The instances for this process (also give the workers their names and options).
    options : dict
        The extractor options the workers build their extractors with.
    jobs : int or None
        Worker processes; ``None`` = :func:`available_cpus` when there are more than two chunks, else 1.
    evidence : bool
        Return each chunk's evidence too.
    task : callable, optional
        What to do with a chunk instead of scoring it into a :class:`ChunkResult`: a module-level function
        ``task(documents, extractors, *task_args)`` (workers receive it by reference) whose result is yielded.
    max_tasks_per_child : int, optional
        Replace a worker process after this many chunks (returns what a long-lived worker's heap keeps).
    """

    def __init__(self, extractors: Sequence[Any], options: dict[str, dict[str, Any]] | None, jobs: int | None,
                 evidence: bool = False, task: Callable[..., Any] | None = None, task_args: tuple[Any, ...] = (),
                 max_tasks_per_child: int | None = None) -> None:
        self.extractors = list(extractors)
        self.options = options
        self.jobs = jobs
        self.evidence = evidence
        self.task, self.task_args = (score_chunk, (evidence,)) if task is None else (task, task_args)
        self.max_tasks_per_child = max_tasks_per_child
        self.used_jobs = 1
        self._pool: ProcessPoolExecutor | None = None

    def map(self, chunks: Iterable[list[Document]]) -> Iterator[Any]:
        """The result of each chunk, in order (workers score ahead, at most ``2 × jobs`` chunks in flight):
        a :class:`ChunkResult`, or what ``task`` returns."""
        chunks = iter(chunks)
        head: list[list[Document]] = []
        jobs = self.jobs
        if jobs is None:
            head = [c for _, c in zip(range(3), chunks)]
            jobs = available_cpus() if len(head) > 2 else 1
        self.used_jobs = max(1, jobs)
        source = _chain(head, chunks)
        if self.used_jobs == 1:
            for chunk in source:
                yield self.task(chunk, self.extractors, *self.task_args)
            return
        names = [e.name for e in self.extractors]
        self._pool = ProcessPoolExecutor(self.used_jobs, mp_context=_context(), initializer=_init_worker,
                                         initargs=(names, self.options, os.getpid()),
                                         max_tasks_per_child=self.max_tasks_per_child)
        pending: deque[Future[Any]] = deque()
        window = 2 * self.used_jobs
        try:
            for chunk in source:
                pending.append(self._pool.submit(_worker_task, self.task, self.task_args, chunk))
                del chunk
                while len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
            self._pool.shutdown(wait=True)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers now (also those still scoring)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.terminate()
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.join(timeout=5)
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:  # it closes its wake-up pipe as it ends; left running, the interpreter's exit hook
            manager.join(timeout=10)  # could write to that pipe as it closed ("OSError: Bad file descriptor")


def _chain(head: list[list[Document]], rest: Iterator[list[Document]]) -> Iterator[list[Document]]:
    while head:
        yield head.pop(0)
    yield from rest


# ---------------------------------------------------------------------------
# writing chunks: CSV, JSON Lines, Parquet, standard output

def evidence_schema(frame: pd.DataFrame | None = None) -> Any:
    """The Arrow schema of the evidence table (fixed, whatever the chunk)."""
    import pyarrow as pa

    from .pipeline import EVIDENCE_COLUMNS

    def kind(c: str) -> Any:
        return pa.int64() if c in _EVIDENCE_INTS else pa.float64() if c == "weight" else pa.string()

    return pa.schema([pa.field(c, kind(c)) for c in EVIDENCE_COLUMNS])


class _Writer:
    """Appends chunks of one table to one file (CSV, JSON Lines or Parquet), each chunk flushed and fsynced."""

    def __init__(self, path: Path, suffix: str, csv_safe: bool, schema: Any = None, stdout: bool = False) -> None:
        self.path = path
        self.suffix = suffix
        self.csv_safe = csv_safe
        self.schema = schema
        self.stdout = stdout
        self.rows = 0
        self.header_written = False
        self._fh: Any = None
        self._pq: Any = None

    # -- opening --------------------------------------------------------
    def open_new(self) -> None:
        if self.stdout:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.suffix == ".parquet":
            import pyarrow.parquet as pq

            self._pq = pq.ParquetWriter(str(self.path), self.schema)
        else:
            self._fh = open(self.path, "w", encoding="utf-8", newline="" if self.suffix == ".csv" else "\n")

    def open_resumed(self, rows: int, size: int) -> None:
        """Continue a partial file holding ``rows`` committed rows (``size`` bytes for CSV/JSON Lines)."""
        self.rows = rows
        self.header_written = True
        if self.suffix == ".parquet":
            self._reopen_parquet(rows)
            return
        actual = self.path.stat().st_size if self.path.exists() else -1
        if actual < size:
            raise ResumeError(f"{self.path}: shorter than its journal says ({max(actual, 0)} of {size} bytes); "
                              f"it cannot be resumed: delete it and its {JOURNAL_SUFFIX} journal to start again")
        os.truncate(self.path, size)  # a torn row after the last committed chunk goes
        self._fh = open(self.path, "a", encoding="utf-8", newline="" if self.suffix == ".csv" else "\n")

    def _reopen_parquet(self, rows: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        old = self.path.with_name(self.path.name + ".old")
        try:
            source = pq.ParquetFile(str(self.path))
            available = source.metadata.num_rows
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise ResumeError(f"{self.path}: not a readable Parquet file (the run was killed before it could close "
                              f"the file: {' '.join(str(exc).split())[:120]}); it cannot be resumed: delete it and "
                              f"its {JOURNAL_SUFFIX} journal to start again") from None
        if available < rows:
            raise ResumeError(f"{self.path}: holds {available} rows, its journal {rows}; it cannot be resumed: "
                              f"delete it and its {JOURNAL_SUFFIX} journal to start again")
        if not source.schema_arrow.equals(self.schema, check_metadata=False):
            raise StreamUsageError(f"{self.path}: its columns differ from this run's")
        os.replace(self.path, old)
        try:
            self._pq = pq.ParquetWriter(str(self.path), self.schema)
            left = rows
            for batch in pq.ParquetFile(str(old)).iter_batches(batch_size=10_000):
                if left <= 0:
                    break
                batch = batch.slice(0, left)
                left -= batch.num_rows
                self._pq.write_table(pa.Table.from_batches([batch]).cast(self.schema))
        except BaseException:
            with contextlib.suppress(Exception):
                self._pq.close()
            self._pq = None
            os.replace(old, self.path)
            raise
        old.unlink()

    # -- writing --------------------------------------------------------
    def write(self, df: pd.DataFrame) -> None:
        if self.suffix == ".parquet" and not self.stdout:
            import pyarrow as pa

            self._pq.write_table(pa.Table.from_pandas(df, schema=self.schema, preserve_index=False))
            self.rows += len(df)
            return
        data = self._text(df)
        if self.stdout:
            sys.stdout.write(data)
            sys.stdout.flush()
        else:
            self._fh.write(data)
            self._fh.flush()
            os.fsync(self._fh.fileno())
        self.rows += len(df)

    def _text(self, df: pd.DataFrame) -> str:
        from . import output

        buf = io.StringIO()
        if self.suffix == ".jsonl":
            if len(df):
                df.to_json(buf, orient="records", lines=True, force_ascii=False)
        else:
            output.write_csv(df, buf, csv_safe=self.csv_safe, header=not self.header_written)
            self.header_written = True
        return buf.getvalue()

    def size(self) -> int:
        return self._fh.tell() if self._fh is not None else 0

    def close(self) -> None:
        fh, self._fh = self._fh, None
        writer, self._pq = self._pq, None
        if fh is not None:
            fh.close()
        if writer is not None:
            writer.close()


class PartialRun:
    """The outputs of one ``framing score`` run, written chunk by chunk through partial files (see module doc).

    Use as a context manager; call :meth:`write` per chunk and :meth:`finish` at the end. Leaving the
    block without :meth:`finish` keeps the committed chunks for ``--resume`` (or removes everything
    when none was committed).
    """

    def __init__(self, output: str, evidence: str | None, columns: Sequence[str], score_schema: Any,
                 csv_safe: bool, resume: bool) -> None:
        self.output = output
        self.evidence_path = evidence
        self.columns = list(columns)
        self.csv_safe = csv_safe
        self.resume = resume
        self.stdout = output == "-"
        self.partial, self.journal = partial_paths(output) if not self.stdout else (Path("-"), Path("-"))
        suffix = Path(output).suffix.lower() if not self.stdout else ".csv"
        self.scores = _Writer(self.partial, suffix, csv_safe, score_schema, stdout=self.stdout)
        self.evidence: _Writer | None = None
        if evidence:
            ev_suffix = Path(evidence).suffix.lower()
            self.evidence = _Writer(Path(evidence + PARTIAL_SUFFIX), ev_suffix, csv_safe,
                                    evidence_schema() if ev_suffix == ".parquet" else None)
        #: documents already committed by an earlier run (skipped on resume), their ids' hash
        self.skip = 0
        self.skip_hash = ""
        self._hash = hashlib.sha256()
        self.committed = 0
        self.finished = False

    # -- starting -----------------------------------------------------------
    def _settings(self) -> dict[str, Any]:
        return {"output": Path(self.output).name, "format": self.scores.suffix, "columns": self.columns,
                "csv_safe": self.csv_safe,
                "evidence": Path(self.evidence_path).name if self.evidence_path else None}

    def __enter__(self) -> PartialRun:  # noqa: PYI034
        if self.stdout:
            if self.resume:
                raise StreamUsageError("--resume needs an output file (-o FILE), not standard output")
            if self.evidence is not None:
                self.evidence.open_new()
            return self
        state = self._read_journal()
        if state is not None and not self.resume:
            raise StreamUsageError(f"{self.partial} is left from an interrupted run ({state.get('rows', 0)} "
                                   f"document(s)): add --resume to continue it, or delete it and {self.journal}")
        if state is None:
            self.scores.open_new()
            if self.evidence is not None:
                self.evidence.open_new()
            return self
        self._check_settings(state)
        self.skip, self.skip_hash = int(state["rows"]), str(state["ids_sha256"])
        try:
            self.scores.open_resumed(self.skip, int(state["bytes"]))
            if self.evidence is not None:
                self.evidence.open_resumed(int(state["evidence_rows"]), int(state["evidence_bytes"]))
        except BaseException:
            self._close_files()
            raise
        self.committed = self.skip
        return self

    def _read_journal(self) -> dict[str, Any] | None:
        try:
            state = json.loads(self.journal.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ResumeError(f"{self.journal}: unreadable journal ({exc}); delete it and {self.partial} "
                              f"to start again") from None
        if not isinstance(state, dict) or "rows" not in state:
            raise ResumeError(f"{self.journal}: not a framing journal; delete it and {self.partial} to start again")
        return state

    def _check_settings(self, state: dict[str, Any]) -> None:
        mine = self._settings()
        if state.get("columns") != mine["columns"]:
            old, new = state.get("columns") or [], mine["columns"]
            diff = [c for c in new if c not in old][:3] or [c for c in old if c not in new][:3] or ["(order)"]
            raise StreamUsageError(f"--resume: {self.partial} has other columns than this run ({len(old)} vs "
                                   f"{len(new)}, e.g. {', '.join(diff)}): it was written with other extractors "
                                   f"or options; run with those, or delete it and {self.journal}")
        for key, what in (("format", "output format"), ("csv_safe", "--raw-csv setting"),
                          ("evidence", "--evidence file")):
            if state.get(key) != mine[key]:
                raise StreamUsageError(f"--resume: {self.partial} was written with another {what} "
                                       f"({state.get(key)!r}, now {mine[key]!r})")

    # -- skipping what is committed ---------------------------------------
    def skip_committed(self, docs: Iterable[Document]) -> Iterator[Document]:
        """``docs`` without the first :attr:`skip` ones, after checking they are the committed ones."""
        docs = iter(docs)
        if self.skip:
            seen = 0
            for doc in docs:
                self._hash.update(doc.id.encode("utf-8", "surrogatepass") + b"\n")
                seen += 1
                if seen == self.skip:
                    break
            if seen < self.skip or self._hash.hexdigest() != self.skip_hash:
                raise ResumeError(f"--resume: the input is not the one {self.partial} was written from (its first "
                                  f"{self.skip} document(s) differ{'' if seen == self.skip else ': only ' + str(seen) + ' now'}); "
                                  f"delete {self.partial} and {self.journal} to start again")
        yield from docs

    # -- writing ------------------------------------------------------------
    def write(self, result: ChunkResult) -> None:
        """Append one chunk (evidence first, then scores), then commit it in the journal."""
        with signals_held():
            if self.evidence is not None and result.evidence is not None:
                self.evidence.write(result.evidence)
            self.scores.write(result.features)
            for doc_id in result.features["id"]:
                self._hash.update(str(doc_id).encode("utf-8", "surrogatepass") + b"\n")
            self.committed += result.n_docs
            if not self.stdout:
                self._write_journal()
        if _TEST_DELAY:  # tests: time to interrupt a run between two chunks
            import time

            time.sleep(_TEST_DELAY)

    def _write_journal(self) -> None:
        state = {**self._settings(), "rows": self.committed, "bytes": self.scores.size(),
                 "ids_sha256": self._hash.hexdigest(),
                 "evidence_rows": self.evidence.rows if self.evidence else 0,
                 "evidence_bytes": self.evidence.size() if self.evidence else 0}
        tmp = self.journal.with_name(self.journal.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.journal)

    def finish(self) -> None:
        """Close the files and move them into place (evidence first), then drop the journal."""
        self._close_files()
        if not self.stdout:
            if self.evidence is not None:
                os.replace(self.evidence.path, self.evidence_path)  # type: ignore[arg-type]
            os.replace(self.partial, self.output)
            self.journal.unlink(missing_ok=True)
        elif self.evidence is not None:
            os.replace(self.evidence.path, self.evidence_path)  # type: ignore[arg-type]
        self.finished = True

    def discard(self) -> None:
        """Remove the partial files and the journal (e.g. nothing could be scored)."""
        self._close_files()
        for path in (self.partial if not self.stdout else None, self.evidence.path if self.evidence else None,
                     self.journal if not self.stdout else None):
            if path is not None:
                path.unlink(missing_ok=True)
        self.finished = True

    def _close_files(self) -> None:
        for writer in (self.scores, self.evidence):
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.close()

    def __exit__(self, *exc: object) -> None:
        if self.finished:
            return
        if self.committed == 0 or self.stdout:
            self.discard()
        else:
            self._close_files()  # Parquet: the footer, so the row groups written so far are readable


def give_back_memory() -> None:
    """Return freed heap pages to the system (glibc keeps them otherwise, so a long run's resident memory
    would show the largest chunk's high-water mark, fragmented, rather than what is live), and the pages
    Arrow's allocator holds for the string columns of tables already dropped."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def run_chunks(docs: Iterable[Document], scorer: ChunkScorer, chunk_size: int | None,
               on_result: Callable[[ChunkResult], None]) -> int:
    """Score ``docs`` chunk by chunk with ``scorer`` and hand each result to ``on_result``; documents scored."""
    total = 0
    results = scorer.map(chunked(docs, chunk_size))
    try:
        for result in results:
            on_result(result)
            total += result.n_docs
            del result
            give_back_memory()
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        scorer.close()
    return total

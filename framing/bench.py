"""The speed benchmark: ``framing benchmark``.

Builds (or reads) a news-like corpus, then times each stage on it:
loading (decoding, boilerplate separation, language detection),
segmentation, attribution, every extractor on its own, and the whole
:func:`framing.analyze` run on freshly loaded documents. Reports documents
per second and milliseconds per document, on this machine, single process.

Two more measures: :func:`jobs_benchmark` (``--jobs 1,2``) scores the same
documents in chunks with 1, 2, … worker processes in one run, so their
ratio is a same-run speed-up; :func:`rss_benchmark` (``--rss FILE``) runs
``framing score FILE`` in a child process and reports its peak resident
memory (the largest process, and the sum over it and its workers) and documents per second;
``--rss FILE --report`` does the same for ``framing report FILE``.

The default corpus comes from the deterministic generator the project
shares (``../shared/bench/gen_synthetic.py``: ~750-word news, official and
blog documents); pass ``--corpus FILE.jsonl`` to time your own documents.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

__all__ = ["run_benchmark", "generate_corpus", "long_sentence_memory", "jobs_benchmark", "rss_benchmark",
           "format_jobs", "format_rss", "DEFAULT_GENERATOR"]

DEFAULT_GENERATOR = Path("..") / "shared" / "bench" / "gen_synthetic.py"


def generate_corpus(n: int, out: Path, generator: Path = DEFAULT_GENERATOR, seed: int = 7) -> Path:
    """Run the synthetic-corpus generator to write ``n`` documents as JSON Lines to ``out``."""
    if not generator.exists():
        raise FileNotFoundError(f"{generator}: corpus generator not found (give --corpus FILE.jsonl or --generator)")
    subprocess.run([sys.executable, str(generator), "--n", str(n), "--out", str(out), "--seed", str(seed)],
                   check=True, capture_output=True)
    return out


def _timed(fn: Callable[[], Any]) -> float:
    """Seconds ``fn`` takes with the cyclic garbage collector paused, as :func:`framing.pipeline.analyze` runs:
    otherwise a stage's figure counts the collector's passes over every document already held (two thirds of
    the cue layer's time on 1,000 documents)."""
    from .pipeline import gc_paused

    with gc_paused():
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start


def _stage(name: str, seconds: float, n_docs: int, n_words: int) -> dict[str, Any]:
    return {"stage": name, "seconds": round(seconds, 4),
            "docs_per_second": round(n_docs / seconds, 1) if seconds > 0 else float("inf"),
            "ms_per_doc": round(1000 * seconds / n_docs, 4) if n_docs else float("nan"),
            "words_per_second": round(n_words / seconds) if seconds > 0 else float("inf")}


def run_benchmark(corpus: str | Path | None = None, n: int = 1000, *, generator: str | Path = DEFAULT_GENERATOR,
                  extractors: Sequence[str] | None = None, seed: int = 7) -> dict[str, Any]:
    """Time every stage on ``corpus`` (a .jsonl/.csv/folder) or on ``n`` generated documents.

    Returns
    -------
    dict
        ``corpus`` facts, one entry per stage in ``stages`` (seconds,
        docs_per_second, ms_per_doc, words_per_second), and the machine.
    """
    from .cues import cues_of
    from .extractors.base import resolve_extractors
    from .ingest import load
    from .pipeline import analyze, run_record
    from .syllables import preload

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(corpus) if corpus else generate_corpus(n, Path(tmp) / "corpus.jsonl", Path(generator), seed)
        exs = resolve_extractors(extractors)
        for ex in exs:  # warm up lexicons/models so loading them is not timed as scoring
            ex.score(load_sample())
        preload()  # the syllable dictionaries, and the package versions the run record names, once per process
        run_record(exs)
        docs: list = []
        t_load = _timed(lambda: docs.extend(load(path)))
        if not docs:
            raise ValueError(f"{path}: no documents loaded")
        n_docs = len(docs)
        t_seg = _timed(lambda: [d.segmentation.lower for d in docs])  # token strings are part of segmentation
        n_words = sum(d.segmentation.n_words for d in docs)
        t_attr = _timed(lambda: [d.attribution for d in docs])
        t_cues = _timed(lambda: [cues_of(d) for d in docs])
        stages = [_stage("load (decode, boilerplate, language)", t_load, n_docs, n_words),
                  _stage("segmentation", t_seg, n_docs, n_words),
                  _stage("attribution (voice: quotes, reported speech, questioners)", t_attr, n_docs, n_words),
                  _stage("cue layer (one matcher, negation, acronyms)", t_cues, n_docs, n_words)]
        for ex in exs:
            stages.append(_stage(f"extractor {ex.name}", _timed(lambda: [ex.score(d) for d in docs]), n_docs,
                                 n_words))
        fresh = load(path)
        t_all = _timed(lambda: analyze(fresh, exs))
        stages.append(_stage("analyze (segmentation + all extractors + tables)", t_all, n_docs, n_words))
        fresh = load(path)
        t_scores = _timed(lambda: analyze(fresh, exs, evidence=False, release=True))
        stages.append(_stage("analyze without evidence (what framing score writes)", t_scores, n_docs, n_words))
        texts = [d.body for d in docs]
        t_floor = _timed(lambda: [_WORDS.findall(t) for t in texts])
        stages.append(_stage("reference: re.findall(r'\\w+') over the same texts", t_floor, n_docs, n_words))
        t_textstat = _time_textstat(texts)
        if t_textstat is not None:
            stages.append(_stage("reference: textstat's eight formulas, one by one", t_textstat, n_docs, n_words))
    ratios = {"analyze_vs_textstat_speed": round(t_textstat / t_all, 3) if t_textstat else None,
              "analyze_vs_findall_time": round(t_all / t_floor, 1) if t_floor else None}
    return {
        "corpus": {"path": str(corpus) if corpus else f"generated: {generator} --n {n} --seed {seed}",
                   "documents": n_docs, "words": n_words, "words_per_doc": round(n_words / n_docs, 1)},
        "stages": stages,
        "ratios": ratios,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform},
    }


_WORDS = re.compile(r"\w+")
#: the eight standard formulas a user would otherwise call (the issue's and PERF-NOTES' reference)
TEXTSTAT_FORMULAS = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
                     "coleman_liau_index", "automated_readability_index", "dale_chall_readability_score",
                     "text_standard")


def _time_textstat(texts: Sequence[str]) -> float | None:
    """Seconds for textstat's eight standard formulas called one by one on every text (None without textstat)."""
    try:
        import textstat
    except ImportError:  # pragma: no cover - textstat is a dependency, but the reference is optional
        return None
    fns = [getattr(textstat, name) for name in TEXTSTAT_FORMULAS]
    for fn in fns:  # warm-up: textstat caches its dictionaries on first use
        fn(texts[0])
    return _timed(lambda: [fn(t) for t in texts for fn in fns])


def load_sample():  # type: ignore[no-untyped-def]
    """A small real document for warm-up (the official seed's first paragraph)."""
    from .ingest import finish_document, make_document

    text = ("China believes that global AI governance should not become an exclusive club. "
            "It may, perhaps, be said that officials clearly stated the plan, according to reports.")
    return finish_document(make_document("warmup", text))


def format_benchmark(result: dict[str, Any]) -> str:
    c = result["corpus"]
    lines = [f"corpus: {c['path']} — {c['documents']} documents, {c['words']} words ({c['words_per_doc']}/doc)",
             f"{'stage':<52}{'docs/s':>10}{'ms/doc':>10}{'words/s':>12}"]
    for s in result["stages"]:
        lines.append(f"{s['stage']:<52}{s['docs_per_second']:>10.1f}{s['ms_per_doc']:>10.3f}"
                     f"{s['words_per_second']:>12,}")
    r = result.get("ratios", {})
    if r.get("analyze_vs_textstat_speed") is not None:
        lines.append(f"same run: analyze is {r['analyze_vs_textstat_speed']:.2f}x the speed of textstat's eight "
                     f"formulas, and takes {r['analyze_vs_findall_time']:.0f}x the time of re.findall(r'\\w+')")
    m = result["machine"]
    lines.append(f"machine: {m['cpus']} cpus, Python {m['python']}, {m['platform']}; single process")
    return "\n".join(lines)


_CHILD = """
import resource, sys
import framing
text = open(sys.argv[1], encoding="utf-8").read()
result = framing.analyze([text])
print(len(result.evidence), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def long_sentence_memory(n_words: int = 200_000, seed: int = 7) -> dict[str, Any]:
    """Peak memory of scoring one document of ``n_words`` words with no sentence punctuation, against the same
    words with a full stop every 20 words, each in a fresh process (``ru_maxrss``; Linux reports KiB).

    Issue 15's measure: a single unpunctuated sentence must cost about what the same text costs punctuated (memory
    bounded by a constant times the length), not grow with (cues in a sentence) x (sentence length).
    """
    import random

    rng = random.Random(seed)
    vocab = ("China believes that global governance should not become an exclusive club dominated by a few "
             "countries and critics say the initiative may clearly reflect strategic interests while officials "
             "stressed cooperation win-win outcomes and the US").split()
    words = [rng.choice(vocab) for _ in range(n_words)]
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("one sentence", " ".join(words)),
                           ("punctuated every 20 words",
                            " ".join(w + ("." if (i + 1) % 20 == 0 else "") for i, w in enumerate(words)))):
            path = Path(tmp) / "doc.txt"
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                                 check=True)
            n_evidence, max_kib = out.stdout.split()
            runs[name] = {"peak_rss_mib": round(int(max_kib) / 1024, 1), "evidence_rows": int(n_evidence),
                          "seconds": round(time.perf_counter() - start, 2)}
    return {"words": n_words, "runs": runs}


def jobs_benchmark(corpus: str | Path | None = None, n: int = 2000, jobs: Sequence[int] = (1, 2), *,
                   generator: str | Path = DEFAULT_GENERATOR, extractors: Sequence[str] | None = None,
                   chunk_size: int | None = None, seed: int = 7) -> dict[str, Any]:
    """Documents per second of chunked scoring with each number of worker processes, on the same documents.

    The documents are loaded once; each run scores them all in chunks (``chunk_size``, default a quarter
    of the documents per process, at most 1,000) through :class:`framing.stream.ChunkScorer` and includes
    starting its workers. ``speedup`` is each run's speed over the one-process run of the same call.
    """
    from .extractors.base import resolve_extractors
    from .ingest import load
    from .stream import ChunkScorer, chunked

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(corpus) if corpus else generate_corpus(n, Path(tmp) / "corpus.jsonl", Path(generator), seed)
        docs = list(load(path))
    if not docs:
        raise ValueError(f"{path}: no documents loaded")
    exs = resolve_extractors(extractors)
    for ex in exs:  # lexicons and models loaded before the clock starts
        ex.score(load_sample())
    size = chunk_size or max(1, min(1000, -(-len(docs) // (4 * max(jobs)))))
    runs = []
    for j in jobs:
        scorer = ChunkScorer(exs, None, j)
        start = time.perf_counter()
        rows = sum(r.n_docs for r in scorer.map(chunked(docs, size)))
        seconds = time.perf_counter() - start
        runs.append({"jobs": j, "documents": rows, "seconds": round(seconds, 2),
                     "docs_per_second": round(rows / seconds, 1)})
    base = next((r for r in runs if r["jobs"] == 1), runs[0])
    for r in runs:
        r["speedup"] = round(r["docs_per_second"] / base["docs_per_second"], 2)
    return {"corpus": {"path": str(corpus) if corpus else f"generated: {generator} --n {n} --seed {seed}",
                       "documents": len(docs), "chunk_size": size},
            "runs": runs, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}


def format_jobs(result: dict[str, Any]) -> str:
    c = result["corpus"]
    lines = [f"corpus: {c['path']} — {c['documents']} documents, chunks of {c['chunk_size']}",
             f"{'processes':>10}{'seconds':>10}{'docs/s':>10}{'speed-up':>10}"]
    for r in result["runs"]:
        lines.append(f"{r['jobs']:>10}{r['seconds']:>10.2f}{r['docs_per_second']:>10.1f}{r['speedup']:>9.2f}x")
    lines.append(f"machine: {result['machine']['cpus']} cpus; speed-ups are ratios within this run "
                 f"(worker start-up included)")
    return "\n".join(lines)


def rss_benchmark(path: str | Path, args: Sequence[str] = (), command: str = "score") -> dict[str, Any]:
    """Peak RSS and documents per second of ``framing score PATH -o TMP.csv [args]`` in a child process
    (``command="report"``: ``framing report PATH -o TMP/``).

    Two peaks, from ``/proc`` every 0.2 s (Linux): the largest single process (its own high-water mark,
    ``VmHWM``) and the sum over the child and its workers. Elsewhere the largest is the child's ``ru_maxrss``
    (which on Linux would also count the memory of the process that started it) and the sum is ``None``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("scores.csv" if command == "score" else "report")
        cmd = [sys.executable, "-m", "framing", command, str(path), "-o", str(out), "--no-progress", *args]
        with open(Path(tmp) / "stderr.txt", "w+", encoding="utf-8") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            sampler = _TreeRss(proc.pid)
            sampler.start()
            _, status, usage = os.wait4(proc.pid, 0)
            sampler.stop()
            seconds = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            err.seek(0)
            stderr = err.read()
        table = out if command == "score" else out / "documents.csv"
        if code not in (0, 1) or not table.exists():
            raise ValueError(f"framing {command} failed (exit {code}): {stderr.strip()[-300:]}")
        rows = _count_rows(table)
    return {"command": command, "path": str(path), "args": list(args), "documents": rows,
            "seconds": round(seconds, 1), "docs_per_second": round(rows / seconds, 1),
            "peak_rss_mib": round((sampler.largest_kib or usage.ru_maxrss) / 1024, 1),  # KiB on Linux
            "peak_rss_sum_mib": None if sampler.peak_kib is None else round(sampler.peak_kib / 1024, 1),
            "exit_code": code}


def _count_rows(table: Path) -> int:
    """Rows of a CSV table written by framing (one id per row), read a block at a time."""
    import pandas as pd

    return sum(len(part) for part in pd.read_csv(table, usecols=["id"], chunksize=100_000))


class _TreeRss:
    """Samples the summed RSS of a process and its descendants every 0.2 s (Linux ``/proc``)."""

    def __init__(self, pid: int, interval: float = 0.2):
        import threading

        self.pid, self.interval = pid, interval
        self.peak_kib: int | None = 0 if Path("/proc/self/status").exists() else None
        self.largest_kib = 0  # the largest high-water mark (VmHWM) of any process in the tree
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        if self.peak_kib is not None:
            self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._done.is_set():
            figures = [_memory_kib(p) for p in _descendants(self.pid)]
            self.peak_kib = max(self.peak_kib or 0, sum(rss for rss, _ in figures))
            self.largest_kib = max([self.largest_kib, *(hwm for _, hwm in figures)])
            self._done.wait(self.interval)


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack += children.get(p, [])
    return out


def _memory_kib(pid: int) -> tuple[int, int]:
    """(resident now, high-water mark) of a process in KiB; zeros once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss, hwm


def format_rss(result: dict[str, Any]) -> str:
    summed = result.get("peak_rss_sum_mib")
    return (f"framing {result.get('command', 'score')} {result['path']} {' '.join(result['args'])}".rstrip() +
            f": {result['documents']:,} documents in {result['seconds']} s ({result['docs_per_second']} docs/s), "
            f"peak RSS {result['peak_rss_mib']} MiB (the largest process)"
            + (f", {summed} MiB (all its processes together)" if summed is not None else ""))


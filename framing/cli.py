"""The ``framing`` command line.

Exit codes: 0 success; 1 data errors (a file that could not be read, a
malformed evaluation file — everything else is still processed — a report
folder another run is writing, or an unexpected failure); 2 usage errors
(unknown option or column, missing argument, an output that would overwrite
or write into an input), always checked before any document is scored; 130
interrupted (Ctrl-C; files already in place are left as they were). Quiet by
default: results go to the named output, problems to stderr, one line each;
``--debug`` shows the traceback of an unexpected error instead of its one line.
On a terminal, a progress indication appears on stderr from the start of
loading when a run takes more than a moment (``--no-progress`` turns it off).

Settings come from flags, else from the nearest ``framing.toml`` or
``[tool.framing]`` table of a ``pyproject.toml`` (:mod:`framing.config`), else
the defaults; ``framing report --print-config`` shows the result.

This module imports neither pandas nor the extractors before a command runs,
so ``framing --help`` is quick.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from . import __version__
from .config import KEYS, Config, ConfigError, load_config
from .extractors.base import OptionError
from .signals import sigterm_as_interrupt

DEFAULT_CORPUS = "seeds"
DEFAULT_REPORT_DIR = "reports"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
_DEBUG = "framing.debug"


class DataError(click.ClickException):
    """Exit code 1: the input data is at fault, not the command line."""

    exit_code = 1


class OutputRefused(click.ClickException):
    """Exit code 2, one line: the outputs asked for would overwrite or write into the inputs."""

    exit_code = 2


class FramingGroup(click.Group):
    """The command group: Ctrl-C or SIGTERM ends any command with one line and exit code 130 (its worker
    processes stopped); an unexpected error is one line and exit code 1 (its traceback with ``--debug`` or
    ``FRAMING_DEBUG=1``)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with sigterm_as_interrupt():
                return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("framing: interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # the reader went away (framing score -o - | head): stop quietly
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:  # the last line of defence: one line, not a traceback
            if ctx.meta.get(_DEBUG) or os.environ.get("FRAMING_DEBUG"):
                raise
            click.echo(f"framing: error: {_one_line(exc)} (run with --debug for the traceback)", err=True)
            ctx.exit(1)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_DEBUG] = True


_debug_option = click.option("--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
                             help="Show the traceback of an unexpected error (default: one line).")


def _check_outputs(inputs: Sequence[str | None], files: dict[str, str | None] | None = None,
                   folder: tuple[str, str, Sequence[str]] | None = None) -> None:
    """Refuse, before any work, outputs that would overwrite an input or write into an input folder."""
    from .output import OutputConflict, check_outputs

    try:
        check_outputs(inputs, files, folder)
    except OutputConflict as exc:
        raise OutputRefused(str(exc)) from None


def _os_error(exc: OSError, target: str) -> str:
    """One line for a file-system error (permission, disk full, a missing file named in an option)."""
    return f"{exc.filename or target}: {exc.strerror or exc}"


def _table_suffix(path: str, option: str) -> str:
    suffix = Path(path).suffix.lower() if path != "-" else ".csv"
    if suffix not in TABLE_SUFFIXES:
        raise click.BadParameter(f"unsupported output type '{suffix}' (use .csv, .jsonl or .parquet)",
                                 param_hint=option)
    return suffix


_raw_csv_option = click.option("--raw-csv", is_flag=True, default=None,
                               help="Write CSV cells as they are (default: a cell starting with = + - @, "
                                    "tab or CR gets a ' so spreadsheets do not run it as a formula).")
_progress_option = click.option("--progress/--no-progress", default=None,
                                help="Progress on stderr from the start of loading (default: on a terminal, "
                                     "once a step takes more than a moment).")


def _json_text(value: Any) -> str:
    """``value`` as indented JSON that strict parsers accept: NaN and infinities (a correlation of constant
    labels, an AUC of one class) written as null, not as the bare NaN Python's json module writes."""
    return json.dumps(_finite(value), indent=2)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _say_problems(problems: Sequence[Any], total: int) -> None:
    for p in problems:
        click.echo(f"framing: {p}", err=True)
    if problems:
        click.echo(f"framing: skipped {len(problems)} input(s); loaded {total} document(s)", err=True)


# ---------------------------------------------------------------------------
# progress

def _want_progress(flag: bool | None) -> bool:
    """Progress is shown when asked, else only when stderr is a terminal."""
    return flag if flag is not None else sys.stderr.isatty()


@contextlib.contextmanager
def _status(message: str, enabled: bool, after: float = 1.0) -> Iterator[None]:
    """While the block runs, ``framing: message… 12 s`` on stderr (from ``after`` seconds on), then erased."""
    if not enabled:
        yield
        return
    stop = threading.Event()
    shown: list[bool] = []

    def tick() -> None:
        began = time.monotonic()
        while not stop.wait(0.25):
            elapsed = time.monotonic() - began
            if elapsed >= after:
                _to_stderr(f"\rframing: {message}… {elapsed:.0f} s")
                shown.append(True)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        if shown:
            _to_stderr("\r\033[K")  # erase the line


def _to_stderr(text: str) -> None:
    """Write progress text to stderr as it is (click.echo would strip the erase code off a non-terminal)."""
    sys.stderr.write(text)
    sys.stderr.flush()


def _steps(items: Sequence[Any], desc: str, enabled: bool) -> Any:
    """``items``, with a progress bar on stderr when enabled (appearing only if the loop lasts)."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=f"framing: {desc}", unit="doc", leave=False, delay=0.5)


def _load(paths: Sequence[str], metadata: str | None, text_col: str, id_col: str, title_col: str,
          summary: bool = True, progress: bool = False):
    """Load the corpus; one stderr line per problem and per warning (e.g. a guessed encoding)."""
    from .ingest import load

    with _status("loading", progress):
        corpus = load(list(paths), metadata=metadata, text_col=text_col, id_col=id_col, title_col=title_col)
    for doc in _steps(corpus, "segmenting", progress):
        doc.segmentation  # noqa: B018 - computed once now (scoring reuses it) so its warnings print with the rest
    for doc in corpus:
        for warning in doc.warnings:
            click.echo(f"framing: {doc.path}: warning: {warning}", err=True)
    if summary:
        _say_problems(corpus.problems, len(corpus))
    else:
        for p in corpus.problems:
            click.echo(f"framing: {p}", err=True)
    return corpus


# ---------------------------------------------------------------------------
# settings: flags, else the configuration file, else the defaults

def _config(ctx: click.Context) -> Config:
    """The configuration file's settings, read once per run (a bad file is a usage error)."""
    root = ctx.find_root()
    if "framing.config" not in root.meta:
        try:
            root.meta["framing.config"] = load_config()
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
    return root.meta["framing.config"]


def _given(ctx: click.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)


def _settings(ctx: click.Context, params: dict[str, Any], defaults: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """setting -> (value, where it came from: "flag", the configuration file, or "default")."""
    config = _config(ctx)
    where = str(config.path) if config.path else "config"
    out: dict[str, tuple[Any, str]] = {}
    for key, default in defaults.items():
        value = params.get(key)
        if key in params and _given(ctx, key) and value not in (None, ()):
            out[key] = (list(value) if isinstance(value, tuple) else value, "flag")
        elif key in config.values:
            out[key] = (config.values[key], where)
        else:
            out[key] = (default, "default")
    return out


def _merged_options(ctx: click.Context, pairs: Sequence[str]) -> tuple[dict[str, dict[str, str]], str]:
    """Extractor options: the configuration's, each overridden by the same -O parameter."""
    config = _config(ctx)
    merged = {k: dict(v) for k, v in (config.get("options") or {}).items()}
    for name, params in _extractor_options(pairs).items():
        merged.setdefault(name, {}).update(params)
    source = "flag" if pairs else (str(config.path) if config.get("options") else "default")
    return merged, source


def _extractor_options(pairs: Sequence[str]) -> dict[str, dict[str, str]]:
    from .extractors.base import parse_extractor_options

    try:
        return parse_extractor_options(pairs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="-O/--option") from None


def _resolve_extractors(names: Sequence[str] | None, options: dict[str, dict[str, Any]]) -> list[Any]:
    """The extractor instances, or a usage error naming the unknown extractor or the bad option."""
    from . import pipeline

    try:
        extractors = pipeline.resolve_extractors(list(names) if names else None, options or None)
        for extractor in extractors:
            extractor.provenance()  # reads every option value once, so a bad one is refused before any work
        return extractors
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    except (TypeError, OptionError, ValueError) as exc:  # a parameter the extractor does not take, a bad value
        raise click.UsageError(f"bad extractor option: {exc}") from None


def _common_input_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--metadata", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Sidecar metadata file (CSV with a 'file' or 'id' column, or TOML).")(f)
    f = click.option("--text-col", default=None, help="Text column in .csv/.jsonl inputs [default: text].")(f)
    f = click.option("--id-col", default=None, help="Id column in .csv/.jsonl inputs [default: id].")(f)
    f = click.option("--title-col", default=None, help="Title column in .csv/.jsonl inputs [default: title].")(f)
    return f


INPUT_DEFAULTS = {"metadata": None, "text_col": "text", "id_col": "id", "title_col": "title"}


def _input_settings(ctx: click.Context, params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, (v, _) in _settings(ctx, params, INPUT_DEFAULTS).items()}


# ---------------------------------------------------------------------------
# the commands

@click.group(cls=FramingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="framing")
@_debug_option
def main() -> None:
    """Score documents for credibility and framing signals, and compare official with commentary voices.

    \b
    framing report                 compare the seed documents, write reports/
    framing score DOCS -o out.csv  one row of features per document
    framing explain FILE           a document with the cues behind its scores marked
    framing evaluate TASK FILE     measure a feature against human labels

    Settings are read from framing.toml (or [tool.framing] in pyproject.toml) in the working
    directory or above; flags override them. Exit codes: 0 ok, 1 data errors, 2 usage errors.
    """


def _jobs_value(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``-j N`` (a whole number >= 1), or ``auto``/unset: every core for inputs of more than two chunks."""
    if value is None or value.strip().lower() == "auto":
        return None
    try:
        jobs = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a whole number or 'auto'") from None
    if jobs < 1:
        raise click.BadParameter(f"{value} is not a number of processes (1 or more)")
    return jobs


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="Output file: .csv, .jsonl or .parquet ('-' = CSV on stdout).")
@click.option("--evidence", "evidence_path", default=None,
              help="Also write every cue that fired (.csv, .jsonl or .parquet) to this file.")
@click.option("-x", "--extractor", "extractors", multiple=True,
              help="Run only these extractors (repeatable). Default: all.")
@click.option("-O", "--option", "extractor_options", multiple=True, metavar="EXTRACTOR.PARAM=VALUE",
              help="Extractor setting, e.g. hedging.lexicon=my_hedges.tsv (repeatable).")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None, metavar="N",
              help="Documents scored and written at a time (memory stays flat) [default: 1000].")
@click.option("-j", "--jobs", default=None, callback=_jobs_value, metavar="N",
              help="Worker processes [default: every core when the input is more than two chunks, else 1].")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run from OUTPUT.partial (same inputs, extractors and options).")
@click.option("--dask", "dask_scheduler", default=None, metavar="SCHEDULER",
              help="Score a Parquet dataset on a Dask cluster (scheduler address, e.g. tcp://host:8786).")
@_progress_option
@_raw_csv_option
@_common_input_options
@_debug_option
@click.pass_context
def score(ctx: click.Context, paths: tuple[str, ...], output: str, evidence_path: str | None,
          extractors: tuple[str, ...], extractor_options: tuple[str, ...], chunk_size: int | None,
          jobs: int | None, resume: bool, dask_scheduler: str | None, progress: bool | None,
          raw_csv: bool | None, **inputs: Any) -> None:
    """Score documents in PATHS (files, folders, .jsonl, .csv, .parquet, or - for stdin); one row per document.

    The table has a fixed schema: text columns are strings, the base counts integers and every
    extractor column a float (NaN when a document cannot be scored), whatever the batch.

    \b
    Inputs are read as a stream and scored CHUNK-SIZE documents at a time, each chunk appended to
    OUTPUT.partial (flushed to disk) and the file renamed to OUTPUT at the end, so memory does not
    grow with the corpus. An interrupted run (Ctrl-C, SIGTERM) keeps OUTPUT.partial and its journal
    OUTPUT.partial.json: run the same command with --resume to finish it.
    """
    io = _input_settings(ctx, inputs)
    settings = _settings(ctx, {"extractors": extractors, "raw_csv": raw_csv}, {"extractors": None, "raw_csv": False})
    options = _merged_options(ctx, extractor_options)[0]
    if dask_scheduler:
        _score_with_dask(paths, output, dask_scheduler, io, settings["extractors"][0], options,
                         evidence_path=evidence_path, resume=resume)
        return
    _check_outputs([*paths, io["metadata"]], {"-o/--output": output, "--evidence": evidence_path})
    suffixes = {_table_suffix(output, "-o/--output")}
    if evidence_path:
        suffixes.add(_table_suffix(evidence_path, "--evidence"))
    if ".parquet" in suffixes and not _parquet_engine_available():
        raise click.BadParameter("writing Parquet needs pyarrow (pip install 'framing[parquet]')",
                                 param_hint="-o/--output" if output.lower().endswith(".parquet") else "--evidence")
    if resume and output == "-":
        raise click.BadParameter("--resume needs an output file, not standard output", param_hint="--resume")
    exs = _resolve_extractors(settings["extractors"][0], options)
    show = _want_progress(progress)
    try:
        scored, problems = _score_stream(paths, output, evidence_path, exs, options, io, chunk_size, jobs, resume,
                                         csv_safe=not settings["raw_csv"][0], progress=show)
    except OSError as exc:
        raise DataError(_os_error(exc, output)) from None
    if problems:
        click.echo(f"framing: skipped {len(problems)} input(s); scored {scored} document(s)", err=True)
        sys.exit(1)


def _score_stream(paths: Sequence[str], output: str, evidence_path: str | None, exs: list[Any],
                  options: dict[str, dict[str, Any]], io: dict[str, Any], chunk_size: int | None, jobs: int | None,
                  resume: bool, *, csv_safe: bool, progress: bool) -> tuple[int, list[Any]]:
    """Read, score and write chunk by chunk (:mod:`framing.stream`); the documents scored and the load problems."""
    import pandas as pd

    from .ingest import iter_documents
    from .pipeline import conform_scores
    from .stream import (
        DEFAULT_CHUNK_SIZE,
        ChunkScorer,
        PartialRun,
        ResumeError,
        StreamUsageError,
        needs_whole_corpus,
        run_chunks,
        sigterm_as_interrupt,
    )

    empty = conform_scores(pd.DataFrame(), exs)
    schema = None
    if output.lower().endswith(".parquet"):
        import pyarrow as pa

        schema = pa.Schema.from_pandas(empty, preserve_index=False)
    if needs_whole_corpus(exs):  # a corpus-level step (source_type.prior=corpus) sees every document at once
        chunk_size, jobs = None, 1
    else:
        chunk_size = chunk_size or DEFAULT_CHUNK_SIZE
    problems: list[Any] = []
    told = 0

    def tell_problems() -> None:
        nonlocal told
        for p in problems[told:]:
            click.echo(f"framing: {p}", err=True)
        told = len(problems)

    docs = iter_documents(list(paths), metadata=io["metadata"], text_col=io["text_col"], id_col=io["id_col"],
                          title_col=io["title_col"], problems=problems)
    bar = None
    run = PartialRun(output, evidence_path, list(empty.columns), schema, csv_safe, resume)
    try:
        with sigterm_as_interrupt(), run:
            if progress:
                from tqdm import tqdm

                bar = tqdm(desc="framing: scoring", unit="doc", leave=False, delay=0.5, initial=run.skip)

            def on_result(result: Any) -> None:
                run.write(result)
                for path, warning in result.warnings:
                    click.echo(f"framing: {path}: warning: {warning}", err=True)
                tell_problems()
                if bar is not None:
                    bar.update(result.n_docs)

            scorer = ChunkScorer(exs, options, jobs, evidence=bool(evidence_path))
            try:
                run_chunks(run.skip_committed(docs), scorer, chunk_size, on_result)
            except (TypeError, OptionError) as exc:  # an option value only the corpus step can check
                raise click.UsageError(f"bad extractor option: {exc}") from None
            tell_problems()
            if run.committed == 0:
                run.discard()
                raise DataError(f"no documents could be loaded ({len(problems)} input(s) skipped)")
            run.finish()
    except StreamUsageError as exc:
        raise click.UsageError(str(exc)) from None
    except ResumeError as exc:
        raise DataError(str(exc)) from None
    except KeyboardInterrupt:
        if run.committed and not run.stdout and not run.finished:
            click.echo(f"framing: {run.committed} document(s) are in {run.partial}; run the same command with "
                       f"--resume to finish", err=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return run.committed - run.skip, problems


def _score_with_dask(paths: Sequence[str], output: str, scheduler: str, io: dict[str, Any],
                     extractors: Sequence[str] | None, options: dict[str, dict[str, Any]], *,
                     evidence_path: str | None, resume: bool) -> None:
    """``--dask``: hand one Parquet dataset to :func:`framing.distributed.score_dask`."""
    from importlib.util import find_spec

    if len(paths) != 1:
        raise click.BadParameter("--dask scores one Parquet dataset (a file or a folder of Parquet files)",
                                 param_hint="PATHS")
    if evidence_path or resume:
        raise click.UsageError(f"--dask does not take {'--evidence' if evidence_path else '--resume'}")
    _check_outputs([paths[0], io["metadata"]], {"-o/--output": output})
    missing = "--dask needs dask[distributed] (pip install 'framing[dask]')"
    if find_spec("dask") is None or find_spec("distributed") is None:
        raise click.UsageError(missing)
    try:
        from .distributed import score_dask
    except ImportError:
        raise click.UsageError(missing + "; this framing has no framing.distributed module") from None
    try:
        score_dask(paths[0], output, scheduler, text_col=io["text_col"],
                   id_col=None if io["id_col"] == "id" else io["id_col"],
                   extractors=list(extractors) if extractors else None, options=options or None)
    except ImportError:
        raise click.UsageError(missing) from None


def _parquet_engine_available() -> bool:
    from importlib.util import find_spec

    return find_spec("pyarrow") is not None or find_spec("fastparquet") is not None


def write_table(df: Any, output: str, csv_safe: bool = True) -> None:
    """Write a DataFrame as CSV, JSON Lines or Parquet by extension ('-' = CSV to stdout), atomically.

    CSV cells are spreadsheet-safe unless ``csv_safe=False`` (see :func:`framing.output.write_table`).
    """
    from .output import OutputConflict
    from .output import write_table as _write_table

    try:
        _write_table(df, output, csv_safe=csv_safe)
    except OutputConflict as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("task")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--text-col", default="text", show_default=True)
@click.option("--label-col", default="label", show_default=True)
@click.option("--group-col", default=None, help="Group column (readability: pairwise accuracy within groups).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@_debug_option
def evaluate(task: str, file: str, text_col: str, label_col: str, group_col: str | None, as_json: bool) -> None:
    """Measure TASK (hedging, promotional, readability, source-type) against the labels in FILE."""
    from .evaluate import TASKS, EvaluationError, _ensure_tasks, evaluate_file, format_result

    _ensure_tasks()
    if task not in TASKS:
        raise click.BadParameter(f"unknown task {task!r}; choose from {', '.join(sorted(TASKS))}",
                                 param_hint="TASK")
    try:
        result = evaluate_file(task, file, text_col=text_col, label_col=label_col, group_col=group_col)
    except EvaluationError as exc:
        raise DataError(str(exc)) from None
    if as_json:
        click.echo(_json_text(result))
    else:
        click.echo(format_result(result))


@main.command()
@click.argument("model")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", default=None, help="Where to write the model JSON (default: the model's name).")
@click.option("--cv", "folds", type=click.IntRange(min=2), default=None, metavar="K",
              help="Cross-validate the whole training procedure with K folds and print the figures as JSON, "
                   "instead of writing a model.")
@click.option("--cross-domain", is_flag=True,
              help="Train on all files but one and score that one, for each file in turn (hedging, promotional); "
                   "print the figures as JSON, write no model.")
@click.option("--text-col", default="text", show_default=True)
@click.option("--label-col", default="label", show_default=True)
@_debug_option
def train(model: str, files: tuple[str, ...], output: str | None, folds: int | None, cross_domain: bool,
          text_col: str, label_col: str) -> None:
    """Train MODEL (hedging, promotional, source-type) on labelled FILES and write it as a small JSON file.

    With --cv K, print MODEL's K-fold cross-validated figures on FILES (JSON) and write no model.
    """
    from .training import cross_validate, trainable
    from .training import train as run_train

    names = trainable()
    if model not in names:
        raise click.BadParameter(f"unknown model {model!r}; choose from {', '.join(names) or '(none)'}",
                                 param_hint="MODEL")
    if (folds is not None or cross_domain) and output is not None:
        raise click.UsageError("--cv and --cross-domain print figures and write no model: drop -o/--output")
    if folds is not None and cross_domain:
        raise click.UsageError("choose one of --cv and --cross-domain")
    if cross_domain and model not in ("hedging", "promotional"):
        raise click.UsageError(f"--cross-domain is for hedging and promotional, not {model!r}")
    missing = [f for f in files if not Path(f).exists()]
    if missing:
        raise DataError(f"{missing[0]}: no such file")
    try:
        if cross_domain:
            from .training.crossdomain import cross_domain as run_cross_domain

            click.echo(_json_text(run_cross_domain(model, files, text_col=text_col, label_col=label_col)))
            return
        if folds is not None:
            figures = cross_validate(model, files, folds, text_col=text_col, label_col=label_col)
            click.echo(_json_text(figures))
            return
        out = run_train(model, files, output, text_col=text_col, label_col=label_col)
    except ValueError as exc:
        raise DataError(str(exc)) from None
    click.echo(str(out))


@main.command()
@click.option("--n", "n_docs", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Documents to generate.")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="Time this corpus (.jsonl/.csv/folder) instead of a generated one.")
@click.option("--generator", type=click.Path(dir_okay=False), default=str(Path("..") / "shared" / "bench" /
              "gen_synthetic.py"), show_default=True, help="Synthetic corpus generator script.")
@click.option("-x", "--extractor", "extractor_names", multiple=True, help="Time only these extractors.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--long-sentence", "long_sentence", type=click.IntRange(min=100), default=None, metavar="WORDS",
              help="Instead: peak memory of scoring one unpunctuated document of WORDS words against the same words "
                   "punctuated (each in a fresh process).")
@click.option("--jobs", "jobs_list", default=None, metavar="N,N,...",
              help="Instead: documents per second of chunked scoring with each number of processes "
                   "(e.g. 1,2), on the same documents in one run.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None, help="Chunk size for --jobs.")
@click.option("--rss", "rss_file", type=click.Path(exists=True), default=None, metavar="FILE",
              help="Instead: peak RSS and documents per second of 'framing score FILE' in a child process "
                   "(-x and --jobs apply to it).")
@click.option("--report", "rss_report", is_flag=True,
              help="With --rss: measure 'framing report FILE' instead (-x and --jobs apply to it too).")
@_debug_option
def benchmark(n_docs: int, corpus: str | None, generator: str, extractor_names: tuple[str, ...],
              as_json: bool, long_sentence: int | None, jobs_list: str | None, chunk_size: int | None,
              rss_file: str | None, rss_report: bool) -> None:
    """Time loading, segmentation and every extractor (documents per second on this machine)."""
    from .bench import format_benchmark, long_sentence_memory, run_benchmark

    if extractor_names:
        _resolve_extractors(extractor_names, {})  # an unknown name is a usage error before any work
    jobs = _parse_jobs_list(jobs_list) if jobs_list else None
    if rss_report and rss_file is None:
        raise click.UsageError("--report goes with --rss FILE")
    if rss_file is not None:
        from .bench import format_rss, rss_benchmark

        args = [a for name in extractor_names for a in ("-x", name)]
        if jobs:
            args += ["-j", str(jobs[0])]
        try:
            result = rss_benchmark(rss_file, args, command="report" if rss_report else "score")
        except ValueError as exc:
            raise DataError(str(exc)) from None
        click.echo(_json_text(result) if as_json else format_rss(result))
        return
    if jobs:
        from .bench import format_jobs, jobs_benchmark

        try:
            result = jobs_benchmark(corpus, n_docs, jobs, generator=generator,
                                    extractors=list(extractor_names) or None, chunk_size=chunk_size)
        except (FileNotFoundError, ValueError) as exc:
            raise DataError(str(exc)) from None
        click.echo(_json_text(result) if as_json else format_jobs(result))
        return
    if long_sentence is not None:
        result = long_sentence_memory(long_sentence)
        if as_json:
            click.echo(_json_text(result))
        else:
            for name, run in result["runs"].items():
                click.echo(f"{result['words']:,} words, {name}: peak RSS {run['peak_rss_mib']} MiB, "
                           f"{run['evidence_rows']:,} evidence rows, {run['seconds']} s")
        return
    try:
        result = run_benchmark(corpus, n_docs, generator=generator, extractors=list(extractor_names) or None)
    except (FileNotFoundError, ValueError) as exc:
        raise DataError(str(exc)) from None
    click.echo(_json_text(result) if as_json else format_benchmark(result))


def _parse_jobs_list(text: str) -> list[int]:
    try:
        jobs = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a list of whole numbers such as 1,2", param_hint="--jobs") from None
    if not jobs or min(jobs) < 1:
        raise click.BadParameter(f"{text!r}: give numbers of processes of 1 or more", param_hint="--jobs")
    return jobs


REPORT_DEFAULTS: dict[str, Any] = {"paths": [DEFAULT_CORPUS], "output": DEFAULT_REPORT_DIR, "by": None,
                                   "unit": None, "seed": 0, "snippets": 2, "extractors": None, "raw_csv": False,
                                   "evidence": "auto"}


@main.command()
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", default=None, help="Folder to write the report into [default: reports].")
@click.option("--by", default=None, metavar="COLUMN",
              help="Group by this metadata column (e.g. outlet). Default: declared role, else detected source type.")
@click.option("--unit", default=None, metavar="UNIT",
              help="What the statistics resample: document, outlet or a metadata column [default: from the data].")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Seed of the bootstrap and permutation draws [default: 0].")
@click.option("--snippets", type=click.IntRange(min=0), default=None,
              help="Exemplar sentences per document and feature family [default: 2].")
@click.option("-x", "--extractor", "extractors", multiple=True,
              help="Run only these extractors (repeatable). Default: all.")
@click.option("-O", "--option", "extractor_options", multiple=True, metavar="EXTRACTOR.PARAM=VALUE",
              help="Extractor setting, e.g. hedging.lexicon=my_hedges.tsv (repeatable).")
@click.option("--evidence", "evidence", type=click.Choice(["auto", "csv", "gz", "none"]), default=None,
              help="Evidence table: evidence.csv, evidence.csv.gz or none [default: auto = gz above 50,000 cues].")
@click.option("-j", "--jobs", default=None, callback=_jobs_value, metavar="N",
              help="Worker processes that score the chunks [default: every core when the input is more than "
                   "two chunks of 200, else 1]. The report is the same whatever N.")
@click.option("--print-config", is_flag=True,
              help="Print the effective settings (flags, configuration file, defaults) and exit.")
@_progress_option
@_raw_csv_option
@_common_input_options
@_debug_option
@click.pass_context
def report(ctx: click.Context, paths: tuple[str, ...], output: str | None, by: str | None, unit: str | None,
           seed: int | None, snippets: int | None, extractors: tuple[str, ...], extractor_options: tuple[str, ...],
           evidence: str | None, jobs: int | None, print_config: bool, progress: bool | None, raw_csv: bool | None,
           **inputs: Any) -> None:
    """Compare official and commentary texts in PATHS (default: seeds/); write HTML, Markdown, CSV and JSON to -o."""
    from .output import FolderBusy, folder_lock
    from .reporting import REPORT_FILES

    params = {"paths": paths, "output": output, "by": by, "unit": unit, "seed": seed, "snippets": snippets,
              "extractors": extractors, "raw_csv": raw_csv, "evidence": evidence, **inputs}
    settings = {**_settings(ctx, params, REPORT_DEFAULTS), **_settings(ctx, params, INPUT_DEFAULTS)}
    options, options_source = _merged_options(ctx, extractor_options)
    if print_config:
        click.echo(_format_settings(settings, options, options_source, _config(ctx)), nl=False)
        return
    value = {k: v for k, (v, _) in settings.items()}
    inputs_given = [str(p) for p in value["paths"]]
    _check_outputs([*inputs_given, value["metadata"]], folder=("-o/--output", value["output"], REPORT_FILES))
    exs = _resolve_extractors(value["extractors"], options)
    show = _want_progress(progress)
    try:
        with folder_lock(value["output"]):  # held from before loading, so a second run is refused at once
            _check_grouping(inputs_given, value, "by", "--by")
            _check_grouping(inputs_given, value, "unit", "--unit", allowed=("document",))
            written, problems, loaded = _write_report(inputs_given, value, exs, options, show, jobs)
    except FolderBusy as exc:
        raise DataError(str(exc)) from None
    except OSError as exc:
        raise DataError(_os_error(exc, value["output"])) from None
    for path in written:
        click.echo(str(path))
    if problems:
        click.echo(f"framing: skipped {len(problems)} input(s); loaded {loaded} document(s)", err=True)
        sys.exit(1)


def _write_report(paths: list[str], value: dict[str, Any], exs: list[Any], options: dict[str, dict[str, str]],
                  progress: bool, jobs: int | None) -> tuple[list[Path], list[Any], int]:
    """Read, score (chunk by chunk), compare and write the report; the files written, the load problems
    and the number of documents read. Warnings and problems are printed as the chunks pass."""
    from .compare import GroupingError
    from .pipeline import show_progress
    from .reporting import NoDocuments, build_report

    seen: dict[str, Any] = {"problems": [], "told": 0, "documents": 0}

    def tell(chunk: list[Any], problems: list[Any]) -> None:
        for doc in chunk:
            for warning in doc.warnings:
                click.echo(f"framing: {doc.path}: warning: {warning}", err=True)
        for p in problems[seen["told"]:]:
            click.echo(f"framing: {p}", err=True)
        seen.update(problems=problems, told=len(problems), documents=seen["documents"] + len(chunk))

    report_options = {"by": value["by"], "seed": value["seed"], "snippets": value["snippets"],
                      "extractors": [e.name for e in exs] if value["extractors"] else None,
                      "extractor_options": options or None, "csv_safe": not value["raw_csv"],
                      "evidence": value["evidence"]}
    if value["unit"]:
        report_options["resample_by"] = value["unit"]
    try:
        with show_progress(progress):
            written = build_report(paths, value["output"], inputs=[str(p) for p in value["paths"]],
                                   metadata=value["metadata"], text_col=value["text_col"], id_col=value["id_col"],
                                   title_col=value["title_col"], on_chunk=tell, jobs=jobs, **report_options)
    except NoDocuments as exc:
        for p in exc.problems:
            click.echo(f"framing: {p}", err=True)
        raise DataError(f"no documents could be loaded ({len(exc.problems)} input(s) skipped)") from None
    except GroupingError as exc:
        raise DataError(str(exc)) from None
    except (TypeError, OptionError) as exc:
        raise click.UsageError(f"bad extractor option: {exc}") from None
    problems = seen["problems"]
    for p in problems[seen["told"]:]:  # met after the last chunk (e.g. a bad last row)
        click.echo(f"framing: {p}", err=True)
    return written, problems, seen["documents"]


def metadata_columns(docs: Sequence[Any]) -> list[str]:
    """The metadata columns at least one document has a value for (what --by and --unit may name)."""
    names = {f for f in ("outlet", "author", "date", "url", "role", "title") for d in docs if getattr(d, f, None)}
    names |= {k for d in docs for k, v in d.meta.items() if str(v).strip()}
    return sorted(names)


def _check_grouping(paths: list[str], value: dict[str, Any], key: str, option: str,
                    allowed: Sequence[str] = ()) -> None:
    """A usage error (exit 2), before any scoring, when ``value[key]`` is no document's metadata column.

    The inputs are read (not scored) only until a document with a value for the column is met: usually
    the first; the whole corpus only when the column is missing."""
    from .ingest import iter_documents

    column = value[key]
    if column is not None and not str(column).strip():  # '--by ""' fell back to the default grouping in silence
        raise click.BadParameter("an empty column name; leave the option out for the default", param_hint=option)
    if not column or column in allowed or "-" in paths:  # stdin is read once: the comparison checks it later
        return
    known: set[str] = set()
    for doc in iter_documents(paths, metadata=value["metadata"], text_col=value["text_col"],
                              id_col=value["id_col"], title_col=value["title_col"], problems=[]):
        known.update(metadata_columns([doc]))
        if column in known:
            return
    raise click.BadParameter(f"no document has a value for {column!r} (metadata columns: "
                             f"{', '.join(sorted(known)) or 'none'})", param_hint=option)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


def _format_settings(settings: dict[str, tuple[Any, str]], options: dict[str, dict[str, str]],
                     options_source: str, config: Config) -> str:
    """The effective settings as TOML (paste-able into framing.toml), each with where it came from."""
    lines = [f"# configuration file: {config.path or 'none found'}"]
    for key, (value, source) in settings.items():
        line = f"# {key} = (not set)" if value is None else f"{key} = {_toml_value(value)}"
        lines.append(f"{line:<40} # {source}: {KEYS[key][1]}" if key in KEYS else line)
    for name, params in options.items():
        lines.append(f"\n[options.{name}]{'':<25} # {options_source}")
        lines += [f"{param} = {_toml_value(v)}" for param, v in params.items()]
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("file")
@click.option("--id", "doc_ids", multiple=True, help="Explain only this document of a .csv/.jsonl/folder (repeatable).")
@click.option("-x", "--extractor", "extractors", multiple=True, help="Only these families (repeatable).")
@click.option("-O", "--option", "extractor_options", multiple=True, metavar="EXTRACTOR.PARAM=VALUE",
              help="Extractor setting, e.g. hedging.lexicon=my_hedges.tsv (repeatable).")
@click.option("--color/--no-color", "colour", default=None,
              help="Colour the cues by family and voice [default: on a terminal]; otherwise plain markers.")
@click.option("-o", "--output", default=None,
              help="Write the evidence table (.csv, .jsonl, .parquet; '-' = CSV on stdout) instead of the text.")
@_progress_option
@_common_input_options
@_debug_option
@click.pass_context
def explain(ctx: click.Context, file: str, doc_ids: tuple[str, ...], extractors: tuple[str, ...],
            extractor_options: tuple[str, ...], colour: bool | None, output: str | None, progress: bool | None,
            **inputs: Any) -> None:
    """Show FILE with the cues behind its scores marked, by family and voice (or write them as a table)."""
    from .api import explain_table
    from .highlight import Cue, legend, render
    from .pipeline import analyze

    io = _input_settings(ctx, inputs)
    extractor_names = _settings(ctx, {"extractors": extractors}, {"extractors": None})["extractors"][0]
    if output:
        _check_outputs([file, io["metadata"]], {"-o/--output": output})
        _table_suffix(output, "-o/--output")
    exs = _resolve_extractors(extractor_names, _merged_options(ctx, extractor_options)[0])
    show = _want_progress(progress)
    corpus = _load([file], io["metadata"], io["text_col"], io["id_col"], io["title_col"], progress=show)
    if not corpus:
        raise DataError(f"no documents could be loaded from {file}")
    docs = _select(corpus, doc_ids)
    analysis = analyze(docs, exs, progress=show)
    table = explain_table(analysis)
    if output:
        write_table(table, output)
    else:
        colour = colour if colour is not None else sys.stdout.isatty()
        click.echo(legend(colour) + "\n", color=colour)
        for doc in analysis.documents:
            rows = table[table["document"] == doc.id]
            cues = [Cue(int(r.start), int(r.end), str(r.family), str(r.category), str(r.voice))
                    for r in rows.itertuples()]
            header = f"== {doc.id}: {doc.title}" if doc.title else f"== {doc.id}"
            click.echo(click.style(header, bold=True) if colour else header, color=colour)
            click.echo(render(doc.body, cues, colour=colour) + "\n", color=colour)
    if corpus.problems:
        sys.exit(1)


def _select(corpus: Sequence[Any], doc_ids: Sequence[str]) -> list[Any]:
    """The documents named by --id (all when none is named); an unknown id is a usage error."""
    if not doc_ids:
        return list(corpus)
    by_id = {d.id: d for d in corpus}
    unknown = [i for i in doc_ids if i not in by_id]
    if unknown:
        shown = ", ".join(list(by_id)[:10]) + (" …" if len(by_id) > 10 else "")
        raise click.BadParameter(f"no document {unknown[0]!r} in the input (ids: {shown})", param_hint="--id")
    return [by_id[i] for i in doc_ids]


@main.command(name="extractors")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_debug_option
def list_extractors(as_json: bool) -> None:
    """List the extractors (families), every column they own with its meaning, and who owns each shared construct."""
    from .cues import CONSTRUCT_OWNERS
    from .extractors import available_extractors, get_extractor

    families = []
    for name in available_extractors():
        ex = get_extractor(name)
        families.append({"family": name, "version": ex.version, "description": ex.description,
                         "columns": {c: ex.column_descriptions.get(c, "") for c in ex.columns}})
    owners = {k: {"family": f, "column": c} for k, (f, c) in CONSTRUCT_OWNERS.items()}
    if as_json:
        click.echo(_json_text({"families": families, "shared_constructs": owners}))
        return
    for fam in families:
        click.echo(f"{fam['family']} (v{fam['version']}): {fam['description']}")
        for column, meaning in fam["columns"].items():
            click.echo(f"  {column}: {meaning}")
        click.echo("")
    click.echo("shared constructs (measured once by the cue layer, reported by one family):")
    for construct, owner in owners.items():
        click.echo(f"  {construct}: {owner['family']} ({owner['column']})")


@main.command(name="lexicons")
@_debug_option
def list_lexicons() -> None:
    """List the packaged lexicons with their source, licence and hash."""
    from .lexicon import load_lexicon, packaged_lexicons

    for name in packaged_lexicons():
        lex = load_lexicon(name)
        click.echo(f"{lex.name} v{lex.version}: {len(lex)} entries, sha256 {lex.sha256[:12]}")
        click.echo(f"  source: {lex.source}")
        click.echo(f"  licence: {lex.licence}")


if __name__ == "__main__":  # pragma: no cover
    main()

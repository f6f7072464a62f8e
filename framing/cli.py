"""The ``framing`` command line.

Exit codes: 0 success; 1 data errors (a file that could not be read, a
malformed evaluation file — everything else is still processed — or a report
folder another run is writing); 2 usage errors (unknown option, missing
argument, an output that would overwrite or write into an input); 130
interrupted (Ctrl-C; files already in place are left as they were). Quiet by
default: results go to the named output, problems to stderr, one line each.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Sequence

import click

from . import __version__
from .extractors.base import OptionError
from .output import TABLE_SUFFIXES, FolderBusy, OutputConflict, check_outputs, folder_lock
from .output import write_table as _write_table

DEFAULT_CORPUS = "seeds"


class DataError(click.ClickException):
    """Exit code 1: the input data is at fault, not the command line."""

    exit_code = 1


class OutputRefused(click.ClickException):
    """Exit code 2, one line: the outputs asked for would overwrite or write into the inputs."""

    exit_code = 2


class FramingGroup(click.Group):
    """The command group: Ctrl-C ends any command with one line and exit code 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("framing: interrupted", err=True)
            ctx.exit(130)


def _check_outputs(inputs: Sequence[str | None], files: dict[str, str | None] | None = None,
                   folder: tuple[str, str, Sequence[str]] | None = None) -> None:
    """Refuse, before any work, outputs that would overwrite an input or write into an input folder."""
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


_raw_csv_option = click.option("--raw-csv", is_flag=True,
                               help="Write CSV cells as they are (default: a cell starting with = + - @, "
                                    "tab or CR gets a ' so spreadsheets do not run it as a formula).")


def _say_problems(problems: Sequence[Any], total: int) -> None:
    for p in problems:
        click.echo(f"framing: {p}", err=True)
    if problems:
        click.echo(f"framing: skipped {len(problems)} input(s); loaded {total} document(s)", err=True)


def _load(paths: Sequence[str], metadata: str | None, text_col: str, id_col: str, title_col: str,
          summary: bool = True):
    """Load the corpus; one stderr line per problem and per warning (e.g. a guessed encoding)."""
    from .ingest import load

    corpus = load(list(paths), metadata=metadata, text_col=text_col, id_col=id_col, title_col=title_col)
    for doc in corpus:
        doc.segmentation  # noqa: B018 - computed once now (scoring reuses it) so its warnings print with the rest
        for warning in doc.warnings:
            click.echo(f"framing: {doc.path}: warning: {warning}", err=True)
    if summary:
        _say_problems(corpus.problems, len(corpus))
    else:
        for p in corpus.problems:
            click.echo(f"framing: {p}", err=True)
    return corpus


def _common_input_options(f):  # type: ignore[no-untyped-def]
    f = click.option("--metadata", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Sidecar metadata file (CSV with a 'file' or 'id' column, or TOML).")(f)
    f = click.option("--text-col", default="text", show_default=True, help="Text column in .csv/.jsonl inputs.")(f)
    f = click.option("--id-col", default="id", show_default=True, help="Id column in .csv/.jsonl inputs.")(f)
    f = click.option("--title-col", default="title", show_default=True, help="Title column in .csv/.jsonl inputs.")(f)
    return f


@click.group(cls=FramingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="framing")
def main() -> None:
    """Score documents for credibility and framing signals, and compare official with commentary voices.

    \b
    framing report                 compare the seed documents, write reports/
    framing score DOCS -o out.csv  one row of features per document
    framing evaluate TASK FILE     measure a feature against human labels
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="Output file: .csv, .jsonl or .parquet ('-' = CSV on stdout).")
@click.option("--evidence", "evidence_path", default=None,
              help="Also write every cue that fired (.csv or .jsonl) to this file.")
@click.option("-x", "--extractor", "extractor_names", multiple=True,
              help="Run only these extractors (repeatable). Default: all.")
@click.option("-O", "--option", "extractor_options", multiple=True, metavar="EXTRACTOR.PARAM=VALUE",
              help="Extractor setting, e.g. hedging.lexicon=my_hedges.tsv (repeatable).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on for a terminal, 50+ docs).")
@_raw_csv_option
@_common_input_options
def score(paths: tuple[str, ...], output: str, evidence_path: str | None, extractor_names: tuple[str, ...],
          extractor_options: tuple[str, ...], progress: bool | None, raw_csv: bool, metadata: str | None,
          text_col: str, id_col: str, title_col: str) -> None:
    """Score documents in PATHS (files, folders, .jsonl, .csv, or - for stdin); one row per document."""
    from .pipeline import analyze

    _check_outputs([*paths, metadata], {"-o/--output": output, "--evidence": evidence_path})
    suffixes = {_table_suffix(output, "-o/--output")}
    if evidence_path:
        suffixes.add(_table_suffix(evidence_path, "--evidence"))
    if ".parquet" in suffixes and not _parquet_engine_available():
        raise click.BadParameter("writing Parquet needs pyarrow (pip install 'framing[parquet]')",
                                 param_hint="-o/--output" if output.lower().endswith(".parquet") else "--evidence")
    options = _extractor_options(extractor_options)
    corpus = _load(paths, metadata, text_col, id_col, title_col, summary=False)
    if not corpus:
        raise DataError(f"no documents could be loaded ({len(corpus.problems)} input(s) skipped)")
    try:
        result = analyze(corpus, list(extractor_names) or None, progress=_want_progress(progress, len(corpus)),
                         options=options)
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    except (TypeError, OptionError) as exc:  # an -O parameter the extractor does not take, or a bad value
        raise click.UsageError(f"bad extractor option: {exc}") from None
    for table, path in ((result.features, output), (result.evidence, evidence_path)):
        if path:
            try:
                write_table(table, path, csv_safe=not raw_csv)
            except OSError as exc:
                raise DataError(_os_error(exc, path)) from None
    if corpus.problems:
        click.echo(f"framing: skipped {len(corpus.problems)} input(s); scored {len(corpus)} document(s)", err=True)
        sys.exit(1)


def _extractor_options(pairs: Sequence[str]) -> dict[str, dict[str, str]]:
    from .extractors.base import parse_extractor_options

    try:
        return parse_extractor_options(pairs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="-O/--option") from None


def _parquet_engine_available() -> bool:
    from importlib.util import find_spec

    return find_spec("pyarrow") is not None or find_spec("fastparquet") is not None


def _want_progress(flag: bool | None, n: int) -> bool:
    if flag is not None:
        return flag
    return n >= 50 and sys.stderr.isatty()


def write_table(df: Any, output: str, csv_safe: bool = True) -> None:
    """Write a DataFrame as CSV, JSON Lines or Parquet by extension ('-' = CSV to stdout), atomically.

    CSV cells are spreadsheet-safe unless ``csv_safe=False`` (see :func:`framing.output.write_table`).
    """
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
        click.echo(json.dumps(result, indent=2, sort_keys=False))
    else:
        click.echo(format_result(result))


@main.command()
@click.argument("model")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", default=None, help="Where to write the model JSON (default: the model's name).")
@click.option("--cv", "folds", type=click.IntRange(min=2), default=None, metavar="K",
              help="Cross-validate the whole training procedure with K folds and print the figures as JSON, "
                   "instead of writing a model.")
@click.option("--text-col", default="text", show_default=True)
@click.option("--label-col", default="label", show_default=True)
def train(model: str, files: tuple[str, ...], output: str | None, folds: int | None, text_col: str,
          label_col: str) -> None:
    """Train MODEL (hedging, promotional, source-type) on labelled FILES and write it as a small JSON file.

    With --cv K, print MODEL's K-fold cross-validated figures on FILES (JSON) and write no model.
    """
    from .training import cross_validate, trainable
    from .training import train as run_train

    names = trainable()
    if model not in names:
        raise click.BadParameter(f"unknown model {model!r}; choose from {', '.join(names) or '(none)'}",
                                 param_hint="MODEL")
    if folds is not None and output is not None:
        raise click.UsageError("--cv prints cross-validated figures and writes no model: drop -o/--output")
    missing = [f for f in files if not Path(f).exists()]
    if missing:
        raise DataError(f"{missing[0]}: no such file")
    try:
        if folds is not None:
            figures = cross_validate(model, files, folds, text_col=text_col, label_col=label_col)
            click.echo(json.dumps(figures, indent=2))
            return
        out = run_train(model, files, output, text_col=text_col, label_col=label_col)
    except ValueError as exc:
        raise DataError(str(exc)) from None
    click.echo(str(out))


@main.command()
@click.option("--n", "n_docs", default=1000, show_default=True, help="Documents to generate.")
@click.option("--corpus", type=click.Path(exists=True), default=None,
              help="Time this corpus (.jsonl/.csv/folder) instead of a generated one.")
@click.option("--generator", type=click.Path(dir_okay=False), default=str(Path("..") / "shared" / "bench" /
              "gen_synthetic.py"), show_default=True, help="Synthetic corpus generator script.")
@click.option("-x", "--extractor", "extractor_names", multiple=True, help="Time only these extractors.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def benchmark(n_docs: int, corpus: str | None, generator: str, extractor_names: tuple[str, ...],
              as_json: bool) -> None:
    """Time loading, segmentation and every extractor (documents per second on this machine)."""
    from .bench import format_benchmark, run_benchmark

    try:
        result = run_benchmark(corpus, n_docs, generator=generator, extractors=list(extractor_names) or None)
    except (FileNotFoundError, ValueError) as exc:
        raise DataError(str(exc)) from None
    click.echo(json.dumps(result, indent=2) if as_json else format_benchmark(result))


@main.command()
@click.argument("paths", nargs=-1)
@click.option("-o", "--output", "out_dir", default="reports", show_default=True, help="Folder to write the report into.")
@click.option("--by", default=None, metavar="COLUMN",
              help="Group by this metadata column (e.g. outlet). Default: declared role, else detected source type.")
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap and permutation draws.")
@click.option("--snippets", default=2, show_default=True, help="Exemplar sentences per document and feature family.")
@click.option("-x", "--extractor", "extractor_names", multiple=True,
              help="Run only these extractors (repeatable). Default: all.")
@click.option("-O", "--option", "extractor_options", multiple=True, metavar="EXTRACTOR.PARAM=VALUE",
              help="Extractor setting, e.g. hedging.lexicon=my_hedges.tsv (repeatable).")
@_raw_csv_option
@_common_input_options
def report(paths: tuple[str, ...], out_dir: str, by: str | None, seed: int, snippets: int,
           extractor_names: tuple[str, ...], extractor_options: tuple[str, ...], raw_csv: bool, metadata: str | None,
           text_col: str, id_col: str, title_col: str) -> None:
    """Compare official and commentary texts in PATHS (default: seeds/); write HTML, Markdown, CSV and JSON to -o."""
    from .reporting import DEFAULT_INPUT, REPORT_FILES

    inputs = list(paths or (DEFAULT_INPUT,))
    options = _extractor_options(extractor_options)
    _check_outputs([*inputs, metadata], folder=("-o/--output", out_dir, REPORT_FILES))
    try:
        with folder_lock(out_dir):  # held from before loading, so a second run is refused at once
            written, skipped = _build_report(inputs, out_dir, metadata, text_col, id_col, title_col, by=by,
                                             seed=seed, snippets=snippets, extractors=list(extractor_names) or None,
                                             extractor_options=options or None, csv_safe=not raw_csv)
    except FolderBusy as exc:
        raise DataError(str(exc)) from None
    except OSError as exc:
        raise DataError(_os_error(exc, out_dir)) from None
    for path in written:
        click.echo(str(path))
    if skipped:
        sys.exit(1)


def _build_report(inputs: list[str], out_dir: str, metadata: str | None, text_col: str, id_col: str,
                  title_col: str, **options: Any) -> tuple[list[Path], int]:
    """Load the corpus and write the report; return the files written and the number of inputs skipped."""
    from .compare import GroupingError
    from .reporting import build_report

    corpus = _load(inputs, metadata, text_col, id_col, title_col)
    if not corpus:
        raise DataError(f"no documents could be loaded ({len(corpus.problems)} input(s) skipped)")
    try:
        written = build_report(corpus, out_dir, inputs=inputs, metadata=metadata, **options)
    except GroupingError as exc:
        raise DataError(str(exc)) from None
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    except (TypeError, OptionError) as exc:
        raise click.UsageError(f"bad extractor option: {exc}") from None
    return written, len(corpus.problems)


@main.command(name="extractors")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
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
        click.echo(json.dumps({"families": families, "shared_constructs": owners}, indent=2))
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

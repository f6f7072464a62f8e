"""Every subcommand through the real entry point (the installed ``framing`` script), with each error exit.

Exit codes: 0 success, 1 data errors, 2 usage errors (checked before any document is scored). A few
behaviours that need a stand-in (an unexpected error, the progress display) use click's runner on the same
``framing.cli.main``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from framing.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("framing")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "framing"]
FAST = ["-x", "readability"]  # one quick extractor: these tests are about the command line
ARTICLE = ("Governments are racing to write rules for artificial intelligence, and the stakes could hardly be "
           "higher for citizens in every region of the world. Officials said talks may resume.\n")


def framing(*args: object, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FRAMING_DEBUG"}
    return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True, cwd=cwd, input=stdin,
                          env=env, timeout=300, check=False)


def error_line(proc: subprocess.CompletedProcess) -> str:
    """The last stderr line (click's usage errors: ``Error: ...``; ours: ``framing: ...``)."""
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr.strip().splitlines()[-1]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A scratch folder holding a copy of the seeds (no framing.toml above it but the repository's)."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


# ---------------------------------------------------------------------------
# start-up and help

def test_help_is_fast_and_imports_no_pandas():
    code = ("import sys\nfrom framing.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'numpy', 'sklearn', 'framing.pipeline') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    best = min(_timed(framing, "--help") for _ in range(3))
    assert best < 1.0, f"framing --help took {best:.2f} s"


def _timed(fn, *args) -> float:
    began = time.perf_counter()
    proc = fn(*args)
    assert proc.returncode == 0 and "Usage: framing" in proc.stdout
    return time.perf_counter() - began


@pytest.mark.parametrize("command", ["score", "report", "explain", "evaluate", "train", "benchmark", "extractors",
                                     "lexicons"])
def test_every_subcommand_has_help(command):
    proc = framing(command, "--help")
    assert proc.returncode == 0 and f"Usage: framing {command}" in proc.stdout


def test_version_and_unknown_command():
    assert framing("--version").stdout.strip() == "framing, version 0.1.0"
    proc = framing("nosuch")
    assert proc.returncode == 2 and "No such command" in error_line(proc)


# ---------------------------------------------------------------------------
# score

def test_score_writes_the_fixed_schema(work):
    out = work / "scores.parquet" if shutil.which("true") and _has_pyarrow() else work / "scores.jsonl"
    proc = framing("score", work / "seeds", *FAST, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    table = pd.read_parquet(out) if out.suffix == ".parquet" else pd.read_json(out, lines=True)
    assert len(table) == 4 and table["readability_words"].dtype == "float64"


def _has_pyarrow() -> bool:
    from importlib.util import find_spec

    return find_spec("pyarrow") is not None


@pytest.mark.parametrize("args, code, message", [
    (["{seeds}/missing.txt", "-o", "{tmp}/o.csv"], 1, "no documents could be loaded"),
    (["{seeds}", "-o", "-", "--evidence", "-"], 2, "cannot both write to stdout"),
    (["{seeds}", "-x", "nosuch", "-o", "{tmp}/o.csv"], 2, "unknown extractor 'nosuch'"),
    (["{seeds}", "-O", "hedging", "-o", "{tmp}/o.csv"], 2, "is not EXTRACTOR.PARAM=VALUE"),
    (["{seeds}", "-O", "hedging.nosuch=1", "-o", "{tmp}/o.csv"], 2, "bad extractor option"),
    (["{seeds}", "-o", "{tmp}/o.xlsx"], 2, "unsupported output type '.xlsx'"),
    (["{seeds}", "-o", "{seeds}/o.csv"], 2, "inside the input folder"),
    (["{seeds}"], 2, "Missing option '-o'"),
])
def test_score_errors(work, args, code, message):
    proc = framing("score", *[a.format(seeds=work / "seeds", tmp=work) for a in args])
    assert proc.returncode == code, proc.stderr
    assert message in error_line(proc)
    assert not (work / "o.csv").exists()


def test_score_with_a_bad_input_exits_1_and_scores_the_rest(work):
    (work / "seeds" / "broken.txt").write_bytes(b"\x00\x01binary")
    proc = framing("score", work / "seeds", *FAST, "-o", work / "o.csv")
    assert proc.returncode == 1
    assert "broken.txt: binary file" in proc.stderr and len(pd.read_csv(work / "o.csv")) == 4


# ---------------------------------------------------------------------------
# report

def test_report_writes_the_report(work):
    proc = framing("report", "seeds", *FAST, "-o", "out", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert (work / "out" / "report.html").is_file() and "run.json" in proc.stdout


def test_an_unknown_by_column_is_a_usage_error_before_any_scoring(work):
    began = time.perf_counter()
    proc = framing("report", "seeds", "--by", "continent", "-o", "out", cwd=work)
    assert proc.returncode == 2
    line = error_line(proc)
    assert "--by" in line and "no document has a value for 'continent'" in line and "outlet" in line
    assert not (work / "out").exists()
    assert time.perf_counter() - began < 30  # refused after loading, not after scoring every extractor


@pytest.mark.parametrize("args, code, message", [
    (["seeds", "--unit", "continent", "-o", "out"], 2, "--unit"),
    (["seeds", "-o", "afile"], 2, "is a file, not a folder"),
    (["seeds", "-o", "seeds"], 2, "the input folder"),
    (["nothing.txt", "-o", "out"], 1, "no documents could be loaded"),
    (["seeds", "-x", "nosuch", "-o", "out"], 2, "unknown extractor"),
    (["seeds", "--snippets", "-1"], 2, "--snippets"),
    (["seeds", "-j", "0", "-o", "out"], 2, "not a number of processes"),
])
def test_report_errors(work, args, code, message):
    (work / "afile").write_text("x")
    proc = framing("report", *args, cwd=work)
    assert proc.returncode == code, proc.stderr
    assert message in error_line(proc)
    assert not (work / "out").exists()


def test_print_config_shows_flags_over_the_file_over_defaults(work):
    (work / "framing.toml").write_text('by = "outlet"\nseed = 7\nextractors = ["readability"]\n'
                                       '[options.hedging]\nlexicon = "mine.tsv"\n', encoding="utf-8")
    proc = framing("report", "--print-config", "--seed", "3", cwd=work)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"# configuration file: {work / 'framing.toml'}"
    setting = {ln.split(" = ")[0]: ln for ln in lines if " = " in ln and not ln.startswith("#")}
    assert setting["by"].startswith('by = "outlet"') and "framing.toml" in setting["by"]
    assert setting["seed"].startswith("seed = 3") and "# flag" in setting["seed"]
    assert setting["snippets"].startswith("snippets = 2") and "# default" in setting["snippets"]
    assert "[options.hedging]" in proc.stdout and 'lexicon = "mine.tsv"' in proc.stdout


def test_the_configuration_file_drives_the_report(work):
    sub = work / "project" / "deep"
    sub.mkdir(parents=True)
    (work / "project" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.framing]\nby = "outlet"\nextractors = ["readability"]\n'
        f'paths = ["{work / "seeds"}"]\noutput = "../out"\n', encoding="utf-8")
    proc = framing("report", cwd=sub)  # found upwards; output relative to the pyproject's folder
    assert proc.returncode == 0, proc.stderr
    documents = pd.read_csv(work / "out" / "documents.csv")
    assert documents["group"].nunique() == 4  # one group per outlet
    run = json.loads((work / "out" / "run.json").read_text())
    assert run["options"]["by"] == "outlet"


def test_a_bad_configuration_file_is_a_usage_error(work):
    (work / "framing.toml").write_text("grouping = 'outlet'\n", encoding="utf-8")
    proc = framing("report", "--print-config", cwd=work)
    assert proc.returncode == 2 and "unknown setting 'grouping'" in error_line(proc)
    (work / "framing.toml").write_text("by = [\n", encoding="utf-8")
    proc = framing("score", "seeds", "-o", "o.csv", cwd=work)
    assert proc.returncode == 2 and "cannot read the configuration" in error_line(proc)


def test_a_setting_out_of_range_is_a_usage_error_before_any_work(work):
    """A negative seed was numpy's "expected non-negative integer" after every document had been scored."""
    proc = framing("report", "seeds", "-o", "out", "--seed", "-5", cwd=work)
    assert proc.returncode == 2 and "-5 is not in the range x>=0" in error_line(proc)
    for setting, message in (("seed = -1", "seed should be at least 0, not -1"),
                             ("snippets = -4", "snippets should be at least 0, not -4"),
                             ('evidence = "zip"', "evidence should be one of auto, csv, gz, none, not 'zip'")):
        (work / "framing.toml").write_text(setting + "\n", encoding="utf-8")
        proc = framing("report", "--print-config", cwd=work)
        assert proc.returncode == 2 and message in error_line(proc), setting
    assert not (work / "out").exists()
    (work / "framing.toml").unlink()
    for option in ("--by", "--unit"):  # an empty column name was the default grouping, without a word
        proc = framing("report", "seeds", "-o", "out", option, " ", cwd=work)
        assert proc.returncode == 2 and "an empty column name" in error_line(proc), option


def test_the_library_refuses_a_negative_seed_in_words():
    from framing.compare import compare
    from framing.reporting import ReportOptions

    with pytest.raises(ValueError, match="seed must be a whole number of 0 or more, not -1"):
        ReportOptions(seed=-1)
    with pytest.raises(ValueError, match="seed must be a whole number of 0 or more, not -1"):
        compare(None, seed=-1)  # before anything is read of the analysis
    with pytest.raises(ValueError, match="n_boot must be a whole number of 1 or more, not 0"):
        compare(None, n_boot=0)
    with pytest.raises(ValueError, match="n_perm must be a whole number of 1 or more, not 0"):
        ReportOptions(n_perm=0)


def test_the_library_takes_one_extractor_name_and_refuses_bytes_in_words():
    import framing

    assert list(framing.score(["The minister said so."], extractors="readability").columns) == \
        list(framing.score(["The minister said so."], extractors=["readability"]).columns)
    with pytest.raises(TypeError, match="cannot score bytes; decode them first"):
        framing.score(b"The minister said so.")


# ---------------------------------------------------------------------------
# explain

def test_explain_marks_cues_in_plain_text_when_not_a_terminal(work):
    doc = next((work / "seeds").glob("002_*.txt"))
    proc = framing("explain", doc, "-x", "hedging", "-x", "framing")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" not in proc.stdout
    assert "]{framing:" in proc.stdout and "[Question:]" not in proc.stdout  # only the families asked for
    assert "hedging:" in proc.stdout.splitlines()[-1] or "framing:" in proc.stdout


def test_explain_colours_by_family_and_voice_when_asked(work):
    doc = next((work / "seeds").glob("002_*.txt"))
    proc = framing("explain", doc, "-x", "framing", "--color")
    assert proc.returncode == 0 and "\x1b[31m" in proc.stdout  # framing is red
    assert "\x1b[4m" in proc.stdout  # the questioner's turn is underlined


def test_explain_writes_the_evidence_table(work):
    doc = next((work / "seeds").glob("002_*.txt"))
    proc = framing("explain", doc, "-x", "hedging", "-o", work / "ev.csv")
    assert proc.returncode == 0 and proc.stdout == ""
    table = pd.read_csv(work / "ev.csv")
    assert list(table.columns[:6]) == ["document", "family", "category", "cue", "text", "voice"]


@pytest.mark.parametrize("args, code, message", [
    (["nothing.txt"], 1, "no documents could be loaded"),
    (["seeds/000_1a3ddc4e41271686.txt", "--id", "nope"], 2, "no document 'nope'"),
    (["seeds/000_1a3ddc4e41271686.txt", "-x", "nosuch"], 2, "unknown extractor"),
    (["seeds/000_1a3ddc4e41271686.txt", "-o", "seeds/000_1a3ddc4e41271686.txt"], 2, "is an input"),
    (["seeds", "-o", "seeds/ev.csv"], 2, "inside the input folder"),
    ([], 2, "Missing argument 'FILE'"),
])
def test_explain_errors(work, args, code, message):
    proc = framing("explain", *args, cwd=work)
    assert proc.returncode == code, proc.stderr
    assert message in error_line(proc)


# ---------------------------------------------------------------------------
# evaluate, train, benchmark, extractors, lexicons

@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.csv"
    path.write_text('text,label\n"The cat sat on the mat.",1\n"Notwithstanding the aforementioned '
                    'considerations, the committee deliberated.",0\n"A dog ran.",1\n"Comprehensive institutional '
                    'restructuring necessitates multilateral coordination.",0\n', encoding="utf-8")
    return path


def test_evaluate(labelled):
    proc = framing("evaluate", "readability", labelled, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n"] == 4
    assert framing("evaluate", "nosuch", labelled).returncode == 2
    proc = framing("evaluate", "readability", labelled.with_name("missing.csv"))
    assert proc.returncode == 1 and "no such file" in error_line(proc)


def test_train_errors(labelled, tmp_path):
    assert framing("train", "nosuch", labelled).returncode == 2
    proc = framing("train", "hedging", tmp_path / "missing.csv")
    assert proc.returncode == 1 and "no such file" in error_line(proc)
    proc = framing("train", "hedging", labelled, "--cv", "2", "-o", tmp_path / "m.json")
    assert proc.returncode == 2 and "--cv" in error_line(proc)
    # too few rows of a label, or one label only: the files and the labels are named, not scikit-learn's words
    proc = framing("train", "hedging", labelled, "--cv", "5")
    assert proc.returncode == 1
    assert error_line(proc) == f"Error: {labelled}: too few rows of label '0' (2), '1' (2); each label needs at least 5"
    one = tmp_path / "one.csv"
    one.write_text('text,label\n"It may rain.",1\n"It will rain.",1\n', encoding="utf-8")
    proc = framing("train", "promotional", one, "-o", tmp_path / "m.json")
    assert proc.returncode == 1 and error_line(proc).endswith("every row has the label '1'; a classifier needs two labels")
    assert not (tmp_path / "m.json").exists()


def test_benchmark(work):
    proc = framing("benchmark", "--corpus", work / "seeds", "-x", "readability", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "corpus" in json.loads(proc.stdout)
    assert framing("benchmark", "--corpus", work / "nothing").returncode == 2
    for bad in (["--n", "0"], ["-x", "nosuch"]):
        proc = framing("benchmark", *bad, "--corpus", work / "seeds")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, bad


def test_extractors_print_every_column_with_its_meaning():
    proc = framing("extractors", "--json")
    assert proc.returncode == 0
    families = json.loads(proc.stdout)["families"]
    assert all(meaning for fam in families for meaning in fam["columns"].values())
    text = framing("extractors")
    assert text.returncode == 0 and "hedging_hedges_per_1k: " in text.stdout


def test_lexicons():
    proc = framing("lexicons")
    assert proc.returncode == 0 and "sha256" in proc.stdout


# ---------------------------------------------------------------------------
# --debug, progress

@pytest.fixture
def failing_load(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr("framing.cli._load", boom)
    monkeypatch.setattr("framing.ingest.iter_documents", boom)  # `framing score` streams its inputs


def test_an_unexpected_error_is_one_line_and_exit_1(failing_load, tmp_path):
    result = CliRunner().invoke(main, ["score", str(ROOT / "seeds"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert result.stderr == "framing: error: something unexpected (run with --debug for the traceback)\n"


@pytest.mark.parametrize("where", ["group", "command"])
def test_debug_shows_the_traceback(failing_load, tmp_path, where):
    args = ["score", str(ROOT / "seeds"), "-o", str(tmp_path / "o.csv")]
    args = ["--debug", *args] if where == "group" else [*args, "--debug"]
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, RuntimeError)  # raised, so Python prints its traceback


def test_no_progress_when_stderr_is_not_a_terminal(work):
    proc = framing("score", work / "seeds", *FAST, "-o", work / "o.csv")
    assert proc.returncode == 0 and proc.stderr == ""


def test_progress_shows_from_the_start_of_loading(capsys):
    from framing.cli import _status

    with _status("loading", True, after=0.0):
        time.sleep(0.6)
    err = capsys.readouterr().err
    assert "framing: loading… 0 s" in err and err.endswith("\r\x1b[K")
    with _status("loading", False, after=0.0):
        time.sleep(0.3)
    assert capsys.readouterr().err == ""

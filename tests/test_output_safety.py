"""Output safety (issue 15): atomic files and report sets, the folder lock, Ctrl-C, outputs never written
into the inputs, and spreadsheet-safe CSV. Driven through the real CLI (click's runner on ``framing.cli.main``)
and the Python writers."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_compare import ANALYTIC, PRESCRIPTIVE, DeonticCues

import framing
from framing.cli import main
from framing.extractors.base import REGISTRY
from framing.output import (
    INCOMPLETE_MARKER,
    LOCK_NAME,
    FolderBusy,
    OutputConflict,
    StagedFolder,
    folder_lock,
    safe_cell,
    spreadsheet_safe,
    verify_folder,
    write_table,
)
from framing.reporting import build_report

#: Cells a spreadsheet would run (or start running) as a formula, one per trigger character.
HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
#: File names of the hostile corpus (ids are the stems) and their declared roles.
FILES = {"=cmd.txt": "official", "+plus.txt": "official", "-minus.txt": "commentary", "@at.txt": "commentary"}


@pytest.fixture
def deontic(monkeypatch):
    """A small, deterministic extractor with evidence, so these tests exercise output rather than scoring."""
    monkeypatch.setitem(REGISTRY, DeonticCues.name, DeonticCues)
    return DeonticCues.name


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Four documents whose file names, titles and outlets start with formula characters."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as fh:
        sidecar = csv.writer(fh)
        sidecar.writerow(["file", "title", "outlet", "role"])
        for i, (name, role) in enumerate(FILES.items()):
            (folder / name).write_text((PRESCRIPTIVE if role == "official" else ANALYTIC) + f" Item {i}.\n")
            sidecar.writerow([name, HOSTILE[i], HOSTILE[(i + 1) % 4], role])
    return folder


def invoke(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def one_error_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def csv_cells(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def column(path: Path, name: str) -> list[str]:
    header, *rows = csv_cells(path)
    return [r[header.index(name)] for r in rows]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def leftovers(folder: Path) -> list[str]:
    """Hidden temporaries, staging folders or locks framing left beside or inside ``folder``."""
    near = list(folder.parent.iterdir()) + (list(folder.iterdir()) if folder.is_dir() else [])
    return sorted(p.name for p in near if p.name.startswith("."))


# ---------------------------------------------------------------------------
# spreadsheet-safe CSV

@pytest.mark.parametrize("cell", HOSTILE)
def test_each_formula_trigger_is_prefixed(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", ["plain", "a=b", "", " =x", -1.5, -3, None, float("nan")])
def test_other_values_are_untouched(value):
    out = safe_cell(value)
    assert out is value or out == value


def test_python_writer_prefixes_strings_not_numbers(tmp_path):
    df = pd.DataFrame({"name": HOSTILE, "value": [-1.5, -2.0, 3.0, -0.25, 1.0, -7.0], "n": [-1, 2, -3, 4, -5, 6]})
    write_table(df, tmp_path / "safe.csv")
    write_table(df, tmp_path / "raw.csv", csv_safe=False)
    safe = (tmp_path / "safe.csv").read_bytes().decode("utf-8")
    raw = (tmp_path / "raw.csv").read_bytes().decode("utf-8")
    assert safe.endswith("\n'\rCR,-7.0,6\n") and raw.endswith("\n\rCR,-7.0,6\n")  # a lone CR is left unquoted
    safe_table = pd.read_csv(io.StringIO(safe.rsplit("\n'\r", 1)[0] + "\n"))  # every row but the CR one
    raw_table = pd.read_csv(io.StringIO(raw.rsplit("\n\r", 1)[0] + "\n"))
    assert list(safe_table["name"]) == ["'" + c for c in HOSTILE[:5]]
    assert list(raw_table["name"]) == HOSTILE[:5]
    assert list(safe_table["value"]) == list(df["value"][:5]) and list(safe_table["n"]) == list(df["n"][:5])
    assert list(spreadsheet_safe(df)["value"]) == list(df["value"]) and list(df["name"]) == HOSTILE  # no mutation


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_string_columns_are_made_safe_cell_by_cell(dtype):
    # pandas' string dtypes take a vectorised path: it must give the column safe_cell gives cell by cell
    cells = HOSTILE + ["plain", "", " =x", "a-b", None, "-", "'=already"]
    column = pd.Series(cells, index=[3] * len(cells), dtype=dtype)  # a repeated index: rewritten by position
    for part in (column, column[6:11]):  # with formula cells, and without
        safe = spreadsheet_safe(pd.DataFrame({"c": part}))["c"]
        pd.testing.assert_series_equal(safe, part.map(safe_cell), check_names=False)
    assert list(column) == list(pd.Series(cells, dtype=dtype))  # no mutation


def test_score_csv_and_evidence_csv_are_safe_by_default(deontic, corpus, tmp_path):
    out, ev = tmp_path / "scores.csv", tmp_path / "evidence.csv"
    result = invoke("score", corpus, "-x", deontic, "-o", out, "--evidence", ev)
    assert result.exit_code == 0, result.output
    assert sorted(column(out, "id")) == sorted("'" + Path(n).stem for n in FILES)
    assert sorted(column(out, "title")) == sorted("'" + c for c in HOSTILE[:4])
    assert sorted(column(out, "outlet")) == sorted("'" + c for c in HOSTILE[:4])
    assert {c for c in column(ev, "doc_id")} == {"'=cmd", "'+plus"}  # only the official texts have deontic cues
    assert all(not v.startswith("'") for v in column(out, "n_words"))


def test_raw_csv_and_jsonl_and_parquet_keep_raw_values(deontic, corpus, tmp_path):
    raw = tmp_path / "raw.csv"
    assert invoke("score", corpus, "-x", deontic, "-o", raw, "--raw-csv").exit_code == 0
    assert sorted(column(raw, "id")) == sorted(Path(n).stem for n in FILES)
    assert sorted(column(raw, "title")) == sorted(HOSTILE[:4])
    for suffix, read in ((".jsonl", lambda p: pd.read_json(p, lines=True)), (".parquet", pd.read_parquet)):
        if suffix == ".parquet":
            pytest.importorskip("pyarrow")
        out, ev = tmp_path / f"scores{suffix}", tmp_path / f"evidence{suffix}"
        result = invoke("score", corpus, "-x", deontic, "-o", out, "--evidence", ev)
        assert result.exit_code == 0, result.output
        assert sorted(read(out)["id"]) == sorted(Path(n).stem for n in FILES)
        assert sorted(read(out)["title"]) == sorted(HOSTILE[:4])
        assert set(read(ev)["doc_id"]) == {"=cmd", "+plus"}


def test_score_to_stdout_is_safe_too(deontic, corpus):
    result = invoke("score", corpus, "-x", deontic, "-o", "-")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert sorted(table["id"]) == sorted("'" + Path(n).stem for n in FILES)


def test_every_report_csv_is_safe_and_raw_on_request(deontic, corpus, tmp_path):
    out = tmp_path / "report"
    result = invoke("report", corpus, "-x", deontic, "-o", out)
    assert result.exit_code == 0, result.output
    hostile = set(HOSTILE[:4]) | {Path(n).stem for n in FILES}
    for path in sorted(out.glob("*.csv")):
        cells = {c for row in csv_cells(path) for c in row}
        assert not cells & hostile, (path.name, cells & hostile)  # nothing a spreadsheet would run
    assert sorted(column(out / "documents.csv", "id")) == sorted("'" + Path(n).stem for n in FILES)
    assert {c for c in column(out / "evidence.csv", "doc_id")} == {"'=cmd", "'+plus"}
    assert json.loads((out / "run.json").read_text())["options"]["csv_safe"] is True

    raw = tmp_path / "raw"
    assert invoke("report", corpus, "-x", deontic, "-o", raw, "--raw-csv").exit_code == 0
    assert sorted(column(raw / "documents.csv", "title")) == sorted(HOSTILE[:4])
    assert json.loads((raw / "run.json").read_text())["options"]["csv_safe"] is False


def test_python_report_writer_takes_csv_safe(deontic, corpus, tmp_path):
    build_report(corpus, tmp_path / "safe", extractors=[deontic], n_boot=50, n_perm=50)
    build_report(corpus, tmp_path / "raw", extractors=[deontic], n_boot=50, n_perm=50, csv_safe=False)
    assert "'=cmd" in column(tmp_path / "safe" / "documents.csv", "id")
    assert "=cmd" in column(tmp_path / "raw" / "documents.csv", "id")


# ---------------------------------------------------------------------------
# outputs never written into the inputs (all refused before loading anything)

@pytest.fixture
def no_loading(monkeypatch):
    """Fail the test if the command starts loading documents."""
    def refuse(*args, **kwargs):
        raise AssertionError("documents were loaded before the outputs were checked")

    monkeypatch.setattr("framing.cli._load", refuse)
    monkeypatch.setattr("framing.ingest.load", refuse)


@pytest.mark.parametrize("where", ["same", "inside", "containing"])
def test_report_into_its_input_folder_is_refused(no_loading, corpus, where):
    before = snapshot(corpus)
    paths = {"same": (corpus, corpus), "inside": (corpus, corpus / "out"), "containing": (corpus, corpus.parent)}
    given, out = paths[where]
    result = invoke("report", given, "-o", out)
    assert result.exit_code == 2
    assert "input folder" in one_error_line(result)
    assert snapshot(corpus) == before and not (corpus / "out").exists()


def test_report_never_overwrites_an_input_file(no_loading, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "report.md").write_text("# my notes\n\nThe minister must act.\n")
    result = invoke("report", folder / "report.md", "-o", folder)
    assert result.exit_code == 2
    assert "would overwrite the input" in one_error_line(result)
    assert (folder / "report.md").read_text() == "# my notes\n\nThe minister must act.\n"
    assert sorted(p.name for p in folder.iterdir()) == ["report.md"]


def test_report_metadata_file_is_an_input_too(no_loading, corpus, tmp_path):
    meta = tmp_path / "out" / "documents.csv"
    meta.parent.mkdir()
    meta.write_text("file,role\n")
    result = invoke("report", corpus / "=cmd.txt", "--metadata", meta, "-o", meta.parent)
    assert result.exit_code == 2 and meta.read_text() == "file,role\n"


def test_report_output_that_is_a_file_is_refused_before_the_analysis(no_loading, corpus, tmp_path):
    target = tmp_path / "taken.txt"
    target.write_text("keep me")
    result = invoke("report", corpus, "-o", target)
    assert result.exit_code == 2
    assert "is a file, not a folder" in one_error_line(result)
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("command", ["score", "report"])
def test_output_under_a_regular_file_is_refused(no_loading, corpus, tmp_path, command):
    (tmp_path / "afile").write_text("keep me")
    out = tmp_path / "afile" / ("out.csv" if command == "score" else "out")
    result = invoke(command, corpus, "-o", out)
    assert result.exit_code == 2 and "afile is a file, not a folder" in one_error_line(result)
    assert (tmp_path / "afile").read_text() == "keep me"


def test_python_report_into_its_input_is_refused(no_loading, corpus):
    with pytest.raises(OutputConflict, match="input folder"):
        build_report(corpus, corpus / "report")


@pytest.mark.parametrize("args, message", [
    (["-o", "{out}", "--evidence", "{src}"], "--evidence {src} is an input"),
    (["-o", "{src}"], "-o/--output {src} is an input"),
    (["-o", "-", "--evidence", "-"], "cannot both write to stdout"),
    (["-o", "{out}", "--evidence", "{out}"], "name the same file"),
    (["-o", "{folder}/scores.csv"], "inside the input folder"),
    (["-o", "{folder}"], "is a folder"),
])
def test_score_outputs_never_touch_the_inputs(no_loading, tmp_path, args, message):
    folder = tmp_path / "in"
    folder.mkdir()
    src = tmp_path / "x.csv"
    src.write_text("text\nThe minister must act.\n")
    names = {"src": src, "out": tmp_path / "out.csv", "folder": folder}
    result = invoke("score", src, folder, *[a.format(**names) for a in args])
    assert result.exit_code == 2
    assert message.format(**names) in one_error_line(result)
    assert src.read_text() == "text\nThe minister must act.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "x.csv"] and not list(folder.iterdir())


def test_unsupported_evidence_type_is_refused_before_loading(no_loading, tmp_path):
    result = invoke("score", tmp_path, "-o", tmp_path.parent / "o.csv", "--evidence", tmp_path.parent / "e.xlsx")
    assert result.exit_code == 2 and "unsupported output type '.xlsx'" in result.stderr


# ---------------------------------------------------------------------------
# the folder lock

def _hold_lock_in_another_process(folder: Path) -> subprocess.Popen:
    code = ("import sys\nfrom framing.output import folder_lock\n"
            "with folder_lock(sys.argv[1]):\n    print('held', flush=True)\n    sys.stdin.read()\n")
    env = {**os.environ, "PYTHONPATH": str(Path(framing.__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_into_a_locked_folder_is_refused(no_loading, corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("old")
    proc = _hold_lock_in_another_process(out)
    try:
        result = invoke("report", corpus, "-o", out)
        assert result.exit_code == 1
        line = one_error_line(result)
        assert "another framing run" in line and f"pid {proc.pid}" in line
        assert (out / "report.html").read_text() == "old"
    finally:
        proc.communicate("")
    assert proc.returncode == 0 and not (out / LOCK_NAME).exists()


def test_python_writer_respects_the_lock(deontic, corpus, tmp_path):
    out = tmp_path / "out"
    proc = _hold_lock_in_another_process(out)
    try:
        with pytest.raises(FolderBusy, match="another framing run"):
            build_report(corpus, out, extractors=[deontic], n_boot=50, n_perm=50)
    finally:
        proc.communicate("")


def test_a_lock_left_by_a_dead_process_is_taken_over(deontic, corpus, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname()}))  # crashed
    result = invoke("report", corpus, "-x", deontic, "-o", out)
    assert result.exit_code == 0, result.output
    assert verify_folder(out) == [] and not (out / LOCK_NAME).exists()


def test_the_lock_is_reentrant_and_released(tmp_path):
    target = tmp_path / "new"
    with folder_lock(target):
        assert (target / LOCK_NAME).exists()
        with folder_lock(target):
            pass
        assert (target / LOCK_NAME).exists()
    assert not target.exists()  # created for the run, left empty: removed again


# ---------------------------------------------------------------------------
# the report folder as a set; Ctrl-C

def test_a_finished_report_is_complete_and_leaves_nothing_behind(deontic, corpus, tmp_path):
    out = tmp_path / "out"
    result = invoke("report", corpus, "-x", deontic, "-o", out)
    assert result.exit_code == 0, result.output
    assert verify_folder(out) == []
    assert leftovers(out) == []
    listed = json.loads((out / "run.json").read_text())["files"]
    assert set(listed) | {"run.json"} == {p.name for p in out.iterdir()}


def test_interrupt_while_writing_leaves_the_old_report_and_exits_130(deontic, corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert invoke("report", corpus, "-x", deontic, "-o", out).exit_code == 0
    old = snapshot(out)

    def interrupted(*args, **kwargs):  # the CSVs and the page are staged by now; the set is half written
        raise KeyboardInterrupt

    monkeypatch.setattr("framing.reporting.render_markdown", interrupted)
    (corpus / "=cmd.txt").write_text(PRESCRIPTIVE + " A new sentence that must change the tables.\n")
    result = invoke("report", corpus, "-x", deontic, "-o", out)
    assert result.exit_code == 130
    assert result.stderr == "framing: interrupted\n"
    assert snapshot(out) == old and verify_folder(out) == []
    assert leftovers(out) == []


def test_interrupt_while_moving_files_in_marks_the_folder_incomplete(deontic, corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert invoke("report", corpus, "-x", deontic, "-o", out).exit_code == 0
    real_replace = os.replace
    calls = []

    def replace_then_interrupt(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr("framing.output.os.replace", replace_then_interrupt)
    result = invoke("report", corpus, "-x", deontic, "-o", out)
    assert result.exit_code == 130 and result.stderr == "framing: interrupted\n"
    assert (out / INCOMPLETE_MARKER).exists() and not (out / "run.json").exists()
    assert verify_folder(out) and "incomplete" in verify_folder(out)[0]

    monkeypatch.setattr("framing.output.os.replace", real_replace)
    assert invoke("report", corpus, "-x", deontic, "-o", out).exit_code == 0
    assert verify_folder(out) == [] and leftovers(out) == []


def test_ctrl_c_during_the_move_waits_until_the_set_is_in_place(tmp_path):
    out = tmp_path / "out"
    with StagedFolder(out, owned_names=["a.txt", "run.json"]) as stage:
        for name in ("a.txt", "run.json"):
            with stage.open(name) as fh:
                fh.write(name)
        real_replace = os.replace

        def replace_after_a_signal(src, dst):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C arrives while files are being moved
            real_replace(src, dst)

        from framing import output

        output.os.replace = replace_after_a_signal
        try:
            with pytest.raises(KeyboardInterrupt):
                stage.commit(["a.txt", "run.json"])
        finally:
            output.os.replace = real_replace
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "run.json"]  # both moved, no marker left
    assert leftovers(out) == []


def test_a_new_report_removes_only_the_files_its_previous_run_wrote(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "terms.csv").write_text("old table")
    (out / "notes.txt").write_text("mine")
    (out / "run.json").write_text(json.dumps({"files": {"terms.csv": "x", "../notes.txt": "y", "notes.txt": "z"}}))
    with StagedFolder(out, owned_names=["terms.csv", "report.md", "run.json"]) as stage:
        for name in ("report.md", "run.json"):
            with stage.open(name) as fh:
                fh.write(name)
        stage.commit(["report.md", "run.json"])
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.md", "run.json"]


def test_interrupted_score_keeps_the_old_file_and_exits_130(deontic, corpus, tmp_path, monkeypatch):
    out = tmp_path / "scores.csv"
    out.write_text("old,complete\n1,2\n")

    def half_then_interrupt(df, fh, **kwargs):
        fh.write("id,title\nhalf")
        raise KeyboardInterrupt

    monkeypatch.setattr("framing.output.write_csv", half_then_interrupt)
    result = invoke("score", corpus, "-x", deontic, "-o", out)
    assert result.exit_code == 130 and result.stderr == "framing: interrupted\n"
    assert out.read_text() == "old,complete\n1,2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "scores.csv"]  # no temporary left


def test_atomic_files_keep_the_usual_permissions(tmp_path):
    write_table(pd.DataFrame({"a": [1]}), tmp_path / "new.csv")
    probe = tmp_path / "probe"
    probe.write_text("")
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == probe.stat().st_mode & 0o777


# ---------------------------------------------------------------------------
# nothing dropped silently

def test_run_json_lists_every_skipped_input_with_its_reason(deontic, corpus, tmp_path):
    (corpus / "empty.txt").write_text("")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out"
    result = invoke("report", corpus, corpus / "missing.txt", "-x", deontic, "-o", out)
    assert result.exit_code == 1
    problems = {Path(p["path"]).name: p["reason"] for p in json.loads((out / "run.json").read_text())["problems"]}
    assert set(problems) == {"empty.txt", "scan.pdf", "missing.txt"}
    assert "empty" in problems["empty.txt"] and "no such file" in problems["missing.txt"]
    assert "unsupported file type" in problems["scan.pdf"]

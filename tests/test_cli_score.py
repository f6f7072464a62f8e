"""`framing score`: output formats, one stderr line per bad input, summary, exit codes 0/1/2."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from framing.cli import main

ARTICLE = ("Governments are racing to write rules for artificial intelligence, and the stakes could hardly be "
           "higher for citizens in every region of the world.\n")


@pytest.fixture
def base_only(monkeypatch):
    """Score with the base columns only, so these tests exercise loading and output, not the extractors."""
    monkeypatch.setattr("framing.pipeline.resolve_extractors", lambda spec, options=None: [])


def run(*args, stdin=None):
    return CliRunner().invoke(main, ["score", *map(str, args)], input=stdin)


def problem_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("framing: ")]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_seeds_to_each_output_format(base_only, seeds_dir, tmp_path, suffix):
    out = tmp_path / f"seeds{suffix}"
    result = run(seeds_dir, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    table = {".csv": pd.read_csv, ".parquet": pd.read_parquet,
             ".jsonl": lambda p: pd.read_json(p, lines=True)}[suffix](out)
    assert len(table) == 4
    assert list(table["role"]) == ["commentary", "commentary", "official", "commentary"]
    assert list(table["boilerplate_disclaimer"]) == [0, 0, 0, 1]
    assert (table["n_words"] > 300).all() and set(table["language"]) == {"en"}


def test_stdout_and_stdin(base_only):
    result = run("-", "-o", "-", stdin=ARTICLE)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table["id"]) == ["stdin"] and table.loc[0, "n_sentences"] == 1


def test_the_whole_pipeline_on_the_seeds(seeds_dir, tmp_path):
    out = tmp_path / "seeds.csv"
    result = run(seeds_dir, "-o", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 4 and table.shape[1] > 20


def _bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"head\x00\x01\x02" * 50)
    (tmp_path / "undecodable.txt").write_bytes(bytes(0x80 + i % 60 for i in range(300)))
    (tmp_path / "nothing.html").write_text('<html><body><nav><a href="/">Home</a></nav></body></html>')
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n{not json\n")
    (tmp_path / "table.csv").write_text("id,body\n1,hello\n")
    return {
        "empty.txt": "empty file",
        "binary.txt": "binary file (contains NUL bytes), not text",
        "undecodable.txt": "undecodable: not UTF-8",
        "nothing.html": "no text after extraction",
        "report.pdf": "unsupported file type '.pdf'",
        "rows.jsonl:2": "malformed JSON line",
        "table.csv": "no 'text' column (columns: id, body); use --text-col",
        "missing.txt": "no such file or folder",
    }


def test_each_bad_input_is_one_line_and_the_rest_is_scored(base_only, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = _bad_inputs(inputs)
    (inputs / "good.txt").write_text(ARTICLE)
    out = tmp_path / "out.csv"
    result = run(inputs, inputs / "missing.txt", "-o", out)
    assert result.exit_code == 1
    lines = problem_lines(result)
    assert len(lines) == len(expected) + 1
    for name, message in expected.items():
        line, = [ln for ln in lines if f"/{name}:" in ln and "skipped" not in ln]
        assert message in line, line
    assert lines[-1] == f"framing: skipped {len(expected)} input(s); scored 2 document(s)"
    assert sorted(pd.read_csv(out)["id"]) == ["good", "rows-1"]


@pytest.mark.parametrize("name, message", [
    ("empty.txt", "empty file"), ("binary.txt", "binary file"), ("undecodable.txt", "undecodable"),
    ("nothing.html", "no text after extraction"), ("report.pdf", "unsupported file type"),
    ("table.csv", "no 'text' column"), ("missing.txt", "no such file"),
])
def test_a_single_bad_file_exits_1_with_one_clear_line(base_only, tmp_path, name, message):
    _bad_inputs(tmp_path)
    result = run(tmp_path / name, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    line, = problem_lines(result)
    assert line.startswith(f"framing: {tmp_path / name}: ") and message in line
    assert result.stderr.splitlines()[-1] == "Error: no documents could be loaded (1 input(s) skipped)"
    assert not (tmp_path / "out.csv").exists()


def test_guessed_encoding_is_a_warning_not_an_error(base_only, tmp_path):
    src = tmp_path / "legacy.txt"
    src.write_bytes("Le gouvernement a déclaré que la réforme était nécessaire, malgré les protestations "
                    "des syndicats très mécontents.\n".encode("cp1252"))
    result = run(src, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0
    line, = problem_lines(result)
    assert line.startswith(f"framing: {src}: warning: not valid UTF-8") and "decoded as" in line


def test_text_column_option(base_only, tmp_path):
    (tmp_path / "t.csv").write_text('id,body\n1,"' + ARTICLE.strip() + '"\n')
    result = run(tmp_path / "t.csv", "--text-col", "body", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out.jsonl").read_text())["id"] == "1"


@pytest.mark.parametrize("args", [
    [],                                          # no PATHS
    ["seeds"],                                   # no -o
    ["seeds", "-o", "out.xlsx"],                 # unsupported output type
    ["seeds", "-o", "out.csv", "--no-such-option"],
    ["seeds", "-o", "out.csv", "--metadata", "does-not-exist.csv"],
])
def test_usage_errors_exit_2(base_only, seeds_dir, tmp_path, monkeypatch, args):
    monkeypatch.chdir(seeds_dir.parent)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert not (seeds_dir.parent / "out.csv").exists()


def test_output_never_overwrites_an_input(base_only, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("text\n" + ARTICLE)
    result = run(src, "-o", src)
    assert result.exit_code == 2 and src.read_text() == "text\n" + ARTICLE


def test_parquet_without_an_engine_is_a_usage_error(base_only, seeds_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("framing.cli._parquet_engine_available", lambda: False)
    result = run(seeds_dir, "-o", tmp_path / "out.parquet")
    assert result.exit_code == 2 and "needs pyarrow" in result.stderr


def test_a_bad_extractor_option_value_is_a_usage_error(seeds_dir, tmp_path):
    SEEDS = seeds_dir
    runner = CliRunner()
    for args in (["score", str(SEEDS), "-O", "source_type.prior=mostly-official", "-o", str(tmp_path / "o.csv")],
                 ["score", str(SEEDS), "-O", "source_type.prior=blog=0.5", "-o", str(tmp_path / "o.csv")],
                 ["report", str(SEEDS), "-O", "source_type.prior_strength=high", "-o", str(tmp_path / "r")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "bad extractor option" in result.output and "Traceback" not in result.output

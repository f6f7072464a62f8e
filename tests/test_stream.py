"""Streaming `framing score`: chunks, worker processes, partial files and --resume, streaming loaders, Parquet input."""
from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import framing
import framing.ingest as ingest
import framing.stream as stream
from framing.cli import main
from framing.output import write_table

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FAST = ["-x", "readability", "-x", "hedging"]  # hedging is the extractor whose sums once depended on the hash seed


def paragraphs() -> list[str]:
    """Paragraphs of the seed documents (12 words or more): small documents of real text."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        out += [p for p in path.read_text(encoding="utf-8").splitlines() if len(p.split()) >= 12]
    return [p for p in out if ingest.finish_document(ingest.make_document("p", p)).body.strip() == p.strip()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A JSON Lines corpus of 22 documents (one malformed line in the middle: one problem)."""
    texts = paragraphs()[:22]
    path = tmp_path_factory.mktemp("corpus") / "docs.jsonl"
    lines = [json.dumps({"id": f"d{i:02d}", "text": t, "outlet": f"outlet{i % 3}"}) for i, t in enumerate(texts)]
    lines.insert(7, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, ["score", *map(str, args)])


def one_shot(corpus: Path, out: Path, extractors=("readability", "hedging"), evidence: Path | None = None) -> None:
    """What a one-shot run gives: framing.score / analyze over the whole corpus, written with write_table."""
    docs = list(framing.load(corpus))
    analysis = framing.analyze(docs, list(extractors))
    write_table(framing.score(docs, extractors=list(extractors)), out)
    if evidence is not None:
        write_table(analysis.evidence, evidence)


# ---------------------------------------------------------------------------
# chunks equal one shot

@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_chunked_output_equals_one_shot(corpus, tmp_path, suffix):
    out, expected = tmp_path / f"chunked{suffix}", tmp_path / f"expected{suffix}"
    result = run(corpus, "-o", out, *FAST, "--chunk-size", 4, "-j", 1)
    assert result.exit_code == 1  # the malformed line
    assert f"{corpus}:8: malformed JSON line" in result.stderr
    assert "skipped 1 input(s); scored 22 document(s)" in result.stderr
    one_shot(corpus, expected)
    if suffix == ".parquet":
        got, want = pd.read_parquet(out), framing.score(list(framing.load(corpus)), extractors=["readability",
                                                                                                 "hedging"])
        pd.testing.assert_frame_equal(got, want)
        assert pd.read_parquet(out).shape[0] == 22
    else:
        assert out.read_bytes() == expected.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, expected.name])  # no partial left


def test_evidence_streams_too(corpus, tmp_path):
    out, ev, want_out, want_ev = (tmp_path / n for n in ("s.csv", "e.csv", "ws.csv", "we.csv"))
    assert run(corpus, "-o", out, "--evidence", ev, *FAST, "--chunk-size", 3, "-j", 1).exit_code == 1
    one_shot(corpus, want_out, evidence=want_ev)
    assert ev.read_bytes() == want_ev.read_bytes() and out.read_bytes() == want_out.read_bytes()


def test_documents_are_dropped_after_their_chunk(corpus, monkeypatch):
    refs: list[list[weakref.ref]] = []
    alive_when_scoring: list[int] = []
    real = stream.score_chunk

    def watching(docs, extractors, evidence):
        gc.collect()
        alive_when_scoring.append(sum(r() is not None for chunk in refs for r in chunk))
        refs.append([weakref.ref(d) for d in docs])
        return real(docs, extractors, evidence)

    monkeypatch.setattr(stream, "score_chunk", watching)
    scorer = stream.ChunkScorer(framing.pipeline.resolve_extractors(["readability"]), None, 1)
    n = stream.run_chunks(ingest.iter_documents(corpus, problems=[]), scorer, 4, lambda result: None)
    assert n == 22 and len(refs) == 6
    assert alive_when_scoring == [0] * 6  # no earlier chunk's documents are alive when the next one is scored


# ---------------------------------------------------------------------------
# processes

def test_two_processes_write_the_same_bytes_as_one(corpus, tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    outs = {}
    for jobs in (1, 2):
        out, ev = tmp_path / f"j{jobs}.csv", tmp_path / f"ev{jobs}.jsonl"
        proc = subprocess.run([sys.executable, "-m", "framing", "score", str(corpus), "-o", str(out), "--evidence",
                               str(ev), "--chunk-size", "3", "-j", str(jobs)], capture_output=True, text=True,
                              env=env, timeout=600)
        assert proc.returncode == 1, proc.stderr  # the malformed line, reported once
        assert proc.stderr.count("malformed JSON line") == 1
        outs[jobs] = (out.read_bytes(), ev.read_bytes())
    assert outs[1] == outs[2]
    assert len(pd.read_csv(tmp_path / "j2.csv")) == 22


def test_score_n_jobs_gives_the_same_rows(tmp_path):
    texts = pd.Series(paragraphs()[:12], index=[f"p{i}" for i in range(12)])
    one = framing.score(texts, extractors=["readability", "credibility"], n_jobs=1)
    two = framing.score(texts, extractors=["readability", "credibility"], n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert list(two.index) == list(texts.index)


# ---------------------------------------------------------------------------
# interruption and resume

def interrupt_after(monkeypatch, chunks: int) -> None:
    """Ctrl-C while the chunk after ``chunks`` chunks is being scored."""
    real, calls = stream.score_chunk, []

    def scorer(docs, extractors, evidence):
        calls.append(1)
        if len(calls) > chunks:
            raise KeyboardInterrupt
        return real(docs, extractors, evidence)

    monkeypatch.setattr(stream, "score_chunk", scorer)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_interrupted_run_leaves_a_valid_prefix_and_resume_completes_it(corpus, tmp_path, monkeypatch, suffix):
    out, ev = tmp_path / f"scores{suffix}", tmp_path / f"evidence{suffix}"
    partial, journal = stream.partial_paths(str(out))
    with monkeypatch.context() as m:
        interrupt_after(m, 2)
        result = run(corpus, "-o", out, "--evidence", ev, *FAST, "--chunk-size", 4, "-j", 1)
    assert result.exit_code == 130
    assert f"8 document(s) are in {partial}" in result.stderr and not out.exists()
    read = {".csv": pd.read_csv, ".jsonl": lambda p: pd.read_json(p, lines=True), ".parquet": pd.read_parquet}[suffix]
    prefix = read(partial)  # a valid file: whole rows (Parquet: closed, with its footer)
    assert list(prefix["id"]) == [f"d{i:02d}" for i in range(8)]
    assert json.loads(journal.read_text())["rows"] == 8

    again = run(corpus, "-o", out, "--evidence", ev, *FAST, "--chunk-size", 5, "-j", 1, "--resume")
    assert again.exit_code == 1, again.stderr  # the malformed line is reported again
    assert not partial.exists() and not journal.exists()
    expected, expected_ev = tmp_path / f"want{suffix}", tmp_path / f"want_ev{suffix}"
    one_shot(corpus, expected, evidence=expected_ev)
    if suffix == ".parquet":
        pd.testing.assert_frame_equal(read(out), read(expected))
        pd.testing.assert_frame_equal(read(ev), read(expected_ev), check_dtype=False)
    else:
        assert out.read_bytes() == expected.read_bytes() and ev.read_bytes() == expected_ev.read_bytes()


def test_a_torn_last_row_is_cut_on_resume(corpus, tmp_path, monkeypatch):
    out = tmp_path / "scores.csv"
    partial, _ = stream.partial_paths(str(out))
    with monkeypatch.context() as m:
        interrupt_after(m, 1)
        assert run(corpus, "-o", out, *FAST, "--chunk-size", 4, "-j", 1).exit_code == 130
    with open(partial, "a", encoding="utf-8") as fh:  # a run killed in the middle of writing a row
        fh.write('d04,"half a ro')
    assert run(corpus, "-o", out, *FAST, "--chunk-size", 4, "--resume").exit_code == 1
    one_shot(corpus, tmp_path / "want.csv")
    assert out.read_bytes() == (tmp_path / "want.csv").read_bytes()


def test_nothing_committed_leaves_nothing(corpus, tmp_path, monkeypatch):
    out = tmp_path / "scores.csv"
    interrupt_after(monkeypatch, 0)
    result = run(corpus, "-o", out, *FAST, "--chunk-size", 4, "-j", 1)
    assert result.exit_code == 130 and result.stderr == "framing: interrupted\n"
    assert list(tmp_path.iterdir()) == []


def test_resume_refuses_other_columns_and_a_partial_without_resume(corpus, tmp_path, monkeypatch):
    out = tmp_path / "scores.csv"
    with monkeypatch.context() as m:
        interrupt_after(m, 1)
        assert run(corpus, "-o", out, "-x", "readability", "--chunk-size", 4, "-j", 1).exit_code == 130
    other = run(corpus, "-o", out, "-x", "hedging", "--chunk-size", 4, "--resume")
    assert other.exit_code == 2
    error = [line for line in other.stderr.splitlines() if line.startswith("Error")]
    assert len(error) == 1 and "other columns" in error[0] and "other extractors or options" in error[0]
    fresh = run(corpus, "-o", out, "-x", "readability")
    assert fresh.exit_code == 2 and "add --resume to continue it" in fresh.stderr
    assert run(corpus, "-o", out, "-x", "readability", "--resume").exit_code == 1
    assert len(pd.read_csv(out)) == 22


def test_resume_refuses_a_changed_input(corpus, tmp_path, monkeypatch):
    out = tmp_path / "scores.csv"
    with monkeypatch.context() as m:
        interrupt_after(m, 1)
        assert run(corpus, "-o", out, "-x", "readability", "--chunk-size", 4, "-j", 1).exit_code == 130
    changed = tmp_path / "changed.jsonl"
    changed.write_text("\n".join(json.dumps({"id": f"x{i}", "text": t}) for i, t in enumerate(paragraphs()[:9])))
    result = run(changed, "-o", out, "-x", "readability", "--chunk-size", 4, "--resume")
    assert result.exit_code == 1 and "the input is not the one" in result.stderr


def test_sigterm_between_chunks_then_resume(corpus, tmp_path):
    out = tmp_path / "scores.jsonl"
    partial, journal = stream.partial_paths(str(out))
    cmd = [sys.executable, "-m", "framing", "score", str(corpus), "-o", str(out), "-x", "readability",
           "--chunk-size", "2", "-j", "1"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "FRAMING_TEST_CHUNK_DELAY": "0.5"})
    deadline = time.monotonic() + 120
    while not journal.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run the same command with --resume" in err and not out.exists()
    rows = [json.loads(line) for line in partial.read_text().splitlines()]  # whole lines only
    assert 2 <= len(rows) < 22 and len(rows) % 2 == 0
    finished = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=300)
    assert finished.returncode == 1 and not partial.exists()
    assert list(pd.read_json(out, lines=True)["id"]) == [f"d{i:02d}" for i in range(22)]


# ---------------------------------------------------------------------------
# streaming loaders

def test_streaming_jsonl_and_csv_report_bad_rows_with_line_numbers(tmp_path):
    good = paragraphs()[0]
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text("\r\n".join([json.dumps({"text": good}), "{oops", "[1]", "", json.dumps({"id": "e", "text": " "}),
                                  json.dumps({"text": good})]) + "\n", encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text(f'id,text\na,"{good}"\nb,"unclosed\nc,{good.replace(",", "")}\nd,x,y\n', encoding="utf-8")
    problems: list = []
    docs = list(ingest.iter_documents([jsonl, table], problems=problems))
    assert [d.id for d in docs] == ["t-1", "t-6", "a", "c"]
    got = [str(p) for p in problems]
    assert got[0].startswith(f"{jsonl}:2: malformed JSON line") and got[1] == f"{jsonl}:3: line is a JSON list, not an object"
    assert got[2] == f"{jsonl}:5: empty text in 'text'"
    assert got[3].startswith(f"{table}:3: malformed CSV row: unclosed quote") and got[3].endswith("resumes on line 4")
    assert got[4] == f"{table}:5: row has 3 fields, the header 2; row skipped" and len(got) == 5
    # the same documents and problems as reading each file whole
    whole_problems: list = []
    with pytest.MonkeyPatch.context() as m:
        m.setattr(ingest, "_utf8_codec", lambda path: None)
        whole = list(ingest.iter_documents([jsonl, table], problems=whole_problems))
    assert [(d.id, d.body, d.path) for d in whole] == [(d.id, d.body, d.path) for d in docs]
    assert [str(p) for p in whole_problems] == got


def test_non_utf8_and_binary_tables_keep_their_handling(tmp_path):
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("id,text\nm,Le ministère a déclaré que le projet était prêt pour la réunion.\n".encode("cp1252"))
    binary = tmp_path / "blob.jsonl"
    binary.write_bytes(b"%PDF-1.4 " + b"x" * 100)
    corpus = framing.load([legacy, binary])
    assert [d.id for d in corpus] == ["m"] and "ministère" in corpus[0].body
    assert any("cp1252" in w for w in corpus[0].warnings)
    assert [str(p) for p in corpus.problems] == [f"{binary}: binary file (a PDF document), not text"]


def test_parquet_input(tmp_path):
    pytest.importorskip("pyarrow")
    texts = paragraphs()[:5]
    frame = pd.DataFrame({"id": [f"q{i}" for i in range(5)], "text": [*texts[:4], None],
                          "outlet": ["A", "B", "A", "B", "A"]})
    source = tmp_path / "docs.parquet"
    frame.to_parquet(source, index=False)
    corpus = framing.load(source)
    assert [d.id for d in corpus] == ["q0", "q1", "q2", "q3"] and corpus[1].outlet == "B"
    assert [str(p) for p in corpus.problems] == [f"{source}:5: 'text' is not a string"]
    out = tmp_path / "scores.csv"
    result = run(source, "-o", out, "-x", "readability", "--chunk-size", 2)
    assert result.exit_code == 1 and len(pd.read_csv(out)) == 4
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    assert "not a readable Parquet file" in str(framing.load(tmp_path / "bad.parquet").problems[0])


def test_benchmark_jobs_reports_a_same_run_ratio(corpus):
    result = CliRunner().invoke(main, ["benchmark", "--corpus", str(corpus), "--jobs", "1,2", "-x", "readability",
                                       "--json"])
    assert result.exit_code == 0, result.output
    runs = json.loads(result.stdout)["runs"]
    assert [r["jobs"] for r in runs] == [1, 2] and all(r["documents"] == 22 for r in runs)
    assert runs[0]["speedup"] == 1.0 and runs[1]["speedup"] > 0


@pytest.mark.parametrize("report", [False, True])
def test_benchmark_rss_measures_score_and_report_in_a_child(corpus, report):
    extractors = ["-x", "source_type"] if report else ["-x", "readability"]  # a report groups by source type
    args = ["benchmark", "--rss", str(corpus), *extractors, "--json"] + (["--report"] if report else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    measured = json.loads(result.stdout)
    assert measured["command"] == ("report" if report else "score") and measured["documents"] == 22
    assert 30 < measured["peak_rss_mib"] < 4000
    if sys.platform.startswith("linux"):  # summed over the process tree from /proc
        assert measured["peak_rss_sum_mib"] >= measured["peak_rss_mib"] * 0.5  # sampled: may miss a brief peak


def test_benchmark_report_flag_needs_rss():
    assert CliRunner().invoke(main, ["benchmark", "--report"]).exit_code == 2

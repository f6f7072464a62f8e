"""The report read in chunks (framing.reporting.stream) gives the tables of the report built all at once."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from framing.compare import compare
from framing.ingest import load, make_document
from framing.pipeline import analyze
from framing.reporting import ReportOptions, build_report, write_report
from framing.terms import FormulaCounts, TermCounts, distinctive_terms, recurring_formulae

ROOT = Path(__file__).resolve().parents[1]
EXTRA = [
    ("x1", "commentary", "Critics say the so-called win-win cooperation is a slogan. Beijing seeks influence in "
                         "Africa, and the United States must respond. Analysts suggest the plan may backfire."),
    ("x2", "official", "We must uphold true multilateralism and win-win cooperation. China stands ready to work "
                       "with all parties to build a community with a shared future for mankind."),
    ("x3", "commentary", "The port deal is a fine example of win-win cooperation, the ministry said. Perhaps the "
                         "economy will grow; some say it is a containment strategy against Beijing."),
]
FAST = {"n_boot": 100, "n_perm": 100}


def _corpus():
    docs = list(load([ROOT / "seeds"]))
    docs += [make_document(i, text, {"role": role, "outlet": f"Outlet {i}"}, path=f"<{i}>") for i, role, text in EXTRA]
    return docs


def _files(folder: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(folder.iterdir()):
        data = p.read_bytes()
        if p.name == "run.json":
            run = json.loads(data)
            run.pop("generated_at")
            data = json.dumps(run, sort_keys=True).encode()
        out[p.name] = data
    return out


@pytest.fixture(scope="module")
def at_once(tmp_path_factory) -> Path:
    """The report as it was built before chunking: one analysis of every document, one comparison."""
    out = tmp_path_factory.mktemp("at-once")
    docs = _corpus()
    opts = ReportOptions(**FAST)
    analysis = analyze(docs)
    comp = compare(analysis, None, 0, n_boot=100, n_perm=100, max_examples=opts["examples"])
    write_report(comp, analysis, out, opts, {"paths": [], "metadata": None})
    return out


@pytest.mark.parametrize("chunk_size", [2, 3])
def test_chunked_report_is_the_report_built_at_once(at_once, tmp_path, chunk_size):
    build_report(_corpus(), tmp_path, inputs=[], chunk_size=chunk_size, **FAST)
    expected, actual = _files(at_once), _files(tmp_path)
    assert sorted(expected) == sorted(actual)
    differ = [name for name in expected if expected[name] != actual[name]]
    assert not differ, f"chunk size {chunk_size}: {differ} differ from the report built at once"


def test_report_holding_one_token_table_at_a_time_is_the_same(at_once, tmp_path, monkeypatch):
    """The kept documents' token tables are bounded (released and segmented again past the bound): a bound
    of one changes how often a document is segmented, not a byte of the report."""
    import framing.reporting as reporting

    monkeypatch.setattr(reporting, "KEPT_TOKEN_TABLES", 1)
    build_report(_corpus(), tmp_path, inputs=[], chunk_size=3, **FAST)
    expected, actual = _files(at_once), _files(tmp_path)
    assert [name for name in expected if expected[name] != actual.get(name)] == []


def test_sampled_report_keeps_every_number_and_every_cue(at_once, tmp_path):
    """With one document kept per group (plus the card ids), every count, test and cue is still the corpus's."""
    build_report(_corpus(), tmp_path, inputs=[], chunk_size=2, sample_size=1, max_cards=1, **FAST)
    for name in ("documents.csv", "comparison.csv", "frames.csv", "modality.csv", "evidence.csv", "furniture.csv"):
        assert (tmp_path / name).read_bytes() == (at_once / name).read_bytes(), name
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert "were kept whole" in run["grouping"]["sample"]
    terms_a, terms_b = pd.read_csv(at_once / "terms.csv"), pd.read_csv(tmp_path / "terms.csv")
    pd.testing.assert_frame_equal(terms_a[["group", "term", "n", "n_rest", "docs_in_group", "z"]],
                                  terms_b[["group", "term", "n", "n_rest", "docs_in_group", "z"]])
    form_a = pd.read_csv(at_once / "formulae.csv").set_index(["group", "key"])
    form_b = pd.read_csv(tmp_path / "formulae.csv").set_index(["group", "key"])
    shared = form_a.index.intersection(form_b.index)
    assert len(shared) >= len(form_a) // 2
    pd.testing.assert_frame_equal(form_a.loc[shared, ["count", "n_docs"]], form_b.loc[shared, ["count", "n_docs"]])


def test_sampled_report_is_reproducible(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build_report(_corpus(), a, inputs=[], chunk_size=2, sample_size=1, max_cards=1, evidence="gz", **FAST)
    build_report(_corpus(), b, inputs=[], chunk_size=3, sample_size=1, max_cards=1, evidence="gz", **FAST)
    assert _files(a) == _files(b)
    with gzip.open(a / "evidence.csv.gz", "rt", encoding="utf-8") as fh:
        assert pd.read_csv(io.StringIO(fh.read())).shape[0] > 100


def test_accumulators_prune_rare_keys_but_keep_totals():
    docs = _corpus()
    groups = [d.role or "commentary" for d in docs]
    small = TermCounts(max_entries=400)
    for d, g in zip(docs, groups):
        small.add(d, g)
        small.prune()
    assert small.pruned and sum(len(c) for c in small.counts.values()) <= 400
    full = TermCounts()
    for d, g in zip(docs, groups):
        full.add(d, g)
    for g in full.counts:  # exact totals per order: kept counts plus the dropped ones
        for order in (1, 2, 3):
            kept = sum(n for k, n in small.counts[g].items() if k.count(" ") + 1 == order)
            assert kept + small.dropped.get(g, {}).get(order, 0) == \
                sum(n for k, n in full.counts[g].items() if k.count(" ") + 1 == order)
    top = distinctive_terms(docs, groups)
    assert len(small.table(docs, groups)) and set(top["term"].head(3)) <= set(small.table(docs, groups)["term"])
    formulae = FormulaCounts(max_entries=400)
    for d, g in zip(docs, groups):
        formulae.add(d, g)
        formulae.prune()
    assert sum(len(c) for c in formulae.key_counts.values()) <= 400
    assert not recurring_formulae(docs, groups).empty


def test_large_sample_comparison_agrees_with_the_resampling_tests():
    import numpy as np

    from framing.compare import large_sample_comparison
    from framing.stats import compare_groups

    rng = np.random.default_rng(1)
    n = 3000
    df = pd.DataFrame({"group": np.where(rng.random(n) < 0.3, "official", "commentary"),
                       "a": rng.normal(size=n), "b": rng.exponential(size=n)})
    df.loc[df["group"] == "official", "a"] += 0.1
    fast = large_sample_comparison(df, "group", ["a", "b"])
    slow = compare_groups(df, "group", ["a", "b"], n_boot=2000, n_perm=5000)
    assert list(fast.columns) == list(slow.columns)
    for col in ("n_docs", "mean", "median", "cliffs_delta", "hedges_g"):
        assert np.allclose(fast[col], slow[col])
    for col in ("ci_low", "ci_high"):
        assert np.allclose(fast[col], slow[col], atol=0.01)
    assert np.allclose(fast["p"], slow["p"], atol=0.02)
    assert fast["note"].str.contains("normal approximations").all()


def test_a_kept_documents_evidence_does_not_hold_its_chunks_buffers():
    pytest.importorskip("pyarrow")
    from framing.reporting.stream import compact

    chunk = pd.DataFrame({"doc_id": [f"d{i // 100}" for i in range(20_000)],
                          "sentence": ["The ministry said the talks were useful and frank. " * 3] * 20_000,
                          "start": range(20_000)})
    one = dict(tuple(chunk.groupby("doc_id", sort=False)))["d7"]
    kept = compact(one)
    pd.testing.assert_frame_equal(kept, one)

    def buffers(frame: pd.DataFrame) -> int:
        arrays = [frame[c].array for c in frame.columns if hasattr(frame[c].array, "_pa_array")]
        return sum(a._pa_array.get_total_buffer_size() for a in arrays)

    if not buffers(one):  # string columns are not Arrow-backed in this pandas: nothing is shared
        pytest.skip("no Arrow-backed string columns")
    assert buffers(one) > 1_000_000  # the whole chunk's sentences
    assert buffers(kept) < 40_000    # its own 100 rows


def test_report_scored_in_worker_processes_is_the_report_built_at_once(at_once, tmp_path):
    """Two worker processes score and summarise the chunks; this process folds them in input order."""
    build_report(_corpus(), tmp_path, inputs=[], chunk_size=2, jobs=2, **FAST)
    expected, actual = _files(at_once), _files(tmp_path)
    differ = [name for name in expected if expected[name] != actual[name]]
    assert not differ, f"{differ} differ from the report built at once"


def test_accumulators_filled_apart_and_merged_equal_one_filled_in_order():
    """What a worker process sends back (pickled partial counts) merges into the counts of one pass."""
    import pickle

    from framing.terms import ActorCounts

    docs = _corpus()
    groups = [d.role or "commentary" for d in docs]
    for make in (TermCounts, FormulaCounts, ActorCounts):
        whole, merged = make(), make()
        for d, g in zip(docs, groups):
            whole.add(d, g)
        for part in (slice(0, 2), slice(2, 5), slice(5, None)):
            partial = make()
            for d, g in zip(docs[part], groups[part]):
                partial.add(d, g)
            merged.merge(pickle.loads(pickle.dumps(partial)))
        if make is ActorCounts:
            a, b = whole.table(), merged.table()
        else:
            a, b = whole.table(docs, groups), merged.table(docs, groups)
        assert len(a), make.__name__
        pd.testing.assert_frame_equal(a, b, obj=make.__name__)


def test_large_tables_are_written_in_slices_with_the_same_bytes(monkeypatch):
    """A table longer than the slice is written a slice at a time (never copied whole), byte for byte as at once:
    one header, JSON cells, spreadsheet-safe strings, %.6g floats."""
    import framing.reporting as reporting

    table = pd.DataFrame({"id": [f"d{i}" for i in range(7)],
                          "title": ["=HYPERLINK(1)", "plain", "+1", "a,b", "quote \"x\"", "", "-2"],
                          "examples": [[{"text": "one"}], [], [{"text": "two"}], [], [], [], []],
                          "value": [1 / 3, 2.0, float("nan"), 1e-9, 123456789.0, -0.5, 0.0]})
    monkeypatch.setattr(reporting, "CSV_ROWS_AT_ONCE", 1_000)
    whole = reporting.table_to_csv(table)
    monkeypatch.setattr(reporting, "CSV_ROWS_AT_ONCE", 3)
    assert reporting.table_to_csv(table) == whole
    assert whole.count("\n") == 8 and "'=HYPERLINK(1)" in whole and '[{""text"":""one""}]' in whole
    assert reporting.table_to_csv(table.iloc[:0]) == whole.splitlines(keepends=True)[0]


def _own_sentences(evidence: pd.DataFrame) -> pd.DataFrame:
    """(group key, extractor, category, doc_id, sentence) of the cues in a group's own voice, one row each."""
    own = evidence[(evidence["sentence"] >= 0) & (evidence["voice"] != "questioner")]
    return own[["doc_id", "extractor", "category", "sentence"]].drop_duplicates()


@pytest.mark.parametrize("k", [1, 3])
def test_every_cue_category_keeps_sentences_from_documents_not_kept(k):
    """With one document kept per group, each group's cue categories still have sentences for their exemplars
    and quotes: min(k, sentences with the cue) of them, from any document, the same whatever the chunking."""
    from framing.reporting.stream import accumulate

    docs = _corpus()
    everything = _own_sentences(analyze(docs).evidence)
    held = []
    for chunk_size in (2, 5):
        acc = accumulate(_corpus(), None, None, by=None, seed=0, max_cards=1, chunk_size=chunk_size,
                         sample_size=1, sentences_per_cue=k)
        assert len(acc.kept) < len(docs)  # documents were left out
        available = _own_sentences(acc._kept_evidence())
        key_of = dict(zip((d.id for d in acc.documents), acc.keys))
        for (x, c), rows in everything.groupby(["extractor", "category"]):
            for key in {key_of[d] for d in rows["doc_id"]}:
                in_group = rows[rows["doc_id"].map(key_of) == key]
                found = available[(available["extractor"] == x) & (available["category"] == c)
                                  & (available["doc_id"].map(key_of) == key)]
                assert len(found) >= min(k, len(in_group)), (key, x, c)
        held.append(sorted(acc.cue_sentences.held()))
    assert held[0] == held[1]
    assert any(i not in acc.kept for i, _, _ in held[0])  # the reservoir reaches beyond the kept documents


def _process_tree(pid: int) -> list[int]:
    """``pid`` and every process below it (worker processes, and the server that starts them)."""
    from framing.bench import _descendants

    return _descendants(pid)


def _started_with_workers(tmp_path: Path, command: list[str], stderr: Any) -> tuple[Any, list[int]]:
    """Start ``framing COMMAND`` with ``-j 2`` on 1,500 seed-like documents and wait until its workers are up;
    returns the process and its tree (the command, the server that starts workers, the workers)."""
    import subprocess
    import sys
    import time

    texts = [p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt"))] or ["A plain sentence. " * 200]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": texts[i % len(texts)]}) + "\n" for i in range(1500)),
                      encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "framing", *command, str(corpus), "-j", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=stderr, text=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if len(_process_tree(proc.pid)) >= 4:  # the command, the server that starts workers, two workers
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the command ended before its workers were seen"
    time.sleep(0.5)
    return proc, _process_tree(proc.pid)


def _still_running(pids: list[int], within: float) -> list[int]:
    """The processes of ``pids`` still running (not gone, not zombies) after waiting up to ``within`` seconds."""
    import os
    import time

    deadline = time.monotonic() + within
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if os.path.exists(f"/proc/{p}") and "Z" not in _state(p)]
        time.sleep(0.1)
    return alive


def test_sigterm_ends_a_report_with_one_line_and_stops_its_worker_processes(tmp_path):
    """A scheduler's SIGTERM reaches the command's own process only: the workers must not outlive it."""
    import signal
    import subprocess

    proc, tree = _started_with_workers(tmp_path, ["report", "-o", str(tmp_path / "out")], subprocess.PIPE)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err.strip().splitlines()[-1] == "framing: interrupted", err
    alive = _still_running(tree[1:], within=15)
    assert not alive, f"worker processes left running: {alive}"
    assert not (tmp_path / "out" / "report.html").exists()


def test_workers_end_when_their_command_is_killed_outright(tmp_path):
    """SIGKILL leaves the command no time to stop its workers: they must notice and end by themselves
    (they used to wait for ever on their task queue, with the server that started them)."""
    import signal
    import subprocess

    proc, tree = _started_with_workers(tmp_path, ["score", "-o", str(tmp_path / "out.csv")], subprocess.DEVNULL)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    alive = _still_running(tree[1:], within=20)
    assert not alive, f"processes left running after the command was killed: {alive}"


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "X"


def test_the_ngram_counters_are_let_go_once_their_tables_are_built():
    """The terms', formulae's and actors' counters are the largest thing a report holds after the features; once
    their tables are built nothing refers to them (they were held to the end of the report before)."""
    import gc
    import weakref

    from framing.compare import assign_groups
    from framing.reporting.stream import accumulate

    acc = accumulate(_corpus(), None, {}, by=None, seed=0, max_cards=40, chunk_size=3)
    counters = {name: weakref.ref(getattr(acc, name)) for name in ("terms", "formulae", "actors")}
    analysis = acc.light_analysis()
    labels = acc.group_labels(assign_groups(analysis)[0])
    tables = acc.parts(labels, analysis.run).lexical(3)
    gc.collect()
    assert not tables["terms"].empty and not tables["formulae"].empty and not tables["actors"].empty
    assert {name: ref() is None for name, ref in counters.items()} == dict.fromkeys(counters, True)


def test_a_report_assigns_the_groups_once(tmp_path, monkeypatch):
    """The groups a report needs before its comparison (to name the accumulated counts) are the comparison's:
    assigned once, not again inside compare (a table of every document, built twice before)."""
    import framing.compare
    import framing.reporting

    calls = []
    original = framing.compare.assign_groups

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(framing.compare, "assign_groups", counted)
    monkeypatch.setattr(framing.reporting, "assign_groups", counted)
    build_report(_corpus(), out_dir=tmp_path / "r", chunk_size=3, **FAST)
    assert len(calls) == 1

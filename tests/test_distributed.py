"""Scoring on a cluster: score_frame over Dask partitions, score_dask, pickling of scorers, the Spark schema."""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import cloudpickle
import numpy as np
import pandas as pd
import pytest

import framing
from framing.distributed import cached_extractors, score_frame, spark_schema
from framing.extractors.base import resolve_extractors
from framing.transformers import FramingFeatures

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

SENTENCES = [
    "Officials said the plan may fail, according to a report released on Monday.",
    "We must act now to protect public health and the economy, the minister said.",
    "This groundbreaking, world-class product is simply the best deal you will ever see!",
    "Critics argue that the new law could perhaps undermine fairness and equality.",
    "The ministry's spokesperson said China firmly opposes any interference in its internal affairs.",
    "",
    "Le gouvernement a annoncé de nouvelles mesures pour soutenir l'économie locale.",
    "Sources familiar with the matter suggested the talks might resume next week.",
    "!!! ???",
    "Beijing seeks to expand its influence, analysts believe, while the United States hesitates.",
    "The study, published in Nature, found that 42% of respondents clearly supported the measure.",
    "Why You Won't Believe These 10 Shocking Facts About AI Diplomacy",
]


def corpus() -> pd.DataFrame:
    """Seed documents and short sentences, with ids, titles and outlets (no /work/shared needed)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds] + SENTENCES
    n = len(texts)
    return pd.DataFrame({
        "id": [p.stem for p in seeds] + [f"s{i:02d}" for i in range(len(SENTENCES))],
        "title": [f"Title {i}" if i % 3 else "" for i in range(n)],
        "outlet": ["Outlet A" if i % 2 else "Outlet B" for i in range(n)],
        "text": texts,
    })


# ---------------------------------------------------------------------------
# score_frame without a cluster

def test_score_frame_matches_score_and_keeps_index():
    frame = corpus()
    part = frame.iloc[3:9]
    out = score_frame(part)
    pd.testing.assert_frame_equal(out, framing.score(frame).iloc[3:9])  # a partition of the whole's scores
    assert list(out.index) == list(part.index)
    labelled = part.set_axis([f"r{i}" for i in range(len(part))])
    out = score_frame(labelled)
    assert list(out.index) == list(labelled.index) and out.loc["r2", "path"] == "<DataFrame row r2>"
    pd.testing.assert_frame_equal(out.drop(columns="path"), framing.score(labelled).drop(columns="path"))
    pd.testing.assert_series_equal(out.dtypes, framing.empty_scores().dtypes)


def test_score_frame_empty_partition_and_options():
    meta = framing.empty_scores(["hedging"], {"hedging": {}})
    out = score_frame(corpus().iloc[:0], extractors=["hedging"], options={"hedging": {}})
    pd.testing.assert_series_equal(out.dtypes, meta.dtypes)
    assert out.empty


def test_extractors_built_once_per_process():
    a, b = cached_extractors(["hedging", "framing"]), cached_extractors(["hedging", "framing"])
    assert [type(e) for e in a] == [type(e) for e in b] and a[0] is not b[0]  # new objects ...
    assert a[0].__dict__["_state"] is b[0].__dict__["_state"]  # ... sharing the loaded lexicon and model


def test_score_frame_is_lazy_export_and_import_framing_stays_light():
    code = ("import sys, framing; assert 'dask' not in sys.modules; assert 'framing.distributed' not in sys.modules;"
            "f = framing.score_frame; assert 'dask' not in sys.modules; print(f.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "framing.distributed"


def test_spark_schema_follows_empty_scores_dtypes():
    ddl = spark_schema()
    fields = [f.rsplit(" ", 1) for f in ddl.split(", ")]
    empty = framing.empty_scores()
    assert [name.strip("`") for name, _ in fields] == list(empty.columns)
    types = {name.strip("`"): t for name, t in fields}
    assert types["id"] == "STRING" and types["na_reason"] == "STRING"
    assert types["n_words"] == "BIGINT"
    assert types["hedging_hedges_per_1k"] == "DOUBLE"
    assert set(types.values()) == {"STRING", "BIGINT", "DOUBLE"}
    only = spark_schema(["hedging"], scores_only=True)
    assert "`id`" not in only and only.startswith("`language` STRING")


# ---------------------------------------------------------------------------
# pickling

@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_extractor_pickle_round_trip_is_small_and_scores_the_same(dumps):
    frame = corpus()
    exs = resolve_extractors(None)
    before = framing.score(frame, extractors=exs)  # loads lexicons, matchers and models into the instances
    blobs = [dumps(e) for e in exs]
    assert max(map(len, blobs)) < 2000, [len(b) for b in blobs]  # class + parameters, no lexicon or matcher
    restored = [pickle.loads(b) for b in blobs]
    assert [repr(e) for e in restored] == [repr(e) for e in exs]
    pd.testing.assert_frame_equal(framing.score(frame, extractors=restored), before)


def test_extractor_options_survive_pickling():
    ex = framing.get_extractor("readability", n_evidence=1)
    assert pickle.loads(pickle.dumps(ex)).get_params() == ex.get_params()


def test_pickled_extractors_score_the_same_in_a_fresh_process(tmp_path):
    """A loaded extractor refers to cue layers registered in its process: unpickled elsewhere it must reload."""
    frame = corpus()
    exs = resolve_extractors(None)
    expected = framing.score(frame, extractors=exs)
    path = tmp_path / "extractors.pkl"
    path.write_bytes(cloudpickle.dumps((exs, frame, expected)))
    code = ("import pickle, sys, pandas as pd, framing\n"
            f"exs, frame, expected = pickle.load(open({str(path)!r}, 'rb'))\n"
            "pd.testing.assert_frame_equal(framing.score(frame, extractors=exs), expected)\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_framing_features_pickle_round_trip():
    texts = corpus()["text"]
    model = FramingFeatures(extractors=["hedging", "promotional"]).fit(texts)
    before = model.transform(texts)
    for dumps in (pickle.dumps, cloudpickle.dumps):
        blob = dumps(model)
        assert len(blob) < 20_000
        restored = pickle.loads(blob)
        np.testing.assert_array_equal(restored.transform(texts), before)


# ---------------------------------------------------------------------------
# a real Dask cluster

@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  memory_limit="2GiB") as lc, distributed.Client(lc) as client:
        yield lc, client


def test_map_partitions_on_a_local_cluster(cluster, tmp_path):
    import dask.dataframe as dd

    _, client = cluster
    frame = corpus()
    source = tmp_path / "docs"
    source.mkdir()
    for i, lo in enumerate(range(0, len(frame), 5)):  # a folder of four Parquet files: four partitions
        frame.iloc[lo:lo + 5].to_parquet(source / f"part{i}.parquet")
    ddf = dd.read_parquet(source)
    assert ddf.npartitions > 1
    scores = ddf.map_partitions(framing.score_frame, meta=framing.empty_scores())
    result = scores.compute()
    expected = framing.score(ddf.compute())
    pd.testing.assert_frame_equal(result, expected)
    assert list(result["id"]) == list(frame["id"])
    # the workers scored it (each built its extractors once)
    assert len(client.run(lambda: __import__("os").getpid())) == 2


def test_score_dask_writes_parquet_and_csv(cluster, tmp_path):
    from framing.distributed import score_dask

    lc, _ = cluster
    frame = corpus()
    source = tmp_path / "docs.parquet"
    frame.to_parquet(source)  # one file, one row group: score_dask splits it for the workers
    expected = framing.score(pd.read_parquet(source))

    out = tmp_path / "scores.parquet"
    assert score_dask(str(source), str(out), lc.scheduler_address) == len(frame)
    assert out.is_dir() and len(list(out.glob("*.parquet"))) > 1
    written = pd.read_parquet(out)
    written = written.astype(expected.dtypes.to_dict())
    pd.testing.assert_frame_equal(written, expected, check_index_type=False, check_names=False)

    csv = tmp_path / "scores.csv"
    assert score_dask(str(source), str(csv), lc.scheduler_address, extractors=["hedging"]) == len(frame)
    table = pd.read_csv(csv, index_col=0, keep_default_na=False)
    assert list(table["id"]) == list(frame["id"])
    assert list(table.columns) == list(framing.empty_scores(["hedging"]).columns)

"""Scoring on a cluster: a partition-wise scorer for Dask (and Spark), and ``score_dask`` for Parquet datasets.

Scoring is CPU-bound per document and every row depends on its own text only (with the default
``source_type.prior=uniform``), so a corpus splits into partitions that are scored independently::

    import dask.dataframe as dd
    import framing

    ddf = dd.read_parquet("articles/")                                   # id, text, title, outlet, ...
    scores = ddf.map_partitions(framing.score_frame, meta=framing.empty_scores())
    scores.to_parquet("scores/")

:func:`score_frame` builds the extractors once per process (lexicons, matchers and models are loaded by the
first partition a worker scores and reused by the next ones). Extractor instances pickle as their class and
constructor parameters and are rebuilt from the same per-process cache on unpickling
(:func:`rebuild_extractor`), so shipping them to workers costs a few hundred bytes.

Spark: ``sdf.mapInPandas(lambda batches: map(score_frame, batches), schema=spark_schema())`` (the pandas index
is dropped by Spark; give the documents an ``id`` column).

This module does not import Dask: :func:`score_dask` imports it when called (``pip install 'framing[dask]'``).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .extractors.base import Extractor, cached_extractors, rebuild_extractor

__all__ = ["cached_extractors", "rebuild_extractor", "score_dask", "score_frame", "spark_schema"]

Options = Mapping[str, Mapping[str, Any]] | None

def score_frame(partition: pd.DataFrame, *, text_col: str = "text", id_col: str | None = None,
                extractors: Iterable[str | Extractor] | None = None, options: Options = None) -> pd.DataFrame:
    """Score one pandas partition: ``framing.score(partition)`` with the extractors built once per process.

    Parameters
    ----------
    partition : pandas.DataFrame
        Documents, one per row: ``text_col`` and optionally ``id``/``id_col``, ``title``, ``outlet``, ``role``,
        ``date`` and columns of your own (see :func:`framing.score`).
    text_col, id_col, extractors, options
        As for :func:`framing.score`.

    Returns
    -------
    pandas.DataFrame
        Exactly the columns and dtypes of ``framing.empty_scores(extractors, options)``, with the partition's
        index, so that ``ddf.map_partitions(framing.score_frame, meta=framing.empty_scores())`` works.

    Notes
    -----
    Rows equal those of ``framing.score`` on the whole frame (when its index is the default 0..n-1, as Dask
    keeps it when reading a Parquet dataset written by pandas), except with ``source_type.prior=corpus``, whose
    prior is then estimated per partition. The ``path`` column names the row by its index label,
    ``<DataFrame row LABEL>`` (``framing.score`` gives the row's position, which a partition does not know).
    """
    from .api import score

    exs = cached_extractors(extractors, options)
    out = score(partition, text_col=text_col, id_col=id_col, extractors=exs)
    out["path"] = pd.Series([f"<DataFrame row {label}>" for label in partition.index], index=out.index,
                            dtype=out["path"].dtype)
    return out


def spark_schema(extractors: Iterable[str | Extractor] | None = None, options: Options = None, *,
                 scores_only: bool = False) -> str:
    """The scores table's schema as a Spark DDL string (for ``mapInPandas(..., schema=spark_schema())``).

    Text columns are ``STRING``, the base counts ``BIGINT``, the extractor columns ``DOUBLE``, as the dtypes of
    :func:`framing.empty_scores`. Spark is not needed to build it.
    """
    from .api import empty_scores

    fields = []
    for column, dtype in empty_scores(extractors, options, scores_only=scores_only).dtypes.items():
        fields.append(f"`{column}` {_spark_type(dtype)}")
    return ", ".join(fields)


def _spark_type(dtype: Any) -> str:
    if isinstance(dtype, pd.StringDtype) or dtype == np.dtype(object):
        return "STRING"
    if pd.api.types.is_bool_dtype(dtype):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(dtype):
        return "BIGINT"
    if pd.api.types.is_float_dtype(dtype):
        return "DOUBLE"
    raise TypeError(f"no Spark type for dtype {dtype}")


def score_dask(source: str, output: str, scheduler: str, *, text_col: str = "text", id_col: str | None = None,
               extractors: Iterable[str] | None = None, options: Options = None,
               npartitions: int | None = None) -> int:
    """Score a Parquet dataset on a Dask cluster and write the scores; returns the number of rows written.

    Parameters
    ----------
    source : str
        A Parquet file or a folder of Parquet files (read with ``dask.dataframe.read_parquet``): one row per
        document, with ``text_col`` and, best, an ``id`` column (else the ids are the stored index).
    output : str
        Ending in ``.csv``: one CSV file (the partitions written in order, with one header). Anything else,
        ``.parquet`` included: a Parquet dataset, i.e. a folder of ``part.N.parquet`` files (one per
        partition) that pandas, pyarrow, Dask and Spark read as one table (``pd.read_parquet(output)``).
        The scores keep the source's index (written as a column in the CSV).
    scheduler : str
        A scheduler address (``tcp://host:8786``), or ``local`` to start a ``LocalCluster`` with one
        single-threaded worker process per core (scoring is CPU-bound Python: processes, not threads).
    text_col, id_col, extractors, options
        As for :func:`framing.score`.
    npartitions : int, optional
        Split the source into this many partitions. By default a source with fewer partitions than twice the
        cluster's worker threads is split to that many, so that every worker has work.
    """
    try:
        import dask.dataframe as dd
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError("score_dask needs Dask: pip install 'framing[dask]'") from exc
    from .api import empty_scores

    meta = empty_scores(extractors, options)
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        ddf = dd.read_parquet(source)
        if npartitions is None:
            threads = sum(client.nthreads().values()) or 1
            npartitions = max(ddf.npartitions, 2 * threads)
        if npartitions != ddf.npartitions:
            ddf = ddf.repartition(npartitions=npartitions)
        scores = ddf.map_partitions(score_frame, text_col=text_col, id_col=id_col,
                                    extractors=None if extractors is None else list(extractors),
                                    options=options, meta=meta)
        if str(output).lower().endswith(".csv"):
            scores.to_csv(output, single_file=True)
            return int(ddf.map_partitions(len).compute().sum())
        scores.to_parquet(output, write_index=True)
        import pyarrow.dataset as ds

        return int(ds.dataset(str(Path(output)), format="parquet").count_rows())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""The report's CSV rows built column by column in Arrow (:func:`framing.output.csv_rows`) are the bytes pandas'
``to_csv`` writes: quoting, doubled quotes, newlines, NA, floats through ``%.6g``, integers and booleans; the
kinds it does not handle fall back to pandas."""
from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.output import csv_rows
from framing.reporting import CSV_ROWS_AT_ONCE, table_to_csv, write_table_csv

pytest.importorskip("pyarrow")

#: Cells that make the csv writer quote, double a quote, or leave alone.
AWKWARD = ["plain", "a, b", 'say "no"', '"', "line\nbreak", "carriage\rreturn", "", " padded ", "=1+1",
           "tab\there", "ünïcödé, “curly” quotes", "\u2028separator", ",", '""', "trailing,"]


def pandas_rows(frame: pd.DataFrame, float_format: str = "%.6g") -> str:
    return frame.to_csv(index=False, header=False, float_format=float_format, lineterminator="\n")


def awkward_frame(string_dtype: object) -> pd.DataFrame:
    n = len(AWKWARD)
    texts = pd.Series(AWKWARD, dtype=string_dtype)
    texts.iloc[3] = None
    floats = [0.5, -0.0, 0.0, math.nan, math.inf, -math.inf, 1e-300, 5e-324, 123456789.0, 1 / 3, 2.0, -1e20,
              0.1 + 0.2, 1e-5, 7.0]
    return pd.DataFrame({"text": texts, "weight": floats[:n], "start": np.arange(n, dtype=np.int64) * 997,
                         "small": np.arange(n, dtype=np.int32) - 5, "flag": [i % 3 == 0 for i in range(n)],
                         "doc_id": pd.Series([f"doc-{i % 4}" for i in range(n)], dtype=string_dtype)})


@pytest.mark.parametrize("string_dtype", [object, "string", pd.StringDtype("pyarrow")])
def test_rows_are_pandas_bytes_for_every_awkward_cell(string_dtype):
    frame = awkward_frame(string_dtype)
    fast = csv_rows(frame)
    assert fast is not None, "every column here is of a kind the columnar writer handles"
    assert fast == pandas_rows(frame)
    assert '"a, b"' in fast and '"say ""no"""' in fast and '"line\nbreak"' in fast and ",-0," in fast


def test_float_format_is_the_callers():
    frame = pd.DataFrame({"x": [1 / 3, 2.5, math.nan], "y": ["a", "b", "c"]})
    assert csv_rows(frame, "%.2f") == pandas_rows(frame, "%.2f") == "0.33,a\n2.50,b\n,c\n"


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"only": ["", "x"]}),  # csv quotes a lone empty field: left to pandas
    pd.DataFrame({"when": pd.to_datetime(["2024-01-01", "2024-02-03"]), "x": ["a", "b"]}),
    pd.DataFrame({"mixed": ["a", 1], "x": ["a", "b"]}),
    pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "x": ["a", "b"]}),
    pd.DataFrame({"x": pd.Series([], dtype=str), "y": pd.Series([], dtype=float)}),
])
def test_kinds_it_does_not_handle_are_left_to_pandas(frame):
    assert csv_rows(frame) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=12)),
                          st.floats(allow_nan=True, allow_infinity=True),
                          st.integers(min_value=-2**63, max_value=2**63 - 1)),
                min_size=1, max_size=20))
def test_any_strings_floats_and_integers_match_pandas(rows):
    frame = pd.DataFrame(rows, columns=["text", "value", "count"]).astype({"text": "string", "value": float,
                                                                           "count": np.int64})
    assert csv_rows(frame) == pandas_rows(frame)


@pytest.fixture(scope="module")
def seed_analysis_tables(seeds_dir):
    """Every table a report writes, for the seeds grouped by their declared roles."""
    import framing
    from framing.reporting import TABLE_FILES

    comparison = framing.compare(framing.analyze(framing.load(seeds_dir)), by="role")
    return {name: getattr(comparison, name) for name in TABLE_FILES}


def test_report_tables_are_written_as_before(seed_analysis_tables):
    """Every table of the seeds' report, written through the columnar rows, is the text pandas alone writes:
    header, spreadsheet-safe cells, list cells as JSON and all."""
    from framing.reporting import _csv_ready

    for name, table in seed_analysis_tables.items():
        expected = _csv_ready(table, True).to_csv(index=False, float_format="%.6g", lineterminator="\n")
        assert table_to_csv(table) == expected, name


def test_a_table_longer_than_one_batch_is_written_whole_once():
    n = CSV_ROWS_AT_ONCE + 7
    table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "text": ["x, y"] * n, "weight": np.linspace(0, 1, n)})
    buffer = io.StringIO()
    write_table_csv(table, buffer)
    expected = table.to_csv(index=False, float_format="%.6g", lineterminator="\n")
    assert buffer.getvalue() == expected
    assert buffer.getvalue().count("doc_id") == 1


def test_compressed_evidence_holds_the_same_text_and_is_reproducible():
    import gzip

    from framing.output import CompressingWriter

    table = awkward_frame("string")
    table = pd.concat([table] * 400, ignore_index=True)

    def compressed(batch: int) -> bytes:
        raw = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz, CompressingWriter(gz, batch) as fh:
            write_table_csv(table, fh)
        return raw.getvalue()

    small_batches = compressed(1000)  # many hand-overs to the compressing thread
    assert gzip.decompress(small_batches).decode("utf-8") == table_to_csv(table)
    assert compressed(1000) == small_batches


def test_a_failing_compressed_write_is_raised_not_lost():
    from framing.output import CompressingWriter

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError(28, "No space left on device")

    # the error surfaces at a later write or at close: either way it reaches the writer
    with pytest.raises(OSError, match="No space left"), CompressingWriter(Full(), batch=10) as fh:
        for _ in range(100):
            fh.write("a line of evidence\n")

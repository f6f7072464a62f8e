"""The chunked report's per-document metadata, held column by column (framing.reporting.columns)."""
from __future__ import annotations

import hashlib

import pytest

from framing.document import Document
import numpy as np
import pandas as pd

from framing.reporting.columns import ArrayChunks, Codes, DetectedTypes, DocumentColumns, FeatureChunks, PackedStrings
from framing.reporting.stream import _multiindex


def _doc(i: int, **fields) -> Document:
    doc = Document(id=f"doc-{i}", body=f"Body {i}.", **fields)
    return doc


def test_packed_strings_round_trip_none_empty_and_non_ascii():
    column = PackedStrings()
    values = ["Reuters", None, "", "Çà et là — “quoted”", "\udcff lone surrogate", "x" * 5000]
    for v in values:
        column.append(v)
    assert [column[i] for i in range(len(values))] == values
    assert column.nbytes() < 5200 + 16 * len(values)


def test_codes_share_equal_values_but_keep_types_apart():
    codes = Codes()
    for v in ["1", 1, True, 1.0, "1", None, ["a"], ["a"]]:
        codes.append(v)
    got = [codes[i] for i in range(8)]
    assert got == ["1", 1, True, 1.0, "1", None, ["a"], ["a"]]
    assert [type(v) for v in got[:4]] == [str, int, bool, float]
    assert codes.code("1") == codes.code("1") != codes.code(1)


def test_document_columns_give_back_every_field_the_comparison_reads():
    docs = [_doc(0, title="First", outlet="AP", role="news", date="2024-01-02", url="https://a.example/1"),
            _doc(1, title=None, outlet=None, role=None),
            _doc(2, title="Third", outlet="AP", role="official", author="Jane Doe")]
    docs[0].meta = {"genre": "report", "section": "World"}
    docs[1].meta = {"score": 3, "tags": ["a", "b"]}
    docs[2].meta = {"section": "World", "genre": "statement"}
    docs[1].warnings.append("duplicate id 'doc-1'; renamed to 'doc-1#2'")
    columns = DocumentColumns()
    digests = [hashlib.sha256(d.body.encode()).digest() for d in docs]
    for doc, digest in zip(docs, digests):
        columns.append(doc, digest, False)
    assert len(columns) == 3 and columns.ids() == ["doc-0", "doc-1", "doc-2"]
    for doc, light, digest in zip(docs, columns, digests):
        for name in ("id", "title", "path", "url", "outlet", "author", "date", "role", "encoding"):
            assert getattr(light, name) == getattr(doc, name), name
        assert light.meta == doc.meta and list(light.meta) == list(doc.meta)  # keys in the document's order
        assert list(light.warnings) == doc.warnings
        assert light.hash_entry["body_sha256"] == digest.hex() and "sha256" not in light.hash_entry
    assert columns[-1].id == "doc-2" and [d.id for d in columns[1:]] == ["doc-1", "doc-2"]
    with pytest.raises(IndexError):
        columns[3]
    with pytest.raises(ValueError, match="SHA-256"):
        columns.append(docs[0], b"short", False)


def test_document_columns_cost_about_the_strings_length_not_an_object_per_document():
    columns = DocumentColumns()
    digest = bytes(32)
    for i in range(2000):
        doc = _doc(i, title=f"Minister visits the port city of Example {i}", outlet="Reuters", role="news",
                   date=f"2024-01-{i % 28 + 1:02d}")
        doc.meta = {"source": "wire", "section": "World"}
        columns.append(doc, digest, True)
    per_document = columns.nbytes() / 2000
    assert per_document < 160  # id, title and path bytes, their offsets, 4-byte codes, the 32-byte digest


def test_detected_types_read_like_the_dict_they_replace():
    columns = DocumentColumns()
    for i, doc_id in enumerate(["a", "b", "a", "c"]):  # a repeated id, as a caller's documents may have
        columns.append(Document(id=doc_id, body="x"), bytes(32), False)
    detected = DetectedTypes(columns)
    calls = [{"label": "news", "top_cues": ["dateline"]}, {"label": "official", "top_cues": []},
             {"label": "commentary", "top_cues": ["we"]}, {"label": "news", "top_cues": ["dateline"]}]
    as_dict: dict[str, dict] = {}
    for position, (doc_id, call) in enumerate(zip(["a", "b", "a", "c"], calls)):
        detected.add(position, call)
        as_dict[doc_id] = call
    assert dict(detected.items()) == as_dict and list(detected) == list(as_dict)
    assert detected["a"]["label"] == "commentary" and len(detected) == 3
    assert detected["c"] is detected._calls[0]  # the same call is held once


@pytest.mark.parametrize("entries", [
    [],
    [{"id": "a", "path": "x.txt", "sha256": "00" * 32, "encoding": "utf-8"}],
    [{"id": "ünï “q”", "path": "", "body_sha256": "ab" * 32, "encoding": None,
      "warnings": ["duplicate id 'a'; renamed to 'a#2'", "line\nbreak"]},
     {"id": "b", "path": "t.csv", "sha256": "cd" * 32, "encoding": "cp1252", "nested": {"k": [1, 2.5, None]}}],
])
def test_the_run_record_is_written_entry_by_entry_as_json_dumps_would_write_it(entries):
    import json

    from framing.reporting import _DOCUMENTS_SLOT, record_pieces

    record = {"generated_at": "2026-12-07T00:00:00+00:00", "options": {"seed": 0, "by": None},
              "inputs": {"paths": ["seeds"], "documents": entries, "metadata_files": []},
              "files": {"report.html": "ff" * 32}}
    expected = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    lazy = {**record, "inputs": {**record["inputs"], "documents": iter(entries)}}
    assert "".join(record_pieces(lazy)) == expected
    clash = {**record, "options": {"title": _DOCUMENTS_SLOT}}  # the stand-in spelled elsewhere: laid out whole
    assert "".join(record_pieces({**clash, "inputs": {**record["inputs"], "documents": iter(entries)}})) == \
        json.dumps(clash, indent=2, ensure_ascii=False) + "\n"


def _feature_chunk(start: int, n: int, ints_as_float: bool = False) -> pd.DataFrame:
    rows = range(start, start + n)
    count = [float(i) if ints_as_float else i for i in rows]
    if ints_as_float and n:
        count[0] = float("nan")  # a chunk where an integer column has a gap becomes float, as pd.concat makes it
    return pd.DataFrame({"id": [f"doc-{i}" for i in rows], "n_words": [10 * i for i in rows],
                         "rate": [i / 7 for i in rows], "count": count, "flag": [i % 2 == 0 for i in rows],
                         "label": pd.array([None if i % 3 else "news" for i in rows], dtype="str")})


@pytest.mark.parametrize("mixed", [False, True])
def test_feature_chunks_join_as_pd_concat_would(mixed):
    chunks = [_feature_chunk(0, 5), _feature_chunk(5, 4, ints_as_float=mixed), _feature_chunk(9, 6)]
    expected = pd.concat(chunks, ignore_index=True)
    joined = FeatureChunks()
    for c in chunks:
        joined.append(c)
    got = joined.join()
    pd.testing.assert_frame_equal(got, expected)
    assert got["count"].dtype == (np.float64 if mixed else np.int64)
    with pytest.raises(RuntimeError):
        joined.join()


def test_feature_chunks_reordered_puts_rows_in_order_in_their_own_buffers():
    joined = FeatureChunks()
    for start in (0, 4, 8):
        joined.append(_feature_chunk(start, 4))
    table = joined.join()
    expected = table.copy()
    rate = table["rate"].to_numpy()
    order = np.array([3, 11, 0, 5, 7, 1, 2, 4, 6, 8, 9, 10])
    got = joined.reordered(order, ["rate", "n_words", "label"])
    pd.testing.assert_frame_equal(got, expected[["rate", "n_words", "label"]].iloc[order].reset_index(drop=True))
    assert np.shares_memory(got["rate"].to_numpy(), rate)  # moved in place, not copied
    with pytest.raises(RuntimeError):
        joined.reordered(order, ["rate"])


def test_array_chunks_join_columns_and_check_lengths():
    chunks = ArrayChunks(doc=np.int32, n=np.int64)
    assert {k: v.tolist() for k, v in ArrayChunks(doc=np.int32).take().items()} == {"doc": []}
    chunks.append(doc=[0, 1], n=[5, 6])
    chunks.append(doc=np.array([7]), n=(2,))
    with pytest.raises(ValueError):
        chunks.append(doc=[1, 2], n=[3])
    with pytest.raises(ValueError):
        chunks.append(doc=[1])
    assert len(chunks) == 3
    out = chunks.take()
    assert out["doc"].tolist() == [0, 1, 7] and out["doc"].dtype == np.int32
    assert out["n"].tolist() == [5, 6, 2] and out["n"].dtype == np.int64


@pytest.mark.parametrize("seed", range(6))
def test_multiindex_from_codes_is_the_one_from_arrays(seed):
    rng = np.random.default_rng(seed)
    ids = np.array([f"doc-{i}" for i in rng.permutation(30)], dtype=object)
    names = np.array(["frame:security", "modal", "frame:economic", "actor"], dtype=object)
    pairs = rng.choice(30 * 4, size=int(rng.integers(1, 80)), replace=False)
    doc, cat = (pairs // 4).astype(np.int32), (pairs % 4).astype(np.int32)
    got = _multiindex(("doc_id", ids, doc), ("category", names, cat))
    expected = pd.MultiIndex.from_arrays([ids[doc], names[cat]], names=["doc_id", "category"])
    assert got.equals(expected) and got.names == expected.names
    for a, b, ca, cb in zip(got.levels, expected.levels, got.codes, expected.codes):
        assert a.equals(b) and a.dtype == b.dtype and np.array_equal(ca, cb)
    counts = pd.Series(np.arange(len(doc)), index=got)
    assert counts.unstack(fill_value=0).equals(pd.Series(np.arange(len(doc)), index=expected).unstack(fill_value=0))


def test_multiindex_with_repeated_ids_falls_back_to_labels():
    ids = np.array(["a", "b", "a"], dtype=object)
    got = _multiindex(("doc_id", ids, np.array([0, 1, 2])), ("category", np.array(["x"], dtype=object),
                                                             np.array([0, 0, 0])))
    assert got.tolist() == [("a", "x"), ("b", "x"), ("a", "x")]

"""The chunked report's per-document metadata, held column by column (framing.reporting.columns)."""
from __future__ import annotations

import hashlib

import pytest

from framing.document import Document
from framing.reporting.columns import Codes, DetectedTypes, DocumentColumns, PackedStrings


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

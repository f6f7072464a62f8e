"""Hostile input on the loading side (issue 15, items 6-8): folder walks, file names, encodings, CSV, report folders.

Every case builds real files in ``tmp_path`` and checks what was loaded, what was skipped and what was said.
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import framing
from framing.cli import main
from framing.ingest import UnreadableInput, decode_bytes, read_metadata

ARTICLE = ("Governments are racing to write rules for artificial intelligence, and the stakes could hardly be "
           "higher for citizens in every region of the world.\n"
           "The European Union passed its AI Act last year. Critics say the law is too vague, while supporters argue "
           "it sets a global benchmark for safety and accountability.\n")
FRENCH = ("Le ministère a déclaré mardi que la réforme était nécessaire. Les syndicats ont protesté contre cette "
          "décision très controversée, qualifiée de « trahison » par leurs dirigeants à Besançon.\n")


def problems_by_name(corpus) -> dict[str, str]:
    return {Path(p.path).name: p.message for p in corpus.problems}


def two_documents(folder: Path) -> Path:
    """``folder/a.txt`` and ``folder/sub/b.txt``."""
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(ARTICLE.replace("Governments", "Parliaments"), encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------
# item 6: folder walks read each file once

@pytest.mark.parametrize("link, target, back_to", [("up", "..", ""), ("self", ".", "sub")])
def test_a_directory_symlink_loop_reads_each_file_once(tmp_path, link, target, back_to):
    # one loop per case, so that a regression shows as a corpus inflated about 40 times (not an exponential walk)
    root = two_documents(tmp_path / "corpus")
    (root / "sub" / link).symlink_to(target, target_is_directory=True)  # corpus/sub/up -> corpus; sub/self -> sub
    corpus = framing.load(root)
    assert [d.id for d in corpus] == ["a", "b"]
    assert not any("duplicate id" in w for d in corpus for w in d.warnings)
    first = root / back_to if back_to else root
    assert problems_by_name(corpus) == {link: f"directory symlink loop (leads back to {first}); skipped"}


def test_two_links_to_one_folder_are_read_once(tmp_path):
    shared = two_documents(tmp_path / "shared")
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "first").symlink_to(shared, target_is_directory=True)
    (root / "second").symlink_to(shared, target_is_directory=True)
    (root / "z.txt").symlink_to(shared / "a.txt")  # a link to a file the walk has already read
    corpus = framing.load(root)
    assert sorted(d.id for d in corpus) == ["a", "b"]
    got = problems_by_name(corpus)
    assert got["second"] == f"same folder as {root / 'first'} (already read); skipped"
    assert got["z.txt"] == f"same file as {root / 'first' / 'a.txt'} (already read); skipped"
    assert len(got) == 2


def test_a_broken_symlink_says_so(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    corpus = framing.load(tmp_path)
    assert [d.id for d in corpus] == ["a"]
    assert problems_by_name(corpus) == {"gone.txt": "broken symbolic link (its target is missing or loops)"}


# ---------------------------------------------------------------------------
# item 7: unreadable folders and undecodable names are one line each

def test_an_unreadable_sub_folder_is_one_line_and_the_rest_loads(tmp_path, monkeypatch):
    # The tests run as root, which ignores permissions, so chmod 000 would not make the folder unreadable:
    # listing the folder is made to fail the way it does for an ordinary user (PermissionError).
    root = two_documents(tmp_path / "corpus")
    locked = root / "locked"
    locked.mkdir()
    (locked / "c.txt").write_text(ARTICLE, encoding="utf-8")
    real_iterdir = Path.iterdir

    def iterdir(self):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    corpus = framing.load(root)
    assert [d.id for d in corpus] == ["a", "b"]
    assert problems_by_name(corpus) == {"locked": "cannot read folder (Permission denied); skipped"}


def test_an_entry_that_cannot_be_examined_is_one_line(tmp_path, monkeypatch):
    # A file inside a folder without search permission: stat() fails (simulated, as above, because of root).
    root = two_documents(tmp_path / "corpus")
    real_is_dir = Path.is_dir

    def is_dir(self):
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    corpus = framing.load(root)
    assert [d.id for d in corpus] == ["b"]
    assert problems_by_name(corpus) == {"a.txt": "cannot read (Permission denied)"}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_a_chmod_000_folder_is_one_line(tmp_path):
    root = two_documents(tmp_path / "corpus")
    locked = root / "locked"
    locked.mkdir()
    (locked / "c.txt").write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)
    try:
        corpus = framing.load(root)
    finally:
        locked.chmod(0o755)
    assert [d.id for d in corpus] == ["a", "b"]
    assert problems_by_name(corpus) == {"locked": "cannot read folder (Permission denied); skipped"}


def _bad_name(folder: Path, name: bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write(data)


def test_a_file_name_that_is_not_utf8_is_one_printable_line(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _bad_name(tmp_path, b"caf\xe9 \xff.txt", ARTICLE.encode("utf-8"))
    (tmp_path / "z.txt").write_text(ARTICLE, encoding="utf-8")
    corpus = framing.load(tmp_path)
    assert [d.id for d in corpus] == ["a", "z"]
    problem, = corpus.problems
    assert problem.path == f"{tmp_path}/caf\\xe9 \\xff.txt"
    assert problem.message == "file name is not valid UTF-8 (byte 0xe9, 0xff); skipped: rename it to read it"
    str(problem).encode("utf-8")  # printable: no lone surrogates left in the line


def test_hostile_folder_through_the_cli_exits_1_without_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr("framing.pipeline.resolve_extractors", lambda spec, options=None: [])  # loading only
    root = two_documents(tmp_path / "corpus")
    (root / "sub" / "up").symlink_to("..", target_is_directory=True)
    _bad_name(root, b"bad\xff.txt", ARTICLE.encode("utf-8"))
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["score", str(root), "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("framing: ")]
    assert lines[:2] == [(f"framing: {root}/bad\\xff.txt: file name is not valid UTF-8 (byte 0xff); skipped: "
                          f"rename it to read it"),
                         f"framing: {root}/sub/up: directory symlink loop (leads back to {root}); skipped"]
    assert out.read_text(encoding="utf-8").count("\n") == 3  # header and the two documents, once each


# ---------------------------------------------------------------------------
# inputs: a report folder written by framing is never read as input

def test_a_framing_report_folder_is_skipped_with_a_reason(tmp_path):
    root = two_documents(tmp_path / "corpus")
    report = root / "reports"
    report.mkdir()
    (report / "run.json").write_text(json.dumps({"framing_version": "0.1.0", "inputs": {"paths": ["corpus"]}}))
    (report / "evidence.csv").write_text("id,text\n1," + ARTICLE.splitlines()[0].replace(",", "") + "\n")
    (report / "report.md").write_text(ARTICLE)
    corpus = framing.load(root)
    assert [d.id for d in corpus] == ["a", "b"]
    assert problems_by_name(corpus) == {"reports": "a framing report folder (its run.json was written by framing); "
                                                   "its tables are outputs, not documents; skipped"}
    alone = framing.load(report)  # named directly: still refused
    assert list(alone) == [] and len(alone.problems) == 1 and "report folder" in alone.problems[0].message


@pytest.mark.parametrize("content", ['{"version": 1}', "not json at all", "[1, 2]"])
def test_a_run_json_not_written_by_framing_does_not_hide_a_folder(tmp_path, content):
    (tmp_path / "run.json").write_text(content)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    corpus = framing.load(tmp_path)
    assert [d.id for d in corpus] == ["a"]
    assert problems_by_name(corpus) == {"run.json": "unsupported file type '.json' (supported: .txt .md .markdown "
                                                    ".html .htm .jsonl .csv .parquet)"}


# ---------------------------------------------------------------------------
# item 8: the decoding policy

def test_latin1_is_read_as_cp1252_not_cp1250(tmp_path):
    doc, = framing.load(_write(tmp_path / "fr.txt", FRENCH.encode("latin-1")))
    assert doc.body == FRENCH and "ministère" in doc.body and "ministčre" not in doc.body
    assert doc.encoding == "cp1252"
    note, = doc.warnings
    assert note.startswith("not valid UTF-8 (") and "decoded as cp1252 (Western European" in note
    assert "confidence 1.00" in note


def test_cp1252_punctuation_is_kept(tmp_path):
    text = "The minister said it’s “vital” that talks resume — soon… Café owners agreed.\n"
    doc, = framing.load(_write(tmp_path / "en.txt", text.encode("cp1252")))
    assert (doc.body, doc.encoding) == (text, "cp1252")


def test_mostly_utf8_keeps_utf8_and_names_the_replaced_bytes(tmp_path):
    text = FRENCH * 3
    good = text.encode("utf-8")
    cut = good.index(b"Besan")
    raw = good[:cut] + b"\xe7\x92" + good[cut:] + b"\xff\xfe"  # four stray bytes in otherwise valid UTF-8
    doc, = framing.load(_write(tmp_path / "mixed.txt", raw))
    assert doc.encoding == "utf-8"
    assert doc.body.count("\ufffd") == 4
    assert doc.source_text.replace("\ufffd", "") == text  # nothing else changed
    assert "ministère" in doc.body and "Besançon" in doc.body  # the valid UTF-8 around them is intact
    note, = doc.warnings
    assert "decoded as UTF-8 with 4 bytes replaced by U+FFFD" in note
    assert "0xe7 at character" in note and "0x92 at character" in note and "0xff at character" in note
    assert "confidence 0.9" in note


def test_a_few_stray_bytes_in_ascii_text_are_replaced_not_guessed():
    raw = ARTICLE.encode("ascii")
    raw = raw[:40] + b"\x81" + raw[40:80] + b"\x9d" + raw[80:]  # unassigned in cp1252: no Western reading
    text, encoding, (note,) = decode_bytes(raw)
    assert encoding == "utf-8" and text.count("\ufffd") == 2
    assert text.replace("\ufffd", "") == ARTICLE
    assert "2 bytes replaced by U+FFFD (0x81 at character 40, 0x9d at character 81)" in note


@pytest.mark.parametrize("text, codec", [
    ("Vláda České republiky ve středu oznámila, že reforma je nezbytná pro všechny občany a obce.", "cp1250"),
    ("Rząd ogłosił w środę, że reforma jest konieczna dla wszystkich obywateli w całym kraju.", "cp1250"),
    ("Правительство заявило во вторник, что реформа необходима для всех граждан страны.", "cp1251"),
    ("Η κυβέρνηση ανακοίνωσε την Τρίτη ότι η μεταρρύθμιση είναι απαραίτητη για όλους.", "cp1253"),
])
def test_other_single_byte_texts_are_not_forced_into_cp1252(text, codec):
    decoded, encoding, (note,) = decode_bytes(text.encode(codec))
    assert decoded == text and encoding == codec
    assert f"decoded as {codec}" in note and "confidence" in note


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b" \n\t\r\n  ", "only white space, no text"),
    ("\ufeff  \n".encode("utf-8"), "only white space, no text"),
])
def test_empty_and_white_space_only_bytes(data, message):
    with pytest.raises(UnreadableInput) as info:
        decode_bytes(data)
    assert str(info.value) == message


def test_a_white_space_only_file_is_not_called_empty(tmp_path):
    _write(tmp_path / "blank.txt", " \n\t\n")
    _write(tmp_path / "wide.txt", "\u3000\u00a0\n  \u2003\n")  # Unicode spaces only: decodes, then no text
    _write(tmp_path / "empty.txt", "")
    corpus = framing.load(tmp_path)
    assert problems_by_name(corpus) == {"blank.txt": "only white space, no text",
                                        "wide.txt": "only white space, no text", "empty.txt": "empty file"}


def test_library_warnings_during_loading_become_document_warnings(tmp_path, monkeypatch):
    import trafilatura

    real = trafilatura.bare_extraction

    def noisy(*args, **kwargs):
        warnings.warn("something odd in this page", UserWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", noisy)
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in ARTICLE.splitlines()) + "</article></body></html>"
    _write(tmp_path / "page.html", html)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping the loader would raise here
        doc, = framing.load(tmp_path / "page.html")
    assert any(w.startswith("UserWarning from ") and "something odd in this page" in w for w in doc.warnings)


# ---------------------------------------------------------------------------
# item 8: CSV tables and sidecars

def test_an_unclosed_quote_does_not_swallow_the_rest_of_the_csv(tmp_path):
    sentences = ["The ministry said the plan may change soon.", "Critics say the law is too vague.",
                 "Supporters argue it sets a global benchmark.", "Talks resume in Geneva on Monday."]
    rows = [f'1,"{sentences[0]}', f"2,{sentences[1]}", f"3,{sentences[2]}", f'4,"{sentences[3]}"']
    src = _write(tmp_path / "t.csv", "id,text\n" + "\n".join(rows) + "\n")
    corpus = framing.load(src)
    assert [d.id for d in corpus] == ["2", "3", "4"]
    assert [d.body.strip() for d in corpus] == sentences[1:]
    problem, = corpus.problems
    assert problem.path == f"{src}:2"
    assert problem.message.startswith("malformed CSV row: unclosed or stray quote")
    assert problem.message.endswith("line 2 skipped, reading resumes on line 3")


def test_an_unclosed_quote_on_the_last_row_is_reported(tmp_path):
    src = _write(tmp_path / "t.csv", f'id,text\n1,"{ARTICLE.splitlines()[0]}"\n2,"never closed\n')
    corpus = framing.load(src)
    assert [d.id for d in corpus] == ["1"]
    assert [str(p) for p in corpus.problems] == [
        f"{src}:3: malformed CSV row: unclosed quote (the field runs to the end of the file); line 3 skipped"]


def test_a_short_csv_row_gets_a_precise_message(tmp_path):
    line = ARTICLE.splitlines()[0].replace(",", "")
    src = _write(tmp_path / "t.csv", f"id,text,title\n1\n2,{line}\n3,{line},A title,extra\n")
    corpus = framing.load(src)
    assert [d.id for d in corpus] == ["2"]
    assert corpus[0].warnings == ["row has 2 of the header's 3 fields; title left empty"]
    assert [str(p) for p in corpus.problems] == [
        f"{src}:2: row has 1 field, the header 3: no value for 'text'; row skipped",
        f"{src}:4: row has 4 fields, the header 3; row skipped",
    ]
    assert not any("is not a string" in str(p) for p in corpus.problems)


def test_a_row_short_of_thousands_of_columns_names_ten_and_counts_the_rest(tmp_path):
    header = "text," + ",".join(f"c{i}" for i in range(5000))
    src = _write(tmp_path / "wide.csv", f"{header}\n{ARTICLE.splitlines()[0].replace(',', '')}\n")
    corpus = framing.load(src)
    assert corpus[0].warnings == [("row has 1 of the header's 5001 fields; "
                                   "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … and 4,990 more left empty")]


def test_a_csv_separated_by_semicolons_is_named_as_such(tmp_path):
    semi = _write(tmp_path / "semi.csv", "id;text\n1;The ministry said so.\n")
    piped = _write(tmp_path / "piped.csv", "id|text\n1|The ministry said so.\n")
    other = _write(tmp_path / "other.csv", "id,body\n1,The ministry said so.\n")
    found = problems_by_name(framing.load([semi, piped, other]))
    assert found == {
        "semi.csv": "no 'text' column (columns: id;text); the header looks separated by semicolons: "
                    "framing reads comma-separated CSV",
        "piped.csv": "no 'text' column (columns: id|text); the header looks separated by vertical bars: "
                     "framing reads comma-separated CSV",
        "other.csv": "no 'text' column (columns: id, body); use --text-col",
    }


def test_a_ragged_or_unclosed_metadata_csv_is_reported(tmp_path):
    for name in ("a", "b", "c", "d"):
        _write(tmp_path / f"{name}.txt", ARTICLE)
    side = _write(tmp_path / "metadata.csv", 'file,role,outlet\na.txt,official,Ministry\nb.txt,news,Daily,extra\n'
                                             'c.txt,commentary\nd.txt,"news,Wire\n')
    corpus = framing.load(tmp_path)
    assert [(d.id, d.role, d.outlet) for d in corpus] == [("a", "official", "Ministry"), ("b", None, None),
                                                         ("c", None, None), ("d", None, None)]
    assert [str(p) for p in corpus.problems] == [
        f"{side}:3: ragged metadata row: 4 fields, the header 3; row not used",
        f"{side}:4: ragged metadata row: 2 fields, the header 3; row not used",
        f"{side}:5: malformed CSV row: unclosed quote (the field runs to the end of the file); line 5 skipped",
    ]
    with pytest.raises(ValueError, match="line 3: ragged metadata row"):
        read_metadata(side)  # without a list to report into, a ragged sidecar is an error, never accepted


def test_a_document_named_twice_in_a_sidecar_is_said_once_with_the_row_used(tmp_path):
    _write(tmp_path / "a.txt", ARTICLE)
    side = _write(tmp_path / "metadata.csv", "file,role\na.txt,official\na.txt,news\n")
    corpus = framing.load(tmp_path)
    assert corpus[0].role == "news"
    assert [str(p) for p in corpus.problems] == [f"{side}: 2 rows name 'a.txt'; the last one is used"]


def test_metadata_rows_that_name_no_document_read_are_reported_once_per_sidecar(tmp_path):
    """A typo in a sidecar's file name must not drop that document's declared role silently."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        _write(folder / f"{name}.txt", ARTICLE)
    _write(folder / "rows.csv", f"id,text\nr1,{ARTICLE.splitlines()[0].replace(',', '')}\n")
    side = _write(folder / "metadata.csv", "file,role\na.txt,official\nbb.txt,news\nr1,commentary\n"
                                           "c.txt,news\n")
    corpus = framing.load(folder)
    assert [(d.id, d.role) for d in corpus] == [("a", "official"), ("b", None), ("r1", "commentary")]
    assert [str(p) for p in corpus.problems] == [
        f"{side}: 2 rows name no document that was read (bb.txt, c.txt); not used: check the file names or ids"]
    # a file named on its own does not use the rest of its folder's sidecar, and is not expected to
    assert framing.load(folder / "a.txt").problems == []
    # a metadata= file: every row is expected to name a document read (keyed by file name or by id)
    given = _write(tmp_path / "meta.csv", "id,role\na,official\nr1,news\nzz,news\n")
    corpus = framing.load([folder / "a.txt", folder / "rows.csv"], metadata=given)
    assert [(d.id, d.role) for d in corpus] == [("a", "official"), ("r1", "news")]
    assert [str(p) for p in corpus.problems] == [
        f"{given}: 1 row names no document that was read (zz); not used: check the file names or ids"]


def test_the_command_line_names_the_unused_metadata_row_and_still_scores_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "statement.txt", ARTICLE)
    _write(folder / "metadata.csv", "file,role\nstatment.txt,official\n")
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(main, ["score", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert "metadata.csv: 1 row names no document that was read (statment.txt)" in result.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 2  # the header and the one document


def test_a_lone_surrogate_escape_in_a_json_line_is_replaced_with_a_warning_not_a_failed_run(tmp_path):
    """"\\ud800" is valid JSON but not text: no CSV, Parquet or Arrow string can hold it. It stopped the whole run."""
    src = _write(tmp_path / "t.jsonl", '{"id": "a\\udc80", "text": "The minister said \\ud800 we should act now.", '
                                       '"outlet": "Wire \\ud801"}\n'
                                       '{"id": "b", "text": "Critics argue the plan may fail, analysts said."}\n')
    corpus = framing.load(src)
    assert [d.id for d in corpus] == ["a\ufffd", "b"] and corpus.problems == []
    a = corpus[0]
    assert a.body == "The minister said \ufffd we should act now." and a.outlet == "Wire \ufffd"
    assert a.warnings == [("lone surrogate code points (halves of UTF-16 pairs, not text) replaced with U+FFFD in id, "
                           "body, title, outlet")]
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(main, ["score", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "replaced with U+FFFD" in result.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 3
    # the library's own strings too
    scores = framing.score(["The minister said \ud800 we should act.", "Critics said it may fail."])
    assert scores["title"].iloc[0] == "The minister said \ufffd we should act." and len(scores) == 2


def test_a_toml_sidecar_may_name_one_table_per_document_and_says_what_it_cannot_use(tmp_path):
    """A table per document ('["a.txt"]', then its fields) was ignored without a word: roles lost, the grouping
    fell back to the source-type model."""
    for name in ("a", "b", "c"):
        _write(tmp_path / f"{name}.txt", ARTICLE)
    side = _write(tmp_path / "metadata.toml", 'source = "wire"\n\n["a.txt"]\nrole = "official"\noutlet = "Ministry"\n\n'
                                              '[b]\nrole = "news"\ntitle = ["one", "two"]\n\n'
                                              '[[document]]\nrole = "commentary"\n\n'
                                              '[[document]]\nfile = "c.txt"\nrole = "commentary"\n')
    corpus = framing.load(tmp_path)
    assert [(d.id, d.role, d.outlet) for d in corpus] == [("a", "official", "Ministry"), ("b", "news", None),
                                                         ("c", "commentary", None)]
    assert corpus[1].title != "['one', 'two']"
    assert sorted(p.message for p in corpus.problems) == [
        "'title' of 'b' is not a single value; not used",
        "[[document]] entry 1 has no 'file' or 'id'; not used",
        "top-level setting 'source' is not a table of one document's metadata; not used",
    ]
    assert {p.path for p in corpus.problems} == {str(side)}


def test_a_csv_header_naming_a_column_twice_is_said_and_the_first_is_read(tmp_path):
    """'id,text,text,role,role' scored the second text and took the second role, without a word."""
    src = _write(tmp_path / "dup.csv", 'id,text,text,role,role\nc0,"We said it would rain today.","other text",'
                                       'official,news\n')
    corpus = framing.load(src)
    assert [(d.id, d.body, d.role) for d in corpus] == [("c0", "We said it would rain today.", "official")]
    assert [str(p) for p in corpus.problems] == [
        f"{src}: the header names 'role', 'text' more than once; the first column of each name is read"]


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_the_run_record_says_which_codec_was_chosen_and_why(tmp_path):
    """A guessed encoding is in the document's warnings and in run.json, beside the input's hash."""
    import json

    from framing.reporting import build_report

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "latin.txt").write_bytes("Le ministère des affaires étrangères a publié une déclaration sur la "
                                       "coopération internationale et la gouvernance.".encode("latin-1"))
    (inputs / "plain.txt").write_text("The ministry said the talks would resume next week in Geneva.",
                                      encoding="utf-8")
    out = tmp_path / "out"
    build_report([str(inputs)], out)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    by_path = {Path(d["path"]).name: d for d in record["inputs"]["documents"]}
    assert by_path["latin.txt"]["encoding"] == "cp1252"
    assert any("cp1252" in w for w in by_path["latin.txt"]["warnings"])
    assert by_path["plain.txt"]["encoding"] == "utf-8" and "warnings" not in by_path["plain.txt"]

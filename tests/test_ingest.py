"""Loaders: every input format, metadata sidecars, encodings, language, and the problems they report."""
from __future__ import annotations

import io
import json
import math
import sys

import pytest

import framing
from framing.document import Document
from framing.extractors.base import Extractor, Result
from framing.ingest import (
    UnreadableInput,
    decode_bytes,
    detect_language,
    finish_document,
    make_document,
    markdown_to_text,
)

ARTICLE = ("Governments are racing to write rules for artificial intelligence, and the stakes could hardly be "
           "higher for citizens in every region of the world.\n"
           "The European Union passed its AI Act last year. Critics say the law is too vague, while supporters argue "
           "it sets a global benchmark for safety and accountability.\n")


def write(path, data):
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------
# seeds and metadata

def test_seeds_load_with_their_metadata(seed_docs):
    assert sorted(seed_docs) == ["000", "001", "002", "003"]
    roles = {k: d.role for k, d in seed_docs.items()}
    assert roles == {"000": "commentary", "001": "commentary", "002": "official", "003": "commentary"}
    assert seed_docs["001"].outlet == "China Daily Brief"
    assert seed_docs["003"].outlet == "Cryptopolitan" and seed_docs["003"].author == "Emmanuel Omwanda"
    assert seed_docs["003"].title.startswith("Charting a Course for AI Harmony")
    assert seed_docs["000"].date == "2025-02-15" and seed_docs["002"].date is None
    for doc in seed_docs.values():
        assert doc.language == "en" and doc.encoding == "utf-8" and doc.warnings == []
        assert doc.meta["format"] == "text" and doc.meta["genre"]
        assert doc.path.endswith(doc.id + ".txt")


def test_a_file_named_directly_uses_its_folders_sidecar(seeds_dir):
    doc, = framing.load(seeds_dir / "002_1255f110069410cc.txt")
    assert doc.role == "official" and doc.outlet == "Chinese Embassy"


def test_metadata_argument_wins_over_the_folder_sidecar(tmp_path, seeds_dir):
    side = write(tmp_path / "mine.toml", '[[document]]\nfile = "002_1255f110069410cc.txt"\nrole = "news"\n'
                                         'outlet = "My Outlet"\nregion = "Europe"\n')
    doc, = framing.load(seeds_dir / "002_1255f110069410cc.txt", metadata=side)
    assert (doc.role, doc.outlet, doc.meta["region"]) == ("news", "My Outlet", "Europe")
    assert doc.title.startswith("Embassy Spokesperson")  # the rest still comes from the folder's sidecar


def test_toml_sidecar_in_a_folder_and_unknown_role(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "metadata.toml", '[[document]]\nfile = "a.txt"\nid = "doc-a"\ntitle = "AI rules"\n'
                                      'role = "propaganda"\ndate = "2024-03-05"\n')
    doc, = framing.load(tmp_path)
    assert (doc.id, doc.title, doc.date, doc.role) == ("doc-a", "AI rules", "2024-03-05", None)
    assert doc.meta["role_declared_raw"] == "propaganda"
    assert any("propaganda" in w for w in doc.warnings)


def test_malformed_sidecar_is_a_problem(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "metadata.toml", "[[document]\nfile = ")
    corpus = framing.load(tmp_path)
    assert len(corpus) == 1
    problem, = corpus.problems
    assert problem.path.endswith("metadata.toml") and "malformed TOML" in problem.message


# ---------------------------------------------------------------------------
# formats

def test_plain_text_keeps_source_and_title(tmp_path):
    doc, = framing.load(write(tmp_path / "note.txt", "AI Rules Explained\n\n" + ARTICLE))
    assert doc.id == "note" and doc.title == "AI Rules Explained"
    assert doc.body == doc.source_text == "AI Rules Explained\n\n" + ARTICLE


def test_markdown_is_stripped_to_text(tmp_path):
    md = ("---\ntitle: \"AI diplomacy, explained\"\nauthor: Jane Roe\ndate: 2024-05-01\n---\n"
          "# AI diplomacy, explained\n\n"
          "![Delegates at the UN General Assembly](https://example.org/un.jpg)\n\n"
          "The **UN General Assembly** adopted a [resolution](https://un.org/res) on *AI capacity building* in "
          "July. It was proposed by `China` and backed by 140 countries.\n\n"
          "> Officials called it \"a milestone\" for the_global_south.\n\n"
          "## What comes next\n\n- Countries will report on progress.\n\n[ref]: https://example.org\n")
    doc, = framing.load(write(tmp_path / "post.md", md))
    assert (doc.title, doc.author, doc.date, doc.meta["format"]) == ("AI diplomacy, explained", "Jane Roe",
                                                                     "2024-05-01", "markdown")
    assert "The UN General Assembly adopted a resolution on AI capacity building in July." in doc.body
    assert "proposed by China and" in doc.body and "the_global_south" in doc.body
    assert "What comes next\n\n- Countries will report on progress." in doc.body
    for markup in ("#", "**", "](", "`", "> ", "[ref]", "---", "example.org"):
        assert markup not in doc.body, markup
    caption, = doc.boilerplate
    assert (caption.category, caption.text) == ("caption", "Delegates at the UN General Assembly")
    assert doc.source_text[caption.start:caption.end] == caption.text
    assert "Delegates" not in doc.body


def test_markdown_to_text_keeps_line_structure():
    text, front, spans = markdown_to_text("Title\n=====\n\nSome _emphasis_ and __strong__ text.\n\n***\n")
    assert text.split("\n")[:4] == ["Title", "", "", "Some emphasis and strong text."]
    assert front == {} and spans == []


OPINION_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Why AI rules need the Global South | The Daily Test</title>
<meta property="og:site_name" content="The Daily Test">
<meta property="article:section" content="Opinion">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},
{"@type":"OpinionNewsArticle","headline":"Why AI rules need the Global South","author":{"@type":"Person",
"name":"Jane Roe"}}]}</script></head><body>
<nav><a href="/">Home</a> &gt; <a href="/opinion">Opinion</a></nav>
<article><h1>Why AI rules need the Global South</h1>
<p>Governments are racing to write rules for artificial intelligence, and the stakes could hardly be higher for
citizens in every region of the world.</p>
<p>The European Union passed its AI Act last year. Critics say the law is too vague, while supporters argue it sets
a global benchmark for safety and accountability.</p>
<p>Whatever the outcome, the debate shows that technology policy is now foreign policy, and smaller countries
rightly want a seat at the table.</p>
<p>Share this article</p></article>
<section id="comments" class="comments"><h3>3 Comments</h3>
<div class="comment"><p>Great article, totally agree with every word of this brilliant piece, thank you!</p></div>
</section><footer><p>Copyright 2024 The Daily Test. All rights reserved.</p></footer></body></html>"""


def test_html_main_text_metadata_and_genre(tmp_path):
    doc, = framing.load(write(tmp_path / "op.html", OPINION_HTML))
    assert doc.title == "Why AI rules need the Global South"
    assert (doc.author, doc.date, doc.outlet) == ("Jane Roe", "2024-03-05", "The Daily Test")
    assert doc.meta["schema_type"].split("; ")[0] == "OpinionNewsArticle"
    assert doc.meta["section"] == "Opinion" and doc.meta["format"] == "html"
    assert "smaller countries rightly want a seat at the table." in doc.body
    assert "Great article" not in doc.source_text  # reader comments are excluded
    assert "Copyright" not in doc.body and "Home" not in doc.body
    assert [(b.category, b.text) for b in doc.boilerplate] == [("social", "Share this article")]


def test_html_reportage_type_and_sponsored_section(tmp_path):
    html = OPINION_HTML.replace('"@graph":[{"@type":"WebPage","name":"x"},', '"@graph":[').replace(
        "OpinionNewsArticle", "ReportageNewsArticle").replace('content="Opinion"', 'content="Sponsored"')
    doc, = framing.load(write(tmp_path / "ad.htm", html))
    assert doc.meta["schema_type"] == "ReportageNewsArticle" and doc.meta["section"] == "Sponsored"


def test_sidecar_wins_over_html_metadata(tmp_path):
    write(tmp_path / "op.html", OPINION_HTML)
    write(tmp_path / "metadata.csv", "file,outlet,role\nop.html,Daily Test (print),commentary\n")
    doc, = framing.load(tmp_path)
    assert (doc.outlet, doc.role, doc.author) == ("Daily Test (print)", "commentary", "Jane Roe")


def test_html_without_main_text_is_a_problem(tmp_path):
    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "empty.html", '<html><body><nav><a href="/">Home</a></nav><script>var x = 1;</script>'
                                   '</body></html>')
    corpus = framing.load(tmp_path)
    assert [d.id for d in corpus] == ["good"]
    problem, = corpus.problems
    assert problem.path.endswith("empty.html") and "no text after extraction" in problem.message


def test_jsonl_rows_with_configurable_columns(tmp_path):
    rows = [{"doc": "r1", "headline": "AI rules", "content": ARTICLE, "outlet": "Wire", "role": "news"},
            {"doc": "r2", "content": "Die Regierung hat am Dienstag neue Regeln für künstliche Intelligenz "
                                     "vorgestellt, die im nächsten Jahr in Kraft treten sollen."}]
    lines = [json.dumps(r) for r in rows]
    lines.insert(1, '{"doc": "broken", "content": ')
    lines.insert(2, "[1, 2, 3]")
    path = write(tmp_path / "rows.jsonl", "\n".join(lines) + "\n")
    corpus = framing.load(path, text_col="content", id_col="doc", title_col="headline")
    assert [d.id for d in corpus] == ["r1", "r2"]
    r1, r2 = corpus
    assert (r1.title, r1.outlet, r1.role, r1.path) == ("AI rules", "Wire", "news", f"{path}:1")
    assert "headline" not in r1.meta and "doc" not in r1.meta
    assert r2.language == "de"
    assert [(p.path, p.message.split(" (")[0]) for p in corpus.problems] == [
        (f"{path}:2", "malformed JSON line"), (f"{path}:3", "line is a JSON list, not an object")]


def test_csv_rows_and_sidecar_by_id(tmp_path):
    write(tmp_path / "table.csv", 'id,text,title\nc1,"' + ARTICLE.replace('"', '""') + '",AI rules\nc2,,Empty\n')
    write(tmp_path / "metadata.csv", "id,role,outlet\nc1,commentary,Blog\n")
    corpus = framing.load(tmp_path)
    doc, = corpus
    assert (doc.id, doc.title, doc.role, doc.outlet) == ("c1", "AI rules", "commentary", "Blog")
    problem, = corpus.problems
    assert problem.path.endswith("table.csv:5") and "empty text" in problem.message


def test_csv_without_the_text_column(tmp_path):
    path = write(tmp_path / "t.csv", "id,body\n1,Some text here.\n")
    corpus = framing.load(path)
    assert list(corpus) == []
    assert "no 'text' column (columns: id, body); use --text-col" in corpus.problems[0].message
    assert len(framing.load(path, text_col="body")) == 1


def test_stdin_text_and_html(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    doc, = framing.load("-")
    assert (doc.id, doc.path, doc.body) == ("stdin", "-", ARTICLE)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(OPINION_HTML.encode("utf-8"))))
    doc, = framing.load("-")
    assert doc.meta["format"] == "html" and doc.author == "Jane Roe"


def test_duplicate_ids_are_renamed_with_a_warning(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    corpus = framing.load([tmp_path / "a.txt", tmp_path / "a.txt"])
    assert [d.id for d in corpus] == ["a", "a#2"]
    assert "duplicate id" in corpus[1].warnings[0]


def test_a_renamed_id_never_takes_an_id_already_given(tmp_path):
    rows = [{"id": i, "text": ARTICLE} for i in ("a", "a#2", "a", "a#2")]
    write(tmp_path / "t.jsonl", "\n".join(json.dumps(r) for r in rows))
    ids = [d.id for d in framing.load(tmp_path / "t.jsonl")]
    assert ids[:2] == ["a", "a#2"] and len(set(ids)) == 4
    assert ids[2] == "a#3"


def test_id_counts_match_a_dict_on_many_ids():
    import random

    from framing.ids import IdCounts

    counts, expected, rnd = IdCounts(capacity=4), {}, random.Random(3)
    for _ in range(20_000):
        key = rnd.choice(["", "é", "\ud800", "#2"]) + str(rnd.randrange(5_000))
        expected[key] = expected.get(key, 0) + 1
        assert counts.add(key) == expected[key]
    assert len(counts) == len(expected) and "x" not in counts and all(k in counts for k in expected)
    assert counts.nbytes() < 60 * len(expected)  # a dict of str would take about 140 bytes an id


# ---------------------------------------------------------------------------
# encodings and unreadable files

def test_bom_utf8_and_utf16_decode_without_warning(tmp_path):
    a, = framing.load(write(tmp_path / "a.txt", "\ufeff".encode("utf-8") + ARTICLE.encode("utf-8")))
    b, = framing.load(write(tmp_path / "b.txt", ARTICLE.encode("utf-16")))
    assert (a.encoding, b.encoding) == ("utf-8-sig", "utf-16")
    assert a.body == b.body == ARTICLE and a.warnings == b.warnings == []


def test_legacy_encoding_is_detected_and_flagged(tmp_path):
    text = ("Le gouvernement a déclaré mardi que la réforme était nécessaire. Les syndicats ont protesté contre "
            "cette décision très controversée, qualifiée de « trahison » par leurs dirigeants.\n")
    doc, = framing.load(write(tmp_path / "fr.txt", text.encode("cp1252")))
    assert doc.body == text
    assert doc.encoding.lower() in ("cp1252", "windows-1252", "latin_1", "iso8859_15", "cp1250")
    assert "not valid UTF-8" in doc.warnings[0] and doc.encoding in doc.warnings[0]


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"  \n\t\n", "only white space"),  # issue 15: not "empty file"
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document)"),
    (b"GIF89a" + bytes(40), "binary file (a GIF image)"),
    (b"plain start\x00\x01\x02 then zeros" * 20, "binary file (contains NUL bytes)"),
    (bytes(range(1, 9)) * 40, "binary file (too many control characters)"),
    (bytes(0x80 + i % 60 for i in range(300)), "undecodable"),
])
def test_unreadable_bytes(data, message):
    with pytest.raises(UnreadableInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode_bytes(data)


def test_every_bad_file_is_one_problem_and_the_rest_loads(tmp_path):
    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))
    write(tmp_path / "slides.pptx", b"PK\x03\x04")
    corpus = framing.load([tmp_path, tmp_path / "missing.txt"])
    assert [d.id for d in corpus] == ["good"]
    got = {p.path.rsplit("/", 1)[-1]: p.message for p in corpus.problems}
    assert got == {"empty.txt": "empty file", "image.txt": "binary file (a PNG image), not text",
                   "slides.pptx": "unsupported file type '.pptx' (supported: .txt .md .markdown .html .htm .jsonl "
                                  ".csv .parquet)", "missing.txt": "no such file or folder"}


# ---------------------------------------------------------------------------
# language and finishing

class _WordCount(Extractor):
    """A throw-away English-only extractor (not registered)."""

    name = "wordcount_test"
    columns = ("wordcount_test_n",)

    def extract(self, doc: Document) -> Result:
        return Result({"wordcount_test_n": float(doc.segmentation.n_words)})


def test_non_english_document_is_kept_flagged_and_scored_nan(tmp_path):
    text = ("El gobierno anunció el martes nuevas normas para la inteligencia artificial, que entrarán en vigor el "
            "próximo año tras un largo debate en el parlamento.\n")
    doc, = framing.load(write(tmp_path / "es.txt", text))
    assert doc.language == "es" and not doc.is_english and doc.language_confidence > 0.9
    assert doc.na_reason == "non-English text (detected 'es')"
    result = _WordCount().score(doc)
    assert math.isnan(result.features["wordcount_test_n"]) and result.na_reason == doc.na_reason
    english, = framing.load(write(tmp_path / "en.txt", ARTICLE))
    assert _WordCount().score(english).features["wordcount_test_n"] > 30


def test_finish_document_is_idempotent_and_rederives_the_title(seeds_dir):
    text = (seeds_dir / "003_c0615c37b8205970.txt").read_text(encoding="utf-8")
    doc = finish_document(make_document("d", "Most read\n\n" + text))
    once = (doc.body, doc.title, list(doc.boilerplate))
    assert doc.title.startswith("Charting a Course")  # "Most read" is furniture, not the title
    finish_document(doc)
    assert (doc.body, doc.title, list(doc.boilerplate)) == once


def test_boilerplate_separation_can_be_turned_off(seeds_dir):
    doc, = framing.load(seeds_dir / "003_c0615c37b8205970.txt", boilerplate=False)
    assert doc.boilerplate == [] and "Disclaimer." in doc.body


def test_html_declared_charset_is_used_when_not_utf8(tmp_path):
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body>'
            "<article><p>Le gouvernement a déclaré mardi que la réforme était nécessaire, malgré les protestations "
            "des syndicats très mécontents de cette décision.</p><p>Les négociations reprendront la semaine "
            "prochaine, a précisé le ministère dans un communiqué publié à Paris.</p></article></body></html>")
    doc, = framing.load(write(tmp_path / "fr.html", html.encode("cp1252")))
    assert doc.encoding == "windows-1252" and "the page declares" in doc.warnings[0]
    assert "réforme était nécessaire" in doc.body and doc.language == "fr"


def test_tables_without_rows_are_problems(tmp_path):
    corpus = framing.load([write(tmp_path / "h.csv", "id,text\n"), write(tmp_path / "e.jsonl", "\n\n")])
    assert list(corpus) == []
    assert [p.message for p in corpus.problems] == ["no rows (only a header)", "only white space, no text"]


def test_utf16_without_bom_is_decoded_with_a_warning():
    text, encoding, warnings = decode_bytes(ARTICLE.encode("utf-16-le"))
    assert (text, encoding) == (ARTICLE, "utf-16") and "no byte order mark" in warnings[0]
    assert decode_bytes(ARTICLE.encode("utf-16-be"))[0] == ARTICLE


def test_genre_label_in_plain_text_becomes_the_section(tmp_path):
    doc, = framing.load(write(tmp_path / "op.txt", "Opinion\n\n" + ARTICLE))
    assert doc.meta["section"] == "Opinion" and not doc.body.startswith("Opinion")
    plain, = framing.load(write(tmp_path / "plain.txt", "Key Takeaways\n\n" + ARTICLE))
    assert "section" not in plain.meta


@pytest.mark.parametrize("text, expected", [
    ("Nuclear factor kappa B activates proenkephalin transcription", "und"),   # py3langid alone: Latin
    ("Cytomegalovirus modulates interleukin-6 gene expression.", "und"),
    ("The minister said the talks would resume on Monday in Geneva.", "en"),
    ("El gobierno anunció el martes nuevas normas para la inteligencia artificial.", "es"),
    ("中国外交部发言人表示，人工智能治理需要国际合作。", "zh"),
    ("Hi there", "und"),
])
def test_language_of_short_texts(text, expected):
    assert detect_language(text)[0] == expected


def test_sub_folders_are_read_with_their_own_sidecars(tmp_path):
    from framing.ingest import load

    (tmp_path / "a.txt").write_text("The ministry said the plan may change soon.", encoding="utf-8")
    sub = tmp_path / "opinion"
    sub.mkdir()
    (sub / "b.txt").write_text("This bold plan is clearly the best idea in years.", encoding="utf-8")
    (sub / "metadata.csv").write_text("file,role,outlet\nb.txt,commentary,Daily Paper\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("not a document", encoding="utf-8")
    corpus = load(tmp_path)
    assert [d.id for d in corpus] == ["a", "b"]
    assert corpus[1].role == "commentary" and corpus[1].outlet == "Daily Paper"
    assert not corpus.problems

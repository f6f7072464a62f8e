"""framing report: the files, their determinism, escaping, the CLI, and the checked-in seeds report."""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from framing.cli import main
from framing.ingest import make_document
from framing.reporting import TABLE_FILES, build_report

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"

#: Hostile text: if any of it ran in a browser it would change the title or add an element.
SCRIPT = '<script>document.title="PWNED";document.body.insertAdjacentHTML("beforeend","<p id=pwned>x</p>")</script>'
ONERROR = '<img src=x onerror="document.title=\'PWNED\'">'
HOSTILE_BODIES = [
    (f"We must protect the economy {SCRIPT} and we should clearly act now. China must lead on security. "
    f"The groundbreaking plan may perhaps help trade. {ONERROR} Officials said the policy is a win-win."),
    ("The government must ensure safety and we should strengthen cooperation. Clearly, the economy matters. "
    "We need to uphold multilateralism and the rule of law."),
    (f"Critics argue the plan may backfire {ONERROR}. Perhaps Beijing seeks influence; some say it is a "
    f"containment strategy. It is a truly groundbreaking, world-class idea! {SCRIPT}"),
    ("Analysts suggest the initiative might reshape alliances. Washington reportedly sees a threat to security "
    "and to the economy. It could be the best plan of all time, experts say."),
]


def hostile_corpus():
    """Four documents (2 official, 2 commentary) whose text and metadata carry script and event handlers."""
    roles = ["official", "official", "commentary", "commentary"]
    return [make_document(f"h{i}", body, {"title": f"{SCRIPT} Title {i}", "outlet": f"{ONERROR} Outlet {i}",
                                          "role": roles[i]}, path=f"<hostile {i}>")
            for i, body in enumerate(HOSTILE_BODIES)]


def _in_repo(func, *args, **kwargs):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return func(*args, **kwargs)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory) -> Path:
    """The seeds report, built exactly as ``framing report`` builds it (from the repository root)."""
    out = tmp_path_factory.mktemp("seeds-report")
    _in_repo(build_report, None, out)
    return out


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile-report")
    build_report(hostile_corpus(), out, n_boot=200, n_perm=200)
    return out


# ---------------------------------------------------------------------------
# files

def test_writes_every_file_and_a_small_self_contained_page(seeds_report):
    names = {p.name for p in seeds_report.iterdir()}
    assert {"report.html", "report.md", "run.json", "documents.csv", "comparison.csv", "evidence.csv"} <= names
    html = (seeds_report / "report.html").read_text(encoding="utf-8")
    assert len(html.encode()) < 1_000_000
    assert "<script" not in html.lower()
    assert not re.search(r'\b(?:src|href)\s*=\s*"(?:https?:)?//', html), "external resource in the page"
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert html.count("<svg") >= 1
    for anchor in ("overview", "form", "echoes", "claims", "features", "documents", "methods"):
        assert f'id="{anchor}"' in html
    assert {"echo.csv", "aligned.csv", "furniture.csv"} <= names


def test_seeds_overview_says_plainly_that_no_test_is_possible(seeds_report):
    html = (seeds_report / "report.html").read_text(encoding="utf-8")
    md = (seeds_report / "report.md").read_text(encoding="utf-8")
    assert "No statistical test is possible" in html and "No statistical test is possible" in md
    assert "in the official text" in html and "each of the 3 commentary texts" in html
    assert "Cliff" not in html.split('id="form"')[0]  # no effect size for a group of one document
    comparison = pd.read_csv(seeds_report / "comparison.csv")
    official = comparison[comparison["group"] == "official"]
    assert official["p"].isna().all() and (official["n_docs"] <= 1).all()


def test_comparison_csv_has_the_statistics_columns(seeds_report):
    comparison = pd.read_csv(seeds_report / "comparison.csv")
    for col in ("feature", "group", "mean", "median", "ci_low", "ci_high", "cliffs_delta", "hedges_g", "p", "q"):
        assert col in comparison.columns
    documents = pd.read_csv(seeds_report / "documents.csv")
    assert len(documents) == 4 and set(documents["group"]) == {"official", "commentary"}
    features = pd.read_csv(seeds_report / "features.csv")
    assert set(features["feature"]) <= set(documents.columns)
    assert set(comparison["feature"]) == set(features["feature"])


def test_run_record_has_hashes_versions_and_the_only_timestamp(seeds_report):
    run = json.loads((seeds_report / "run.json").read_text(encoding="utf-8"))
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", run["generated_at"])
    docs = run["inputs"]["documents"]
    assert len(docs) == 4
    for d in docs:
        assert d["sha256"] == hashlib.sha256((ROOT / d["path"]).read_bytes()).hexdigest()
    assert run["inputs"]["metadata_files"][0]["path"].endswith("metadata.csv")
    lexicons = [r for e in run["extractors"] for r in e["resources"] if "licence" in r and "sha256" in r]
    assert lexicons and all(len(r["sha256"]) == 64 for r in lexicons)
    for name, digest in run["files"].items():
        assert hashlib.sha256((seeds_report / name).read_bytes()).hexdigest() == digest
    for name in TABLE_FILES.values():
        path = seeds_report / name
        if path.exists():
            assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", path.read_text(encoding="utf-8")) is None, name


def test_methods_name_every_lexicon_with_hash_prefix(seeds_report):
    html = (seeds_report / "report.html").read_text(encoding="utf-8")
    assert "readability: methods note" in html and "textstat" in html  # textstat's departures, from its module
    assert "terms.recurring_formulae" in html  # lexicons of the corpus-level framing, not only the extractors'
    for name in ("frames", "formulae", "actors"):
        assert f"<td>{name}</td>" in html
    run = json.loads((seeds_report / "run.json").read_text(encoding="utf-8"))
    for ex in run["extractors"]:
        assert f"<td>{ex['name']}</td>" in html
        for res in ex["resources"]:
            if "sha256" in res:
                assert res["sha256"][:12] in html


def _without_timestamp(path: Path) -> bytes:
    if path.name != "run.json":
        return path.read_bytes()
    run = json.loads(path.read_text(encoding="utf-8"))
    run.pop("generated_at")
    run.pop("environment")  # interpreter/package versions: provenance, not content (the other files catch changes)
    return json.dumps(run, sort_keys=True).encode()


def _assert_same_reports(expected: Path, actual: Path, hint: str) -> None:
    """Every file the report writes is in both folders, byte for byte (run.json without its timestamp).

    Files in ``expected`` that the report does not write (a CSV from ``framing score``) are not compared,
    but a file its run.json lists must still be written.
    """
    written = sorted(p.name for p in actual.iterdir() if p.is_file())
    listed = json.loads((expected / "run.json").read_text(encoding="utf-8"))["files"] \
        if (expected / "run.json").exists() else {}
    missing = sorted(set(written) - {p.name for p in expected.iterdir()} | set(listed) - set(written))
    assert not missing, f"files missing on one side: {missing}. {hint}"
    stale = [n for n in written if _without_timestamp(expected / n) != _without_timestamp(actual / n)]
    assert not stale, f"differs: {stale}. {hint}"


def test_same_input_gives_byte_identical_files(seeds_report, tmp_path):
    _in_repo(build_report, None, tmp_path)
    _assert_same_reports(seeds_report, tmp_path, "the report is not deterministic")


def test_checked_in_seeds_report_is_up_to_date(seeds_report):
    assert REPORTS.is_dir(), "reports/ is missing: run `framing report` at the repository root and commit reports/"
    _assert_same_reports(REPORTS, seeds_report,
                         "reports/ is stale: run `framing report` at the repository root and commit reports/")


# ---------------------------------------------------------------------------
# escaping

def test_document_text_and_metadata_are_escaped_everywhere(hostile_report):
    html = (hostile_report / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert re.search(r"<[^>]*\bonerror\s*=", html, re.IGNORECASE) is None
    assert "&lt;script&gt;document.title=&quot;PWNED&quot;" in html  # shown as text, in titles and sentences
    assert "&lt;img src=x onerror=" in html
    md = (hostile_report / "report.md").read_text(encoding="utf-8")
    assert "<script" not in md.lower() and "<img" not in md.lower()
    assert "&lt;script&gt;" in md


def test_hostile_corpus_is_tested_two_against_two(hostile_report):
    comparison = pd.read_csv(hostile_report / "comparison.csv")
    assert (comparison["n_docs"] <= 2).all()
    html = (hostile_report / "report.html").read_text(encoding="utf-8")
    assert "No statistical test is possible" not in html
    assert "the smallest p-value a permutation test can give is 0.333" in html  # 2 vs 2: 2 / C(4, 2)


# ---------------------------------------------------------------------------
# the command

def test_cli_reports_problems_and_still_writes(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    result = _in_repo(runner.invoke, main, ["report", "seeds", "seeds/missing.txt", "-o", str(out)])
    assert result.exit_code == 1
    assert "seeds/missing.txt: no such file or folder" in result.stderr
    written = [line for line in result.stdout.splitlines() if line]
    assert str(out / "report.html") in written and str(out / "run.json") in written
    assert all(Path(p).exists() for p in written)


def test_cli_by_outlet_makes_one_group_per_outlet(tmp_path):
    result = _in_repo(CliRunner().invoke, main, ["report", "--by", "outlet", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    documents = pd.read_csv(tmp_path / "documents.csv")
    assert documents["group"].nunique() == 4
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'style="--n:4"' in html


def test_cli_unknown_grouping_column_is_refused_with_its_name(tmp_path):
    result = _in_repo(CliRunner().invoke, main, ["report", "--by", "continent", "-o", str(tmp_path)])
    assert result.exit_code == 2  # the CLI checks --by against the loaded metadata: a usage error
    assert "no document has a value for 'continent'" in result.stderr


def test_cli_no_loadable_document_exits_1(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path / "nothing.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------
# rendering helpers

def test_highlight_escapes_text_and_marks_cues_by_voice():
    from framing.reporting.html import highlight

    text = 'We must act <b>now</b>, "they may say".'
    spans = ((3, 7, "author", "deontic: must"), (30, 33, "quoted", "hedge: may"))
    out = highlight(text, spans)
    assert out.startswith('We <mark class="v-author" title="deontic: must (author voice)">must</mark> act &lt;b&gt;')
    assert '<mark class="v-quoted" title="hedge: may (quoted voice)">may</mark>' in out
    assert "<b>" not in out


def test_overlapping_cues_merge_into_one_mark_listing_both():
    from framing.reporting.findings import non_overlapping

    merged = non_overlapping(((0, 10, "author", "puffery: world-class"), (6, 15, "author", "booster: class act"),
                              (20, 25, "reported", "hedge: may")))
    assert merged == [(0, 15, "author", ["puffery: world-class", "booster: class act"]),
                      (20, 25, "reported", ["hedge: may"])]


def test_kwic_trims_at_word_boundaries_and_escapes():
    from framing.reporting.html import _kwic

    sentence = "Some <i>long</i> preamble words here before the small yard, high fence policy and a long tail after it."
    at = sentence.index("small yard")
    out = _kwic({"sentence_text": sentence, "at": at, "length": len("small yard, high fence"), "voice": "author"},
                width=30)
    assert '<mark class="v-author">small yard, high fence</mark>' in out
    assert out.startswith("…") and out.endswith("…")
    assert "<i>" not in out


def test_markdown_cells_cannot_break_tables_or_inject_markup():
    from framing.reporting.markdown import md

    assert md("a | b") == "a \\| b"
    assert md("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert md("two\nlines  here") == "two lines here"


def test_numbers_are_formatted_the_same_everywhere():
    from framing.reporting.findings import fmt, fmt_p

    assert [fmt(x) for x in (float("nan"), 0.0, 0.0004, 0.004, 0.5, 12.345, 1234.5, 7, 3.0)] == \
        ["–", "0", "4.0e-04", "0.0040", "0.50", "12.3", "1,234", "7", "3"]
    assert (fmt_p(0.0004), fmt_p(0.25), fmt_p(float("nan"))) == ("< 0.001", "0.250", "–")


def test_large_corpus_shows_group_summaries_and_caps_sentences(tmp_path, monkeypatch):
    from test_compare import ANALYTIC, PRESCRIPTIVE, DeonticCues

    from framing.extractors.base import REGISTRY
    from framing.reporting.html import MAX_DOCUMENT_COLUMNS, MAX_EXEMPLARS_PER_GROUP

    monkeypatch.setitem(REGISTRY, DeonticCues.name, DeonticCues)
    n = MAX_DOCUMENT_COLUMNS
    docs = [make_document(f"d{i}", (PRESCRIPTIVE if i < n else ANALYTIC) + f" Item {i}.",
                          {"role": "official" if i < n else "commentary", "outlet": f"Outlet {i}"}, path=f"<{i}>")
            for i in range(2 * n)]
    build_report(docs, tmp_path, extractors=[DeonticCues.name], n_boot=200, n_perm=500, max_cards=5)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "mean [95% CI] · median" in html and 'class="doc"' not in html  # no column per document
    assert "per-document values are in documents.csv" in html
    panel = html[html.index('id="family-deontic_test"'):html.index('id="terms"')]
    assert panel.count('<blockquote class="ex">') == MAX_EXEMPLARS_PER_GROUP  # official only: commentary has none
    assert "features differ at q &lt; 0.05" in html or "None of the" in html
    assert "can reach p" not in html  # 12 vs 12 can be tested
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "(n=12) mean [CI] · median" in md and "Outlet 3 (official) |" not in md  # no column per document
    listed = md.split("## Documents", 1)[1].split("## Methods", 1)[0]
    assert "The first 5 of 24 documents; every document is in documents.csv." in listed
    assert listed.count("| d") == 5
    assert "No statistical test is possible" not in html


# ---------------------------------------------------------------------------
# unit of analysis, echoes, time spans, furniture, compressed evidence (issue 11)

def _issue11_corpus():
    from framing.ingest import make_document

    official = ("China stands ready to pursue win-win cooperation with all countries. We must uphold true "
                "multilateralism, and all parties should respect the principle of win-win cooperation.")
    comment = ["Beijing's 'win-win cooperation' is a slogan that hides leverage, critics argue.",
               "China calls for 'win-win cooperation', the ministry said on Monday.",
               "The port deal is a fine example of win-win cooperation for both economies."]
    docs = [make_document(f"o{i}", official + f" Statement {i}.", {"role": "official", "outlet": "Ministry",
                                                                     "date": f"2020-01-0{i + 1}"})
            for i in range(3)]
    docs += [make_document(f"c{i}", text + " Share this article", {"role": "commentary", "outlet": o,
                                                                   "date": f"2023-05-0{i + 1}"})
             for i, (text, o) in enumerate(zip(comment, ["Paper", "Paper", "Blog"]))]
    return docs


@pytest.fixture(scope="module")
def issue11_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("issue11")
    build_report(_issue11_corpus(), out, n_boot=100, n_perm=100, evidence="gz")
    return out


def test_confounded_role_and_outlet_is_said_on_the_first_screen(issue11_report):
    html = (issue11_report / "report.html").read_text(encoding="utf-8")
    overview = html.split('id="overview"', 1)[1].split('id="form"', 1)[0]
    assert "Unit of analysis: documents" in overview and "confounded" in overview
    assert "document-level" in overview
    assert "do not overlap in time" in overview
    run = json.loads((issue11_report / "run.json").read_text(encoding="utf-8"))
    assert run["grouping"]["unit"] == "document" and run["grouping"]["confounded"] is True


def test_echo_csv_classifies_each_reappearance(issue11_report):
    echo = pd.read_csv(issue11_report / "echo.csv")
    rows = echo[echo["phrase"].str.lower() == "win-win cooperation"].set_index("doc_id")
    assert rows.loc["c0", "example_how"] == "contested"
    assert rows.loc["c1", "example_how"] == "quoted"
    assert rows.loc["c2", "example_how"] == "adopted"
    assert (rows["official_docs"] == 3).all()
    html = (issue11_report / "report.html").read_text(encoding="utf-8")
    assert 'id="echoes"' in html and "win-win cooperation" in html.split('id="echoes"', 1)[1]


def test_large_or_requested_evidence_is_compressed_reproducibly_and_the_report_says_so(issue11_report, tmp_path):
    import gzip

    assert (issue11_report / "evidence.csv.gz").exists() and not (issue11_report / "evidence.csv").exists()
    text = gzip.decompress((issue11_report / "evidence.csv.gz").read_bytes()).decode("utf-8")
    assert text.startswith("doc_id,group,extractor")
    html = (issue11_report / "report.html").read_text(encoding="utf-8")
    assert "evidence.csv.gz, compressed as asked" in html
    again = tmp_path / "again"
    build_report(_issue11_corpus(), again, n_boot=100, n_perm=100, evidence="gz")
    assert (again / "evidence.csv.gz").read_bytes() == (issue11_report / "evidence.csv.gz").read_bytes()


def test_unit_option_is_honoured_and_checked(tmp_path):
    out = tmp_path / "outlet"
    build_report(_issue11_corpus(), out, n_boot=100, n_perm=100, unit="outlet", evidence="none")
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["grouping"]["unit"] == "outlet" and "no outlet-level test" in run["grouping"]["unit_reason"]
    assert not (out / "evidence.csv").exists() and not (out / "evidence.csv.gz").exists()
    with pytest.raises(ValueError):
        build_report(_issue11_corpus(), tmp_path / "bad", unit="sentence")


def test_document_cards_show_furniture_text_and_dates(issue11_report):
    html = (issue11_report / "report.html").read_text(encoding="utf-8")
    cards = html.split('id="documents"', 1)[1]
    assert "dated 2023-05-01" in cards
    furniture = pd.read_csv(issue11_report / "furniture.csv")
    if not furniture.empty:  # what the cleaner separates depends on its rules: shown when found
        assert "Page furniture found" in cards


def test_each_declared_role_has_its_own_column_when_a_group_pools_roles(tmp_path, monkeypatch):
    from test_compare import ANALYTIC, PRESCRIPTIVE, DeonticCues

    from framing.extractors.base import REGISTRY

    monkeypatch.setitem(REGISTRY, DeonticCues.name, DeonticCues)
    roles = ["official"] * 3 + ["news"] * 2 + ["commentary"] * 3
    docs = [make_document(f"d{i}", (PRESCRIPTIVE * (2 if r == "commentary" else 1) if r != "news" else ANALYTIC)
                          + f" Item {i}.", {"role": r, "outlet": f"Outlet {i}"}, path=f"<{i}>")
            for i, r in enumerate(roles)]
    build_report(docs, tmp_path, extractors=[DeonticCues.name], n_boot=100, n_perm=100)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    panel = html[html.index('id="family-deontic_test"'):]
    assert "declared news (n=2)" in panel and "declared commentary (n=3)" in panel
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    family = md[md.index("### deontic\\_test"):]
    header = next(line for line in family.splitlines() if line.startswith("| feature"))
    assert "declared news (n=2) mean" in header and "declared official (n=3) mean" in header
    from framing.reporting.findings import fmt

    documents = pd.read_csv(tmp_path / "documents.csv")
    means = [fmt(documents.loc[documents["role"] == r, "deontic_test_per_1k"].mean())
             for r in ("official", "news", "commentary")]
    assert len(set(means)) == 3  # the three roles differ, so the cells below are the roles' own means
    rows = [line.split(" | ") for line in family.split("\n## ", 1)[0].splitlines() if line.startswith("| ")]
    assert any(cells[-7:-4] == means for cells in rows)  # official, news, commentary; then mean, CI, delta, q


def test_overview_chart_names_a_frame_once(seeds_report):
    """A frame's block in the overview chart is titled by the construct, then the column's measure: "frame:
    fairness and equality: frame cues per 1,000 words", not the frame's name twice."""
    html = (seeds_report / "report.html").read_text(encoding="utf-8")
    chart = html.split('class="chart findings-chart"', 1)[1].split("</svg>", 1)[0]
    assert ">frame: fairness and equality: frame cues per 1,000 words<" in chart
    assert "&#x27;Fairness and equality&#x27;" not in chart


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_report_of_one_group_says_there_is_nothing_to_compare(tmp_path):
    """All documents official: the first screen said "These groups have a single document each: ." and "No framing
    construct differs between the groups", both false."""
    rows = [{"id": f"a{i}", "role": "official",
             "text": f"The minister said we should act now. Critics said costs rose by {i} percent."} for i in range(3)]
    build_report([str(_jsonl(tmp_path / "one.jsonl", rows))], tmp_path / "out")
    page = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("# The official documents, described (one group: nothing to compare)")
    assert "> **Nothing to compare.** Only one group: 'official' (3 documents)." in page
    assert "Only one group: &#x27;official&#x27; (3 documents)" in html
    for text in (page, html):
        assert "differs between the groups" not in text and "single document each" not in text


def test_a_group_with_no_scored_document_is_said_not_read_as_no_difference(tmp_path):
    rows = [{"id": f"o{i}", "role": "official", "text": f"The minister said we should act now on trade, point {i}."}
            for i in range(3)]
    french = ("Le ministère a déclaré mardi que la réforme était nécessaire. Les syndicats ont protesté contre cette "
              "décision très controversée, qualifiée de trahison par leurs dirigeants à Besançon.")
    rows += [{"id": f"c{i}", "role": "commentary", "text": french} for i in range(2)]
    build_report([str(_jsonl(tmp_path / "mixed.jsonl", rows))], tmp_path / "out")
    page = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Warning: none of the 2 commentary documents could be scored (2: " in page
    assert "No framing construct differs" not in page and "No difference of form differs" not in page

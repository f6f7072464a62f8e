"""The library as an analyst uses it: load, score (fixed schema, the input's index), explain, compare, report."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing
from framing.pipeline import INFO_COLUMNS, STRING_DTYPE

OFFICIAL = ("China stands ready to work with all parties to promote dialogue. We firmly support the "
            "multilateral trading system and oppose unilateral sanctions.")
NEWS = ("Officials said on Tuesday that talks would resume next week, according to two diplomats in Geneva. "
        "The ministry declined to comment.")
OPINION = ("This is undoubtedly the most reckless policy in a generation. Clearly, the government has failed, "
           "and voters should punish it.")
FRENCH = "La situation économique du pays reste très difficile selon le ministre des finances du gouvernement."

FAST = ["hedging", "readability"]  # two extractors keep these tests quick; the schema tests use all of them


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return pd.DataFrame({"body": [OFFICIAL, NEWS, OPINION, NEWS + " It may rain.", OPINION + " Truly!", ""],
                         "outlet": ["Embassy", "Wire", "Blog", "Wire", "Blog", "Wire"],
                         "label": [1, 0, 1, 0, 1, 0], "id": list("abcdef")},
                        index=pd.Index([10, 11, 12, 13, 14, 15], name="row"))


# ---------------------------------------------------------------------------
# score: one row per input, the input's index, separable columns

def test_score_keeps_the_index_and_takes_a_text_column(articles):
    scores = framing.score(articles, text_col="body", extractors=FAST)
    assert list(scores.index) == list(articles.index) and scores.index.name == "row"
    assert list(scores["id"]) == list("abcdef") and list(scores["outlet"]) == list(articles["outlet"])
    assert scores.loc[13, "hedging_hedges_count"] >= 1


def test_scores_only_join_beside_the_users_columns(articles):
    scores = framing.score(articles, text_col="body", scores_only=True, extractors=FAST)
    assert not set(scores.columns) & set(articles.columns)
    assert list(scores.columns) == framing.score_columns(FAST)
    table = articles.join(scores)  # the documented join: same index, no clashing names
    assert len(table) == len(articles) and table.loc[10, "label"] == 1
    assert not set(INFO_COLUMNS) & set(scores.columns)


def test_a_dataframe_without_its_text_column_is_an_error(articles):
    with pytest.raises(ValueError, match="no text column 'text'.*text_col="):
        framing.score(articles)
    with pytest.raises(ValueError, match="no id column"):
        framing.score(articles, text_col="body", id_col="nope")


def test_id_col_names_the_ids(articles):
    frame = articles.assign(key=[f"k{i}" for i in range(len(articles))]).drop(columns="id")
    scores = framing.score(frame, text_col="body", id_col="key", extractors=FAST)
    assert list(scores["id"]) == [f"k{i}" for i in range(len(articles))]


def test_dtypes_do_not_depend_on_the_batch():
    schema = framing.empty_scores().dtypes
    english = framing.score([NEWS, OPINION]).dtypes
    mixed = framing.score([NEWS, FRENCH, "", "."]).dtypes
    pd.testing.assert_series_equal(english, schema)
    pd.testing.assert_series_equal(mixed, schema)
    assert not (schema == object).any()
    assert {str(d) for d in schema} <= {str(STRING_DTYPE), "int64", "float64"}
    assert schema["n_words"] == "int64" and schema["promo_puffery_count"] == "float64"
    assert schema["na_reason"] == STRING_DTYPE and schema["id"] == STRING_DTYPE


def test_batches_concatenate_without_dtype_changes():
    parts = [framing.empty_scores(FAST), framing.score([NEWS], extractors=FAST),
             framing.score([FRENCH, ""], extractors=FAST)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pandas warns when concatenating empty or all-NA object columns
        whole = pd.concat(parts, ignore_index=True)
    pd.testing.assert_series_equal(whole.dtypes, framing.empty_scores(FAST).dtypes)


def test_empty_input_gives_the_empty_schema():
    empty = framing.score([], extractors=FAST)
    assert empty.shape == (0, len(framing.empty_scores(FAST).columns))
    pd.testing.assert_series_equal(empty.dtypes, framing.empty_scores(FAST).dtypes)
    assert list(framing.empty_scores(FAST, scores_only=True).columns) == framing.score_columns(FAST)


def test_scores_round_trip_through_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    scores = framing.score([NEWS, FRENCH], extractors=FAST)
    scores.to_parquet(tmp_path / "s.parquet")
    back = pd.read_parquet(tmp_path / "s.parquet")
    assert list(back.columns) == list(scores.columns)
    assert back["promo_puffery_count" if "promo_puffery_count" in back else "hedging_hedges_count"].dtype == "float64"


# ---------------------------------------------------------------------------
# load

def test_load_a_dataframe_with_metadata(articles, tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text("id,role,country\na,official,CN\nb,news,CH\n", encoding="utf-8")
    corpus = framing.load(articles, text_col="body", metadata=meta)
    assert len(corpus) == len(articles) and corpus.problems == []
    docs = {d.id: d for d in corpus}
    assert docs["a"].role == "official" and docs["a"].meta["country"] == "CN" and docs["a"].outlet == "Embassy"
    assert docs["c"].role is None and docs["c"].meta["label"] == "1"


def test_load_files_with_a_text_column(tmp_path):
    (tmp_path / "t.csv").write_text(f'key,body\nx1,"{NEWS}"\n', encoding="utf-8")
    corpus = framing.load(tmp_path / "t.csv", text_col="body", id_col="key")
    assert [d.id for d in corpus] == ["x1"] and corpus[0].body.startswith("Officials said")


# ---------------------------------------------------------------------------
# explain

def test_explain_gives_the_evidence_of_a_text():
    text = 'Officials said the plan may fail. "It is truly the best plan ever," he said.'
    ev = framing.explain(text)
    assert list(ev.columns) == ["document", "family", "category", "cue", "text", "voice", "sentence",
                                "sentence_index", "start", "end", "weight", "note"]
    assert set(ev["family"]) >= {"hedging", "promotional"}
    assert set(ev["voice"]) <= {"author", "quoted", "reported", "questioner"}
    for row in ev.itertuples():
        assert text[row.start:row.end] == row.text and row.text in row.sentence
    assert list(ev["start"]) == sorted(ev["start"])
    assert not (ev.dtypes == object).any()


def test_explain_a_document_and_an_empty_text(seed_docs):
    doc = seed_docs["002"]
    ev = framing.explain(doc, extractors=["framing"])
    assert set(ev["document"]) == {doc.id} and set(ev["family"]) == {"framing"}
    empty = framing.explain("", extractors=FAST)
    assert empty.empty and not (empty.dtypes == object).any()


# ---------------------------------------------------------------------------
# compare and report from a scores table

def test_compare_by_outlet_from_a_scores_table(articles):
    table = articles.join(framing.score(articles, text_col="body", scores_only=True, extractors=FAST))
    comp = framing.compare(table, by="outlet", n_boot=200, n_perm=200)
    assert set(comp.comparison["group"]) == {"Blog", "Embassy", "Wire"}
    assert "hedging_hedges_per_1k" in set(comp.comparison["feature"])
    assert comp.grouping["by"] == "outlet"
    wire = comp.documents[comp.documents["group"] == "Wire"]
    assert len(wire) == 3


def test_compare_a_table_whose_index_repeats_renames_the_repeated_ids_as_loading_does(articles):
    """Two frames concatenated keep their index labels (0, 1, 2, 0, 1, 2): ids made from them repeated, and
    the comparison's merge refused them."""
    plain = articles.drop(columns=["id"], errors="ignore")
    both = pd.concat([plain, plain.assign(outlet="Reprint")])
    table = pd.concat([both, framing.score(both, text_col="body", scores_only=True, extractors=FAST)], axis=1)
    comp = framing.compare(table, by="outlet", n_boot=200, n_perm=200)
    ids = comp.documents["id"].tolist()
    assert len(ids) == len(both) and len(set(ids)) == len(ids)
    assert sorted(ids) == sorted([str(i) for i in plain.index] + [f"{i}#2" for i in plain.index])
    assert (comp.documents["group"] == "Reprint").sum() == len(plain)


def test_compare_refuses_an_unknown_column(articles):
    scores = framing.score(articles, text_col="body", extractors=FAST)
    with pytest.raises(ValueError, match="no column 'nosuch'"):
        framing.compare(scores, by="nosuch")
    with pytest.raises(ValueError, match="the table holds no scores .no 'n_words' column.: score it first"):
        framing.compare(articles, by="outlet")  # the texts, not yet scored: a KeyError of pandas before


def test_compare_is_also_the_module():
    import framing.compare as module

    assert framing.compare is module and callable(framing.compare)
    assert module.Comparison is not None  # the machinery is still importable from it


def test_report_from_a_dataframe_of_texts(articles, tmp_path):
    written = framing.report(articles, tmp_path / "out", text_col="body", by="outlet", extractors=FAST,
                             n_boot=100, n_perm=100)
    names = {p.name for p in written}
    assert {"report.html", "documents.csv", "comparison.csv", "run.json"} <= names
    docs = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert sorted(docs["id"]) == list("abcdef")


def test_report_from_a_scores_table(articles, tmp_path):
    scores = framing.score(articles, text_col="body", extractors=FAST)
    written = framing.report(scores, tmp_path / "out", by="outlet", n_boot=100, n_perm=100)
    assert (tmp_path / "out" / "report.html").is_file() and written[-1].name == "run.json"
    comparison = pd.read_csv(tmp_path / "out" / "comparison.csv")
    assert set(comparison["group"]) == {"Blog", "Embassy", "Wire"}


# ---------------------------------------------------------------------------
# the public API is typed and documented

def test_py_typed_is_shipped():
    root = Path(framing.__file__).parent
    assert (root / "py.typed").is_file()
    pyproject = (root.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"py.typed"' in pyproject


@pytest.mark.parametrize("name", ["load", "score", "score_columns", "empty_scores", "explain", "compare", "report",
                                  "analyze", "FramingFeatures"])
def test_public_functions_have_numpydoc_docstrings_and_hints(name):
    import inspect

    obj = getattr(framing, name)
    if name == "compare":  # framing.compare is the module, callable: its function lives in framing.api
        from framing.api import compare as obj
    doc = inspect.getdoc(obj) or ""
    assert "Parameters\n----------" in doc or name in ("score_columns", "empty_scores"), name
    target = obj.__init__ if inspect.isclass(obj) else obj
    hints = inspect.signature(target).parameters
    assert all(p.annotation is not inspect.Parameter.empty for p in hints.values() if p.name != "self"), name


def test_importing_framing_does_not_import_pandas():
    import subprocess
    import sys

    code = "import sys, framing; assert 'pandas' not in sys.modules, 'pandas imported'; print(framing.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr


def test_every_column_description_states_direction_and_unit():
    import re

    direction = re.compile(r"higher|lower|[+-]?1 =|\b1 (if|when)\b|0\.\.1|0-1|-1\.\.\+1", re.IGNORECASE)
    unit = re.compile(r"per 1,000|count|number|share|probabilit|0\.\.1|0-1|\b1 (if|when)\b|grade|score|index|"
                      r"reading ease|words|sentences|syllables|letters|characters|balance|mean|margin|ratio| / ", re.IGNORECASE)
    unit_in_name = re.compile(r"_(count|per_1k|share|distinct)$")  # the name states the unit
    missing = []
    for name in framing.available_extractors():
        ex = framing.get_extractor(name)
        for column in ex.columns:
            text = ex.column_descriptions.get(column, "")
            if not (direction.search(text) and (unit.search(text) or unit_in_name.search(column))):
                missing.append(f"{column}: {text!r}")
    assert not missing, "\n".join(missing)


def test_scores_table_numbers_are_finite_or_nan():
    scores = framing.score([NEWS, FRENCH], extractors=FAST)
    values = scores[framing.score_columns(FAST)].select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(values).any()

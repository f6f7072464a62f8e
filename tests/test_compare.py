"""framing.compare: grouping, the comparison table, frames/modality shares, examples in context."""
from __future__ import annotations

import re
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

import framing
from framing.compare import COMMENTARY, NON_OFFICIAL, OFFICIAL, GroupingError, assign_groups, compare, frame_shares, modality_table
from framing.extractors.base import REGISTRY, Evidence, Extractor, Result, per_1k
from framing.ingest import make_document
from framing.reporting.findings import is_tested, overview_sentence, ranked_differences

_DEONTIC = re.compile(r"\b(must|should|need to)\b", re.IGNORECASE)


class DeonticCues(Extractor):
    """Test extractor: deontic modals per 1,000 words, with evidence (higher = more prescriptive)."""

    name = "deontic_test"
    version = "1"
    columns = ("deontic_test_count", "deontic_test_per_1k")
    description = "deontic modals (test)"
    column_descriptions: ClassVar[dict[str, str]] = {"deontic_test_count": "number of deontic modals",
                           "deontic_test_per_1k": "deontic modals per 1,000 words; higher = more prescriptive"}

    def extract(self, doc):
        seg = doc.segmentation
        ev = []
        for m in _DEONTIC.finditer(doc.body):
            si = seg.sentence_at(m.start())
            ev.append(Evidence(self.name, "deontic", m.group(0).lower(), m.group(0), m.start(), m.end(), si,
                               doc.attribution.voice_at(m.start(), si)))
        return Result({"deontic_test_count": len(ev), "deontic_test_per_1k": per_1k(len(ev), seg.n_words)}, ev)


@pytest.fixture()
def deontic(monkeypatch):
    monkeypatch.setitem(REGISTRY, DeonticCues.name, DeonticCues)
    return DeonticCues.name


PRESCRIPTIVE = ("All countries must respect the rules. We should act together, and we need to build trust. "
                "The world must not be divided into blocs.")
ANALYTIC = ("Observers describe the plan as ambitious. The initiative positions the country as a leader. "
            "Analysts see a long contest over standards ahead.")


def _doc(i, text, role=None, outlet=None, **meta):
    m = {"title": f"Document {i}", **meta}
    if role:
        m["role"] = role
    if outlet:
        m["outlet"] = outlet
    return make_document(f"d{i}", text, m, path=f"<test {i}>")


def _corpus(n_official=4, n_commentary=4, outlets=None):
    docs = [_doc(i, PRESCRIPTIVE + f" Point {i}.", "official", outlets[i] if outlets else f"Ministry {i}")
            for i in range(n_official)]
    docs += [_doc(n_official + i, ANALYTIC + f" Note {i}.", "commentary",
                  outlets[n_official + i] if outlets else f"Paper {i}") for i in range(n_commentary)]
    return docs


# ---------------------------------------------------------------------------
# grouping

def test_declared_role_groups_seeds_official_vs_commentary(seed_docs, deontic):
    analysis = framing.analyze(list(seed_docs.values()), [deontic])
    table, grouping = assign_groups(analysis)
    groups = dict(zip(table["id"].str[:3], table["group"]))
    assert groups == {"000": COMMENTARY, "001": COMMENTARY, "002": OFFICIAL, "003": COMMENTARY}
    assert grouping["by"] == "role" and "declared role" in grouping["basis"]
    assert set(table["group_basis"]) == {"declared role"}


def test_detected_source_type_is_used_without_declared_roles(deontic):
    docs = [_doc(i, PRESCRIPTIVE if i < 2 else ANALYTIC) for i in range(4)]
    analysis = framing.analyze(docs, [deontic])
    analysis.extras["source_type"] = {"d0": {"label": "official", "top_cues": [{"feature": "qa_turns"},
                                                                               {"feature": "we_institutional"}]},
                                      "d1": {"label": "official"},
                                      "d2": {"label": "news"}, "d3": {"label": "promotional"}}
    table, grouping = assign_groups(analysis)
    # news and promotional pooled against the official texts: named as what they are, not "commentary"
    assert table["group"].tolist() == [OFFICIAL, OFFICIAL, NON_OFFICIAL, NON_OFFICIAL]
    assert grouping["by"] == "source_type"
    assert table["detected_type"].tolist() == ["official", "official", "news", "promotional"]
    assert table["detected_cues"].tolist() == ["qa_turns; we_institutional", "", "", ""]


def test_a_group_pooling_declared_roles_is_named_non_official(deontic):
    from framing.compare import group_descriptions

    roles = ["official", "official", "news", "commentary", "promotional"]
    docs = [_doc(i, PRESCRIPTIVE if r == "official" else ANALYTIC, r) for i, r in enumerate(roles)]
    analysis = framing.analyze(docs, [deontic])
    table, _ = assign_groups(analysis)
    assert table["group"].tolist() == [OFFICIAL, OFFICIAL, NON_OFFICIAL, NON_OFFICIAL, NON_OFFICIAL]
    described = group_descriptions(analysis, table, [OFFICIAL, NON_OFFICIAL])
    assert described["names"][NON_OFFICIAL] == "non-official (commentary, news, promotional)"
    assert described["pooled"][NON_OFFICIAL] == ["commentary", "news", "promotional"]
    only_commentary = [_doc(i, PRESCRIPTIVE if i < 2 else ANALYTIC, "official" if i < 2 else "commentary")
                       for i in range(4)]
    table, _ = assign_groups(framing.analyze(only_commentary, [deontic]))
    assert set(table["group"]) == {OFFICIAL, COMMENTARY}


def test_no_role_and_no_detection_asks_for_by(deontic):
    analysis = framing.analyze([_doc(i, ANALYTIC) for i in range(2)], [deontic])
    with pytest.raises(GroupingError, match="--by"):
        assign_groups(analysis)


def test_by_metadata_column_allows_more_than_two_groups(deontic):
    docs = [_doc(i, PRESCRIPTIVE, country=c) for i, c in enumerate(["CN", "US", "EU", "CN", "US", "EU"])]
    comp = compare(framing.analyze(docs, [deontic]), by="country", n_boot=200, n_perm=200)
    assert comp.groups == ["CN", "EU", "US"]
    assert comp.group_sizes() == {"CN": 2, "EU": 2, "US": 2}
    rows = comp.comparison[comp.comparison["feature"] == "deontic_test_per_1k"]
    assert set(rows["reference"]) == {"rest"}


def test_a_missing_value_of_the_grouping_column_is_missing_not_a_group_called_nan(deontic):
    docs = _corpus(2, 2)
    for doc, desk in zip(docs, ["east", float("nan"), "west", None]):
        doc.meta["desk"] = desk
    table, _ = assign_groups(framing.analyze(docs, [deontic]), by="desk")
    assert list(table["group"]) == ["east", "(no desk)", "west", "(no desk)"]


def test_by_unknown_column_names_the_known_ones(deontic):
    analysis = framing.analyze([_doc(i, ANALYTIC, country="CN") for i in range(2)], [deontic])
    with pytest.raises(GroupingError, match="country"):
        assign_groups(analysis, by="continent")


# ---------------------------------------------------------------------------
# the comparison table

def test_clear_difference_is_tested_and_ranked_first(deontic):
    comp = compare(framing.analyze(_corpus(4, 4), [deontic]), seed=1, n_boot=500, n_perm=500)
    assert comp.groups == [OFFICIAL, COMMENTARY]
    assert is_tested(comp)
    row = comp.comparison.set_index(["feature", "group"]).loc[("deontic_test_per_1k", OFFICIAL)]
    assert row["cliffs_delta"] == 1.0
    assert row["p"] == pytest.approx(1 / 35)  # exact test, perfect separation, 4 vs 4: 2/C(8,4)
    assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    diffs = ranked_differences(comp)
    assert [d.feature for d in diffs] == ["deontic_test_per_1k"]  # the raw count is not ranked
    assert diffs[0].direction == "higher"
    sentence = overview_sentence(diffs[0], comp.group_sizes(), True)
    assert sentence.startswith("Official texts score higher on deontic modals per 1,000 words")
    assert "Cliff's delta +1.00" in sentence


def test_single_official_document_is_described_not_tested(deontic):
    comp = compare(framing.analyze(_corpus(1, 3), [deontic]), n_boot=200, n_perm=200)
    assert not is_tested(comp)
    rows = comp.comparison[comp.comparison["group"] == OFFICIAL]
    assert rows["p"].isna().all() and rows["q"].isna().all()
    assert rows["note"].str.contains("no test").all()
    d = ranked_differences(comp)[0]
    sentence = overview_sentence(d, comp.group_sizes(), False)
    assert sentence.startswith("The official text scores higher on deontic modals per 1,000 words (")
    assert "each of the 3 commentary texts" in sentence


def test_overlapping_groups_are_not_listed_without_a_test(deontic):
    docs = _corpus(1, 3)
    docs[2] = _doc(2, PRESCRIPTIVE + " Also this.", "commentary", "Paper X")  # a commentary as prescriptive
    comp = compare(framing.analyze(docs, [deontic]), n_boot=200, n_perm=200)
    assert ranked_differences(comp) == []


def test_outlet_with_several_documents_becomes_the_resampling_unit(deontic):
    outlets = ["Ministry", "Ministry", "Ministry", "Agency", "Paper", "Paper", "Blog", "Blog"]
    comp = compare(framing.analyze(_corpus(4, 4, outlets), [deontic]), n_boot=200, n_perm=200)
    assert comp.grouping["resample_unit"] == "outlet"
    comp_doc = compare(framing.analyze(_corpus(4, 4), [deontic]), n_boot=200, n_perm=200)
    assert comp_doc.grouping["resample_unit"] == "document"


def test_a_metadata_column_of_the_users_can_be_the_unit_of_analysis(deontic):
    """--unit COLUMN ('document, outlet or a metadata column') crashed: the column was not in the documents table."""
    docs = _corpus(4, 4)
    for doc, desk in zip(docs, ["east", "east", "west", "west", "city", "city", None, "sport"]):
        if desk:
            doc.meta["desk"] = desk
    comp = compare(framing.analyze(docs, [deontic]), n_boot=200, n_perm=200, unit="desk")
    assert comp.grouping["unit"] == comp.grouping["resample_unit"] == "desk"
    assert list(comp.documents["desk"].fillna("")) == ["east", "east", "west", "west", "city", "city", "", "sport"]
    row = comp.comparison[(comp.comparison["feature"] == "deontic_test_per_1k")
                          & (comp.comparison["group"] == OFFICIAL)].iloc[0]
    assert row["p"] < 0.5 and np.isfinite(row["ci_low"])  # two desks a side (the one without a desk its own unit)
    from framing.reporting.constructs import unit_sentence

    assert unit_sentence(comp).startswith("Unit of analysis: 'desk' values. Why: each value of 'desk' is resampled")
    with pytest.raises(GroupingError, match="no document has a value for 'bureau', the unit asked for"):
        compare(framing.analyze(docs, [deontic]), n_boot=200, n_perm=200, unit="bureau")


def test_same_input_and_seed_give_identical_tables(deontic):
    analysis = framing.analyze(_corpus(3, 3), [deontic])
    a, b = compare(analysis, seed=3), compare(analysis, seed=3)
    for name, table in a.tables().items():
        pd.testing.assert_frame_equal(table, b.tables()[name], obj=name)


def test_documents_table_and_evidence_carry_groups_and_sentence_offsets(deontic):
    docs = _corpus(1, 1)
    comp = compare(framing.analyze(docs, [deontic]), n_boot=100, n_perm=100)
    assert comp.documents[["id", "group", "label"]].values.tolist() == [["d0", OFFICIAL, "Ministry 0"],
                                                                      ["d1", COMMENTARY, "Paper 0"]]
    ev = comp.evidence
    assert len(ev) == 4 and set(ev["group"]) == {OFFICIAL}  # must, should, need to, must
    body = docs[0].body
    for r in ev.itertuples():
        assert body[r.start:r.end] == r.text
        assert r.sentence_text[r.start - r.sentence_start:r.end - r.sentence_start] == r.text


# ---------------------------------------------------------------------------
# frames and modality

def _evidence(rows):
    cols = ["doc_id", "group", "extractor", "category", "cue", "text", "start", "end", "sentence", "sentence_start",
            "voice", "weight", "note", "sentence_text"]
    return pd.DataFrame([{**dict.fromkeys(cols, ""), **r} for r in rows], columns=cols)


def test_frame_shares_weigh_documents_equally():
    docs = pd.DataFrame({"id": ["a", "b", "c"], "group": [OFFICIAL, COMMENTARY, COMMENTARY], "n_words": [100] * 3})
    ev = _evidence([{"doc_id": "a", "extractor": "framing", "category": "frame:economic"}] * 3
                   + [{"doc_id": "a", "extractor": "framing", "category": "frame:security_and_defense"}]
                   + [{"doc_id": "b", "extractor": "framing", "category": "frame:security_and_defense"}] * 9
                   + [{"doc_id": "c", "extractor": "framing", "category": "frame:economic"}]
                   + [{"doc_id": "c", "extractor": "hedging", "category": "frame:economic"}])
    shares = frame_shares(ev, docs, [OFFICIAL, COMMENTARY]).set_index(["frame", "group"])["share"]
    assert shares[("economic", OFFICIAL)] == pytest.approx(0.75)
    assert shares[("economic", COMMENTARY)] == pytest.approx(0.5)  # (0 + 1) / 2, not 1 / 10
    assert shares[("security_and_defense", COMMENTARY)] == pytest.approx(0.5)
    for g in (OFFICIAL, COMMENTARY):
        assert shares.xs(g, level="group").sum() == pytest.approx(1.0)


def test_modality_rates_are_per_1000_words_per_document():
    docs = pd.DataFrame({"id": ["a", "b"], "group": [OFFICIAL, COMMENTARY], "n_words": [200, 1000]})
    ev = _evidence([{"doc_id": "a", "extractor": "framing", "category": "deontic"}] * 2
                   + [{"doc_id": "b", "extractor": "framing", "category": "epistemic"}])
    table = modality_table(ev, docs, [OFFICIAL, COMMENTARY]).set_index(["category", "group"])
    assert table.loc[("deontic", OFFICIAL), "per_1k"] == pytest.approx(10.0)
    assert table.loc[("deontic", COMMENTARY), "per_1k"] == 0
    assert table.loc[("epistemic", COMMENTARY), "cues"] == 1


def test_no_framing_evidence_gives_empty_frames():
    docs = pd.DataFrame({"id": ["a"], "group": [OFFICIAL], "n_words": [10]})
    assert frame_shares(_evidence([]), docs, [OFFICIAL]).empty
    assert modality_table(_evidence([]), docs, [OFFICIAL]).empty


def test_lexical_examples_become_self_contained_contexts():
    from framing.compare import _contextualise

    doc = _doc(0, "First sentence here. Small yard, high fence is the phrase. Last one.", "official")
    start = doc.body.index("Small yard")
    table = pd.DataFrame({"term": ["small yard"], "group": [OFFICIAL],
                          "examples": [[{"doc_id": "d0", "start": start, "end": start + 10}] * 5]})
    out = _contextualise(table, [doc], max_examples=2)
    examples = out.at[0, "examples"]
    assert len(examples) == 2
    ex = examples[0]
    assert ex["sentence_text"] == "Small yard, high fence is the phrase."
    assert ex["sentence_text"][ex["at"]:ex["at"] + ex["length"]] == "Small yard"
    assert ex["voice"] == "author" and ex["sentence"] == 1
    assert np.isfinite(ex["at"])

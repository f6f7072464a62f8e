"""Property tests: arbitrary Unicode text never breaks scoring, and what comes out is consistent.

Batches stay under 20 documents, so the source-type corpus prior (used only in
corpora of 20+ documents) never makes a document's scores depend on its batch.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from framing.extractors.base import resolve_extractors
from framing.pipeline import as_documents

SETTINGS = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# pieces hostile input is made of: punctuation runs, invisible and bidi characters, mixed scripts, cue words
PIECES = [".", "...", "---", '"', "¡¿", "?!", "…", "«", "»", "“", "”", "’", "(", ")", ",", ";", ":",
          "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "\u00ad", "\u2028", "\r", "\t", "\n", "\n\n", " ",
          "\u00a0", "the", "may", "must", "said", "reportedly", "world-class", "Ministry", "We", "U.S.", "Dr.",
          "Q:", "A:", "Spokesperson:", "3.5", "1,000", "Привет", "مرحبا", "שלום", "你好", "こんにちは", "नमस्ते",
          "😀", "e\u0301", "İ", "ß", "ﬁ", "Ⅻ", "㈖"]
TEXTS = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join),
)


@pytest.fixture(scope="module")
def extractors():
    return resolve_extractors(None)


def _is_rate(column: str) -> bool:
    """Rates and probabilities: finite and non-negative whenever the extractor scored the document."""
    return column.endswith(("_per_1k", "_count")) or "_p_" in column


def _is_voice_rate(column: str) -> bool:
    """Rates within one voice (author, quoted, reported): NaN when the document has no words in that voice."""
    return any(f"_{voice}_" in column for voice in ("author", "quoted", "reported"))


@SETTINGS
@given(text=TEXTS)
def test_scoring_never_raises_and_evidence_slices_back(extractors, text):
    analysis = framing.analyze([text], extractors)
    (doc,) = analysis.documents
    assert len(analysis.features) == 1
    assert analysis.features.loc[0, "path"] == doc.path
    sentences = doc.segmentation.sentences
    for row in analysis.evidence.itertuples():
        assert doc.body[row.start:row.end] == row.text
        if 0 <= row.sentence < len(sentences):
            s, e = sentences[row.sentence]
            if s <= row.start and row.end <= e:
                assert row.text in row.sentence_text


@SETTINGS
@given(text=TEXTS)
def test_every_rate_is_finite_and_non_negative_or_nan_with_a_reason(extractors, text):
    (doc,), _ = as_documents([text])
    for ex in extractors:
        result = ex.score(doc)
        for column, value in result.features.items():
            if result.na_reason:
                assert math.isnan(value), (column, value, result.na_reason)
            elif column.endswith("_share"):
                assert math.isnan(value) or 0.0 <= value <= 1.0, (column, value)
            elif _is_rate(column) and not (_is_voice_rate(column) and math.isnan(value)):
                assert math.isfinite(value) and value >= 0.0, (column, value)


def test_a_document_without_words_gets_nan_with_the_reason_no_words(extractors):
    table = framing.analyze([".", '"', "\u200b", "¡¿", "---", "...", "\ufeff"], extractors).features
    assert table["na_reason"].tolist() == ["no words"] * 7
    scored = [c for e in extractors for c in e.columns]
    assert table[scored].isna().all().all()


def _without_identity(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return frame.drop(columns=list(columns)).reset_index(drop=True)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXTS, min_size=2, max_size=6))
def test_scoring_a_batch_equals_scoring_each_document_alone(extractors, texts):
    batch = framing.analyze(texts, extractors)
    alone = [framing.analyze([t], extractors) for t in texts]
    features = pd.concat([a.features for a in alone], ignore_index=True)
    pd.testing.assert_frame_equal(_without_identity(batch.features, ("id", "path")),
                                  _without_identity(features, ("id", "path")))
    evidence = pd.concat([a.evidence for a in alone], ignore_index=True)
    if len(batch.evidence) or len(evidence):
        pd.testing.assert_frame_equal(_without_identity(batch.evidence, ("doc_id",)),
                                      _without_identity(evidence, ("doc_id",)), check_dtype=False)

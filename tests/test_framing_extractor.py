"""The document-level framing extractor on the seeds and on short passages written for the test."""
import math
from pathlib import Path

import pytest

import framing
from framing.document import Document
from framing.extractors import get_extractor
from framing.extractors.frames import FRAMES, FramingExtractor

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def extractor() -> FramingExtractor:
    return get_extractor("framing")


@pytest.fixture(scope="module")
def seeds():
    return {d.id[:3]: d for d in framing.load(SEEDS)}


def _doc(text: str) -> Document:
    return Document(id="t", body=text, language="en")


def _texts(result, category):
    return [e.text for e in result.evidence if e.category == category and e.weight]


def test_declares_every_column_and_evidence_slices_back(extractor, seeds):
    assert extractor.name == "framing"
    assert set(extractor.column_descriptions) == set(extractor.columns)
    assert len([c for c in extractor.columns if c.startswith("framing_frame_") and c.endswith("_share")]) == 14
    for doc in seeds.values():
        r = extractor.score(doc)
        assert list(r.features) == list(extractor.columns)
        for e in r.evidence:
            assert doc.body[e.start:e.end] == e.text
            assert e.voice in ("author", "quoted", "reported", "questioner")
        shares = [r.features[f"framing_frame_{f}_share"] for f in FRAMES]
        assert sum(shares) == pytest.approx(1.0)
    names = {p["name"] for p in extractor.resources()}
    assert names == {"frames", "modality", "actors"}


def test_official_statement_speaks_as_institution(extractor, seeds):
    r = extractor.score(seeds["002"])
    inst = _texts(r, "institutional")
    assert "China believes" in inst and "China stands ready" in inst and "China remains committed" in inst
    assert r.features["framing_third_person_analysis"] == 0
    assert r.features["framing_institutional_first_person_per_1k"] > 5
    assert r.features["framing_deontic"] >= 2       # "should not become", "should follow"
    assert r.features["framing_deontic_share"] == 1.0


def test_commentary_analyses_beijing_in_the_third_person(extractor, seeds):
    r = extractor.score(seeds["001"])
    analytic = _texts(r, "analytic")
    assert "Beijing seeks" in analytic and "China aims" in analytic
    assert any("positioning itself" in t for t in analytic)
    assert r.features["framing_institutional_first_person"] == 0
    assert r.features["framing_third_person_analysis_per_1k"] > r.features["framing_institutional_first_person_per_1k"]
    # and the official statement has more institutional voice than this commentary
    official = extractor.score(seeds["002"]).features
    assert official["framing_institutional_first_person_per_1k"] > r.features["framing_institutional_first_person_per_1k"]


def test_modality_rules(extractor):
    r = extractor.score(_doc("Countries must cooperate on rules. This may help. In May 2024 the plan was adopted. "
                             "It must have been difficult. Parties need to talk."))
    assert sorted(_texts(r, "deontic")) == ["must", "need to"]
    assert sorted(_texts(r, "epistemic")) == ["may", "must"]  # "must have been" is epistemic
    assert r.features["framing_deontic"] == 2 and r.features["framing_epistemic"] == 2
    assert r.features["framing_deontic_share"] == pytest.approx(0.5)


def test_quoted_modals_and_we_are_recorded_but_not_counted(extractor):
    r = extractor.score(_doc('The minister spoke at length. "We must act now and we should act together," '
                             'she said in the capital.'))
    assert r.features["framing_deontic"] == 0 and r.features["framing_we"] == 0
    quoted = [e for e in r.evidence if e.category in ("deontic", "first_person")]
    assert quoted and all(e.weight == 0 and e.voice == "quoted" for e in quoted)


def test_us_the_country_is_not_first_person(extractor):
    r = extractor.score(_doc("The US wants talks. Tell us more, because our partners ask."))
    assert sorted(_texts(r, "first_person")) == ["our", "us"]
    assert r.features["framing_actor_mentions"] == 1


def test_frames_shares_follow_the_vocabulary(extractor):
    r = extractor.score(_doc("The military threat and the arms race endanger national security and peace."))
    share = {f: r.features[f"framing_frame_{f}_share"] for f in FRAMES}
    assert max(share, key=share.get) == "security_defense"
    assert r.extra["dominant_frame"] == "security_defense"
    none = extractor.score(_doc("The cat sat on the mat and looked out of the window."))
    assert none.features["framing_frame_cues"] == 0
    assert all(math.isnan(none.features[f"framing_frame_{f}_share"]) for f in FRAMES)
    assert none.features["framing_frame_cues_per_1k"] == 0


def test_empty_document_is_nan(extractor):
    r = extractor.score(_doc(""))
    assert r.na_reason and all(math.isnan(v) for v in r.features.values())


def test_user_lexicon_extends_frames_and_rejects_unknown_frames(tmp_path):
    extra = tmp_path / "extra.tsv"
    extra.write_text("# name: extra\n# version: 1\n# source: test\n# licence: CC0\nyard\tsecurity_defense\t1\n")
    ex = FramingExtractor(extend_frames=extra)
    r = ex.score(_doc("A small yard is here."))
    assert _texts(r, "frame_security_defense") == ["yard"]
    bad = tmp_path / "bad.tsv"
    bad.write_text("# name: bad\n# version: 1\n# source: test\n# licence: CC0\nyard\tgardening\t1\n")
    with pytest.raises(ValueError, match="gardening"):
        FramingExtractor(frames=bad)


def test_frames_lexicon_says_it_is_lexicon_based_and_cites_its_sources():
    from framing.lexicon import load_lexicon

    lex = load_lexicon("frames")
    assert "LEXICON-BASED" in lex.source and "Boydstun" in lex.source and "Piskorski" in lex.source
    assert sorted(lex.categories()) == sorted(FRAMES)
    assert len({e.term for e in lex.entries}) == len(lex.entries)  # each cue belongs to one frame

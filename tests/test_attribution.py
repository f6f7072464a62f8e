"""Quoted and reported speech: whose voice a cue is in (framing.attribution)."""
import pytest

import framing
from framing.attribution import quote_spans
from framing.ingest import make_document


def voices(text: str, word: str) -> list[str]:
    """The voice of every occurrence of ``word`` in ``text``."""
    doc = make_document("t", text)
    seg = doc.segmentation
    out = []
    start = text.find(word)
    while start >= 0:
        out.append(doc.attribution.voice_at(start, seg.sentence_at(start)))
        start = text.find(word, start + 1)
    return out


def quoted_texts(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_spans(text)]


# ---------------------------------------------------------------------------
# quotations

def test_double_quotes_curly_and_straight_are_quoted():
    text = 'Critics were blunt. “The talks may well fail,” one said. Another added: "It might take years to agree."'
    assert quoted_texts(text) == ["“The talks may well fail,”", '"It might take years to agree."']
    assert voices(text, "may") == ["quoted"]
    assert voices(text, "might") == ["quoted"]


def test_single_quotes_of_three_words_are_quoted_but_scare_quotes_are_not():
    text = ("The ministry emphasizes 'openness, inclusivity, and universal benefit' as core tenets. "
            "Its 'inclusivity' is a slogan, and China's critics call it 'de-risking'.")
    assert quoted_texts(text) == ["'openness, inclusivity, and universal benefit'"]
    doc = make_document("t", text)
    assert not doc.attribution.in_quote(text.index("inclusivity' is"))
    assert not doc.attribution.in_quote(text.index("de-risking"))


def test_apostrophes_do_not_open_quotations():
    text = "China's diplomats don't say it's the US's fault, and the countries' leaders agree."
    assert quote_spans(text) == []


def test_quoted_titles_are_names_not_speech():
    text = ("The draft resolution, titled “Strengthening International Cooperation in Artificial Intelligence "
            "Capacity Building,” may be adopted.")
    assert quote_spans(text) == []
    assert voices(text, "may") == ["author"]


def test_open_quotation_runs_to_the_end_of_its_paragraph():
    text = "He told reporters: “We are not sure this is the right approach and it may take years.\n\nThen he left."
    assert voices(text, "may") == ["quoted"]
    assert voices(text, "left") == ["author"]


def test_straight_quotation_over_several_paragraphs_is_quoted_to_the_end_of_each():
    # a letter read out in a news conference: each paragraph opens with '"', only the last one closes
    text = ('I have a quotation here from General Stimson. It says:\n'
            '"Honor begets honor; trust begets trust; and hope is the mainspring of life.\n'
            '"Let them have hope, and let them believe in mankind and its future."\n'
            'Not all of that is pertinent. We hope for peace.')
    assert voices(text, "hope") == ["quoted", "quoted", "author"]
    assert voices(text, "pertinent") == ["author"]


def test_an_unpaired_straight_quote_that_closes_or_measures_opens_nothing():
    text = ('He called it "a deal" and left." Then we hope.\n'
            'The pipe is 12" wide and we hope it holds.')
    assert voices(text, "hope") == ["author", "author"]


# ---------------------------------------------------------------------------
# reported speech

@pytest.mark.parametrize("text", [
    "The minister said the economy may recover.",
    "Officials warned that the deal may collapse.",
    "The economy may recover, the minister said.",
    "The economy may recover next year, said Wang Yi.",
    "According to the ministry, the economy may recover.",
    "Foreign Minister Wang Yi stressed that the economy may recover.",
    "He has repeatedly said the economy may recover.",
    "The report states that the economy may recover.",
    "They argue that the economy may recover.",
])
def test_third_party_speech_is_reported(text):
    assert voices(text, "may") == ["reported"]


@pytest.mark.parametrize("text", [
    "I said the economy may recover.",
    "As we noted, the economy may recover.",
    "It is said that the economy may recover.",
    "Member states may object to the plan.",
    "The United States may object to the plan.",
    "The said agreement may lapse.",
    "An added benefit may follow.",
    "Everything went according to plan, and prices may fall.",
    "China believes that governance may help.",
])
def test_author_voice_is_not_reported(text):
    assert voices(text, "may") == ["author"]


def test_reported_sentence_does_not_spread_to_the_next_one():
    text = "The minister said the economy may recover. In our view it may not."
    assert voices(text, "may") == ["reported", "author"]


def test_commentary_quoting_an_official_keeps_the_official_words_apart():
    text = ("Beijing's pitch is polished. “We may need more time to build consensus,” the spokesperson said. "
            "The plan may, in the end, be a defensive measure.")
    assert voices(text, "may") == ["quoted", "author"]


# ---------------------------------------------------------------------------
# seeds

@pytest.fixture(scope="module")
def seeds():
    return {d.id[:3]: d for d in framing.load("seeds")}


def test_seed_news_article_reports_the_foreign_minister(seeds):
    doc = seeds["003"]
    seg = doc.segmentation
    reported = {seg.sentence_text(i) for i in doc.attribution.reported_sentences}
    assert any(s.startswith("Foreign Minister Wang Yi emphasized") for s in reported)
    assert any(s.startswith("He stressed the importance") for s in reported)
    assert any(s.startswith("According to Minister Wang") for s in reported)
    assert not any(s.startswith("China’s proposal seeks") for s in reported)


def test_seed_official_statement_is_its_own_voice(seeds):
    doc = seeds["002"]
    assert not doc.attribution.reported_sentences
    quoted = [doc.body[s:e] for s, e in doc.attribution.quotes]
    assert quoted == ["“small yards with high fences,”"]


def test_voice_at_values_are_the_documented_three(seeds):
    doc = seeds["001"]
    seg = doc.segmentation
    found = {doc.attribution.voice_at(s, seg.sentence_at(s)) for s, _ in seg.tokens}
    assert found == {"author", "quoted", "reported"}


@pytest.mark.parametrize("text", [
    "He SAID so; she Says; they say. According   to\nreports, Wang stressed it.",
    "ſaid and ıNSISTED: İ said, Kﬁ claimed",  # characters that case-insensitive matching folds onto ASCII
    "well-said, said-so, saidx, unsaid, SAYS.",
])
def test_the_speech_verb_search_equals_the_plain_alternation(text):
    """The trie-factored verb regex (and its lower-cased fast path) finds what the plain alternation finds."""
    import re

    from framing.attribution import REPORTING_VERBS, _speech_verbs

    plain = re.compile(r"\b(?:" + REPORTING_VERBS.replace(" ", r"\s+") + r")\b", re.IGNORECASE)
    assert [m.span() for m in _speech_verbs(text)] == [m.span() for m in plain.finditer(text)]

"""Credibility signals on the seeds and on short passages written for each rule (with negative cases)."""
from __future__ import annotations

import math

import pytest

from framing.document import BoilerplateBlock, Document
from framing.extractors.base import get_extractor
from framing.extractors.credibility import CredibilityExtractor
from framing.ingest import make_document

P = "credibility_"


@pytest.fixture(scope="module")
def extractor() -> CredibilityExtractor:
    return CredibilityExtractor()


def run(extractor: CredibilityExtractor, text: str, title: str = "", **meta: str):
    doc = make_document("t", text, {"title": title, **meta} if title else dict(meta))
    return doc, extractor.score(doc)


def texts(result, category: str) -> list[str]:
    return [e.text for e in result.evidence if e.category == category]


def outside(result, signal: str) -> list[dict]:
    return [o for o in result.extra["outside_body"] if o["signal"] == signal]


# ---------------------------------------------------------------------------
# the seeds

@pytest.fixture(scope="module")
def seed_results(seed_docs, extractor):
    return {k: extractor.score(d) for k, d in seed_docs.items()}


def test_every_evidence_span_slices_back_to_its_text(seed_docs, seed_results):
    for key, result in seed_results.items():
        body = seed_docs[key].body
        assert result.evidence or key == "002", key  # the embassy's answer cites, quotes and attributes nothing
        for e in result.evidence:
            assert body[e.start:e.end] == e.text, (key, e)
            assert e.extractor == "credibility"


def test_003_news_names_its_source_and_cites_the_titled_resolution(seed_results):
    r = seed_results["003"]
    f = r.features
    named = texts(r, "named_attribution")
    assert "Foreign Minister Wang Yi emphasized" in named
    assert "According to Minister Wang" in named
    assert any(t.startswith("revealed by China") and t.endswith("Wang Yi") for t in named)
    assert "He stressed" in named  # the pronoun takes Wang Yi from the sentence before
    assert f[P + "vague_attributions_count"] == 0
    assert f[P + "named_attribution_share"] >= 0.8
    cited = texts(r, "citation")
    assert any("Strengthening International Cooperation in Artificial Intelligence" in t for t in cited)
    assert f[P + "quotes_count"] == 0  # the quoted title is a citation, not somebody's words


def test_003_page_signals_disclaimer_byline_social_and_headline(seed_results):
    f = seed_results["003"].features
    assert f[P + "has_disclaimer"] == 1
    assert f[P + "has_byline"] == 1  # the author bio of Emmanuel Omwanda
    assert f[P + "social_calls_count"] >= 2  # "Share link:", "Subscribe to CryptoPolitan", "Stay on top of …"
    assert f[P + "has_date"] == 0
    headline = {o["text"] for o in outside(seed_results["003"], "headline")}
    assert {"Takes Center Stage", "Bold"} <= headline
    assert f[P + "headline_question"] == 0 and f[P + "headline_listicle"] == 0


def test_002_official_statement_speaks_for_itself(seed_results):
    r = seed_results["002"]
    f = r.features
    assert f[P + "attributions_count"] == 0  # "China believes" is the institution's stance, not a sourced claim
    assert f[P + "vague_attributions_count"] == 0  # "certain countries" is in the journalist's question
    assert texts(r, "named_attribution") == []
    assert f[P + "quotes_count"] == 0  # "small yards with high fences" is the questioner's quotation
    assert f[P + "specifics_per_1k"] == 0  # not one figure or date in the spokesperson's answer
    assert texts(r, "citation") == []  # a government's own initiatives are no checkable reference
    assert f[P + "has_byline"] == 0 and f[P + "has_disclaimer"] == 0 and f[P + "social_calls_count"] == 0


def test_001_editorial_attributes_vaguely_with_they_argue(seed_results):
    r = seed_results["001"]
    vague = [e for e in r.evidence if e.category == "vague_attribution"]
    assert [e.text for e in vague] == ["They argue"]
    assert "pronoun" in vague[0].note
    assert "the Ministry of Foreign Affairs emphasized" in texts(r, "named_attribution")
    # the slogan in quotes has no speaker in its sentence
    assert any(e.text == '"small yard, high fence"' and e.note for e in r.evidence if e.category == "quote")
    assert r.features[P + "has_byline"] == 0  # "China Daily Brief Editorial" names the outlet, not an author
    assert r.features[P + "social_calls_count"] >= 1  # "Share Article"


def test_000_blog_has_no_byline_despite_photo_credit(seed_results):
    r = seed_results["000"]
    f = r.features
    assert f[P + "has_byline"] == 0  # "Photo by Matheus Bertelli" credits a photographer
    assert f[P + "has_date"] == 0  # the sidecar's date is the analyst's note; the page shows it only by other links
    assert f[P + "attributions_count"] == 0
    assert "Shanghai Declaration on Global AI Governance" in texts(r, "citation")
    # the title-case headline "Chinese Consulates AI Policy: …" is not a cited document
    assert not any("Consulates" in t for t in texts(r, "citation"))


# ---------------------------------------------------------------------------
# attributions: named, vague, and what is not an attribution

def test_weasel_attributions_are_vague(extractor):
    _, r = run(extractor, "Critics argue that the plan is flawed. Some say it will fail. Experts believe the costs "
                          "are high. Observers note a shift. It is widely believed that talks stalled.")
    assert texts(r, "vague_attribution") == ["Critics argue", "Some say", "Experts believe", "Observers note",
                                             "It is widely believed"]
    assert r.features[P + "named_attributions_count"] == 0
    assert r.features[P + "named_attribution_share"] == 0


def test_a_capitalised_sentence_start_is_not_a_named_source(extractor):
    _, r = run(extractor, "Many argue the deal is weak. Officials said on Monday the talks would resume. "
                          "A senior official said the offer stands. Chinese officials said nothing.")
    assert r.features[P + "named_attributions_count"] == 0
    assert r.features[P + "vague_attributions_count"] == 4


def test_named_people_and_organisations(extractor):
    _, r = run(extractor, "Foreign Minister Wang Yi emphasized the need for cooperation. “We must act together "
                          "now,” he said. The Ministry of Foreign Affairs said it would respond. According to "
                          "Minister Wang, the plan works. “The treaty is a good start for everyone,” said "
                          "Ambassador Zhang Jun on Tuesday.")
    assert texts(r, "named_attribution") == [
        "Foreign Minister Wang Yi emphasized", "he said", "The Ministry of Foreign Affairs said",
        "According to Minister Wang", "said Ambassador Zhang Jun"]
    assert r.features[P + "named_attribution_share"] == 1
    assert r.features[P + "quotes_count"] == 2 and r.features[P + "quotes_attributed_count"] == 2


def test_definite_role_is_identified_indefinite_role_is_anonymous(extractor):
    _, r = run(extractor, "The spokesperson said the figures were wrong. A spokesperson said the figures were wrong.")
    assert texts(r, "named_attribution") == ["The spokesperson said"]
    assert texts(r, "vague_attribution") == ["A spokesperson said"]


def test_nouns_and_agentless_passives_are_not_attributions(extractor):
    _, r = run(extractor, "The claims were denied. China's claims are baseless. He made his statement. "
                          "The decision was announced on Monday. As noted above, the plan is fair.")
    assert r.features[P + "attributions_count"] == 0
    assert math.isnan(r.features[P + "named_attribution_share"])


def test_the_authors_first_person_and_things_are_not_sources(extractor):
    _, r = run(extractor, "I think the plan is fair. We believe it works. The fee is set according to the rules. "
                          "He criticised Biden, saying he was weak. I would say the motion claims too much.")
    assert r.features[P + "attributions_count"] == 0


def test_bare_surname_at_sentence_start_is_named_but_bare_plural_is_not(extractor):
    _, r = run(extractor, "Haqqani said the talks failed. Protesters said nothing. Reuters reported the deal.")
    assert texts(r, "named_attribution") == ["Haqqani said", "Reuters reported"]


def test_coordinated_verb_keeps_its_source_and_unresolved_pronoun_is_vague(extractor):
    _, r = run(extractor, "Minister Wang said the talks were useful and added that more work remains.")
    assert texts(r, "named_attribution") == ["Minister Wang said", "added"]
    _, r = run(extractor, "The weather was fine. The market was calm. Then it rained. They argue that it matters.")
    assert texts(r, "vague_attribution") == ["They argue"]


# ---------------------------------------------------------------------------
# quotes and citations

def test_titled_quote_is_a_citation_and_floating_quote_is_unattributed(extractor):
    _, r = run(extractor, 'The draft resolution, titled "Strengthening Cooperation on Artificial Intelligence", '
                          'was tabled. The plan is "a bridge to the future for all".')
    assert texts(r, "citation") == ['"Strengthening Cooperation on Artificial Intelligence"']
    assert texts(r, "quote") == ['"a bridge to the future for all"']
    assert r.features[P + "quotes_attributed_count"] == 0


def test_citations_of_resolutions_laws_and_studies(extractor):
    _, r = run(extractor, "The Security Council adopted Resolution 2728 on March 25, 2024. A study by Stanford "
                          "University found that 37% of firms use AI. The Paris Agreement and the UN Charter apply. "
                          "Under Article 51, states may act. The draft resolution was discussed.")
    assert texts(r, "citation") == ["Resolution 2728", "A study by Stanford University", "Paris Agreement",
                                    "UN Charter", "Article 51"]
    assert r.features[P + "citations_distinct"] == 5
    assert "2728" not in texts(r, "number")  # an instrument's number is not a figure


def test_published_in_needs_a_named_venue(extractor):
    _, r = run(extractor, "Her paintings are published in the book. The findings were published in Nature.")
    assert texts(r, "citation") == ["published in Nature"]


def test_title_case_headline_words_are_not_citations(extractor):
    _, r = run(extractor, "China’s Bold Initiative Takes Center Stage at UN\n\nThe proposal was welcomed.")
    assert r.features[P + "citations_count"] == 0


# ---------------------------------------------------------------------------
# numbers and dates

def test_figures_money_percent_dates(extractor):
    doc, r = run(extractor, "Revenue rose to $5 million in 2023, up 12 percent from 300 billion yuan. "
                            "The vote was 14 to 0 on May 5. They may meet 3 times.")
    assert texts(r, "money") == ["$5 million", "300 billion yuan"]
    assert texts(r, "percent") == ["12 percent"]
    assert texts(r, "date") == ["2023", "May 5"]
    assert texts(r, "number") == ["14", "0", "3"]  # the modal "may" is not a month
    assert r.features[P + "specifics_per_1k"] == pytest.approx(8 * 1000 / doc.segmentation.n_words)
    f = r.features
    assert (f[P + "numbers_count"], f[P + "percentages_count"], f[P + "money_count"], f[P + "dates_count"]) == \
        (3, 1, 2, 2)


def test_list_numbering_and_codes_are_not_statistics(extractor):
    _, r = run(extractor, "Key points\n1. First item here\n2) Second item here\n  • 1The Chinese side agreed.\n"
                          "COVID-19 spread and the G20 met.")
    assert r.features[P + "numbers_count"] == 0


# ---------------------------------------------------------------------------
# byline, date, disclaimers and social calls (body lines, boilerplate, metadata)

def test_page_furniture_left_in_the_body(extractor):
    _, r = run(extractor, "Body text here.\nBy Jane Smith, Reuters\nPhoto by John Doe\nShare this:\n"
                          "Subscribe to our newsletter\nDisclaimer: This is not financial advice.")
    f = r.features
    assert texts(r, "byline") == ["By Jane Smith, Reuters"]
    assert texts(r, "social_call") == ["Share this:", "Subscribe to our newsletter"]
    assert f[P + "has_disclaimer"] == 1 and f[P + "has_byline"] == 1


def test_photo_credit_and_share_prices_are_not_byline_or_social(extractor):
    _, r = run(extractor, "Photo by John Doe\nShare prices fell on Monday.\nThe market closed.\n"
                          "Disclaimer poster held up by protesters. Image: Paul Budd.")
    f = r.features
    assert f[P + "has_byline"] == 0 and f[P + "social_calls_count"] == 0 and f[P + "has_disclaimer"] == 0


def test_signals_from_boilerplate_and_metadata_live_in_extra(extractor):
    doc = Document(id="b", body="The ministry said the plan works.", outlet="Daily Brief", date="2025-02-15",
                   boilerplate=[BoilerplateBlock("disclaimer", "Not investment advice.", 40, 62),
                                BoilerplateBlock("social", "Share link:", 63, 74),
                                BoilerplateBlock("author_bio", "Daily Brief Editorial", 75, 96)])
    r = extractor.score(doc)
    f = r.features
    assert (f[P + "has_disclaimer"], f[P + "social_calls_count"], f[P + "has_date"]) == (1, 1, 0)
    assert f[P + "has_byline"] == 0  # the outlet's own credit
    # a sidecar date is no signal of what the page shows; the boilerplate blocks are
    assert [o["where"] for o in r.extra["outside_body"]] == ["boilerplate", "boilerplate", "boilerplate"]
    doc.meta["date_source"] = "page"  # the page's own metadata (HTML), not a sidecar: a date shown
    assert extractor.score(doc).features[P + "has_date"] == 1
    doc.author = "Embassy Spokesperson"  # a role, not a named author
    assert extractor.score(doc).features[P + "has_byline"] == 0
    doc.author = "Jane Smith"
    assert extractor.score(doc).features[P + "has_byline"] == 1


# ---------------------------------------------------------------------------
# headline

def test_clickbait_headlines(extractor):
    _, r = run(extractor, "Text of the story.", title="You Won't Believe What China Did Next?")
    assert r.features[P + "headline_question"] == 1
    assert {o["text"] for o in outside(r, "headline")} >= {"You Won't Believe", "?"}
    _, r = run(extractor, "Text of the story.", title="10 Ways AI Will Change EVERYTHING at NATO!")
    f = r.features
    assert f[P + "headline_listicle"] == 1 and f[P + "headline_caps_count"] == 1  # NATO is an acronym
    for o in outside(r, "headline"):
        assert "10 Ways AI Will Change EVERYTHING at NATO!"[o["start"]:o["end"]] == o["text"]


def test_plain_headline_has_no_cues(extractor):
    _, r = run(extractor, "Text of the story.", title="China proposes UN resolution on AI capacity building")
    assert r.features[P + "headline_cues_count"] == 0


# ---------------------------------------------------------------------------
# constructs owned by other families are not recounted here

def test_hedges_and_cognition_stances_are_not_credibility_signals(extractor):
    _, r = run(extractor, "This is clearly the right policy. China believes the plan will work. Critics believe "
                          "it will fail.")
    assert not any(c.startswith(P + "author_") for c in r.features)  # hedges/boosters: the hedging family's
    assert texts(r, "named_attribution") == []  # "China believes": a stance (framing family)
    assert texts(r, "vague_attribution") == ["Critics believe"]  # a weasel attribution is sourcing


def test_the_questioners_words_are_not_the_documents_sourcing(extractor):
    _, r = run(extractor, "Question: Critics say the plan failed. What is your comment?\n"
                          "Spokesperson: The plan has succeeded.")
    assert r.features[P + "vague_attributions_count"] == 0


# ---------------------------------------------------------------------------
# contract

def test_columns_are_declared_and_described(extractor, seed_results):
    assert set(extractor.column_descriptions) == set(extractor.columns)
    for result in seed_results.values():
        assert list(result.features) == list(extractor.columns)
    assert get_extractor("credibility").name == "credibility"


def test_user_lexicon_extends_reporting_verbs(tmp_path):
    lex = tmp_path / "extra.tsv"
    lex.write_text("# name: extra\n# version: 1\n# source: test\n# licence: CC0\nopined\treporting_verb\t1\n",
                   encoding="utf-8")
    text = "Senator Jane Smith opined that the bill is weak."
    assert CredibilityExtractor().score(make_document("x", text)).features[P + "attributions_count"] == 0
    r = CredibilityExtractor(extend=[lex]).score(make_document("x", text))
    assert texts(r, "named_attribution") == ["Senator Jane Smith opined"]
    names = [res["name"] for res in CredibilityExtractor(extend=[lex]).resources()]
    assert names == ["credibility_attribution", "credibility_citations", "credibility_headlines", "extra"]


def test_weasel_attribution_task_scores_texts():
    from framing.evaluate import TASKS, _ensure_tasks

    _ensure_tasks()

    scores, decisions = TASKS["weasel-attribution"].predict(
        ["Critics argue that the law fails. Some say it is too late.", "The ministry said the law passed."])
    assert list(decisions) == [1, 0] and list(scores) == [2.0, 0.0]


FIGURE_TEXTS = [
    "On September 15th, 2025 the fund (US$5 million, or 12 percent) met; 3.5 and 924,000 and G20 and 5G.",
    "No digits at all in this sentence, only Capitals like January and Mars.",
    "Resolution 2728 of 2024, COVID-19, RMB 300 billion, €4bn, 15 May 2024, 2024-05-15, 5/15/24, the 1990s.",
    "1. First item\n2) second item\n" + "x" * 300 + " 7",
]


@pytest.mark.parametrize("text", FIGURE_TEXTS)
def test_figures_found_near_digits_as_by_full_scan(text: str) -> None:
    from framing.extractors.credibility import _FIGURE_RE, _figure_matches

    def spans(matches):
        return [(m.span(), m.lastgroup) for m in matches]

    assert spans(_figure_matches(text)) == spans(_FIGURE_RE.finditer(text))


def test_lines_with_and_without_the_advice_alternative() -> None:
    from framing.extractors.credibility import _LINE_RE, _find_lines

    text = ("By Jane Doe\nShare this article\nThis post is not financial advice.\n"
            "Disclaimer: views are the author's.\nMarch 3, 2024")
    every_line = [m for start in (0, *(i + 1 for i, c in enumerate(text) if c == "\n"))
                  if (m := _LINE_RE.match(text, start))]
    assert _find_lines(text) == [(m.start(m.lastgroup), m.end(m.lastgroup), m.lastgroup) for m in every_line]
    assert [k for _, _, k in _find_lines(text)] == ["byline", "social", "disclaimer", "disclaimer", "dateline"]
    assert [k for _, _, k in _find_lines(text.replace("not financial advice", "fine"))] == [
        "byline", "social", "disclaimer", "dateline"]

"""Boilerplate separation: the seeds' page furniture leaves the body, article sentences stay."""
from __future__ import annotations

import pytest

from framing.boilerplate import separate
from framing.document import BOILERPLATE_CATEGORIES


def _blocks(doc, category):
    return [b.text for b in doc.boilerplate if b.category == category]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _without_blocks(source: str, blocks) -> str:
    parts, pos = [], 0
    for b in sorted(blocks, key=lambda b: b.start):
        parts.append(source[pos:b.start])
        pos = b.end
    parts.append(source[pos:])
    return "".join(parts)


@pytest.mark.parametrize("key", ["000", "001", "002", "003"])
def test_blocks_trace_back_and_body_is_source_minus_blocks(seed_docs, key):
    doc = seed_docs[key]
    for block in doc.boilerplate:
        assert doc.source_text[block.start:block.end] == block.text
        assert block.category in BOILERPLATE_CATEGORIES and block.rule
    # nothing but the blocks (and the line breaks around them) is removed
    assert _squash(doc.body) == _squash(_without_blocks(doc.source_text, doc.boilerplate))


def test_seed_003_furniture_is_separated(seed_docs):
    doc = seed_docs["003"]
    assert _blocks(doc, "disclaimer") == [
        doc.source_text[doc.source_text.index("Disclaimer."):doc.source_text.index("investment decisions.") + 21]]
    assert "Share link:" in _blocks(doc, "social")
    assert "Subscribe to CryptoPolitan" in _blocks(doc, "social")
    assert "Stay on top of crypto news, get daily updates in your inbox" in _blocks(doc, "social")
    bio, = _blocks(doc, "author_bio")
    assert bio.startswith("Emman Omwanda\n") and "is a blockchain reporter who" in bio
    related = _blocks(doc, "related")
    assert "Most read" in related and any(r.startswith("Related News") and "generative AI" in r for r in related)
    assert _blocks(doc, "loading") == ["Loading Most Read articles..."]
    for furniture in ("Disclaimer", "Share link", "Omwanda", "Related News", "Most read", "Loading", "Subscribe",
                      "generative AI", "daily updates"):
        assert furniture not in doc.body, furniture
    # the article itself is intact, bullets included
    assert doc.body.startswith("Charting a Course for AI Harmony")
    assert "• China’s proposal aims to bridge AI intelligence gap." in doc.body
    assert doc.body.rstrip().endswith("shaping the future of this transformative technology.")


def test_seed_001_labels_prompts_and_related_block(seed_docs):
    doc = seed_docs["001"]
    assert _blocks(doc, "social") == ["Share Article"]
    assert _blocks(doc, "related") == ["Related Articles\n\n📰\nNo related articles found"]
    labels = _blocks(doc, "section_label")
    assert {"Key Takeaways", "Editor's\nDesk", "Strategic Analysis", "Strategic Insight"} <= set(labels)
    assert _blocks(doc, "author_bio") == ["China Daily Brief Editorial", "China Daily Brief"]
    caption, = _blocks(doc, "caption")
    assert caption.startswith("Close-up of the Chinese national emblem")
    for furniture in ("Share Article", "Related Articles", "📰", "No related articles", "Key Takeaways", "Editor's",
                      "Close-up", "Strategic Insight"):
        assert furniture not in doc.body, furniture
    # the key takeaways themselves and the editor's analysis are the author's words: they stay,
    # without the list counter glued to their first word
    assert [b.text for b in doc.boilerplate if b.rule == "glued_list_number"] == ["1", "2", "3", "4"]
    assert "• The Chinese Foreign Ministry emphasizes" in doc.body and "• 4China" not in doc.body
    assert doc.body.count("Beijing’s 'AI for good' diplomacy is less about altruism") == 1


def test_seed_000_head_links_caption_and_photo_credit(seed_docs):
    doc = seed_docs["000"]
    nav = _blocks(doc, "navigation")
    links = ("Facial Recognition in Chinese Consulates\nFebruary 15, 2025\n"
             "Problems with AI in Visa Processing: Challenges and Global Perspectives")
    assert nav == [links, "February 15, 2025"]
    assert _blocks(doc, "photo_credit") == ["Photo by Matheus Bertelli"]
    assert _blocks(doc, "caption") == ["Diplomatic negotiations between countries in the office"]
    # the glued date is cut, the article title that follows it stays as the first line
    assert doc.body.lstrip().startswith("Chinese Consulates AI Policy: Bridging Diplomatic and Technological Frontiers\n")
    assert doc.title == "Chinese Consulates AI Policy: Bridging Diplomatic and Technological Frontiers"
    # content headings are not labels
    assert "\nGlobal Presence and Influence\n" in doc.body and "\nConclusion\n" in doc.body


def test_official_statement_is_untouched(seed_docs):
    doc = seed_docs["002"]
    assert doc.boilerplate == []
    assert doc.body == doc.source_text


def test_counts_per_category(seed_docs):
    counts = seed_docs["003"].boilerplate_counts()
    assert set(counts) == set(BOILERPLATE_CATEGORIES)
    assert counts["social"] == 3 and counts["disclaimer"] == 1 and counts["author_bio"] == 1
    assert counts["related"] == 2 and counts["loading"] == 1


NEWS = (
    "Regulators met on Tuesday to discuss the new rules for artificial intelligence.\n"
    "{line}\n"
    "The ministry said it would publish a final draft in the spring, after consultations with industry.\n"
)


@pytest.mark.parametrize("line", [
    "The company said it would share its data with regulators before the vote.",
    "The platform now has 2 million subscribers, up from 1.2 million a year earlier.",
    "Share prices fell sharply after the announcement.",
    "Officials declined to follow the script and answered questions about related cases.",
    "The report was published by Reuters.",
    "A photo of the leaked memo was shared online.",
    "Loading of the cargo ships continued through the night.",
    "Disclosure of the documents was ordered by the court.",
    "Wang Yi is a veteran diplomat who has led talks with Washington for years.",
    "Analysis of the data showed a sharp rise in exports.",
    "By the end of the year, the rules will apply to every provider.",
    "Home ownership fell to a ten-year low in the capital.",
    "Most read newspapers in the region carried the story on their front pages.",
    "Photos by the victims' families were displayed in the hall.",
    "Receiving countries get regular updates from the agency.",
])
def test_article_sentences_stay_in_the_body(line):
    text = NEWS.format(line=line)
    sep = separate(text)
    assert sep.blocks == []
    assert sep.body == text


@pytest.mark.parametrize("line, category", [
    ("Home > News > World", "navigation"),
    ("Skip to content", "navigation"),
    ("Next article: Chip exports fall again", "navigation"),
    ("Image: Getty", "photo_credit"),
    ("Photo by Jane Doe/Reuters", "photo_credit"),
    ("John Smith/AFP via Getty Images", "photo_credit"),
    ("Loading...", "loading"),
    ("Loading comments…", "loading"),
    ("Follow us on Twitter and Facebook", "social"),
    ("Sign up for our newsletter to get the latest news in your inbox", "social"),
    ("Share this story", "social"),
    ("By Jane Doe and John Smith", "author_bio"),
    ("Advertisement", "other"),
    ("Opinion", "section_label"),
    ("Sponsored", "section_label"),
    ("You may also like", "related"),
    ("Aerial view of the port of Shanghai", "caption"),
])
def test_furniture_lines_are_recognised(line, category):
    text = NEWS.format(line=line)
    sep = separate(text)
    assert [(b.category, b.text) for b in sep.blocks] == [(category, line)]
    assert sep.body == text.replace(line + "\n", "")


def test_disclaimer_heading_takes_its_paragraph():
    text = ("Bitcoin rose 4% on Monday as traders priced in a rate cut by the central bank.\n\nDisclaimer\n\n"
            "Nothing here is investment advice; do your own research before you buy or sell anything at all.\n")
    sep = separate(text)
    assert [b.category for b in sep.blocks] == ["disclaimer"]
    assert sep.blocks[0].rule == "disclaimer_paragraph+disclaimer_body"
    assert sep.body.strip() == "Bitcoin rose 4% on Monday as traders priced in a rate cut by the central bank."


def test_related_header_mid_article_takes_only_itself():
    text = ("Officials met on Tuesday to discuss the rules for artificial intelligence in detail.\n"
            "Related Articles\n"
            "Global Presence and Influence\n"
            "The ministry said it would publish a final draft in the spring after long consultations.\n")
    sep = separate(text)
    assert [(b.category, b.text) for b in sep.blocks] == [("related", "Related Articles")]
    assert "Global Presence and Influence" in sep.body


def test_a_single_title_and_date_at_the_head_are_kept():
    text = ("China Proposes AI Resolution at the UN\nMarch 7, 2024\n"
            "China has announced its intention to present a draft resolution to the United Nations.\n")
    assert separate(text).blocks == []


def test_byline_names_from_metadata():
    text = ("The talks ended without agreement on Friday, officials from both sides said afterwards.\n"
            "Global Policy Review Staff\nJane Roe\n")
    sep = separate(text, outlet="Global Policy Review", author="Jane Roe")
    assert [(b.category, b.text) for b in sep.blocks] == [("author_bio", "Global Policy Review Staff\nJane Roe")]


def test_extra_spans_are_kept_as_given():
    text = "Delegates at the UN\nThe assembly adopted the resolution without a vote on Thursday afternoon.\n"
    sep = separate(text, extra=[(0, 19, "caption", "markdown_image_alt")])
    assert [(b.category, b.text, b.rule) for b in sep.blocks] == [("caption", "Delegates at the UN", "markdown_image_alt")]
    assert sep.body == text[20:]


def test_subtitle_under_the_title_is_not_alt_text_without_image_evidence():
    text = ("How harmful is one cigarette?\nDoctors warn of dangers of a single cigarette\n"
            "Anyone who thinks that an occasional cigarette will not harm them is mistaken, doctors say.\n")
    assert separate(text).blocks == []
    with_credit = text + "Photo by Jane Doe\n"
    assert [b.rule for b in separate(with_credit).blocks] == ["lead_image_alt", "photo_by"]


@pytest.mark.parametrize("opening", [
    "Jim Hoffman is a software engineer and a researcher questioning the official account of the attacks.",
    "While I was working as a reporter, I found out that I was bad at understanding numbers in budgets.",
])
def test_profile_sentences_at_the_top_are_not_author_bios(opening):
    text = opening + "\n" + NEWS.format(line="The committee will meet again next month to review the findings.")
    assert separate(text).blocks == []


def test_glued_list_numbers_need_a_run_from_one():
    text = "• 5G networks are expanding fast.\n• 1The first item.\n• 2The second item.\n• 4The fourth.\n"
    sep = separate(text)
    assert [(b.text, b.start) for b in sep.blocks] == [("1", text.index("1The")), ("2", text.index("2The"))]
    assert sep.body == "• 5G networks are expanding fast.\n• The first item.\n• The second item.\n• 4The fourth.\n"

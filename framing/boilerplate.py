"""Separate page furniture (boilerplate) from the body of a document, keeping every piece.

Scraped articles carry text that is not the author's argument: share and
subscribe prompts, "Related articles" and "Most read" blocks, investment
disclaimers, photo credits and image alt text, bylines and author bios,
"Loading…" placeholders, breadcrumbs and labels of the page template. Scores
computed on that text would be noise, but some of it is a signal in its own
right (social calls and disclaimers count for credibility), so
:func:`separate` returns it as :class:`~framing.document.BoilerplateBlock`
objects — category, exact text, character offsets into the source text and the
rule that fired — and the body is the source with exactly those blocks cut out.

The rules are line-based and conservative: a rule fires only on a *whole line*
(a paragraph of plain text) whose shape is unmistakable, never on a sentence
inside a paragraph, so "The platform now has 2 million subscribers." or "We
share their concern." stay in the body. Decisions worth knowing:

* **Section labels** ("Key Takeaways", "Editor's Desk", "Strategic
  Analysis", "Opinion", "Sponsored", …) are a fixed vocabulary of template
  labels, recognised only when they stand alone on a line (or are split over
  two short lines, as "Editor's / Desk" in scraped text). They are not
  argument, but they tell the genre, so they are kept as ``section_label``.
  Content headings ("Global Presence and Influence") stay in the body.
* **Links to other posts at the head of a page** — two or more
  "headline / date" pairs before the article's own title, as in a blog's
  recent-posts strip ("Facial Recognition in Chinese Consulates / February
  15, 2025 / Problems with AI in Visa Processing / February 15, 2025") — are
  ``navigation``: they link away from the article. A single headline/date pair
  is the article's own title and date and stays. A date glued to the next
  line ("February 15, 2025Chinese Consulates AI Policy…") belongs to the last
  link; the rest of that line is the article's title and stays in the body.
* **Related blocks**: a "Related Articles" / "Related News" / "Most read"
  header is ``related``; what follows it is swallowed only when it is a
  trailing block (no prose paragraph after it): tag lines ("generative AI"),
  "No related articles found", emoji markers ("📰"). A related header in the
  middle of an article takes only itself (and empty-list markers).
* **Author bios**: a paragraph "NAME is a/an … reporter/writer/editor/… who
  …" or "NAME covers …" in the last 40 % of the lines (after the article: the
  same shape at the top is a profile of the article's subject), plus the
  name line just above it (the byline, which may be a short form of the
  name: "Emman Omwanda" / "Emmanuel Omwanda").
  Bylines "By NAME" and lines naming the known outlet or author (optionally
  with "Editorial", "Staff", "Desk", …) are ``author_bio`` too.
* **List ordinals glued to words** ("• 1The Chinese Foreign Ministry …",
  "• 2Beijing …"): the digits of a numbered run 1, 2, 3 … are cut (category
  ``other``) so they do not count as numbers in the article; the item text
  stays.
* **Image alt text** (``caption``): lines opening with the stock alt-text
  phrases ("Close-up of …", "Aerial view of …", "Photo of …"), and a short
  sentence-case line without final punctuation directly under the title
  and followed by prose (the lead image's alt text of blog templates) —
  the latter only when the page also has a photo credit or caption, since
  that shape is otherwise usually a subtitle.

A block that fills whole lines is cut together with its indentation and
line break; everything else in the source (other line breaks, spaces, the
title line) is preserved exactly.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .document import BOILERPLATE_CATEGORIES, BoilerplateBlock

__all__ = ["SECTION_LABELS", "Separation", "separate"]

#: Template labels recognised when they stand alone on a line (lower-case, straight apostrophes).
SECTION_LABELS = frozenset(
    label.strip() for label in """
    key takeaways|key points|key facts|takeaways|highlights|in brief|at a glance|summary|tl;dr|tldr
    editor's desk|editor's note|editor's pick|editors' picks|editor's choice|from the editor
    strategic analysis|strategic insight|analysis|news analysis|opinion|op-ed|commentary|editorial|perspective
    sponsored|sponsored content|sponsored post|paid content|paid post|partner content|promoted|advertorial
    press release|breaking|breaking news|exclusive|explainer|fact check|live updates|latest news
    what we know|what you need to know|why it matters|the big picture|our take
    """.replace("\n", "|").split("|")
) - {""}

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE = (rf"(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\.?,?\s+\d{{4}}|"
         r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})")
_DATE_LINE = re.compile(rf"\s*{_DATE}(?:\s*(?:\||·|•|-)?\s*\d{{1,2}}:\d{{2}}(?:\s*[AaPp]\.?[Mm]\.?)?)?\s*$")
_DATE_GLUED = re.compile(rf"\s*{_DATE}(?=[A-Z\"“‘])")

_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|da|van|von|der|bin|al|el|la|le)"
_NAME = rf"[A-Z][\w'’.-]+(?:\s+{_NAME_WORD}){{1,3}}"
_BYLINE_ROLES = (r"(?:editorial(?: board| team| desk)?|staff(?: writer| reporter)?|team|desk|news ?desk|newsroom|"
                 r"reporter|correspondent|contributor|bureau|wire)")

# Single-line rules: (category, rule name, pattern matched against the stripped line).
_LINE_RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (cat, name, re.compile(rx, re.IGNORECASE)) for cat, name, rx in (
        ("loading", "loading_line",
         r"loading(?:\s+[\w' -]{0,60})?(?:\.{2,}|…)|loading|(?:please wait|fetching|retrieving)[\w ]{0,40}(?:\.{2,}|…)"),
        ("social", "share_prompt",
         (r"(?:share(?: this| the)?(?: article| story| post| page| link| via| on \w+)?|share(?: it)? with "
          r"(?:your )?friends|tweet(?: this)?|email this|print(?: this)?(?: article)?|copy link)\s*[:!.]?")),
        ("social", "subscribe_prompt",
         (r"(?:subscribe|sign up|follow us|follow|join us|join)(?: (?:to|for|on|at|us on|our)\b[^.!?]{0,60})?"
          r"\s*[:!.]?")),
        ("social", "newsletter_prompt",
         (r"(?:stay on top of|stay (?:up to date|updated|informed)|get (?:the latest|daily|weekly|our)|"
          r"sign up (?:for|to)|subscribe (?:to|for)|don'?t miss|never miss|receive|want (?:more|the latest)|"
          r"enter your email)\b[^.!?]{0,120}(?:your inbox|newsletter|updates|alerts)[^.!?]{0,40}[.!]?")),
        ("social", "follow_prompt",
         (r"(?:follow|like|find) (?:us|\w+(?: \w+)?) on (?:twitter|x|facebook|telegram|instagram|linkedin|"
          r"youtube|tiktok|google news|threads|bluesky|whatsapp)(?:[ ,]+(?:and|or|&) \w+(?: \w+)?)*\s*[.!]?")),
        ("disclaimer", "disclaimer_paragraph",
         r"(?:(?:legal |investment |financial )?disclaimer|disclosure)(?:\s*[.:—–-]\s*.*)?"),
        ("disclaimer", "not_advice",
         (r"(?:this (?:article|content|post|information) is (?:provided )?for (?:general )?informational? "
          r"purposes only|(?:the )?(?:views|opinions) expressed (?:here|in this (?:article|piece|column))|"
          r"nothing (?:in|on) this (?:article|page|site) (?:constitutes|should be)|"
          r"the information provided (?:here |on this page )?is not (?:trading|investment|financial) advice)\b.*")),
        ("photo_credit", "photo_by",
         (r"\(?(?:photo(?:graph)?s?|image|picture|pic|illustration|credit|photo credit|image credit|"
          r"image source|featured image|header image|cover image)(?:\s+by|\s*:|\s+courtesy of|\s+via)\s*"
          r"[^.!?]{1,80}\)?\s*\.?")),
        ("caption", "alt_text",
         (r"(?:close-?up of|aerial view of|view of|an? (?:photo|picture|image|illustration|view|close-?up) of|"
          r"photo of|image of|picture of|illustration of|portrait of|stock (?:photo|image) of|file photo)\b.*")),
        ("navigation", "skip_link",
         (r"(?:skip to (?:main )?content|skip to navigation|back to top|jump to (?:navigation|content)|"
          r"toggle navigation|main menu|menu|search|close|open menu|home|go to homepage)")),
        ("navigation", "prev_next",
         (r"(?:previous|next|prev|older|newer) (?:post|article|story|entry)\b\s*[:»«›‹>]?.{0,150}|"
          r"(?:previous|next)\s*[:»«›‹>].{1,150}")),
        ("navigation", "breadcrumb",
         (r"(?:home|news|main)(?:\s*[>»›|/]\s*[\w&'’ .-]{1,30}){1,6}|"
          r"[\w&'’.-]+(?: [\w&'’.-]+){0,3}(?:\s*([>»›])\s*[\w&'’.-]+(?: [\w&'’.-]+){0,3}){2,6}")),
        ("related", "related_header",
         (r"(?:related|more|similar|recommended|suggested|trending|popular|top)\s+(?:articles?|news|posts?|"
          r"stories|reads?|reading|content|videos?|coverage|topics)\s*:?|most (?:read|popular|viewed|shared)"
          r"(?:\s+(?:articles?|stories|news|posts?))?\s*:?|you (?:may|might) (?:also )?(?:like|enjoy)\s*:?|"
          r"read (?:more|next|also)\s*:?|also read\s*:?|see also\s*:?|further reading\s*:?|more from [\w .'’&-]{1,40}")),
        ("other", "ad_marker", r"(?:advertisement|advert|ad|sponsored links?|story continues below(?: advertisement)?)"),
    )
)

# "(Jane Doe/)Getty Images", "AFP via Getty Images", "(Reuters)": an agency credit alone on a line
_AGENCY_CREDIT_RE = re.compile(
    r"[(\[]?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*/\s*)?"
    r"(?:Getty Images|Reuters|AP Photo|AP|AFP|Shutterstock|Pexels|Unsplash|iStock|Alamy|EPA|Xinhua|Bloomberg)"
    r"(?:\s*(?:/|via)\s*[A-Z][\w .]{1,30})?[)\]]?\.?")
_FINITE_RE = re.compile(r"\b(?:is|are|was|were|will|would|can|could|has|have|had|says|said|may|might|should|must|"
                        r"do|does|did|shows|showed|shared|reported|displayed|published)\b", re.IGNORECASE)
# a person's name opening a bio: two to four capitalised words, not a sentence opener ("While I was …")
_PERSON = (r"(?!(?:The|This|That|These|Those|While|When|After|Before|If|As|In|On|At|For|But|And|Our|His|Her|"
           r"Their|Its|It|He|She|We|They|You|Your|My|Today|Now|Here|There)\b)"
           r"[A-Z][a-zA-Z'’.-]+(?:\s+(?:[A-Z][a-zA-Z'’.-]+|de|da|van|von|der|bin|al|el|la|le)){1,3}")
_BIO_RE = re.compile(
    rf"({_PERSON})\s+(?:is|was|has been|serves as|works as)\s+(?:an?\s+|the\s+)?(?:[\w,'’-]+\s+){{0,6}}"
    r"(?:reporter|journalist|writer|editor|author|analyst|contributor|correspondent|columnist|blogger|"
    r"researcher|freelancer|producer|strategist|enthusiast|expert)\b|"
    rf"({_PERSON})\s+(?:covers|writes about|reports on)\b"
)
_BY_RE = re.compile(rf"(?:By|BY|by)\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s*[,|·•-]\s*[\w .'’-]{{1,40}})?")
_GENERIC_BYLINE_RE = re.compile(rf"((?:[A-Z][\w'’&.-]*\s+){{1,5}}?)(?i:{_BYLINE_ROLES})")
_NAME_LINE_RE = re.compile(rf"(?:[Bb]y\s+)?{_NAME}")
_EMPTY_LIST_RE = re.compile(r"no (?:related|more|other) (?:articles?|posts?|stories|news|items?)(?: found)?\.?|"
                            r"nothing (?:found|to show)\.?|[^\w\s]{1,3}", re.IGNORECASE)
_TERMINAL = tuple('.!?"”’)…')


@dataclass
class Separation:
    """The result of :func:`separate`: the body and the blocks cut out of the source."""

    body: str
    blocks: list[BoilerplateBlock]


@dataclass
class _Line:
    start: int      # first non-space character
    end: int        # end of the stripped content
    cut_start: int  # start of the line (indentation included)
    cut_end: int    # end of the line, line break included
    text: str       # stripped content
    n_words: int


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        cut_end = n if nl < 0 else nl + 1
        raw = text[pos:line_end]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            s = pos + lead
            out.append(_Line(s, s + len(stripped), pos, cut_end, stripped, len(stripped.split())))
        pos = cut_end
    return out


def _is_prose(line: _Line) -> bool:
    """A line that reads like a paragraph of the article (not a label, tag or headline)."""
    return line.n_words >= 20 or (line.n_words >= 8 and line.text.endswith(_TERMINAL))


def _is_name_line(text: str) -> bool:
    return len(text) <= 60 and _NAME_LINE_RE.fullmatch(text) is not None


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).rstrip(":")


def _label_of(text: str) -> str | None:
    norm = _normal(text)
    return norm if norm in SECTION_LABELS else None


_SHORT_LINE = 30  # words; longer lines are paragraphs, where only whole-paragraph rules may fire


def _match_line(line: _Line, known_names: Sequence[str]) -> tuple[str, str] | None:
    """The (category, rule) of a line that is boilerplate on its own, or None."""
    text = line.text
    if line.n_words > _SHORT_LINE:
        for cat, name, rx in _LINE_RULES:
            if cat == "disclaimer" and rx.fullmatch(text):
                return cat, name
        return None
    if line.n_words <= 4 and _label_of(text):
        return "section_label", "section_label"
    norm = _normal(text)
    for known in known_names:
        if norm == known or norm == "by " + known or (
                norm.startswith(known + " ") and _GENERIC_BYLINE_RE.fullmatch(text)):
            return "author_bio", "byline_known_name"
    for cat, name, rx in _LINE_RULES:
        if rx.fullmatch(text):
            if name in ("alt_text", "photo_by") and _FINITE_RE.search(text):
                continue  # "A photo of the memo was shared online." is a sentence, not alt text or a credit
            return cat, name
    if _AGENCY_CREDIT_RE.fullmatch(text):
        return "photo_credit", "agency_credit"
    if _BY_RE.fullmatch(text):
        return "author_bio", "byline_by"
    if line.n_words <= 7 and _GENERIC_BYLINE_RE.fullmatch(text) and text[0].isupper():
        return "author_bio", "byline_role"
    return None


def _known_names(names: Iterable[str | None]) -> list[str]:
    return sorted({_normal(n) for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True)


def separate(text: str, *, outlet: str | None = None, author: str | None = None,
             extra: Iterable[tuple[int, int, str, str]] = (), lead_alt: bool = True) -> Separation:
    """Split ``text`` into the body and the boilerplate blocks.

    Parameters
    ----------
    text : str
        The source text (plain text, or the text extracted from HTML or Markdown).
    outlet, author : str, optional
        Known names from metadata; a line that is just the outlet's or the
        author's name (a byline) is boilerplate.
    extra : iterable of (start, end, category, rule)
        Spans already known to be boilerplate (e.g. Markdown image alt text).
    lead_alt : bool
        Look for the lead image's alt text under the title (plain text and
        Markdown; HTML extraction already drops images).

    Returns
    -------
    Separation
        ``body`` (``text`` with every block cut out) and ``blocks`` in source
        order, each with its category, exact text, offsets into ``text`` and rule.
    """
    lines = _lines(text)
    labels: list[tuple[str, str] | None] = [None] * len(lines)
    names = _known_names([outlet, author])
    partial: list[tuple[int, int, str, str]] = []  # sub-line blocks
    for start, end, cat, rule in extra:
        _claim_span(lines, labels, partial, start, end, cat, rule)

    head_nav_end = _mark_head_navigation(lines, labels, partial)
    for i, line in enumerate(lines):
        if labels[i] is not None or i < head_nav_end:
            continue
        hit = _match_line(line, names)
        if hit and hit[1] == "byline_role" and not names:
            # "China Daily Brief Editorial" names the outlet: later lines naming it are bylines too
            m = _GENERIC_BYLINE_RE.fullmatch(line.text)
            if m and m.group(1).strip():
                names = _known_names([m.group(1).strip()])
        labels[i] = hit
    _mark_split_labels(lines, labels)
    _mark_author_bios(lines, labels)
    _mark_disclaimer_headers(lines, labels)
    _mark_related_blocks(lines, labels)
    _mark_glued_list_numbers(lines, labels, partial)
    if lead_alt:
        _mark_lead_alt_text(lines, labels, head_nav_end)
    blocks = _merge(text, lines, labels, partial)
    return Separation(_cut(text, lines, labels, partial), blocks)


def _claim_span(lines: list[_Line], labels: list, partial: list, start: int, end: int, cat: str, rule: str) -> None:
    for i, line in enumerate(lines):
        if line.start >= start and line.end <= end:
            labels[i] = (cat, rule)
        elif line.start < end and start < line.end:
            partial.append((start, end, cat, rule))
            return


def _mark_head_navigation(lines: list[_Line], labels: list, partial: list) -> int:
    """Label >= 2 'headline / date' link pairs before the article title; return the first line after them."""
    i, pairs = 0, 0
    while i + 1 < len(lines):
        head, date = lines[i], lines[i + 1]
        if labels[i] is not None or _is_prose(head) or head.n_words > 20 or head.text.endswith(_TERMINAL[:3]):
            break
        if _DATE_LINE.fullmatch(date.text):
            pairs += 1
            i += 2
            continue
        glued = _DATE_GLUED.match(date.text)
        if glued and pairs >= 1:
            pairs += 1
            i += 1
            if pairs >= 2:
                for j in range(i):
                    labels[j] = ("navigation", "head_post_links")
                partial.append((date.start, date.start + glued.end(), "navigation", "head_post_links"))
            return i if pairs >= 2 else 0
        break
    if pairs >= 2:
        for j in range(i):
            labels[j] = ("navigation", "head_post_links")
        return i
    return 0


_GLUED_NUMBER_RE = re.compile(r"[•·▪◦‣∙*–-]\s*([1-9][0-9]?)(?=[A-Z])")


def _mark_glued_list_numbers(lines: list[_Line], labels: list, partial: list) -> None:
    """List ordinals glued to the item's first word ("• 1The …", "• 2Beijing …") in a numbered run 1, 2, 3 …

    The scraped page rendered its list counter into the text; left there, the
    ordinals would count as numbers in the article. Only a run starting at 1
    and counting up qualifies, so "• 5G networks …" stays.
    """
    run: list[tuple[int, int]] = []
    for i, line in enumerate(lines + [None]):  # type: ignore[operator]
        m = _GLUED_NUMBER_RE.match(line.text) if line is not None and labels[i] is None else None
        if m and int(m.group(1)) == len(run) + 1:
            run.append((line.start + m.start(1), line.start + m.end(1)))
            continue
        if len(run) >= 2:
            partial.extend((s, e, "other", "glued_list_number") for s, e in run)
        run = []
        if m and m.group(1) == "1":
            run.append((line.start + m.start(1), line.start + m.end(1)))


def _mark_split_labels(lines: list[_Line], labels: list) -> None:
    """Labels broken over two short adjacent lines ("Editor's" / "Desk")."""
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if labels[i] or labels[i + 1] or a.n_words > 3 or b.n_words > 3:
            continue
        if _label_of(a.text + " " + b.text):
            labels[i] = labels[i + 1] = ("section_label", "section_label_split")


def _mark_author_bios(lines: list[_Line], labels: list) -> None:
    """Author bios (and the name line above each), only after the article: in the last 40 % of its lines.

    A profile sentence in the article ("Jim Hoffman is a software engineer
    and researcher who …") has the same shape, so a bio needs the article's
    own text before it.
    """
    n = len(lines)
    for i, line in enumerate(lines):
        if labels[i] is not None or line.n_words > 120 or i < 2 or i < 0.6 * n:
            continue
        m = _BIO_RE.match(line.text)
        if not m:
            continue
        labels[i] = ("author_bio", "author_bio")
        bio_name = m.group(1) or m.group(2)
        if i and labels[i - 1] is None and _is_name_line(lines[i - 1].text) and \
                lines[i - 1].text.split()[-1].lower() == bio_name.split()[-1].lower():
            labels[i - 1] = ("author_bio", "byline_above_bio")


def _mark_disclaimer_headers(lines: list[_Line], labels: list) -> None:
    """A bare 'Disclaimer' heading takes the paragraph under it."""
    for i, line in enumerate(lines[:-1]):
        if labels[i] and labels[i][0] == "disclaimer" and line.n_words <= 2 and labels[i + 1] is None:
            labels[i + 1] = ("disclaimer", "disclaimer_body")


def _mark_related_blocks(lines: list[_Line], labels: list) -> None:
    """Empty-list markers after a related header; the whole tail when no prose follows it."""
    for i, lab in enumerate(labels):
        if lab is None or lab[1] != "related_header":
            continue
        j = i + 1
        while j < len(lines) and labels[j] is None and _EMPTY_LIST_RE.fullmatch(lines[j].text):
            labels[j] = ("related", "related_empty")
            j += 1
        rest = range(j, len(lines))
        if all(labels[k] is not None or not _is_prose(lines[k]) for k in rest):
            for k in rest:
                if labels[k] is None:
                    labels[k] = ("related", "related_trailing")
            return


def _is_sentence_case_phrase(line: _Line) -> bool:
    words = line.text.split()
    if not (3 <= len(words) <= 14) or line.text.endswith(_TERMINAL) or line.text.endswith(":"):
        return False
    if not words[0][:1].isupper():
        return False
    content = [w for w in words[1:] if len(w) >= 4 and w.isalpha()]
    return bool(content) and sum(w[0].islower() for w in content) >= max(2, (len(content) * 2 + 2) // 3)


def _mark_lead_alt_text(lines: list[_Line], labels: list, first: int) -> None:
    """The lead image's alt text: a sentence-case phrase between the title and the first paragraph.

    Only on pages whose scrape visibly kept image text (a photo credit or a
    caption elsewhere): without that evidence the same shape is far more often
    a subtitle ("Doctors warn of dangers of a single cigarette").
    """
    if not any(lab and lab[0] in ("photo_credit", "caption") for lab in labels):
        return
    body_lines = [i for i in range(first, len(lines)) if labels[i] is None]
    if len(body_lines) < 3:
        return
    title, cand, nxt = (lines[k] for k in body_lines[:3])
    if not _is_prose(title) and _is_sentence_case_phrase(cand) and _is_prose(nxt):
        labels[body_lines[1]] = ("caption", "lead_image_alt")


#: categories whose adjacent lines form one block (a label or a prompt on each line counts once per line)
_MERGING = frozenset({"related", "author_bio", "disclaimer", "navigation"})


def _merge(text: str, lines: list[_Line], labels: list, partial: list) -> list[BoilerplateBlock]:
    """Blocks in source order; adjacent lines of a :data:`_MERGING` category form one block."""
    spans: list[tuple[int, int, str, list[str]]] = []
    last_line: int | None = None
    for i, lab in enumerate(labels):
        if lab is None:
            last_line = None
            continue
        cat, rule = lab
        if last_line is not None and spans and spans[-1][2] == cat and last_line == i - 1 and (
                cat in _MERGING or rule == spans[-1][3][-1] == "section_label_split"):
            s, _, c, rules = spans[-1]
            spans[-1] = (s, lines[i].end, c, rules if rule in rules else rules + [rule])
        else:
            spans.append((lines[i].start, lines[i].end, cat, [rule]))
        last_line = i
    spans.extend((s, e, c, [r]) for s, e, c, r in partial)
    spans.sort()
    blocks = []
    for s, e, cat, rules in spans:
        if cat not in BOILERPLATE_CATEGORIES:
            cat = "other"
        blocks.append(BoilerplateBlock(cat, text[s:e], s, e, "+".join(rules)))
    return blocks


def _cut(text: str, lines: list[_Line], labels: list, partial: list) -> str:
    """``text`` without the labelled lines (with their indentation and line break) and partial spans."""
    cuts = [(lines[i].cut_start, lines[i].cut_end) for i, lab in enumerate(labels) if lab is not None]
    cuts.extend((s, e) for s, e, _, _ in partial)
    if not cuts:
        return text
    cuts.sort()
    parts, pos = [], 0
    for s, e in cuts:
        if s > pos:
            parts.append(text[pos:s])
        pos = max(pos, e)
    parts.append(text[pos:])
    return "".join(parts)

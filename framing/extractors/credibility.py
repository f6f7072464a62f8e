"""Credibility signals: how a text supports its claims, shown with evidence, never summed into one score.

After the content indicators of the Credibility Coalition (Zhang A.X. et al.,
"A Structured Response to Misinformation: Defining and Annotating Credibility
Indicators in News Articles", WWW '18 Companion), per document:

* **sourcing** — attributions (a reporting verb with its source, "according
  to …", agentless formulae such as "it is widely believed") and whether the
  source is *named* (a person or organisation: "Foreign Minister Wang Yi
  emphasized", "the Ministry of Foreign Affairs said") or *vague* (the weasel
  pattern: "critics argue", "some say", "a senior official said"); direct
  quotations and how many sit in a sentence that attributes them;
* **citations** of documents, studies, laws and resolutions (a capitalised
  name headed by a document noun, "the Shanghai Declaration"; a numbered
  instrument, "Resolution 2728"; a quoted title, 'titled "…"'; a study cue,
  "a study by");
* **specificity** — numerals, percentages, sums of money and dates;
* **byline and date**, **social calls** and **disclaimers**;
* **headline** clickbait and hype (questions, listicle numbers, clickbait
  phrases, hype words and superlatives, all-caps words, exclamations), after
  the features of Chakraborty et al. (ASONAM 2016) and Potthast et al. (ECIR 2016);

Constructs owned elsewhere are not recounted: hedges and boosters are the hedging family's; cognition verbs with
an institution as subject ("China believes") are the framing family's institutional stance, not attributions.
Attributions, quotations, citations and figures in a questioner's turn (Q&A transcripts) are not the document's
sourcing: they are shown as evidence but left out of the counts, and rates are per 1,000 words outside those turns;
a transcript's exchange number ("[4.] Q.") is not a figure. A date counts as shown only when the page shows it (a
dateline in the body, or the date in an HTML page's or Markdown file's own metadata), not when it comes from the
user's sidecar; a photo credit is page furniture, not a byline.

Evidence offsets index ``doc.body``. Signals read from outside the body — the
headline (``doc.title``), boilerplate blocks the cleaner set apart
(``doc.boilerplate``: ``author_bio``, ``social``, ``disclaimer``) and the
``author``/``date`` metadata — are not evidence rows: they are listed in
``Result.extra["outside_body"]`` as dicts with ``signal``, ``category``,
``text``, ``where`` (``title``, ``boilerplate`` or ``metadata``) and offsets
into ``doc.title`` or ``doc.source_text``.

How a source is judged (rule-based, one pass over the tokens):

* the source of a reporting verb is its subject (walking back to a clause
  boundary), a passive agent ("revealed by …"), or, after a quote or comma,
  the words after a finite verb ('…," said Ambassador Zhang');
* *named*: a capitalised name not at a sentence start (a sentence-initial word
  counts when it is capitalised elsewhere in running text, is followed by
  another capitalised word, is an organisation/title/acronym, or is a bare
  singular subject: "Haqqani said"), an organisation ("police said"), or a
  definite role ("the spokesperson said");
* *vague*: weasel subjects ("critics", "experts", "officials", "some"),
  quantified groups ("some Muslims believe"), indefinite roles ("a senior
  official said"), agentless formulae ("it is widely believed", "reportedly");
* pronouns take the kind of the attribution just before (within two
  sentences); otherwise "he/she/it" count as named (one specific source)
  and "they" as vague; the author's own "I/we think" and things ("the report
  says", "according to the rules") are not attributions.

Known limits: a sentence-initial surname ending in -s that appears nowhere
else ("Myers said") is missed; number words ("three") are not figures;
weekday names are not dates.

The detection is transparent: reporting verbs, vague subjects,
titles, organisations, document nouns and headline cues are lexicons
(``credibility_attribution``, ``credibility_citations``,
``credibility_headlines``) that users can replace or extend.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, count
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..attribution import no_speech_reported, outside_questions
from ..cues import cues_of, register_layer
from ..document import Document
from ..lexicon import Lexicon, PhraseMatcher, load_lexicon
from ..segment import WORD_RE, Segmentation
from .base import NAN, Evidence, Extractor, Result, per_1k, register

__all__ = ["LEXICON_NAMES", "CredibilityExtractor"]

#: packaged lexicons, by the constructor argument that replaces each
LEXICON_NAMES = {"attribution_lexicon": "credibility_attribution",
                 "citation_lexicon": "credibility_citations",
                 "headline_lexicon": "credibility_headlines"}
_BODY_CUES = ("reporting_verb", "according", "vague_formula", "study_cue", "source_cue")
_HEADLINE_CUES = ("clickbait", "hype", "superlative")
_WORD_CLASSES = ("vague_subject", "title", "organisation", "document", "numbered", "acronym")

# closed word classes (grammar, not domain vocabulary, so they live here rather than in a lexicon)
_PRONOUNS = frozenset("he she they we i it you".split())
#: the author or reader speaking ("I think", "we believe"): the document's own voice, not an attribution
_FIRST_SECOND_PERSON = frozenset("i we you me us i'm we're you're i've we've you've i'd we'd you'd i'll we'll you'll".split())
_SINGULAR_PRONOUNS = frozenset("he she it".split())
_DEFINITE = frozenset("the this that these those his her its their our".split())
_INDEFINITE = frozenset("a an one some several certain unnamed anonymous another".split())
#: quantifiers that make any source a vague group ("some Muslims believe", "many cosmologists thought")
_VAGUE_QUANTIFIERS = frozenset("some many most several few numerous various certain countless unnamed "
                               "anonymous".split())
_DETERMINERS = _DEFINITE | _INDEFINITE
#: quantifiers of plural nouns, after which a verb would not take -s
_PLURAL_QUANTIFIERS = frozenset("some many several few numerous various both all these those".split())
#: words between a subject and its reporting verb ("has also repeatedly said")
_BETWEEN = frozenset("has have had also again once repeatedly publicly recently previously further then would will "
                     "did does do often always still already never ever later today yesterday clearly strongly "
                     "firmly openly explicitly privately separately earlier reportedly not n't most".split())
#: a token right before the verb that makes the verb a noun ("the claims", "of note")
_NOUN_GUARDS = frozenset("the a an his her its their our your my this these those of in to on with for from at by "
                         "as such any no every each what".split())
_BE = frozenset("is are was were be been being".split())
#: walking back from the verb, the subject stops at these
_CLAUSE_WORDS = frozenset("that which who whom whose and but while as because when if although though where "
                          "whereas since so than after before whether or nor".split())
#: prepositions that open an adverbial before the subject ("With the acquisition Salling said")
_SUBJECT_STOPS = _CLAUSE_WORDS | frozenset("with at during under following amid despite by in on about from over "
                                           "into against".split())
#: after "according to" / inverted "said …": the source stops at these
_NP_STOPS = _CLAUSE_WORDS | frozenset("during at in on for with about to from over under into against amid "
                                      "after before since is are was were has have had".split())
_CONNECTORS = frozenset("of for on and the in de to".split())
_RIGHT_CONNECTORS = frozenset("of on for in to".split())
#: verbs that report a statement only before "that", "to" or a quotation/colon ("claimed that", "claims to be",
#: "maintains that"), not before an object ("claimed responsibility", "Hamas maintains a violent agenda")
_CLAIM_VERBS = frozenset("claim claims claimed maintain maintains maintained".split())


#: "confirm" of an appointment: a person, a title or a nomination as its object ("until Congress confirms
#: Mr. Rockefeller", "the Senate confirmed her nomination") reports no statement
_CONFIRM_VERBS = frozenset(("confirm", "confirms", "confirmed"))
_APPOINTED = frozenset("mr mr. mrs mrs. ms ms. dr dr. judge justice general secretary ambassador him her them "
                       "nominee nominees nomination nominations appointment appointments".split())


def _confirms_an_appointment(d: "_Doc", after: int) -> bool:
    """Whether the "confirm" verb ending before token ``after`` takes a person or a nomination as its object
    (directly, or after "his", "her", "the" or "their")."""
    sentence = d.tok_sent[after - 1]
    for k in (after, after + 1):
        if k >= len(d.lower) or d.tok_sent[k] != sentence:
            return False
        if d.lower[k] in _APPOINTED:
            return True
        if d.lower[k] not in ("his", "her", "the", "their"):
            return False
    return False


def _claim_reports(d: "_Doc", after: int) -> bool:
    """Whether the "claim" verb ending before token ``after`` introduces a statement."""
    if after < len(d.lower) and d.lower[after] in ("that", "to"):
        return True
    end = d.seg.tokens[after - 1][1]
    return d.text[end:end + 3].lstrip()[:1] in (",", ":", '"', "“")


#: "add" introduces a statement only when one (or its speaker) follows: "added that", "added:", ", he added.",
#: "added Smith"; with an object it reports nothing ("has added new facets", "added 300 jobs")
_ADD_VERBS = frozenset(("add", "adds", "added"))
_STATEMENT_AFTER = frozenset(("that", "in"))  # "added that …", "added in a statement"
_STATEMENT_STARTS = frozenset(',;:.()"“”—–!?\n')


def _add_reports(d: _Doc, after: int) -> bool:
    """Whether the "add" verb ending before token ``after`` introduces a statement (not an object)."""
    if after >= len(d.lower) or d.tok_sent[after] != d.tok_sent[after - 1] or d.lower[after] in _STATEMENT_AFTER:
        return True
    end = d.seg.tokens[after - 1][1]
    return d.text[end:end + 3].lstrip()[:1] in _STATEMENT_STARTS or d.seg.words[after][:1].isupper()


#: cognition verbs: with a vague subject a weasel attribution ("critics believe"), with a named one a stance
_COGNITION_VERBS = frozenset("believe believes believed think thinks thought feel feels felt hold holds view "
                             "views consider considers".split())
_BOUNDARY_CHARS = frozenset(',;:()[]"“”—–\n!?')
_POSSESSIVE = ("'s", "’s", "s'", "s’")


def _columns() -> tuple[str, ...]:
    p = "credibility_"
    return tuple(p + c for c in (
        "attributions_count", "attributions_per_1k", "named_attributions_count", "vague_attributions_count",
        "vague_attributions_per_1k", "named_attribution_share",
        "quotes_count", "quotes_per_1k", "quotes_attributed_count",
        "citations_count", "citations_per_1k", "citations_distinct",
        "numbers_count", "percentages_count", "money_count", "dates_count", "specifics_per_1k",
        "has_byline", "has_date", "has_disclaimer", "social_calls_count",
        "headline_cues_count", "headline_question", "headline_listicle", "headline_caps_count",
    ))


def _column_descriptions() -> dict[str, str]:
    p = "credibility_"
    d = {
        "attributions_count": "statements credited to a source (reporting verb + source, 'according to', "
                              "'it is believed'); higher = more sourced claims",
        "attributions_per_1k": "attributions per 1,000 words; higher = more reliance on sources",
        "named_attributions_count": "attributions to a named person or organisation ('Foreign Minister Wang Yi "
                                    "emphasized', 'the Ministry of Foreign Affairs said'); higher = more "
                                    "identifiable sourcing",
        "vague_attributions_count": "attributions to vague or anonymous sources ('critics argue', 'some say', "
                                    "'it is widely believed', 'a senior official said'); higher = more weasel wording",
        "vague_attributions_per_1k": "vague attributions per 1,000 words; higher = more weasel wording",
        "named_attribution_share": "named / all attributions (NaN without attributions); higher = better "
                                   "identified sources (Zhang et al. 2018)",
        "quotes_count": "direct quotations (three words or more; quoted titles excluded); "
                        "higher = more quoted material",
        "quotes_per_1k": "direct quotations per 1,000 words; higher = more first-hand material",
        "quotes_attributed_count": "quotations in a sentence that names or describes their source (higher = "
                                   "better-sourced quotes); quotes_count minus this = free-floating quotes",
        "citations_count": "mentions of documents, studies, laws or resolutions ('the Shanghai Declaration', "
                           "'Resolution 2728', 'a study by'); higher = more checkable references",
        "citations_per_1k": "citations per 1,000 words; higher = more checkable references",
        "citations_distinct": "different documents cited; higher = a wider documentary basis",
        "numbers_count": "numerals that are quantities (not dates, list numbers or instrument numbers); "
                         "higher = more specific",
        "percentages_count": "percentages ('5%', '12 percent'); higher = more specific",
        "money_count": "sums of money ('$5 million', '300 billion yuan'); higher = more specific",
        "dates_count": "dates and years ('May 5', 'February 15, 2025', 'in 2024'); higher = more specific",
        "specifics_per_1k": "numbers, percentages, money and dates per 1,000 words; higher = more specific",
        "has_byline": "1 if an author is named (metadata, author bio, 'By …' line; an outlet credit or a bare role "
                      "is not a byline), else 0; 1 = accountable author",
        "has_date": "1 if a publication date is given (metadata, date line, dateline), else 0; 1 = datable",
        "has_disclaimer": "1 if the page carries a disclaimer (boilerplate or a 'Disclaimer' paragraph), else 0; "
                          "1 = the publisher limits its liability (common on content farms and crypto sites)",
        "social_calls_count": "share / subscribe / follow prompts; higher = more engagement-seeking",
        "headline_cues_count": "clickbait form cues in the headline (question, listicle number, all-caps words, '!'; hype words are the promotional family's); "
                               "higher = more sensational headline",
        "headline_question": "1 if the headline is a question, else 0; 1 = clickbait form",
        "headline_listicle": "1 if the headline opens with a number ('7 Ways …', 'Top 10 …'), else 0; "
                             "1 = clickbait form",
        "headline_caps_count": "all-caps words in the headline that are not acronyms; higher = more shouting",
    }
    return {p + k: v for k, v in d.items()}


# ---------------------------------------------------------------------------
# patterns over the whole body (each run once per document)

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# the lookahead lets the engine skip, in one test, every position where no figure can start
_FIGURE_RE = re.compile(
    r"(?=[\dJFMASOND$€£¥UREGC])(?:"
    r"(?P<date>\b" + _MONTH + r"\.?\s\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s\d{4}(?!\d))?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s(?:of\s)?" + _MONTH + r"\b(?:,?\s\d{4}(?!\d))?"
    r"|\b" + _MONTH + r"\s\d{4}(?!\d)"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b)"
    r"|(?P<money>(?:US\$|[$€£¥]|\b(?:USD|RMB|EUR|GBP|CNY)\s?)" + _NUM +
    r"(?:\s?(?i:million|billion|trillion|bn|mn)\b)?"
    r"|\b" + _NUM + r"(?:\s(?:million|billion|trillion))?\s(?:dollars|euros|yuan|renminbi|pounds|yen|rupees)\b)"
    r"|(?P<percent>\b" + _NUM + r"\s?(?:%|percent\b|per cent\b|percentage points?\b))"
    r"|(?P<year>(?<![\w.,])(?:1[89]\d\d|20\d\d)s?(?![\d,.]\d|[a-z]))"
    r"|(?P<number>(?<![\w.,])\d+(?:[.,]\d+)*(?:\s(?:million|billion|trillion|thousand|hundred)\b)?(?![\w%])))"
)
#: every match of _FIGURE_RE has a digit among its first this many characters ("September 15": the eleventh)
_FIGURE_DIGIT_WITHIN = 12
_DIGIT_RE = re.compile(r"\d")
_LIST_MARKER_AFTER = re.compile(r"[.)]\]?\s")  # "1. ", "2) ", a transcript's "[4.] "
_NEWLINE_RE = re.compile(r"\n")


_ADVICE = r"\bnot (?:financial|trading|investment|legal) advice\b"
_NOT_ADVICE = r".*" + _ADVICE + r".*$"
_LINE_PATTERN = (
    r"^[ \t]*(?:"
    r"(?P<byline>(?:By|BY|Written by|Words by|Reported by|Author:|Reporter:|Posted by)[ \t]+"
    r"[A-Z][\w.'’-]+(?:[ \t]+(?:[A-Z][\w.'’-]+|de|van|von|bin|al))*(?:[ \t]*[,|][^\n]{0,80})?$)"
    r"|(?P<author_bio>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3}[ \t]+(?:is|was)[ \t]+an?[ \t]+"
    r"(?:[\w-]+[ \t]+){0,4}"
    r"(?:reporter|journalist|writer|editor|correspondent|columnist|contributor|author|blogger|analyst)\b.*$)"
    r"|(?P<dateline>(?:[A-Z][A-Z.]+(?:[ \t][A-Z][A-Z.]+)*,[ \t]+(?:[A-Z][a-z]+[ \t]+)?)?" + _MONTH +
    r"\.?[ \t]\d{1,2},?[ \t]\d{4}(?!\d)|(?:Published|Updated|Posted|Date)[ \t]*:?[ \t]+.{0,20}\d{4}"
    r"|\d{4}-\d{2}-\d{2}\b)"
    r"|(?P<disclaimer>(?:Disclaimer[ \t]*[:.\-—–]|DISCLAIMER\b|The (?:views|opinions) expressed"
    r"|This (?:article|content|post) is (?:for|provided for) (?:general )?information).*$"
    r"|" + _NOT_ADVICE + r")"
    r"|(?P<social>(?:Share(?:[ \t]+(?i:this|link|article|post|story|on|via|now)\b|[ \t]*:|[ \t]*$)"
    r"|Subscribe\b|Follow us\b|Sign up\b|Stay on top of\b|Like us on\b|Join our\b|Get (?:daily|weekly) updates\b"
    r"|Click to share\b)[^\n]{0,70}$)"
    r")"
)
_LINE_RE = re.compile(_LINE_PATTERN, re.MULTILINE)
# the same without the "not … advice" alternative, whose leading ".*" backtracks over every line: for texts without
# the phrase (an alternative that cannot match changes nothing)
_LINE_WITHOUT_ADVICE_RE = re.compile(_LINE_PATTERN.replace("|" + _NOT_ADVICE, ""), re.MULTILINE)
_ADVICE_RE = re.compile(_ADVICE)
_LISTICLE_RE = re.compile(r"^\s*(?:(?:the\s+)?top\s+)?\d+\s+[a-z]", re.IGNORECASE)


# ---------------------------------------------------------------------------
# lexicon tables

@dataclass(frozen=True)
class _Tables:
    body_layer: str
    headline_matcher: PhraseMatcher
    classes: dict[str, frozenset[str]]
    #: an introducing word at the end of the searched text ("titled", "known as"), before a quoted title
    title_intro_re: re.Pattern
    lexicons: tuple[Lexicon, ...]
    #: single-word reporting verbs (a subject never runs across one: "has said she believes")
    verb_words: frozenset[str]
    #: the words that can head a citation: document nouns and numbered instruments
    citation_heads: frozenset[str] = frozenset()

    def find_body_cues(self, doc: Document) -> list:
        """Body cue matches of ``doc``, from the cue layer's one pass."""
        return cues_of(doc).layer(self.body_layer)


def _build_tables(lexicons: Iterable[Lexicon]) -> _Tables:
    lexicons = tuple(lexicons)
    entries = [e for lex in lexicons for e in lex.entries]
    body = [e for e in entries if e.category in _BODY_CUES]
    head = [e for e in entries if e.category in _HEADLINE_CUES]
    classes: dict[str, set[str]] = {c: set() for c in _WORD_CLASSES}
    for e in entries:
        if e.category in classes and e.words:
            classes[e.category].add(e.words[-1])
    intros = sorted((e.words for e in entries if e.category == "title_intro"), key=len, reverse=True)
    intro_re = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, w)) for w in intros) + r"),?\s*$",
                          re.IGNORECASE)
    return _Tables(
        body_layer=register_layer("credibility", body), headline_matcher=PhraseMatcher(head),
        classes={k: frozenset(v) for k, v in classes.items()}, title_intro_re=intro_re, lexicons=lexicons,
        verb_words=frozenset(e.words[0] for e in body if e.category == "reporting_verb" and len(e.words) == 1),
        citation_heads=frozenset(classes["document"] | classes["numbered"]))


# ---------------------------------------------------------------------------
# one document's tokens, with the per-token facts every rule reads

class _Doc:
    """Token-level view of one document shared by the rules below (built in one pass)."""

    def __init__(self, doc: Document, tables: _Tables):
        self.doc = doc
        self.text = doc.body
        self.seg: Segmentation = doc.segmentation
        self.t = tables
        self.words = self.seg.words
        self.lower = self.seg.lower
        self.tokens = self.seg.tokens
        self.tok_sent = self.seg.token_sentence
        #: the token starts with a capital (tokens are never empty; mapped in C, not a per-token Python loop)
        self.cap = list(map(str.isupper, map(itemgetter(0), self.words)))

    @cached_property
    def starts(self) -> list[int]:
        """Start offset of each token (the segmentation's list, read here as a plain attribute)."""
        return self.seg.token_starts

    def initial(self, i: int) -> bool:
        """True when token ``i`` opens a sentence, or is glued to the one before ("1The", "2025Chinese")."""
        return i == 0 or self.tok_sent[i - 1] != self.tok_sent[i] or self.tokens[i - 1][1] == self.tokens[i][0]

    @cached_property
    def titleish(self) -> frozenset[int]:
        """Sentences in title case (headlines, section heads): two or more words of four letters or more,
        all capitalised."""
        cap, tok_sent = self.cap, self.tok_sent
        long_words = [i for i, w in enumerate(self.words) if len(w) > 3]
        has_lower = {tok_sent[i] for i in long_words if not cap[i]}
        counts = Counter(map(tok_sent.__getitem__, long_words))
        return frozenset(s for s, k in counts.items() if k >= 2 and s not in has_lower)

    @cached_property
    def proper(self) -> frozenset[str]:
        """Lower-cased words written with a capital inside running sentences (not title-case lines)."""
        titleish = self.titleish
        initial, tok_sent, lower = self.initial, self.tok_sent, self.lower
        return frozenset(lower[i] for i in compress(count(), self.cap)  # the capitalised tokens
                         if tok_sent[i] not in titleish and not initial(i))

    def boundary(self, i: int) -> bool:
        """True when punctuation or a line break separates token ``i - 1`` from token ``i``."""
        if i <= 0 or self.initial(i):
            return True
        gap = self.text[self.tokens[i - 1][1]:self.tokens[i][0]]
        if gap == " ":
            return False  # the usual case
        return any(c in _BOUNDARY_CHARS for c in gap) or "--" in gap or " - " in gap

    def is_possessive(self, i: int) -> bool:
        return self.lower[i].endswith(_POSSESSIVE)

    def is_split_possessive(self, i: int) -> bool:
        """Token ``i`` is the "s" of a possessive written with an opening quote ("China‘s")."""
        return self.lower[i] == "s" and self.text[self.tokens[i - 1][1]:self.tokens[i][0]] in ("‘", "`", "´")

    def is_name(self, i: int, end: int) -> bool:
        """Token ``i`` (in a source span ending before ``end``) is part of a proper name."""
        low = self.lower[i]
        if not self.cap[i] or low in _PRONOUNS or low in _DETERMINERS or low in self.t.classes["vague_subject"]:
            return False
        nxt = i + 1 if i + 1 < end else -1
        if nxt >= 0 and not self.cap[nxt] and (self.lower[nxt] in self.t.classes["vague_subject"]
                                               or self.is_possessive(i)):
            return False  # a modifier: "Chinese officials", "China's proposal"
        if not self.initial(i):
            return True
        # at a sentence start: a bare singular subject is a name ("Myers said"; a common noun needs an article),
        # as is a word capitalised elsewhere in running text, an organisation or title, an acronym
        bare_singular = i + 1 == end and not low.endswith("s")
        return (bare_singular or (nxt >= 0 and self.cap[nxt]) or low in self.proper
                or low in self.t.classes["organisation"] or low in self.t.classes["title"]
                or (self.words[i].isupper() and len(self.words[i]) > 1))

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens ``[first, last)``."""
        return self.tokens[first][0], self.tokens[last - 1][1]

    def sentence_first(self, i: int) -> int:
        """First token index of the sentence holding token ``i``."""
        return self.seg.sentence_tokens(self.tok_sent[i])[0]

    def sentence_last(self, i: int) -> int:
        """End token index (exclusive) of the sentence holding token ``i``."""
        return self.seg.sentence_tokens(self.tok_sent[i])[1]

    def token_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect_left(self.starts, offset)


# ---------------------------------------------------------------------------
# attributions

@dataclass
class _Attribution:
    kind: str      # named | vague (singular | plural until pronouns are resolved)
    first: int     # token span of the whole attribution (source + verb)
    last: int
    cue: str
    sentence: int
    note: str = ""


def _plural_noun_after_quantifier(d: _Doc, j: int, verb: int) -> bool:
    """"some claims", "many reports": an -s form right after a plural quantifier is a noun (the verb would
    agree with the plural: "some claim", "some say")."""
    return j == verb - 1 and d.lower[j] in _PLURAL_QUANTIFIERS and d.lower[verb].endswith("s") \
        and not d.lower[verb].endswith("ss")


def _source_before(d: _Doc, verb: int) -> tuple[int, int] | None | str:
    """Token span of the subject before a reporting verb, or why there is none.

    Returns ``"noun"`` when the verb is used as a noun or an agentless passive,
    ``"coordinated"`` after "and"/"but" (the subject is an earlier verb's),
    ``None`` when nothing usable precedes it.
    """
    first = d.sentence_first(verb)
    j = verb - 1
    while j >= first and d.lower[j] in _BETWEEN and not d.boundary(j + 1):
        j -= 1
    if j < first or d.boundary(j + 1):
        return None
    low = d.lower[j]
    if low in ("and", "but"):
        return "coordinated"
    if low in _CLAUSE_WORDS:
        return None
    if low in _NOUN_GUARDS or (d.is_possessive(j) and j == verb - 1) or _plural_noun_after_quantifier(d, j, verb):
        return "noun"
    if low in _BE:
        return "noun"  # agentless passive ("was announced"): not an attribution unless "by …" follows
    k = j
    verbs = d.t.verb_words
    while (k - 1 >= first and j - k < 7 and not d.boundary(k) and d.lower[k - 1] not in _SUBJECT_STOPS
           and d.lower[k - 1] not in verbs):
        k -= 1
    return k, j + 1


def _source_after(d: _Doc, start: int, limit: int = 6) -> tuple[int, int] | None:
    """Token span of the source after ``start`` ("according to Minister Wang", "said the ministry")."""
    last = d.sentence_last(start - 1) if start > 0 else 0
    if start >= last or d.boundary(start):
        return None
    k, named = start, False
    while k < last and k - start < limit and (k == start or not d.boundary(k)) and d.lower[k] not in _NP_STOPS:
        if named and not d.cap[k] and d.lower[k] not in _CONNECTORS and not d.is_split_possessive(k):
            break  # a name ends at the first lower-case word ("a study by Stanford University found")
        named = named or d.cap[k]
        k += 1
    return (start, k) if k > start else None


def _classify_source(d: _Doc, first: int, last: int) -> str | None:
    """The kind of source in tokens ``[first, last)``.

    ``named`` (a proper name, an organisation, a definite role: "the spokesperson"),
    ``vague`` (weasel subjects, indefinite roles: "critics", "a senior official"),
    ``singular`` / ``plural`` (he/she/it, they: resolved later), or None when
    it is not a source of speech: the author's own first person ("I think"), a
    thing ("the proposal says", "according to the rules").
    """
    content = ([i for i in range(first, last) if d.lower[i] not in _DETERMINERS and d.lower[i] not in _BETWEEN]
               or list(range(first, last)))  # "Some say": the determiner is the source
    lows = [d.lower[i] for i in content]
    if any(w in _FIRST_SECOND_PERSON for w in lows):
        return None
    if all(w in _PRONOUNS for w in lows):
        return "singular" if all(w in _SINGULAR_PRONOUNS for w in lows) else "plural"
    if d.lower[first] in _VAGUE_QUANTIFIERS:
        return "vague"
    if any(d.is_name(i, last) for i in content):
        return "named"
    head = lows[-1]
    classes = d.t.classes
    if head in classes["vague_subject"]:
        return "vague"
    if head in classes["organisation"]:
        return "vague" if d.lower[first] in _INDEFINITE else "named"  # "police said", "the ministry said"
    if head in classes["title"]:
        return "named" if d.lower[first] in _DEFINITE or d.is_possessive(first) else "vague"
    return None


def _attribution_from_verb(d: _Doc, first: int, last: int, cue: str,
                           previous: _Attribution | None) -> _Attribution | None:
    src = _source_before(d, first)
    if src == "coordinated":  # "Wang said … and added": the same source again
        if previous is None or previous.sentence != d.tok_sent[first]:
            return None
        return _Attribution(previous.kind, first, last, cue, previous.sentence, "same source as the verb before")
    if src == "noun" and not (last < len(d.lower) and d.lower[last] == "by"):
        return None
    if isinstance(src, tuple):
        kind = _classify_source(d, *src)
        return _Attribution(kind, src[0], last, cue, d.tok_sent[first]) if kind else None
    # no subject before the verb: a passive agent ("revealed by …") or an inverted source ('…," said Wang')
    after = last + 1 if last < len(d.lower) and d.lower[last] == "by" else last
    if after == last and (not d.boundary(first) or cue.endswith("ing")
                          or (first == d.sentence_first(first) and cue not in ("said", "says"))):
        # only a finite verb after a quote or comma is inverted ('…," said Wang'), not ", saying …", nor a
        # sentence's first word other than "Said" ("Declared GOP candidates …": an adjective)
        return None
    src_after = _source_after(d, after)
    kind = _classify_source(d, *src_after) if src_after else None
    return _Attribution(kind, first, src_after[1], cue, d.tok_sent[first]) if kind and src_after else None


#: words after a cognition verb that make it a feeling or an attitude, not a reported view ("feel obliged", "felt
#: good", "think highly of")
_FEELING_WORDS = frozenset(("good", "bad", "better", "worse", "sure", "confident", "comfortable", "safe", "free",
                            "strongly", "deeply", "highly", "like", "so", "very", "proud", "sorry", "guilty", "bound",
                            "welcome", "compelled", "obliged", "obligated", "responsible", "able", "unable", "ready",
                            "at", "well", "fine", "great", "terrible", "awful", "lucky", "fortunate", "privileged"))


def _states_a_feeling(d: _Doc, after: int) -> bool:
    """Whether the word after a cognition verb ("feel obliged", "felt good", "think highly") makes it a feeling or
    an attitude rather than a view with content ("they feel that …", "they believe the plan …")."""
    if after >= len(d.lower):
        return False
    word = d.lower[after]
    written = d.seg.words[after]
    # a lower-case participle ("obliged", "embarrassed"), not a name ("United Nations") nor "need"
    return word in _FEELING_WORDS or (word.endswith("ed") and len(word) > 4 and written[:1].islower())


def _words_before(d: _Doc, verb: int, n: int = 8) -> list[str]:
    """Up to ``n`` words of the clause before token ``verb``, nearest first, as written."""
    first, out, k = d.sentence_first(verb), [], verb
    while k > first and len(out) < n and not d.boundary(k):
        k -= 1
        out.append(d.seg.words[k])
    return out


def _find_attributions(d: _Doc, cues: list) -> list[_Attribution]:
    out: list[_Attribution] = []
    scope = cues_of(d.doc)
    for m in cues:
        cat = m.entry.category
        cue = " ".join(d.lower[m.first:m.last])
        if cat == "reporting_verb":
            if scope.negated(m.first):  # "her office has not announced": no statement is credited to anyone
                continue
            if no_speech_reported(_words_before(d, m.first)):  # "will announce", "declined to say": no statement
                continue
            if _he_said_she_said(d, m.first):  # "a 'he said, she said' case": an idiom, no statement is reported
                continue
            att = _attribution_from_verb(d, m.first, m.last, cue, out[-1] if out else None)
            if att is not None and d.lower[m.first] in _CLAIM_VERBS and not _claim_reports(d, m.last):
                att = None  # "Americans proudly claim Italian heritage", "claimed responsibility": no statement
            if att is not None and d.lower[m.first] in _ADD_VERBS and not _add_reports(d, m.last):
                att = None  # "the pandemic has added new facets": an object, no statement
            if att is not None and d.lower[m.first] in _CONFIRM_VERBS and _confirms_an_appointment(d, m.last):
                att = None  # "until Congress confirms Mr. Rockefeller": an appointment, no statement
            if att is not None and att.kind == "named" and d.lower[m.first] in _COGNITION_VERBS:
                att = None  # "China believes": a named party's stance (framing family), not a sourced statement
            if att is not None and d.lower[m.first] in _COGNITION_VERBS and _states_a_feeling(d, m.last):
                att = None  # "he did feel obliged", "they feel strongly": a feeling, no view is reported
        elif cat == "according":
            src = _source_after(d, m.last, limit=8)
            kind = _classify_source(d, *src) if src else None
            att = _Attribution(kind, m.first, src[1], cue, d.tok_sent[m.first]) if kind and src else None
        elif cat == "vague_formula":
            att = _Attribution("vague", m.first, m.last, cue, d.tok_sent[m.first], "agentless or weasel formula")
        else:
            continue
        if att is not None:
            out.append(att)
    _resolve_pronouns(out)
    return out


_HE_SHE = ("he", "she")


def _he_said_she_said(d: _Doc, verb: int) -> bool:
    """Whether the verb at token ``verb`` is in the idiom "he said, she said" (either half): one pronoun and the
    verb, a comma or dash, then the other pronoun and the same verb, in one sentence. ("He said she said it was
    fine", without the comma, reports a statement.)"""
    low, sentence = d.lower, d.tok_sent

    def pair(at: int) -> tuple[str, str] | None:
        return (low[at], low[at + 1]) if 0 <= at and at + 1 < len(low) else None

    def joined(left: int) -> bool:  # the halves starting at tokens left and left + 2: split by a mark, one sentence
        return d.boundary(left + 2) and sentence[left] == sentence[left + 2]

    here = pair(verb - 1)
    if here is None or here[0] not in _HE_SHE:
        return False
    other = ("she" if here[0] == "he" else "he", here[1])
    return (pair(verb + 1) == other and joined(verb - 1)) or (pair(verb - 3) == other and joined(verb - 3))


def _resolve_pronouns(atts: list[_Attribution]) -> None:
    """Give pronoun sources a kind.

    A pronoun takes the kind of the attribution just before it when that is
    at most two sentences back. Otherwise "he", "she" and "it" point to one
    specific person or body that the text has identified (named), while an
    unanchored "they" is the vague plural of "they say" (vague).
    """
    prev: _Attribution | None = None
    for a in atts:
        if a.kind in ("singular", "plural"):
            if prev is not None and a.sentence - prev.sentence <= 2 and prev.kind in ("named", "vague"):
                a.kind, a.note = prev.kind, f"pronoun, resolved to the source in sentence {prev.sentence}"
            elif a.kind == "singular":
                a.kind, a.note = "named", "pronoun he/she/it: one specific source identified earlier in the text"
            else:
                a.kind, a.note = "vague", "pronoun 'they' with no identified source in the two sentences before"
        prev = a


# ---------------------------------------------------------------------------
# quotations

_OPEN_QUOTE_RE = re.compile(r"[“\"‘]")
_QUOTED_RE = re.compile(r"“[^”\n]{2,300}”|\"[^\"\n]{2,300}\"|‘[^’\n]{2,300}’")


def _quoted_titles(text: str, intro_re: re.Pattern) -> list[tuple[int, int]]:
    """Quotations right after an introducing word ('titled “…”', 'known as "…"'), with their quotation marks."""
    out: list[tuple[int, int]] = []
    resume = 0
    for m in _OPEN_QUOTE_RE.finditer(text):
        s = m.start()
        if s >= resume and intro_re.search(text, max(0, s - 24), s) and (q := _QUOTED_RE.match(text, s)):
            out.append(q.span())
            resume = q.end()
    return out

def _classify_quotes(d: _Doc, atts: list[_Attribution]) -> tuple[list[tuple[int, int, bool]], list[tuple[int, int]]]:
    """Direct quotes (from ``doc.attribution``) as ``(start, end, attributed)``, and quoted titles
    ('titled “…”') as ``(start, end)``; a quoted title is never counted as a quote."""
    att_sentences = {a.sentence for a in atts}
    titles = _quoted_titles(d.text, d.t.title_intro_re)
    title_starts = {s for s, _ in titles}
    quotes = []
    for qs, qe in d.doc.attribution.quotes:
        if qs in title_starts:
            continue
        s0, s1 = d.seg.sentence_at(qs), d.seg.sentence_at(qe - 1)
        quotes.append((qs, qe, any(s in att_sentences for s in range(s0, s1 + 1))))
    return quotes, titles


# ---------------------------------------------------------------------------
# citations

def _named_document_end(d: _Doc, i: int, n: int) -> int | None:
    """End token of a capitalised name headed by the document noun at ``i``, or None when it is not one."""
    k = i + 1
    if k < n and not d.boundary(k) and d.cap[k] and d.lower[k] not in d.t.classes["document"]:
        return None  # "Initiative Takes Center Stage": the noun is not the head
    if k + 1 < n and d.lower[k] in _RIGHT_CONNECTORS and not d.boundary(k) and not d.boundary(k + 1):
        j = k
        while j < n and not d.boundary(j) and (d.cap[j] or (d.lower[j] in _CONNECTORS and j + 1 < n
                                                            and not d.boundary(j + 1)
                                                            and (d.cap[j + 1] or d.lower[j + 1] in _CONNECTORS))):
            j += 1
        while j > k and not d.cap[j - 1]:
            j -= 1
        return max(j, k)
    return k


def _named_document_start(d: _Doc, i: int) -> int:
    j = i
    while j - 1 >= 0 and not d.boundary(j) and (
            d.cap[j - 1] or (d.lower[j - 1] in _CONNECTORS and j - 2 >= 0 and d.cap[j - 2] and not d.boundary(j - 1)
                             and d.lower[j - 1] != "and")):
        j -= 1
    while j < i and (d.lower[j] in _DETERMINERS or d.is_possessive(j) or d.lower[j] in _NP_STOPS
                     or d.lower[j] in _CONNECTORS):
        j += 1  # "The Shanghai Declaration", "China's Global AI Governance Initiative"
    return j


def _find_citations(d: _Doc, cues: list, titles: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Citations as ``(first_char, end_char, rule)``."""
    out: list[tuple[int, int, str]] = [(s, e, "quoted title") for s, e in titles]
    in_title = [False] * len(d.words)
    for s, e in titles:
        for i in range(d.token_at(s), d.token_at(e)):
            in_title[i] = True
    docs = d.t.classes["document"]
    n = len(d.words)
    resume = 0
    for i in list(compress(count(), map(d.t.citation_heads.__contains__, d.lower))):
        if i < resume or in_title[i]:
            continue
        low = d.lower[i]
        if i + 1 < n and d.words[i + 1][0].isdigit() and not d.boundary(i + 1) and not d.initial(i + 1):
            first = _named_document_start(d, i) if d.cap[i] else i
            out.append((*d.span(first, i + 2), "numbered document"))
            resume = i + 2
        elif d.cap[i] and low in docs and d.tok_sent[i] not in d.titleish:
            end = _named_document_end(d, i, n)
            first = _named_document_start(d, i)
            if end is not None and first < i:
                out.append((*d.span(first, end), "named document"))
                resume = end
    for m in cues:
        cat = m.entry.category
        if cat not in ("study_cue", "source_cue"):
            continue
        end = m.last
        src = _source_after(d, m.last) if d.lower[m.last - 1] in ("by", "in", "from", "of") else None
        if src and any(d.cap[k] for k in range(*src)):
            end = src[1]
        if cat == "study_cue" or end > m.last:  # "published in" counts only before a name: "published in Nature"
            out.append((*d.span(m.first, end), "study cue"))
    out.sort()
    return out


# ---------------------------------------------------------------------------
# numbers, dates, and lines of page furniture left in the body

def _find_figures(d: _Doc, skip: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Numbers, percentages, money and dates as ``(start, end, kind)``; list markers and instrument numbers skipped."""
    text = d.text
    out = []
    skip_starts = [s for s, _ in skip]
    for m in _figure_matches(text):
        kind = m.lastgroup
        s, e = m.span()
        k = bisect_left(skip_starts, s + 1) - 1
        if k >= 0 and skip[k][0] <= s < skip[k][1]:
            continue  # "Resolution 2728": an identifier, not a figure
        if kind == "number":
            if s >= 2 and text[s - 1] == "-" and text[s - 2].isalpha():
                continue  # "COVID-19"
            line_start = text.rfind("\n", 0, s) + 1
            if not text[line_start:s].strip(" \t•·▪◦‣∙*–—-[(") and _LIST_MARKER_AFTER.match(text, e):
                continue  # "1. …" list numbering, "[4.] Q. …" a transcript's exchange number
        out.append((s, e, "date" if kind == "year" else kind))
    return out


def _figure_matches(text: str) -> Iterator[re.Match]:
    """``_FIGURE_RE.finditer(text)``, with the regex run only near digits.

    A figure has a digit among its first :data:`_FIGURE_DIGIT_WITHIN` characters, so the next match after ``pos``
    starts no earlier than that many characters before the next digit: searching from there finds the same match
    without trying every position of the digit-free text in between.
    """
    pos = 0
    while (digit := _DIGIT_RE.search(text, pos)) is not None:
        m = _FIGURE_RE.search(text, max(pos, digit.start() - _FIGURE_DIGIT_WITHIN + 1))
        if m is None:
            return
        yield m
        pos = m.end()


def _find_lines(text: str) -> list[tuple[int, int, str]]:
    """Byline, author-bio, date, disclaimer and social-call lines left in the body."""
    out = []
    match = (_LINE_RE if "advice" in text and _ADVICE_RE.search(text) else _LINE_WITHOUT_ADVICE_RE).match
    for start in [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]:
        if m := match(text, start):
            out.append((m.start(m.lastgroup), m.end(m.lastgroup), m.lastgroup))
    return out


def _outside_body(doc: Document, tables: _Tables) -> list[dict[str, Any]]:
    """Signals from metadata and from boilerplate blocks (not in ``doc.body``)."""
    out: list[dict[str, Any]] = []
    outlet = (doc.outlet or "").strip().lower()
    roles = tables.classes["title"] | tables.classes["organisation"] | tables.classes["vague_subject"]

    def byline_or_outlet(text: str) -> str:
        """A byline names an author: not the outlet ("China Daily Brief Editorial"), not a bare role
        ("Embassy Spokesperson")."""
        if outlet and text.strip().lower().startswith(outlet):
            return "outlet_credit"
        words = [w.lower() for w in WORD_RE.findall(text)]
        return "has_byline" if any(w not in roles and w not in _DETERMINERS for w in words) else "role_credit"

    if doc.author:
        out.append({"signal": byline_or_outlet(doc.author), "category": "author", "text": doc.author,
                    "where": "metadata", "start": -1, "end": -1})
    if doc.date and doc.meta.get("date_source") == "page":
        out.append({"signal": "has_date", "category": "date", "text": doc.date, "where": "metadata",
                    "start": -1, "end": -1})
    signal_of = {"author_bio": "has_byline", "social": "social_calls_count", "disclaimer": "has_disclaimer"}
    for b in doc.boilerplate:
        if b.category in signal_of:
            signal = signal_of[b.category]
            if signal == "has_byline":
                signal = byline_or_outlet(b.text)
            out.append({"signal": signal, "category": b.category, "text": b.text,
                        "where": "boilerplate", "start": b.start, "end": b.end})
    return out


# ---------------------------------------------------------------------------
# headline

def _headline_cues(title: str, tables: _Tables) -> list[dict[str, Any]]:
    """Clickbait and hype cues in the headline, with offsets into ``title``."""
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(title)]
    words = [title[s:e] for s, e in spans]
    lower = [w.lower().replace("’", "'") for w in words]
    cues: list[dict[str, Any]] = []

    def add(category: str, cue: str, start: int, end: int) -> None:
        cues.append({"signal": "headline", "category": category, "cue": cue, "text": title[start:end],
                     "where": "title", "start": start, "end": end})

    for m in tables.headline_matcher.find(lower):
        add(m.entry.category, " ".join(lower[m.first:m.last]), spans[m.first][0], spans[m.last - 1][1])
    letters = [c for c in title if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        add("caps", "all-caps headline", 0, len(title))
    else:
        for (s, e), w, low in zip(spans, words, lower):
            if len(w) >= 4 and w.isupper() and w.isalpha() and low not in tables.classes["acronym"]:
                add("caps", "all-caps word", s, e)
    if (q := title.rfind("?")) >= 0:
        add("question", "question mark", q, q + 1)
    if (x := title.find("!")) >= 0:
        add("exclamation", "exclamation mark", x, x + 1)
    if m := _LISTICLE_RE.match(title):
        add("listicle", "opening number", m.start(), m.end() - 2)
    return cues


# ---------------------------------------------------------------------------
# the extractor

@register
class CredibilityExtractor(Extractor):
    """Credibility signals of a text (sourcing, citations, specificity, byline and date, headline form).

    Parameters
    ----------
    attribution_lexicon, citation_lexicon, headline_lexicon : str or Path, optional
        Replace a packaged lexicon (``credibility_attribution``,
        ``credibility_citations``, ``credibility_headlines``) with a user file.
    extend : sequence of str or Path, optional
        Lexicon files whose entries are added (categories as in the packaged files,
        e.g. ``reporting_verb``, ``vague_subject``, ``document``, ``clickbait``).

    Notes
    -----
    These are signals with evidence, after the content indicators of Zhang et al.
    (WWW 2018): they are not summed into a credibility score. See the module
    docstring for where each signal's evidence lives.
    """

    name = "credibility"
    version = "1"
    columns = _columns()
    column_descriptions = _column_descriptions()
    description = ("Credibility signals after Zhang et al. (2018): named vs vague attributions, quotes, citations, "
                   "numbers and dates, byline/date, disclaimers and social calls, and the headline's clickbait "
                   "form (question, listicle, capitals); rule-based, with evidence")

    def __init__(self, attribution_lexicon: str | Path | None = None, citation_lexicon: str | Path | None = None,
                 headline_lexicon: str | Path | None = None, extend: Iterable[str | Path] = ()):
        self.attribution_lexicon = attribution_lexicon
        self.citation_lexicon = citation_lexicon
        self.headline_lexicon = headline_lexicon
        self.extend = extend
        self._tables_cache: _Tables | None = None

    def get_params(self) -> dict[str, Any]:
        return {"attribution_lexicon": self.attribution_lexicon, "citation_lexicon": self.citation_lexicon,
                "headline_lexicon": self.headline_lexicon, "extend": self.extend}

    def _tables(self) -> _Tables:
        if self._tables_cache is None:
            params = self.get_params()
            lexicons = [load_lexicon(params[arg] or name) for arg, name in LEXICON_NAMES.items()]
            extend = [self.extend] if isinstance(self.extend, (str, Path)) else list(self.extend or ())
            lexicons += [load_lexicon(p) for p in extend]
            self._tables_cache = _build_tables(lexicons)
        return self._tables_cache

    def resources(self) -> list[dict[str, str]]:
        return [lex.provenance() for lex in self._tables().lexicons]

    lazy_evidence = True

    def extract(self, doc: Document, evidence: bool = True) -> Result:
        d = _Doc(doc, self._tables())
        cues = d.t.find_body_cues(doc)
        atts = _find_attributions(d, cues)
        quotes, titles = _classify_quotes(d, atts)
        citations = _find_citations(d, cues, titles)
        figures = _find_figures(d, [(s, e) for s, e, rule in citations if rule == "numbered document"])
        lines = _find_lines(d.text)
        outside = _outside_body(doc, d.t)
        headline = _headline_cues(doc.title or "", d.t)
        asked = doc.attribution.questioner_sentences  # a questioner's words: not the document's sourcing
        atts = [a for a in atts if a.sentence not in asked]
        quotes = outside_questions(quotes, d.seg, asked)

        n = cues_of(doc).answered_words
        feats = _sourcing_features(atts, quotes, n)
        feats.update(_citation_features(d.text, outside_questions(citations, d.seg, asked), n))
        feats.update(_figure_features(outside_questions(figures, d.seg, asked), n))
        feats.update(_page_features(lines, outside))
        feats.update(_headline_features(headline))

        if not evidence:
            return Result(feats, [], "", {"outside_body": outside + headline})
        rows = _attribution_evidence(d, atts) + _span_evidence(d, quotes, citations, figures, lines)
        rows.sort(key=lambda e: (e.start, e.end, e.category))
        return Result(feats, rows, "", {"outside_body": outside + headline})


# ---------------------------------------------------------------------------
# features and evidence from the detections

P = "credibility_"


def _sourcing_features(atts: list[_Attribution], quotes: list[tuple[int, int, bool]], n: int) -> dict[str, float]:
    total = len(atts)
    named = sum(a.kind == "named" for a in atts)
    vague = sum(a.kind == "vague" for a in atts)
    return {P + "attributions_count": float(total), P + "attributions_per_1k": per_1k(total, n),
            P + "named_attributions_count": float(named), P + "vague_attributions_count": float(vague),
            P + "vague_attributions_per_1k": per_1k(vague, n),
            P + "named_attribution_share": named / total if total else NAN,
            P + "quotes_count": float(len(quotes)), P + "quotes_per_1k": per_1k(len(quotes), n),
            P + "quotes_attributed_count": float(sum(q[2] for q in quotes))}


def _citation_key(text: str) -> str:
    words = text.lower().replace("’", "'").split()
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def _citation_features(text: str, citations: list[tuple[int, int, str]], n: int) -> dict[str, float]:
    return {P + "citations_count": float(len(citations)), P + "citations_per_1k": per_1k(len(citations), n),
            P + "citations_distinct": float(len({_citation_key(text[s:e]) for s, e, _ in citations}))}


def _figure_features(figures: list[tuple[int, int, str]], n: int) -> dict[str, float]:
    counts = {"number": 0, "percent": 0, "money": 0, "date": 0}
    for _, _, kind in figures:
        counts[kind] += 1
    return {P + "numbers_count": float(counts["number"]), P + "percentages_count": float(counts["percent"]),
            P + "money_count": float(counts["money"]), P + "dates_count": float(counts["date"]),
            P + "specifics_per_1k": per_1k(len(figures), n)}


def _page_features(lines: list[tuple[int, int, str]], outside: list[dict[str, Any]]) -> dict[str, float]:
    kinds = [k for _, _, k in lines]
    signals = [o["signal"] for o in outside]
    return {P + "has_byline": float("byline" in kinds or "author_bio" in kinds or "has_byline" in signals),
            P + "has_date": float("dateline" in kinds or "has_date" in signals),
            P + "has_disclaimer": float("disclaimer" in kinds or "has_disclaimer" in signals),
            P + "social_calls_count": float(kinds.count("social") + signals.count("social_calls_count"))}


def _headline_features(cues: list[dict[str, Any]]) -> dict[str, float]:
    cats = [c["category"] for c in cues]
    form = [c for c in cats if c not in _HEADLINE_CUES]  # hype words are the promotional family's
    return {P + "headline_cues_count": float(len(form)), P + "headline_question": float("question" in cats),
            P + "headline_listicle": float("listicle" in cats), P + "headline_caps_count": float(cats.count("caps"))}


_ATTRIBUTION_CATEGORY = {"named": "named_attribution", "vague": "vague_attribution"}


def _attribution_evidence(d: _Doc, atts: list[_Attribution]) -> list[Evidence]:
    out = []
    voice_at = d.doc.attribution.voice_at
    for a in atts:
        s, e = d.span(a.first, a.last)
        out.append(Evidence("credibility", _ATTRIBUTION_CATEGORY[a.kind], a.cue, d.text[s:e], s, e, a.sentence,
                            voice_at(s, a.sentence), 1.0, a.note))
    return out


def _span_evidence(d: _Doc, quotes: list[tuple[int, int, bool]], citations: list[tuple[int, int, str]],
                   figures: list[tuple[int, int, str]], lines: list[tuple[int, int, str]]) -> list[Evidence]:
    out = []
    text, sentence_at, voice_at = d.text, d.seg.sentence_at, d.doc.attribution.voice_at

    def add(category: str, cue: str, s: int, e: int, note: str = "") -> None:
        sent = sentence_at(s)
        out.append(Evidence("credibility", category, cue, text[s:e], s, e, sent, voice_at(s, sent), 1.0, note))

    for s, e, attributed in quotes:
        add("quote", "direct quote", s, e, "" if attributed else "no attribution in its sentence")
    for s, e, rule in citations:
        add("citation", rule, s, e)
    for s, e, kind in figures:
        add(kind, kind, s, e)
    line_category = {"byline": "byline", "author_bio": "byline", "dateline": "date_line",
                     "disclaimer": "disclaimer", "social": "social_call"}
    for s, e, kind in lines:
        add(line_category[kind], kind, s, e, "page furniture left in the body")
    return out

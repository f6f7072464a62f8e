"""Whose voice is this? Quoted and reported stretches of a document body.

Commentary that quotes an official must not inherit the official's hedges or
boosters, so extractors ask :meth:`Attribution.voice_at` for every cue:

* ``quoted`` — inside quotation marks: curly or straight double quotes, and
  single quotes (curly or straight) around at least three words. A double
  quotation (curly or straight) left open at the end of a paragraph (the
  convention for quotes running over several paragraphs, each opened and only
  the last closed) runs to the end of that paragraph;
* ``reported`` — in a sentence of reported speech: a speech verb with a
  third-party subject ("…, he said", "the ministry said that …", "Wang
  stressed …", "…, said the spokesperson") or "according to X";
* ``questioner`` — the questioner's turns in a Q&A transcript, press conference or interview: from a turn label
  such as "Question:", "Q:", "Reporter:", "Interviewer:" or a news organisation ("AFP:", "Reuters:") to the next
  answer label ("A:", "Spokesperson:", "Wang Wenbin:"). A journalist's "certain countries" is not the
  spokesperson's vague attribution;
* ``author`` — everything else: the document's own voice (in a transcript, the answering speaker's).

What stays the author's own:

* scare quotes around one or two words ('inclusivity') and quoted titles
  (“Strengthening International Cooperation in Artificial Intelligence”):
  framing devices and names, not someone else's speech;
* first-person reporting ("I said", "as we noted") and agentless passives
  ("it is said", "was announced"), which are the author's vague attributions;
* speech that does not exist: a speech verb in the future, under a modal
  or after an intention or expectation ("the Department will announce",
  "he would say", "she may claim", "is expected to announce", "plans to say"),
  after a refusal ("declined to say", "refused to comment"), or in the
  writer's own comment ("it is fair to say", "needless to say", "too early to
  say", "suffice it to say"; :func:`no_speech_reported`);
* cognition verbs ("China believes"): an institution's stance in its own
  statement is its own voice;
* nouns that look like speech verbs ("member states", "the said agreement",
  "an added benefit", "according to plan").
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .lexicon import trie_pattern

if TYPE_CHECKING:  # pragma: no cover
    from .segment import Segmentation

__all__ = ["REPORTING_VERBS", "VOICES", "Attribution", "attribute", "quote_spans", "reported_sentences",
           "questioner_sentences", "SPEAKER_LABEL_RE", "no_speech_reported"]

#: every voice a cue can be read in
VOICES = ("author", "quoted", "reported", "questioner")

#: speech verbs that mark reported speech when they have a third-party subject
REPORTING_VERBS = (
    "said|says|say|told|tells|stated|states|added|adds|noted|notes|argued|argues|claimed|claims|"
    "stressed|stresses|emphasized|emphasised|emphasizes|emphasises|warned|warns|insisted|insists|"
    "explained|explains|asserted|asserts|announced|announces|declared|declares|acknowledged|"
    "acknowledges|contended|contends|wrote|writes|urged|urges|vowed|vows|pledged|pledges|denied|denies|"
    "admitted|admits|replied|replies|responded|responds|remarked|commented|reiterated|reiterates|"
    "maintained|reported|underlined|underscored|argue|claim|insist|warn|contend|stress|emphasize|emphasise|"
    "according to"
)
# the verbs as a character trie ("sa(?:id|y(?:s|))"): the same matches as the plain alternation, several times faster
_VERB_PATTERN = (r"\b(?:" + "|".join([trie_pattern(v for v in REPORTING_VERBS.split("|") if " " not in v)]
                                     + [v.replace(" ", r"\s+") for v in REPORTING_VERBS.split("|") if " " in v])
                 + r")\b")
_VERB_RE = re.compile(_VERB_PATTERN, re.IGNORECASE)
#: the same, for lower-cased text: case-sensitive matching is about three times faster
_VERB_RE_LOWER = re.compile(_VERB_PATTERN)
#: characters that case-insensitive matching folds onto an ASCII letter but str.lower() does not turn into that
#: one letter (İ ı ſ; K, the Kelvin sign, for good measure): with none of them, lower-casing is the same
_SPECIAL_FOLDS = "\u0130\u0131\u017f\u212a"
# verbs that are often nouns or adjectives: need a pronoun or a name right before them, or "that" after
_AMBIGUOUS = frozenset("claim stress states notes claims adds remarked reported maintained noted added announced "
                       "declared stated".split())
_PRONOUNS = frozenset("he she they it who which".split())
_FIRST_PERSON = frozenset("i we you".split())
_PASSIVE = frozenset("is was are were be been being it's".split())
_NOT_A_SUBJECT = frozenset(
    "the a an this that these those its their his her our your my member united said added noted no any "
    "some many other all each every".split())
_TIME_WORDS = frozenset("also earlier later previously then recently once repeatedly again further "
                        "has have had would will".split())
_ACCORDING_NOT_SPEECH = re.compile(r"\s+(?:to\s+)?(?:plan|schedule|the\s+(?:law|rules|plan|schedule))\b",
                                   re.IGNORECASE)
_THAT_RE = re.compile(r"\s+that\b")
#: auxiliaries that put a speech verb in the future or under a modal ("will announce", "may claim", "won't say")
_MODALS = frozenset(("will", "would", "shall", "should", "may", "might", "can", "could", "must", "ought", "won't",
                     "wouldn't", "shan't", "shouldn't", "mightn't", "can't", "cannot", "couldn't", "mustn't"))
#: words before "to" that make "to" + speech verb an intention or expectation ("is expected to announce",
#: "plans to say", "is due to announce", "has yet to say", "is to announce")
_PROSPECTIVE = frozenset(("expected", "expect", "expects", "plan", "plans", "planned", "planning", "intend",
                          "intends", "intended", "going", "set", "due", "scheduled", "poised", "about", "likely",
                          "unlikely", "ready", "prepared", "preparing", "prepares", "hope", "hopes", "hoped",
                          "hoping", "want", "wants", "wanted", "wish", "wishes", "like", "aim", "aims", "aiming",
                          "seek", "seeks", "promise", "promises", "promised", "yet", "is", "are", "am"))
#: a subject pronoun after one of these is an inverted question ("Will they say …?", "Did he claim …?")
_PRONOUNS = frozenset(("i", "you", "he", "she", "it", "we", "they"))
_QUESTION_AUXILIARIES = _MODALS | frozenset(("do", "does", "did", "don't", "doesn't", "didn't"))
#: words before "to" that make "to" + speech verb a refusal (no speech was made: "declined to say") or the writer's
#: own comment ("it is fair to say", "needless to say", "too early to say", "hard to say")
_NOT_SPOKEN = frozenset(("declined", "declines", "decline", "declining", "refused", "refuses", "refuse", "refusing",
                         "failed", "fails", "unwilling", "reluctant", "unable", "fair", "needless", "safe", "hard",
                         "difficult", "impossible", "early", "premature", "easy", "true", "right", "wrong", "accurate",
                         "correct", "reasonable", "honest", "nothing", "suffice", "suffices"))
#: words inside a verb group, between the auxiliary (or "to") and the speech verb ("will also formally announce")
_GROUP_ADVERBS = frozenset(("also", "not", "never", "then", "later", "soon", "now", "further", "formally",
                            "officially", "publicly", "jointly", "separately", "shortly", "first", "next", "again",
                            "still", "probably", "likely", "certainly", "surely", "today", "tomorrow", "once",
                            "have"))
#: the clause before a speech verb ends at these characters (looking back for its verb group)
_CLAUSE_BREAK = re.compile(r"[.!?;:\n\"“”(]")
_GROUP_WORD = re.compile(r"[\w'’]+")
#: the characters of a word before a speech verb besides letters and digits (the ``[\w.'’-]`` of _word_before)
_WORD_BEFORE_CHARS = "_.'’-"

# quotation marks
_DOUBLE_CURLY = re.compile(r"“([^“”\n]*)(”|(?=“)|$)", re.MULTILINE)
_DOUBLE_STRAIGHT = re.compile(r'"([^"\n]*)"')
_SINGLE_CURLY = re.compile(r"‘([^‘’\n]*(?:’[a-zA-Z][^‘’\n]*)*)’(?![a-zA-Z])")
# an opening ' not preceded by a word character or another ': the look-behind comes after the quotation mark
# ("'(?<![\w']')" rather than "(?<![\w'])'") so the scan jumps from one ' to the next instead of testing the
# look-behind at every character (same matches, about fifty times faster on news text)
_SINGLE_STRAIGHT = re.compile(r"'(?<![\w']')(?=\S)((?:[^'\n]|(?<=[a-zA-Z])'(?=[a-zA-Z]))+?)(?<=\S)'(?![a-zA-Z])")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Attribution:
    """Quoted spans and reported-speech sentences of one document body.

    Attributes
    ----------
    quotes : list of (start, end)
        Character spans of quotations (including the quotation marks),
        sorted and non-overlapping.
    reported_sentences : frozenset of int
        Indices of sentences in reported speech.
    questioner_sentences : frozenset of int
        Indices of sentences in a questioner's turn (Q&A transcripts, interviews).
    """

    quotes: list[tuple[int, int]] = field(default_factory=list)
    reported_sentences: frozenset[int] = frozenset()
    questioner_sentences: frozenset[int] = frozenset()
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [s for s, _ in self.quotes]

    def in_quote(self, offset: int) -> bool:
        """True when character ``offset`` lies inside a quotation."""
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self.quotes[i][1]

    def voice_at(self, offset: int, sentence: int) -> str:
        """``questioner``, ``quoted``, ``reported`` or ``author`` for a cue at ``offset`` in sentence ``sentence``."""
        if sentence in self.questioner_sentences:
            return "questioner"
        if self.quotes:  # in_quote(offset), inlined: extractors ask this for every cue
            i = bisect_right(self._starts, offset) - 1
            if i >= 0 and offset < self.quotes[i][1]:
                return "quoted"
        if sentence in self.reported_sentences:
            return "reported"
        return "author"


# ---------------------------------------------------------------------------
# quotations

def _is_speech(inner: str) -> bool:
    """Three or more words, and not a title (nearly every word capitalised, no sentence punctuation)."""
    words = _WORD.findall(inner)
    if len(words) < 3:
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w.lower() in ("of", "and", "in", "for", "the", "on",
                                                                         "to", "a", "an", "with", "at"))
    return not (capitalised == len(words) and words[0][0].isupper() and not re.search(r"[.!?;]", inner))


def _open_straight_quotes(text: str) -> Iterator[tuple[int, int, str]]:
    """Straight double quotations left open at the end of their paragraph: ``(start, end, inner text)``.

    A paragraph with an odd number of ``"`` whose last one opens a quotation (at the start of the paragraph or
    after a space or bracket, before a word) quotes from there to the end of the paragraph: the convention for a
    quotation running over several paragraphs (a letter read out in a news conference), as for curly quotes."""
    if '"' not in text:
        return
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text.count('"', start, end) % 2:
            at = text.rfind('"', start, end)
            if (at == start or text[at - 1] in " \t([") and at + 1 < end and not text[at + 1].isspace():
                yield at, end, text[at + 1:end]
        start = end + 1


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations in ``text`` (sorted, merged; see module docstring)."""
    spans = []
    for rx in (_DOUBLE_CURLY, _DOUBLE_STRAIGHT, _SINGLE_CURLY, _SINGLE_STRAIGHT):
        for m in rx.finditer(text):
            if _is_speech(m.group(1)):
                spans.append((m.start(), m.end()))
    spans.extend((s, e) for s, e, inner in _open_straight_quotes(text) if _is_speech(inner))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


# ---------------------------------------------------------------------------
# reported speech

def _word_before(text: str, pos: int) -> tuple[str, int, str]:
    r"""The word before ``pos``, where it starts, and the characters between it and ``pos``.

    What searching the 40 characters before ``pos`` for ``([\w.'’-]+)[\s,]*$`` finds (the run of word
    characters, dots, apostrophes and hyphens before the white space and commas that end the window), read
    backwards from ``pos``: that regex tries every start in the window and backtracks through each word, about
    three times slower.
    """
    lo = max(0, pos - 40)
    end = pos
    while end > lo and (text[end - 1].isspace() or text[end - 1] == ","):  # [\s,]* before pos
        end -= 1
    start = end
    while start > lo and (text[start - 1].isalnum() or text[start - 1] in _WORD_BEFORE_CHARS):  # [\w.'’-]+
        start -= 1
    if start == end:
        return "", pos, text[max(0, pos - 3):pos]
    return text[start:end], start, text[end:pos]


def _skip_adverbs(before: Sequence[str], k: int) -> int:
    """Index of the first word at or after ``k`` in ``before`` that is not an adverb of the verb group."""
    while k < len(before) and before[k] in _GROUP_ADVERBS:
        k += 1
    return k


def no_speech_reported(before: Sequence[str]) -> bool:
    """Whether a speech verb reports no speech: in the future, under a modal, after an intention or expectation,
    after a refusal, or in the writer's own comment.

    ``before`` holds the words of the verb's clause that precede it, nearest first, as written. "The Department
    will announce", "he'll say", "she may claim", "would later say", "is expected to announce", "plans to say":
    no speech exists yet; "declined to say", "refused to comment": none was made; "it is fair to say", "needless
    to say", "too early to say", "suffice it to say": the writer speaks; "Will they say …?", "Did he claim …?":
    the writer asks. None makes reported speech or an attribution. Past and present ("announced", "says", "has
    said", "went on to say") are not touched, nor a capitalised modal, which is a name ("Theresa May said", "May
    said on Tuesday"); an all-capitals one ("WILL ANNOUNCE") is still a modal.
    """
    lower = [w.lower() for w in before[:8]]
    k = _skip_adverbs(lower, 0)
    if k >= len(lower):
        return False
    word = lower[k]
    if word in _PRONOUNS and k + 1 < len(lower) and lower[k + 1] in _QUESTION_AUXILIARIES:
        return True  # "Will they feel …?", "Did they say …?": a question, no speech reported
    if word.endswith(("'ll", "’ll")):
        return True
    if word in _MODALS:
        return before[k][:1].islower() or before[k].isupper()  # "May said", "Will said": a name
    if word != "to":
        return False
    k = _skip_adverbs(lower, k + 1)
    if k < len(lower) and lower[k] == "it":  # "suffice it to say"
        k += 1
    return k < len(lower) and (lower[k] in _PROSPECTIVE or lower[k] in _NOT_SPOKEN)


def _clause_words_before(text: str, pos: int, width: int = 80) -> list[str]:
    """The words of the clause before ``pos`` (at most ``width`` characters back), nearest first."""
    clause = _CLAUSE_BREAK.split(text[max(0, pos - width):pos])[-1]
    return _GROUP_WORD.findall(clause)[::-1]


def _is_reporting(text: str, start: int, end: int) -> bool:
    """Whether the speech verb at ``text[start:end]`` reports a third party's words."""
    verb = text[start:end].lower()
    if verb.startswith("according"):
        return not _ACCORDING_NOT_SPEECH.match(text, end)
    # the clause is read for "will announce" (no speech exists yet) only for a verb that passes the cheaper tests
    return _third_party_verb(text, start, end, verb) and not no_speech_reported(_clause_words_before(text, start))


def _third_party_verb(text: str, start: int, end: int, verb: str) -> bool:
    """Whether the speech verb at ``text[start:end]`` has a third party as its speaker (not "I said", "it is said")."""
    before, at, gap = _word_before(text, start)
    if before.lower() in _TIME_WORDS and not gap.strip():  # "he has said", "Wang also stressed"
        before, at, gap = _word_before(text, at)
    low = before.lower().rstrip(".")
    if not before or gap.strip():  # clause or quotation boundary: ", said the minister"
        return _postposed(text, end)
    if low in _FIRST_PERSON or low in _PASSIVE or low in _NOT_A_SUBJECT:
        return False
    if verb in _AMBIGUOUS:
        return (low in _PRONOUNS or (before[0].isupper() and not _at_sentence_start(text, at))
                or _THAT_RE.match(text, end) is not None)
    return True


def _postposed(text: str, end: int) -> bool:
    """", said the minister" / "”, says Wang": the speaker follows the verb."""
    after = text[end:end + 40].lstrip()
    nxt = after.split(None, 1)[0].lower() if after else ""
    return bool(nxt) and nxt not in _FIRST_PERSON and (nxt in _PRONOUNS or nxt in ("the", "a", "an")
                                                      or after[0].isupper())


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos].rstrip()
    return not before or before[-1] in ".!?\n"


def _speech_verbs(text: str) -> Iterator[re.Match[str]]:
    """``_VERB_RE.finditer(text)``, run on the lower-cased text when that gives the same offsets and matches."""
    if any(c in text for c in _SPECIAL_FOLDS):
        return _VERB_RE.finditer(text)
    return _VERB_RE_LOWER.finditer(text.lower())


def reported_sentences(text: str, seg: Segmentation) -> frozenset[int]:
    """Indices of the sentences of ``text`` (segmented as ``seg``) that contain reported speech, in one pass."""
    out = set()
    for m in _speech_verbs(text):
        if _is_reporting(text, m.start(), m.end()):
            si = seg.sentence_at(m.start())
            if si >= 0:
                out.add(si)
    return frozenset(out)


# ---------------------------------------------------------------------------
# questioners' turns

_NEWS_ORGS = (r"AFP|Reuters|Bloomberg|AP|Associated Press|CCTV|CGTN|Xinhua|China Daily|Global Times|Phoenix TV|"
              r"Phoenix|NHK|Kyodo|Yonhap|TASS|RIA Novosti|Sputnik|BBC|CNN|Al Jazeera|EFE|ANSA|DPA|PTI|Shenzhen TV|"
              r"Beijing Youth Daily|The Paper|Hubei Media Group|Dragon TV|China Review News|Nikkei|Asahi Shimbun|"
              r"Mainichi Shimbun|NBC|CBS|ABC|Fox News|RTHK|TVB|Caixin|South China Morning Post|Le Monde|"
              r"Financial Times|Wall Street Journal|New York Times|Washington Post")
#: what a presidential transcript prints before a turn's label: the exchange's topic in capitals and a comma, its
#: number, or both ("TAX LEGISLATION,Q. Mr. President", "CONGRESSIONAL ACTION ON PROGRAMS,[14.] Q. Mr. President")
_EXCHANGE_NUMBER = r"[ \t]*(?:[A-Z][A-Z0-9 '’&./-]{1,80}[A-Z0-9],[ \t]*)?(?:\[\d{1,3}\.?\][ \t]*)?"
#: a questioner's turn label ("Question:", "QUESTION:" as the State Department prints it, "Q:", "Q.", "Reuters:")
_QUESTION_LABEL_RE = re.compile(
    _EXCHANGE_NUMBER +
    r"[ \t]*(?:(?i:Q|Q\d+|Question|Questioner|Journalist|Reporter|Correspondent|Interviewer|Host|Moderator|Anchor)|"
    r"(?:[A-Z][\w.'’-]*[ \t]){0,3}(?:Reporter|Correspondent|Journalist)|" + _NEWS_ORGS + r")"
    r"(?:[ \t]*\([^)\n]{1,40}\))?[ \t]*[.:：](?=\s)")
#: any speaker label at the start of a paragraph: up to five capitalised words (or A / Answer) and a colon, or "A." or
#: up to four words in capitals and a full stop, as presidential transcripts print the answer ("THE PRESIDENT.",
#: "MR. PRICE.")
SPEAKER_LABEL_RE = re.compile(
    _EXCHANGE_NUMBER + r"(?:(?:A|Answer|(?:[A-Z][\w.'’-]*[ \t]+){0,4}[A-Z][\w.'’-]*)[ \t]*[:：]"
    r"|A\.|(?:[A-Z][A-Z.'’-]*[ \t]+){0,3}[A-Z][A-Z'’-]{2,}\.)(?=\s)")


def outside_questions(spans: list[tuple], seg: Segmentation, asked: frozenset[int]) -> list[tuple]:
    """The ``spans`` (tuples starting with a character offset) outside the questioners' turns, sentences ``asked``
    (:attr:`Attribution.questioner_sentences`): a journalist's words are neither a document's sourcing nor its
    phrases."""
    if not asked or not spans:
        return spans
    return [span for span in spans if seg.sentence_at(span[0]) not in asked]


def questioner_sentences(text: str, seg: Segmentation) -> frozenset[int]:
    """Sentences in a questioner's turn: from a question label to the next speaker label (paragraph starts)."""
    questions = [_QUESTION_LABEL_RE.match(text, ps, pe) is not None for ps, pe in seg.paragraphs]
    if not any(questions):
        return frozenset()
    out: set[int] = set()
    asking = False
    si = 0
    for (ps, pe), question in zip(seg.paragraphs, questions):
        if question:
            asking = True
        elif SPEAKER_LABEL_RE.match(text, ps, pe):
            asking = False
        if not asking:
            continue
        while si < seg.n_sentences and seg.sentences[si][1] <= ps:
            si += 1
        k = si
        while k < seg.n_sentences and seg.sentences[k][0] < pe:
            out.add(k)
            k += 1
    return frozenset(out)


def attribute(text: str, seg: Segmentation) -> Attribution:
    """Find quoted spans, reported-speech sentences and questioners' turns in ``text`` (a document body)."""
    return Attribution(quote_spans(text), reported_sentences(text, seg), questioner_sentences(text, seg))

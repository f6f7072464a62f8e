"""One-pass segmentation into paragraphs, sentences and word tokens.

Every span is a pair of character offsets into the segmented text, so
``text[start:end]`` gives back exactly the paragraph, sentence or token.

The segmenter is rule-based and fast: on ~750-word news-like documents,
paragraphs and sentences alone run at several thousand documents a second
(one core, CPU time), and about 1,700-2,600 a second with the word tokens,
whose regular-expression scan is now most of the cost. It knows the shapes
of web and diplomatic text:

* a line break ends a sentence unless the line is visibly hard-wrapped
  (a long line without final punctuation followed by a lower-case
  continuation), so headlines, bullet items, "Question:" and
  "Spokesperson:" turns each start a new sentence;
* sentence-final punctuation ends a sentence when followed by white space
  and an upper-case letter, digit, opening quote or bullet, except after a
  single initial (J. K. Rowling) or an abbreviation: titles and reference
  words (Dr., Gen., No. 5, Fig. 2, e.g.) never end a sentence, others
  (U.S., Inc., etc.) end one only before a typical sentence opener
  ("… in the U.S. The talks …");
* decimals (3.5), times and URLs never split, because a split needs white
  space after the punctuation;
* digits glued to words in scraped bullet lists ("1The Chinese …") are split
  into separate tokens;
* a run longer than :data:`MAX_SENTENCE_TOKENS` word tokens or
  :data:`MAX_SENTENCE_CHARS` characters (an unpunctuated transcript, a
  scraped page without full stops) is split into chunks, preferably after a
  comma, semicolon, colon, dash or line break in the second half of the
  chunk, so no later pass ever works on an unbounded sentence; the
  segmentation records how many runs were split (:meth:`Segmentation.split_note`).
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, starmap
from operator import itemgetter

__all__ = ["MAX_SENTENCE_CHARS", "MAX_SENTENCE_TOKENS", "WORD_RE", "Segmentation", "segment"]

#: Longest sentence (in word tokens) the scoring passes see; longer runs are split into chunks.
MAX_SENTENCE_TOKENS = 250
#: Longest sentence in characters (a chunk ends at a token boundary, so one giant token may exceed it).
MAX_SENTENCE_CHARS = 2000
# characters after which an over-long run is preferably split (clause boundaries)
_SOFT_BREAKS = frozenset(",;:\n–—-")

# letters of the Latin, Greek, Cyrillic, Armenian … CJK and Hangul blocks, spelled out as ranges
# because the equivalent [^\W\d_] is markedly slower in Python's regex engine
_LETTER = (r"A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u1FFF"
           r"\u2C00-\u2DFF\u3040-\uD7FF\uF900-\uFDFF\uFE70-\uFEFE")
#: A word token: letters (with inner hyphens, apostrophes or dots: "world-class", "don't",
#: "U.S"), or a number ("3.5", "924,000"). Digits glued to letters ("1The") are split.
#: Its one group is the whole token, so ``WORD_RE.split(text)`` gives the text between tokens and the tokens in
#: turn (the segmenter's one scan: no match object per token); ``findall``, ``finditer`` and ``search`` find the
#: tokens as without the group. The repeats are possessive (Python 3.11+): giving characters back never makes
#: a match here (a separator is never a letter or digit), so the matches are the same, found with less work.
_WORD_PATTERN = rf"([{_LETTER}]++(?:[-'’.][{_LETTER}]++)*+|[0-9]++(?:[.,:][0-9]++)*+)"
if sys.version_info < (3, 11):  # pragma: no cover - no possessive repeats before 3.11
    _WORD_PATTERN = _WORD_PATTERN.replace("*+", "*").replace("++", "+")
WORD_RE = re.compile(_WORD_PATTERN)

# candidate sentence end: terminal punctuation, closing quotes/brackets, then white space
# terminal punctuation and closing quotes/brackets, then (look-ahead) white space and the next visible
# character, which must not be a lower-case ASCII letter; a candidate needs white space after it, so decimals (3.5), times and URLs never split
_SENT_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=[ \t\u00a0]+([^\sa-z]))")
_TERMINAL = ".!?:;…\"”’)"
_BULLET_START = re.compile(r"\s*(?:[•·▪◦‣∙*–—-]|\d+[.)])\s")

#: titles before a name ("Sen. Warren", "Maj. Gen. Smith"): they lead into the next word, never end a sentence
TITLES = tuple("mr mrs ms dr prof sen sens rep reps gov gen gens lt col capt cmdr sgt adm pres supt rev hon maj brig "
               "cpl pvt insp amb".split())
ABBREVIATIONS = frozenset(TITLES) | frozenset(
    """
    sr jr st mt ft no nos vs etc al govs messrs drs profs inc ltd co corp bros dept univ assn est approx fig figs vol
    vols pp ed eds jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri
    sat sun e.g i.e u.s u.k u.n e.u u.s.a d.c a.m p.m ph.d b.a m.a cf op cit ibid viz
    """.split()
)
# abbreviations that always lead into the next word (titles, "No.", "Fig.", "e.g.")
_NEVER_FINAL = frozenset(TITLES) | frozenset(
    "st mt ft govs messrs drs profs no nos vs fig figs vol vols pp cf op e.g i.e viz approx".split()
)
_WORD_START_RE = re.compile(r"[A-Za-z]+")
_span = re.Match.span
# words that start sentences often enough to override an abbreviation like "U.S."
_SENTENCE_STARTERS = frozenset(
    "the a an it he she they we i this that these those but and however in on at "
    "for as his her their its our there when while after before if".split()
)


@dataclass
class Segmentation:
    """Paragraph, sentence and token spans of one text.

    Attributes
    ----------
    text : str
        The segmented text.
    paragraphs : list of (start, end)
    sentences : list of (start, end)
    sentence_paragraph : list of int
        Paragraph index of each sentence.
    tokens : list of (start, end)
        Word tokens (letters or numbers; punctuation is not a token).
    token_sentence : list of int
        Sentence index of each token.
    """

    text: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    sentence_paragraph: list[int] = field(default_factory=list)
    tokens: list[tuple[int, int]] = field(default_factory=list)
    token_sentence: list[int] = field(default_factory=list)
    #: over-long sentences that were split into chunks, and how many chunks they became
    split_runs: int = 0
    split_chunks: int = 0

    # ---- derived views (computed on demand, cached) -------------------
    _words: list[str] | None = None
    _lower: list[str] | None = None
    _sent_token_bounds: list[tuple[int, int]] | None = None
    _sent_starts: list[int] | None = None
    _token_starts: list[int] | None = None

    @property
    def words(self) -> list[str]:
        """Token strings as they appear in the text."""
        if self._words is None:
            self._words = list(map(self.text.__getitem__, starmap(slice, self.tokens)))
        return self._words

    @property
    def lower(self) -> list[str]:
        """Lower-cased token strings (curly apostrophes normalised to ')."""
        if self._lower is None:
            lower = list(map(str.lower, self.words))
            if "’" in self.text:
                lower = [w.replace("’", "'") for w in lower]
            self._lower = lower
        return self._lower

    @property
    def token_starts(self) -> list[int]:
        """Start offset of each token (sorted), for bisecting a character offset into the tokens."""
        if self._token_starts is None:
            self._token_starts = list(map(itemgetter(0), self.tokens))
        return self._token_starts

    @property
    def n_words(self) -> int:
        return len(self.tokens)

    @property
    def n_sentences(self) -> int:
        return len(self.sentences)

    @property
    def n_paragraphs(self) -> int:
        return len(self.paragraphs)

    def split_note(self) -> str:
        """A warning naming the over-long runs split into chunks ('' when none were)."""
        if not self.split_runs:
            return ""
        runs = "1 sentence" if self.split_runs == 1 else f"{self.split_runs} sentences"
        return (f"{runs} longer than {MAX_SENTENCE_TOKENS} words or {MAX_SENTENCE_CHARS} characters "
                f"(no sentence punctuation) split into {self.split_chunks} chunks for scoring; "
                "sentence counts and sentence-based scores treat each chunk as a sentence")

    def sentence_text(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.text[s:e]

    def sentence_tokens(self, i: int) -> tuple[int, int]:
        """Token index range ``[first, last)`` of sentence ``i``."""
        if self._sent_token_bounds is None:
            bounds = [[0, 0] for _ in self.sentences]
            seen: set[int] = set()
            for ti, si in enumerate(self.token_sentence):
                if si not in seen:
                    seen.add(si)
                    bounds[si][0] = ti
                bounds[si][1] = ti + 1
            for si, b in enumerate(bounds):  # sentences without tokens
                if si not in seen:
                    b[0] = b[1] = bounds[si - 1][1] if si else 0
            self._sent_token_bounds = [tuple(b) for b in bounds]  # type: ignore[misc]
        return self._sent_token_bounds[i]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing character ``offset`` (-1 if none)."""
        if self._sent_starts is None:
            self._sent_starts = [s for s, _ in self.sentences]
        i = bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i][1]:
            return i
        return -1


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs: runs of non-blank lines joined by soft (hard-wrapping) breaks, without outer white space.

    A blank line or a hard break ends a paragraph, so headlines, bullet items
    and "Question:" turns are paragraphs of their own.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    start = -1       # start of the open paragraph (-1: none)
    end = 0          # end of its last line, trailing white space excluded
    last = ""        # its last line, stripped
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            if start < 0 or not _is_soft_break(last, stripped):
                if start >= 0:
                    spans.append((start, end))
                start = pos + len(raw) - len(raw.lstrip())
            end = pos + len(raw.rstrip())
            last = stripped
        elif start >= 0:
            spans.append((start, end))
            start = -1
        pos += len(raw) + 1
    if start >= 0:
        spans.append((start, end))
    return spans


def _is_soft_break(stripped: str, nxt: str) -> bool:
    """True when the line break between two stripped, non-blank lines is hard-wrapping, not a boundary."""
    if stripped[-1] in _TERMINAL or _BULLET_START.match(nxt):
        return False
    first = nxt[0]
    if first.islower():
        return True
    # a long line running on into the next one (wrapped prose ends a line on a
    # lower-case word or a comma; a title-case headline does not)
    last_word = stripped.rsplit(None, 1)[-1]
    return len(stripped) >= 60 and (last_word[0].islower() or stripped[-1] == ",")


def _ends_sentence(text: str, word: str, punct: str, next_char: str, next_pos: int) -> bool:
    """Whether ``word`` + ``punct`` followed by white space and ``next_char`` ends a sentence."""
    if not (next_char.isupper() or next_char.isdigit() or next_char in "\"“‘'([•·–—-*"):
        return False
    if punct[0] != ".":
        return True  # ! ? … are unambiguous
    if punct.startswith(".."):
        return True  # ellipsis followed by a capital
    prev = word.lstrip("(\"'“‘[").lower().rstrip(".")
    if not prev:
        return True
    if len(prev) == 1 and prev.isalpha():
        return False  # an initial: "J. Smith"
    if prev in ABBREVIATIONS:
        if prev in _NEVER_FINAL:  # "Dr. Smith", "No. 5", "Fig. 2", "e.g. the": the next word belongs to it
            return prev in ("no", "nos") and not next_char.isdigit()  # but "said no. Then"
        # "the U.S. The talks", "Apple Inc. It said": split only before a typical sentence starter
        m = _WORD_START_RE.match(text, next_pos)
        return bool(m) and m.group(0).lower() in _SENTENCE_STARTERS
    return True


def _split_sentences(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append sentence spans of ``text[start:end]`` (one paragraph, no surrounding white space)."""
    sent_start = start
    for m in _SENT_END_RE.finditer(text, start, end):
        p = m.start()
        nxt = m.start(1)
        if text[p] == ".":
            lo = max(sent_start, p - 40)
            w = max(text.rfind(" ", lo, p), text.rfind("\n", lo, p), text.rfind("\u00a0", lo, p), lo - 1) + 1
            word = text[w:p]
        else:
            word = ""
        if _ends_sentence(text, word, m.group(0), text[nxt], nxt):
            out.append((sent_start, m.end()))
            sent_start = nxt
    out.append((sent_start, end))


def segment(text: str) -> Segmentation:
    """Segment ``text`` into paragraphs, sentences and tokens in one pass.

    Parameters
    ----------
    text : str
        The text to segment (a document body).

    Returns
    -------
    Segmentation
        Spans as character offsets into ``text``.
    """
    seg = Segmentation(text=text)
    sentences = seg.sentences
    paragraphs = seg.paragraphs
    sentence_paragraph = seg.sentence_paragraph
    for us, ue in _paragraph_spans(text):
        first = len(sentences)
        _split_sentences(text, us, ue, sentences)
        sentence_paragraph.extend([len(paragraphs)] * (len(sentences) - first))
        paragraphs.append((us, ue))

    # 3. tokens, sentence by sentence (a token never crosses a sentence boundary);
    #    over-long sentences are split into chunks here
    toks = seg.tokens
    tok_sent = seg.token_sentence
    capped: list[tuple[int, int]] = []
    capped_paragraph: list[int] = []
    bounds: list[tuple[int, int]] = []  # token range of each sentence
    by_sentence, words, starts = _sentence_token_spans(text, seg.sentences)
    for (s, e), para, spans in zip(seg.sentences, seg.sentence_paragraph, by_sentence):
        if len(spans) > MAX_SENTENCE_TOKENS or (e - s > MAX_SENTENCE_CHARS and len(spans) > 1):
            pieces = _chunk_sentence(text, s, e, spans)
            seg.split_runs += 1
            seg.split_chunks += len(pieces)
        else:
            pieces = [(s, e, spans)]
        for cs, ce, chunk_spans in pieces:
            tok_sent.extend([len(capped)] * len(chunk_spans))
            bounds.append((len(toks), len(toks) + len(chunk_spans)))
            toks.extend(chunk_spans)
            capped.append((cs, ce))
            capped_paragraph.append(para)
    seg.sentences = capped
    seg.sentence_paragraph = capped_paragraph
    seg._sent_token_bounds = bounds  # what sentence_tokens() would work out from token_sentence
    if words is not None:  # the tokens are the whole text's, in order: their strings and starts are known
        seg._words, seg._token_starts = words, starts
    return seg


def _sentence_token_spans(text: str, sentences: list[tuple[int, int]]
                          ) -> tuple[list[list[tuple[int, int]]], list[str] | None, list[int] | None]:
    """The word-token spans of each sentence: what ``WORD_RE.finditer(text, start, end)`` finds in each.

    Every character that is not white space lies in a sentence and a token holds no white space, so one scan of
    the whole text finds the same tokens, cut into sentences at their bounds; when the tokens do not all fall
    inside the sentences (a text shaped otherwise) each sentence is scanned on its own, as before. Also returns
    the tokens' strings and start offsets, in text order, when the one scan's tokens are the sentences' (else
    ``None``, ``None``).
    """
    # the pieces alternate: text between tokens, a token, …, text after the last token; their running lengths
    # are a token's start, its end, the next start, …
    pieces = WORD_RE.split(text)
    offsets = list(accumulate(map(len, pieces)))
    starts = offsets[0:-1:2]
    spans = list(zip(starts, offsets[1::2]))
    out = []
    used = 0
    lo = 0
    for s, e in sentences:
        first = bisect_left(starts, s, lo)
        last = bisect_left(starts, e, first)
        if last > first and spans[last - 1][1] > e:
            break  # a token runs past the sentence's end
        out.append(spans[first:last])
        used += last - first
        lo = last
    if used == len(spans) and len(out) == len(sentences):
        return out, pieces[1::2], starts
    finditer = WORD_RE.finditer
    return [list(map(_span, finditer(text, s, e))) for s, e in sentences], None, None


def _chunk_sentence(text: str, start: int, end: int,
                    spans: list[tuple[int, int]]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Split an over-long sentence into chunks of at most :data:`MAX_SENTENCE_TOKENS` tokens.

    Each chunk also stays within :data:`MAX_SENTENCE_CHARS` characters unless
    a single token is longer. Chunks end between tokens, preferably at a
    clause boundary (comma, semicolon, colon, dash, line break) in the second
    half of the chunk. Returns ``(chunk_start, chunk_end, chunk_tokens)``.
    """
    chunks: list[tuple[int, int, list[tuple[int, int]]]] = []
    first, cursor = 0, start
    while first < len(spans):
        last = _chunk_limit(spans, first, cursor)  # exclusive token index
        if last < len(spans):
            last = _preferred_break(text, spans, first, last)
            chunk_end, next_start = _break_positions(text, spans[last - 1][1], spans[last][0])
        else:
            chunk_end, next_start = end, end
        chunks.append((cursor, chunk_end, spans[first:last]))
        first, cursor = last, next_start
    return chunks


def _chunk_limit(spans: list[tuple[int, int]], first: int, cursor: int) -> int:
    """Largest token index (exclusive) ending a chunk from ``first`` within the token and character caps."""
    last = min(first + MAX_SENTENCE_TOKENS, len(spans))
    while last > first + 1 and spans[last - 1][1] - cursor > MAX_SENTENCE_CHARS:
        last -= 1
    return last


def _preferred_break(text: str, spans: list[tuple[int, int]], first: int, last: int) -> int:
    """Move the break back to the last clause boundary in the chunk's second half, if there is one."""
    for k in range(last, first + max(1, (last - first) // 2), -1):
        gap = text[spans[k - 1][1]:spans[k][0]]
        if any(c in _SOFT_BREAKS for c in gap):
            return k
    return last


def _break_positions(text: str, prev_end: int, next_start: int) -> tuple[int, int]:
    """Where a chunk ends and the next begins, in the gap between two tokens.

    The chunk keeps the punctuation before the first white space ("word," ends
    a chunk); the next chunk starts after that white space, so neither span
    begins or ends with white space.
    """
    gap = text[prev_end:next_start]
    for i, ch in enumerate(gap):
        if ch.isspace():
            j = i
            while j < len(gap) and gap[j].isspace():
                j += 1
            return prev_end + i, prev_end + j
    return next_start, next_start

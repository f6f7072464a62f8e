"""Actor mentions in one document: countries, government metonyms, organisations, people, groups.

:func:`find_actor_mentions` finds the actors named in a document (entries of the
``actors`` lexicon, demonym + institution noun, title + name) and what they do
when they are the grammatical subject ("Beijing seeks", "China believes"). It
works on one document at a time, so the framing extractor can use it without the
corpus-level analyses of :mod:`framing.terms` (whose :func:`~framing.terms.actors`
aggregates these mentions by group; :mod:`framing.terms` re-exports the names
defined here).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np

from .document import Document
from .lexicon import Lexicon, LexiconEntry, PhraseMatcher, load_lexicon, trie_pattern
from .segment import Segmentation

__all__ = ["STOPWORDS", "ActorMention", "find_actor_mentions"]

#: English function words (closed classes only: articles, pronouns, prepositions, conjunctions,
#: auxiliaries, quantifiers). Content words such as "system" or "interest" are never stopwords here
#: (unlike some packaged lists; see Nothman, Qin & Yurchak 2018, "Stop word lists in free open-source
#: software packages").
STOPWORDS = frozenset(["a", "about", "above", "across", "after", "again", "against", "all", "almost", "along", "also", "although", "always", "am", "among", "an", "and", "another", "any", "anyone", "anything", "are", "around", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "etc", "even", "ever", "every", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "many", "may", "me", "might", "more", "most", "much", "must", "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other", "others", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps", "rather", "same", "shall", "she", "should", "since", "so", "some", "still", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what", "whatever", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves", "s", "t", "ll", "ve", "re", "d", "m", "also", "whereas", "amongst", "thereby",
    # contractions are function words as their spelled-out forms are ("don't think" is no more a formula than
    # "do not think", which the stop words above already keep from being one)
    "don't", "doesn't", "didn't", "can't", "won't", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't",
    "hadn't", "wouldn't", "shouldn't", "couldn't", "mustn't", "i'm", "i've", "i'll", "i'd", "we're", "we've",
    "we'll", "we'd", "you're", "you've", "you'll", "you'd", "it's", "that's", "there's", "they're", "they've",
    "they'll", "they'd", "he's", "she's", "he'd", "she'd", "let's", "what's"])

_APOSTROPHES = "'’‘`"
_POSSESSIVE_END = re.compile(r"['’‘]s$")


# ---------------------------------------------------------------------------
# tokens shared by the three analyses (computed once per document, cached)

@dataclass(frozen=True)
class _Tokens:
    """Possessive-stripped lower-case tokens, and where phrases may run."""

    norm: tuple[str, ...]        # lower-case, possessive 's stripped
    possessive: tuple[bool, ...]  # token carried a possessive 's
    joins_next: tuple[bool, ...]  # only white space (same sentence) between token i and i + 1


def _tokens(doc: Document) -> _Tokens:
    cached = doc.cache.get("terms.tokens")
    if cached is not None:
        return cached
    seg = doc.segmentation
    spans = seg.tokens
    body = doc.body
    norm = list(seg.lower)
    possessive = [False] * len(norm)
    for i in compress(range(len(norm)), map(str.endswith, norm, repeat("'s"))):
        if len(norm[i]) > 2:
            norm[i] = norm[i][:-2]
            possessive[i] = True
    # "China‘s": the segmenter splits at an unusual apostrophe; mark the stem possessive
    for i in compress(range(len(norm)), map("s".__eq__, norm)):
        gap = body[spans[i - 1][1]:spans[i][0]] if i else ""
        if gap and gap in _APOSTROPHES:
            possessive[i - 1] = True
    result = _Tokens(tuple(norm), tuple(possessive), tuple(_joins_next(body, seg)))
    doc.cache["terms.tokens"] = result
    return result


#: code points above this one are never white space (U+3000, the ideographic space, is the last that is)
_LAST_SPACE = 0x3000


@lru_cache(maxsize=1)
def _blank_table() -> np.ndarray:
    """Per code point up to :data:`_LAST_SPACE` + 1: white space other than a line break (``str.isspace``)."""
    return np.array([chr(c).isspace() and c != 0x0A for c in range(_LAST_SPACE + 2)])


def _joins_next(text: str, seg: Segmentation) -> list[bool]:
    """Per token: the next token is in the same sentence, with only white space and no line break between.

    One vectorised pass over the text: the characters between two tokens are all blanks when the running count
    of non-blank characters is the same at both ends of the gap (and the gap is not empty).
    """
    spans = seg.tokens
    if not spans:
        return []
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    non_blank = np.zeros(len(codes) + 1, dtype=np.int64)  # non_blank[k]: non-blank characters before offset k
    np.cumsum(~_blank_table()[np.minimum(codes, _LAST_SPACE + 1)], out=non_blank[1:])
    ends = np.fromiter(map(itemgetter(1), spans), dtype=np.int64, count=len(spans))[:-1]
    next_starts = np.array(seg.token_starts[1:], dtype=np.int64)
    sentence = np.array(seg.token_sentence, dtype=np.int64)
    joins = (next_starts > ends) & (non_blank[next_starts] == non_blank[ends]) & (sentence[1:] == sentence[:-1])
    out = joins.tolist()
    out.append(False)
    return out


# ---------------------------------------------------------------------------
# actors

#: auxiliaries and adverbs skipped between a subject and its predicate
_SKIP_TO_PREDICATE = frozenset(["is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "must", "shall", "does", "do", "did", "be", "been", "being", "also", "once", "again", "now", "still", "no", "not", "longer", "just", "further", "already", "always", "never", "thus", "therefore", "both", "even", "only", "actively", "effectively", "consistently", "increasingly", "firmly", "repeatedly", "reportedly", "apparently", "clearly"])
_PREPOSITIONS = frozenset(["of", "by", "to", "for", "with", "against", "from", "in", "on", "at", "between", "among", "amongst", "toward", "towards", "about", "than", "into", "over", "under", "via", "through", "like", "including", "versus", "vs", "upon", "within", "without", "across", "beyond", "behind", "around"])
_NOT_PREDICATE = frozenset(["and", "or", "but", "as", "that", "which", "who", "whose", "where", "when", "while", "if", "because", "so", "then"])
_COMMON_VERBS = frozenset(["aims", "seeks", "seek", "wants", "intends", "hopes", "believes", "believe", "holds", "maintains", "supports", "opposes", "welcomes", "urges", "calls", "proposes", "proposed", "advocates", "advocated", "promotes", "promoted", "remains", "stands", "says", "said", "announced", "emphasized", "emphasised", "stressed", "argues", "argued", "sees", "views", "uses", "used", "offers", "launched", "signed", "plans", "plan", "continues", "leads", "lead", "faces", "face", "needs", "need", "reflects", "underscores", "highlights", "marks", "signals", "signaled", "signalled", "extends", "demonstrates", "shows", "makes", "made", "takes", "took", "gives", "gave", "put", "puts", "sets", "set", "gets", "got", "has", "had"])


@dataclass(frozen=True)
class ActorMention:
    """One mention of an actor in a document.

    ``first``/``last`` are token indices, ``start``/``end`` character offsets into
    ``doc.body``; ``subject`` says whether the actor is the grammatical subject of
    ``predicates`` (lower-case verbs, e.g. ``("seeks",)``, ``("stands", "ready")`` is
    recorded as ``"stands ready"``), ``predicate_spans`` their character offsets
    (``doc.body[start:end]``, one per predicate); ``attribute`` is the head noun after a
    possessive ("China's *proposal*"), at ``attribute_span``.
    """

    actor: str
    kind: str
    refers_to: str
    first: int
    last: int
    start: int
    end: int
    sentence: int
    possessive: bool
    subject: bool
    predicates: tuple[str, ...]
    attribute: str
    predicate_spans: tuple[tuple[int, int], ...] = ()
    attribute_span: tuple[int, int] | None = None


@lru_cache(maxsize=8)
def _actor_tables(lexicon_key: str) -> tuple[PhraseMatcher, PhraseMatcher, dict[str, str], re.Pattern, Lexicon]:
    lex = load_lexicon(lexicon_key)
    names = [e for e in lex.entries if e.category in ("country", "government metonym", "organisation", "group",
                                                       "demonym")]
    nouns = [e for e in lex.entries if e.category == "institution_noun"]
    noun_kind = {" ".join(e.words): (e.extra[0] if e.extra else "organisation") for e in nouns}
    titles = sorted((e.term for e in lex.entries if e.category == "title"), key=len, reverse=True)
    name = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
    # the titles as a character trie: the same matches as the longest-first alternation, and much faster; the
    # word boundary before the title is checked by _titled_names, so the scan can jump to the titles' first letters
    person = re.compile(r"(?P<title>" + trie_pattern(titles) + r")\.? (?P<name>"
                        + name + r"(?: " + name + r"){0,2})\b")
    return PhraseMatcher(names), PhraseMatcher(nouns), noun_kind, person, lex


def _case_ok(entry: LexiconEntry, surface: list[str]) -> bool:
    """Terms written with capitals match case-exactly (or in all-caps text); lower-case terms match any case."""
    term_words = entry.term.split()
    if entry.term.islower():
        return True
    for tw, sw in zip(term_words, surface):
        sw = _POSSESSIVE_END.sub("", sw)
        if sw != tw and not (sw.isupper() and len(sw) > 1 and sw.lower() == tw.lower() and not tw.islower()):
            return False
    return True


def find_actor_mentions(doc: Document, lexicon: str | Path = "actors") -> list[ActorMention]:
    """Actors named in ``doc`` (lexicon entries, demonym + institution noun, title + name), with their predicates.

    Cached in ``doc.cache`` per lexicon. People: a title from the lexicon followed by
    one to three capitalised words ("Foreign Minister Wang Yi"); a later "Minister
    Wang" is resolved to "Wang Yi" within the document. Subject rule (no parser):
    the mention is not possessive, not preceded by a preposition, and the next token
    after auxiliaries and adverbs (is, has, once, again, actively …) looks like a
    verb (known verb, or ending in -s, -ed, -ing); "to" after the mention ("allows
    China to") makes it an object. A sentence-initial "By <verb>-ing …, Beijing"
    and a later "<verb>-ing itself" in the sentence are added to the predicates.
    """
    key = f"terms.actors:{lexicon}"
    cached = doc.cache.get(key)
    if cached is not None:
        return cached
    names, nouns, noun_kind, person_re, _ = _actor_tables(str(lexicon))
    seg, tok = doc.segmentation, _tokens(doc)
    taken = [False] * len(tok.norm)
    found: list[tuple[int, int, str, str, str]] = []  # first, last, actor, kind, refers_to
    for first, last, actor, kind in _person_spans(doc, person_re, names):
        found.append((first, last, actor, kind, ""))
        for k in range(first, last):
            taken[k] = True
    norm = list(tok.norm)
    for m in names.find(norm):
        if any(taken[m.first:m.last]) or not _case_ok(m.entry, seg.words[m.first:m.last]):
            continue
        canonical = m.entry.extra[0] if m.entry.extra and m.entry.extra[0] else m.entry.term
        refers = m.entry.extra[1] if len(m.entry.extra) > 1 else ""
        kind, last = m.entry.category, m.last
        if kind == "demonym":
            follow = nouns.find(norm, m.last, min(m.last + 2, len(norm)))
            if not follow or follow[0].first != m.last or tok.possessive[m.last - 1]:
                continue
            noun = " ".join(norm[follow[0].first:follow[0].last])
            kind, last = noun_kind.get(noun, "organisation"), follow[0].last
            canonical = f"{canonical} {noun}"
        found.append((m.first, last, canonical, kind, refers))
        for k in range(m.first, last):
            taken[k] = True
    found.sort()
    mentions = [_with_predicates(doc, tok, f) for f in found]
    mentions = _add_sentence_predicates(doc, tok, mentions)
    doc.cache[key] = mentions
    return mentions


_WORD_CHAR = re.compile(r"\w")


def _titled_names(person_re: re.Pattern, text: str) -> list[re.Match]:
    """What ``re.finditer(r"\\b" + person_re.pattern, text)`` finds.

    Without a leading ``\\b`` the pattern starts with a set of letters the regex engine can skip ahead to (the
    boundary made it try every position); a match is kept when no word character comes before it, else the scan
    goes on from the next character, as ``\\b`` would have.
    """
    out = []
    search = person_re.search
    pos = 0
    while (m := search(text, pos)) is not None:
        start = m.start()
        if start and _WORD_CHAR.match(text, start - 1):
            pos = start + 1
            continue
        out.append(m)
        pos = m.end()
    return out


def _person_spans(doc: Document, person_re: re.Pattern, names: PhraseMatcher) -> list[tuple[int, int, str, str]]:
    matches = _titled_names(person_re, doc.body)
    if not matches:
        return []
    seg = doc.segmentation
    norm = list(_tokens(doc).norm)
    starts = [s for s, _ in seg.tokens]
    raw = []
    for m in matches:
        name = m.group("name")
        words = name.split()
        while words and words[-1].lower() in STOPWORDS:  # "President The" never; "Minister Wang During" rarely
            words.pop()
        if not words or words[0].lower() in STOPWORDS:
            continue
        name = " ".join(words)
        first = bisect_left(starts, m.start("title"))
        last = bisect_left(starts, m.start("name") + len(name))
        named = names.find(norm, first, last)
        if named and named[0].first == first:  # "General Assembly" is an organisation, not General Assembly
            continue
        if first < last:
            raw.append((first, last, name))
    full = [n for _, _, n in raw if " " in n]
    out = []
    for first, last, name in raw:
        if " " not in name:
            name = next((f for f in full if name in f.split()), name)
        out.append((first, last, name, "person"))
    return out


def _looks_like_verb(word: str) -> bool:
    if word in _COMMON_VERBS:
        return True
    if word in STOPWORDS or word in _NOT_PREDICATE or len(word) < 4:
        return False
    return word.endswith(("ing", "ed")) or (word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")))


def _with_predicates(doc: Document, tok: _Tokens, f: tuple[int, int, str, str, str]) -> ActorMention:
    first, last, actor, kind, refers = f
    seg = doc.segmentation
    norm = tok.norm
    si = seg.token_sentence[first]
    s0, s1 = seg.sentence_tokens(si)
    start, end = seg.tokens[first][0], seg.tokens[last - 1][1]
    possessive = tok.possessive[last - 1]
    if possessive:
        end = start + len(_POSSESSIVE_END.sub("", doc.body[start:end]))
    predicates: tuple[str, ...] = ()
    pred_spans: tuple[tuple[int, int], ...] = ()
    attribute, attr_span = "", None
    if possessive:
        attribute, k = _possessive_head(tok, last, s1)
        if attribute:
            attr_span = seg.tokens[k]
    else:
        p = first - 1
        while p > s0 and norm[p] in ("the", "a", "an") and tok.joins_next[p]:
            p -= 1
        prev = norm[p] if p >= s0 and tok.joins_next[p] else ""
        k = last
        while k < s1 and (norm[k] in _SKIP_TO_PREDICATE or (norm[k].endswith("ly") and len(norm[k]) > 4)):
            k += 1
        word = norm[k] if k < s1 and all(tok.joins_next[i] for i in range(last - 1, k)) else ""
        if prev not in _PREPOSITIONS and norm[last:last + 1] != ("to",) and word and _looks_like_verb(word):
            nxt = norm[k + 1] if k + 1 < s1 else ""
            two = nxt in ("ready", "committed", "willing", "itself")
            predicates = (f"{word} {nxt}" if two else word,)
            pred_spans = ((seg.tokens[k][0], seg.tokens[k + 1 if two else k][1]),)
    return ActorMention(actor, kind, refers, first, last, start, end, si, possessive, bool(predicates),
                        predicates, attribute, pred_spans, attr_span)


def _possessive_head(tok: _Tokens, j: int, s1: int) -> tuple[str, int]:
    """Head noun after a possessive (the last content word before a verb, function word or punctuation), its token."""
    norm = tok.norm
    head, at = "", -1
    for k in range(j, min(j + 3, s1)):
        if k > j and not tok.joins_next[k - 1]:
            break
        w = norm[k]
        if w in STOPWORDS or w in _COMMON_VERBS or w == "s":
            if w == "s" and k == j:
                continue
            break
        if head and _looks_like_verb(w) and not w.endswith("ing"):
            break
        head, at = w, k
    return head, at


def _add_sentence_predicates(doc: Document, tok: _Tokens, mentions: list[ActorMention]) -> list[ActorMention]:
    """Fronted "By <v>-ing …, ACTOR" and "…, <v>-ing itself" attach to the sentence's subject mention."""
    seg, norm = doc.segmentation, tok.norm
    out = list(mentions)
    for idx, m in enumerate(mentions):
        if not m.subject:
            continue
        s0, s1 = seg.sentence_tokens(m.sentence)
        extra: list[str] = []
        spans: list[tuple[int, int]] = []
        toks = seg.tokens
        fronted = m.first > s0 + 1 and norm[s0] in ("by", "through") and norm[s0 + 1].endswith("ing")
        if fronted and not any(o.subject and o.sentence == m.sentence and o.first < m.first for o in mentions):
            extra.append(norm[s0 + 1])
            spans.append(toks[s0 + 1])
        later_subject = next((o.first for o in mentions if o.subject and o.sentence == m.sentence
                              and o.first > m.first), s1)
        for k in range(m.last + 1, min(later_subject, s1) - 1):
            if norm[k].endswith("ing") and norm[k + 1] == "itself" and f"{norm[k]} itself" not in m.predicates:
                extra.append(f"{norm[k]} itself")
                spans.append((toks[k][0], toks[k + 1][1]))
        if extra:
            out[idx] = ActorMention(m.actor, m.kind, m.refers_to, m.first, m.last, m.start, m.end, m.sentence,
                                    m.possessive, True, m.predicates + tuple(extra), m.attribute,
                                    m.predicate_spans + tuple(spans), m.attribute_span)
    return out

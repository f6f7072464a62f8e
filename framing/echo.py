"""Echo analysis: where the official side's formulae and key phrases reappear in the other groups, and how.

For every official phrase — the set phrases of the packaged formulae lexicon
(``framing/lexicons/formulae.tsv``, variants merged under their canonical form), the
formulae and slogans the official group repeats or quotes, and its most distinctive
multi-word terms — each occurrence in a document of another group is classified as:

``quoted``
    inside a quotation or in reported speech ("China calls for 'win-win
    cooperation', the ministry said"): the author attributes the phrase;
``contested``
    the author keeps a distance: scare quotes around the phrase alone (without
    attribution), a negation just before it ("not a community with a shared
    future"), or a marker of doubt or disapproval near it ("so-called", "slogan",
    "empty", "propaganda", or a loaded, doubt or framing-verb cue of the
    promotional family in the same stretch);
``adopted``
    in the author's own voice with none of the above: the phrase is used as the
    author's own words.

:func:`classify_occurrence` decides one occurrence (tested on constructed
sentences); :func:`echo_table` builds the per-phrase, per-document table written
to ``echo.csv``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .attribution import outside_questions

if TYPE_CHECKING:  # pragma: no cover
    from .compare import Comparison
    from .pipeline import Analysis

__all__ = ["ECHO_COLUMNS", "EchoPhrase", "classify_occurrence", "echo_summary", "echo_table", "is_count", "is_name",
           "official_phrases", "phrase_pattern"]

#: Columns of :func:`echo_table` (one row per phrase and document of a non-official group).
ECHO_COLUMNS = ("phrase", "source", "official_uses", "official_docs", "doc_id", "group", "uses", "quoted",
                "adopted", "contested", "example_how", "example_why", "example")

QUOTED, ADOPTED, CONTESTED = "quoted", "adopted", "contested"

#: Words before a phrase that negate or reject it (within :data:`NEGATION_WINDOW` words).
NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "hardly", "without", "n't", "nothing", "against",
                       "rejects", "rejected", "reject", "denies", "denied", "deny", "far"})
NEGATION_WINDOW = 3
#: Words near a phrase that mark the author's doubt or disapproval of it (within :data:`DOUBT_WINDOW` words).
DOUBT_WORDS = frozenset({"so-called", "socalled", "alleged", "allegedly", "purported", "purportedly", "supposed",
                         "supposedly", "slogan", "slogans", "sloganeering", "rhetoric", "rhetorical", "propaganda",
                         "empty", "hollow", "mere", "merely", "euphemism", "euphemisms", "buzzword", "buzzwords",
                         "catchphrase", "platitude", "platitudes", "veneer", "pretext", "guise",
                         "cynical", "cynically", "disingenuous", "claims", "claimed", "touted", "touts", "mantra"})
DOUBT_WINDOW = 6
#: Promotional-family evidence categories that mark disapproval or doubt (see framing.extractors.promotional).
CONTESTING_CATEGORIES = frozenset({"loaded", "doubt", "framing_verb", "contentious_label"})
_QUOTE_OPEN = "\"“‘'«"
_QUOTE_CLOSE = "\"”’'»"
_WORD_RE = re.compile(r"[\w'’-]+")
#: Verbs and phrases that attribute quoted words to a speaker ("China calls for 'win-win'").
ATTRIBUTION_RE = re.compile(r"\b(?:says?|said|saying|calls? for|called for|calling for|urges?|urged|describe[sd]?|"
                            r"dubbed|terms?|termed|proposed|proposes|promotes?|promoted|according to|"
                            r"stated|states|declared|declares|announced|told|insists?|insisted|vows?|vowed|"
                            r"pledged?|pledges|what \w+ calls?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class EchoPhrase:
    """A phrase to look for: its display form, where it comes from, and its spellings."""

    phrase: str
    source: str                    # "formulae lexicon", "official formula", "official distinctive term"
    variants: tuple[str, ...]


def phrase_pattern(variants: Sequence[str]) -> re.Pattern[str]:
    """A case-insensitive pattern for any variant: words separated by spaces or hyphens, an optional plural 's'."""
    alts = []
    for v in sorted({" ".join(_WORD_RE.findall(v.lower())) for v in variants if v.strip()}, key=lambda x: (-len(x), x)):
        words = [re.escape(w) for w in v.replace("-", " ").split()]
        if words:
            alts.append(r"[\s\-]+".join(words) + r"(?:s|es)?")
    return re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)


def _words_before(sentence: str, at: int, n: int) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(sentence[:at])][-n:]


def _words_after(sentence: str, at: int, n: int) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(sentence[at:])][:n]


def _scare_quoted(sentence: str, at: int, end: int) -> bool:
    """True when quotation marks enclose the phrase alone (punctuation aside): 'the "win-win" deal'."""
    before = sentence[:at].rstrip()
    after = sentence[end:].lstrip()
    after = after[1:] if after[:1] in ",.;:" and after[1:2] in _QUOTE_CLOSE else after
    return bool(before) and before[-1] in _QUOTE_OPEN and bool(after) and after[0] in _QUOTE_CLOSE


def classify_occurrence(sentence: str, at: int, end: int, voice: str = "author",
                        contesting_cues: Sequence[str] = ()) -> tuple[str, str]:
    """How a phrase at ``sentence[at:end]`` is used: ``(quoted|adopted|contested, why)``.

    ``voice`` is the attribution layer's voice at the phrase (``author``, ``quoted``, ``reported``,
    ``questioner``); ``contesting_cues`` are loaded/doubt cues the extractors found in the sentence.
    Order: scare quotes in the author's voice, then attribution, then negation or doubt nearby.
    """
    if _scare_quoted(sentence, at, end):
        if voice in ("reported", "questioner") or ATTRIBUTION_RE.search(sentence):
            return QUOTED, "in quotation marks, attributed"
        return CONTESTED, "scare quotes"
    if voice in ("quoted", "reported", "questioner"):
        return QUOTED, f"{voice} speech" if voice != "quoted" else "inside a quotation"
    before = _words_before(sentence, at, max(NEGATION_WINDOW, DOUBT_WINDOW))
    negation = [w for w in before[-NEGATION_WINDOW:] if w in NEGATIONS or w.endswith("n't")]
    if negation:
        return CONTESTED, f"negation: {negation[-1]}"
    near = before[-DOUBT_WINDOW:] + _words_after(sentence, end, DOUBT_WINDOW)
    doubt = [w for w in near if w in DOUBT_WORDS]
    if doubt:
        return CONTESTED, f"doubt: {doubt[0]}"
    if contesting_cues:
        return CONTESTED, f"loaded: {contesting_cues[0]}"
    return ADOPTED, "author's own voice"


# ---------------------------------------------------------------------------
# which phrases

def _lexicon_phrases() -> list[EchoPhrase]:
    from .lexicon import load_lexicon

    try:
        lex = load_lexicon("formulae")
    except Exception:  # noqa: BLE001 - the lexicon is optional here
        return []
    by_canon: dict[str, list[str]] = {}
    for e in lex.entries:
        canon = e.extra[0] if e.extra else e.term
        by_canon.setdefault(canon, []).append(e.term)
    return [EchoPhrase(c, "formulae lexicon", tuple(v)) for c, v in by_canon.items()]


def official_phrases(comp: Comparison, official: str, top_formulae: int = 20, top_terms: int = 12,
                     ) -> list[EchoPhrase]:
    """The phrases to trace: the formulae lexicon, the official group's formulae and its multi-word distinctive terms.

    A phrase found by several routes is kept once (the lexicon's name first).
    """
    phrases = _lexicon_phrases()
    seen = {v.lower() for p in phrases for v in p.variants}
    f = comp.formulae
    sizes = comp.group_sizes()
    n_official = max(sizes.get(official, 1), 1)
    n_other = max(sum(n for g, n in sizes.items() if g != official), 1)
    if not f.empty and {"group", "phrase"} <= set(f.columns):
        rows = f[(f["group"] == official)].head(top_formulae)
        for r in rows.to_dict("records"):
            if str(r.get("kind", "")) == "repeated" and not _distinctive(r, n_official, n_other):
                continue
            variants = tuple(r.get("variants") or ()) or (r["phrase"],)
            if any(v.lower() in seen for v in variants) or len(str(r["phrase"]).split()) < 2 \
                    or is_name(str(r["phrase"])) or is_count(str(r["phrase"])):
                continue
            phrases.append(EchoPhrase(str(r["phrase"]), "official formula", tuple(str(v) for v in variants)))
            seen.update(v.lower() for v in variants)
    t = comp.terms
    if not t.empty and {"group", "term"} <= set(t.columns):
        rows = t[(t["group"] == official) & (t["term"].astype(str).str.contains(" "))].head(top_terms)
        for r in rows.to_dict("records"):
            surface = str(r.get("surface") or r["term"])
            if surface.lower() in seen or str(r["term"]).lower() in seen or is_name(surface) or is_count(surface):
                continue
            phrases.append(EchoPhrase(surface, "official distinctive term", (surface, str(r["term"]))))
            seen.add(surface.lower())
    return phrases


_NAME_GLUE = frozenset({"of", "the", "for", "and", "on", "in", "de", "al"})


def is_name(phrase: str) -> bool:
    """True for a proper name ("United States", "Secretary of State"): every word but glue words capitalised.

    Names are actors, not formulae: where they reappear says nothing about echoing a slogan.
    """
    words = [w for w in re.findall(r"[\w'’-]+", phrase) if w.lower() not in _NAME_GLUE]
    return bool(words) and all(w[:1].isupper() for w in words)


#: Words that make a phrase a count ("million people", "per cent", "thousands of jobs") rather than a formula.
QUANTITY_WORDS = frozenset({"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
                            "billions", "trillion", "trillions", "dozen", "dozens", "percent", "per", "number",
                            "numbers"})


def is_count(phrase: str) -> bool:
    """True for a phrase that begins with a quantity word ("million people", "per cent"): the official texts'
    repeated counts ("2.5 million people vaccinated") are figures, not a formula another text could echo."""
    words = re.findall(r"[\w'’-]+", phrase.lower())
    return bool(words) and words[0] in QUANTITY_WORDS


def _distinctive(row: dict[str, Any], n_official: int, n_other: int) -> bool:
    """A repeated n-gram is an official key phrase only when the official texts use it at least twice as
    often per document as the others (a shared topic phrase such as "artificial intelligence" is not)."""
    other = row.get("other_groups") or {}
    other_uses = sum(int(v) for v in other.values()) if isinstance(other, dict) else 0
    return int(row.get("count", 0)) / n_official >= 2 * other_uses / n_other


# ---------------------------------------------------------------------------
# the table

def _contesting_cues(comp: Comparison) -> dict[tuple[str, int], list[tuple[int, str]]]:
    """(doc id, sentence) -> [(offset, cue)] of loaded/doubt cues from the promotional family."""
    ev = comp.evidence
    if ev.empty:
        return {}
    ev = ev[(ev["extractor"] == "promotional") & ev["category"].isin(CONTESTING_CATEGORIES)]
    out: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for d, s, start, cue in zip(ev["doc_id"], ev["sentence"], ev["start"], ev["cue"]):
        out.setdefault((str(d), int(s)), []).append((int(start), str(cue)))
    return out


def _occurrences(doc: Any, pattern: re.Pattern[str], lowered: str = "", keys: Sequence[str] = ()
                 ) -> list[tuple[int, int]]:
    """Match offsets of ``pattern`` in the body, outside questioners' turns (a journalist's words are neither the
    official side's use of a phrase nor another group's echo of it); skipped at once when no key word occurs in
    ``lowered``."""
    if keys and lowered and not any(k in lowered for k in keys):
        return []
    hits = [(m.start(), m.end()) for m in pattern.finditer(doc.body)]
    return outside_questions(hits, doc.segmentation, doc.attribution.questioner_sentences) if hits else hits


def _keys(variants: Sequence[str]) -> list[str]:
    """A cheap pre-filter: the longest word of each variant, lower-case (every match contains one of them)."""
    out = []
    for v in variants:
        words = re.findall(r"\w+", v.lower())
        if words:
            out.append(max(words, key=len))
    return out


def _classify_in_doc(doc: Any, start: int, end: int, cues: dict) -> tuple[str, str, str]:
    """(how, why, sentence text) for one occurrence in a document."""
    seg = doc.segmentation
    si = seg.sentence_at(start)
    s_start, s_end = seg.sentences[si] if si >= 0 else (start, end)
    sentence = doc.body[s_start:s_end]
    voice = doc.attribution.voice_at(start, si)
    near = [c for off, c in cues.get((doc.id, si), []) if abs(off - start) <= 40 and not start <= off < end]
    how, why = classify_occurrence(sentence, start - s_start, end - s_start, voice, near)
    return how, why, sentence


OFFICIAL = "official"  # the group whose phrases are traced (framing.compare.OFFICIAL)


def _uses_by_phrase(documents: Sequence[Any], phrases: Sequence[EchoPhrase], group_of: dict[str, str],
                    cues: dict) -> tuple[list[dict[str, int]], list[list[tuple]]]:
    """For each phrase: the official documents' number of uses (by id), and a row per other document using it
    (document, group, uses, quoted, adopted, contested, and the first use's class, reason and sentence).

    Documents are the outer loop: each is segmented at most once for every phrase together (a large report's
    sample keeps few documents' token tables, so a phrase-by-phrase pass would segment them once per phrase)."""
    compiled = [(phrase_pattern(p.variants), _keys(p.variants)) for p in phrases]
    official_uses: list[dict[str, int]] = [{} for _ in phrases]
    uses: list[list[tuple]] = [[] for _ in phrases]
    for doc in documents:
        group = group_of.get(doc.id)
        if group is None:
            continue
        lowered = doc.body.lower()
        for k, (pattern, keys) in enumerate(compiled):
            hits = _occurrences(doc, pattern, lowered, keys)
            if group == OFFICIAL:
                official_uses[k][doc.id] = len(hits)
                continue
            if not hits:
                continue
            classes = [_classify_in_doc(doc, s, e, cues) for s, e in hits]
            counts = {c: sum(1 for x in classes if x[0] == c) for c in (QUOTED, ADOPTED, CONTESTED)}
            first = classes[0]
            uses[k].append((doc.id, group, len(hits), counts[QUOTED], counts[ADOPTED], counts[CONTESTED], first[0],
                            first[1], " ".join(first[2].split())))
    return official_uses, uses


def echo_table(analysis: Analysis, comp: Comparison, max_phrases: int = 40) -> pd.DataFrame:
    """One row per official phrase and document of another group that uses it (:data:`ECHO_COLUMNS`).

    ``uses`` splits into ``quoted``, ``adopted`` and ``contested``; ``example`` is the first occurrence's
    sentence, ``example_how``/``example_why`` its class and the reason. Phrases the official group never
    uses and no other document uses are left out. Empty without an official group.
    """
    if OFFICIAL not in comp.groups or len(comp.groups) < 2:
        return pd.DataFrame(columns=list(ECHO_COLUMNS))
    group_of = dict(zip(comp.documents["id"], comp.documents["group"]))
    cues = _contesting_cues(comp)
    phrases = official_phrases(comp, OFFICIAL)
    official_uses, uses = _uses_by_phrase(analysis.documents, phrases, group_of, cues)
    rows: list[tuple] = []
    kept = 0
    for phrase, official_hits, phrase_rows in zip(phrases, official_uses, uses):
        off_uses, off_docs = sum(official_hits.values()), sum(1 for n in official_hits.values() if n)
        if off_uses == 0 and phrase.source == "formulae lexicon" and not phrase_rows:
            continue
        if phrase_rows:
            rows.extend((phrase.phrase, phrase.source, off_uses, off_docs, *row) for row in phrase_rows)
            kept += 1
        if kept >= max_phrases:
            break
    return pd.DataFrame(rows, columns=list(ECHO_COLUMNS))


def echo_summary(echo: pd.DataFrame) -> pd.DataFrame:
    """Per phrase: official uses, documents of the other groups using it, and how (quoted, adopted, contested)."""
    if echo.empty:
        return pd.DataFrame(columns=["phrase", "source", "official_uses", "official_docs", "docs", "uses",
                                     QUOTED, ADOPTED, CONTESTED])
    agg = echo.groupby(["phrase", "source", "official_uses", "official_docs"], sort=False).agg(
        docs=("doc_id", "nunique"), uses=("uses", "sum"), quoted=(QUOTED, "sum"), adopted=(ADOPTED, "sum"),
        contested=(CONTESTED, "sum")).reset_index()
    return agg.sort_values(["docs", "uses", "phrase"], ascending=[False, False, True], kind="stable") \
        .reset_index(drop=True)

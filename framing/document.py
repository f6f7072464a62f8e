"""The one document model every stage of ``framing`` reads.

A :class:`Document` is built by the loaders (:mod:`framing.ingest`), carries its
cleaned body text, its metadata and the boilerplate that was kept apart from
the body, and computes its segmentation (paragraphs, sentences, word tokens
with character offsets into :attr:`Document.body`) exactly once, on first use.
Every extractor reads the same :class:`~framing.segment.Segmentation`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .attribution import Attribution
    from .segment import Segmentation

#: Roles a user may declare in metadata. ``None`` means "not declared".
ROLES = ("official", "news", "commentary", "promotional")
#: A lone UTF-16 surrogate code point, and what replaces it (:meth:`Document.__post_init__`).
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


#: The text fields of a :class:`Document` that are checked for them.
_TEXT_FIELDS = ("id", "body", "title", "outlet", "author", "date", "url", "path", "source_text")


def _has_surrogate(value: Any) -> bool:
    return isinstance(value, str) and _SURROGATE.search(value) is not None


#: Categories of boilerplate the cleaner separates from the body.
BOILERPLATE_CATEGORIES = (
    "social",        # share / subscribe / follow prompts
    "related",       # "related articles", "most read", "recommended"
    "disclaimer",    # legal / investment disclaimers
    "photo_credit",  # "Photo by …", "Image: Getty"
    "author_bio",    # byline blocks and author biographies
    "loading",       # "Loading…" placeholders
    "navigation",    # breadcrumbs, menus, "Home > News"
    "caption",       # image captions / alt text left in the text
    "section_label", # "Key Takeaways", "Editor's Desk", "Analysis" labels
    "other",
)


@dataclass(frozen=True)
class BoilerplateBlock:
    """A piece of page furniture separated from the body, never discarded.

    ``start``/``end`` are character offsets into :attr:`Document.source_text`
    (the decoded text before cleaning), so the block can always be traced.
    """

    category: str
    text: str
    start: int
    end: int
    rule: str = ""


@dataclass
class Document:
    """One input document, cleaned, with metadata.

    Parameters
    ----------
    id : str
        Stable identifier (file stem, row id, or given by the user).
    body : str
        The cleaned main text that all scores are computed on; evidence
        offsets index into this string.
    title : str, optional
        Title from metadata, HTML, or the first line of the text.
    outlet, author, date, url : str, optional
        Metadata, when known.
    role : str, optional
        The *declared* role (one of :data:`ROLES`), from metadata.
    meta : dict
        Any extra metadata columns the user supplied (kept as strings), plus
        what the loaders found: ``format`` (``text``, ``markdown`` or
        ``html``); for HTML ``schema_type`` (schema.org ``@type`` values from
        JSON-LD, article types first, e.g. ``OpinionNewsArticle``),
        ``section`` (e.g. ``Opinion``, ``Sponsored``; for plain text, from
        a genre label standing alone on a line), ``categories``,
        ``tags`` and ``description`` when present (several values joined by
        ``"; "``); ``role_declared_raw`` when the declared role is not one of
        :data:`ROLES`.
    path : str, optional
        Where the document came from (file path, ``file.csv#row``, ``-``).
    encoding : str
        The encoding the source was decoded with.
    language : str
        ISO 639-1 code detected from the body (``"und"`` when unknown).
    language_confidence : float
        Confidence of the language guess, 0..1.
    boilerplate : list of BoilerplateBlock
        Page furniture separated from the body, with its category.
    source_text : str
        The decoded text before boilerplate separation (for HTML, the
        extracted text), so boilerplate offsets can be traced.
    warnings : list of str
        Non-fatal problems met while loading (e.g. a guessed encoding).
    """

    id: str
    body: str
    title: str = ""
    outlet: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    role: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    encoding: str = "utf-8"
    language: str = "und"
    language_confidence: float = 0.0
    boilerplate: list[BoilerplateBlock] = field(default_factory=list)
    source_text: str = ""
    warnings: list[str] = field(default_factory=list)
    #: per-document memo for work shared between extractors (e.g. hedge matches
    #: that the credibility extractor reuses); never serialised
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Lone surrogates (a JSON line's "\\ud800", a Python string built from broken UTF-16) are not text: no file
        can hold them and every table writer refuses them, so each is replaced by U+FFFD, with a warning."""
        fields = [name for name in _TEXT_FIELDS if _has_surrogate(getattr(self, name))]
        keys = [k for k, v in self.meta.items() if _has_surrogate(k) or _has_surrogate(v)]
        if not fields and not keys:
            return
        for name in fields:
            setattr(self, name, _SURROGATE.sub(REPLACEMENT, getattr(self, name)))
        if keys:
            self.meta = {_SURROGATE.sub(REPLACEMENT, str(k)): _SURROGATE.sub(REPLACEMENT, v) if isinstance(v, str) else v
                         for k, v in self.meta.items()}
        where = [name for name in fields if name != "source_text"] + [f"metadata {k!r}" for k in keys]
        self.warnings.append("lone surrogate code points (halves of UTF-16 pairs, not text) replaced with U+FFFD in "
                             + ", ".join(where))

    @cached_property
    def segmentation(self) -> "Segmentation":
        """Paragraphs, sentences and tokens of :attr:`body`, computed once."""
        from .segment import segment

        seg = segment(self.body)
        note = seg.split_note()
        if note and note not in self.warnings:
            self.warnings.append(note)
        if _bound is not None:
            _bound.hold(self)
        return seg

    @cached_property
    def attribution(self) -> "Attribution":
        """Which stretches of the body are quoted or reported speech."""
        from .attribution import attribute

        return attribute(self.body, self.segmentation)

    @property
    def is_english(self) -> bool:
        """True when the body was detected as English (or is too short to tell)."""
        return self.language in ("en", "und")

    @property
    def unscorable_reason(self) -> str:
        """Why no score at all can be computed ('empty body', 'no words'; '' when there are words)."""
        if not self.body.strip():
            return "empty body"
        if not self.has_words:
            return "no words"
        return ""

    @property
    def has_words(self) -> bool:
        """True when the body has at least one word token (without segmenting it when not yet segmented)."""
        if "segmentation" in self.__dict__:
            return self.segmentation.n_words > 0
        from .segment import WORD_RE

        return WORD_RE.search(self.body) is not None

    @property
    def na_reason(self) -> str:
        """Why English-only scores are NaN for this document ('' when they are not).

        Punctuation, symbols or invisible characters without a single word
        token give "no words": every rate would divide by a word count of zero.
        """
        if not self.body.strip():
            return "empty body"
        if not self.is_english:
            return f"non-English text (detected '{self.language}')"
        return self.unscorable_reason

    def boilerplate_counts(self) -> dict[str, int]:
        """Number of boilerplate blocks per category (every category present)."""
        counts = {c: 0 for c in BOILERPLATE_CATEGORIES}
        for block in self.boilerplate:
            counts[block.category] = counts.get(block.category, 0) + 1
        return counts

    def release(self) -> None:
        """Drop the segmentation, voice and cue caches (rebuilt on demand if the document is read again).

        Streaming scoring calls it once a document's row is made, so memory holds a chunk's rows, not its
        documents' token tables. Warnings, boilerplate and metadata are kept.
        """
        self.__dict__.pop("segmentation", None)
        self.__dict__.pop("attribution", None)
        self.cache.clear()

    def __getstate__(self) -> dict[str, Any]:
        # cached properties are recomputed after unpickling
        state = dict(self.__dict__)
        state.pop("segmentation", None)
        state.pop("attribution", None)
        state["cache"] = {}
        return state


class _CacheBound:
    """The documents segmented inside :func:`bounded_caches`. Past the limit, the one segmented most recently
    before this one is released: the first ``limit - 1`` stay (a pass over more documents than the limit then
    segments only the rest again, where releasing the oldest would segment every one again on every pass)."""

    def __init__(self, limit: int):
        self.limit = max(1, int(limit))
        self.held: dict[int, Document] = {}

    def hold(self, doc: Document) -> None:
        self.held.pop(id(doc), None)
        if len(self.held) >= self.limit:
            self.held.popitem()[1].release()
        self.held[id(doc)] = doc

    def release_all(self) -> None:
        for doc in self.held.values():
            doc.release()
        self.held.clear()


_bound: _CacheBound | None = None


@contextmanager
def bounded_caches(limit: int) -> Iterator[None]:
    """Within the block at most ``limit`` documents keep their segmentation, voice and cue caches.

    Segmenting one more releases the document segmented last before it (:meth:`Document.release`; it is
    segmented again if read again), and leaving the block releases those still held. For passes over more
    documents than memory should hold token tables for (a large corpus's kept sample in the report): the
    results are the same, the memory is bounded by ``limit`` documents, the price is segmenting again.
    """
    global _bound
    outer, _bound = _bound, _CacheBound(limit)
    try:
        yield
    finally:
        inner, _bound = _bound, outer
        inner.release_all()

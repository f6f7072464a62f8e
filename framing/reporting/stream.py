"""The report over a corpus read in chunks: memory bounded by features and groups, not by documents.

:func:`accumulate` scores the documents ``chunk_size`` at a time, here or in worker processes
(:func:`summarise_chunk`: :func:`framing.pipeline.analyze`, then a :class:`ChunkSummary` of what the report
needs of the chunk), and folds each summary, in input order, into a :class:`ReportAccumulator`, then drops
the chunk's documents. What is kept:

* one row of features per document (the documents table), and its metadata and run-record entry held column
  by column (:class:`framing.reporting.columns.DocumentColumns`: about 0.2 KB a document);
* per-group counts of n-grams, formulae and actors (:class:`framing.terms.TermCounts`,
  :class:`~framing.terms.FormulaCounts`, :class:`~framing.terms.ActorCounts`: bounded by the vocabulary);
* cue counts per document and category (frames, modality, the support of each finding);
* the evidence rows, spooled to a temporary file per group and written to ``evidence.csv(.gz)`` at the end
  in the report's order (official documents first), one chunk at a time;
* the documents kept whole, with their evidence: a seeded sample of :data:`SAMPLE_PER_GROUP` documents per
  group (the smallest hashes of seed and id: the same sample whatever the chunking or input order) and the
  first ``max_cards`` ids of each group (the document cards). The terms' and formulae's examples and
  spellings, echoes and aligned claims come from these documents;
* a reservoir of sentences per group and cue category (:class:`CueSentences`): the
  :data:`SENTENCES_PER_CUE` sentences with a cue of that category whose seeded hash is smallest, over every
  document, with their evidence. The exemplar sentences and the findings' quotes are drawn from the kept
  documents and these sentences, so a cue too rare to be in the sampled documents still has its sentences.

A corpus with at most :data:`SAMPLE_PER_GROUP` documents per group keeps every document, so its report is
the same, byte for byte, as when everything is held at once, whatever the chunk size.
"""
from __future__ import annotations

import bisect
import hashlib
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ..compare import (
    OFFICIAL,
    Parts,
    _contextualise,
    _metadata_value,
    evidence_in_order,
    framing_counts,
    sentence_starts,
)
from ..document import Document
from ..output import file_sha256
from ..pipeline import EVIDENCE_COLUMNS as PIPELINE_EVIDENCE
from ..pipeline import Analysis, analyze, run_record
from ..stream import chunked, give_back_memory
from ..terms import ActorCounts, FormulaCounts, TermCounts
from .columns import ArrayChunks, DetectedTypes, DocumentColumns, FeatureChunks

__all__ = ["CHUNKS_PER_WORKER", "CHUNK_SIZE", "KEPT_TOKEN_TABLES", "SAMPLE_PER_GROUP", "SENTENCES_PER_CUE",
           "ChunkSummariser", "ChunkSummary", "CueSentences", "ReportAccumulator", "accumulate", "summarise_chunk"]

#: Documents scored at a time.
CHUNK_SIZE = 200
#: Chunks a worker process summarises before it is replaced by a fresh one.
CHUNKS_PER_WORKER = 25
#: Documents kept whole (text and evidence) per group, as a seeded sample.
SAMPLE_PER_GROUP = 500
#: Sentences kept per group and cue category (extractor, category) from every document, for the exemplars.
SENTENCES_PER_CUE = 6
#: Kept documents whose token tables (about 0.2 MB each for 700 words, with their segmentation and voices about
#: 0.5 MB of resident memory) are held at once while the report is built from them; past it the one segmented last
#: before is released (and segmented again if read again). 128 rather than 256: the report of 10,000 generated
#: documents peaks at 722 MiB against 762 (the peak is reading the kept documents for the terms' examples), in
#: the same time (120 s against 141 s, within the runs' noise); 64 saves 3 MiB more.
KEPT_TOKEN_TABLES = 128
#: Group key of the documents that are not official before the group is named ("commentary" or "non-official").
_REST = "\x00rest"
#: Voices whose cues are not the group's own (framing.reporting.constructs.NOT_THE_GROUPS_VOICE).
_NOT_THE_GROUPS = ("questioner",)



def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its Arrow-backed columns copied into buffers of their own.

    A document's rows taken out of its chunk's evidence (``groupby``, slicing) share the chunk's Arrow
    buffers, so keeping them would keep the whole chunk's evidence alive: ~13 MB a chunk, for every chunk
    a kept document came from (a seeded sample spreads over all of them)."""
    out = frame.copy(deep=False)
    for name in out.columns:
        column = out[name]
        if hasattr(column.array, "_pa_array"):
            out[name] = pd.array(column.to_numpy(dtype=object), dtype=column.dtype)
    return out


def _strip(doc: Document) -> Document:
    """Forget a document's caches (segmentation, tokens, cue layers); they are rebuilt from the body when used."""
    doc.release()
    return doc


class _Bottom:
    """The ``k`` smallest keys seen (ties broken by input position), with what falls out."""

    def __init__(self, k: int):
        self.k, self.items = k, []

    def offer(self, key: Any, index: int) -> tuple[bool, int | None]:
        """(kept, evicted input position or None)."""
        item = (key, index)
        if self.k <= 0 or (len(self.items) >= self.k and item >= self.items[-1]):
            return False, None
        bisect.insort(self.items, item)
        if len(self.items) > self.k:
            return True, self.items.pop()[1]
        return True, None

    def __contains__(self, index: Any) -> bool:
        return any(i == index for _, i in self.items)


def seeded_hash(seed: int, *parts: Any) -> int:
    """A 64-bit hash of the seed and ``parts``: the order of a seeded sample, whatever the input order."""
    text = "\x00".join(map(str, (seed, *parts)))
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def _factorized(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes of ``values`` and the distinct values as plain strings."""
    codes, names = pd.factorize(values)
    return codes, [str(v) for v in names]


def _mix(doc_hash: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each (document hash, sentence number) pair (splitmix64's finaliser), vectorised."""
    with np.errstate(over="ignore"):
        z = doc_hash ^ (sentence.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


class CueSentences:
    """A reservoir of sentences per (group key, extractor, cue category), over every document.

    Each cue category of each group keeps the ``k`` sentences (outside questioners' turns) with a cue of that
    category whose hash of (seed, document id, sentence) is smallest: a uniform sample of the
    sentences where the cue fired, the same whatever the chunking or input order. Each kept sentence carries its
    evidence rows of that extractor (every cue of the family in it, for highlighting). Memory is bounded by
    groups x categories x ``k``, not by documents.
    """

    def __init__(self, k: int = SENTENCES_PER_CUE):
        self.k = k
        self.bottoms: dict[tuple[Any, str, str], _Bottom] = {}
        self._keys: dict[Any, int] = {}  # group key -> code
        self.tables: list[pd.DataFrame] = []  # the kept sentences' rows, one table per chunk that added some
        #: (document position, sentence, extractor) -> (table, its rows in the table)
        self.rows: dict[tuple[int, int, str], tuple[int, np.ndarray]] = {}

    def offer(self, evidence: pd.DataFrame, base: int, keys: list[Any], doc_ids: list[str],
              doc_hashes: list[int]) -> None:
        """Offer the sentences of one chunk's ``evidence`` (its documents at positions ``base + i``, with group
        ``keys[i]`` and :func:`seeded_hash` ``doc_hashes[i]``)."""
        if self.k <= 0 or not len(evidence):
            return
        own = np.flatnonzero((evidence["sentence"] >= 0).to_numpy()
                             & ~evidence["voice"].isin(_NOT_THE_GROUPS).to_numpy())
        if not len(own):
            return
        at = pd.Index(doc_ids).get_indexer(evidence["doc_id"].iloc[own])
        sentence = evidence["sentence"].to_numpy()[own].astype(np.int64)
        x_code, x_names = _factorized(evidence["extractor"].iloc[own])
        c_code, c_names = _factorized(evidence["category"].iloc[own])
        key_code = np.array([self._keys.setdefault(k, len(self._keys)) for k in keys], dtype=np.int64)[at]
        doc_hash = np.array(doc_hashes, dtype=np.uint64)[at]
        cand = pd.DataFrame({"k": key_code, "x": x_code, "c": c_code, "at": at, "s": sentence,
                             "h": _mix(doc_hash, sentence)}).drop_duplicates()
        cand = cand.sort_values("h", kind="stable").groupby(["k", "x", "c"], sort=False).head(self.k)
        key_of = list(self._keys)
        added: dict[tuple[int, int, str], None] = {}
        for k, x, c, i, s, h in zip(*(cand[col].tolist() for col in ("k", "x", "c", "at", "s", "h"))):
            extractor = x_names[x]
            bottom = self.bottoms.setdefault((key_of[k], extractor, c_names[c]), _Bottom(self.k))
            slot = (base + i, s, extractor)
            if bottom.offer(h, slot[:2])[0] and slot not in self.rows:
                added[slot] = None
        if added:  # each added sentence's rows of its extractor, found by one sort of (document, sentence, extractor)
            n_s, n_x = int(sentence.max()) + 1, len(x_names)
            slot_key = (at.astype(np.int64) * n_s + sentence) * n_x + x_code
            order = np.argsort(slot_key, kind="stable")
            x_index = {name: j for j, name in enumerate(x_names)}
            wanted = np.array([((i - base) * n_s + s) * n_x + x_index[x] for i, s, x in added], dtype=np.int64)
            lo, hi = np.searchsorted(slot_key[order], wanted, "left"), np.searchsorted(slot_key[order], wanted, "right")
            picked = [own[order[a:b]] for a, b in zip(lo, hi)]
            self._add(list(added), compact(evidence.iloc[np.concatenate(picked)].reset_index(drop=True)), picked)
        if len(self.rows) > 2 * self.k * max(len(self.bottoms), 1):
            self._forget_evicted()

    def _add(self, slots: list[tuple[int, int, str]], table: pd.DataFrame, rows: list[np.ndarray]) -> None:
        """Hold ``table``, the rows of ``slots`` one after the other (``rows``: each slot's, for their lengths)."""
        t, start = len(self.tables), 0
        self.tables.append(table)
        for slot, r in zip(slots, rows):
            self.rows[slot] = (t, np.arange(start, start + len(r)))
            start += len(r)

    def _forget_evicted(self) -> None:
        """Drop the rows of sentences no reservoir holds any more: the held ones are copied into one table."""
        held = sorted(slot for slot in self.held() if slot in self.rows)
        if len(held) == len(self.rows) and len(self.tables) <= 1:
            return
        rows = [self.rows[slot] for slot in held]
        tables, self.tables, self.rows = self.tables, [], {}
        if held:
            table = pd.concat([tables[t].iloc[at] for t, at in rows], ignore_index=True)
            self._add(held, compact(table), [at for _, at in rows])

    def held(self) -> set[tuple[int, int, str]]:
        """The (document position, sentence, extractor) of every sentence in some reservoir."""
        return {(i, s, x) for (_, x, _), bottom in self.bottoms.items() for _, (i, s) in bottom.items}

    def table(self, skip: Any = ()) -> pd.DataFrame | None:
        """The evidence rows of the kept sentences, leaving out the documents in ``skip`` (kept whole, with all
        their evidence), or None when there are none."""
        self._forget_evicted()
        at = [at for (i, _, _), (_, at) in sorted(self.rows.items()) if i not in skip]
        if not at or not self.tables:
            return None
        return self.tables[0].iloc[np.concatenate(at)].reset_index(drop=True)


class _Spool:
    """Evidence chunks pickled to a temporary file, listed per group key, read back in any order."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile(prefix="framing-evidence-")  # noqa: SIM115 - lives as long as the spool
        self.offsets: dict[Any, list[int]] = {}
        self.rows = 0

    def add(self, key: Any, table: pd.DataFrame) -> None:
        self.offsets.setdefault(key, []).append(self.file.tell())
        pickle.dump(table, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.rows += len(table)

    def read(self, key: Any) -> Iterator[pd.DataFrame]:
        for offset in self.offsets.get(key, []):
            self.file.seek(offset)
            yield pickle.load(self.file)
        self.file.seek(0, 2)

    def close(self) -> None:
        self.file.close()


class _FileHashes:
    """SHA-256 of the input files, the last few remembered (a table of many documents is hashed once)."""

    def __init__(self, size: int = 8):
        self.size, self.known = size, {}

    def __call__(self, path: Path) -> str:
        key = str(path)
        if key not in self.known:
            if len(self.known) >= self.size:
                self.known.pop(next(iter(self.known)))
            self.known[key] = file_sha256(path)
        return self.known[key]


@dataclass
class ChunkSummary:
    """What the report keeps of one scored chunk, built where the chunk was scored (this process or a worker).

    Everything here is about the chunk alone; :meth:`ReportAccumulator.fold` puts it together with the others.
    """

    docs: list[Document]  # released (text, metadata, warnings): candidates for the documents kept whole
    keys: list[Any]  # group key per document
    features: pd.DataFrame
    evidence: pd.DataFrame  # in the report's order, with sentence_start; empty when no cue fired
    frames: list[tuple[int, str, int]]  # (document in the chunk, frame category, cues), every voice but questioners'
    cues: list[tuple[int, str, str, int, int]]  # (document, extractor, category, cues, of them the author's), the
    # group's own voices
    furniture: list[tuple[str, str, str]]  # (document id, category, text)
    terms: TermCounts
    formulae: FormulaCounts
    actors: ActorCounts
    detected: dict[str, dict[str, Any]]  # document id -> source-type label and first cues
    run: dict[str, Any]


class ChunkSummariser:
    """Turns an analysed chunk into a :class:`ChunkSummary` (one per process: it holds the compiled
    formula matcher)."""

    def __init__(self, by: str | None):
        self.by = by
        self._formulae = FormulaCounts()

    def __call__(self, analysis: Analysis) -> ChunkSummary:
        docs = analysis.documents
        detected = self._detected(analysis)
        keys = [self._key(doc, detected) for doc in docs]
        terms, formulae, actors = TermCounts(), self._formulae.empty_copy(), ActorCounts()
        for doc, key in zip(docs, keys):
            terms.add(doc, key)
            formulae.add(doc, key)
            actors.add(doc, key)
        ev = analysis.evidence
        frames: list[tuple[int, str, int]] = []
        cues: list[tuple[int, str, str, int, int]] = []
        if len(ev):
            ev = ev.assign(sentence_start=sentence_starts(ev, docs))
            position = {d.id: i for i, d in enumerate(docs)}
            frames = [(position[d], c, int(n)) for (d, c), n in framing_counts(ev).items()]
            own = ev[~ev["voice"].isin(_NOT_THE_GROUPS)]
            own = own.assign(author=(own["voice"] == "author").astype(np.int64))
            counts = own.groupby(["doc_id", "extractor", "category"])["author"].agg(["size", "sum"])
            cues = [(position[d], x, c, int(n), int(a)) for (d, x, c), n, a in
                    zip(counts.index, counts["size"], counts["sum"])]
            ev = _ordered(ev, docs)
        return ChunkSummary(
            docs=[_strip(doc) for doc in docs], keys=keys, features=compact(analysis.features.reset_index(drop=True)),
            evidence=ev, frames=frames, cues=cues,
            furniture=[(doc.id, b.category, " ".join(b.text.split())) for doc in docs for b in doc.boilerplate],
            terms=terms, formulae=formulae, actors=actors, detected=detected, run=analysis.run)

    @staticmethod
    def _detected(analysis: Analysis) -> dict[str, dict[str, Any]]:
        """What the comparison reads of each document's source type: the label and the first cues' names."""
        out: dict[str, dict[str, Any]] = {}
        for doc_id, extra in analysis.extras.get("source_type", {}).items():
            if isinstance(extra, dict):
                cues = [str(c.get("feature", c)) if isinstance(c, dict) else str(c)
                        for c in list(extra.get("top_cues", []))[:4]]
                out[doc_id] = {"label": extra.get("label", ""), "top_cues": cues}
        return out

    def _key(self, doc: Document, detected: dict[str, dict[str, Any]]) -> Any:
        if self.by:
            return _metadata_value(doc, self.by)
        kind = doc.role or detected.get(doc.id, {}).get("label", "")
        return OFFICIAL if kind == OFFICIAL else _REST


def _ordered(ev: pd.DataFrame, docs: list[Document]) -> pd.DataFrame:
    """The chunk's evidence in the report's order (documents in input order), with the group still blank."""
    from ..compare import EVIDENCE_COLUMNS

    return evidence_in_order(ev.assign(group="")[list(EVIDENCE_COLUMNS)], (d.id for d in docs))


_SUMMARISERS: dict[str | None, ChunkSummariser] = {}


def summarise_chunk(docs: list[Document], extractors: Any, by: str | None) -> ChunkSummary:
    """Score ``docs`` and summarise them for the report (the task each worker process runs)."""
    summariser = _SUMMARISERS.get(by)
    if summariser is None:
        summariser = _SUMMARISERS[by] = ChunkSummariser(by)
    return summariser(analyze(docs, extractors, progress=False))


class ReportAccumulator:
    """Everything the report needs, folded in one chunk's :class:`ChunkSummary` at a time (see the module
    docstring)."""

    def __init__(self, by: str | None = None, seed: int = 0, max_cards: int = 40,
                 sample_size: int = SAMPLE_PER_GROUP, sentences_per_cue: int = SENTENCES_PER_CUE):
        self.by, self.seed, self.max_cards, self.sample_size = by, seed, max_cards, sample_size
        self.n_docs = 0
        self.run: dict[str, Any] = {}
        self.documents = DocumentColumns()
        self.keys: list[Any] = []  # group key per document
        self.features = FeatureChunks()
        self.detected = DetectedTypes(self.documents)
        self.terms, self.formulae, self.actors = TermCounts(), FormulaCounts(), ActorCounts()
        #: (document position, frame category code, cues) per row
        self.framing = ArrayChunks(doc=np.int32, category=np.int32, n=np.int64)
        self.frame_categories: dict[str, int] = {}
        #: (document position, cue kind code, cues, of them the author's) per row
        self.cues = ArrayChunks(doc=np.int32, kind=np.int32, n=np.int32, n_author=np.int32)
        self.cue_kinds: dict[tuple[str, str], int] = {}  # (extractor, category) -> code
        self.furniture: list[tuple[str, str, str]] = []
        self.spool = _Spool()
        self.sampled: dict[Any, _Bottom] = {}
        self.first_ids: dict[Any, _Bottom] = {}
        self.kept: dict[int, tuple[Document, pd.DataFrame]] = {}
        self.cue_sentences = CueSentences(sentences_per_cue)
        self._kept_table: pd.DataFrame | None = None
        self._file_hashes = _FileHashes()

    # -- per chunk

    def fold(self, chunk: ChunkSummary) -> None:
        """Fold one chunk's summary in; afterwards nothing refers to its documents but the kept ones."""
        self.run = chunk.run
        base = self.n_docs
        for i, doc in enumerate(chunk.docs):
            found = chunk.detected.get(doc.id)
            if found is not None:
                self.detected.add(base + i, found)
        self.terms.merge(chunk.terms)
        self.formulae.merge(chunk.formulae)
        self.actors.merge(chunk.actors)
        self.furniture.extend(chunk.furniture)
        for doc in chunk.docs:
            self.documents.append(doc, *self._digest(doc))
        self.keys.extend(chunk.keys)
        self.features.append(chunk.features)
        if chunk.frames:
            doc, category, n = zip(*chunk.frames)
            self.framing.append(
                doc=np.array(doc, dtype=np.int32) + base,
                category=[self.frame_categories.setdefault(c, len(self.frame_categories)) for c in category], n=n)
        if chunk.cues:
            doc, extractor, category, n, n_author = zip(*chunk.cues)
            self.cues.append(
                doc=np.array(doc, dtype=np.int32) + base,
                kind=[self.cue_kinds.setdefault(k, len(self.cue_kinds)) for k in zip(extractor, category)],
                n=n, n_author=n_author)
        ev = chunk.evidence
        if len(ev):
            of_key = dict(zip((d.id for d in chunk.docs), chunk.keys))
            doc_keys = ev["doc_id"].map(of_key)
            for key in dict.fromkeys(chunk.keys):
                part = ev[(doc_keys == key).to_numpy()]
                if len(part):
                    self.spool.add(key, part.reset_index(drop=True))
        hashes = [seeded_hash(self.seed, doc.id) for doc in chunk.docs]  # the sample's and the reservoir's order
        self.cue_sentences.offer(ev, base, chunk.keys, [d.id for d in chunk.docs], hashes)
        rows_of = ev.groupby("doc_id", sort=False).indices if len(ev) else {}
        for i, (doc, key, h) in enumerate(zip(chunk.docs, chunk.keys, hashes)):
            self._offer(base + i, doc, key, h, ev, rows_of.get(doc.id))
        self.n_docs += len(chunk.docs)

    def _digest(self, doc: Document) -> tuple[bytes, bool]:
        """The SHA-256 of the document's file (hashed here, once per file, not in every worker) and True, or
        of its text and False when it has no file."""
        p = Path(doc.path) if doc.path and not doc.path.startswith("<") and doc.path != "-" else None
        if p is not None and p.is_file():
            return bytes.fromhex(self._file_hashes(p)), True
        return hashlib.sha256(doc.body.encode("utf-8")).digest(), False

    def _offer(self, index: int, doc: Document, key: Any, h: int, evidence: pd.DataFrame, rows: Any) -> None:
        """Keep ``doc`` whole (with its ``rows`` of the chunk's ``evidence``) if it is in its group's sample (the
        smallest seeded hashes ``h``) or among its first ids; forget a document that falls out of both."""
        sample = self.sampled.setdefault(key, _Bottom(self.sample_size))
        firsts = self.first_ids.setdefault(key, _Bottom(self.max_cards))
        kept_a, out_a = sample.offer(h, index)
        kept_b, out_b = firsts.offer(doc.id, index)
        if kept_a or kept_b:
            own = evidence.iloc[rows].reset_index(drop=True) if rows is not None else None
            self.kept[index] = (doc, compact(own) if own is not None else pd.DataFrame())
        for out in (out_a, out_b):
            if out is not None and out not in sample and out not in firsts:
                self.kept.pop(out, None)

    # -- at the end

    def group_labels(self, groups_table: pd.DataFrame) -> dict[Any, str]:
        """Group key -> the group the comparison named it (``groups_table``: :func:`framing.compare.assign_groups`'
        table, a row per document in input order)."""
        first: dict[Any, int] = {}  # each key's first document
        for i, key in enumerate(self.keys):
            first.setdefault(key, i)
        group = groups_table["group"]
        return {key: group.iloc[i] for key, i in first.items()}

    def light_analysis(self) -> Analysis:
        """Every document's features and metadata, with the evidence of the documents kept whole (the
        features table is handed over, not copied: call this once)."""
        features = self.features.join(give_back_memory)  # the chunks' tables go as they are copied (call this once)
        evidence = self._kept_evidence()
        return Analysis(self.documents, features, evidence, self.run or run_record([]),
                        {"source_type": self.detected} if self.detected else {})

    def _kept_evidence(self) -> pd.DataFrame:
        """The kept documents' evidence and the reservoirs' sentences (:class:`CueSentences`) of the other
        documents, in input order, joined once when the chunks are all in (the light analysis and the sample
        share it)."""
        if self._kept_table is None:
            parts = [ev for _, (_, ev) in sorted(self.kept.items()) if len(ev)]
            sentences = self.cue_sentences.table(skip=self.kept)
            parts += [sentences] if sentences is not None else []
            if parts:
                self._kept_table = pd.concat(parts, ignore_index=True)
                # the documents' own tables are in the joined one now: one copy, not two
                self.kept = {i: (doc, pd.DataFrame()) for i, (doc, _) in self.kept.items()}
            else:
                from ..compare import EVIDENCE_COLUMNS

                cols = list(PIPELINE_EVIDENCE) + ["sentence_start"]
                self._kept_table = pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS if c in cols})
        return self._kept_table

    def forget_kept_evidence(self, analysis: Analysis) -> None:
        """Drop the joined evidence of the kept documents (and ``analysis``'s reference to it) once the
        comparison holds its own copy in the report's order."""
        self._kept_table = None
        analysis.evidence = analysis.evidence.iloc[:0]

    def parts(self, labels: dict[Any, str], run: dict[str, Any],
              assigned: tuple[pd.DataFrame, dict[str, Any]] | None = None) -> Parts:
        """What :func:`framing.compare.compare` needs beyond the features, with the groups named by ``labels``
        (and ``assigned``, :func:`framing.compare.assign_groups`' result those labels came from, when at hand).
        Call this once: the per-chunk tables are handed over."""
        for acc in (self.terms, self.formulae, self.actors):
            acc.relabel(labels)
        kept = sorted(self.kept.items())
        docs = [doc for _, (doc, _) in kept]
        groups = [labels[self.keys[i]] for i, _ in kept]
        ids = np.array(self.documents.ids(), dtype=object)
        framing = self.framing_counts(ids)  # the per-chunk arrays are handed over (call this once)
        cue_counts = self.cue_counts(ids)
        del ids
        furniture = pd.DataFrame(self.furniture, columns=["doc_id", "category", "text"])
        self.furniture = []
        sample = Analysis(docs, pd.DataFrame(), self._kept_evidence(), run, {})

        def lexical(max_examples: int) -> dict[str, pd.DataFrame]:
            counts = self._hand_over_counts()  # each counter goes once its table is built: not held to the end
            out: dict[str, pd.DataFrame] = {}
            terms = counts.pop("terms")
            if len(set(labels.values())) < 2:
                out["terms"] = pd.DataFrame()
            else:
                out["terms"] = _contextualise(terms.table(docs, groups), docs, max_examples)
            del terms
            give_back_memory()
            formulae = counts.pop("formulae")
            out["formulae"] = _contextualise(formulae.table(docs, groups), docs, max_examples)
            del formulae
            give_back_memory()
            out["actors"] = _contextualise(counts.pop("actors").table(), docs, max_examples)
            give_back_memory()  # the kept documents' token tables, read again for these examples, are freed
            return out

        return Parts(framing, cue_counts, furniture, sample, lexical, self.features.reordered, assigned)

    def _hand_over_counts(self) -> dict[str, Any]:
        """The terms', formulae's and actors' counters, no longer held here (they are the largest thing a report
        holds after the features: a few hundred MB at 100,000 documents, kept to the end before)."""
        counts = {"terms": self.terms, "formulae": self.formulae, "actors": self.actors}
        self.terms, self.formulae, self.actors = None, None, None  # type: ignore[assignment]
        return counts

    def framing_counts(self, ids: np.ndarray | None = None) -> pd.Series:
        """Frame and modality cues per (document id, category), every voice but questioners': the framing family's
        counts (``ids``: every document's id, in order, if already at hand). Call once: the per-chunk arrays
        are handed over.

        Kept as small integers per chunk: a Series grouped out of a chunk's evidence would keep that chunk's
        Arrow buffers alive through its index. The index is made from codes, not from an id per row."""
        table = self.framing.take()
        if not len(table["n"]):
            return pd.Series(dtype="int64")
        ids = np.array(self.documents.ids(), dtype=object) if ids is None else ids
        names = np.array(list(self.frame_categories), dtype=object)
        index = _multiindex(("doc_id", ids, table.pop("doc")), ("category", names, table.pop("category")))
        return pd.Series(table["n"], index=index, copy=False)

    def cue_counts(self, ids: np.ndarray | None = None) -> pd.DataFrame:
        """``doc_id, extractor, category, n, n_author`` (cues in the group's own voices, and of them the
        author's), categorical: a few bytes per row (``ids``: every document's id, in order, if already at
        hand). Call once: the per-chunk arrays are handed over."""
        table = self.cues.take()
        ids = np.array(self.documents.ids(), dtype=object) if ids is None else ids
        kinds = list(self.cue_kinds)
        extractors = sorted({x for x, _ in kinds})
        categories = sorted({c for _, c in kinds})
        x_code = np.array([extractors.index(x) for x, _ in kinds] or [0], dtype=np.int32)
        c_code = np.array([categories.index(c) for _, c in kinds] or [0], dtype=np.int32)
        kind, doc = table.pop("kind"), table.pop("doc")
        if len(set(ids)) == len(ids):
            doc_id = pd.Categorical.from_codes(doc, categories=pd.Index(ids, dtype="str"))
        else:  # repeated ids (documents given by a caller): plain labels
            doc_id = pd.Categorical(ids[doc])
        return pd.DataFrame({"doc_id": doc_id,
                             "extractor": pd.Categorical.from_codes(x_code[kind], categories=extractors or ["-"]),
                             "category": pd.Categorical.from_codes(c_code[kind], categories=categories or ["-"]),
                             "n": table["n"], "n_author": table["n_author"]}, copy=False)

    def write_evidence(self, write: Callable[[pd.DataFrame, bool], None], groups: list[str],
                       labels: dict[Any, str]) -> None:
        """The whole evidence table in the report's order (groups in display order, documents in input order
        within a group), one spooled chunk in memory at a time: ``write(table, header)`` appends each chunk."""
        from ..compare import EVIDENCE_COLUMNS

        header = True
        by_label: dict[str, list[Any]] = {}
        for key, label in labels.items():
            by_label.setdefault(label, []).append(key)
        for group in groups:
            for key in by_label.get(group, []):
                for table in self.spool.read(key):
                    table["group"] = group
                    write(table, header)
                    header = False
        if header:  # no evidence at all: the header alone
            write(pd.DataFrame(columns=list(EVIDENCE_COLUMNS)), True)


def accumulate(documents: Iterable[Document], extractors: Any, options: Any, *, by: str | None, seed: int,
               max_cards: int, chunk_size: int = CHUNK_SIZE, sample_size: int = SAMPLE_PER_GROUP,
               sentences_per_cue: int = SENTENCES_PER_CUE, on_chunk: Callable[[list[Document]], None] | None = None,
               jobs: int | None = 1) -> ReportAccumulator:
    """Score ``documents`` in chunks and fold each into a :class:`ReportAccumulator`.

    ``jobs`` worker processes score and summarise the chunks (:func:`summarise_chunk`; ``None`` = every
    core for more than two chunks, as :class:`framing.stream.ChunkScorer` decides), each replaced after
    :data:`CHUNKS_PER_WORKER` chunks; this process only folds the summaries in, in input order, so the
    report is the same whatever ``jobs``. Extractor instances (rather than names) are scored here.
    ``on_chunk(documents)`` is called after each chunk is scored (the documents carry their warnings);
    one progress bar counts the documents when :func:`framing.pipeline.show_progress` is on."""
    from ..extractors.base import Extractor, resolve_extractors
    from ..pipeline import progress_wanted
    from ..stream import ChunkScorer

    exs = resolve_extractors(extractors, options)
    if extractors is not None and any(isinstance(e, Extractor) for e in extractors):
        jobs = 1  # an instance cannot be rebuilt from its name in a worker
    acc = ReportAccumulator(by, seed, max_cards, sample_size, sentences_per_cue)
    scorer = ChunkScorer(exs, options, jobs, task=summarise_chunk, task_args=(by,),
                         max_tasks_per_child=CHUNKS_PER_WORKER)
    bar = None
    if progress_wanted():
        from tqdm import tqdm

        bar = tqdm(desc="framing: scoring", unit="doc", leave=False, delay=0.5)
    try:
        for summary in scorer.map(_released(chunked(documents, max(1, int(chunk_size))))):
            acc.fold(summary)
            if on_chunk is not None:
                on_chunk(summary.docs)
            if bar is not None:
                bar.update(len(summary.docs))
            del summary
            give_back_memory()
    finally:
        scorer.close()
        if bar is not None:
            bar.close()
    return acc


def _multiindex(*levels: tuple[str, np.ndarray, np.ndarray]) -> pd.MultiIndex:
    """``pd.MultiIndex.from_arrays([values[codes], ...], names=[name, ...])`` for ``(name, values, codes)``
    levels, built from the codes: no value is looked up per row (levels sorted, unused ones dropped, as
    ``from_arrays`` gives them). Values that repeat fall back to ``from_arrays``."""
    if any(len(set(values)) < len(values) for _, values, _ in levels):
        return pd.MultiIndex.from_arrays([values[codes] for _, values, codes in levels],
                                         names=[name for name, _, _ in levels])
    sorted_levels, recoded = [], []
    for _, values, codes in levels:
        order = np.argsort(values, kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        ranks = rank[codes]
        used = np.unique(ranks)  # the values that occur, in sorted order
        sorted_levels.append(pd.Index(values[order[used]]))
        recoded.append(np.searchsorted(used, ranks))
    return pd.MultiIndex(levels=sorted_levels, codes=recoded, names=[name for name, _, _ in levels],
                         verify_integrity=False)


def _released(chunks: Iterable[list[Document]]) -> Iterator[list[Document]]:
    """The chunks; once one has been handed on, its documents (a caller's loaded corpus) keep their text,
    not their caches."""
    for chunk in chunks:
        yield chunk
        for doc in chunk:
            _strip(doc)


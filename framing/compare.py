"""Official voice vs commentary: every feature, term, frame and actor, compared by group.

:func:`compare` turns an :class:`~framing.pipeline.Analysis` into a
:class:`Comparison`: a set of tidy tables (one per report section) that the
report writes to CSV and renders to HTML and Markdown, so every number shown
can be traced to a table row and every table row to evidence sentences.

Grouping (:func:`assign_groups`), in order of preference:

1. ``by=COLUMN``: any metadata column (``outlet``, ``country``, ...), any
   number of groups;
2. the declared role (``doc.role`` from metadata): ``official`` vs
   ``commentary`` (every other declared role: news, commentary, promotional);
3. the detected source type (the ``source_type`` extractor's label in
   ``Analysis.extras``) for documents without a declared role: ``official``
   vs the rest.

Statistics come from :func:`framing.stats.compare_groups`: per-group mean and
median, bootstrap CI, Cliff's delta and Hedges' g, permutation p and
Benjamini-Hochberg q, resampling documents (or outlets, when an outlet has
more than one document, so one prolific source cannot dominate).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from .extractors import get_extractor
from .pipeline import Analysis
from .stats import compare_groups

__all__ = ["COMMENTARY", "NON_OFFICIAL", "OFFICIAL", "Comparison", "GroupingError", "arrow_strings", "assign_groups",
           "check_whole_number", "compare", "feature_catalogue"]

OFFICIAL = "official"
COMMENTARY = "commentary"
#: the name of the group opposite the official texts when it pools several roles (news, commentary, promotional)
NON_OFFICIAL = "non-official"

#: Document-table columns that describe a document rather than score it.
DOCUMENT_INFO = ("id", "label", "title", "outlet", "date", "role", "detected_type", "detected_cues", "group",
                 "group_basis", "language",
                 "path", "n_words", "n_sentences", "n_paragraphs", "na_reason")

#: Evidence-table columns (the pipeline's, plus the group and where the sentence starts in the body).
EVIDENCE_COLUMNS = ("doc_id", "group", "extractor", "category", "cue", "text", "start", "end", "sentence",
                    "sentence_start", "voice", "weight", "note", "sentence_text")


class GroupingError(ValueError):
    """The documents cannot be split into groups as asked (no role, no detected type, unknown column)."""


@dataclass
class Comparison:
    """The tables behind the report. Every attribute is a DataFrame except the grouping description.

    Attributes
    ----------
    documents : DataFrame
        One row per document (groups in display order, input order within a
        group): :data:`DOCUMENT_INFO` then every feature column.
    features : DataFrame
        The feature catalogue: ``feature, extractor, label, description`` (from
        each extractor's ``column_descriptions``), in pipeline order.
    comparison : DataFrame
        ``feature, extractor, group, n_docs, mean, median, ci_low, ci_high,
        reference, cliffs_delta, hedges_g, p, q, note`` (see
        :func:`framing.stats.compare_groups`).
    terms, formulae, actors : DataFrame
        Distinctive terms (log-odds with an informative Dirichlet prior),
        recurring multi-word formulae and named actors per group, from
        :mod:`framing.terms`; ``examples`` holds ``{doc_id, start, end, sentence}`` dicts.
    frames : DataFrame
        ``frame, group, share, cues, docs``: each frame's share of the group's
        frame cues, averaged over the group's documents.
    modality : DataFrame
        ``category, group, per_1k, cues``: modality and voice cues (deontic,
        epistemic, institutional first person, ...) per 1,000 words by group.
    evidence : DataFrame
        Every cue that fired (:data:`EVIDENCE_COLUMNS`), with its document's group.
    groups : list of str
        Group labels in display order (official first).
    grouping : dict
        ``by`` (``role``, ``source_type`` or the column), ``basis`` (plain
        sentence), ``resample_unit`` (``document`` or ``outlet``), ``unit`` and
        ``unit_reason`` (the unit of analysis and why), ``confounded`` (True when
        each group comes from a single outlet), ``names`` (group -> display name,
        e.g. "non-official (commentary, news)"), ``pooled`` (group -> the roles or
        genres it pools, when more than one).
    echo : DataFrame
        Where the official side's formulae and key phrases reappear in the other
        groups, and how (:func:`framing.echo.echo_table`).
    aligned : DataFrame
        The official side's key sentences beside the other groups' sentences about
        the same thing (:func:`framing.align.aligned_claims`).
    furniture : DataFrame
        ``doc_id, category, text``: the page furniture separated from each body.
    """

    documents: pd.DataFrame
    features: pd.DataFrame
    comparison: pd.DataFrame
    terms: pd.DataFrame
    formulae: pd.DataFrame
    frames: pd.DataFrame
    actors: pd.DataFrame
    modality: pd.DataFrame
    evidence: pd.DataFrame
    groups: list[str] = field(default_factory=list)
    grouping: dict[str, Any] = field(default_factory=dict)
    echo: pd.DataFrame = field(default_factory=pd.DataFrame)
    aligned: pd.DataFrame = field(default_factory=pd.DataFrame)
    furniture: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: ``doc_id, extractor, category, n, n_author``: cues per document outside questioners' turns (and of them
    #: the author's own), when ``evidence``
    #: holds only a sample of the documents (a large corpus reported in chunks); None when it holds them all.
    cue_counts: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The DataFrame attributes by name, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if isinstance(getattr(self, f.name), pd.DataFrame)}

    def group_sizes(self) -> dict[str, int]:
        """Number of documents per group, in display order."""
        counts = self.documents["group"].value_counts()
        return {g: int(counts.get(g, 0)) for g in self.groups}


# ---------------------------------------------------------------------------
# grouping

def _detected_call(call: Any, limit: int = 4) -> tuple[str, tuple[str, ...]]:
    """A document's source-type call (``Analysis.extras["source_type"][id]``, None when the extractor did not
    run): the detected label ('' when none) and the names of the first ``limit`` cues that pushed the model
    toward it (``("qa_turns", "diplomatic_per_1k")``)."""
    if not isinstance(call, dict):
        return "", ()
    cues = call.get("top_cues", [])[:limit]
    return str(call.get("label", "")), tuple(str(c.get("feature", c)) if isinstance(c, dict) else str(c) for c in cues)


def _metadata_value(doc: Any, column: str) -> str | None:
    """A document's value of a metadata column as text, or None when it has none (a float NaN from a table's empty
    cell is none, not a group called "nan")."""
    value = getattr(doc, column, None) if column in ("outlet", "author", "date", "url", "role", "title") else None
    if value is None:
        value = doc.meta.get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value).strip() or None


def assign_groups(analysis: Analysis, by: str | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Group label and its basis for every document.

    Parameters
    ----------
    analysis : Analysis
    by : str, optional
        A metadata column to group by. Default: the declared role, else the
        detected source type (official vs commentary).

    Returns
    -------
    (DataFrame, dict)
        ``id, group, group_basis, detected_type, detected_cues`` per document,
        and the grouping description (``by``, ``basis``).

    Raises
    ------
    GroupingError
        When ``by`` names a column no document has, or when no document has a
        declared role or a detected source type.
    """
    calls = analysis.extras.get("source_type", {})
    ids, detected, cues, roles, values = [], [], [], [], []
    joined: dict[tuple[str, ...], str] = {}  # each distinct list of cues joined once
    for doc in analysis.documents:  # one pass: a streamed corpus's documents are rebuilt as they are read
        label, first = _detected_call(calls.get(doc.id))
        ids.append(doc.id)
        detected.append(label)
        cues.append(joined.setdefault(first, "; ".join(first)))
        roles.append(doc.role)
        if by:
            values.append(_metadata_value(doc, by))
    if by:
        if all(v is None for v in values):
            known = sorted({"outlet", "date", "role", "author"} | {k for d in analysis.documents for k in d.meta})
            raise GroupingError(f"no document has a value for '{by}' (metadata columns: {', '.join(known)})")
        groups = [value if value is not None else f"(no {by})" for value in values]
        bases = [by] * len(ids)
        basis = f"by the metadata column '{by}'"
    else:
        if not any(roles) and not any(isinstance(call, dict) for call in calls.values()):
            raise GroupingError("no declared role (metadata 'role') and no detected source type; "
                                "use --by COLUMN to choose a grouping")
        kinds = [role or label for role, label in zip(roles, detected)]
        rest = {k for k in kinds if k != OFFICIAL}
        other = COMMENTARY if rest <= {COMMENTARY} else NON_OFFICIAL  # named as what it is when it pools roles
        groups = [OFFICIAL if kind == OFFICIAL else other for kind in kinds]
        bases = ["declared role" if role else ("detected type" if kind else "no role") for role, kind in zip(roles, kinds)]
        declared = sum(1 for role in roles if role)
        if declared == len(ids):
            basis = "by declared role (metadata 'role'): official vs every other role"
        elif declared:
            basis = (f"by declared role for {declared} document(s), detected source type for the rest: "
                     "official vs the rest")
        else:
            basis = "by detected source type: official vs the rest"
        by = "role" if declared else "source_type"
    table = pd.DataFrame({"id": ids, "group": groups, "group_basis": bases, "detected_type": detected,
                          "detected_cues": cues})
    return table, {"by": by, "basis": basis}


def group_order(labels: Sequence[str]) -> list[str]:
    """Display order: official, then commentary, then the rest alphabetically."""
    rank = {OFFICIAL: 0, COMMENTARY: 1, NON_OFFICIAL: 1}
    return sorted(set(labels), key=lambda g: (rank.get(g, 2), g))


# ---------------------------------------------------------------------------
# feature catalogue

def feature_catalogue(analysis: Analysis) -> pd.DataFrame:
    """``feature, extractor, label, description`` for every extractor column of the run, in pipeline order.

    ``label`` is the part of the extractor's column description before the
    first ``;`` (e.g. "hedges per 1,000 words"), ``description`` the whole
    line (with the direction, "higher = ..."). Columns without a description
    get a label made from the column name.
    """
    rows = []
    for record in analysis.run.get("extractors", []):
        name = record["name"]
        try:
            ex = get_extractor(name)
        except KeyError:
            continue
        descriptions = getattr(ex, "column_descriptions", {}) or {}
        for col in ex.columns:
            if col not in analysis.features.columns:
                continue
            desc = descriptions.get(col, "")
            label = split_description(desc)[0] if desc else _label_from_name(col, name)
            rows.append((col, name, label, desc))
    return pd.DataFrame(rows, columns=["feature", "extractor", "label", "description"])


def split_description(description: str) -> tuple[str, str]:
    """Split "label; direction" at the first ``;`` outside parentheses ("share (0-1; sums to 1); higher = ...")."""
    depth = 0
    for i, ch in enumerate(description):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            return description[:i].strip(), description[i + 1:].strip()
    return description.strip(), ""


def _label_from_name(column: str, extractor: str) -> str:
    stem = column[len(extractor) + 1:] if column.startswith(extractor + "_") else column
    return stem.replace("_per_1k", " per 1,000 words").replace("_", " ")


def _numeric_features(analysis: Analysis, catalogue: pd.DataFrame) -> list[str]:
    feats = analysis.features
    keep = []
    for col in catalogue["feature"]:
        values = pd.to_numeric(feats[col], errors="coerce")
        if values.notna().any() and pd.api.types.is_numeric_dtype(feats[col].dtype) | values.notna().all():
            keep.append(col)
    return keep


# ---------------------------------------------------------------------------
# the comparison

UNITS = ("document", "outlet")


def _outlets_per_group(documents: pd.DataFrame) -> dict[str, int]:
    """Distinct outlets per group (documents without an outlet count as their own)."""
    outlets = documents["outlet"].fillna("").astype(str)
    keyed = outlets.where(outlets != "", "\x00" + documents["id"].astype(str))
    return {str(g): int(keyed[documents["group"] == g].nunique()) for g in dict.fromkeys(documents["group"])}


def choose_unit(documents: pd.DataFrame, unit: str | None = None) -> tuple[str, str, bool]:
    """The unit of analysis (``document`` or ``outlet``), the reason in plain words, and whether role and outlet
    are confounded (every group, or one of them, comes from a single outlet).

    Default: ``outlet`` when every document names its outlet, some outlet has several documents and every group
    has at least two outlets (so a prolific outlet counts once); else ``document``, saying why. When a group has a
    single outlet, outlet-level tests are impossible: documents are the unit, and the report must say that these
    tests cannot separate the group from its one outlet.
    """
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    per_group = _outlets_per_group(documents)
    has_outlet = bool(documents["outlet"].fillna("").astype(str).ne("").all())
    single = [g for g, n in per_group.items() if n < 2]
    confounded = has_outlet and bool(single) and len(per_group) >= 2
    if confounded:
        which = ", ".join(f"'{g}'" for g in single)
        why_conf = (f"role and outlet are confounded: {which} come{'s' if len(single) == 1 else ''} from a single "
                    "outlet, so no test can tell the group apart from its outlet")
    if unit == "outlet":
        if confounded:
            return "outlet", f"outlet, as asked; but {why_conf}: no outlet-level test is possible", True
        return "outlet", "outlet, as asked: each outlet counts once, however many documents it has", confounded
    if unit == "document":
        return "document", "document, as asked: every document counts once" + (
            f"; {why_conf}: these are document-level tests" if confounded else ""), confounded
    if confounded:
        return "document", f"document: {why_conf}; the tests below are document-level tests", True
    if not has_outlet:
        return "document", "document: not every document names its outlet", False
    if not documents["outlet"].duplicated().any():
        return "document", "document: every document comes from a different outlet", False
    return "outlet", ("outlet: some outlets have several documents, so whole outlets are resampled and a prolific "
                      "outlet counts once (--unit document to count documents)"), False


def _resample_unit(documents: pd.DataFrame, resample_by: str | None) -> str | None:
    """Cluster column for the bootstrap/permutation: outlet when an outlet has several documents."""
    if resample_by is not None:
        return None if resample_by == "document" else resample_by
    unit, _why, _conf = choose_unit(documents)
    return None if unit == "document" else unit


def check_whole_number(name: str, value: Any, least: int, kinds: tuple[type, ...] = (int, np.integer)) -> None:
    """ValueError, in words, unless ``value`` is a whole number (of ``kinds``, not a bool) of ``least`` or more."""
    if not isinstance(value, kinds) or isinstance(value, bool) or value < least:
        raise ValueError(f"{name} must be a whole number of {least} or more, not {value!r}")


def compare(analysis: Analysis, by: str | None = None, seed: int = 0, *, resample_by: str | None = None,
            n_boot: int = 2000, n_perm: int = 5000, max_examples: int = 3, unit: str | None = None,
            parts: Parts | None = None) -> Comparison:
    """Compare the groups of an analysis on every feature, term, formula, frame, actor and modality cue.

    Parameters
    ----------
    analysis : Analysis
        From :func:`framing.analyze`.
    by : str, optional
        Metadata column to group by (default: declared role, else detected source type).
    seed : int
        Seed of the bootstrap and permutation draws: same input and seed, same tables.
    resample_by : str, optional
        ``"document"`` or a metadata column (e.g. ``"outlet"``) whose values are
        resampled as whole units. Default: outlet when every document has one
        and some outlet has several documents, else document.
    n_boot, n_perm : int
        Bootstrap resamples and permutation relabelings.
    max_examples : int
        Examples kept per term, formula and actor.
    unit : {"document", "outlet"}, optional
        The unit of analysis (default chosen from the data by :func:`choose_unit`,
        with its reason in ``grouping["unit_reason"]``); ``resample_by`` (the same, or any metadata
        column) wins when given.
    parts : Parts, optional
        Tables already accumulated over a corpus read in chunks (:mod:`framing.reporting.stream`): then
        ``analysis`` holds every document's features but only a sample's evidence, and the lexical tables,
        frame and modality counts, furniture, echoes and aligned claims come from ``parts``; its features
        table is emptied once the documents table holds the values (one copy of a large corpus's features).

    Returns
    -------
    Comparison
    """
    check_whole_number("seed", seed, 0)
    check_whole_number("n_boot", n_boot, 1)
    check_whole_number("n_perm", n_perm, 1)
    if parts is not None and parts.assigned is not None:  # the caller's, handed over: not assigned twice
        (groups_table, grouping), parts.assigned = parts.assigned, None
    else:
        groups_table, grouping = assign_groups(analysis, by)
    catalogue = feature_catalogue(analysis)
    features = _numeric_features(analysis, catalogue)
    groups = group_order(groups_table["group"].tolist())
    asked = resample_by if resample_by is not None else unit
    extra = [asked] if asked is not None and asked not in UNITS and asked not in DOCUMENT_INFO else []
    documents = _documents_table(analysis, groups_table, catalogue, {g: i for i, g in enumerate(groups)},
                                 reordered=None if parts is None else parts.reordered_features, extra=extra)
    if parts is not None:  # a streamed corpus's light analysis: its features now live in the documents table
        analysis.features = analysis.features.iloc[:0]
    if asked is None or asked in UNITS:
        chosen, reason, confounded = choose_unit(documents, asked)
    else:  # another metadata column as the resampling unit
        chosen, confounded = asked, False
        reason = f"{asked}, as asked: each value of '{asked}' is resampled as one unit"
    cluster = None if chosen == "document" else chosen
    grouping.update(resample_unit=cluster or "document", unit=cluster or "document", unit_reason=reason,
                    confounded=confounded, outlets=_outlets_per_group(documents))
    grouping.update(group_descriptions(analysis, groups_table, groups))
    del groups_table
    comparison = _comparison_table(documents, features, catalogue, cluster, seed, n_boot, n_perm)
    evidence = _evidence_table(analysis, documents)
    if parts is None:
        lexical = _lexical_tables(analysis, dict(zip(documents["id"], documents["group"])), max_examples)
        counts = framing_counts(evidence)
        furniture = furniture_table(analysis)
        sample = analysis
    else:
        lexical = parts.lexical(max_examples)
        counts, furniture, sample = parts.framing_counts, parts.furniture, parts.sample
        for doc in sample.documents:  # their token tables were for the lexical tables: not held through the rest
            doc.release()
    comp = Comparison(
        documents=documents, features=catalogue[catalogue["feature"].isin(features)].reset_index(drop=True),
        comparison=comparison, terms=lexical["terms"], formulae=lexical["formulae"],
        frames=frame_shares(evidence, documents, groups, counts=counts), actors=lexical["actors"],
        modality=modality_table(evidence, documents, groups, counts=counts), evidence=evidence, groups=groups,
        grouping=grouping, furniture=furniture, cue_counts=None if parts is None else parts.cue_counts,
    )
    from .align import aligned_claims
    from .echo import echo_table

    comp.echo = echo_table(sample, comp)
    comp.aligned = aligned_claims(sample, comp)
    return comp


class Parts:
    """What :func:`compare` needs beyond the features, accumulated over a corpus read in chunks.

    Attributes: ``framing_counts`` (Series ``(doc_id, category) -> cues`` of the framing extractor, every
    voice), ``cue_counts`` (see :attr:`Comparison.cue_counts`), ``furniture`` (the furniture table),
    ``sample`` (an Analysis of the documents kept whole: a seeded sample of each group plus the first
    documents shown as cards), ``lexical`` (a callable ``(max_examples) -> {"terms", "formulae",
    "actors"}``, the groups already named), ``reordered_features`` (a callable ``(order, columns) -> DataFrame``: the features'
    columns with their rows in ``order``, put in order in their own buffers rather than copied) and
    ``assigned`` (what :func:`assign_groups` gave for the analysis with the same ``by``, when the caller
    needed the groups before the parts: not assigned twice).
    """

    def __init__(self, framing_counts: pd.Series, cue_counts: pd.DataFrame, furniture: pd.DataFrame,
                 sample: Analysis, lexical: Any, reordered_features: Any = None,
                 assigned: tuple[pd.DataFrame, dict[str, Any]] | None = None):
        self.framing_counts, self.cue_counts, self.furniture = framing_counts, cue_counts, furniture
        self.sample, self.lexical, self.reordered_features = sample, lexical, reordered_features
        self.assigned = assigned


def framing_counts(evidence: pd.DataFrame) -> pd.Series:
    """Cues of the ``framing`` extractor per document and category (every voice but questioners' turns, which are
    not the document's words): ``(doc_id, category) -> n``."""
    ev = evidence[(evidence["extractor"] == "framing").to_numpy() & (evidence["voice"] != "questioner").to_numpy()]
    return ev.groupby(["doc_id", "category"]).size()


def furniture_table(analysis: Analysis) -> pd.DataFrame:
    """``doc_id, category, text``: every block of page furniture separated from a body, in document order."""
    rows = [(doc.id, block.category, " ".join(block.text.split()))
            for doc in analysis.documents for block in doc.boilerplate]
    return pd.DataFrame(rows, columns=["doc_id", "category", "text"])


def group_descriptions(analysis: Analysis, groups_table: pd.DataFrame, groups: list[str]) -> dict[str, Any]:
    """Display names of the groups and what each pools (``groups_table``: :func:`assign_groups`' table, a row
    per document of ``analysis`` in its order).

    ``names``: group -> display name; a group that pools several declared roles or detected
    types is "non-official (commentary, news, promotional)". ``pooled``: group -> the roles,
    types or genres (metadata ``genre``) it mixes, when more than one. ``roles``: the declared
    roles present, in order, when any document declares one.
    """
    kinds: dict[str, set[str]] = {g: set() for g in groups}
    genres: dict[str, set[str]] = {g: set() for g in groups}
    roles: set[str] = set()
    for doc, group, detected in zip(analysis.documents, groups_table["group"], groups_table["detected_type"]):
        kinds.setdefault(group, set()).add(doc.role or detected or "unknown")
        genre = str(doc.meta.get("genre", "") or "").strip()
        if genre:
            genres.setdefault(group, set()).add(genre)
        roles.add(doc.role or "")
    names: dict[str, str] = {}
    pooled: dict[str, list[str]] = {}
    for g in groups:
        names[g] = g
        if len(kinds[g]) > 1:
            names[g] = f"{NON_OFFICIAL if g in (COMMENTARY, NON_OFFICIAL) else g} ({', '.join(sorted(kinds[g]))})"
            pooled[g] = sorted(kinds[g])
        elif len(genres[g]) > 1:
            pooled[g] = sorted(genres[g])
    return {"names": names, "pooled": pooled,
            "roles": [r for r in ("official", "news", "commentary", "promotional") if r in roles]}


def _documents_table(analysis: Analysis, groups_table: pd.DataFrame, catalogue: pd.DataFrame,
                     group_rank: dict[str, int] | None = None, reordered: Any = None,
                     extra: Sequence[str] = ()) -> pd.DataFrame:
    """Metadata, group and feature values per document; with ``group_rank``, rows in group order (input
    order within a group). The feature values are copied once, rows and columns in one take; or, with
    ``reordered(order, columns)`` (a streamed corpus's :meth:`~framing.reporting.columns.FeatureChunks.reordered`),
    not copied: put in order in their own buffers. ``extra``: metadata columns added after the usual ones (a
    unit of analysis of the user's: :class:`GroupingError` when no document has a value for it)."""
    feats = analysis.features
    info = feats[["id", "title", "outlet", "date", "role", "language", "n_words", "n_sentences", "n_paragraphs",
                  "na_reason"]].reset_index(drop=True).copy()  # its own copy: ``reordered`` moves the features
    info["path"] = [doc.path or "" for doc in analysis.documents]
    info = info.merge(groups_table, on="id", how="left", validate="one_to_one")
    info["label"] = short_labels(analysis.documents)
    for column in extra:
        values = [_metadata_value(doc, column) for doc in analysis.documents]
        if all(v is None for v in values):
            known = sorted({"outlet", "date", "role", "author"} | {k for d in analysis.documents for k in d.meta})
            raise GroupingError(f"no document has a value for '{column}', the unit asked for (metadata columns: "
                                f"{', '.join(known)})")
        info[column] = values
    info = info[[*DOCUMENT_INFO, *extra]]
    order = np.arange(len(info))
    if group_rank is not None:
        order = np.argsort(info["group"].map(group_rank).to_numpy(), kind="stable")
        info = info.iloc[order]
    if reordered is not None:
        values = reordered(order, list(catalogue["feature"]))
    else:
        values = feats.iloc[order, feats.columns.get_indexer(list(catalogue["feature"]))]
    info.index = values.index = pd.RangeIndex(len(info))
    return pd.concat([info, values], axis=1)


def short_labels(docs: Sequence[Any], width: int = 24) -> list[str]:
    """A short, unique display label per document: its outlet (or title, or id), numbered when repeated."""
    raw = []
    for doc in docs:
        name = (doc.outlet or doc.title or doc.id).strip()
        raw.append(name if len(name) <= width else name[: width - 1].rstrip() + "…")
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    for name in raw:
        counts[name] = counts.get(name, 0) + 1
    out = []
    for name in raw:
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} #{seen[name]}"
        out.append(name)
    return out


def _comparison_table(documents: pd.DataFrame, features: list[str], catalogue: pd.DataFrame, cluster: str | None,
                      seed: int, n_boot: int, n_perm: int) -> pd.DataFrame:
    if not features:
        cols = ["feature", "extractor", "group", "n_docs", "mean", "median", "ci_low", "ci_high", "reference",
                "cliffs_delta", "hedges_g", "p", "q", "note"]
        return pd.DataFrame(columns=cols)
    if cluster is None and len(documents) > LARGE_UNITS:
        table = large_sample_comparison(documents, "group", features)
    else:
        table = compare_groups(_own_unit_when_missing(documents, cluster), "group", features, cluster_col=cluster,
                               seed=seed, n_boot=n_boot, n_perm=n_perm)
    table = _no_effect_for_one_document(table, documents)
    extractor_of = dict(zip(catalogue["feature"], catalogue["extractor"]))
    table.insert(1, "extractor", table["feature"].map(extractor_of))
    order = {g: i for i, g in enumerate(group_order(documents["group"].tolist()))}
    feature_rank = {f: i for i, f in enumerate(features)}
    table = table.assign(_f=table["feature"].map(feature_rank), _g=table["group"].map(order))
    return table.sort_values(["_f", "_g"], kind="stable").drop(columns=["_f", "_g"]).reset_index(drop=True)


def _own_unit_when_missing(documents: pd.DataFrame, cluster: str | None) -> pd.DataFrame:
    """``documents`` with each document that has no value of the ``cluster`` column as a unit of its own (one
    without an outlet is not pooled with the others without one)."""
    if cluster is None:
        return documents
    values = documents[cluster]
    missing = values.isna() | values.astype(str).str.strip().eq("")
    if not missing.any():
        return documents
    own = "\x00" + documents["id"].astype(str)
    return documents.assign(**{cluster: values.astype(object).where(~missing, own)})


#: Above this many documents (resampled one by one), the comparison uses the large-sample formulas of
#: :func:`large_sample_comparison`: the resampling tests would need an n_perm x documents matrix.
LARGE_UNITS = 1000
LARGE_NOTE = "{n:,} documents: normal approximations of the permutation test and of the bootstrap CI"


def large_sample_comparison(documents: pd.DataFrame, group_col: str, features: Sequence[str]) -> pd.DataFrame:
    """:func:`framing.stats.compare_groups` for thousands of documents, in memory linear in the documents.

    Same columns and rows. Mean, median, Cliff's delta and Hedges' g are computed exactly. The CI of the mean
    is ``mean +- 1.96 SD / sqrt(n)`` (what the percentile bootstrap converges to); p is two-sided from the
    normal approximation of the permutation distribution of the mean difference, whose variance under
    random relabeling is ``S^2 (1/n_a + 1/n_b)`` (``S^2`` the variance of all values, ddof 1; Hajek's CLT
    for sampling without replacement). With thousands of documents a Monte Carlo permutation p of 5,000
    relabelings could not resolve p below 2e-4 anyway. Each row's note says so.
    """
    from .stats import COMPARE_COLUMNS, ONE_DOC_NOTE, _group_order, benjamini_hochberg, cliffs_delta, hedges_g

    data = documents[documents[group_col].notna()]
    groups = _group_order(data[group_col])
    two = len(groups) == 2
    labels = data[group_col].to_numpy(dtype=object)
    rows: list[dict[str, Any]] = []
    for feature in features:
        values = pd.to_numeric(data[feature], errors="coerce").to_numpy(dtype=float, copy=True)
        values[~np.isfinite(values)] = np.nan
        ok = ~np.isnan(values)
        for group in groups:
            in_group = labels == group
            xa, xb = values[in_group & ok], values[~in_group & ok]
            reference = str(groups[1 - groups.index(group)]) if two else "rest"
            row: dict[str, Any] = {"feature": feature, "group": group, "n_docs": len(xa), "reference": reference,
                                   "mean": math.nan, "median": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                                   "cliffs_delta": math.nan, "hedges_g": math.nan, "p": math.nan, "q": math.nan}
            notes = [LARGE_NOTE.format(n=int(ok.sum()))]
            if len(xa) == 0:
                row["note"] = "no documents with a value"
                rows.append(row)
                continue
            row["mean"], row["median"] = float(xa.mean()), float(np.median(xa))
            row["cliffs_delta"], row["hedges_g"] = cliffs_delta(xa, xb), hedges_g(xa, xb)
            if len(xa) < 2:
                notes.append(ONE_DOC_NOTE)
            else:
                half = 1.959963984540054 * float(xa.std(ddof=1)) / math.sqrt(len(xa))
                row["ci_low"], row["ci_high"] = row["mean"] - half, row["mean"] + half
            if len(xb) == 0:
                notes.append(f"reference '{reference}' has no values: no test")
            elif len(xb) < 2:
                notes.append(f"reference '{reference}' has 1 document: no test, see per-document values")
            elif len(xa) >= 2:
                both = np.concatenate([xa, xb])
                se = math.sqrt(float(both.var(ddof=1)) * (1 / len(xa) + 1 / len(xb)))
                diff = float(xa.mean() - xb.mean())
                row["p"] = 1.0 if se == 0 else float(min(1.0, math.erfc(abs(diff) / se / math.sqrt(2))))
            row["note"] = "; ".join(notes)
            rows.append(row)
    out = pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))
    for _key, idx in out.groupby(["group", "reference"], sort=False).groups.items():
        out.loc[idx, "q"] = benjamini_hochberg(out.loc[idx, "p"].to_numpy(dtype=float))
    out["n_docs"] = out["n_docs"].astype(int)
    return out


def _no_effect_for_one_document(table: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Blank Cliff's delta and Hedges' g on rows whose group or reference has a single document.

    One document against others is a description of that document, not of a group: the report shows its
    values and sentences instead of an effect size.
    """
    sizes = documents["group"].value_counts()
    one = {str(g) for g, n in sizes.items() if n < 2}
    if not one:
        return table
    refs = table["reference"].astype(str)
    rest_one = (refs == "rest") & ((len(documents) - table["group"].map(sizes).fillna(0)) < 2)
    mask = table["group"].astype(str).isin(one) | refs.isin(one) | rest_one
    table = table.copy()
    table.loc[mask, ["cliffs_delta", "hedges_g"]] = np.nan
    return table


def _evidence_table(analysis: Analysis, documents: pd.DataFrame) -> pd.DataFrame:
    ev = analysis.evidence.copy()
    group_of = _group_of(documents, ev["doc_id"].unique())
    if "group" in ev.columns:
        ev["group"] = ev["doc_id"].map(group_of)
    else:
        ev.insert(1, "group", ev["doc_id"].map(group_of))
    if "sentence_start" not in ev.columns:  # (a chunked report adds it while the documents are at hand)
        ev["sentence_start"] = sentence_starts(ev, analysis.documents)
    return evidence_in_order(ev[list(EVIDENCE_COLUMNS)], documents["id"])


def _group_of(documents: pd.DataFrame, ids: Iterable[str]) -> dict[str, str]:
    """Document id -> group, for the documents of the documents table whose id is in ``ids`` (a repeated id:
    its last row's)."""
    rows = documents.loc[rows_among(documents["id"], list(ids)), ["id", "group"]]
    return dict(zip(rows["id"], rows["group"]))


def rows_among(values: pd.Series, ids: Sequence[str]) -> np.ndarray:
    """Mask of the rows of ``values`` (document ids) that are among ``ids``, as ``values.isin(ids)``. A column of
    Arrow strings is looked up by Arrow's hash set: pandas' ``isin`` takes 37 ms where it takes 5 (200,000
    evidence rows, a group of 5,000 ids), and a report asks this of every construct and group."""
    column = arrow_strings(values)
    if column is not None and len(ids):
        import pyarrow as pa
        import pyarrow.compute as pc

        return np.asarray(pc.is_in(column, value_set=pa.array(list(ids), type=column.type)), dtype=bool)
    return values.isin(ids).to_numpy(dtype=bool)


def arrow_strings(values: pd.Series) -> Any:
    """A column of pandas' Arrow-backed strings as its Arrow array (the column's own buffers, no copy), else None."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        import pyarrow as pa

        return pa.array(values.array)
    return None


def evidence_in_order(ev: pd.DataFrame, doc_ids: Iterable[str]) -> pd.DataFrame:
    """Evidence rows in the report's order: documents as in ``doc_ids``, then by position and cue."""
    present = set(ev["doc_id"].unique())
    rank = {d: i for i, d in enumerate(doc_ids) if d in present}
    ev = ev.assign(_d=ev["doc_id"].map(rank))
    return ev.sort_values(["_d", "start", "end", "extractor", "category", "cue"], kind="stable") \
        .drop(columns="_d").reset_index(drop=True)


def sentence_starts(evidence: pd.DataFrame, docs: Sequence[Any]) -> list[int]:
    """Where each evidence row's sentence starts in its document's body (-1 for no sentence)."""
    starts = {doc.id: doc.segmentation.sentences for doc in docs}
    return [starts[d][s][0] if 0 <= s < len(starts[d]) else -1 for d, s in zip(evidence["doc_id"], evidence["sentence"])]


# ---------------------------------------------------------------------------
# frames and modality (from the framing extractor's evidence)

FRAME_PREFIX = "frame"
#: Display names of the 14 generic policy frames (Boydstun et al. 2014; SemEval-2023 Task 3 labels).
FRAME_NAMES = {
    "economic": "Economic", "capacity_resources": "Capacity and resources", "morality": "Morality",
    "fairness_equality": "Fairness and equality", "legality": "Legality, constitutionality, jurisprudence",
    "policy": "Policy prescription and evaluation", "crime_punishment": "Crime and punishment",
    "security_defense": "Security and defense", "health_safety": "Health and safety",
    "quality_of_life": "Quality of life", "cultural_identity": "Cultural identity",
    "public_opinion": "Public opinion", "political": "Political",
    "external_reputation": "External regulation and reputation",
}

#: Framing-extractor evidence categories that are neither frames nor modality/voice cues.
NOT_MODALITY = frozenset({"actor"})


def frame_shares(evidence: pd.DataFrame, documents: pd.DataFrame, groups: list[str],
                 counts: pd.Series | None = None) -> pd.DataFrame:
    """Share of each frame among a group's frame cues, averaged over the group's documents.

    Each document's frame cues (evidence of the ``framing`` extractor whose
    category starts with ``frame``) are turned into shares that sum to 1, then
    averaged over the documents of the group, so a long document counts as
    much as a short one. Documents without frame cues do not enter the mean. ``counts``
    (:func:`framing_counts`, default: from ``evidence``) gives the cues per document and category.

    Returns ``frame, label, group, share, cues, docs`` (``label`` = the frame's
    codebook name, ``docs`` = documents of the group with at least one cue of
    that frame), frames in order of overall share, groups in display order.
    """
    cols = ["frame", "label", "group", "share", "cues", "docs"]
    if counts is None:
        counts = framing_counts(evidence)
    counts = _frames_by_document(counts)
    if counts.empty:
        return pd.DataFrame(columns=cols)
    shares = counts.div(counts.sum(axis=1), axis=0).to_numpy()
    group_of = _group_of(documents, counts.index)
    group = np.array([group_of.get(d) for d in counts.index], dtype=object)
    values = counts.to_numpy()
    rows = []
    for g in groups:
        rows_of_group = group == g
        for j, frame in enumerate(counts.columns):
            if rows_of_group.any():
                share, cues = _mean(shares[rows_of_group, j]), int(values[rows_of_group, j].sum())
                docs = int((values[rows_of_group, j] > 0).sum())
            else:
                share, cues, docs = 0.0, 0, 0
            rows.append((frame, FRAME_NAMES.get(frame, frame.replace("_", " ")), g, share, cues, docs))
    table = pd.DataFrame(rows, columns=cols)
    overall = table.groupby("frame")["share"].mean()
    rank = {f: i for i, f in enumerate(sorted(overall.index, key=lambda f: (-round(overall[f], 12), f)))}
    g_rank = {g: i for i, g in enumerate(groups)}
    table = table.assign(_f=table["frame"].map(rank), _g=table["group"].map(g_rank))
    return table.sort_values(["_f", "_g"]).drop(columns=["_f", "_g"]).reset_index(drop=True)


def _mean(values: np.ndarray) -> float:
    """The mean of ``values`` leaving out NaN (NaN when none is left), summed as pandas' ``Series.mean`` sums."""
    missing = np.isnan(values)
    count = len(values) - int(missing.sum())
    return float(np.where(missing, 0.0, values).sum() / count) if count else float("nan")


def _frames_by_document(counts: pd.Series) -> pd.DataFrame:
    """Frame cues per document and frame (documents with at least one, sorted by id; frames sorted by name) from
    ``(doc_id, category) -> n`` counts, summed through the index's codes: no label is made per (document,
    category) row, of which a large corpus has millions."""
    index = counts.index
    if not len(counts) or not isinstance(index, pd.MultiIndex):
        return pd.DataFrame()
    d, c = index.names.index("doc_id"), index.names.index("category")
    frame_of = [_frame_name(str(x)) if str(x).startswith(FRAME_PREFIX) else None for x in index.levels[c]]
    frames = sorted({f for f in frame_of if f is not None})
    if not frames:
        return pd.DataFrame()
    column = np.array([frames.index(f) if f is not None else -1 for f in frame_of] + [-1], dtype=np.int64)
    doc_codes, cat_codes = np.asarray(index.codes[d]), np.asarray(index.codes[c])
    frame_codes = column[cat_codes]  # a missing category (code -1) reads the trailing -1
    keep = (frame_codes >= 0) & (doc_codes >= 0)
    table = np.zeros((len(index.levels[d]), len(frames)), dtype=np.int64)
    np.add.at(table, (doc_codes[keep], frame_codes[keep]), counts.to_numpy(dtype=np.int64)[keep])
    present = np.flatnonzero(table.sum(axis=1) > 0)
    ids = index.levels[d].take(present)
    order = np.argsort(ids.to_numpy(dtype=object), kind="stable")
    return pd.DataFrame(table[present[order]], index=pd.Index(ids.take(order), name="doc_id"),
                        columns=pd.Index(frames, name="frame"))


def _frame_name(category: str) -> str:
    name = category[len(FRAME_PREFIX):].lstrip(":_- ")
    return name or category


def modality_table(evidence: pd.DataFrame, documents: pd.DataFrame, groups: list[str],
                   counts: pd.Series | None = None) -> pd.DataFrame:
    """Modality and voice cues of the ``framing`` extractor (categories other than frames and actors), per group.

    ``per_1k`` is the mean over the group's documents of each document's cues
    per 1,000 words (so documents weigh equally); ``cues`` the raw count.
    """
    cols = ["category", "group", "per_1k", "cues"]
    if counts is None:
        counts = framing_counts(evidence)
    categories = counts.index.get_level_values("category").astype(str) if len(counts) else pd.Index([])
    ev = counts[~categories.str.startswith(FRAME_PREFIX) & ~categories.isin(NOT_MODALITY)] if len(counts) else counts
    if ev.empty:
        return pd.DataFrame(columns=cols)
    counts = ev.unstack(fill_value=0)
    at = counts.index.get_indexer(documents["id"])  # each document's row of counts (-1: it has none)
    values = counts.to_numpy()
    table = np.vstack([values, np.zeros((1, values.shape[1]), dtype=values.dtype)])[at]
    words = documents["n_words"].astype(float).replace(0, np.nan).to_numpy()
    rates = table * 1000.0 / words[:, None]
    group = documents["group"].to_numpy()
    rows = []
    for j in np.argsort(counts.columns.to_numpy(dtype=object), kind="stable"):
        for g in groups:
            rows_of_group = group == g
            rows.append((counts.columns[j], g, _mean(rates[rows_of_group, j]), int(table[rows_of_group, j].sum())))
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------
# terms, formulae, actors (framing.terms)

def _lexical_tables(analysis: Analysis, group_of: dict[str, str], max_examples: int) -> dict[str, pd.DataFrame]:
    """Distinctive terms, formulae and actors by group, from :mod:`framing.terms` (empty if unavailable)."""
    try:
        from . import terms as lexical
    except ImportError:
        return {k: pd.DataFrame() for k in ("terms", "formulae", "actors")}
    docs = analysis.documents
    labels = [group_of[d.id] for d in docs]
    out = {}
    for key, func in (("terms", "distinctive_terms"), ("formulae", "recurring_formulae"), ("actors", "actors")):
        if key == "terms" and len(set(labels)) < 2:  # one group: nothing to contrast (the report says so)
            out[key] = pd.DataFrame()
            continue
        fn = getattr(lexical, func, None)
        out[key] = _contextualise(fn(docs, labels), docs, max_examples) if fn is not None else pd.DataFrame()
    return out


def _contextualise(table: pd.DataFrame, docs: Sequence[Any], max_examples: int) -> pd.DataFrame:
    """Keep ``max_examples`` examples per row, each made self-contained for display and CSV.

    Every example becomes ``{doc_id, start, end, sentence, sentence_text, at, length, voice}``:
    the sentence it occurs in, the match's offset and length inside that sentence,
    and whose voice it is (author, quoted, reported).
    """
    if "examples" not in table.columns:
        return table.reset_index(drop=True)
    by_id = {d.id: d for d in docs}
    position = {d.id: i for i, d in enumerate(docs)}
    given = [list(xs)[:max_examples] if isinstance(xs, (list, tuple)) else [] for xs in table["examples"]]
    placed: list[list[Any]] = [[None] * len(xs) for xs in given]
    at = [(r, k) for r, xs in enumerate(given) for k in range(len(xs))]
    at.sort(key=lambda rk: position.get(str(given[rk[0]][rk[1]].get("doc_id")), -1))
    for r, k in at:  # document by document: each one's sentences are read once, not once per example
        placed[r][k] = _in_context(given[r][k], by_id)
    table = table.copy()
    table["examples"] = placed
    return table.reset_index(drop=True)


def _in_context(example: dict[str, Any], by_id: dict[str, Any]) -> dict[str, Any]:
    doc = by_id.get(str(example.get("doc_id")))
    start, end = int(example.get("start", -1)), int(example.get("end", -1))
    if doc is None or not 0 <= start < end <= len(doc.body):
        return {k: example.get(k) for k in ("doc_id", "start", "end")}
    seg = doc.segmentation
    si = seg.sentence_at(start)
    s_start, s_end = seg.sentences[si] if si >= 0 else (start, end)
    return {"doc_id": doc.id, "start": start, "end": end, "sentence": si,
            "sentence_text": doc.body[s_start:s_end], "at": start - s_start, "length": end - start,
            "voice": doc.attribution.voice_at(start, si)}


def is_missing(x: Any) -> bool:
    """True for None and NaN."""
    return x is None or (isinstance(x, float) and math.isnan(x))

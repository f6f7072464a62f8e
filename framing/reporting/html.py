"""The self-contained HTML report: one file, no script, no external resource, charts as inline SVG.

Every string that comes from a document or its metadata goes through
:func:`esc` (``html.escape`` with quotes), and the page carries a
Content-Security-Policy that forbids scripts, so text such as
``<script>…</script>`` or ``<img onerror=…>`` in a document is shown, never run.
The page is built only from the :class:`~framing.compare.Comparison` tables
(the same ones written to CSV) and the run record.
"""
from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from string import Template
from typing import Any

import numpy as np
import pandas as pd

from ..compare import Comparison, split_description
from . import charts
from .constructs import pooled_name, units_named
from .findings import (
    MAX_DOCUMENT_COLUMNS,
    MAX_EXEMPLARS_PER_GROUP,
    Exemplar,
    exemplars,
    fmt,
    fmt_effect,
    fmt_p,
    group_exemplars,
    headline_features,
    is_tested,
    non_overlapping,
    separated,
    significance_note,
    source_type_rows,
)
from .methods import MethodsInfo, details
from .sections import (
    aligned_html,
    echo_html,
    form_html,
    furniture_html,
    group_names,
    overview_html,
    pooled_roles,
    role_mean,
)

__all__ = ["esc", "highlight", "render_html"]

#: Display names of the framing extractor's modality and voice categories.
MODALITY_LABELS = {"deontic": "deontic modality (should, must, need to)",
                   "epistemic": "epistemic modality (may, likely, appears)",
                   "institutional": "institutional first person (we, our country)",
                   "analytic": "third-person analysis (X seeks to, X aims to)"}

#: Extractors with a dedicated section of their own (besides the feature panel).
CREDIBILITY = "credibility"
SOURCE_TYPE = "source_type"


def esc(value: Any) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def highlight(text: str, spans: Sequence[tuple[int, int, str, str]]) -> str:
    """Escape ``text`` and wrap each cue span in ``<mark>`` (class by voice, cue names in the tooltip)."""
    out: list[str] = []
    pos = 0
    for start, end, voice, labels in non_overlapping(tuple(spans)):
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="v-{esc(voice)}" title="{esc("; ".join(labels) + f" ({voice} voice)")}">'
                   f"{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _kwic(example: dict[str, Any], width: int = 70) -> str:
    """A term in context: the sentence around it, trimmed at word boundaries ~``width`` characters each side."""
    sentence = str(example.get("sentence_text", ""))
    at, length = int(example.get("at", -1)), int(example.get("length", 0))
    if at < 0 or at + length > len(sentence):
        return esc(sentence)
    left = sentence[max(0, at - width):at]
    if at > width and " " in left:
        left = "…" + left[left.index(" ") + 1:]
    right = sentence[at + length:at + length + width]
    if at + length + width < len(sentence) and " " in right:
        right = right[:right.rindex(" ")] + "…"
    return (esc(left) + f'<mark class="v-{esc(example.get("voice", "author"))}">'
            + esc(sentence[at:at + length]) + "</mark>" + esc(right))


# ---------------------------------------------------------------------------
# small building blocks

def _table(header: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "", head_html: str | None = None) -> str:
    """A table from already-escaped cell HTML."""
    thead = head_html if head_html is not None else "<tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table class="{cls}"><thead>{thead}</thead><tbody>{body}</tbody></table></div>'


def _group_tag(group: str, groups: Sequence[str]) -> str:
    return f'<span class="tag g{groups.index(group) if group in groups else 0}">{esc(group)}</span>'


def _num_cell(x: Any) -> str:
    return f'<span class="num">{esc(fmt(x))}</span>'


def _columns(groups: Sequence[str], blocks: dict[str, str]) -> str:
    """Side-by-side columns, one per group."""
    cells = "".join(f'<div class="col g{i}"><h4>{_group_tag(g, groups)}</h4>{blocks.get(g, "")}</div>'
                    for i, g in enumerate(groups))
    return f'<div class="cols" style="--n:{len(groups)}">{cells}</div>'


def _exemplar_html(ex: Exemplar, doc_label: str) -> str:
    notes = "".join(f'<span class="snote">{esc(n)}</span>' for n in ex.notes)
    return (f'<blockquote class="ex"><p>{highlight(ex.text, ex.spans)}</p>'
            f'<cite>{esc(doc_label)} · sentence {ex.sentence + 1}</cite>{notes}</blockquote>')


def _doc_labels(comp: Comparison) -> dict[str, str]:
    return dict(zip(comp.documents["id"], comp.documents["label"]))


def _docs_by_group(comp: Comparison) -> dict[str, list[str]]:
    docs = comp.documents
    return {g: docs.loc[docs["group"] == g, "id"].tolist() for g in comp.groups}


# ---------------------------------------------------------------------------
# sections

def _header(comp: Comparison, info: MethodsInfo) -> str:
    sizes = comp.group_sizes()
    names = group_names(comp)
    pooled = {g: pooled_name(g, names[g]) for g in comp.groups}  # the kinds a pooled group mixes, after its tag
    groups = " vs ".join(f"{_group_tag(g, comp.groups)}{esc(f' ({pooled[g][1]})') if pooled[g] else ''} "
                         f"{sizes[g]} document{'s' if sizes[g] != 1 else ''}" for g in comp.groups)
    return (f'<header><div class="wrap"><p class="kicker">framing report</p>'
            f"<h1>{esc(info.title)}</h1>"
            f'<p class="sub">{groups} · grouped {esc(comp.grouping.get("basis", ""))} · '
            f'{esc(fmt(int(comp.documents["n_words"].sum())))} words · framing {esc(info.framing_version)}</p>'
            f"</div></header>")


NAV = (("overview", "Overview"), ("form", "Form"), ("echoes", "Echoes"), ("claims", "Claims"),
       ("features", "Features"), ("terms", "Terms"), ("formulae", "Formulae"),
       ("frames", "Frames"), ("actors", "Actors"), ("credibility", "Credibility"), ("source-type", "Source type"),
       ("documents", "Documents"), ("methods", "Methods"))


def _nav(present: set[str]) -> str:
    links = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in NAV if a in present)
    return f'<nav><div class="wrap">{links}</div></nav>'


def _feature_cell(f: Any) -> str:
    """Feature label, its direction in small print, and the CSV column name in the tooltip."""
    direction = split_description(f.description)[1] if f.description else ""
    if len(direction) > 70:
        direction = direction[:69].rstrip() + "…"
    return (f'<span class="flabel" title="{esc(f.feature)}: {esc(f.description)}">{esc(f.label)}</span>'
            + (f' <span class="dir">{esc(direction)}</span>' if direction else ""))


def _summary_table(comp: Comparison, features: pd.DataFrame) -> str:
    """Rows = features; per group: mean with its 95% CI and the median; then Cliff's delta and q (large corpora)."""
    cr = comp.comparison.set_index(["feature", "group"])
    sizes = comp.group_sizes()
    roles = pooled_roles(comp)
    head = "<tr><th>feature</th>" + "".join(
        f'<th class="gh g{i}">{esc(g)} (n={sizes[g]})<br><span class="muted">mean [95% CI] · median</span></th>'
        for i, g in enumerate(comp.groups)) + _role_heads(roles) + \
        f"<th>Cliff's δ ({esc(comp.groups[0])})</th><th>q</th></tr>"
    rows = []
    for f in features.itertuples():
        cells = [_feature_cell(f)]
        for g in comp.groups:
            if (f.feature, g) not in cr.index:
                cells.append("–")
                continue
            r = cr.loc[(f.feature, g)]
            cells.append(f'{_num_cell(r["mean"])} <span class="muted">[{esc(fmt(r["ci_low"]))}–'
                         f'{esc(fmt(r["ci_high"]))}] · {esc(fmt(r["median"]))}</span>')
        cells += [_num_cell(role_mean(comp, role, f.feature)) for role, _ in roles]
        first = cr.loc[(f.feature, comp.groups[0])] if (f.feature, comp.groups[0]) in cr.index else None
        cells += [esc(fmt_effect(first["cliffs_delta"])) if first is not None else "–",
                  esc(fmt_p(first["q"])) if first is not None else "–"]
        rows.append(cells)
    return _table([], rows, "values", head_html=head) + (
        f'<p class="note">{len(comp.documents)} documents: per-document values are in documents.csv.</p>')


def _role_heads(roles: list[tuple[str, int]], rows: int = 1) -> str:
    """Header cells of the per-role mean columns (groups that pool declared roles), ``rows`` header rows tall."""
    span = f' rowspan="{rows}"' if rows > 1 else ""
    return "".join(f'<th{span}>declared {esc(r)} (n={n})<br><span class="muted">mean</span></th>'
                   for r, n in roles)


def _significance_note(comp: Comparison) -> str:
    text, caveat = significance_note(comp)
    if not text:
        return ""
    return f'<p class="{"caveat" if caveat else "lead"}">{esc(text)}</p>'


def _value_table(comp: Comparison, features: pd.DataFrame) -> str:
    """Rows = features; columns = documents grouped by group, then the comparison statistics."""
    if len(comp.documents) > MAX_DOCUMENT_COLUMNS:
        return _summary_table(comp, features)
    docs_by_group = _docs_by_group(comp)
    labels = _doc_labels(comp)
    values = comp.documents.set_index("id")
    tested = is_tested(comp)
    head1 = '<tr><th rowspan="2">feature</th>' + "".join(
        f'<th colspan="{len(ids)}" class="gh g{i}">{esc(g)}</th>' for i, (g, ids) in enumerate(docs_by_group.items())
        if ids)
    roles = pooled_roles(comp)
    stat_cols = ["mean", "95% CI", "Cliff's δ", "q"] if tested else ["apart?"]
    head1 += _role_heads(roles, rows=2) + "".join(f'<th rowspan="2">{esc(s)}</th>' for s in stat_cols) + "</tr>"
    head2 = "<tr>" + "".join(f'<th class="doc" title="{esc(d)}">{esc(labels[d])}</th>'
                             for ids in docs_by_group.values() for d in ids) + "</tr>"
    comp_rows = comp.comparison.set_index(["feature", "group"])
    first = comp.groups[0]
    rows = []
    for f in features.itertuples():
        cells = [_feature_cell(f)]
        cells += [_num_cell(values.at[d, f.feature]) for ids in docs_by_group.values() for d in ids]
        cells += [_num_cell(role_mean(comp, role, f.feature)) for role, _ in roles]
        if tested and (f.feature, first) in comp_rows.index:
            r = comp_rows.loc[(f.feature, first)]
            cells += [_num_cell(r["mean"]), esc(f"{fmt(r['ci_low'])}–{fmt(r['ci_high'])}"),
                      esc(fmt_effect(r["cliffs_delta"])), esc(fmt_p(r["q"]))]
        elif tested:
            cells += ["–"] * 4
        else:
            cells.append('<span class="apart" title="no overlap between the groups\' values">◆</span>'
                         if separated(comp, f.feature) else "")
        rows.append(cells)
    note = ('<p class="note">◆ = the groups\' per-document values do not overlap (a description of these '
            "documents, not a test).</p>")
    if tested:
        note = (f'<p class="note">Statistics are for {esc(first)} against {esc(comp.comparison["reference"].iloc[0])}'
                f"{' (all other groups pooled)' if len(comp.groups) > 2 else ''}; comparison.csv has every group.</p>")
    return _table([], rows, "values", head_html=head1 + head2) + note


def _family_panel(comp: Comparison, extractor: str, description: str, snippets: int,
                  all_features: bool = False, heading: bool = True) -> str:
    feats = comp.features[comp.features["extractor"] == extractor]
    shown = feats if all_features else feats[feats["feature"].isin(headline_features(comp))]
    labels = _doc_labels(comp)
    blocks = {}
    for g, ids in _docs_by_group(comp).items():
        exs = [_exemplar_html(x, labels[x.doc_id])
               for x in group_exemplars(comp.evidence, ids, extractor, snippets, MAX_EXEMPLARS_PER_GROUP)]
        blocks[g] = "".join(exs) or '<p class="empty">No cue of this family fired in these documents.</p>'
    silent = [f for f in shown["feature"] if _all_zero(comp.documents[f])]
    if len(silent) < len(shown):
        shown = shown[~shown["feature"].isin(silent)]
    hidden = feats[~feats["feature"].isin(shown["feature"])]
    what = "the counts behind these rates" + (f" and {len(silent)} feature(s) that are 0 in every document"
                                               if silent and len(hidden) > len(silent) else "")
    if silent and len(hidden) == len(silent):
        what = "feature(s) that are 0 in every document"
    extra = (f'<details><summary>{len(hidden)} more: {esc(what)}</summary>'
             f"{_value_table(comp, hidden)}</details>") if len(hidden) else ""
    title = f'<h3>{esc(extractor.replace("_", " "))}</h3>' if heading else ""
    return (f'<section class="family" id="family-{esc(extractor)}">{title}'
            f'<p class="desc">{esc(description)}</p>{_value_table(comp, shown)}{extra}'
            f'<h4 class="exh">Sentences with the most cues (highlighted)</h4>{_columns(comp.groups, blocks)}</section>')


def _all_zero(values: pd.Series) -> bool:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool((v == 0).all())


def _features(comp: Comparison, info: MethodsInfo, snippets: int) -> str:
    parts = [('<section id="features"><h2>Feature families, side by side</h2>'
             '<p class="lead">Per-document values of every feature (hover a name for its meaning and direction), '
             "and the sentences where the family's cues fired. "
             '<mark class="v-author">author\'s own words</mark> '
             '<mark class="v-quoted">inside a quotation</mark> '
             '<mark class="v-reported">reported speech</mark></p>')]
    for extractor in dict.fromkeys(comp.features["extractor"]):
        if extractor == CREDIBILITY:
            parts.append('<p class="note">Credibility signals have <a href="#credibility">their own section</a>.</p>')
            continue
        parts.append(_family_panel(comp, extractor, info.descriptions.get(extractor, ""), snippets))
    parts.append("</section>")
    return "".join(parts)


def _examples_cell(examples: Any, labels: dict[str, str], limit: int) -> str:
    """The first example in context, and up to ``limit - 1`` more behind a disclosure triangle."""
    if not isinstance(examples, list) or not examples:
        return ""
    items = [f'<li>{_kwic(x)} <cite>{esc(labels.get(str(x.get("doc_id")), x.get("doc_id")))}</cite></li>'
             for x in examples[:limit]]
    more = (f'<details><summary>{len(items) - 1} more</summary><ul class="kwic">{"".join(items[1:])}</ul></details>'
            if len(items) > 1 else "")
    return f'<ul class="kwic">{items[0]}</ul>{more}'


def _pairs(value: Any, limit: int = 6) -> str:
    """'advocating 2, aims 2' from a list of [word, count] pairs (or a dict)."""
    if isinstance(value, dict):
        value = sorted(value.items())
    if not isinstance(value, (list, tuple)):
        return ""
    items = [f"{esc(p[0])}&nbsp;{esc(p[1])}" if isinstance(p, (list, tuple)) and len(p) == 2 else esc(p)
             for p in list(value)[:limit]]
    return ", ".join(items)


def _term_rows(sub: pd.DataFrame, groups: Sequence[str], labels: dict[str, str], examples: int) -> list[list[str]]:
    return [[f'<strong>{esc(r["surface"] or r["term"])}</strong>', _num_cell(r["z"]),
             f'{esc(fmt(int(r["n"])))} <span class="muted">({esc(fmt(int(r["n_rest"])))} elsewhere)</span>',
             _examples_cell(r["examples"], labels, examples)] for r in sub.to_dict("records")]


def _formula_rows(sub: pd.DataFrame, groups: Sequence[str], labels: dict[str, str], examples: int) -> list[list[str]]:
    rows = []
    for r in sub.to_dict("records"):
        kind = f' <span class="muted">{esc(r["kind"])}</span>' if r.get("kind") else ""
        rows.append([f'<strong>{esc(r["phrase"])}</strong>{kind}',
                     f'{esc(fmt(int(r["count"])))} <span class="muted">in {esc(fmt(int(r["n_docs"])))} doc(s)</span>',
                     _pairs(r.get("other_groups")) or "–", _examples_cell(r["examples"], labels, examples)])
    return rows


def _actor_list(sub: pd.DataFrame, labels: dict[str, str], examples: int) -> str:
    """One block per actor: kind and mentions, what it does as a subject, what is its, the words around it
    (``top_context``, when the table has it), and one sentence in context."""
    items = []
    for r in sub.to_dict("records"):
        refers = f' = {esc(r["refers_to"])}' if r.get("refers_to") and r["refers_to"] != r["actor"] else ""
        does = _pairs(r.get("top_predicates"))
        has = _pairs(r.get("top_attributes"))
        around = _pairs(r.get("top_context"))
        items.append(
            f'<li><strong>{esc(r["actor"])}</strong> <span class="muted">{esc(r["kind"])}{refers} · '
            f'{esc(fmt(int(r["mentions"])))} mention(s), {esc(fmt(int(r["as_subject"])))} as subject</span>'
            + (f'<div class="pred"><span class="k">does</span> {does}</div>' if does else "")
            + (f'<div class="pred"><span class="k">its</span> {has}</div>' if has else "")
            + (f'<div class="pred"><span class="k">words</span> {around}</div>' if around else "")
            + _examples_cell(r["examples"], labels, examples) + "</li>")
    return f'<ul class="actors">{"".join(items)}</ul>'


#: Known table shapes of framing.terms: required columns, header, row renderer.
_LEXICAL = {
    "terms": ({"surface", "term", "z", "n", "n_rest", "examples"}, ["term", "z", "uses", "in context"], _term_rows),
    "formulae": ({"phrase", "count", "n_docs", "examples"}, ["formula", "uses", "other groups", "in context"],
                 _formula_rows),
}


def _lexical_section(comp: Comparison, table: pd.DataFrame, anchor: str, title: str, lead: str, limit: int,
                     examples: int) -> str:
    """Per-group columns of a terms/formulae/actors table, each row with its examples in context."""
    if table.empty or "group" not in table.columns:
        return (f'<section id="{anchor}"><h2>{esc(title)}</h2><p class="lead">{lead}</p>'
                '<p class="empty">Nothing to show for these documents.</p></section>')
    labels = _doc_labels(comp)
    required, header, render = _LEXICAL.get(anchor, (None, None, None))
    blocks = {}
    for g in comp.groups:
        sub = table[table["group"] == g].head(limit)
        if sub.empty:
            blocks[g] = '<p class="empty">None.</p>'
        elif anchor == "actors" and {"actor", "kind", "mentions", "as_subject", "examples"} <= set(table.columns):
            blocks[g] = _actor_list(sub, labels, examples)
        elif required is not None and required <= set(table.columns):
            blocks[g] = _table(header, render(sub, comp.groups, labels, examples), f"lex {anchor}")
        else:
            blocks[g] = _generic_lexical(sub, labels, examples)
    return (f'<section id="{anchor}"><h2>{esc(title)}</h2><p class="lead">{lead}</p>'
            f"{_columns(comp.groups, blocks)}</section>")


def _generic_lexical(sub: pd.DataFrame, labels: dict[str, str], examples: int) -> str:
    cols = [c for c in sub.columns if c not in ("group", "examples")]
    rows = []
    for r in sub.to_dict("records"):
        cells = [f"<strong>{esc(r[cols[0]])}</strong>"]
        cells += [_num_cell(r[c]) if isinstance(r[c], (int, float)) else esc(r[c]) for c in cols[1:]]
        rows.append(cells + [_examples_cell(r.get("examples"), labels, examples)])
    return _table([esc(c.replace("_", " ")) for c in cols] + ["in context"], rows, "lex")


def _frames(comp: Comparison) -> str:
    lead = ("Share of each of the 14 generic policy frames (Boydstun et al. 2014 codebook, as used in SemEval-2023 "
            "Task 3) among a group's frame cues. <strong>Lexicon-based</strong>: a frame counts when one of its "
            "cue words occurs, which is a transparent but rough proxy for how a text frames the issue.")
    if comp.frames.empty:
        return f'<section id="frames"><h2>Frames</h2><p class="lead">{lead}</p><p class="empty">No frame cue fired.</p></section>'
    chart = charts.frames_chart(comp.frames, comp.groups)
    wide = comp.frames.pivot(index="frame", columns="group", values="share")
    cues = comp.frames.pivot(index="frame", columns="group", values="cues")
    names = dict(zip(comp.frames["frame"], comp.frames["label"]))
    order = list(dict.fromkeys(comp.frames["frame"]))
    rows = [[esc(names[f])] + [f'<span class="num">{100 * wide.at[f, g]:.1f}%</span> <span class="muted">'
                               f'({esc(fmt(int(cues.at[f, g])))})</span>' for g in comp.groups] for f in order]
    table = _table(["frame"] + [_group_tag(g, comp.groups) for g in comp.groups], rows, "frames") + \
        '<p class="note">Share of the group\'s frame cues (number of cues).</p>'
    labels = _doc_labels(comp)
    blocks = {}
    frame_cats = {c for c in comp.evidence["category"].unique() if str(c).startswith("frame")}
    for g, ids in _docs_by_group(comp).items():
        blocks[g] = "".join(_exemplar_html(x, labels[x.doc_id])
                            for x in group_exemplars(comp.evidence, ids, "framing", 2, MAX_EXEMPLARS_PER_GROUP,
                                                     frame_cats)) or '<p class="empty">No frame cue.</p>'
    return (f'<section id="frames"><h2>Frames</h2><p class="lead">{lead}</p>'
            f'<div class="split"><figure>{chart}</figure><div>{table}</div></div>'
            f'<h4 class="exh">Sentences with the most frame cues</h4>{_columns(comp.groups, blocks)}</section>')


def _modality(comp: Comparison) -> str:
    if comp.modality.empty:
        return ""
    wide = comp.modality.pivot(index="category", columns="group", values="per_1k")
    rows = [[esc(MODALITY_LABELS.get(c, c.replace("_", " ")))] + [_num_cell(wide.at[c, g]) for g in comp.groups]
            for c in wide.index]
    return ('<section id="modality" class="family"><h3>Modality and voice</h3><p class="desc">Cues per 1,000 words, '
            "mean over the group's documents: deontic (should, must, need to) vs epistemic modality, institutional "
            "first person vs third-person analysis.</p>"
            + _table(["cue type"] + [_group_tag(g, comp.groups) for g in comp.groups], rows, "values") + "</section>")


def _credibility(comp: Comparison, info: MethodsInfo, snippets: int) -> str:
    """Every credibility signal (counts included: a quote or a citation count is itself a signal), with evidence."""
    if comp.features[comp.features["extractor"] == CREDIBILITY].empty:
        return ""
    panel = _family_panel(comp, CREDIBILITY, info.descriptions.get(CREDIBILITY, ""), snippets, all_features=True,
                          heading=False)
    return ('<section id="credibility"><h2>Credibility signals</h2><p class="lead">How each text supports its '
            "claims. These describe the presentation; they are not a verdict on whether a text is true.</p>"
            + panel.replace('<section class="family"', '<div class="family"').replace("</section>", "</div>")
            + "</section>")


def runner_up_text(row: dict, prob_cols: pd.DataFrame) -> str:
    """'news 0.47 / official 0.37': the two most probable types of an uncertain call."""
    probs = sorted(((row[p.feature], p.feature.rsplit("_p_", 1)[-1]) for p in prob_cols.itertuples()
                    if isinstance(row[p.feature], float) and not math.isnan(row[p.feature])), reverse=True)
    return " / ".join(f"{name} {value:.2f}" for value, name in probs[:2])


def _source_types(comp: Comparison, max_rows: int = 40) -> str:
    docs = comp.documents
    if not docs["detected_type"].astype(bool).any():
        return ""
    prob_cols = comp.features[(comp.features["extractor"] == SOURCE_TYPE)
                              & comp.features["label"].str.startswith("probability")]
    rows = []
    shown, n_disagree = source_type_rows(docs, max_rows)
    for r in shown.to_dict("records"):
        declared, detected = r["role"] or "", r["detected_type"] or ""
        agree = "–" if not declared or not detected else ("agrees" if declared == detected else "<strong>differs</strong>")
        probs = ", ".join(f"{p.feature.rsplit('_p_', 1)[-1]} {r[p.feature]:.2f}" for p in prob_cols.itertuples()
                          if isinstance(r[p.feature], float) and not math.isnan(r[p.feature]))
        why = f'<br><span class="muted">pushed by: {esc(r["detected_cues"])}</span>' if r["detected_cues"] else ""
        shown_type = esc(detected or "–")
        if detected and r.get("source_type_uncertain") == 1:
            shown_type = f'{esc(detected)}? <span class="muted">(uncertain: {esc(runner_up_text(r, prob_cols))})</span>'
        rows.append([esc(r["label"]), _group_tag(r["group"], comp.groups), esc(declared or "not declared"),
                     shown_type, agree, f'<span class="muted">{esc(probs)}</span>{why}'])
    return ('<section id="source-type"><h2>Source type: declared vs detected</h2><p class="lead">The role given in '
            "the metadata next to the type the source-type model detects from the text alone. A disagreement is "
            "worth a look: a commentary piece that reads like an official statement, or the reverse. A type marked "
            "'?' is an uncertain call: its two most likely types are within 0.15 of each other.</p>"
            + _table(["document", "group", "declared role", "detected type", "", "detected from the text"], rows)
            + (f'<p class="note">{len(shown)} of {len(docs)} documents shown, disagreements first '
               f"({n_disagree} in all); every document is in documents.csv.</p>" if len(shown) < len(docs)
               else "") + "</section>")


def _documents(comp: Comparison, snippets: int, max_cards: int) -> str:
    docs = comp.documents
    headline = [f for f in headline_features(comp)]
    cards = []
    order = {g: i for i, g in enumerate(comp.groups)}
    first = np.lexsort((docs["id"].to_numpy(dtype=str), docs["group"].map(order).to_numpy()))[:max_cards]
    for r in docs.iloc[first].to_dict("records"):  # by group, then id: the cards, not a sorted copy of the table
        meta = " · ".join(esc(x) for x in (r["outlet"], f"dated {r['date']}" if r["date"] else "no date",
                                           r["role"] and f"declared {r['role']}",
                                           r["detected_type"] and f"detected {r['detected_type']}") if x)
        n_ev = comp.evidence[comp.evidence["doc_id"] == r["id"]]
        fam_counts = n_ev.groupby("extractor").size()
        counts = " · ".join(f"{esc(k)} {int(v)}" for k, v in fam_counts.items())
        exs = "".join(_exemplar_html(x, r["label"]) for x in exemplars(comp.evidence, r["id"], None, snippets))
        na = f'<p class="caveat">Not scored: {esc(r["na_reason"])}</p>' if r["na_reason"] else ""
        top = _card_values(comp, r, headline)
        cards.append(f'<article class="card g{comp.groups.index(r["group"])}" id="doc-{esc(r["id"])}">'
                     f'<h3>{_group_tag(r["group"], comp.groups)} {esc(r["title"])}</h3>'
                     f'<p class="meta">{meta}</p><p class="meta">{esc(fmt(int(r["n_words"])))} words · '
                     f'{esc(fmt(int(r["n_sentences"])))} sentences · id <code>{esc(r["id"])}</code> · '
                     f'<code>{esc(r["path"])}</code></p>{na}'
                     f'<p class="meta">cues fired: {counts or "none"}</p>{furniture_html(comp, r["id"])}'
                     f'{top}{exs}</article>')
    more = (f'<p class="note">{len(docs) - max_cards} more documents are in documents.csv.</p>'
            if len(docs) > max_cards else "")
    return (f'<section id="documents"><h2>Documents</h2><div class="cards">{"".join(cards)}</div>{more}</section>')


def _card_values(comp: Comparison, r: dict[str, Any], features: list[str], top: int = 6) -> str:
    """The document's most unusual feature values relative to the corpus (largest |z|), as a small list."""
    docs = comp.documents
    scored = []
    for f in features:
        col = pd.to_numeric(docs[f], errors="coerce")
        sd = col.std(ddof=0)
        v = r[f]
        if not isinstance(v, (int, float)) or (isinstance(v, float) and math.isnan(v)) or not sd or math.isnan(sd):
            continue
        scored.append((-abs((v - col.mean()) / sd), f, v, (v - col.mean()) / sd))
    scored.sort()
    labels = comp.features.set_index("feature")["label"]
    items = "".join(f'<li><span class="{"hi" if z > 0 else "lo"}">{"▲" if z > 0 else "▼"}</span> '
                    f'<span title="{esc(labels[f])}">{esc(_clip(labels[f], 64))}</span> '
                    f'<span class="num">{esc(fmt(v))}</span></li>' for _, f, v, z in scored[:top])
    return (f'<p class="meta">Furthest from the corpus mean (▲ above, ▼ below):</p><ul class="stand">{items}</ul>'
            if items else "")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _inline_code(text: str) -> str:
    """Escape, then show reStructuredText ``literals`` as <code>."""
    return re.sub(r"``(.+?)``", r"<code>\1</code>", esc(text))


def _methods(comp: Comparison, info: MethodsInfo, evidence_note: str = "") -> str:
    lex_rows = [[esc(x["name"]), esc(x.get("version", "")), f'<code>{esc(x.get("sha256", "")[:12])}</code>',
                 esc(x.get("entries", "")), esc(x.get("source", "")), esc(x.get("licence", "")), esc(x["used_by"])]
                for x in info.lexicons]
    model_rows = [[esc(x["name"]), esc(x.get("version", "")), f'<code>{esc(x.get("sha256", "")[:12])}</code>',
                   esc(x.get("source", "") or x.get("path", "")), f'<span class="muted">{esc(details(x))}</span>',
                   esc(x["used_by"])] for x in info.models]
    other_rows = [[esc(x["name"]), esc(x.get("source", "")), f'<span class="muted">{esc(details(x))}</span>',
                   esc(x.get("licence", "")), esc(x["used_by"])] for x in info.other]
    ex_rows = [[esc(x["name"]), esc(x["version"]), esc(info.descriptions.get(x["name"], ""))] for x in info.extractors]
    notes = "".join(f"<h4>{esc(title)}</h4><p class=\"doc\">{_inline_code(text)}</p>" for title, text in info.notes)
    stats = (f"Groups: {esc(comp.grouping.get('basis', ''))}. Unit of analysis: "
             f"{esc(comp.grouping.get('unit_reason', comp.grouping.get('resample_unit', 'document')))}. Per group: mean and median of the per-document values, "
             f"95% percentile bootstrap interval of the mean ({info.n_boot} resamples of whole "
             f"{esc(units_named(str(comp.grouping.get('resample_unit', 'document'))))}), Cliff's delta and Hedges' g against the "
             f"other group(s), a two-sided permutation p-value of the mean difference ({info.n_perm} relabelings, "
             "exact when there are fewer labelings), Benjamini-Hochberg q across features. Seed "
             f"{esc(info.seed)}. No test, interval or effect size is given for a group of a single document. Findings: one per construct (columns measuring the same thing merged), ranked by effect weighted by support; thin when resting on fewer than 5 cues or carried by one document. Distinctive terms: log-odds "
             "ratio with an informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008), z-scores.")
    return ('<section id="methods"><h2>Methods and provenance</h2>'
            f"<p>{stats}</p><h3>Extractors</h3>" + _table(["extractor", "version", "what it measures"], ex_rows)
            + "<h3>Lexicons</h3>" + (_table(["name", "version", "sha256", "entries", "source", "licence", "used by"],
                                            lex_rows) if lex_rows else "<p>None.</p>")
            + "<h3>Models</h3>" + (_table(["name", "version", "sha256", "source", "details", "used by"], model_rows)
                                   if model_rows else "<p>None.</p>")
            + ("<h3>Other resources</h3>" + _table(["name", "source", "details", "licence", "used by"], other_rows)
               if other_rows else "")
            + f"<h3>Software</h3><p>{esc(info.software)}</p>{notes}"
            "<p class=\"note\">Input file hashes, options and the generation time are in run.json; "
            f"every number in this page is in the CSV files next to it. {esc(evidence_note)}</p></section>")


# ---------------------------------------------------------------------------
# the page

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="framing $version">
<title>$title</title>
<style>
$css</style>
</head>
<body>
$body
</body>
</html>
""")


def _css(groups: Sequence[str]) -> str:
    colours = charts.group_colours(groups)
    per_group = "".join(f".g{i}{{--gc:{c}}}\n" for i, c in enumerate(colours.values()))
    return CSS + per_group


CSS = """:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e4e7eb;--soft:#f5f7fa;--accent:#0b4f8a}
*{box-sizing:border-box}
html{scroll-behavior:smooth;scroll-padding-top:52px}
body{margin:0;color:var(--ink);background:#fff;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap,main{max-width:1240px;margin:0 auto;padding:0 28px}
header{background:linear-gradient(180deg,#f4f6f9,#fff);border-bottom:1px solid var(--line);padding:26px 0 16px}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted)}
h1{margin:4px 0 6px;font-size:26px;line-height:1.25}
.sub{margin:0;color:var(--muted)}
nav{position:sticky;top:0;z-index:2;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line)}
nav .wrap{display:flex;flex-wrap:wrap;gap:2px 18px;padding-top:9px;padding-bottom:9px}
nav a{color:var(--accent);text-decoration:none;font-size:14px}
nav a:hover{text-decoration:underline}
section{padding:8px 0 18px;border-bottom:1px solid var(--line)}
section.family{border-bottom:1px dashed var(--line)}
h2{font-size:21px;margin:26px 0 8px}
h3{font-size:17px;margin:20px 0 6px;text-transform:capitalize}
h4{font-size:14px;margin:12px 0 6px}
.lead,.desc{color:#3e4c59;max-width:900px;margin:4px 0 12px}
.note,.muted,.meta{color:var(--muted);font-size:13px}
.meta{margin:2px 0}
.caveat{background:#fff8e6;border:1px solid #f3d48b;border-left:4px solid #e0a800;padding:10px 14px;border-radius:4px;max-width:960px;margin:10px 0 14px}
.findings{padding-left:22px;max-width:980px}
.findings li{margin:6px 0}
.fam{display:inline-block;width:104px;font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
a.more{margin-left:8px;font-size:12px;color:var(--accent);text-decoration:none}
figure{margin:12px 0;max-width:860px}
.split{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:28px;align-items:start}
figcaption{color:var(--muted);font-size:13px}
svg.chart{width:100%;height:auto}
.scroll{overflow-x:auto;margin:6px 0 10px}
table{border-collapse:collapse;font-size:13.5px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;font-size:12.5px}
th.gh{border-top:3px solid var(--gc);text-align:center}
th.doc{font-weight:500;white-space:nowrap}
td .num{white-space:nowrap}
table.terms td:nth-child(2),table.terms td:nth-child(3){white-space:nowrap}
ul.actors{list-style:none;padding:0;margin:0}
ul.actors>li{border-bottom:1px solid var(--line);padding:7px 0}
.pred{font-size:13px;margin:2px 0}
.k{display:inline-block;width:42px;color:var(--muted);font-size:12px}
table.values td:not(:first-child){text-align:right}
.flabel{cursor:help}
.dir{font-size:12px;color:#8a94a3}
.tag{display:inline-block;padding:0 7px;border-radius:9px;background:var(--gc);color:#fff;font-size:12px;font-weight:600;vertical-align:1px}
.cols{display:grid;grid-template-columns:repeat(var(--n),minmax(0,1fr));gap:22px}
.col{border-top:3px solid var(--gc);padding-top:4px;min-width:0}
.col h4{margin:6px 0}
blockquote.ex{margin:8px 0 12px;padding:6px 12px;border-left:3px solid var(--gc,#ccc);background:#fafbfc}
blockquote.ex p{margin:0 0 3px}
cite{font-style:normal;color:var(--muted);font-size:12px}
.snote{margin-left:10px;font-size:12px;color:#7a5a00;background:#fff4d6;padding:0 6px;border-radius:8px}
mark{background:#fde68a;color:inherit;padding:0 2px;border-radius:2px}
mark.v-quoted{background:#e5e7eb;border-bottom:2px dotted #52606d}
mark.v-reported{background:#dbeafe;border-bottom:2px dashed #2563eb}
ul.kwic{margin:0;padding-left:0;list-style:none;font-size:13px}
ul.kwic li{margin:2px 0}
table.lex td{font-size:13px}
.empty{color:var(--muted);font-style:italic}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:18px}
.card{border:1px solid var(--line);border-top:4px solid var(--gc);border-radius:6px;padding:10px 16px 6px}
.card h3{text-transform:none;margin:6px 0}
ul.stand{columns:2;font-size:13px;padding-left:0;list-style:none;margin:8px 0}
ul.stand li{break-inside:avoid;margin:1px 0}
.apart{color:#0b4f8a}
.hi{color:#0b7a3e}.lo{color:#b42318}
details{margin:4px 0 10px}
summary{cursor:pointer;color:var(--accent);font-size:13px}
p.doc{font-size:13.5px;background:var(--soft);padding:10px 12px;border-radius:4px;max-width:980px}
code{font-size:12px}
footer{color:var(--muted);font-size:12px;padding:18px 0 40px}
.unit{background:#eef5fb;border:1px solid #c7dcef;border-left:4px solid var(--accent);padding:8px 14px;border-radius:4px;max-width:1100px;margin:8px 0 10px}
.unit.caveat{background:#fff8e6;border-color:#f3d48b;border-left-color:#e0a800}
.small{font-size:13.5px;padding:6px 12px}
ol.findings{padding-left:24px;max-width:1180px;margin:6px 0}
ol.findings>li{margin:4px 0 12px}
p.fsent{margin:0 0 4px;font-weight:500}
.aspect{display:inline-block;min-width:78px;font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;font-weight:400}
.fquotes{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:10px}
blockquote.fq{margin:0;padding:4px 10px;border-left:3px solid var(--gc,#ccc);background:#fafbfc;font-size:13.5px}
blockquote.fq p{margin:0 0 2px}
p.support{margin:2px 0 0;font-size:12.5px;color:var(--muted)}
p.cues{margin:2px 0 0;font-size:12px;color:#7a5a00}
details.thin{font-size:13.5px;max-width:1100px}
ul.caveats{font-size:13.5px;color:#3e4c59;max-width:1100px;padding-left:20px}
ul.caveats li.warn{color:#8a5a00}
.fchart{max-width:1100px}
table.echo td{font-size:13px}
.how{display:inline-block;min-width:70px;font-size:11px;text-transform:uppercase;font-weight:600}
.how.quoted{color:#52606d}.how.adopted{color:#0b7a3e}.how.contested{color:#b42318}
.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px;border-bottom:1px dashed var(--line);padding:8px 0}
.pair blockquote.fq{margin-bottom:6px}
ul.furn{font-size:12.5px;margin:2px 0 6px;padding-left:18px}
.k2{display:inline-block;min-width:84px;color:var(--muted);font-size:11px;text-transform:uppercase}
h2,h3,h4{scroll-margin-top:60px}
@media (max-width:900px){.cols,.split,.pair{grid-template-columns:1fr}.cards{grid-template-columns:1fr}nav{position:static}html{scroll-padding-top:0}}
@media print{nav{display:none}html{scroll-padding-top:0}body{font-size:11pt}header{background:none}
.cards{display:block}.card{break-inside:avoid;margin-bottom:10px}section{break-inside:auto}h2,h3{break-after:avoid}
details>summary{display:none}details::details-content{content-visibility:visible;display:contents}
details>*{display:block}.scroll{overflow:visible}a.more,a[href^="#"]{color:inherit;text-decoration:none}
blockquote,tr,li{break-inside:avoid}}
"""


def render_html(comp: Comparison, info: MethodsInfo, *, snippets: int = 2, top: int = 10, examples: int = 2,
                max_cards: int = 40, evidence_note: str = "") -> str:
    """The report page as a string (see module docstring for the guarantees).

    ``evidence_note`` says where the evidence table went (evidence.csv, evidence.csv.gz, or not written).
    """
    sections = [
        ("overview", overview_html(comp)),
        ("form", form_html(comp)),
        ("echoes", echo_html(comp)),
        ("claims", aligned_html(comp)),
        ("features", _features(comp, info, snippets)),
        ("terms", _lexical_section(comp, comp.terms, "terms", "Distinctive terms",
                                   "Words and phrases each group uses more than the other, by the log-odds ratio with "
                                   "an informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008). The z-score "
                                   "treats every word as an independent draw, so with few documents read it as a "
                                   "ranking, not a test. Each with its use in context.", 15, examples)),
        ("formulae", _lexical_section(comp, comp.formulae, "formulae", "Recurring formulae and slogans",
                                      "Multi-word expressions a group repeats (set phrases such as "
                                      "'win-win cooperation').", 12, examples)),
        ("frames", _frames(comp) + _modality(comp)),
        ("actors", _lexical_section(comp, comp.actors, "actors", "Actors and how each group presents them",
                                    "Countries, organisations and people each group names: what they do when they "
                                    "are the subject (does), what is theirs (its), the words around them (words).",
                                    12, examples)),
        ("credibility", _credibility(comp, info, snippets)),
        ("source-type", _source_types(comp, max_cards)),
        ("documents", _documents(comp, snippets, max_cards)),
        ("methods", _methods(comp, info, evidence_note)),
    ]
    present = {a for a, s in sections if s}
    body = (_header(comp, info) + _nav(present) + "<main>" + "".join(s for _, s in sections)
            + f'<footer>Generated by framing {esc(info.framing_version)}. No scripts, no external resources: '
              "this file works offline.</footer></main>")
    return _PAGE.substitute(version=esc(info.framing_version), title=esc(info.title), css=_css(comp.groups),
                            body=body)

"""The report as Markdown: the same findings and tables as the HTML, for a repository or a notebook.

Document text is made inert for Markdown renderers: HTML special characters
are escaped and pipes and backticks in cells are neutralised, so a snippet
cannot inject markup into a rendered page either.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..compare import Comparison
from ..echo import echo_summary
from .constructs import FORM, FRAMING, finding_sentence, support_sentence, unit_sentence
from .findings import (
    MAX_DOCUMENT_COLUMNS,
    MAX_EXEMPLARS_PER_GROUP,
    fmt,
    fmt_effect,
    fmt_p,
    group_exemplars,
    headline_features,
    is_tested,
    non_overlapping,
    one_group_sentence,
    significance_note,
    small_groups_sentence,
    source_type_rows,
)
from .methods import MethodsInfo
from .sections import (
    THIN_LISTED,
    comparable,
    group_caveats,
    group_names,
    no_headline_sentence,
    overview_findings,
    pooled_roles,
    role_mean,
    thin_by_reason,
)

__all__ = ["md", "render_markdown"]

_SPACE_RE = re.compile(r"\s+")


def md(value: Any) -> str:
    """Escape text for a Markdown table cell or paragraph."""
    s = html.escape("" if value is None else str(value), quote=False)
    for ch in ("\\", "|", "`", "*", "_", "[", "]"):
        s = s.replace(ch, "\\" + ch)
    return _SPACE_RE.sub(" ", s)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _bold_cues(text: str, spans: tuple) -> str:
    out, pos = [], 0
    for start, end, voice, _labels in non_overlapping(spans):
        out.append(md(text[pos:start]))
        mark = "**" if voice == "author" else "*"
        out.append(f"{mark}{md(text[start:end])}{mark}")
        pos = end
    out.append(md(text[pos:]))
    return "".join(out)


def _summary(comp: Comparison, features: pd.DataFrame) -> str:
    """Per group: mean [95% CI] and median (used above :data:`MAX_DOCUMENT_COLUMNS` documents)."""
    cr = comp.comparison.set_index(["feature", "group"])
    sizes = comp.group_sizes()
    roles = pooled_roles(comp)
    header = ["feature"] + [f"{md(g)} (n={sizes[g]}) mean [CI] · median" for g in comp.groups] + \
        [f"declared {md(r)} (n={n}) mean" for r, n in roles] + ["Cliff's δ", "q"]
    rows = []
    for f in features.itertuples():
        row = [md(f.label)]
        for g in comp.groups:
            r = cr.loc[(f.feature, g)] if (f.feature, g) in cr.index else None
            row.append("–" if r is None else
                       f"{fmt(r['mean'])} [{fmt(r['ci_low'])}–{fmt(r['ci_high'])}] · {fmt(r['median'])}")
        row += [fmt(role_mean(comp, role, f.feature)) for role, _ in roles]
        first = cr.loc[(f.feature, comp.groups[0])] if (f.feature, comp.groups[0]) in cr.index else None
        row += ["–", "–"] if first is None else [fmt_effect(first["cliffs_delta"]), fmt_p(first["q"])]
        rows.append(row)
    return _table(header, rows)


def _values(comp: Comparison, features: pd.DataFrame) -> str:
    docs = comp.documents
    if len(docs) > MAX_DOCUMENT_COLUMNS:
        return _summary(comp, features)
    roles = pooled_roles(comp)
    header = ["feature"] + [f"{md(lbl)} ({md(g)})" for lbl, g in zip(docs["label"], docs["group"])] + \
        [f"declared {md(r)} (n={n}) mean" for r, n in roles]
    tested = is_tested(comp)
    first = comp.groups[0]
    cr = comp.comparison.set_index(["feature", "group"])
    if tested:
        header += [f"{md(first)} mean", "95% CI", "Cliff's δ", "q"]
    rows = []
    for f in features.itertuples():
        row = [md(f.label)] + [fmt(v) for v in docs[f.feature]] + [fmt(role_mean(comp, r, f.feature)) for r, _ in roles]
        if tested and (f.feature, first) in cr.index:
            r = cr.loc[(f.feature, first)]
            row += [fmt(r["mean"]), f"{fmt(r['ci_low'])}–{fmt(r['ci_high'])}", fmt_effect(r["cliffs_delta"]), fmt_p(r["q"])]
        rows.append(row)
    return _table(header, rows)


def _cell(value: Any) -> str:
    """A table cell: numbers formatted, [word, count] pairs as 'word 2, …', lists and dicts flattened."""
    if isinstance(value, float):
        return fmt(value)
    if isinstance(value, dict):
        value = sorted(value.items())
    if isinstance(value, (list, tuple)):
        parts = [f"{p[0]} {p[1]}" if isinstance(p, (list, tuple)) and len(p) == 2 else str(p) for p in value[:8]]
        return md(", ".join(parts)) or "–"
    return md(value)


def _lexical(table: pd.DataFrame, groups: Sequence[str], limit: int) -> str:
    if table.empty or "group" not in table.columns:
        return "Nothing to show for these documents.\n"
    cols = [c for c in table.columns if c not in ("group", "examples")]
    out = []
    for g in groups:
        sub = table[table["group"] == g].head(limit)
        out.append(f"**{md(g)}**\n")
        rows = []
        for r in sub.to_dict("records"):
            ex = (r.get("examples") or [{}])[0] if isinstance(r.get("examples"), list) else {}
            context = ""
            if ex:
                s, at, n = str(ex.get("sentence_text", "")), int(ex.get("at", 0)), int(ex.get("length", 0))
                left, right = s[max(0, at - 60):at], s[at + n:at + n + 60]
                if at > 60 and " " in left:
                    left = "…" + left[left.index(" ") + 1:]
                if at + n + 60 < len(s) and " " in right:
                    right = right[:right.rindex(" ")] + "…"
                context = md(left) + f"**{md(s[at:at + n])}**" + md(right)
            rows.append([_cell(r[c]) for c in cols] + [context])
        out.append(_table([md(c) for c in cols] + ["in context"], rows) if rows else "None.\n")
    return "\n".join(out)


def _findings_md(comp: Comparison, kind: str) -> list[str]:
    """Numbered findings with a quote from each side, then the thin ones."""
    names = group_names(comp)
    solid, thin = overview_findings(comp, kind)
    out = []
    sizes = comp.group_sizes()
    for i, f in enumerate(solid, 1):
        out.append(f"{i}. [{md(f.construct.aspect)}] {md(finding_sentence(f, names, str(comp.grouping.get('unit'))))}")
        for g in comp.groups if f.construct.evidence else ():
            q = f.quotes.get(g)
            out.append(f"   - {md(g)}: " + (f"“{md(q.text)}”" if q else md(f.missing_quote(g, sizes[g]))))
        out.append(f"   - {md(support_sentence(f))}")
    if not comparable(comp):  # one group, or a group with nothing scored: "nothing differs" would be false
        return out
    if not solid:
        out.append(md(no_headline_sentence(thin, "framing construct" if kind == FRAMING else "difference of form")))
    for label, found in thin_by_reason(thin):
        more = f"; … and {len(found) - THIN_LISTED} more" if len(found) > THIN_LISTED else ""
        out.append(f"\nThin, {md(label)}: " + "; ".join(md(f.construct.name) for f in found[:THIN_LISTED]) + more)
    out.append("")
    return out


def render_markdown(comp: Comparison, info: MethodsInfo, *, snippets: int = 2, top: int = 10,
                    max_rows: int = 200) -> str:
    """The report as one Markdown string; its per-document tables list at most ``max_rows`` documents
    (documents.csv has them all)."""
    sizes = comp.group_sizes()
    tested = is_tested(comp)
    names = group_names(comp)
    out = [f"# {md(info.title)}\n",
           " vs ".join(f"{md(names[g])}: {sizes[g]} document(s)" for g in comp.groups)
           + f"; grouped {md(comp.grouping.get('basis', ''))}. framing {md(info.framing_version)}.\n",
           "## What differs\n", f"**{md(unit_sentence(comp))}**\n"]
    if len(comp.groups) < 2:
        out.append(f"> **Nothing to compare.** {md(one_group_sentence(comp))}\n")
    elif not tested:
        out.append(f"> **No statistical test is possible.** {md(small_groups_sentence(sizes))} A finding means the "
                   "groups' per-document values do not overlap at all; no interval and no effect size.\n")
    note, caveat = significance_note(comp)
    if note:
        out.append(("> " if caveat else "") + md(note) + "\n")
    out += _findings_md(comp, FRAMING)
    out += [f"- {md(c)}" for c in group_caveats(comp)] + [""]
    out.append("## Form\n")
    out.append("Differences of format (Q&A turns, headings, boilerplate, readability), apart from framing.\n")
    out += _findings_md(comp, FORM)
    out.append("## Echoes: official phrases in the other texts\n")
    summary = echo_summary(comp.echo).head(15)
    out.append(_table(["phrase", "source", "official uses", "other documents", "quoted", "adopted", "contested"],
                      [[md(r["phrase"]), md(r["source"]), fmt(int(r["official_uses"])), fmt(int(r["docs"])),
                        fmt(int(r["quoted"])), fmt(int(r["adopted"])), fmt(int(r["contested"]))]
                       for r in summary.to_dict("records")]) if len(summary) else "None.\n")
    out.append("## Aligned claims\n")
    if comp.aligned.empty:
        out.append("None.\n")
    for claim, sub in (comp.aligned.groupby("claim", sort=True) if not comp.aligned.empty else []):
        out.append(f"- **official**: {md(sub.iloc[0]['key_sentence'])}")
        out += [f"  - {md(r['group'])} ({md(r['voice'])} voice, similarity {r['similarity']:.2f}): {md(r['sentence'])}"
                for r in sub.to_dict("records")]
    out.append("")
    out.append("\n## Feature families\n")
    out.append("Cues in **bold** are the author's own words; in *italics*, quoted or reported speech.\n")
    headline = set(headline_features(comp))
    labels = dict(zip(comp.documents["id"], comp.documents["label"]))
    for extractor in dict.fromkeys(comp.features["extractor"]):
        feats = comp.features[(comp.features["extractor"] == extractor) & comp.features["feature"].isin(headline)]
        out.append(f"### {md(extractor)}\n\n{md(info.descriptions.get(extractor, ''))}\n")
        out.append(_values(comp, feats))
        for group in comp.groups:
            ids = comp.documents.loc[comp.documents["group"] == group, "id"].tolist()
            for ex in group_exemplars(comp.evidence, ids, extractor, snippets, MAX_EXEMPLARS_PER_GROUP):
                out.append(f"- ({md(group)}, {md(labels[ex.doc_id])}) {_bold_cues(ex.text, ex.spans)}")
        out.append("")
    out.append("## Distinctive terms\n")
    out.append("Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008); the z-score treats "
               "every word as an independent draw, so with few documents read it as a ranking, not a test.\n")
    out.append(_lexical(comp.terms, comp.groups, 15))
    out.append("## Recurring formulae\n")
    out.append(_lexical(comp.formulae, comp.groups, 12))
    out.append("## Frames (lexicon-based)\n")
    if comp.frames.empty:
        out.append("No frame cue fired.\n")
    else:
        wide = comp.frames.pivot(index="frame", columns="group", values="share")
        names = dict(zip(comp.frames["frame"], comp.frames["label"]))
        order = list(dict.fromkeys(comp.frames["frame"]))
        out.append("Share of each group's frame cues, mean over its documents.\n")
        out.append(_table(["frame"] + [md(g) for g in comp.groups],
                          [[md(names[f])] + [f"{100 * wide.at[f, g]:.1f}%" for g in comp.groups] for f in order]))
    if not comp.modality.empty:
        out.append("### Modality and voice (cues per 1,000 words)\n")
        wide = comp.modality.pivot(index="category", columns="group", values="per_1k")
        out.append(_table(["cue type"] + [md(g) for g in comp.groups],
                          [[md(c)] + [fmt(wide.at[c, g]) for g in comp.groups] for c in wide.index]))
    out.append("## Actors\n")
    out.append("Who each group names, how often, and (in actors.csv) what they do as a subject and what is theirs.\n")
    out.append(_lexical(comp.actors, comp.groups, 12))
    docs = comp.documents
    listed, n_disagree = source_type_rows(docs, max_rows)
    out.append("## Source type: declared vs detected\n")
    out.append(_table(["document", "group", "declared role", "detected type"],
                      [[md(r["label"]), md(r["group"]), md(r["role"] or "not declared"),
                        md((r["detected_type"] + ("? (uncertain)" if r.get("source_type_uncertain") == 1 else ""))
                           if r["detected_type"] else "–")]
                       for r in listed.to_dict("records")]))
    if len(listed) < len(docs):
        out.append(f"{len(listed):,} of {len(docs):,} documents shown, disagreements first "
                   f"({n_disagree:,} in all); every document is in documents.csv.\n")
    out.append("## Documents\n")
    out.append(_table(["label", "group", "title", "outlet", "words", "id"],
                      [[md(r["label"]), md(r["group"]), md(r["title"]), md(r["outlet"]), fmt(int(r["n_words"])),
                        md(r["id"])] for r in docs.head(max_rows).to_dict("records")]))
    if len(docs) > max_rows:
        out.append(f"The first {max_rows:,} of {len(docs):,} documents; every document is in documents.csv.\n")
    out.append("## Methods\n")
    out.append(_table(["extractor", "version", "what it measures"],
                      [[md(x["name"]), md(x["version"]), md(info.descriptions.get(x["name"], ""))]
                       for x in info.extractors]))
    if info.lexicons:
        out.append(_table(["lexicon", "version", "sha256", "source", "licence"],
                          [[md(x["name"]), md(x.get("version", "")), md(x.get("sha256", "")[:12]),
                            md(x.get("source", "")), md(x.get("licence", ""))] for x in info.lexicons]))
    if info.models:
        out.append(_table(["model", "version", "sha256", "used by"],
                          [[md(x["name"]), md(x.get("version", "")), md(x.get("sha256", "")[:12]), md(x["used_by"])]
                           for x in info.models]))
    for title, text in info.notes:
        out.append(f"**{md(title)}**\n\n" + "\n".join("    " + line for line in text.splitlines()) + "\n")
    out.append(f"Software: {md(info.software)}. Options, input hashes and the generation time: run.json.\n")
    return "\n".join(out).rstrip() + "\n"

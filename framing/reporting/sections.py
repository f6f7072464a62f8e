"""The report's analyst-facing sections: overview findings, form, echoes, aligned claims, time spans.

Plain-text facts (:func:`time_spans`, :func:`group_caveats`, :func:`overview_findings`) are shared by
the HTML and Markdown writers; the ``*_html`` functions render them (every document string escaped).
"""
from __future__ import annotations

import html
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..compare import Comparison
from ..echo import ADOPTED, CONTESTED, QUOTED, echo_summary
from . import charts
from .constructs import (
    DETECTED,
    FORM,
    FRAMING,
    Finding,
    Quote,
    finding_sentence,
    findings,
    short_label,
    support_sentence,
    unit_sentence,
)
from .findings import fmt, headline_features, one_group_sentence, significance_note

__all__ = ["THIN_LISTED", "aligned_html", "comparable", "echo_html", "form_html", "group_caveats",
           "no_headline_sentence", "overview_findings", "overview_html", "pooled_roles", "role_mean", "thin_by_reason",
           "time_spans", "unscored_groups"]

#: Findings on the first screen, at most (and at least, when there are enough).
MAX_HEADLINES = 6


def _esc(value: Any) -> str:
    """HTML-escape any value, quotes included (as :func:`framing.reporting.html.esc`)."""
    return html.escape("" if value is None else str(value), quote=True)


def group_names(comp: Comparison) -> dict[str, str]:
    """Group -> display name ("non-official (commentary, news)")."""
    names = comp.grouping.get("names") or {}
    return {g: names.get(g, g) for g in comp.groups}


# ---------------------------------------------------------------------------
# facts

def pooled_roles(comp: Comparison) -> list[tuple[str, int]]:
    """The declared roles and their document counts when the groups pool several roles (else none): each is
    shown as its own column beside the groups' columns."""
    roles = comp.grouping.get("roles") or []
    if len(roles) <= len(comp.groups):
        return []
    counts = comp.documents["role"].value_counts()
    return [(r, int(counts.get(r, 0))) for r in roles]


def role_mean(comp: Comparison, role: str, column: str) -> float:
    """Mean of ``column`` over the documents declared ``role`` (NaN when none has a value)."""
    docs = comp.documents
    v = pd.to_numeric(docs.loc[docs["role"] == role, column], errors="coerce").dropna()
    return float(v.mean()) if len(v) else float("nan")


def time_spans(comp: Comparison) -> dict[str, tuple[str, str, int]]:
    """Group -> (first date, last date, documents dated), ISO dates; ('', '', 0) when none is dated."""
    docs = comp.documents
    dates = pd.to_datetime(docs["date"].fillna("").astype(str).str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    out = {}
    for g in comp.groups:
        d = dates[docs["group"] == g].dropna()
        out[g] = (d.min().date().isoformat(), d.max().date().isoformat(), len(d)) if len(d) else ("", "", 0)
    return out


def unscored_groups(comp: Comparison, names: dict[str, str], sizes: dict[str, int]) -> list[str]:
    """A warning for each group none of whose documents could be scored (every one has an ``na_reason``): its
    values are all missing, so "nothing differs" would be false."""
    docs = comp.documents
    if "na_reason" not in docs.columns:
        return []
    reasons = docs["na_reason"].fillna("").astype(str).str.strip()
    out = []
    for g in comp.groups:
        mine = reasons[(docs["group"] == g).to_numpy()]
        if len(mine) and mine.ne("").all():
            why = "; ".join(f"{n}: {r}" for r, n in mine.value_counts().items())
            out.append(f"Warning: none of the {sizes.get(g, len(mine))} {names.get(g, g)} documents could be scored "
                       f"({why}): the report can measure no difference with that group.")
    return out


def comparable(comp: Comparison) -> bool:
    """Whether "nothing differs" can be said: two groups or more, each with a document that could be scored."""
    return len(comp.groups) >= 2 and not unscored_groups(comp, group_names(comp), comp.group_sizes())


def group_caveats(comp: Comparison) -> list[str]:
    """Plain sentences on what the groups are: pooled genres, time spans, spans that do not overlap."""
    out = []
    names = group_names(comp)
    sizes = comp.group_sizes()
    for g, pooled in (comp.grouping.get("pooled") or {}).items():
        if g in sizes:
            out.append(f"'{names.get(g, g)}' pools {len(pooled)} kinds of text ({', '.join(pooled)}): a difference "
                       "may come from one of them.")
    out += unscored_groups(comp, names, sizes)
    by_model = int((comp.documents["group_basis"] == DETECTED).sum()) if "group_basis" in comp.documents else 0
    if by_model:
        out.append(f"Warning: {by_model} of the {len(comp.documents)} documents are grouped by the source-type "
                   "model's call, and the model reads some of the cues the findings count ('we', quotation, "
                   "attribution, evaluative and negative words): such a finding partly restates how the documents "
                   "were grouped, and says so.")
    spans = time_spans(comp)
    dated = {g: s for g, s in spans.items() if s[2]}
    if dated:
        parts = [f"{g} {s[0] if s[0] == s[1] else f'{s[0]} to {s[1]}'} ({s[2]} of {sizes[g]} dated)"
                 for g, s in dated.items()]  # one day is not a span ('2025-02-15 to 2025-02-15')
        out.append("Time span: " + "; ".join(parts) + ".")
    undated = [g for g, s in spans.items() if not s[2]]
    if undated and dated:
        out.append(f"No date for any {', '.join(undated)} document.")
    if len(dated) >= 2:
        items = list(dated.items())
        for i, (g, (a0, a1, _)) in enumerate(items):
            for h, (b0, b1, _) in items[i + 1:]:
                if a1 < b0 or b1 < a0:
                    out.append(f"Warning: the {g} and {h} documents do not overlap in time ({a0}–{a1} vs "
                               f"{b0}–{b1}): differences may be differences of period or topic.")
        out += _outside_the_others_dates(comp, dated)
    return out


#: Share of a group's dated documents outside the other group's dates above which the report warns of the period.
OUTSIDE_DATES_SHARE = 0.25


def _outside_the_others_dates(comp: Comparison, dated: dict[str, tuple[str, str, int]]) -> list[str]:
    """Warnings for groups whose spans overlap while many of one group's documents lie outside the other's dates:
    70 of 90 official texts from 1961-1977 beside commentary of 2012-2020 read 'official 1961-07-19 to 2022-07-13'
    against 'commentary 2012-09-05 to 2020-07-20', spans that overlap, and no warning was given."""
    docs = comp.documents
    dates = pd.to_datetime(docs["date"].fillna("").astype(str).str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    iso = dates.dt.strftime("%Y-%m-%d")
    out = []
    for g, (a0, a1, n) in dated.items():
        mine = iso[(docs["group"] == g).to_numpy() & dates.notna().to_numpy()]
        for h, (b0, b1, _) in dated.items():
            if h == g or a1 < b0 or b1 < a0:  # (no overlap at all is said above)
                continue
            outside = int(((mine < b0) | (mine > b1)).sum())
            if outside > OUTSIDE_DATES_SHARE * n:
                out.append(f"Warning: {outside} of the {n} dated {g} documents fall outside the {h} documents' "
                           f"dates ({b0} to {b1}): differences may be differences of period or topic.")
    return out


#: the overview findings of the comparison read last, by kind: the HTML and the Markdown report show the same ones,
#: and finding them reads every construct's quotes (seconds on a large report). The comparison and its tables are
#: held weakly: a report's comparison is not kept alive by this, and a table replaced on it finds them again.
_OVERVIEW: dict[str, tuple[list[weakref.ref], tuple[str, ...], tuple[list[Finding], list[Finding]]]] = {}


def _read_from(comp: Comparison) -> list[Any]:
    """The comparison and the tables its findings are read from."""
    tables = [comp.documents, comp.comparison, comp.evidence, comp.features, getattr(comp, "cue_counts", None)]
    return [comp, *(t for t in tables if t is not None)]


def overview_findings(comp: Comparison, kind: str = FRAMING) -> tuple[list[Finding], list[Finding]]:
    """(headline findings, thin findings) of one kind (framing or form)."""
    known = _OVERVIEW.get(kind)
    sources, groups = _read_from(comp), tuple(comp.groups)
    if known is not None and known[1] == groups and len(known[0]) == len(sources) \
            and all(ref() is obj for ref, obj in zip(known[0], sources)):
        return list(known[2][0]), list(known[2][1])
    found = findings(comp, headline_features(comp), kind)
    solid = [f for f in found if not f.thin][:MAX_HEADLINES]
    thin = [f for f in found if f.thin]
    _OVERVIEW[kind] = ([weakref.ref(obj) for obj in sources], groups, (solid, thin))
    return list(solid), list(thin)


#: Why a finding is thin: the start of its reason (constructs._thin, findings()), the label of its list, and what
#: a count of them says, one and several ("12 differ without being significant ..."), in the order listed.
_THIN_KINDS = (("not significant", "not significant at this unit (q ≥ 0.05)",
                ("differs", "differ", " without being significant at this unit (q ≥ 0.05)")),
               ("rests on", "fewer than 5 cues", ("rests", "rest", " on fewer than 5 cues")),
               ("one document carries", "carried by one document", ("is", "are", " carried by one document")),
               ("the values barely separate", "the groups' values barely apart",
                ("barely separates", "barely separate", " the groups' values")))


def thin_by_reason(thin: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """The thin findings grouped by why they are thin, as (label, findings) in :data:`_THIN_KINDS` order (empty
    groups left out)."""
    groups: dict[str, list[Finding]] = {label: [] for _, label, _ in _THIN_KINDS}
    for f in thin:
        label = next((lab for start, lab, _ in _THIN_KINDS if f.thin_reason.startswith(start)), _THIN_KINDS[0][1])
        groups[label].append(f)
    return [(label, found) for label, found in groups.items() if found]


def no_headline_sentence(thin: Sequence[Finding], what: str) -> str:
    """Why nothing is a headline, from the thin findings' reasons: 'No framing construct is a headline: 12 differ
    without being significant at this unit (q ≥ 0.05); 1 rests on fewer than 5 cues.'"""
    if not thin:
        return f"No {what} differs between the groups."
    said = {label: verbs for _, label, verbs in _THIN_KINDS}

    def count(label: str, n: int) -> str:
        one, several, rest = said[label]
        return f"{n} {one if n == 1 else several}{rest}"

    return f"No {what} is a headline: " + "; ".join(count(label, len(found))
                                                    for label, found in thin_by_reason(thin)) + "."


def _unit_label(comp: Comparison) -> str:
    return str(comp.grouping.get("unit", comp.grouping.get("resample_unit", "document")))


# ---------------------------------------------------------------------------
# HTML

def _quote_html(q: Quote | None, groups: Sequence[str], labels: dict[str, str], group: str, missing: str) -> str:
    i = groups.index(group) if group in groups else 0
    if q is None:
        return f'<blockquote class="fq g{i}"><p class="empty">{_esc(missing)}</p></blockquote>'
    t = q.text
    spans = q.spans or (((q.at, q.length, q.voice),) if q.length else ())
    body, done = "", 0
    for at, length, voice in spans:  # every cue of the finding's kind in the quote
        body += _esc(t[done:at]) + f'<mark class="v-{_esc(voice)}">{_esc(t[at:at + length])}</mark>'
        done = at + length
    body += _esc(t[done:])
    return (f'<blockquote class="fq g{i}"><p>{body}</p><cite>{_esc(group)} · {_esc(labels.get(q.doc_id, q.doc_id))}'
            f'{"" if q.voice == "author" else " · " + _esc(q.voice) + " voice"}</cite></blockquote>')


def _finding_item(f: Finding, comp: Comparison, labels: dict[str, str]) -> str:
    sizes = comp.group_sizes()
    names = group_names(comp)
    quotes = "".join(_quote_html(f.quotes.get(g), comp.groups, labels, g, f.missing_quote(g, sizes[g]))
                     for g in comp.groups) if f.construct.evidence else ""
    also = comp.features.set_index("feature")["label"]
    merged = (f' · merged with {len(f.also)} correlated column{"s" if len(f.also) != 1 else ""} '
              f'({_esc("; ".join(short_label(str(also.get(c, c)), 40) for c in f.also[:2]))}'
              f'{", …" if len(f.also) > 2 else ""})') if f.also else ""
    extractor = str(comp.features.set_index("feature").at[f.column, "extractor"]) \
        if f.column in set(comp.features["feature"]) else ""
    return (f'<li><p class="fsent"><span class="aspect">{_esc(f.construct.aspect)}</span> '
            f'{_esc(finding_sentence(f, names, _unit_label(comp)))}</p><div class="fquotes">{quotes}</div>'
            f'<p class="support">{_esc(support_sentence(f))}{merged} · '
            f'<a href="#family-{_esc(extractor)}">evidence ↓</a></p></li>')


#: Thin findings listed by name, after which the rest are counted.
THIN_LISTED = 12


def _thin_list(thin: list[Finding], comp: Comparison) -> str:
    if not thin:
        return ""
    names = group_names(comp)
    reasons = thin_by_reason(thin)
    why = reasons[0][0] if len(reasons) == 1 else "; ".join(f"{len(found)} {label}" for label, found in reasons)
    items = "".join(f"<li>{_esc(finding_sentence(f, names, _unit_label(comp)))} <span class=\"muted\">"
                    f"({_esc(support_sentence(f))})</span></li>" for f in thin[:THIN_LISTED])
    if len(thin) > THIN_LISTED:
        items += f'<li class="muted">… and {len(thin) - THIN_LISTED} more (comparison.csv has every feature)</li>'
    return (f'<details class="thin"><summary>{len(thin)} thin finding{"s" if len(thin) != 1 else ""}, not '
            f"headlines: {_esc(why)}</summary><ul>{items}</ul></details>")


def _chart_title(f: Finding) -> str:
    """'frame: fairness and equality: frame cues per 1,000 words': the construct, then its column's label without
    the name the construct already gave ('Fairness and equality' frame cues ...)."""
    label, topic = f.label, f.construct.name.split(": ", 1)[-1]
    if label.lower().startswith(f"'{topic.lower()}' "):
        label = label[len(topic) + 3:]
    return f"{f.construct.name}: {short_label(label, 50)}"


def _chart_rows(found: list[Finding], comp: Comparison) -> list[dict]:
    docs = comp.documents
    rows = []
    for f in found:
        values, names = {}, {}
        for g in comp.groups:
            sub = docs[docs["group"] == g]
            v = pd.to_numeric(sub[f.column], errors="coerce")
            ok = v.notna() & np.isfinite(v.fillna(0))
            values[g] = v[ok].to_numpy(dtype=float)
            names[g] = sub.loc[ok, "label"].array  # read only for the few documents shown as dots
        unit = "per 1,000 words" if f.column.endswith("_per_1k") else ("share, 0–1" if "share" in f.column else "")
        rows.append({"title": _chart_title(f), "unit": unit, "values": values,
                     "labels": names})
    return rows


def _role_table(found: list[Finding], comp: Comparison) -> str:
    """Each declared role as its own column, when the groups pool several roles."""
    roles = pooled_roles(comp)
    if not roles or not found:
        return ""
    head = "<tr><th>finding (column)</th>" + "".join(f"<th>{_esc(r)} (n={n})</th>" for r, n in roles) + "</tr>"
    rows = []
    for f in found:
        cells = [f"<td>{_esc(f.construct.name)}<br><span class=\"muted\">{_esc(f.label)}</span></td>"]
        for r, _ in roles:
            mean = role_mean(comp, r, f.column)
            cells.append(f'<td class="num">{_esc("–" if np.isnan(mean) else fmt(mean))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<h3>By declared role</h3><p class="note">The groups above pool declared roles; the mean of each '
            f'finding\'s column per role:</p><div class="scroll"><table class="values"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _unit_box(comp: Comparison, note: str = "") -> str:
    """The unit of analysis and why, what the tests can say, and the warnings a reader must see first
    (pooled genres, time spans that do not overlap)."""
    g = comp.grouping
    warnings = ([note] if note else []) + [c for c in group_caveats(comp) if c.startswith("Warning") or " pools " in c]
    caveat = " caveat" if g.get("confounded") or warnings else ""
    more = "".join(f"<br>{_esc(w)}" for w in warnings)
    return (f'<div class="unit{caveat}"><strong>{_esc(unit_sentence(comp))}</strong> '
            f'<span class="muted">(Python: <code>unit="document"|"outlet"</code>; command line: '
            f'<code>--unit document|outlet</code>.)</span>{more}</div>')


def overview_html(comp: Comparison) -> str:
    """The first screen: unit of analysis, 4–6 framing findings with a quote from each side, thin ones apart."""
    names = group_names(comp)
    labels = dict(zip(comp.documents["id"], comp.documents["label"]))
    solid, thin = overview_findings(comp, FRAMING)
    title = " vs ".join(names[g] for g in comp.groups)
    if len(comp.groups) < 2:  # one group: nothing is compared, and the page says so instead of "nothing differs"
        return (f'<section id="overview"><h2>What differs: {_esc(title)}</h2>'
                f'{_unit_box(comp, one_group_sentence(comp))}</section>')
    note, _is_caveat = significance_note(comp)
    if not note and len(comp.groups) >= 2 and min(comp.group_sizes().values()) < 2:
        note = ("No statistical test is possible: a group has a single document, so there is no test, no interval "
                "and no effect size; a finding below means the groups' per-document values do not overlap at all. "
                "Read them as descriptions of these documents.")
    parts = [f'<section id="overview"><h2>What differs: {_esc(title)}</h2>', _unit_box(comp, note)]
    if solid:
        parts.append('<ol class="findings">' + "".join(_finding_item(f, comp, labels) for f in solid) + "</ol>")
    elif comparable(comp):
        parts.append(f'<p class="lead">{_esc(no_headline_sentence(thin, "framing construct"))}</p>')
    parts.append(_thin_list(thin, comp))
    caveats = [c for c in group_caveats(comp) if not (c.startswith("Warning") or " pools " in c)]
    if caveats:
        parts.append('<ul class="caveats">' + "".join(
            f'<li class="{"warn" if c.startswith("Warning") or "pools" in c else ""}">{_esc(c)}</li>'
            for c in caveats) + "</ul>")
    parts.append(_role_table(solid, comp))
    chart = charts.findings_chart(_chart_rows(solid, comp), comp.groups)
    if chart:
        dots = ("every document a dot (hover for its name)" if max(comp.group_sizes().values()) <= 60 else
                "a bar over the middle half of each group's documents")
        parts.append(f'<figure class="fchart">{chart}<figcaption>The findings above, each on its own scale: {dots}, '
                     "each group's mean a diamond with its value printed at the right.</figcaption></figure>")
    parts.append('<p class="note">Differences of format (Q&amp;A turns, headings, boilerplate, readability) are in '
                 '<a href="#form">Form</a>; where the official phrases reappear is in <a href="#echoes">Echoes</a>.'
                 "</p></section>")
    return "".join(parts)


def form_html(comp: Comparison) -> str:
    """Differences of format, apart from framing, and the page furniture found."""
    labels = dict(zip(comp.documents["id"], comp.documents["label"]))
    solid, thin = overview_findings(comp, FORM) if len(comp.groups) >= 2 else ([], [])
    parts = [('<section id="form"><h2>Form: how the texts are laid out</h2><p class="lead">Features of a genre\'s '
             "format (Q&amp;A turn markers, speaker labels, headings, boilerplate, headline form, readability). "
             "They tell the genres apart but say nothing about framing.</p>")]
    if solid:
        parts.append('<ol class="findings">' + "".join(_finding_item(f, comp, labels) for f in solid) + "</ol>")
    elif comparable(comp):
        parts.append(f'<p class="empty">{_esc(no_headline_sentence(thin, "difference of form"))}</p>')
    parts.append(_thin_list(thin, comp))
    fur = comp.furniture
    if not fur.empty:
        group_of = dict(zip(comp.documents["id"], comp.documents["group"]))
        counts = fur.assign(group=fur["doc_id"].map(group_of)).groupby(["category", "group"]).size() \
            .unstack(fill_value=0).reindex(columns=comp.groups, fill_value=0)
        rows = "".join(f"<tr><td>{_esc(c.replace('_', ' '))}</td>" + "".join(
            f'<td class="num">{int(counts.at[c, g])}</td>' for g in comp.groups) + "</tr>" for c in counts.index)
        parts.append("<h3>Page furniture kept apart from the text</h3><div class=\"scroll\"><table class=\"values\">"
                     "<thead><tr><th>category</th>" + "".join(f"<th>{_esc(g)}</th>" for g in comp.groups)
                     + f"</tr></thead><tbody>{rows}</tbody></table></div><p class=\"note\">Blocks per group; the "
                     "text of each is on the document cards and in furniture.csv.</p>")
    parts.append("</section>")
    return "".join(parts)


def _highlight_phrase(sentence: str, phrase_variants: Sequence[str]) -> str:
    from ..echo import phrase_pattern

    m = phrase_pattern(phrase_variants).search(sentence)
    if not m:
        return _esc(sentence)
    return (_esc(sentence[:m.start()]) + "<mark>" + _esc(sentence[m.start():m.end()]) + "</mark>"
            + _esc(sentence[m.end():]))


def echo_html(comp: Comparison, limit: int = 15) -> str:
    """Per official phrase: how often the official side says it, and where the others repeat it, and how."""
    lead = ("For each official formula, slogan or key phrase (the formulae lexicon, the formulae the official texts "
            "repeat and their most distinctive phrases), where it reappears in the other group's texts and how: "
            "<strong>quoted</strong> (inside a quotation, or reported speech, or in quotation marks with its "
            "speaker), <strong>adopted</strong> (in the author's own voice), or <strong>contested</strong> (scare "
            "quotes, a negation just before it, or a word of doubt or disapproval near it: so-called, slogan, "
            "rhetoric, claims). Per phrase and document in echo.csv.")
    echo = comp.echo
    if echo.empty:
        return (f'<section id="echoes"><h2>Echoes: official phrases in the other texts</h2><p class="lead">{lead}</p>'
                '<p class="empty">No official phrase reappears in the other texts.</p></section>')
    summary = echo_summary(echo).head(limit)
    labels = dict(zip(comp.documents["id"], comp.documents["label"]))
    rows = []
    for r in summary.to_dict("records"):
        sub = echo[echo["phrase"] == r["phrase"]]
        examples = []
        for how in (QUOTED, ADOPTED, CONTESTED):
            ex = sub[sub["example_how"] == how].head(1)
            if not ex.empty:
                e = ex.iloc[0]
                examples.append(f'<li><span class="how {how}">{how}</span> '
                                f'{_highlight_phrase(str(e["example"])[:400], [r["phrase"]])} '
                                f'<cite>{_esc(labels.get(e["doc_id"], e["doc_id"]))} · {_esc(e["example_why"])}'
                                "</cite></li>")
        rows.append(f'<tr><td><strong>{_esc(r["phrase"])}</strong><br><span class="muted">{_esc(r["source"])}'
                    f'</span></td><td class="num">{int(r["official_uses"])} <span class="muted">in '
                    f'{int(r["official_docs"])} doc(s)</span></td><td class="num">{int(r["docs"])}</td>'
                    f'<td class="num">{int(r["quoted"])}</td><td class="num">{int(r["adopted"])}</td>'
                    f'<td class="num">{int(r["contested"])}</td><td><ul class="kwic">{"".join(examples)}</ul></td>'
                    "</tr>")
    head = ("<tr><th>phrase</th><th>official uses</th><th>other documents</th><th>quoted</th><th>adopted</th>"
            "<th>contested</th><th>an example of each</th></tr>")
    more = (f'<p class="note">{len(echo_summary(echo))} phrases in all; echo.csv has every phrase and document.</p>')
    return (f'<section id="echoes"><h2>Echoes: official phrases in the other texts</h2><p class="lead">{lead}</p>'
            f'<div class="scroll"><table class="echo"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
            f"</div>{more}</section>")


def aligned_html(comp: Comparison) -> str:
    """The official side's key sentences beside the other texts' sentences about the same thing."""
    lead = ("The official texts' key sentences (their most distinctive vocabulary and stance cues) beside the "
            "sentences of other documents about the same thing, matched offline by the content words, actors and "
            "formula words they share (weighted by rarity; no downloaded model). Voice and stance cues of each.")
    al = comp.aligned
    if al.empty:
        return (f'<section id="claims"><h2>Aligned claims</h2><p class="lead">{lead}</p>'
                '<p class="empty">No sentence of the other texts matches an official key sentence.</p></section>')
    labels = dict(zip(comp.documents["id"], comp.documents["label"]))
    gi = {g: i for i, g in enumerate(comp.groups)}
    blocks = []
    for claim, sub in al.groupby("claim", sort=True):
        k = sub.iloc[0]
        key = (f'<blockquote class="fq g0"><p>{_esc(k["key_sentence"])}</p><cite>official · '
               f'{_esc(labels.get(k["key_doc_id"], k["key_doc_id"]))}</cite>'
               + (f'<p class="cues">{_esc(k["key_cues"])}</p>' if k["key_cues"] else "") + "</blockquote>")
        matches = "".join(
            f'<blockquote class="fq g{gi.get(r["group"], 1)}"><p>{_esc(r["sentence"])}</p><cite>{_esc(r["group"])} · '
            f'{_esc(labels.get(r["doc_id"], r["doc_id"]))} · {_esc(r["voice"])} voice · similarity '
            f'{r["similarity"]:.2f} · shared: {_esc(r["shared"])}</cite>'
            + (f'<p class="cues">{_esc(r["cues"])}</p>' if r["cues"] else "") + "</blockquote>"
            for r in sub.to_dict("records"))
        blocks.append(f'<div class="pair"><div>{key}</div><div>{matches}</div></div>')
    return (f'<section id="claims"><h2>Aligned claims</h2><p class="lead">{lead}</p>{"".join(blocks)}'
            '<p class="note">All pairs in aligned.csv.</p></section>')


def furniture_html(comp: Comparison, doc_id: str, limit: int = 12) -> str:
    """The page furniture of one document, by category (for its card)."""
    fur = comp.furniture
    if fur.empty:
        return ""
    sub = fur[fur["doc_id"] == doc_id]
    if sub.empty:
        return '<p class="meta">Page furniture: none found.</p>'
    items = []
    for cat, texts in sub.groupby("category", sort=False)["text"]:
        shown = [t if len(t) <= 160 else t[:159] + "…" for t in texts.tolist()[:4]]
        items.append(f'<li><span class="k2">{_esc(cat.replace("_", " "))}</span> '
                     + " · ".join(f"“{_esc(t)}”" for t in shown)
                     + (f' <span class="muted">+{len(texts) - 4} more</span>' if len(texts) > 4 else "") + "</li>")
    return ('<p class="meta">Page furniture found (kept apart from the text):</p><ul class="furn">'
            + "".join(items[:limit]) + "</ul>")

"""What the methods section names: extractors, lexicons, models, software, and each extractor's caveats.

Everything comes from the run record (``Analysis.run``) and from the
extractors' own declarations, so a new extractor appears in the methods
section without touching the report code.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any

from ..extractors import get_extractor

__all__ = ["MethodsInfo", "methods_info", "caveats_of"]


@dataclass
class MethodsInfo:
    """Provenance shown in the report (see :func:`methods_info`)."""

    title: str
    framing_version: str
    seed: int
    n_boot: int
    n_perm: int
    software: str
    extractors: list[dict[str, str]] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    lexicons: list[dict[str, str]] = field(default_factory=list)
    models: list[dict[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _is_lexicon(resource: dict[str, Any]) -> bool:
    return resource.get("kind", "lexicon") == "lexicon" and "licence" in resource and "entries" in resource


_SECTION_RE = re.compile(r"^(Known departures[^\n]*|Departures[^\n]*|Caveats|Limitations)\n[-=~]{3,}\n(.*?)(?=\n\S[^\n]*\n[-=~]{3,}\n|\Z)",
                         re.S | re.M)


def caveats_of(extractor: Any) -> list[tuple[str, str]]:
    """``(title, text)`` caveat sections an extractor's module documents.

    Looks for a module-level ``KNOWN_DEPARTURES`` / ``CAVEATS`` string, then
    for numpydoc-style sections titled "Known departures…", "Departures…",
    "Caveats" or "Limitations" in the module docstring.
    """
    module = inspect.getmodule(type(extractor))
    if module is None:
        return []
    out = []
    for attr in ("KNOWN_DEPARTURES", "CAVEATS"):
        value = getattr(module, attr, None)
        if isinstance(value, str) and value.strip():
            out.append((f"{extractor.name}: {attr.replace('_', ' ').lower()}", inspect.cleandoc(value)))
        elif isinstance(value, (list, tuple)) and value:
            out.append((f"{extractor.name}: {attr.replace('_', ' ').lower()}",
                        "\n".join(f"- {inspect.cleandoc(str(v))}" for v in value)))
    if out:
        return out
    doc = inspect.cleandoc(module.__doc__ or "")
    for m in _SECTION_RE.finditer(doc):
        out.append((f"{extractor.name}: {m.group(1).strip()}", m.group(2).strip()))
    return out


def methods_info(run: dict[str, Any], *, title: str, seed: int, n_boot: int, n_perm: int) -> MethodsInfo:
    """Collect the methods section's content from a run record (``Analysis.run``)."""
    packages = run.get("packages", {})
    software = ", ".join(f"{k} {v}" for k, v in sorted(packages.items()) if k in ("textstat", "wordfreq", "scikit-learn"))
    info = MethodsInfo(title=title, framing_version=str(run.get("framing_version", "")), seed=seed, n_boot=n_boot,
                       n_perm=n_perm, software=f"framing {run.get('framing_version', '')}" +
                       (f"; {software}" if software else ""))
    lexicons: dict[tuple[str, str], dict[str, str]] = {}
    models: dict[tuple[str, str], dict[str, str]] = {}
    for record in run.get("extractors", []):
        name = record["name"]
        info.extractors.append({"name": name, "version": str(record.get("version", ""))})
        try:
            ex = get_extractor(name)
        except KeyError:
            continue
        info.descriptions[name] = ex.description
        info.notes.extend(caveats_of(ex))
        for res in record.get("resources", []):
            target = lexicons if _is_lexicon(res) else models
            key = (str(res.get("name", "")), str(res.get("sha256", "")))
            entry = target.setdefault(key, {k: str(v) for k, v in res.items()} | {"used_by": ""})
            entry["used_by"] = ", ".join(filter(None, [*entry["used_by"].split(", "), name]))
    info.lexicons = sorted(lexicons.values(), key=lambda x: (x["name"], x.get("sha256", "")))
    info.models = sorted(models.values(), key=lambda x: (x["name"], x.get("sha256", "")))
    return info

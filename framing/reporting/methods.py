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

__all__ = ["MethodsInfo", "caveats_of", "corpus_lexicons", "details", "methods_info", "version_string"]


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
    other: list[dict[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _kind(resource: dict[str, Any]) -> str:
    """'lexicon' (a word list with source, licence and hash), 'model' (trained coefficients) or 'other'."""
    if resource.get("kind") in ("lexicon", "model"):
        return str(resource["kind"])
    if "trained_on" in resource or "model" in str(resource.get("name", "")) or \
            str(resource.get("path", "")).endswith(".json"):
        return "model"
    if "sha256" in resource and "entries" in resource:
        return "lexicon"
    return "other"


#: Resource keys shown in their own column; the rest go into "details".
SHOWN_KEYS = ("name", "version", "sha256", "entries", "source", "licence", "path", "used_by", "extended_by")


def details(resource: dict[str, str]) -> str:
    """'key: value' for every resource field without a column of its own."""
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in resource.items() if k not in SHOWN_KEYS and v)


def version_string(value: Any) -> str:
    """'0.7.13' from '0.7.13', (0, 7, 13) or [0, 7, 13]."""
    if isinstance(value, (list, tuple)):
        return ".".join(str(v) for v in value)
    return str(value)


def corpus_lexicons() -> list[dict[str, str]]:
    """Provenance of the packaged lexicons :mod:`framing.terms` uses by default (formulae, actors).

    Found from the default values of its functions' ``known``/``lexicon``
    parameters, so a renamed default is followed without touching this module.
    """
    from .. import terms
    from ..lexicon import load_lexicon, packaged_lexicons

    available = set(packaged_lexicons())
    names = []
    for func in (getattr(terms, n, None) for n in ("distinctive_terms", "recurring_formulae", "actors")):
        if func is None:
            continue
        for pname, param in inspect.signature(func).parameters.items():
            if pname in ("known", "lexicon") and isinstance(param.default, str) and param.default in available:
                names.append((param.default, func.__name__))
    out = []
    for name, used_by in dict.fromkeys(names):
        prov = {k: str(v) for k, v in load_lexicon(name).provenance().items()}
        out.append(prov | {"used_by": f"terms.{used_by}"})
    return out


_SECTION_RE = re.compile(r"^(Known departures[^\n]*|Departures[^\n]*|Caveats|Limitations)\n[-=~]{3,}\n(.*?)(?=\n\S[^\n]*\n[-=~]{3,}\n|\Z)",
                         re.DOTALL | re.MULTILINE)


_METHODS_NOTE_RE = re.compile(r"(?:^|\n)Methods note\.\s*(.*?)(?:\n\s*\n|\Z)", re.DOTALL)
_MODULE_REF_RE = re.compile(r":mod:`~?(framing(?:\.\w+)+)`")


def _module_notes(module: Any, title: str) -> list[tuple[str, str]]:
    """Caveat sections of one module: ``KNOWN_DEPARTURES``/``CAVEATS`` strings, then docstring sections."""
    out = []
    for attr in ("KNOWN_DEPARTURES", "CAVEATS"):
        value = getattr(module, attr, None)
        if isinstance(value, str) and value.strip():
            out.append((f"{title}: {attr.replace('_', ' ').lower()}", inspect.cleandoc(value)))
        elif isinstance(value, (list, tuple)) and value:
            out.append((f"{title}: {attr.replace('_', ' ').lower()}",
                        "\n".join(f"- {inspect.cleandoc(str(v))}" for v in value)))
    doc = inspect.cleandoc(module.__doc__ or "")
    for m in _METHODS_NOTE_RE.finditer(doc):
        out.append((f"{title}: methods note ({module.__name__})", " ".join(m.group(1).split())))
    for m in _SECTION_RE.finditer(doc):
        out.append((f"{title}: {m.group(1).strip()}", m.group(2).strip()))
    return out


def caveats_of(extractor: Any) -> list[tuple[str, str]]:
    """``(title, text)`` caveats an extractor's module documents, and those of the modules it points to.

    Looks, in the extractor's module and in every ``framing`` module its
    docstring references with ``:mod:``, for a ``KNOWN_DEPARTURES`` / ``CAVEATS``
    string, a paragraph opening "Methods note.", and numpydoc-style sections
    titled "Known departures…", "Departures…", "Caveats" or "Limitations"
    (e.g. textstat's departures from the published readability formulas).
    """
    import importlib

    module = inspect.getmodule(type(extractor))
    if module is None:
        return []
    modules = [module]
    for name in dict.fromkeys(_MODULE_REF_RE.findall(module.__doc__ or "")):
        try:
            modules.append(importlib.import_module(name))
        except ImportError:
            continue
    out: list[tuple[str, str]] = []
    for m in modules:
        for note in _module_notes(m, extractor.name):
            if note not in out:
                out.append(note)
    return out


def methods_info(run: dict[str, Any], *, title: str, seed: int, n_boot: int, n_perm: int) -> MethodsInfo:
    """Collect the methods section's content from a run record (``Analysis.run``)."""
    packages = run.get("packages", {})
    software = ", ".join(f"{k} {version_string(v)}" for k, v in sorted(packages.items())
                         if k in ("textstat", "wordfreq", "scikit-learn"))
    info = MethodsInfo(title=title, framing_version=str(run.get("framing_version", "")), seed=seed, n_boot=n_boot,
                       n_perm=n_perm, software=f"framing {run.get('framing_version', '')}" +
                       (f"; {software}" if software else ""))
    found: dict[str, dict[tuple[str, str], dict[str, str]]] = {"lexicon": {}, "model": {}, "other": {}}
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
            target = found[_kind(res)]
            key = (str(res.get("name", "")), str(res.get("sha256", "")))
            entry = target.setdefault(key, {k: str(v) for k, v in res.items()} | {"used_by": ""})
            entry["used_by"] = ", ".join(filter(None, [*entry["used_by"].split(", "), name]))
    try:
        for lex in corpus_lexicons():
            entry = found["lexicon"].setdefault((lex["name"], lex.get("sha256", "")), lex)
            if entry is not lex:
                entry["used_by"] = ", ".join(dict.fromkeys([*entry["used_by"].split(", "), lex["used_by"]]))
    except ImportError:  # framing.terms not available
        pass
    key = lambda x: (x["name"], x.get("sha256", ""))
    info.lexicons = sorted(found["lexicon"].values(), key=key)
    info.models = sorted(found["model"].values(), key=key)
    info.other = sorted(found["other"].values(), key=key)
    return info

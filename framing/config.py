"""Project settings: ``framing.toml``, or ``[tool.framing]`` in a ``pyproject.toml``, found upwards from a folder.

The nearest folder (the working directory, then its parents) holding ``framing.toml``, or a
``pyproject.toml`` with a ``[tool.framing]`` table, gives the settings; command-line flags override them::

    # framing.toml                     (or, in pyproject.toml: [tool.framing] ...)
    paths = ["articles/"]              # inputs of `framing report` when none are named
    output = "reports"                 # the report folder (-o)
    by = "outlet"                      # grouping (--by)
    unit = "outlet"                    # what the statistics resample: document or outlet
    seed = 0
    extractors = ["hedging", "promotional"]   # -x
    metadata = "articles/metadata.csv"
    text_col = "body"

    [options.hedging]                  # extractor options (-O hedging.lexicon=...)
    lexicon = "lexicons/my_hedges.tsv"

Relative paths (``paths``, ``output``, ``metadata`` and option values naming an existing file) are read
from the folder of the file that sets them. Unknown keys are an error, so a typo does not pass silently.
This module imports nothing heavy: the command line reads it before its help is printed.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CONFIG_NAME", "KEYS", "Config", "ConfigError", "find_config", "load_config"]

CONFIG_NAME = "framing.toml"
#: setting -> (type, meaning); what a configuration file may hold
KEYS: dict[str, tuple[type, str]] = {
    "paths": (list, "inputs of `framing report` when none are given"),
    "output": (str, "the report folder (framing report -o)"),
    "by": (str, "metadata column to group by"),
    "unit": (str, "unit the statistics resample: document, outlet or a metadata column"),
    "seed": (int, "seed of the bootstrap and permutation draws"),
    "snippets": (int, "exemplar sentences per document and family in the report"),
    "extractors": (list, "extractors to run (default: all)"),
    "options": (dict, "extractor options: {extractor: {param: value}}"),
    "metadata": (str, "sidecar metadata file"),
    "text_col": (str, "text column of .csv/.jsonl inputs"),
    "id_col": (str, "id column of .csv/.jsonl inputs"),
    "title_col": (str, "title column of .csv/.jsonl inputs"),
    "raw_csv": (bool, "write CSV cells unprefixed"),
    "evidence": (str, "evidence table of the report: auto, csv, gz or none"),
}
_PATH_KEYS = ("output", "metadata")
#: settings with a smallest value, and settings with a closed set of values (as the command line's flags have)
_AT_LEAST = {"seed": 0, "snippets": 0}
_CHOICES = {"evidence": ("auto", "csv", "gz", "none")}


class ConfigError(ValueError):
    """A configuration file that cannot be read or holds a setting framing does not know."""


@dataclass
class Config:
    """The settings of a configuration file (empty when there is none) and where they came from."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def _read_toml(path: Path) -> dict[str, Any]:
    toml = _toml()
    try:
        return toml.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, toml.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration ({exc})") from None


def find_config(start: str | Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``framing.toml`` or ``pyproject.toml`` with ``[tool.framing]``, from ``start`` upwards."""
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own, _read_toml(own)
        project = candidate / "pyproject.toml"
        if project.is_file():
            table = _read_toml(project).get("tool", {}).get("framing")
            if isinstance(table, dict):
                return project, table
    return None


def load_config(start: str | Path | None = None) -> Config:
    """The settings found from ``start`` (default: the working directory), checked, with paths resolved."""
    found = find_config(start)
    if found is None:
        return Config()
    path, raw = found
    return Config(_checked(raw, path), path)


def _checked(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown setting {key!r} (known: {', '.join(KEYS)})")
        kind = KEYS[key][0]
        if kind is list and isinstance(value, str):
            value = [value]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{path}: {key} should be a {kind.__name__}, not {type(value).__name__}")
        if key in _AT_LEAST and value < _AT_LEAST[key]:
            raise ConfigError(f"{path}: {key} should be at least {_AT_LEAST[key]}, not {value}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise ConfigError(f"{path}: {key} should be one of {', '.join(_CHOICES[key])}, not {value!r}")
        values[key] = value
    base = path.parent
    for key in _PATH_KEYS:
        if key in values:
            values[key] = str(_relative_to(base, values[key]))
    if "paths" in values:
        values["paths"] = [str(_relative_to(base, str(p))) for p in values["paths"]]
    if "options" in values:
        values["options"] = _options(values["options"], base, path)
    return values


def _relative_to(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() or value == "-" else _shortest(base / p)


def _shortest(path: Path) -> Path:
    """``path`` relative to the working directory when it is inside it (readable messages), else absolute."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path.resolve()


def _options(table: dict[str, Any], base: Path, path: Path) -> dict[str, dict[str, str]]:
    """``{extractor: {param: value}}`` as strings (as the command line's -O gives them), files resolved."""
    out: dict[str, dict[str, str]] = {}
    for name, params in table.items():
        if not isinstance(params, dict):
            raise ConfigError(f"{path}: options.{name} should be a table of parameters ([options.{name}])")
        out[name] = {}
        for param, value in params.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            if isinstance(value, str) and (base / value).is_file():
                text = str(_relative_to(base, value))
            out[name][param] = text
    return out

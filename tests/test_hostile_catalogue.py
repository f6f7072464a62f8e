"""The catalogue of hostile inputs (tests/data/hostile_cases.json), each built in a temporary folder and run
through the real command line.

A case names its files (text, base64 bytes, a repeated text, a symlink, a permission change), the command,
and the expected outcome: ``scored``, ``skipped`` or ``warned`` with a message on stderr, or ``interrupted``;
plus optional checks on the output. A case marked ``known_failure`` runs as a non-strict xfail: known failures
are recorded, not deleted.
"""
from __future__ import annotations

import base64
import builtins
import contextlib
import csv
import io
import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from framing.cli import main

CATALOGUE = Path(__file__).parent / "data" / "hostile_cases.json"
CASES: list[dict[str, Any]] = json.loads(CATALOGUE.read_text(encoding="utf-8"))["cases"]
OUTCOMES = {"scored", "skipped", "warned", "interrupted"}
UNSAFE_STARTS = ("=", "+", "@", "\t", "\r")


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = []
        if case.get("known_failure"):
            marks.append(pytest.mark.xfail(reason=case["known_failure"], strict=False))
        params.append(pytest.param(case, id=case["name"], marks=marks))
    return params


# ---------------------------------------------------------------------------
# building a case

def _entry_path(root: Path, entry: dict[str, Any]) -> Path | bytes:
    if "path_base64" in entry:
        return os.fsencode(root) + b"/" + base64.b64decode(entry["path_base64"])
    return root / entry["path"]


def _build(root: Path, files: list[dict[str, Any]]) -> list[Path]:
    """Create the case's files under ``root``; returns folders whose permissions were removed (to restore)."""
    (root / "in").mkdir()
    (root / "out").mkdir()
    locked = []
    for entry in files:
        path = _entry_path(root, entry)
        if "chmod" in entry:
            os.chmod(path, int(entry["chmod"], 8))
            locked.append(Path(os.fsdecode(path)))
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if "symlink" in entry:
            os.symlink(entry["symlink"], path)
        elif "base64" in entry:
            with open(path, "wb") as f:
                f.write(base64.b64decode(entry["base64"]))
        elif "repeat" in entry:
            with open(path, "w", encoding="utf-8") as f:
                f.write(entry["repeat"]["text"] * entry["repeat"]["times"])
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(entry["text"])
    return locked


def _fill(value: str, root: Path) -> str:
    return value.replace("{in}", str(root / "in")).replace("{out}", str(root / "out"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (symlinks not followed) with its bytes."""
    out = {}
    for dirpath, _dirs, names in os.walk(os.fsencode(folder)):
        for name in names:
            p = os.path.join(dirpath, name)
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    out[os.fsdecode(p)] = f.read()
    return out


@contextlib.contextmanager
def _interrupt_on_write(n: int, under: Path) -> Iterator[None]:
    """Raise KeyboardInterrupt when the ``n``-th file under ``under`` is opened for writing (as Ctrl-C would)."""
    real_open = builtins.open
    count = 0

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        nonlocal count
        if isinstance(file, (str, os.PathLike)) and any(m in mode for m in "wax") \
                and str(Path(os.fspath(file)).resolve()).startswith(str(under.resolve())):
            count += 1
            if count >= n:
                raise KeyboardInterrupt
        return real_open(file, mode, *args, **kwargs)

    builtins.open, io.open = fake_open, fake_open  # type: ignore[assignment]
    try:
        yield
    finally:
        builtins.open, io.open = real_open, real_open  # type: ignore[assignment]


# ---------------------------------------------------------------------------
# checking the outcome

def _score_output(args: list[str], root: Path) -> Path | None:
    """The ``-o`` file of a ``score`` command, when it is a CSV in the output folder (never an input)."""
    if args[0] != "score" or "-o" not in args:
        return None
    out = Path(args[args.index("-o") + 1])
    return out if out.suffix == ".csv" and out.parent == root / "out" else None


def _rows(path: Path | None) -> list[dict[str, str]]:
    if path is None or not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _unsafe_cells(path: Path) -> list[str]:
    """Cells a spreadsheet would run as a formula (a leading '-' is allowed only on a number)."""
    with open(path, encoding="utf-8", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    return [c for c in cells if c.startswith(UNSAFE_STARTS) or (c.startswith("-") and not _is_number(c))]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_exit(case: dict[str, Any], exit_code: int, stderr: str) -> None:
    expected = case["exit_code"]
    allowed = expected if isinstance(expected, list) else [expected]
    assert exit_code in allowed, f"exit {exit_code}, expected {expected}; stderr:\n{stderr}"


def _check_output(case: dict[str, Any], root: Path, args: list[str], stderr: str) -> None:
    rows = _rows(_score_output(args, root))
    if "rows" in case:
        assert len(rows) == case["rows"], f"{len(rows)} rows, expected {case['rows']}; stderr:\n{stderr}"
    if "min_rows" in case:
        assert len(rows) >= case["min_rows"], stderr
    for row in rows:  # every input appears in the outputs, under its source path
        assert row.get("path"), f"row {row.get('id')!r} has no source path"
    for column, text in case.get("column_contains", {}).items():
        assert any(text in row[column] for row in rows), f"no {column!r} containing {text!r}"
    for name in case.get("files_present", []):
        assert Path(_fill(name, root)).is_file(), f"{name} was not written"
    for name, text in case.get("file_not_contains", {}).items():
        assert text not in Path(_fill(name, root)).read_text(encoding="utf-8")
    for name in case.get("csv_cells_safe", []):
        assert not _unsafe_cells(Path(_fill(name, root))), f"{name} holds formula-like cells"


def _check_message(case: dict[str, Any], stderr: str) -> None:
    if case["expect"] in ("skipped", "warned"):
        assert case["message"].lower() in stderr.lower(), f"{case['message']!r} not on stderr:\n{stderr}"
    if case["expect"] == "warned":
        assert "warning" in stderr.lower(), stderr
    assert "UserWarning" not in stderr, f"a raw Python warning would reach stderr:\n{stderr}"


# ---------------------------------------------------------------------------

def test_the_catalogue_is_well_formed():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)) and len(CASES) >= 50
    for case in CASES:
        assert case["expect"] in OUTCOMES, case["name"]
        assert case["args"][0] in ("score", "report"), case["name"]
        assert case["expect"] not in ("skipped", "warned") or case.get("message"), case["name"]


@pytest.mark.parametrize("case", _params())
def test_hostile_input(case: dict[str, Any], tmp_path: Path) -> None:
    if case.get("requires_non_root") and hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("permissions do not apply to root")
    locked = _build(tmp_path, case["files"])
    try:
        runner = CliRunner()
        for before in case.get("before", []):
            done = runner.invoke(main, [_fill(a, tmp_path) for a in before])
            assert done.exit_code == 0, done.output
        args = [_fill(a, tmp_path) for a in case["args"]]
        inputs = _snapshot(tmp_path / "in")
        kept = tmp_path / case["outputs_unchanged"] if "outputs_unchanged" in case else None
        outputs = _snapshot(kept) if kept else {}
        interrupt = (_interrupt_on_write(case["interrupt_on_write"], tmp_path / "out")
                     if "interrupt_on_write" in case else contextlib.nullcontext())
        with interrupt, warnings.catch_warnings(record=True) as raised:
            warnings.simplefilter("always")
            result = runner.invoke(main, args)
        stderr = result.stderr + "".join(f"{w.category.__name__}: {w.message}\n" for w in raised
                                         if issubclass(w.category, UserWarning))
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"uncaught {type(result.exception).__name__}: {result.exception}"
        _check_exit(case, result.exit_code, stderr)
        _check_message(case, stderr)
        _check_output(case, tmp_path, args, stderr)
        if case.get("inputs_unchanged"):
            assert _snapshot(tmp_path / "in") == inputs, "an input was overwritten or output written into the input"
        if kept is not None:
            assert _snapshot(kept) == outputs, "the previous report was changed by an interrupted run"
    finally:
        for path in locked:
            os.chmod(path, 0o755)

"""The README cannot rot: its Python blocks run as written, its shell blocks name real commands and options.

* every ```python block is executed, in order, in one namespace, from a scratch folder holding a copy of
  ``seeds/`` (so ``framing.report("seeds/", "reports/")`` writes there, not into the repository);
* every ``framing …`` invocation in a ```bash block is resolved against the real command line (subcommand,
  options, argument count) without running it, so a renamed command or option fails here; the install and
  test commands themselves are what ``.ci/run`` runs verbatim.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest

from framing.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def blocks(lang: str) -> list[str]:
    return [body for kind, body in BLOCK.findall(README) if kind == lang]


def framing_invocations() -> list[list[str]]:
    """The argument lists of every ``framing`` command in the README's shell blocks."""
    calls = []
    for body in blocks("bash"):
        for line in body.splitlines():
            words = shlex.split(line, comments=True)
            command: list[str] = []
            for word in [*words, "&&"]:
                if word in ("&&", "||", ";"):
                    if command and command[0] == "framing":
                        calls.append(command[1:])
                    command = []
                else:
                    command.append(word)
    return calls


def test_readme_has_the_two_opening_commands() -> None:
    first, second = blocks("bash")[:2]
    assert "pip install -e '.[dev]'" in first and "framing report" in first
    assert "pytest" in second
    assert "--upgrade pip" not in first, "the README's install must work with the venv's own pip"


def test_ci_runs_the_readme_commands_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--upgrade pip" not in ci
    assert "README.md" in ci  # the commands are taken from the README itself, not copied


@pytest.mark.parametrize("args", framing_invocations(), ids=lambda a: " ".join(a)[:60])
def test_readme_shell_commands_parse(args: list[str], tmp_path: Path) -> None:
    assert args, "a bare 'framing' line"
    stand_in = tmp_path / "labelled.csv"  # ../shared may be absent: the test checks the command, not the data
    stand_in.write_text("text,label\nA sentence.,0\n", encoding="utf-8")
    args = [str(stand_in) if "../shared" in a else a for a in args]
    with click.Context(main, info_name="framing") as ctx:
        cmd = main.get_command(ctx, args[0])
        assert cmd is not None, f"unknown command in README: framing {' '.join(args)}"
        try:
            cmd.make_context(args[0], args[1:], parent=ctx)
        except click.exceptions.Exit:
            pass
        except click.UsageError as err:  # pragma: no cover - the failure being tested for
            pytest.fail(f"README command 'framing {' '.join(args)}' does not parse: {err.format_message()}")


def test_readme_python_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = blocks("python")
    assert code, "the README has no Python example"
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__readme__"}
    for body in code:
        exec(compile(body, "README.md", "exec"), namespace)  # noqa: S102 - the README is ours
    assert (tmp_path / "reports" / "report.html").is_file()

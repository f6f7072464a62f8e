"""Known answers for the cue layer (``tests/data/cue_cases.json``): each construct read once, in the right voice.

Every case is scored by the real pipeline; an ``evidence`` check looks for an evidence row of the named extractor
and category whose text contains ``cue`` (optionally in a given voice), a ``columns`` check compares one feature.
Cases marked ``known_failure`` run as expected failures: they are recorded, not deleted.
"""
from __future__ import annotations

import json
import operator
from pathlib import Path

import pytest

import framing

CASES = json.loads((Path(__file__).parent / "data" / "cue_cases.json").read_text(encoding="utf-8"))["cases"]
OPS = {"==": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case["known_failure"], strict=False)] if "known_failure" in case else []
        yield pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_known_answer(case: dict) -> None:
    result = framing.analyze([case["text"]], options={"source_type": {"prior": "uniform"}})
    ev = result.evidence
    problems = []
    for check in case.get("evidence", []):
        rows = ev[(ev.extractor == check["extractor"]) & (ev.category == check["category"])
                  & ev.text.str.contains(check["cue"], regex=False)]
        if "voice" in check:
            rows = rows[rows.voice == check["voice"]]
        found = len(rows) > 0
        if found != (check["expect"] == "present"):
            problems.append(f"{check['extractor']}/{check['category']} {check['cue']!r}"
                            f"{' in ' + check['voice'] + ' voice' if 'voice' in check else ''}: expected "
                            f"{check['expect']}, evidence was {ev[ev.extractor == check['extractor']][['category', 'text', 'voice']].values.tolist()}")
    row = result.features.iloc[0]
    for check in case.get("columns", []):
        value = row[check["column"]]
        if not OPS[check["op"]](value, check["value"]):
            problems.append(f"{check['column']} = {value!r}, expected {check['op']} {check['value']}")
    assert not problems, "\n".join(problems)


def test_every_case_checks_something() -> None:
    kinds = {c["kind"] for c in CASES}
    assert {"in-the-wild", "synthetic", "negative"} <= kinds
    assert all(c.get("evidence") or c.get("columns") for c in CASES)

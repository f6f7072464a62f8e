"""Shared fixtures: the seed corpus shipped with the repository."""
from __future__ import annotations

from pathlib import Path

import pytest

import framing

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The repository's ``seeds/`` folder (four documents and ``metadata.csv``)."""
    return SEEDS


@pytest.fixture(scope="session")
def seed_docs(seeds_dir: Path) -> dict[str, framing.Document]:
    """The seed documents loaded once per session, keyed by their three-digit prefix ("000" … "003").

    Shared between tests: do not mutate them.
    """
    corpus = framing.load(seeds_dir)
    assert not corpus.problems, corpus.problems
    return {doc.id[:3]: doc for doc in corpus}

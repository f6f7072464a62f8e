"""The extractor contract and the registry.

An extractor is a small object that reads one :class:`~framing.document.Document`
and returns flat, prefixed feature columns plus the evidence behind them::

    @register
    class HedgingExtractor(Extractor):
        name = "hedging"
        version = "1"
        columns = ("hedging_hedges_per_1k", ...)

        def extract(self, doc: Document) -> Result:
            ...

Rules every extractor follows:

* ``columns`` lists every feature key it can return, always in that order;
  :meth:`Extractor.score` fills the ones it did not set with NaN, so
  DataFrame columns are stable across documents;
* counts come with rates per 1,000 words, never per-word ratios alone;
* each :class:`Evidence` has character offsets into ``doc.body`` that slice
  back to ``Evidence.text``;
* an extractor with ``english_only = True`` is not run on non-English or
  empty documents: it returns NaN for every column with the reason;
* no extractor is run on a document without a single word token ("no
  words": punctuation, symbols, invisible characters), so ``extract`` never
  divides or rounds by a word count of zero.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Iterable, Sequence

from ..document import Document

__all__ = ["Evidence", "Result", "Extractor", "register", "get_extractor", "available_extractors",
           "REGISTRY", "per_1k"]

NAN = float("nan")


@dataclass(frozen=True)
class Evidence:
    """One cue that fired, traceable to the words of the document.

    Attributes
    ----------
    extractor : str
        Name of the extractor that produced it.
    category : str
        The cue's category (e.g. ``hedge``, ``booster``, ``puffery``).
    cue : str
        The lexicon entry or rule name that matched.
    text : str
        The matched text, exactly ``doc.body[start:end]``.
    start, end : int
        Character offsets into ``doc.body``.
    sentence : int
        Index of the sentence in ``doc.segmentation`` (-1 if none).
    voice : str
        ``author`` (the document's own voice), ``quoted`` (inside quotation
        marks) or ``reported`` (in reported speech: "…, he said").
    weight : float
        Contribution to the score (1.0 for plain counts).
    note : str
        Free-text explanation (e.g. "negated booster counted as hedge").
    """

    extractor: str
    category: str
    cue: str
    text: str
    start: int
    end: int
    sentence: int = -1
    voice: str = "author"
    weight: float = 1.0
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Result:
    """What an extractor returns for one document."""

    features: dict[str, float] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    na_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def per_1k(count: float, n_words: int) -> float:
    """Rate per 1,000 words (NaN when there are no words)."""
    return count * 1000.0 / n_words if n_words else NAN


class Extractor:
    """Base class: subclasses set ``name``, ``version``, ``columns`` and implement :meth:`extract`."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0"
    columns: ClassVar[tuple[str, ...]] = ()
    english_only: ClassVar[bool] = True
    #: short description shown by ``framing extractors`` and in the report's methods section
    description: ClassVar[str] = ""
    #: column -> one-line meaning with direction ("hedges per 1,000 words; higher = more tentative"),
    #: used by the report's tables and by ``framing extractors``
    column_descriptions: ClassVar[dict[str, str]] = {}

    def extract(self, doc: Document) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, docs: Sequence[Document]) -> "Extractor":
        """Corpus-level step run once before scoring (default: nothing to learn); returns ``self``.

        An extractor whose output depends on the corpus as a whole (for
        example a class prior estimated from every document) learns it here,
        as a scikit-learn estimator does in ``fit``; :meth:`score` then scores
        one document at a time.
        """
        return self

    def score(self, doc: Document) -> Result:
        """Run :meth:`extract`, or return NaNs with a reason when the document cannot be scored."""
        reason = doc.na_reason if self.english_only else doc.unscorable_reason
        if reason:
            return Result({c: NAN for c in self.columns}, [], reason)
        result = self.extract(doc)
        features = {c: result.features.get(c, NAN) for c in self.columns}
        unknown = set(result.features) - set(self.columns)
        if unknown:
            raise RuntimeError(f"extractor {self.name!r} returned undeclared columns: {sorted(unknown)}")
        result.features = features
        return result

    def provenance(self) -> dict[str, Any]:
        """Name, version and the resources (lexicons, models) this extractor uses, for the run record."""
        return {"name": self.name, "version": self.version, "resources": self.resources()}

    def resources(self) -> list[dict[str, str]]:
        """Lexicons/models in use (override to list them with hashes)."""
        return []

    def get_params(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


class OptionError(ValueError):
    """An extractor option has a value the extractor cannot use (the CLI reports it as a usage error)."""


#: name -> extractor class, in registration order (which is the column order)
REGISTRY: dict[str, type[Extractor]] = {}


def register(cls: type[Extractor]) -> type[Extractor]:
    """Class decorator adding an extractor to the registry under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    REGISTRY[cls.name] = cls
    return cls


def available_extractors() -> list[str]:
    """Registered extractor names, in pipeline order."""
    from . import load_builtin

    load_builtin()

    return list(REGISTRY)


def get_extractor(name: str, **options: Any) -> Extractor:
    """Instantiate a registered extractor by name."""
    available_extractors()
    try:
        cls = REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown extractor {name!r}; available: {', '.join(REGISTRY)}") from None
    return cls(**options)


def resolve_extractors(spec: Iterable[str | Extractor] | None,
                       options: dict[str, dict[str, Any]] | None = None) -> list[Extractor]:
    """Turn names/instances (``None`` = all registered) into extractor instances.

    ``options`` maps an extractor name to keyword arguments for its constructor
    (e.g. ``{"hedging": {"lexicon": "my_hedges.tsv"}}``).
    """
    options = options or {}
    unknown = set(options) - set(available_extractors())
    if unknown:
        raise KeyError(f"options for unknown extractor(s): {', '.join(sorted(unknown))}")
    names = available_extractors() if spec is None else spec
    return [s if isinstance(s, Extractor) else get_extractor(s, **options.get(s, {})) for s in names]


def parse_extractor_options(pairs: Iterable[str]) -> dict[str, dict[str, str]]:
    """Parse ``EXTRACTOR.PARAM=VALUE`` strings (the CLI's ``-O``) into ``{extractor: {param: value}}``."""
    out: dict[str, dict[str, str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        name, dot, param = key.partition(".")
        if not sep or not dot or not name or not param:
            raise ValueError(f"option {pair!r} is not EXTRACTOR.PARAM=VALUE (e.g. hedging.lexicon=my.tsv)")
        out.setdefault(name, {})[param] = value
    return out


def is_nan(x: Any) -> bool:
    return isinstance(x, float) and math.isnan(x)

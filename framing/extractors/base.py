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

import json
import math
import threading
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

    def __init__(self, extractor: str, category: str, cue: str, text: str, start: int, end: int,
                 sentence: int = -1, voice: str = "author", weight: float = 1.0, note: str = "") -> None:
        # the dataclass's generated __init__ sets each field through object.__setattr__ (frozen): writing the
        # instance __dict__ directly gives the same object about three times faster (extractors build many)
        d = self.__dict__
        d["extractor"] = extractor
        d["category"] = category
        d["cue"] = cue
        d["text"] = text
        d["start"] = start
        d["end"] = end
        d["sentence"] = sentence
        d["voice"] = voice
        d["weight"] = weight
        d["note"] = note

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
    #: True when :meth:`extract` takes ``evidence=False`` to compute the features without building evidence
    #: (:meth:`score` then passes it when no evidence is wanted); the features must be the same either way
    lazy_evidence: ClassVar[bool] = False

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

    def score(self, doc: Document, evidence: bool = True) -> Result:
        """Run :meth:`extract`, or return NaNs with a reason when the document cannot be scored.

        ``evidence=False`` returns the same features without evidence (``result.evidence`` is empty); an
        extractor with :attr:`lazy_evidence` then does not build it at all.
        """
        reason = doc.na_reason if self.english_only else doc.unscorable_reason
        if reason:
            return Result({c: NAN for c in self.columns}, [], reason)
        if evidence or not self.lazy_evidence:
            result = self.extract(doc)
        else:
            result = self.extract(doc, evidence=False)  # type: ignore[call-arg]
        if not evidence:
            result.evidence = []
        features = {c: result.features.get(c, NAN) for c in self.columns}
        if not result.features.keys() <= features.keys():  # a subset test of the two key views, no sets built
            unknown = set(result.features) - set(self.columns)
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

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickle (and copy) as class + :meth:`get_params`, rebuilt from a per-process cache on unpickling.

        A loaded extractor's matchers refer to cue layers registered in its own process only, so its state
        would score wrongly elsewhere; and the lexicons need not travel. Learned corpus-level state (a corpus
        prior) is not carried: ``fit`` learns it again. A subclass taking constructor arguments that it does
        not report through ``get_params`` pickles as usual.
        """
        cls = type(self)
        if cls.get_params is Extractor.get_params and cls.__init__ is not object.__init__:
            return super().__reduce_ex__(protocol)
        return rebuild_extractor, (cls, self.get_params())


_PROTOTYPES_LOCK = threading.RLock()
#: (class, constructor parameters) -> a loaded extractor that unpickled extractors copy
_PROTOTYPES: dict[tuple[type, str], Extractor] = {}


def _params_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def loaded(extractor: Extractor) -> Extractor:
    """``extractor`` with its lexicons and models loaded now (they register their cue layers in this process)."""
    extractor.resources()
    return extractor


def sharing_copy(prototype: Extractor) -> Extractor:
    """A new extractor sharing the prototype's loaded (read-only) resources: ``fit`` on it changes it alone."""
    clone = object.__new__(type(prototype))
    clone.__dict__.update(prototype.__dict__)
    return clone


def rebuild_extractor(cls: type[Extractor], params: dict[str, Any]) -> Extractor:
    """``cls(**params)``, loaded once per process; what an unpickled extractor is (see ``Extractor.__reduce_ex__``).

    Every call returns a new object, so ``fit`` (e.g. a corpus prior) on one does not touch another; they share
    the lexicons, matchers and models, which are not modified after loading. Learned corpus-level state is not
    carried: ``fit`` learns it again, as every :func:`framing.score` call does.
    """
    key = (cls, _params_key(dict(params)))
    with _PROTOTYPES_LOCK:
        prototype = _PROTOTYPES.get(key)
        if prototype is None:
            prototype = _PROTOTYPES[key] = loaded(cls(**params))
    return sharing_copy(prototype)


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
    if isinstance(spec, (str, Extractor)):  # one name or instance, not a list of the name's letters
        spec = [spec]
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


#: (extractor names, options) -> extractor instances, built once per process
_EXTRACTORS: dict[str, list[Extractor]] = {}


def cached_extractors(extractors: Iterable[str | Extractor] | None = None,
                      options: dict[str, dict[str, Any]] | None = None) -> list[Extractor]:
    """The extractors for ``extractors``/``options`` (as :func:`framing.score` takes them), built once per process.

    What worker processes (``-j``, Dask) score with. Returns new objects sharing the cached ones' loaded
    resources (safe to ``fit`` from several threads). Extractor instances in ``extractors`` are used as they are.
    """
    spec = None if extractors is None else list(extractors)
    if spec is not None and any(isinstance(s, Extractor) for s in spec):
        return resolve_extractors(spec, {k: dict(v) for k, v in (options or {}).items()})
    key = _params_key([spec, options or {}])
    with _PROTOTYPES_LOCK:
        cached = _EXTRACTORS.get(key)
        if cached is None:
            built = resolve_extractors(spec, {k: dict(v) for k, v in options.items()} if options else None)
            cached = _EXTRACTORS[key] = [loaded(e) for e in built]
    return [sharing_copy(e) for e in cached]

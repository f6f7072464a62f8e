"""What a chunked report keeps of every document once its chunk is gone, held column by column.

The end of a report reads every document's metadata again (its group, its display label, its run-record entry),
so it is kept for every document. Held as one Python object per document (strings, a metadata dict, a digest)
it cost about 0.75 KB a document; held here, a string costs its UTF-8 length and an 8-byte offset, a repeated
value (outlet, role, date, a metadata value, a source-type call) a 4-byte code, the file digest its 32 bytes:
about 0.2 KB a document for a typical news article's metadata.

:class:`DocumentColumns` is a sequence: ``columns[i]`` and iteration give a :class:`LightDocument` built on
the fly, with the attributes the comparison reads of a document (``id``, ``title``, ``path``, ``url``,
``outlet``, ``author``, ``date``, ``role``, ``encoding``, ``meta``, ``warnings``, ``hash_entry``).
:class:`DetectedTypes` is the source-type call of each document as the read-only mapping
``id -> {"label", "top_cues"}`` the comparison reads from ``Analysis.extras["source_type"]``.
:class:`FeatureChunks` is every chunk's feature table, joined once at the end with no second copy of the
numbers, and put in the documents table's row order in its own buffers.
"""
from __future__ import annotations

import mmap
from array import array
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any, overload

import numpy as np
import pandas as pd

__all__ = ["ArrayChunks", "Codes", "DetectedTypes", "DocumentColumns", "FeatureChunks", "LightDocument", "PackedStrings"]

_ABSENT = object()  # a metadata key the document does not have


class PackedStrings:
    """Strings (or None) back to back in one UTF-8 buffer, with their end offsets: ``append`` and ``[i]``."""

    __slots__ = ("_buffer", "_ends", "_none")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._ends = array("q")
        self._none = bytearray()

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, value: str | None) -> None:
        if value is not None:
            self._buffer += value.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._buffer))
        self._none.append(value is None)

    def __getitem__(self, i: int) -> str | None:
        if self._none[i]:
            return None
        start = self._ends[i - 1] if i else 0
        return self._buffer[start:self._ends[i]].decode("utf-8", "surrogatepass")

    def nbytes(self) -> int:
        return len(self._buffer) + self._ends.itemsize * len(self._ends) + len(self._none)


class Codes:
    """Values that repeat, each stored once and referred to by a 4-byte code: ``append`` and ``[i]``.

    Equal values of different types (``1`` and ``"1"``, ``1`` and ``True``) keep their own codes; a value that
    cannot be hashed (a list in a metadata column) is stored as it is, without sharing."""

    __slots__ = ("_codes", "_index", "_values")

    def __init__(self) -> None:
        self._codes = array("i")
        self._values: list[Any] = []
        self._index: dict[Any, int] = {}

    def __len__(self) -> int:
        return len(self._codes)

    def append(self, value: Any) -> None:
        self._codes.append(self.code(value))

    def code(self, value: Any) -> int:
        """The code of ``value`` (a new one when it was not seen before)."""
        key = (type(value), value) if isinstance(value, Hashable) else None
        try:
            found = self._index.get(key) if key is not None else None
        except TypeError:  # a tuple holding something unhashable
            key, found = None, None
        if found is not None:
            return found
        self._values.append(value)
        if key is not None:
            self._index[key] = len(self._values) - 1
        return len(self._values) - 1

    def __getitem__(self, i: int) -> Any:
        return self._values[self._codes[i]]

    def value(self, code: int) -> Any:
        return self._values[code]

    def nbytes(self) -> int:
        return self._codes.itemsize * len(self._codes)


class LightDocument:
    """What the comparison reads of a document once its chunk is gone: metadata, path, run-record entry."""

    __slots__ = ("_digest", "_of_file", "author", "date", "encoding", "id", "meta", "outlet", "path", "role",
                 "title", "url", "warnings")

    def __init__(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def hash_entry(self) -> dict[str, Any]:
        """The run-record entry: id, path, the SHA-256 of its file (``sha256``) or of its text
        (``body_sha256``), the encoding and any warnings."""
        entry: dict[str, Any] = {"id": self.id, "path": self.path or ""}
        entry["sha256" if self._of_file else "body_sha256"] = self._digest.hex()
        entry["encoding"] = self.encoding
        if self.warnings:
            entry["warnings"] = list(self.warnings)
        return entry


class DocumentColumns(Sequence[LightDocument]):
    """Every document's metadata, column by column (see the module docstring); ``append(doc, digest, of_file)``
    adds one, ``[i]`` and iteration give :class:`LightDocument` records."""

    _STRINGS = ("id", "title", "path", "url")
    _REPEATED = ("outlet", "author", "date", "role", "encoding")

    def __init__(self) -> None:
        self._strings = {name: PackedStrings() for name in self._STRINGS}
        self._repeated = {name: Codes() for name in self._REPEATED}
        self._meta_keys = Codes()  # the tuple of each document's metadata keys, in its order
        self._meta: dict[str, Codes] = {}  # key -> its value per document (_ABSENT where the document has none)
        self._digests = bytearray()  # 32 bytes a document
        self._of_file = bytearray()
        self._warnings: dict[int, tuple[str, ...]] = {}  # only the documents with warnings
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, doc: Any, digest: bytes, of_file: bool) -> None:
        """Keep ``doc``'s metadata, the SHA-256 ``digest`` of its file (``of_file``) or of its text."""
        if len(digest) != 32:
            raise ValueError("a document's digest is a SHA-256 (32 bytes)")
        for name, column in self._strings.items():
            column.append(getattr(doc, name))
        for name, codes in self._repeated.items():
            codes.append(getattr(doc, name))
        keys = tuple(doc.meta)
        self._meta_keys.append(keys)
        for key in keys:
            if key not in self._meta:
                self._meta[key] = column = Codes()
                for _ in range(self._n):
                    column.append(_ABSENT)
        for key, column in self._meta.items():
            column.append(doc.meta.get(key, _ABSENT))
        self._digests += digest
        self._of_file.append(bool(of_file))
        if doc.warnings:
            self._warnings[self._n] = tuple(doc.warnings)
        self._n += 1

    @overload
    def __getitem__(self, i: int) -> LightDocument: ...

    @overload
    def __getitem__(self, i: slice) -> list[LightDocument]: ...

    def __getitem__(self, i: int | slice) -> LightDocument | list[LightDocument]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("document position out of range")
        fields: dict[str, Any] = {name: column[i] for name, column in self._strings.items()}
        fields.update((name, codes[i]) for name, codes in self._repeated.items())
        fields["meta"] = {key: self._meta[key][i] for key in self._meta_keys[i]}
        fields["warnings"] = self._warnings.get(i, ())
        return LightDocument(**fields, _digest=bytes(self._digests[32 * i:32 * i + 32]), _of_file=bool(self._of_file[i]))

    def __iter__(self) -> Iterator[LightDocument]:
        return (self[i] for i in range(self._n))

    def ids(self) -> list[str]:
        """Every document's id, in order."""
        column = self._strings["id"]
        return [column[i] for i in range(self._n)]  # type: ignore[misc]

    def nbytes(self) -> int:
        """Bytes held by the columns (the distinct repeated values aside)."""
        return (sum(c.nbytes() for c in self._strings.values()) + sum(c.nbytes() for c in self._repeated.values())
                + self._meta_keys.nbytes() + sum(c.nbytes() for c in self._meta.values()) + len(self._digests)
                + len(self._of_file))


class DetectedTypes(Mapping[str, dict[str, Any]]):
    """Each document's source-type call (``{"label", "top_cues"}``) by id, held as one code a document: the
    calls repeat (one label and a few cue names), so each distinct call is kept once. Iterated in the order the
    documents came; a repeated id keeps its last call at its first place, as a dict would."""

    def __init__(self, documents: DocumentColumns) -> None:
        self._documents = documents
        self._keys = Codes()  # (label, cue names) of each distinct call
        self._calls: list[dict[str, Any]] = []  # the distinct calls, by code
        self._positions = array("q")  # the documents with a call, in the order they came
        self._codes = array("i")
        self._index: dict[str, int] | None = None  # id -> code, built when first read

    def add(self, position: int, call: dict[str, Any]) -> None:
        """The call of the document at ``position``."""
        code = self._keys.code((call.get("label", ""), tuple(call.get("top_cues", ()))))
        if code == len(self._calls):
            self._calls.append(call)
        self._positions.append(position)
        self._codes.append(code)
        self._index = None

    def _by_id(self) -> dict[str, int]:
        if self._index is None:
            ids = self._documents.ids()
            self._index = {ids[p]: code for p, code in zip(self._positions, self._codes)}
        return self._index

    def __getitem__(self, doc_id: str) -> dict[str, Any]:
        return self._calls[self._by_id()[doc_id]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id())

    def __len__(self) -> int:
        return len(self._by_id())


class FeatureChunks:
    """Each chunk's feature table, joined once into one table without a second copy of the numbers.

    ``pd.concat`` of the chunks would hold every chunk and the joined table at once (about 160 MB more at
    100,000 documents); :meth:`join` copies the chunks into columns of their own one chunk at a time, dropping
    each as it goes, so the join costs one chunk more than the joined table. The numeric columns live in one
    column-major array per dtype; :meth:`reordered` puts their rows in another order inside those arrays, so
    the documents table (rows in group order) shares them instead of copying them again.
    """

    def __init__(self) -> None:
        self._chunks: list[pd.DataFrame] = []
        self._numeric: dict[str, np.ndarray] = {}  # column -> its values (a column of a column-major array)
        self._joined: pd.DataFrame | None = None
        self._reordered = False

    def __len__(self) -> int:
        """The chunks held (none once joined)."""
        return len(self._chunks)

    def append(self, frame: pd.DataFrame) -> None:
        """Add one chunk's features (rows in input order)."""
        if self._joined is not None:
            raise RuntimeError("the chunks are already joined")
        self._chunks.append(frame)

    def join(self, release: Callable[[], None] | None = None, every: int = 20) -> pd.DataFrame:
        """Every chunk's rows, in order, as ``pd.concat(chunks, ignore_index=True)`` gives them (same columns,
        dtypes and values). Call once: the chunks are dropped as they are copied, and ``release()`` (e.g.
        :func:`framing.stream.give_back_memory`: the allocator keeps freed pages otherwise) is called after
        every ``every`` chunks."""
        if self._joined is not None:
            raise RuntimeError("the chunks are already joined")
        chunks, self._chunks = self._chunks, []
        if not chunks:
            raise ValueError("no feature table to join")
        columns = list(chunks[0].columns)
        if len(chunks) == 1 or any(list(c.columns) != columns for c in chunks) or len(set(columns)) < len(columns):
            self._joined = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0].reset_index(drop=True)
            return self._joined
        dtypes = pd.concat([c.iloc[:0] for c in chunks]).dtypes  # the dtypes pd.concat would give
        n = sum(len(c) for c in chunks)
        numeric = [c for c in columns if isinstance(dtypes[c], np.dtype) and dtypes[c].kind in "biuf"]
        for dtype in dict.fromkeys(dtypes[c] for c in numeric):
            names = [c for c in numeric if dtypes[c] == dtype]
            block = _column_major(n, len(names), dtype)
            self._numeric.update((name, block[:, j]) for j, name in enumerate(names))
        others: dict[str, list[pd.Series]] = {c: [] for c in columns if c not in self._numeric}
        chunks.reverse()
        start = 0
        while chunks:
            chunk = chunks.pop()
            stop = start + len(chunk)
            for name, values in self._numeric.items():
                values[start:stop] = chunk[name].to_numpy(dtype=values.dtype)
            for name, parts in others.items():
                parts.append(chunk[name])
            start = stop
            del chunk
            if release is not None and len(chunks) % every == 0:
                release()
        joined = {name: self._numeric[name] if name in self._numeric
                  else pd.concat(others.pop(name), ignore_index=True).astype(dtypes[name])
                  for name in columns}
        self._joined = pd.DataFrame(joined, copy=False)
        return self._joined

    def reordered(self, order: np.ndarray, names: list[str]) -> pd.DataFrame:
        """The joined table's columns ``names`` with their rows in ``order``: the numeric ones rearranged in
        their own arrays (the joined table is not in input order afterwards), the others copied."""
        if self._joined is None or self._reordered:
            raise RuntimeError("join the chunks first, and reorder them once")
        self._reordered = True
        identity = bool(np.array_equal(order, np.arange(len(order))))
        out: dict[str, Any] = {}
        for name in names:
            values = self._numeric.get(name)
            if values is None:
                out[name] = self._joined[name].iloc[order].reset_index(drop=True)
            else:
                if not identity:
                    values[:] = values[order]
                out[name] = values
        return pd.DataFrame(out, index=pd.RangeIndex(len(order)), copy=False)


def _column_major(rows: int, columns: int, dtype: np.dtype) -> np.ndarray:
    """An uninitialised column-major array in small pages: filled a chunk of rows at a time, it becomes resident
    as it is filled. (numpy asks for huge pages for a large array; each column's first write would then make
    2 MB of it resident, the whole table at the first chunk, while the chunks were all still held.)"""
    size = rows * columns * np.dtype(dtype).itemsize
    if not size:
        return np.empty((rows, columns), dtype=dtype, order="F")
    buffer = mmap.mmap(-1, size)
    if hasattr(mmap, "MADV_NOHUGEPAGE"):
        buffer.madvise(mmap.MADV_NOHUGEPAGE)
    return np.frombuffer(buffer, dtype=dtype, count=rows * columns).reshape((rows, columns), order="F")


class ArrayChunks:
    """Columns of numbers appended a chunk at a time (``append(doc=..., n=...)``), joined once by :meth:`take`
    one column at a time, each column's chunks dropped as it is joined: the join costs one column more than
    the joined columns, not a second copy of them all."""

    def __init__(self, **dtypes: Any) -> None:
        self._dtypes = {name: np.dtype(t) for name, t in dtypes.items()}
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in dtypes}
        self.rows = 0

    def __len__(self) -> int:
        return self.rows

    def append(self, **columns: Any) -> None:
        """One chunk's rows: an array (or sequence) per column, all of one length."""
        if set(columns) != set(self._parts):
            raise ValueError(f"columns must be {', '.join(self._parts)}")
        arrays = {name: np.asarray(values, dtype=self._dtypes[name]) for name, values in columns.items()}
        if len({len(a) for a in arrays.values()}) > 1:
            raise ValueError("columns of one chunk must have one length")
        for name, values in arrays.items():
            self._parts[name].append(values)
        self.rows += len(next(iter(arrays.values())))

    def take(self) -> dict[str, np.ndarray]:
        """Every column joined (empty arrays when nothing was appended); the chunks are dropped. Call once."""
        out = {}
        for name, parts in self._parts.items():
            out[name] = np.concatenate(parts) if parts else np.empty(0, dtype=self._dtypes[name])
            parts.clear()
        self.rows = 0
        return out

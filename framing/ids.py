"""Document ids seen so far, in a few dozen bytes each.

Loading renames a repeated id (``a`` → ``a#2``), so a stream of documents must remember every id it
has passed. A Python ``dict`` of strings costs about 140 bytes per id, which makes a million-document
run's memory grow by 140 MB; :class:`IdCounts` keeps the ids' UTF-8 bytes back to back in one buffer
and finds them through an open-addressing table of ``int32`` slots: about 20 bytes plus the id's
length per id, exact (ids are compared byte for byte, never by hash alone).
"""
from __future__ import annotations

import numpy as np

__all__ = ["IdCounts", "unique_id"]

_EMPTY = -1


class IdCounts:
    """How many times each id has been seen; ``add(id)`` counts one more sighting and returns the count."""

    def __init__(self, capacity: int = 1024) -> None:
        size = 1 << max(4, (2 * capacity - 1).bit_length())
        self._slots = np.full(size, _EMPTY, dtype=np.int32)     # entry number, or -1 for a free slot
        self._ends = np.zeros(max(8, capacity), dtype=np.uint32)  # end offset of each entry in the buffer
        self._buffer = bytearray()
        self._n = 0
        self._repeats: dict[int, int] = {}  # entry number -> count, only for ids seen more than once

    def __len__(self) -> int:
        return self._n

    def __contains__(self, key: str) -> bool:
        data = _encode(key)
        return self._slots[self._find(data, hash(data))] != _EMPTY

    def add(self, key: str) -> int:
        """Count one more sighting of ``key``; return how many times it has now been seen (1 for new)."""
        data = _encode(key)
        slot = self._find(data, hash(data))
        entry = int(self._slots[slot])
        if entry != _EMPTY:
            count = self._repeats.get(entry, 1) + 1
            self._repeats[entry] = count
            return count
        self._append(data)
        self._slots[slot] = self._n - 1
        if 2 * self._n > len(self._slots):
            self._grow()
        return 1

    def nbytes(self) -> int:
        """Bytes held by the table, the offsets and the ids (the repeats' dict aside)."""
        return self._slots.nbytes + self._ends.nbytes + len(self._buffer)

    def _entry(self, entry: int) -> bytes:
        start = int(self._ends[entry - 1]) if entry else 0
        return bytes(self._buffer[start:int(self._ends[entry])])

    def _find(self, data: bytes, h: int) -> int:
        """The slot holding ``data``, or the free slot where it would go (linear probing)."""
        slots = self._slots
        mask = len(slots) - 1
        slot = h & mask
        while True:
            entry = int(slots[slot])
            if entry == _EMPTY or self._entry(entry) == data:
                return slot
            slot = (slot + 1) & mask

    def _append(self, data: bytes) -> None:
        if self._n == len(self._ends):  # grow by half: the old and new arrays coexist while copying
            self._ends = np.concatenate([self._ends, np.zeros(len(self._ends) // 2 + 1, dtype=self._ends.dtype)])
        self._buffer += data
        if len(self._buffer) > np.iinfo(self._ends.dtype).max:  # past 4 GB of ids: 64-bit offsets
            self._ends = self._ends.astype(np.int64)
        self._ends[self._n] = len(self._buffer)
        self._n += 1

    def _grow(self) -> None:
        self._slots = np.full(2 * len(self._slots), _EMPTY, dtype=np.int32)
        mask = len(self._slots) - 1
        for entry in range(self._n):
            slot = hash(self._entry(entry)) & mask
            while self._slots[slot] != _EMPTY:
                slot = (slot + 1) & mask
            self._slots[slot] = entry


def unique_id(seen: IdCounts, doc_id: str) -> str:
    """``doc_id``, or ``doc_id#2``, ``doc_id#3``, … when it was seen before (skipping any such name already
    taken); the name returned is counted as seen."""
    n = seen.add(doc_id)
    if n == 1:
        return doc_id
    renamed = f"{doc_id}#{n}"
    while seen.add(renamed) > 1:
        n = seen.add(doc_id)
        renamed = f"{doc_id}#{n}"
    return renamed


def _encode(key: str) -> bytes:
    return key.encode("utf-8", "surrogatepass")

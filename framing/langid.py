"""py3langid's language model, loaded in milliseconds: :func:`identifier`.

py3langid ships its model as an LZMA-compressed ``.npz`` (4.5 MB, 68 MB unpacked) and decompresses it every
time a process loads it: most of a second, paid by every ``framing score`` run. framing unpacks it once into
a cache directory as plain ``.npy`` arrays and afterwards memory-maps them, touching every page once as it
maps them: the pages are the operating system's file cache, shared by every process that reads the model, and a
run's memory does not creep up by the 67 MB of tables as ever more varied text reaches new pages (a lazily
mapped table made a million-document run's main process 70 MB larger than a 10,000-document one). The arrays are py3langid's own, byte for byte (checked on a few texts when the cache is
written), so the language and confidence are exactly what ``LanguageIdentifier.from_model_file`` gives.

The cache lives in ``$FRAMING_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/framing`` (default
``~/.cache/framing``), in a folder named after py3langid's version and the model file's size and time, so an
upgrade of py3langid writes a new one (old folders can be deleted at any time). ``FRAMING_CACHE_DIR=""``
turns the cache off; when the folder cannot be written the model is used from memory (as py3langid does).
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "identifier", "model_cache_path"]

LOG = logging.getLogger(__name__)

#: the model's arrays, as py3langid's ``modelio.save_model`` names them
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
#: texts whose classification the cached model must reproduce before it is used
_CHECK_TEXTS = ("The ministry said on Monday that it may consider the plan.",
                "Le gouvernement a annoncé mardi une réforme des retraites.",
                "Die Regierung hat am Dienstag eine Reform angekündigt.", "Правительство объявило о реформе.",
                "")


def cache_dir() -> Path | None:
    """framing's cache folder (``None`` when ``FRAMING_CACHE_DIR`` is set to the empty string)."""
    env = os.environ.get("FRAMING_CACHE_DIR")
    if env is not None:
        return Path(env).expanduser() if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "framing"


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def model_cache_path() -> Path | None:
    """Folder holding the unpacked model for the installed py3langid (``None`` without a cache folder)."""
    root = cache_dir()
    if root is None:
        return None
    import py3langid  # its __version__, without importlib.metadata (tens of milliseconds to import)

    st = _model_file().stat()
    return root / f"py3langid-{getattr(py3langid, '__version__', 'unknown')}-{st.st_size}-{st.st_mtime_ns}"


@lru_cache(maxsize=1)
def identifier() -> Any:
    """py3langid's ``LanguageIdentifier`` with its shipped model and ``norm_probs=True`` (once per process)."""
    from py3langid.langid import LanguageIdentifier

    try:
        path = model_cache_path()
    except (OSError, ImportError, ValueError):  # pragma: no cover - unusual install
        path = None
    if path is not None and (path / "out_feat.npy").exists():
        try:
            return _from_arrays(LanguageIdentifier, _mapped(path))
        except Exception as exc:  # noqa: BLE001 - a damaged cache: unpack again below
            LOG.debug("language model cache %s unusable (%s), unpacking again", path, exc)
            shutil.rmtree(path, ignore_errors=True)
    arrays = _unpack()
    if arrays is None:  # a model layout this module does not know: py3langid's own loader
        return LanguageIdentifier.from_model_file(_model_file(), norm_probs=True)
    model = _from_arrays(LanguageIdentifier, _in_memory(arrays))
    if path is not None:
        _write_cache(path, arrays, model, LanguageIdentifier)
    return model


def _unpack() -> dict[str, Any] | None:
    """The model's arrays, decompressed from py3langid's file (most of a second)."""
    import lzma

    import numpy as np

    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(_model_file()) as src:
            shutil.copyfileobj(src, tmp, length=1 << 20)
        tmp.seek(0)
        with np.load(tmp, allow_pickle=False) as data:
            if set(_ARRAYS) - set(data.files):
                return None
            return {name: data[name] for name in _ARRAYS}


def _flat(arr: Any) -> Any:
    """A 1-D unsigned integer array as a memoryview of Python ints (what py3langid's stdlib arrays give)."""
    import numpy as np

    arr = np.ascontiguousarray(arr)
    return memoryview(arr).cast("B").cast({2: "H", 4: "I", 8: "Q"}[arr.dtype.itemsize])


def _in_memory(arrays: dict[str, Any]) -> tuple:
    import numpy as np

    return (np.asarray(arrays["ptc"]), np.asarray(arrays["pc"]), arrays["classes"].tolist(),
            _flat(arrays["nextmove"]), _flat(arrays["nextmove_row"]), arrays["out_feat"].tolist())


def _mapped(path: Path) -> tuple:
    """The cached arrays: the two large ones memory-mapped, the small ones read."""
    import numpy as np

    def load(name: str, mmap: bool = False) -> Any:
        arr = np.load(path / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)
        if mmap:
            _touch_pages(arr)
        return arr

    return (np.asarray(load("ptc", True)), load("pc"), load("classes").tolist(), _flat(load("nextmove", True)),
            _flat(load("nextmove_row")), load("out_feat").tolist())


def _touch_pages(arr: Any, page: int = 4096) -> None:
    """Read one byte of every page of a memory-mapped array, so all of it is resident from the start (a few
    milliseconds from the file cache) rather than growing with the variety of the text classified."""
    import numpy as np

    flat = np.asarray(arr).reshape(-1).view(np.uint8)
    int(flat[::page].sum(dtype=np.uint64))


def _from_arrays(cls: Any, parts: tuple) -> Any:
    ptc, pc, classes, nextmove, row, output = parts
    return cls(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)


def _write_cache(path: Path, arrays: dict[str, Any], model: Any, cls: Any) -> None:
    """Save the arrays to ``path`` (atomically) and keep them only if they classify as ``model`` does."""
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=path.name + ".", dir=path.parent))
        try:
            for name in _ARRAYS:
                np.save(tmp / f"{name}.npy", arrays[name], allow_pickle=False)
            cached = _from_arrays(cls, _mapped(tmp))
            if any(cached.classify(t) != model.classify(t) for t in _CHECK_TEXTS):
                LOG.warning("framing: cached language model disagrees with py3langid's; not caching it")
                return
            del cached
            os.replace(tmp, path)  # another process may have won the race: then tmp is removed below
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        LOG.debug("language model not cached in %s: %s", path, exc)

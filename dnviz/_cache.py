"""A cache of the validated, typed tables, so that loading unchanged data again is fast.

Validation is the slow part of :func:`dnviz.load_atlas` (pandera checks every cell). Its result
depends only on the bytes of the files read (tables, dictionary, manifest, geometry), on the code
that validates them and on the library versions; :func:`key` hashes all of these. A load reads and
hashes every input file each time, and uses a cached result only when the hash matches: what is
cached stands for exactly the bytes that were validated. Invalid data is never cached.

Where: :func:`dnviz._paths.cache_dir` (``DNVIZ_CACHE_DIR``, else ``$XDG_CACHE_HOME/dnviz`` or
``~/.cache/dnviz``; ``DNVIZ_CACHE=0`` turns it off), never inside the package. Entries are pickles,
written to a temporary file and renamed into place (a reader never sees half a file). Pickles can
run code when loaded, so an entry is read only if it is a regular file owned by the current user
and writable by nobody else, in a folder created private (0700). Anything unreadable, corrupt or
from another version is ignored and rewritten; the cache never raises.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dnviz._paths import cache_dir

FORMAT = 1
MAX_ENTRIES = 16
MAX_BYTES = 64 * 1024 * 1024


@lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    """The code and library versions a cached result depends on."""
    from importlib.metadata import version  # not `import pandera`: a cached load never imports it

    h = hashlib.sha256(f"dnviz-tables-{FORMAT}".encode())
    dnviz = sys.modules.get("dnviz")
    for part in (
        sys.version,
        pd.__version__,
        version("numpy"),
        version("pandera"),
        getattr(dnviz, "__version__", ""),
    ):
        h.update(str(part).encode() + b"\0")
    # every module of the package, not a list: a new check module (names, grades, outlines...) added
    # by anyone must invalidate the cache without anyone remembering to list it here
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        with contextlib.suppress(OSError):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def key(blobs: list[tuple[str, bytes]]) -> str:
    """Hash of every input file (its role in the load, e.g. ``"0:muscles"``, and its bytes)."""
    h = hashlib.sha256(_fingerprint())
    for role, data in blobs:
        h.update(role.encode() + b"\0" + len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _entry(folder: Path, digest: str) -> Path:
    return folder / f"tables-{digest}.pickle"


def _trusted(info: os.stat_result) -> bool:
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path) -> bytes | None:
    """An entry's bytes, or ``None``: never through a link, never blocking (a named pipe planted at the
    path), only a regular file of this user that nobody else may write (:func:`_trusted`)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno())):
                return None
            return fh.read(MAX_BYTES + 1)
    except OSError:
        return None


def _used(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used entries survive pruning


def get(digest: str) -> dict[str, pd.DataFrame] | None:
    """The cached tables for this key, or ``None`` (no entry, caching off, or an entry not to trust)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry(folder, digest)
    data = _read(path)
    if data is None:
        return None
    try:
        fmt, stored, tables = pickle.loads(data)
        if fmt != FORMAT or stored != digest or not isinstance(tables, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, pd.DataFrame) for k, v in tables.items()):
            return None
    except Exception:
        return None
    _used(path)
    return tables


def _store(name: str, payload: bytes) -> None:
    """Write an entry atomically (a temporary file, then a rename) and prune; never raises."""
    folder = cache_dir()
    if folder is None:
        return
    tmp = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tables-", suffix=".tmp", delete=False) as fh:
            tmp = fh.name
            fh.write(payload)
        os.replace(tmp, folder / name)
        tmp = None
        _prune(folder)
    except Exception:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def put(digest: str, tables: dict[str, pd.DataFrame]) -> None:
    """Store the tables under this key (atomically: temporary file, then rename); never raises."""
    try:
        payload = pickle.dumps((FORMAT, digest, tables), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return
    _store(f"tables-{digest}.pickle", payload)


def get_json(kind: str, digest: str):
    """A cached JSON document (such as the browser map's bundle) for this key, or ``None``.

    JSON, not a pickle: reading it can never run code. The same trust rules as for the tables apply.
    """
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{kind}-{digest}.json"
    data = _read(path)
    if data is None:
        return None
    try:
        stored = json.loads(data)
    except Exception:
        return None
    if not isinstance(stored, dict) or stored.get("key") != digest:
        return None
    _used(path)
    return stored.get("data")


def put_json(kind: str, digest: str, data) -> None:
    """Store a JSON document under this key (atomically); never raises."""
    try:
        payload = json.dumps({"key": digest, "data": data}, separators=(",", ":")).encode()
    except Exception:
        return
    _store(f"{kind}-{digest}.json", payload)


def _prune(folder: Path) -> None:
    """Keep the most recently used entries; remove temporary files left by a crashed writer."""
    entries = []
    for path in [*folder.glob("tables-*.pickle"), *folder.glob("*-*.json")]:
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime, path))
    for _, path in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            path.unlink()
    for path in folder.glob(".tables-*.tmp"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < time.time() - 3600:
                path.unlink()


def clear() -> int:
    """Remove every cached entry; returns how many were removed."""
    folder = cache_dir()
    removed = 0
    found = (
        [*folder.glob("tables-*.pickle"), *folder.glob("*-*.json")] if folder is not None and folder.is_dir() else []
    )
    for path in found:
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed

"""Where the atlas's data files live.

The canonical tables sit in the repository's top-level ``data/`` folder. A wheel ships them inside
the package as ``dnviz/data`` (see ``pyproject.toml``), so one helper resolves either location.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

_MARKER = "dictionary.csv"


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Return the folder that holds the atlas's bundled tables.

    Returns
    -------
    pathlib.Path
        ``dnviz/data`` inside an installed wheel, or the repository's ``data/`` folder in a
        source checkout (editable installs included).

    Examples
    --------
    >>> (data_dir() / "muscles.csv").exists()
    True
    """
    packaged = Path(str(resources.files("dnviz"))) / "data"
    if (packaged / _MARKER).is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "data"
    if (checkout / _MARKER).is_file():
        return checkout
    raise FileNotFoundError(
        f"dnviz cannot find its data tables: looked for {_MARKER} in {packaged} and {checkout}. "
        "Reinstall the package (pip install dnviz) or run from a complete source checkout."
    )


CACHE_ENV = "DNVIZ_CACHE"
CACHE_DIR_ENV = "DNVIZ_CACHE_DIR"


def cache_dir() -> Path | None:
    """Return the folder for dnviz's cache of validated tables, or ``None`` when caching is off.

    ``DNVIZ_CACHE=0`` turns the cache off; ``DNVIZ_CACHE_DIR`` names the folder; otherwise it is
    ``$XDG_CACHE_HOME/dnviz`` or ``~/.cache/dnviz``. A folder inside the installed package is
    never used (the package may be shared or read-only).

    Examples
    --------
    >>> folder = cache_dir()
    >>> folder is None or isinstance(folder, Path)
    True
    """
    if os.environ.get(CACHE_ENV, "").strip().lower() in ("0", "false", "no", "off"):
        return None
    chosen = os.environ.get(CACHE_DIR_ENV, "").strip()
    if chosen:
        folder = Path(chosen).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
        folder = base / "dnviz"
    package = Path(__file__).resolve().parent
    try:
        resolved = folder.resolve()
    except OSError:
        return None
    if resolved == package or package in resolved.parents:
        return None
    return folder

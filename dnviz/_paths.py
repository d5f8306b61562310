"""Where the atlas's data files live.

The canonical tables sit in the repository's top-level ``data/`` folder. A wheel ships them inside
the package as ``dnviz/data`` (see ``pyproject.toml``), so one helper resolves either location.
"""

from __future__ import annotations

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

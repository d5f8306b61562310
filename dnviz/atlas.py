"""The atlas: validated, typed tables of muscles, trigger points, referral zones, regions, sources.

>>> from dnviz import load_atlas
>>> atlas = load_atlas()
>>> atlas.find_muscle("upper trap").name
'upper_trapezius'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dnviz import _queries
from dnviz._paths import data_dir
from dnviz._tables import load_tables

PathLike = str | os.PathLike


@dataclass(frozen=True, repr=False, eq=False)
class Atlas:
    """The loaded atlas. Every table is a :class:`pandas.DataFrame` indexed by its id.

    Attributes
    ----------
    muscles, trigger_points, referrals, regions, sources : pandas.DataFrame
        The tables described in ``data/dictionary.csv``; categorical columns are (ordered)
        categoricals, list columns hold tuples of strings.
    folders : tuple of pathlib.Path
        The folders the tables were read from, bundled data first.
    """

    tables: dict[str, pd.DataFrame]
    folders: tuple[Path, ...]
    _search: _queries.NameIndex = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_search", _queries.NameIndex(self.tables["muscles"]))

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"Atlas has no table or attribute {name!r}; tables: {', '.join(tables)}")

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.tables))

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(frame)} {name}" for name, frame in self.tables.items())
        return f"<Atlas: {counts}>"

    # -- queries -------------------------------------------------------------------------------
    def find_muscle(self, name: str) -> pd.Series:
        """Find a muscle by id, name or synonym, tolerant of case, spacing and small misspellings.

        Parameters
        ----------
        name : str
            What a student types: ``"upper trap"``, ``"SCM"``, ``"QL"``, ``"infraspinatis"``.

        Returns
        -------
        pandas.Series
            The muscle's row; its ``.name`` is the muscle id.

        Raises
        ------
        MuscleNotFoundError
            When nothing matches well enough, or the name is ambiguous; the message lists the
            closest names.

        Examples
        --------
        >>> load_atlas().find_muscle("SCM")["name"]
        'Sternocleidomastoid'
        """
        return self.muscles.loc[self._search.lookup(name)]

    def referral_pattern(self, muscle: str) -> pd.DataFrame:
        """The muscle's trigger points with the regions they refer to and the kind of each zone.

        Parameters
        ----------
        muscle : str
            A muscle id, name or synonym (see :meth:`find_muscle`).

        Returns
        -------
        pandas.DataFrame
            One row per (trigger point, region): ``tp_id, label, location, view, region_id,
            region_name, region_view, kind, laterality, source_ids``; essential zones first within
            each trigger point.

        Examples
        --------
        >>> pattern = load_atlas().referral_pattern("upper trapezius")
        >>> set(pattern["kind"]) <= {"essential", "spillover"}
        True
        """
        return _queries.referral_pattern(self, self._search.lookup(muscle))

    def candidates(self, regions: str | Iterable[str | tuple[str, str]], side: str | None = None) -> pd.DataFrame:
        """Reverse look-up: which muscles' trigger points refer pain to these regions?

        Parameters
        ----------
        regions : str or iterable
            Painful regions by id or name (``"temple"``, ``"Back of the neck"``); group regions
            (``"head"``) stand for all their parts. An item may be a ``(region, side)`` pair.
        side : {"left", "right"}, optional
            Side of the pain for items given without one. ``None`` ignores laterality.

        Returns
        -------
        pandas.DataFrame
            One row per candidate muscle (and side): ``rank, muscle_id, name, side, n_regions,
            n_essential, matched, why``. Ranked by how many of the painful regions the muscle
            explains, then by how many of those are essential zones, then by name.

        Examples
        --------
        >>> top = load_atlas().candidates(["temple", "posterolateral_neck"], side="left")
        >>> top.iloc[0]["side"]
        'left'
        """
        return _queries.candidates(self, regions, side)

    def region(self, name: str) -> str:
        """Resolve a region id or name (case-insensitive) to its id; raises with suggestions."""
        return _queries.resolve_region(self.regions, name)

    def leaf_regions(self, region: str) -> list[str]:
        """The leaf regions (those with polygons) under a region, or the region itself."""
        return _queries.leaves(self.regions, self.region(region))

    def needle_check(self, site: str, needle_mm: float, sex: str | None = None, bmi=None):
        """Compare a needle length with published depths at a site (see :func:`dnviz.needle.needle_check`).

        The answer names each study, its population and end-point, warns that thin people sit far
        below the mean, and never says "safe".

        Examples
        --------
        >>> check = load_atlas().needle_check("gb21", 30, sex="female", bmi=18)
        >>> check.reaches
        True
        """
        from dnviz.needle import needle_check

        return needle_check(self, site, needle_mm, sex=sex, bmi=bmi)

    def cite(self, source_ids: str | Sequence[str]) -> list[str]:
        """Full citations for source ids, in the order given.

        Examples
        --------
        >>> load_atlas().cite("jafri2014mechanisms")[0].startswith("Jafri MS (2014)")
        True
        """
        return _queries.cite(self.sources, source_ids)


def load_atlas(path: PathLike | None = None, *, extra: PathLike | Sequence[PathLike] = ()) -> Atlas:
    """Load and validate the atlas.

    Parameters
    ----------
    path : path-like, optional
        A folder of tables that replaces the bundled data entirely (every table file required).
        Defaults to the data shipped with dnviz.
    extra : path-like or sequence of path-like, optional
        Folders with your own rows (for example an instructor's course muscles): any subset of the
        table files, same columns. A row whose id already exists replaces the bundled row; new ids
        are added. They are validated exactly like the bundled data.

    Returns
    -------
    Atlas

    Raises
    ------
    AtlasValidationError
        Listing every problem found (file, row, column, value, and how to fix it). Nothing is
        loaded when any problem is found.

    Examples
    --------
    >>> atlas = load_atlas()
    >>> len(atlas.muscles) >= 60
    True
    """
    extras = [extra] if isinstance(extra, (str, os.PathLike)) else list(extra)
    folders = [Path(path) if path is not None else data_dir(), *map(Path, extras)]
    return Atlas(load_tables(folders), tuple(folders))

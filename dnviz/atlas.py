"""The atlas: validated, typed tables of muscles, trigger points, referral zones, regions, sources.

>>> from dnviz import load_atlas
>>> atlas = load_atlas()
>>> atlas.find_muscle("upper trap").name
'upper_trapezius'
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from dnviz import _queries, citations
from dnviz._constants import DISCLAIMER
from dnviz._paths import data_dir
from dnviz._tables import load_tables
from dnviz.vocabulary import BODY_AREA_NAMES

PathLike = str | os.PathLike


@dataclass(frozen=True, repr=False, eq=False)
class Atlas:
    """The loaded atlas: validated tables, the questions they answer, and their derived data.

    Every table is a :class:`pandas.DataFrame` indexed by its id, read as ``atlas.<table>``;
    ``data/dictionary.csv`` describes every column (categorical columns are (ordered)
    categoricals, list columns hold tuples of strings) and ``data/manifest.json`` each table's
    provenance and license. The atlas is immutable: what it derives from its tables (the name
    index, the referral patterns, the reverse index, the formatted citations) it computes once,
    on first use, as cached properties.

    Attributes
    ----------
    muscles : pandas.DataFrame
        Muscles: names and synonyms, body area, attachments, action, innervation, needling notes,
        structures at risk, pneumothorax risk.
    muscle_groups : pandas.DataFrame
        Names several muscles share (quadriceps, rotator cuff), with their member muscles.
    trigger_points : pandas.DataFrame
        Trigger points per muscle, located by landmarks in words and drawn from a landmark.
    referrals : pandas.DataFrame
        Referral zones per trigger point: region, essential or spillover, laterality.
    muscle_outlines : pandas.DataFrame
        Each muscle's outline per view, one row per vertex (landmark and offsets), with a deep
        flag (see :mod:`dnviz.outlines`).
    regions : pandas.DataFrame
        Named, hierarchical body regions; leaves carry a view and a polygon.
    sources : pandas.DataFrame
        Every source cited, with what it supports (see :meth:`cite`).
    facts : pandas.DataFrame
        Teaching facts by topic, with their numbers and sources.
    studies : pandas.DataFrame
        What the reviews and trials studied and found, per outcome.
    effects : pandas.DataFrame
        Published effect estimates with 95% confidence intervals.
    safety_tiers : pandas.DataFrame
        Pneumothorax risk tiers (high, caution, low) and what each means for technique.
    danger_zones : pandas.DataFrame
        Danger zones other than the lung, placed by landmarks.
    depths : pandas.DataFrame
        Published depths to the pleura, rib or dangerous tissue by site, method, sex and BMI.
    side_effects : pandas.DataFrame
        Common side effects of dry needling and how long each lasts.
    screening : pandas.DataFrame
        The contraindication and lung-risk screening checklist.
    symptoms : pandas.DataFrame
        Common complaints in plain words, with synonyms, their regions, and the muscles that refer
        there ranked primary and secondary (see :meth:`candidates_for`).
    tables : dict of str to pandas.DataFrame
        All of the above by name.
    folders : tuple of pathlib.Path
        The folders the tables were read from, bundled data first.
    """

    tables: dict[str, pd.DataFrame]
    folders: tuple[Path, ...]

    # -- derived data, computed once per atlas -------------------------------------------------
    @cached_property
    def name_index(self) -> _queries.NameIndex:
        """Every name, synonym and id of a muscle, normalised (what :meth:`find_muscle` searches)."""
        return _queries.NameIndex(self.muscles, self.tables.get("muscle_groups"))

    @cached_property
    def patterns(self) -> dict[str, pd.DataFrame]:
        """Muscle id -> its referral pattern (see :meth:`referral_pattern`, which returns a copy)."""
        return _queries.all_patterns(self)

    @cached_property
    def region_leaves(self) -> dict[str, tuple[str, ...]]:
        """Region id -> the leaf regions under it (a leaf maps to itself), as :meth:`leaf_regions` gives."""
        return {region_id: tuple(_queries.leaves(self.regions, region_id)) for region_id in self.regions.index}

    @cached_property
    def referral_index(self) -> dict[str, list[tuple[str, str, bool, str, str]]]:
        """Leaf region id -> ``(muscle_id, trigger-point label, is_essential, kind, laterality)`` referring there."""
        return _queries.referral_index(self)

    @cached_property
    def symptom_index(self) -> _queries.NameIndex:
        """Every complaint's name and synonyms, normalised (what :meth:`candidates_for` searches)."""
        from dnviz.symptoms import symptom_index

        return symptom_index(self.symptoms)

    @cached_property
    def citations(self) -> dict[str, citations.Citation]:
        """Source id -> its :class:`~dnviz.citations.Citation` (full, short and link), formatted once."""
        return citations.format_sources(self.sources)

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
        """Find a muscle by id, name or synonym, tolerant of case, spacing, word order and a typo.

        Parameters
        ----------
        name : str
            What a student types: ``"upper trap"``, ``"SCM"``, ``"QL"``, ``"trap upper"``,
            ``"infraspinatis"``; at most 100 characters.

        Returns
        -------
        pandas.Series
            The muscle's row; its ``.name`` is the muscle id.

        Raises
        ------
        MuscleNotFoundError
            When nothing matches well enough (``suggestions`` holds the closest muscles), or the
            name fits several: a group name such as ``"quads"`` (``atlas.muscle_groups``) or a
            word many names share. Then ``ambiguous`` is true and ``suggestions`` lists the
            muscles to choose from.
        ValueError
            When the name is longer than 100 characters.

        Examples
        --------
        >>> atlas = load_atlas()
        >>> atlas.find_muscle("SCM")["name"]
        'Sternocleidomastoid'
        >>> try:
        ...     atlas.find_muscle("hamstrings")
        ... except LookupError as err:  # a MuscleNotFoundError
        ...     print(err.suggestions)
        ['Biceps femoris', 'Medial hamstrings (semitendinosus and semimembranosus)']
        """
        return self.muscles.loc[self.name_index.lookup(name)]

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
        return _queries.referral_pattern(self, self.name_index.lookup(muscle))

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

    def candidates_for(self, complaint: str) -> pd.DataFrame:
        """Look-up by symptom: the muscles to examine for a complaint in plain words.

        Parameters
        ----------
        complaint : str
            What the patient says: ``"headache behind the eye"``, ``"heel pain"``, ``"tennis
            elbow"``; found like :meth:`find_muscle` (case, word order, a typo). ``atlas.symptoms``
            lists the complaints and their synonyms.

        Returns
        -------
        pandas.DataFrame
            One row per muscle: ``rank, muscle_id, name, role, n_essential, grade, why,
            source_ids``. ``role`` is ``primary`` (an essential zone in the complaint's regions),
            ``secondary`` (a spillover zone only), from the referral rows as loaded, in the
            order ranked in ``data/symptoms.csv``; ``grade`` is the best evidence behind its
            zones there; ``why`` names each trigger point and zone. ``.attrs`` holds the
            complaint's name, regions and a screening ``note`` (e.g. chest pain can be cardiac).

        Raises
        ------
        SymptomNotFoundError
            When no complaint matches (``suggestions`` holds the closest) or the words fit several
            (``"headache"``: ``ambiguous`` is true and ``suggestions`` lists them).

        Examples
        --------
        >>> atlas = load_atlas()
        >>> top = atlas.candidates_for("heel pain")
        >>> "soleus" in set(top["muscle_id"])
        True
        >>> try:
        ...     atlas.candidates_for("headache")
        ... except LookupError as err:  # a SymptomNotFoundError
        ...     print(err.ambiguous)
        True
        """
        from dnviz.symptoms import candidates_for

        return candidates_for(self, complaint)

    def referral_density(self, kind: str = "both") -> pd.DataFrame:
        """How many muscles refer pain to each leaf region (``kind``: essential, spillover or both).

        One row per leaf region, most muscles first: ``name, n_muscles, muscles, muscle_ids,
        kinds``. :func:`dnviz.plot_referral_density` draws it on every view.

        Examples
        --------
        >>> top = load_atlas().referral_density("essential")
        >>> int(top["n_muscles"].iloc[0]) >= int(top["n_muscles"].iloc[-1])
        True
        """
        from dnviz.density import referral_density

        return referral_density(self, kind)

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

    def cite(self, source_ids: str | Sequence[str], short: bool = False) -> list[str]:
        """Citations for source ids, in the order given: full references, or short author-year labels.

        Parameters
        ----------
        source_ids : str or sequence of str
            One source id or several (a row's ``source_ids``).
        short : bool
            ``True`` gives ``"Simons 1999"``-style labels (first author's surname, or an
            organisation's name, and the year) for hover labels and figure notes.

        Returns
        -------
        list of str

        Raises
        ------
        SourceNotFoundError
            Naming every unknown id and the closest known ones.

        Examples
        --------
        >>> atlas = load_atlas()
        >>> atlas.cite("jafri2014mechanisms")[0].startswith("Jafri MS (2014)")
        True
        >>> atlas.cite(["jafri2014mechanisms"], short=True)
        ['Jafri 2014']
        """
        found = citations.lookup(self.citations, source_ids)
        return [c.short if short else c.full for c in found]

    # -- notebook display ----------------------------------------------------------------------
    def _repr_html_(self) -> str:
        """What the atlas holds: tables with row counts, folders, muscles per body area, the disclaimer."""
        esc = html.escape
        rows = "".join(
            f"<tr><td><code>{esc(name)}</code></td><td style='text-align:right'>{len(frame)}</td>"
            f"<td style='text-align:right'>{len(frame.columns)}</td></tr>"
            for name, frame in self.tables.items()
        )
        folders = "".join(
            f"<li><code>{esc(str(folder))}</code>{' (bundled)' if i == 0 and folder == data_dir() else ''}</li>"
            for i, folder in enumerate(self.folders)
        )
        muscles = self.muscles
        areas = []
        for area, group in muscles.groupby("body_area", observed=True, sort=True)["name"]:
            names = ", ".join(esc(str(n)) for n in sorted(group))
            areas.append(
                f"<li><details><summary>{esc(BODY_AREA_NAMES.get(str(area), str(area)))}: {len(group)} muscles</summary>"
                f"{names}</details></li>"
            )
        return (
            "<div class='dnviz-atlas'>"
            f"<p><b>dnviz atlas</b>: {len(muscles)} muscles, {len(self.trigger_points)} trigger points, "
            f"{len(self.referrals)} referral zones, {len(self.sources)} sources.</p>"
            "<table><thead><tr><th>table</th><th>rows</th><th>columns</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<p><b>Muscles per body area</b></p><ul>{''.join(areas)}</ul>"
            f"<p><b>Read from</b></p><ul>{folders}</ul>"
            f"<p><i>{esc(DISCLAIMER)}</i></p></div>"
        )


def load_atlas(path: PathLike | None = None, *, extra: PathLike | Sequence[PathLike] = ()) -> Atlas:
    """Load and validate the atlas.

    Parameters
    ----------
    path : path-like, optional
        A folder that replaces the bundled data entirely: every table file, ``dictionary.csv``
        (equal to the bundled one), ``manifest.json`` and ``geometry/body.json`` (the tables'
        landmarks and regions are checked against it). Defaults to the data shipped with dnviz.
    extra : path-like or sequence of path-like, optional
        Folders with your own rows (for example an instructor's course muscles): any subset of the
        table files, same columns. A row whose id already exists replaces the bundled row; new ids
        are added. They are validated exactly like the bundled data. A CSV file that is not a table
        (``Muscles.csv``) is a problem; other files are named in a warning.

    Validated tables are cached in the user's cache folder (``DNVIZ_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/dnviz`` or ``~/.cache/dnviz``; ``DNVIZ_CACHE=0`` turns it off), keyed by a
    hash of every file read, so loading unchanged data again skips validation and nothing else.

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

"""Reading, merging, cross-checking and typing the atlas's CSV tables.

Everything here works on raw string tables (:class:`~dnviz._validation.Table`); nothing is handed
to the user until every table has passed (:func:`load_tables`).
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dnviz import _cache
from dnviz._checks import row_problems
from dnviz._evidence import grade_problems
from dnviz._files import CsvText, parse_file, read_bytes
from dnviz._folders import (
    DICTIONARY,
    GEOMETRY,
    LANDMARKS_SPEC,
    MANIFEST,
    Geometry,
    Inputs,
    dictionary_problems,
    geometry_problems,
    landmark_spec_problems,
    manifest_problems,
    scan,
    warn_ignored,
)
from dnviz._names import name_problems
from dnviz._paths import data_dir
from dnviz._validation import (
    LIST_SEP,
    AtlasValidationError,
    Problem,
    Table,
    build_schema,
    schema_problems,
    split_list,
    suggest,
)
from dnviz.symptoms import symptom_problems


@lru_cache(maxsize=1)
def dictionary() -> pd.DataFrame:
    """The data dictionary: one row per column of every table (the schema's source of truth)."""
    return pd.read_csv(data_dir() / DICTIONARY, dtype=str, keep_default_na=False).replace("", pd.NA)


def table_names() -> tuple[str, ...]:
    """Names of the tables, in the order they are checked (referenced tables first)."""
    return tuple(dict.fromkeys(dictionary()["table"]))


@lru_cache(maxsize=64)
def specs(table: str) -> pd.DataFrame:
    """The dictionary rows of one table, in column order."""
    d = dictionary()
    return d[d["table"] == table]


def key_columns(table: str) -> list[str]:
    s = specs(table)
    return list(s[s["key"] == "yes"]["column"])


def _rows(frame: pd.DataFrame):
    """(position, row) pairs of a raw table; rows are namedtuples (much faster than iterrows)."""
    return enumerate(frame.itertuples(index=False))


def views() -> tuple[str, ...]:
    """The views every geometry must have: the allowed values of ``trigger_points.view``."""
    d = dictionary()
    spec = d[(d["table"] == "trigger_points") & (d["column"] == "view")]
    return tuple(spec["allowed"].iloc[0].split(LIST_SEP))


def table_from_csv(parsed: CsvText, path: Path, name: str, base: bool) -> tuple[Table | None, list[Problem]]:
    """Check a parsed CSV file's header against the dictionary and make a raw string table of it."""
    shown = str(path)
    expected = list(specs(name)["column"])
    header = parsed.header
    problems: list[Problem] = []
    for column in expected:
        if column not in header:
            problems.append(
                Problem(
                    shown,
                    1,
                    column,
                    None,
                    "the column is missing",
                    f"add a column named '{column}' (see data/dictionary.csv)",
                )
            )
    for column in header:
        if column not in expected:
            problems.append(
                Problem(
                    shown,
                    1,
                    column,
                    None,
                    "unknown column",
                    "remove or rename it" + "".join(f" (did you mean '{s}'?)" for s in suggest(column, expected, 1)),
                )
            )
    if len(set(header)) != len(header):
        problems.append(Problem(shown, 1, None, None, "a column name is repeated", "keep one column of each name"))
    if problems:
        return None, problems
    if base and not parsed.rows:
        return None, [
            Problem(
                shown,
                None,
                None,
                None,
                "the table has no rows (only its header line)",
                "add its rows, or restore the file from the dnviz distribution",
            )
        ]
    frame = pd.DataFrame(parsed.rows, columns=header, dtype=object).replace("", None)
    return Table(name, frame[expected], [(shown, line) for line in parsed.lines]), []


def merge(base: Table, extra: Table) -> Table:
    """Rows of ``extra`` replace rows of ``base`` with the same key and add the others."""
    keys = key_columns(base.name)
    key_of = lambda frame: list(map(tuple, frame[keys].astype(str).to_numpy()))  # noqa: E731
    replaced = set(key_of(extra.frame))
    keep = [k not in replaced for k in key_of(base.frame)]
    frame = pd.concat([base.frame[keep], extra.frame], ignore_index=True)
    origins = [o for o, k in zip(base.origins, keep) if k] + extra.origins
    return Table(base.name, frame, origins)


def _reference_sets(tables: dict[str, Table], geometry: Geometry | None) -> dict[str, frozenset[str]]:
    """Ids each foreign key may take, for the referenced tables that could be read."""
    refs: dict[str, frozenset[str]] = {}
    for spec in dictionary().dropna(subset=["references"]).itertuples():
        target_table, target_col = spec.references.split(".")
        if target_table == "landmarks":
            if geometry is not None:
                refs[spec.references] = geometry.all_landmarks()
        elif target_table in tables:
            refs[spec.references] = frozenset(tables[target_table].frame[target_col].dropna())
    return refs


def _row_problem(table: Table, i: int, column: str, value, message: str, fix: str) -> Problem:
    file, line = table.where(i)
    return Problem(file, line, column, value, message, fix)


def cross_table_problems(t: dict[str, Table], geometry: Geometry) -> list[Problem]:
    """Checks that span rows or tables, beyond what one column's schema can say."""
    out: list[Problem] = []
    if {"regions", "referrals"} <= t.keys():
        regions = t["regions"].frame.set_index("region_id")
        leaves = set(regions.index[regions["view"] != "both"])
        for i, r in _rows(t["referrals"].frame):
            if r.region_id in regions.index and r.region_id not in leaves:
                out.append(
                    _row_problem(
                        t["referrals"],
                        i,
                        "region_id",
                        r.region_id,
                        "a group region cannot be a referral zone",
                        "name the leaf regions it covers (rows of regions.csv whose view is not 'both')",
                    )
                )
        polygons = geometry.regions
        for i, r in _rows(t["regions"].frame):
            if r.view in polygons and r.region_id not in polygons[r.view]:
                out.append(
                    _row_problem(
                        t["regions"],
                        i,
                        "region_id",
                        r.region_id,
                        f"the region has no polygon in the {r.view} body geometry",
                        "add it to data/geometry/body.json (scripts/derive_geometry.py) or fix the view",
                    )
                )
        parents = regions["parent_id"].to_dict()
        for i, r in _rows(t["regions"].frame):
            seen, node = {r.region_id}, parents.get(r.region_id)
            while isinstance(node, str) and node in parents:
                if node in seen:
                    out.append(
                        _row_problem(
                            t["regions"],
                            i,
                            "parent_id",
                            r.parent_id,
                            "the parent chain loops back on itself",
                            "make the hierarchy a tree",
                        )
                    )
                    break
                seen.add(node)
                node = parents.get(node)
    if "trigger_points" in t:
        tps = t["trigger_points"].frame
        landmarks = geometry.landmarks
        for i, r in _rows(tps):
            if isinstance(r.muscle_id, str) and isinstance(r.tp_id, str) and not r.tp_id.startswith(r.muscle_id + "."):
                out.append(
                    _row_problem(
                        t["trigger_points"],
                        i,
                        "tp_id",
                        r.tp_id,
                        "the id does not start with its muscle id",
                        f"name it {r.muscle_id}.tp<N>",
                    )
                )
            if r.view in landmarks and isinstance(r.landmark_id, str) and r.landmark_id not in landmarks[r.view]:
                close = suggest(r.landmark_id, landmarks[r.view], 1)
                out.append(
                    _row_problem(
                        t["trigger_points"],
                        i,
                        "landmark_id",
                        r.landmark_id,
                        f"no such landmark on the {r.view} view",
                        "use a landmark of that view" + (f", e.g. '{close[0]}'" if close else ""),
                    )
                )
        if "muscles" in t:
            with_tp = set(tps["muscle_id"].dropna())
            for i, r in _rows(t["muscles"].frame):
                if r.muscle_id not in with_tp:
                    out.append(
                        _row_problem(
                            t["muscles"],
                            i,
                            "muscle_id",
                            r.muscle_id,
                            "the muscle has no trigger point",
                            "add at least one row for it to trigger_points.csv",
                        )
                    )
        if "referrals" in t:
            refs = t["referrals"].frame
            essential = set(refs.loc[refs["kind"] == "essential", "tp_id"].dropna())
            for i, r in _rows(tps):
                if r.tp_id not in essential:
                    out.append(
                        _row_problem(
                            t["trigger_points"],
                            i,
                            "tp_id",
                            r.tp_id,
                            "the trigger point has no essential referral zone",
                            "add a row with kind 'essential' for it to referrals.csv",
                        )
                    )
    if "muscles" in t:
        for i, r in _rows(t["muscles"].frame):
            if r.pneumothorax_risk in ("caution", "high") and not split_list(r.pneumothorax_source_ids):
                out.append(
                    _row_problem(
                        t["muscles"],
                        i,
                        "pneumothorax_source_ids",
                        None,
                        f"a '{r.pneumothorax_risk}' pneumothorax risk needs a source",
                        "cite the case report or guidance that names this risk",
                    )
                )
    out += grade_problems(t)  # a referral's grade is the best evidence among its sources
    out += symptom_problems(t)  # a complaint's muscles refer to its regions
    if "muscles" in t:  # every name finds one muscle or one declared group
        out += name_problems(t["muscles"], t.get("muscle_groups"))
    from dnviz._outline_checks import outline_problems

    out += outline_problems(t, geometry)
    if "sources" in t:
        cited: set[str] = set()
        d = dictionary()
        for spec in d[d["references"] == "sources.source_id"].itertuples():
            if spec.table in t:
                for cell in t[spec.table].frame[spec.column].dropna():
                    cited.update(split_list(cell))
        for i, r in _rows(t["sources"].frame):
            if r.source_id not in cited:
                out.append(
                    _row_problem(
                        t["sources"],
                        i,
                        "source_id",
                        r.source_id,
                        "the source is never cited",
                        "cite it from the rows it supports, or remove it",
                    )
                )
    return out


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give each column its meaningful dtype: ordered categoricals, numbers, tuples for lists.

    Runs only on validated text, so every number cell already matched the number pattern."""
    frame = frame.copy()
    for spec in specs(table).itertuples():
        col = frame[spec.column]
        if spec.dtype in ("category", "ordered_category"):
            frame[spec.column] = pd.Categorical(
                col, categories=spec.allowed.split(LIST_SEP), ordered=spec.dtype == "ordered_category"
            )
        elif spec.dtype == "float":
            frame[spec.column] = pd.to_numeric(col).astype("float64")
        elif spec.dtype == "int":
            frame[spec.column] = pd.to_numeric(col).astype("Int64")
        elif spec.dtype == "list":
            frame[spec.column] = col.map(split_list)
        else:
            frame[spec.column] = col.astype("string")
    keys = key_columns(table)
    return frame.set_index(keys[0]) if len(keys) == 1 else frame


def _is_bundled(folder: Path) -> bool:
    try:
        return folder.resolve() == data_dir().resolve()
    except OSError:
        return False


def _read_inputs(folders: list[Path], inputs: Inputs) -> tuple[list[tuple[str, bytes]], dict[Path, bytes]]:
    """Scan every folder and read the bytes of every file the load will use (nothing parsed yet)."""
    names = table_names()
    blobs: list[tuple[str, bytes]] = []
    data: dict[Path, bytes] = {}

    def grab(role: str, path: Path) -> None:
        content, problem = read_bytes(path)
        if problem is not None:
            inputs.problems.append(problem)
        else:
            blobs.append((role, content))
            data[path] = content

    grab("schema", data_dir() / DICTIONARY)
    for i, folder in enumerate(folders):
        aux = scan(folder, i, names, inputs)
        if i == 0 and folder.is_dir():
            for required in (DICTIONARY, MANIFEST, "geometry"):
                if required not in aux:
                    inputs.problems.append(
                        Problem(
                            str(folder / required),
                            None,
                            None,
                            None,
                            "the file is missing: a folder passed as path= replaces all of the bundled data",
                            "copy it from the dnviz data folder, or pass your folder as extra= to add rows only",
                        )
                    )
            if (geometry := aux.pop("geometry", None)) is not None:
                aux[GEOMETRY] = folder / GEOMETRY
                for entry in sorted(geometry.iterdir()) if geometry.is_dir() else ():
                    # source/ holds the mesh body.json is derived from (a checkout, not a wheel)
                    if entry.name not in ("body.json", "source") and not entry.name.startswith((".", "_")):
                        inputs.ignored.append(entry)
        for name, path in sorted(aux.items()):
            grab(f"{i}:{name}", path)
    for i, table, path in inputs.tables:
        grab(f"{i}:{table}", path)
    return blobs, data


def _check_aux(folders: list[Path], data: dict[Path, bytes], inputs: Inputs) -> None:
    """Read what the folders hold besides tables: dictionary, manifest, geometry, landmark spec."""
    schema = data.get(data_dir() / DICTIONARY, b"").decode("utf-8-sig", errors="replace")
    for i, folder in enumerate(folders):
        bundled = _is_bundled(folder)
        if (path := folder / DICTIONARY) in data and not bundled:
            dictionary_problems(path, data[path], schema, inputs)
        if (path := folder / MANIFEST) in data:
            manifest_problems(path, data[path], table_names(), inputs, complete=i == 0)
        if i == 0 and (path := folder / GEOMETRY) in data:
            geometry_problems(path, data[path], views(), inputs)
        if i == 0 and (path := folder / LANDMARKS_SPEC) in data:
            landmark_spec_problems(path, data[path], views(), inputs)


def _drawn_geometry(folders: list[Path], data: dict[Path, bytes]) -> bool:
    """Whether the loaded geometry is the bundled one, which the figures draw (dnviz.geometry)."""
    path = folders[0] / GEOMETRY
    return _is_bundled(folders[0]) or (path in data and data[path] == (data_dir() / GEOMETRY).read_bytes())


def _warn_other_geometry(folders: list[Path], data: dict[Path, bytes]) -> None:
    """The figures draw the bundled geometry (dnviz.geometry); say so when a path= folder has its own."""
    path, bundled = folders[0] / GEOMETRY, data_dir() / GEOMETRY
    if path in data and not _drawn_geometry(folders, data):
        warnings.warn(
            f"dnviz.load_atlas: the tables were checked against {path}, but figures still draw the "
            f"bundled body geometry ({bundled})",
            UserWarning,
            stacklevel=4,
        )


def _failure(problems: list[Problem]) -> AtlasValidationError:
    """One error, root causes first: problems with a whole file or folder, then by file and row."""
    return AtlasValidationError(
        sorted(problems, key=lambda p: (p.row is not None, p.file if p.row is not None else "", p.row or 0))
    )


def load_tables(folders: list[Path]) -> dict[str, pd.DataFrame]:
    """Read, merge, validate and type every table, or raise one error listing all problems.

    Every byte that is loaded is validated: the typed tables are cached (see :mod:`dnviz._cache`)
    under a hash of every input file's bytes, so a cached result stands for exactly those bytes.
    """
    inputs = Inputs()
    blobs, data = _read_inputs(folders, inputs)
    warn_ignored(inputs)
    key = None
    if not inputs.problems:
        key = _cache.key(blobs)
        cached = _cache.get(key)
        if cached is not None:
            _warn_other_geometry(folders, data)
            return cached
    _check_aux(folders, data, inputs)
    if inputs.schema_differs:
        raise _failure(inputs.problems)
    problems = inputs.problems
    tables: dict[str, Table] = {}
    failed: set[str] = set()
    for i, name, path in inputs.tables:
        if path not in data:
            failed.add(name)
            continue
        parsed, found = parse_file(path, data[path])
        table = None
        if parsed is not None:
            table, more = table_from_csv(parsed, path, name, base=i == 0)
            found += more
        problems += found
        if table is None:
            failed.add(name)
        elif name not in failed:
            tables[name] = merge(tables[name], table) if name in tables else table
    for name in failed:
        tables.pop(name, None)
    refs = _reference_sets(tables, inputs.geometry)
    d = dictionary()
    for name, table in tables.items():
        problems += schema_problems(table, build_schema(name, d, refs), d, refs)
    if not problems and inputs.geometry is not None:
        problems += cross_table_problems(tables, inputs.geometry)
        problems += row_problems(tables, inputs.geometry, drawn=_drawn_geometry(folders, data))
    if problems:
        raise _failure(problems)
    typed = {name: _typed(name, tables[name].frame) for name in table_names()}
    if key is not None:
        _cache.put(key, typed)
    _warn_other_geometry(folders, data)
    return typed

"""Reading, merging, cross-checking and typing the atlas's CSV tables.

Everything here works on raw string tables (:class:`~dnviz._validation.Table`); nothing is handed
to the user until every table has passed (:func:`load_tables`).
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

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


@lru_cache(maxsize=1)
def dictionary() -> pd.DataFrame:
    """The data dictionary: one row per column of every table (the schema's source of truth)."""
    return pd.read_csv(data_dir() / "dictionary.csv", dtype=str, keep_default_na=False).replace("", pd.NA)


def table_names() -> tuple[str, ...]:
    """Names of the tables, in the order they are checked (referenced tables first)."""
    return tuple(dict.fromkeys(dictionary()["table"]))


def key_columns(table: str) -> list[str]:
    d = dictionary()
    return list(d[(d["table"] == table) & (d["key"] == "yes")]["column"])


@lru_cache(maxsize=1)
def geometry_landmarks() -> dict[str, frozenset[str]]:
    """Landmark ids per view, read from the body geometry."""
    body = json.loads((data_dir() / "geometry" / "body.json").read_text(encoding="utf-8"))
    return {view: frozenset(spec["landmarks"]) for view, spec in body["views"].items()}


@lru_cache(maxsize=1)
def geometry_regions() -> dict[str, frozenset[str]]:
    """Region ids that have polygons, per view."""
    body = json.loads((data_dir() / "geometry" / "body.json").read_text(encoding="utf-8"))
    return {view: frozenset(spec["regions"]) for view, spec in body["views"].items()}


def read_table(path: Path, name: str) -> tuple[Table | None, list[Problem]]:
    """Read one CSV file as strings, remembering each row's line number."""
    shown = str(path)
    expected = list(dictionary().query("table == @name")["column"])
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            rows: list[list[str]] = []
            origins: list[tuple[str, int]] = []
            problems: list[Problem] = []
            start = reader.line_num + 1
            for record in reader:
                if any(cell.strip() for cell in record):
                    if len(record) != len(header):
                        problems.append(
                            Problem(
                                shown,
                                start,
                                None,
                                None,
                                f"the row has {len(record)} fields but the header has {len(header)}",
                                "quote fields that contain commas, and give every row one value per column",
                            )
                        )
                    else:
                        rows.append([cell.strip() for cell in record])
                        origins.append((shown, start))
                start = reader.line_num + 1
    except UnicodeDecodeError as err:
        return None, [
            Problem(shown, None, None, None, f"the file is not UTF-8 text ({err.reason})", "save it as UTF-8")
        ]
    except csv.Error as err:
        return None, [
            Problem(shown, start, None, None, f"the file is not valid CSV ({err})", "check the quoting on that line")
        ]
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
    frame = pd.DataFrame(rows, columns=header, dtype=object).replace("", None)
    return Table(name, frame[expected], origins), []


def merge(base: Table, extra: Table) -> Table:
    """Rows of ``extra`` replace rows of ``base`` with the same key and add the others."""
    keys = key_columns(base.name)
    key_of = lambda frame: list(map(tuple, frame[keys].astype(str).to_numpy()))  # noqa: E731
    replaced = set(key_of(extra.frame))
    keep = [k not in replaced for k in key_of(base.frame)]
    frame = pd.concat([base.frame[keep], extra.frame], ignore_index=True)
    origins = [o for o, k in zip(base.origins, keep) if k] + extra.origins
    return Table(base.name, frame, origins)


def read_folders(folders: list[Path]) -> tuple[dict[str, Table], list[Problem]]:
    """Read every table from the folders; later folders override earlier ones row by row."""
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for i, folder in enumerate(folders):
        if not folder.is_dir():
            problems.append(
                Problem(str(folder), None, None, None, "no such folder", "pass the folder that holds your CSV tables")
            )
            continue
        for name in table_names():
            path = folder / f"{name}.csv"
            if not path.exists():
                if i == 0:
                    problems.append(
                        Problem(
                            str(path),
                            None,
                            None,
                            None,
                            "the table file is missing",
                            "restore it from the dnviz distribution",
                        )
                    )
                continue
            table, found = read_table(path, name)
            problems += found
            if table is not None:
                tables[name] = merge(tables[name], table) if name in tables else table
    return tables, problems


def _reference_sets(tables: dict[str, Table]) -> dict[str, frozenset[str]]:
    refs: dict[str, frozenset[str]] = {}
    for spec in dictionary().dropna(subset=["references"]).itertuples():
        target_table, target_col = spec.references.split(".")
        if target_table == "landmarks":
            refs[spec.references] = frozenset().union(*geometry_landmarks().values())
        elif target_table in tables:
            refs[spec.references] = frozenset(tables[target_table].frame[target_col].dropna())
    return refs


def _row_problem(table: Table, i: int, column: str, value, message: str, fix: str) -> Problem:
    file, line = table.where(i)
    return Problem(file, line, column, value, message, fix)


def cross_table_problems(t: dict[str, Table]) -> list[Problem]:
    """Checks that span rows or tables, beyond what one column's schema can say."""
    out: list[Problem] = []
    if {"regions", "referrals"} <= t.keys():
        regions = t["regions"].frame.set_index("region_id")
        leaves = set(regions.index[regions["view"] != "both"])
        for i, r in t["referrals"].frame.iterrows():
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
        polygons = geometry_regions()
        for i, r in t["regions"].frame.iterrows():
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
        for i, r in t["regions"].frame.iterrows():
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
        landmarks = geometry_landmarks()
        for i, r in tps.iterrows():
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
            for i, r in t["muscles"].frame.iterrows():
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
            for i, r in tps.iterrows():
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
        for i, r in t["muscles"].frame.iterrows():
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
    if "sources" in t:
        cited: set[str] = set()
        for spec in dictionary().query("references == 'sources.source_id'").itertuples():
            if spec.table in t:
                for cell in t[spec.table].frame[spec.column].dropna():
                    cited.update(split_list(cell))
        for i, r in t["sources"].frame.iterrows():
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
    """Give each column its meaningful dtype: ordered categoricals, numbers, tuples for lists."""
    frame = frame.copy()
    for spec in dictionary().query("table == @table").itertuples():
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


def load_tables(folders: list[Path]) -> dict[str, pd.DataFrame]:
    """Read, merge, validate and type every table, or raise one error listing all problems."""
    tables, problems = read_folders(folders)
    refs = _reference_sets(tables)
    d = dictionary()
    for name, table in tables.items():
        problems += schema_problems(table, build_schema(name, d, refs), d, refs)
    if not problems:
        problems += cross_table_problems(tables)
    if problems:
        raise AtlasValidationError(sorted(problems, key=lambda p: (p.file, p.row or 0)))
    return {name: _typed(name, tables[name].frame) for name in table_names()}

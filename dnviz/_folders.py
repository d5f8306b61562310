"""What a data folder holds: every file is either read or reported.

A folder passed as ``path=`` replaces the bundled data: its tables, ``dictionary.csv`` (which must
equal the bundled schema: dnviz's code is written against it), ``manifest.json``,
``geometry/body.json`` (its landmarks and region polygons are what the tables are checked against)
and ``landmarks_spec.csv`` are all read. A folder passed as ``extra=`` adds table rows; a file in it
that looks like a table but is not one (``Muscles.csv``, ``trigger_point.csv``, ``muscles.xlsx``)
is a problem with a did-you-mean. Names starting with ``.`` or ``_`` (``.ipynb_checkpoints``,
``_staging``) are private and skipped; any other file is named in a warning, never silently skipped.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import Polygon
from shapely.validation import explain_validity

from dnviz._files import decode_text, parse_file
from dnviz._validation import Problem

DICTIONARY = "dictionary.csv"
MANIFEST = "manifest.json"
GEOMETRY = "geometry/body.json"
LANDMARKS_SPEC = "landmarks_spec.csv"  # the input of scripts/derive_geometry.py
_BASE_ONLY = ("geometry", LANDMARKS_SPEC)


@dataclass(frozen=True)
class Geometry:
    """What the loader needs from ``geometry/body.json``: landmarks and region ids per view."""

    landmarks: dict[str, dict[str, tuple[float, float]]]
    regions: dict[str, frozenset[str]]
    height_cm: float
    file: str = GEOMETRY

    def all_landmarks(self) -> frozenset[str]:
        return frozenset().union(*map(frozenset, self.landmarks.values()))


@dataclass
class Inputs:
    """Every file a load reads, in order, with the problems found before any table is parsed."""

    tables: list[tuple[int, str, Path]] = field(default_factory=list)  # (folder index, table, path)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)
    geometry: Geometry | None = None
    schema_differs: bool = False


def _close(name: str, choices, cutoff: float = 0.75) -> list[str]:
    return difflib.get_close_matches(name, sorted(choices), n=1, cutoff=cutoff)


def _folder_problem(path: Path, message: str, fix: str) -> Problem:
    return Problem(str(path), None, None, None, message, fix)


def scan(folder: Path, index: int, table_names: tuple[str, ...], inputs: Inputs) -> dict[str, Path]:
    """Classify every entry of one folder; returns the auxiliary files found (name -> path)."""
    base = index == 0
    if not folder.is_dir():
        what = "the path is a file, not a folder" if folder.exists() else "no such folder"
        inputs.problems.append(_folder_problem(folder, what, "pass the folder that holds your CSV tables"))
        return {}
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        inputs.problems.append(_folder_problem(folder, f"the folder cannot be listed ({reason})", "make it readable"))
        return {}
    found: dict[str, Path] = {}
    names = {entry.name for entry in entries}
    tables = {f"{t}.csv": t for t in table_names}
    for entry in entries:
        name = entry.name
        if name.startswith((".", "_")):
            continue
        if name in tables:
            inputs.tables.append((index, tables[name], entry))
        elif name in (DICTIONARY, MANIFEST) or (base and name in _BASE_ONLY):
            found[name] = entry
        elif name in _BASE_ONLY:
            inputs.problems.append(
                _folder_problem(
                    entry,
                    "an extra folder adds table rows only; the geometry comes from the main data folder",
                    "remove it from this folder, or load a complete copy of the data with path=",
                )
            )
        else:
            stem = name.split(".")[0]
            close = _close(stem.lower(), table_names)
            if name.lower().endswith(".csv") or close:
                if close and f"{close[0]}.csv" in names:
                    fix = f"'{close[0]}.csv' is the table: move this file's rows there, then remove this file"
                elif close and name.lower().endswith(".csv"):
                    fix = f"rename it to '{close[0]}.csv' (table file names are lower case, as in data/dictionary.csv)"
                elif close:
                    fix = f"save it as CSV named '{close[0]}.csv'"
                else:
                    fix = "rename it after its table, or move it out of the folder; the tables are " + ", ".join(
                        table_names
                    )
                inputs.problems.append(
                    _folder_problem(
                        entry, "not an atlas table file" + (f" (did you mean '{close[0]}.csv'?)" if close else ""), fix
                    )
                )
            else:
                inputs.ignored.append(entry)
    if base:
        present = {t for i, t, _ in inputs.tables if i == index}
        for t in table_names:
            if t not in present:
                inputs.problems.append(
                    _folder_problem(
                        folder / f"{t}.csv", "the table file is missing", "restore it from the dnviz distribution"
                    )
                )
    return found


def warn_ignored(inputs: Inputs) -> None:
    if inputs.ignored:
        names = ", ".join(str(p) for p in inputs.ignored)
        warnings.warn(f"dnviz.load_atlas: not atlas tables, so not read: {names}", UserWarning, stacklevel=4)


# -- the dictionary ---------------------------------------------------------------------------
def dictionary_problems(path: Path, data: bytes, bundled_text: str, inputs: Inputs) -> None:
    """A folder's dictionary.csv must say what the bundled one says (row by row, cell by cell)."""
    parsed, problems = parse_file(path, data)
    if problems or parsed is None:
        inputs.problems += problems
        inputs.schema_differs = True
        return
    reader = csv.reader(io.StringIO(bundled_text, newline=""))
    bundled = [[c.strip() for c in r] for r in reader if any(c.strip() for c in r)]
    theirs = [parsed.header, *parsed.rows]
    lines = [1, *parsed.lines]
    fix = "copy dictionary.csv from the dnviz distribution: the bundled dictionary is the schema dnviz's code is written for"
    found: list[Problem] = []
    header = bundled[0]
    if theirs[0] != header:
        found.append(Problem(str(path), 1, None, None, "the header differs from the bundled dictionary's", fix))
    else:
        mine = {tuple(r[:2]): r for r in bundled[1:]}
        seen = set()
        for line, row in zip(lines[1:], theirs[1:]):
            key = tuple(row[:2])
            seen.add(key)
            if key not in mine:
                found.append(
                    Problem(
                        str(path), line, "column", row[1], f"'{'.'.join(key)}' is not in the bundled dictionary", fix
                    )
                )
                continue
            for col, a, b in zip(header, row, mine[key]):
                if a != b:
                    found.append(Problem(str(path), line, col, a, f"differs from the bundled dictionary ({b!r})", fix))
        for key in mine:
            if key not in seen:
                found.append(Problem(str(path), None, "column", key[1], f"'{'.'.join(key)}' is missing", fix))
    if found:
        inputs.schema_differs = True
        inputs.problems += found[:10]


# -- the manifest ------------------------------------------------------------------------------
def _json(path: Path, data: bytes, inputs: Inputs):
    text, problem = decode_text(data, path)
    if problem is not None:
        inputs.problems.append(problem)
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        inputs.problems.append(
            Problem(
                str(path),
                err.lineno,
                None,
                None,
                f"the file is not valid JSON ({err.msg}, column {err.colno})",
                "fix the JSON syntax on that line",
            )
        )
        return None


def manifest_problems(path: Path, data: bytes, table_names: tuple[str, ...], inputs: Inputs, complete: bool) -> None:
    """The manifest describes the tables (every one, when ``complete``): description, provenance,
    license and a file that exists."""
    manifest = _json(path, data, inputs)
    if manifest is None:
        return
    entries = manifest.get("tables") if isinstance(manifest, dict) else None
    if not isinstance(entries, dict):
        inputs.problems.append(_folder_problem(path, "the manifest has no 'tables' object", "see data/manifest.json"))
        return
    known = (*table_names, "geometry")
    for name, entry in entries.items():
        if name not in known:
            close = _close(name, known, 0.6)
            inputs.problems.append(
                Problem(
                    str(path),
                    None,
                    "tables",
                    name,
                    "the manifest describes an unknown table" + (f" (did you mean '{close[0]}'?)" if close else ""),
                    "describe the tables of data/dictionary.csv",
                )
            )
            continue
        missing = [
            k
            for k in ("file", "description", "provenance", "license")
            if not isinstance(entry, dict) or not str(entry.get(k, "")).strip()
        ]
        if missing:
            inputs.problems.append(
                Problem(
                    str(path),
                    None,
                    f"tables.{name}",
                    None,
                    f"the entry lacks {', '.join(missing)}",
                    "give every table a file, description, provenance and license",
                )
            )
        elif entry["file"] != (expected := GEOMETRY if name == "geometry" else f"{name}.csv"):
            inputs.problems.append(
                Problem(
                    str(path),
                    None,
                    f"tables.{name}.file",
                    entry["file"],
                    "not the file dnviz reads for this table",
                    f"write '{expected}'",
                )
            )
    for name in table_names if complete else ():
        if name not in entries:
            inputs.problems.append(
                Problem(
                    str(path),
                    None,
                    "tables",
                    name,
                    "the table is not described",
                    "add an entry with file, description, provenance and license",
                )
            )


# -- the geometry ------------------------------------------------------------------------------
def _xy(value) -> tuple[float, float] | None:
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    ):
        return float(value[0]), float(value[1])
    return None


def geometry_problems(path: Path, data: bytes, views: tuple[str, ...], inputs: Inputs) -> None:
    """Parse the body geometry; landmarks are finite points and region polygons are valid."""
    body = _json(path, data, inputs)
    if body is None:
        return
    shown = str(path)
    found: list[Problem] = []

    def bad(where: str, value, message: str, fix: str) -> None:
        found.append(Problem(shown, None, where, value, message, fix))

    rebuild = "fix it in scripts/derive_geometry.py and rebuild the geometry"
    height = body.get("height_cm") if isinstance(body, dict) else None
    if not (isinstance(height, (int, float)) and not isinstance(height, bool) and math.isfinite(height) and height > 0):
        bad("height_cm", height, "the body height is not a positive number", rebuild)
        height = None
    raw_views = body.get("views") if isinstance(body, dict) else None
    if not isinstance(raw_views, dict):
        bad("views", None, "the geometry has no 'views' object", rebuild)
        inputs.problems += found
        return
    landmarks: dict[str, dict[str, tuple[float, float]]] = {}
    regions: dict[str, frozenset[str]] = {}
    for view in views:
        spec = raw_views.get(view)
        if (
            not isinstance(spec, dict)
            or not isinstance(spec.get("landmarks"), dict)
            or not isinstance(spec.get("regions"), dict)
        ):
            bad(f"views.{view}", None, f"the {view} view with its landmarks and regions is missing", rebuild)
            continue
        points = {}
        for lm, value in spec["landmarks"].items():
            xy = _xy(value)
            if xy is None:
                bad(
                    f"views.{view}.landmarks",
                    lm,
                    f"the {view} landmark is not a pair of finite numbers ({value!r})",
                    rebuild,
                )
            else:
                points[lm] = xy
        landmarks[view] = points
        for rid, rings in spec["regions"].items():
            if not isinstance(rings, list) or not rings:
                bad(f"views.{view}.regions", rid, f"the {view} region has no polygon", rebuild)
                continue
            for ring in rings:
                pts = [_xy(p) for p in ring] if isinstance(ring, list) else [None]
                if len(pts) < 3 or any(p is None for p in pts):
                    bad(
                        f"views.{view}.regions",
                        rid,
                        f"a {view} ring of the region is not a list of 3 or more finite points",
                        rebuild,
                    )
                    continue
                polygon = Polygon(pts)
                if not polygon.is_valid:
                    bad(
                        f"views.{view}.regions",
                        rid,
                        f"the {view} polygon of region '{rid}' is not valid ({explain_validity(polygon)}); "
                        "a self-intersecting polygon breaks click detection",
                        "redraw the ring so that its edges do not cross; " + rebuild,
                    )
        regions[view] = frozenset(spec["regions"])
    inputs.problems += found
    if not found and height is not None:
        inputs.geometry = Geometry(landmarks, regions, float(height), shown)


def landmark_spec_problems(path: Path, data: bytes, views: tuple[str, ...], inputs: Inputs) -> None:
    """Every landmark the spec asks for is in the geometry, in its view (``both``: in each)."""
    parsed, problems = parse_file(path, data)
    inputs.problems += problems
    if parsed is None or inputs.geometry is None:
        return
    need = ("landmark_id", "view")
    if any(c not in parsed.header for c in need):
        inputs.problems.append(
            Problem(
                str(path),
                1,
                None,
                None,
                "the header lacks landmark_id or view",
                "keep the columns landmark_id, view, description",
            )
        )
        return
    i, j = (parsed.header.index(c) for c in need)
    for line, row in zip(parsed.lines, parsed.rows):
        lm, view = row[i], row[j]
        # view: one view, or several separated by |; "both" is the anterior and posterior views.
        # Only the views the atlas draws (the geometry's) are checked.
        wanted = [
            w
            for item in view.split("|")
            for w in (("anterior", "posterior") if item.strip() == "both" else (item.strip(),))
        ]
        missing = [v for v in wanted if v in inputs.geometry.landmarks and lm not in inputs.geometry.landmarks[v]]
        if missing:
            inputs.problems.append(
                Problem(
                    str(path),
                    line,
                    "landmark_id",
                    lm,
                    f"the geometry has no such landmark on the {' and '.join(missing)} view",
                    "rebuild data/geometry/body.json with scripts/derive_geometry.py",
                )
            )

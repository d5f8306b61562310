"""Loader checks of ``muscle_outlines.csv``: every ring a valid polygon on the body, made of
landmarks of its view, and every muscle outlined on at least one view.

Called from :func:`dnviz._tables.cross_table_problems`; each problem names the file, row, column
and value, and says what to do.
"""

from __future__ import annotations

import math
from functools import lru_cache

from dnviz._validation import Problem, Table

OFF_BODY_CM = 1.0  # how far outside the body outline a vertex may lie (the outline is schematic)
MIN_VERTICES = 3
EVERY_MUSCLE = True  # every muscle of the base folder must have an outline on at least one view


def _problem(t: Table, i: int, column: str, value, message: str, fix: str) -> Problem:
    file, line = t.where(i)
    return Problem(file, line, column, value, message, fix)


def _is_bundled(geometry) -> bool:
    """Whether the geometry being checked is the one the figures draw (outlines can be placed)."""
    from dnviz import geometry as geo

    body = geo.load_body()
    if set(geometry.landmarks) != set(body.views):
        return False
    return all(
        {k: tuple(map(float, p)) for k, p in geometry.landmarks[v].items()} == dict(body.views[v].landmarks)
        for v in body.views
    )


def _crossing(points: list[tuple[float, float]]) -> tuple[int, int] | None:
    """Indices (i, j) of two edges of a closed ring that cross, if any (edge k runs k -> k+1)."""
    from shapely.geometry import LineString

    n = len(points)
    edges = [LineString([points[k], points[(k + 1) % n]]) for k in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the closing vertex
            if edges[i].intersects(edges[j]):
                return i, j
    return None


def outline_problems(t: dict[str, Table], geometry) -> list[Problem]:
    """Every problem of the outline table, located by file, row, column and value."""
    if "muscle_outlines" not in t:
        return []
    table = t["muscle_outlines"]
    frame = table.frame
    out: list[Problem] = []
    landmarks = geometry.landmarks
    rings: dict[tuple[str, str, str], list[tuple[int, object]]] = {}
    for i, r in enumerate(frame.itertuples(index=False)):
        if r.view in landmarks and isinstance(r.landmark_id, str) and r.landmark_id not in landmarks[r.view]:
            out.append(
                _problem(
                    table,
                    i,
                    "landmark_id",
                    r.landmark_id,
                    f"no such landmark on the {r.view} view",
                    "use a landmark of that view (data/landmarks_spec.csv lists them)",
                )
            )
        for column in ("dx_cm", "dy_cm"):
            value = getattr(r, column)
            try:
                finite = math.isfinite(float(value))
            except (TypeError, ValueError):
                finite = False
            if not finite:
                out.append(_problem(table, i, column, value, "the offset is not a finite number", "give it in cm"))
        rings.setdefault((r.muscle_id, r.view, r.part), []).append((i, r))
    placeable = not out and _is_bundled(geometry)
    for (muscle, view, part), rows in rings.items():
        rows.sort(key=lambda ir: float(ir[1].seq))
        first = rows[0][0]
        if len(rows) < MIN_VERTICES:
            out.append(
                _problem(
                    table,
                    first,
                    "seq",
                    len(rows),
                    f"the outline of {muscle} ({view}, part {part}) has {len(rows)} vertices",
                    f"give the ring at least {MIN_VERTICES} vertices",
                )
            )
            continue
        if len({r.deep for _, r in rows}) > 1:
            out.append(
                _problem(
                    table,
                    first,
                    "deep",
                    "|".join(sorted({str(r.deep) for _, r in rows})),
                    f"the outline of {muscle} ({view}, part {part}) is deep on some rows only",
                    "give every vertex of the ring the same deep value",
                )
            )
        if placeable:
            out += _placement_problems(table, muscle, view, part, rows)
    if "muscles" in t and EVERY_MUSCLE:
        outlined = set(frame["muscle_id"].dropna())
        muscles = t["muscles"]
        base = muscles.where(0)[0]  # the base folder's rows come first (bundled data, or path=)
        for i, r in enumerate(muscles.frame.itertuples(index=False)):
            # a course folder (extra=) may add a muscle without an outline: it is drawn without one
            if r.muscle_id not in outlined and muscles.where(i)[0] == base:
                out.append(
                    _problem(
                        t["muscles"],
                        i,
                        "muscle_id",
                        r.muscle_id,
                        "the muscle has no outline",
                        "add its outline (landmarks and offsets, attachments first) to muscle_outlines.csv",
                    )
                )
    return out


@lru_cache(maxsize=2)
def _margin(lateral: bool):
    """The silhouette of the frontal or the lateral views grown by the allowed margin, prepared."""
    from shapely import prepare

    from dnviz import geometry as geo

    body = geo.load_body()
    margin = (body.lateral_outline if lateral else body.outline).buffer(OFF_BODY_CM)
    prepare(margin)
    return margin


def _placement_problems(table: Table, muscle: str, view: str, part: str, rows) -> list[Problem]:
    """The ring placed on the body: each vertex on the body, the ring a simple polygon."""
    from shapely.geometry import Point, Polygon

    from dnviz import geometry as geo

    body = geo.load_body()
    lateral = view in getattr(geo, "LATERAL_VIEWS", ())
    outline = body.lateral_outline if lateral else body.outline
    side = geo.view_sides(view)[0] if lateral else "left"
    out: list[Problem] = []
    points = []
    for i, r in rows:
        x, y = geo.offset_point(view, r.landmark_id, side, float(r.dx_cm), float(r.dy_cm))
        points.append((x, y))
        away = outline.distance(Point(x, y))
        if away > OFF_BODY_CM:
            out.append(
                _problem(
                    table,
                    i,
                    "dx_cm, dy_cm",
                    f"{r.dx_cm}, {r.dy_cm}",
                    f"the vertex lands {away:.1f} cm outside the body outline (offset from '{r.landmark_id}')",
                    "check the offsets and the landmark: dx_cm is lateral (anterior on a lateral view) and dy_cm cranial "
                    "(along the limb on a limb)",
                )
            )
    ring = Polygon(points)
    margin = _margin(lateral)
    if ring.is_valid and not out and not margin.contains(ring):
        outside = ring.difference(margin).area
        if outside > 0.05:
            out.append(
                _problem(
                    table,
                    rows[0][0],
                    "dx_cm, dy_cm",
                    f"{outside:.1f} cm2 outside",
                    f"an edge of the outline of {muscle} ({view}, part {part}) leaves the body",
                    "move the vertices at either end of that edge inward, or add one between them",
                )
            )
    if not ring.is_valid or ring.area <= 0:
        cross = _crossing(points)
        if cross is not None:
            a, b = cross
            i = rows[b][0]
            value = f"edge {rows[a][1].seq}-{rows[(a + 1) % len(rows)][1].seq} crosses edge {rows[b][1].seq}-{rows[(b + 1) % len(rows)][1].seq}"
        else:
            i, value = rows[0][0], "the ring has no area"
        out.append(
            _problem(
                table,
                i,
                "seq",
                value,
                f"the outline of {muscle} ({view}, part {part}) is not a valid polygon",
                "order the vertices around the muscle (one way round) so that no edge crosses another",
            )
        )
    return out

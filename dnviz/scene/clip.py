"""Crop a scene's shapes to their view's panel box (a regional window shows only its box)."""

from __future__ import annotations

from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

MIN_PIECE_CM2 = 0.5


def _parts(xs: list, ys: list) -> list[list[tuple[float, float]]]:
    parts: list[list] = [[]]
    for x, y in zip(xs, ys):
        if x is None or y is None:
            parts.append([])
        else:
            parts[-1].append((x, y))
    return [p for p in parts if p]


def _join(rings) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for ring in rings:
        xs += [round(x, 2) for x, _ in ring] + [None]
        ys += [round(y, 2) for _, y in ring] + [None]
    return xs[:-1], ys[:-1]


def _polygons(geom: BaseGeometry) -> list:
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiPolygon) or hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def _lines(geom: BaseGeometry) -> list:
    if isinstance(geom, LineString):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiLineString) or hasattr(geom, "geoms"):
        return [line for g in geom.geoms for line in _lines(g)]
    return []


def clip_shape(s: dict, bounds) -> dict | None:
    """The shape cropped to ``bounds`` (x0, y0, x1, y1), or None when nothing of it is left."""
    x0, y0, x1, y1 = bounds
    inside = box(x0, y0, x1, y1)
    geometry = s["geometry"]
    xs = [x for x in s["x"] if x is not None]
    ys = [y for y in s["y"] if y is not None]
    if not xs:
        return s
    if x0 <= min(xs) and max(xs) <= x1 and y0 <= min(ys) and max(ys) <= y1:
        return s  # wholly inside: unchanged
    if geometry == "area":
        rings = []
        for part in _parts(s["x"], s["y"]):
            if len(part) < 3:
                continue
            for p in _polygons(Polygon(part).buffer(0).intersection(inside)):
                if p.area >= MIN_PIECE_CM2:  # a sliver cut off at the box's corner reads as a stray dot
                    rings.append(list(p.exterior.coords))
        if not rings:
            return None
        nx, ny = _join(rings)
        return {**s, "x": nx, "y": ny}
    if geometry == "lines":
        lines = []
        for part in _parts(s["x"], s["y"]):
            if len(part) < 2:
                continue
            lines += [list(g.coords) for g in _lines(LineString(part).intersection(inside))]
        if not lines:
            return None
        nx, ny = _join(lines)
        return {**s, "x": nx, "y": ny}
    keep = [i for i, (x, y) in enumerate(zip(s["x"], s["y"])) if x0 <= x <= x1 and y0 <= y <= y1]
    if not keep:
        return None
    out = {**s, "x": [s["x"][i] for i in keep], "y": [s["y"][i] for i in keep]}
    for key in ("text", "hover"):
        if key in s:
            out[key] = [s[key][i] for i in keep]
    if "tp_ids" in s["meta"]:
        out["meta"] = {**s["meta"], "tp_ids": [s["meta"]["tp_ids"][i] for i in keep]}
    return out


def clip_to_panels(shapes: list[dict], panels: dict) -> list[dict]:
    """Every shape of a view cropped to its panel's box; shapes of no view (the locator) kept."""
    out = []
    for s in shapes:
        view = s.get("view")
        if view is None or view not in panels:
            out.append(s)
            continue
        clipped = clip_shape(s, panels[view]["box"])
        if clipped is not None:
            out.append(clipped)
    return out

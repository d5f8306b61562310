"""Lifting a point of a frontal view onto the skin, and across to the lateral view of its side.

``data/geometry/body.json`` keeps coarse depth maps of the mesh's skin (``surface``): for the
anterior and posterior views, the z (cm, anterior positive) of the skin nearest that view's viewer
and the lateral component of its outward normal; for the lateral views, the outermost x of the skin
on each line of sight. :func:`dnviz.geometry.lift_to_side` is the public entry point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

Point = tuple[float, float]


def raster_value(
    grid: Sequence[Sequence[float | None]], x0: float, y0: float, step: float, x: float, y: float
) -> float:
    """Bilinear value of a stored raster at (x, y); null corners are left out; NaN off the grid or the body."""
    fi, fj = (y - y0) / step, (x - x0) / step
    i, j = math.floor(fi), math.floor(fj)
    if i < 0 or j < 0 or i + 1 >= len(grid) or j + 1 >= len(grid[0]):
        return math.nan
    fy, fx = fi - i, fj - j
    total = weight = 0.0
    for di, dj, w in ((0, 0, (1 - fx) * (1 - fy)), (0, 1, fx * (1 - fy)), (1, 0, (1 - fx) * fy), (1, 1, fx * fy)):
        value = grid[i + di][j + dj]
        if value is not None:
            total += w * value
            weight += w
    return total / weight if weight > 1e-9 else math.nan


def depth(surface: Mapping | None, home: str, x: float, y: float) -> float:
    """z (u on the lateral views) of ``home``'s skin at body point (x, y), seen or not; NaN off the body."""
    if surface is None or home not in surface:
        return math.nan
    return raster_value(surface[home]["depth"], surface["x0"], surface["y0"], surface["step"], abs(x), y)


def lift(surface: Mapping | None, home: str, x: float, y: float) -> tuple[float, float] | None:
    """(u, y) of a point of ``home``'s skin on the lateral view of its side, or None when it is not seen there.

    >>> flat = {"x0": 0, "y0": 0, "step": 1, "facing_min": 0.5, "hidden_cm": 2,
    ...         "anterior": {"depth": [[3, 3], [3, 3]], "facing": [[0.9, 0.9], [0.9, 0.9]]},
    ...         "lateral": {"u0": 3, "y0": 0, "side_x": [[0.5, 0.5], [0.5, 0.5]]}}
    >>> lift(flat, "anterior", 0.5, 0.5)
    (3.0, 0.5)
    >>> lift(flat, "posterior", 0.5, 0.5) is None
    True
    """
    if surface is None or home not in surface:
        return None
    ax = abs(x)
    step = surface["step"]
    depth = raster_value(surface[home]["depth"], surface["x0"], surface["y0"], step, ax, y)
    facing = raster_value(surface[home]["facing"], surface["x0"], surface["y0"], step, ax, y)
    if math.isnan(depth) or math.isnan(facing) or facing < surface["facing_min"]:
        return None  # off the body, on the arm (facing -1) or facing away from the side
    lateral = surface["lateral"]
    outer = raster_value(lateral["side_x"], lateral["u0"], lateral["y0"], step, depth, y)
    if math.isnan(outer) or ax < outer - surface["hidden_cm"]:
        return None  # hidden behind skin further out on the same line of sight
    return (round(depth, 2), y)


def carry(
    surface: Mapping | None,
    outline,
    home: str,
    point: Point,
    anchor: Point | None = None,
    frontal_anchor: Point | None = None,
) -> Point | None:
    """A point of ``home`` carried to the lateral view of its side, or None when it is not seen there.

    When its landmark is on the lateral view too (``anchor``, and ``frontal_anchor`` its place on
    ``home``), the point keeps its offset from the landmark there: the depth map carries only the
    offset across, so that points and landmarks agree. The result is kept on the profile's skin
    (``outline``, a shapely Polygon), where an offset could carry it past the edge.
    """
    x, y = point
    seen = lift(surface, home, x, y)
    if seen is None or anchor is None or frontal_anchor is None:
        return seen
    base = depth(surface, home, *frontal_anchor)
    if math.isnan(base):
        return seen
    u, v = anchor[0] + seen[0] - base, y + anchor[1] - frontal_anchor[1]
    if outline is not None:
        from shapely.geometry import Point as ShapelyPoint

        here = ShapelyPoint(u, v)
        if not outline.contains(here):
            edge = outline.exterior.interpolate(outline.exterior.project(here))
            u, v = edge.x, edge.y
    return (round(u, 2), round(v, 2))

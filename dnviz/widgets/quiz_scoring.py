"""Scoring the quiz questions answered on the map: a click for a trigger point, clicked regions for zones.

Both read the scene's bundle (:func:`dnviz.scene.bundle.map_bundle`), the very shapes and crosses
the browser draws, so what is scored is what the student saw.

**A trigger point** (``kind="point"``): the click and the trigger points are compared on the view
clicked, in the plot's centimetres, which are centimetres on the drawn body (a 175 cm adult). The
click is right when it lies within :data:`POINT_TOLERANCE_CM` (4 cm) of a trigger point of the
muscle on the side shown. Trigger points are located by landmarks and published with a spread of a
few centimetres, and a fingertip on a projected map covers about 1-2 cm; 4 cm is about two finger
widths, close enough to say the student palpates in the right spot and far enough apart that a
neighbouring muscle's trigger point does not count. A click on a view that does not show that
side's trigger points is a miss, and the message says which view does.

**Essential zones** (``kind="zones"``): the regions the student marked and the muscle's essential
zones on the side shown are compared as sets of ``(region, side)`` pairs with the Jaccard index,
``|marked ∩ essential| / |marked ∪ essential|`` (1 for exactly the essential zones, 0 for none of
them). Marked regions that are spillover zones of the same muscle are left out of both counts:
they are part of the pattern, so neither rewarded nor held against the student. The answer is
right when the overlap is at least :data:`ZONES_RIGHT` (0.6): for three essential zones, two of
them alone (0.67) or all three and one more (0.75) are right, two and one wrong region (0.5) are not.

>>> import dnviz
>>> atlas = dnviz.load_atlas()
>>> view, x, y, number = tps_of(atlas, "upper_trapezius", "right")[0]
>>> s = point_score(atlas, "upper_trapezius", "right", {"view": view, "x": x + 1, "y": y + 1})
>>> s.right, s.tp == number, s.distance_cm
(True, True, 1.41)
>>> z = zones_score(atlas, "masseter", "right", [["jaw", "right"]])
>>> 0 < z.overlap <= 1
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dnviz.scene.bundle import map_bundle

POINT_TOLERANCE_CM = 4.0
ZONES_RIGHT = 0.6
VIEW_WORDS = {
    "anterior": "front (anterior)",
    "posterior": "back (posterior)",
    "lateral_right": "right side (lateral)",
    "lateral_left": "left side (lateral)",
}


def other_side(side: str) -> str:
    return "left" if side == "right" else "right"


@dataclass(frozen=True)
class PointScore:
    """A click scored against a muscle's trigger points on one side.

    ``distance_cm`` and ``tp`` (number) and ``to`` (its x, y) name the nearest trigger point on the
    view clicked, or are None when that view shows none; ``views`` are the views that do show
    them; ``mirrored`` is True when the click would be right on the other side of the body.
    """

    view: str
    x: float
    y: float
    distance_cm: float | None
    tp: int | None
    to: tuple[float, float] | None
    right: bool
    views: tuple[str, ...]
    mirrored: bool = False


def tps_of(atlas, muscle: str, side: str) -> list[tuple[str, float, float, int]]:
    """The trigger points the map draws for ``muscle`` on ``side``: ``(view, x, y, number)``, view's own cm."""
    part = map_bundle(atlas)["muscles"][muscle][side]
    return [(view, float(x), float(y), int(n)) for view, x, y, n, _ in part["tps"]]


def _nearest(tps, view: str, x: float, y: float):
    here = [(math.hypot(tx - x, ty - y), n, (tx, ty)) for v, tx, ty, n in tps if v == view]
    return min(here) if here else None


def read_click(click: Mapping | Sequence) -> tuple[str, float, float]:
    """``{"view", "x", "y"}`` (as the map's ``last_click``) or ``(view, x, y)``, checked."""
    if isinstance(click, Mapping):
        view, x, y = click.get("view"), click.get("x"), click.get("y")
    elif isinstance(click, Sequence) and not isinstance(click, str) and len(click) == 3:
        view, x, y = click
    else:
        raise ValueError(f"a click is {{'view': ..., 'x': ..., 'y': ...}} or (view, x, y), not {click!r}")
    if view not in VIEW_WORDS:
        raise ValueError(f"Click on the body: the click {click!r} is on no view ({', '.join(VIEW_WORDS)}).")
    try:
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        raise ValueError(f"a click's x and y are numbers (cm), not {x!r} and {y!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"a click's x and y are finite numbers (cm), not {x!r} and {y!r}")
    return str(view), x, y


def point_score(
    atlas, muscle: str, side: str, click: Mapping | Sequence, tolerance_cm: float = POINT_TOLERANCE_CM
) -> PointScore:
    """Score a click (``{"view", "x", "y"}`` in the view's own plot cm) for a trigger point of ``muscle``."""
    view, x, y = read_click(click)
    tps = tps_of(atlas, muscle, side)
    views = tuple(dict.fromkeys(v for v, *_ in tps))
    near = _nearest(tps, view, x, y)
    if near is None:
        return PointScore(view, x, y, None, None, None, False, views)
    distance, number, to = near
    right = distance <= tolerance_cm
    mirrored = False
    if not right:
        twin = _nearest(tps_of(atlas, muscle, other_side(side)), view, x, y)
        mirrored = twin is not None and twin[0] <= tolerance_cm
    return PointScore(view, x, y, round(distance, 2), number, to, right, views, mirrored)


@dataclass(frozen=True)
class ZonesScore:
    """Marked regions scored against the essential zones: the Jaccard ``overlap`` and its parts (pairs)."""

    overlap: float
    right: bool
    hits: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]
    extra: tuple[tuple[str, str], ...]
    spillover: tuple[tuple[str, str], ...]  # marked spillover zones, left out of the count


def zone_pairs(atlas, muscle: str, side: str, kind: str) -> set[tuple[str, str]]:
    """The ``(region, side)`` pairs the map fills as ``kind`` ('essential' or 'spillover') for ``side``."""
    part = map_bundle(atlas)["muscles"][muscle][side]
    return {(region, zside) for _, region, zside, k, _, _ in part["zones"] if k == kind}


def zones_score(
    atlas, muscle: str, side: str, marked: Iterable[Sequence[str]], right_from: float = ZONES_RIGHT
) -> ZonesScore:
    """Score marked ``[region, side]`` pairs (leaf regions) against the muscle's essential zones on ``side``."""
    essential = zone_pairs(atlas, muscle, side, "essential")
    spill = zone_pairs(atlas, muscle, side, "spillover") - essential
    given = {(str(r), str(s)) for r, s in marked}
    counted = given - spill
    union = counted | essential
    overlap = len(counted & essential) / len(union) if union else 0.0
    return ZonesScore(
        round(overlap, 3),
        overlap >= right_from,
        tuple(sorted(counted & essential)),
        tuple(sorted(essential - counted)),
        tuple(sorted(counted - essential)),
        tuple(sorted(given & spill)),
    )


def start_window(atlas, muscle: str, side: str) -> str:
    """The named window a ``zones`` question opens in: the region holding most of the muscle's trigger points.

    It frames the muscle, which the question shows anyway, not its zones (the muscle's own window
    would frame the answer); the student zooms out or elsewhere to mark zones beyond it.
    """
    from dnviz.scene.windows import NAMED

    windows = map_bundle(atlas)["windows"]
    tps = tps_of(atlas, muscle, side)
    best, best_key = "whole", (0, 0.0)
    for name in NAMED:
        w = windows.get(f"{name}|{side}")
        if not w:
            continue
        inside = 0
        for view, x, y, _ in tps:
            p = w["panels"].get(view)
            if p and p["box"][0] <= x + p["dx"] <= p["box"][2] and p["box"][1] <= y + p["dy"] <= p["box"][3]:
                inside += 1
        x0, y0, x1, y1 = w["frame"]
        key = (inside, -(x1 - x0) * (y1 - y0))
        if inside and key > best_key:
            best, best_key = name, key
    return best


def answer_pins(atlas, muscle: str, side: str) -> list[dict]:
    """Pins on every trigger point of ``muscle`` on ``side`` (``answer=True``), for the map's ``pins``."""
    name = atlas.muscles.at[muscle, "name"]
    return [
        {"view": v, "x": x, "y": y, "name": f"{name} trigger point {n} ({side})", "answer": True}
        for v, x, y, n in tps_of(atlas, muscle, side)
    ]

"""Labels that teach: trigger-point numbers placed so they never overlap, landmark names.

Placement works in plot coordinates (cm) with the text's size in cm (from the figure's scale):
each label tries positions around its point, nearest first, and takes the first whose box
overlaps no label and no cross already placed; the point itself never moves.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence

from shapely.geometry import LineString, Polygon, box
from shapely.ops import unary_union
from shapely.prepared import prep

from dnviz import geometry as geo
from dnviz.scene.coords import plot_xy, trigger_point_xy
from dnviz.scene.pattern import landmark_name
from dnviz.scene.shapes import shape, view_sides

CHAR_EM = 0.66  # width of a character, in font sizes (DejaVu Sans bold, a little generous)
DIRECTIONS = [(math.cos(math.radians(a)), math.sin(math.radians(a))) for a in (45, 135, -45, -135, 0, 180, 90, -90)]
RINGS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0)


def text_box(x: float, y: float, text: str, font_cm: float) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) of a text centred at (x, y) (lines split at newlines)."""
    lines = text.split("\n")
    w = max(1, *(len(line) for line in lines)) * CHAR_EM * font_cm + 0.3 * font_cm
    h = 1.25 * font_cm * len(lines)
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place(
    points: Sequence[tuple[float, float, str]],
    font_cm: float,
    cross_cm: float,
    frame=None,
    avoid=(),
    blocked: Callable[[tuple[float, float, float, float]], bool] | None = None,
    rather_not: Callable[[tuple[float, float, float, float]], bool] | None = None,
) -> list[dict]:
    """Place one label per point; returns dicts with the label's centre, its box and its point.

    ``avoid`` holds boxes already taken (other labels, crosses) that no label may cover; ``blocked``
    (optional) says of a candidate box whether it covers something else the label must leave free
    (a pattern's zones). ``rather_not`` (optional) marks spots to take only when no other spot of
    the same ring is free (a number across the muscle's dashed edge). A label placed at no free spot
    at all has ``"free": False``.
    """
    crosses = [(x - cross_cm / 2, y - cross_cm / 2, x + cross_cm / 2, y + cross_cm / 2) for x, y, _ in points]
    crosses += list(avoid)
    placed: list[dict] = []

    def free(candidate) -> bool:
        if frame is not None and not (
            frame[0] <= candidate[0]
            and candidate[2] <= frame[2]
            and frame[1] <= candidate[1]
            and candidate[3] <= frame[3]
        ):
            return False
        if any(overlaps(candidate, p["box"]) for p in placed) or any(overlaps(candidate, c) for c in crosses):
            return False
        return blocked is None or not blocked(candidate)

    for x, y, text in points:
        w0 = text_box(0, 0, text, font_cm)
        half_w, half_h = (w0[2] - w0[0]) / 2, (w0[3] - w0[1]) / 2
        best = None
        found = True
        for ring in RINGS:
            reach = cross_cm / 2 + 0.15 * font_cm + (ring - 1) * 2 * half_h
            for ux, uy in DIRECTIONS:
                cx, cy = x + ux * (reach + half_w), y + uy * (reach + half_h)
                candidate = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
                if free(candidate):
                    if rather_not is not None and rather_not(candidate):
                        best = best or (cx, cy, candidate, ring)  # kept unless a better spot of this ring is free
                        continue
                    best = (cx, cy, candidate, ring)
                    break
            if best:
                break
        if best is None:  # crowded: the nearest free spot on a grid over the frame (or further out)
            x0, y0, x1, y1 = frame if frame is not None else (x - 40, y - 40, x + 40, y + 40)
            step = max(0.5 * font_cm, 0.2)
            spots = [
                (x0 + half_w + i * step, y0 + half_h + j * step)
                for i in range(int((x1 - x0 - 2 * half_w) / step) + 1)
                for j in range(int((y1 - y0 - 2 * half_h) / step) + 1)
            ]
            spots.sort(key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)
            for cx, cy in spots:
                candidate = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
                if free(candidate):
                    best = (cx, cy, candidate, 9)
                    break
        if best is None:  # no free spot at all: below everything placed
            found = False
            lowest = min([p["box"][1] for p in placed] + [y - cross_cm])
            cx, cy = x + cross_cm + half_w, lowest - half_h - 0.1 * font_cm
            best = (cx, cy, (cx - half_w, cy - half_h, cx + half_w, cy + half_h), 9)
        cx, cy, candidate, ring = best
        placed.append(
            {"x": cx, "y": cy, "box": candidate, "point": (x, y), "text": text, "leader": ring > 1.0, "free": found}
        )
    return placed


def placed_label(role: str, view: str, p: dict, **meta) -> dict:
    """A text shape for a label placed by :func:`place`, its box kept in the meta."""
    meta = {**meta, "box": [round(v, 2) for v in p["box"]]}
    return shape(role, "text", view, [round(p["x"], 2)], [round(p["y"], 2)], p["text"], text=[p["text"]], meta=meta)


def tp_label_shapes(
    crosses: Sequence[dict], font_cm: float, cross_cm: float, boxes: dict | None = None, outlines: Sequence[dict] = ()
) -> list[dict]:
    """Number labels (and leader lines where a label had to move away) for the trigger-point shapes.

    ``outlines`` (the muscle-outline shapes drawn under them): a number goes beside its cross where it
    crosses no outline's edge, if any spot that near is free."""
    edges = {view: prep(unary_union([e for _, e in rings])) for view, rings in outline_rings(outlines).items()}
    out: list[dict] = []
    by_view: dict[str, list] = {}
    for c in crosses:
        for x, y, t in zip(c["x"], c["y"], c["text"]):
            by_view.setdefault(c["view"], []).append((x, y, t, c["meta"].get("muscle_id")))
    for view, pts in by_view.items():
        edge = edges.get(view)
        placed = place(
            [(x, y, t) for x, y, t, _ in pts],
            font_cm,
            cross_cm,
            (boxes or {}).get(view),
            rather_not=(lambda b, edge=edge: edge.intersects(box(*b))) if edge is not None else None,
        )
        for p, (_, _, _, muscle_id) in zip(placed, pts):
            out.append(placed_label("tp-label", view, p, muscle_id=muscle_id))
            if p["leader"]:
                (px, py), (lx, ly) = p["point"], (p["x"], p["y"])
                out.append(shape("tp-leader", "lines", view, [px, lx], [py, ly], "", meta={"muscle_id": muscle_id}))
    return out


#: Landmarks worth naming when no pattern says which (the ones trigger points are most often measured from).
TEACHING_LANDMARKS = (
    "c7_spinous",
    "acromion",
    "scapular_spine_mid",
    "rib2_mcl",
    "sternal_angle",
    "asis",
    "psis",
    "iliac_crest_top",
    "greater_trochanter",
    "lateral_epicondyle",
    "medial_epicondyle",
    "mastoid_process",
    "fibular_head",
    "lateral_malleolus",
    "patella",
    "inferior_angle_scapula",
)


def landmark_shapes(
    atlas, panels, tp_ids: Sequence[str], sides: Sequence[str], font_cm: float = 1.0, taken: Sequence[dict] = ()
) -> list[dict]:
    """Dots and names of the landmarks the shown trigger points are measured from (or the teaching set)."""
    body = geo.load_body()
    wanted: dict[str, list[str]] = {}
    if tp_ids:  # each landmark on every view that has it (a lateral view shows the temple too)
        ids = list(dict.fromkeys(atlas.trigger_points.loc[t, "landmark_id"] for t in tp_ids))
        for view in panels:
            wanted[view] = [lm for lm in ids if lm in body.view(view).landmarks]
    else:
        for view in panels:
            wanted[view] = [lm for lm in TEACHING_LANDMARKS if lm in body.view(view).landmarks]
    out = []
    for view, panel in panels.items():
        ids = list(dict.fromkeys(wanted.get(view, ())))
        xs: list = []
        ys: list = []
        names: list = []
        for side in sides:
            if side not in view_sides(view):
                continue
            for lm in ids:
                if lm not in body.view(view).landmarks:
                    continue
                px, py = plot_xy(view, [geo.landmark(view, lm, side)], panel)
                x0, y0, x1, y1 = panel["box"]
                if x0 <= px[0] <= x1 and y0 <= py[0] <= y1:
                    xs += px
                    ys += py
                    names.append(landmark_name(lm))
        if not xs:
            continue
        out.append(shape("landmarks", "points", view, xs, ys, "Landmarks", text=names, meta={"ids": ids}))
        avoid = [s["meta"]["box"] for s in taken if s["view"] == view and "box" in s["meta"]]
        avoid += [
            (x - font_cm / 2, y - font_cm / 2, x + font_cm / 2, y + font_cm / 2)
            for s in taken
            if s["view"] == view and s["role"] == "trigger-points"
            for x, y in zip(s["x"], s["y"])
        ]
        small = 0.85 * font_cm
        bx0, _, bx1, _ = panel["box"]
        chars = int(max(8, min(24, 0.45 * (bx1 - bx0) / (CHAR_EM * small))))  # no wider than half the panel
        wrapped = ["\n".join(textwrap.wrap(n, chars, break_long_words=False)) for n in names]
        for p in place(list(zip(xs, ys, wrapped)), small, 0.5 * small, panel["box"], avoid):
            out.append(placed_label("landmark-label", view, p))
    return out


#: Share of a name's box that may lie over the selected pattern's zones before the spot counts as taken.
ZONE_COVER_MAX = 0.02
PATTERN_ROLES = ("zone-essential", "zone-spillover")
NAME_ROLES = ("safety-label", "danger-label", "deep-label")


def _parts(s: dict):
    """The rings of an area shape (plot coordinates; ``None`` separates parts)."""
    part: list = []
    for x, y in zip([*s["x"], None], [*s["y"], None]):
        if x is None or y is None:
            if len(part) >= 3:
                yield part
            part = []
        else:
            part.append((x, y))


def pattern_areas(shapes: Sequence[dict]) -> dict[str, object]:
    """The union of the selected pattern's zones on each view (plot coordinates, shapely)."""
    by_view: dict[str, list] = {}
    for s in shapes:
        if s["role"] in PATTERN_ROLES and s["geometry"] == "area":
            by_view.setdefault(s["view"], []).extend(Polygon(p).buffer(0) for p in _parts(s))
    return {view: unary_union(polys) for view, polys in by_view.items()}


def _zone_test(area) -> Callable | None:
    """A ``blocked`` test for :func:`place`: does a box lie over the pattern's zones (beyond a sliver)?"""
    if area is None or area.is_empty:
        return None
    ready = prep(area)

    def blocked(b) -> bool:
        candidate = box(*b)
        return ready.intersects(candidate) and area.intersection(candidate).area > ZONE_COVER_MAX * candidate.area

    return blocked


#: How far (in font sizes) a "deep" name may sit from its outline when it keeps clear of the outlines' edges.
DEEP_NEAR = 1.0


def outline_rings(shapes: Sequence[dict]) -> dict[str, list]:
    """The muscle outlines' rings on each view, as (polygon, its edge) pairs (plot coordinates, shapely)."""
    by_view: dict[str, list] = {}
    for s in shapes:
        if s["role"].startswith("muscle-outline") and s["geometry"] == "area":
            for p in _parts(s):
                by_view.setdefault(s["view"], []).append((Polygon(p).buffer(0), LineString([*p, p[0]])))
    return by_view


def _beside_outline(here, font_cm: float, frame, taken, zone_test, rings) -> dict | None:
    """A "deep" name's spot that crosses no outline's edge (nor the pattern's zones), inside its outline or
    within DEEP_NEAR font sizes of it; None where there is none (the name then goes where it went before)."""
    if not rings:
        return None
    edges = prep(unary_union([edge for _, edge in rings]))
    x, y = here[0][0], here[0][1]
    own = min((poly for poly, _ in rings), key=lambda poly: poly.distance(box(x, y, x, y)))

    def blocked(b) -> bool:
        return edges.intersects(box(*b)) or (zone_test is not None and zone_test(b))

    p = place(here, font_cm, 0.1, frame, taken, blocked)[0]
    return p if p["free"] and own.distance(box(*p["box"])) <= DEEP_NEAR * font_cm else None


def place_names(shapes: list[dict], panels, font_cm: float) -> list[dict]:
    """Move the safety and danger-zone names off each other and off the numbers, crosses and landmarks,
    and off the selected pattern's zones where a free spot exists.

    Each name starts at a point inside its zone; it is wrapped to short lines and placed at the first
    free spot around that point, inside its panel, that covers no zone of the pattern (the pattern is
    what the figure teaches); only where no such spot exists does the name go over the pattern. A name
    that had to move away from its point gets a thin leader line back to it.
    """
    areas = pattern_areas(shapes) if any(s["role"] in NAME_ROLES for s in shapes) else {}
    tests = {view: _zone_test(area) for view, area in areas.items()}
    rings = outline_rings(shapes) if any(s["role"] == "deep-label" for s in shapes) else {}
    taken = [s for s in shapes if s["role"] in ("tp-label", "landmark-label")]
    avoid: dict[str, list] = {}
    for s in taken:
        avoid.setdefault(s["view"], []).append(s["meta"]["box"])
    for s in shapes:
        if s["role"] in ("trigger-points", "landmarks"):
            for x, y in zip(s["x"], s["y"]):
                avoid.setdefault(s["view"], []).append(
                    (x - font_cm / 2, y - font_cm / 2, x + font_cm / 2, y + font_cm / 2)
                )
    out = []
    small = 0.85 * font_cm
    for s in shapes:
        if s["role"] not in ("safety-label", "danger-label", "deep-label") or s["view"] not in panels:
            out.append(s)
            continue
        x0, _, x1, _ = panels[s["view"]]["box"]
        chars = int(max(8, min(22, 0.45 * (x1 - x0) / (CHAR_EM * small))))  # lines no wider than half the panel
        text = "\n".join(textwrap.wrap(s["name"], chars, break_long_words=False))
        here = [(s["x"][0], s["y"][0], text)]
        frame, taken_here = panels[s["view"]]["box"], avoid.get(s["view"], ())
        p = None
        if s["role"] == "deep-label":  # beside or inside its outline, never across an outline's dashed edge
            p = _beside_outline(here, small, frame, taken_here, tests.get(s["view"]), rings.get(s["view"]))
        if p is None:
            p = place(here, small, 0.1, frame, taken_here, tests.get(s["view"]))[0]
        if not p["free"]:  # nowhere off the pattern: the first spot free of labels and crosses
            p = place(here, small, 0.1, frame, taken_here)[0]
        avoid.setdefault(s["view"], []).append(p["box"])
        meta = {**s["meta"], "box": [round(v, 2) for v in p["box"]]}
        x0, y0, x1, y1 = p["box"]
        (px, py) = p["point"]
        if s["role"] != "deep-label" and not (x0 <= px <= x1 and y0 <= py <= y1):
            ex, ey = min(max(px, x0), x1), min(max(py, y0), y1)  # from the box's nearest edge to its point
            out.append(shape("safety-leader", "lines", s["view"], [ex, px], [ey, py], ""))
        out.append({**s, "x": [round(p["x"], 2)], "y": [round(p["y"], 2)], "text": [text], "meta": meta})
    return out


def tp_ids_shown(atlas, crosses: Sequence[dict]) -> list[str]:
    return list(dict.fromkeys(t for c in crosses for t in c["meta"].get("tp_ids", ())))


__all__ = ["landmark_shapes", "place", "text_box", "tp_label_shapes", "trigger_point_xy"]

"""Labels that teach: trigger-point numbers placed so they never overlap, landmark names.

Placement works in plot coordinates (cm) with the text's size in cm (from the figure's scale):
each label tries positions around its point, nearest first, and takes the first whose box
overlaps no label and no cross already placed; the point itself never moves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from dnviz import geometry as geo
from dnviz.scene.coords import plot_xy, trigger_point_xy
from dnviz.scene.pattern import landmark_name
from dnviz.scene.shapes import shape, view_sides

CHAR_EM = 0.62  # width of a digit or letter, in font sizes (DejaVu Sans, a little generous)
DIRECTIONS = [(math.cos(math.radians(a)), math.sin(math.radians(a))) for a in (45, 135, -45, -135, 0, 180, 90, -90)]
RINGS = (1.0, 1.7, 2.5, 3.4)


def text_box(x: float, y: float, text: str, font_cm: float) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) of a text centred at (x, y)."""
    w = max(1, len(text)) * CHAR_EM * font_cm + 0.3 * font_cm
    h = 1.2 * font_cm
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place(points: Sequence[tuple[float, float, str]], font_cm: float, cross_cm: float, frame=None) -> list[dict]:
    """Place one label per point; returns dicts with the label's centre, its box and its point."""
    crosses = [(x - cross_cm / 2, y - cross_cm / 2, x + cross_cm / 2, y + cross_cm / 2) for x, y, _ in points]
    placed: list[dict] = []
    for x, y, text in points:
        w0 = text_box(0, 0, text, font_cm)
        half_w, half_h = (w0[2] - w0[0]) / 2, (w0[3] - w0[1]) / 2
        best = None
        for ring in RINGS:
            for ux, uy in DIRECTIONS:
                reach = ring * (cross_cm / 2 + 0.15 * font_cm)
                cx, cy = x + ux * (reach + half_w), y + uy * (reach + half_h)
                candidate = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
                if frame and not (
                    frame[0] <= candidate[0]
                    and candidate[2] <= frame[2]
                    and frame[1] <= candidate[1]
                    and candidate[3] <= frame[3]
                ):
                    continue
                if any(overlaps(candidate, p["box"]) for p in placed) or any(overlaps(candidate, c) for c in crosses):
                    continue
                best = (cx, cy, candidate, ring)
                break
            if best:
                break
        if best is None:  # crowded: the nearest free spot further out, stacked below the others
            lowest = min([p["box"][1] for p in placed] + [y - cross_cm])
            cx, cy = x + cross_cm + half_w, lowest - half_h - 0.1 * font_cm
            best = (cx, cy, (cx - half_w, cy - half_h, cx + half_w, cy + half_h), 9)
        cx, cy, candidate, ring = best
        placed.append({"x": cx, "y": cy, "box": candidate, "point": (x, y), "text": text, "leader": ring > 1.0})
    return placed


def tp_label_shapes(crosses: Sequence[dict], font_cm: float, cross_cm: float, boxes: dict | None = None) -> list[dict]:
    """Number labels (and leader lines where a label had to move away) for the trigger-point shapes."""
    out: list[dict] = []
    by_view: dict[str, list] = {}
    for c in crosses:
        for x, y, t in zip(c["x"], c["y"], c["text"]):
            by_view.setdefault(c["view"], []).append((x, y, t, c["meta"].get("muscle_id")))
    for view, pts in by_view.items():
        placed = place([(x, y, t) for x, y, t, _ in pts], font_cm, cross_cm, (boxes or {}).get(view))
        for p, (_, _, _, muscle_id) in zip(placed, pts):
            meta = {"muscle_id": muscle_id, "box": [round(v, 2) for v in p["box"]]}
            out.append(
                shape(
                    "tp-label",
                    "text",
                    view,
                    [round(p["x"], 2)],
                    [round(p["y"], 2)],
                    p["text"],
                    text=[p["text"]],
                    meta=meta,
                )
            )
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


def landmark_shapes(atlas, panels, tp_ids: Sequence[str], sides: Sequence[str]) -> list[dict]:
    """Dots and names of the landmarks the shown trigger points are measured from (or the teaching set)."""
    body = geo.load_body()
    wanted: dict[str, list[str]] = {}
    if tp_ids:
        for tp_id in tp_ids:
            tp = atlas.trigger_points.loc[tp_id]
            wanted.setdefault(tp["view"], []).append(tp["landmark_id"])
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
        if xs:
            out.append(shape("landmarks", "points", view, xs, ys, "Landmarks", text=names, meta={"ids": ids}))
    return out


def tp_ids_shown(atlas, crosses: Sequence[dict]) -> list[str]:
    return list(dict.fromkeys(t for c in crosses for t in c["meta"].get("tp_ids", ())))


__all__ = ["landmark_shapes", "place", "text_box", "tp_label_shapes", "trigger_point_xy"]

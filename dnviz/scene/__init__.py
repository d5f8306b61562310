"""The scene: what a body map draws, as plain JSON-able shapes with a style role (no plotly, no widgets).

The pipeline flows one way: geometry (:mod:`dnviz.geometry`) and safety geometry
(:mod:`dnviz.safety`, shapely only) -> the scene (this package) -> a renderer (:mod:`dnviz.plotting`
for plotly figures; the explorers' map draws the same shapes in the browser).

>>> import dnviz
>>> from dnviz.scene import build_scene
>>> scene = build_scene(dnviz.load_atlas(), muscle="upper trapezius")
>>> scene["window"], scene["views"]
('auto', ['posterior', 'lateral_right'])
>>> {"body", "zone-essential", "trigger-points", "tp-label"} <= {s["role"] for s in scene["shapes"]}
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dnviz.scene.base import body_shapes, marked_regions, pain_shapes
from dnviz.scene.clip import clip_to_panels
from dnviz.scene.coords import GAP_CM, locate, plot_xy, polygon_xy, trigger_point_xy, view_offsets, whole_panels
from dnviz.scene.labels import landmark_shapes, place_names, tp_ids_shown, tp_label_shapes
from dnviz.scene.pattern import _outlines, outline_shapes, pattern_shapes, tp_number, where_in_words
from dnviz.scene.shapes import view_sides
from dnviz.scene.windows import WINDOWS, frame_of, locator_shapes, window_panels
from dnviz.vocabulary import VIEWS, check_choice, referral_sides
from dnviz.vocabulary import sides as _sides

__all__ = [
    "GAP_CM",
    "WINDOWS",
    "build_scene",
    "frame_request",
    "locate",
    "plot_xy",
    "polygon_xy",
    "tp_number",
    "trigger_point_xy",
    "view_offsets",
    "where_in_words",
    "whole_panels",
]

LANDMARK_CHOICES = (True, False)


def _views(view: str | Sequence[str], window: str, sides: Sequence[str]) -> tuple[str, ...]:
    """The views a request may draw. ``"both"`` is the front and the back for the whole body; a window
    may also use the lateral view of each side drawn (the geometry decides which views exist)."""
    from dnviz import geometry as geo

    available = tuple(v for v in VIEWS if v in geo.load_body().views) or tuple(geo.load_body().views)
    if isinstance(view, str):
        check_choice("view", view, (*available, "both"))
        if view != "both":
            return (view,)
        front_back = tuple(v for v in available if len(view_sides(v)) == 2)
        if window == "whole":
            return front_back
        return front_back + tuple(v for v in available if len(view_sides(v)) == 1 and view_sides(v)[0] in sides)
    return tuple(check_choice("view", v, available) for v in view)


def _muscle_ids(atlas, muscle) -> list[str]:
    muscles = [muscle] if isinstance(muscle, str) else list(muscle or [])
    return list(dict.fromkeys(atlas.find_muscle(m).name for m in muscles))


def _tp(atlas, tp, muscle_ids) -> str | None:
    if tp is None:
        return None
    allowed = list(atlas.trigger_points.index[atlas.trigger_points["muscle_id"].isin(muscle_ids)])
    if isinstance(tp, int) and not isinstance(tp, bool):  # a number as the map labels it
        numbered = {tp_number(atlas, t): t for t in allowed}
        return numbered[check_choice("tp", tp, sorted(numbered))]
    return check_choice("tp", tp, allowed)


def frame_request(
    atlas,
    view="both",
    muscle=None,
    tp=None,
    regions=None,
    side="right",
    window="auto",
) -> dict:
    """Check a request and work out its window: the views, panels and frame (cheap; no shapes)."""
    check_choice("window", window, WINDOWS)
    sides = _sides(side)
    views = _views(view, window, sides)
    muscle_ids = _muscle_ids(atlas, muscle)
    if tp is not None and len(muscle_ids) != 1:
        raise ValueError(f"tp needs exactly one muscle, not {len(muscle_ids)}: pass muscle=... with tp={tp!r}")
    tp_id = _tp(atlas, tp, muscle_ids)
    zones: list[tuple[str, str]] = []
    tps: list[tuple[str, str]] = []
    for muscle_id in muscle_ids:
        pattern = atlas.referral_pattern(muscle_id)
        if tp_id:
            pattern = pattern[pattern["tp_id"] == tp_id]
        for row in pattern.itertuples():
            for tp_side in sides:
                zones += [(row.region_id, s) for s in referral_sides(row.laterality, tp_side)]
        ids = [tp_id] if tp_id else atlas.trigger_points.index[atlas.trigger_points["muscle_id"] == muscle_id]
        tps += [(t, s) for t in ids for s in sides]
    marked = marked_regions(atlas, regions) if regions is not None else []
    if not muscle_ids:
        zones += marked
    outlines: dict[str, list] = {}  # the muscle drawn under its pattern is framed whole
    if window == "auto" and not tp_id:
        for muscle_id in muscle_ids:
            for s in sides:
                for v, _, _, polygon in _outlines(atlas, muscle_id, s, [v for v in views if s in view_sides(v)]):
                    outlines.setdefault(v, []).append(polygon)
    drawn, panels = window_panels(atlas, window, views, zones, tps, sides, outlines)
    if drawn == "whole" and window == "auto" and view == "both":  # nothing to frame: the front and the back
        panels = {v: p for v, p in whole_panels([v for v in views if len(view_sides(v)) == 2]).items()}
    return {
        "views": list(panels),
        "window": drawn,
        "panels": panels,
        "frame": frame_of(panels),
        "muscle_ids": muscle_ids,
        "tp_id": tp_id,
        "sides": list(sides),
        "marked": marked,
    }


def build_scene(
    atlas,
    view: str | Sequence[str] = "both",
    muscle: str | Sequence[str] | None = None,
    tp: str | int | None = None,
    regions: str | Iterable | None = None,
    side: str = "right",
    safety: bool = False,
    window: str = "auto",
    landmarks: bool = False,
    clickable: bool = False,
    hide_names: bool = False,
    font_cm: float = 1.2,
    cross_cm: float = 1.2,
    request: dict | None = None,
) -> dict:
    """The scene of a body map: ``{"views", "window", "panels", "frame", "shapes", ...}``, JSON-able.

    Shapes come bottom to top: body, skeleton, regions, marked pain, the muscle's outline, zones
    (spillover, then essential), safety overlays and their names, trigger points, their numbers,
    landmarks, the locator. ``font_cm`` and ``cross_cm`` are the size of a label's text and of a
    cross in cm at the figure's scale (for placing the numbers so that they never overlap).
    """
    req = request or frame_request(atlas, view, muscle, tp, regions, side, window)
    check_choice("landmarks", landmarks, LANDMARK_CHOICES)
    panels, sides, muscle_ids = req["panels"], req["sides"], req["muscle_ids"]
    shapes = body_shapes(atlas, panels, clickable)
    if req["marked"]:
        shapes += pain_shapes(atlas, panels, req["marked"])
    shapes += outline_shapes(atlas, panels, muscle_ids, sides)
    zones, crosses = pattern_shapes(atlas, panels, muscle_ids, sides, req["tp_id"], hide_names)
    shapes += zones
    if safety:
        from dnviz.scene.safety import safety_shapes

        shapes += safety_shapes(atlas, panels, sides[0])
    shapes += crosses
    frame = list(req["frame"])
    if req["window"] != "whole":
        shapes = clip_to_panels(shapes, panels)
        crosses = [c for c in shapes if c["role"] == "trigger-points"]
    outlines = [s for s in shapes if s["role"].startswith("muscle-outline")]
    shapes += tp_label_shapes(crosses, font_cm, cross_cm, {v: p["box"] for v, p in panels.items()}, outlines)
    if landmarks:
        taken = [s for s in shapes if s["role"] in ("tp-label", "trigger-points")]
        shapes += landmark_shapes(atlas, panels, tp_ids_shown(atlas, crosses), sides, font_cm, taken)
    shapes = place_names(shapes, panels, font_cm)
    if req["window"] != "whole":
        locator, frame = locator_shapes(panels, frame)
        shapes += locator
    return {**req, "frame": frame, "shapes": shapes, "safety": bool(safety)}

"""plot_body_map: the scene of a request, rendered as one plotly figure."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go

from dnviz import geometry as geo
from dnviz._sizes import check_size
from dnviz.atlas import Atlas
from dnviz.plotting import layout as lay
from dnviz.plotting.render import WEAK_GRADES, legend_trace, render_shape, weak_zone_style
from dnviz.scene import build_scene, frame_request
from dnviz.scene.pattern import tp_number
from dnviz.scene.safety import LEGEND as SAFETY_LEGEND
from dnviz.scene.windows import with_locator
from dnviz.themes import Theme, get_theme


def _legend(atlas, th: Theme, scene: dict) -> list[dict]:
    items = []
    roles = {s["role"] for s in scene["shapes"]}
    for i, muscle_id in enumerate(scene["muscle_ids"]):
        name = atlas.muscles.at[muscle_id, "name"]
        colour = th.colour(i)
        for role, text in (("zone-essential", "essential zone"), ("zone-spillover", "spillover zone")):
            item = legend_trace(role, f"{name}: {text}", th, colour)
            items.append(item)
    if any(s.get("grade") in WEAK_GRADES for s in scene["shapes"] if s["role"].startswith("zone-")):
        weak = legend_trace("zone-essential", "Zone from web pages only (lighter, dotted edge)", th, th.colour(0))
        items.append(
            {**weak, **weak_zone_style("zone-essential", {k: weak[k] for k in ("opacity", "line") if k in weak})}
        )
    if "muscle-outline" in roles:
        items.append(legend_trace("muscle-outline", "Muscle outline", th, th.muscle_line))
    if "muscle-outline-deep" in roles:
        items.append(legend_trace("muscle-outline-deep", "Deep muscle (dashed)", th, th.muscle_line))
    if scene["muscle_ids"]:
        items.append(legend_trace("trigger-points", "Trigger point (×, numbered)", th))
    return items


def _title(atlas, scene: dict, safety: bool, title: str | None) -> str:
    if title is not None:
        return title
    ids = scene["muscle_ids"]
    if not ids:
        return "Safety zones: the lung and other danger zones" if safety else "Body map"
    if len(ids) > 1:
        return "Body map"
    name = atlas.muscles.at[ids[0], "name"]
    if scene["tp_id"]:
        return f"{name}, trigger point {tp_number(atlas, scene['tp_id'])}: its referral zones"
    return f"{name}: trigger points and referral zones"


def plot_body_map(
    atlas: Atlas,
    view: str = "both",
    muscle: str | Sequence[str] | None = None,
    regions: str | Iterable[str | tuple[str, str]] | None = None,
    side: str = "right",
    theme: str | Theme = "screen",
    safety: bool = False,
    clickable: bool = False,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
    disclaimer: bool | None = None,
    window: str = "auto",
    tp: str | int | None = None,
    landmarks: bool = False,
) -> go.Figure:
    """Draw a body map: silhouette, skeleton, regions, and optionally a muscle's referral pattern.

    Parameters
    ----------
    atlas : Atlas
        From :func:`dnviz.load_atlas`.
    view : {"both", "anterior", "posterior", ...}
        Which view(s) may be drawn: one view of the geometry, or ``"both"`` for every view it has.
    muscle : str or list of str, optional
        Muscle(s) by any name; each gets its own colour. Trigger points are drawn as numbered
        crosses, essential zones solid and spillover zones stippled, the muscle's outline under them
        (deep muscles dashed).
    regions : str or list, optional
        Regions to mark as painful (ids or names; an item may be a ``(region, side)`` pair).
    side : {"right", "left", "both"}
        The side of the body whose trigger points are drawn (zones follow their laterality).
    theme : {"screen", "present", "print"} or Theme
        ``present`` is readable from the back of a classroom; ``print`` is black-and-white safe.
    safety : bool
        Overlay the pneumothorax and other danger zones, named on the figure (see :mod:`dnviz.safety`).
    clickable : bool
        One filled trace per region (click and hover targets, for the explorers).
    title : str, optional
        Figure title (wrapped onto more lines when the figure is narrow).
    width, height : int, optional
        Size in pixels; by default the theme's (a regional window shrinks one of them to its
        shape). The smallest that still draws a legible body: a width of 340 pixels per view (680
        for both whole views) with the ``screen`` and ``print`` themes, 580 (1160) with ``present``,
        and a height of at least 400 pixels that leaves room to draw the body (or the window) 270
        pixels tall under the title, the educational-use line and the legend. Smaller, non-finite
        or non-numeric sizes raise a ValueError naming the parameter, the minimum and the value.
    disclaimer : bool, optional
        Show the educational-use line under the title; by default whenever the figure shows a
        pattern or safety overlays.
    window : {"auto", "whole", "head_neck", "shoulder_arm", "forearm_hand", "trunk", "hip_thigh", "leg_foot"}
        ``"auto"`` frames the pattern (or the marked regions) with context to orient, on the views
        that show it, with a small whole-body locator; with nothing selected it is ``"whole"``.
    tp : str or int, optional
        One trigger point of the muscle (its id, or its number on the map): only its zones.
    landmarks : bool
        Name the landmarks the trigger points are measured from (C7, acromion, ...).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    th = get_theme(theme)
    req = frame_request(atlas, view, muscle, tp, regions, side, window)
    n_views = len(req["views"])
    whole = req["window"] == "whole"
    if whole:
        width, height = lay.figure_size(th, n_views, width, height)
    else:
        figure = f"a regional body map with the {th.name!r} theme"
        width = check_size("width", width, lay.min_width_per_view(th), figure)
        height = check_size("height", height, lay.MIN_HEIGHT, figure)
    text = _title(atlas, req, safety, title)
    has_content = safety or bool(req["muscle_ids"])
    n_legend = 2 * len(req["muscle_ids"]) + (2 if req["muscle_ids"] else 0) + (4 if safety else 0)
    legend_px = math.ceil(th.font_size * 1.55) * n_legend if has_content else 0
    if not whole:
        m = lay.margins(th, text, width or th.width, n_views)
        frame = lay.padded(with_locator(req["frame"]), req["window"], th)
        longest = max([len(text) for _, text in SAFETY_LEGEND] if safety else [0])  # the widest legend entry
        width, height = lay.fit_size(
            th, frame, width, height, m["t"], m["b"] + legend_px, int(0.6 * th.font_size * longest) + 60
        )
    m = lay.margins(th, text, width, n_views)
    area_w, area_h = width - m["l"] - m["r"], height - m["t"] - m["b"]
    fx0, fy0, fx1, fy1 = lay.padded(req["frame"] if whole else with_locator(req["frame"]), req["window"], th)
    # as drawn: plotly takes the legend's rows from the plot area and keeps 1 cm = 1 cm by shrinking both axes
    px_per_cm = min(area_w / (fx1 - fx0), area_h / (fy1 - fy0)) * (area_h - legend_px) / area_h
    scene = build_scene(
        atlas,
        safety=safety,
        landmarks=landmarks,
        clickable=clickable,
        font_cm=th.font_size / px_per_cm,
        cross_cm=th.tp_size / px_per_cm,
        request=req,
        window=window,
    )
    traces = [render_shape(s, th) for s in scene["shapes"]] + _legend(atlas, th, scene)
    if disclaimer is None:
        disclaimer = has_content
    legend_items = sum(1 for t in traces if t.get("showlegend", True))
    rng = lay.padded(scene["frame"], scene["window"], th, px_per_cm)
    # the whole body is drawn at least MIN_BODY_PX tall; a window at least that much on its longer side
    fx0, fy0, fx1, fy1 = req["frame"]
    least_cm = geo.load_body().outline.bounds[3] if whole else max(fy1 - fy0, fx1 - fx0)
    layout, drawn = lay.layout(th, text, n_views, width, height, has_content, legend_items, rng, least_cm)
    layout["meta"] = {"window": scene["window"], "views": scene["views"], "panels": scene["panels"]}
    size = lay.side_label_size(th, n_views, drawn) if whole else lay.window_label_size(th, scene, drawn)
    layout["annotations"] = lay.annotations(scene, th, disclaimer, width, size, drawn)
    return go.Figure(data=traces, layout=layout)  # built once: plotly validates every property on each update

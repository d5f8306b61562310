"""Where each view sits in a figure: panels, plot coordinates, and the way back from a point to a region.

A *panel* places one view in the figure's plane: ``plot x = to_plot_x(view, body x) + dx`` and
``plot y = body y + dy``. A whole-body figure sets the views side by side (``dy = 0``); a regional
window crops each view to a box and sets the boxes side by side. Everything here is plain numbers:
no plotly, no widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from shapely.geometry import MultiPolygon, Point, Polygon

from dnviz import geometry as geo
from dnviz.vocabulary import VIEWS

GAP_CM = 25.0  # between the views of a whole-body figure
Panel = Mapping[str, float]  # {"dx": ..., "dy": ...} (and "box" once framed)


def outline_of(view: str):
    """The silhouette of a view: the profile on a lateral view, else the front/back outline."""
    body = geo.load_body()
    lateral = getattr(body, "lateral_outline", None)
    return lateral if view.startswith("lateral") and lateral is not None else body.outline


def plot_bounds(view: str) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a view's silhouette in plot coordinates before any offset."""
    x0, y0, x1, y1 = outline_of(view).bounds
    a, b = geo.to_plot_x(view, x0), geo.to_plot_x(view, x1)
    return min(a, b), y0, max(a, b), y1


def view_offsets(views: Sequence[str]) -> dict[str, float]:
    """Horizontal offset of each view when several whole views are drawn side by side (cm)."""
    return {v: p["dx"] for v, p in whole_panels(views).items()}


def whole_panels(views: Sequence[str]) -> dict[str, dict]:
    """Panels of whole views side by side (the first view's silhouette starts at its own left edge)."""
    panels = {}
    cursor = None
    for v in views:
        x0, y0, x1, y1 = plot_bounds(v)
        dx = 0.0 if cursor is None else cursor - x0
        panels[v] = {"dx": dx, "dy": 0.0, "box": [x0 + dx, y0, x1 + dx, y1]}
        cursor = x1 + dx + GAP_CM
    return panels


def _panel(offset: float | Panel) -> tuple[float, float]:
    if isinstance(offset, Mapping):
        return float(offset["dx"]), float(offset.get("dy", 0.0))
    return float(offset), 0.0


def plot_xy(view: str, xy: Iterable[tuple[float, float]], offset: float | Panel) -> tuple[list, list]:
    """Body coordinates of a view to plot coordinates (rounded to 1 mm)."""
    dx, dy = _panel(offset)
    points = np.asarray(xy, dtype=float).reshape(-1, 2)
    sign = geo.to_plot_x(view, 1.0)  # +1 or -1: the view's horizontal direction
    return np.round(sign * points[:, 0] + dx, 1).tolist(), np.round(points[:, 1] + dy, 1).tolist()


def polygon_xy(view: str, shape: Polygon | MultiPolygon, offset: float | Panel) -> tuple[list, list]:
    """Exterior rings of a (multi)polygon as None-separated plot coordinates."""
    parts = shape.geoms if isinstance(shape, MultiPolygon) else [shape]
    xs: list = []
    ys: list = []
    for part in parts:
        if part.is_empty:
            continue
        px, py = plot_xy(view, part.exterior.coords, offset)
        xs += [*px, None]
        ys += [*py, None]
    return xs[:-1], ys[:-1]


def to_body(view: str, plot_x: float, plot_y: float, panel: Panel) -> tuple[float, float]:
    """Body coordinates of a plot point inside a view's panel (the inverse of :func:`plot_xy`)."""
    dx, dy = _panel(panel)
    return geo.to_plot_x(view, plot_x - dx), plot_y - dy  # to_plot_x is its own inverse


def trigger_point_xy(atlas, tp_id: str, side: str) -> tuple[str, float, float]:
    """(view, x, y) of a trigger point in body coordinates on one side of the body, on its home view."""
    tp = atlas.trigger_points.loc[tp_id]
    x, y = geo.offset_point(tp["view"], tp["landmark_id"], side, float(tp["dx_cm"]), float(tp["dy_cm"]))
    return tp["view"], x, y


def tp_on_view(atlas, tp_id: str, view: str, side: str) -> tuple[float, float] | None:
    """Where a trigger point is drawn on a view (its home view, or a lateral view that sees it), or None."""
    tp = atlas.trigger_points.loc[tp_id]
    if hasattr(geo, "tp_position"):
        return geo.tp_position(tp, view, side)
    home, x, y = trigger_point_xy(atlas, tp_id, side)  # pragma: no cover - geometry without lateral views
    return (x, y) if home == view else None


def region_views(atlas, region_id: str) -> tuple[str, ...]:
    """The views on which a leaf region has a polygon (the geometry says; regions.csv as a fallback)."""
    body = geo.load_body()
    drawn = tuple(v for v in body.views if region_id in body.views[v].regions)
    if drawn:
        return drawn
    view = atlas.regions.at[region_id, "view"]
    return tuple(body.views) if view == "both" else (view,)


def locate(
    atlas, plot_x: float, plot_y: float, views: Sequence[str] = VIEWS, panels: Mapping[str, Panel] | None = None
) -> tuple[str, str, str] | None:
    """(view, region_id, side) of the leaf region under a point of a body map, or None off the body.

    ``panels`` are the figure's (``fig.layout.meta["panels"]``); by default whole views side by side.
    """
    from dnviz.vocabulary import SIDES

    panels = panels or whole_panels(views)
    for view, panel in panels.items():
        x0, y0, x1, y1 = panel["box"]
        if not (x0 <= plot_x <= x1 and y0 <= plot_y <= y1):
            continue
        body_x, body_y = to_body(view, plot_x, plot_y, panel)
        here = Point(body_x, body_y)
        for region_id in geo.load_body().view(view).regions:
            for side in SIDES:
                if geo.region_polygon(view, region_id, side).contains(here):
                    return view, region_id, side
    return None

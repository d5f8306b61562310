"""The body under every pattern: silhouette, skeleton, region outlines and names, marked pain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dnviz import geometry as geo
from dnviz.scene.coords import Panel, plot_xy, polygon_xy, region_views
from dnviz.scene.shapes import shape, side_word, view_sides
from dnviz.vocabulary import sides as _sides


def _outline(view: str):
    """The silhouette of a view: the view's own outline when the geometry has one, else the body's."""
    body = geo.load_body()
    lateral = getattr(body, "lateral_outline", None)
    if view.startswith("lateral") and lateral is not None:
        return lateral
    return body.outline


def _body_box(view: str, panel: Panel):
    """A panel's box in the view's body coordinates (x0, y0, x1, y1), or None for a whole view."""
    if "box" not in panel:
        return None
    x0, y0, x1, y1 = panel["box"]
    a, b = (geo.to_plot_x(view, x - panel["dx"]) for x in (x0, x1))
    return (min(a, b), y0 - panel.get("dy", 0.0), max(a, b), y1 - panel.get("dy", 0.0))


def _meets(bounds, box) -> bool:
    return bounds[0] <= box[2] and box[0] <= bounds[2] and bounds[1] <= box[3] and box[1] <= bounds[3]


def body_shapes(atlas, panels: Mapping[str, Panel], clickable: bool) -> list[dict]:
    """Silhouette, skeleton and regions of every view (regions as click targets when ``clickable``)."""
    out: list[dict] = []
    for view, panel in panels.items():
        xs, ys = polygon_xy(view, _outline(view), panel)
        out.append(shape("body", "area", view, xs, ys, f"Body ({view})"))
        sx: list = []
        sy: list = []
        for side in view_sides(view):
            for line in geo.skeleton(view, side).values():
                px, py = plot_xy(view, line, panel)
                sx += [*px, None]
                sy += [*py, None]
        out.append(shape("skeleton", "lines", view, sx, sy, f"Skeleton ({view})"))
        rx: list = []
        ry: list = []
        cx: list = []
        cy: list = []
        labels: list = []
        seen = _body_box(view, panel)
        for region_id in geo.load_body().view(view).regions:
            name = atlas.regions.at[region_id, "name"] if region_id in atlas.regions.index else region_id
            for side in view_sides(view):
                polygon = geo.region_polygon(view, region_id, side)
                if seen is not None and not _meets(polygon.bounds, seen):
                    continue  # wholly outside a window's box: nothing of it is drawn
                label = f"{side_word(side)} {str(name).lower()}"
                if clickable:
                    px, py = polygon_xy(view, polygon, panel)
                    meta = {"region_id": region_id, "side": side}
                    out.append(shape("region", "area", view, px, py, label, meta=meta))
                    continue
                px, py = polygon_xy(view, polygon, panel)
                rx += [*px, None]
                ry += [*py, None]
                point = polygon.representative_point()
                lx, ly = plot_xy(view, [(point.x, point.y)], panel)
                cx += lx
                cy += ly
                labels.append(label)
        if not clickable:  # filled click targets carry their names; no marker may steal their clicks
            out.append(shape("region-lines", "lines", view, rx, ry, f"Regions ({view})"))
            out.append(shape("region-names", "points", view, cx, cy, f"Region names ({view})", text=labels))
    return out


def marked_regions(atlas, regions) -> list[tuple[str, str]]:
    """(leaf region, side) pairs of a ``regions`` argument (ids or names, optionally with a side)."""
    items = [regions] if isinstance(regions, (str, tuple)) else list(regions)
    out: list[tuple[str, str]] = []
    for item in items:
        name, side = item if isinstance(item, tuple) else (item, "both")
        for leaf in atlas.leaf_regions(name):
            out += [(leaf, s) for s in _sides(side)]
    return list(dict.fromkeys(out))


def pain_shapes(atlas, panels: Mapping[str, Panel], marked: Iterable[tuple[str, str]]) -> list[dict]:
    """Marked painful regions, filled, on every view that draws them."""
    out = []
    for leaf, side in marked:
        for view in region_views(atlas, leaf):
            if view not in panels or side not in view_sides(view):
                continue
            xs, ys = polygon_xy(view, geo.region_polygon(view, leaf, side), panels[view])
            name = f"Marked pain: {side} {str(atlas.regions.at[leaf, 'name']).lower()}"
            out.append(shape("pain", "area", view, xs, ys, name, meta={"region_id": leaf, "side": side}))
    return out

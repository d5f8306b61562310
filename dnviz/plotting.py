"""Body maps as plotly figures: pure functions, no widgets, no I/O.

Layers, bottom to top: the silhouette, a light schematic skeleton, region outlines, marked painful
regions, referral zones (essential solid, spillover stippled, as the trigger-point manuals draw
them), safety overlays, and trigger points as crosses.

>>> import dnviz
>>> fig = dnviz.plot_body_map(dnviz.load_atlas(), muscle="upper trapezius")
>>> fig.layout.title.text
'Upper trapezius: trigger points and referral zones'
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go
from shapely.geometry import MultiPolygon, Polygon

from dnviz import geometry as geo
from dnviz._sizes import check_size
from dnviz.atlas import Atlas
from dnviz.citations import sources_label
from dnviz.themes import Theme, get_theme
from dnviz.vocabulary import SIDES, VIEWS, referral_sides
from dnviz.vocabulary import sides as _sides
from dnviz.vocabulary import views as _views

VIEW_TITLES = {"anterior": "Anterior view", "posterior": "Posterior view"}
GAP_CM = 25.0


def view_offsets(views: Sequence[str]) -> dict[str, float]:
    """Horizontal offset of each view when several are drawn side by side (cm)."""
    minx, _, maxx, _ = geo.load_body().outline.bounds
    width = maxx - minx + GAP_CM
    return {v: i * width for i, v in enumerate(views)}


def esc(text: object) -> str:
    """Escape data text for plotly's HTML-like labels."""
    return html.escape(str(text), quote=False)


def plot_xy(view: str, xy: Iterable[tuple[float, float]], offset: float) -> tuple[list[float], list[float]]:
    xs, ys = [], []
    for x, y in xy:
        xs.append(round(geo.to_plot_x(view, x) + offset, 1))
        ys.append(round(y, 1))
    return xs, ys


def polygon_xy(view: str, shape: Polygon | MultiPolygon, offset: float) -> tuple[list, list]:
    """Exterior rings of a (multi)polygon as None-separated plot coordinates."""
    parts = shape.geoms if isinstance(shape, MultiPolygon) else [shape]
    xs: list = []
    ys: list = []
    for part in parts:
        px, py = plot_xy(view, part.exterior.coords, offset)
        xs += [*px, None]
        ys += [*py, None]
    return xs[:-1], ys[:-1]


def area_trace(view: str, shape: Polygon | MultiPolygon, offset: float, name: str, meta: dict, **style) -> dict:
    """A filled region (hover and click on the fill) as a plain trace dict; ``style`` adds colours."""
    xs, ys = polygon_xy(view, shape, offset)
    return dict(
        type="scatter",
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        hoveron="fills",
        name=name,
        showlegend=False,
        meta=meta,
        **style,
    )


def lines_trace(xs: list, ys: list, name: str, meta: dict, line: dict) -> dict:
    """None-separated polylines with no hover and no legend entry (skeleton, outlines) as a trace dict."""
    return dict(
        type="scatter", x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False, name=name, meta=meta, line=line
    )


def trigger_point_xy(atlas: Atlas, tp_id: str, side: str) -> tuple[str, float, float]:
    """(view, x, y) of a trigger point in body coordinates on one side of the body."""
    tp = atlas.trigger_points.loc[tp_id]
    x, y = geo.offset_point(tp["view"], tp["landmark_id"], side, float(tp["dx_cm"]), float(tp["dy_cm"]))
    return tp["view"], x, y


def _base_layers(views, offsets, th: Theme, clickable: bool, atlas: Atlas) -> list[dict]:
    body = geo.load_body()
    traces: list[dict] = []
    for view in views:
        off = offsets[view]
        xs, ys = polygon_xy(view, body.outline, off)
        traces.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=th.skin,
                line=dict(color=th.outline, width=th.line_width),
                hoverinfo="skip",
                name=f"Body ({view})",
                showlegend=False,
                meta={"layer": "body", "view": view},
            )
        )
        sx, sy = [], []
        for side in SIDES:
            for line in geo.skeleton(view, side).values():
                px, py = plot_xy(view, line, off)
                sx += [*px, None]
                sy += [*py, None]
        traces.append(
            lines_trace(
                sx,
                sy,
                f"Skeleton ({view})",
                {"layer": "skeleton", "view": view},
                dict(color=th.skeleton, width=th.skeleton_width),
            )
        )
        leaves = atlas.regions[atlas.regions["view"] == view]
        rx, ry, cx, cy, labels = [], [], [], [], []
        for region_id, name in leaves["name"].items():
            for side in SIDES:
                shape = geo.region_polygon(view, region_id, side)
                label = f"{'Left' if side == 'left' else 'Right'} {esc(name).lower()}"
                if clickable:
                    meta = {"layer": "region", "view": view, "region_id": region_id, "side": side}
                    traces.append(
                        area_trace(
                            view,
                            shape,
                            off,
                            label,
                            meta,
                            fillcolor="rgba(255,255,255,0.01)",
                            line=dict(color=th.region_line, width=0.6),
                        )
                    )
                else:
                    px, py = polygon_xy(view, shape, off)
                    rx += [*px, None]
                    ry += [*py, None]
                point = shape.representative_point()
                lx, ly = plot_xy(view, [(point.x, point.y)], off)
                cx += lx
                cy += ly
                labels.append(label)
        if not clickable:
            traces.append(
                lines_trace(
                    rx,
                    ry,
                    f"Regions ({view})",
                    {"layer": "region-lines", "view": view},
                    dict(color=th.region_line, width=0.6),
                )
            )
        if clickable:  # the filled region targets carry the names; no marker may steal their clicks
            continue
        traces.append(
            dict(
                type="scatter",
                x=cx,
                y=cy,
                mode="markers",
                marker=dict(size=6, opacity=0),
                text=labels,
                hovertemplate="%{text}<extra></extra>",
                showlegend=False,
                name=f"Region names ({view})",
                meta={"layer": "region-names", "view": view},
            )
        )
    return traces


def _pain_layers(atlas, views, offsets, th, regions) -> list[dict]:
    marked: dict[str, list] = {v: [] for v in views}
    items = [regions] if isinstance(regions, (str, tuple)) else list(regions)
    for item in items:
        name, side = item if isinstance(item, tuple) else (item, "both")
        for leaf in atlas.leaf_regions(name):
            view = atlas.regions.at[leaf, "view"]
            if view in marked:
                marked[view] += [(leaf, s) for s in _sides(side)]
    traces = []
    for view, leaves in marked.items():
        for leaf, side in leaves:
            name = f"Marked pain: {side} {esc(atlas.regions.at[leaf, 'name']).lower()}"
            meta = {"layer": "pain", "view": view, "region_id": leaf, "side": side}
            traces.append(
                area_trace(
                    view,
                    geo.region_polygon(view, leaf, side),
                    offsets[view],
                    name,
                    meta,
                    fillcolor=th.pain_colour,
                    opacity=0.55,
                    line=dict(color=th.pain_colour, width=th.line_width),
                )
            )
    return traces


def _pattern_layers(atlas, views, offsets, th, muscles, sides) -> tuple[list[dict], list[dict]]:
    zones: list[dict] = []
    crosses: list[dict] = []
    for i, muscle_id in enumerate(muscles):
        colour = th.colour(i)
        mname = esc(atlas.muscles.at[muscle_id, "name"])
        pattern = atlas.referral_pattern(muscle_id)
        for row in pattern.sort_values("kind").itertuples():  # spillover first, essential on top
            if row.region_view not in views:
                continue
            for tp_side in sides:
                for side in referral_sides(row.laterality, tp_side):
                    shape = geo.region_polygon(row.region_view, row.region_id, side)
                    essential = row.kind == "essential"
                    label = (
                        f"{mname} {esc(row.label)}: {row.kind} zone, {side} {esc(row.region_name).lower()}"
                        f" ({esc(sources_label(atlas, row.source_ids))})"
                    )
                    meta = {
                        "layer": f"zone-{row.kind}",
                        "view": row.region_view,
                        "muscle_id": muscle_id,
                        "region_id": row.region_id,
                        "side": side,
                        "tp_id": row.tp_id,
                    }
                    trace = area_trace(
                        row.region_view,
                        shape,
                        offsets[row.region_view],
                        label,
                        meta,
                        legendgroup=muscle_id,
                        line=dict(color=colour, width=0.8 if essential else th.line_width),
                    )
                    if essential:
                        trace.update(fillcolor=colour, opacity=th.essential_opacity)
                    else:
                        trace.update(
                            fillcolor="rgba(255,255,255,0)",
                            fillpattern=dict(shape=th.spillover_pattern, fgcolor=colour, size=7, solidity=0.45),
                        )
                    zones.append(trace)
        tps = atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id]
        for view in views:
            xs, ys, text = [], [], []
            for tp_id, tp in tps.iterrows():
                for side in sides:
                    tp_view, x, y = trigger_point_xy(atlas, tp_id, side)
                    if tp_view != view:
                        continue
                    px, py = plot_xy(view, [(x, y)], offsets[view])
                    xs += px
                    ys += py
                    text.append(
                        f"<b>{mname} {esc(tp['label'])}</b> ({side})<br>{esc(tp['location'])}"
                        f"<br>Source: {esc(sources_label(atlas, tp['source_ids']))}"
                    )
            if xs:
                crosses.append(
                    dict(
                        type="scatter",
                        x=xs,
                        y=ys,
                        mode="markers",
                        text=text,
                        hovertemplate="%{text}<extra></extra>",
                        name=f"{mname} trigger point",
                        marker=dict(
                            symbol="x-thin",
                            size=th.tp_size,
                            color=th.tp_colour,
                            line=dict(width=max(2.0, th.line_width * 1.6), color=th.tp_colour),
                        ),
                        showlegend=False,
                        meta={"layer": "trigger-points", "view": view, "muscle_id": muscle_id},
                    )
                )
    return zones, crosses


def _legend_items(atlas, th, muscles) -> list[dict]:
    blank = dict(type="scatter", x=[None], y=[None], mode="lines", hoverinfo="skip")
    items = []
    for i, muscle_id in enumerate(muscles):
        name = esc(atlas.muscles.at[muscle_id, "name"])
        items.append(
            {
                **blank,
                "fill": "toself",
                "fillcolor": th.colour(i),
                "opacity": th.essential_opacity,
                "line": dict(color=th.colour(i)),
                "name": f"{name}: essential zone",
                "meta": {"layer": "legend"},
            }
        )
        items.append(
            {
                **blank,
                "fill": "toself",
                "fillcolor": "rgba(255,255,255,0)",
                "fillpattern": dict(shape=th.spillover_pattern, fgcolor=th.colour(i), size=7, solidity=0.45),
                "line": dict(color=th.colour(i)),
                "name": f"{name}: spillover zone",
                "meta": {"layer": "legend"},
            }
        )
    if muscles:
        items.append(
            dict(
                type="scatter",
                x=[None],
                y=[None],
                mode="markers",
                name="Trigger point (×)",
                marker=dict(symbol="x-thin", size=th.tp_size, line=dict(width=2, color=th.tp_colour)),
                meta={"layer": "legend"},
            )
        )
    return items


def _annotations(views, offsets, th: Theme, disclaimer: bool, width: int, label_size: int) -> list[dict]:
    body = geo.load_body()
    minx, _, maxx, top = body.outline.bounds
    notes = []
    for view in views:
        off = offsets[view]
        centre = off + (minx + maxx) / 2
        notes.append(
            dict(
                x=centre,
                y=top + 9,
                text=f"<b>{VIEW_TITLES[view]}</b>",
                showarrow=False,
                font=dict(size=th.font_size + 2),
                xref="x",
                yref="y",
            )
        )
        for side in SIDES:
            body_x = maxx * 0.8 if side == "left" else -maxx * 0.8
            px = geo.to_plot_x(view, body_x) + off
            notes.append(
                dict(
                    x=px,
                    y=-6,
                    text=f"Patient's {side}",
                    showarrow=False,
                    xref="x",
                    yref="y",
                    font=dict(size=label_size),
                    name=f"side-{view}-{side}",
                )
            )
    if disclaimer:
        lines = _disclaimer_lines(th, width)
        notes.append(
            dict(
                x=0.5,
                y=1.0,
                xref="paper",
                yref="paper",
                yanchor="bottom",
                showarrow=False,
                yshift=2,
                text="<i>" + "<br>".join(lines) + "</i>",
                font=dict(size=max(10, th.font_size - 3)),
                name="disclaimer",
            )
        )
    return notes


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
) -> go.Figure:
    """Draw a body map: silhouette, skeleton, regions, and optionally a muscle's referral pattern.

    Parameters
    ----------
    atlas : Atlas
        From :func:`dnviz.load_atlas`.
    view : {"both", "anterior", "posterior"}
        Which view(s); ``"both"`` draws them side by side.
    muscle : str or list of str, optional
        Muscle(s) by any name; each gets its own colour. Trigger points are drawn as crosses,
        essential zones solid and spillover zones stippled.
    regions : str or list, optional
        Regions to mark as painful (ids or names; an item may be a ``(region, side)`` pair).
    side : {"right", "left", "both"}
        The side of the body whose trigger points are drawn (zones follow their laterality).
    theme : {"screen", "present", "print"} or Theme
        ``present`` is readable from the back of a classroom; ``print`` is black-and-white safe.
    safety : bool
        Overlay the pneumothorax and other danger zones (see :mod:`dnviz.safety`).
    clickable : bool
        One filled trace per region (click and hover targets, for the explorers).
    title : str, optional
        Figure title (wrapped onto more lines when the figure is narrow).
    width, height : int, optional
        Size in pixels; by default the theme's. The smallest that still draws a legible body:
        a width of 340 pixels per view (680 for both views) with the ``screen`` and ``print``
        themes, 580 (1160) with ``present`` (26 times the theme's font size, for the title and
        the educational-use line), and a height of at least 400 pixels that leaves room to draw
        the body 270 pixels tall under the title, the educational-use line and the legend (with
        ``screen`` and both views: 459 pixels without a legend, 606 with the safety overlay
        and a muscle). Smaller, non-finite or non-numeric sizes raise a ValueError naming the
        parameter, the minimum and the value; the side labels shrink to fit a small body.
    disclaimer : bool, optional
        Show the educational-use line under the title; by default whenever the figure shows a
        pattern or safety overlays.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    th = get_theme(theme)
    views = _views(view)
    width, height = figure_size(th, len(views), width, height)
    sides = _sides(side)
    muscles = [muscle] if isinstance(muscle, str) else list(muscle or [])
    muscle_ids = list(dict.fromkeys(atlas.find_muscle(m).name for m in muscles))
    offsets = view_offsets(views)
    traces = _base_layers(views, offsets, th, clickable, atlas)
    if regions is not None:
        traces += _pain_layers(atlas, views, offsets, th, regions)
    zones, crosses = _pattern_layers(atlas, views, offsets, th, muscle_ids, sides)
    traces += zones
    if safety:
        from dnviz.safety import safety_layers

        traces += safety_layers(atlas, views, offsets, th)
    traces += crosses + _legend_items(atlas, th, muscle_ids)
    if title is None and safety and not muscle_ids:
        title = "Safety zones: the lung and other danger zones"
    if title is None:
        title = (
            f"{atlas.muscles.at[muscle_ids[0], 'name']}: trigger points and referral zones"
            if len(muscle_ids) == 1
            else "Body map"
        )
    fig = go.Figure(data=traces)
    if disclaimer is None:
        disclaimer = safety or bool(muscle_ids)
    legend_items = sum(1 for t in traces if t.get("showlegend", True))
    layout, px_per_cm = _layout(th, title, len(views), width, height, safety or bool(muscle_ids), legend_items)
    fig.update_layout(layout)
    label_size = _side_label_size(th, len(views), px_per_cm)
    fig.update_layout(annotations=_annotations(views, offsets, th, disclaimer, width, label_size))
    return fig


#: The smallest body map that still draws a legible body: at least 400 pixels tall, a width per view
#: of 26 times the theme's font size (room for the title and the educational-use line), and room to
#: draw the body at least MIN_BODY_PX tall under the title, the educational-use line and the legend.
MIN_HEIGHT = 400
MIN_WIDTH_PER_VIEW_IN_FONT_SIZES = 26
MIN_BODY_PX = 270
SIDE_LABEL = "Patient's right"  # the longer of the two side labels


def min_width_per_view(th: Theme) -> int:
    """The narrowest view, in pixels, for this theme's font (26 font sizes, rounded up to 10 pixels)."""
    return math.ceil(MIN_WIDTH_PER_VIEW_IN_FONT_SIZES * th.font_size / 10) * 10


def figure_size(th: Theme, n_views: int, width: object, height: object) -> tuple[int, int]:
    """The (width, height) of a body map in pixels: checked against the stated minimums, or the theme's."""
    figure = f"a {'two' if n_views == 2 else 'one'}-view body map with the {th.name!r} theme"
    width = check_size("width", width, min_width_per_view(th) * n_views, figure)
    height = check_size("height", height, MIN_HEIGHT, figure)
    return width or (th.width if n_views == 2 else int(th.width * 0.75)), height or th.height


def _disclaimer_lines(th: Theme, width: int) -> list[str]:
    """The educational-use line, wrapped to the figure's width."""
    from dnviz._constants import DISCLAIMER

    return textwrap.wrap(esc(DISCLAIMER), width=max(20, int(width / (th.font_size * 0.55))), break_long_words=False)


def _title_lines(th: Theme, title: str, width: int) -> list[str]:
    """The title, escaped and wrapped to the figure's width."""
    chars = max(12, int((width - 20) / (th.title_size * 0.55)))
    return textwrap.wrap(esc(title), width=chars, break_long_words=False, break_on_hyphens=False) or [""]


def _side_label_size(th: Theme, n_views: int, px_per_cm: float) -> int:
    """Font size of the "Patient's left/right" labels: the theme's, smaller when the body is drawn small."""
    minx, _, maxx, _ = geo.load_body().outline.bounds
    apart_cm = 1.6 * maxx  # the two labels of one view sit at 0.8 of the half-width either side
    if n_views > 1:
        apart_cm = min(apart_cm, maxx - minx + GAP_CM - 1.6 * maxx)  # neighbouring labels of two views
    fits = (apart_cm * px_per_cm - 6) / (0.53 * len(SIDE_LABEL))  # DejaVu Sans: about 0.53 em a character
    return max(9, min(th.font_size, int(fits)))


def _layout(
    th: Theme, title: str, n_views: int, width: int, height: int, legend: bool, legend_items: int = 0
) -> tuple[dict, float]:
    """The figure's layout and its drawn scale (pixels per cm); ValueError if the body would be too small."""
    body = geo.load_body()
    minx, _, maxx, top = body.outline.bounds
    span = (maxx - minx + GAP_CM) * n_views - GAP_CM
    (x0, x1), (y0, y1) = (minx - 4, minx + span + 4), (-10, top + 14)
    title_lines = _title_lines(th, title, width)
    disclaimer_lines = max(2 if n_views == 2 else 3, len(_disclaimer_lines(th, width)))
    top_margin = 50 + int(th.title_size * (2 + 1.25 * (len(title_lines) - 1))) + th.font_size * disclaimer_lines
    margin = dict(l=10, r=10, t=top_margin, b=40)
    # plotly pushes the plot area up to make room for the legend (one row per item, at most)
    legend_px = math.ceil(th.font_size * 1.55) * legend_items if legend else 0
    least = MIN_BODY_PX / top  # pixels per cm that draw the body MIN_BODY_PX tall
    need = {
        "width": margin["l"] + margin["r"] + math.ceil(least * (x1 - x0)),
        "height": margin["t"] + margin["b"] + legend_px + math.ceil(least * (y1 - y0)),
    }
    for name, given in (("width", width), ("height", height)):
        if given < need[name]:
            raise ValueError(
                f"{name} must be at least {need[name]} pixels for this body map, not {given}: smaller, the body is "
                f"drawn less than {MIN_BODY_PX} pixels tall under the title ({len(title_lines)} line(s) at width "
                f"{width}), the educational-use line and {legend_items if legend else 0} legend item(s) of the "
                f"{th.name!r} theme. Pass a larger {name}, or a shorter title"
            )
    # ranges with exactly the plot area's aspect ratio: plotly keeps them as given (1 cm = 1 cm on both
    # axes), so a pixel maps to body coordinates by plain arithmetic (see pixel_to_plot)
    area_w, area_h = width - margin["l"] - margin["r"], height - margin["t"] - margin["b"]
    scale = min(area_w / (x1 - x0), area_h / (y1 - y0))
    drawn = min(area_w / (x1 - x0), (area_h - legend_px) / (y1 - y0))  # once plotly has made room for the legend
    cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, area_w / scale / 2, area_h / scale / 2
    return dict(
        title=dict(
            text="<br>".join(title_lines),
            x=0.5,
            xanchor="center",
            font=dict(size=th.title_size),
            # one line sits where plotly puts it; more lines are centred on their own block at the top (plotly
            # would centre them in the whole top margin, over the educational-use line)
            **(
                {}
                if len(title_lines) == 1
                else dict(
                    yref="container", y=1 - (10 + len(title_lines) * th.title_size * 0.625) / height, yanchor="middle"
                )
            ),
        ),
        width=width,
        height=height,
        font=dict(size=th.font_size, family=th.font_family, color="#222222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=margin,
        xaxis=dict(visible=False, range=[cx - hw, cx + hw], fixedrange=False),
        yaxis=dict(visible=False, range=[cy - hh, cy + hh], scaleanchor="x", scaleratio=1),
        showlegend=legend,
        legend=dict(
            orientation="h",
            x=0.5,
            xanchor="center",
            y=-0.01,
            yanchor="top",
            bgcolor="rgba(255,255,255,0.9)",
            font=dict(size=th.font_size),
        ),
        hoverlabel=dict(font=dict(size=th.font_size)),
        dragmode="pan",
    ), drawn


def pixel_to_plot(layout, px: float, py: float) -> tuple[float, float]:
    """Plot coordinates of a pixel of the figure (0, 0 at its top left), from its fixed layout."""
    m = layout.margin
    (x0, x1), (y0, y1) = layout.xaxis.range, layout.yaxis.range
    area_w, area_h = layout.width - m.l - m.r, layout.height - m.t - m.b
    return x0 + (px - m.l) * (x1 - x0) / area_w, y1 - (py - m.t) * (y1 - y0) / area_h


def plot_to_pixel(layout, x: float, y: float) -> tuple[float, float]:
    """The pixel of the figure (0, 0 at its top left) where plot coordinates land; inverse of pixel_to_plot."""
    m = layout.margin
    (x0, x1), (y0, y1) = layout.xaxis.range, layout.yaxis.range
    area_w, area_h = layout.width - m.l - m.r, layout.height - m.t - m.b
    return m.l + (x - x0) * area_w / (x1 - x0), m.t + (y1 - y) * area_h / (y1 - y0)


def locate(atlas: Atlas, plot_x: float, plot_y: float, views: Sequence[str] = VIEWS) -> tuple[str, str, str] | None:
    """(view, region_id, side) of the leaf region under a point of a body map, or None off the body."""
    from shapely.geometry import Point

    minx, _, maxx, _ = geo.load_body().outline.bounds
    for view, offset in view_offsets(views).items():
        if offset + minx <= plot_x <= offset + maxx:
            body_x = plot_x - offset if view == "anterior" else -(plot_x - offset)
            side = "left" if body_x >= 0 else "right"
            here = Point(body_x, plot_y)
            for region_id in atlas.regions.index[atlas.regions["view"] == view]:
                if geo.region_polygon(view, region_id, side).contains(here):
                    return view, region_id, side
    return None


SLOT_LAYERS = ("zone-spillover", "zone-essential", "trigger-points")


def pattern_slots(
    atlas: Atlas,
    muscle: str | None,
    view: str = "both",
    side: str = "right",
    theme: str | Theme = "screen",
    hide_names: bool = False,
) -> dict[tuple[str, str], dict]:
    """A muscle's pattern merged into fixed slots, one trace per (view, layer), for in-place updates.

    The explorers create these slots once and then only change their data, so a new muscle never
    rebuilds the figure. ``muscle=None`` gives empty slots; ``hide_names`` hides the muscle's name
    from hover labels (for the quiz).
    """
    th = get_theme(theme)
    views = _views(view)
    offsets = view_offsets(views)
    muscle_ids = [atlas.find_muscle(muscle).name] if muscle else []
    zones, crosses = _pattern_layers(atlas, views, offsets, th, muscle_ids, _sides(side))
    colour = th.colour(0)
    slots: dict[tuple[str, str], dict] = {}
    for v in views:
        for layer in SLOT_LAYERS:
            parts = [t for t in zones + crosses if t["meta"]["layer"] == layer and t["meta"]["view"] == v]
            xs: list = []
            ys: list = []
            text: list = []
            for t in parts:
                if layer == "trigger-points":
                    xs += t["x"]
                    ys += t["y"]
                    text += ["Trigger point" if hide_names else s for s in t["text"]]
                else:
                    xs += [*t["x"], None]
                    ys += [*t["y"], None]
            regions = sorted(
                {
                    f"{t['meta']['side']} {atlas.regions.at[t['meta']['region_id'], 'name'].lower()}"
                    for t in parts
                    if layer != "trigger-points"
                }
            )
            kind = layer.removeprefix("zone-")
            trace = dict(
                type="scatter", x=xs, y=ys, mode="lines", showlegend=False, meta={"layer": f"slot-{layer}", "view": v}
            )
            if layer == "trigger-points":
                trace.update(
                    mode="markers",
                    text=text,
                    hovertemplate="%{text}<extra></extra>",
                    name="Trigger points",
                    marker=dict(
                        symbol="x-thin",
                        size=th.tp_size,
                        color=th.tp_colour,
                        line=dict(width=max(2.0, th.line_width * 1.6), color=th.tp_colour),
                    ),
                )
            else:
                label = f"{kind.title()} zones: " + (", ".join(regions) if regions else "none")
                trace.update(fill="toself", hoveron="fills", name=esc(label), line=dict(color=colour, width=0.8))
                if kind == "essential":
                    trace.update(fillcolor=colour, opacity=th.essential_opacity)
                else:
                    trace.update(
                        fillcolor="rgba(255,255,255,0)",
                        fillpattern=dict(shape=th.spillover_pattern, fgcolor=colour, size=7, solidity=0.45),
                    )
            slots[(v, layer)] = trace
    return slots

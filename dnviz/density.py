"""Where pain converges: each body region shaded by how many muscles refer pain to it.

Two layers, as everywhere in dnviz: :func:`referral_density` and :func:`density_layers` are plain
data (a table; JSON-able shapes per view, from shapely), :func:`plot_referral_density` renders them
with plotly. The count is of *muscles*, not trigger points: a muscle with three points referring
to the temple counts once there.

>>> import dnviz
>>> atlas = dnviz.load_atlas()
>>> table = referral_density(atlas, kind="essential")
>>> int(table.loc["temple", "n_muscles"]) >= 3
True
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape as esc
from typing import TYPE_CHECKING

import pandas as pd

from dnviz.scene.shapes import SHORT_VIEW_TITLES
from dnviz.vocabulary import SIDES, check_choice

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from dnviz.atlas import Atlas

KINDS = ("essential", "spillover", "both")
"""What a density counts: muscles with an essential zone in the region, a spillover zone, or any."""

KIND_TITLES = {
    "essential": "essential zones",
    "spillover": "spillover zones",
    "both": "essential and spillover zones",
}
COLOURSCALES = {"screen": "YlOrRd", "present": "YlOrRd", "print": "Greys"}
NONE_FILL = "rgba(160,160,160,0.30)"  # no muscle refers here
HOVER_NAMES = 30  # muscles named in one hover label; more are counted


def referral_density(atlas: Atlas, kind: str = "both") -> pd.DataFrame:
    """How many muscles refer pain to each leaf region.

    Parameters
    ----------
    atlas : Atlas
    kind : {"essential", "spillover", "both"}
        Count muscles with an essential zone there, a spillover zone, or either.

    Returns
    -------
    pandas.DataFrame
        Indexed by region id (every leaf region, zero counts included): ``name, n_muscles,
        muscles`` (names, most essential rows first, then by name), ``muscle_ids``, ``kinds``
        (``"E"`` essential, ``"s"`` spillover only, one per muscle), sorted by ``n_muscles``
        (most first), then region name.
    """
    check_choice("kind", kind, KINDS)
    refs = atlas.referrals.join(atlas.trigger_points[["muscle_id"]], on="tp_id")
    if kind != "both":
        refs = refs[refs["kind"] == kind]
    regions = atlas.regions
    leaves = regions.index[regions["view"] != "both"]
    names = atlas.muscles["name"].astype(str).to_dict()
    # (region, muscle) -> essential rows, in one pass over the referral rows
    counts: dict[str, dict[str, int]] = {}
    for region_id, muscle_id, k in zip(refs["region_id"], refs["muscle_id"], refs["kind"]):
        here = counts.setdefault(region_id, {})
        here[muscle_id] = here.get(muscle_id, 0) + (k == "essential")
    records = []
    for region_id in leaves:
        essential = counts.get(region_id, {})
        order = sorted(essential, key=lambda m: (-essential[m], names[m]))
        records.append(
            {
                "region_id": region_id,
                "name": regions.at[region_id, "name"],
                "n_muscles": len(order),
                "muscles": tuple(names[m] for m in order),
                "muscle_ids": tuple(order),
                "kinds": tuple("E" if essential[m] else "s" for m in order),
            }
        )
    out = pd.DataFrame.from_records(records).set_index("region_id")
    return out.sort_values(["n_muscles", "name"], ascending=[False, True], kind="stable")


def _views(views: str | Sequence[str] | None) -> tuple[str, ...]:
    from dnviz.geometry import load_body

    have = tuple(load_body().views)  # every view the geometry has, in its order
    if views is None or views == "all":
        return have
    asked = (views,) if isinstance(views, str) else tuple(views)
    if not asked:
        raise ValueError(f"views needs at least one view; the geometry has: {', '.join(have)}")
    return tuple(check_choice("views", v, have) for v in asked)


def _lateral_views() -> tuple[str, ...]:
    from dnviz import geometry

    return getattr(geometry, "LATERAL_VIEWS", ())


def _sides_seen(view: str) -> tuple[str, ...]:
    """The patient's sides a view shows (one on a profile view)."""
    from dnviz import geometry

    return geometry.view_sides(view) if hasattr(geometry, "view_sides") else SIDES


def _rings(area, view: str) -> list[list[list[float]]]:
    from dnviz.geometry import to_plot_x

    polys = getattr(area, "geoms", [area])
    return [
        [[round(to_plot_x(view, x), 2), round(y, 2)] for x, y in p.exterior.coords] for p in polys if not p.is_empty
    ]


def _hover(row, side: str, kind: str, lateral: bool) -> str:
    where = f"{row['name']}" + ("" if lateral else f" ({side})")
    if not row["n_muscles"]:
        return f"<b>{esc(where)}</b><br>no muscle in the atlas refers here ({esc(KIND_TITLES[kind])})"
    shown = [
        f"{esc(m)}{'' if k == 'E' or kind != 'both' else ' (spillover)'}" for m, k in zip(row["muscles"], row["kinds"])
    ]
    more = len(shown) - HOVER_NAMES
    listing = "<br>".join(shown[:HOVER_NAMES]) + (f"<br>... and {more} more" if more > 0 else "")
    return f"<b>{esc(where)}</b>: {row['n_muscles']} muscles<br>{listing}"


def density_layers(atlas: Atlas, kind: str = "both", views: str | Sequence[str] | None = None) -> list[dict]:
    """The density as plain shapes per view (JSON-able): what :func:`plot_referral_density` draws.

    Returns
    -------
    list of dict
        One dict per view: ``view``, ``outline`` (rings of the silhouette, plot x), ``regions``
        (one per region and side seen on the view: ``region_id, side, count, muscles, hover,
        rings, anchor``), and ``max`` (the largest count over every view asked).
    """
    from dnviz.geometry import load_body, region_polygon, to_plot_x

    table = referral_density(atlas, kind)
    body = load_body()
    out = []
    for view in _views(views):
        lateral = view in _lateral_views()
        outline = getattr(body, "lateral_outline", None) if lateral else body.outline
        shapes = []
        for region_id in body.view(view).regions:
            if region_id not in table.index:
                continue
            row = table.loc[region_id]
            for side in _sides_seen(view):
                area = region_polygon(view, region_id, side)
                if area.is_empty:
                    continue
                point = area.representative_point()
                shapes.append(
                    {
                        "region_id": region_id,
                        "side": side,
                        "count": int(row["n_muscles"]),
                        "muscles": list(row["muscles"]),
                        "hover": _hover(row, side, kind, lateral),
                        "rings": _rings(area, view),
                        "anchor": [round(to_plot_x(view, point.x), 2), round(point.y, 2)],
                    }
                )
        out.append({"view": view, "outline": _rings(outline, view) if outline is not None else [], "regions": shapes})
    top = max((r["count"] for layer in out for r in layer["regions"]), default=0)
    for layer in out:
        layer["max"] = top
    return out


def plot_referral_density(
    atlas: Atlas,
    kind: str = "both",
    *,
    views: str | Sequence[str] | None = None,
    theme: str = "screen",
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Where pain converges: each region shaded by how many muscles refer pain to it.

    Parameters
    ----------
    atlas : Atlas
    kind : {"essential", "spillover", "both"}
        Count muscles with an essential zone in the region, a spillover zone, or either.
    views : str or sequence of str, optional
        Views to draw; every view the body geometry has by default (front, back and, where the
        geometry has them, the two profiles).
    theme : {"screen", "present", "print"}
        ``print`` shades in greys.
    title : str, optional
    width, height : int, optional
        Pixels; default from the theme and the number of views.

    Returns
    -------
    plotly.graph_objects.Figure
        One subplot per view; a colour bar counts muscles; hovering a region lists them.

    Examples
    --------
    >>> import dnviz
    >>> fig = dnviz.plot_referral_density(dnviz.load_atlas(), kind="essential")
    >>> fig.layout.coloraxis.colorbar.title.text
    'muscles'
    """
    import plotly.graph_objects as go
    from plotly.colors import sample_colorscale
    from plotly.subplots import make_subplots

    from dnviz.themes import get_theme

    th = get_theme(theme)
    layers = density_layers(atlas, kind, views)
    top = max(layers[0]["max"], 1)
    scale = COLOURSCALES.get(th.name, "YlOrRd")
    n = len(layers)
    titles = [SHORT_VIEW_TITLES.get(layer["view"], layer["view"].replace("_", " ")) for layer in layers]
    xs_all = [[p[0] for ring in layer["outline"] for p in ring] or [-40, 40] for layer in layers]
    ys_all = [p[1] for layer in layers for ring in layer["outline"] for p in ring] or [0, 180]
    spans = [max(x) - min(x) + 8 for x in xs_all]
    y_range = [min(ys_all) - 4, max(ys_all) + 10]
    fig = make_subplots(
        rows=1,
        cols=n,
        subplot_titles=titles,
        horizontal_spacing=0.01,
        column_widths=[w / sum(spans) for w in spans],
    )
    for col, layer in enumerate(layers, start=1):
        xs, ys = [], []
        for ring in layer["outline"]:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=th.skin,
                hoverinfo="skip",
                line={"color": th.outline, "width": th.line_width},
                showlegend=False,
                name="body",
            ),
            row=1,
            col=col,
        )
        by_count: dict[int, list] = {}
        for shape in layer["regions"]:
            by_count.setdefault(shape["count"], []).append(shape)
        for count in sorted(by_count):
            xs, ys = [], []
            for shape in by_count[count]:
                for ring in shape["rings"]:
                    xs += [p[0] for p in ring] + [None]
                    ys += [p[1] for p in ring] + [None]
            fill = sample_colorscale(scale, [count / top])[0] if count else NONE_FILL
            if not count and th.name == "print":
                fill = "#FFFFFF"
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=fill,
                    hoverinfo="skip",
                    line={"color": th.region_line, "width": 0.6},
                    showlegend=False,
                    name=f"{count} muscles",
                    meta={"count": count, "view": layer["view"]},
                ),
                row=1,
                col=col,
            )
        anchors = layer["regions"]
        fig.add_trace(
            go.Scatter(
                x=[s["anchor"][0] for s in anchors],
                y=[s["anchor"][1] for s in anchors],
                mode="markers",
                marker={"size": 7, "opacity": 0.01 if th.name != "print" else 0.0, "color": "#000000"},
                hovertext=[s["hover"] for s in anchors],
                hoverinfo="text",
                customdata=[[s["region_id"], s["side"], s["count"]] for s in anchors],
                showlegend=False,
                name=f"regions ({layer['view']})",
            ),
            row=1,
            col=col,
        )
        sides = _sides_seen(layer["view"])
        if len(sides) == 2:  # label the patient's sides: the classic body-map bug is left/right
            left_x = 1 if layer["view"] == "anterior" else -1
            for side, sign in (("L", left_x), ("R", -left_x)):
                fig.add_annotation(
                    x=sign * (max(xs_all[col - 1]) - 6),
                    y=y_range[1] - 6,
                    text=side,
                    showarrow=False,
                    row=1,
                    col=col,
                    font={"size": th.font_size, "color": th.outline},
                )
    # the colour bar: an invisible marker carrying the colour axis
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={"color": [0, top], "coloraxis": "coloraxis", "size": 0.1},
        ),
        row=1,
        col=1,
    )
    fig.update_layout(
        coloraxis={
            "colorscale": scale,
            "cmin": 0,
            "cmax": top,
            "colorbar": {"title": {"text": "muscles"}, "thickness": 14, "len": 0.6},
        },
        title={
            "text": title or f"Where pain converges: muscles referring to each region ({KIND_TITLES[kind]})",
            "font": {"size": th.title_size},
        },
        font={"size": th.font_size, "family": th.font_family},
        width=width or (th.width if n <= 2 else int(th.width * 1.1)),  # fits a notebook output
        height=height or th.height,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 20, "r": 80, "t": 90, "b": 70},
        hovermode="closest",
        meta={"kind": kind, "views": [layer["view"] for layer in layers], "max": top},
    )
    for col, xs in enumerate(xs_all, start=1):  # one scale for every view: cm per pixel alike
        fig.update_xaxes(
            visible=False,
            range=[min(xs) - 4, max(xs) + 4],
            scaleanchor=f"y{'' if col == 1 else col}",
            row=1,
            col=col,
        )
        fig.update_yaxes(visible=False, range=y_range, row=1, col=col)
    fig.add_annotation(
        text="Counts of muscles in the atlas, not of patients: a region many muscles refer to is where "
        "the<br>reverse look-up has most to rule out. Educational use only.",
        xref="paper",
        yref="paper",
        x=0,
        y=-0.04,
        showarrow=False,
        xanchor="left",
        font={"size": max(th.font_size - 3, 9)},
    )
    return fig

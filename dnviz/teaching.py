"""Figures for the teaching notebooks: the evidence as a forest plot, side effects as a timeline."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from dnviz._sizes import check_size
from dnviz.atlas import Atlas
from dnviz.citations import sources_label
from dnviz.plotting import esc
from dnviz.themes import Theme, get_theme

#: The smallest chart that keeps its title, row labels and axis legible: a width of 54 times the
#: theme's font size (710 pixels for screen and print, 1190 for present), a height of 300 pixels, and
#: 24 pixels a row on top of the title and axis margins (140 pixels).
CHART_MIN_WIDTH_IN_FONT_SIZES = 54
CHART_MIN_HEIGHT = 300
CHART_ROW_PX = 24
NEEDLE_MIN_HEIGHT = 450  # the cross-section and its five-line legend


def chart_min_width(th: Theme) -> int:
    """The narrowest chart, in pixels, for this theme's font (54 font sizes, rounded up to 10 pixels)."""
    return math.ceil(CHART_MIN_WIDTH_IN_FONT_SIZES * th.font_size / 10) * 10


def _chart_size(
    th: Theme,
    width: object,
    height: object,
    rows: int,
    default_height: int,
    figure: str,
    least_height: int = 0,
    least_width_in_font_sizes: int = CHART_MIN_WIDTH_IN_FONT_SIZES,
) -> tuple:
    """(width, height) of a chart in pixels: checked against the minimums, or the defaults."""
    least_width = max(chart_min_width(th), math.ceil(least_width_in_font_sizes * th.font_size / 10) * 10)
    width = check_size("width", width, least_width, f"{figure} with the {th.name!r} theme")
    height = check_size("height", height, max(CHART_MIN_HEIGHT, 140 + CHART_ROW_PX * rows, least_height), figure)
    return width or th.width, height or default_height


def plot_forest(
    atlas: Atlas,
    theme: str | Theme = "screen",
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Forest plot of the published effect estimates in ``atlas.effects`` (95% confidence intervals).

    Only numbers printed in a retrieved abstract are drawn; each row names its study and comparator.
    ``width`` and ``height`` are in pixels (by default the theme's width and 70 pixels a row); the
    smallest are 710 wide (1190 with ``present``: 54 times the theme's font size) and 300 tall, or
    140 plus 24 a row when that is more. A smaller, non-finite or non-numeric size raises a
    ValueError naming the parameter, the minimum and the value.

    Examples
    --------
    >>> from dnviz import load_atlas
    >>> fig = plot_forest(load_atlas())
    >>> fig.data[0].error_x.array is not None
    True
    """
    th = get_theme(theme)
    effects = atlas.effects.join(atlas.studies[["source_id", "design"]], on="study_id")
    width, height = _chart_size(th, width, height, len(effects), 180 + 70 * len(effects), "a forest plot")
    labels = [f"{esc(sources_label(atlas, r.source_id))}: {esc(r.timepoint)}" for r in effects.itertuples()]
    hover = [
        f"{esc(r.outcome)}, {esc(r.timepoint)}<br>vs {esc(r.comparator)}<br>{r.measure} {r.estimate:g} "
        f"(95% CI {r.ci_low:g} to {r.ci_high:g})"
        for r in effects.itertuples()
    ]
    fig = go.Figure(
        go.Scatter(
            x=effects["estimate"],
            y=labels,
            mode="markers",
            name="Pooled effect (SMD)",
            marker=dict(symbol="square", size=th.tp_size, color=th.colour(1)),
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            error_x=dict(
                type="data",
                symmetric=False,
                array=effects["ci_high"] - effects["estimate"],
                arrayminus=effects["estimate"] - effects["ci_low"],
                thickness=th.line_width * 1.5,
                color=th.colour(1),
            ),
        )
    )
    fig.add_vline(x=0, line=dict(color="#444444", width=th.line_width, dash="dash"))
    measures = ", ".join(sorted(set(effects["measure"])))
    fig.update_layout(
        title=dict(text=esc(title or "Dry needling and pain: published pooled effects"), x=0.5),
        xaxis=dict(title=f"{measures} with 95% CI (negative favours dry needling)", zeroline=False),
        yaxis=dict(autorange="reversed"),
        width=width,
        height=height,
        font=dict(size=th.font_size, family=th.font_family),
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=False,
        margin=dict(l=20, r=20, t=80, b=60),
    )
    return fig


def plot_side_effects(
    atlas: Atlas,
    theme: str | Theme = "screen",
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Timeline of common side effects: when each starts and how long it can last (days).

    ``width`` and ``height`` are in pixels (by default the theme's width and 80 pixels a row); the
    smallest are 710 wide (1190 with ``present``: 54 times the theme's font size) and 300 tall, or
    140 plus 24 a row when that is more. A smaller, non-finite or non-numeric size raises a
    ValueError naming the parameter, the minimum and the value.

    Examples
    --------
    >>> from dnviz import load_atlas
    >>> len(plot_side_effects(load_atlas()).data) == len(load_atlas().side_effects)
    True
    """
    th = get_theme(theme)
    n = len(atlas.side_effects)
    fig_width, fig_height = _chart_size(th, width, height, n, 160 + 80 * n, "a side-effect timeline")
    fig = go.Figure()
    for i, (effect_id, row) in enumerate(atlas.side_effects.sort_values("max_days").iterrows()):
        width = max(row["max_days"], 0.08)
        fig.add_trace(
            go.Bar(
                x=[width],
                y=[esc(row["name"])],
                base=[0],
                orientation="h",
                name=esc(row["name"]),
                marker=dict(color=th.colour(i), opacity=0.8),
                meta={"effect_id": effect_id},
                text=[esc(row["note"])],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"<b>{esc(row['name'])}</b><br>starts: {esc(row['starts'])}<br>up to {row['max_days']:g} "
                f"days<br>{esc(sources_label(atlas, row['source_ids']))}<extra></extra>",
            )
        )
    fig.update_layout(
        title=dict(text=esc(title or "Side effects after dry needling: how long they can last"), x=0.5),
        xaxis=dict(title="Days after the session", range=[0, 14], dtick=1),
        barmode="overlay",
        width=fig_width,
        height=fig_height,
        showlegend=False,
        font=dict(size=th.font_size, family=th.font_family),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=20, r=20, t=80, b=60),
    )
    return fig


# The needle-direction cross-section: a schematic chest wall, depth in arbitrary units (not to scale).
_WALL = {  # layer -> (top, bottom) depth
    "skin": (0.0, 0.15),
    "subcutaneous fat": (0.15, 0.7),
    "muscle": (0.7, 1.9),
    "ribs and intercostal muscles": (1.9, 2.9),
}
_PLEURA = 3.0  # parietal pleura (with the endothoracic fascia just outside it)
_RIBS = (-6.0, -2.0, 2.0, 6.0)  # rib centres along the wall; the intercostal spaces lie between them
_RIB_HALF_WIDTH, _RIB_CENTRE = 0.9, 2.4
_BRACKETED_RIB = -2.0
#: The needle paths drawn, left to right: (id, label, tip description, points, style index, fact ids).
NEEDLE_PATHS = (
    (
        "superficial",
        "1. Superficial: a few millimetres into the tissue over the trigger point",
        "subcutaneous tissue",
        ((-7.3, -0.25), (-7.3, 0.55)),
        1,
        ("dose_superficial_depth", "tech_superficial"),
    ),
    (
        "bracketed_onto_rib",
        "2. Aimed at a rib held between two fingers (bracketing): bone is the backstop, but a needle can slip past its edge",
        "rib",
        ((-2.9, -0.25), (-2.15, _RIB_CENTRE - 0.5)),
        4,
        ("tech_bracketing", "tech_bracketing_not_failsafe"),
    ),
    (
        "perpendicular_intercostal",
        "3. Straight down between two ribs: nothing stops the tip before the pleura",
        "pleura and lung",
        ((4.0, -0.25), (4.0, _PLEURA + 0.7)),
        0,
        ("tech_direct_away", "tech_needle_length_build"),
    ),
    (
        "tangential_pincer",
        "4. Tangential, in muscle lifted with a pincer grip, directed away from the lung",
        "muscle",
        ((8.0, -0.25), (5.0, 1.15)),
        2,
        ("tech_direct_away",),
    ),
)


def plot_needle_direction(
    atlas: Atlas,
    theme: str | Theme = "screen",
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Schematic cross-section of the chest wall with four needle directions, from skin to lung.

    Layers from the surface: skin, subcutaneous fat, muscle, ribs with the intercostal muscles
    between them, the parietal pleura and the lung. The four paths: superficial needling,
    a needle bracketed onto a rib, a tangential needle in muscle lifted with a pincer grip, and a
    needle driven straight down through an intercostal space into the pleura. Each path's hover
    text gives the atlas facts behind it with their sources. The drawing is not to scale: real
    skin-to-pleura depths vary with build, sex, posture and breathing (``atlas.depths``), and
    none of these directions makes needling over the thorax free of risk.

    ``width`` and ``height`` are in pixels (by default the theme's width and 0.62 of it); the
    smallest are 800 wide (1350 with ``present``: 61 times the theme's font size, for the
    legend's longest line) and 450 tall.
    A smaller, non-finite or non-numeric size raises a ValueError naming the parameter, the
    minimum and the value.

    Examples
    --------
    >>> from dnviz import load_atlas
    >>> fig = plot_needle_direction(load_atlas())
    >>> [t.meta["path"] for t in fig.data if t.meta and "path" in t.meta][-1]
    'tangential_pincer'
    """
    th = get_theme(theme)
    fig_width, fig_height = _chart_size(
        th, width, height, 0, int(th.width * 0.62), "a needle-direction diagram", NEEDLE_MIN_HEIGHT, 61
    )
    fig = go.Figure()
    ink = "#333333"
    fills = {
        "skin": th.skin if th.name != "print" else "#FFFFFF",
        "subcutaneous fat": "#FBE7B5" if th.name != "print" else "#F2F2F2",
        "muscle": "#E7A6A1" if th.name != "print" else "#D9D9D9",
        "ribs and intercostal muscles": "#F1C9C4" if th.name != "print" else "#EDEDED",
    }
    x0, x1 = -8.5, 8.5
    for layer, (top, bottom) in _WALL.items():
        fig.add_shape(
            type="rect", x0=x0, x1=x1, y0=top, y1=bottom, fillcolor=fills[layer], line=dict(width=0), layer="below"
        )
        fig.add_annotation(
            x=x1, y=(top + bottom) / 2, text=esc(layer), showarrow=False, xanchor="left", font=dict(color=ink)
        )
    for cx in _RIBS:
        fig.add_shape(
            type="circle",
            x0=cx - _RIB_HALF_WIDTH,
            x1=cx + _RIB_HALF_WIDTH,
            y0=_RIB_CENTRE - 0.5,
            y1=_RIB_CENTRE + 0.5,
            fillcolor="#FFFFFF" if th.name == "print" else "#F4F1E8",
            line=dict(color=ink, width=th.line_width),
        )
    fig.add_annotation(x=_RIBS[-1], y=_RIB_CENTRE, text="rib", showarrow=False, font=dict(color=ink))
    lung = th.safety_colours[1]
    fig.add_shape(
        type="rect", x0=x0, x1=x1, y0=_PLEURA, y1=5.0, fillcolor=lung, opacity=0.55, line=dict(width=0), layer="below"
    )
    fig.add_shape(
        type="line",
        x0=x0,
        x1=x1,
        y0=_PLEURA,
        y1=_PLEURA,
        line=dict(color=th.safety_colours[0], width=th.line_width * 2.5),
    )
    fig.add_annotation(x=x1, y=_PLEURA, text="parietal pleura", showarrow=False, xanchor="left", font=dict(color=ink))
    fig.add_annotation(x=x1, y=4.2, text="lung", showarrow=False, xanchor="left", font=dict(color=ink))
    # The two fingers that bracket the rib, in the intercostal spaces either side of it.
    fig.add_trace(
        go.Scatter(
            x=[_BRACKETED_RIB - 2.0, _BRACKETED_RIB + 2.0],
            y=[-0.35, -0.35],
            mode="markers",
            marker=dict(
                symbol="circle",
                size=th.tp_size * 1.4,
                color="rgba(0,0,0,0)",
                line=dict(color=ink, width=th.line_width * 1.5),
            ),
            name="fingers bracketing the rib",
            hovertemplate="Fingers in the intercostal spaces either side of the rib<extra></extra>",
            meta={"role": "fingers"},
        )
    )
    dashes = ("solid", "dash", "solid", "dot")  # tells the paths apart in black and white too
    for i, (path_id, label, tip, points, style, fact_ids) in enumerate(NEEDLE_PATHS):
        facts = atlas.facts.loc[[f for f in fact_ids if f in atlas.facts.index]]
        sources = list(dict.fromkeys(s for ids in facts["source_ids"] for s in ids))
        hover = "<br>".join(esc(s) for s in facts["statement"])
        (xa, ya), (xb, yb) = points
        colour = th.colour(style)
        fig.add_trace(
            go.Scatter(
                x=[xa, xb],
                y=[ya, yb],
                mode="lines+markers",
                line=dict(color=colour, width=th.line_width * 3, dash=dashes[i % len(dashes)]),
                marker=dict(
                    symbol=["circle", "triangle-down"], size=[th.tp_size * 0.7, th.tp_size * 0.9], color=colour
                ),
                name=esc(label),
                meta={
                    "path": path_id,
                    "tip": tip,
                    "tip_depth": yb,
                    "fact_ids": list(facts.index),
                    "source_ids": sources,
                },
                hovertemplate=f"<b>{esc(label)}</b><br>tip in: {esc(tip)}<br>{hover}<br>"
                f"<i>{esc(sources_label(atlas, sources))}</i><extra></extra>",
            )
        )
        fig.add_annotation(
            x=xa,
            y=ya,
            text=f"<b>{label.split('.')[0]}</b>",
            showarrow=False,
            yshift=16,
            font=dict(color=colour, size=th.font_size + 4),
        )
    fig.update_layout(
        title=dict(text=esc(title or "Which way does the needle point? A schematic chest wall, skin to lung"), x=0.5),
        xaxis=dict(visible=False, range=[-8.7, 13.0]),
        yaxis=dict(visible=False, range=[5.0, -1.0]),
        width=fig_width,
        height=fig_height,
        font=dict(size=th.font_size, family=th.font_family),
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=True,
        legend=dict(orientation="h", yanchor="top", y=-0.02, x=0, traceorder="normal"),
        margin=dict(l=20, r=20, t=70, b=150),
    )
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=1.0,
        yanchor="bottom",
        showarrow=False,
        align="left",
        text="Schematic, not to scale: skin-to-pleura depth varies with build, sex, posture and breathing (notebook 4).",
        font=dict(size=max(th.font_size - 2, 10), color="#555555"),
    )
    return fig

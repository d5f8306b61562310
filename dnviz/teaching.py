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


def chart_min_width(th: Theme) -> int:
    """The narrowest chart, in pixels, for this theme's font (54 font sizes, rounded up to 10 pixels)."""
    return math.ceil(CHART_MIN_WIDTH_IN_FONT_SIZES * th.font_size / 10) * 10


def _chart_size(th: Theme, width: object, height: object, rows: int, default_height: int, figure: str) -> tuple:
    """(width, height) of a chart in pixels: checked against the minimums, or the defaults."""
    width = check_size("width", width, chart_min_width(th), f"{figure} with the {th.name!r} theme")
    height = check_size("height", height, max(CHART_MIN_HEIGHT, 140 + CHART_ROW_PX * rows), figure)
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

"""The body map's frame on the page: size checks, margins, ranges (1 cm = 1 cm both ways), annotations.

A pixel maps to plot coordinates by plain arithmetic (:func:`pixel_to_plot`), whatever the window:
the pain finder turns a click into a region with it and the panels of ``fig.layout.meta``.
"""

from __future__ import annotations

import math
import textwrap

from dnviz import geometry as geo
from dnviz._sizes import check_size
from dnviz.plotting.render import esc
from dnviz.scene.coords import GAP_CM
from dnviz.scene.shapes import VIEW_TITLES, view_sides, view_title  # noqa: F401 - part of this module's API
from dnviz.themes import Theme

#: The smallest body map that still draws a legible body: at least 400 pixels tall, a width per view
#: of 26 times the theme's font size (room for the title and the educational-use line), and room to
#: draw the body at least MIN_BODY_PX tall under the title, the educational-use line and the legend.
MIN_HEIGHT = 400
MIN_WIDTH_PER_VIEW_IN_FONT_SIZES = 26
MIN_BODY_PX = 270
SIDE_LABEL = "Patient's right"
TALLEST = (
    1.3  # a regional window's figure may be this many times the theme's height  # the longer of the two side labels
)


def min_width_per_view(th: Theme) -> int:
    """The narrowest view, in pixels, for this theme's font (26 font sizes, rounded up to 10 pixels)."""
    return math.ceil(MIN_WIDTH_PER_VIEW_IN_FONT_SIZES * th.font_size / 10) * 10


def figure_size(th: Theme, n_views: int, width: object, height: object) -> tuple[int, int]:
    """The (width, height) of a body map in pixels: checked against the stated minimums, or the theme's."""
    figure = f"a {'two' if n_views == 2 else 'one'}-view body map with the {th.name!r} theme"
    width = check_size("width", width, min_width_per_view(th) * n_views, figure)
    height = check_size("height", height, MIN_HEIGHT, figure)
    return width or (th.width if n_views == 2 else int(th.width * 0.75)), height or th.height


def fit_size(
    th: Theme, frame, given_width, given_height, top: int, bottom: int, least_width: int = 0
) -> tuple[int, int]:
    """A window's figure size when the caller gave none: the theme's box, shrunk to the window's shape
    (never narrower than ``least_width``, which keeps a long legend on the page)."""
    x0, y0, x1, y1 = frame
    aspect = (x1 - x0) / (y1 - y0)
    width, height = given_width or th.width, given_height or th.height
    area_h = height - top - bottom
    if given_width is None:
        least = max(min_width_per_view(th), least_width)
        width = max(least, min(th.width, math.ceil(area_h * aspect) + 20))
    if given_height is None:  # a tall, narrow window may grow to a portrait page (1.3 times the theme's height)
        area_w = width - 20
        height = max(MIN_HEIGHT, min(int(th.height * TALLEST), math.ceil(area_w / aspect) + top + bottom))
    return int(width), int(height)


def disclaimer_lines(th: Theme, width: int) -> list[str]:
    """The educational-use line, wrapped to the figure's width."""
    from dnviz._constants import DISCLAIMER

    return textwrap.wrap(esc(DISCLAIMER), width=max(20, int(width / (th.font_size * 0.55))), break_long_words=False)


def title_lines(th: Theme, title: str, width: int) -> list[str]:
    """The title, escaped and wrapped to the figure's width."""
    chars = max(12, int((width - 20) / (th.title_size * 0.55)))
    return textwrap.wrap(esc(title), width=chars, break_long_words=False, break_on_hyphens=False) or [""]


def margins(th: Theme, title: str, width: int, n_views: int) -> dict:
    lines = title_lines(th, title, width)
    d_lines = max(2 if n_views == 2 else 3, len(disclaimer_lines(th, width)))
    top = 50 + int(th.title_size * (2 + 1.25 * (len(lines) - 1))) + th.font_size * d_lines
    return dict(l=10, r=10, t=top, b=40)


def padded(frame, window: str, th: Theme, px_per_cm: float | None = None) -> tuple[float, float, float, float]:
    """The plotted range around a frame: room for the view titles above and the side labels below."""
    x0, y0, x1, y1 = frame
    if window == "whole":
        return x0 - 4, -10.0, x1 + 4, y1 + 14
    scale = px_per_cm or 8.0
    return x0 - 1.0, y0 - 2.2 * th.font_size / scale, x1 + 1.0, y1 + 2.6 * th.font_size / scale


def side_label_size(th: Theme, n_views: int, px_per_cm: float) -> int:
    """Font size of the "Patient's left/right" labels: the theme's, smaller when the body is drawn small."""
    minx, _, maxx, _ = geo.load_body().outline.bounds
    apart_cm = 1.6 * maxx  # the two labels of one view sit at 0.8 of the half-width either side
    if n_views > 1:
        apart_cm = min(apart_cm, maxx - minx + GAP_CM - 1.6 * maxx)  # neighbouring labels of two views
    fits = (apart_cm * px_per_cm - 6) / (0.53 * len(SIDE_LABEL))  # DejaVu Sans: about 0.53 em a character
    return max(9, min(th.font_size, int(fits)))


def window_label_size(th: Theme, scene: dict, px_per_cm: float) -> int:
    """Side-label font size in a window: the theme's, smaller when half the narrowest panel is small."""
    half = min((p["box"][2] - p["box"][0]) / 2 for p in scene["panels"].values()) * px_per_cm
    return max(9, min(th.font_size, int((half - 6) / (0.53 * len(SIDE_LABEL)))))


def layout(
    th: Theme,
    title: str,
    n_views: int,
    width: int,
    height: int,
    legend: bool,
    legend_items: int,
    rng: tuple[float, float, float, float],
    least_cm: float,
) -> tuple[dict, float]:
    """The figure's layout and its drawn scale (pixels per cm); ValueError if the body would be too small.

    ``rng`` is the range to show (x0, y0, x1, y1) and ``least_cm`` the height that must be drawn at
    least MIN_BODY_PX tall (the body, or the window).
    """
    x0, y0, x1, y1 = rng
    lines = title_lines(th, title, width)
    margin = margins(th, title, width, n_views)
    # plotly pushes the plot area up to make room for the legend (one row per item, at most)
    legend_px = math.ceil(th.font_size * 1.55) * legend_items if legend else 0
    least = MIN_BODY_PX / least_cm  # pixels per cm that draw the body MIN_BODY_PX tall
    need = {
        "width": margin["l"] + margin["r"] + math.ceil(least * (x1 - x0)),
        "height": margin["t"] + margin["b"] + legend_px + math.ceil(least * (y1 - y0)),
    }
    for name, given in (("width", width), ("height", height)):
        if given < need[name]:
            raise ValueError(
                f"{name} must be at least {need[name]} pixels for this body map, not {given}: smaller, the body is "
                f"drawn less than {MIN_BODY_PX} pixels tall under the title ({len(lines)} line(s) at width "
                f"{width}), the educational-use line and {legend_items if legend else 0} legend item(s) of the "
                f"{th.name!r} theme. Pass a larger {name}, or a shorter title"
            )
    # ranges with exactly the plot area's aspect ratio: plotly keeps them as given (1 cm = 1 cm on both
    # axes), so a pixel maps to body coordinates by plain arithmetic (see pixel_to_plot)
    area_w, area_h = width - margin["l"] - margin["r"], height - margin["t"] - margin["b"]
    scale = min(area_w / (x1 - x0), area_h / (y1 - y0))
    drawn = scale * (area_h - legend_px) / area_h  # once plotly has taken the legend's rows from the plot area
    cx, cy, hw, hh = (x0 + x1) / 2, (y0 + y1) / 2, area_w / scale / 2, area_h / scale / 2
    return dict(
        title=dict(
            text="<br>".join(lines),
            x=0.5,
            xanchor="center",
            font=dict(size=th.title_size),
            # one line sits where plotly puts it; more lines are centred on their own block at the top (plotly
            # would centre them in the whole top margin, over the educational-use line)
            **(
                {}
                if len(lines) == 1
                else dict(yref="container", y=1 - (10 + len(lines) * th.title_size * 0.625) / height, yanchor="middle")
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


def annotations(scene: dict, th: Theme, disclaimer: bool, width: int, label_size: int, px_per_cm: float) -> list[dict]:
    """View titles above each panel, the patient's sides below it, and the educational-use line."""
    notes = []
    whole = scene["window"] == "whole"
    for view, panel in scene["panels"].items():
        x0, y0, x1, y1 = panel["box"]
        top = y1 + 9 if whole else y1 + 1.3 * th.font_size / px_per_cm
        low = -6 if whole else y0 - 1.1 * th.font_size / px_per_cm
        notes.append(
            dict(
                x=(x0 + x1) / 2,
                y=top,
                text=f"<b>{view_title(view)}</b>",
                showarrow=False,
                font=dict(size=th.font_size + 2),
                xref="x",
                yref="y",
                name=f"view-{view}",
            )
        )
        maxx = geo.load_body().outline.bounds[2]
        for side in view_sides(view):
            if whole or len(view_sides(view)) == 1:
                body_x = maxx * 0.8 if side == "left" else -maxx * 0.8
                px = geo.to_plot_x(view, body_x) + panel["dx"] if whole else (x0 + x1) / 2
            else:  # a window: each side's label at the panel's edge on that side, if the panel shows that side
                mid = geo.to_plot_x(view, 0.0) + panel["dx"]
                on_plus = geo.to_plot_x(view, 1.0 if side == "left" else -1.0) > 0
                shown = (x1 - max(x0, mid)) if on_plus else (min(x1, mid) - x0)
                if shown < 0.3 * (x1 - x0):  # this side is (almost) out of the window
                    continue
                inner = max(x0, mid) if on_plus else min(x1, mid)
                px = (inner + x1) / 2 if on_plus else (x0 + inner) / 2
            notes.append(
                dict(
                    x=px,
                    y=low,
                    text=f"Patient's {side}",
                    showarrow=False,
                    xref="x",
                    yref="y",
                    font=dict(size=label_size),
                    name=f"side-{view}-{side}",
                )
            )
    if disclaimer:
        lines = disclaimer_lines(th, width)
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


def region_at_pixel(atlas, layout, px: float, py: float) -> tuple[str, str, str] | None:
    """(view, region_id, side) under a pixel of a body map (0, 0 at its top left), whatever its window.

    The figure carries its panels in ``layout.meta``; a click on the locator, a gap or off the body is None.
    """
    from dnviz.scene.coords import locate

    x, y = pixel_to_plot(layout, px, py)
    meta = layout.meta or {}
    return locate(atlas, x, y, panels=meta.get("panels") if isinstance(meta, dict) else None)

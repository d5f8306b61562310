"""Body maps as plotly figures: the plotly renderer of :mod:`dnviz.scene`. Pure functions, no widgets, no I/O.

Layers, bottom to top: the silhouette, a light schematic skeleton, region outlines, marked painful
regions, the muscle's outline, referral zones (essential solid, spillover stippled, as the
trigger-point manuals draw them), safety overlays with their names, and numbered trigger points.

Modules: :mod:`~dnviz.plotting.render` (a scene shape -> a trace, by role and theme),
:mod:`~dnviz.plotting.layout` (sizes, ranges, annotations, pixels), :mod:`~dnviz.plotting.body_map`
(:func:`plot_body_map`), :mod:`~dnviz.plotting.slots` (fixed traces for the explorers).

>>> import dnviz
>>> fig = dnviz.plot_body_map(dnviz.load_atlas(), muscle="upper trapezius")
>>> fig.layout.title.text
'Upper trapezius: trigger points and referral zones'
"""

from dnviz.plotting.body_map import plot_body_map
from dnviz.plotting.layout import (
    MIN_BODY_PX,
    MIN_HEIGHT,
    MIN_WIDTH_PER_VIEW_IN_FONT_SIZES,
    VIEW_TITLES,
    figure_size,
    min_width_per_view,
    pixel_to_plot,
    plot_to_pixel,
    region_at_pixel,
)
from dnviz.plotting.render import area_trace, esc, lines_trace
from dnviz.scene.coords import GAP_CM, locate, plot_xy, polygon_xy, trigger_point_xy, view_offsets

__all__ = [
    "GAP_CM",
    "MIN_BODY_PX",
    "MIN_HEIGHT",
    "MIN_WIDTH_PER_VIEW_IN_FONT_SIZES",
    "VIEW_TITLES",
    "area_trace",
    "esc",
    "figure_size",
    "lines_trace",
    "locate",
    "min_width_per_view",
    "pixel_to_plot",
    "plot_body_map",
    "plot_to_pixel",
    "plot_xy",
    "polygon_xy",
    "region_at_pixel",
    "trigger_point_xy",
    "view_offsets",
]

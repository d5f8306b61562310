"""The pain finder: mark where it hurts, see the ranked candidate muscles."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import traitlets
from ipyevents import Event

from dnviz import geometry as geo
from dnviz.atlas import Atlas
from dnviz.plotting import locate, pixel_to_plot, plot_body_map, polygon_xy, view_offsets
from dnviz.vocabulary import SIDES, VIEWS, check_choice
from dnviz.widgets._base import Explorer, esc, message


class PainFinder(Explorer):
    """Mark painful regions (click the map or pick from the list); candidates update live."""

    marked = traitlets.List(help="Marked painful regions as [region_id, side] pairs.")
    selected = traitlets.Unicode(None, allow_none=True, help="The candidate muscle shown on the map.")

    def __init__(self, atlas: Atlas, theme: str = "screen"):
        super().__init__(atlas, theme)
        self.candidates = pd.DataFrame()
        base = plot_body_map(atlas, theme=self.theme, title="Where does it hurt? Click the map", disclaimer=True)
        base.update_xaxes(fixedrange=True)  # no zoom or pan: a click's pixel maps straight to the body
        base.update_yaxes(fixedrange=True)
        pain = self.theme.pain_colour
        base.add_traces(
            [
                dict(
                    type="scatter",
                    x=[],
                    y=[],
                    mode="lines",
                    fill="toself",
                    hoveron="fills",
                    fillcolor=pain,
                    opacity=0.6,
                    line=dict(color=pain, width=self.theme.line_width),
                    name="Marked pain",
                    showlegend=False,
                    meta={"layer": "pain-overlay", "view": view},
                )
                for view in VIEWS
            ]
        )
        self.figure = self.make_figure(base)
        self._pain = {t.meta["view"]: t for t in self.figure.data if t.meta and t.meta.get("layer") == "pain-overlay"}
        # Clicks arrive as pixels through ipyevents (one DOM listener), and shapely finds the region:
        # the figure needs no click-target trace per region, so it stays light to redraw.
        self._events = Event(source=self.figure, watched_events=["click"], prevent_default_action=False)
        self._events.on_dom_event(self.guard(self._on_dom_event))
        leaves = atlas.regions[atlas.regions["view"] != "both"]
        self.region_pick = widgets.Dropdown(
            options=sorted((f"{n} ({v})", r) for r, n, v in zip(leaves.index, leaves["name"], leaves["view"])),
            description="Region",
        )
        self.side_pick = widgets.ToggleButtons(options=[("Left", "left"), ("Right", "right")], description="Side")
        self.add_button = widgets.Button(description="Mark", icon="plus", button_style="info")
        self.clear_button = widgets.Button(description="Clear all", icon="times")
        self.add_button.on_click(self.guard(lambda _: self.toggle(self.region_pick.value, self.side_pick.value)))
        self.clear_button.on_click(self.guard(lambda _: setattr(self, "marked", [])))
        self.result = widgets.Select(
            options=[], rows=10, description="Candidates", layout=widgets.Layout(width="480px")
        )
        self.result.add_class("dnviz-candidates")
        self.why = widgets.HTML(layout=widgets.Layout(max_width="520px"))
        self.result.observe(self.guard(lambda ch: setattr(self, "selected", ch["new"] or None)), "value")
        self.observe(self.guard(lambda ch: self._update()), "marked")
        self.observe(self.guard(lambda ch: self._show_selected()), "selected")
        self.children = [
            widgets.HBox([self.region_pick, self.side_pick, self.add_button, self.clear_button]),
            self.status,
            widgets.HBox(
                [self.figure, widgets.VBox([self.result, self.why])], layout=widgets.Layout(flex_flow="row wrap")
            ),
        ]
        self.status.value = message("Click regions on the map (or pick them above) to mark where it hurts.")

    def _on_dom_event(self, event: dict) -> None:
        if event.get("type") == "click":
            self.click_at(*pixel_to_plot(self.figure.layout, event["relativeX"], event["relativeY"]))

    def click_at(self, plot_x: float, plot_y: float) -> tuple[str, str, str] | None:
        """Toggle the region under a point of the map (plot coordinates); returns (view, region, side)."""
        hit = locate(self.atlas, plot_x, plot_y)
        if hit is None:
            self.status.value = message("That click was not on the body: click inside a region.", "warn")
            return None
        self.toggle(hit[1], hit[2])
        return hit

    def toggle(self, region: str, side: str) -> None:
        """Mark or unmark a region on one side (by id or name)."""
        check_choice("side", side, SIDES)
        region_id = self.atlas.region(region)
        leaves = self.atlas.leaf_regions(region_id)
        current = [tuple(m) for m in self.marked]
        new = [m for m in current if m[1] != side or m[0] not in leaves]
        if len(new) == len(current):
            new += [(leaf, side) for leaf in leaves]
        self.marked = [list(m) for m in new]

    def _update(self) -> None:
        marked = {tuple(m) for m in self.marked}
        offsets = view_offsets(VIEWS)
        with self.figure.batch_update():
            for view, trace in self._pain.items():
                xs: list = []
                ys: list = []
                for region_id, side in sorted(marked):
                    if self.atlas.regions.at[region_id, "view"] == view:
                        px, py = polygon_xy(view, geo.region_polygon(view, region_id, side), offsets[view])
                        xs += [*px, None]
                        ys += [*py, None]
                trace.x, trace.y = xs, ys
        if not marked:
            self.candidates = pd.DataFrame()
            self.result.options = []
            self.why.value = ""
            self.status.value = message("No region marked yet: click the map or pick a region above.")
            return
        self.candidates = self.atlas.candidates([tuple(m) for m in self.marked])
        self.result.options = [
            (
                f"{r.rank}. {r.name} ({r.side}): {r.n_regions} region(s), {r.n_essential} essential",
                f"{r.muscle_id}|{r.side}",
            )
            for r in self.candidates.itertuples()
        ]
        n = len(self.candidates)
        self.status.value = message(
            f"{len(marked)} region(s) marked; {n} candidate muscle(s). Select one to see its pattern.",
            "ok" if n else "warn",
        )

    def _show_selected(self) -> None:
        if not self.selected:
            self.show_pattern(None)
            return
        muscle_id, side = self.selected.split("|")
        row = self.candidates[(self.candidates["muscle_id"] == muscle_id) & (self.candidates["side"] == side)].iloc[0]
        self.show_pattern(muscle_id, side=side, title=f"{row['name']} ({side}): does its pattern match?")
        self.why.value = (
            f"<p><b>Why {esc(row['name'])} ranks {row['rank']}</b></p><ul>"
            + "".join(f"<li>{esc(w)}</li>" for w in row["why"].split("; "))
            + "</ul>"
        )


def pain_finder(atlas: Atlas, theme: str = "screen") -> PainFinder:
    """Mark where it hurts (left and right apart); ranked candidate muscles update live."""
    return PainFinder(atlas, theme=theme)

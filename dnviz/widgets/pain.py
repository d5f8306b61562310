"""The pain finder: mark where it hurts, see the ranked candidate muscles."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import traitlets
from ipyevents import Event

from dnviz import geometry as geo
from dnviz.atlas import Atlas
from dnviz.density import KINDS, referral_density
from dnviz.exceptions import SymptomNotFoundError
from dnviz.plotting import locate, pixel_to_plot, plot_body_map, polygon_xy, view_offsets
from dnviz.vocabulary import SIDES, VIEWS, check_choice
from dnviz.widgets._base import Explorer, esc, lenient, message

DENSITY_BINS = 5  # shades of the "where pain converges" layer


class PainFinder(Explorer):
    """Mark painful regions (click the map, pick from the list, or type a complaint); candidates update live."""

    marked = lenient(traitlets.List(help="Marked painful regions as [region_id, side] pairs."))
    density = lenient(
        traitlets.Enum(["off", *KINDS], default_value="off", help="Shade regions by how many muscles refer to them.")
    )
    selected = lenient(
        traitlets.Unicode(None, allow_none=True, help="The candidate shown on the map, as 'muscle_id|side'.")
    )

    @traitlets.validate("marked")
    def _valid_marked(self, proposal):
        """Regions by id or name, groups as their parts, sides checked; a bad pair is shown, nothing changes."""
        out: list[list[str]] = []
        for i, pair in enumerate(proposal["value"]):
            try:
                if isinstance(pair, str) or len(pair) != 2:
                    raise ValueError(f"item {i} is {pair!r}: give [region, side] pairs such as ['temple', 'left']")
                region, side = pair
                check_choice("side", side, SIDES)
                leaves = self.atlas.leaf_regions(self.atlas.region(region))
            except (LookupError, ValueError, TypeError) as err:
                return self.refuse("marked", proposal["value"], str(err.args[0]) if err.args else str(err))
            out += [[leaf, side] for leaf in leaves if [leaf, side] not in out]
        return out

    @traitlets.validate("selected")
    def _valid_selected(self, proposal):
        """One of the candidates ('muscle_id|side'), or a muscle by any name (its best-ranked side)."""
        value = proposal["value"]
        if not value:
            return None
        keys = [f"{m}|{s}" for m, s in zip(self.candidates.get("muscle_id", []), self.candidates.get("side", []))]
        if value in keys:
            return value
        try:
            muscle_id = self.atlas.find_muscle(str(value).split("|")[0]).name
        except LookupError as err:
            return self.refuse("selected", value, str(err.args[0]) if err.args else str(err))
        side = str(value).split("|")[1] if "|" in str(value) else None
        for key in keys:
            if key.split("|")[0] == muscle_id and side in (None, key.split("|")[1]):
                return key
        return self.refuse("selected", value, "that muscle is not among the candidates for the marked regions.")

    def __init__(self, atlas: Atlas, theme: str = "screen"):
        super().__init__(atlas, theme)
        self.candidates = pd.DataFrame()
        base = plot_body_map(atlas, theme=self.theme, title="Where does it hurt? Click the map", disclaimer=True)
        base.update_xaxes(fixedrange=True)  # no zoom or pan: a click's pixel maps straight to the body
        base.update_yaxes(fixedrange=True)
        meta = base.layout.meta if isinstance(base.layout.meta, dict) else {}
        self._views = tuple(meta.get("views") or VIEWS)  # the views this map draws
        base.add_traces(self._density_slots())  # under the marked pain
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
        self._density = [t for t in self.figure.data if t.meta and t.meta.get("layer") == "density"]
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
        self.complaint = widgets.Combobox(
            placeholder="Or type a complaint: heel pain, headache behind the eye...",
            options=sorted({n for _, r in atlas.symptoms.iterrows() for n in (r["name"], *r["synonyms"])}),
            ensure_option=False,
            description="Complaint",
            continuous_update=False,
            layout=widgets.Layout(width="420px"),
        )
        self.complaint.observe(self.guard(lambda ch: self.complain(ch["new"]) if ch["new"] else None), "value")
        self.density_pick = widgets.Dropdown(
            options=[
                ("Off", "off"),
                ("Essential zones", "essential"),
                ("Spillover zones", "spillover"),
                ("Both", "both"),
            ],
            description="Converge",
            layout=widgets.Layout(width="240px"),
        )
        self.density_pick.observe(self.guard(lambda ch: setattr(self, "density", ch["new"])), "value")
        self.observe(self.guard(lambda ch: self._show_density()), "density")
        self.observe(lambda ch: setattr(self.density_pick, "value", ch["new"]), "density")
        self.advice = widgets.HTML(layout=widgets.Layout(max_width="520px"))
        self.result = widgets.Select(
            options=[], rows=10, description="Candidates", layout=widgets.Layout(width="480px")
        )
        self.result.add_class("dnviz-candidates")
        self.why = widgets.HTML(layout=widgets.Layout(max_width="520px"))
        self._listing = False  # True while the candidate list is refilled: the list then does not echo back
        self.result.observe(
            self.guard(lambda ch: None if self._listing else setattr(self, "selected", ch["new"] or None)), "value"
        )
        self.observe(self.guard(lambda ch: self._update()), "marked")
        self.observe(self.guard(lambda ch: self._show_selected()), "selected")
        self.children = [
            widgets.HBox([self.region_pick, self.side_pick, self.add_button, self.clear_button]),
            widgets.HBox([self.complaint, self.density_pick]),
            self.status,
            self.advice,
            widgets.HBox(
                [self.figure, widgets.VBox([self.result, self.why])], layout=widgets.Layout(flex_flow="row wrap")
            ),
        ]
        self.status.value = message("Click regions on the map (or pick them above) to mark where it hurts.")

    def _density_slots(self) -> list[dict]:
        """Empty traces, one per shade (every view in each: they share the axes), filled by :meth:`_show_density`."""
        from plotly.colors import sample_colorscale

        scale = "Greys" if self.theme.name == "print" else "YlOrRd"
        shades = sample_colorscale(scale, [(i + 1) / DENSITY_BINS for i in range(DENSITY_BINS)])
        return [
            dict(
                type="scatter",
                x=[],
                y=[],
                mode="lines",
                fill="toself",
                hoveron="fills",
                fillcolor=shades[i],
                opacity=0.75,
                line=dict(color="rgba(0,0,0,0.25)", width=0.5),
                name=f"{i + 1} of {DENSITY_BINS}",
                showlegend=False,
                visible=False,
                meta={"layer": "density", "bin": i},
            )
            for i in range(DENSITY_BINS)
        ]

    def _show_density(self) -> None:
        """Shade every region by how many muscles refer to it (the ``density`` kind), or hide the layer."""
        if self.density == "off":
            with self.figure.batch_update():
                for trace in self._density:
                    trace.visible = False
            self.status.value = message("Where pain converges: hidden.")
            return
        table = referral_density(self.atlas, self.density)
        top = max(int(table["n_muscles"].max()), 1)
        offsets = view_offsets(VIEWS)
        bins: dict[int, tuple[list, list, list]] = {}
        for view in self._views:
            drawn = geo.load_body().views.get(view)
            for region_id in drawn.regions if drawn is not None else ():
                if region_id not in table.index or not table.at[region_id, "n_muscles"]:
                    continue
                n = int(table.at[region_id, "n_muscles"])
                b = min(DENSITY_BINS - 1, (n - 1) * DENSITY_BINS // top)
                for side in SIDES:
                    area = geo.region_polygon(view, region_id, side)
                    if area.is_empty:
                        continue
                    xs, ys, names = bins.setdefault(b, ([], [], []))
                    px, py = polygon_xy(view, area, offsets[view])
                    xs += [*px, None]
                    ys += [*py, None]
                    names.append(n)
        with self.figure.batch_update():
            for trace in self._density:
                xs, ys, counts = bins.get(trace.meta["bin"], ([], [], []))
                low, high = (min(counts), max(counts)) if counts else (0, 0)
                label = f"{low} muscles refer here" if low == high else f"{low}-{high} muscles refer here"
                trace.x, trace.y, trace.visible = xs, ys, bool(xs)
                trace.name = label
                trace.hovertext = f"{label} ({esc(self.density)})"
        self.status.value = message(
            f"Where pain converges ({self.density}): darker regions collect more muscles' referral, up to {top}.",
            "ok",
        )

    def complain(self, text: str) -> list[str] | None:
        """Mark the regions of a typed complaint ("heel pain") on the chosen side; returns its ranked muscles.

        An unlisted complaint shows its closest complaints (and marks nothing); the complaint's
        screening note (chest pain can be cardiac) is shown above the map.
        """
        try:
            ranked = self.atlas.candidates_for(text)
        except SymptomNotFoundError as err:
            hint = f" Did you mean: {', '.join(err.suggestions)}?" if err.suggestions else ""
            self.complaint.options = tuple(dict.fromkeys([*err.suggestions, *self.complaint.options]))
            self.status.value = message(f"{text!r}: not a listed complaint.{hint} Or click the map.", "warn")
            return None
        side = self.side_pick.value
        self.marked = [[leaf, side] for r in ranked.attrs["regions"] for leaf in self.atlas.leaf_regions(r)]
        primary = ranked[ranked["role"] == "primary"]["name"]
        note = ranked.attrs["note"]
        self.advice.value = (
            f"<p><b>{esc(ranked.attrs['symptom'])}</b> ({esc(side)}): marked on the map. "
            f"Primary muscles: {esc(', '.join(primary) or 'none listed')}.</p>"
            + (f"<p style='color:#7B2D8E'><b>Screen first:</b> {esc(note)}</p>" if note else "")
        )
        return list(ranked["muscle_id"])

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
            self._list([])
            self.why.value = ""
            self.status.value = message("No region marked yet: click the map or pick a region above.")
            return
        self.candidates = self.atlas.candidates([tuple(m) for m in self.marked])
        self._list(
            [
                (
                    f"{r.rank}. {r.name} ({r.side}): {r.n_regions} region(s), {r.n_essential} essential",
                    f"{r.muscle_id}|{r.side}",
                )
                for r in self.candidates.itertuples()
            ]
        )
        n = len(self.candidates)
        self.status.value = message(
            f"{len(marked)} region(s) marked; {n} candidate muscle(s). Select one to see its pattern.",
            "ok" if n else "warn",
        )

    def _list(self, options: list[tuple[str, str]]) -> None:
        """Refill the candidate list; the selection stays when its muscle is still a candidate, and the
        "why" panel is rewritten with its new rank (else both are cleared): never a stale rank."""
        keep = self.selected if self.selected in {v for _, v in options} else None
        self._listing = True
        try:
            self.result.options = options
            self.result.value = keep
        finally:
            self._listing = False
        if keep is None and self.selected is not None:
            self.selected = None  # observed: clears the map's pattern and the why panel
        else:
            self._show_selected()

    def _show_selected(self) -> None:
        if self.result.value != self.selected:
            self._listing = True
            try:
                self.result.value = self.selected
            finally:
                self._listing = False
        if not self.selected:
            self.show_pattern(None)
            self.why.value = ""
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

"""The pain finder: mark where it hurts on the browser map, see the ranked candidate muscles.

The map is a :class:`~dnviz.widgets.map.BodyMap` in mode ``"pain"``: a click on a region marks or
unmarks it in the browser at once (the map's ``marked``), and Python hears the new list, ranks the
candidate muscles (:meth:`dnviz.Atlas.candidates`) and lists them beside the map. Choosing one shows
its pattern over the marked pain on the same map, with why it ranks where it does.

>>> import dnviz
>>> finder = dnviz.pain_finder(dnviz.load_atlas())
>>> finder.marked = [["temple", "left"]]
>>> finder.map.marked, finder.candidates.iloc[0]["side"]
([['temple', 'left']], 'left')
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import traitlets

from dnviz.atlas import Atlas
from dnviz.density import KINDS, referral_density
from dnviz.exceptions import SymptomNotFoundError
from dnviz.scene.coords import locate
from dnviz.scene.windows import NAMED
from dnviz.vocabulary import SIDES, VIEWS, check_choice
from dnviz.widgets._base import Explorer, esc, lenient, message
from dnviz.widgets.map import BodyMap

DENSITY_BINS = 5  # shades of the "where pain converges" layer (the map's shade levels 0-4)
#: The map's windows offered: front and back, four views (temple, jaw, lateral chest side on) or a region close up.
WINDOW_NAMES = {
    "whole": "Whole body, front and back",
    "whole_all": "Whole body, four views",
    "head_neck": "Head and neck",
    "shoulder_arm": "Shoulder and arm",
    "forearm_hand": "Forearm and hand",
    "trunk": "Trunk",
    "hip_thigh": "Hip and thigh",
    "leg_foot": "Leg and foot",
}
WINDOWS = tuple(w for w in WINDOW_NAMES if w in ("whole", "whole_all", *NAMED))
TITLE = "Where does it hurt? Click the map"
SCREEN_FIRST = "#7B2D8E"
# The side panel's sizes; presenting scales them with the map (fonts 24 px, targets 44 px).
PANEL_CSS = """<style>
.dnviz-painfinder .dnviz-pain-panel .widget-html-content{line-height:1.35;white-space:normal}
.dnviz-painfinder .dnviz-pain-panel .widget-html-content p{margin:2px 0}
.dnviz-painfinder .dnviz-pain-panel .widget-html-content ul{margin:2px 0;padding-left:1.3em}
.dnviz-painfinder .dnviz-pain-panel .widget-select select{font-size:13px;line-height:1.5}
.dnviz-painfinder .dnviz-pain-panel .widget-toggle-buttons{display:flex;align-items:center}
.dnviz-painfinder .dnviz-pain-panel .widget-toggle-buttons>.widget-label{
 flex:0 0 var(--jp-widgets-inline-label-width);text-align:right;margin-right:8px}
.dnviz-painfinder.dnviz-present .dnviz-pain-panel{--jp-widgets-inline-label-width:6.4em;
 --jp-widgets-inline-height:44px;--jp-widgets-font-size:24px;font-size:24px}
.dnviz-painfinder.dnviz-present .dnviz-pain-panel :is(select,input,button,.widget-label,.widget-html-content){
 font-size:24px}
.dnviz-painfinder.dnviz-present .dnviz-pain-panel .widget-select select{font-size:22px}
</style>"""


class PainFinder(Explorer):
    """Mark painful regions (click the map, pick from the list, or type a complaint); candidates update live.

    Parameters
    ----------
    atlas : Atlas
    theme : {"screen", "present", "print"}
        ``"present"`` sizes the map and the panel for projecting (see :meth:`present`).
    window : str
        The map's window: ``"whole"`` (front and back, the default: the largest figures),
        ``"whole_all"`` (four views: temple, jaw and lateral chest clickable side on) or a region
        close up (``"head_neck"``, ``"trunk"``...); a window picker beside the map changes it.

    Examples
    --------
    >>> import dnviz
    >>> finder = dnviz.pain_finder(dnviz.load_atlas())
    >>> finder.toggle("temple", "left")
    >>> finder.selected = "temporalis"
    >>> finder.selected, finder.map.muscle, finder.map.side
    ('temporalis|left', 'temporalis', 'left')
    """

    marked = lenient(traitlets.List(help="Marked painful regions as [region_id, side] pairs."))
    density = lenient(
        traitlets.Enum(["off", *KINDS], default_value="off", help="Shade regions by how many muscles refer to them.")
    )
    selected = lenient(
        traitlets.Unicode(None, allow_none=True, help="The candidate shown on the map, as 'muscle_id|side'.")
    )
    window = lenient(traitlets.Enum(WINDOWS, default_value="whole", help="The map's window (see WINDOW_NAMES)."))

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

    def __init__(self, atlas: Atlas, theme: str = "screen", window: str = "whole"):
        super().__init__(atlas, theme)
        check_choice("window", window, WINDOWS)
        self.candidates = pd.DataFrame()
        self.map = BodyMap(
            atlas,
            theme=self.theme,
            mode="pain",
            window=window,
            side="both",  # no muscle shown: a regional window shows both sides
            title=TITLE,
            layout=widgets.Layout(flex="1 1 560px", min_width="420px"),
        )
        from_map = self.guard(self._from_map)
        # the map's echo of what Python holds is no news (and must not clear a message just shown)
        self.map.observe(lambda ch: None if _pairs(ch["new"]) == self.marked else from_map(ch), "marked")
        self.map.observe(self.guard(self._clicked), "last_click")
        wide = widgets.Layout(width="100%")
        leaves = atlas.regions[atlas.regions["view"] != "both"]
        self.region_pick = widgets.Dropdown(
            options=sorted((f"{n} ({v})", r) for r, n, v in zip(leaves.index, leaves["name"], leaves["view"])),
            description="Region",
            layout=wide,
        )
        self.side_pick = widgets.ToggleButtons(
            options=[("Left", "left"), ("Right", "right")],
            description="Side",
            style={"button_width": "5em"},
        )
        self.add_button = widgets.Button(description="Mark", icon="plus", button_style="info")
        self.clear_button = widgets.Button(description="Clear all", icon="times")
        self.add_button.on_click(self.guard(lambda _: self.toggle(self.region_pick.value, self.side_pick.value)))
        self.clear_button.on_click(self.guard(lambda _: setattr(self, "marked", [])))
        self.complaint = widgets.Combobox(
            placeholder="heel pain, headache behind the eye...",
            options=sorted({n for _, r in atlas.symptoms.iterrows() for n in (r["name"], *r["synonyms"])}),
            ensure_option=False,
            description="Complaint",
            continuous_update=False,
            layout=wide,
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
            layout=wide,
        )
        self.density_pick.observe(self.guard(lambda ch: setattr(self, "density", ch["new"])), "value")
        self.observe(self.guard(lambda ch: self._show_density()), "density")
        self.observe(lambda ch: setattr(self.density_pick, "value", ch["new"]), "density")
        self.window_pick = widgets.Dropdown(
            options=[(text, key) for key, text in WINDOW_NAMES.items() if key in WINDOWS],
            value=window,
            description="Show",
            layout=wide,
        )
        self.window_pick.observe(self.guard(lambda ch: setattr(self, "window", ch["new"])), "value")
        self.map.observe(self.guard(lambda ch: setattr(self, "window", ch["new"])), "window")
        self.observe(self.guard(self._show_window), "window")
        self.window = window
        self.advice = widgets.HTML()
        self.result = widgets.Select(options=[], rows=9, layout=wide)
        self.result.add_class("dnviz-candidates")
        self.why = widgets.HTML()
        self.why.add_class("dnviz-why")
        self._listing = False  # True while the candidate list is refilled: the list then does not echo back
        self.result.observe(
            self.guard(lambda ch: None if self._listing else setattr(self, "selected", ch["new"] or None)), "value"
        )
        self.observe(self.guard(lambda ch: self._update()), "marked")
        self.observe(self.guard(lambda ch: self._show_selected()), "selected")
        sides = widgets.HTML(
            "<span style='font-size:.9em;color:#444'>Front view: the patient's right is on your left; back view: "
            "on your right. The name under the map says which region and side you point at.</span>"
        )
        heading = widgets.HTML("<b>Candidate muscles</b>, best match first: choose one to see its pattern")
        by_name = widgets.HTML("<b>Or mark by name</b>")
        self.panel = widgets.VBox(
            [
                widgets.HTML(PANEL_CSS),
                self.status,
                self.window_pick,
                sides,
                heading,
                self.result,
                self.why,
                by_name,
                self.complaint,
                self.advice,
                self.region_pick,
                self.side_pick,
                widgets.HBox([self.add_button, self.clear_button]),
                self.density_pick,
            ],
            layout=widgets.Layout(flex="0 1 370px", min_width="300px"),
        )
        self.panel.add_class("dnviz-pain-panel")
        self.children = [
            widgets.HBox(
                [self.map, self.panel],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start", grid_gap="12px"),
            )
        ]
        self.status.value = message("Click regions on the map (or mark them by name below) to mark where it hurts.")
        self.present(self.theme.name == "present")

    def _show_window(self, change) -> None:
        """The window chosen (picker, map or Python): the map and the picker follow."""
        if self.map.window != self.window:
            self.map.window = self.window
        if self.window_pick.value != self.window:
            self.window_pick.value = self.window

    # -- the map's clicks ----------------------------------------------------------------------------

    def _from_map(self, change) -> None:
        """The map marked or unmarked a region (a click, in the browser): Python follows."""
        self.marked = _pairs(change["new"])
        if self.map.marked != self.marked:  # refused or expanded: the map shows what Python holds
            self.map.marked = _pairs(self.marked)

    def _clicked(self, change) -> None:
        click = change["new"] or {}
        if click.get("view") is None or click.get("region") is None:
            self.status.value = message("That click was not on the body: click inside a region.", "warn")

    def click_at(self, plot_x: float, plot_y: float, view: str | None = None) -> tuple[str, str, str] | None:
        """Toggle the region under a point; returns (view, region, side), or None off the body.

        Without ``view`` the point is in the plot coordinates of the front-and-back figure
        (:func:`dnviz.plot_body_map`); with it, in that view's own plot coordinates, as the map's
        ``last_click`` reports them.
        """
        if view is None:
            hit = locate(self.atlas, plot_x, plot_y)
        else:
            check_choice("view", view, VIEWS)
            hit = locate(self.atlas, plot_x, plot_y, views=(view,))
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

    # -- typed complaints and the density layer --------------------------------------------------------

    def complain(self, text: str) -> list[str] | None:
        """Mark the regions of a typed complaint ("heel pain") on the chosen side; returns its ranked muscles.

        An unlisted complaint shows its closest complaints (and marks nothing); the complaint's
        screening note (chest pain can be cardiac) is shown beside the map.
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
            + (f"<p style='color:{SCREEN_FIRST}'><b>Screen first:</b> {esc(note)}</p>" if note else "")
        )
        return list(ranked["muscle_id"])

    def density_rows(self) -> list[list]:
        """The map's shade rows ``[region_id, side, level 0-4]`` for the ``density`` kind ([] when off)."""
        if self.density == "off":
            return []
        table = referral_density(self.atlas, self.density)
        top = max(int(table["n_muscles"].max()), 1)
        rows = []
        for region_id, n in zip(table.index, table["n_muscles"]):
            if n:
                level = min(DENSITY_BINS - 1, (int(n) - 1) * DENSITY_BINS // top)
                rows += [[region_id, side, level] for side in SIDES]
        return rows

    def _show_density(self) -> None:
        """Shade every region by how many muscles refer to it (the ``density`` kind), or hide the layer."""
        self.map.shade = self.density_rows()
        if self.density == "off":
            self.status.value = message("Where pain converges: hidden.")
            return
        top = int(referral_density(self.atlas, self.density)["n_muscles"].max())
        self.status.value = message(
            f"Where pain converges ({self.density}): darker regions collect more muscles' referral, up to {top}.",
            "ok",
        )

    # -- the ranked list and the chosen candidate ------------------------------------------------------

    def _update(self) -> None:
        marked = _pairs(self.marked)
        if self.map.marked != marked:
            self.map.marked = marked
        if not marked:
            self.candidates = pd.DataFrame()
            self._list([])
            self.why.value = ""
            self.status.value = message("No region marked yet: click the map or mark a region by name.")
            return
        self.candidates = self.atlas.candidates([tuple(m) for m in marked])
        self._list(
            [
                (
                    f"{r.rank}. {r.name} ({r.side}): {r.n_regions} region{'s' * (r.n_regions != 1)}, "
                    f"{r.n_essential} essential",
                    f"{r.muscle_id}|{r.side}",
                )
                for r in self.candidates.itertuples()
            ]
        )
        n = len(self.candidates)
        self.status.value = message(
            f"{len(marked)} region(s) marked; {n} candidate muscle(s), best match first.",
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
            with self.map.hold_sync():
                self.map.muscle = ""
                self.map.side = "both"
                self.map.title = TITLE
            self.why.value = ""
            return
        muscle_id, side = self.selected.split("|")
        row = self.candidates[(self.candidates["muscle_id"] == muscle_id) & (self.candidates["side"] == side)].iloc[0]
        with self.map.hold_sync():
            self.map.side = side
            self.map.muscle = muscle_id
            self.map.title = f"{row['name']} ({side}): does its pattern match the marked pain?"
        self.why.value = (
            f"<p><b>Why {esc(row['name'])} ranks {row['rank']}</b></p><ul>"
            + "".join(f"<li>{esc(w)}</li>" for w in row["why"].split("; "))
            + "</ul>"
        )

    def present(self, on: bool = True) -> None:
        """Sizes for projecting, through one setting: the map's (fonts 24 px) and the panel's (44 px targets)."""
        self.map.present(on)
        self.map.layout.max_width = f"{self.map.width_px}px"
        self.panel.layout.flex = "0 1 500px" if on else "0 1 370px"
        self.result.rows = 6 if on else 9  # projected: the list and the mark-by-name controls on the first screen
        (self.add_class if on else self.remove_class)("dnviz-present")


def _pairs(value) -> list:
    """[region, side] pairs as lists (the browser sends lists, Python may hold tuples)."""
    return [list(m) if isinstance(m, (list, tuple)) else m for m in value or []]


def pain_finder(atlas: Atlas, theme: str = "screen", window: str = "whole") -> PainFinder:
    """Mark where it hurts (left and right apart); ranked candidate muscles update live."""
    return PainFinder(atlas, theme=theme, window=window)

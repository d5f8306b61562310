"""The safety explorer and the screening checklist."""

from __future__ import annotations

import math

import ipywidgets as widgets
import traitlets

from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas
from dnviz.needle import MAX_NEEDLE_MM, _resolve_site, bmi_group
from dnviz.scene.coords import plot_xy
from dnviz.vocabulary import SEXES
from dnviz.widgets._base import Explorer, esc, lenient, message, source_links
from dnviz.widgets.depth_bar import MIN_SPAN_MM, DepthBar, caption, site_point
from dnviz.widgets.map import BodyMap

#: Sizes of the explorer's parts: (font px, map width, map height, depth bar width, controls column width).
SIZES = {False: (15, 700, 560, 420, "440px"), True: (24, 1120, 560, 600, "620px")}


#: The controls' value for "any" sex or build (the traits' None): ipywidgets selects nothing for an option valued None.
ANY = "any"


def _trait(value):
    return None if value == ANY else value


def site_mark(site_id: str, name: str) -> dict | None:
    """Where a depth site is marked on the browser map: ``{view, x, y, name, also}`` in plot cm (panel dx=0).

    The right side's point is the site; ``also`` holds the left side's (the same published depths), as
    ``[[x, y]]`` on the same view. ``None`` when the site is not placed on the map.
    """
    points = []
    for side in ("right", "left"):
        placed = site_point(site_id, side)
        if placed is None:
            continue
        view, point = placed
        px, py = plot_xy(view, [(point.x, point.y)], 0.0)
        points.append((view, px[0], py[0]))
    if not points:
        return None
    view, x, y = points[0]
    also = [[px, py] for v, px, py in points[1:] if v == view]
    note = f"{name}: where its published depths were measured (a drawing aid placed from the description, not a needling point)"
    return {"view": view, "x": x, "y": y, "name": note, "also": also}


class SafetyExplorer(Explorer):
    """Safety overlays and a needle-length check against published depths.

    The browser map (:class:`~dnviz.widgets.map.BodyMap`, ``safety=True``) draws the lung's risk
    tiers, the pleura and lung lines and the danger zones, framed on the trunk, with the chosen site
    ringed on both sides. Beside it, the controls and a depth bar (SVG) that draws the needle against
    the published depths there, redrawn as the slider moves. Traits set from Python (``site``,
    ``needle_mm``, ``sex``, ``bmi``) move the controls; a bad value is shown in the widget.
    """

    site = lenient(traitlets.Unicode(help="Depth site id (a site's name or a muscle measured there is taken too)."))
    needle_mm = lenient(traitlets.Float(30.0, help="Needle length in mm."))
    sex = lenient(traitlets.Unicode(None, allow_none=True, help="'female', 'male' or None (any)."))
    bmi = lenient(traitlets.Unicode(None, allow_none=True, help="BMI group or None."))

    @traitlets.validate("site")
    def _valid_site(self, proposal):
        try:
            return _resolve_site(self.atlas, proposal["value"])
        except LookupError as err:
            return self.refuse("site", proposal["value"], str(err.args[0]) if err.args else str(err))

    @traitlets.validate("needle_mm")
    def _valid_needle(self, proposal):
        value = proposal["value"]
        if not 0 < value <= MAX_NEEDLE_MM:
            return self.refuse("needle_mm", value, f"a needle length is more than 0 and at most {MAX_NEEDLE_MM} mm.")
        return value

    @traitlets.validate("sex")
    def _valid_sex(self, proposal):
        value = _trait(proposal["value"])
        if value not in (None, *SEXES):
            return self.refuse("sex", value, f"choose one of {', '.join(SEXES)} or None (any).")
        return value

    @traitlets.validate("bmi")
    def _valid_bmi(self, proposal):
        try:
            return bmi_group(_trait(proposal["value"]))
        except (LookupError, ValueError) as err:
            return self.refuse("bmi", proposal["value"], str(err.args[0]) if err.args else str(err))

    def __init__(self, atlas: Atlas, theme: str = "screen"):
        super().__init__(atlas, theme)
        self.check = None
        sites = atlas.depths.drop_duplicates("site_id")
        self.map = BodyMap(
            atlas,
            theme=self.theme,
            safety=True,
            window="trunk",
            side="right",
            controls=[],
            layers={"safety_names": False},  # the legend and each area's hover name them (labels crowd the trunk)
        )
        self.depth_bar = DepthBar(self.theme)
        self.caption = widgets.HTML()
        self.site_pick = widgets.Dropdown(options=list(zip(sites["site_name"], sites["site_id"])), description="Site")
        self.needle = widgets.IntSlider(
            value=30, min=5, max=MIN_SPAN_MM, step=1, description="Needle (mm)", style={"description_width": "initial"}
        )
        self.sex_pick = widgets.ToggleButtons(
            options=[("Any", ANY), ("Female", "female"), ("Male", "male")],
            description="Sex",
            style={"button_width": "auto"},
        )
        self.bmi_pick = widgets.Dropdown(
            options=[
                ("Any build", ANY),
                ("Underweight (BMI < 18.5)", "underweight"),
                ("Normal (18.5-24.9)", "normal"),
                ("Overweight (25-29.9)", "overweight"),
                ("Obese (30 or more)", "obese"),
            ],
            description="Build",
        )
        for w in (self.site_pick, self.needle, self.sex_pick, self.bmi_pick):
            w.style.description_width = "7em"
            w.layout.width = "100%"
        self.sex_pick.add_class("widget-inline-hbox")  # its label beside the buttons, like the others'
        self.map.layout = widgets.Layout(flex="1 1 480px", min_width="400px")
        self.report = widgets.HTML(layout=widgets.Layout(max_width="1100px"))
        self._controls = {"site": self.site_pick, "needle_mm": self.needle, "sex": self.sex_pick, "bmi": self.bmi_pick}
        self._moving = False  # True while traits move the controls: the controls then do not echo back
        for name, w in self._controls.items():
            w.observe(
                self.guard(lambda ch, name=name: None if self._moving else setattr(self, name, _trait(ch["new"]))),
                "value",
            )
        self.observe(self.guard(self._on_change), ["site", "needle_mm", "sex", "bmi"])
        self.side_panel = widgets.VBox(
            [
                self.site_pick,
                self.needle,
                self.sex_pick,
                self.bmi_pick,
                self.status,
                self.depth_bar.widget,
                self.caption,
            ]
        )
        self.side_panel.add_class("dnviz-safety-side")
        self.children = [
            widgets.HBox(
                [self.side_panel, self.map],
                layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start", grid_gap="16px"),
            ),
            self.report,
        ]
        self.present(self.theme.name == "present")
        self.site = self.site_pick.value

    def present(self, on: bool = True) -> None:
        """Sizes for projecting (fonts 24 px, targets 44 px) or for a laptop, through one setting."""
        font, width, height, bar, column = SIZES[bool(on)]
        self.map.present(on)
        self.map.width_px, self.map.height_px = width, height
        self.depth_bar.resize(font, bar)
        self.side_panel.layout.width = column
        self.remove_class(f"dnviz-theme-{'screen' if on else 'present'}")
        self.add_class(f"dnviz-theme-{'present' if on else 'screen'}")  # the shared presenting styles (map.js)

    def _move_controls(self) -> None:
        """Traits set from Python move the controls (the slider widens for a needle beyond its range)."""
        self._moving = True
        try:
            if self.needle_mm > self.needle.max:
                self.needle.max = math.ceil(self.needle_mm)
            if self.needle_mm < self.needle.min:
                self.needle.min = max(1, math.floor(self.needle_mm))
            for name, w in self._controls.items():
                value = getattr(self, name)
                value = round(value) if name == "needle_mm" else ANY if value is None else value
                if w.value != value:
                    w.value = value
        finally:
            self._moving = False

    def _on_change(self, change) -> None:
        self._move_controls()
        if change["name"] == "needle_mm" and self.check is not None:
            self._update(rows=False)
        else:
            self._update()

    def _update(self, rows: bool = True) -> None:
        self.check = self.atlas.needle_check(self.site, self.needle_mm, sex=self.sex, bmi=self.bmi)
        kind = {"reaches": "error", "close": "warn"}.get(self.check.level, "info")
        self.status.value = message(f"{self.needle_mm:g} mm at {self.check.site_name}: {self.check.headline}", kind)
        if rows:
            self.depth_bar.show(self.atlas, self.check)
            self.caption.value = caption(self.atlas, self.check)
            self._mark_site()
        else:
            self.depth_bar.set_needle(self.needle_mm)
        sources = list(dict.fromkeys(self.check.findings["source_id"]))
        self.report.value = (
            self.check._repr_html_()
            + "<p><b>Sources</b></p>"
            + source_links(self.atlas, sources)
            + f"<p style='font-size:smaller'><i>{esc(DISCLAIMER)}</i></p>"
        )

    def _mark_site(self) -> None:
        """Ring the chosen site on both sides of the map (a drawing aid from the site's description)."""
        name = self.check.site_name
        self.map.site = site_mark(self.site, name)
        self.map.title = f"Lung at risk, and {name} ringed"
        if self.map.site is None:
            self.status.value += message(f"{name} is not placed on this map.", "info")


def explore_safety(atlas: Atlas, theme: str = "screen") -> SafetyExplorer:
    """Safety overlays plus a needle length checked against published depths, with caveats and sources."""
    return SafetyExplorer(atlas, theme=theme)


# What each screening category means, most severe first, with the status style it is shown in.
VERDICTS = {
    "do_not_needle": ("Do not needle today.", "error"),
    "do_not_needle_there": (
        "Do not needle there: leave out the site, limb or side named below (what not to do).",
        "error",
    ),
    "discuss_first": ("Discuss with the healthcare provider before needling.", "warn"),
    "lung_risk": ("Extra lung risk: avoid needling over the thorax or take every precaution.", "warn"),
    "no_contraindication_ticked": (
        "No contraindication ticked. This checklist is not exhaustive: the practitioner still takes a full history.",
        "info",
    ),
}


class ScreeningChecklist(Explorer):
    """A pre-needling screening checklist that explains what each answer means."""

    answers = traitlets.Dict(help="item_id -> True (yes) for the ticked questions.")

    def __init__(self, atlas: Atlas, theme: str = "screen"):
        super().__init__(atlas, theme)
        self.boxes = {}
        for item_id, row in atlas.screening.iterrows():
            box = widgets.Checkbox(description=row["question"], indent=False, layout=widgets.Layout(width="auto"))
            box.observe(self.guard(lambda ch, item_id=item_id: self.answer(item_id, ch["new"])), "value")
            self.boxes[item_id] = box
        self.report = widgets.HTML()
        self.children = [
            widgets.HTML("<b>Before needling: tick every question answered yes.</b>"),
            *self.boxes.values(),
            self.status,
            self.report,
        ]
        self._update()

    def answer(self, item_id: str, yes: bool = True) -> None:
        """Record an answer (by item id); updates the advice."""
        if item_id not in self.atlas.screening.index:
            raise ValueError(f"no screening question {item_id!r}; questions: {', '.join(self.atlas.screening.index)}")
        answers = dict(self.answers)
        answers[item_id] = bool(yes)
        self.answers = answers
        if self.boxes[item_id].value != bool(yes):
            self.boxes[item_id].value = bool(yes)
        self._update()

    @property
    def verdicts(self) -> list[str]:
        """Every category ticked, most severe first (empty when nothing is ticked).

        Several can apply at once: blood thinners (discuss first) and a plan to needle both sides of
        the chest (do not needle there) call for both.
        """
        ticked = [k for k, v in self.answers.items() if v]
        categories = self.atlas.screening.loc[ticked, "category"]
        return [str(c) for c in sorted(set(categories), key=categories.cat.categories.get_loc, reverse=True)]

    @property
    def verdict(self) -> str:
        """The most severe category ticked: 'do_not_needle', 'do_not_needle_there', 'discuss_first',
        'lung_risk', or 'no_contraindication_ticked'."""
        return (self.verdicts or ["no_contraindication_ticked"])[0]

    def _update(self) -> None:
        verdicts = self.verdicts
        text, kind = VERDICTS[self.verdict]
        others = [VERDICTS[v][0] for v in verdicts[1:]]
        self.status.value = message(text + (" Also: " + " ".join(others) if others else ""), kind)
        rank = {c: i for i, c in enumerate(verdicts)}
        ticked = sorted(
            (k for k, v in self.answers.items() if v),
            key=lambda k: rank[str(self.atlas.screening.loc[k, "category"])],
        )
        items = []
        for item_id in ticked:
            row = self.atlas.screening.loc[item_id]
            label = str(row["category"]).replace("_", " ")
            items.append(
                f"<li><b>{esc(row['question'])}</b> Yes ({esc(label)}): {esc(row['if_yes'])}"
                f"{source_links(self.atlas, row['source_ids'])}</li>"
            )
        self.report.value = (
            f"<ul>{''.join(items)}</ul>" if items else ""
        ) + f"<p style='font-size:smaller'><i>{esc(DISCLAIMER)}</i></p>"


def screening_checklist(atlas: Atlas, theme: str = "screen") -> ScreeningChecklist:
    """Contraindication and lung-risk screening: tick the yes answers, read what each means."""
    return ScreeningChecklist(atlas, theme=theme)

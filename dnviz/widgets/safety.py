"""The safety explorer and the screening checklist."""

from __future__ import annotations

import math

import ipywidgets as widgets
import plotly.graph_objects as go
import traitlets

from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas
from dnviz.needle import MAX_NEEDLE_MM, _resolve_site, bmi_group
from dnviz.plotting import plot_body_map, plot_xy, view_offsets
from dnviz.vocabulary import SEXES
from dnviz.widgets._base import Explorer, esc, lenient, message, source_links
from dnviz.widgets.depth_bar import DepthBar, caption, site_point


class SafetyExplorer(Explorer):
    """Safety overlays and a needle-length check against published depths.

    The chosen site is marked on the map (both sides) and a depth bar beside it draws the needle
    against the published depths there, redrawn as the slider moves. Traits set from Python
    (``site``, ``needle_mm``, ``sex``, ``bmi``) move the controls; a bad value is shown in the widget.
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
        value = proposal["value"]
        if value not in (None, *SEXES):
            return self.refuse("sex", value, f"choose one of {', '.join(SEXES)} or None (any).")
        return value

    @traitlets.validate("bmi")
    def _valid_bmi(self, proposal):
        try:
            return bmi_group(proposal["value"])
        except (LookupError, ValueError) as err:
            return self.refuse("bmi", proposal["value"], str(err.args[0]) if err.args else str(err))

    def __init__(self, atlas: Atlas, theme: str = "screen"):
        super().__init__(atlas, theme)
        self.check = None
        sites = atlas.depths.drop_duplicates("site_id")
        base = plot_body_map(atlas, safety=True, theme=self.theme)
        meta = base.layout.meta if isinstance(base.layout.meta, dict) else {}
        self._panels = meta.get("panels") or view_offsets(meta.get("views") or ("anterior", "posterior"))
        base.add_trace(
            dict(
                type="scatter",
                x=[],
                y=[],
                mode="markers",
                marker=dict(
                    symbol="x-thin",
                    size=round(1.6 * self.theme.tp_size),
                    color="#111111",
                    line=dict(width=4, color="#111111"),
                ),
                hoverinfo="text",
                name="Chosen site",
                showlegend=False,
                meta={"layer": "needle-site"},
            )
        )
        self.figure = go.FigureWidget(base)
        self._site_trace = next(t for t in self.figure.data if t.meta and t.meta.get("layer") == "needle-site")
        self.depth_bar = DepthBar(self.theme)
        self.caption = widgets.HTML(layout=widgets.Layout(max_width="560px"))
        self.site_pick = widgets.Dropdown(options=list(zip(sites["site_name"], sites["site_id"])), description="Site")
        self.needle = widgets.IntSlider(
            value=30, min=5, max=75, step=1, description="Needle (mm)", style={"description_width": "initial"}
        )
        self.sex_pick = widgets.ToggleButtons(
            options=[("Any", None), ("Female", "female"), ("Male", "male")], description="Sex"
        )
        self.bmi_pick = widgets.Dropdown(
            options=[
                ("Any build", None),
                ("Underweight (BMI < 18.5)", "underweight"),
                ("Normal (18.5-24.9)", "normal"),
                ("Overweight (25-29.9)", "overweight"),
                ("Obese (30 or more)", "obese"),
            ],
            description="Build",
        )
        self.report = widgets.HTML(layout=widgets.Layout(max_width="560px"))
        self._controls = {"site": self.site_pick, "needle_mm": self.needle, "sex": self.sex_pick, "bmi": self.bmi_pick}
        self._moving = False  # True while traits move the controls: the controls then do not echo back
        for name, w in self._controls.items():
            w.observe(
                self.guard(lambda ch, name=name: None if self._moving else setattr(self, name, ch["new"])), "value"
            )
        self.observe(self.guard(self._on_change), ["site", "needle_mm", "sex", "bmi"])
        self.children = [
            widgets.HBox([self.site_pick, self.needle]),
            widgets.HBox([self.sex_pick, self.bmi_pick]),
            self.status,
            widgets.HBox(
                [self.figure, widgets.VBox([self.depth_bar.figure, self.caption])],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            self.report,
        ]
        self.site = self.site_pick.value

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
                value = round(value) if name == "needle_mm" else value
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
        """Mark the chosen site on both sides of the map (a drawing aid from the site's description)."""
        xs: list = []
        ys: list = []
        for side in ("right", "left"):
            placed = site_point(self.site, side)
            if placed is None or placed[0] not in self._panels:
                continue
            view, point = placed
            px, py = plot_xy(view, [(point.x, point.y)], self._panels[view])
            xs += px
            ys += py
        note = f"{self.check.site_name}: where the published depths were measured (marker placed from the description)"
        with self.figure.batch_update():
            self._site_trace.x, self._site_trace.y = xs, ys
            self._site_trace.hovertext = [esc(note)] * len(xs)
        if not xs:
            self.status.value += message(f"{self.check.site_name} is not placed on this map.", "info")


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

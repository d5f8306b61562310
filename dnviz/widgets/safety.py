"""The safety explorer and the screening checklist."""

from __future__ import annotations

import ipywidgets as widgets
import plotly.graph_objects as go
import traitlets

from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas
from dnviz.plotting import plot_body_map
from dnviz.widgets._base import Explorer, esc, message, source_links


class SafetyExplorer(Explorer):
    """Safety overlays and a needle-length check against published depths."""

    site = traitlets.Unicode(help="Depth site id.")
    needle_mm = traitlets.Float(30.0, help="Needle length in mm.")
    sex = traitlets.Unicode(None, allow_none=True)
    bmi = traitlets.Unicode(None, allow_none=True, help="BMI group or None.")

    def __init__(self, atlas: Atlas, theme: str = "screen"):
        super().__init__(atlas, theme)
        self.check = None
        sites = atlas.depths.drop_duplicates("site_id")
        self.figure = go.FigureWidget(plot_body_map(atlas, safety=True, theme=self.theme))
        self.site_pick = widgets.Dropdown(options=list(zip(sites["site_name"], sites["site_id"])), description="Site")
        self.needle = widgets.IntSlider(value=30, min=5, max=75, step=1, description="Needle (mm)")
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
        for w, name in (
            (self.site_pick, "site"),
            (self.needle, "needle_mm"),
            (self.sex_pick, "sex"),
            (self.bmi_pick, "bmi"),
        ):
            w.observe(self.guard(lambda ch, name=name: setattr(self, name, ch["new"])), "value")
        self.observe(self.guard(lambda ch: self._update()), ["site", "needle_mm", "sex", "bmi"])
        self.children = [
            widgets.HBox([self.site_pick, self.needle]),
            widgets.HBox([self.sex_pick, self.bmi_pick]),
            self.status,
            widgets.HBox([self.figure, self.report], layout=widgets.Layout(flex_flow="row wrap")),
        ]
        self.site = self.site_pick.value

    def _update(self) -> None:
        self.check = self.atlas.needle_check(self.site, self.needle_mm, sex=self.sex, bmi=self.bmi)
        kind = {"reaches": "error", "close": "warn"}.get(self.check.level, "info")
        self.status.value = message(f"{self.needle_mm:g} mm at {self.check.site_name}: {self.check.headline}", kind)
        sources = list(dict.fromkeys(self.check.findings["source_id"]))
        self.report.value = (
            self.check._repr_html_()
            + "<p><b>Sources</b></p>"
            + source_links(self.atlas, sources)
            + f"<p style='font-size:smaller'><i>{esc(DISCLAIMER)}</i></p>"
        )


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

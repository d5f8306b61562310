"""Interactive explorers for JupyterLab and Voila: muscles, pain finder, safety, quiz.

Each ``explore_*`` function returns a displayable ipywidgets box whose state is readable and
settable from Python (traitlets), so notebooks and tests can drive it. The body map is one
``go.FigureWidget`` built once; interactions only change the data of fixed traces inside
``batch_update()``. An exception in a callback is shown in the widget in plain words and the
widget stays usable.
"""

from __future__ import annotations

import functools
import html
import random
import traceback
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets
from ipyevents import Event

from dnviz import geometry as geo
from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas
from dnviz.plotting import (
    SLOT_LAYERS,
    locate,
    pattern_slots,
    pixel_to_plot,
    plot_body_map,
    polygon_xy,
    view_offsets,
)
from dnviz.themes import get_theme

AREAS = {
    "head_neck": "Head and neck",
    "shoulder_upper_limb": "Shoulder and upper limb",
    "trunk": "Trunk",
    "hip_lower_limb": "Hip and lower limb",
}
VIEWS = ("anterior", "posterior")


def esc(text: object) -> str:
    return html.escape(str(text))


def message(text: str, kind: str = "info") -> str:
    colour = {"info": "#1f4e79", "error": "#8b0000", "ok": "#1b5e20", "warn": "#7a4a00"}[kind]
    return f"<div class='dnviz-msg dnviz-{kind}' style='color:{colour};margin:4px 0'>{esc(text)}</div>"


class Explorer(widgets.VBox):
    """Base: a status line, a body-map FigureWidget with pattern slots, and guarded callbacks."""

    error = traitlets.Unicode("", help="The last error shown to the user, in plain words ('' if none).")

    def __init__(self, atlas: Atlas, theme: str = "screen", **kwargs):
        super().__init__(**kwargs)
        self.atlas = atlas
        self.theme = get_theme(theme)
        self.status = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self.add_class("dnviz-explorer")
        self.add_class(f"dnviz-{type(self).__name__.lower()}")
        self.add_class(f"dnviz-theme-{self.theme.name}")

    def guard(self, fn: Callable) -> Callable:
        """Wrap a callback: an exception becomes a message in the widget, never a silent log line."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                self.error = ""
                return fn(*args, **kwargs)
            except (LookupError, ValueError) as err:
                self.show_error(str(err.args[0]) if err.args else str(err))
            except Exception as err:
                self.show_error(f"Something went wrong: {type(err).__name__}: {err}")
                traceback.print_exc()
            return None

        return wrapper

    def show_error(self, text: str) -> None:
        self.error = text
        self.status.value = message(text, "error")

    def make_figure(self, base: go.Figure, hide_names: bool = False) -> go.FigureWidget:
        """Add empty pattern slots to a base figure and wrap the whole figure once."""
        slots = pattern_slots(self.atlas, None, theme=self.theme, hide_names=hide_names)
        base.add_traces([slots[(v, layer)] for v in VIEWS for layer in SLOT_LAYERS])
        fig = go.FigureWidget(base)
        self._slots = {
            (t.meta["view"], t.meta["layer"].removeprefix("slot-")): t
            for t in fig.data
            if t.meta and str(t.meta.get("layer", "")).startswith("slot-")
        }
        return fig

    def show_pattern(self, muscle: str | None, side: str = "right", hide_names: bool = False, title: str | None = None):
        """Put a muscle's pattern into the slots (in place) and optionally retitle the figure."""
        key = (muscle, side, hide_names)
        cache = self.__dict__.setdefault("_slot_cache", {})
        if key not in cache:  # the atlas never changes: each pattern is computed once per explorer
            cache[key] = pattern_slots(self.atlas, muscle, side=side, theme=self.theme, hide_names=hide_names)
        slots = cache[key]
        with self.figure.batch_update():
            for key, trace in self._slots.items():
                new = slots[key]
                trace.x, trace.y, trace.name = new["x"], new["y"], new["name"]
                if "text" in new:
                    trace.text = new["text"]
            if title is not None:
                self.figure.layout.title.text = esc(title)


def _source_links(atlas: Atlas, source_ids: Sequence[str]) -> str:
    items = []
    for sid in source_ids:
        row = atlas.sources.loc[sid]
        cite = esc(atlas.cite(sid)[0])
        href = f"https://doi.org/{row['doi']}" if not pd.isna(row["doi"]) else row["url"]
        if isinstance(href, str) and href.startswith(("http://", "https://")):
            cite = f"<a href='{esc(href)}' target='_blank' rel='noopener noreferrer'>{cite}</a>"
        items.append(f"<li>{cite}</li>")
    return "<ol class='dnviz-sources'>" + "".join(items) + "</ol>"


def muscle_card(atlas: Atlas, muscle_id: str) -> str:
    """HTML card of a muscle: every field escaped, sources as links."""
    m = atlas.muscles.loc[muscle_id]
    risk = str(m["pneumothorax_risk"])
    badge = {"high": "#7B2D8E", "caution": "#B8860B", "none": "#4d4d4d"}[risk]
    rows = [
        ("Also called", ", ".join(m["synonyms"]) or "–"),
        ("Attachments", m["attachments"]),
        ("Action", m["action"]),
        ("Innervation", m["innervation"]),
        ("Needling notes", m["needling_notes"]),
        ("Structures at risk", m["structures_at_risk"]),
    ]
    tps = atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id]
    tp_items = "".join(f"<li><b>{esc(tp['label'])}</b>: {esc(tp['location'])}</li>" for _, tp in tps.iterrows())
    sources = list(dict.fromkeys([*m["source_ids"], *m["pneumothorax_source_ids"]]))
    body = "".join(
        f"<tr><th style='text-align:left;vertical-align:top;padding-right:8px'>{esc(k)}</th><td>{esc(v)}</td></tr>"
        for k, v in rows
    )
    return (
        f"<div class='dnviz-card'><h3 style='margin:4px 0'>{esc(m['name'])}</h3>"
        f"<p><span style='background:{badge};color:white;padding:2px 6px;border-radius:4px'>"
        f"Pneumothorax risk: {esc(risk)}</span></p><table>{body}</table>"
        f"<p><b>Trigger points</b></p><ul>{tp_items}</ul><p><b>Sources</b></p>{_source_links(atlas, sources)}"
        f"<p style='font-size:smaller'><i>{esc(DISCLAIMER)}</i></p></div>"
    )


class MuscleExplorer(Explorer):
    """Find a muscle by any name; see its trigger points, zones and card."""

    muscle_id = traitlets.Unicode(None, allow_none=True, help="The muscle shown.")
    side = traitlets.Enum(["right", "left", "both"], default_value="right", help="Side of the body shown.")

    def __init__(self, atlas: Atlas, muscle: str | None = None, theme: str = "screen"):
        super().__init__(atlas, theme)
        names = sorted({n for _, row in atlas.muscles.iterrows() for n in (row["name"], *row["synonyms"])})
        self.search = widgets.Combobox(
            placeholder="Type a muscle: upper trap, SCM, QL...",
            options=names,
            ensure_option=False,
            description="Muscle",
            continuous_update=False,
        )
        self.area = widgets.Dropdown(
            options=[("All body areas", "")] + [(v, k) for k, v in AREAS.items()], description="Area"
        )
        self.choice = widgets.Dropdown(description="Browse", options=self._choices(""))
        self.side_buttons = widgets.ToggleButtons(
            options=[("Right", "right"), ("Left", "left"), ("Both", "both")], description="Side"
        )
        self.figure = self.make_figure(plot_body_map(atlas, theme=self.theme, title="Choose a muscle", disclaimer=True))
        self.card = widgets.HTML(layout=widgets.Layout(max_width="520px", overflow="auto"))
        self.search.observe(self.guard(lambda ch: self.select(ch["new"]) if ch["new"] else None), "value")
        self.area.observe(self.guard(lambda ch: setattr(self.choice, "options", self._choices(ch["new"]))), "value")
        self.choice.observe(self.guard(lambda ch: self.select(ch["new"]) if ch["new"] else None), "value")
        self.side_buttons.observe(self.guard(lambda ch: setattr(self, "side", ch["new"])), "value")
        self.observe(self.guard(lambda ch: self._redraw()), ["muscle_id", "side"])
        self.children = [
            widgets.HBox([self.search, self.area, self.choice]),
            self.side_buttons,
            self.status,
            widgets.HBox([self.figure, self.card], layout=widgets.Layout(flex_flow="row wrap")),
        ]
        if muscle:
            self.select(muscle)

    def _choices(self, area: str) -> list[tuple[str, str]]:
        m = self.atlas.muscles
        m = m[m["body_area"] == area] if area else m
        return [("–", "")] + sorted((name, mid) for mid, name in m["name"].items())

    def select(self, name: str) -> str:
        """Show a muscle by any name; raises MuscleNotFoundError (shown in the widget by callbacks)."""
        muscle_id = self.atlas.find_muscle(name).name
        self.muscle_id = muscle_id
        self.status.value = message(f"Showing {self.atlas.muscles.at[muscle_id, 'name']}.", "ok")
        return muscle_id

    def _redraw(self) -> None:
        if self.muscle_id is None:
            return
        name = self.atlas.muscles.at[self.muscle_id, "name"]
        self.show_pattern(self.muscle_id, side=self.side, title=f"{name}: trigger points and referral zones")
        cards = self.__dict__.setdefault("_cards", {})
        if self.muscle_id not in cards:
            cards[self.muscle_id] = muscle_card(self.atlas, self.muscle_id)
        self.card.value = cards[self.muscle_id]


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
        if side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', not {side!r}")
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
            + _source_links(self.atlas, sources)
            + f"<p style='font-size:smaller'><i>{esc(DISCLAIMER)}</i></p>"
        )


def quiz_questions(
    atlas: Atlas, pool: Sequence[str] | str | None = None, n: int = 10, seed: int | None = None, choices: int = 4
) -> tuple[list[str], list[list[str]]]:
    """The questions and answer options of a quiz, without building any widget.

    The same ``pool``, ``n``, ``seed`` and ``choices`` always give the same quiz, so a whole class
    gets the same questions. Distractors come from the same body area as the answer.

    Returns
    -------
    (questions, options)
        Muscle ids asked, in order, and for each the shuffled options (the answer among them).

    Examples
    --------
    >>> from dnviz import load_atlas
    >>> questions, options = quiz_questions(load_atlas(), pool="head_neck", n=3, seed=1)
    >>> all(q in opts for q, opts in zip(questions, options))
    True
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    m = atlas.muscles
    if pool is None:
        ids = list(m.index)
    elif isinstance(pool, str) and pool in AREAS:
        ids = list(m.index[m["body_area"] == pool])
    else:
        names = [pool] if isinstance(pool, str) else list(pool)
        ids = list(dict.fromkeys(atlas.find_muscle(p).name for p in names))
    if not ids:
        raise ValueError("the question pool is empty")
    rng = random.Random(seed)
    questions = rng.sample(ids, min(n, len(ids)))
    options = []
    for muscle_id in questions:
        same = [x for x in m.index[m["body_area"] == m.at[muscle_id, "body_area"]] if x != muscle_id]
        opts = [muscle_id, *rng.sample(same, min(choices - 1, len(same)))]
        rng.shuffle(opts)
        options.append(opts)
    return questions, options


class Quiz(Explorer):
    """Name the muscle from its referral pattern; score, reveal, next. Seeded for a whole class."""

    index = traitlets.Int(0, help="Current question (0-based).")
    score = traitlets.Int(0)
    answered = traitlets.Bool(False)
    revealed = traitlets.Bool(False)

    def __init__(
        self,
        atlas: Atlas,
        pool: Sequence[str] | str | None = None,
        n: int = 10,
        seed: int | None = None,
        choices: int = 4,
        theme: str = "screen",
    ):
        super().__init__(atlas, theme)
        self.questions, self.options_per_question = quiz_questions(atlas, pool=pool, n=n, seed=seed, choices=choices)
        self.figure = self.make_figure(
            plot_body_map(atlas, theme=self.theme, title="Quiz", disclaimer=True), hide_names=True
        )
        self.answer = widgets.RadioButtons(options=[], description="Muscle?", layout=widgets.Layout(width="auto"))
        self.check_button = widgets.Button(description="Check", button_style="primary", icon="check")
        self.reveal_button = widgets.Button(description="Reveal", icon="eye")
        self.next_button = widgets.Button(description="Next", icon="arrow-right")
        self.progress = widgets.HTML()
        self.check_button.on_click(self.guard(lambda _: self.submit(self.answer.value)))
        self.reveal_button.on_click(self.guard(lambda _: self.reveal()))
        self.next_button.on_click(self.guard(lambda _: self.next()))
        self.children = [
            self.progress,
            self.figure,
            self.answer,
            widgets.HBox([self.check_button, self.reveal_button, self.next_button]),
            self.status,
        ]
        self._ask()

    @property
    def current(self) -> str:
        return self.questions[self.index]

    def _ask(self) -> None:
        self.answered = self.revealed = False
        opts = self.options_per_question[self.index]
        self.answer.options = [(self.atlas.muscles.at[m, "name"], m) for m in opts]
        self.answer.value = None
        self.show_pattern(
            self.current,
            hide_names=True,
            title=f"Question {self.index + 1} of {len(self.questions)}: which muscle refers pain here?",
        )
        self.progress.value = f"<b>Score: {self.score} / {self.index}</b>"
        self.status.value = message("Choose a muscle, then Check. Reveal shows the answer.")

    def submit(self, muscle: str | None) -> bool:
        """Answer the current question by muscle id or name; returns True when right."""
        if not muscle:
            raise ValueError("Choose a muscle first.")
        if self.answered:
            raise ValueError("Already answered: press Next.")
        guess = self.atlas.find_muscle(muscle).name
        right = guess == self.current
        self.answered = True
        self.score += int(right)
        name = self.atlas.muscles.at[self.current, "name"]
        self.status.value = message(
            f"Right: {name}." if right else f"Not quite: this is {name}.", "ok" if right else "warn"
        )
        self.progress.value = f"<b>Score: {self.score} / {self.index + 1}</b>"
        self.reveal()
        return right

    def reveal(self) -> None:
        self.revealed = True
        name = self.atlas.muscles.at[self.current, "name"]
        self.show_pattern(self.current, title=f"Question {self.index + 1}: {name}")

    def next(self) -> None:
        if self.index + 1 >= len(self.questions):
            self.status.value = message(f"Finished: {self.score} of {len(self.questions)} right.", "ok")
            return
        self.index += 1
        self._ask()


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
    def verdict(self) -> str:
        """'do_not_needle', 'discuss_first', 'lung_risk' or 'no_contraindication_ticked'."""
        ticked = [k for k, v in self.answers.items() if v]
        if not ticked:
            return "no_contraindication_ticked"
        return str(self.atlas.screening.loc[ticked, "category"].max())

    def _update(self) -> None:
        headline = {
            "do_not_needle": ("Do not needle today.", "error"),
            "discuss_first": ("Discuss with the healthcare provider before needling.", "warn"),
            "lung_risk": ("Extra lung risk: avoid needling over the thorax or take every precaution.", "warn"),
            "no_contraindication_ticked": (
                "No contraindication ticked. This checklist is not exhaustive: "
                "the practitioner still takes a full history.",
                "info",
            ),
        }[self.verdict]
        self.status.value = message(*headline)
        items = []
        for item_id, yes in self.answers.items():
            if yes:
                row = self.atlas.screening.loc[item_id]
                label = str(row["category"]).replace("_", " ")
                items.append(
                    f"<li><b>{esc(row['question'])}</b> Yes ({esc(label)}): {esc(row['if_yes'])}"
                    f"{_source_links(self.atlas, row['source_ids'])}</li>"
                )
        self.report.value = (
            f"<ul>{''.join(items)}</ul>" if items else ""
        ) + f"<p style='font-size:smaller'><i>{esc(DISCLAIMER)}</i></p>"


def screening_checklist(atlas: Atlas, theme: str = "screen") -> ScreeningChecklist:
    """Contraindication and lung-risk screening: tick the yes answers, read what each means."""
    return ScreeningChecklist(atlas, theme=theme)


def explore_muscles(atlas: Atlas, muscle: str | None = None, theme: str = "screen") -> MuscleExplorer:
    """Search a muscle by any name; see its trigger points, essential and spillover zones and its card."""
    return MuscleExplorer(atlas, muscle=muscle, theme=theme)


def pain_finder(atlas: Atlas, theme: str = "screen") -> PainFinder:
    """Mark where it hurts (left and right apart); ranked candidate muscles update live."""
    return PainFinder(atlas, theme=theme)


def explore_safety(atlas: Atlas, theme: str = "screen") -> SafetyExplorer:
    """Safety overlays plus a needle length checked against published depths, with caveats and sources."""
    return SafetyExplorer(atlas, theme=theme)


def quiz(
    atlas: Atlas,
    pool: Sequence[str] | str | None = None,
    n: int = 10,
    seed: int | None = None,
    choices: int = 4,
    theme: str = "screen",
) -> Quiz:
    """A referral-pattern quiz; ``pool`` (muscle names or a body area), ``n`` and ``seed`` set it for a class."""
    return Quiz(atlas, pool=pool, n=n, seed=seed, choices=choices, theme=theme)


class ClassroomApp(widgets.VBox):
    """All explorers in tabs for a classroom (Voila), built lazily: one body map in the page at a time."""

    theme = traitlets.Enum(["screen", "present"], default_value="present")

    TABS = (
        ("Muscles", explore_muscles),
        ("Where does it hurt?", pain_finder),
        ("Needle safety", explore_safety),
        ("Quiz", quiz),
    )

    def __init__(self, atlas: Atlas, theme: str = "present"):
        super().__init__()
        self.atlas = atlas
        self.add_class("dnviz-classroom")
        self.tabs = widgets.Tab(children=[widgets.VBox() for _ in self.TABS])
        for i, (title, _) in enumerate(self.TABS):
            self.tabs.set_title(i, title)
        self.theme_pick = widgets.ToggleButtons(
            options=[("Presenting", "present"), ("Screen", "screen")], value=theme, description="Mode"
        )
        self.theme_pick.observe(lambda ch: setattr(self, "theme", ch["new"]), "value")
        self.tabs.observe(lambda ch: self._build(ch["new"]), "selected_index")
        self.observe(lambda ch: self._rebuild(), "theme")
        self.children = [
            widgets.HTML(f"<p><i>{esc(DISCLAIMER)}</i></p>"),
            self.theme_pick,
            self.tabs,
        ]
        self.theme = theme
        self._build(0)

    def _rebuild(self) -> None:
        for box in self.tabs.children:
            box.children = []
        self._build(self.tabs.selected_index or 0)

    def _build(self, index: int | None) -> None:
        if index is None:
            return
        for i, box in enumerate(self.tabs.children):  # free the other tabs' body maps
            if i != index:
                box.children = []
        box = self.tabs.children[index]
        if not box.children:
            box.children = [self.TABS[index][1](self.atlas, theme=self.theme)]

    @property
    def explorer(self) -> Explorer:
        """The explorer of the selected tab."""
        return self.tabs.children[self.tabs.selected_index or 0].children[0]


def classroom_app(atlas: Atlas, theme: str = "present") -> ClassroomApp:
    """The explorers in tabs, in presenting mode by default; run it with ``make voila``."""
    return ClassroomApp(atlas, theme=theme)

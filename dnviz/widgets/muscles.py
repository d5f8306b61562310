"""The muscle explorer: find a muscle by any name, see its pattern and card."""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from dnviz.atlas import Atlas
from dnviz.exceptions import MuscleNotFoundError
from dnviz.plotting import plot_body_map
from dnviz.widgets._base import AREAS, Explorer, lenient, message, muscle_card


class MuscleExplorer(Explorer):
    """Find a muscle by any name; see its trigger points, zones and card."""

    muscle_id = lenient(traitlets.Unicode(None, allow_none=True, help="The muscle shown."))
    side = lenient(traitlets.Enum(["right", "left", "both"], default_value="right", help="Side of the body shown."))

    @traitlets.validate("muscle_id")
    def _valid_muscle(self, proposal):
        """Any name of one muscle is taken (``"upper trap"``); anything else is shown as a message."""
        value = proposal["value"]
        if value is None or value in self.atlas.muscles.index:
            return value
        if not isinstance(value, str):
            return self.refuse("muscle_id", value, "give a muscle's id or name, such as 'upper_trapezius'.")
        try:
            return self.atlas.find_muscle(value).name
        except MuscleNotFoundError as err:
            return self.refuse("muscle_id", value, str(err.args[0]) if err.args else str(err))

    def __init__(self, atlas: Atlas, muscle: str | None = None, theme: str = "screen"):
        super().__init__(atlas, theme)
        groups = atlas.tables.get("muscle_groups")
        named = [atlas.muscles] + ([groups] if groups is not None else [])
        names = sorted({n for table in named for _, row in table.iterrows() for n in (row["name"], *row["synonyms"])})
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
        self.members = widgets.ToggleButtons(
            options=[], value=None, description="Choose", layout=widgets.Layout(display="none")
        )
        self.side_buttons = widgets.ToggleButtons(
            options=[("Right", "right"), ("Left", "left"), ("Both", "both")], description="Side"
        )
        self.figure = self.make_figure(plot_body_map(atlas, theme=self.theme, title="Choose a muscle", disclaimer=True))
        self.card = widgets.HTML(layout=widgets.Layout(max_width="520px", overflow="auto"))
        self.search.observe(self.guard(lambda ch: self.select(ch["new"]) if ch["new"] else None), "value")
        self.area.observe(self.guard(lambda ch: setattr(self.choice, "options", self._choices(ch["new"]))), "value")
        self._moving = False  # True while traits move the controls: the controls then do not echo back
        self.choice.observe(
            self.guard(lambda ch: self.select(ch["new"]) if ch["new"] and not self._moving else None), "value"
        )
        self.members.observe(
            self.guard(lambda ch: self.select(ch["new"], keep_choices=True) if ch["new"] else None), "value"
        )
        self.side_buttons.observe(self.guard(lambda ch: setattr(self, "side", ch["new"])), "value")
        self.observe(self.guard(lambda ch: self._redraw()), ["muscle_id", "side"])
        self.observe(self.guard(lambda ch: self._move_controls()), ["muscle_id", "side"])
        self.children = [
            widgets.HBox([self.search, self.area, self.choice]),
            self.members,
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

    def select(self, name: str, keep_choices: bool = False) -> str | None:
        """Show a muscle by any name; a group name (quads) offers its muscles to choose from.

        Returns the muscle id, or ``None`` when the name fits several muscles: they are offered as
        buttons (``members``) instead. A name that matches nothing raises MuscleNotFoundError
        (shown in the widget by callbacks), with its closest muscles offered as buttons.
        """
        try:
            muscle_id = self.atlas.find_muscle(name).name
        except MuscleNotFoundError as err:
            self.offer(err.suggestions)
            if err.ambiguous and err.suggestions:
                self.status.value = message(
                    f"{name!r} fits {len(err.suggestions)} muscles: choose one with the Choose buttons.", "info"
                )
                return None
            raise
        if not keep_choices:
            self.offer([])
        self.muscle_id = muscle_id
        self.status.value = message(f"Showing {self.atlas.muscles.at[muscle_id, 'name']}.", "ok")
        return muscle_id

    def offer(self, names: list[str]) -> None:
        """Show these muscles (display names) as buttons to choose from; hide the buttons if none."""
        ids = dict(zip(self.atlas.muscles["name"], self.atlas.muscles.index))
        self.members.value = None
        self.members.options = [(n, ids[n]) for n in names if n in ids]
        self.members.layout.display = "flex" if self.members.options else "none"

    def _move_controls(self) -> None:
        """Traits set from Python move the controls: the Browse list shows the muscle, the Side buttons the side."""
        if self.side_buttons.value != self.side:
            self.side_buttons.value = self.side
        if self.muscle_id is None or self.choice.value == self.muscle_id:
            return
        self._moving = True
        try:
            if self.muscle_id not in {v for _, v in self.choice.options}:
                self.area.value = ""  # the muscle lies outside the area filter: show every area
            self.choice.value = self.muscle_id
        finally:
            self._moving = False

    def _redraw(self) -> None:
        if self.muscle_id is None:
            return
        name = self.atlas.muscles.at[self.muscle_id, "name"]
        self.show_pattern(self.muscle_id, side=self.side, title=f"{name}: trigger points and referral zones")
        cards = self.__dict__.setdefault("_cards", {})
        if self.muscle_id not in cards:
            cards[self.muscle_id] = muscle_card(self.atlas, self.muscle_id)
        self.card.value = cards[self.muscle_id]


def explore_muscles(atlas: Atlas, muscle: str | None = None, theme: str = "screen") -> MuscleExplorer:
    """Search a muscle by any name; see its trigger points, essential and spillover zones and its card."""
    return MuscleExplorer(atlas, muscle=muscle, theme=theme)

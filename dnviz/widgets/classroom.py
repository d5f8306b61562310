"""The classroom app: every explorer in tabs, each built once per mode and kept, for Voila."""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas
from dnviz.widgets._base import Explorer, esc
from dnviz.widgets.muscles import explore_muscles
from dnviz.widgets.pain import pain_finder
from dnviz.widgets.quiz import Quiz, quiz
from dnviz.widgets.safety import explore_safety

#: The state each explorer carries when the mode changes (the quiz carries its questions and answers too).
CARRIED = {
    "MuscleExplorer": ("side", "muscle_id"),
    "PainFinder": ("density", "marked", "selected"),
    "SafetyExplorer": ("site", "needle_mm", "sex", "bmi"),
}


def carry_state(old: Explorer, new: Explorer) -> None:
    """Give ``new`` (the same explorer in another mode) the selections, answers and score of ``old``."""
    if isinstance(new, Quiz):
        new.items = list(old.items)
        new._records = dict(old._records)
        with new.hold_trait_notifications():
            new.score = old.score
            new.index = old.index
        new._ask()  # the same index fires no change: ask again, from the records just carried
        if old.revealed and not new.revealed:
            new.reveal()
        if not old.answered and old.choice is not None:
            new.choice = old.choice
        if not old.answered and old.question.kind == "zones":  # zones marked on the map, not yet checked
            new.zoom.value = old.zoom.value
            new.map.marked = list(old.map.marked)
        return
    for name in CARRIED.get(type(new).__name__, ()):
        setattr(new, name, getattr(old, name))


class ClassroomApp(widgets.VBox):
    """All explorers in tabs for a classroom (Voila).

    Each explorer is built the first time its tab is shown, once per mode, and kept: switching tabs
    or modes shows the kept explorer (one body map in the page at a time) with its selections and
    the quiz's questions and score, so the number of widgets stops growing once every tab has been
    seen in each mode.
    """

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
        self.add_class(f"dnviz-theme-{theme}")
        self._built: dict[tuple[int, str], Explorer] = {}  # (tab, mode) -> its explorer, built once
        self._latest: dict[int, Explorer] = {}  # tab -> the explorer last shown there (holds the newest state)
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
        if self.theme_pick.value != self.theme:
            self.theme_pick.value = self.theme
        for name in ("screen", "present"):  # the app's own tabs and buttons scale with the mode too
            self.remove_class(f"dnviz-theme-{name}")
        self.add_class(f"dnviz-theme-{self.theme}")
        self._build(self.tabs.selected_index or 0)

    def _build(self, index: int | None) -> None:
        if index is None:
            return
        for i, box in enumerate(self.tabs.children):  # only the shown tab holds a body map in the page
            if i != index and box.children:
                box.children = []
        key = (index, self.theme)
        explorer = self._built.get(key)
        if explorer is None:
            explorer = self._built[key] = self.TABS[index][1](self.atlas, theme=self.theme)
        latest = self._latest.get(index)
        if latest is not None and latest is not explorer:
            carry_state(latest, explorer)
        self._latest[index] = explorer
        box = self.tabs.children[index]
        if box.children != (explorer,):
            box.children = [explorer]

    @property
    def explorer(self) -> Explorer:
        """The explorer of the selected tab."""
        return self.tabs.children[self.tabs.selected_index or 0].children[0]

    def close(self) -> None:
        """Close every explorer built, in both modes, and the app."""
        for explorer in self._built.values():
            explorer.close()
        self._built.clear()
        self._latest.clear()
        super().close()


def classroom_app(atlas: Atlas, theme: str = "present") -> ClassroomApp:
    """The explorers in tabs, in presenting mode by default; run it with ``make voila``."""
    return ClassroomApp(atlas, theme=theme)

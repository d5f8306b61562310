"""The classroom app: every explorer in tabs, built lazily, for Voila."""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas
from dnviz.widgets._base import Explorer, esc
from dnviz.widgets.muscles import explore_muscles
from dnviz.widgets.pain import pain_finder
from dnviz.widgets.quiz import quiz
from dnviz.widgets.safety import explore_safety


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

"""The muscle explorer: find a muscle by any name, see its pattern and card."""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from dnviz.atlas import Atlas
from dnviz.exceptions import MuscleNotFoundError
from dnviz.widgets._base import Explorer, lenient, message, muscle_card
from dnviz.widgets.map import BodyMap

CONTROLS = ["search", "area", "browse", "side", "tp", "window"]


class MuscleExplorer(Explorer):
    """Find a muscle by any name; see its trigger points, zones and card.

    The map and its controls (search, body area, muscle list, side, trigger point, window) are
    drawn in the browser: choosing a muscle, a side or a trigger point repaints at once. A name the
    browser does not know exactly (a typo, a group such as "quads") goes to Python's search.
    """

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
        self.map = BodyMap(atlas, theme=self.theme, controls=list(CONTROLS))
        self.card = widgets.HTML(layout=widgets.Layout(max_width="1100px", overflow="auto"))
        self.map.observe(self.guard(self._asked), "query")
        self.map.observe(self.guard(lambda ch: setattr(self, "muscle_id", ch["new"] or None)), "muscle")
        self.map.observe(self.guard(lambda ch: setattr(self, "side", ch["new"])), "side")
        self.observe(self.guard(lambda ch: self._redraw()), ["muscle_id", "side"])
        self.children = [self.status, self.map, self.card]
        if muscle:
            self.select(muscle)

    @property
    def names(self) -> list[str]:
        """Every name the search knows: muscles' names and synonyms, and group names (sorted)."""
        groups = self.atlas.tables.get("muscle_groups")
        named = [self.atlas.muscles] + ([groups] if groups is not None else [])
        return sorted({n for table in named for _, row in table.iterrows() for n in (row["name"], *row["synonyms"])})

    def find(self, text: str) -> str | None:
        """What typing ``text`` into the search box and pressing Enter does: as :meth:`select`, shown."""
        return self.guard(self.select)(text)

    @property
    def offered(self) -> list[str]:
        """The muscles offered as buttons to choose from (ids), after a group name or a near miss."""
        return list(self.map.offers)

    def _asked(self, change) -> None:
        """A name typed in the browser's search box that the browser could not resolve alone."""
        text = str(change["new"]).split("|", 1)[-1]
        if text.strip():
            self.select(text)

    def select(self, name: str, keep_choices: bool = False) -> str | None:
        """Show a muscle by any name; a group name (quads) offers its muscles to choose from.

        Returns the muscle id, or ``None`` when the name fits several muscles: they are offered as
        buttons (:attr:`offered`) instead. A name that matches nothing raises MuscleNotFoundError
        (shown in the widget by callbacks), with its closest muscles offered as buttons.
        """
        try:
            muscle_id = self.atlas.find_muscle(name).name
        except MuscleNotFoundError as err:
            self.offer(err.suggestions)
            if err.ambiguous and err.suggestions:
                text = f"{name!r} fits {len(err.suggestions)} muscles: choose one."
                self.status.value = message(text, "info")
                self.map.message = f"info|{text}"
                return None
            self.map.message = f"error|{err.args[0] if err.args else err}"
            raise
        if not keep_choices:
            self.offer([])
        self.muscle_id = muscle_id
        self.status.value = ""  # the map's title says what is shown, in the browser at once
        self.map.message = ""
        return muscle_id

    def offer(self, names: list[str]) -> None:
        """Offer these muscles (display names or ids) as buttons to choose from; none hides the buttons."""
        ids = dict(zip(self.atlas.muscles["name"], self.atlas.muscles.index))
        self.map.offers = [ids.get(n, n) for n in names if n in ids or n in self.atlas.muscles.index]

    def _redraw(self) -> None:
        if self.map.side != self.side:
            self.map.side = self.side
        if self.muscle_id is None:
            return
        if self.map.muscle != self.muscle_id:
            self.map.tp = None
            self.map.muscle = self.muscle_id
        cards = self.__dict__.setdefault("_cards", {})
        if self.muscle_id not in cards:
            cards[self.muscle_id] = muscle_card(self.atlas, self.muscle_id)
        self.card.value = cards[self.muscle_id]

    def save_html(self, path, overwrite: bool = False):
        """One offline page of this explorer that works with no Python running (a course page, an LMS).

        Choosing a muscle by name or from the list, its side, trigger point and window all work in the
        page; the card of every muscle is in it. Nothing is fetched from the network. The page opens on
        the muscle and side shown now. An existing file is kept unless ``overwrite``.
        """
        from dnviz.widgets.offline import page_html, write_page

        cards = self.__dict__.setdefault("_cards", {})
        for muscle_id in self.atlas.muscles.index:
            if muscle_id not in cards:
                cards[muscle_id] = muscle_card(self.atlas, muscle_id)
        state = {"muscle": self.map.muscle, "side": self.map.side, "window": self.map.window}
        title = "dnviz: muscles, trigger points and referral zones"
        return write_page(path, page_html(self.atlas, "muscles", state, {"cards": cards}, title), overwrite)

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.map.message = f"error|{text}"

    def present(self, on: bool = True) -> None:
        """Sizes for projecting, through the map's one setting."""
        self.map.present(on)


def explore_muscles(atlas: Atlas, muscle: str | None = None, theme: str = "screen") -> MuscleExplorer:
    """Search a muscle by any name; see its trigger points, essential and spillover zones and its card."""
    return MuscleExplorer(atlas, muscle=muscle, theme=theme)

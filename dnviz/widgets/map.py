"""The explorers' body map, drawn in the browser as SVG from the scene (anywidget).

:class:`MapData` carries the scene's pieces for every muscle (:func:`dnviz.scene.bundle.map_bundle`)
to the page once per atlas, however many maps the page holds. :class:`BodyMap` holds only state in
traitlets, synced both ways: choosing a muscle, a side or a trigger point, hovering or clicking a
region repaints in the browser at once; Python hears the result (``muscle``, ``marked``,
``last_click``) and does what needs Python (ranking candidates, the needle check, scoring).

>>> import dnviz
>>> from dnviz.widgets.map import BodyMap
>>> m = BodyMap(dnviz.load_atlas(), muscle="upper trap")
>>> m.muscle, m.side, m.window
('upper_trapezius', 'right', 'auto')
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets
from ipywidgets import widget_serialization

from dnviz._constants import DISCLAIMER
from dnviz.scene.bundle import browser_bundle, map_bundle, per_atlas
from dnviz.scene.windows import NAMED
from dnviz.themes import Theme, get_theme

ESM = Path(__file__).with_name("map.js")
MAP_WINDOWS = ("auto", "whole", "whole_all", *NAMED)
MODES = ("pattern", "pain", "point")
SCREEN_SIZE = (760, 620)  # the map's largest width and height in px on a laptop (1400 x 900)
PRESENT_SIZE = (1300, 560)  # projected at 1920 x 1080: the map, its controls and legend on the first screen


#: Each map's own front end: a loader that imports the map's module from its MapData, once per page.
#: (anywidget sends every model's ``_esm``; the 45 KB module itself travels once, with the data.)
LOADER = """// dnviz-map-loader: import the map module once per page from the shared MapData model
const SHARED = (globalThis.__dnvizMap = globalThis.__dnvizMap || new Map());
async function load(model) {
  const id = String(model.get("data")).replace(/^IPY_MODEL_/, "");
  if (!SHARED.has(id)) {
    SHARED.set(id, model.widget_manager.get_model(id).then(async (data) => {
      const url = URL.createObjectURL(new Blob([data.get("esm")], { type: "text/javascript" }));
      return { module: await import(url), bundle: data.get("bundle") };
    }));
  }
  return SHARED.get(id);
}
export default {
  async render({ model, el }) {
    const { module, bundle } = await load(model);
    return module.createMap(model, el, bundle);
  },
};
"""


class MapData(anywidget.AnyWidget):
    """The map's module and the scene's pieces for every muscle and view, sent to the page once (one per atlas)."""

    _esm = "export default {};"
    bundle = traitlets.Dict().tag(sync=True)
    esm = traitlets.Unicode(help="The map's ES module (map.js), imported once per page by every map.").tag(sync=True)


def map_data(atlas) -> MapData:
    """The one :class:`MapData` of an atlas in this kernel (made on first use)."""
    memo = per_atlas(atlas)
    data = memo.get("data")
    if data is None or getattr(data, "comm", None) is None:
        bundle = browser_bundle(atlas)
        data = MapData(bundle=bundle, esm=ESM.read_text(encoding="utf-8"))
        memo["data"] = data
    return data


def theme_style(theme: Theme) -> dict:
    """The theme's colours for the browser map."""
    high, caution, _ = theme.safety_colours
    return {
        "colour": theme.colour(0),
        "skin": theme.skin,
        "outline": theme.outline,
        "skeleton": theme.skeleton,
        "region_line": theme.region_line,
        "pain": theme.pain_colour,
        "cross": theme.tp_colour,
        "muscle": theme.muscle_line,
        "high": high,
        "caution": caution,
    }


class BodyMap(anywidget.AnyWidget):
    """A body map drawn in the browser from the scene; state in traitlets, synced both ways."""

    _esm = LOADER
    data = traitlets.Instance(MapData).tag(sync=True, **widget_serialization)
    muscle = traitlets.Unicode("", help="The muscle shown (id; '' for none).").tag(sync=True)
    side = traitlets.Enum(["right", "left", "both"], default_value="right").tag(sync=True)
    tp = traitlets.Int(None, allow_none=True, help="One trigger point's number, or None for all.").tag(sync=True)
    window = traitlets.Enum(MAP_WINDOWS, default_value="auto").tag(sync=True)
    mode = traitlets.Enum(
        MODES, default_value="pattern", help="What a click does: nothing, mark pain, or a point."
    ).tag(sync=True)
    marked = traitlets.List(help="Marked painful regions as [region_id, side] pairs.").tag(sync=True)
    shade = traitlets.List(help="[region_id, side, level 0-4] rows shaded under the pattern.").tag(sync=True)
    safety = traitlets.Bool(False, help="Draw the lung's risk tiers and the danger zones.").tag(sync=True)
    site = traitlets.Dict(None, allow_none=True, help="A needle site: {view, x, y, name} in plot cm.").tag(sync=True)
    pins = traitlets.List(help="Points to mark: {view, x, y, name, answer, to}.").tag(sync=True)
    layers = traitlets.Dict(help="Layers to hide: {'zones': False, 'tps': False, 'outline': False}.").tag(sync=True)
    hide_names = traitlets.Bool(False, help="Hide the muscle's name from hover texts (a quiz).").tag(sync=True)
    last_click = traitlets.Dict(help="The last click: {view, x, y, region, side, n}, set by the browser.").tag(
        sync=True
    )
    title = traitlets.Unicode("").tag(sync=True)
    disclaimer = traitlets.Unicode(DISCLAIMER).tag(sync=True)
    colours = traitlets.Dict(help="The theme's colours (a trait named style would clash with ipywidgets' own).").tag(
        sync=True
    )
    font_px = traitlets.Int(14).tag(sync=True)
    cross_px = traitlets.Int(16).tag(sync=True)
    width_px = traitlets.Int(760).tag(sync=True)
    height_px = traitlets.Int(620).tag(sync=True)
    animate = traitlets.Bool(True).tag(sync=True)
    controls = traitlets.List(help="Controls drawn beside the map: search, area, browse, side, tp, window.").tag(
        sync=True
    )
    offers = traitlets.List(help="Muscle ids offered as buttons (a group name, a near miss).").tag(sync=True)
    message = traitlets.Unicode("", help="A line beside the controls: 'kind|text' (kind info or error).").tag(sync=True)
    query = traitlets.Unicode("", help="A name typed that the browser could not resolve: 'n|text'.").tag(sync=True)

    def __init__(self, atlas, muscle: str | None = None, theme: str | Theme = "screen", **kwargs):
        self.atlas = atlas
        th = get_theme(theme)
        kwargs.setdefault("colours", theme_style(th))
        presenting = th.name == "present"
        kwargs.setdefault("font_px", 24 if presenting else 14)
        kwargs.setdefault("cross_px", 28 if presenting else 16)
        kwargs.setdefault("width_px", PRESENT_SIZE[0] if presenting else SCREEN_SIZE[0])
        kwargs.setdefault("height_px", PRESENT_SIZE[1] if presenting else SCREEN_SIZE[1])
        if muscle:
            kwargs["muscle"] = atlas.find_muscle(muscle).name
        super().__init__(data=map_data(atlas), **kwargs)

    @traitlets.validate("muscle")
    def _valid_muscle(self, proposal):
        value = proposal["value"] or ""
        if value and value not in self.atlas.muscles.index:
            value = self.atlas.find_muscle(value).name  # any name; an unknown one raises MuscleNotFoundError
        return value

    @traitlets.validate("tp")
    def _valid_tp(self, proposal):
        value = proposal["value"]
        if value is None:
            return None
        numbers = {int(n) for n in map_bundle(self.atlas)["muscles"].get(self.muscle, {}).get("tps", {})}
        if value not in numbers:
            raise traitlets.TraitError(
                f"tp must be one of {sorted(numbers)} for {self.muscle or 'no muscle'}, not {value!r}"
            )
        return value

    def present(self, on: bool = True) -> None:
        """Sizes for projecting: fonts 24 px, crosses 28 px, a larger map."""
        self.font_px, self.cross_px = (24, 28) if on else (14, 16)
        self.width_px, self.height_px = PRESENT_SIZE if on else SCREEN_SIZE

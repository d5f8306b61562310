"""A muscle's pattern merged into fixed slots (one trace per view and layer), for in-place updates."""

from __future__ import annotations

from dnviz.atlas import Atlas
from dnviz.plotting.render import cross_marker, esc, label
from dnviz.scene import frame_request
from dnviz.scene.pattern import pattern_shapes
from dnviz.themes import Theme, get_theme
from dnviz.vocabulary import VIEWS
from dnviz.vocabulary import sides as _sides

SLOT_LAYERS = ("zone-spillover", "zone-essential", "trigger-points")


def pattern_slots(
    atlas: Atlas,
    muscle: str | None,
    view: str = "both",
    side: str = "right",
    theme: str | Theme = "screen",
    hide_names: bool = False,
) -> dict[tuple[str, str], dict]:
    """A muscle's pattern merged into fixed slots, one trace per (view, layer), for in-place updates.

    The explorers create these slots once and then only change their data, so a new muscle never
    rebuilds the figure. ``muscle=None`` gives empty slots; ``hide_names`` hides the muscle's name
    from hover labels (for the quiz). The slots draw whole views side by side.
    """
    th = get_theme(theme)
    panels = frame_request(atlas, view, window="whole")["panels"]
    muscle_ids = [atlas.find_muscle(muscle).name] if muscle else []
    zones, crosses = pattern_shapes(atlas, panels, muscle_ids, _sides(side))
    colour = th.colour(0)
    slots: dict[tuple[str, str], dict] = {}
    # one slot per view of the vocabulary: a view the whole figure does not draw (a lateral view) stays empty
    for v in [*panels, *(v for v in VIEWS if v not in panels)]:
        for layer in SLOT_LAYERS:
            parts = [s for s in zones + crosses if s["role"] == layer and s["view"] == v]
            xs: list = []
            ys: list = []
            text: list = []
            for s in parts:
                if layer == "trigger-points":
                    xs += s["x"]
                    ys += s["y"]
                    text += [
                        "Trigger point"
                        if hide_names
                        else "<b>" + label(h[0]) + "</b><br>" + "<br>".join(label(x) for x in h[1:])
                        for h in s["hover"]
                    ]
                else:
                    xs += [*s["x"], None]
                    ys += [*s["y"], None]
            regions = sorted(
                {
                    f"{s['meta']['side']} {atlas.regions.at[s['meta']['region_id'], 'name'].lower()}"
                    for s in parts
                    if layer != "trigger-points"
                }
            )
            kind = layer.removeprefix("zone-")
            trace = dict(
                type="scatter", x=xs, y=ys, mode="lines", showlegend=False, meta={"layer": f"slot-{layer}", "view": v}
            )
            if layer == "trigger-points":
                trace.update(
                    mode="markers",
                    text=text,
                    hovertemplate="%{text}<extra></extra>",
                    name="Trigger points",
                    marker=cross_marker(th),
                )
            else:
                name = f"{kind.title()} zones: " + (", ".join(regions) if regions else "none")
                trace.update(fill="toself", hoveron="fills", name=esc(name), line=dict(color=colour, width=0.8))
                if kind == "essential":
                    trace.update(fillcolor=colour, opacity=th.essential_opacity)
                else:
                    trace.update(
                        fillcolor="rgba(255,255,255,0)",
                        fillpattern=dict(shape=th.spillover_pattern, fgcolor=colour, size=7, solidity=0.45),
                    )
            slots[(v, layer)] = trace
    return slots

"""Safety overlays as shapes: risk tiers, pleura and lung lines, the apex band, danger zones, their names.

The geometry comes from :mod:`dnviz.safety` (shapely only); this module only says what to draw.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from dnviz import safety as sg
from dnviz.scene.coords import Panel, plot_xy, polygon_xy
from dnviz.scene.shapes import shape, view_sides

#: Legend entries: (style role, text).
LEGEND = (
    ("safety-high", "Lung or heart at risk, no reliable bony backstop, incl. lower sternum (high)"),
    ("safety-caution", "Lung under scapula or upper sternum; bone can be defective (caution)"),
    ("safety-pleura", "Pleura (solid) and lung edge (dashed)"),
    ("danger-zone", "Other danger zones"),
)


def _wrap(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _cited(atlas, fact_ids) -> str:
    """Fact statements wrapped for a hover label, each with its fact id (a missing id is skipped)."""
    facts = atlas.facts
    parts = [f"{facts.at[f, 'statement']} ({f})" for f in fact_ids if f in facts.index]
    return "".join("\n" + _wrap(part) for part in parts)


def _has(view: str) -> bool:
    """Whether the safety recipes know this view (the front, the back and the lateral views)."""
    from dnviz import geometry as geo

    return view in ("anterior", "posterior", *geo.LATERAL_VIEWS)


def _zones_on(atlas, view: str):
    """Danger zones drawn on a view: its own, and on a lateral view those seen from the side."""
    zones = atlas.danger_zones
    return zones if view not in ("anterior", "posterior") else zones[zones["view"] == view]


def _label(view, panel, polygon, text, role="safety-label", **meta) -> dict | None:
    if polygon.is_empty:
        return None
    point = polygon.representative_point()
    xs, ys = plot_xy(view, [(point.x, point.y)], panel)
    return shape(role, "text", view, xs, ys, text, text=[text], meta=meta)


def safety_shapes(atlas, panels: Mapping[str, Panel], label_side: str = "right") -> list[dict]:
    """Every safety overlay of the views in ``panels``, with names on the figure and legend entries."""
    tiers = atlas.safety_tiers
    out: list[dict] = []
    labels: list[dict] = []

    def area(view, polygon, name, role, side, **extra):
        if not polygon.is_empty:
            xs, ys = polygon_xy(view, polygon, panels[view])
            out.append(shape(role, "area", view, xs, ys, name, meta={"side": side}, **extra))

    for view, panel in panels.items():
        sides = view_sides(view)
        named = label_side if label_side in sides else sides[0]
        if _has(view):
            for side in sides:
                zones = sg.risk_zones(view, side)
                for tier in ("high", "caution"):
                    caveat = _cited(atlas, sg.BONE_CAVEATS.get(view, ())) if tier == "caution" else ""
                    text = _wrap(f"{side.title()} side: {tiers.at[tier, 'name']}") + caveat
                    area(view, zones[tier], text, f"safety-{tier}", side)
                    if side == named:
                        word = "Lung: high risk" if tier == "high" else "Lung under bone: caution"
                        labels.append(_label(view, panel, zones[tier], word, tier=tier))
                area(
                    view,
                    sg.pleural_recess(view, side),
                    f"{side.title()} pleural recess: the lung's edge moves here with breathing "
                    f"({sg.LUNG_EXCURSION_CM[0]:g} to {sg.LUNG_EXCURSION_CM[1]:g} cm between extremes)",
                    "safety-recess",
                    side,
                )
                if view == "anterior":
                    area(
                        view,
                        sg.lower_sternum(side),
                        f"{side.title()} lower sternum (high): bone here is no reliable backstop"
                        f"{_cited(atlas, sg.LOWER_STERNUM_FACTS)}",
                        "safety-sternum",
                        side,
                    )
                    area(
                        view,
                        sg.apex_band(side),
                        f"{side.title()} lung apex: usually about {sg.APEX_TYPICAL_CM:g} cm above the clavicle, "
                        f"anywhere from {sg.APEX_RANGE_CM[0]:g} to {sg.APEX_RANGE_CM[1]:g} cm",
                        "safety-apex",
                        side,
                    )
                for role, polygon, name in (
                    ("safety-pleura", sg.pleura(view, side), "Pleura"),
                    ("safety-lung", sg.lung(view, side), "Lung edge at quiet breathing"),
                ):
                    xs, ys = polygon_xy(view, polygon, panel)
                    out.append(shape(role, "lines", view, xs, ys, name, meta={"side": side}))
        for zone_id, zone in _zones_on(atlas, view).iterrows():
            for side in sides:
                polygon = sg.danger_zone_shape(atlas, zone_id, side, view)
                if polygon.is_empty:
                    continue
                area(
                    view,
                    polygon,
                    f"{zone['name']} ({zone['tier_id']}): {zone['what_it_means']}",
                    "danger-zone",
                    side,
                    tier=str(zone["tier_id"]),
                )
                if side == named:
                    labels.append(_label(view, panel, polygon, str(zone["name"]), "danger-label", zone_id=zone_id))
    out += [label for label in labels if label]
    out += [shape("legend", "legend", None, [None], [None], text, style=role) for role, text in LEGEND]
    return out

"""The scene's vocabulary: a shape is a plain dict with a style role, in plot coordinates.

Every shape has ``role`` (what it is, which decides its style: ``"body"``, ``"zone-essential"``,
``"trigger-points"``, ...), ``geometry`` (``"area"``, ``"lines"``, ``"points"`` or ``"text"``),
``x`` and ``y`` (plot coordinates, ``None`` between parts), ``name`` (plain text, never markup),
and ``meta`` (the role as ``layer``, the view, and ids: side, region, muscle, trigger point).
Points and text carry ``text`` (one plain string per point) and points may carry ``hover`` (a list
of lines per point). A renderer escapes the text for its own markup; the scene never does.
"""

from __future__ import annotations

from dnviz.vocabulary import SIDES


def shape(role: str, geometry: str, view: str | None, x: list, y: list, name: str = "", **fields) -> dict:
    """One shape of the scene (see the module docstring)."""
    meta = {"layer": role, **({"view": view} if view else {}), **fields.pop("meta", {})}
    return {"role": role, "geometry": geometry, "view": view, "x": x, "y": y, "name": name, "meta": meta, **fields}


def view_sides(view: str) -> tuple[str, ...]:
    """The sides of the body a view shows: both from the front or back, one from the side."""
    from dnviz import geometry as geo

    if hasattr(geo, "view_sides"):
        return geo.view_sides(view)
    for side in SIDES:  # pragma: no cover - geometry without lateral views
        if view.endswith(f"_{side}"):
            return (side,)
    return SIDES


def side_word(side: str) -> str:
    return "Left" if side == "left" else "Right"


VIEW_TITLES = {
    "anterior": "Anterior view",
    "posterior": "Posterior view",
    "lateral_right": "Right lateral view",
    "lateral_left": "Left lateral view",
}


#: The short names of the views, where a long title does not fit (a narrow panel, a small multiple).
SHORT_VIEW_TITLES = {
    "anterior": "Front",
    "posterior": "Back",
    "lateral_right": "Right side",
    "lateral_left": "Left side",
}


def view_title(view: str) -> str:
    """A view's title as a figure shows it above the view."""
    return VIEW_TITLES.get(view, view.replace("_", " ").capitalize() + " view")

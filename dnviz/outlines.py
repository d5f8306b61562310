"""Muscle outlines: each muscle drawn under its pattern, from landmarks and offsets.

The table ``data/muscle_outlines.csv`` has one row per vertex: ``muscle_id, view, part, seq,
landmark_id, dx_cm, dy_cm, deep, source_ids``.  Each (muscle, view, part) is one closed ring whose
vertices are offsets from body landmarks, computed exactly like trigger points
(:func:`dnviz.geometry.offset_point`: on the trunk and head ``dx`` is lateral and ``dy`` cranial; on
a limb they follow the limb).  A better body template therefore moves every outline with it.

Only the left side is stored; the right side is the mirror image, as for the rest of the geometry.

Examples
--------
>>> import dnviz
>>> from dnviz.outlines import muscle_outline, muscle_outlines
>>> atlas = dnviz.load_atlas()
>>> muscle_outline(atlas, "upper_trapezius", "posterior", "left").is_valid
True
>>> [(o.view, o.part, o.deep) for o in muscle_outlines(atlas, "upper_trapezius", "left")]
[('posterior', 'main', False), ('lateral_left', 'main', False)]
>>> [o.deep for o in muscle_outlines(atlas, "scalenes", "right", views=["lateral_right"])]
[True]
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union

from dnviz import geometry as geo
from dnviz.vocabulary import SIDES, check_choice

__all__ = ["Outline", "muscle_outline", "muscle_outlines", "ring_points"]

Area = Polygon | MultiPolygon


@dataclass(frozen=True)
class Outline:
    """One closed ring of a muscle on one view and side.

    Attributes
    ----------
    muscle_id, view, part : str
        ``part`` is ``"main"`` or the head/belly the ring outlines.
    side : {"left", "right"}
    deep : bool
        The part lies under another muscle in this view (draw it dashed, labelled deep).
    polygon : shapely.geometry.Polygon
        Body coordinates (cm; x toward the patient's left, y above the soles).
    source_ids : tuple of str
        The sources cited by the ring's rows.
    """

    muscle_id: str
    view: str
    part: str
    side: str
    deep: bool
    polygon: Polygon
    source_ids: tuple[str, ...]


Vertex = tuple[str, float, float]  # (landmark_id, dx_cm, dy_cm)

_RINGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def ring_points(view: str, vertices: Iterable[Vertex], side: str = "left") -> list[tuple[float, float]]:
    """Body coordinates of a ring's vertices (landmark + offset each), in order.

    Parameters
    ----------
    view : str
        A view of the body geometry.
    vertices : iterable of (landmark_id, dx_cm, dy_cm)
    side : {"left", "right"}
    """
    return [geo.offset_point(view, lm, side, float(dx), float(dy)) for lm, dx, dy in vertices]


def _rings(atlas) -> dict[str, list[tuple[str, str, bool, tuple[Vertex, ...], tuple[str, ...]]]]:
    """muscle_id -> [(view, part, deep, vertices, source_ids)], built once per atlas."""
    try:
        return _RINGS[atlas]
    except (KeyError, TypeError):
        pass
    frame = atlas.muscle_outlines
    out: dict[str, list] = {}
    if len(frame):
        frame = frame.sort_values(["muscle_id", "view", "part", "seq"])
        for (muscle, view, part), rows in frame.groupby(["muscle_id", "view", "part"], sort=False, observed=True):
            vertices = tuple(zip(rows["landmark_id"], rows["dx_cm"], rows["dy_cm"]))
            deep = bool((rows["deep"].astype(str) == "yes").any())
            sources = tuple(dict.fromkeys(s for cell in rows["source_ids"] for s in cell))
            out.setdefault(str(muscle), []).append((str(view), str(part), deep, vertices, sources))
    try:
        _RINGS[atlas] = out
    except TypeError:
        pass
    return out


def muscle_outlines(atlas, muscle_id: str, side: str = "left", views: Iterable[str] | None = None) -> list[Outline]:
    """Every outline ring of a muscle (all its views and parts), with its deep flag.

    Parameters
    ----------
    atlas : dnviz.Atlas
    muscle_id : str
        A muscle id of the atlas (``atlas.find_muscle(name).name`` gives it from a name).
    side : {"left", "right"}
        A lateral view shows one side only: ``"lateral_left"`` gives outlines for ``side="left"``.
    views : iterable of str, optional
        Keep only these views (default: every view the muscle has an outline on). An outline
        stored on one lateral view is also given on the other (the plot mirrors it).

    Returns
    -------
    list of Outline
        In view, then part order; empty when the muscle has no outline.
    """
    check_choice("side", side, SIDES)
    check_choice("muscle_id", muscle_id, list(atlas.muscles.index))
    keep = None if views is None else set(views)
    lateral = getattr(geo, "LATERAL_VIEWS", ())
    rings = _rings(atlas).get(muscle_id, [])
    stored = {ring[0] for ring in rings}
    out = []
    for view, part, deep, vertices, sources in rings:
        # a profile drawn on one lateral view serves the other too (its mirror image) unless it has its own
        targets = [view] + [v for v in lateral if view in lateral and v != view and v not in stored]
        for target in targets:
            if keep is not None and target not in keep:
                continue
            if target in lateral:
                if side not in geo.view_sides(target):
                    continue  # a lateral view shows one side only
                points = ring_points(view, vertices, geo.view_sides(view)[0])
            else:
                points = ring_points(view, vertices, side)
            out.append(Outline(muscle_id, target, part, side, deep, Polygon(points), sources))
    return out


def muscle_outline(atlas, muscle_id: str, view: str, side: str = "left") -> Area | None:
    """The outline of a muscle on one view and side, or None when it is not drawn there.

    Parameters
    ----------
    atlas : dnviz.Atlas
    muscle_id : str
    view : str
        A view of the body geometry (``dnviz.geometry.load_body().views``).
    side : {"left", "right"}

    Returns
    -------
    shapely.geometry.Polygon or None
        None also for the side a lateral view does not show.  The union of the muscle's parts on that view (a MultiPolygon when its parts lie apart,
        as the two bellies of digastric), in body coordinates.
    """
    check_choice("view", view, list(geo.load_body().views))
    parts = [o.polygon for o in muscle_outlines(atlas, muscle_id, side, views=[view])]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else unary_union(parts)

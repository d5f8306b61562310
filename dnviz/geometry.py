"""Body geometry for the dnviz atlas: outline, regions, landmarks and skeleton.

The data live in ``data/geometry/body.json`` (``dnviz/data/geometry/body.json`` in a wheel),
written by ``scripts/derive_geometry.py``.  Everything is stored for the patient's LEFT side in
*body coordinates*: x = cm from the midline toward the patient's left, y = cm above the
soles.  The right side is the mirror image (x -> -x).  Use :func:`to_plot_x` to turn a
body x into the horizontal plot coordinate of a view.

The lateral views (``"lateral_right"``, ``"lateral_left"``) show one side of the body in profile,
with the arm left out below the shoulder.  Their x is ``u``, cm anterior (the face has u > 0),
and each shows only its own side (:func:`view_sides`); the left lateral view is the mirror
image of the right one (:func:`to_plot_x`).  A trigger point is drawn on every view where its
skin is seen: :func:`tp_position` lifts it onto the mesh's skin with a coarse depth map.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from shapely.affinity import scale
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union

from dnviz._paths import data_dir
from dnviz.vocabulary import SIDES, VIEWS, check_choice

Point = tuple[float, float]
Area = Polygon | MultiPolygon

__all__ = [
    "LATERAL_VIEWS",
    "Body",
    "View",
    "landmark",
    "load_body",
    "region_polygon",
    "skeleton",
    "to_plot_x",
    "tp_position",
    "tp_positions",
    "view_sides",
]

#: The profile views; each shows one side of the body.
LATERAL_VIEWS: tuple[str, ...] = ("lateral_right", "lateral_left")


@dataclass(frozen=True)
class View:
    """Geometry of one view (left side, body coordinates).

    Attributes
    ----------
    landmarks : Mapping[str, Point]
        Landmark id -> (x, y).
    regions : Mapping[str, Area]
        Leaf region id -> polygon (or multipolygon).
    region_groups : Mapping[str, tuple[str, ...]]
        Group id (e.g. ``"trunk"``) -> the leaf regions it contains in this view.
    skeleton : Mapping[str, tuple[Point, ...]]
        Bone / landmark-line name -> polyline.
    reference_lines : Mapping[str, tuple[Point, ...]]
        Surface-anatomy reference lines (midclavicular, midaxillary, ...).
    """

    landmarks: Mapping[str, Point]
    regions: Mapping[str, Area]
    region_groups: Mapping[str, tuple[str, ...]]
    skeleton: Mapping[str, tuple[Point, ...]]
    reference_lines: Mapping[str, tuple[Point, ...]]


@dataclass(frozen=True)
class Body:
    """The whole body geometry.

    Attributes
    ----------
    outline : Polygon
        Silhouette of the whole body (both sides), in cm.
    height_cm : float
        Body height (soles at y = 0).
    views : Mapping[str, View]
        ``"anterior"`` and ``"posterior"`` geometry.
    limb_axes : Mapping[str, tuple[Point, Point]]
        ``"arm"``, ``"forearm"``, ``"thigh"``, ``"leg"`` -> (proximal, distal) joint centre
        (left side); the limbs are posed, so "along the limb" follows these axes.
    provenance : str
        Where the geometry comes from and how it was derived.
    """

    outline: Polygon
    height_cm: float
    views: Mapping[str, View]
    limb_axes: Mapping[str, tuple[Point, Point]]
    provenance: str
    lateral_outline: Polygon | None = None
    surface: Mapping | None = None

    def view(self, view: str) -> View:
        """Return the geometry of ``view`` (one of :data:`dnviz.vocabulary.VIEWS`)."""
        return self.views[check_choice("view", view, tuple(self.views))]


def _points(raw) -> tuple[Point, ...]:
    return tuple((float(x), float(y)) for x, y in raw)


def _area(rings: list[list[list[float]]]) -> Area:
    polys = [Polygon(r) for r in rings]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


@lru_cache(maxsize=1)
def load_body() -> Body:
    """Load (once) and return the body geometry shipped with the package.

    Returns
    -------
    Body
        Frozen geometry; shapely objects must not be mutated.
    """
    text = (data_dir() / "geometry" / "body.json").read_text("utf-8")
    raw = json.loads(text)
    views: dict[str, View] = {}
    for name, v in raw["views"].items():
        views[name] = View(
            landmarks=MappingProxyType({k: (float(x), float(y)) for k, (x, y) in v["landmarks"].items()}),
            regions=MappingProxyType({k: _area(r) for k, r in v["regions"].items()}),
            region_groups=MappingProxyType({k: tuple(g) for k, g in v.get("region_groups", {}).items()}),
            skeleton=MappingProxyType({k: _points(p) for k, p in v["skeleton"].items()}),
            reference_lines=MappingProxyType({k: _points(p) for k, p in v.get("reference_lines", {}).items()}),
        )
    return Body(
        outline=Polygon(raw["outline"]),
        height_cm=float(raw["height_cm"]),
        views=MappingProxyType(views),
        limb_axes=MappingProxyType({k: _points(v) for k, v in raw.get("limb_axes", {}).items()}),
        provenance=raw["provenance"],
        lateral_outline=Polygon(raw["lateral_outline"]) if "lateral_outline" in raw else None,
        surface=MappingProxyType(raw["surface"]) if "surface" in raw else None,
    )


def view_sides(view: str) -> tuple[str, ...]:
    """The patient's sides a view shows: both on the anterior and posterior views, one on a lateral view.

    >>> view_sides("lateral_left")
    ('left',)
    """
    view = check_choice("view", view, tuple(load_body().views))
    if view in LATERAL_VIEWS:
        return (view.removeprefix("lateral_"),)
    return SIDES


def _seen(view: str, side: str) -> bool:
    return check_choice("side", side, SIDES) in view_sides(view)


def _mirror_x(x: float, side: str, view: str = "anterior") -> float:
    if view in LATERAL_VIEWS:  # a profile is not mirrored by side: each lateral view has one
        return x
    return -x if check_choice("side", side, SIDES) == "right" else x


def _need_seen(view: str, side: str) -> None:
    if not _seen(view, side):
        raise ValueError(
            f"the {side} side is not seen on the {view} view (it shows the {view_sides(view)[0]} side): "
            f"use view='lateral_{side}'"
        )


def _default_side(view: str, side: str | None) -> str:
    """``side=None``: the left on a frontal view, the view's own side on a lateral view."""
    if side is not None:
        return side
    return view.removeprefix("lateral_") if view in LATERAL_VIEWS else "left"


def landmark(view: str, landmark_id: str, side: str | None = None) -> Point:
    """Body coordinates (x, y) of a landmark on one side.

    Parameters
    ----------
    view : str
        One of :data:`dnviz.vocabulary.VIEWS` (a lateral view shows only its own side).
    landmark_id : str
        Id from ``data/landmarks_spec.csv`` available in that view.
    side : {"left", "right"}, optional
        The right side is the mirror image of the stored left side. Default: the left on the
        anterior and posterior views, the view's own side on a lateral view (asking a lateral view
        for the other side is an error: it is not seen there).

    Returns
    -------
    tuple of float
        (x, y) in cm; x < 0 on the right side (midline landmarks have x = 0); (u, y) on a lateral
        view, u cm anterior.

    Examples
    --------
    >>> landmark("anterior", "nipple", "right")[0] < 0 < landmark("anterior", "nipple", "left")[0]
    True
    >>> landmark("lateral_right", "tmj")[0] > landmark("lateral_right", "mastoid_process")[0]
    True
    """
    side = _default_side(view, side)
    v = load_body().view(view)
    x, y = v.landmarks[check_choice(f"landmark_id (in the {view} view)", landmark_id, v.landmarks)]
    _need_seen(view, side)
    return (_mirror_x(x, side, view), y)


@lru_cache(maxsize=1024)
def region_polygon(view: str, region_id: str, side: str | None = None) -> Area:
    """Polygon of a region on one side, in body coordinates.

    Parameters
    ----------
    view : str
        One of :data:`dnviz.vocabulary.VIEWS`.
    region_id : str
        A leaf region of ``data/regions.csv`` drawn in that view, or a group id
        (``"trunk"``, ``"upper_back"``, ...), which gives the union of its leaves in the view.
    side : {"left", "right"}, optional
        Default as for :func:`landmark`. The side a lateral view does not show gives an empty
        polygon (nothing to draw there).

    Returns
    -------
    shapely.geometry.Polygon or shapely.geometry.MultiPolygon
    """
    side = _default_side(view, side)
    v = load_body().view(view)
    known = set(v.regions) | set(v.region_groups)
    check_choice(f"region_id (in the {view} view)", region_id, known)
    if not _seen(view, side):  # the other side of a lateral view: nothing is drawn
        return Polygon()
    if region_id in v.regions:
        geom = v.regions[region_id]
    else:
        geom = unary_union([v.regions[r] for r in v.region_groups[region_id]])
    if check_choice("side", side, SIDES) == "right" and view not in LATERAL_VIEWS:
        geom = scale(geom, xfact=-1.0, yfact=1.0, origin=(0, 0))
    return geom


@lru_cache(maxsize=8)
def skeleton(view: str, side: str | None = None) -> dict[str, list[Point]]:
    """Skeleton polylines of a view for one side (empty for the side a lateral view does not show).

    Parameters
    ----------
    view : str
        One of :data:`dnviz.vocabulary.VIEWS`.
    side : {"left", "right"}, optional
        Default as for :func:`landmark`.

    Returns
    -------
    dict of str to list of (float, float)
        Name (``"clavicle"``, ``"rib1"`` ... ``"rib12"``, ``"scapula"``, ...) -> polyline.
    """
    side = _default_side(view, side)
    v = load_body().view(view)
    if not _seen(view, side):  # the other side of a lateral view: nothing is drawn
        return {}
    return {k: [(_mirror_x(x, side, view), y) for x, y in pts] for k, pts in v.skeleton.items()}


def to_plot_x(view: str, x: float) -> float:
    """Horizontal plot coordinate of body ``x`` in a view.

    On the anterior view the patient faces the viewer, so the patient's left appears on
    the viewer's right (plot x = +x).  On the posterior view the patient is seen from
    behind, so the patient's left appears on the viewer's left (plot x = -x).  On the right
    lateral view the viewer stands at the patient's right and the face points to the viewer's
    right (plot x = +u); the left lateral view is its mirror image (plot x = -u).

    Parameters
    ----------
    view : str
        One of :data:`dnviz.vocabulary.VIEWS`.
    x : float
        Body x (cm toward the patient's left; negative on the right side), or u (cm anterior)
        on a lateral view.

    Returns
    -------
    float
    """
    return x if check_choice("view", view, VIEWS) in ("anterior", "lateral_right") else -x


LIMB_GROUPS = {"upper_limb": ("arm", "forearm"), "lower_limb": ("thigh", "leg")}


@lru_cache(maxsize=2)
def _limb_areas(view: str) -> dict:
    """Each limb group's area (slightly grown) on the left side, prepared for fast point tests."""
    from shapely import prepare

    v = load_body().view(view)
    areas = {}
    for group in LIMB_GROUPS:
        leaves = [v.regions[r] for r in v.region_groups.get(group, ()) if r in v.regions]
        if leaves:
            area = unary_union(leaves).buffer(0.5)
            prepare(area)
            areas[group] = area
    return areas


def _limb_axis(view: str, x: float, y: float) -> tuple[Point, Point] | None:
    """(proximal, distal) ends of the limb segment a left-side point lies on, if it lies on a limb."""
    from shapely.geometry import LineString
    from shapely.geometry import Point as ShapelyPoint

    body = load_body()
    here = ShapelyPoint(x, y)
    for group, area in _limb_areas(view).items():
        if area.contains(here):
            axes = [body.limb_axes[s] for s in LIMB_GROUPS[group] if s in body.limb_axes]
            return min(axes, key=lambda ax: LineString(ax).distance(here), default=None)
    return None


@lru_cache(maxsize=4096)
def offset_point(view: str, landmark_id: str, side: str, dx: float, dy: float) -> Point:
    """A point given as an offset from a landmark, in body coordinates.

    On the trunk and head ``dx`` is lateral (away from the midline) and ``dy`` cranial (up).
    On a limb the same words follow the limb: ``dy`` runs along the limb toward its root and
    ``dx`` across it toward its outer (lateral) edge, so that "3 cm above the lateral epicondyle"
    stays on the arm whatever its pose.

    Parameters
    ----------
    view : {"anterior", "posterior"}
    landmark_id : str
    side : {"left", "right"}
    dx, dy : float
        Offsets in cm.
    """
    landmarks = load_body().view(view).landmarks
    x, y = landmarks[check_choice(f"landmark_id (in the {view} view)", landmark_id, landmarks)]
    if view in LATERAL_VIEWS:  # a profile: dx is anterior (toward the face), dy cranial
        _need_seen(view, side)
        return (x + dx, y + dy)
    axis = _limb_axis(view, x, y)
    if axis is None:
        px, py = x + dx, y + dy
    else:
        (x0, y0), (x1, y1) = axis
        length = math.hypot(x0 - x1, y0 - y1)
        ux, uy = (x0 - x1) / length, (y0 - y1) / length  # toward the limb's root
        lx, ly = (uy, -ux) if uy > 0 else (-uy, ux)  # perpendicular, toward larger x (lateral)
        if lx < 0:
            lx, ly = -lx, -ly
        px, py = x + dy * ux + dx * lx, y + dy * uy + dx * ly
    return (_mirror_x(px, side), py)


def lift_to_side(home: str, x: float, y: float) -> Point | None:
    """Where a point of a frontal view's skin appears on the lateral view of its side, if seen there.

    The point is lifted onto the mesh's skin with the coarse depth map of ``home`` (the skin
    nearest that view's viewer) and projected sideways. It is seen when the skin there faces
    the side (the lateral component of its normal is at least ``surface.facing_min``, 0.5: within
    60 degrees), is not on the arm (which the lateral views leave out) and is not hidden behind
    other skin (within ``surface.hidden_cm`` of the outermost skin on that line of sight).

    Parameters
    ----------
    home : {"anterior", "posterior"}
        The view the point is given on.
    x, y : float
        Body coordinates (either side: the side is the sign of x).

    Returns
    -------
    tuple of float or None
        (u, y) on the lateral view, or None when the point is not seen from the side.
    """
    from dnviz._surface import lift

    return lift(load_body().surface, home, x, y)


def tp_position(tp: Mapping, view: str, side: str) -> Point | None:
    """Where a trigger point is drawn on a view, on one side of the body, or None when it is not seen there.

    A trigger point is given on its home view (``tp["view"]``) as offsets from a landmark
    (:func:`offset_point`). It is drawn there, and on the lateral view of its side when its skin is
    seen from that side (:func:`lift_to_side`); never on the other frontal view. When its landmark
    is on the lateral view too, the point keeps its offset from the landmark there (the depth map
    carries the offset across), so that points and landmarks agree. Nothing is read from pixels:
    a better body template moves every position with it.

    Parameters
    ----------
    tp : mapping
        A row of ``atlas.trigger_points`` (``view``, ``landmark_id``, ``dx_cm``, ``dy_cm``).
    view : str
        One of :data:`dnviz.vocabulary.VIEWS`.
    side : {"left", "right"}

    Returns
    -------
    tuple of float or None
        (x, y) in the view's body coordinates (x < 0 on the right side of a frontal view; u, cm
        anterior, on a lateral view).

    Examples
    --------
    >>> import dnviz
    >>> atlas = dnviz.load_atlas()
    >>> tp = atlas.trigger_points.loc["upper_trapezius.tp1"]
    >>> tp_position(tp, "posterior", "left")[0] > 0, tp_position(tp, "posterior", "right")[0] < 0
    (True, True)
    """
    check_choice("view", view, tuple(load_body().views))
    check_choice("side", side, SIDES)
    home = tp["view"]
    x, y = offset_point(home, tp["landmark_id"], side, float(tp["dx_cm"]), float(tp["dy_cm"]))
    if view == home:
        return (x, y)
    if view not in LATERAL_VIEWS or not _seen(view, side):
        return None
    from dnviz._surface import carry

    body = load_body()
    anchor = body.view(view).landmarks.get(tp["landmark_id"])
    frontal = landmark(home, tp["landmark_id"], side) if anchor is not None else None
    return carry(body.surface, body.lateral_outline, home, (x, y), anchor, frontal)


def tp_positions(atlas, view: str, side: str):
    """Every trigger point seen on a view, on one side: a DataFrame (index ``tp_id``; ``x``, ``y``).

    See :func:`tp_position` for the rule. ``atlas`` is a :class:`dnviz.Atlas` (or anything with a
    ``trigger_points`` DataFrame).

    Examples
    --------
    >>> import dnviz
    >>> seen = tp_positions(dnviz.load_atlas(), "lateral_left", "left")
    >>> bool((seen["x"].abs() < 40).all())
    True
    """
    import pandas as pd

    rows = []
    for tp_id, tp in atlas.trigger_points.iterrows():
        here = tp_position(tp, view, side)
        if here is not None:
            rows.append((tp_id, *here))
    return pd.DataFrame(rows, columns=["tp_id", "x", "y"]).set_index("tp_id")

"""Body geometry for the dnviz atlas: outline, regions, landmarks and skeleton.

The data live in ``data/geometry/body.json`` (``dnviz/data/geometry/body.json`` in a wheel),
written by ``scripts/derive_geometry.py``.  Everything is stored for the patient's LEFT side in
*body coordinates*: x = cm from the midline toward the patient's left, y = cm above the
soles.  The right side is the mirror image (x -> -x).  Use :func:`to_plot_x` to turn a
body x into the horizontal plot coordinate of a view.
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

__all__ = ["Body", "View", "landmark", "load_body", "region_polygon", "skeleton", "to_plot_x"]


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

    def view(self, view: str) -> View:
        """Return the geometry of ``view`` (``"anterior"`` or ``"posterior"``)."""
        return self.views[check_choice("view", view, VIEWS)]


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
    )


def _mirror_x(x: float, side: str) -> float:
    return -x if check_choice("side", side, SIDES) == "right" else x


def landmark(view: str, landmark_id: str, side: str = "left") -> Point:
    """Body coordinates (x, y) of a landmark on one side.

    Parameters
    ----------
    view : {"anterior", "posterior"}
    landmark_id : str
        Id from ``data/landmarks_spec.csv`` available in that view.
    side : {"left", "right"}
        The right side is the mirror image of the stored left side.

    Returns
    -------
    tuple of float
        (x, y) in cm; x < 0 on the right side (midline landmarks have x = 0).
    """
    v = load_body().view(view)
    x, y = v.landmarks[check_choice(f"landmark_id (in the {view} view)", landmark_id, v.landmarks)]
    return (_mirror_x(x, side), y)


@lru_cache(maxsize=1024)
def region_polygon(view: str, region_id: str, side: str = "left") -> Area:
    """Polygon of a region on one side, in body coordinates.

    Parameters
    ----------
    view : {"anterior", "posterior"}
    region_id : str
        A leaf region of ``data/regions.csv`` drawn in that view, or a group id
        (``"trunk"``, ``"upper_back"``, ...), which gives the union of its leaves in the view.
    side : {"left", "right"}

    Returns
    -------
    shapely.geometry.Polygon or shapely.geometry.MultiPolygon
    """
    v = load_body().view(view)
    known = set(v.regions) | set(v.region_groups)
    check_choice(f"region_id (in the {view} view)", region_id, known)
    if region_id in v.regions:
        geom = v.regions[region_id]
    else:
        geom = unary_union([v.regions[r] for r in v.region_groups[region_id]])
    if check_choice("side", side, SIDES) == "right":
        geom = scale(geom, xfact=-1.0, yfact=1.0, origin=(0, 0))
    return geom


@lru_cache(maxsize=8)
def skeleton(view: str, side: str = "left") -> dict[str, list[Point]]:
    """Skeleton polylines of a view for one side.

    Parameters
    ----------
    view : {"anterior", "posterior"}
    side : {"left", "right"}

    Returns
    -------
    dict of str to list of (float, float)
        Name (``"clavicle"``, ``"rib1"`` ... ``"rib12"``, ``"scapula"``, ...) -> polyline.
    """
    v = load_body().view(view)
    check_choice("side", side, SIDES)
    return {k: [(_mirror_x(x, side), y) for x, y in pts] for k, pts in v.skeleton.items()}


def to_plot_x(view: str, x: float) -> float:
    """Horizontal plot coordinate of body ``x`` in a view.

    On the anterior view the patient faces the viewer, so the patient's left appears on
    the viewer's right (plot x = +x).  On the posterior view the patient is seen from
    behind, so the patient's left appears on the viewer's left (plot x = -x).

    Parameters
    ----------
    view : {"anterior", "posterior"}
    x : float
        Body x (cm toward the patient's left; negative on the right side).

    Returns
    -------
    float
    """
    return x if check_choice("view", view, VIEWS) == "anterior" else -x


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

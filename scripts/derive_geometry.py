#!/usr/bin/env python3
"""Derive the dnviz body geometry (``data/geometry/body.json``).

The silhouette is the orthographic x-y projection of the skin (group ``body``) of the
MakeHuman hm08 base mesh (CC0 1.0), scaled to a 175 cm body with the soles at y = 0,
made exactly left-right symmetric and simplified.  Joint markers of the mesh (``joint-*``
groups) give the shoulder, elbow, wrist, hip, knee and ankle centres, which define limb
frames.  On top of that, a hand-built schematic places anatomical landmarks, region
polygons and a light skeleton (clavicle, sternum, ribs, scapula, spinous processes,
iliac crest) using textbook surface-anatomy relations (vertebral levels, rib levels,
reference lines).

Coordinates: x = cm from the midline toward the patient's LEFT, y = cm above the soles.
Only the left side is stored; consumers mirror x -> -x for the right side.  The anterior and
posterior views are stored in body coordinates (the posterior view is *not* mirrored here).

The lateral views come from the same mesh: the skin with the arm cut off below the shoulder
(``ARM_CUT_T``) projected onto the sagittal (z-y) plane, u = cm anterior.  Their landmarks
are the frontal ones lifted onto the skin with depth maps (:class:`Surface`) and kept where
the skin faces the side and is not hidden; the side of the head is placed from the ear.  Their
regions reuse the ids of the frontal leaf regions they show.  The depth maps are stored too,
coarsely, so that ``dnviz.geometry.tp_position`` places trigger points on the lateral views.

Specs read: ``data/regions.csv`` (the ``view`` of a leaf is its home view, which must draw it;
other views may draw it too) and ``data/landmarks_spec.csv`` (``view`` is a ``|`` list of the
views that carry the landmark; ``both`` means anterior and posterior).

Usage (the mesh is committed, gzipped, in ``data/geometry/source/`` with its CC0 license, and
kept out of the wheel; ``--mesh`` also takes an uncompressed ``.obj``)::

    python scripts/derive_geometry.py            # writes data/geometry/body.json
    python scripts/derive_geometry.py --out /tmp/body.json

The script is deterministic.  It needs numpy and shapely >= 2.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.ops import split, unary_union

Pt = tuple[float, float]

BODY_HEIGHT_CM = 175.0
GRID = 0.1  # output precision (cm)
OUTLINE_TOLERANCE = 0.05  # Douglas-Peucker tolerance for the outline (cm)
MESH_SOURCE = (
    "MakeHuman hm08 base mesh (makehumancommunity/makehuman, commit "
    "a8bc2d54ff0ac92e78ff71431b1023eda42bf482, file makehuman/data/3dobjs/base.obj), "
    "CC0 1.0"
)
REPO = Path(__file__).resolve().parents[1]
DEFAULT_MESH = REPO / "data" / "geometry" / "source" / "makehuman-hm08-base.obj.gz"

# --------------------------------------------------------------------------------------
# mesh
# --------------------------------------------------------------------------------------


def load_obj(path: Path) -> tuple[np.ndarray, dict[str, list[list[int]]]]:
    """Read vertices and faces (grouped by ``g`` name) of a Wavefront OBJ file."""
    verts: list[list[float]] = []
    groups: dict[str, list[list[int]]] = defaultdict(list)
    group = "default"
    opener = gzip.open if Path(path).suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("v "):
                verts.append([float(t) for t in line.split()[1:4]])
            elif line.startswith("g "):
                group = line.split()[1]
            elif line.startswith("f "):
                groups[group].append([int(t.split("/")[0]) - 1 for t in line.split()[1:]])
    return np.asarray(verts), groups


def project_silhouette(verts: np.ndarray, faces: Sequence[Sequence[int]]) -> Polygon:
    """Union of the faces projected onto the x-y plane (front view), without holes."""
    tris = []
    for face in faces:
        for k in range(1, len(face) - 1):
            tri = Polygon(verts[[face[0], face[k], face[k + 1]], :2])
            if tri.area > 1e-9:
                tris.append(tri)
    union = unary_union(tris)
    if isinstance(union, MultiPolygon):
        union = max(union.geoms, key=lambda g: g.area)
    return Polygon(union.exterior)


class MeshFrame:
    """Scale and offset that map mesh units (dm) to body centimetres."""

    def __init__(self, ymin: float, ymax: float) -> None:
        self.ymin = ymin
        self.scale = BODY_HEIGHT_CM / (ymax - ymin)

    def xy(self, p: Sequence[float]) -> Pt:
        return (p[0] * self.scale, (p[1] - self.ymin) * self.scale)

    def geom(self, g):
        g = affinity.translate(g, 0.0, -self.ymin)
        return affinity.scale(g, self.scale, self.scale, origin=(0, 0))


def body_outline(verts: np.ndarray, groups) -> tuple[Polygon, MeshFrame]:
    """Symmetric, simplified outline in cm (both sides) and the mesh frame."""
    raw = project_silhouette(verts, groups["body"])
    frame = MeshFrame(raw.bounds[1], raw.bounds[3])
    cm = frame.geom(raw)
    left = cm.intersection(box(0, -10, 200, 300))
    full = unary_union([left, affinity.scale(left, -1, 1, origin=(0, 0))])
    if isinstance(full, MultiPolygon):
        full = max(full.geoms, key=lambda g: g.area)
    full = Polygon(full.exterior).simplify(OUTLINE_TOLERANCE)
    full = shapely.set_precision(full, GRID)
    # re-symmetrise after snapping so that the stored ring is exactly mirror-symmetric
    left = inter(full, box(0, -10, 200, 300))
    full = shapely.union(left, affinity.scale(left, -1, 1, origin=(0, 0)), grid_size=GRID)
    full = Polygon(max(getattr(full, "geoms", [full]), key=lambda g: g.area).exterior)
    return shapely.set_precision(full, GRID), frame


def joint_centres(verts: np.ndarray, groups, frame: MeshFrame) -> dict[str, Pt]:
    """Centroid (cm) of every left or midline ``joint-*`` group."""
    out: dict[str, Pt] = {}
    for name, faces in groups.items():
        if name.startswith("joint-") and "-r-" not in name:
            idx = np.unique(np.concatenate([np.asarray(f) for f in faces]))
            out[name[len("joint-") :]] = frame.xy(verts[idx].mean(axis=0))
    return out


# --------------------------------------------------------------------------------------
# small geometry helpers
# --------------------------------------------------------------------------------------


def extend(points: Sequence[Pt], length: float = 400.0) -> list[Pt]:
    """Polyline extended at both ends along its end directions."""
    p = [tuple(map(float, q)) for q in points]

    def push(a: Pt, b: Pt) -> Pt:
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = math.hypot(dx, dy) or 1.0
        return (b[0] + dx / n * length, b[1] + dy / n * length)

    return [push(p[1], p[0]), *p, push(p[-2], p[-1])]


def side(points: Sequence[Pt], keep: Pt) -> Polygon:
    """The part of a large box on the ``keep`` side of an (extended) polyline."""
    big = box(-600, -600, 600, 600)
    pieces = split(big, LineString(extend(points, 2000.0)))
    for piece in pieces.geoms:
        if piece.contains(Point(keep)):
            return piece
    raise ValueError(f"keep point {keep} not inside any piece")


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 24) -> Polygon:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return Polygon(np.c_[cx + rx * np.cos(a), cy + ry * np.sin(a)])


def hline(y: float) -> list[Pt]:
    return [(-10.0, y), (80.0, y)]


def catmull_rom(points: Sequence[Pt], per_segment: int = 6) -> list[Pt]:
    """Uniform Catmull-Rom spline through all points (sampled ``per_segment`` times)."""
    p = np.asarray(points, dtype=float)
    if len(p) < 3:
        return [tuple(q) for q in p]
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out = [tuple(p[0])]
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        for t in np.linspace(0, 1, per_segment + 1)[1:]:
            t2, t3 = t * t, t * t * t
            q = 0.5 * (
                2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
            )
            out.append(tuple(q))
    return out


class Limb:
    """A limb segment frame: axis from ``a`` (proximal) to ``b`` (distal).

    ``s`` runs across the limb from -1 (inner edge, toward the midline) to +1 (outer edge).
    """

    def __init__(self, silhouette: Polygon, a: Pt, b: Pt) -> None:
        self.sil = silhouette
        self.a = np.asarray(a, float)
        self.b = np.asarray(b, float)
        d = self.b - self.a
        self.length = float(np.hypot(*d))
        self.d = d / self.length
        n = np.array([-self.d[1], self.d[0]])
        # outer normal points away from the midline (x increasing)
        self.n = n if n[0] > 0 or (n[0] == 0 and n[1] > 0) else -n

    def axis(self, t: float) -> np.ndarray:
        return self.a + t * (self.b - self.a)

    def chord(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """Inner and outer silhouette points on the perpendicular through axis(t)."""
        c = self.axis(t)
        line = LineString([tuple(c - 40 * self.n), tuple(c + 40 * self.n)])
        inter = self.sil.intersection(line)
        segs = [g for g in getattr(inter, "geoms", [inter]) if g.length > 0]
        seg = min(segs, key=lambda g: g.distance(Point(c)))
        p, q = np.asarray(seg.coords[0]), np.asarray(seg.coords[-1])
        if np.dot(p - c, self.n) > np.dot(q - c, self.n):
            p, q = q, p
        return p, q

    def point(self, t: float, s: float) -> Pt:
        inner, outer = self.chord(t)
        q = inner + (s + 1) / 2 * (outer - inner)
        return (float(q[0]), float(q[1]))

    def cross(self, t: float) -> list[Pt]:
        c = self.axis(t)
        return [tuple(c - 30 * self.n), tuple(c + 30 * self.n)]

    def strip(self, s: float, t0: float, t1: float, n: int = 9) -> list[Pt]:
        return [self.point(t, s) for t in np.linspace(t0, t1, n)]

    def beyond(self, t: float, distal: bool = True) -> Polygon:
        """Half-plane distal (or proximal) of the perpendicular at axis(t)."""
        keep = self.axis(t + (0.5 if distal else -0.5))
        return side(self.cross(t), tuple(keep))

    def outer_side(self, s: float, t0: float, t1: float) -> Polygon:
        line = self.strip(s, t0, t1)
        c = np.asarray(self.point((t0 + t1) / 2, s)) + 30 * self.n
        return side(line, tuple(c))


def areal(geom):
    """Only the polygonal part of an overlay result (drops stray lines and points)."""
    polys = polygons_of(geom)
    if not polys:
        return Polygon()
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def inter(a, b):
    return areal(shapely.intersection(a, b, grid_size=GRID))


def minus(a, b):
    return areal(shapely.difference(a, b, grid_size=GRID))


def polygons_of(geom) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    out: list[Polygon] = []
    for g in getattr(geom, "geoms", []):
        out.extend(polygons_of(g))
    return out


# --------------------------------------------------------------------------------------
# anatomical levels (cm above the soles) -- textbook surface anatomy scaled to 175 cm
# --------------------------------------------------------------------------------------

C7_Y = 149.5  # vertebra prominens
L4_Y = 106.5  # supracristal plane (top of the iliac crests)
# 12 cervicothoracic/thoracic intervals of a, 4 lumbar intervals of 1.5 a: 18 a = C7 - L4
_A = (C7_Y - L4_Y) / 18.0
SPINE: dict[str, float] = {"c7": C7_Y}
for _k in range(1, 13):
    SPINE[f"t{_k}"] = C7_Y - _A * _k
for _k in range(1, 6):
    SPINE[f"l{_k}"] = SPINE["t12"] - 1.5 * _A * _k

JUGULAR_Y = 143.5
STERNAL_ANGLE_Y = 138.5
XIPHISTERNAL_Y = 126.5
NIPPLE = (9.5, 127.0)
UMBILICUS_Y = 105.5

SC_JOINT = (2.3, 143.3)
ACROMION = (18.0, 145.0)
MCL_X = round((SC_JOINT[0] + ACROMION[0]) / 2, 2)  # midclavicular line
PARAVERTEBRAL_X = 4.5
SCAPULA_INFERIOR_ANGLE = (8.5, SPINE["t7"])
SCAPULAR_X = SCAPULA_INFERIOR_ANGLE[0]

# anterior rib levels: sternal end (x, y) and height at the midclavicular line
RIB_STERNAL = {
    1: (2.8, 141.5),
    2: (2.4, STERNAL_ANGLE_Y),
    3: (2.2, 135.5),
    4: (2.2, 132.6),
    5: (2.1, 129.9),
    6: (1.9, 127.6),
    7: (1.5, 126.2),
}
RIB_MCL_Y = {1: 141.9, 2: 136.3, 3: 133.0, 4: 129.3, 5: 125.6, 6: 122.4, 7: 119.9, 8: 117.9, 9: 116.3, 10: 115.0}
# ribs 8-10 leave the costal margin (cartilage junction) medial to the MCL
RIB_MARGIN_START = {8: (6.2, 120.5), 9: (8.2, 117.8), 10: (9.5, 115.6)}
COSTAL_MARGIN = [
    (1.5, 126.2),
    (3.3, 124.0),
    (5.0, 121.8),
    (6.2, 120.5),
    (8.2, 117.8),
    (9.5, 115.6),
    (MCL_X, 114.9),
    (10.9, 114.4),
    (11.5, 114.2),
]


def rib_posterior_y(k: int) -> float:
    """Rib k at the paravertebral line: a little above the spinous process of T(k)."""
    return SPINE[f"t{k}"] + 1.0


def rib_scapular_y(k: int) -> float:
    """Rib k at the scapular line: a little below the spinous process of T(k)."""
    return SPINE[f"t{k}"] - 0.5


def rib_mal_y(k: int) -> float:
    """Rib k at the midaxillary line (ribs descend steeply past their angle)."""
    drop = {10: 4.8, 11: 4.3, 12: 3.8}.get(k, 5.0)
    return rib_scapular_y(k) - drop


# --------------------------------------------------------------------------------------
# partition bookkeeping
# --------------------------------------------------------------------------------------

MIN_COMPONENT_CM2 = 1.0  # smaller detached bits of a region are handed to a neighbour


class Partition:
    """Sequentially carve a polygon into named regions (first come, first served)."""

    def __init__(self, area: Polygon) -> None:
        self.rest = area
        self.regions: dict[str, object] = {}

    def part(self, zone) -> object:
        """What is still unassigned inside ``zone`` (does not assign it)."""
        return inter(self.rest, zone)

    def take(self, name: str, zone, within=None) -> None:
        piece = inter(self.rest, zone)
        if within is not None:
            piece = inter(piece, within)
        if piece.is_empty:
            raise ValueError(f"region {name!r} came out empty")
        self.rest = minus(self.rest, piece)
        if name in self.regions:
            piece = areal(shapely.union(self.regions[name], piece, grid_size=GRID))
        self.regions[name] = piece

    def finish(self) -> dict[str, list[Polygon]]:
        """Give leftovers and tiny detached bits to the neighbour sharing most border."""
        loose = [g for g in polygons_of(self.rest) if g.area > 1e-6]
        for name, geom in list(self.regions.items()):
            comps = sorted(polygons_of(geom), key=lambda g: -g.area)
            keep = [c for i, c in enumerate(comps) if i == 0 or c.area >= MIN_COMPONENT_CM2]
            loose += [c for c in comps if not any(c is k for k in keep)]
            self.regions[name] = unary_union(keep)
        for comp in sorted(loose, key=lambda g: -g.area):
            halo = comp.buffer(0.25)
            best = max(self.regions, key=lambda n: halo.intersection(self.regions[n]).area)
            self.regions[best] = areal(shapely.union(self.regions[best], comp, grid_size=GRID))
        out: dict[str, list[Polygon]] = {}
        for name, geom in self.regions.items():
            # regions are stored as exterior rings only, so a region must not enclose another
            if any(Polygon(h).area > 0.01 for p in polygons_of(geom) for h in p.interiors):
                raise ValueError(f"region {name!r} has a hole")
            polys = [Polygon(p.exterior) for p in polygons_of(geom) if p.area > 1e-6]
            out[name] = sorted(polys, key=lambda g: -g.area)
        return out


# --------------------------------------------------------------------------------------
# schematic constants (cm, left side)
# --------------------------------------------------------------------------------------


def point_on(line: Sequence[Pt], x: float) -> Pt:
    """Point of a polyline (monotone in x over the relevant span) at abscissa x."""
    xs = [p[0] for p in line]
    ys = [p[1] for p in line]
    order = np.argsort(xs)
    return (float(x), float(np.interp(x, np.asarray(xs)[order], np.asarray(ys)[order])))


def offset_line(points: Sequence[Pt], distance: float) -> list[Pt]:
    """Parallel polyline (positive = left of the direction of travel)."""
    return [tuple(c) for c in LineString(points).offset_curve(distance).coords]


LIMB_JOINTS = {
    "arm": ("l-shoulder", "l-elbow"),
    "forearm": ("l-elbow", "l-hand"),
    "thigh": ("l-upper-leg", "l-knee"),
    "leg": ("l-knee", "l-ankle"),
}
ASIS = (12.3, 99.5)
PUBIC_TUBERCLE = (2.3, 87.5)
ILIAC_CREST_TOP = (12.7, 106.5)
PSIS = (4.5, 98.5)

JAW_LINE = [(0.0, 150.6), (3.0, 151.5), (5.2, 153.7), (6.4, 155.8), (7.2, 157.3), (8.0, 157.35), (9.5, 157.35)]
MOUTH_LINE = [(0.0, 155.4), (3.0, 155.7), (5.0, 157.0), (6.3, 158.0)]
NECK_BASE = [(-1.0, 143.5), (2.3, 143.5), (5.0, 144.0), (7.6, 144.1), (6.0, 148.0)]
CLAVICLE_TOP = [(2.3, 143.5), (5.0, 144.0), (7.6, 144.1), (10.2, 144.1), (13.0, 144.4), (15.6, 145.1)]
CLAVICLE = [
    SC_JOINT,
    (4.5, 143.6),
    (7.5, 143.75),
    (MCL_X, 143.7),
    (12.8, 143.9),
    (15.2, 144.5),
    (17.2, 145.0),
    ACROMION,
]
STERNUM = [
    (0.0, JUGULAR_Y),
    (1.2, 143.7),
    (2.2, 143.3),
    (2.9, 142.2),
    (2.8, 141.5),
    (2.5, 140.0),
    (2.3, 139.0),
    (2.4, STERNAL_ANGLE_Y),
    (2.3, 137.9),
    (2.2, 135.5),
    (2.2, 132.6),
    (2.1, 129.9),
    (1.9, 127.6),
    (1.5, XIPHISTERNAL_Y),
    (1.2, 125.6),
    (1.0, 124.3),
    (0.6, 123.4),
    (0.0, 123.1),
]
STERNUM_ZONE = [
    (-1.0, 143.5),
    (2.3, 143.5),
    (3.2, 142.2),
    (3.1, 140.5),
    (2.9, 138.5),
    (2.8, 135.5),
    (2.7, 132.6),
    (2.6, 129.9),
    (2.4, 127.6),
    (2.0, 126.0),
    (1.5, 124.2),
    (0.9, 122.7),
    (-1.0, 122.7),
]
LATERAL_CHEST_ZONE = [
    (13.6, 134.6),
    (12.8, 130.0),
    (11.9, 124.0),
    (11.3, 118.0),
    (11.1, 114.2),
    (11.6, 113.4),
    (20.0, 112.6),
    (20.0, 134.6),
]
ANTERIOR_HIP_ZONE = [
    ASIS,
    (12.8, 102.0),
    (13.5, 104.3),
    (14.3, 105.6),
    (14.6, 106.4),
    (30.0, 106.4),
    (30.0, 83.5),
    (14.6, 83.5),
    (13.3, 92.0),
]
ILIAC_CREST_ANTERIOR = [ASIS, (12.8, 102.0), (13.5, 104.3), (14.3, 105.6), (14.6, 106.0)]
ILIAC_CREST_POSTERIOR = [PSIS, (5.3, 100.9), (7.0, 103.7), (9.5, 105.7), ILIAC_CREST_TOP, (13.6, 106.3), (14.6, 105.8)]
SACRUM_OUTLINE = [(0.0, 101.2), (4.9, 101.0), (4.6, 97.0), (3.4, 92.5), (1.6, 89.0), (0.7, 87.6), (0.0, 86.5)]
SACROILIAC_ZONE = [(-1.0, 101.5), (5.6, 101.5), (6.0, 98.3), (4.8, 93.5), (2.8, 88.6), (1.0, 85.8), (-1.0, 85.8)]
# the thumb leaves the radial (here: inner) border of the wrist at THUMB_BASE
THUMB_BASE = (42.4, 110.9)
THUMB_LINE = [THUMB_BASE, (45.4, 107.6)]
THUMB_DISTAL_LINE = [(41.2, 110.2), (43.8, 108.0)]
FINGER_LINE = [(46.2, 106.7), (51.0, 105.3)]
# between the middle and the ring finger (mesh joints l-finger-3-* and l-finger-4-*): the radial
# fingers (thumb side: index and middle) from the ulnar ones (ring and little)
FINGER_SPLIT = [(48.85, 105.3), (50.95, 99.05)]
ILIAC_CREST_BAND_CM = 1.2  # half-width of the iliac crest region around the crest
GENITAL_ZONE = [(-1.0, 74.0), (3.3, 74.0), (3.7, 80.0), (3.5, 85.8), (-1.0, 85.8)]
COCCYX_ZONE = [(-1.0, 84.6), (1.9, 84.6), (1.9, 89.2), (-1.0, 89.2)]
ANKLE_TOP_Y = 12.5
LATERAL_ANKLE_DX = 1.7  # the lateral ankle region: lateral of the ankle axis by this much (front and back views)
LATERAL_FOOT_X = 26.0  # the outer edge of the foot on the anterior view
POST_ANKLE_TOP_Y = 14.0
FOOT_TOP_Y = 5.0
TOES_TOP_Y = 2.4
SOLE_TOP_Y = 1.8

POST_HEAD_LINE = [(0.0, 156.6), (3.0, 156.8), (5.2, 157.0), (6.5, 157.3), (9.5, 157.35)]
VERTEX_LINE = [(0.0, 167.0), (3.0, 166.6), (5.5, 165.0), (7.7, 163.7), (9.5, 163.7)]
POST_NECK_BASE = [(-1.0, 148.4), (3.4, 148.4), (6.0, 147.4), (9.6, 145.9)]
PARASPINAL_NECK_X = 3.4
PARASPINAL_X = 5.2

SCAPULA_MEDIAL_BORDER = [(7.0, 145.8), (6.6, 142.3), (7.0, 138.0), (7.6, 135.0), SCAPULA_INFERIOR_ANGLE]
SCAPULA_LATERAL_BORDER = [(15.4, 139.0), (12.8, 136.3), (10.3, 134.0), SCAPULA_INFERIOR_ANGLE]
SCAPULAR_SPINE = [(6.6, 142.3), (9.0, 143.0), (12.3, 143.8), (15.5, 144.6), (17.3, 145.0), ACROMION]
# closed ring: superior border (passing under the spine to the glenoid), lateral and medial borders
SCAPULA_OUTLINE = [
    (7.0, 145.8),
    (9.5, 145.4),
    (11.8, 144.9),
    (12.8, 144.3),
    (14.3, 143.1),
    (15.5, 141.4),
    (15.8, 140.2),
    *SCAPULA_LATERAL_BORDER,
    *SCAPULA_MEDIAL_BORDER[::-1][1:],
]
LATERAL_HIP_ZONE = [(14.0, 101.0), (30.0, 101.0), (30.0, 80.5), (15.8, 80.5), (14.4, 86.0), (13.9, 93.0)]
GLUTEAL_FOLD = [(0.0, 81.0), (3.0, 80.0), (6.0, 79.3), (10.0, 79.2), (13.5, 80.0), (16.5, 81.5)]


def groin_lines() -> tuple[list[Pt], list[Pt]]:
    """Upper and lower borders of the groin band around the inguinal ligament."""
    a, b = np.asarray(PUBIC_TUBERCLE), np.asarray(ASIS)
    u = (b - a) / np.hypot(*(b - a))
    n_up = np.array([-u[1], u[0]])
    up = [tuple(a + 2.0 * n_up), tuple(b + 2.0 * n_up)]
    low = [tuple(a - 3.0 * n_up), tuple(b - 3.0 * n_up)]
    # continue the upper border to the midline
    x0, y0 = up[0]
    up = [(-1.0, y0 - (x0 + 1.0) * u[1] / u[0]), *up]
    return up, low


def medial_border_zone() -> Polygon:
    """From the paraspinal strip to 1.3 cm lateral of the medial border (T1 to T7 level)."""
    lateral = offset_line([(7.1, 149.0), *SCAPULA_MEDIAL_BORDER], 1.3)  # border runs downward
    return inter(side(lateral, keep=(0.0, 140.0)), box(-1, SPINE["t7"], 40, 148.0))


# --------------------------------------------------------------------------------------
# the derivation
# --------------------------------------------------------------------------------------


class Builder:
    def __init__(self, outline: Polygon, joints: dict[str, Pt]) -> None:
        self.outline = outline
        self.half = inter(outline, box(0, -10, 200, 300))
        self.j = joints
        half = self.half
        j = joints
        self.arm, self.forearm, self.thigh, self.leg = (Limb(half, j[a], j[b]) for a, b in LIMB_JOINTS.values())
        self.apex = self._axilla_apex()
        # wrist crease: perpendicular to the forearm through the base of the thumb
        self.t_crease = float(np.dot(np.asarray(THUMB_BASE) - self.forearm.a, self.forearm.d) / self.forearm.length)
        self.mal_line = self._midaxillary_line()

    # ---- silhouette features ---------------------------------------------------------
    def trunk_edge(self, y: float) -> float:
        """x of the lateral trunk outline at height y (first crossing from the midline)."""
        inter = self.half.intersection(LineString([(0, y), (80, y)]))
        segs = sorted((g for g in getattr(inter, "geoms", [inter]) if g.length > 0), key=lambda g: g.bounds[0])
        return segs[0].bounds[2]

    def _axilla_apex(self) -> Pt:
        """Highest point of the gap between arm and trunk."""
        y = 125.0
        while True:
            inter = self.half.intersection(LineString([(0, y + 0.05), (80, y + 0.05)]))
            n = len([g for g in getattr(inter, "geoms", [inter]) if g.length > 0])
            if n < 2 or y > 150:
                break
            y += 0.05
        x = self.trunk_edge(y - 0.2)
        return (round(x + 0.2, 2), round(y, 2))

    def _midaxillary_line(self) -> list[Pt]:
        """Midaxillary line: from the axilla apex down the lateral chest wall, 1 cm in."""
        ys = np.arange(112.0, self.apex[1] + 0.01, 1.0)
        xs = [min(self.trunk_edge(y), self.apex[0]) - 1.0 for y in ys]
        xs = np.convolve(np.r_[xs[0], xs, xs[-1]], np.ones(3) / 3, mode="valid")
        pts = [(float(x), float(y)) for x, y in zip(xs, ys, strict=False)]
        top = pts[-1][0]
        pts.append((top, 139.0))
        return pts

    def mal_x(self, y: float) -> float:
        line = self.mal_line
        ys = [p[1] for p in line]
        xs = [p[0] for p in line]
        return float(np.interp(y, ys, xs))

    # ---- ribs -------------------------------------------------------------------------
    def rib_points(self) -> dict[str, dict[str, Pt]]:
        pts: dict[str, dict[str, Pt]] = defaultdict(dict)
        for k in range(1, 13):
            if k in RIB_STERNAL:
                pts[f"rib{k}"]["sternal"] = RIB_STERNAL[k]
            if k in RIB_MCL_Y:
                pts[f"rib{k}"]["mcl"] = (MCL_X, RIB_MCL_Y[k])
            if k >= 2:
                y = rib_mal_y(k)
                pts[f"rib{k}"]["mal"] = (round(self.mal_x(y), 1), round(y, 1))
            pts[f"rib{k}"]["scapular"] = (SCAPULAR_X, round(rib_scapular_y(k), 1))
            pts[f"rib{k}"]["paravertebral"] = (PARAVERTEBRAL_X, round(rib_posterior_y(k), 1))
        return pts

    def ribs_anterior(self, rp) -> dict[str, list[Pt]]:
        ribs = {}
        for k in range(1, 13):
            p = rp[f"rib{k}"]
            if k == 1:
                ctrl = [p["sternal"], (6.0, 141.4), p["mcl"], (12.4, 143.4)]
            elif k <= 7:
                sx, sy = p["sternal"]
                mx, my = p["mcl"]
                ax, ay = p["mal"]
                # cartilage leaves the sternum downward-laterally, lowest near the MCL
                c1 = (sx + 0.45 * (mx - sx), sy - 0.62 * (sy - my))
                ctrl = [p["sternal"], c1, p["mcl"], (mx + 0.55 * (ax - mx), my + 0.45 * (ay - my)), p["mal"]]
            elif k <= 10:
                mx, my = p["mcl"]
                ax, ay = p["mal"]
                ctrl = [RIB_MARGIN_START[k], p["mcl"], (mx + 0.6 * (ax - mx), my + 0.25 * (ay - my)), p["mal"]]
            else:  # floating ribs: only their anterior tips show in front
                ax, ay = p["mal"]
                tip = (ax - 0.9, ay - 2.0) if k == 11 else (ax - 0.5, ay - 1.6)
                ctrl = [tip, p["mal"]]
            ribs[f"rib{k}"] = self._curve(ctrl)
        return ribs

    def ribs_posterior(self, rp) -> dict[str, list[Pt]]:
        ribs = {}
        for k in range(1, 13):
            p = rp[f"rib{k}"]
            _px, py = p["paravertebral"]
            head = (2.8, py + 0.45)
            if k == 1:
                ctrl = [head, p["paravertebral"], p["scapular"], (10.6, py - 4.8)]
            else:
                ctrl = [head, p["paravertebral"], p["scapular"], p["mal"]]
            ribs[f"rib{k}"] = self._curve(ctrl)
        return ribs

    @staticmethod
    def _curve(ctrl: Sequence[Pt]) -> list[Pt]:
        """Smooth polyline through ``ctrl`` on the 0.1 cm grid, with ``ctrl`` as exact vertices."""
        curve = catmull_rom(ctrl, per_segment=5)
        out: list[Pt] = []
        for q in curve:
            q = (round(q[0], 1), round(q[1], 1))
            if not out or q != out[-1]:
                out.append(q)
        # make sure the control landmarks are exact vertices
        for c in ctrl:
            c = (round(c[0], 1), round(c[1], 1))
            if c not in out:
                d = [math.hypot(c[0] - q[0], c[1] - q[1]) for q in out]
                out[int(np.argmin(d))] = c
        return out

    # ---- regions: helpers ---------------------------------------------------------------
    def limb_zone(self) -> Polygon:
        """Upper limb below the deltoid: lateral of the axilla apex, above the hips."""
        cand = inter(self.half, box(self.apex[0], 97.0, 80, 160))
        cand = inter(cand, self.below_deltoid())
        elbow = Point(self.j["l-elbow"])
        return max(polygons_of(cand), key=lambda g: -g.distance(elbow))

    def deltoid_cut(self) -> list[Pt]:
        """Lower border of the deltoid: axilla apex -> lateral arm above the insertion."""
        outer = self.arm.point(0.40, 1.0)
        return [self.apex, (outer[0] + 0.3, outer[1] + 0.3)]

    def below_deltoid(self) -> Polygon:
        return side(self.deltoid_cut(), keep=self.arm.axis(0.8))

    def limb_parts(self) -> dict[str, Polygon]:
        """Arm, elbow, forearm and hand parts of the upper limb."""
        arm, fore = self.arm, self.forearm
        limb = self.limb_zone()
        t_elbow_prox = 1 - 3.5 / arm.length
        t_elbow_dist = 3.0 / fore.length
        t_wrist = self.t_crease - 1.5 / fore.length
        parts = {
            "arm": inter(limb, arm.beyond(t_elbow_prox, distal=False)),
        }
        rest = minus(limb, parts["arm"])
        parts["elbow"] = inter(rest, fore.beyond(t_elbow_dist, distal=False))
        rest = minus(rest, parts["elbow"])
        parts["forearm"] = inter(rest, fore.beyond(t_wrist, distal=False))
        parts["hand"] = minus(rest, parts["forearm"])
        return parts

    def middle_deltoid(self) -> Polygon:
        """Lateral of a line from above the acromion down to the arm's outer third: the middle deltoid."""
        edge = self.arm.point(0.40, 0.35)
        return side([(ACROMION[0] + 0.3, 175.0), (ACROMION[0] + 0.3, 146.0), edge], keep=(80.0, 140.0))

    def outer_knee(self) -> Polygon:
        """The outer strip of the knee (over the lateral joint line and the fibular head)."""
        leg = self.leg
        return side(leg.strip(0.4, -0.3, 0.3), keep=leg.point(0.0, 1.3))

    @staticmethod
    def crest_band(crest: Sequence[Pt]) -> Polygon:
        """The iliac crest region: a band along the crest."""
        return LineString(crest).buffer(ILIAC_CREST_BAND_CM, cap_style="flat")

    def lower_limb_cuts(self) -> dict[str, Polygon]:
        thigh, leg = self.thigh, self.leg
        return {
            "above_knee": thigh.beyond(1 - 5.5 / thigh.length, distal=False),
            "above_leg": leg.beyond(4.5 / leg.length, distal=False),
        }

    # ---- regions: anterior view -----------------------------------------------------------
    def anterior_regions(self) -> dict[str, list[Polygon]]:
        P = Partition(self.half)
        # head: above the line chin - angle of the mandible - ear lobe
        head = P.part(side(JAW_LINE, keep=(0, 170)))
        P.take(
            "ear_tmj", Polygon([(6.1, 157.2), (14, 157.2), (14, 163.7), (7.7, 163.7), (6.6, 162.6), (6.1, 160.0)]), head
        )
        P.take("orbit", ellipse(3.2, 162.6, 2.5, 2.05), head)
        P.take(
            "temple", Polygon([(5.0, 160.6), (14, 160.6), (14, 171), (7.2, 169.8), (5.7, 168.0), (5.0, 165.5)]), head
        )
        P.take("forehead", side(hline(164.3), keep=(0, 170)), head)
        P.take("cheek", side(MOUTH_LINE, keep=(0, 160)), head)
        P.take("jaw", head, head)
        # neck
        neck = P.part(Polygon([*NECK_BASE, (5.6, 152), (5.6, 165), (-1, 165), (-1, 143.5)]))
        P.take(
            "anterior_neck",
            Polygon([(-1, 140), (2.5, 140), (2.5, 143.6), (2.4, 148), (2.7, 151.5), (2.7, 165), (-1, 165)]),
            neck,
        )
        P.take("lateral_neck", neck, neck)
        # shoulder
        dp_top = (13.6, 144.3)
        cut = self.deltoid_cut()
        far = extend(cut, 40)[-1]
        shoulder = Polygon([dp_top, (15.6, 145.0), (15.6, 175), (80, 175), (80, far[1]), far, cut[0], dp_top])
        P.take("lateral_shoulder", inter(shoulder, self.middle_deltoid()))
        P.take("anterior_shoulder", shoulder)
        P.take("supraclavicular", Polygon([*CLAVICLE_TOP, (15.6, 175), (2.3, 175)]))
        # upper limb
        parts = self.limb_parts()
        arm, fore = self.arm, self.forearm
        P.take("lateral_arm", arm.outer_side(0.3, 0.1, 1.1), parts["arm"])
        P.take("medial_arm", side(arm.strip(-0.3, 0.1, 1.1), keep=arm.point(0.6, -1.2)), parts["arm"])
        P.take("anterior_arm", parts["arm"], parts["arm"])
        P.take("medial_elbow", side(fore.strip(-0.25, -0.3, 0.4), keep=fore.point(0.05, -1.3)), parts["elbow"])
        P.take("anterior_elbow", parts["elbow"], parts["elbow"])
        P.take("radial_forearm", side(fore.strip(-0.3, 0.0, 1.0), keep=fore.point(0.5, -1.3)), parts["forearm"])
        P.take("volar_forearm", parts["forearm"], parts["forearm"])
        hand = parts["hand"]
        P.take(
            "thumb",
            inter(inter(side(THUMB_LINE, keep=(40.0, 107.0)), box(0, 0, 45.8, 200)), fore.beyond(self.t_crease)),
            hand,
        )
        fingers = side(FINGER_LINE, keep=(50.0, 100.0))
        P.take("palmar_ulnar_fingers", inter(fingers, side(FINGER_SPLIT, keep=(53.0, 100.0))), hand)
        P.take("palmar_radial_fingers", fingers, hand)
        P.take("volar_wrist", fore.beyond(self.t_crease + 1.0 / fore.length, distal=False), hand)
        P.take("palm", hand, hand)
        # trunk
        P.take("sternum", Polygon(STERNUM_ZONE))
        P.take("lateral_chest", Polygon(LATERAL_CHEST_ZONE))
        P.take("upper_chest", side(hline(NIPPLE[1]), keep=(0, 140)))
        P.take("lower_chest", side(COSTAL_MARGIN, keep=(5, 126)))
        P.take("upper_abdomen", side(hline(UMBILICUS_Y), keep=(0, 110)))
        P.take("iliac_crest", self.crest_band(ILIAC_CREST_ANTERIOR))
        P.take("anterior_hip", Polygon(ANTERIOR_HIP_ZONE))
        groin_up, groin_low = groin_lines()
        # the band, its lateral end closed up to the front of the hip, and the pubic/crotch area
        groin = [*groin_up, (13.4, 101.8), *groin_low[::-1], (3.6, 82.0), (3.2, 75.0), (-1, 75.0)]
        P.take("genital", Polygon(GENITAL_ZONE))
        P.take("groin", Polygon(groin))
        P.take("lower_abdomen", side(groin_up, keep=(5, 100)).intersection(side(hline(UMBILICUS_Y), keep=(0, 100))))
        # lower limb
        cuts = self.lower_limb_cuts()
        thigh, leg = self.thigh, self.leg
        thigh_part = P.part(inter(cuts["above_knee"], box(-1, 40, 30, 101)))
        P.take("medial_thigh", side(thigh.strip(-0.38, 0.0, 1.0), keep=thigh.point(0.5, -1.3)), thigh_part)
        P.take("lateral_thigh", inter(thigh.outer_side(0.42, 0.0, 1.0), box(0, 0, 40, 84.0)), thigh_part)
        P.take("anterior_thigh", thigh_part, thigh_part)
        knee_part = P.part(inter(cuts["above_leg"], box(-1, 30, 40, 60)))
        P.take("medial_knee", side(leg.strip(-0.4, -0.3, 0.3), keep=leg.point(0.0, -1.3)), knee_part)
        P.take("lateral_knee", self.outer_knee(), knee_part)
        P.take("anterior_knee", knee_part, knee_part)
        leg_part = P.part(box(-1, ANKLE_TOP_Y, 40, 60))
        P.take("lateral_leg", leg.outer_side(0.4, 0.0, 1.0), leg_part)
        P.take("shin", leg_part, leg_part)
        P.take("lateral_ankle", box(self.j["l-ankle"][0] + LATERAL_ANKLE_DX, FOOT_TOP_Y, 40, 60))
        P.take("anterior_ankle", box(-1, FOOT_TOP_Y, 40, 60))
        P.take("lateral_foot", box(LATERAL_FOOT_X, TOES_TOP_Y, 40, 60))
        P.take("dorsal_foot", box(-1, TOES_TOP_Y, 40, 60))
        P.take("toes", box(-1, -5, 40, 60))
        return P.finish()

    # ---- regions: posterior view ----------------------------------------------------------
    def posterior_regions(self) -> dict[str, list[Polygon]]:
        P = Partition(self.half)
        # head: the skull base sits higher behind than the jaw in front
        head = P.part(side(POST_HEAD_LINE, keep=(0, 170)))
        P.take(
            "mastoid", Polygon([(5.3, 156.8), (14, 156.8), (14, 163.7), (7.7, 163.7), (6.0, 162.5), (5.3, 160.0)]), head
        )
        P.take("vertex", side(VERTEX_LINE, keep=(0, 175)), head)
        P.take("occiput", head, head)
        # neck
        neck = P.part(Polygon([*POST_NECK_BASE, (9.6, 165), (-1, 165)]))
        P.take("posterior_neck", box(-1, 140, PARASPINAL_NECK_X, 165), neck)
        P.take("posterolateral_neck", neck, neck)
        # upper limb (same parts as in front)
        parts = self.limb_parts()
        _arm, fore = self.arm, self.forearm
        cut = self.deltoid_cut()
        far = extend(cut, 40)[-1]
        shoulder = Polygon([(16.9, 147.5), (16.6, 141.5), cut[0], far, (80, far[1]), (80, 175), (16.9, 175)])
        P.take("lateral_shoulder", inter(shoulder, self.middle_deltoid()))
        P.take("posterior_shoulder", shoulder)
        P.take("posterior_arm", parts["arm"])
        P.take("lateral_elbow", fore.outer_side(0.3, -0.3, 0.4), parts["elbow"])
        P.take("posterior_elbow", parts["elbow"], parts["elbow"])
        P.take("ulnar_forearm", fore.outer_side(0.35, 0.0, 1.0), parts["forearm"])
        P.take("dorsal_forearm", parts["forearm"], parts["forearm"])
        hand = parts["hand"]
        fingers = side(FINGER_LINE, keep=(50.0, 100.0))
        P.take("dorsal_ulnar_fingers", inter(fingers, side(FINGER_SPLIT, keep=(53.0, 100.0))), hand)
        thumb = inter(side(THUMB_DISTAL_LINE, keep=(40.3, 106.8)), box(0, 0, 45.8, 200))
        P.take("dorsal_radial_fingers", fingers.union(thumb), hand)
        P.take("dorsal_wrist", fore.beyond(self.t_crease + 1.0 / fore.length, distal=False), hand)
        P.take("dorsal_hand", hand, hand)
        # back: paraspinal strips first
        P.take("interscapular", box(-1, SPINE["t7"], PARASPINAL_X, 148.6))
        P.take("mid_back", box(-1, SPINE["t12"], PARASPINAL_X, SPINE["t7"]))
        P.take("coccyx", Polygon(COCCYX_ZONE))
        P.take("iliac_crest", self.crest_band(ILIAC_CREST_POSTERIOR[1:]))
        P.take("sacroiliac", Polygon(SACROILIAC_ZONE))
        P.take("lumbar", box(-1, 95, PARASPINAL_X, SPINE["t12"]))
        P.take(
            "inferior_scapular_angle",
            ellipse(SCAPULA_INFERIOR_ANGLE[0] + 0.3, SCAPULA_INFERIOR_ANGLE[1] - 1.0, 3.0, 2.6),
        )
        P.take("medial_scapular_border", medial_border_zone())
        P.take("suprascapular", side(SCAPULAR_SPINE, keep=(10, 150)))
        P.take(
            "lateral_scapula",
            side(offset_line(SCAPULA_LATERAL_BORDER, -1.6), keep=(17, 128)).intersection(box(-1, 128.3, 80, 150)),
        )
        P.take("scapula", box(6.0, 128.3, 80, 150))
        rib12 = self.ribs_posterior(self.rib_points())["rib12"]
        P.take("lateral_mid_back", inter(side(rib12, keep=(8, 125)), box(-1, 112, 80, 128.3)))
        P.take("flank", side(ILIAC_CREST_POSTERIOR, keep=(10, 112)).intersection(box(-1, 100, 80, 140)))
        # hip and lower limb
        P.take("lateral_hip", Polygon(LATERAL_HIP_ZONE))
        P.take("buttock", side(GLUTEAL_FOLD, keep=(8, 90)).intersection(box(-1, 70, 80, 112)))
        cuts = self.lower_limb_cuts()
        P.take("posterior_thigh", cuts["above_knee"].intersection(box(-1, 30, 40, 100)))
        P.take("lateral_knee", inter(self.outer_knee(), cuts["above_leg"]).intersection(box(-1, 30, 40, 100)))
        P.take("posterior_knee", cuts["above_leg"].intersection(box(-1, 30, 40, 100)))
        P.take("calf", box(-1, POST_ANKLE_TOP_Y, 40, 60))
        P.take("lateral_ankle", box(self.j["l-ankle"][0] + LATERAL_ANKLE_DX, FOOT_TOP_Y, 40, 60))
        P.take("posterior_ankle", box(-1, FOOT_TOP_Y, 40, 60))
        P.take("heel", box(-1, SOLE_TOP_Y, 40, 60))
        P.take("sole", box(-1, -5, 40, 60))
        return P.finish()

    # ---- landmarks ------------------------------------------------------------------------
    def landmarks(self) -> dict[str, dict[str, Pt]]:
        """Landmarks per view ('anterior', 'posterior', 'both')."""
        arm, fore, thigh, leg = self.arm, self.forearm, self.thigh, self.leg
        j = self.j
        wrist_t = self.t_crease
        knee_t = 0.0
        ankle = j["l-ankle"]
        lm: dict[str, dict[str, Pt]] = {"anterior": {}, "posterior": {}, "both": {}}
        a, p, b = lm["anterior"], lm["posterior"], lm["both"]
        # head and neck (front)
        a.update(
            {
                "glabella": (0.0, 164.6),
                "forehead": (2.8, 167.6),
                "temple": (6.7, 164.6),
                "orbit_lateral": (5.0, 164.0),
                "zygoma": (4.7, 160.4),
                "tmj": (7.0, 160.2),
                "mandible_angle": (6.0, 155.8),
                "chin": (0.0, 151.6),
                "jugular_notch": (0.0, JUGULAR_Y),
                "thyroid_cartilage": (0.0, 147.8),
                "scm_mid": (4.0, 150.3),
                "sc_joint": SC_JOINT,
            }
        )
        # head and neck (back)
        p.update(
            {
                "vertex": (0.0, 174.3),
                "external_occipital_protuberance": (0.0, 162.5),
                "mastoid_process": (6.2, 157.8),
                "suboccipital": (2.5, 158.0),
                "c2_spinous": (0.0, 156.0),
            }
        )
        for name, y in SPINE.items():
            p[f"{name}_spinous"] = (0.0, round(y, 1))
        # shoulder girdle
        clav = CLAVICLE
        a["clavicle_medial_third"] = point_on(clav, SC_JOINT[0] + (ACROMION[0] - SC_JOINT[0]) / 3)
        a["clavicle_mid"] = point_on(clav, MCL_X)
        b["acromion"] = ACROMION
        a.update(
            {
                "coracoid_process": (14.6, 141.6),
                "humeral_head_anterior": (17.4, 140.2),
                "axilla_anterior_fold": (15.0, 131.4),
                "axilla_apex": (self.apex[0] - 0.2, self.apex[1] + 0.4),
            }
        )
        p.update(
            {
                "superior_angle_scapula": SCAPULA_MEDIAL_BORDER[0],
                "scapular_spine_root": SCAPULAR_SPINE[0],
                "scapular_spine_mid": point_on(SCAPULAR_SPINE, (SCAPULAR_SPINE[0][0] + ACROMION[0]) / 2),
                "supraspinous_fossa": (10.6, 144.6),
                "infraspinous_fossa": (11.2, 138.2),
                "inferior_angle_scapula": SCAPULA_INFERIOR_ANGLE,
                "glenohumeral_posterior": (17.8, 139.6),
                "axilla_posterior_fold": (15.1, 131.0),
            }
        )
        # trunk
        a.update(
            {
                "sternal_angle": (0.0, STERNAL_ANGLE_Y),
                "xiphoid": (0.0, XIPHISTERNAL_Y),
                "nipple": NIPPLE,
                "umbilicus": (0.0, UMBILICUS_Y),
                "asis": ASIS,
                "pubic_tubercle": PUBIC_TUBERCLE,
                "inguinal_mid": ((ASIS[0] + PUBIC_TUBERCLE[0]) / 2, (ASIS[1] + PUBIC_TUBERCLE[1]) / 2),
                "costal_margin_mcl": point_on(COSTAL_MARGIN, MCL_X),
            }
        )
        p.update(
            {
                "iliac_crest_top": ILIAC_CREST_TOP,
                "psis": PSIS,
                "sacrum_mid": (0.0, 94.5),
                "coccyx": (0.0, 86.5),
                "ischial_tuberosity": (5.8, 83.6),
            }
        )
        b["greater_trochanter"] = (16.3, 89.5)
        # upper limb
        b["deltoid_tuberosity"] = arm.point(0.47, 0.55)
        a["biceps_mid"] = arm.point(0.55, 0.05)
        p["triceps_mid"] = arm.point(0.5, 0.0)
        a["cubital_fossa"] = fore.point(0.02, 0.05)
        a["medial_epicondyle"] = arm.point(0.97, -0.72)
        b["lateral_epicondyle"] = arm.point(0.97, 0.72)
        p["olecranon"] = arm.point(1.0, -0.2)
        p["radial_head"] = fore.point(0.12, 0.62)
        a["forearm_volar_mid"] = fore.point(0.5, 0.05)
        p["forearm_dorsal_mid"] = fore.point(0.5, 0.0)
        b["radial_styloid"] = fore.point(self.t_crease - 0.5 / fore.length, -0.75)
        b["ulnar_styloid"] = fore.point(wrist_t, 0.72)
        a["wrist_volar_mid"] = fore.point(wrist_t, 0.0)
        p["wrist_dorsal_mid"] = fore.point(wrist_t, 0.0)
        a["palm_center"] = (47.4, 108.2)
        a["thenar_eminence"] = (43.6, 109.6)
        p["dorsal_hand_center"] = (47.4, 108.2)
        p["first_web_space"] = (44.9, 108.3)
        # lower limb
        a["thigh_anterior_mid"] = thigh.point(0.5, 0.05)
        a["thigh_lateral_mid"] = thigh.point(0.5, 0.72)
        a["thigh_medial_mid"] = thigh.point(0.5, -0.7)
        p["thigh_posterior_mid"] = thigh.point(0.5, 0.0)
        a["patella"] = thigh.point(1 - 1.8 / thigh.length, 0.05)
        a["tibial_tuberosity"] = leg.point(3.6 / leg.length, 0.0)
        a["medial_knee_joint"] = leg.point(knee_t, -0.8)
        b["fibular_head"] = leg.point(2.2 / leg.length, 0.75)
        p["popliteal_fossa"] = leg.point(knee_t, 0.0)
        a["shin_mid"] = leg.point(0.45, 0.15)
        p["calf_mid"] = leg.point(0.32, 0.0)
        a["medial_malleolus"] = (ankle[0] - 3.0, ankle[1] + 0.3)
        b["lateral_malleolus"] = (ankle[0] + 3.4, ankle[1] - 1.0)
        p["achilles_mid"] = (ankle[0] - 0.2, 11.0)
        p["calcaneus"] = (ankle[0] - 0.1, 3.2)
        a["dorsal_foot_mid"] = (ankle[0], 3.8)
        a["great_toe"] = (20.2, 1.1)
        # ribs
        for rib, pts in self.rib_points().items():
            for line, q in pts.items():
                key = f"{rib}_{line}"
                if line in ("sternal", "mcl"):
                    a[key] = q
                elif line == "mal":
                    b[key] = q
                else:
                    p[key] = q
        return {v: {k: (round(x, 1), round(y, 1)) for k, (x, y) in d.items()} for v, d in lm.items()}

    # ---- skeleton -------------------------------------------------------------------------
    def skeleton(self) -> dict[str, dict[str, list[Pt]]]:
        rp = self.rib_points()
        ant: dict[str, list[Pt]] = {
            "clavicle": CLAVICLE,
            "sternum": STERNUM,
            "sternal_angle": [(0.0, STERNAL_ANGLE_Y), (RIB_STERNAL[2][0], STERNAL_ANGLE_Y)],
            "costal_margin": COSTAL_MARGIN,
        }
        ant.update(self.ribs_anterior(rp))
        ant["iliac_crest"] = ILIAC_CREST_ANTERIOR
        ant["inguinal_ligament"] = [PUBIC_TUBERCLE, ASIS]
        post: dict[str, list[Pt]] = {
            "scapula": SCAPULA_OUTLINE,
            "scapular_spine": SCAPULAR_SPINE,
        }
        post.update(self.ribs_posterior(rp))
        for name, y in SPINE.items():
            post[f"spinous_{name}"] = [(0.0, y), (0.8, y)]
        post["iliac_crest"] = ILIAC_CREST_POSTERIOR
        post["sacrum"] = SACRUM_OUTLINE
        return {"anterior": ant, "posterior": post}

    def reference_lines(self) -> dict[str, dict[str, list[Pt]]]:
        mal = [(x, y) for x, y in self.mal_line]
        return {
            "anterior": {
                "midclavicular": [(MCL_X, 110.0), (MCL_X, 145.0)],
                "midaxillary": mal,
            },
            "posterior": {
                "paravertebral": [(PARAVERTEBRAL_X, 118.0), (PARAVERTEBRAL_X, 150.0)],
                "scapular": [(SCAPULAR_X, 114.0), (SCAPULAR_X, 148.0)],
                "midaxillary": mal,
            },
        }


# --------------------------------------------------------------------------------------
# the mesh as a surface: depth maps and the lateral views
# --------------------------------------------------------------------------------------

#: grid step (cm) of the coarse depth map stored in body.json
DEPTH_GRID = 2.0
#: a surface point is drawn on a lateral view when its outward normal is within 60 degrees of
#: the side (normal's lateral component >= 0.5) and it is not on the arm, which the lateral
#: views leave out below the shoulder
LATERAL_FACING = 0.5
#: the arm is cut off the lateral views at this fraction of the shoulder -> elbow axis
ARM_CUT_T = 0.3


def triangles(faces: Sequence[Sequence[int]]) -> np.ndarray:
    out = []
    for face in faces:
        for k in range(1, len(face) - 1):
            out.append((face[0], face[k], face[k + 1]))
    return np.asarray(out)


class Surface:
    """The skin (group ``body``) in body centimetres, with its arm faces and a depth raster.

    ``zmap(view)`` gives, on a regular x-y grid over the left half, the z (cm, anterior
    positive) of the skin nearest the viewer of ``view`` (the front for the anterior view, the
    back for the posterior view) and the lateral component of the outward normal there.
    """

    def __init__(self, verts: np.ndarray, groups, frame: MeshFrame, builder: Builder) -> None:
        self.v = np.c_[verts[:, 0] * frame.scale, (verts[:, 1] - frame.ymin) * frame.scale, verts[:, 2] * frame.scale]
        tris = triangles(groups["body"])
        self.tris = tris
        p = self.v[tris]
        self.centroid = p.mean(axis=1)
        n = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])
        norm = np.linalg.norm(n, axis=1)
        keep = norm > 1e-12
        self.tris, p, self.centroid, n, norm = tris[keep], p[keep], self.centroid[keep], n[keep], norm[keep]
        self.p = p
        self.normal = n / norm[:, None]
        # outward normals: the mesh winding is consistent; orient so that the front of the
        # torso faces +z
        torso = (np.abs(self.centroid[:, 0]) < 3) & (self.centroid[:, 1] > 110) & (self.centroid[:, 1] < 130)
        front = torso & (self.centroid[:, 2] > 0)
        if np.mean(self.normal[front, 2]) < 0:
            self.normal = -self.normal
        self.arm = self._arm_faces(builder)

    def _arm_faces(self, b: Builder) -> np.ndarray:
        """Faces of the left arm beyond ARM_CUT_T of the shoulder -> elbow axis (and the right one)."""
        sh = np.asarray(b.j["l-shoulder"])
        el = np.asarray(b.j["l-elbow"])
        d = (el - sh) / np.linalg.norm(el - sh)
        p0 = sh + ARM_CUT_T * (el - sh)
        c = self.centroid
        x = np.abs(c[:, 0])
        edge = np.full(len(c), np.inf)
        rows = (c[:, 1] > 90) & (c[:, 1] < b.apex[1] + 8)
        for y in np.unique(np.round(c[rows, 1])):
            try:
                e = b.trunk_edge(float(min(y, b.apex[1] - 0.3)))
            except (ValueError, IndexError):
                continue
            edge[rows & (np.round(c[:, 1]) == y)] = e
        beyond = (np.c_[x, c[:, 1]] - p0) @ d > 0
        return beyond & (x > edge + 0.5) & (c[:, 1] > 95)

    def zmap(self, view: str, step: float = DEPTH_GRID):
        """(xs, ys, z, nx) on the grid; z and nx are NaN outside the body."""
        xs = np.arange(0.0, 56.0 + step / 2, step)
        ys = np.arange(0.0, 176.0 + step / 2, step)
        sign = 1.0 if view == "anterior" else -1.0
        best = np.full((len(ys), len(xs)), -np.inf)
        nx = np.full((len(ys), len(xs)), np.nan)
        left = self.centroid[:, 0] > -step
        for i in np.nonzero(left)[0]:
            tri = self.p[i]
            x0, x1 = tri[:, 0].min(), tri[:, 0].max()
            y0, y1 = tri[:, 1].min(), tri[:, 1].max()
            ci = np.nonzero((xs >= x0) & (xs <= x1))[0]
            ri = np.nonzero((ys >= y0) & (ys <= y1))[0]
            if not len(ci) or not len(ri):
                continue
            (ax, ay, az), (bx, by, bz), (cx, cy, cz) = tri
            det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
            if abs(det) < 1e-12:
                continue
            gx, gy = np.meshgrid(xs[ci], ys[ri])
            l1 = ((by - cy) * (gx - cx) + (cx - bx) * (gy - cy)) / det
            l2 = ((cy - ay) * (gx - cx) + (ax - cx) * (gy - cy)) / det
            l3 = 1 - l1 - l2
            inside = (l1 >= -1e-9) & (l2 >= -1e-9) & (l3 >= -1e-9)
            if not inside.any():
                continue
            z = sign * (l1 * az + l2 * bz + l3 * cz)
            sub = best[np.ix_(ri, ci)]
            better = inside & (z > sub)
            if better.any():
                sub[better] = z[better]
                best[np.ix_(ri, ci)] = sub
                nsub = nx[np.ix_(ri, ci)]
                nsub[better] = -1.0 if self.arm[i] else self.normal[i, 0]
                nx[np.ix_(ri, ci)] = nsub
        z = np.where(np.isfinite(best), sign * best, np.nan)
        return xs, ys, z, nx

    def lateral_silhouette(self) -> Polygon:
        """The left half of the skin, arm left out, projected onto the sagittal (z-y) plane."""
        keep = (self.centroid[:, 0] > -0.01) & ~self.arm
        polys = [Polygon(t[:, [2, 1]]) for t in self.p[keep]]
        union = unary_union([q for q in polys if q.area > 1e-9])
        if isinstance(union, MultiPolygon):
            union = max(union.geoms, key=lambda g: g.area)
        sil = Polygon(union.exterior).buffer(0.3, join_style="mitre").buffer(-0.3, join_style="mitre")
        sil = Polygon(sil.exterior).simplify(OUTLINE_TOLERANCE)
        return shapely.set_precision(sil, GRID)

    def side_x(self, u: float, y: float) -> float:
        """Largest x of the skin (arm left out) at sagittal point (z = u, y)."""
        c = self.centroid
        near = (~self.arm) & (np.abs(c[:, 2] - u) < 1.0) & (np.abs(c[:, 1] - y) < 1.0) & (c[:, 0] > 0)
        return float(c[near, 0].max()) if near.any() else 0.0


class DepthMap:
    """Bilinear look-up of a stored depth raster."""

    def __init__(self, xs, ys, z, nx) -> None:
        self.xs, self.ys, self.z, self.nx = np.asarray(xs), np.asarray(ys), np.asarray(z), np.asarray(nx)

    def _cell(self, x: float, y: float):
        step = self.xs[1] - self.xs[0]
        i = int(np.clip(np.floor((y - self.ys[0]) / step), 0, len(self.ys) - 2))
        j = int(np.clip(np.floor((x - self.xs[0]) / step), 0, len(self.xs) - 2))
        fy = (y - self.ys[i]) / step
        fx = (x - self.xs[j]) / step
        return i, j, fx, fy

    def at(self, grid: np.ndarray, x: float, y: float) -> float:
        """Bilinear value, ignoring NaN corners (NaN when all four are NaN)."""
        i, j, fx, fy = self._cell(abs(x), y)
        vals = np.array([grid[i, j], grid[i, j + 1], grid[i + 1, j], grid[i + 1, j + 1]], dtype=float)
        w = np.array([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy])
        ok = np.isfinite(vals)
        if not ok.any():
            return float("nan")
        return float((vals[ok] * w[ok]).sum() / max(w[ok].sum(), 1e-9))

    def depth(self, x: float, y: float) -> float:
        return self.at(self.z, x, y)

    def facing(self, x: float, y: float) -> float:
        return self.at(self.nx, x, y)


#: landmarks of the side of the head, placed from the ear (the external acoustic meatus, the
#: centre of the most lateral part of the head on the mesh) by textbook relations, because a
#: frontal landmark near the edge of the face does not lift to the side surface well
EAR_RELATIVE = {
    "tmj": (1.6, -0.4),
    "mandible_angle": (1.6, -4.8),
    "mastoid_process": (-1.8, -3.0),
    "temple": (4.0, 3.8),
}
#: landmarks on the lateral edge of the frontal views ("both" in the spec) sit halfway between
#: the front and the back skin; the others lift to the skin facing their view
HEAD_LINE_BACK_Y = 156.8


class LateralBuilder:
    """Geometry of the lateral views: u = cm anterior (mesh z), y = cm above the soles.

    The left side is seen; the right lateral view is the same drawing mirrored (plot x = u
    on the right lateral view, the front toward the viewer's right; plot x = -u on the left).
    """

    def __init__(self, b: Builder, surface: Surface, maps: dict[str, DepthMap]) -> None:
        self.b = b
        self.s = surface
        self.maps = maps
        self.outline = surface.lateral_silhouette()
        self.ear = self._ear()
        self.frontal = b.landmarks()

    def _ear(self) -> Pt:
        c, arm = self.s.centroid, self.s.arm
        pts = []
        for y in np.arange(158.5, 163.0, 0.5):
            m = (~arm) & (np.abs(c[:, 1] - y) < 0.25) & (c[:, 0] > 0)
            i = int(np.argmax(np.where(m, c[:, 0], -1.0)))
            pts.append((c[i, 2], c[i, 1]))
        u, y = np.mean(pts, axis=0)
        return (round(float(u), 1), round(float(y), 1))

    # ---- the outline ------------------------------------------------------------------
    def span(self, y: float) -> tuple[float, float]:
        """(back, front) of the lateral outline at height y (the widest crossing)."""
        cut = self.outline.intersection(LineString([(-60, y), (60, y)]))
        segs = [g for g in getattr(cut, "geoms", [cut]) if g.length > 0]
        seg = max(segs, key=lambda g: g.length)
        return seg.bounds[0], seg.bounds[2]

    def frac_line(self, f: float, y0: float, y1: float, step: float = 1.0) -> list[Pt]:
        """Line at fraction f of the way from the back (0) to the front (1) of the outline."""
        out = []
        for y in np.arange(y0, y1 + step / 2, step):
            yy = float(np.clip(y, 0.3, 174.5))
            back, front = self.span(yy)
            out.append((back + f * (front - back), float(y)))
        return out

    def front_of(self, f: float, y0: float, y1: float) -> Polygon:
        """Everything in front of the fraction-f line between heights y0 and y1."""
        line = self.frac_line(f, y0, y1)
        return inter(side(line, keep=(60.0, (y0 + y1) / 2)), box(-60, y0, 60, y1))

    # ---- lifting frontal points ------------------------------------------------------------
    def lift(self, view: str, x: float, y: float) -> Pt:
        a, p = self.maps["anterior"], self.maps["posterior"]
        if view == "anterior":
            u = a.depth(x, y)
        elif view == "posterior":
            u = p.depth(x, y)
        else:
            u = (a.depth(x, y) + p.depth(x, y)) / 2
        return (float(u), float(y))

    def on_arm(self, x: float, y: float) -> bool:
        """Whether (x, y) of the frontal views lies on the arm the lateral views leave out."""
        m = self.maps["anterior"]
        i, j, fx, fy = m._cell(x, y)
        return bool(m.nx[i + round(fy), j + round(fx)] <= -1.0)

    def visible(self, view: str, x: float, y: float) -> bool:
        """Seen from the side: not on the arm, facing the side, not hidden behind other skin.

        Landmarks of the lateral edge of the frontal views (spec view 'both') face the side by
        definition; the others must face it (normal within 60 degrees) and be the outermost skin.
        """
        u, _ = self.lift(view, x, y)
        if not math.isfinite(u) or self.on_arm(x, y) or not self.outline.buffer(0.3).contains(Point(u, y)):
            return False
        if view == "both":
            return True
        if self.maps[view].facing(x, y) < LATERAL_FACING:
            return False
        return x >= self.s.side_x(u, y) - 2.0

    # ---- landmarks ------------------------------------------------------------------------
    def landmarks(self) -> dict[str, Pt]:
        out: dict[str, Pt] = {}
        for view in ("anterior", "posterior", "both"):
            for name, (x, y) in self.frontal[view].items():
                if name in EAR_RELATIVE or name.endswith(("_sternal", "_mcl", "_paravertebral", "_scapular")):
                    continue
                if self.visible(view, x, y):
                    out[name] = self.lift(view, x, y)
        eu, ey = self.ear
        for name, (du, dy) in EAR_RELATIVE.items():
            out[name] = (eu + du, ey + dy)
        return {k: (round(u, 1), round(y, 1)) for k, (u, y) in out.items()}

    # ---- skeleton ---------------------------------------------------------------------------
    def skeleton(self, lm: dict[str, Pt]) -> dict[str, list[Pt]]:
        def lifted(view: str, pts: Sequence[Pt]) -> list[Pt]:
            return [self.lift(view, x, y) for x, y in pts]

        chin = self.lift("anterior", 0.0, 151.6)
        angle, tmj = lm["mandible_angle"], lm["tmj"]
        zyg = self.lift("anterior", 4.7, 160.4)

        def mark(c: Pt, ru: float, ry: float) -> list[Pt]:
            ring_ = list(ellipse(c[0], c[1], ru, ry, 16).exterior.coords)
            return [(float(a), float(b)) for a, b in ring_]

        skel: dict[str, list[Pt]] = {
            "mandible": Builder._curve(
                [
                    (chin[0] - 1.0, chin[1] + 0.6),
                    (chin[0] - 4.0, chin[1] + 0.9),
                    angle,
                    (tmj[0] - 0.3, tmj[1] - 1.5),
                    tmj,
                ]
            ),
            "zygomatic_arch": Builder._curve([(zyg[0] - 0.5, zyg[1] - 0.2), ((zyg[0] + tmj[0]) / 2, 160.6), tmj]),
            "mastoid": mark(lm["mastoid_process"], 0.8, 1.3),
            "clavicle": Builder._curve(lifted("anterior", CLAVICLE[:-2]) + [lm["acromion"]]),
            "acromion": mark(lm["acromion"], 1.6, 0.6),
        }
        for k in range(2, 13):
            key = f"rib{k}_mal"
            if key in lm:
                u, y = lm[key]
                skel[f"rib{k}"] = [(u - 2.2, y + 0.9), (u, y), (u + 2.2, y - 0.9)]
        # ASIS along the anterior crest, over the top of the crest (on the lateral edge), then
        # back along the posterior crest toward the PSIS (which lies out of sight behind)
        front = lifted("anterior", ILIAC_CREST_ANTERIOR[:-1])
        top = self.lift("both", *ILIAC_CREST_TOP)
        back = lifted("posterior", [q for q in ILIAC_CREST_POSTERIOR[::-1] if q[0] < ILIAC_CREST_TOP[0] - 1.0])
        skel["iliac_crest"] = Builder._curve([*front, top, *back])
        skel["greater_trochanter"] = mark(lm["greater_trochanter"], 2.2, 2.6)
        skel["fibular_head"] = mark(lm["fibular_head"], 1.1, 1.1)
        skel["lateral_malleolus"] = mark(lm["lateral_malleolus"], 1.1, 1.5)
        return {k: [(round(a, 1), round(b, 1)) for a, b in v] for k, v in skel.items()}

    def reference_lines(self, lm: dict[str, Pt]) -> dict[str, list[Pt]]:
        ribs = [lm[f"rib{k}_mal"] for k in range(2, 13) if f"rib{k}_mal" in lm]
        u = float(np.mean([p[0] for p in ribs]))
        return {"midaxillary": [(round(u, 1), 112.0), (round(u, 1), round(self.b.apex[1], 1))]}

    # ---- regions ----------------------------------------------------------------------------
    def regions(self, lm: dict[str, Pt]) -> dict[str, list[Polygon]]:
        P = Partition(self.outline)
        eu, ey = self.ear
        chin = self.lift("anterior", 0.0, 151.6)
        angle = lm["mandible_angle"]
        mast = lm["mastoid_process"]
        back_head = self.span(HEAD_LINE_BACK_Y)[0]
        head_line = [
            (chin[0] + 3.0, chin[1] - 1.0),
            (chin[0] - 3.0, chin[1] - 0.2),
            (angle[0], angle[1] - 0.6),
            (mast[0] - 1.0, HEAD_LINE_BACK_Y),
            (back_head - 5.0, HEAD_LINE_BACK_Y),
        ]
        head = P.part(side(head_line, keep=(eu, 170.0)))
        front_face = self.span(162.6)[1]
        tmj = lm["tmj"]
        arch_y = 160.6  # the zygomatic arch, the floor of the temple
        # the auricle (about 6.5 cm tall, its top tilted back) with the joint just in front of the tragus
        P.take("ear_tmj", affinity.rotate(ellipse(eu + 0.8, ey - 0.1, 2.4, 3.3, 32), 12, origin="center"), head)
        # the mastoid: a rounded bump behind the lobule, from its tip up toward the ear's middle
        P.take("mastoid", ellipse(mast[0] - 0.2, mast[1] + 1.2, 1.5, 2.2, 24), head)
        P.take("orbit", ellipse(front_face - 2.4, 162.6, 1.9, 1.6), head)
        # the temporal fossa: a fan over the zygomatic arch from behind the ear's top to behind the
        # orbit's rim, its upper edge the arch of the temporal line
        back_t, front_t = eu - 2.3, front_face - 3.4
        fan = ellipse((back_t + front_t) / 2, arch_y, (front_t - back_t) / 2, 7.0, 48)
        P.take("temple", inter(fan, box(-60, arch_y, 60, 200)), head)
        P.take("vertex", box(-60, 169.5, 60, 200), head)
        # the forehead in front of a line rising back from the orbit's rim; the occiput behind the ear
        P.take("forehead", Polygon([(front_t - 0.6, 164.3), (front_face - 7.0, 169.5), (60, 169.5), (60, 164.3)]), head)
        P.take(
            "occiput", Polygon([(eu - 0.8, 150), (eu - 0.8, 163.5), (eu - 3.5, 169.5), (-60, 169.5), (-60, 150)]), head
        )
        P.take("vertex", box(-60, 164.3, 60, 200), head)  # the side of the crown above the temple
        # the cheek, in front of the ramus and above a band along the mandible's body (the jaw's)
        cheek_low = [
            (front_face + 5.0, chin[1] + 3.2),
            (chin[0] - 2.0, chin[1] + 3.2),
            (angle[0] + 2.8, angle[1] + 2.4),
            (tmj[0] + 1.2, tmj[1] - 0.6),
            (tmj[0] + 1.2, 170.0),
        ]
        P.take("cheek", Polygon([*cheek_low, (front_face + 5.0, 170.0)]), head)
        P.take("jaw", head, head)
        # neck: down to the line from the jugular notch over the acromion to C7
        acr = lm["acromion"]
        jug = self.lift("anterior", 0.0, JUGULAR_Y)
        c7 = self.lift("posterior", 0.0, C7_Y)
        base = [(jug[0] + 3.0, jug[1]), jug, (acr[0], acr[1] + 1.8), (c7[0], c7[1] - 1.0), (c7[0] - 5.0, c7[1] - 1.0)]
        neck = P.part(side(base, keep=(0.0, 152.0)))
        P.take("anterior_neck", self.front_of(0.72, 140.0, 158.0), neck)
        P.take("lateral_neck", self.front_of(0.33, 140.0, 158.0), neck)
        P.take("posterolateral_neck", neck, neck)
        # shoulder cap (the arm is left out below it)
        lifted_clavicle = [self.lift("anterior", x, y) for x, y in CLAVICLE[:-2]] + [acr]
        above_clavicle = side([(c[0], c[1] + 0.3) for c in lifted_clavicle], keep=(acr[0], 160.0))
        P.take("supraclavicular", inter(above_clavicle, box(acr[0], 0, 60, 200)))
        P.take("suprascapular", above_clavicle)
        cap = ellipse(acr[0] + 0.2, acr[1] - 6.0, 6.0, 7.0, 32)
        P.take("lateral_shoulder", inter(cap, box(acr[0] - 2.0, 0, acr[0] + 2.4, 200)))
        P.take("anterior_shoulder", inter(cap, box(acr[0] + 0.4, 0, 60, 200)))
        P.take("posterior_shoulder", cap)
        # trunk: front, side and back strips
        nip_y, umb_y = NIPPLE[1], UMBILICUS_Y
        crest = self.skeleton(lm)["iliac_crest"]
        above_crest = side(extend(crest, 30), keep=(0.0, 120.0))
        P.take("upper_chest", inter(self.front_of(0.66, nip_y, 150.0), box(-60, nip_y, 60, 150)))
        P.take("lower_chest", self.front_of(0.66, 113.0, nip_y))
        P.take("upper_abdomen", self.front_of(0.66, umb_y, 113.0))
        groin_top = ASIS[1] - 2.0
        P.take("lower_abdomen", self.front_of(0.62, groin_top, umb_y))
        P.take("lateral_chest", inter(self.front_of(0.3, 112.0, self.b.apex[1]), box(-60, 112, 60, 140)))
        P.take("lateral_scapula", box(-60, 128.3, 60, 150.0))
        P.take("lateral_mid_back", box(-60, 112.0, 60, 128.3))
        P.take("iliac_crest", Builder.crest_band(crest))
        P.take("flank", inter(above_crest, box(-60, 97.0, 60, 112.0)))
        # hip and thigh
        thigh_top = 82.0
        P.take("groin", self.front_of(0.84, thigh_top, groin_top))
        P.take("anterior_hip", self.front_of(0.6, thigh_top, groin_top + 3.0))
        P.take("buttock", inter(side(self.frac_line(0.38, 78.0, 108.0), keep=(-60.0, 90.0)), box(-60, 78.0, 60, 110.0)))
        P.take("lateral_hip", box(-60, thigh_top, 60, 110.0))
        knee_top = self.b.j["l-knee"][1] + 5.5
        leg_top = self.b.j["l-knee"][1] - 4.5
        P.take("anterior_thigh", self.front_of(0.64, knee_top, thigh_top))
        P.take(
            "posterior_thigh",
            inter(
                side(self.frac_line(0.3, knee_top, thigh_top), keep=(-60.0, 70.0)),
                box(-60, knee_top, 60, thigh_top + 0.5),
            ),
        )
        P.take("lateral_thigh", box(-60, knee_top, 60, thigh_top + 0.5))
        P.take("anterior_knee", self.front_of(0.64, leg_top, knee_top))
        P.take("lateral_knee", self.front_of(0.3, leg_top, knee_top))
        P.take("posterior_knee", box(-60, leg_top, 60, knee_top + 0.5))
        P.take("shin", self.front_of(0.68, POST_ANKLE_TOP_Y, leg_top))
        P.take("lateral_leg", self.front_of(0.34, POST_ANKLE_TOP_Y, leg_top))
        P.take("calf", box(-60, POST_ANKLE_TOP_Y, 60, leg_top + 0.5))
        heel_u = self.span(3.0)[0] + 4.5
        P.take("sole", box(-60, -5, 60, 0.9))
        P.take("heel", box(-60, -5, heel_u, FOOT_TOP_Y))
        P.take("anterior_ankle", self.front_of(0.66, FOOT_TOP_Y, POST_ANKLE_TOP_Y))
        P.take("lateral_ankle", self.front_of(0.3, FOOT_TOP_Y, POST_ANKLE_TOP_Y))
        P.take("posterior_ankle", box(-60, FOOT_TOP_Y, 60, POST_ANKLE_TOP_Y + 0.5))
        toes_u = lm.get("great_toe", (self.span(1.5)[1] - 4.0, 1.0))[0] - 1.5
        P.take("toes", box(toes_u, -5, 60, FOOT_TOP_Y))
        P.take("lateral_foot", box(-60, -5, 60, 3.0))
        P.take("dorsal_foot", box(-60, -5, 60, FOOT_TOP_Y + 0.5))
        return P.finish()


# --------------------------------------------------------------------------------------
# assembly
# --------------------------------------------------------------------------------------

COORDINATES_NOTE = (
    "x = cm from the body midline toward the patient's LEFT (x >= 0 for everything stored), "
    "y = cm above the soles. Both views are stored in body coordinates, un-mirrored; only the "
    "left side is stored (the right side is the mirror image x -> -x). The plotting code "
    "mirrors the posterior view (seen from behind, the patient's left is on the viewer's left). "
    "Rings are listed without repeating their first point; skeleton entries are open "
    "polylines; 'sternum' is the left half of the sternal outline (mirror it for the full bone). "
    "The lateral views (lateral_right, lateral_left) show one side of the body in profile: "
    "x = u = cm anterior of the mesh's coronal origin (the face has u > 0), y = cm above the "
    "soles. Both lateral views store the same drawing; the plotting code puts the front on the "
    "viewer's right on the right lateral view (plot x = u) and on the viewer's left on the left "
    "lateral view (plot x = -u), so each is the mirror of the other. The lateral views leave the "
    "arm out below the shoulder (as plates of the chest wall do), reuse the ids of the regions "
    "of the frontal views they show, and have no right/left mirror: a lateral view shows only "
    "its own side."
)


FRONTAL_VIEWS = ("anterior", "posterior")
LATERAL_VIEWS = ("lateral_right", "lateral_left")


def spec_views(value: str) -> tuple[str, ...]:
    """Views of a landmarks_spec.csv row: a '|' list of views, 'both' meaning anterior and posterior."""
    out: list[str] = []
    for token in value.split("|"):
        out += list(FRONTAL_VIEWS) if token == "both" else [token]
    return tuple(out)


def _grid(values: np.ndarray, digits: int = 1) -> list[list[float | None]]:
    return [[None if not np.isfinite(v) else round(float(v), digits) for v in row] for row in values]


def surface_json(surface: Surface, rasters: dict) -> dict:
    """The coarse depth maps that place a frontal point on the skin in 3D (for the lateral views)."""
    xs, ys = rasters["anterior"][0], rasters["anterior"][1]
    us = np.arange(-14.0, 36.0 + DEPTH_GRID / 2, DEPTH_GRID)
    side = np.full((len(ys), len(us)), np.nan)
    c = surface.centroid
    keep = (~surface.arm) & (c[:, 0] > 0)
    iu = np.clip(np.round((c[keep, 2] - us[0]) / DEPTH_GRID).astype(int), 0, len(us) - 1)
    iy = np.clip(np.round((c[keep, 1] - ys[0]) / DEPTH_GRID).astype(int), 0, len(ys) - 1)
    for a, b_, x in zip(iy, iu, c[keep, 0], strict=True):
        if not x <= side[a, b_]:  # NaN or smaller
            side[a, b_] = x
    return {
        "about": (
            "Coarse depth maps of the skin on a regular grid (step cm; rows are y = y0 + i*step, "
            "columns x = x0 + j*step, left half). depth: z (cm, anterior positive, the u axis of the "
            "lateral views) of the skin nearest the viewer of that view; facing: the lateral "
            "(outward x) component of the skin's unit normal there, -1 on the arm, which the lateral "
            "views leave out below the shoulder; null outside the body. lateral.side_x: on a grid of "
            "(u, y), the largest x of the skin (arm left out), to tell skin seen from the side from "
            "skin hidden behind it. A point of a frontal view is drawn on the lateral view of its "
            f"side at (depth, y) when facing >= {LATERAL_FACING} and x >= side_x - 2 cm."
        ),
        "step": DEPTH_GRID,
        "x0": float(xs[0]),
        "y0": float(ys[0]),
        "facing_min": LATERAL_FACING,
        "hidden_cm": 2.0,
        **{v: {"depth": _grid(r[2]), "facing": _grid(r[3], 2)} for v, r in rasters.items()},
        "lateral": {"u0": float(us[0]), "y0": float(ys[0]), "side_x": _grid(side)},
    }


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def ring(poly: Polygon) -> list[list[float]]:
    coords = list(poly.exterior.coords)[:-1]
    return [[round(x, 1), round(y, 1)] for x, y in coords]


def line(points: Sequence[Pt]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        q = [round(float(x), 1), round(float(y), 1)]
        if not out or q != out[-1]:
            out.append(q)
    return out


def build(mesh: Path, data_dir: Path) -> dict:
    verts, groups = load_obj(mesh)
    outline, frame = body_outline(verts, groups)
    joints = joint_centres(verts, groups, frame)
    b = Builder(outline, joints)
    regions = {"anterior": b.anterior_regions(), "posterior": b.posterior_regions()}
    lms = b.landmarks()
    skel = b.skeleton()
    refs = b.reference_lines()
    surface = Surface(verts, groups, frame, b)
    rasters = {v: surface.zmap(v) for v in FRONTAL_VIEWS}
    lat = LateralBuilder(b, surface, {v: DepthMap(*r) for v, r in rasters.items()})
    lateral_lms = lat.landmarks()
    lateral_regions = lat.regions(lateral_lms)
    for view in LATERAL_VIEWS:
        regions[view] = lateral_regions
        skel[view] = lat.skeleton(lateral_lms)
        refs[view] = lat.reference_lines(lateral_lms)

    spec_regions = read_csv(data_dir / "regions.csv")
    spec_landmarks = read_csv(data_dir / "landmarks_spec.csv")
    # leaves are single-view rows that are nobody's parent ("chest", "upper_back" ... are
    # single-view groups); groups are exposed as lists of their leaves per view
    parents = {r["parent_id"] for r in spec_regions if r["parent_id"]}
    children: dict[str, list[str]] = defaultdict(list)
    for r in spec_regions:
        if r["parent_id"]:
            children[r["parent_id"]].append(r["region_id"])

    def leaves_of(rid: str) -> list[str]:
        if rid not in children:
            return [rid]
        return [leaf for c in children[rid] for leaf in leaves_of(c)]

    leaf_ids = {r["region_id"] for r in spec_regions if r["region_id"] not in parents and r["view"] != "both"}
    views: dict[str, dict] = {}
    for view in FRONTAL_VIEWS + LATERAL_VIEWS:
        have = regions[view]
        # a view draws the leaf regions whose home view it is, and may show others (the side of
        # the knee is seen from the front and from behind; the lateral views reuse frontal regions)
        home = [r["region_id"] for r in spec_regions if r["view"] == view and r["region_id"] not in parents]
        wanted = home + sorted(set(have) - set(home))
        missing, extra = set(home) - set(have), set(have) - leaf_ids
        if missing or extra:
            raise SystemExit(f"{view}: missing regions {sorted(missing)}, extra {sorted(extra)}")
        lm_ids = [r["landmark_id"] for r in spec_landmarks if view in spec_views(r["view"])]
        pool = lateral_lms if view in LATERAL_VIEWS else {**lms[view], **lms["both"]}
        absent = [k for k in lm_ids if k not in pool]
        if absent:
            raise SystemExit(f"{view}: landmarks without a position: {absent}")
        views[view] = {
            "landmarks": {k: list(pool[k]) for k in lm_ids},
            "regions": {r: [ring(p) for p in have[r]] for r in wanted},
            "region_groups": {
                g: [leaf for leaf in leaves_of(g) if leaf in have]
                for g in children
                if any(leaf in have for leaf in leaves_of(g))
            },
            "skeleton": {k: line(v) for k, v in skel[view].items()},
            "reference_lines": {k: line(v) for k, v in refs[view].items()},
        }
    missing_lateral = {r["landmark_id"] for r in spec_landmarks if set(spec_views(r["view"])) & set(LATERAL_VIEWS)}
    seen_lateral = sorted(set(lateral_lms) - missing_lateral)
    if seen_lateral:
        print(f"note: seen from the side but not listed for the lateral views in the spec: {seen_lateral}")
    unused = set(lms["anterior"]) | set(lms["posterior"]) | set(lms["both"])
    unused -= {r["landmark_id"] for r in spec_landmarks}
    if unused:
        raise SystemExit(f"landmarks not in the spec: {sorted(unused)}")

    return {
        "units": "cm",
        "coordinates": COORDINATES_NOTE,
        "provenance": (
            f"Outline: {MESH_SOURCE}. The skin faces (group 'body') were projected "
            "orthographically onto the frontal (x-y) plane and their union taken with shapely, "
            f"scaled uniformly to a body height of {BODY_HEIGHT_CM:g} cm with the soles at y = 0, "
            "made exactly left-right symmetric (left half mirrored) and simplified "
            f"(Douglas-Peucker, {OUTLINE_TOLERANCE} cm) on a {GRID} cm grid. Limb axes come from "
            "the mesh's joint markers (joint-l-shoulder, -elbow, -hand, -upper-leg, -knee, "
            "-ankle). Landmarks, regions, skeleton and reference lines are a hand-built "
            "schematic on that outline using standard surface-anatomy relations (vertebral and "
            "rib levels); they are approximate. Derived by scripts/derive_geometry.py."
        ),
        "height_cm": round(outline.bounds[3] - outline.bounds[1], 1),
        "outline": ring(outline),
        # limb axes (proximal -> distal joint centre, left side): the limbs are posed (arms
        # abducted about 40 degrees, forearms pointing forward), so offsets "along the limb"
        # should follow these axes rather than the vertical
        "limb_axes": {name: line([joints[a], joints[b]]) for name, (a, b) in LIMB_JOINTS.items()},
        "lateral_outline": ring(lat.outline),
        "surface": surface_json(surface, rasters),
        "views": views,
    }


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mesh", type=Path, default=DEFAULT_MESH, help="MakeHuman hm08 base.obj (.obj or .obj.gz)")
    ap.add_argument("--out", type=Path, default=REPO / "data/geometry/body.json")
    ap.add_argument("--data", type=Path, default=REPO / "data", help="folder with regions.csv and landmarks_spec.csv")
    args = ap.parse_args(argv)
    body = build(args.mesh, args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(body, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) / 1024:.0f} KB)")


if __name__ == "__main__":
    main()

"""Safety overlays: the pleura and lungs projected on the body surface, risk tiers, danger zones.

Everything is built from landmarks of the body geometry, following the surface-anatomy recipe of
the atlas's sources (``atlas.facts`` with topic ``surface_anatomy``):

- the apex of the lung and cervical pleura rises above the medial third of the clavicle, typically
  about 2.5 cm, anywhere from about 0 to 5 cm (drawn as a band, not one line);
- the parietal pleura runs from behind the sternoclavicular joints to the midline at the sternal
  angle, down to the 6th costal cartilage (on the left it arches out at the 4th costal cartilage),
  then crosses rib 8 at the midclavicular line, rib 10 at the midaxillary line and rib 12 at the
  paravertebral line, about 1 cm below the end of the rib;
- behind, the pleura runs beside the spine from about 2 cm lateral to the C7 spine down to about
  2 cm lateral to the T12 spine (the lung stops near T10);
- the lung's lower border lies two ribs higher (6, 8, 10); the strip between them is the pleural
  recess the lung moves into on deep breathing (5 to 8 cm between extremes);
- on the left the lung's anterior border swings out behind the 5th and 6th costal cartilages
  (the cardiac notch, 2.5 to 3.5 cm from the sternal border).

Risk tiers follow ``atlas.safety_tiers``: pleura with no bony backstop is ``high``, and so is the lower
sternum (from the 4th costal cartilage down through the xiphoid), where sternal foramina can let a
needle through to the pericardium or lung; pleura under the scapular blade or the upper sternum is
``caution``, and its label says that this bone can be defective too. All shapes are schematic and
educational.

On the lateral views (one side in profile, ``(u, y)`` with ``u`` anterior) the same recipe is seen
from the side: the lower border of the pleura runs from rib 8 at the front (the height of the
midclavicular crossing) through the lateral view's own rib 10 at the midaxillary line to 1 cm below
rib 12 at the back; the lung's runs from rib 6 through rib 8 at the midaxillary line to rib 10 at the
scapular line. Heights are shared by all views (``y``), so the front and back ends take the frontal
views' landmarks' heights and reach the skin's outline. The top follows the apex: from the front of
the neck's root at the height of the sternoclavicular joint up to the apex above the medial third of
the clavicle and back to the height of the C7 spine. The lateral chest wall, between the axillary
folds where serratus anterior and the intercostals are needled, has no bony backstop (``high``); only
the strip behind the posterior axillary fold, over the lateral border of the scapula from its inferior
angle up, is ``caution`` (a schematic stand-in for the blade, which the lateral skeleton does not draw).
Danger zones of the frontal views are drawn on a lateral view when their landmarks are seen from the
side (:func:`dnviz.geometry.lift_to_side`).
"""

from __future__ import annotations

from functools import lru_cache

from shapely.affinity import scale
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import unary_union

from dnviz import geometry as geo

APEX_TYPICAL_CM = 2.5  # above the medial third of the clavicle
APEX_RANGE_CM = (0.0, 5.0)
PLEURA_BELOW_RIB12_CM = 1.0
CARDIAC_NOTCH_CM = 3.0  # lateral to the sternal border (sources give 2.5 and 3.5)
LUNG_MEDIAL_POSTERIOR_CM = 2.5  # lateral to the spinous processes (lower end at T10)
LUNG_EXCURSION_CM = (5.0, 8.0)  # how far the lung's lower border moves between full breaths in and out
#: The rib each lower border crosses, by surface line (``atlas.facts``: ``pleura_rib8_mcl``,
#: ``pleura_rib10_mal``, ``pleura_rib12_paravertebral``, ``lung_rib6_mcl``, ``lung_rib8_mal``,
#: ``lung_rib10_scapular``); ``tests/test_safety_numbers.py`` holds every constant here to its fact.
PLEURA_RIBS = {"mcl": 8, "mal": 10, "paravertebral": 12}
LUNG_RIBS = {"mcl": 6, "mal": 8, "scapular": 10}
PLEURA_MEDIAL_POSTERIOR_CM = 2.0  # lateral to the spinous processes, from C7 down to T12
LOWER_STERNUM_TOP = "rib4_sternal"  # sternal foramina cluster at the 4th to 6th costal cartilages

#: Cited facts (``atlas.facts``) that the hover labels of the bony tiers show: bone is no sure stop.
BONE_CAVEATS = {
    "posterior": ("scapula_fossa_defect",),
    "anterior": ("sternal_foramen_prevalence", "sternal_foramen_location"),
    "lateral_right": ("scapula_fossa_defect",),
    "lateral_left": ("scapula_fossa_defect",),
}
LOWER_STERNUM_FACTS = ("sternal_foramen_location", "case_sternal_tamponade")


def _lm(view: str, landmark_id: str) -> tuple[float, float]:
    return geo.landmark(view, landmark_id, "left")


def _lateral(view: str) -> bool:
    return view in geo.LATERAL_VIEWS


def _empty() -> Polygon:
    return Polygon()


FAR_CM = 60.0  # beyond the skin on a lateral view: the outline cuts the recipe's ends


def _lateral_outline(view: str, kind: str) -> list[tuple[float, float]]:
    """Recipe points ``(u, y)`` of the pleura or lung on a lateral view (both lateral views alike)."""
    _, y_sc = _lm("anterior", "sc_joint")
    _, cy = _lm("anterior", "clavicle_medial_third")
    _, y_c7 = _lm("posterior", "c7_spinous")
    ribs = PLEURA_RIBS if kind == "pleura" else LUNG_RIBS
    _, y_front = _lm("anterior", f"rib{ribs['mcl']}_mcl")
    mal = geo.landmark(view, f"rib{ribs['mal']}_mal")
    if kind == "pleura":
        _, y_back = _lm("posterior", f"rib{PLEURA_RIBS['paravertebral']}_paravertebral")
        y_back -= PLEURA_BELOW_RIB12_CM
    else:
        _, y_back = _lm("posterior", f"rib{LUNG_RIBS['scapular']}_scapular")
    apex = (max(u for u, _ in geo.skeleton(view)["clavicle"]), cy + APEX_TYPICAL_CM)  # over its medial end
    return [(FAR_CM, y_sc), apex, (-FAR_CM, y_c7), (-FAR_CM, y_back), tuple(mal), (FAR_CM, y_front)]


def _lateral_clip(shape: Polygon) -> Polygon | MultiPolygon:
    return shape.buffer(0).intersection(geo.load_body().lateral_outline)


def _recipe(view: str, kind: str, side: str) -> Polygon | MultiPolygon:
    if _lateral(view):
        if side not in geo.view_sides(view):  # the side a lateral view does not show
            return _empty()
        return _lateral_clip(Polygon(_lateral_outline(view, kind)))
    pts = _anterior_outline(kind, side) if view == "anterior" else _posterior_outline(kind)
    return _mirror(_clip(Polygon(pts)), side)


def _mirror(shape, side: str):
    return shape if side == "left" else scale(shape, xfact=-1.0, yfact=1.0, origin=(0, 0))


def _clip(shape: Polygon) -> Polygon | MultiPolygon:
    """Keep a recipe polygon inside the body's left half (the recipe's points are landmarks)."""
    return shape.buffer(0).intersection(geo.load_body().outline)


def _anterior_outline(kind: str, side: str) -> list[tuple[float, float]]:
    """Recipe points (left-side body coordinates) of the pleura or lung on the anterior view."""
    cx, cy = _lm("anterior", "clavicle_medial_third")
    apex = (cx, cy + APEX_TYPICAL_CM)
    sc = _lm("anterior", "sc_joint")
    _, y_angle = _lm("anterior", "sternal_angle")
    r4 = _lm("anterior", "rib4_sternal")
    r5 = _lm("anterior", "rib5_sternal")
    r6 = _lm("anterior", "rib6_sternal")
    medial = [apex, sc, (0.3, y_angle)]
    if side == "left":  # the left pleura arches out at the 4th costal cartilage
        medial += [(0.3, r4[1]), (r4[0] + 0.5, r4[1])]
        if kind == "lung":  # cardiac notch behind costal cartilages 5 and 6
            medial += [(r5[0] + CARDIAC_NOTCH_CM, r5[1]), (r6[0] + CARDIAC_NOTCH_CM, r6[1])]
        else:
            medial += [(r6[0] + 0.5, r6[1])]
    else:
        medial += [(0.3, r6[1]), (r6[0], r6[1])]
    ribs = PLEURA_RIBS if kind == "pleura" else LUNG_RIBS
    low = [f"rib{ribs['mcl']}_mcl", f"rib{ribs['mal']}_mal"]
    lower = [_lm("anterior", i) for i in low]
    top_rib = int(low[-1].removeprefix("rib").split("_")[0])
    lateral = [_lm("anterior", f"rib{k}_mal") for k in range(top_rib - 1, 1, -1)]
    return [*medial, *lower, *lateral, _lm("anterior", "rib1_mcl")]


def _posterior_outline(kind: str) -> list[tuple[float, float]]:
    """Recipe points of the pleura or lung on the posterior view (left side; both sides alike)."""
    _, y_c7 = _lm("posterior", "c7_spinous")
    medial = PLEURA_MEDIAL_POSTERIOR_CM if kind == "pleura" else LUNG_MEDIAL_POSTERIOR_CM
    # the lung's apex fills the cervical pleura, so both start at the pleura's point beside C7
    top = [(PLEURA_MEDIAL_POSTERIOR_CM, y_c7), _lm("posterior", "rib1_scapular")]
    ribs = PLEURA_RIBS if kind == "pleura" else LUNG_RIBS
    lateral_top = [_lm("posterior", f"rib{k}_mal") for k in range(2, ribs["mal"] + 1)]
    if kind == "pleura":
        x12, y12 = _lm("posterior", f"rib{PLEURA_RIBS['paravertebral']}_paravertebral")
        lower = [
            _lm("posterior", "rib11_scapular"),
            (x12, y12 - PLEURA_BELOW_RIB12_CM),
            (medial, y12 - PLEURA_BELOW_RIB12_CM),
        ]
    else:
        _, y_t10 = _lm("posterior", "t10_spinous")
        lower = [_lm("posterior", f"rib{LUNG_RIBS['scapular']}_scapular"), (LUNG_MEDIAL_POSTERIOR_CM, y_t10)]
    return [*top, *lateral_top, *lower]


@lru_cache(maxsize=16)
def pleura(view: str, side: str) -> Polygon | MultiPolygon:
    """The parietal pleura's surface projection on one side (the outer danger envelope)."""
    return _recipe(view, "pleura", side)


@lru_cache(maxsize=16)
def lung(view: str, side: str) -> Polygon | MultiPolygon:
    """The lung's surface projection at quiet breathing on one side."""
    return _recipe(view, "lung", side)


@lru_cache(maxsize=16)
def pleural_recess(view: str, side: str) -> Polygon | MultiPolygon:
    """Pleura without lung at quiet breathing: where the lung's edge moves with deep breaths."""
    return pleura(view, side).difference(lung(view, side))


@lru_cache(maxsize=4)
def apex_band(side: str) -> Polygon:
    """Anterior view: the band 0 to 5 cm above the medial part of the clavicle where the apex may lie."""
    sx, sy = _lm("anterior", "sc_joint")
    mx, my = _lm("anterior", "clavicle_mid")
    low, high = APEX_RANGE_CM
    band = Polygon([(sx, sy + low), (mx, my + low), (mx, my + high), (sx, sy + high)])
    return _mirror(_clip(band), side)


@lru_cache(maxsize=4)
def _bone(view: str, side: str):
    """Bony backstops drawn in the skeleton: the scapular blade (posterior) or the sternum (anterior);
    on a lateral view the strip behind the posterior axillary fold from the scapula's inferior angle up
    to the acromion (the blade's lateral border seen from the side, schematic)."""
    if _lateral(view):
        fold_u, _ = geo.landmark(view, "axilla_posterior_fold")
        _, y_angle = _lm("posterior", "inferior_angle_scapula")
        _, y_top = geo.landmark(view, "acromion")
        return Polygon([(-FAR_CM, y_angle), (fold_u, y_angle), (fold_u, y_top), (-FAR_CM, y_top)])
    name = "scapula" if view == "posterior" else "sternum"
    outline = geo.skeleton(view, "left")[name]
    shape = Polygon(outline).buffer(0)
    if view == "anterior":  # the sternum is stored as its left half: close it along the midline
        shape = Polygon([*outline, (0.0, outline[-1][1])]).buffer(0)
    return _mirror(shape, side)


@lru_cache(maxsize=4)
def lower_sternum(side: str) -> Polygon | MultiPolygon:
    """Anterior view: one side's half of the sternum from the 4th costal cartilage down through the
    xiphoid, where sternal foramina (mostly at the 4th to 6th cartilages) and xiphoid foramina lie.

    The bone there is no reliable backstop: a needle through a foramen can reach the pericardium,
    heart or lung (``atlas.facts``: ``sternal_foramen_location``, ``case_sternal_tamponade``).
    """
    _, top = _lm("anterior", LOWER_STERNUM_TOP)
    below = Polygon([(-1.0, top), (10.0, top), (10.0, -10.0), (-1.0, -10.0)])
    return _bone("anterior", "left").intersection(below) if side == "left" else _mirror(lower_sternum("left"), side)


@lru_cache(maxsize=16)
def risk_zones(view: str, side: str) -> dict[str, Polygon | MultiPolygon]:
    """Tier -> zone on one side: ``high`` (pleura with no bony backstop, the apex band, and on the
    anterior view the lower sternum) and ``caution`` (pleura under the scapular blade or the upper
    sternum)."""
    envelope = pleura(view, side)
    bone = _bone(view, side)
    if view == "anterior":
        envelope = unary_union([envelope, apex_band(side)])
        weak = lower_sternum(side)
        return {
            "high": unary_union([envelope.difference(bone), weak]),
            "caution": envelope.intersection(bone).difference(weak),
        }
    return {"high": envelope.difference(bone), "caution": envelope.intersection(bone)}


def tier_at(view: str, side: str, x: float, y: float) -> str:
    """Risk tier at a point in body coordinates: ``high``, ``caution`` or ``low`` (``(u, y)`` on a
    lateral view; the side a lateral view does not show is ``low`` there)."""
    here = Point(x, y)
    zones = risk_zones(view, side)
    for tier in ("high", "caution"):
        if zones[tier].buffer(0.05).contains(here):
            return tier
    return "low"


def danger_zone_shape(atlas, zone_id: str, side: str, view: str | None = None) -> Polygon:
    """A danger zone's drawing shape (circle or landmark polygon) on one side, on its own view or
    (``view=``) on a lateral view, where it is drawn when every one of its landmarks is seen from the
    side (:func:`dnviz.geometry.lift_to_side`) and is empty otherwise."""
    zone = atlas.danger_zones.loc[zone_id]
    points = [geo.landmark(zone["view"], lm, side) for lm in zone["landmark_ids"]]
    outline = geo.load_body().outline
    if view is not None and view != zone["view"]:
        if not _lateral(view) or side not in geo.view_sides(view):
            return _empty()
        points = [geo.lift_to_side(zone["view"], x, y) for x, y in points]
        if any(p is None for p in points):
            return _empty()
        outline = geo.load_body().lateral_outline
    if zone["shape"] == "circle":
        return Point(points[0]).buffer(float(zone["radius_cm"]), quad_segs=8).intersection(outline)
    polygon = Polygon(points).buffer(0)
    return polygon.intersection(outline) if _lateral(view or "") else polygon

"""Tests of the body geometry (data/geometry/body.json and dnviz.geometry)."""

from __future__ import annotations

import csv
import itertools
import json
import sys
from pathlib import Path

import pytest
from shapely.affinity import scale
from shapely.geometry import LineString, Point, box
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # allow running the file from anywhere
    sys.path.insert(0, str(REPO))

from dnviz import geometry  # noqa: E402

VIEWS = ("anterior", "posterior")  # the frontal views
LATERAL = ("lateral_right", "lateral_left")
BODY_JSON = REPO / "data" / "geometry" / "body.json"


def read_csv(name: str):
    with open(REPO / "data" / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


REGIONS = read_csv("regions.csv")
LANDMARKS = read_csv("landmarks_spec.csv")
PARENTS = {r["parent_id"] for r in REGIONS if r["parent_id"]}


def leaf_regions(view: str):
    """Single-view rows that are nobody's parent (chest, upper_back ... are groups)."""
    return {r["region_id"] for r in REGIONS if r["view"] == view and r["region_id"] not in PARENTS}


def spec_views(value: str) -> tuple[str, ...]:
    """A landmarks_spec.csv view: a '|' list of views, 'both' meaning anterior and posterior."""
    return tuple(v for token in value.split("|") for v in (VIEWS if token == "both" else (token,)))


def landmark_ids(view: str):
    return {r["landmark_id"] for r in LANDMARKS if view in spec_views(r["view"])}


@pytest.fixture(scope="module")
def body():
    return geometry.load_body()


@pytest.fixture(scope="module")
def raw():
    return json.loads(BODY_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def half(body):
    return body.outline.intersection(box(0, -10, 500, 500))


# ---- file and outline ---------------------------------------------------------------------


def test_file_small_and_documented(raw):
    assert BODY_JSON.stat().st_size < 250_000
    assert raw["units"] == "cm"
    assert "LEFT" in raw["coordinates"]
    assert "a8bc2d54ff0ac92e78ff71431b1023eda42bf482" in raw["provenance"]
    assert "CC0" in raw["provenance"]


def test_outline(body, raw):
    outline = body.outline
    assert outline.is_valid and not outline.interiors
    assert 300 <= len(raw["outline"]) <= 600
    minx, miny, maxx, maxy = outline.bounds
    assert miny == pytest.approx(0.0, abs=0.05)
    assert 170 <= body.height_cm <= 180 and maxy == pytest.approx(body.height_cm, abs=0.05)
    assert minx == pytest.approx(-maxx, abs=0.05)
    mirrored = scale(outline, xfact=-1, yfact=1, origin=(0, 0))
    assert outline.symmetric_difference(mirrored).area < 1e-3 * outline.area


def test_limb_axes(body):
    assert set(body.limb_axes) == {"arm", "forearm", "thigh", "leg"}
    assert body.limb_axes["arm"][1] == body.limb_axes["forearm"][0]
    assert body.limb_axes["thigh"][1] == body.limb_axes["leg"][0]
    for proximal, distal in body.limb_axes.values():
        assert distal[1] < proximal[1]
        assert body.outline.contains(Point(proximal)) and body.outline.contains(Point(distal))


# ---- regions ------------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_region_ids(body, view):
    # a view draws its home leaves and may show leaves of another home view (the side of the knee)
    every_leaf = {r["region_id"] for r in REGIONS if r["view"] != "both" and r["region_id"] not in PARENTS}
    assert leaf_regions(view) <= set(body.view(view).regions) <= every_leaf


@pytest.mark.parametrize("view", VIEWS)
def test_regions_valid(body, view):
    for rid, geom in body.view(view).regions.items():
        assert geom.is_valid, rid
        assert not geom.is_empty and geom.area > 0, rid
        assert geom.bounds[0] >= -1e-9, f"{rid} crosses the midline"


@pytest.mark.parametrize("view", VIEWS)
def test_regions_tile_left_half(body, half, view):
    regions = body.view(view).regions
    union = unary_union(list(regions.values()))
    body_area = body.outline.area
    gap = half.difference(union).area / body_area
    spill = union.difference(half).area / body_area
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(regions.values(), 2))
    assert gap < 0.01, f"gap {gap:.2%}"
    assert spill < 0.01, f"outside {spill:.2%}"
    assert overlap / body_area < 0.01, f"overlap {overlap / body_area:.2%}"


@pytest.mark.parametrize("view", VIEWS)
def test_region_mirror(view):
    for rid in leaf_regions(view):
        left = geometry.region_polygon(view, rid, "left")
        right = geometry.region_polygon(view, rid, "right")
        expected = scale(left, xfact=-1, yfact=1, origin=(0, 0))
        assert right.symmetric_difference(expected).area < 1e-6, rid
        assert right.bounds[2] <= 1e-9


def test_region_groups(body):
    trunk = geometry.region_polygon("anterior", "chest")
    parts = [geometry.region_polygon("anterior", r) for r in ("upper_chest", "sternum")]
    assert all(trunk.contains(p.representative_point()) for p in parts)
    assert "low_back" in body.view("posterior").region_groups


# Landmark -> region it must fall in (regions sit where an anatomy student expects them).
EXPECTED_REGION = [
    ("anterior", "temple", "temple"),
    ("anterior", "tmj", "ear_tmj"),
    ("anterior", "zygoma", "cheek"),
    ("anterior", "forehead", "forehead"),
    ("anterior", "mandible_angle", "jaw"),
    ("anterior", "thyroid_cartilage", "anterior_neck"),
    ("anterior", "scm_mid", "lateral_neck"),
    ("anterior", "humeral_head_anterior", "anterior_shoulder"),
    ("anterior", "coracoid_process", "anterior_shoulder"),
    ("anterior", "biceps_mid", "anterior_arm"),
    ("anterior", "deltoid_tuberosity", "lateral_arm"),
    ("anterior", "cubital_fossa", "anterior_elbow"),
    ("anterior", "medial_epicondyle", "medial_elbow"),
    ("anterior", "forearm_volar_mid", "volar_forearm"),
    ("anterior", "palm_center", "palm"),
    ("anterior", "thenar_eminence", "thumb"),
    ("anterior", "sternal_angle", "sternum"),
    ("anterior", "pubic_tubercle", "groin"),
    ("anterior", "inguinal_mid", "groin"),
    ("anterior", "thigh_anterior_mid", "anterior_thigh"),
    ("anterior", "thigh_medial_mid", "medial_thigh"),
    ("anterior", "thigh_lateral_mid", "lateral_thigh"),
    ("anterior", "patella", "anterior_knee"),
    ("anterior", "medial_knee_joint", "medial_knee"),
    ("anterior", "shin_mid", "shin"),
    ("anterior", "dorsal_foot_mid", "dorsal_foot"),
    ("anterior", "great_toe", "toes"),
    ("anterior", "greater_trochanter", "anterior_hip"),
    ("posterior", "vertex", "vertex"),
    ("posterior", "external_occipital_protuberance", "occiput"),
    ("posterior", "suboccipital", "occiput"),
    ("posterior", "mastoid_process", "mastoid"),
    ("posterior", "c2_spinous", "posterior_neck"),
    ("posterior", "c7_spinous", "posterior_neck"),
    ("posterior", "supraspinous_fossa", "suprascapular"),
    ("posterior", "glenohumeral_posterior", "posterior_shoulder"),
    ("posterior", "t4_spinous", "interscapular"),
    ("posterior", "scapular_spine_root", "medial_scapular_border"),
    ("posterior", "infraspinous_fossa", "scapula"),
    ("posterior", "axilla_posterior_fold", "lateral_scapula"),
    ("posterior", "inferior_angle_scapula", "inferior_scapular_angle"),
    ("posterior", "t10_spinous", "mid_back"),
    ("posterior", "l3_spinous", "lumbar"),
    ("posterior", "psis", "sacroiliac"),
    ("posterior", "sacrum_mid", "sacroiliac"),
    ("posterior", "ischial_tuberosity", "buttock"),
    ("posterior", "greater_trochanter", "lateral_hip"),
    ("posterior", "triceps_mid", "posterior_arm"),
    ("posterior", "olecranon", "posterior_elbow"),
    ("posterior", "lateral_epicondyle", "lateral_elbow"),
    ("posterior", "forearm_dorsal_mid", "dorsal_forearm"),
    ("posterior", "dorsal_hand_center", "dorsal_hand"),
    ("posterior", "thigh_posterior_mid", "posterior_thigh"),
    ("posterior", "popliteal_fossa", "posterior_knee"),
    ("posterior", "calf_mid", "calf"),
    ("posterior", "achilles_mid", "posterior_ankle"),
    ("posterior", "calcaneus", "heel"),
]


@pytest.mark.parametrize("view,lm,region", EXPECTED_REGION)
def test_landmark_in_expected_region(view, lm, region):
    poly = geometry.region_polygon(view, region)
    assert poly.buffer(0.05).contains(Point(geometry.landmark(view, lm))), f"{lm} not in {region}"


def test_flank_between_rib12_and_crest(body):
    post = body.view("posterior")
    flank = post.regions["flank"]
    rib12 = LineString(post.skeleton["rib12"])
    crest_y = post.landmarks["iliac_crest_top"][1]
    assert flank.bounds[1] >= crest_y - 8
    assert flank.centroid.y < min(y for _, y in post.skeleton["rib12"])
    assert not flank.buffer(-0.2).intersects(rib12)


# ---- landmarks ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_landmarks_present_and_inside(body, view):
    lms = body.view(view).landmarks
    assert set(lms) == landmark_ids(view)
    for lm, (x, y) in lms.items():
        assert x >= 0, lm
        assert body.outline.buffer(1.0).contains(Point(x, y)), f"{lm} outside the silhouette"


def test_midline_landmarks_on_midline(body):
    for view, lm in [
        ("anterior", "jugular_notch"),
        ("anterior", "umbilicus"),
        ("anterior", "chin"),
        ("anterior", "xiphoid"),
        ("posterior", "vertex"),
        ("posterior", "coccyx"),
    ]:
        assert body.view(view).landmarks[lm][0] == 0.0
    for lm, (x, _) in body.view("posterior").landmarks.items():
        if lm.endswith("_spinous"):
            assert x == 0.0, lm


def test_both_landmarks_identical(body):
    both = {r["landmark_id"] for r in LANDMARKS if set(VIEWS) <= set(spec_views(r["view"]))}
    for lm in both:
        assert body.view("anterior").landmarks[lm] == body.view("posterior").landmarks[lm], lm


def test_landmark_mirror_and_errors():
    x, y = geometry.landmark("anterior", "nipple", "left")
    assert geometry.landmark("anterior", "nipple", "right") == (-x, y)
    with pytest.raises(ValueError, match="anterior"):
        geometry.landmark("lateral", "nipple")
    with pytest.raises(ValueError, match="lateral_left"):
        geometry.landmark("lateral_right", "tmj", "left")
    with pytest.raises(ValueError, match="left"):
        geometry.landmark("anterior", "nipple", "both")
    with pytest.raises(ValueError, match="landmark"):
        geometry.landmark("anterior", "vertex")
    with pytest.raises(ValueError, match="region"):
        geometry.region_polygon("posterior", "palm")


# ---- ribs and anatomical consistency ------------------------------------------------------

RIB_LINES = {
    "sternal": "anterior",
    "mcl": "anterior",
    "mal": "both",
    "scapular": "posterior",
    "paravertebral": "posterior",
}


def rib_landmarks():
    for r in LANDMARKS:
        lm = r["landmark_id"]
        if lm.startswith("rib"):
            k, line = lm[3:].split("_", 1)
            yield int(k), line, lm, r["view"]


@pytest.mark.parametrize("k,line,lm,view", list(rib_landmarks()))
def test_rib_landmarks_on_ribs(body, k, line, lm, view):
    for v in spec_views(view):
        rib = LineString(body.view(v).skeleton[f"rib{k}"])
        assert rib.distance(Point(body.view(v).landmarks[lm])) <= 0.5, (v, lm)


def lm(body, view, name):
    return body.view(view).landmarks[name]


def test_sternal_levels(body):
    assert abs(lm(body, "anterior", "rib2_sternal")[1] - lm(body, "anterior", "sternal_angle")[1]) <= 1.5
    xiph = lm(body, "anterior", "xiphoid")[1]
    assert lm(body, "anterior", "rib7_sternal")[1] - 1.0 <= xiph <= lm(body, "anterior", "rib6_sternal")[1] + 1.0
    assert lm(body, "anterior", "jugular_notch")[1] > lm(body, "anterior", "sternal_angle")[1] > xiph


def test_nipple_in_fourth_intercostal_space(body):
    x, y = lm(body, "anterior", "nipple")
    assert lm(body, "anterior", "rib5_mcl")[1] < y < lm(body, "anterior", "rib4_mcl")[1]
    assert 8.0 <= x <= 10.5


def test_scapula_levels(body):
    assert abs(lm(body, "posterior", "t3_spinous")[1] - lm(body, "posterior", "scapular_spine_root")[1]) <= 2
    assert abs(lm(body, "posterior", "t7_spinous")[1] - lm(body, "posterior", "inferior_angle_scapula")[1]) <= 2
    assert lm(body, "posterior", "superior_angle_scapula")[1] > lm(body, "posterior", "scapular_spine_root")[1]


def test_spine_order(body):
    names = ["c7"] + [f"t{k}" for k in range(1, 13)] + [f"l{k}" for k in range(1, 6)]
    ys = [lm(body, "posterior", f"{n}_spinous")[1] for n in names]
    assert ys == sorted(ys, reverse=True) and len(set(ys)) == len(ys)
    assert lm(body, "posterior", "c2_spinous")[1] > ys[0]
    assert abs(lm(body, "posterior", "l4_spinous")[1] - lm(body, "posterior", "iliac_crest_top")[1]) <= 2


def test_ribs_slope_down_from_back_to_front(body):
    for k in range(1, 13):
        back = lm(body, "posterior", f"rib{k}_paravertebral")[1]
        if k <= 10:
            assert back > lm(body, "anterior", f"rib{k}_mcl")[1], k
        if k >= 2:
            assert back > lm(body, "posterior", f"rib{k}_mal")[1], k
        if k <= 7:
            assert back > lm(body, "anterior", f"rib{k}_sternal")[1], k


def test_ribs_in_order(body):
    for line, view, ks in [
        ("mcl", "anterior", range(1, 11)),
        ("sternal", "anterior", range(1, 8)),
        ("mal", "anterior", range(2, 13)),
        ("scapular", "posterior", range(1, 13)),
        ("paravertebral", "posterior", range(1, 13)),
    ]:
        ys = [lm(body, view, f"rib{k}_{line}")[1] for k in ks]
        assert ys == sorted(ys, reverse=True), line


def test_reference_lines(body):
    ant, post = body.view("anterior").landmarks, body.view("posterior").landmarks
    mcl = {ant[f"rib{k}_mcl"][0] for k in range(1, 11)}
    assert len(mcl) == 1 and abs(mcl.pop() - ant["clavicle_mid"][0]) < 0.2
    scap = {post[f"rib{k}_scapular"][0] for k in range(1, 13)}
    assert scap == {post["inferior_angle_scapula"][0]}
    pv = {post[f"rib{k}_paravertebral"][0] for k in range(1, 13)}
    assert len(pv) == 1 and 4.0 <= pv.pop() <= 5.0
    # the midaxillary line starts at the axilla and runs down the lateral chest wall
    mal = [ant[f"rib{k}_mal"] for k in range(2, 13)]
    assert all(abs(x - ant["axilla_apex"][0]) < 6 for x, _ in mal)
    assert all(x > ant["nipple"][0] for x, _ in mal)


def test_skeleton_inside_and_left(body):
    for view in VIEWS:
        for name, pts in body.view(view).skeleton.items():
            assert len(pts) >= 2, name
            assert all(x >= 0 for x, _ in pts), name
            assert body.outline.buffer(0.5).contains(LineString(pts)), f"{view} {name} leaves the body"


def test_ribs_stay_on_the_trunk(body):
    arm = geometry.region_polygon("anterior", "arm").union(geometry.region_polygon("anterior", "anterior_shoulder"))
    for k in range(1, 13):
        assert not LineString(body.view("anterior").skeleton[f"rib{k}"]).intersects(arm.buffer(-0.3)), k


def test_skeleton_mirror():
    left = geometry.skeleton("posterior", "left")
    right = geometry.skeleton("posterior", "right")
    assert right["rib5"] == [(-x, y) for x, y in left["rib5"]]
    assert "scapula" in left and "clavicle" in geometry.skeleton("anterior")


def test_to_plot_x():
    assert geometry.to_plot_x("anterior", 10.0) == 10.0
    assert geometry.to_plot_x("posterior", 10.0) == -10.0
    assert geometry.to_plot_x("lateral_right", 10.0) == 10.0  # the face toward the viewer's right
    assert geometry.to_plot_x("lateral_left", 10.0) == -10.0  # and toward the viewer's left
    with pytest.raises(ValueError, match="posterior"):
        geometry.to_plot_x("side", 1.0)


# ---- the geometry can be derived again --------------------------------------------------


def _same_geometry(a, b, path="body"):
    """Equal JSON, numbers within 0.15 cm (the derivation snaps to a 0.1 cm grid)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: keys differ"
        for k in a:
            _same_geometry(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            _same_geometry(x, y, f"{path}[{i}]")
    elif isinstance(a, (int, float)) and not isinstance(a, bool):
        assert abs(a - b) <= 0.15, f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_geometry_derives_again_from_a_fresh_checkout(tmp_path):
    """The mesh, the script and the two spec tables are all it takes to rebuild body.json."""
    import shutil
    import subprocess

    source = REPO / "data" / "geometry" / "source"
    assert (source / "makehuman-hm08-base.obj.gz").stat().st_size < 700_000
    assert "CC0" in (source / "LICENSE-CC0-makehuman-assets.md").read_text(encoding="utf-8")
    clone = tmp_path / "clone"
    for rel in ("scripts/derive_geometry.py", "data/regions.csv", "data/landmarks_spec.csv"):
        (clone / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, clone / rel)
    shutil.copytree(source, clone / "data" / "geometry" / "source")
    subprocess.run([sys.executable, str(clone / "scripts" / "derive_geometry.py")], check=True, capture_output=True)
    again = json.loads((clone / "data" / "geometry" / "body.json").read_text(encoding="utf-8"))
    _same_geometry(json.loads(BODY_JSON.read_text(encoding="utf-8")), again)


# ---- the lateral views --------------------------------------------------------------------


def test_views_are_the_vocabulary(body):
    from dnviz.vocabulary import VIEWS as ALL

    assert tuple(body.views) == ALL == (*VIEWS, *LATERAL)
    assert geometry.view_sides("anterior") == ("left", "right")
    assert geometry.view_sides("lateral_right") == ("right",) and geometry.view_sides("lateral_left") == ("left",)


def test_lateral_outline(body):
    lat = body.lateral_outline
    assert lat.is_valid and not lat.interiors
    minx, miny, maxx, maxy = lat.bounds
    assert miny == pytest.approx(0.0, abs=0.1) and maxy == pytest.approx(body.height_cm, abs=0.2)
    # a profile: about 25-35 cm from the back to the front at the chest, the toes ahead of the heel
    assert -15 < minx < -5 and 15 < maxx < 25
    assert 2000 < lat.area < 3500


def test_lateral_views_are_one_drawing_mirrored(raw):
    right, left = raw["views"]["lateral_right"], raw["views"]["lateral_left"]
    assert right == left  # stored alike; to_plot_x mirrors the left one
    for rid in right["regions"]:
        r = geometry.region_polygon("lateral_right", rid, "right")
        mirrored = scale(geometry.region_polygon("lateral_left", rid, "left"), xfact=-1, yfact=1, origin=(0, 0))
        plotted_right = scale(r, xfact=1, yfact=1)
        assert mirrored.symmetric_difference(scale(plotted_right, xfact=-1, yfact=1, origin=(0, 0))).area < 1e-6
        assert geometry.region_polygon("lateral_right", rid, "left").is_empty  # the left is not seen from the right
    assert geometry.skeleton("lateral_left", "right") == {}


@pytest.mark.parametrize("view", LATERAL)
def test_lateral_regions_tile_the_profile(body, view):
    regions = body.view(view).regions
    leaves = {r["region_id"] for r in REGIONS if r["view"] in VIEWS and r["region_id"] not in PARENTS}
    assert set(regions) <= leaves  # the lateral views reuse the frontal views' leaf regions
    for rid, geom in regions.items():
        assert geom.is_valid and geom.area > 0, rid
    outline = body.lateral_outline
    union = unary_union(list(regions.values()))
    gap = outline.difference(union).area / outline.area
    spill = union.difference(outline).area / outline.area
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(regions.values(), 2)) / outline.area
    assert gap < 0.01 and spill < 0.01 and overlap < 0.01, (gap, spill, overlap)


# the regions the head-and-neck and chest-wall patterns need are seen from the side
LATERAL_REGIONS = {"temple", "ear_tmj", "jaw", "cheek", "mastoid", "occiput", "lateral_neck", "posterolateral_neck"}
LATERAL_REGIONS |= {"lateral_chest", "flank", "lateral_hip", "lateral_thigh", "lateral_leg", "buttock", "calf", "shin"}


def test_lateral_views_show_the_side_regions(body):
    assert LATERAL_REGIONS <= set(body.view("lateral_right").regions)


# landmark -> the region it falls in, on the lateral views (u = cm anterior)
EXPECTED_LATERAL = [
    ("tmj", "ear_tmj"),
    ("temple", "temple"),
    ("mastoid_process", "mastoid"),
    ("scm_mid", "lateral_neck"),
    ("greater_trochanter", "lateral_hip"),
    ("thigh_lateral_mid", "anterior_thigh"),
    ("rib7_mal", "lateral_chest"),
    ("rib10_mal", "lateral_chest"),
]


@pytest.mark.parametrize("lm_id,region", EXPECTED_LATERAL)
def test_lateral_landmark_in_expected_region(lm_id, region):
    poly = geometry.region_polygon("lateral_left", region, "left")
    assert poly.buffer(0.1).contains(Point(geometry.landmark("lateral_left", lm_id, "left"))), (lm_id, region)


def test_lateral_landmarks_on_their_bones(body):
    v = body.view("lateral_right")
    lms, skel = v.landmarks, v.skeleton
    assert set(lms) == landmark_ids("lateral_right")
    for name, (u, y) in lms.items():
        assert body.lateral_outline.buffer(0.5).contains(Point(u, y)), name
    on = {  # landmark -> bone drawn through or around it
        "mandible_angle": "mandible",
        "tmj": "mandible",
        "acromion": "acromion",
        "mastoid_process": "mastoid",
        "greater_trochanter": "greater_trochanter",
        "fibular_head": "fibular_head",
        "lateral_malleolus": "lateral_malleolus",
        "iliac_crest_top": "iliac_crest",
    }
    for name, bone in on.items():
        assert LineString(skel[bone]).distance(Point(lms[name])) <= 0.6 or Polygon_of(skel[bone]).contains(
            Point(lms[name])
        ), (name, bone)
    for name in ("clavicle", "zygomatic_arch"):
        assert body.lateral_outline.buffer(0.5).contains(LineString(skel[name])), name
    # the profile reads the right way round: face and toes in front, heel and occiput behind
    assert lms["tmj"][0] > lms["mastoid_process"][0]
    assert lms["fibular_head"][1] > lms["lateral_malleolus"][1]
    assert lms["greater_trochanter"][1] < lms["iliac_crest_top"][1]
    ribs = [lms[f"rib{k}_mal"][1] for k in range(2, 13)]
    assert ribs == sorted(ribs, reverse=True)


def Polygon_of(points):
    from shapely.geometry import Polygon

    return Polygon(points) if len(points) >= 3 else Polygon()


# ---- trigger points on every view where they are seen --------------------------------------


@pytest.fixture(scope="module")
def tps():
    import pandas as pd

    return pd.read_csv(REPO / "data" / "trigger_points.csv", dtype=str).set_index("tp_id")


def test_a_left_trigger_point_lands_on_the_left_in_every_view(tps):
    seen_laterally = 0
    for tp_id, tp in tps.iterrows():
        for view in (*VIEWS, *LATERAL):
            left = geometry.tp_position(tp, view, "left")
            right = geometry.tp_position(tp, view, "right")
            if view in VIEWS:
                if view != tp["view"]:
                    assert left is None and right is None, (tp_id, view)
                    continue
                # the patient's left is on the viewer's right in front, on the viewer's left behind
                plot_left = geometry.to_plot_x(view, left[0])
                plot_right = geometry.to_plot_x(view, right[0])
                if abs(left[0]) > 0.05:
                    assert (plot_left > 0) == (view == "anterior") and (plot_right > 0) == (view != "anterior"), tp_id
            else:
                # a lateral view shows its own side only, and the same place on either side
                own = view.removeprefix("lateral_")
                assert (left if own == "right" else right) is None, (tp_id, view)
                here = left if own == "left" else right
                other = geometry.tp_position(tp, "lateral_left" if own == "right" else "lateral_right", own)
                assert other is None
                if here is not None:
                    seen_laterally += own == "left"
                    assert geometry.load_body().lateral_outline.buffer(1.0).contains(Point(here)), tp_id
    assert seen_laterally >= 20


def test_trigger_points_of_the_side_are_seen_from_the_side(tps):
    seen = {tp_id for tp_id, tp in tps.iterrows() if geometry.tp_position(tp, "lateral_left", "left")}
    assert {"serratus_anterior.tp1", "masseter.tp1", "temporalis.tp1", "vastus_lateralis.tp1"} <= seen
    hidden = {"infraspinatus.tp1", "rhomboid_major.tp1", "rectus_abdominis.tp1"} & set(tps.index)
    assert not hidden & seen
    # the masseter is in front of the ear, the serratus anterior on the chest wall below the axilla
    u, y = geometry.tp_position(tps.loc["masseter.tp1"], "lateral_left", "left")
    assert u > geometry.landmark("lateral_left", "tmj", "left")[0]
    u, y = geometry.tp_position(tps.loc["serratus_anterior.tp1"], "lateral_right", "right")
    assert geometry.region_polygon("lateral_right", "lateral_chest", "right").buffer(0.5).contains(Point(u, y))


# ---- finer regions where the patterns need them --------------------------------------------

FINER = {
    "lateral_shoulder": ("anterior", "posterior", "lateral_right"),
    "lateral_knee": ("anterior", "posterior", "lateral_right"),
    "lateral_ankle": ("anterior", "posterior", "lateral_right"),
    "lateral_foot": ("anterior", "lateral_right"),
    "iliac_crest": ("anterior", "posterior", "lateral_right"),
    "coccyx": ("posterior",),
    "genital": ("anterior",),
    "palmar_radial_fingers": ("anterior",),
    "palmar_ulnar_fingers": ("anterior",),
    "dorsal_radial_fingers": ("posterior",),
    "dorsal_ulnar_fingers": ("posterior",),
}


@pytest.mark.parametrize("region", sorted(FINER))
def test_finer_regions_on_every_view_that_shows_them(body, region):
    for view in FINER[region]:
        assert region in body.view(view).regions, (region, view)
        assert body.view(view).regions[region].area > 0.5, (region, view)


def test_finer_regions_sit_on_their_landmarks():
    seen = [
        ("anterior", "fibular_head", "lateral_knee"),
        ("posterior", "fibular_head", "lateral_knee"),
        ("lateral_right", "fibular_head", "lateral_knee"),
        ("anterior", "lateral_malleolus", "lateral_ankle"),
        ("posterior", "lateral_malleolus", "lateral_ankle"),
        ("lateral_right", "lateral_malleolus", "lateral_ankle"),
        ("posterior", "coccyx", "coccyx"),
        ("posterior", "iliac_crest_top", "iliac_crest"),
        ("lateral_right", "iliac_crest_top", "iliac_crest"),
        ("anterior", "asis", "iliac_crest"),
    ]
    for view, lm_id, region in seen:
        side = geometry.view_sides(view)[0]
        poly = geometry.region_polygon(view, region, side)
        assert poly.buffer(0.3).contains(Point(geometry.landmark(view, lm_id, side))), (view, lm_id, region)


def test_finger_groups_split_radial_from_ulnar(body):
    ant, post = body.view("anterior"), body.view("posterior")
    assert set(ant.region_groups["palmar_fingers"]) == {"palmar_radial_fingers", "palmar_ulnar_fingers"}
    assert set(post.region_groups["dorsal_fingers"]) == {"dorsal_radial_fingers", "dorsal_ulnar_fingers"}
    # the radial fingers are on the thumb side: toward the midline on the left hand in the anatomical position
    for view, radial, ulnar in [
        (ant, "palmar_radial_fingers", "palmar_ulnar_fingers"),
        (post, "dorsal_radial_fingers", "dorsal_ulnar_fingers"),
    ]:
        assert view.regions[radial].centroid.x < view.regions[ulnar].centroid.x
    assert post.regions["dorsal_radial_fingers"].contains(Point(post.landmarks["first_web_space"])) or (
        post.regions["dorsal_radial_fingers"].distance(Point(post.landmarks["first_web_space"])) < 3.0
    )


def test_no_referral_names_a_split_region():
    referrals = read_csv("referrals.csv")
    groups = {r["region_id"] for r in REGIONS if r["view"] == "both"}
    assert not [r for r in referrals if r["region_id"] in groups]


def test_lateral_views_default_to_their_own_side_and_refuse_the_other():
    assert geometry.landmark("lateral_left", "tmj") == geometry.landmark("lateral_left", "tmj", "left")
    assert not geometry.region_polygon("lateral_right", "temple").is_empty
    assert geometry.skeleton("lateral_right")["mandible"]
    with pytest.raises(ValueError, match="lateral_left"):
        geometry.offset_point("lateral_right", "tmj", "left", 1.0, 0.0)


def test_the_mesh_stays_out_of_the_wheel():
    import tomllib

    wheel = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]
    assert "data/geometry/source" in wheel["wheel"]["exclude"]
    assert "force-include" not in wheel["wheel"]  # force-include would ignore the exclusion


def test_a_point_on_a_landmark_lands_on_that_landmark_in_the_profile():
    for home, lm_id in [("anterior", "temple"), ("anterior", "scm_mid"), ("both", "greater_trochanter")]:
        view = "anterior" if home == "both" else home
        tp = {"view": view, "landmark_id": lm_id, "dx_cm": "0", "dy_cm": "0"}
        here = geometry.tp_position(tp, "lateral_left", "left")
        assert here is not None, lm_id
        there = geometry.landmark("lateral_left", lm_id)
        assert abs(here[0] - there[0]) < 0.2 and abs(here[1] - there[1]) < 0.2, (lm_id, here, there)


# ---- the lateral face and head follow the anatomy, not boxes (issue 10, item 6) ------------------


def _axis_share(area) -> float:
    """Share of an area's outline made of axis-parallel straight runs of 1 cm or more (boxes score high)."""
    import math

    total = square = 0.0
    for poly in getattr(area, "geoms", [area]):
        pts = list(poly.exterior.coords)
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            length = math.hypot(x1 - x0, y1 - y0)
            total += length
            if length >= 1.0 and (abs(x1 - x0) < 0.05 or abs(y1 - y0) < 0.05):
                square += length
    return square / total


@pytest.mark.parametrize("view", LATERAL)
def test_lateral_head_regions_are_not_boxes(body, view):
    regions = body.view(view).regions
    for region, most in {"temple": 0.25, "mastoid": 0.25, "jaw": 0.3, "occiput": 0.35, "cheek": 0.4}.items():
        assert _axis_share(regions[region]) < most, (region, round(_axis_share(regions[region]), 2))


@pytest.mark.parametrize("view", LATERAL)
def test_lateral_head_regions_sit_on_their_bones(body, view):
    v = body.view(view)
    lm, regions = v.landmarks, v.regions
    near = lambda region, point, tol=0.3: regions[region].distance(Point(point)) <= tol  # noqa: E731
    assert near("mastoid", lm["mastoid_process"]) and near("ear_tmj", lm["tmj"])
    assert near("temple", lm["temple"], 0.0)
    temple = regions["temple"]
    arch_top = max(y for _, y in v.skeleton["zygomatic_arch"])
    assert temple.bounds[1] >= arch_top - 0.3  # the temple sits above the zygomatic arch
    x0, _, x1, _ = temple.bounds
    top = max(
        temple.exterior.coords if hasattr(temple, "exterior") else temple.geoms[0].exterior.coords, key=lambda p: p[1]
    )
    assert x0 + 0.25 * (x1 - x0) < top[0] < x1 - 0.25 * (x1 - x0)  # a fan: highest in its middle, not at a corner
    # the mandible's lower border runs through the jaw, below the cheek; the cheek's lower edge slopes with it
    angle, chin = v.skeleton["mandible"][10], v.skeleton["mandible"][0]
    assert near("jaw", angle, 0.0) and near("jaw", chin, 0.0)
    cheek = regions["cheek"]
    assert not cheek.contains(Point(angle)) and not cheek.contains(Point(chin))
    ys = [y for _, y in (cheek.exterior.coords if hasattr(cheek, "exterior") else cheek.geoms[0].exterior.coords)]
    assert min(ys) < angle[1] + 1.0 < max(ys)

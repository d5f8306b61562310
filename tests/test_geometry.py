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

VIEWS = ("anterior", "posterior")
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


def landmark_ids(view: str):
    return {r["landmark_id"] for r in LANDMARKS if r["view"] in (view, "both")}


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
    assert set(body.view(view).regions) == leaf_regions(view)


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
    both = {r["landmark_id"] for r in LANDMARKS if r["view"] == "both"}
    for lm in both:
        assert body.view("anterior").landmarks[lm] == body.view("posterior").landmarks[lm], lm


def test_landmark_mirror_and_errors():
    x, y = geometry.landmark("anterior", "nipple", "left")
    assert geometry.landmark("anterior", "nipple", "right") == (-x, y)
    with pytest.raises(ValueError, match="anterior"):
        geometry.landmark("lateral", "nipple")
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
    views = VIEWS if view == "both" else (view,)
    for v in views:
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

"""Safety overlays, tested hardest: geometry, the landmark recipe, tiers, flags and the figure."""

from __future__ import annotations

import pytest
from shapely.affinity import scale
from shapely.geometry import Point, box

import dnviz
from dnviz import geometry as geo
from dnviz import safety
from dnviz.plotting import plot_body_map, trigger_point_xy

VIEWS = ("anterior", "posterior")
SIDES = ("left", "right")
BODY = geo.load_body().outline


def mirror(shape):
    return scale(shape, xfact=-1, yfact=1, origin=(0, 0))


def near_boundary(shape, xy, tol=0.6):
    return shape.boundary.distance(Point(xy)) <= tol


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("side", SIDES)
def test_overlays_are_valid_and_inside_the_body(view, side):
    shapes = [safety.pleura(view, side), safety.lung(view, side), *safety.risk_zones(view, side).values()]
    if view == "anterior":
        shapes.append(safety.apex_band(side))
    for shape in shapes:
        assert shape.is_valid and not shape.is_empty
        assert shape.difference(BODY).area < 0.01
    x = safety.pleura(view, side).centroid.x
    assert (x > 0) == (side == "left")  # each side's pleura on its own side of the midline


@pytest.mark.parametrize("view", VIEWS)
def test_lung_lies_within_the_pleura(view):
    for side in SIDES:
        assert safety.lung(view, side).difference(safety.pleura(view, side)).area < 0.5


def test_posterior_overlays_mirror_exactly():
    for f in (safety.pleura, safety.lung):
        left, right = f("posterior", "left"), f("posterior", "right")
        assert mirror(left).symmetric_difference(right).area < 0.01


def test_anterior_left_differs_only_by_the_cardiac_notch():
    left, right = safety.lung("anterior", "left"), safety.lung("anterior", "right")
    y4 = geo.landmark("anterior", "rib4_sternal", "left")[1]
    above = box(-60, y4 + 0.1, 60, 200)
    assert mirror(left).intersection(above).symmetric_difference(right.intersection(above)).area < 0.5
    # below the 4th costal cartilage the left lung swings away from the sternum: the notch
    below = box(-60, 100, 60, y4 - 0.5)
    assert mirror(left).intersection(below).area < right.intersection(below).area


@pytest.mark.parametrize("side", SIDES)
def test_recipe_reproduces_the_rib_levels(side):
    ant_p, ant_l = safety.pleura("anterior", side), safety.lung("anterior", side)
    post_p, post_l = safety.pleura("posterior", side), safety.lung("posterior", side)
    lm = lambda view, i: geo.landmark(view, i, side)  # noqa: E731
    # pleura: rib 8 at the midclavicular line, rib 10 at the midaxillary line, rib 12 paravertebral (1 cm below)
    assert near_boundary(ant_p, lm("anterior", "rib8_mcl"))
    assert near_boundary(ant_p, lm("anterior", "rib10_mal"))
    x12, y12 = lm("posterior", "rib12_paravertebral")
    assert near_boundary(post_p, (x12, y12 - safety.PLEURA_BELOW_RIB12_CM))
    assert post_p.bounds[1] == pytest.approx(y12 - safety.PLEURA_BELOW_RIB12_CM, abs=0.6)
    # lung: two ribs higher (6, 8, 10)
    assert near_boundary(ant_l, lm("anterior", "rib6_mcl"))
    assert near_boundary(ant_l, lm("anterior", "rib8_mal"))
    assert near_boundary(post_l, lm("posterior", "rib10_scapular"))
    # pleura meets the midline at the sternal angle (2nd costal cartilage)
    _, y_angle = lm("anterior", "sternal_angle")
    assert abs(ant_p.bounds[0 if side == "left" else 2]) < 0.6
    assert near_boundary(ant_p, (0.3 if side == "left" else -0.3, y_angle))


def test_apex_band_spans_zero_to_five_cm_above_the_clavicle():
    band = safety.apex_band("left")
    _, y_clav = geo.landmark("anterior", "clavicle_mid", "left")
    _, y_sc = geo.landmark("anterior", "sc_joint", "left")
    assert band.bounds[1] == pytest.approx(min(y_clav, y_sc), abs=0.6)
    assert band.bounds[3] == pytest.approx(max(y_clav, y_sc) + 5.0, abs=0.6)
    cx, cy = geo.landmark("anterior", "clavicle_medial_third", "left")
    assert band.contains(Point(cx, cy + safety.APEX_TYPICAL_CM))


@pytest.mark.parametrize("view", VIEWS)
def test_tiers_partition_the_envelope(view):
    zones = safety.risk_zones(view, "left")
    assert zones["high"].intersection(zones["caution"]).area < 0.01
    envelope = safety.pleura(view, "left")
    assert envelope.difference(zones["high"].union(zones["caution"])).area < 0.01
    assert zones["caution"].area > 0 and zones["high"].area > zones["caution"].area


def test_tier_at_landmarks():
    # the interscapular strip at T4 (no scapula, no sternum): high; the infraspinous fossa: caution
    x4, y4 = geo.landmark("posterior", "rib4_paravertebral", "left")
    assert safety.tier_at("posterior", "left", x4 - 0.5, y4) == "high"
    assert safety.tier_at("posterior", "left", *geo.landmark("posterior", "infraspinous_fossa", "left")) == "caution"
    assert safety.tier_at("anterior", "left", *geo.landmark("anterior", "patella", "left")) == "low"
    assert safety.tier_at("anterior", "right", *geo.landmark("anterior", "rib3_mcl", "right")) == "high"
    cx, cy = geo.landmark("anterior", "clavicle_medial_third", "left")
    assert safety.tier_at("anterior", "left", cx, cy + 2.5) == "high"  # the apex above the clavicle


def tp_tiers(atlas):
    for tp_id, tp in atlas.trigger_points.iterrows():
        for side in SIDES:
            view, x, y = trigger_point_xy(atlas, tp_id, side)
            yield tp_id, tp["muscle_id"], side, safety.tier_at(view, side, x, y)


def test_every_trigger_point_over_the_pleura_belongs_to_a_flagged_muscle(atlas):
    for tp_id, muscle_id, side, tier in tp_tiers(atlas):
        flag = atlas.muscles.at[muscle_id, "pneumothorax_risk"]
        if tier == "high":
            assert flag == "high", f"{tp_id} ({side}) lies over lung with no bony backstop but {muscle_id} is {flag}"
        elif tier == "caution":
            assert flag >= "caution", f"{tp_id} ({side}) lies over the pleura but {muscle_id} is not flagged"


def test_every_high_risk_muscle_has_a_trigger_point_over_the_overlays(atlas):
    over = {m for _, m, _, tier in tp_tiers(atlas) if tier != "low"}
    high = set(atlas.muscles.index[atlas.muscles["pneumothorax_risk"] == "high"])
    assert high <= over


def test_literature_flagged_muscles_are_high(atlas):
    named = [
        "upper_trapezius",
        "rhomboids",
        "middle_trapezius",
        "lower_trapezius",
        "supraspinatus",
        "infraspinatus",
        "iliocostalis_thoracis",
        "longissimus_thoracis",
        "serratus_anterior",
        "pectoralis_major",
        "pectoralis_minor",
        "latissimus_dorsi",
        "scalenes",
    ]
    for muscle_id in named:
        assert atlas.muscles.at[muscle_id, "pneumothorax_risk"] == "high", muscle_id
        assert atlas.muscles.at[muscle_id, "pneumothorax_source_ids"]


def test_tiers_are_defined_with_technique_and_sources(atlas):
    tiers = atlas.safety_tiers
    assert {"high", "caution"} <= set(tiers.index)
    text = " ".join(tiers["technique"]).lower()
    for word in ("pincer", "bracket", "tangential", "length", "both sides"):
        assert word in text, word
    assert all(len(ids) for ids in tiers["source_ids"])


def test_danger_zones_cover_the_literature(atlas):
    structures = " ".join(atlas.danger_zones["structure"]).lower()
    for word in ("kidney", "sciatic", "femoral", "median", "radial", "spinal"):
        assert word in structures, word
    for zone_id in atlas.danger_zones.index:
        for side in SIDES:
            shape = safety.danger_zone_shape(atlas, zone_id, side)
            assert shape.is_valid and shape.area > 1 and shape.difference(BODY).area < 0.01


def test_safety_switch_on_the_body_map(atlas):
    plain = plot_body_map(atlas, muscle="rhomboids", window="whole")
    fig = plot_body_map(atlas, muscle="rhomboids", safety=True, window="whole")
    layers = lambda f: [t.meta.get("layer") for t in f.data if t.meta]  # noqa: E731
    assert not any(str(layer).startswith("safety") for layer in layers(plain))
    for view in VIEWS:
        for side in SIDES:
            kinds = {
                t.meta["layer"]
                for t in fig.data
                if t.meta and t.meta.get("view") == view and t.meta.get("side") == side
            }
            assert {"safety-high", "safety-caution", "safety-pleura", "safety-lung", "safety-recess"} <= kinds
    apex = [t for t in fig.data if t.meta and t.meta.get("layer") == "safety-apex"]
    assert len(apex) == 2 and "0 to 5 cm" in apex[0].name
    assert any(a.name == "disclaimer" and "not clinical guidance" in a.text for a in fig.layout.annotations)
    names = [t.name for t in fig.data if t.meta and t.meta.get("layer") == "legend"]
    assert any("high" in n for n in names) and any("caution" in n for n in names)
    # crosses stay on top of the overlays
    order = layers(fig)
    assert max(i for i, n in enumerate(order) if str(n).startswith("safety")) < order.index("trigger-points")


def test_safety_overlays_in_print_theme_are_grey(atlas):
    fig = plot_body_map(atlas, view="posterior", safety=True, theme="print")
    for t in fig.data:
        if t.meta and str(t.meta.get("layer")).startswith("safety-high"):
            colour = t.fillpattern.fgcolor
            assert colour[1:3] == colour[3:5] == colour[5:7]


def test_safety_only_map_has_a_title_and_no_pattern(atlas):
    fig = plot_body_map(atlas, safety=True)
    assert "Safety" in fig.layout.title.text
    assert not [t for t in fig.data if t.meta and t.meta.get("layer") == "trigger-points"]


def test_loading_a_flag_downgrade_is_caught_by_the_consistency_test(set_field, data_copy):
    set_field("muscles", "rhomboids", "pneumothorax_risk", "none")
    atlas = dnviz.load_atlas(data_copy)
    with pytest.raises(AssertionError, match="rhomboids"):
        test_every_trigger_point_over_the_pleura_belongs_to_a_flagged_muscle(atlas)


# ---- bone is no sure backstop (issue 12, correction 3) -------------------------------------------


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("landmark", ["rib5_sternal", "rib6_sternal", "xiphoid"])
def test_lower_sternal_body_is_high_not_a_backstop(side, landmark):
    """Sternal foramina (about 4-12% on CT, mostly at the 4th to 6th costal cartilages) can let a needle
    through to the pericardium or lung: the lower sternal body and xiphoid read as high, never caution."""
    x, y = geo.landmark("anterior", landmark, side)
    assert safety.tier_at("anterior", side, x / 2, y) == "high"
    assert safety.lower_sternum(side).buffer(0.05).contains(Point(x / 2, y))


@pytest.mark.parametrize("side", SIDES)
def test_upper_sternum_stays_caution_and_lower_sternum_leaves_it(side):
    x3, y3 = geo.landmark("anterior", "rib3_sternal", side)
    assert safety.tier_at("anterior", side, x3 / 2, y3) == "caution"
    zones = safety.risk_zones("anterior", side)
    _, y4 = geo.landmark("anterior", safety.LOWER_STERNUM_TOP, side)
    assert zones["caution"].bounds[1] >= y4 - 0.01  # nothing below the 4th cartilage is caution
    assert safety.lower_sternum(side).difference(zones["high"]).area < 0.01


def test_hover_text_says_the_bone_can_fail(atlas):
    fig = plot_body_map(atlas, muscle="pectoralis major", safety=True, window="whole")
    by_layer: dict[tuple[str, str], list[str]] = {}
    for t in fig.data:
        if t.meta and t.meta.get("layer", "").startswith("safety"):
            by_layer.setdefault((t.meta["layer"], t.meta["view"]), []).append(t.name)
    posterior = " ".join(by_layer[("safety-caution", "posterior")])
    assert "infraspinous fossa" in posterior and "8%" in posterior
    anterior = " ".join(by_layer[("safety-caution", "anterior")])
    assert "sternal foramen" in anterior.lower()
    sternum = by_layer[("safety-sternum", "anterior")]
    assert len(sternum) == 2 and all("high" in n and "tamponade" in n for n in sternum)
    legend = [t.name for t in fig.data if t.meta and t.meta.get("layer") == "legend"]
    assert any("lower sternum" in n and "high" in n for n in legend)
    assert any("defective" in n and "caution" in n for n in legend)


def test_tier_texts_say_the_bone_can_fail(atlas):
    tiers = atlas.safety_tiers
    assert "infraspinous fossa" in tiers.at["caution", "meaning"] and "8%" in tiers.at["caution", "meaning"]
    assert "sternal foramina" in tiers.at["high", "meaning"] and "lower sternal body" in tiers.at["high", "meaning"]
    assert {"boruah_sternal_foramina", "yekeler2006sternal"} <= set(tiers.at["high", "source_ids"])
    assert "aapeducation_infraspinatus" in tiers.at["caution", "source_ids"]


def test_posterior_pleura_runs_beside_the_spine_down_to_t12():
    """Behind, the pleura goes from C7 to T12, about 2 cm from the midline; the lung stops near T10."""
    for side in SIDES:
        sign = 1 if side == "left" else -1
        _, y12 = geo.landmark("posterior", "t12_spinous", side)
        _, y10 = geo.landmark("posterior", "t10_spinous", side)
        _, y7 = geo.landmark("posterior", "c7_spinous", side)
        pleura, lung = safety.pleura("posterior", side), safety.lung("posterior", side)
        x = sign * (safety.PLEURA_MEDIAL_POSTERIOR_CM + 0.3)
        assert pleura.contains(Point(x, (y12 + y10) / 2))  # pleura between T10 and T12 beside the spine
        assert pleura.bounds[1] == pytest.approx(y12, abs=0.6)
        assert lung.bounds[1] > y12 + 1 and not lung.contains(Point(x, (y12 + y10) / 2))
        assert pleura.bounds[3] == pytest.approx(y7, abs=0.6)
        assert safety.tier_at("posterior", side, x, (y12 + y10) / 2) == "high"


# ---- the lateral views: the chest wall seen from the side (issue 10, item 5) ---------------------

LATERAL = tuple(v for v in geo.LATERAL_VIEWS if v in geo.load_body().views)


def own_side(view):
    return geo.view_sides(view)[0]


@pytest.mark.parametrize("view", LATERAL)
def test_lateral_overlays_are_valid_inside_the_profile_and_one_sided(view):
    side = own_side(view)
    outline = geo.load_body().lateral_outline
    pleura, lung = safety.pleura(view, side), safety.lung(view, side)
    for shape in (pleura, lung, safety.risk_zones(view, side)["high"], safety.risk_zones(view, side)["caution"]):
        assert shape.is_valid and not shape.is_empty
        assert shape.difference(outline).area < 0.01
    assert lung.difference(pleura).area < 0.5
    zones = safety.risk_zones(view, side)
    assert abs(zones["high"].area + zones["caution"].area - pleura.area) < 0.5  # the tiers tile the envelope
    other = "left" if side == "right" else "right"
    assert safety.pleura(view, other).is_empty and safety.tier_at(view, other, 5.0, 125.0) == "low"


def test_left_lateral_overlays_are_the_right_ones_mirrored():
    # both lateral views share (u, y) body coordinates; the plot mirrors u
    assert (
        safety.pleura("lateral_left", "left").symmetric_difference(safety.pleura("lateral_right", "right")).area < 1e-6
    )


@pytest.mark.parametrize("view", LATERAL)
def test_lateral_lower_borders_cross_the_midaxillary_line_at_ribs_10_and_8(view):
    side = own_side(view)
    pleura_at = geo.landmark(view, f"rib{safety.PLEURA_RIBS['mal']}_mal")
    lung_at = geo.landmark(view, f"rib{safety.LUNG_RIBS['mal']}_mal")
    assert near_boundary(safety.pleura(view, side), pleura_at)
    assert near_boundary(safety.lung(view, side), lung_at)
    u, y = lung_at
    assert safety.pleural_recess(view, side).contains(Point(u, (y + pleura_at[1]) / 2))  # between ribs 8 and 10
    assert safety.tier_at(view, side, u, y - 1.0) == "high"  # the recess, no bony backstop
    assert safety.tier_at(view, side, *pleura_at[:1], pleura_at[1] - 3.0) == "low"  # below the pleura


@pytest.mark.parametrize("view", LATERAL)
def test_lateral_tiers_at_landmarks(view):
    side = own_side(view)
    u6, y6 = geo.landmark(view, "rib6_mal")
    assert safety.tier_at(view, side, u6, y6) == "high"  # the lateral chest wall, where serratus anterior is needled
    fold_u, _ = geo.landmark(view, "axilla_posterior_fold")
    _, y_angle = geo.landmark("posterior", "inferior_angle_scapula", "left")
    assert safety.tier_at(view, side, fold_u - 1.0, y_angle + 3.0) == "caution"  # over the scapula's lateral border
    for low in ("greater_trochanter", "mandible_angle", "iliac_crest_top"):
        assert safety.tier_at(view, side, *geo.landmark(view, low)) == "low", low


def lateral_tp_tiers(atlas):
    for view in LATERAL:
        side = own_side(view)
        for tp_id, row in geo.tp_positions(atlas, view, side).iterrows():
            yield view, tp_id, atlas.trigger_points.at[tp_id, "muscle_id"], safety.tier_at(view, side, row.x, row.y)


def test_every_trigger_point_over_the_lateral_pleura_belongs_to_a_flagged_muscle(atlas):
    seen = 0
    for view, tp_id, muscle_id, tier in lateral_tp_tiers(atlas):
        flag = atlas.muscles.at[muscle_id, "pneumothorax_risk"]
        if tier != "low":
            seen += 1
            assert flag in ("caution", "high"), f"{tp_id} lies over the pleura on {view} but {muscle_id} is {flag}"
    assert seen, "no trigger point over the pleura on a lateral view"


def test_serratus_anterior_and_the_intercostals_lie_over_lung_from_the_side(atlas):
    tiers = {(v, m): t for v, _, m, t in lateral_tp_tiers(atlas)}
    for view in LATERAL:
        for muscle in ("serratus_anterior", "intercostals"):
            assert tiers.get((view, muscle)) == "high", (view, muscle)


def test_a_flag_downgrade_is_caught_on_the_lateral_views(set_field, data_copy):
    set_field("muscles", "serratus_anterior", "pneumothorax_risk", "none")
    with pytest.raises(AssertionError, match="serratus_anterior"):
        test_every_trigger_point_over_the_lateral_pleura_belongs_to_a_flagged_muscle(dnviz.load_atlas(data_copy))


@pytest.mark.parametrize("view", LATERAL)
def test_safety_is_drawn_on_the_lateral_views(atlas, view):
    from dnviz.scene import build_scene

    side = own_side(view)
    scene = build_scene(atlas, muscle="serratus anterior", view=view, side=side, safety=True, window="trunk")
    roles = {s["role"] for s in scene["shapes"] if s["view"] == view}
    assert {"safety-high", "safety-caution", "safety-pleura", "safety-lung", "safety-recess", "safety-label"} <= roles
    fig = plot_body_map(atlas, muscle="serratus anterior", view=view, side=side, safety=True, window="trunk")
    layers = {t.meta.get("layer") for t in fig.data if t.meta and t.meta.get("view") == view}
    assert {"safety-high", "safety-pleura"} <= layers


def test_danger_zones_seen_from_the_side_are_drawn_on_the_lateral_view():
    from types import SimpleNamespace

    import pandas as pd

    zones = pd.DataFrame(
        [
            {
                "zone_id": "side",
                "view": "anterior",
                "shape": "circle",
                "landmark_ids": ["thigh_lateral_mid"],
                "radius_cm": 3,
            },
            {
                "zone_id": "midline",
                "view": "posterior",
                "shape": "circle",
                "landmark_ids": ["c2_spinous"],
                "radius_cm": 3,
            },
        ]
    ).set_index("zone_id")
    atlas = SimpleNamespace(danger_zones=zones)
    x, y = geo.landmark("anterior", "thigh_lateral_mid", "right")
    seen = safety.danger_zone_shape(atlas, "side", "right", "lateral_right")
    assert not seen.is_empty and seen.contains(Point(geo.lift_to_side("anterior", x, y)))  # its landmark, lifted
    assert seen.difference(geo.load_body().lateral_outline).area < 0.01
    assert safety.danger_zone_shape(atlas, "side", "left", "lateral_right").is_empty  # the other side
    assert safety.danger_zone_shape(atlas, "midline", "right", "lateral_right").is_empty  # not seen from the side
    assert safety.danger_zone_shape(atlas, "side", "right").equals(
        safety.danger_zone_shape(atlas, "side", "right", "anterior")
    )

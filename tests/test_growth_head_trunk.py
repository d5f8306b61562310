"""Issue 13, head, neck, face, trunk and pelvic floor: the muscles added in this growth step.

Each one is in the atlas with what every muscle has: a trigger point that lands inside its own
outline, an essential zone, sources that resolve, and a pneumothorax flag that its place demands.
Deep muscles that are not needled in practice say so.
"""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from dnviz import geometry as geo
from dnviz import safety
from dnviz.outlines import muscle_outline, muscle_outlines

ADDED = {
    "longus_colli": "head_neck",
    "platysma": "head_neck",
    "orbicularis_oculi": "head_neck",
    "zygomaticus_major": "head_neck",
    "buccinator": "head_neck",
    "omohyoid": "head_neck",
    "semispinalis_cervicis": "head_neck",
    "longissimus_capitis": "head_neck",
    "subclavius": "shoulder_upper_limb",
    "sternalis": "trunk",
    "internal_oblique": "trunk",
    "transversus_abdominis": "trunk",
    "pyramidalis": "trunk",
    "diaphragm": "trunk",
    "intercostals": "trunk",
    "levator_ani": "trunk",
    "coccygeus": "trunk",
    "external_anal_sphincter": "trunk",
    "rotatores": "trunk",
    "mylohyoid": "head_neck",
}
NOT_NEEDLED = ["diaphragm", "intercostals", "levator_ani", "coccygeus", "external_anal_sphincter"]
OVER_THE_CHEST = {"subclavius": "high", "sternalis": "high", "intercostals": "high", "omohyoid": "high"}


@pytest.mark.parametrize("muscle_id", sorted(ADDED))
def test_muscle_is_complete(atlas, muscle_id):
    m = atlas.muscles.loc[muscle_id]
    assert m["body_area"] == ADDED[muscle_id]
    for column in ("attachments", "action", "innervation", "needling_notes", "structures_at_risk"):
        assert str(m[column]).strip(), column
    assert list(m["source_ids"]), "the muscle cites sources"
    assert set(m["source_ids"]) <= set(atlas.sources.index)
    if m["pneumothorax_risk"] != "none":
        assert list(m["pneumothorax_source_ids"])

    tps = atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id]
    assert len(tps) >= 1
    refs = atlas.referrals[atlas.referrals["tp_id"].isin(tps.index)]
    for tp_id in tps.index:
        kinds = set(refs.loc[refs["tp_id"] == tp_id, "kind"])
        assert "essential" in kinds, f"{tp_id} has no essential zone"
    for cell in refs["source_ids"]:
        assert set(cell) <= set(atlas.sources.index)

    assert muscle_outlines(atlas, muscle_id), "the muscle has an outline"


@pytest.mark.parametrize("muscle_id", sorted(ADDED))
@pytest.mark.parametrize("side", ["left", "right"])
def test_trigger_points_land_inside_their_outline(atlas, muscle_id, side):
    body = geo.load_body()
    for tp_id, tp in atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id].iterrows():
        x, y = geo.offset_point(tp["view"], tp["landmark_id"], side, float(tp["dx_cm"]), float(tp["dy_cm"]))
        assert body.outline.distance(Point(x, y)) <= 1.0, tp_id
        outline = muscle_outline(atlas, muscle_id, tp["view"], side)
        assert outline is not None and outline.buffer(0.05).contains(Point(x, y)), tp_id


def test_left_trigger_point_lands_on_the_left(atlas):
    # anterior view: the patient's left is on the viewer's right (x > 0 in body coordinates)
    x_left, _ = geo.offset_point("anterior", "clavicle_medial_third", "left", -2, -1.2)
    x_right, _ = geo.offset_point("anterior", "clavicle_medial_third", "right", -2, -1.2)
    assert x_left > 0 > x_right


@pytest.mark.parametrize("muscle_id", NOT_NEEDLED)
def test_deep_muscles_say_they_are_not_needled(atlas, muscle_id):
    notes = atlas.muscles.at[muscle_id, "needling_notes"].lower()
    assert "not needled" in notes
    assert atlas.muscles.at[muscle_id, "structures_at_risk"] != "unknown"


@pytest.mark.parametrize(("muscle_id", "flag"), sorted(OVER_THE_CHEST.items()))
def test_chest_wall_muscles_carry_their_flag(atlas, muscle_id, flag):
    assert atlas.muscles.at[muscle_id, "pneumothorax_risk"] == flag
    tps = atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id]
    tiers = set()
    for _, tp in tps.iterrows():
        for side in ("left", "right"):
            x, y = geo.offset_point(tp["view"], tp["landmark_id"], side, float(tp["dx_cm"]), float(tp["dy_cm"]))
            tiers.add(safety.tier_at(tp["view"], side, x, y))
    assert tiers & {"high", "caution"}, f"{muscle_id} is flagged but none of its trigger points lies over the pleura"


def test_upper_abdominal_and_thoracic_muscles_are_at_least_caution(atlas):
    for muscle_id in ("diaphragm", "internal_oblique", "transversus_abdominis", "platysma", "rotatores"):
        assert atlas.muscles.at[muscle_id, "pneumothorax_risk"] >= "caution", muscle_id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("internal oblique", "internal_oblique"),
        ("external oblique", "external_oblique"),
        ("transverse abdominis", "transversus_abdominis"),
        ("sphincter ani", "external_anal_sphincter"),
        ("longus colli", "longus_colli"),
        ("semispinalis cervicis", "semispinalis_cervicis"),
        ("semispinalis capitis", "semispinalis_capitis"),
    ],
)
def test_names_find_the_right_muscle(atlas, typed, expected):
    assert atlas.find_muscle(typed).name == expected


def test_study_and_manual_derived_grades_are_kept(atlas):
    refs = atlas.referrals
    longus = refs[refs["tp_id"] == "longus_colli.tp1"]
    assert set(longus["grade"]) == {"study"}  # Minerbi et al. 2017, 35 volunteers
    platysma = refs[refs["tp_id"] == "platysma.tp1"]
    assert set(platysma["grade"]) == {"derived"}  # a page quoting the Trigger Point Manual

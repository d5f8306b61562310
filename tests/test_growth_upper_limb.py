"""Issue 13, shoulder to hand: the muscles added in this growth step, and brachialis re-read.

Each one is in the atlas with what every muscle has: names a student types, a trigger point that
lands on the body and inside its own outline, an essential zone, sources that resolve, and the
pneumothorax flag its place demands (none: all of them lie in the forearm and hand).
"""

from __future__ import annotations

import pytest

from dnviz.exceptions import MuscleNotFoundError
from tests.growth_checks import (
    check_inside_outline,
    check_left_on_left,
    check_points_zones_and_outline,
    zones,
)

ADDED = [
    "anconeus",
    "flexor_pollicis_longus",
    "flexor_digitorum_profundus",
    "palmaris_longus",
    "pronator_quadratus",
    "extensor_indicis",
    "extensor_pollicis_longus",
    "extensor_pollicis_brevis",
    "abductor_pollicis_longus",
    "extensor_digiti_minimi",
    "opponens_pollicis",
    "abductor_pollicis_brevis",
    "dorsal_interossei_hand",
    "abductor_digiti_minimi_hand",
    "lumbricals_hand",
]
HAND_AND_FOREARM = {
    "lateral_elbow",
    "medial_elbow",
    "anterior_elbow",
    "volar_forearm",
    "radial_forearm",
    "dorsal_forearm",
    "ulnar_forearm",
    "volar_wrist",
    "dorsal_wrist",
    "palm",
    "thumb",
    "dorsal_hand",
    "palmar_radial_fingers",
    "palmar_ulnar_fingers",
    "dorsal_radial_fingers",
    "dorsal_ulnar_fingers",
}


def test_the_atlas_reaches_the_issue_target(atlas):
    assert len(atlas.muscles) >= 130
    assert set(ADDED) <= set(atlas.muscles.index)


@pytest.mark.parametrize("muscle_id", ADDED)
def test_muscle_is_complete(atlas, muscle_id):
    m = atlas.muscles.loc[muscle_id]
    assert m["body_area"] == "shoulder_upper_limb"
    for column in ("attachments", "action", "innervation", "needling_notes", "structures_at_risk"):
        assert str(m[column]).strip(), column
    assert m["attachments"] != "unknown" and m["innervation"] != "unknown"
    assert list(m["source_ids"]) and set(m["source_ids"]) <= set(atlas.sources.index)
    assert m["pneumothorax_risk"] == "none", "forearm and hand: not over the thorax"

    _, refs = check_points_zones_and_outline(atlas, muscle_id)
    assert set(refs["region_id"]) <= HAND_AND_FOREARM, "these patterns stay in the elbow, forearm and hand"


@pytest.mark.parametrize("muscle_id", ADDED)
@pytest.mark.parametrize("side", ["left", "right"])
def test_trigger_points_land_inside_their_outline(atlas, muscle_id, side):
    check_inside_outline(atlas, muscle_id, side)


@pytest.mark.parametrize(("muscle_id", "view"), [("flexor_pollicis_longus", "anterior"), ("anconeus", "posterior")])
def test_a_left_trigger_point_is_drawn_on_the_patients_left(atlas, muscle_id, view):
    check_left_on_left(atlas, muscle_id, view)


def test_the_study_patterns_are_graded_as_studies(atlas):
    # the hypertonic-saline studies of APL, APB, pronator quadratus and the 3rd/4th dorsal interossei
    refs = atlas.referrals
    for tp_id, region in [
        ("abductor_pollicis_longus.tp1", "dorsal_wrist"),
        ("abductor_pollicis_brevis.tp1", "thumb"),
        ("pronator_quadratus.tp1", "volar_forearm"),
        ("dorsal_interossei_hand.tp3", "dorsal_ulnar_fingers"),
    ]:
        row = refs[(refs["tp_id"] == tp_id) & (refs["region_id"] == region)]
        assert len(row) == 1 and row["kind"].iloc[0] == "essential", (tp_id, region)
        assert row["grade"].iloc[0] == "study", (tp_id, region)


def test_brachialis_hurts_at_the_front_of_the_elbow_as_well_as_the_thumb(atlas):
    refs = zones(atlas, "brachialis")
    essential = set(refs.loc[refs["kind"] == "essential", "region_id"])
    assert {"thumb", "anterior_elbow"} <= essential
    row = refs[refs["region_id"] == "anterior_elbow"]
    assert "morningside_brachialis" in row["source_ids"].iloc[0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("flexor pollicis longus", "flexor_pollicis_longus"),
        ("extensor pollicis longus", "extensor_pollicis_longus"),
        ("extensor pollicis brevis", "extensor_pollicis_brevis"),
        ("abductor pollicis longus", "abductor_pollicis_longus"),
        ("abductor pollicis brevis", "abductor_pollicis_brevis"),
        ("adductor pollicis", "adductor_pollicis"),
        ("flexor digitorum profundus", "flexor_digitorum_profundus"),
        ("flexor digitorum superficialis", "flexor_digitorum_superficialis"),
        ("pronator quadratus", "pronator_quadratus"),
        ("pronator teres", "pronator_teres"),
        ("extensor indicis proprius", "extensor_indicis"),
        ("abductor digiti minimi manus", "abductor_digiti_minimi_hand"),
        ("abductor digiti minimi pedis", "abductor_digiti_minimi_foot"),
        ("first dorsal interosseous", "dorsal_interossei_hand"),
        ("FDP", "flexor_digitorum_profundus"),
        ("EPL", "extensor_pollicis_longus"),
        ("anconaeus", "anconeus"),
    ],
)
def test_names_find_the_right_muscle(atlas, typed, expected):
    assert atlas.find_muscle(typed).name == expected


@pytest.mark.parametrize(
    ("typed", "members"),
    [
        ("pronator", {"Pronator teres", "Pronator quadratus"}),
        ("finger extensors", {"Extensor digitorum", "Extensor indicis", "Extensor digiti minimi"}),
        ("finger flexors", {"Flexor digitorum superficialis", "Flexor digitorum profundus"}),
        ("thenar", {"Opponens pollicis", "Abductor pollicis brevis"}),
        ("abductor digiti minimi", {"Abductor digiti minimi (hand)", "Abductor digiti minimi (foot)"}),
        ("abductor pollicis", {"Abductor pollicis longus", "Abductor pollicis brevis"}),
    ],
)
def test_a_name_several_muscles_share_offers_them_instead_of_one(atlas, typed, members):
    with pytest.raises(MuscleNotFoundError) as caught:
        atlas.find_muscle(typed)
    for name in members:
        assert name in str(caught.value)

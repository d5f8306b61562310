"""Issue 13, hip, thigh, leg and foot: the muscles added in this growth step.

Each one is in the atlas with what every muscle has: names a student types, a trigger point that
lands on the body and inside its own outline, an essential zone, sources that resolve, and the
pneumothorax flag its place demands (none: all of them lie below the thorax).
"""

from __future__ import annotations

import pytest

from dnviz.exceptions import MuscleNotFoundError
from tests.growth_checks import (
    check_inside_outline,
    check_left_on_left,
    check_points_zones_and_outline,
)

ADDED = [
    "gracilis",
    "sartorius",
    "pectineus",
    "adductor_brevis",
    "superior_gemellus",
    "inferior_gemellus",
    "quadratus_femoris",
    "obturator_internus",
    "obturator_externus",
    "peroneus_brevis",
    "peroneus_tertius",
    "extensor_hallucis_longus",
    "flexor_digitorum_longus",
    "flexor_hallucis_longus",
    "plantaris",
    "extensor_digitorum_brevis",
    "extensor_hallucis_brevis",
    "flexor_digitorum_brevis",
    "quadratus_plantae",
    "abductor_digiti_minimi_foot",
    "adductor_hallucis",
    "flexor_hallucis_brevis",
    "foot_interossei",
]


@pytest.mark.parametrize("muscle_id", ADDED)
def test_muscle_is_complete(atlas, muscle_id):
    m = atlas.muscles.loc[muscle_id]
    assert m["body_area"] == "hip_lower_limb"
    for column in ("attachments", "action", "innervation", "needling_notes", "structures_at_risk"):
        assert str(m[column]).strip(), column
    assert m["attachments"] != "unknown" and m["innervation"] != "unknown"
    assert list(m["source_ids"]) and set(m["source_ids"]) <= set(atlas.sources.index)
    assert m["pneumothorax_risk"] == "none", "below the thorax"

    check_points_zones_and_outline(atlas, muscle_id)


@pytest.mark.parametrize("muscle_id", ADDED)
@pytest.mark.parametrize("side", ["left", "right"])
def test_trigger_points_land_inside_their_outline(atlas, muscle_id, side):
    check_inside_outline(atlas, muscle_id, side)


@pytest.mark.parametrize(("muscle_id", "view"), [("peroneus_brevis", "anterior"), ("quadratus_femoris", "posterior")])
def test_a_left_trigger_point_is_drawn_on_the_patients_left(atlas, muscle_id, view):
    check_left_on_left(atlas, muscle_id, view)


def test_the_foot_muscles_refer_to_the_foot(atlas):
    foot = {"sole", "heel", "toes", "dorsal_foot", "anterior_ankle", "posterior_ankle", "lateral_ankle", "lateral_foot"}
    for muscle_id in ADDED[15:]:
        tps = atlas.trigger_points.index[atlas.trigger_points["muscle_id"] == muscle_id]
        refs = atlas.referrals[atlas.referrals["tp_id"].isin(tps)]
        assert set(refs["region_id"]) <= foot, muscle_id


def test_a_needling_claim_stands_on_a_source_that_makes_it(atlas):
    # the muscles whose notes give technique or a study cite it (not only anatomy pages)
    cites = {
        "sartorius": "valera2022sartorius",
        "flexor_digitorum_brevis": "martinez2021fdb",
        "obturator_internus": "george2018pelvic",
    }
    for muscle_id, source_id in cites.items():
        assert atlas.muscles.at[muscle_id, "needling_notes"] != "unknown"
        assert source_id in atlas.muscles.at[muscle_id, "source_ids"], muscle_id


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("flexor digitorum longus", "flexor_digitorum_longus"),
        ("extensor digitorum longus", "extensor_digitorum_longus"),
        ("flexor digitorum brevis", "flexor_digitorum_brevis"),
        ("extensor digitorum brevis", "extensor_digitorum_brevis"),
        ("flexor hallucis longus", "flexor_hallucis_longus"),
        ("extensor hallucis longus", "extensor_hallucis_longus"),
        ("flexor hallucis brevis", "flexor_hallucis_brevis"),
        ("peroneus brevis", "peroneus_brevis"),
        ("fibularis tertius", "peroneus_tertius"),
        ("peroneus longus", "peroneus_longus"),
        ("gemellus superior", "superior_gemellus"),
        ("inferior gemellus", "inferior_gemellus"),
        ("obturator internus", "obturator_internus"),
        ("obturator externus", "obturator_externus"),
        ("flexor accessorius", "quadratus_plantae"),
        ("abductor digiti minimi pedis", "abductor_digiti_minimi_foot"),
        ("tailor's muscle", "sartorius"),
        ("plantar interossei", "foot_interossei"),
    ],
)
def test_names_find_the_right_muscle(atlas, typed, expected):
    assert atlas.find_muscle(typed).name == expected


@pytest.mark.parametrize(
    ("typed", "members"),
    [
        ("peroneals", {"Peroneus longus", "Peroneus brevis", "Peroneus tertius"}),
        ("deep six", {"Piriformis", "Superior gemellus", "Inferior gemellus", "Quadratus femoris"}),
        ("adductors", {"Adductor brevis", "Pectineus", "Gracilis"}),
    ],
)
def test_a_shared_name_offers_the_group_instead_of_one_muscle(atlas, typed, members):
    with pytest.raises(MuscleNotFoundError) as caught:
        atlas.find_muscle(typed)
    for name in members:
        assert name in str(caught.value)


def test_the_finer_regions_carry_the_outer_ankle_and_foot(atlas):
    refs = atlas.referrals
    zones = set(zip(refs["tp_id"], refs["region_id"], refs["kind"]))
    assert ("peroneus_brevis.tp1", "lateral_ankle", "essential") in zones
    assert ("peroneus_brevis.tp1", "lateral_foot", "spillover") in zones
    assert ("obturator_externus.tp1", "genital", "spillover") in zones

"""Queries: name search, referral patterns, the reverse look-up (examples and properties)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dnviz
from dnviz._queries import normalise

ATLAS = dnviz.load_atlas()
LEAVES = sorted(ATLAS.regions.index[ATLAS.regions["view"] != "both"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("typed", "muscle_id"),
    [
        ("upper trap", "upper_trapezius"),
        ("  UPPER   Trapezius ", "upper_trapezius"),
        ("upper-trapezius", "upper_trapezius"),
        ("SCM", "sternocleidomastoid"),
        ("sternocleidomastiod", "sternocleidomastoid"),
        ("QL", "quadratus_lumborum"),
        ("infraspinatis", "infraspinatus"),
        ("TFL", "tensor_fasciae_latae"),
        ("gluteus medius muscle", "gluteus_medius"),
        ("Levator scapula", "levator_scapulae"),
        ("piriformis", "piriformis"),
        ("glutues maxmus", "gluteus_maximus"),
    ],
)
def test_find_muscle(typed, muscle_id):
    assert ATLAS.find_muscle(typed).name == muscle_id


def test_find_muscle_miss_suggests():
    with pytest.raises(dnviz.MuscleNotFoundError) as info:
        ATLAS.find_muscle("gluteal")
    assert {"Gluteus maximus", "Gluteus medius"} & set(info.value.suggestions)
    with pytest.raises(dnviz.MuscleNotFoundError, match="matches no muscle"):
        ATLAS.find_muscle("xqzzy")
    with pytest.raises(dnviz.MuscleNotFoundError):
        ATLAS.find_muscle("")


def test_find_muscle_ambiguous_lists_the_choices():
    with pytest.raises(dnviz.MuscleNotFoundError, match="ambiguous") as info:
        ATLAS.find_muscle("trapezius")
    assert {"Upper trapezius", "Middle trapezius", "Lower trapezius"} <= set(info.value.suggestions)
    with pytest.raises(dnviz.MuscleNotFoundError, match="ambiguous") as info:
        ATLAS.find_muscle("quads")  # a group name
    assert {"Rectus femoris", "Vastus medialis"} <= set(info.value.suggestions)


def test_referral_pattern_upper_trapezius():
    pattern = ATLAS.referral_pattern("upper trap")
    assert set(pattern["tp_id"].str.split(".").str[0]) == {"upper_trapezius"}
    essential = set(pattern.loc[pattern["kind"] == "essential", "region_id"])
    assert {"posterolateral_neck", "temple"} <= set(pattern["region_id"])
    assert "posterolateral_neck" in essential
    assert list(pattern.columns[:3]) == ["tp_id", "label", "location"]


def test_candidates_classic_upper_trapezius_case():
    top = ATLAS.candidates(["temple", "posterolateral_neck", "mastoid"], side="left")
    first = top.iloc[0]
    assert first["muscle_id"] == "upper_trapezius" and first["side"] == "left"
    assert first["n_regions"] == 3 and "temple" in first["why"]
    assert list(top["rank"]) == list(range(1, len(top) + 1))


def test_candidates_respect_laterality():
    right = ATLAS.candidates("temple", side="right")
    assert set(right["side"].dropna()) <= {"left", "right"}
    ipsi = ATLAS.referrals.query("laterality == 'ipsilateral'")
    ipsi_muscles = set(ATLAS.trigger_points.loc[ipsi.query("region_id == 'temple'")["tp_id"], "muscle_id"])
    assert ipsi_muscles <= set(right.loc[right["side"] == "right", "muscle_id"])


def test_candidates_accept_names_groups_and_sided_pairs():
    by_group = ATLAS.candidates("head")
    assert "sternocleidomastoid" in set(by_group["muscle_id"])
    mixed = ATLAS.candidates([("Temple", "left"), ("calf", "right")])
    assert {"left", "right"} <= set(mixed["side"])
    assert (mixed["side"].notna()).all()


def test_candidates_bad_input():
    with pytest.raises(dnviz.RegionNotFoundError, match="temple"):
        ATLAS.candidates(["tempel"])
    with pytest.raises(ValueError, match="at least one"):
        ATLAS.candidates([])
    with pytest.raises(ValueError, match="side"):
        ATLAS.candidates("temple", side="middle")


def test_cite_unknown_source():
    with pytest.raises(KeyError, match="did you mean"):
        ATLAS.cite("simons1998upper")


names = st.sampled_from(
    [(m, alias) for m, row in ATLAS.muscles.iterrows() for alias in (row["name"], *row["synonyms"])]
)


@SETTINGS
@given(names, st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} "]))
def test_property_every_name_finds_a_muscle_that_has_it(pair, transform):
    muscle_id, alias = pair
    try:
        found = ATLAS.find_muscle(transform(alias))
    except dnviz.MuscleNotFoundError as err:  # a group name shared by several muscles
        assert "ambiguous" in str(err) and ATLAS.muscles.at[muscle_id, "name"] in err.suggestions
        return
    aliases = {normalise(a) for a in (found["name"], found.name, *found["synonyms"])}
    assert normalise(alias) in aliases or normalise(alias).replace(" ", "") in {a.replace(" ", "") for a in aliases}


queries = st.lists(st.sampled_from(LEAVES), min_size=1, max_size=4, unique=True)


@SETTINGS
@given(queries, st.sampled_from(["left", "right", None]))
def test_property_candidates_are_ranked_explained_and_complete(regions, side):
    out = ATLAS.candidates(regions, side=side)
    assert list(out["rank"]) == list(range(1, len(out) + 1))
    keys = list(zip(-out["n_regions"], -out["n_essential"]))
    assert keys == sorted(keys)
    assert (out["n_essential"] <= out["n_regions"]).all() and (out["n_regions"] <= len(regions)).all()
    refs = ATLAS.referrals.join(ATLAS.trigger_points["muscle_id"], on="tp_id")
    for row in out.itertuples():
        mine = refs[refs["muscle_id"] == row.muscle_id]
        assert set(row.matched) <= set(mine["region_id"])
        assert row.why.count(" refers to ") == row.n_regions
    expected = set(refs[refs["region_id"].isin(regions)]["muscle_id"])
    assert set(out["muscle_id"]) == expected


@SETTINGS
@given(queries)
def test_property_left_and_right_mirror(regions):
    left = ATLAS.candidates(regions, side="left")
    right = ATLAS.candidates(regions, side="right")
    flip = {"left": "right", "right": "left"}
    as_left = {
        (m, s, n, e) for m, s, n, e in zip(left["muscle_id"], left["side"], left["n_regions"], left["n_essential"])
    }
    as_right = {
        (m, flip[s], n, e)
        for m, s, n, e in zip(right["muscle_id"], right["side"], right["n_regions"], right["n_essential"])
    }
    assert as_left == as_right


@SETTINGS
@given(st.sampled_from(list(ATLAS.muscles.index)))
def test_property_referral_pattern_belongs_to_the_muscle(muscle_id):
    pattern = ATLAS.referral_pattern(muscle_id)
    assert not pattern.empty
    assert set(pattern["tp_id"]) <= set(ATLAS.trigger_points.index[ATLAS.trigger_points["muscle_id"] == muscle_id])
    for _, group in pattern.groupby("tp_id"):
        codes = list(group["kind"].cat.codes)
        assert codes == sorted(codes, reverse=True)  # essential before spillover
        assert "essential" in set(group["kind"])
    assert isinstance(pattern["kind"].dtype, pd.CategoricalDtype)

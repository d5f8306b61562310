"""The patterns audit (issue 10, item 7): the data agree with its note, and the named cases stay fixed.

``docs/curation-notes/audit.md`` records every change the audit made, one table row each. These
tests read that table and check the referral rows against it, so the note and the data cannot
drift apart; they also pin the cases the issue named (the back of the thigh for the medial
hamstrings, the olecranon for the triceps, the axillary trigger point of latissimus dorsi, the
fingers each source names).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Point

import dnviz
from dnviz import geometry as geo

NOTE = Path(__file__).resolve().parents[1] / "docs" / "curation-notes" / "audit.md"
CHANGES = ("kind", "added", "moved", "removed")


@pytest.fixture(scope="module")
def atlas():
    return dnviz.load_atlas()


@pytest.fixture(scope="module")
def kinds(atlas):
    """(tp_id, region_id) -> kind, for every referral row."""
    refs = atlas.referrals
    return {(t, r): str(k) for t, r, k in zip(refs["tp_id"], refs["region_id"], refs["kind"])}


def _note_rows() -> list[dict[str, str]]:
    rows = []
    for line in NOTE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in CHANGES:
            keys = ("change", "tp_id", "region_id", "before", "after", "sources", "read")
            rows.append(dict(zip(keys, cells)))
    return rows


def test_the_note_lists_the_changes_it_counts():
    rows = _note_rows()
    by_change = {c: sum(r["change"] == c for r in rows) for c in CHANGES}
    assert by_change == {"kind": 5, "added": 15, "moved": 2, "removed": 7}, by_change


@pytest.mark.parametrize("row", _note_rows(), ids=lambda r: f"{r['change']}:{r['tp_id']}:{r['region_id']}")
def test_each_recorded_change_is_in_the_data(row, kinds, atlas):
    key = (row["tp_id"], row["region_id"])
    if row["after"] == "absent":
        assert key not in kinds, f"{key} is still in data/referrals.csv; the audit note says it was removed"
    else:
        assert kinds.get(key) == row["after"], f"{key}: data say {kinds.get(key)}, the note says {row['after']}"
    if row["change"] == "moved":
        assert (row["tp_id"], row["before"]) not in kinds, f"{row['tp_id']} still refers to {row['before']}"
    known = set(atlas.sources.index)
    cited = [s.strip() for s in row["sources"].split(",")]
    assert set(cited) <= known, f"{key}: the note cites unknown sources {set(cited) - known}"


def test_the_back_of_the_thigh_is_essential_for_the_medial_hamstrings(kinds):
    assert kinds[("medial_hamstrings.tp1", "posterior_thigh")] == "essential"
    # biceps femoris: the strong zone is behind the knee; the thigh and calf stay spillover (rule 3b)
    assert kinds[("biceps_femoris.tp1", "posterior_knee")] == "essential"
    assert kinds[("biceps_femoris.tp1", "posterior_thigh")] == "spillover"


def test_the_olecranon_is_essential_for_the_long_head_of_triceps(kinds):
    assert kinds[("triceps_brachii.tp1", "posterior_elbow")] == "essential"


def test_the_lateral_epicondyle_is_essential_for_supraspinatus(kinds):
    for tp in ("supraspinatus.tp1", "supraspinatus.tp2"):
        assert kinds[(tp, "lateral_elbow")] == "essential"
        assert kinds[(tp, "lateral_shoulder")] == "essential"


def test_finger_zones_are_the_fingers_the_sources_name(kinds):
    radial_only = ["scalenes.tp1", "coracobrachialis.tp1"]
    ulnar_only = [
        "latissimus_dorsi.tp1",
        "triceps_brachii.tp3",
        "pectoralis_major.tp2",
        "serratus_anterior.tp1",
        "serratus_posterior_superior.tp1",
    ]
    for tp in radial_only:
        assert any(k[0] == tp and "radial_fingers" in k[1] for k in kinds), tp
        assert not any(k[0] == tp and "ulnar_fingers" in k[1] for k in kinds), tp
    for tp in ulnar_only:
        assert any(k[0] == tp and "ulnar_fingers" in k[1] for k in kinds), tp
        assert not any(k[0] == tp and "radial_fingers" in k[1] for k in kinds), tp


def test_zones_sit_on_the_finer_regions(kinds):
    assert kinds[("gluteus_maximus.tp3", "coccyx")] == "essential"
    assert ("gluteus_maximus.tp3", "sacroiliac") not in kinds
    assert kinds[("deltoid.tp2", "lateral_shoulder")] == "essential"
    assert kinds[("peroneus_longus.tp1", "lateral_ankle")] == "essential"
    assert kinds[("quadratus_lumborum.tp1", "iliac_crest")] == "essential"


def _lateral_border():
    """The lateral (axillary) border of the left scapula as drawn on the posterior view: from its most lateral point
    below the shoulder joint down to the inferior angle (the lowest point)."""
    from shapely.geometry import LineString

    ring = list(geo.load_body().view("posterior").skeleton["scapula"])[:-1]
    _, joint_y = geo.landmark("posterior", "glenohumeral_posterior", "left")
    start = ring.index(max((p for p in ring if p[1] < joint_y), key=lambda p: p[0]))
    end = ring.index(min(ring, key=lambda p: p[1]))
    assert start < end, "the scapula's ring runs the other way: update the test"
    return LineString(ring[start : end + 1])


def test_the_axillary_trigger_point_of_latissimus_dorsi_is_in_the_axillary_fold(atlas):
    """It was drawn below the inferior angle of the scapula, then level with it; the sources put it about halfway up
    the lateral border, in the posterior axillary fold (Finando), inside the muscle's outline."""
    from dnviz.outlines import muscle_outline

    tp = atlas.trigger_points.loc["latissimus_dorsi.tp1"]
    x, y = geo.tp_position(tp, "posterior", "left")
    ax, ay = geo.landmark("posterior", "inferior_angle_scapula", "left")
    border = _lateral_border()
    top, bottom = border.coords[0][1], border.coords[-1][1]
    assert abs(y - (top + bottom) / 2) <= 1.5, (
        f"drawn at y {y:.1f}, the middle of the lateral border is {(top + bottom) / 2:.1f}"
    )
    assert y - ay >= 2.5, f"only {y - ay:.1f} cm above the inferior angle"
    assert x - ax >= 4.0, "it belongs in the free lateral edge, away from the inferior angle"
    assert 1.0 <= border.distance(Point(x, y)) <= 4.0, "beside the lateral border, in the fold, not on the blade"
    assert geo.region_polygon("posterior", "lateral_scapula", "left").distance(Point(x, y)) < 0.5
    assert muscle_outline(atlas, "latissimus_dorsi", "posterior", "left").distance(Point(x, y)) == 0.0
    assert "finando_latissimus" in tp["source_ids"]


def test_subscapularis_is_flagged_high_and_its_point_sits_at_the_lateral_border(atlas):
    """Subscapularis is needled from the axilla beside the lateral chest wall (no bony backstop there): flagged
    high, not caution. Its point lies on the front of the scapula just medial to the lateral border, about halfway up,
    drawn under the blade on the posterior view inside the muscle's deep outline, not on the front of the chest."""
    from shapely.geometry import Polygon

    from dnviz.outlines import muscle_outline

    m = atlas.muscles.loc["subscapularis"]
    assert m["pneumothorax_risk"] == "high"
    assert {"ptonice_subscapularis", "ahpcsa_bn121_thorax"} <= set(m["pneumothorax_source_ids"])
    notes = m["needling_notes"].lower()
    for words in ("lateral border", "axilla", "chest wall", "unknown"):
        assert words in notes, words

    tp = atlas.trigger_points.loc["subscapularis.tp1"]
    assert tp["view"] == "posterior"
    x, y = geo.tp_position(tp, "posterior", "left")
    blade = Polygon(geo.load_body().view("posterior").skeleton["scapula"])
    border = _lateral_border()
    top, bottom = border.coords[0][1], border.coords[-1][1]
    assert blade.contains(Point(x, y)), "on the scapula (its front surface), not beside it"
    assert border.distance(Point(x, y)) <= 2.0, "just medial to the lateral border"
    assert abs(y - (top + bottom) / 2) <= 1.5, "about halfway up the lateral border"
    outline = muscle_outline(atlas, "subscapularis", "posterior", "left")
    assert outline is not None and outline.distance(Point(x, y)) == 0.0
    assert geo.tp_position(tp, "anterior", "left") is None
    assert {"chiodo2005subscapularis", "massagebodywork_subscapularis"} <= set(tp["source_ids"])

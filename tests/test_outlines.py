"""Muscle outlines: the accessor, the table's checks, and trigger points inside their muscle."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

import dnviz
from dnviz import _outline_checks
from dnviz import geometry as geo
from dnviz.outlines import muscle_outline, muscle_outlines

TP_TOLERANCE_CM = 1.0  # a trigger point may sit on the edge of its muscle (outlines are schematic)


def load_error(folder) -> dnviz.AtlasValidationError:
    with pytest.raises(dnviz.AtlasValidationError) as info:
        dnviz.load_atlas(folder)
    return info.value


def outlined(atlas) -> list[str]:
    return sorted(set(atlas.muscle_outlines["muscle_id"].astype(str)))


def test_upper_trapezius_runs_from_the_occiput_to_the_acromion(atlas):
    poly = muscle_outline(atlas, "upper_trapezius", "posterior", "left")
    assert poly.is_valid and poly.geom_type == "Polygon"
    xmin, _, xmax, ymax = poly.bounds
    eop = geo.landmark("posterior", "external_occipital_protuberance")
    acromion = geo.landmark("posterior", "acromion")
    c7 = geo.landmark("posterior", "c7_spinous")
    assert poly.distance(Point(eop)) < 0.1 and poly.distance(Point(acromion)) < 0.1
    assert poly.distance(Point(c7)) < 0.1  # the nuchal ligament down to C7
    assert xmin == pytest.approx(0.0) and ymax >= eop[1] - 0.5 and xmax >= acromion[0] - 0.5


def test_right_side_is_the_mirror_of_the_left(atlas):
    left = muscle_outline(atlas, "infraspinatus", "posterior", "left")
    right = muscle_outline(atlas, "infraspinatus", "posterior", "right")
    assert left.bounds[0] > 0 and right.bounds[2] < 0
    assert right.area == pytest.approx(left.area)
    assert right.bounds[0] == pytest.approx(-left.bounds[2])


def test_no_outline_on_a_view_gives_none_and_parts_are_listed(atlas):
    assert muscle_outline(atlas, "upper_trapezius", "anterior") is None
    parts = muscle_outlines(atlas, "sternocleidomastoid", views=["anterior"])
    assert {o.part for o in parts} == {"sternal", "clavicular"}
    assert all(not o.deep and o.source_ids for o in parts)


def test_bad_arguments_name_the_parameter(atlas):
    with pytest.raises(ValueError, match="view"):
        muscle_outline(atlas, "upper_trapezius", "sideways")
    with pytest.raises(ValueError, match="side"):
        muscle_outline(atlas, "upper_trapezius", "posterior", "middle")
    with pytest.raises(ValueError, match="muscle_id"):
        muscle_outlines(atlas, "upper_trapezoid")


def _silhouette(view):
    body = geo.load_body()
    lateral = view in getattr(geo, "LATERAL_VIEWS", ())
    return (body.lateral_outline if lateral else body.outline).buffer(_outline_checks.OFF_BODY_CM)


def test_every_ring_is_valid_and_on_the_body(atlas):
    for muscle in outlined(atlas):
        for o in muscle_outlines(atlas, muscle, side="left") + muscle_outlines(atlas, muscle, side="right"):
            body = _silhouette(o.view)
            assert o.polygon.is_valid, (muscle, o.view, o.part)
            assert o.polygon.area > 1.0, (muscle, o.view, o.part)
            assert o.polygon.difference(body).area < 0.05, (muscle, o.view, o.part)


def test_every_muscle_has_an_outline(atlas):
    if not _outline_checks.EVERY_MUSCLE:
        pytest.skip("outlines still being drawn")
    assert set(outlined(atlas)) == set(atlas.muscles.index)


def test_deep_muscles_are_marked_deep(atlas):
    deep = {m for m in outlined(atlas) if any(o.deep for o in muscle_outlines(atlas, m))}
    expected = {"scalenes", "subscapularis", "iliopsoas", "piriformis", "soleus", "supinator"}
    assert expected & set(outlined(atlas)) <= deep


def test_each_trigger_point_lies_in_its_muscle(atlas):
    """Each trigger point is inside, or within 1 cm of the edge of, its muscle's outline on its view."""
    have = set(outlined(atlas))
    away = []
    for tp in atlas.trigger_points.itertuples():
        if tp.muscle_id not in have:
            continue
        side = geo.view_sides(tp.view)[0] if tp.view in getattr(geo, "LATERAL_VIEWS", ()) else "left"
        poly = muscle_outline(atlas, tp.muscle_id, tp.view, side)
        if poly is None:
            away.append((tp.Index, f"no outline on the {tp.view} view"))
            continue
        x, y = geo.offset_point(tp.view, tp.landmark_id, side, tp.dx_cm, tp.dy_cm)
        d = poly.distance(Point(x, y))
        if d > TP_TOLERANCE_CM:
            away.append((tp.Index, f"{d:.1f} cm outside"))
    assert not away, away


LIFTED_TOLERANCE_CM = 1.5  # a trigger point is lifted onto a profile with a coarse depth map (dnviz.geometry)


@pytest.mark.skipif(not hasattr(geo, "tp_positions"), reason="no lateral views in this geometry")
def test_lateral_profiles_mirror_and_hold_their_trigger_points(atlas):
    """A profile is drawn on both lateral views (one side each); the points seen there lie in it."""
    from dnviz.outlines import muscle_outlines as rings

    right = muscle_outline(atlas, "sternocleidomastoid", "lateral_right", "right")
    left = muscle_outline(atlas, "sternocleidomastoid", "lateral_left", "left")
    assert right is not None and left is not None and right.equals(left)
    assert muscle_outline(atlas, "sternocleidomastoid", "lateral_right", "left") is None
    away = []
    for view in geo.LATERAL_VIEWS:
        side = geo.view_sides(view)[0]
        seen = geo.tp_positions(atlas, view, side)
        for tp_id, row in seen.iterrows():
            muscle = atlas.trigger_points.loc[tp_id, "muscle_id"]
            if not rings(atlas, muscle, side, views=[view]):
                continue  # the muscle has no profile: the scene draws its point alone
            d = muscle_outline(atlas, muscle, view, side).distance(Point(row["x"], row["y"]))
            if d > LIFTED_TOLERANCE_CM:
                away.append((view, tp_id, round(d, 1)))
    assert not away, away


@pytest.mark.parametrize("muscle", ["peroneus_brevis", "longissimus_capitis", "diaphragm"])
def test_muscles_seen_best_from_the_side_have_a_profile(atlas, muscle):
    """Their patterns are seen whole from the side: the muscle is drawn there, around its points."""
    poly = muscle_outline(atlas, muscle, "lateral_right", "right")
    assert poly is not None and poly.is_valid
    assert poly.equals(muscle_outline(atlas, muscle, "lateral_left", "left"))
    for _, tp in atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle].iterrows():
        here = geo.tp_position(tp, "lateral_right", "right")
        assert here is not None and poly.distance(Point(here)) <= TP_TOLERANCE_CM, (muscle, here)


# --- the loader's checks, one broken copy each -------------------------------------------------


def _ring_rows(rows, header, muscle, view="posterior", part="main"):
    m, v, p = header.index("muscle_id"), header.index("view"), header.index("part")
    return [i for i, r in enumerate(rows) if (r[m], r[v], r[p]) == (muscle, view, part)]


def test_self_intersecting_outline_is_refused(edit_table, data_copy):
    def swap(header, rows):
        i, j = _ring_rows(rows, header, "infraspinatus")[1:3]
        cols = [header.index(c) for c in ("landmark_id", "dx_cm", "dy_cm")]
        for c in cols:
            rows[i][c], rows[j][c] = rows[j][c], rows[i][c]
        return header, rows

    edit_table("muscle_outlines", swap)
    (problem,) = load_error(data_copy).problems
    assert problem.file.endswith("muscle_outlines.csv") and problem.row is not None
    assert problem.column == "seq" and "crosses" in str(problem.value)
    assert "not a valid polygon" in problem.message and "no edge crosses" in problem.fix


def test_vertex_off_the_body_is_refused(edit_table, data_copy):
    def push(header, rows):
        i = _ring_rows(rows, header, "infraspinatus")[3]
        rows[i][header.index("dx_cm")] = "30"
        return header, rows

    edit_table("muscle_outlines", push)
    (problem,) = load_error(data_copy).problems
    assert problem.column == "dx_cm, dy_cm" and problem.value.startswith("30")
    assert "outside the body outline" in problem.message


def test_edge_leaving_the_body_is_refused(edit_table, data_copy):
    """Every vertex on the body, but an edge that crosses the gap between the arm and the trunk."""

    def across(header, rows):
        keep = [r for i, r in enumerate(rows) if i not in set(_ring_rows(rows, header, "infraspinatus"))]
        first = rows[_ring_rows(rows, header, "infraspinatus")[0]]
        ring = []
        for seq, landmark in enumerate(("acromion", "dorsal_hand_center", "iliac_crest_top"), 1):
            row = list(first)
            row[header.index("seq")], row[header.index("landmark_id")] = str(seq), landmark
            row[header.index("dx_cm")] = row[header.index("dy_cm")] = "0"
            ring.append(row)
        return header, keep + ring

    edit_table("muscle_outlines", across)
    (problem,) = load_error(data_copy).problems
    assert problem.file.endswith("muscle_outlines.csv") and problem.column == "dx_cm, dy_cm"
    assert "leaves the body" in problem.message and "outside" in problem.value


@pytest.mark.skipif(not hasattr(geo, "LATERAL_VIEWS"), reason="no lateral views in this geometry")
def test_profile_vertex_off_the_lateral_silhouette_is_refused(edit_table, data_copy):
    def push(header, rows):
        i = _ring_rows(rows, header, "sternocleidomastoid", view="lateral_right")[0]
        rows[i][header.index("dx_cm")] = "25"
        return header, rows

    edit_table("muscle_outlines", push)
    (problem,) = load_error(data_copy).problems
    assert problem.column == "dx_cm, dy_cm" and problem.value.startswith("25")
    assert "outside the body outline" in problem.message and "anterior on a lateral view" in problem.fix


def test_landmark_of_another_view_is_refused(edit_table, data_copy):
    def other(header, rows):
        i = _ring_rows(rows, header, "infraspinatus")[0]
        rows[i][header.index("landmark_id")] = "nipple"  # an anterior landmark
        return header, rows

    edit_table("muscle_outlines", other)
    problems = load_error(data_copy).problems
    assert any(p.column == "landmark_id" and p.value == "nipple" and "posterior" in p.message for p in problems)


def test_ring_of_two_vertices_is_refused(edit_table, data_copy):
    def cut(header, rows):
        keep = set(_ring_rows(rows, header, "infraspinatus")[2:])
        return header, [r for i, r in enumerate(rows) if i not in keep]

    edit_table("muscle_outlines", cut)
    (problem,) = load_error(data_copy).problems
    assert problem.column == "seq" and problem.value == 2 and "at least 3" in problem.fix


def test_mixed_deep_flag_is_refused(edit_table, data_copy):
    def mix(header, rows):
        i = _ring_rows(rows, header, "infraspinatus")[0]
        rows[i][header.index("deep")] = "yes"
        return header, rows

    edit_table("muscle_outlines", mix)
    (problem,) = load_error(data_copy).problems
    assert problem.column == "deep" and "same deep value" in problem.fix


def test_muscle_without_outline_is_refused(edit_table, data_copy, monkeypatch):
    monkeypatch.setattr(_outline_checks, "EVERY_MUSCLE", True)

    def drop(header, rows):
        m = header.index("muscle_id")
        return header, [r for r in rows if r[m] != "infraspinatus"]

    edit_table("muscle_outlines", drop)
    problems = load_error(data_copy).problems
    assert any(
        p.file.endswith("muscles.csv") and p.value == "infraspinatus" and "no outline" in p.message for p in problems
    )

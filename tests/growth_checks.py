"""Checks shared by the growth tests (tests/test_growth_*.py): one definition of what a new muscle
must have beyond its own row: trigger points with sources and an essential zone each, zones with
sources, an outline on every view its trigger points use, and points on the body, inside the outline
and on the patient's correct side."""

from __future__ import annotations

from collections.abc import Iterator

from shapely.geometry import Point

from dnviz import geometry as geo
from dnviz.outlines import muscle_outline, muscle_outlines


def tp_points(atlas, muscle_id: str, side: str) -> Iterator[tuple[str, str, tuple[float, float]]]:
    """(tp_id, view, body xy) of each of the muscle's trigger points on ``side``."""
    tps = atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id]
    for tp_id, tp in tps.iterrows():
        xy = geo.offset_point(tp["view"], tp["landmark_id"], side, float(tp["dx_cm"]), float(tp["dy_cm"]))
        yield tp_id, tp["view"], xy


def zones(atlas, muscle_id: str):
    """The referral rows of the muscle's trigger points."""
    tps = atlas.trigger_points.index[atlas.trigger_points["muscle_id"] == muscle_id]
    return atlas.referrals[atlas.referrals["tp_id"].isin(tps)]


def check_points_zones_and_outline(atlas, muscle_id: str):
    """Trigger points with sources, an essential zone each, zones with sources and ipsilateral, an
    outline with sources on every view the trigger points use; returns (trigger points, zones)."""
    sources = set(atlas.sources.index)
    tps = atlas.trigger_points[atlas.trigger_points["muscle_id"] == muscle_id]
    assert len(tps) >= 1
    for tp_id, tp in tps.iterrows():
        assert list(tp["source_ids"]) and set(tp["source_ids"]) <= sources, tp_id
    refs = zones(atlas, muscle_id)
    for tp_id in tps.index:
        assert "essential" in set(refs.loc[refs["tp_id"] == tp_id, "kind"]), f"{tp_id} has no essential zone"
    for cell in refs["source_ids"]:
        assert list(cell) and set(cell) <= sources
    assert set(refs["laterality"]) == {"ipsilateral"}
    outlines = muscle_outlines(atlas, muscle_id)
    assert outlines, "the muscle has an outline"
    assert {o.view for o in outlines} >= set(tps["view"]), "an outline on every view its trigger points use"
    for o in outlines:
        assert set(o.source_ids) <= sources
    return tps, refs


def check_inside_outline(atlas, muscle_id: str, side: str) -> None:
    """Every trigger point on the body and inside (or within 0.05 cm of) its muscle's outline."""
    body = geo.load_body()
    for tp_id, view, (x, y) in tp_points(atlas, muscle_id, side):
        assert body.outline.distance(Point(x, y)) == 0, f"{tp_id} is off the body"
        outline = muscle_outline(atlas, muscle_id, view, side)
        assert outline is not None and outline.buffer(0.05).contains(Point(x, y)), tp_id


def check_left_on_left(atlas, muscle_id: str, view: str) -> None:
    """The patient's left is on the viewer's right on the anterior view and on the viewer's left behind."""
    (_, _, (x_left, _)), *_ = tp_points(atlas, muscle_id, "left")
    (_, _, (x_right, _)), *_ = tp_points(atlas, muscle_id, "right")
    assert x_left > 0 > x_right
    plot_left, plot_right = geo.to_plot_x(view, x_left), geo.to_plot_x(view, x_right)
    assert (plot_left > plot_right) == (view == "anterior")

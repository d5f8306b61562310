"""Body-map figures, asserted on fig.data and fig.layout (never on pixels)."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

import dnviz
from dnviz import geometry as geo
from dnviz.plotting import plot_body_map, trigger_point_xy, view_offsets
from dnviz.themes import OKABE_ITO, THEMES


def layer(fig, name, view=None):
    return [
        t for t in fig.data if t.meta and t.meta.get("layer") == name and (view is None or t.meta.get("view") == view)
    ]


def view_centre(view, views=("anterior", "posterior")):
    minx, _, maxx, _ = geo.load_body().outline.bounds
    return view_offsets(views)[view] + (minx + maxx) / 2


def test_plain_map_has_body_skeleton_regions_both_views(atlas):
    fig = plot_body_map(atlas)
    assert isinstance(fig, go.Figure)
    assert {t.type for t in fig.data} == {"scatter"}
    for view in ("anterior", "posterior"):
        assert len(layer(fig, "body", view)) == 1
        assert len(layer(fig, "skeleton", view)) == 1
        names = layer(fig, "region-names", view)[0]
        n_leaves = len(geo.load_body().view(view).regions)  # a region may be drawn on several views
        assert len(names.text) == 2 * n_leaves
    assert not layer(fig, "trigger-points")


def test_pattern_crosses_and_zones(atlas):
    fig = plot_body_map(atlas, muscle="upper trap", side="right")
    crosses = layer(fig, "trigger-points")
    assert crosses and all(t.marker.symbol == "x-thin" for t in crosses)
    n_tp = int((atlas.trigger_points["muscle_id"] == "upper_trapezius").sum())
    assert sum(len(t.x) for t in crosses) == n_tp
    essential = layer(fig, "zone-essential")
    spill = layer(fig, "zone-spillover")
    assert essential and all(t.fillcolor == OKABE_ITO[0] for t in essential)
    assert all(t.fillpattern.shape == "." for t in spill)
    assert any("temple" in t.name for t in essential + spill)
    for t in essential:
        assert "Upper trapezius" in t.name and re.search(r"\(.+\)$", t.name)  # region, muscle and source
    hover = crosses[0].text[0]
    assert "Upper trapezius" in hover and "Source:" in hover
    assert fig.layout.showlegend and fig.layout.legend.y < 0  # legend below the body, never over it


@pytest.mark.parametrize(
    "muscle_id",
    [
        "upper_trapezius",
        "infraspinatus",
        "gluteus_medius",
        "tibialis_anterior",
        "pectoralis_major",
        "quadratus_lumborum",
    ],
)
@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("window", ["auto", "whole"])
def test_left_is_left_on_both_views(atlas, muscle_id, side, window):
    fig = plot_body_map(atlas, muscle=muscle_id, side=side, window=window)
    for t in layer(fig, "trigger-points"):
        view = t.meta["view"]
        patient_left_is_viewer_right = view == "anterior"
        expect_right_of_centre = (side == "left") == patient_left_is_viewer_right
        midline = fig.layout.meta["panels"][view]["dx"]  # plot x of the view's midline
        for x in t.x:
            assert (x > midline) == expect_right_of_centre, (muscle_id, view, side, x)
    for t in layer(fig, "zone-essential") + layer(fig, "zone-spillover"):
        assert t.meta["side"] in ("left", "right")


def test_every_trigger_point_lands_inside_the_body(atlas):
    body = geo.load_body().outline.buffer(1.0)
    from shapely.geometry import Point

    for tp_id in atlas.trigger_points.index:
        for side in ("left", "right"):
            _, x, y = trigger_point_xy(atlas, tp_id, side)
            assert body.contains(Point(x, y)), (tp_id, side, x, y)


def test_side_labels_on_every_view(atlas):
    fig = plot_body_map(atlas, view="both")
    labels = {a.name: a for a in fig.layout.annotations if a.name and a.name.startswith("side-")}
    assert labels["side-anterior-left"].x > view_centre("anterior") > labels["side-anterior-right"].x
    assert labels["side-posterior-left"].x < view_centre("posterior") < labels["side-posterior-right"].x


def test_single_view_only_draws_that_view(atlas):
    for window in ("auto", "whole"):
        fig = plot_body_map(atlas, view="posterior", muscle="infraspinatus", window=window)
        assert {t.meta["view"] for t in fig.data if t.meta and "view" in t.meta} == {"posterior"}


def test_contralateral_and_bilateral_zones(atlas):
    bilateral = atlas.referrals[atlas.referrals["laterality"] == "bilateral"]
    if bilateral.empty:
        pytest.skip("no bilateral referral in the atlas")  # pragma: no cover
    muscle_id = atlas.trigger_points.at[bilateral.iloc[0]["tp_id"], "muscle_id"]
    fig = plot_body_map(atlas, muscle=muscle_id, side="left")
    region = bilateral.iloc[0]["region_id"]
    sides = {
        t.meta["side"]
        for t in layer(fig, "zone-essential") + layer(fig, "zone-spillover")
        if t.meta["region_id"] == region
    }
    assert sides == {"left", "right"}


def test_marked_pain_regions(atlas):
    fig = plot_body_map(atlas, regions=[("temple", "left"), "calf"])
    pain = layer(fig, "pain")
    assert {(t.meta["region_id"], t.meta["side"]) for t in pain} == {
        ("temple", "left"),
        ("calf", "left"),
        ("calf", "right"),
    }


def test_clickable_regions_are_filled_targets(atlas):
    fig = plot_body_map(atlas, view="anterior", clickable=True)
    targets = layer(fig, "region")
    assert len(targets) == 2 * len(geo.load_body().view("anterior").regions)
    assert all(t.fill == "toself" and t.hoveron == "fills" for t in targets)
    assert not layer(fig, "region-names")  # no invisible marker may steal a click from a region


def test_themes(atlas):
    screen = plot_body_map(atlas, muscle="SCM")
    present = plot_body_map(atlas, muscle="SCM", theme="present")
    printed = plot_body_map(atlas, muscle="SCM", theme="print")
    assert present.layout.font.size >= 1.6 * screen.layout.font.size
    assert present.layout.width > screen.layout.width
    grey = re.compile(r"^#([0-9A-F]{2})\1\1$", re.I)
    for t in layer(printed, "zone-essential"):
        assert grey.match(t.fillcolor)
    assert set(THEMES) == {"screen", "present", "print"}


def test_multiple_muscles_get_distinct_colours(atlas):
    fig = plot_body_map(atlas, muscle=["upper trapezius", "levator scapulae"])
    colours = {t.meta["muscle_id"]: t.line.color for t in layer(fig, "zone-essential")}
    assert len(set(colours.values())) == 2


def test_text_from_data_is_escaped(atlas, set_field, data_copy):
    set_field("muscles", "masseter", "name", "<script>alert(1)</script>")
    fig = plot_body_map(dnviz.load_atlas(data_copy), muscle="masseter")
    text = fig.to_json()
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_bad_arguments(atlas):
    with pytest.raises(ValueError, match="view must be one of"):
        plot_body_map(atlas, view="lateral")
    with pytest.raises(ValueError, match="theme must be one of"):
        plot_body_map(atlas, theme="dark")
    with pytest.raises(ValueError, match="side must be one of"):
        plot_body_map(atlas, side="middle")
    with pytest.raises(dnviz.MuscleNotFoundError):
        plot_body_map(atlas, muscle="nonexistent muscle")


def test_disclaimer_shown_with_clinical_content(atlas):
    fig = plot_body_map(atlas, muscle="masseter")
    assert any(
        a.name == "disclaimer" and "not clinical guidance" in a.text.replace("<br>", " ")
        for a in fig.layout.annotations
    )


@pytest.mark.parametrize("view", ["anterior", "posterior"])
def test_pixels_map_to_regions_and_back(atlas, view):
    from dnviz.plotting import locate, pixel_to_plot, plot_to_pixel

    fig = plot_body_map(atlas)
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    m = fig.layout.margin
    ratio = (fig.layout.width - m.l - m.r) / (fig.layout.height - m.t - m.b)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(ratio)  # plotly keeps the ranges: 1 cm is 1 cm both ways
    for region_id in atlas.regions.index[atlas.regions["view"] == view]:
        for side in ("left", "right"):
            p = geo.region_polygon(view, region_id, side).representative_point()
            x = geo.to_plot_x(view, p.x) + view_offsets(("anterior", "posterior"))[view]
            assert pixel_to_plot(fig.layout, *plot_to_pixel(fig.layout, x, p.y)) == pytest.approx((x, p.y))
            assert locate(atlas, x, p.y) == (view, region_id, side)
    assert locate(atlas, x0 + 0.5, y1 - 0.5) is None

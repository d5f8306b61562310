"""Regional windows: auto frames the pattern, named windows frame a body area, whole is today's figure."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from dnviz import geometry as geo
from dnviz.plotting import locate, pixel_to_plot, plot_body_map, plot_to_pixel
from dnviz.scene import WINDOWS
from dnviz.scene.coords import to_body

PATTERN_LAYERS = ("zone-essential", "zone-spillover", "trigger-points")


def pattern_share(fig) -> float:
    """Area of the pattern's bounding box on each view (zones and trigger points), over the plotted area."""
    boxes: dict[str, list[float]] = {}
    for t in fig.data:
        if not (t.meta and t.meta.get("layer") in PATTERN_LAYERS):
            continue
        xs = [x for x in t.x if x is not None]
        ys = [y for y in t.y if y is not None]
        b = boxes.setdefault(t.meta["view"], [min(xs), min(ys), max(xs), max(ys)])
        b[:] = [min(b[0], min(xs)), min(b[1], min(ys)), max(b[2], max(xs)), max(b[3], max(ys))]
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    return sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes.values()) / ((x1 - x0) * (y1 - y0))


def window_share(fig) -> float:
    """Area of the pattern's bounding box on each view, over the area of the window's panels."""
    boxes: dict[str, list[float]] = {}
    for t in fig.data:
        if not (t.meta and t.meta.get("layer") in PATTERN_LAYERS):
            continue
        xs = [x for x in t.x if x is not None]
        ys = [y for y in t.y if y is not None]
        b = boxes.setdefault(t.meta["view"], [min(xs), min(ys), max(xs), max(ys)])
        b[:] = [min(b[0], min(xs)), min(b[1], min(ys)), max(b[2], max(xs)), max(b[3], max(ys))]
    panels = fig.layout.meta["panels"]
    area = sum((p["box"][2] - p["box"][0]) * (p["box"][3] - p["box"][1]) for p in panels.values())
    return sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes.values()) / area


def shares(atlas, window):
    return {m: window_share(plot_body_map(atlas, muscle=m, window=window)) for m in atlas.muscles.index}


def test_auto_frames_the_pattern_for_nine_muscles_in_ten(atlas):
    """Issue 10's target: in "auto" the pattern's box covers at least 20% of the window for 90% of muscles.

    The window's area is its panels' (the body cropped on each view), without the titles, the legend
    and the locator; ``pattern_share`` measures against the whole plotted area for the report.
    """
    auto = shares(atlas, "auto")
    meets = [m for m, share in auto.items() if share >= 0.20]
    assert len(meets) >= 0.9 * len(auto), sorted((round(s, 3), m) for m, s in auto.items() if s < 0.2)


def test_whole_figure_is_what_the_windows_improve_on(atlas):
    sample = ["upper_trapezius", "extensor_digitorum", "gastrocnemius", "masseter"]
    for m in sample:
        whole = pattern_share(plot_body_map(atlas, muscle=m, window="whole"))
        auto = pattern_share(plot_body_map(atlas, muscle=m, window="auto"))
        assert auto > 2 * whole, (m, whole, auto)


def test_auto_uses_only_the_views_that_show_the_pattern(atlas):
    fig = plot_body_map(atlas, muscle="extensor digitorum")
    drawn = {t.meta["view"] for t in fig.data if t.meta and t.meta.get("layer") in PATTERN_LAYERS}
    assert set(fig.layout.meta["views"]) == drawn
    assert fig.layout.meta["window"] == "auto"


def test_auto_with_nothing_selected_is_the_whole_body(atlas):
    fig = plot_body_map(atlas)
    assert fig.layout.meta["window"] == "whole"
    assert not [t for t in fig.data if t.meta and t.meta.get("layer") == "locator-body"]


def test_neck_pattern_shows_the_head_arm_pattern_the_shoulder(atlas):
    fig = plot_body_map(atlas, muscle="levator scapulae")
    vertex = geo.load_body().outline.bounds[3]
    panels = fig.layout.meta["panels"]
    assert any(p["box"][3] >= vertex - 8 for p in panels.values())  # the head is in the window
    fig = plot_body_map(atlas, muscle="extensor digitorum", side="right")
    _, y_acromion = geo.landmark("posterior", "lateral_epicondyle", "right")
    assert all(p["box"][3] >= y_acromion for p in fig.layout.meta["panels"].values())  # the elbow is in it


def test_a_neck_muscle_whose_point_sits_above_the_clavicle_gets_the_head(atlas):
    """Scalenes: the point is in the supraclavicular area (a shoulder region), the muscle on the neck."""
    fig = plot_body_map(atlas, muscle="scalenes", side="right")
    panels = fig.layout.meta["panels"]
    vertex = geo.load_body().outline.bounds[3]
    assert "anterior" in panels and panels["anterior"]["box"][3] >= vertex - 8
    _, chin = geo.landmark("anterior", "chin", "right")
    assert panels["anterior"]["box"][3] > chin + 5  # the whole neck, and the face above it


def test_head_pattern_gets_the_whole_head_from_behind_and_the_side(atlas):
    """Suboccipitals (occiput to orbit): the skull's top and the jaw are in the window, not cut off."""
    from shapely.ops import unary_union

    fig = plot_body_map(atlas, muscle="suboccipitals", side="right")
    panels = fig.layout.meta["panels"]
    assert {"posterior", "lateral_right"} <= set(panels)
    for view in ("posterior", "lateral_right"):
        members = geo.load_body().view(view).region_groups["head"]
        _, y0, _, y1 = unary_union([geo.region_polygon(view, r, "right") for r in members]).bounds
        box = panels[view]["box"]
        assert box[1] <= y0 and box[3] >= y1, (view, box, y0, y1)


@pytest.mark.parametrize("window", [w for w in WINDOWS if w not in ("auto",)])
def test_every_named_window_draws(atlas, window):
    fig = plot_body_map(atlas, muscle="infraspinatus", window=window)
    assert fig.layout.meta["window"] == window
    assert [t for t in fig.data if t.meta and t.meta.get("layer") == "body"]
    if window != "whole":  # a small whole-body locator shows where the window is
        assert [t for t in fig.data if t.meta and t.meta.get("layer") == "locator-window"]


def test_shapes_stay_inside_their_panel(atlas):
    fig = plot_body_map(atlas, muscle="gluteus minimus", safety=True)
    panels = fig.layout.meta["panels"]
    for t in fig.data:
        view = (t.meta or {}).get("view")
        if view not in panels or t.meta.get("layer") == "tp-label":
            continue
        x0, y0, x1, y1 = panels[view]["box"]
        for x, y in zip(t.x, t.y):
            if x is not None:
                assert x0 - 0.05 <= x <= x1 + 0.05 and y0 - 0.05 <= y <= y1 + 0.05, (t.meta, x, y)


@pytest.mark.parametrize("muscle", ["infraspinatus", "extensor digitorum", "gastrocnemius"])
def test_pixels_map_to_regions_in_a_window(atlas, muscle):
    """The pain finder's pixel -> body mapping holds in a window, with the panels the figure carries."""
    fig = plot_body_map(atlas, muscle=muscle)
    panels = fig.layout.meta["panels"]
    for view, panel in panels.items():
        x0, y0, x1, y1 = panel["box"]
        for fx in (0.3, 0.5, 0.7):
            px, py = plot_to_pixel(fig.layout, x0 + fx * (x1 - x0), (y0 + y1) / 2)
            x, y = pixel_to_plot(fig.layout, px, py)
            hit = locate(atlas, x, y, panels=panels)
            bx, by = to_body(view, x, y, panel)
            if hit is None:
                assert not geo.load_body().outline.buffer(-0.2).contains(Point(bx, by))
                continue
            found_view, region_id, side = hit
            assert found_view == view
            assert geo.region_polygon(view, region_id, side).buffer(0.01).contains(Point(bx, by))


def test_bad_window_view_tp_landmarks_name_the_parameter(atlas):
    with pytest.raises(ValueError, match=r"window must be one of .*'head_neck'.*'knee'"):
        plot_body_map(atlas, muscle="SCM", window="knee")
    with pytest.raises(ValueError, match="view must be one of"):
        plot_body_map(atlas, view="sideways")
    with pytest.raises(ValueError, match=r"tp must be one of .*upper_trapezius.tp1.*'scm.tp9'"):
        plot_body_map(atlas, muscle="upper trapezius", tp="scm.tp9")
    with pytest.raises(ValueError, match=r"tp must be one of .*1.*9"):
        plot_body_map(atlas, muscle="upper trapezius", tp=9)
    with pytest.raises(ValueError, match=r"landmarks must be one of .*True.*'yes'"):
        plot_body_map(atlas, muscle="upper trapezius", landmarks="yes")
    with pytest.raises(ValueError, match="tp needs exactly one muscle"):
        plot_body_map(atlas, tp=1)


@pytest.mark.parametrize("window", ["auto", "whole", "head_neck"])
def test_a_pixel_names_its_region_in_any_window(atlas, window):
    from dnviz.plotting import region_at_pixel

    fig = plot_body_map(atlas, muscle="upper trapezius", window=window)
    found = 0
    for view, panel in fig.layout.meta["panels"].items():
        for region_id in geo.load_body().view(view).regions:
            for side in geo.view_sides(view):
                p = geo.region_polygon(view, region_id, side).representative_point()
                x = geo.to_plot_x(view, p.x) + panel["dx"]
                x0, y0, x1, y1 = panel["box"]
                if not (x0 < x < x1 and y0 < p.y < y1):
                    continue
                assert region_at_pixel(atlas, fig.layout, *plot_to_pixel(fig.layout, x, p.y)) == (view, region_id, side)
                found += 1
    assert found >= 5
    assert region_at_pixel(atlas, fig.layout, 2, 2) is None

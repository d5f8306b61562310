"""Figure sizes: too small, not a number or not finite is refused with a message; what is accepted draws upright."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnviz import plot_body_map, plot_forest, plot_needle_direction, plot_side_effects
from dnviz._constants import DISCLAIMER
from dnviz._sizes import MAX_PIXELS, check_size
from dnviz.plotting import MIN_HEIGHT, min_width_per_view, plot_to_pixel, trigger_point_xy, view_offsets
from dnviz.themes import THEMES

BAD = [True, False, np.bool_(True), float("nan"), np.float64("nan"), float("inf"), -float("inf"), -5, 0, "500", [500]]


def stated_minimum(message: object) -> int:
    return int(re.search(r"at least (\d+) pixels", str(message)).group(1))


@pytest.mark.parametrize(("kwargs", "name"), [({"height": 150}, "height"), ({"width": 15}, "width")])
def test_the_reported_small_sizes_are_refused(atlas, kwargs, name):
    """height=150 raised ZeroDivisionError or mirrored the body; width=15 drew it upside down."""
    with pytest.raises(ValueError, match=rf"^{name} must be at least \d+ pixels .*body map.*not {kwargs[name]}\b"):
        plot_body_map(atlas, **kwargs)


@pytest.mark.parametrize("value", BAD, ids=repr)
@pytest.mark.parametrize("name", ["width", "height"])
def test_bad_sizes_are_refused_by_every_plot_function(atlas, name, value):
    for plot in (plot_body_map, plot_forest, plot_side_effects, plot_needle_direction):
        with pytest.raises(ValueError, match=rf"^{name} must be .*not {re.escape(repr(value))}") as err:
            plot(atlas, **{name: value})
        assert "pixels" in str(err.value), plot.__name__


@pytest.mark.parametrize("name", ["width", "height"])
def test_huge_sizes_are_refused(atlas, name):
    with pytest.raises(ValueError, match=rf"^{name} must be at most {MAX_PIXELS} pixels, not 1000000"):
        plot_body_map(atlas, **{name: 1_000_000})


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("view", ["both", "posterior"])
def test_stated_minimum_width_is_accepted_and_one_less_refused(atlas, theme, view):
    n_views = 2 if view == "both" else 1
    least = min_width_per_view(THEMES[theme]) * n_views
    with pytest.raises(ValueError, match=rf"width must be at least {least} pixels .*not {least - 1}"):
        plot_body_map(atlas, view=view, theme=theme, width=least - 1, height=2000)
    assert plot_body_map(atlas, view=view, theme=theme, width=least, height=2000).layout.width == least


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"muscle": "upper trapezius"},
        {"muscle": "rhomboids", "safety": True},
        {"muscle": "SCM", "view": "posterior"},
        {"muscle": "SCM", "view": "anterior", "theme": "present"},
        {"safety": True, "theme": "present", "title": "A much longer title than usual, for a handout " * 2},
    ],
    ids=str,
)
def test_the_minimum_height_a_message_states_is_accepted(atlas, kwargs):
    """The message gives the least height for this title, legend and theme; that height draws, one less does not."""
    width = min_width_per_view(THEMES[kwargs.get("theme", "screen")]) * (1 if "view" in kwargs else 2)
    with pytest.raises(ValueError, match=r"^height must be at least \d+ pixels .*not 400: .*legend item") as err:
        plot_body_map(atlas, width=width, height=MIN_HEIGHT, window="whole", **kwargs)
    least = stated_minimum(err.value)
    fig = plot_body_map(atlas, width=width, height=least, window="whole", **kwargs)
    assert fig.layout.height == least
    with pytest.raises(ValueError, match=rf"at least {least} pixels"):
        plot_body_map(atlas, width=width, height=least - 1, window="whole", **kwargs)


def test_default_sizes_are_unchanged(atlas):
    fig = plot_body_map(atlas, muscle="upper trapezius", window="whole")
    assert (fig.layout.width, fig.layout.height, fig.layout.margin.t) == (1000, 820, 112)
    assert fig.layout.title.text == "Upper trapezius: trigger points and referral zones"
    assert plot_body_map(atlas, view="anterior").layout.width == 750
    assert plot_forest(atlas).layout.width == 1000 and plot_side_effects(atlas).layout.width == 1000
    assert (plot_needle_direction(atlas).layout.width, plot_needle_direction(atlas).layout.height) == (1000, 620)


def test_float_sizes_are_rounded_to_pixels(atlas):
    fig = plot_body_map(atlas, width=900.4, height=np.int64(800))
    assert (fig.layout.width, fig.layout.height) == (900, 800)


def test_narrow_figures_wrap_the_title_and_the_disclaimer(atlas):
    fig = plot_body_map(atlas, muscle="SCM", view="posterior", width=340, height=700)
    assert "<br>" in fig.layout.title.text and fig.layout.title.yanchor == "middle"
    note = next(a for a in fig.layout.annotations if a.name == "disclaimer")
    lines = note.text.removeprefix("<i>").removesuffix("</i>").split("<br>")
    assert " ".join(lines) == DISCLAIMER  # nothing of the educational-use line is lost
    assert max(len(line) for line in lines) * 13 * 0.55 <= 340
    top_of_body = fig.layout.margin.t
    assert top_of_body >= 50 + 18 * 2 + 13 * len(lines)  # the top margin makes room for both


def test_side_labels_shrink_on_a_small_body_only(atlas):
    def label_sizes(fig):
        return {a.font.size for a in fig.layout.annotations if (a.name or "").startswith("side-")}

    assert label_sizes(plot_body_map(atlas)) == {13}
    small = label_sizes(plot_body_map(atlas, width=680, height=460))
    assert len(small) == 1 and 9 <= small.pop() < 13


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(680, 4000), height=st.integers(400, 4000), safety=st.booleans())
def test_any_accepted_size_draws_upright_with_left_on_the_left(atlas, width, height, safety):
    try:
        fig = plot_body_map(
            atlas, muscle="infraspinatus", side="left", width=width, height=height, safety=safety, window="whole"
        )
    except ValueError as err:
        assert re.match(r"height must be at least \d+ pixels", str(err))
        assert height < stated_minimum(err)
        return
    lay = fig.layout
    assert lay.xaxis.range[0] < lay.xaxis.range[1] and lay.yaxis.range[0] < lay.yaxis.range[1]
    assert lay.width - lay.margin.l - lay.margin.r > 0 and lay.height - lay.margin.t - lay.margin.b > 0
    view, x, y = trigger_point_xy(atlas, atlas.trigger_points.index[0], "left")
    px_left, py = plot_to_pixel(lay, x + view_offsets(("anterior", "posterior"))[view], y)
    assert math.isfinite(px_left) and 0 <= px_left <= lay.width and 0 <= py <= lay.height


@pytest.mark.parametrize(
    ("plot", "least_width", "least_present", "least_height"),
    [(plot_forest, 710, 1190, 300), (plot_side_effects, 710, 1190, 300), (plot_needle_direction, 800, 1350, 450)],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_teaching_charts_take_and_check_sizes(atlas, plot, least_width, least_present, least_height):
    fig = plot(atlas, width=least_width, height=least_height)
    assert (fig.layout.width, fig.layout.height) == (least_width, least_height)
    with pytest.raises(ValueError, match=rf"^width must be at least {least_width} pixels .*'screen' theme, not 709"):
        plot(atlas, width=709)
    with pytest.raises(
        ValueError, match=rf"^width must be at least {least_present} pixels .*'present' theme, not 1000"
    ):
        plot(atlas, theme="present", width=1000)
    with pytest.raises(ValueError, match=rf"^height must be at least {least_height} pixels for a .*not 150"):
        plot(atlas, height=150)


def test_check_size_message_names_parameter_minimum_value_and_fix():
    with pytest.raises(ValueError) as err:
        check_size("height", 150, 400, figure="a one-view body map")
    assert str(err.value) == (
        "height must be at least 400 pixels for a one-view body map, not 150: "
        "pass a larger height, or leave it out for the theme's default"
    )
    assert check_size("height", None, 400) is None

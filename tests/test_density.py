"""Where pain converges: region counts of referring muscles, and the figure that shades them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import dnviz
from dnviz.density import _hover, density_layers, plot_referral_density, referral_density
from dnviz.geometry import load_body

ATLAS = dnviz.load_atlas()
VIEWS = tuple(load_body().views)


def direct_count(region_id: str, kind: str) -> int:
    refs = ATLAS.referrals.join(ATLAS.trigger_points[["muscle_id"]], on="tp_id")
    refs = refs[refs["region_id"] == region_id]
    if kind != "both":
        refs = refs[refs["kind"] == kind]
    return refs["muscle_id"].nunique()


@pytest.mark.parametrize("kind", ["essential", "spillover", "both"])
def test_every_leaf_region_is_counted_once_per_muscle(kind):
    table = referral_density(ATLAS, kind)
    leaves = set(ATLAS.regions.index[ATLAS.regions["view"] != "both"])
    assert set(table.index) == leaves
    for region_id in ("temple", "buttock", "heel", "lumbar"):
        assert table.at[region_id, "n_muscles"] == direct_count(region_id, kind)
        assert len(table.at[region_id, "muscles"]) == table.at[region_id, "n_muscles"]
    assert list(table["n_muscles"]) == sorted(table["n_muscles"], reverse=True)


def test_both_counts_at_least_each_kind_and_essential_muscles_come_first():
    both, ess = referral_density(ATLAS, "both"), referral_density(ATLAS, "essential")
    spill = referral_density(ATLAS, "spillover")
    for region_id in both.index:
        n = both.at[region_id, "n_muscles"]
        assert max(ess.at[region_id, "n_muscles"], spill.at[region_id, "n_muscles"]) <= n
        kinds = both.at[region_id, "kinds"]
        assert list(kinds) == sorted(kinds)  # "E" before "s"


def test_a_bad_kind_names_the_choices():
    with pytest.raises(ValueError, match="essential"):
        referral_density(ATLAS, "primary")
    with pytest.raises(ValueError, match="essential"):
        plot_referral_density(ATLAS, kind="all")


def test_the_figure_has_one_panel_per_view_of_the_geometry_and_a_colour_bar():
    fig = plot_referral_density(ATLAS)
    assert tuple(fig.layout.meta["views"]) == VIEWS
    assert len([a for a in fig.layout.annotations if a.text in ("Front", "Back", "Right side", "Left side")]) == len(
        VIEWS
    )
    assert fig.layout.coloraxis.colorbar.title.text == "muscles"
    top = referral_density(ATLAS, "both")["n_muscles"].max()
    assert fig.layout.coloraxis.cmax == top == fig.layout.meta["max"]


def test_hover_lists_the_muscles_of_a_region_on_each_side():
    fig = plot_referral_density(ATLAS, kind="essential", views="anterior")
    (anchors,) = [t for t in fig.data if t.name == "regions (anterior)"]
    temple = [h for h, c in zip(anchors.hovertext, anchors.customdata) if c[0] == "temple"]
    assert len(temple) == 2 and {"(left)" in h or "(right)" in h for h in temple} == {True}
    assert "Temporalis" in temple[0]
    table = referral_density(ATLAS, "essential")
    assert f"{table.at['temple', 'n_muscles']} muscles" in temple[0]


def test_the_fill_follows_the_count():
    fig = plot_referral_density(ATLAS, kind="both", views=["posterior"])
    fills = {t.meta["count"]: t.fillcolor for t in fig.data if isinstance(t.meta, dict) and "count" in t.meta}
    assert len(set(fills.values())) == len(fills)  # each count its own shade


def test_views_can_be_chosen_and_a_wrong_one_is_named():
    fig = plot_referral_density(ATLAS, views=["posterior"])
    assert fig.layout.meta["views"] == ["posterior"]
    with pytest.raises(ValueError, match="anterior"):
        plot_referral_density(ATLAS, views=["front"])
    with pytest.raises(ValueError):
        plot_referral_density(ATLAS, views=[])


def test_layers_are_plain_json():
    layers = density_layers(ATLAS, "spillover")
    assert [layer["view"] for layer in layers] == list(VIEWS)
    json.dumps(layers)
    assert all(r["rings"] for layer in layers for r in layer["regions"])


def test_hover_text_is_escaped():
    row = pd.Series({"name": "Temple <i>", "n_muscles": 1, "muscles": ("<script>x</script>",), "kinds": ("E",)})
    text = _hover(row, "left", "both", lateral=False)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;i&gt;" in text


@pytest.mark.parametrize("theme", ["screen", "present", "print"])
def test_themes(theme):
    fig = plot_referral_density(ATLAS, theme=theme, views="anterior")
    assert fig.layout.coloraxis.colorscale


def test_left_is_labelled_on_the_viewers_right_on_the_front_and_left_on_the_back():
    fig = plot_referral_density(ATLAS, views=["anterior", "posterior"])
    labels = [(a.text, a.x, a.xref) for a in fig.layout.annotations if a.text in ("L", "R")]
    front = {t: x for t, x, ref in labels if ref == "x"}
    back = {t: x for t, x, ref in labels if ref == "x2"}
    assert front["L"] > 0 > front["R"] and back["L"] < 0 < back["R"]


def test_the_pain_finder_toggles_the_density_layer_on_every_view():
    finder = dnviz.pain_finder(ATLAS)
    assert finder.map.shade == []
    finder.density_pick.value = "essential"
    table = referral_density(ATLAS, "essential")
    shaded = {(r, s): level for r, s, level in finder.map.shade}
    referred = {r for r, n in zip(table.index, table["n_muscles"]) if n}
    assert {r for r, _ in shaded} == referred and {s for _, s in shaded} == {"left", "right"}
    assert all(0 <= level <= 4 for level in shaded.values())
    top = table["n_muscles"].idxmax()
    assert shaded[(top, "left")] == 4  # the region most muscles refer to is the darkest
    assert "up to" in finder.status.value and str(int(table["n_muscles"].max())) in finder.status.value
    regions = {r for view in finder.map.data.bundle["views"].values() for r, *_ in view["regions"]}
    assert referred <= regions | set(ATLAS.regions.index)  # every shaded region is drawn by the map
    finder.density = "off"
    assert finder.map.shade == []

"""The pain finder on the browser map, driven from Python as the browser and a notebook would.

The browser marks a region by setting the map's ``marked`` (and ``last_click``); these tests set
the same traits, so they exercise what Python hears from a click. The clicks themselves, the hover
and rapid clicking in Chromium are in tests/browser/test_pain_map.py.
"""

from __future__ import annotations

import random

import ipywidgets
import plotly.graph_objects as go
import pytest

import dnviz
from dnviz import geometry as geo
from dnviz.density import referral_density
from dnviz.widgets.map import BodyMap
from dnviz.widgets.pain import DENSITY_BINS, TITLE, WINDOWS, PainFinder


def browser_click(finder: PainFinder, region: str | None, side: str | None, view: str = "anterior") -> None:
    """What map.js does on a click in mode 'pain': toggle [region, side] in marked, then report the click."""
    if region is not None:
        key = [region, side]
        marked = [list(m) for m in finder.map.marked]
        finder.map.marked = [m for m in marked if m != key] if key in marked else [*marked, key]
    n = (finder.map.last_click or {}).get("n", 0) + 1
    finder.map.last_click = {"view": view, "x": 0.0, "y": 0.0, "region": region, "side": side, "n": n}


def agree(finder: PainFinder) -> None:
    """The map, Python and the ranked list tell the same story."""
    assert finder.map.marked == finder.marked
    if finder.marked:
        expected = finder.atlas.candidates([tuple(m) for m in finder.marked])
        keys = [f"{m}|{s}" for m, s in zip(expected["muscle_id"], expected["side"])]
        assert [v for _, v in finder.result.options] == keys
    else:
        assert finder.result.options == () and finder.why.value == ""
    if finder.selected:
        muscle, side = finder.selected.split("|")
        assert (finder.map.muscle, finder.map.side) == (muscle, side) and finder.result.value == finder.selected
        rank = int(expected[[k == finder.selected for k in keys]]["rank"].iloc[0])
        assert f"ranks {rank}</b>" in finder.why.value
    else:
        assert finder.map.muscle == "" and finder.why.value == ""


def widgets_in(root) -> list:
    out, todo = [], [root]
    while todo:
        w = todo.pop()
        out.append(w)
        todo += [c for c in getattr(w, "children", ()) if isinstance(c, ipywidgets.Widget)]
    return out


def test_the_map_is_drawn_in_the_browser_in_pain_mode(atlas):
    finder = dnviz.pain_finder(atlas)
    assert isinstance(finder.map, BodyMap) and finder.map.mode == "pain" and finder.map.window == "whole"
    assert not any(isinstance(w, go.FigureWidget) for w in widgets_in(finder))  # no 5 MB of plotly.js
    assert finder.map in widgets_in(finder) and finder.result in widgets_in(finder.panel)  # the list beside it
    assert finder.map.controls == [] and finder.map.title == TITLE
    assert "not clinical guidance" in finder.map.disclaimer  # the disclaimer stays on the map
    four = dnviz.pain_finder(atlas, window="whole_all")
    assert four.map.window == "whole_all" == four.window_pick.value
    with pytest.raises(ValueError, match="window"):
        dnviz.pain_finder(atlas, window="everywhere")


def test_clicks_in_the_browser_reach_python(atlas):
    finder = dnviz.pain_finder(atlas)
    browser_click(finder, "temple", "left")
    assert finder.marked == [["temple", "left"]] and "1 region(s) marked" in finder.status.value
    browser_click(finder, "posterolateral_neck", "left", view="posterior")
    top = finder.candidates.iloc[0]
    assert (top["muscle_id"], top["side"]) == ("upper_trapezius", "left")
    assert finder.result.options[0][0].startswith("1. Upper trapezius (left): 2 regions")
    finder.result.value = finder.result.options[0][1]  # the student chooses the first candidate
    assert finder.selected == "upper_trapezius|left"
    assert (finder.map.muscle, finder.map.side) == ("upper_trapezius", "left")  # its pattern over the pain
    assert finder.map.marked == [["temple", "left"], ["posterolateral_neck", "left"]]
    assert "Upper trapezius (left)" in finder.map.title and "Why Upper trapezius ranks 1" in finder.why.value
    browser_click(finder, "temple", "left")  # a second click unmarks
    assert ["temple", "left"] not in finder.marked
    agree(finder)
    browser_click(finder, None, None, view=None)  # off the body
    assert "not on the body" in finder.status.value
    finder.map.marked = [["head", "right"]]  # a group (the browser never sends one): its parts, on both sides
    assert len(finder.marked) == len(atlas.leaf_regions("head")) and finder.map.marked == finder.marked


def test_click_at_a_point_of_a_view(atlas):
    finder = dnviz.pain_finder(atlas)
    point = geo.region_polygon("lateral_left", "temple", "left").representative_point()
    hit = finder.click_at(geo.to_plot_x("lateral_left", point.x), point.y, view="lateral_left")
    assert hit == ("lateral_left", "temple", "left") and finder.map.marked == [["temple", "left"]]
    assert finder.click_at(-500, -500) is None and "not on the body" in finder.status.value
    finder.guard(finder.click_at)(0, 0, view="sideways")
    assert "view must be" in finder.error


def test_bad_input_and_empty_selection(atlas):
    finder = dnviz.pain_finder(atlas)
    finder.guard(finder.toggle)("tempel", "left")
    assert "not a region" in finder.error and "temple" in finder.error
    finder.guard(finder.toggle)("temple", "middle")
    assert "side must be" in finder.error
    finder.toggle("head", "right")  # a group marks all its parts
    assert len(finder.marked) == len(atlas.leaf_regions("head")) == len(finder.map.marked)
    finder.clear_button.click()
    assert finder.marked == [] == finder.map.marked and finder.candidates.empty
    assert "No region marked" in finder.status.value
    finder.map.marked = [["nowhere", "left"]]  # an unknown region from the page: a message, the map put back
    assert "not accepted" in finder.error and finder.map.marked == finder.marked == []


def test_traits_move_controls_and_the_map(atlas):
    p = dnviz.pain_finder(atlas)
    p.marked = [["temple", "left"], ("Posterolateral neck", "left")]  # names and tuples are taken
    assert p.marked == [["temple", "left"], ["posterolateral_neck", "left"]] == p.map.marked
    assert p.result.options and p.candidates.iloc[0]["muscle_id"] == "upper_trapezius"
    p.selected = "levator scapulae"  # a muscle by name: its candidate
    assert p.selected == "levator_scapulae|left" and p.result.value == "levator_scapulae|left"
    assert (p.map.muscle, p.map.side) == ("levator_scapulae", "left")
    assert "Why Levator scapulae ranks" in p.why.value
    p.density = "essential"
    assert p.density_pick.value == "essential" and p.map.shade
    p.window = "head_neck"
    assert p.map.window == "head_neck" == p.window_pick.value
    p.window_pick.value = "whole_all"
    assert p.window == "whole_all" == p.map.window
    before = [list(m) for m in p.marked]
    for name, bad in (
        ("marked", [["tempel", "left"]]),
        ("marked", [["temple", "middle"]]),
        ("marked", ["temple"]),
        ("selected", "masseter|right"),
        ("density", "lots"),
        ("window", "everywhere"),
    ):
        setattr(p, name, bad)
        assert "not accepted" in p.error, (name, bad)
    assert p.marked == before == p.map.marked and p.selected == "levator_scapulae|left"
    assert p.density == "essential" and p.window == "whole_all"
    p.selected = None
    assert p.map.muscle == "" and p.map.side == "both" and p.map.title == TITLE and p.why.value == ""


def test_why_panel_never_shows_a_stale_rank(atlas):
    p = dnviz.pain_finder(atlas)
    p.toggle("temple", "left")
    p.result.value = "temporalis|left"
    rank = int(p.candidates.set_index("muscle_id").at["temporalis", "rank"])
    assert f"ranks {rank}</b>" in p.why.value
    browser_click(p, "posterolateral_neck", "left", view="posterior")  # the list reorders; temporalis stays
    new_rank = int(p.candidates.set_index("muscle_id").at["temporalis", "rank"])
    assert new_rank != rank
    assert p.selected == "temporalis|left" and p.result.value == "temporalis|left" and p.map.muscle == "temporalis"
    assert f"ranks {new_rank}</b>" in p.why.value and f"ranks {rank}</b>" not in p.why.value
    label = dict((v, k) for k, v in p.result.options)[p.result.value]
    assert label.startswith(f"{new_rank}. ")
    p.marked = [["heel", "right"]] if "heel" in atlas.regions.index else [["plantar_foot", "right"]]
    assert p.selected is None and p.result.value is None and p.why.value == ""  # gone from the list: cleared
    assert p.map.muscle == ""


def test_density_shades_the_map(atlas):
    p = dnviz.pain_finder(atlas)
    p.density = "both"
    table = referral_density(atlas, "both")
    rows = {(r, s): level for r, s, level in p.map.shade}
    busiest = table.index[0]
    assert rows[(busiest, "left")] == rows[(busiest, "right")] == DENSITY_BINS - 1
    assert {level for level in rows.values()} <= set(range(DENSITY_BINS))
    empty = table.index[table["n_muscles"] == 0]
    assert not any((r, "left") in rows for r in empty)
    assert f"up to {int(table['n_muscles'].max())}" in p.status.value
    p.density_pick.value = "off"
    assert p.density == "off" and p.map.shade == [] and "hidden" in p.status.value


def test_complaints_mark_the_map_and_are_escaped(atlas):
    p = dnviz.pain_finder(atlas)
    p.side_pick.value = "right"
    ranked = p.complain("heel pain")
    assert ranked and p.marked and all(side == "right" for _, side in p.marked) and p.map.marked == p.marked
    assert "Primary muscles" in p.advice.value
    assert p.complain("<img src=x onerror=alert(1)>") is None
    assert "<img" not in p.status.value and "&lt;img" in p.status.value
    p.complaint.value = "chest pain" if "chest pain" in p.complaint.options else p.complaint.options[0]
    assert p.marked and p.error == ""


def test_present_scales_the_map_and_the_panel(atlas):
    p = dnviz.pain_finder(atlas, theme="present")
    assert p.map.font_px >= 24 and "dnviz-present" in p._dom_classes
    p.present(False)
    assert p.map.font_px < 24 and "dnviz-present" not in p._dom_classes


def test_100_rapid_clicks_leave_map_and_python_in_agreement(atlas):
    rng = random.Random(4)
    p = dnviz.pain_finder(atlas)
    regions = ["temple", "posterolateral_neck", "occiput", "lateral_shoulder", "upper_back", "jaw"]
    regions = [r for r in regions if r in atlas.regions.index]
    for _ in range(100):
        action = rng.random()
        if action < 0.6:
            browser_click(p, rng.choice(regions), rng.choice(["left", "right"]))
        elif action < 0.8:
            p.toggle(rng.choice(regions), rng.choice(["left", "right"]))
        elif p.result.options:
            p.result.value = rng.choice(p.result.options)[1]
    agree(p)


def test_windows_are_the_maps():
    from dnviz.widgets.map import MAP_WINDOWS

    assert set(WINDOWS) <= set(MAP_WINDOWS) and "whole_all" in WINDOWS

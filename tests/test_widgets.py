"""Explorers built headless and driven from Python as a user would."""

from __future__ import annotations

import pytest

import dnviz


@pytest.fixture(scope="module")
def muscles(atlas):
    return dnviz.explore_muscles(atlas)


def test_muscle_explorer_search_updates_map_and_card(muscles):
    body_map = muscles.map
    muscles.find("upper trap")
    assert muscles.muscle_id == "upper_trapezius" and muscles.error == ""
    assert body_map.muscle == "upper_trapezius" and body_map.title == ""  # the browser titles it from the bundle
    part = body_map.data.bundle["muscles"]["upper_trapezius"]["right"]
    zones = {(z[1], z[3]) for z in part["zones"]}
    assert ("angle_of_neck", "essential") in zones or any(k == "essential" for _, k in zones)
    assert part["tps"] and part["outlines"]
    assert "Upper trapezius" in muscles.card.value and "Pneumothorax risk: high" in muscles.card.value
    assert "<a href='https://" in muscles.card.value  # sources as links
    assert muscles.map is body_map  # one map, changed in place


def test_muscle_explorer_bad_name_is_shown_and_widget_survives(muscles):
    muscles.find("glutues maxmus")
    assert muscles.muscle_id == "gluteus_maximus"
    muscles.find("xqzzy")
    assert "matches no muscle" in muscles.error and "matches no muscle" in muscles.status.value
    assert muscles.map.message.startswith("error|") and "matches no muscle" in muscles.map.message
    assert muscles.muscle_id == "gluteus_maximus" and muscles.map.muscle == "gluteus_maximus"  # unchanged
    muscles.find("SCM")
    assert muscles.muscle_id == "sternocleidomastoid" and muscles.error == "" and muscles.map.message == ""


def test_muscle_explorer_follows_the_browser_map(atlas, muscles):
    """What the browser sets (a muscle from its list, a side, a typed query) reaches Python."""
    muscles.map.muscle = "piriformis"  # as the browser's muscle list sets it
    assert muscles.muscle_id == "piriformis" and "Piriformis" in muscles.card.value
    muscles.map.side = "left"
    assert muscles.side == "left"
    muscles.map.query = "7|quads"  # typed, not an exact name: Python's search offers the group
    assert set(muscles.offered) == {"rectus_femoris", "vastus_medialis", "vastus_lateralis", "vastus_intermedius"}
    assert muscles.muscle_id == "piriformis" and muscles.map.message.startswith("info|")
    muscles.map.query = "8|<img src=x>"
    assert "matches no muscle" in muscles.error and muscles.muscle_id == "piriformis"


def test_quiz_is_seeded_hidden_scored_and_revealed(atlas):
    pool = ["upper trapezius", "SCM", "masseter", "temporalis", "levator scapulae", "scalenes"]
    a = dnviz.quiz(atlas, pool=pool, n=4, seed=7)
    b = dnviz.quiz(atlas, pool=pool, n=4, seed=7)
    assert a.questions == b.questions and a.options_per_question == b.options_per_question
    name = atlas.muscles.at[a.current, "name"]
    assert name not in a.map.title and a.map.muscle == a.current and a.map.hide_names  # names hidden on the map
    wrong = next(m for _, m in a.answer.options if m != a.current)
    assert a.submit(wrong) is False and a.score == 0 and a.revealed and name in a.map.title
    assert not a.map.hide_names
    a.guard(a.submit)(a.current)
    assert "Already answered" in a.error
    a.next()
    assert a.index == 1 and not a.answered and a.submit(a.current) is True and a.score == 1
    for _ in range(5):
        a.next()
    assert "Finished: 1 of 4" in a.status.value


def test_quiz_pools_and_bad_input(atlas):
    area = dnviz.quiz(atlas, pool="head_neck", n=50, seed=1)
    assert set(area.questions) == set(atlas.muscles.index[atlas.muscles["body_area"] == "head_neck"])
    with pytest.raises(dnviz.MuscleNotFoundError):
        dnviz.quiz(atlas, pool=["no such muscle"])
    with pytest.raises(ValueError, match="n must be"):
        dnviz.quiz(atlas, n=0)
    q = dnviz.quiz(atlas, n=1, seed=3)
    q.check_button.click()
    assert "Choose a muscle first" in q.error


def test_present_theme_is_bigger(atlas):
    small = dnviz.explore_muscles(atlas, muscle="masseter")
    big = dnviz.explore_muscles(atlas, muscle="masseter", theme="present")
    assert big.map.font_px >= 24 > small.map.font_px and big.map.cross_px > small.map.cross_px
    assert big.map.width_px > small.map.width_px
    small.present()
    assert small.map.font_px >= 24


def test_card_escapes_data(atlas, set_field, data_copy):
    set_field("muscles", "masseter", "action", "<img src=x onerror=alert(1)>")
    explorer = dnviz.explore_muscles(dnviz.load_atlas(data_copy), muscle="masseter")
    assert "<img" not in explorer.card.value and "&lt;img" in explorer.card.value


def test_classroom_app_builds_one_body_map_at_a_time(atlas):
    app = dnviz.classroom_app(atlas)
    assert type(app.explorer).__name__ == "MuscleExplorer" and app.explorer.theme.name == "present"
    app.tabs.selected_index = 3
    assert type(app.explorer).__name__ == "Quiz"
    assert [len(box.children) for box in app.tabs.children] == [0, 0, 0, 1]
    app.theme_pick.value = "screen"
    assert app.explorer.theme.name == "screen"


@pytest.mark.parametrize("make", [dnviz.explore_muscles, dnviz.pain_finder, dnviz.explore_safety, dnviz.quiz])
def test_every_explorer_figure_carries_the_disclaimer(atlas, make):
    explorer = make(atlas)
    body_map = getattr(explorer, "map", None)
    if body_map is not None:  # drawn in the browser under the map
        assert "not clinical guidance" in body_map.disclaimer
    else:
        notes = explorer.figure.layout.annotations
        assert any(a.name == "disclaimer" and "not clinical guidance" in a.text for a in notes)

"""State that lasts and state that agrees: explorers driven from Python, as Voila or a notebook would.

The classroom app keeps each explorer (no widget leak over 100 switches, selections and the quiz
score survive), traits set from Python move the controls and bad values become messages, the
safety explorer draws the needle against the published depths, and 100 changes in a row leave the
state and what is drawn in agreement. The pain finder's own tests are in tests/test_pain_finder.py.
"""

from __future__ import annotations

import random

import ipywidgets

import dnviz
from dnviz.widgets.classroom import ClassroomApp
from dnviz.widgets.depth_bar import SITE_MARKS, site_point


def live_widgets() -> int:
    """ipywidgets.Widget.widgets (deprecated name) is this registry of every live widget."""
    return len(ipywidgets.widgets.widget._instances)


# -- 1. the classroom app keeps its explorers ------------------------------------------------------


def test_classroom_widget_count_is_constant_over_100_switches(atlas):
    app = ClassroomApp(atlas)
    try:
        for theme in ("present", "screen"):  # every tab seen once in each mode
            app.theme_pick.value = theme
            for i in range(len(app.TABS)):
                app.tabs.selected_index = i
        before = live_widgets()
        built = dict(app._built)
        rng = random.Random(11)
        for k in range(100):
            if k % 3 == 0:
                app.theme_pick.value = rng.choice(["present", "screen"])
            else:
                app.tabs.selected_index = rng.randrange(len(app.TABS))
            assert app.explorer.theme.name == app.theme
        assert live_widgets() == before
        assert app._built == built and len(built) == 2 * len(app.TABS)  # nothing rebuilt
        shown = [len(box.children) for box in app.tabs.children]
        assert sum(shown) == 1 and shown[app.tabs.selected_index] == 1  # one body map in the page at a time
    finally:
        app.close()


def test_classroom_keeps_quiz_score_and_selections_across_tabs_and_modes(atlas):
    app = ClassroomApp(atlas)
    try:
        app.explorer.find("masseter")
        app.explorer.map.side = "left"  # the browser's side buttons
        app.tabs.selected_index = 3
        q = app.explorer
        q.submit(q.current)
        q.next()
        q.reveal()  # question 2 revealed, not yet answered
        questions = list(q.questions)
        assert q.score == 1
        app.tabs.selected_index = 2
        app.explorer.needle.value = 42
        app.tabs.selected_index = 0
        assert app.explorer.muscle_id == "masseter" and app.explorer.side == "left"
        app.theme_pick.value = "screen"  # another mode: another explorer, the same state
        muscles = app.explorer
        assert muscles.theme.name == "screen" and muscles.muscle_id == "masseter" and muscles.side == "left"
        assert muscles.map.muscle == "masseter" and muscles.map.side == "left"  # the map moved too
        app.tabs.selected_index = 3
        q2 = app.explorer
        assert q2 is not q and q2.questions == questions and q2.score == 1 and q2.index == 1 and q2.revealed
        assert "Score: 1 / 1" in q2.progress.value
        assert q2.submit(q2.current) is True and q2.score == 1  # revealed first: recorded, no point
        app.tabs.selected_index = 2
        assert app.explorer.needle_mm == 42 and app.explorer.needle.value == 42
        app.theme_pick.value = "present"
        app.tabs.selected_index = 3
        assert app.explorer is q and q.score == 1 and len(q._records) == 2  # back to the first, brought up to date
    finally:
        app.close()


# -- 2. two-way traits, bad values as messages, the "why" panel ----------------------------------


def test_muscle_explorer_traits_move_controls(atlas):
    m = dnviz.explore_muscles(atlas)
    m.muscle_id = "piriformis"
    assert m.map.muscle == "piriformis" and m.card.value
    m.side = "both"
    assert m.map.side == "both"
    m.muscle_id = "upper trap"  # any name is taken
    assert m.muscle_id == "upper_trapezius" and m.map.muscle == "upper_trapezius"
    for bad_name, bad in (("muscle_id", "xqzzy"), ("muscle_id", 42), ("side", "middle")):
        setattr(m, bad_name, bad)  # no traceback: a message, the old value kept
        assert repr(bad) in m.error and "not accepted" in m.status.value and "not accepted" in m.map.message
    assert m.muscle_id == "upper_trapezius" and m.side == "both" and m.map.side == "both"
    m.map.side = "right"  # and the browser's controls still set the traits
    assert m.side == "right"


def test_safety_explorer_traits_move_controls(atlas):
    s = dnviz.explore_safety(atlas)
    s.needle_mm = 40
    assert s.needle.value == 40 and s.check.needle_mm == 40
    s.needle_mm = 32.5  # a length between slider steps stays what was set
    assert s.needle_mm == 32.5 and s.needle.value == 32 and s.depth_bar.needle_mm == 32.5
    s.needle_mm = 100  # beyond the slider: the slider widens
    assert s.needle.max >= 100 and s.needle.value == 100
    s.site = "GB21 (Jianjing)"  # a site's name is taken
    assert s.site == "gb21" and s.site_pick.value == "gb21"
    s.sex, s.bmi = "female", "underweight"
    assert s.sex_pick.value == "female" and s.bmi_pick.value == "underweight"
    for name, bad in (
        ("needle_mm", -3),
        ("needle_mm", "long"),
        ("needle_mm", 500),
        ("site", "nowhere"),
        ("sex", "x"),
        ("bmi", "huge"),
    ):
        setattr(s, name, bad)
        assert "not accepted" in s.error and "not accepted" in s.status.value, (name, bad)
        if name == "site":
            assert "no published depths" in s.error
    assert (s.needle_mm, s.site, s.sex, s.bmi) == (100, "gb21", "female", "underweight")
    s.needle_mm = 20  # a good value clears the last error
    assert s.error == "" and s.needle.value == 20 and "not accepted" not in s.status.value
    s.needle.value = 25  # the controls still set the traits
    assert s.needle_mm == 25 and s.check.needle_mm == 25


def test_quiz_traits_move_controls(atlas):
    q = dnviz.quiz(atlas, n=3, seed=5)
    q.choice = q.current
    assert q.answer.value == q.current
    q.index = 2
    assert tuple(q.answer.options) == tuple(q.question.options) and q.answer.value is None


# -- 3. the safety explorer shows the needle ------------------------------------------------------


def test_safety_marks_the_site_and_draws_the_needle_against_the_depths(atlas):
    s = dnviz.explore_safety(atlas)
    for site in atlas.depths["site_id"].unique():
        s.site = site
        assert s.error == ""
        assert site in SITE_MARKS and len(s._site_trace.x) == 2  # both sides marked
        assert s.depth_bar.labels and len(s.depth_bar.labels) == len(s.check.findings)
        assert "safe" not in (s.caption.value + s.status.value).lower()
    s.site = "bl43_rib5"  # a mean with SD and a minimum, skin to rib
    mean = next(t for t in s.depth_bar.figure.data if t.meta["layer"] == "depth-mean")
    assert list(mean.x) == [27.0] and list(mean.error_x.array) == [4.0]
    low = next(t for t in s.depth_bar.figure.data if t.meta["layer"] == "depth-min")
    assert list(low.x) == [19.0] and "to rib" in s.depth_bar.labels[0]
    s.site = "ut_mid"  # cadaver trials: tested lengths, with what the numbers are
    trial = next(t for t in s.depth_bar.figure.data if t.meta["layer"] == "depth-trial")
    assert sorted(trial.x) == [30, 40, 50, 60]
    assert "cadavers" in s.caption.value and "small sample" in s.caption.value
    traces = s.depth_bar.figure.data
    s.needle.value = 55  # the slider moves the needle in place
    tip = next(sh for sh in s.depth_bar.figure.layout.shapes if sh.name == "needle-tip")
    assert tip.x0 == tip.x1 == 55 and s.depth_bar.figure.data == traces
    assert s.depth_bar.figure.layout.xaxis.range[1] > 60


def test_site_marks_fall_on_the_body():
    from dnviz import geometry as geo

    outline = geo.load_body().outline
    for site in SITE_MARKS:
        for side in ("right", "left"):
            _, point = site_point(site, side)
            assert outline.contains(point), (site, side)
            assert (point.x < 0) == (side == "right"), (site, side)  # each side on its own half
    assert site_point("not_a_site") is None


def test_depth_bar_png(atlas, tmp_path):
    s = dnviz.explore_safety(atlas)
    s.site, s.needle_mm = "gb21", 40
    path = dnviz.save_figure(s.depth_bar.figure, tmp_path / "bar.png")
    assert path.stat().st_size > 5000


# -- 4. rapid input ------------------------------------------------------------------------------


def test_100_rapid_changes_leave_state_and_drawing_in_agreement(atlas):
    rng = random.Random(4)
    s = dnviz.explore_safety(atlas)
    sites = list(atlas.depths["site_id"].unique())
    for _ in range(100):
        action = rng.randrange(3)
        if action == 0:
            s.needle.value = rng.randrange(5, 76)
        elif action == 1:
            s.site_pick.value = rng.choice(sites)
        else:
            s.sex_pick.value = rng.choice([None, "female", "male"])
    tip = next(sh for sh in s.depth_bar.figure.layout.shapes if sh.name == "needle-tip")
    assert s.needle_mm == s.needle.value == tip.x1 == s.check.needle_mm
    assert s.check.site_id == s.site == s.site_pick.value and s.check.sex == s.sex == s.sex_pick.value
    fresh = atlas.needle_check(s.site, s.needle_mm, sex=s.sex)
    assert len(s.depth_bar.labels) == len(fresh.findings) and s.check.level == fresh.level
    assert len(s._site_trace.x) == 2 and s.check.site_name.split()[0] in s.depth_bar.figure.layout.title.text

    # the pain finder's 100 rapid clicks: tests/test_pain_finder.py and tests/browser/test_pain_map.py

    m = dnviz.explore_muscles(atlas)
    ids = list(atlas.muscles.index)
    for _ in range(100):
        if rng.random() < 0.7:
            m.map.muscle = rng.choice(ids)  # as the browser sets it
        else:
            m.map.side = rng.choice(["right", "left", "both"])
    check = dnviz.explore_muscles(atlas, muscle=m.muscle_id)
    check.side = m.side
    assert (m.map.muscle, m.map.side) == (m.muscle_id, m.side) == (check.map.muscle, check.map.side)
    assert m.card.value == check.card.value

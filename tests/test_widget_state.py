"""State that lasts and state that agrees: explorers driven from Python, as Voila or a notebook would.

The classroom app keeps each explorer (no widget leak over 100 switches, selections and the quiz
score survive), traits set from Python move the controls and bad values become messages, and 100
changes in a row leave the state and what is drawn in agreement. The pain finder's own tests are in
tests/test_pain_finder.py, the safety explorer's in tests/test_safety_explorer.py.
"""

from __future__ import annotations

import random

import ipywidgets

import dnviz
from dnviz.widgets.classroom import ClassroomApp


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


def test_quiz_traits_move_controls(atlas):
    q = dnviz.quiz(atlas, n=3, seed=5)
    q.choice = q.current
    assert q.answer.value == q.current
    q.index = 2
    assert tuple(q.answer.options) == tuple(q.question.options) and q.answer.value is None


# -- 4. rapid input ------------------------------------------------------------------------------


def test_100_rapid_changes_leave_state_and_drawing_in_agreement(atlas):
    rng = random.Random(4)
    # the safety explorer's 100 rapid changes: tests/test_safety_explorer.py
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

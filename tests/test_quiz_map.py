"""The quiz answered on the map (issue 11, item 5): click the trigger point, click the essential zones.

Scoring by distance on the body and by overlap of zones, what the map shows before and after an
answer, reveal-then-answer scoring no point, seeded kinds and sides, bad input as messages, and the
kernel-free page's data (item 7; the page itself runs in tests/browser/test_offline_quiz.py).
"""

from __future__ import annotations

import json
import math
import re

import pytest

import dnviz
from dnviz.scene.bundle import map_bundle
from dnviz.widgets.question_sets import QuestionSetError, essential_targets, question_set
from dnviz.widgets.quiz import Quiz, pool_questions, quiz, quiz_questions
from dnviz.widgets.quiz_scoring import (
    POINT_TOLERANCE_CM,
    ZONES_RIGHT,
    point_score,
    start_window,
    tps_of,
    zone_pairs,
    zones_score,
)

POINT = {"muscle": "upper trapezius", "kind": "point", "side": "right"}
ZONES = {"muscle": "masseter", "kind": "zones", "side": "left"}


def first_tp(atlas, muscle="upper_trapezius", side="right"):
    return tps_of(atlas, muscle, side)[0]


def off(atlas, dx, dy, muscle="upper_trapezius", side="right"):
    view, x, y, _ = first_tp(atlas, muscle, side)
    return {"view": view, "x": x + dx, "y": y + dy}


# -- scoring a click by distance on the body --------------------------------------------------------
def test_a_click_is_scored_by_its_distance_in_cm_to_the_nearest_trigger_point(atlas):
    view, x, y, _ = first_tp(atlas)
    near = point_score(atlas, "upper_trapezius", "right", {"view": view, "x": x + 3, "y": y - 1})
    assert near.right and near.view == view
    others = [(tx, ty) for v, tx, ty, _ in tps_of(atlas, "upper_trapezius", "right") if v == view]
    expected = min(math.hypot(tx - (x + 3), ty - (y - 1)) for tx, ty in others)
    assert near.distance_cm == pytest.approx(expected, abs=0.01)
    assert near.to in [tuple(p) for p in others]
    # the tolerance, on its edge and just past it, measured away from every trigger point of the muscle
    lone = next(m for m in atlas.muscles.index if len(tps_of(atlas, m, "right")) == 1)
    lv, lx, ly, ln = first_tp(atlas, lone)
    edge = point_score(atlas, lone, "right", (lv, lx, ly - POINT_TOLERANCE_CM))
    past = point_score(atlas, lone, "right", (lv, lx, ly - POINT_TOLERANCE_CM - 0.05))
    assert edge.right and edge.distance_cm == POINT_TOLERANCE_CM and edge.tp == ln
    assert not past.right and past.distance_cm == pytest.approx(POINT_TOLERANCE_CM + 0.05)


def test_a_click_on_a_view_without_the_trigger_points_is_a_miss_that_names_the_right_view(atlas):
    views = {v for v, *_ in tps_of(atlas, "upper_trapezius", "right")}
    elsewhere = next(v for v in ("anterior", "posterior", "lateral_right", "lateral_left") if v not in views)
    s = point_score(atlas, "upper_trapezius", "right", {"view": elsewhere, "x": 0, "y": 140})
    assert not s.right and s.distance_cm is None and s.tp is None and set(s.views) == views
    q = quiz(atlas, questions=[POINT])
    q.map.last_click = {"view": elsewhere, "x": 0, "y": 140, "region": None, "side": None, "n": 1}
    assert q.answered and q.score == 0 and q.error == ""
    assert "Missed" in q.status.value and "posterior" in q.status.value
    pins = q.map.pins
    assert [p["answer"] for p in pins][:1] == [False] and all(p["answer"] for p in pins[1:])
    assert {p["view"] for p in pins[1:]} == views and "to" not in pins[0]  # no line across views
    assert q.results().loc[0, "answer_given"].startswith("a click on the")


def test_the_same_spot_on_the_other_side_is_a_laterality_miss(atlas):
    left = off(atlas, 0.5, 0.5, side="left")
    s = point_score(atlas, "upper_trapezius", "right", left)
    assert not s.right and s.mirrored
    q = quiz(atlas, questions=[POINT])
    q.submit(left)
    assert "left side; this pattern is on the right side" in q.status.value and q.score == 0


def test_bad_clicks_are_refused_with_a_message(atlas):
    with pytest.raises(ValueError, match="Click on the body"):
        point_score(atlas, "upper_trapezius", "right", {"view": None, "x": 1, "y": 2})
    for bad in ({"view": "posterior", "x": "a", "y": 1}, ("posterior", math.nan, 3), "posterior", (1, 2)):
        with pytest.raises(ValueError):
            point_score(atlas, "upper_trapezius", "right", bad)
    q = quiz(atlas, questions=[POINT])
    q.map.last_click = {"view": None, "x": None, "y": None, "region": None, "side": None, "n": 3}  # off the body
    assert "Click on the body" in q.error and not q.answered
    q.map.last_click = {"view": "<b>x</b>", "x": 1, "y": 2, "n": 4}
    assert not q.answered and "&lt;b&gt;" in q.status.value and "<b>x</b>" not in q.status.value


# -- the point question on the map ------------------------------------------------------------------
def test_a_point_question_hides_the_trigger_points_then_shows_the_answer_with_a_line(atlas):
    q = quiz(atlas, questions=[POINT, {"muscle": "SCM"}])
    m = q.map
    assert (m.muscle, m.side, m.mode, m.layers, m.hide_names) == (
        "upper_trapezius",
        "right",
        "point",
        {"tps": False},
        True,
    )
    assert m.pins == [] and "Upper trapezius" not in m.title and "Upper trapezius" in q.prompt.value
    assert q.answer.layout.display == "none" and q.check_button.layout.display == "none"  # a click answers
    view, x, y, _ = first_tp(atlas)
    expected = point_score(atlas, "upper_trapezius", "right", (view, x + 2, y))
    m.last_click = {"view": view, "x": x + 2, "y": y, "region": None, "side": None, "n": 1}
    assert q.answered and q.score == 1 and f"Right: {expected.distance_cm:.1f} cm" in q.status.value
    click, answer = m.pins
    assert (click["view"], click["x"], click["y"], click["answer"]) == (view, x + 2, y, False)
    assert click["to"] == [answer["x"], answer["y"]] and answer["answer"] is True
    assert (m.layers, m.mode, m.hide_names) == ({}, "pattern", False) and "Upper trapezius" in m.title
    m.last_click = {"view": view, "x": x, "y": y, "n": 2}  # a second click changes nothing
    assert q.score == 1 and "Already answered" in q.status.value
    row = q.results().iloc[0]
    assert row["kind"] == "point" and bool(row["scored"]) and row["distance_cm"] == expected.distance_cm <= 2
    assert row["correct_answer"] == q.items[0].answer_label and "right side" in row["correct_answer"]
    q.next()
    assert (m.mode, m.layers, m.pins, m.hide_names) == ("pattern", {}, [], True)
    q.index = 0  # going back shows the answer given
    assert m.pins[0]["x"] == x + 2 and m.mode == "pattern"


def test_a_far_click_is_wrong_and_says_how_far(atlas):
    q = quiz(atlas, questions=[POINT])
    q.submit(off(atlas, 0, -12))
    assert q.score == 0 and q.answered
    text = re.sub(r"<[^>]+>", "", q.status.value)
    assert re.search(r"Not quite: \d+\.\d cm from the nearest trigger point \(\d\); within 4 cm counts", text)
    assert q.results().loc[0, "distance_cm"] > POINT_TOLERANCE_CM


def test_reveal_then_click_records_the_click_and_scores_no_point(atlas):
    q = quiz(atlas, questions=[POINT])
    q.reveal_button.click()
    assert q.map.layers == {} and q.map.pins and all(p["answer"] for p in q.map.pins)
    assert q.map.mode == "point"  # still answerable, for no point
    q.map.last_click = {**off(atlas, 0.5, 0), "n": 1}
    assert q.answered and q.score == 0 and "shown first" in q.status.value
    row = q.results().iloc[0]
    assert bool(row["correct"]) and bool(row["revealed_first"]) and not row["scored"]
    assert len(q.map.pins) == 2 and "to" in q.map.pins[0]  # the click is drawn even so


# -- the zones question on the map ------------------------------------------------------------------
def test_zones_are_scored_by_jaccard_overlap_spillover_left_out(atlas):
    essential = sorted(zone_pairs(atlas, "upper_trapezius", "right", "essential"))
    spill = sorted(zone_pairs(atlas, "upper_trapezius", "right", "spillover") - set(essential))
    assert len(essential) >= 3 and spill
    assert zones_score(atlas, "upper_trapezius", "right", essential).overlap == 1.0
    some = essential[:2]
    s = zones_score(atlas, "upper_trapezius", "right", [*some, spill[0], ("buttock", "right")])
    assert s.overlap == pytest.approx(round(2 / (len(essential) + 1), 3))  # the buttock counts, the spillover not
    assert s.hits == tuple(some) and s.extra == (("buttock", "right"),) and s.spillover == (tuple(spill[0]),)
    assert set(s.missed) == set(essential) - set(some)
    mirror = [(r, "left") for r, _ in essential]  # the same regions on the wrong side
    wrong = zones_score(atlas, "upper_trapezius", "right", mirror)
    assert wrong.overlap == 0 and not wrong.right and len(wrong.extra) == len(essential)
    assert zones_score(atlas, "upper_trapezius", "right", []).overlap == 0
    assert ZONES_RIGHT == 0.6


def test_essential_targets_match_what_the_map_fills(atlas):
    bundle = map_bundle(atlas)
    for muscle in atlas.muscles.index:
        for side in ("right", "left"):
            drawn = {(z[1], z[2]) for z in bundle["muscles"][muscle][side]["zones"] if z[3] == "essential"}
            assert set(essential_targets(atlas, muscle, side)) == drawn, (muscle, side)


def test_a_zones_question_marks_regions_then_check_reveals_the_zones(atlas):
    q = quiz(atlas, questions=[ZONES])
    m = q.map
    assert (m.muscle, m.side, m.mode, m.layers) == ("masseter", "left", "pain", {"zones": False})
    assert m.window == start_window(atlas, "masseter", "left") == "head_neck" == q.zoom.value
    assert q.zoom.layout.display is None and q.check_button.layout.display is None
    q.check_button.click()
    assert "Mark at least one zone" in q.error and not q.answered
    targets = q.question.targets
    m.marked = [list(t) for t in targets]  # as the browser sets it
    assert f"Marked {len(targets)}" in q.status.value
    q.zoom.value = "trunk"
    assert m.window == "trunk"
    q.check_button.click()
    assert q.answered and q.score == 1 and "overlap 100%" in q.status.value
    assert (m.layers, m.mode, m.hide_names) == ({}, "pattern", False)
    assert [tuple(p) for p in m.marked] == list(targets)
    assert q.results().loc[0, "overlap"] == 1.0


def test_zones_given_from_python_by_name_group_or_pair(atlas):
    q = quiz(atlas, questions=[ZONES])
    assert q.submit(["jaw", "Cheek and upper teeth", ["ear_tmj", "left"]]) in (True, False)
    given = q.results().loc[0, "answer_given"]
    assert "jaw and lower teeth (left)" in given and "ear and tmj (left)" in given
    q2 = quiz(atlas, questions=[ZONES])
    q2.submit("head")  # a group: its leaf regions, on the question's side
    assert q2.results().loc[0, "overlap"] < 1 and "not essential" in q2.status.value
    q3 = quiz(atlas, questions=[ZONES])
    q3.map.marked = [["nowhere", "left"]]
    q3.check_button.click()
    assert q3.error and not q3.answered  # an unknown region: a message, not a traceback
    q3.guard(q3.submit)([["jaw", "middle"]])
    assert "side" in q3.error and not q3.answered


def test_reveal_then_check_zones_scores_no_point(atlas):
    q = quiz(atlas, questions=[ZONES])
    q.reveal()
    assert q.map.layers == {} and q.map.mode == "pain"
    assert q.submit([list(t) for t in q.question.targets]) is True
    assert q.score == 0 and "shown first" in q.status.value


# -- seeds, kinds, sides ----------------------------------------------------------------------------
def test_map_kinds_are_seeded_like_the_rest(atlas):
    a = quiz(atlas, pool="head_neck", n=9, seed=11, kind="mix")
    b = quiz(atlas, pool="head_neck", n=9, seed=11, kind="mix")
    assert a.items == b.items
    assert sorted(q.kind for q in a.items) == ["name"] * 3 + ["point"] * 3 + ["zones"] * 3
    assert [q.muscle for q in a.items] == quiz_questions(atlas, pool="head_neck", n=9, seed=11)[0]
    c = quiz(atlas, pool="head_neck", n=9, seed=12, kind="mix")
    assert [q.kind for q in c.items] != [q.kind for q in a.items] or c.questions != a.questions
    points = pool_questions(atlas, n=40, seed=3, kind="point")
    assert {q.kind for q in points} == {"point"} and {q.side for q in points} == {"right", "left"}
    assert all(q.options == () for q in points) and a.options_per_question[0] is not None
    # a name quiz is still exactly the quiz of quiz_questions (same seed, same options)
    ids, options = quiz_questions(atlas, pool="head_neck", n=4, seed=7)
    named = quiz(atlas, pool="head_neck", n=4, seed=7)
    assert named.questions == ids and named.options_per_question == options
    assert [q.kind for q in quiz(atlas, n=4, seed=1, kind=["point", "zones"]).items].count("point") == 2
    with pytest.raises(ValueError, match="kind"):
        quiz(atlas, n=2, kind="draw")


def test_question_sets_take_point_and_zones_rows_with_a_side(atlas):
    rows = [
        {"muscle": "SCM", "kind": "point"},
        {"muscle": "SCM", "kind": "zones", "side": "Left"},
        {"muscle": "masseter", "kind": "name", "side": "left"},
    ]
    qs = question_set(atlas, rows, seed=4)
    assert [q.kind for q in qs] == ["point", "zones", "name"] and qs[1].side == "left" and qs[2].side == "left"
    assert qs == question_set(atlas, rows, seed=4) and qs[0].side in ("right", "left")
    assert qs[1].targets == essential_targets(atlas, "sternocleidomastoid", "left")
    with pytest.raises(QuestionSetError) as excinfo:
        question_set(atlas, [{"muscle": "SCM", "kind": "point", "choices": "4", "side": "middle"}])
    assert [(p.column, p.value) for p in excinfo.value.problems] == [("side", "middle"), ("choices", "4")]
    assert "answered on the map" in str(excinfo.value)


def test_every_muscle_can_be_asked_on_the_map(atlas):
    """Each side's trigger points show on a view of the pattern's window; the zones window frames the muscle."""
    bundle = map_bundle(atlas)
    for muscle in atlas.muscles.index:
        for side in ("right", "left"):
            window = bundle["muscles"][muscle]["windows"][side]["views"]
            assert {v for v, *_ in tps_of(atlas, muscle, side)} & set(window), (muscle, side)
            assert start_window(atlas, muscle, side) != "whole", (muscle, side)
            assert essential_targets(atlas, muscle, side), (muscle, side)


# -- the quiz's layout, state and results -----------------------------------------------------------
def test_the_question_and_answers_sit_beside_the_map(atlas):
    q = quiz(atlas, questions=[{"muscle": "SCM"}, POINT])
    row = q.children[-1]
    assert row.children == (q.map, q.panel)  # side by side, not above
    assert q.answer in q.panel.children and q.status in q.panel.children
    assert q.map.hide_names and q.map.disclaimer and "not clinical guidance" in q.map.disclaimer
    big = quiz(atlas, questions=[{"muscle": "SCM"}], theme="present")
    assert "dnviz-present" in big._dom_classes and big.map.font_px >= 24
    big.present(False)
    assert "dnviz-present" not in big._dom_classes and big.map.font_px < 24


def test_results_of_a_mixed_quiz(atlas, tmp_path):
    q = quiz(atlas, questions=[{"muscle": "SCM"}, POINT, ZONES])
    q.submit(q.current)
    q.next()
    q.submit(off(atlas, 1, 0))
    q.next()
    q.submit(["jaw"])
    frame = q.results()
    assert list(frame.columns) == list(Quiz.RESULT_COLUMNS)
    assert frame["kind"].tolist() == ["name", "point", "zones"]
    assert frame["distance_cm"].isna().tolist() == [True, False, True]
    assert frame["overlap"].isna().tolist() == [True, True, False]
    assert frame["scored"].tolist()[:2] == [True, True] and q.score == 2 + int(frame.loc[2, "scored"])
    path = q.results_csv(tmp_path / "mixed.csv")
    text = path.read_text(encoding="utf-8")
    assert "point" in text and "zones" in text


def test_classroom_keeps_zones_marked_across_modes(atlas):
    from dnviz.widgets.classroom import carry_state

    old = quiz(atlas, questions=[ZONES], seed=1)
    new = quiz(atlas, questions=[{"muscle": "SCM"}], seed=1)
    old.map.marked = [["jaw", "left"]]
    old.zoom.value = "trunk"
    carry_state(old, new)
    assert new.items == old.items and new.map.marked == [["jaw", "left"]] and new.map.window == "trunk"
    assert new.map.mode == "pain" and not new.answered


# -- the kernel-free page's data --------------------------------------------------------------------
def test_save_html_writes_one_offline_page_with_the_questions(atlas, tmp_path):
    table = [{"muscle": "SCM", "question": "</script><script>alert(1)</script>"}, POINT, ZONES]
    q = quiz(atlas, questions=table, seed=2)
    path = q.save_html(tmp_path / "quiz.html")
    text = path.read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in text and "\\u003c/script\\u003e" in text
    data = json.loads(re.search(r"id='dnviz-page'>(.*?)</script>", text, re.S).group(1))
    assert data["kind"] == "quiz" and [x["kind"] for x in data["questions"]] == ["name", "point", "zones"]
    assert data["scoring"] == {"tolerance_cm": POINT_TOLERANCE_CM, "zones_right": ZONES_RIGHT}
    assert data["questions"][2]["window"] == "head_neck" and data["questions"][1]["window"] == "auto"
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text.split("dnviz-page")[0]
    assert len(text.encode()) < 1_000_000
    with pytest.raises(FileExistsError):
        q.save_html(path)
    assert q.save_html(path, overwrite=True) == path
    with pytest.raises(ValueError, match=r"\.html"):
        q.save_html(tmp_path / "quiz.pdf")


def test_the_public_quiz_takes_a_kind():
    assert "kind" in dnviz.quiz.__code__.co_varnames

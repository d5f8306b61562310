"""Teaching figures and the screening checklist."""

from __future__ import annotations

import pytest

import dnviz


def test_forest_plot_draws_every_published_estimate(atlas):
    fig = dnviz.plot_forest(atlas)
    (trace,) = fig.data
    assert list(trace.x) == list(atlas.effects["estimate"])
    lows = [x - m for x, m in zip(trace.x, trace.error_x.arrayminus)]
    assert lows == pytest.approx(list(atlas.effects["ci_low"]))
    assert "negative favours dry needling" in fig.layout.xaxis.title.text
    assert all("Sánchez-Infante 2021" in y for y in trace.y)


def test_side_effect_timeline(atlas):
    fig = dnviz.plot_side_effects(atlas)
    lengths = {t.meta["effect_id"]: t.x[0] for t in fig.data}
    assert lengths["bruising"] == 7 and lengths["soreness"] == 3 and lengths["fatigue"] == 2
    assert fig.layout.xaxis.title.text == "Days after the session"


def test_screening_checklist_explains_each_answer(atlas):
    checklist = dnviz.screening_checklist(atlas)
    assert checklist.verdict == "no_contraindication_ticked" and "not exhaustive" in checklist.status.value
    checklist.boxes["blood_thinners"].value = True
    assert checklist.verdict == "discuss_first" and "Talk to the healthcare provider" in checklist.report.value
    checklist.answer("lung_disease")
    assert checklist.verdict == "discuss_first"  # the stronger advice wins
    checklist.answer("infection")
    assert checklist.verdict == "do_not_needle" and "Do not needle today" in checklist.status.value
    checklist.answer("infection", False)
    assert checklist.verdict == "discuss_first"
    checklist.guard(checklist.answer)("smoking")
    assert "no screening question" in checklist.error
    assert "not clinical guidance" in checklist.report.value

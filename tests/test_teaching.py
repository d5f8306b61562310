"""Teaching figures and the screening checklist."""

from __future__ import annotations

import re

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


def test_needle_direction_cross_section(atlas):
    fig = dnviz.plot_needle_direction(atlas)
    paths = {t.meta["path"]: t for t in fig.data if t.meta and "path" in t.meta}
    assert list(paths) == ["superficial", "bracketed_onto_rib", "perpendicular_intercostal", "tangential_pincer"]
    pleura = next(s.y0 for s in fig.layout.shapes if s.type == "line")
    ribs = [s for s in fig.layout.shapes if s.type == "circle"]
    # The perpendicular needle between two ribs is the one that crosses the pleura.
    straight = paths["perpendicular_intercostal"]
    assert straight.x[0] == straight.x[1] and straight.y[1] > pleura
    assert not any(r.x0 <= straight.x[0] <= r.x1 for r in ribs)
    # The bracketed needle stops on top of a rib; the others stay in the soft tissue.
    tip_x, tip_y = paths["bracketed_onto_rib"].x[1], paths["bracketed_onto_rib"].y[1]
    assert any(r.x0 <= tip_x <= r.x1 and tip_y == pytest.approx(r.y0) for r in ribs)
    for name in ("superficial", "tangential_pincer"):
        assert paths[name].y[1] < min(r.y0 for r in ribs), name
    for trace in paths.values():
        assert trace.meta["source_ids"] and set(trace.meta["source_ids"]) <= set(atlas.sources.index)
    bracketed = paths["bracketed_onto_rib"]  # bracketing lowers the risk but does not remove it
    assert "mintken2025pneumothorax" in bracketed.meta["source_ids"]
    assert "a pneumothorax has occurred with it" in bracketed.hovertemplate
    text = " ".join([fig.layout.title.text, *(a.text for a in fig.layout.annotations), *(t.name for t in fig.data)])
    assert "not to scale" in text
    assert not re.search(r"\bsafe(ly)?\b", text, re.IGNORECASE)


def test_needle_direction_themes_and_escaping(atlas):
    fig = dnviz.plot_needle_direction(atlas, theme="print", title="<b>x</b>")
    assert fig.layout.title.text == "&lt;b&gt;x&lt;/b&gt;"
    dashes = [t.line.dash for t in fig.data if t.meta and "path" in t.meta]
    assert len(set(dashes)) >= 3  # the paths stay apart in black and white
    assert dnviz.plot_needle_direction(atlas, theme="present").layout.font.size == 22

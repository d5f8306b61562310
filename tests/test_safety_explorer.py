"""The safety explorer on the browser map: the site ringed on the map, the needle drawn against the depths.

Driven from Python as a notebook or Voila would: traits move the controls, bad values become
messages, the map's site mark sits on the body inside the window shown, and the depth bar's SVG
(parsed here) draws the needle's tip at the slider's length and each published mark at its value.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import ipywidgets
import plotly.graph_objects as go
import pytest

import dnviz
from dnviz import geometry as geo
from dnviz.scene.bundle import map_bundle
from dnviz.widgets.depth_bar import MIN_SPAN_MM, SITE_MARKS, depth_svg, site_point
from dnviz.widgets.safety import site_mark

NS = "{http://www.w3.org/2000/svg}"


def bar(explorer) -> ET.Element:
    """The depth bar as drawn (the SVG in the HTML widget), parsed as XML: a stray '<' would fail here."""
    return ET.fromstring(explorer.depth_bar.widget.value)


def x_of(svg: ET.Element, mm: float) -> float:
    return float(svg.get("data-x0")) + mm * float(svg.get("data-px-per-mm"))


def marks(svg: ET.Element, cls: str) -> list[ET.Element]:
    return [n for n in svg.iter() if n.get("class") == cls]


def widgets_in(widget) -> list:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += widgets_in(child)
    return out


def test_safety_explorer_checks_the_needle_and_never_calls_it_safe(atlas):
    explorer = dnviz.explore_safety(atlas)
    explorer.site_pick.value = "gb21"
    explorer.needle.value = 40
    explorer.sex_pick.value = "female"
    explorer.bmi_pick.value = "underweight"
    assert explorer.check.level == "reaches" and "REACH" in explorer.status.value
    assert "Chen" in explorer.report.value and "doi.org" in explorer.report.value
    assert "not clinical guidance" in explorer.report.value and "not clinical guidance" in explorer.map.disclaimer
    explorer.needle.value = 8
    assert explorer.check.level in ("below", "close") and "safe" not in explorer.status.value.lower()
    explorer.guard(lambda: setattr(explorer, "site", "nowhere"))()
    assert "no published depths" in explorer.error and explorer.site == "gb21"
    # the map is the browser map with the safety overlays, and no plotly FigureWidget is left anywhere
    assert explorer.map.safety and explorer.map.window == "trunk" and explorer.map.controls == []
    assert not any(isinstance(w, go.FigureWidget) for w in widgets_in(explorer))
    assert explorer.depth_bar.widget in explorer.side_panel.children and explorer.needle in explorer.side_panel.children
    assert isinstance(explorer.depth_bar.widget, ipywidgets.HTML)


def test_safety_explorer_traits_move_controls(atlas):
    s = dnviz.explore_safety(atlas)
    s.needle_mm = 40
    assert s.needle.value == 40 and s.check.needle_mm == 40
    s.needle_mm = 32.5  # a length between slider steps stays what was set, and is drawn as set
    assert s.needle_mm == 32.5 and s.needle.value == 32 and s.depth_bar.needle_mm == 32.5
    assert bar(s).get("data-needle-mm") == "32.5"
    s.needle_mm = 100  # beyond the slider: the slider widens
    assert s.needle.max >= 100 and s.needle.value == 100
    s.site = "GB21 (Jianjing)"  # a site's name is taken
    assert s.site == "gb21" and s.site_pick.value == "gb21"
    s.sex, s.bmi = "female", "underweight"
    assert s.sex_pick.value == "female" and s.bmi_pick.value == "underweight"
    s.sex, s.bmi = None, None  # "any" again: the controls show Any, not an empty choice
    assert s.sex_pick.index == 0 and s.bmi_pick.index == 0 and s.sex_pick.label == "Any"
    s.sex_pick.value = "male"
    s.sex_pick.index = 0  # the student clicks Any
    assert s.sex is None and s.check.sex is None and s.sex_pick.label == "Any"
    s.sex, s.bmi = "female", "underweight"
    for name, bad in (
        ("needle_mm", -3),
        ("needle_mm", "long"),
        ("needle_mm", 500),
        ("site", "nowhere"),
        ("site", ["gb21"]),
        ("sex", "x"),
        ("bmi", "huge"),
    ):
        setattr(s, name, bad)
        assert "not accepted" in s.error and "not accepted" in s.status.value, (name, bad)
        if bad == "nowhere":
            assert "no published depths" in s.error
    assert (s.needle_mm, s.site, s.sex, s.bmi) == (100, "gb21", "female", "underweight")
    s.needle_mm = 20  # a good value clears the last error
    assert s.error == "" and s.needle.value == 20 and "not accepted" not in s.status.value
    s.needle.value = 25  # the controls still set the traits
    assert s.needle_mm == 25 and s.check.needle_mm == 25


def test_the_site_is_ringed_on_both_sides_inside_the_window_shown(atlas):
    s = dnviz.explore_safety(atlas)
    bundle = map_bundle(atlas)
    window = bundle["windows"][f"{s.map.window}|{s.map.side}"]
    for site in atlas.depths["site_id"].unique():
        s.site = site
        assert s.error == "" and site in SITE_MARKS
        mark = s.map.site
        view, point = site_point(site, "right")
        assert mark["view"] == view and mark["x"] == pytest.approx(geo.to_plot_x(view, point.x), abs=0.06)
        assert mark["y"] == pytest.approx(point.y, abs=0.06)
        ((lx, ly),) = mark["also"]  # the left side, on the same view: the mirror image
        assert lx == pytest.approx(-mark["x"], abs=0.2) and ly == pytest.approx(mark["y"], abs=0.2)
        assert s.check.site_name in mark["name"] and "not a needling point" in mark["name"]
        assert s.check.site_name in s.map.title
        panel = window["panels"][view]  # both rings inside the view's box in the window shown
        for x, y in ((mark["x"], mark["y"]), (lx, ly)):
            assert panel["box"][0] <= x + panel["dx"] <= panel["box"][2], (site, x)
            assert panel["box"][1] <= y + panel["dy"] <= panel["box"][3], (site, y)
    right = site_mark("ics2_mcl", "x")
    assert right["view"] == "anterior" and right["x"] < 0  # the patient's right, on the viewer's left
    assert site_mark("not_a_site", "x") is None


def test_site_marks_fall_on_the_body():
    outline = geo.load_body().outline
    for site in SITE_MARKS:
        for side in ("right", "left"):
            _, point = site_point(site, side)
            assert outline.contains(point), (site, side)
            assert (point.x < 0) == (side == "right"), (site, side)  # each side on its own half
    assert site_point("not_a_site") is None


def test_depth_bar_draws_the_needle_and_the_published_marks_at_their_values(atlas):
    s = dnviz.explore_safety(atlas)
    s.site, s.needle_mm = "bl43_rib5", 30  # a mean with SD and a minimum, skin to rib
    svg = bar(s)
    (tip,) = marks(svg, "db-needle-tip")
    assert float(tip.get("x1")) == float(tip.get("x2")) == pytest.approx(x_of(svg, 30), abs=0.06)
    (band,) = marks(svg, "db-needle")
    for shaft in band:  # the needle on every row, from the skin to its tip
        assert float(shaft.get("x")) == pytest.approx(x_of(svg, 0), abs=0.06)
        assert float(shaft.get("x")) + float(shaft.get("width")) == pytest.approx(x_of(svg, 30), abs=0.1)
    assert len(band) == len(s.depth_bar.labels) == len(s.check.findings) == 1
    (mean,) = marks(svg, "db-mean")
    assert mean.get("data-mm") == "27" and float(mean.get("cx")) == pytest.approx(x_of(svg, 27), abs=0.06)
    (sd,) = marks(svg, "db-sd")  # the whisker from mean - SD to mean + SD
    ends = [float(v) for v in re.findall(r"[MH](-?[\d.]+)", sd.get("d"))[:2]]
    assert sd.get("data-mm") == "4" and ends == pytest.approx([x_of(svg, 23), x_of(svg, 31)], abs=0.06)
    (low,) = marks(svg, "db-min")  # a triangle whose point is at the shallowest depth
    point = float(re.match(r"M(-?[\d.]+)", low.get("d")).group(1))
    assert low.get("data-mm") == "19" and point == pytest.approx(x_of(svg, 19), abs=0.06)
    assert "to rib" in s.depth_bar.labels[0] and "Wada 2025" in s.depth_bar.labels[0]
    assert "Shallowest measured 19 mm" in low.find(f"{NS}title").text
    texts = " ".join(t.text or "" for t in svg.iter(f"{NS}text"))
    assert "Needle 30 mm" in texts and "Depth from the skin (mm)" in texts and "safe" not in texts.lower()

    s.site = "ut_mid"  # cadaver trials: tested lengths, with what the numbers are
    trials = marks(bar(s), "db-trial")
    assert sorted(float(t.get("data-mm")) for t in trials) == [30, 40, 50, 60]
    assert sorted(float(t.get("data-breach")) for t in trials) == [0, 0.067, 0.267, 0.4]
    assert "cadavers" in s.caption.value and "small sample" in s.caption.value

    before = [(n.get("class"), n.get("cx"), n.get("d")) for n in bar(s).iter() if n.get("data-row") is not None]
    span = bar(s).get("data-span-mm")
    s.needle.value = 55  # the slider moves the needle; the marks and the axis stay put
    svg = bar(s)
    (tip,) = marks(svg, "db-needle-tip")
    assert tip.get("data-mm") == "55" and float(tip.get("x1")) == pytest.approx(x_of(svg, 55), abs=0.06)
    assert [(n.get("class"), n.get("cx"), n.get("d")) for n in svg.iter() if n.get("data-row") is not None] == before
    assert svg.get("data-span-mm") == span and int(span) >= MIN_SPAN_MM
    s.needle_mm = 120  # a needle past the axis widens it
    assert int(bar(s).get("data-span-mm")) >= 120


def test_depth_bar_on_every_site_sex_and_build_says_what_its_numbers_are(atlas):
    s = dnviz.explore_safety(atlas)
    for site in atlas.depths["site_id"].unique():
        for sex in (None, "female", "male"):
            for bmi in (None, "underweight", "obese"):
                s.site, s.sex, s.bmi = site, sex, bmi
                svg = bar(s)
                assert s.error == "" and len(marks(svg, "db-label")) >= len(s.check.findings)
                assert len(list(marks(svg, "db-needle")[0])) == len(s.check.findings)
                assert "safe" not in (s.caption.value + s.status.value + s.depth_bar.svg).lower()
                means = [float(m.get("data-mm")) for m in marks(svg, "db-mean")]
                published = atlas.depths.loc[list(s.check.findings["depth_id"]), "mean_mm"].dropna()
                assert sorted(means) == sorted(float(v) for v in published)


def test_depth_svg_escapes_its_text_and_draws_an_empty_site():
    evil = "<img src=x onerror=alert(1)> & 'quotes'"
    mark = {"label": evil, "mean": 20.0, "sd": None, "min": None, "trial": None, "breach": None, "mean_tip": evil}
    svg = depth_svg([mark], evil, 12)
    assert "<img" not in svg and "&lt;img" in svg
    root = ET.fromstring(svg)  # well formed
    assert evil in root.get("aria-label") and evil in {t.text for t in root.iter(f"{NS}text")}
    empty = ET.fromstring(depth_svg([], "Nowhere", 30))
    texts = " ".join(t.text or "" for t in empty.iter(f"{NS}text"))
    assert "no reassurance" in texts and marks(empty, "db-needle-tip")


def test_depth_bar_exports_as_a_static_figure(atlas, tmp_path):
    s = dnviz.explore_safety(atlas)
    s.site, s.needle_mm = "gb21", 40
    fig = s.depth_bar.figure
    assert type(fig) is go.Figure  # built for export, never a FigureWidget
    tip = next(sh for sh in fig.layout.shapes if sh.name == "needle-tip")
    mean = next(t for t in fig.data if t.meta["layer"] == "depth-mean")
    assert tip.x0 == tip.x1 == 40 and sorted(mean.x) == [14.6, 17.4, 56.0]
    path = dnviz.save_figure(fig, tmp_path / "bar.png")
    assert path.stat().st_size > 5000


def test_presenting_scales_the_map_the_bar_and_the_controls(atlas):
    s = dnviz.explore_safety(atlas)
    small = float(bar(s).get("font-size"))
    s.present(True)
    assert s.map.font_px >= 24 and float(bar(s).get("font-size")) >= 24 > small
    assert "dnviz-theme-present" in s._dom_classes and "dnviz-theme-screen" not in s._dom_classes
    s.present(False)
    assert float(bar(s).get("font-size")) == small and "dnviz-theme-screen" in s._dom_classes
    big = dnviz.explore_safety(atlas, theme="present")
    assert big.map.font_px >= 24 and "dnviz-theme-present" in big._dom_classes


def test_100_rapid_changes_leave_state_and_drawing_in_agreement(atlas):
    rng = random.Random(4)
    s = dnviz.explore_safety(atlas)
    sites = list(atlas.depths["site_id"].unique())
    for _ in range(100):
        action = rng.randrange(4)
        if action == 0:
            s.needle.value = rng.randrange(5, 76)
        elif action == 1:
            s.site_pick.value = rng.choice(sites)
        elif action == 2:
            s.sex_pick.value = rng.choice(["any", "female", "male"])
        else:
            s.needle_mm = rng.uniform(1, 140)
    svg = bar(s)
    (tip,) = marks(svg, "db-needle-tip")
    assert s.needle.value == round(s.needle_mm) and float(tip.get("data-mm")) == pytest.approx(s.needle_mm, abs=0.06)
    assert s.check.needle_mm == s.needle_mm
    assert s.check.site_id == s.site == s.site_pick.value
    assert s.check.sex == s.sex and s.sex_pick.value == (s.sex or "any")
    fresh = atlas.needle_check(s.site, s.needle_mm, sex=s.sex)
    assert len(s.depth_bar.labels) == len(fresh.findings) and s.check.level == fresh.level
    assert s.map.site == site_mark(s.site, s.check.site_name)
    assert s.check.site_name.split()[0] in " ".join(t.text or "" for t in svg.iter(f"{NS}text"))

"""The safety explorer in JupyterLab (headless Chromium): choose a site, see it ringed, move the needle.

The notebook is put into the ``lab`` server through its contents API. Python's state is read back by
running code in the notebook's kernel, so the test compares what the page draws with what Python holds.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import real_errors
from tests.browser.pages import IN_KERNEL, KERNEL_IDLE, notebook, put_notebook, run_notebook
from tests.browser.servers import Server

pytestmark = pytest.mark.browser
EXPLORER = ".dnviz-safetyexplorer"
CELLS = ["import dnviz\natlas = dnviz.load_atlas()", "s = dnviz.explore_safety(atlas)\ns"]
# Where the site's rings are on the page, and the box of each view's body as drawn.
RINGS = """() => {
  const map = document.querySelector('.dnviz-safetyexplorer .dnviz-map');
  const svg = map.querySelector('svg.dm-svg').getBoundingClientRect();
  const rings = [...map.querySelectorAll('circle.dm-site')].map((c) => {
    const b = c.getBoundingClientRect();
    return {view: c.closest('g.dm-view').dataset.view, x: b.left + b.width / 2, y: b.top + b.height / 2,
            r: b.width / 2, name: c.dataset.site};
  });
  const bodies = {};
  for (const g of map.querySelectorAll('g.dm-view')) {
    if (g.style.display === 'none') continue;
    const b = g.querySelector('path.dm-body').getBoundingClientRect();
    bodies[g.dataset.view] = [b.left, b.top, b.right, b.bottom];
  }
  return {rings, bodies, svg: [svg.left, svg.top, svg.right, svg.bottom], title: map.querySelector('.dm-title').textContent,
          legend: map.querySelector('.dm-legend').textContent};
}"""
# The depth bar as drawn: its needle, and each mark's x against the axis it states.
BAR = """() => {
  const svg = document.querySelector('.dnviz-safetyexplorer svg.dnviz-depth-bar');
  const x0 = +svg.dataset.x0, per = +svg.dataset.pxPerMm;
  const tip = svg.querySelector('.db-needle-tip');
  return {needle: +svg.dataset.needleMm, tipX: +tip.getAttribute('x1'), expectTip: x0 + +tip.dataset.mm * per,
          means: [...svg.querySelectorAll('.db-mean')].map((c) => [+c.dataset.mm, +c.getAttribute('cx'), x0 + +c.dataset.mm * per]),
          shafts: [...svg.querySelectorAll('.db-needle rect')].map((r) => +r.getAttribute('x') + +r.getAttribute('width')),
          label: svg.querySelector('.db-needle-label').textContent,
          readout: document.querySelector('.dnviz-safetyexplorer .widget-hslider .widget-readout').textContent.trim()};
}"""


def open_explorer(page, lab: Server) -> None:
    put_notebook(lab, "safety.ipynb", notebook(CELLS))
    run_notebook(page, lab, "safety.ipynb")
    page.wait_for_selector(f"{EXPLORER} .dnviz-map svg.dm-svg circle.dm-site", timeout=180_000)
    page.wait_for_selector(f"{EXPLORER} svg.dnviz-depth-bar", timeout=60_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)


def in_kernel(page, code: str) -> str:
    return page.evaluate(IN_KERNEL, code)


def inside(point, box) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def test_safety_map_site_ring_and_needle_in_jupyterlab(page, lab, artifacts):
    page.set_viewport_size({"width": 1400, "height": 900})
    open_explorer(page, lab)
    drawn = page.evaluate(RINGS)
    assert [r["view"] for r in drawn["rings"]] == ["posterior", "posterior"], drawn  # GB21: top of the shoulders
    assert "Where the published depths were measured" in drawn["legend"] and "GB21" in drawn["title"]

    # choose a site on the front of the chest: both rings move onto the anterior view, one on each half
    page.locator(f"{EXPLORER} .widget-dropdown select").first.select_option(
        label="2nd intercostal space, midclavicular line"
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dnviz-safetyexplorer circle.dm-site')]"
        ".some((c) => c.dataset.site.startsWith('2nd intercostal space'))",
        timeout=30_000,
    )
    drawn = page.evaluate(RINGS)
    rings = drawn["rings"]
    assert len(rings) == 2 and {r["view"] for r in rings} == {"anterior"}, rings
    body = drawn["bodies"]["anterior"]
    for ring in rings:
        assert inside((ring["x"], ring["y"]), body) and inside((ring["x"], ring["y"]), drawn["svg"]), (ring, body)
        assert ring["r"] >= 8  # a ring a student sees (12 px radius on screen)
    mid = (body[0] + body[2]) / 2
    assert min(r["x"] for r in rings) < mid < max(r["x"] for r in rings)  # one on each side of the midline
    assert "2nd intercostal space" in drawn["title"]
    state = in_kernel(page, "print(s.site, s.map.site['view'], s.check.site_id)")
    assert state.split() == ["ics2_mcl", "anterior", "ics2_mcl"], state
    page.locator(EXPLORER).screenshot(path=artifacts / "lab-safety-site.png")

    # move the slider with the keyboard: the bar redraws its needle at the new length, Python agrees
    handle = page.locator(f"{EXPLORER} .widget-hslider .noUi-handle").first
    handle.focus()
    for _ in range(12):
        handle.press("ArrowRight")
    page.wait_for_function(
        "() => +document.querySelector('.dnviz-safetyexplorer svg.dnviz-depth-bar').dataset.needleMm === 42",
        timeout=30_000,
    )
    bar = page.evaluate(BAR)
    assert bar["needle"] == 42 and bar["readout"] == "42" and bar["label"] == "Needle 42 mm", bar
    assert bar["tipX"] == pytest.approx(bar["expectTip"], abs=0.1)
    assert bar["shafts"] and all(x == pytest.approx(bar["tipX"], abs=0.1) for x in bar["shafts"])
    published = {41.6, 42.4, 40.8, 49.0, 42.8, 39.3}  # ics2_mcl: CT means to the pleura (depths.csv)
    assert {m[0] for m in bar["means"]} == published
    assert all(m[1] == pytest.approx(m[2], abs=0.1) for m in bar["means"])
    state = in_kernel(page, "print(s.needle_mm, s.check.needle_mm, s.check.level)")
    assert state.split()[:2] == ["42.0", "42.0"] and state.split()[2] == "reaches", state
    status = page.locator(f"{EXPLORER} .dnviz-msg").first.inner_text()
    assert status.startswith("42 mm at 2nd intercostal space") and "safe" not in status.lower()

    # drag the slider with the mouse: whatever length it stops at, the bar, the readout and Python agree
    track = page.locator(f"{EXPLORER} .widget-hslider .noUi-base").first.bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + track["width"] * 0.2, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.wait_for_function(
        """() => {
      const svg = document.querySelector('.dnviz-safetyexplorer svg.dnviz-depth-bar');
      const readout = document.querySelector('.dnviz-safetyexplorer .widget-hslider .widget-readout').textContent.trim();
      return +svg.dataset.needleMm < 42 && String(+svg.dataset.needleMm) === readout;
    }""",
        timeout=30_000,
    )
    page.wait_for_function(KERNEL_IDLE, timeout=30_000)
    bar = page.evaluate(BAR)
    value = float(in_kernel(page, "print(s.needle_mm)"))
    assert bar["needle"] == value == float(bar["readout"]) < 42, (bar, value)
    assert re.fullmatch(r"Needle \d+ mm", bar["label"]) and bar["tipX"] == pytest.approx(bar["expectTip"], abs=0.1)
    page.locator(EXPLORER).screenshot(path=artifacts / "lab-safety-needle.png")
    assert "not clinical guidance" in page.locator(f"{EXPLORER} .dm-disclaimer").inner_text()
    assert real_errors(page) == []

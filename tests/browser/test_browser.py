"""JupyterLab and Voila in headless Chromium: run the explorers and use them as a student would."""

from __future__ import annotations

import pytest

from tests.browser.conftest import real_errors
from tests.browser.pages import KERNEL_IDLE, run_notebook

pytestmark = pytest.mark.browser
REGION_CENTRE = """([selector, view, region, side]) => {
  const shell = document.querySelector(selector);
  shell.scrollIntoView({block: 'center'});
  const p = shell.querySelector(`.dm-region[data-view="${view}"][data-region="${region}"][data-side="${side}"]`);
  const r = p.getBoundingClientRect();
  // a point inside the path: the middle of its box, moved to the path's own fill if the middle misses it
  const svg = p.ownerSVGElement, m = p.getScreenCTM();
  const len = p.getTotalLength();
  for (let k = 0; k <= 40; k++) {
    const a = p.getPointAtLength((k / 40) * len), b = p.getPointAtLength(((k + 20) % 40) / 40 * len);
    const mid = new DOMPoint((a.x + b.x) / 2, (a.y + b.y) / 2);
    if (p.isPointInFill(mid)) { const q = mid.matrixTransform(m); return [q.x, q.y]; }
  }
  return [r.left + r.width / 2, r.top + r.height / 2];
}"""


def test_explorers_in_jupyterlab(page, lab, artifacts):
    run_notebook(page, lab, "explorers.ipynb")
    page.wait_for_selector(".dnviz-muscleexplorer .dnviz-map svg.dm-svg", timeout=180_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    page.screenshot(path=artifacts / "lab-loaded.png")
    shell = page.locator(".dnviz-muscleexplorer .dnviz-map")

    # search a muscle by a nickname, as a student types it: the browser knows it, the card follows from Python
    search = page.locator(".dnviz-muscleexplorer .dm-controls input[type=search]")
    search.fill("upper trap")
    search.press("Enter")
    assert shell.get_attribute("data-muscle") == "upper_trapezius"
    assert "Upper trapezius" in page.locator(".dnviz-muscleexplorer .dm-title").inner_text()
    card = page.locator(".dnviz-muscleexplorer .dnviz-card h3")
    card.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('.dnviz-muscleexplorer .dnviz-card h3').textContent === 'Upper trapezius'",
        timeout=30_000,
    )
    # a typo goes to Python's search and comes back selected
    search.fill("infraspinatsu")
    search.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.dnviz-muscleexplorer .dnviz-map').dataset.muscle === 'infraspinatus'",
        timeout=30_000,
    )
    assert page.locator(".dnviz-muscleexplorer g.dm-tp").count() == 3
    # the side and one trigger point, drawn in the browser
    page.locator(".dnviz-muscleexplorer .dm-controls button", has_text="Left").click()
    sides = page.evaluate("[...document.querySelectorAll('.dnviz-muscleexplorer g.dm-tp')].map((g) => g.dataset.side)")
    assert set(sides) == {"left"}
    page.locator(".dnviz-muscleexplorer .dm-controls button", has_text="2").click()
    assert page.locator(".dnviz-muscleexplorer g.dm-tp").count() == 1
    # the python side agrees with what the browser shows
    page.wait_for_function(KERNEL_IDLE, timeout=30_000)
    page.locator(".dnviz-muscleexplorer").screenshot(path=artifacts / "lab-muscle-explorer.png")
    assert real_errors(page) == []


def test_hover_names_the_region_on_every_view(page, lab, artifacts):
    run_notebook(page, lab, "explorers.ipynb")
    selector = ".dnviz-muscleexplorer .dnviz-map"
    page.wait_for_selector(selector + " svg.dm-svg", timeout=180_000)
    page.select_option(".dnviz-muscleexplorer .dm-browse", "")  # no muscle: the whole front and back
    page.locator(".dnviz-muscleexplorer .dm-controls select").last.select_option("whole_all")
    page.wait_for_timeout(400)
    for view, region, side in (
        ("anterior", "temple", "left"),
        ("posterior", "buttock", "right"),
        ("lateral_right", "temple", "right"),
    ):
        x, y = page.evaluate(REGION_CENTRE, [selector, view, region, side])
        page.mouse.move(x, y)
        page.wait_for_function(
            f"() => document.querySelector('{selector}').dataset.hover === '{region}|{side}'", timeout=5_000
        )
        hot = page.evaluate(
            f"[...document.querySelectorAll('{selector} .dm-region.dm-hot')].map((p) => p.dataset.side + p.dataset.region)"
        )
        assert hot and set(hot) == {side + region}  # the same region, on every view, this side only
        assert region.replace("_", " ") in page.locator(selector + " .dm-hover").inner_text().lower()
    page.locator(".dnviz-muscleexplorer").screenshot(path=artifacts / "lab-hover.png")
    assert real_errors(page) == []


def test_classroom_app_in_voila(page, voila, artifacts):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(voila.link(), wait_until="domcontentloaded")
    page.wait_for_selector(".dnviz-classroom .dnviz-muscleexplorer .dnviz-map svg.dm-svg", timeout=180_000)
    search = page.locator(".dnviz-muscleexplorer .dm-controls input[type=search]")
    search.fill("SCM")
    search.press("Enter")
    card = page.locator(".dnviz-muscleexplorer .dnviz-card h3")
    page.wait_for_function(
        "() => (document.querySelector('.dnviz-muscleexplorer .dnviz-card h3') || {}).textContent === 'Sternocleidomastoid'",
        timeout=30_000,
    )
    assert card.inner_text() == "Sternocleidomastoid"
    # presenting at 1920 x 1080: fonts of 24 px and more, targets of 44 px, the map and its controls on the first screen
    sizes = page.evaluate(
        """() => {
      const shell = document.querySelector('.dnviz-muscleexplorer .dnviz-map');
      const buttons = [...shell.querySelectorAll('.dm-controls button')].filter((b) => b.offsetParent);
      const svg = shell.querySelector('svg.dm-svg').getBoundingClientRect();
      const legend = shell.querySelector('.dm-legend').getBoundingClientRect();
      return {font: parseFloat(getComputedStyle(shell).fontSize),
              minButton: Math.min(...buttons.map((b) => b.getBoundingClientRect().height)),
              svgBottom: svg.bottom, legendBottom: legend.bottom, controlsRight: shell.querySelector('.dm-controls').getBoundingClientRect().right,
              svgLeft: svg.left};
    }"""
    )
    assert sizes["font"] >= 24 and sizes["minButton"] >= 44, sizes
    assert sizes["svgBottom"] <= 1080 and sizes["legendBottom"] <= 1080, sizes  # no scrolling to see the map
    assert sizes["controlsRight"] <= sizes["svgLeft"], sizes  # controls beside the map, not above it
    page.screenshot(path=artifacts / "voila-classroom.png")
    page.get_by_text("Quiz", exact=True).click()
    page.wait_for_selector(".dnviz-classroom .dnviz-quiz .dnviz-map svg.dm-svg", timeout=60_000)
    page.screenshot(path=artifacts / "voila-quiz.png")
    assert real_errors(page) == []

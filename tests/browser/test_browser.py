"""JupyterLab and Voila in headless Chromium: run the explorers and use them as a student would."""

from __future__ import annotations

import re

import pytest

from dnviz import geometry as geo
from dnviz.plotting import view_offsets
from tests.browser.conftest import real_errors
from tests.browser.servers import Server

pytestmark = pytest.mark.browser
KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k && k.status === 'idle';
}"""
TO_PAGE = """([selector, x, y]) => {
  const gd = document.querySelector(selector);
  gd.scrollIntoView({block: 'center'});
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(x), box.top + ya._offset + ya.l2p(y)];
}"""


def region_point(view: str, region_id: str, side: str) -> tuple[float, float]:
    """Plot coordinates of a point inside a region on the two-view map."""
    point = geo.region_polygon(view, region_id, side).representative_point()
    return geo.to_plot_x(view, point.x) + view_offsets(("anterior", "posterior"))[view], point.y


def run_notebook(page, lab: Server, name: str) -> None:
    page.goto(lab.link(f"lab/tree/{name}", reset=""), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def test_explorers_in_jupyterlab(page, lab, artifacts):
    run_notebook(page, lab, "explorers.ipynb")
    for cls in ("muscleexplorer", "painfinder", "quiz"):
        page.wait_for_selector(f".dnviz-{cls} .js-plotly-plot", timeout=180_000)
    page.screenshot(path=artifacts / "lab-loaded.png")

    # search a muscle by a nickname, as a student types it
    search = page.locator(".dnviz-muscleexplorer input").first
    search.click()
    search.fill("upper trap")
    search.press("Enter")
    card = page.locator(".dnviz-muscleexplorer .dnviz-card h3")
    card.wait_for(timeout=30_000)
    assert card.inner_text() == "Upper trapezius"
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dnviz-muscleexplorer .gtitle')]"
        ".some(t => t.textContent.includes('Upper trapezius'))",
        timeout=30_000,
    )
    page.locator(".dnviz-muscleexplorer").screenshot(path=artifacts / "lab-muscle-explorer.png")

    # click two regions on the pain finder's map
    graph = ".dnviz-painfinder .js-plotly-plot"
    for view, region, side in (("anterior", "temple", "left"), ("posterior", "posterolateral_neck", "left")):
        x, y = page.evaluate(TO_PAGE, [graph, *region_point(view, region, side)])
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
    status = page.locator(".dnviz-painfinder .dnviz-msg")
    page.wait_for_function(
        "() => document.querySelector('.dnviz-painfinder .dnviz-msg').textContent.includes('2 region(s) marked')",
        timeout=30_000,
    )
    options = [o.replace("\xa0", " ") for o in page.locator(".dnviz-candidates option").all_inner_texts()]
    assert options and "Upper trapezius (left)" in options[0], options[:3]
    assert "candidate muscle" in status.inner_text()
    page.locator(".dnviz-painfinder").screenshot(path=artifacts / "lab-pain-finder.png")

    # answer a quiz question
    page.locator(".dnviz-quiz input[type=radio]").first.check()
    page.locator(".dnviz-quiz button", has_text="Check").click()
    page.wait_for_function(
        "() => /Right:|Not quite:/.test(document.querySelector('.dnviz-quiz .dnviz-msg').textContent)", timeout=30_000
    )
    assert re.search(r"Score: [01] / 1", page.locator(".dnviz-quiz").inner_text())
    page.locator(".dnviz-quiz").screenshot(path=artifacts / "lab-quiz.png")
    assert real_errors(page) == []


def test_classroom_app_in_voila(page, voila, artifacts):
    page.goto(voila.link(), wait_until="domcontentloaded")
    page.wait_for_selector(".dnviz-classroom .dnviz-muscleexplorer .js-plotly-plot", timeout=180_000)
    search = page.locator(".dnviz-muscleexplorer input").first
    search.fill("SCM")
    search.press("Enter")
    card = page.locator(".dnviz-muscleexplorer .dnviz-card h3")
    card.wait_for(timeout=30_000)
    assert card.inner_text() == "Sternocleidomastoid"
    page.screenshot(path=artifacts / "voila-classroom.png", full_page=True)

    # a click on a region reaches Python in Voila too
    page.get_by_text("Where does it hurt?", exact=True).click()
    graph = ".dnviz-classroom .dnviz-painfinder .js-plotly-plot"
    page.wait_for_selector(graph, timeout=60_000)
    page.wait_for_timeout(1000)
    x, y = page.evaluate(TO_PAGE, [graph, *region_point("posterior", "buttock", "right")])
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_function(
        "() => document.querySelector('.dnviz-painfinder .dnviz-msg').textContent.includes('1 region(s) marked')",
        timeout=30_000,
    )
    options = [o.replace("\xa0", " ") for o in page.locator(".dnviz-candidates option").all_inner_texts()]
    assert any("(right)" in o for o in options), options[:3]
    page.screenshot(path=artifacts / "voila-pain-finder.png", full_page=True)

    page.get_by_text("Quiz", exact=True).click()
    page.wait_for_selector(".dnviz-classroom .dnviz-quiz .js-plotly-plot", timeout=60_000)
    assert page.locator(".dnviz-muscleexplorer").count() == 0  # one body map in the page at a time
    page.screenshot(path=artifacts / "voila-quiz.png", full_page=True)
    assert real_errors(page) == []

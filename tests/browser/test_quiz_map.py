"""The quiz answered on the map, in JupyterLab and real Chromium: a click on the SVG answers a point
question (the answer pin and the line to the trigger point appear, Python scores it), and marked
regions answer a zones question. No console errors.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dnviz import geometry as geo
from dnviz.widgets.quiz_scoring import tps_of, zones_score
from tests.browser.conftest import real_errors
from tests.browser.pages import KERNEL_IDLE, notebook_json, run_notebook
from tests.browser.servers import lab_server

pytestmark = pytest.mark.browser
# page coordinates of a point given in a view's own plot cm (as the map's last_click reports it)
TO_PAGE = """([view, x, y]) => {
  const g = document.querySelector(`.dnviz-quiz .dm-view[data-view="${view}"] > g`);
  g.closest('svg').scrollIntoView({block: 'center'});
  const p = new DOMPoint(x, y).matrixTransform(g.getScreenCTM());
  return [p.x, p.y];
}"""
CELLS = [
    "import dnviz\natlas = dnviz.load_atlas()",
    "q = dnviz.quiz(atlas, questions=[\n"
    "    {'muscle': 'upper trapezius', 'kind': 'point', 'side': 'right'},\n"
    "    {'muscle': 'masseter', 'kind': 'zones', 'side': 'left'},\n"
    "])\nq",
]


@pytest.fixture(scope="module")
def quiz_lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("quiz-lab")
    (root / "quiz.ipynb").write_text(notebook_json(CELLS), encoding="utf-8")
    with lab_server(root) as server:
        yield server
    shutil.rmtree(root, ignore_errors=True)


def status(page) -> str:
    return page.locator(".dnviz-quiz .dnviz-quiz-panel .dnviz-msg").inner_text()


def test_answer_a_point_question_by_clicking_the_map(page, quiz_lab, atlas, artifacts: Path):
    page.set_viewport_size({"width": 1400, "height": 900})
    run_notebook(page, quiz_lab, "quiz.ipynb")
    shell = page.locator(".dnviz-quiz .dnviz-map")
    shell.wait_for(timeout=180_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    assert shell.get_attribute("data-muscle") == "upper_trapezius"
    assert page.locator(".dnviz-quiz g.dm-tp").count() == 0  # the trigger points are hidden
    assert page.locator(".dnviz-quiz .dm-essential").count() > 0  # the zones are shown
    assert "Upper trapezius" not in page.locator(".dnviz-quiz .dm-title").inner_text()
    # the question sits beside the map, not above it
    map_box = page.locator(".dnviz-quiz .dnviz-map svg.dm-svg").bounding_box()
    prompt_box = page.locator(".dnviz-quiz .dnviz-quiz-prompt").bounding_box()
    assert prompt_box["x"] >= map_box["x"] + map_box["width"] - 1 and prompt_box["y"] < map_box["y"] + map_box["height"]
    page.screenshot(path=artifacts / "lab-quiz-point.png")

    # click 1.5 cm beside the first trigger point, on the SVG
    view, x, y, _ = tps_of(atlas, "upper_trapezius", "right")[0]
    px, py = page.evaluate(TO_PAGE, [view, x + 1.5, y])
    page.mouse.move(px, py)
    page.mouse.click(px, py)
    page.wait_for_selector(".dnviz-quiz circle.dm-pin.dm-answer", timeout=30_000)
    page.wait_for_selector(".dnviz-quiz line.dm-miss", state="attached", timeout=30_000)  # a flat line has no height
    page.wait_for_function(
        "() => /Right: \\d+\\.\\d cm/.test(document.querySelector('.dnviz-quiz .dnviz-quiz-panel .dnviz-msg').textContent)",
        timeout=30_000,
    )
    assert "Score: 1 / 1" in page.locator(".dnviz-quiz .dnviz-quiz-progress").inner_text()
    line = page.locator(".dnviz-quiz line.dm-miss")
    answer = page.locator(".dnviz-quiz circle.dm-pin.dm-answer")
    assert float(line.get_attribute("x2")) == pytest.approx(float(answer.get_attribute("cx")))
    assert float(line.get_attribute("x1")) == pytest.approx(x + 1.5, abs=0.11)  # where the click landed, in cm
    assert page.locator(".dnviz-quiz g.dm-tp").count() > 0  # the trigger points are back
    assert "Upper trapezius" in page.locator(".dnviz-quiz .dm-title").inner_text()
    page.locator(".dnviz-quiz").screenshot(path=artifacts / "lab-quiz-point-answered.png")

    # the zones question: mark an essential zone on the map, then Check
    page.locator(".dnviz-quiz button", has_text="Next").click()
    page.wait_for_function(
        "() => document.querySelector('.dnviz-quiz .dnviz-map').dataset.muscle === 'masseter'", timeout=30_000
    )
    page.wait_for_timeout(600)  # the window moves to the head and neck
    assert page.locator(".dnviz-quiz .dm-essential").count() == 0  # the zones are hidden
    point = geo.region_polygon("anterior", "jaw", "left").representative_point()
    px, py = page.evaluate(TO_PAGE, ["anterior", geo.to_plot_x("anterior", point.x), point.y])
    page.mouse.click(px, py)
    page.wait_for_function("() => document.querySelector('.dnviz-quiz .dnviz-map').dataset.marked === '1'")
    page.wait_for_function(
        "() => document.querySelector('.dnviz-quiz .dnviz-quiz-panel .dnviz-msg').textContent.includes('Marked 1')",
        timeout=30_000,
    )
    page.locator(".dnviz-quiz button", has_text="Check").click()
    page.wait_for_function(
        "() => /overlap \\d+%/.test(document.querySelector('.dnviz-quiz .dnviz-quiz-panel .dnviz-msg').textContent)",
        timeout=30_000,
    )
    text = status(page)
    expected = zones_score(atlas, "masseter", "left", [["jaw", "left"]])
    assert re.search(rf"overlap {round(expected.overlap * 100)}%", text), text
    assert page.locator(".dnviz-quiz .dm-essential").count() > 0  # the zones revealed
    page.locator(".dnviz-quiz").screenshot(path=artifacts / "lab-quiz-zones-answered.png")
    assert real_errors(page) == []

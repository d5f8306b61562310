"""The kernel-free quiz page (``Quiz.save_html``) in Chromium from file:// (issue 11, item 7).

No Python runs: naming the muscle, clicking the trigger point and marking the zones are scored in
the page, with the same numbers Python gives for the same clicks; the score shows; nothing is
fetched from the network; no console errors.
"""

from __future__ import annotations

import re

import pytest

from dnviz import geometry as geo
from dnviz.widgets.quiz import quiz
from dnviz.widgets.quiz_scoring import point_score, tps_of, zones_score
from tests.browser.pages import open_offline_page

pytestmark = pytest.mark.browser
QUESTIONS = [
    {"muscle": "SCM"},
    {"muscle": "upper trapezius", "kind": "point", "side": "right"},
    {"muscle": "masseter", "kind": "zones", "side": "left"},
    {"muscle": "masseter", "kind": "zone"},
]
TO_PAGE = """([view, x, y]) => {
  const g = document.querySelector(`.dm-view[data-view="${view}"] > g`);
  const p = new DOMPoint(x, y).matrixTransform(g.getScreenCTM());
  return [p.x, p.y];
}"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory, atlas):
    q = quiz(atlas, questions=QUESTIONS, seed=2026)
    return q, q.save_html(tmp_path_factory.mktemp("offline-quiz") / "quiz.html")


def status(page) -> str:
    return page.locator(".dv-quiz .dv-status").inner_text()


def test_the_quiz_page_works_without_a_kernel(browser, saved, atlas, artifacts):
    q, path = saved
    requests: list[str] = []
    page, errors = open_offline_page(browser, path, requests)
    shell = page.locator(".dnviz-map")
    assert shell.get_attribute("data-muscle") == "sternocleidomastoid"
    assert "Sternocleidomastoid" not in page.locator(".dm-title").inner_text()  # the name is hidden
    page.screenshot(path=artifacts / "offline-quiz.png")

    # 1. name the muscle: a button answers, the score shows
    page.locator(".dv-options .dv-button", has_text="Sternocleidomastoid").click()
    assert status(page) == "Right: Sternocleidomastoid."
    assert "Score: 1 / 1" in page.locator(".dv-progress").inner_text()
    assert "Sternocleidomastoid" in page.locator(".dm-title").inner_text()
    page.locator(".dv-options .dv-button").first.click()  # a second answer changes nothing
    assert page.evaluate("document.body.dataset.score") == "1/1"

    # 2. click where the trigger point is: scored as Python scores the same click
    page.locator(".dv-next").click()
    assert shell.get_attribute("data-muscle") == "upper_trapezius"
    assert page.locator("g.dm-tp").count() == 0 and page.locator(".dm-essential").count() > 0
    page.wait_for_timeout(400)  # the window moves to the pattern
    view, x, y, _ = tps_of(atlas, "upper_trapezius", "right")[0]
    page.mouse.click(*page.evaluate(TO_PAGE, [view, x - 1.5, y + 1]))
    page.wait_for_selector("circle.dm-pin.dm-answer")
    assert page.locator("line.dm-miss").count() == 1 and page.locator("g.dm-tp").count() > 0
    click = page.evaluate("window.dnvizModel.get('last_click')")
    expected = point_score(atlas, "upper_trapezius", "right", click)
    assert (
        expected.right
        and status(page) == f"Right: {expected.distance_cm:.1f} cm from trigger point {expected.tp} of Upper trapezius."
    )
    assert page.evaluate("document.body.dataset.score") == "2/2"
    page.screenshot(path=artifacts / "offline-quiz-point.png")

    # 3. mark the essential zones, then Check: the overlap Python gives
    page.locator(".dv-next").click()
    assert page.locator(".dm-essential").count() == 0 and page.locator(".dv-check").is_visible()
    page.wait_for_timeout(400)
    point = geo.region_polygon("anterior", "jaw", "left").representative_point()
    page.mouse.click(*page.evaluate(TO_PAGE, ["anterior", geo.to_plot_x("anterior", point.x), point.y]))
    assert shell.get_attribute("data-marked") == "1" and "Marked 1" in status(page)
    page.locator(".dv-check").click()
    expected = zones_score(atlas, "masseter", "left", [["jaw", "left"]])
    assert re.search(rf"overlap {round(expected.overlap * 100)}% with the essential zones", status(page))
    assert page.locator(".dm-essential").count() > 0  # the zones revealed
    score = 2 + int(expected.right)
    assert page.evaluate("document.body.dataset.score") == f"{score}/3"

    # 4. Reveal, then answer: recorded, no point
    page.locator(".dv-next").click()
    page.locator(".dv-reveal").click()
    assert q.items[3].answer_label in page.locator(".dm-title").inner_text()
    page.locator(".dv-options .dv-button", has_text=q.items[3].answer_label).click()
    assert "shown first" in status(page) and page.evaluate("document.body.dataset.score") == f"{score}/4"
    page.locator(".dv-next").click()
    assert f"Finished: {score} of 4 right." == status(page)

    # back to the point question: its answer is still drawn
    for _ in range(2):
        page.locator(".dv-previous").click()
    assert shell.get_attribute("data-muscle") == "upper_trapezius" and page.locator("line.dm-miss").count() == 1

    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "blob:", "data:"))] == []
    page.close()

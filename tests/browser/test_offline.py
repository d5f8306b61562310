"""The kernel-free muscle explorer page (``MuscleExplorer.save_html``) in Chromium from file://.

No Python runs: choosing a muscle, a side and a trigger point must still work, nothing may be fetched
from the network, and the SVG the page draws must hold the same shapes as the scene that the plotly
renderer draws (the browser half of the two-renderers test, tests/test_renderers.py).
"""

from __future__ import annotations

import pytest

import dnviz
from dnviz.scene import build_scene
from tests.browser.conftest import NETWORK_NOISE
from tests.browser.pages import open_offline_page

pytestmark = pytest.mark.browser
SVG_SETS = """() => {
  const zones = [...document.querySelectorAll('.dm-essential, .dm-spillover')].map((p) =>
    [p.closest('.dm-view').dataset.view, p.dataset.region, p.dataset.side, p.dataset.kind]);
  const tps = [...document.querySelectorAll('g.dm-tp')].map((g) =>
    [g.closest('.dm-view').dataset.view, +g.dataset.number, g.dataset.side]);
  const shown = [...document.querySelectorAll('.dm-view')].filter((g) => g.style.display !== 'none').map((g) => g.dataset.view);
  return {zones, tps, shown};
}"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory, atlas):
    path = tmp_path_factory.mktemp("offline") / "muscles.html"
    dnviz.explore_muscles(atlas, muscle="upper trap").save_html(path)
    return path


def scene_sets(atlas, muscle, side):
    scene = build_scene(atlas, muscle=muscle, side=side)
    zones = {
        (s["view"], s["meta"]["region_id"], s["meta"]["side"], s["role"].removeprefix("zone-"))
        for s in scene["shapes"]
        if s["role"].startswith("zone-")
    }
    return scene, zones


def test_offline_page_works_without_a_kernel(browser, saved, atlas, artifacts):
    requests: list[str] = []
    page, errors = open_offline_page(browser, saved, requests)
    shell = page.locator(".dnviz-map")
    assert shell.get_attribute("data-muscle") == "upper_trapezius"
    assert "Upper trapezius" in page.locator(".dv-card h3").inner_text()
    page.screenshot(path=artifacts / "offline-muscles.png")
    # choose from the list
    page.select_option(".dm-browse", "infraspinatus")
    assert shell.get_attribute("data-muscle") == "infraspinatus"
    assert page.locator(".dv-card h3").inner_text() == "Infraspinatus"
    # type a nickname
    box = page.locator(".dm-controls input[type=search]")
    box.fill("SCM")
    box.press("Enter")
    assert shell.get_attribute("data-muscle") == "sternocleidomastoid"
    # a group name offers its muscles, a button picks one
    box.fill("quads")
    box.press("Enter")
    offers = page.locator(".dm-offers button")
    assert offers.count() == 4
    offers.filter(has_text="Rectus femoris").click()
    assert shell.get_attribute("data-muscle") == "rectus_femoris"
    box.fill("xqzzy")
    box.press("Enter")
    assert "No muscle" in page.locator(".dm-message").inner_text()
    # side and trigger point
    page.locator(".dm-controls button", has_text="Left").click()
    sides = page.evaluate("[...document.querySelectorAll('g.dm-tp')].map((g) => g.dataset.side)")
    assert sides and set(sides) == {"left"}
    page.select_option(".dm-browse", "upper_trapezius")
    page.locator(".dm-controls button", has_text="2").first.click()
    numbers = page.evaluate("[...document.querySelectorAll('g.dm-tp')].map((g) => g.dataset.number)")
    assert numbers and set(numbers) == {"2"}
    page.screenshot(path=artifacts / "offline-muscles-tp2.png")
    assert all(u.startswith(("file:", "blob:", "data:")) for u in requests), [u for u in requests][:5]
    assert [e for e in errors if not any(n in e for n in NETWORK_NOISE)] == []
    page.close()


@pytest.mark.parametrize("muscle", ["upper_trapezius", "infraspinatus", "gluteus_minimus", "masseter"])
def test_the_svg_draws_the_scene(browser, saved, atlas, muscle):
    """The browser renderer draws the zones and trigger points the scene holds, on the scene's views."""
    page, errors = open_offline_page(browser, saved, [])
    page.select_option(".dm-browse", muscle)
    for side in ("right", "both"):
        page.locator(".dm-controls button", has_text=side.title()).click()
        page.wait_for_timeout(350)  # the window moves in 280 ms
        drawn = page.evaluate(SVG_SETS)
        scene, zones = scene_sets(atlas, muscle, side)
        assert sorted(drawn["shown"]) == sorted(scene["views"])
        svg_zones = {tuple(z) for z in drawn["zones"] if z[0] in scene["views"]}
        assert svg_zones == zones, (muscle, side, svg_zones ^ zones)
        crosses = {(s["view"], int(n)) for s in scene["shapes"] if s["role"] == "trigger-points" for n in s["text"]}
        assert {(v, n) for v, n, _ in drawn["tps"] if v in scene["views"]} >= crosses
    assert [e for e in errors if not any(n in e for n in NETWORK_NOISE)] == []
    page.close()

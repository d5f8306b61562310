"""The pain finder in JupyterLab (headless Chromium): clicks on the SVG map, hover, 100 rapid clicks.

The notebook (tests/browser/pain.ipynb) is put into the ``lab`` server through its contents API.
Python's state is read back by running code in the notebook's kernel, so each test compares what
the page shows with what Python holds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import dnviz
from tests.browser.conftest import real_errors
from tests.browser.pages import IN_KERNEL, KERNEL_IDLE, put_notebook, run_notebook
from tests.browser.servers import Server

pytestmark = pytest.mark.browser
NOTEBOOK = Path(__file__).with_name("pain.ipynb")
# A point on the page inside a region's path where that path is the topmost region (the click target).
REGION_POINT = """([view, region, side]) => {
  const sel = `.dnviz-painfinder .dm-region[data-view="${view}"][data-region="${region}"][data-side="${side}"]`;
  const p = document.querySelector(sel);
  if (!p) return null;
  const b = p.getBoundingClientRect(), cx = b.left + b.width / 2, cy = b.top + b.height / 2, pts = [];
  for (let i = 1; i < 16; i++) for (let j = 1; j < 16; j++) pts.push([b.left + b.width * i / 16, b.top + b.height * j / 16]);
  pts.sort((a, c) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(c[0] - cx, c[1] - cy));
  for (const [x, y] of pts) {
    const hit = document.elementsFromPoint(x, y).find((n) => n.classList && n.classList.contains('dm-region'));
    if (hit === p) return [x, y];
  }
  return null;
}"""
MARKED_ON_MAP = """() => {
  const pairs = [...document.querySelectorAll('.dnviz-painfinder .dm-pain')].map((n) => n.dataset.region + '|' + n.dataset.side);
  return [...new Set(pairs)].sort();
}"""
OPTIONS = "() => [...document.querySelectorAll('.dnviz-painfinder .dnviz-candidates option')].map((o) => o.textContent.replace(/\u00a0/g, ' '))"


def open_finder(page, lab: Server) -> None:
    put_notebook(lab, "pain.ipynb", json.loads(NOTEBOOK.read_text()))
    run_notebook(page, lab, "pain.ipynb")
    page.wait_for_selector(".dnviz-painfinder .dnviz-map svg.dm-svg .dm-region", timeout=180_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    page.locator(".dnviz-painfinder").scroll_into_view_if_needed()
    page.wait_for_timeout(500)


def python(page, code: str):
    """Evaluate ``code`` (an expression) in the notebook's kernel and return it, through JSON."""
    page.wait_for_function(KERNEL_IDLE, timeout=60_000)
    out = page.evaluate(IN_KERNEL, f"print(json.dumps({code}))")
    assert not out.startswith("ERROR"), out
    return json.loads(out)


def point(page, view: str, region: str, side: str) -> list[float]:
    xy = page.evaluate(REGION_POINT, [view, region, side])
    assert xy, f"{region} ({side}) is not clickable on the {view} view"
    return xy


def settle(page) -> None:
    """Wait until the kernel has answered every click (idle twice, 300 ms apart)."""
    for _ in range(2):
        page.wait_for_function(KERNEL_IDLE, timeout=60_000)
        page.wait_for_timeout(300)


def test_click_regions_rank_candidates_and_show_a_pattern(page, lab, artifacts):
    open_finder(page, lab)
    # hover: the region under the pointer is highlighted and named (it is the click target)
    x, y = point(page, "anterior", "temple", "left")
    page.mouse.move(x, y)
    shell = page.locator(".dnviz-painfinder .dnviz-map")
    page.wait_for_function(
        "() => document.querySelector('.dnviz-painfinder .dnviz-map').dataset.hover === 'temple|left'", timeout=5_000
    )
    assert "temple" in page.locator(".dnviz-painfinder .dm-hover").inner_text().lower()
    assert page.locator(".dnviz-painfinder .dm-region.dm-hot[data-region=temple][data-side=left]").count() >= 1
    assert page.locator(".dnviz-painfinder .dm-region.dm-hot[data-side=right]").count() == 0  # left and right apart

    # click two regions on the SVG: both painted at once, and the ranked list follows from Python
    page.mouse.click(x, y)
    x, y = point(page, "posterior", "posterolateral_neck", "left")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    assert shell.get_attribute("data-marked") == "2"
    assert page.evaluate(MARKED_ON_MAP) == ["posterolateral_neck|left", "temple|left"]
    page.wait_for_function(
        f"() => ({OPTIONS})().length > 0 && ({OPTIONS})()[0].includes('Upper trapezius (left)')", timeout=30_000
    )
    settle(page)
    assert python(page, "finder.marked") == [["temple", "left"], ["posterolateral_neck", "left"]]
    options = page.evaluate(OPTIONS)
    assert options == python(page, "[label for label, _ in finder.result.options]")
    assert "2 region(s) marked" in page.locator(".dnviz-painfinder .dnviz-msg").inner_text()

    # choose the first candidate: its pattern over the marked pain, and why it ranks first
    page.locator(".dnviz-painfinder .dnviz-candidates select").select_option(index=0)
    page.wait_for_function(
        "() => document.querySelector('.dnviz-painfinder .dnviz-map').dataset.muscle === 'upper_trapezius'",
        timeout=30_000,
    )
    assert page.locator(".dnviz-painfinder .dm-essential[data-side=left]").count() > 0
    assert page.locator(".dnviz-painfinder .dm-pain").count() >= 2  # the pain is still drawn under the pattern
    page.wait_for_function(
        "() => document.querySelector('.dnviz-painfinder .dnviz-why').textContent.includes('Why Upper trapezius ranks 1')",
        timeout=30_000,
    )
    assert "Upper trapezius (left)" in page.locator(".dnviz-painfinder .dm-title").inner_text()
    assert python(page, "finder.selected") == "upper_trapezius|left"
    page.locator(".dnviz-painfinder").screenshot(path=artifacts / "lab-pain-map.png")

    # Python sets marked: the map shows it; a group marks its parts
    python(page, "setattr(finder, 'marked', [['head', 'right']]) or finder.marked")
    n = len(dnviz.load_atlas().leaf_regions("head"))
    page.wait_for_function(
        f"() => document.querySelector('.dnviz-painfinder .dnviz-map').dataset.marked === '{n}'", timeout=30_000
    )
    assert all(p.endswith("|right") for p in page.evaluate(MARKED_ON_MAP))
    assert real_errors(page) == []


def test_100_rapid_clicks_leave_map_and_python_in_agreement(page, lab, artifacts):
    open_finder(page, lab)
    targets = [
        ("anterior", "temple", "left"),
        ("anterior", "temple", "right"),
        ("anterior", "upper_chest", "left"),
        ("anterior", "anterior_shoulder", "right"),
        ("anterior", "anterior_thigh", "left"),
        ("posterior", "posterolateral_neck", "left"),
        ("posterior", "buttock", "right"),
        ("posterior", "calf", "left"),
    ]
    points = [point(page, *t) for t in targets]
    expected: set[tuple[str, str]] = set()
    start = time.monotonic()
    for i in range(100):
        k = (i * 5 + i // 8) % len(targets)
        page.mouse.click(*points[k])
        expected ^= {targets[k][1:]}
        wait = start + (i + 1) * 0.045 - time.monotonic()  # 100 clicks paced over 4.5 s
        if wait > 0:
            time.sleep(wait)
    elapsed = time.monotonic() - start
    assert elapsed < 5.0, f"100 clicks took {elapsed:.1f} s"
    settle(page)
    on_map = page.evaluate(MARKED_ON_MAP)
    assert on_map == sorted(f"{r}|{s}" for r, s in expected)
    in_python = python(page, "[sorted(f'{r}|{s}' for r, s in finder.marked), finder.map.marked == finder.marked]")
    assert in_python == [on_map, True]
    assert page.locator(".dnviz-painfinder .dnviz-map").get_attribute("data-marked") == str(len(expected))
    labels = python(page, "[label for label, _ in finder.result.options]")
    assert page.evaluate(OPTIONS) == labels and len(labels) > 0
    ranked = dnviz.load_atlas().candidates(sorted(expected))
    assert [f"{m}|{s}" for m, s in zip(ranked["muscle_id"], ranked["side"])] == python(
        page, "[v for _, v in finder.result.options]"
    )
    page.locator(".dnviz-painfinder").screenshot(path=artifacts / "lab-pain-rapid.png")
    assert real_errors(page) == []

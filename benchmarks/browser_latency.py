"""End-to-end latency in JupyterLab: from a change or a click in the page to the repainted figure.

Run: .venv/bin/python benchmarks/browser_latency.py   (needs Debian's chromium; prints medians over 20+ interactions)
The JupyterLab server listens on 127.0.0.1 only, with a random token, XSRF checks on and terminals off
(tests/browser/servers.py).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.servers import CHROMIUM_FLAGS, chromium_path, lab_server  # noqa: E402
from tests.browser.test_browser import KERNEL_IDLE, TO_PAGE, region_point  # noqa: E402

SELECT = """async (value) => {
  const sel = document.querySelectorAll('.dnviz-muscleexplorer select')[1];
  const gd = document.querySelector('.dnviz-muscleexplorer .js-plotly-plot');
  const before = gd.querySelector('.gtitle').textContent;
  const t0 = performance.now();
  sel.value = sel.options[value].value;
  sel.dispatchEvent(new Event('change', {bubbles: true}));
  await new Promise(done => { const check = () => {
      const t = gd.querySelector('.gtitle');
      if (t && t.textContent !== before) requestAnimationFrame(() => done()); else requestAnimationFrame(check); };
    check(); });
  return performance.now() - t0;
}"""
BASELINE = """async (k) => {
  const sel = document.querySelector('.baseline select'), out = document.querySelector('.baseline .outlabel');
  const t0 = performance.now();
  sel.value = sel.options[k].value;
  sel.dispatchEvent(new Event('change', {bubbles: true}));
  await new Promise(done => { const check = () => {
      if (out.textContent === String(k)) requestAnimationFrame(() => done()); else requestAnimationFrame(check); };
    check(); });
  return performance.now() - t0;
}"""
BASELINE_CELL = """import ipywidgets as w
d = w.Dropdown(options=[str(i) for i in range(40)])
out = w.Label("0")
out.add_class("outlabel")
d.observe(lambda change: setattr(out, "value", change["new"]), "value")
box = w.VBox([d, out])
box.add_class("baseline")
box"""
CLICK_WAIT = """async (before) => {
  const t0 = performance.now();
  await new Promise(done => { const check = () => {
      const m = document.querySelector('.dnviz-painfinder .dnviz-msg');
      if (m && m.textContent !== before) requestAnimationFrame(() => done()); else requestAnimationFrame(check); };
    check(); });
  return performance.now() - t0;
}"""


def main() -> None:
    root = Path(tempfile.mkdtemp())
    shutil.copy(ROOT / "tests" / "browser" / "explorers.ipynb", root / "explorers.ipynb")
    import nbformat

    nb = nbformat.read(root / "explorers.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(BASELINE_CELL))  # a bare widget round trip, for the floor
    nbformat.write(nb, root / "explorers.ipynb")
    with lab_server(root) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1700, "height": 1300})
        page.goto(server.link("lab/tree/explorers.ipynb", reset=""))
        page.wait_for_function(KERNEL_IDLE, timeout=90_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_selector(".dnviz-painfinder .js-plotly-plot", timeout=180_000)
        page.wait_for_timeout(2000)
        page.wait_for_selector(".baseline select", timeout=60_000)
        baseline = [page.evaluate(BASELINE, i) for i in range(1, 26)]
        select = [page.evaluate(SELECT, i) for i in range(1, 26)]
        graph = ".dnviz-painfinder .js-plotly-plot"
        clicks = []
        regions = [
            "temple",
            "cheek",
            "jaw",
            "anterior_neck",
            "lateral_neck",
            "supraclavicular",
            "upper_chest",
            "anterior_shoulder",
            "anterior_arm",
            "lateral_arm",
            "upper_abdomen",
            "anterior_thigh",
        ]
        for side in ("left", "right"):
            for region in regions:
                before = page.locator(".dnviz-painfinder .dnviz-msg").inner_text()
                x, y = page.evaluate(TO_PAGE, [graph, *region_point("anterior", region, side)])
                page.mouse.move(x, y)
                page.mouse.click(x, y)
                clicks.append(page.evaluate(CLICK_WAIT, before))
        browser.close()
    for name, samples in (
        ("floor: a bare ipywidgets round trip (dropdown change -> label repainted)", baseline),
        ("select a muscle (dropdown change -> repainted figure)", select),
        ("mark a region (click -> repainted status and figure)", clicks),
    ):
        print(
            f"{name}: median {statistics.median(samples):.0f} ms, p95 "
            f"{sorted(samples)[int(0.95 * (len(samples) - 1))]:.0f} ms over {len(samples)} interactions "
            "(target < 100 ms median)"
        )


if __name__ == "__main__":
    main()

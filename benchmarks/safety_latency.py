"""The safety explorer in JupyterLab: from a needle-slider step to the depth bar redrawn, and what it loads.

Run: .venv/bin/python benchmarks/safety_latency.py [--steps 40]   (needs Debian's chromium)

A key press on the needle slider's handle (the keyboard step a student uses, as a DOM event in the
page). The clock starts at the key press and stops at the start of the animation frame after the one
in which the depth bar's SVG states the new length (``data-needle-mm``): the slider's value goes to
the kernel, Python checks the needle against the published depths and sends the bar back as SVG in the
same round trip. Also: whether any plotly.js reached the page (the old explorer held two plotly
FigureWidgets, about 5 MB of JavaScript each) and the size of the bar's SVG. The JupyterLab server
listens on 127.0.0.1 only, with a random token, XSRF checks on and terminals off (tests/browser/servers.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.pages import KERNEL_IDLE, notebook_json, run_notebook  # noqa: E402
from tests.browser.servers import CHROMIUM_FLAGS, chromium_path, lab_server  # noqa: E402

CELLS = ["import dnviz\natlas = dnviz.load_atlas()", "s = dnviz.explore_safety(atlas)\ns.site = 'ics2_mcl'\ns"]
STEP = """(key) => new Promise((done) => {
  const bar = () => document.querySelector('.dnviz-safetyexplorer svg.dnviz-depth-bar');
  const before = bar().dataset.needleMm;
  const handle = document.querySelector('.dnviz-safetyexplorer .widget-hslider .noUi-handle');
  handle.focus();
  const start = performance.now();
  handle.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
  let seen = false;
  const frame = () => {  // a change seen in frame k has been painted by the start of frame k + 1
    if (seen) return done(performance.now() - start);
    seen = !!bar() && bar().dataset.needleMm !== before;
    if (performance.now() - start > 3000) return done(null);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})"""


def summary(name: str, samples: list[float]) -> str:
    ok = sorted(s for s in samples if s is not None)
    if not ok:
        return f"{name}: no sample"
    p95 = ok[min(len(ok) - 1, round(0.95 * (len(ok) - 1)))]
    return f"{name}: median {statistics.median(ok):.1f} ms, p95 {p95:.1f} ms (n={len(ok)}, missed {len(samples) - len(ok)})"


def main(steps: int = 40) -> dict:
    root = Path(tempfile.mkdtemp(prefix="dnviz-safety-bench-"))
    (root / "safety.ipynb").write_text(notebook_json(CELLS))
    with lab_server(root) as lab, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        scripts: list[str] = []
        page.on("requestfinished", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
        run_notebook(page, lab, "safety.ipynb")
        page.wait_for_selector(".dnviz-safetyexplorer svg.dnviz-depth-bar", timeout=180_000)
        page.wait_for_function(KERNEL_IDLE, timeout=90_000)
        page.wait_for_timeout(1000)
        samples = []
        for i in range(steps):
            samples.append(page.evaluate(STEP, "ArrowRight" if i % 2 == 0 else "ArrowLeft"))
            page.wait_for_timeout(250)
        plotly_js = page.evaluate("typeof window.Plotly") != "undefined"
        svg_bytes = page.evaluate(
            "new Blob([document.querySelector('.dnviz-safetyexplorer svg.dnviz-depth-bar').outerHTML]).size"
        )
        browser.close()
    print(summary("needle step -> depth bar repainted (kernel round trip)", samples))
    print(f"plotly.js in the page: {'yes' if plotly_js else 'no'}; the depth bar's SVG: {svg_bytes} bytes")
    return {"samples": samples, "plotly_js": plotly_js, "svg_bytes": svg_bytes}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    main(parser.parse_args().steps)

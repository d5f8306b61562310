"""End-to-end latency and size in a real browser, in JupyterLab and in Voila (the map drawn in the browser).

Run: .venv/bin/python benchmarks/browser_latency.py [--lab-only | --voila-only]
(needs Debian's chromium; prints medians and p95 over 20+ interactions). Servers listen on 127.0.0.1 only,
with a random token, XSRF checks on and terminals off (tests/browser/servers.py).

What it measures, from the event in the page to the next frame after the map's repaint (the map stamps
``data-painted`` on its element when it has redrawn):
- select a muscle from the map's list, choose a side, choose one trigger point (target < 50 ms median);
- hover: the pointer over a region to its highlight and name (target < 50 ms);
- a bare ipywidgets round trip (dropdown -> label), the floor any kernel-bound design pays;
- bytes per page: the map's JavaScript and data as they arrive over the kernel's websocket, and all
  scripts fetched (target: the map's JavaScript and data under 1 MB per page, however many maps);
- a notebook of four explorers: from "run all" to every map drawn (target < 3 s).
Before the map moved into the browser (plotly FigureWidget, kernel round trip per change): select
141-179 ms, click 116-145 ms median; about 5 MB of plotly.js per explorer.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.pages import KERNEL_IDLE, notebook_json  # noqa: E402
from tests.browser.servers import CHROMIUM_FLAGS, chromium_path, lab_server, voila_server  # noqa: E402

PAINT = """async ([selector, action, value]) => {
  const shell = document.querySelector(selector);
  const before = shell.dataset.painted;
  const t0 = performance.now();
  if (action === 'select') {
    const sel = shell.querySelector('select.dm-browse');
    sel.value = value; sel.dispatchEvent(new Event('change', {bubbles: true}));
  } else {
    const b = [...shell.querySelectorAll('.dm-controls button')].find((n) => n.textContent === value && n.offsetParent);
    b.click();
  }
  await new Promise((done) => { const check = () => {
    if (shell.dataset.painted !== before) requestAnimationFrame(() => done()); else requestAnimationFrame(check); };
    check(); });
  return performance.now() - t0;
}"""
HOVER = """async ([selector, i]) => {
  const shell = document.querySelector(selector);
  shell.scrollIntoView({block: 'center'});
  const regions = [...shell.querySelectorAll('.dm-region')].filter((p) => p.getBoundingClientRect().width > 8);
  const p = regions[i % regions.length];
  const r = p.getBoundingClientRect();
  const t0 = performance.now();
  p.dispatchEvent(new PointerEvent('pointermove', {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));
  await new Promise((done) => requestAnimationFrame(() => done()));
  return [performance.now() - t0, shell.dataset.hover || ''];
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
MUSCLES = ["infraspinatus", "gluteus_medius", "sternocleidomastoid", "extensor_digitorum", "soleus", "masseter"]
FOUR = [
    "import dnviz\natlas = dnviz.load_atlas()",
    "dnviz.explore_muscles(atlas, muscle='upper trap')",
    "dnviz.pain_finder(atlas)",
    "dnviz.explore_safety(atlas)",
    "dnviz.quiz(atlas, n=3, seed=1)",
]


def stats(name: str, samples: list[float], target: str) -> str:
    p95 = sorted(samples)[int(0.95 * (len(samples) - 1))]
    return f"{name}: median {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms over {len(samples)} ({target})"


def interactions(page, selector: str) -> list[str]:
    out = []
    select = [page.evaluate(PAINT, [selector, "select", MUSCLES[i % len(MUSCLES)]]) for i in range(24)]
    out.append(stats("select a muscle (list change -> map repainted)", select, "target < 50 ms"))
    page.evaluate(PAINT, [selector, "select", "upper_trapezius"])
    sides = [page.evaluate(PAINT, [selector, "click", s]) for s in ("Left", "Right", "Both") * 8]
    out.append(stats("choose a side (button -> map repainted)", sides, "target < 50 ms"))
    tps = [page.evaluate(PAINT, [selector, "click", t]) for t in ("1", "2", "All") * 8]
    out.append(stats("choose a trigger point (button -> map repainted)", tps, "target < 50 ms"))
    hover = [page.evaluate(HOVER, [selector, i]) for i in range(30)]
    assert all(h[1] for h in hover), "hover named no region"
    out.append(stats("hover a region (pointer -> highlight and name)", [h[0] for h in hover], "target < 50 ms"))
    return out


def ws_bytes(page) -> dict:
    got = {"frames": 0, "bytes": 0, "map": 0}

    def frame(payload):
        size = len(payload) if isinstance(payload, (bytes, str)) else 0
        got["frames"] += 1
        got["bytes"] += size
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "ignore")
        if '"bundle"' in text or "dnviz-map-loader" in text or "export default {};" in text:
            got["map"] += size

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    return got


def script_bytes(page) -> dict:
    got = {"bytes": 0, "plotly": 0}

    def response(r):
        if r.request.resource_type != "script":
            return
        try:
            size = len(r.body())
        except Exception:  # a cancelled or redirected response has no body
            return
        got["bytes"] += size
        if "plotly" in r.url:
            got["plotly"] += size

    page.on("response", response)
    return got


def lab(browser) -> list[str]:
    out = []
    root = Path(tempfile.mkdtemp())
    (root / "one.ipynb").write_text(notebook_json([FOUR[0], FOUR[1], BASELINE_CELL]))
    (root / "four.ipynb").write_text(notebook_json(FOUR))
    with lab_server(root) as server:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(server.link("lab/tree/one.ipynb", reset=""))
        page.wait_for_function(KERNEL_IDLE, timeout=90_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_selector(".dnviz-muscleexplorer .dnviz-map svg", timeout=180_000)
        page.wait_for_selector(".baseline select", timeout=60_000)
        page.wait_for_timeout(1500)
        base = [page.evaluate(BASELINE, i) for i in range(1, 26)]
        out.append(stats("floor: a bare ipywidgets round trip", base, "any kernel-bound design pays this"))
        out += ["JupyterLab: " + line for line in interactions(page, ".dnviz-muscleexplorer .dnviz-map")]
        page.close()

        page = browser.new_page(viewport={"width": 1400, "height": 900})
        ws = ws_bytes(page)
        scripts = script_bytes(page)
        page.goto(server.link("lab/tree/four.ipynb", reset=""))
        page.wait_for_function(KERNEL_IDLE, timeout=90_000)
        page.wait_for_timeout(1500)
        before = dict(ws)
        start = time.perf_counter()
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function("() => document.querySelectorAll('.dnviz-map svg.dm-svg').length >= 4", timeout=180_000)
        opened = time.perf_counter() - start
        maps = page.evaluate("document.querySelectorAll('.dnviz-map svg.dm-svg').length")
        page.wait_for_function(KERNEL_IDLE, timeout=90_000)
        out.append(
            f"JupyterLab: a notebook of four explorers, run all -> {maps} maps drawn: {opened:.2f} s (target < 3 s)"
        )
        out.append(
            f"JupyterLab: websocket bytes for the four explorers {(ws['bytes'] - before['bytes']) / 1e6:.2f} MB, "
            f"of which the map's JavaScript and data {(ws['map'] - before['map']) / 1e6:.2f} MB (target < 1 MB); "
            f"scripts fetched by the page {scripts['bytes'] / 1e6:.2f} MB (plotly {scripts['plotly'] / 1e6:.2f} MB)"
        )
        page.close()
    return out


def voila(browser) -> list[str]:
    root = Path(tempfile.mkdtemp())
    (root / "one.ipynb").write_text(notebook_json([FOUR[0], FOUR[1]]))
    with voila_server(root, "one.ipynb") as server:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        start = time.perf_counter()
        page.goto(server.link(), wait_until="domcontentloaded")
        page.wait_for_selector(".dnviz-muscleexplorer .dnviz-map svg", timeout=180_000)
        opened = time.perf_counter() - start
        page.wait_for_timeout(1500)
        out = [f"Voila: page with the muscle explorer open and drawn in {opened:.2f} s"]
        out += ["Voila: " + line for line in interactions(page, ".dnviz-muscleexplorer .dnviz-map")]
        page.close()
    return out


def main() -> None:
    lines = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        if "--voila-only" not in sys.argv:
            lines += lab(browser)
        if "--lab-only" not in sys.argv:
            lines += voila(browser)
        browser.close()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

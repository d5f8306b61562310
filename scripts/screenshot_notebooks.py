"""Open notebooks in JupyterLab (headless Debian chromium), run them, save full-page screenshots.

Usage: .venv/bin/python scripts/screenshot_notebooks.py [notebooks/04_safety_zones.ipynb ...]
Screenshots land in artifacts/notebooks/; cell errors and console errors are printed.
The JupyterLab server listens on 127.0.0.1 only, with a random token, XSRF checks on and terminals off
(tests/browser/servers.py).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.pages import KERNEL_IDLE  # noqa: E402
from tests.browser.servers import CHROMIUM_FLAGS, chromium_path, lab_server  # noqa: E402


def main(paths: list[Path]) -> None:
    out = ROOT / "artifacts" / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp())
    for path in paths:
        shutil.copy(path, root / path.name)
    with lab_server(root) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        for path in paths:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.goto(server.link(f"lab/tree/{path.name}", reset=""))
            page.wait_for_function(KERNEL_IDLE, timeout=90_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_timeout(1500)
            page.wait_for_function(KERNEL_IDLE, timeout=120_000)
            page.wait_for_timeout(2500)
            failed = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
            tracebacks = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']").count()
            page.evaluate("window.jupyterapp.commands.execute('notebook:collapse-all-cells').catch(() => {})")
            panel = page.locator(".jp-NotebookPanel-notebook").first
            height = page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer').scrollHeight")
            page.set_viewport_size({"width": 1500, "height": min(int(height) + 200, 30000)})
            page.wait_for_timeout(1500)
            shot = out / f"{path.stem}.png"
            panel.screenshot(path=shot)
            print(
                f"{path.name}: {tracebacks} error output(s), {failed} stderr output(s), "
                f"{len(errors)} console error(s) -> {shot}"
            )
            for e in errors[:5]:
                print("   console:", e[:200])
            page.close()
        browser.close()


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("0*.ipynb")))

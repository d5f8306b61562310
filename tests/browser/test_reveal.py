"""In a real browser: dnviz.reveal closed after Run All and drawn on a click (Voila); a notebook
run and saved in JupyterLab, then tidied, is byte for byte the committed one."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from tests.browser.conftest import real_errors
from tests.browser.servers import lab_server, voila_server
from tests.browser.test_browser import KERNEL_IDLE, run_notebook

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

NOTEBOOK = """\
import dnviz
import pandas as pd
atlas = dnviz.load_atlas()
dnviz.reveal(
    "The answer is **<script>window.revealed = 1</script> forty-two**.",
    pd.DataFrame({"muscle": ["Upper trapezius"]}),
    dnviz.plot_body_map(atlas, muscle="SCM"),
    label="Show one possible answer",
)
"""


@pytest.fixture(scope="module")
def reveal_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("reveal")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "reveal.ipynb")
    with voila_server(root, "reveal.ipynb") as server:
        yield server


def test_reveal_in_voila_shows_the_answer_only_when_asked(page, reveal_app, artifacts):
    page.goto(reveal_app.link(), wait_until="domcontentloaded")
    reveal = page.locator(".dnviz-reveal")
    reveal.wait_for(timeout=180_000)
    page.wait_for_timeout(500)
    assert "Show one possible answer" in reveal.inner_text()
    assert "forty-two" not in page.content()  # not hidden by CSS: not in the page at all
    assert page.locator(".js-plotly-plot").count() == 0
    page.screenshot(path=artifacts / "reveal-closed.png", full_page=True)

    page.get_by_text("Show one possible answer").click()
    page.wait_for_selector(".dnviz-reveal .js-plotly-plot", timeout=60_000)
    text = reveal.inner_text()
    assert "<script>window.revealed = 1</script> forty-two" in text  # the markup shows as text
    assert page.evaluate("() => window.revealed") is None  # and never ran
    assert "Upper trapezius" in text
    page.screenshot(path=artifacts / "reveal-open.png", full_page=True)
    assert real_errors(page) == []


def test_run_all_and_save_in_jupyterlab_then_tidy_gives_back_the_notebook(page, tmp_path):
    """The instructor's loop: Run All, open an answer, save; ``make notebooks`` restores the source exactly."""
    name = "01_trigger_points.ipynb"
    shutil.copy(ROOT / "notebooks" / name, tmp_path / name)
    with lab_server(tmp_path) as lab:
        run_notebook(page, lab, name)
        page.wait_for_timeout(1500)
        page.wait_for_function(KERNEL_IDLE, timeout=180_000)
        reveal = page.locator(".dnviz-reveal").first
        reveal.wait_for(timeout=60_000)
        reveal.get_by_text("Show the answer").click()
        page.wait_for_function(
            "() => document.querySelector('.dnviz-reveal').innerText.includes('Trigger points in the trunk')"
        )
        page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
    saved = tmp_path / name
    assert saved.read_text(encoding="utf-8") != (ROOT / "notebooks" / name).read_text(encoding="utf-8")
    spec = importlib.util.spec_from_file_location("tidy_notebooks_lab", ROOT / "scripts" / "tidy_notebooks.py")
    tidy = sys.modules.setdefault("tidy_notebooks_lab", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(tidy)
    assert tidy.main([str(saved)]) == 0
    assert saved.read_bytes() == (ROOT / "notebooks" / name).read_bytes()

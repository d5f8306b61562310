"""dnviz.reveal in a real browser: closed after Run All, the answer drawn on a click, escaped."""

from __future__ import annotations

import nbformat
import pytest

from tests.browser.conftest import real_errors
from tests.browser.servers import voila_server

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

"""A pytest plugin for the nbval run: an exercise's solution cell shows nothing but its reveal.

nbval executes every notebook cell as a test item and keeps what the kernel sent back in
``item.test_outputs``. For a cell tagged ``solution`` the only output allowed is the
``dnviz.reveal`` widget: any printed text, table or figure would put the answer under its
question on Run All. Loaded from the root ``conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import pytest

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def shown_answers(outputs) -> list[str]:
    """A short description of every output that is not a widget view."""
    found = []
    for out in outputs or []:
        if WIDGET_MIME in out.get("data", {}):
            continue
        if out.get("output_type") == "stream":
            found.append(f"printed {out.get('text', '')[:60]!r}")
        else:
            found.append(f"{out.get('output_type')} of {', '.join(sorted(out.get('data', {})))}")
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    cell = getattr(item, "cell", None)
    if cell is None or "solution" not in cell.get("metadata", {}).get("tags", []):
        return result
    shown = shown_answers(getattr(item, "test_outputs", None))
    if shown:
        raise AssertionError(
            f"{item.parent.name}: solution cell {cell.get('id')} shows its answer on Run All ({'; '.join(shown)}); "
            "pass the answer to dnviz.reveal(...) as the cell's last line and print nothing else"
        )
    return result

"""What the browser tests, benchmarks and screenshot scripts share: page probes and test notebooks."""

from __future__ import annotations

import json
import urllib.request

#: A JupyterLab page whose notebook's kernel is idle.
KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k && k.status === 'idle';
}"""
#: Run code in the notebook's kernel from the page; returns what it printed (an error as 'ERROR name: value').
IN_KERNEL = """async (code) => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = k.requestExecute({code, store_history: false});
  let out = '';
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    if (msg.header.msg_type === 'error') out += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return out;
}"""


def notebook(cells: list[str]) -> dict:
    """A notebook of these code cells (Python 3 kernel), as the JSON of an .ipynb file."""
    code = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    return {
        "cells": [{**code, "id": f"c{i}", "source": c} for i, c in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_json(cells: list[str]) -> str:
    """The text of :func:`notebook`, to write as a file."""
    return json.dumps(notebook(cells))


def put_notebook(server, name: str, content: dict) -> None:
    """Save a notebook into a JupyterLab server's root through the contents API (the token in the header)."""
    body = json.dumps({"type": "notebook", "format": "json", "content": content}).encode()
    request = urllib.request.Request(
        f"{server.url}/api/contents/{name}",
        data=body,
        method="PUT",
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)


def run_notebook(page, server, name: str) -> None:
    """Open a notebook of the server in JupyterLab, wait for its kernel, and run all its cells."""
    page.goto(server.link(f"lab/tree/{name}", reset=""), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def open_offline_page(browser, path, requests: list[str] | None = None):
    """A kernel-free page (``save_html``) opened from file:// at 1400 x 900; returns (page, console errors).

    Fails if the page's modules did not start; every request the page makes is added to ``requests``.
    """
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("document.body.dataset.ready || document.body.dataset.error", timeout=30_000)
    assert page.evaluate("document.body.dataset.error || ''") == ""
    return page, errors

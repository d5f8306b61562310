"""`make slides`: a notebook as reveal.js slides with live widgets, in headless Chromium, fully offline.

The browser context routes every request: one that leaves the slide server (another host, a CDN)
is counted and refused, and the test asserts there were none. Then it steps through slides with
the keyboard, finds the safety explorer's slide and moves its needle slider, and waits for the
kernel's answer to change the explorer's report.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from dnviz.slides import voila_command
from tests.browser.conftest import ROOT, real_errors
from tests.browser.servers import Launch, free_port, new_token, serve

pytestmark = pytest.mark.browser
NOTEBOOK = "04_safety_zones.ipynb"
WIDGET_SLIDE = ".reveal .slides section.present"
# Texts of the HTML widgets on the present slide: what the kernel writes (status line, report).
WIDGET_TEXTS = """() => [...document.querySelectorAll('.reveal .slides section.present .widget-html-content')]
  .map(e => e.innerText).join('\\n')"""


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    """The slide server of ``make slides`` (dnviz.slides' Voila command) on a free port, with a token."""
    root = tmp_path_factory.mktemp("slides")
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, root / NOTEBOOK)
    port = free_port()
    cmd, env = voila_command(root / NOTEBOOK, port=port)
    token = new_token()
    launch = Launch(
        cmd=[NOTEBOOK if c == str(root / NOTEBOOK) else c for c in cmd],  # relative to the server's root
        env={"JUPYTER_PATH": env["JUPYTER_PATH"]},
        token=token,
        files={"voila.json": json.dumps({"Voila": {"token": token}})},
    )
    with serve(launch, root, port, "voila/static/voila.js") as server:
        yield server


def present(page) -> dict:
    return page.evaluate(
        """() => { const s = document.querySelector('.reveal .slides section.present');
                   const h = s && s.querySelector('h1, h2');
                   return {hash: location.hash, heading: h ? h.innerText.replace('¶', '').trim() : null,
                           widgets: s ? s.querySelectorAll('.widget-slider').length : 0}; }"""
    )


def settled(page, quiet_ms: int = 1000, timeout_s: float = 20) -> str:
    """The widget texts once they have stopped changing for ``quiet_ms`` (the kernel answers each step)."""
    last, since = page.evaluate(WIDGET_TEXTS), time.monotonic()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(200)
        now = page.evaluate(WIDGET_TEXTS)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_ms / 1000:
            break
    return last


def test_slides_offline_keyboard_and_a_live_widget(browser, slides, artifacts: Path):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    left, served = [], []

    def route(r):
        url = r.request.url
        if url.startswith((slides.url + "/", "data:", "blob:")):
            served.append(url)
            r.continue_()
        else:
            left.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    sockets = []  # routes see HTTP only: websockets (the kernel's) are listed here
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(f"page error: {e}"))
    try:
        page.goto(slides.link(""), wait_until="domcontentloaded", timeout=180_000)
        page.wait_for_selector(WIDGET_SLIDE, timeout=180_000)
        # Voila has run every cell and rendered the widgets once a slider exists somewhere in the deck.
        page.wait_for_selector(".reveal .widget-slider", state="attached", timeout=180_000)

        # Three slides forward with the keyboard: a new slide (hash and heading) each time.
        seen = [present(page)]
        for _ in range(3):
            page.keyboard.press("ArrowRight")
            page.wait_for_function("h => location.hash !== h", arg=seen[-1]["hash"], timeout=10_000)
            seen.append(present(page))
        assert len({s["hash"] for s in seen}) == 4 and len({s["heading"] for s in seen}) == 4, seen

        # On to the slide with the safety explorer, still by keyboard.
        for _ in range(40):
            if present(page)["widgets"]:
                break
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(150)
        assert present(page)["widgets"], "no slide with a live widget was reached"

        # Use the widget: move the needle slider with its keyboard handle; the kernel rewrites the report.
        slide = present(page)
        before = page.evaluate(WIDGET_TEXTS)
        readout = page.locator(f"{WIDGET_SLIDE} .widget-slider .widget-readout").first
        start = readout.inner_text()
        handle = page.locator(f"{WIDGET_SLIDE} .widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([sel, v]) => document.querySelector(sel).innerText !== v",
            arg=[f"{WIDGET_SLIDE} .widget-slider .widget-readout", start],
            timeout=10_000,
        )
        page.wait_for_function(f"b => ({WIDGET_TEXTS})() !== b", arg=before, timeout=30_000)
        after = settled(page)
        assert readout.inner_text() != start and after != before
        assert present(page)["hash"] == slide["hash"], "arrow keys on a widget must not change slide"
        page.screenshot(path=str(artifacts / "slides_live_widget.png"))

        assert left == [], f"requests left 127.0.0.1: {left}"
        host = slides.url.removeprefix("http://")
        assert sockets and all(u.startswith(f"ws://{host}/") for u in sockets), sockets
        assert len(served) > 20  # the page, reveal.js, jQuery, style sheets, fonts, widget bundles
        assert real_errors(page) == [], real_errors(page)
    finally:
        context.close()

"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, JupyterLab and Voila servers.

The servers come from tests/browser/servers.py (localhost, a random token, XSRF checks on, terminals
off); the ``lab`` and ``voila`` fixtures yield a :class:`~tests.browser.servers.Server`, whose
``link(path)`` is the URL with the token for the browser's first visit.

The tests fail (never skip) when Chromium is missing: ``make test`` installs it (scripts/ensure_chromium.sh).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import servers
from tests.browser.servers import CHROMIUM_FLAGS, Server, lab_server, voila_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
# Offline machines refuse requests to the internet; such failures are the network's, not ours.
NETWORK_NOISE = ("net::ERR_", "Failed to load resource", "fontawesome", "cdn.jsdelivr", "unpkg.com")


def chromium_path() -> str:
    try:
        return servers.chromium_path()
    except servers.ServerError as err:
        pytest.fail(str(err))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Iterator[Server]:
    """JupyterLab on a free localhost port (token, XSRF checks, no terminals), serving the test notebook."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(Path(__file__).with_name("explorers.ipynb"), root / "explorers.ipynb")
    with lab_server(root) as server:
        yield server


@pytest.fixture(scope="session")
def voila(tmp_path_factory) -> Iterator[Server]:
    """Voila serving the classroom app on a free localhost port, with a token."""
    root = tmp_path_factory.mktemp("voila")
    shutil.copy(ROOT / "notebooks" / "classroom_app.ipynb", root / "classroom_app.ipynb")
    with voila_server(root, "classroom_app.ipynb") as server:
        yield server


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1700, "height": 1300})
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(f"page error: {e}"))
    yield tab
    context.close()


def real_errors(page) -> list[str]:
    return [e for e in page.console_errors if not any(n in e for n in NETWORK_NOISE)]

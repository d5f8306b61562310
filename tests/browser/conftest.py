"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, JupyterLab and Voila servers.

The tests fail (never skip) when Chromium is missing: ``make test`` installs it (scripts/ensure_chromium.sh).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Offline machines refuse requests to the internet; such failures are the network's, not ours.
ROOT_FLAG = ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
NETWORK_NOISE = ("net::ERR_", "Failed to load resource", "fontawesome", "cdn.jsdelivr", "unpkg.com")


def chromium_path() -> str:
    for candidate in (os.environ.get("DNVIZ_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        "Chromium was not found: run `make browser` (Debian: apt-get install chromium) "
        "or set DNVIZ_CHROMIUM. The browser tests never skip."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"server did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


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


@contextmanager
def _server(cmd: list[str], root: Path, url: str, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    log = root / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            wait_for(url, proc, log)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _isolated_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    settings = root / "lab-settings"
    for plugin, values in {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }.items():
        path = settings / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        PYTHONWARNINGS="ignore",
    )
    return env


def lab_command(port: int, root: Path) -> list[str]:
    """JupyterLab on localhost with the token off (test servers only) and the app exposed to scripts."""
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.disable_check_xsrf=True",
        *ROOT_FLAG,
    ]


@contextmanager
def lab_server(root: Path) -> Iterator[str]:
    """Start JupyterLab on a free port serving ``root``; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with _server(lab_command(port, root), root, f"{url}/api/status", _isolated_env(root)):
        yield url


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Iterator[str]:
    """JupyterLab on a free localhost port (token off for this test server only), serving the test notebook."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(Path(__file__).with_name("explorers.ipynb"), root / "explorers.ipynb")
    with lab_server(root) as url:
        yield url


@pytest.fixture(scope="session")
def voila(tmp_path_factory) -> Iterator[str]:
    """Voila serving the classroom app on a free localhost port."""
    root = tmp_path_factory.mktemp("voila")
    shutil.copy(ROOT / "notebooks" / "classroom_app.ipynb", root / "classroom_app.ipynb")
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "voila",
        "classroom_app.ipynb",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
    ]
    url = f"http://127.0.0.1:{port}"
    with _server(cmd, root, url, _isolated_env(root)):
        yield url


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

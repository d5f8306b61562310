"""An nbgitpuller link from scripts/hub_links.py, followed in Chromium against a local Jupyter server.

What a JupyterHub does after ``/hub/user-redirect/`` is send the student to their own server; here
that server is a JupyterLab on 127.0.0.1 (token, XSRF checks on), the course repository is served
by a dumb-HTTP git server on 127.0.0.1, and the link must clone it into the server's folder and open
the notebook in Voila (``voila/render/...``), as docs/deploy.md says.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.browser.servers import HOST, lab_server

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("hub_links", ROOT / "scripts" / "hub_links.py")
hub_links = importlib.util.module_from_spec(_spec)
sys.modules["hub_links"] = hub_links
_spec.loader.exec_module(hub_links)

MESSAGE = "dnviz class link ok"
NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
               "source": [f"print({MESSAGE!r})"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}  # fmt: skip


def _git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@localhost"}
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@localhost", GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def course_repo(tmp_path):
    """A course repository on a dumb-HTTP git server at 127.0.0.1; yields its URL."""
    work = tmp_path / "work"
    (work / "notebooks").mkdir(parents=True)
    (work / "notebooks" / "hello.ipynb").write_text(json.dumps(NOTEBOOK))
    _git("init", "-q", "-b", "main", cwd=work)
    _git("add", ".", cwd=work)
    _git("commit", "-q", "-m", "course", cwd=work)
    served = tmp_path / "served"
    served.mkdir()
    _git("clone", "-q", "--bare", str(work), str(served / "course.git"), cwd=tmp_path)
    _git("update-server-info", cwd=served / "course.git")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{httpd.server_address[1]}/course.git"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.browser
def test_a_hub_link_clones_the_course_and_opens_the_notebook_in_voila(browser, course_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("NBGITPULLER_DEPTH", "0")  # a dumb-HTTP git server cannot serve nbgitpuller's shallow clone
    link = hub_links.nbgitpuller_link("https://hub.example.org", "notebooks/hello.ipynb", repo=course_repo, app="voila")
    after_hub = link.split("/hub/user-redirect/", 1)[1]  # what the hub hands to the student's server
    assert after_hub.startswith("git-pull?")
    root = tmp_path / "home"
    root.mkdir()
    with lab_server(root) as server:
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(f"{server.url}/{after_hub}&token={server.token}")
            page.wait_for_url("**/voila/render/course/notebooks/hello.ipynb**", timeout=120_000)
            page.get_by_text(MESSAGE).wait_for(timeout=120_000)
        except Exception:
            print("page:", page.url, page.inner_text("body")[:3000])  # what nbgitpuller or Voila said
            raise
        finally:
            context.close()
    assert (root / "course" / "notebooks" / "hello.ipynb").is_file()  # cloned into the student's folder

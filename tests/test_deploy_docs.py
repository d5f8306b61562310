"""The JupyterHub guide (docs/deploy.md): its links, the image's files, the nbgitpuller links."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploy.md"
_spec = importlib.util.spec_from_file_location("hub_links", ROOT / "scripts" / "hub_links.py")
hub_links = importlib.util.module_from_spec(_spec)
sys.modules["hub_links"] = hub_links
_spec.loader.exec_module(hub_links)

LINK = re.compile(r"\]\(([^)\s]+)\)")
REPO_DIRS = ("notebooks/", "scripts/", "benchmarks/", "docs/", "tests/", "dnviz/", "data/")


def _slug(heading: str) -> str:
    """GitHub's anchor for a markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(line.lstrip("#")) for line in path.read_text().splitlines() if line.startswith("#")}


def _apt_packages() -> list[str]:
    text = (ROOT / "apt.txt").read_text()
    return [line.partition("#")[0].strip() for line in text.splitlines() if line.partition("#")[0].strip()]


def test_every_repository_link_in_the_guide_exists():
    links = [m for m in LINK.findall(GUIDE.read_text()) if not m.startswith(("http://", "https://", "mailto:"))]
    assert len(links) >= 8, links
    for link in links:
        target, _, anchor = link.partition("#")
        path = (GUIDE.parent / target).resolve()
        assert path.exists(), f"docs/deploy.md links to {link}, which does not exist"
        assert ROOT in path.parents or path == ROOT, link
        if anchor:
            assert anchor in _anchors(path), f"{link}: no heading #{anchor} in {target}"


def test_every_repository_path_named_in_the_guide_exists():
    for span in re.findall(r"`([^`\s]+)`", GUIDE.read_text()):
        if span.startswith(REPO_DIRS) and not any(c in span for c in "<>*"):
            assert (ROOT / span.split("#")[0]).exists(), f"docs/deploy.md names {span}, which does not exist"


def test_readme_points_to_the_guide_and_the_class_server():
    readme = (ROOT / "README.md").read_text()
    assert "teaching-a-class" in _anchors(ROOT / "README.md")
    for name in ("docs/deploy.md", "make class SEATS=40", "HOST=0.0.0.0", "Voila has no login", "127.0.0.1"):
        assert name in readme, name


def test_environment_yml_has_what_the_hub_image_needs():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    names = {re.split(r"[<>=!~ ]", d, maxsplit=1)[0] for d in env["dependencies"] if isinstance(d, str)}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    names |= {re.split(r"[<>=!~ ]", d, maxsplit=1)[0] for d in pip}
    for needed in ("python", "jupyterlab", "ipykernel", "voila", "nbgitpuller", "kaleido", "pandas", "plotly"):
        assert needed in names, needed
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    low = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"].lstrip(">=")
    version = python.split("=")[-1]
    assert tuple(map(int, version.split("."))) >= tuple(map(int, low.split("."))), (python, low)


def test_postbuild_installs_dnviz_and_chrome_and_stops_on_error():
    post = ROOT / "postBuild"
    assert os.access(post, os.X_OK), "postBuild must be executable (repo2docker runs it as ./postBuild)"
    text = post.read_text()
    assert text.startswith("#!/bin/sh\n")
    assert "set -e" in text
    assert "pip install --no-deps ." in text
    assert "kaleido_get_chrome" in text
    subprocess.run(["sh", "-n", str(post)], check=True)  # parses as shell


def test_apt_txt_lists_valid_names_chromes_libraries_and_git():
    packages = _apt_packages()
    for name in packages:
        assert re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", name), name  # repo2docker refuses anything else
    assert "git" in packages
    assert "chromium" not in packages  # a snap wrapper on Ubuntu, which does not run in a container


def test_apt_txt_covers_the_libraries_kaleidos_browser_driver_asks_for():
    errors = pytest.importorskip("choreographer.browsers._errors")
    message = str(errors.BrowserDepsError())
    wanted = set(re.search(r"apt-get install ([^\n]+)", message).group(1).split())
    assert wanted, message
    assert wanted <= set(_apt_packages()), wanted - set(_apt_packages())


def test_every_notebook_gets_a_link_that_nbgitpuller_reads():
    notebooks = hub_links.notebooks()
    assert "notebooks/classroom_app.ipynb" in notebooks and len(notebooks) >= 10
    for notebook in notebooks:
        link = hub_links.nbgitpuller_link("https://hub.example.org/", notebook)
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org", "/hub/user-redirect/git-pull")
        query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
        assert query["repo"] == hub_links.REPO and query["branch"] == "main" and query["targetpath"] == "dnviz"
        prefix = "voila/render/" if notebook == "notebooks/classroom_app.ipynb" else "lab/tree/"
        assert query["urlpath"] == f"{prefix}dnviz/{notebook}"
        assert (ROOT / query["urlpath"].removeprefix(prefix).removeprefix("dnviz/")).is_file()


def test_link_for_a_fork_uses_its_folder_name():
    link = hub_links.nbgitpuller_link(
        "https://hub.example.org",
        "notebooks/04_safety_zones.ipynb",
        repo="https://gitlab.example.org/course/anatomy.git",
    )
    query = parse_qs(urlsplit(link).query)
    assert query["urlpath"] == ["lab/tree/anatomy/notebooks/04_safety_zones.ipynb"]
    assert query["targetpath"] == ["anatomy"]  # stated: nbgitpuller alone would clone into anatomy.git


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"hub": "hub.example.org"}, "hub"),
        ({"hub": "https://hub.example.org/?next=x"}, "hub"),
        ({"repo": "git@github.com:dnviz/dnviz"}, "repo"),
        ({"branch": "main&urlpath=evil"}, "branch"),
        ({"notebook": "../secrets.ipynb"}, "notebook"),
        ({"notebook": "/etc/passwd"}, "notebook"),
        ({"app": "shell"}, "app"),
    ],
)
def test_bad_link_input_is_refused(kwargs, match):
    args = {"hub": "https://hub.example.org", "notebook": "notebooks/00_start_here.ipynb", **kwargs}
    with pytest.raises(hub_links.LinkError, match=match):
        hub_links.nbgitpuller_link(**args)


def test_the_docstring_example_holds():
    import doctest

    assert doctest.testmod(hub_links).failed == 0


def test_nbgitpuller_is_installed_with_the_notebook_extra():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["notebook"]
    assert any(r.startswith("nbgitpuller") for r in extra)
    pytest.importorskip("nbgitpuller")
    source = (Path(importlib.util.find_spec("nbgitpuller").origin).parent / "handlers.py").read_text()
    for parameter in ("'repo'", "'branch'", "'targetpath'", "'urlpath'"):
        assert parameter in source, parameter  # the names hub_links.py writes

"""nbgitpuller links that open a dnviz notebook for every student of a JupyterHub (docs/deploy.md).

    python scripts/hub_links.py https://hub.example.org                      # every notebook, JupyterLab
    python scripts/hub_links.py https://hub.example.org --repo https://github.com/my-course/dnviz --branch main

A link sends the student to their own server (``/hub/user-redirect/``), where nbgitpuller clones the
repository the first time (into a folder named after it) and merges new commits on later clicks
without overwriting the student's own changes, then opens ``urlpath``: the notebook in JupyterLab
(``lab/tree/<folder>/<path>``) or, for the classroom app, the page Voila serves inside the
student's server (``voila/render/<folder>/<path>``). Nothing is fetched here: it only prints links.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
REPO = "https://github.com/dnviz/dnviz"
VOILA_NOTEBOOKS = ("notebooks/classroom_app.ipynb",)  # opened as an app; the rest in JupyterLab


class LinkError(ValueError):
    """A hub address, repository or notebook path that cannot make a working link."""


def _check_url(value: str, what: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise LinkError(f"{what} {value!r} is not an http(s) address without ?query or #fragment, e.g. {REPO}")
    return value.rstrip("/")


def folder_of(repo: str) -> str:
    """The folder the link has nbgitpuller clone ``repo`` into: its name without ``.git``.

    The link states it (``targetpath``): left to itself, nbgitpuller 1.3 would keep the ``.git``.
    """
    name = repo.rstrip("/").split("/")[-1]
    return name[:-4] if name.endswith(".git") else name


def nbgitpuller_link(hub: str, notebook: str, repo: str = REPO, branch: str = "main", app: str | None = None) -> str:
    """The link that pulls ``repo`` at ``branch`` and opens ``notebook`` (a path inside the repository).

    ``app`` is ``"lab"`` (JupyterLab) or ``"voila"`` (the notebook as an app); by default the
    classroom app opens in Voila and every other notebook in JupyterLab.

    >>> nbgitpuller_link("https://hub.example.org", "notebooks/classroom_app.ipynb")  # doctest: +ELLIPSIS
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fdnviz%2Fdnviz&branch=main&targetpath=dnviz&urlpath=voila%2Frender%2Fdnviz%2Fnotebooks%2Fclassroom_app.ipynb'
    """
    hub = _check_url(hub, "hub")
    repo = _check_url(repo, "repo")
    if not branch or any(c in branch for c in " ?#&\\") or branch.startswith("-"):
        raise LinkError(f"branch {branch!r} is not a git branch name")
    if notebook.startswith("/") or ".." in Path(notebook).parts or not notebook.endswith(".ipynb"):
        raise LinkError(
            f"notebook {notebook!r} is not a .ipynb path inside the repository, e.g. notebooks/00_start_here.ipynb"
        )
    app = app or ("voila" if notebook in VOILA_NOTEBOOKS else "lab")
    prefix = {"lab": "lab/tree", "voila": "voila/render"}.get(app)
    if prefix is None:
        raise LinkError(f"app {app!r} is not 'lab' or 'voila'")
    urlpath = f"{prefix}/{folder_of(repo)}/{notebook}"
    fields = {"repo": repo, "branch": branch, "targetpath": folder_of(repo), "urlpath": urlpath}
    query = urlencode(fields, quote_via=quote, safe="")
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def notebooks(root: Path = ROOT) -> list[str]:
    """The repository's notebooks, as paths inside it."""
    return sorted(p.relative_to(root).as_posix() for p in (root / "notebooks").glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hub", help="the JupyterHub's address, e.g. https://hub.example.org")
    parser.add_argument("--repo", default=REPO, help=f"the repository students pull (default {REPO})")
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    try:
        for notebook in notebooks():
            print(f"{notebook}\n  {nbgitpuller_link(args.hub, notebook, args.repo, args.branch)}")
    except LinkError as err:
        print(f"hub_links: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

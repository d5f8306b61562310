"""Packaging: the wheel carries the data; environment.yml and pyproject.toml agree."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _names(requirements) -> set[str]:
    return {re.split(r"[<>=!~\[ ;]", r.strip(), maxsplit=1)[0].lower() for r in requirements if r.strip()}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _names(project["dependencies"]) | _names(
        r for r in project["optional-dependencies"]["notebook"] if not r.startswith("dnviz")
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = (_names(conda) | _names(p for p in pip if not p.startswith(("-", ".")))) - {"python", "pip"}
    assert listed == wanted


def test_wheel_installs_outside_the_repository_and_loads(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("dnviz-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # dependencies come from this environment's site-packages (no network); dnviz only from the wheel
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)], check=True
    )
    code = (
        "import dnviz, pathlib; a = dnviz.load_atlas(); "
        "print(pathlib.Path(dnviz.__file__).parent); print(len(a.muscles))"
    )
    out = subprocess.run(
        [py, "-I", "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.split()
    assert Path(out[0]).is_relative_to(site)
    assert int(out[1]) >= 60
    assert (Path(out[0]) / "data" / "geometry" / "body.json").is_file()
    assert not (Path(out[0]) / "data" / "_staging").exists()
    for module in ("map.js", "offline.js"):  # the browser map's front end travels in the wheel
        assert (Path(out[0]) / "widgets" / module).is_file(), module


def test_make_lab_opens_the_first_notebook_on_localhost_with_token_auth():
    makefile = (ROOT / "Makefile").read_text()
    (line,) = [x for x in makefile.splitlines() if "jupyter lab" in x]
    assert "--ServerApp.ip=127.0.0.1" in line and "token" not in line.lower()
    notebook = line.split()[-1]
    assert (ROOT / notebook).is_file() and notebook.endswith("00_start_here.ipynb")
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")

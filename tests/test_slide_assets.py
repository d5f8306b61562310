"""The slide template of `make slides` (dnviz.slides): offline assets, checksums, the launch command."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from dnviz import slides

TEMPLATE = slides.template_root() / "voila" / "templates" / slides.TEMPLATE
STATIC = TEMPLATE / "static"


def asset_rows() -> list[tuple[str, str]]:
    text = (STATIC / "ASSETS.md").read_text()
    return re.findall(r"^\|[^|]+\|[^|]+\|[^|]+\| `([^`]+)` \| `([0-9a-f]{64})` \|$", text, flags=re.M)


def test_every_vendored_asset_matches_its_recorded_checksum():
    rows = asset_rows()
    assert len(rows) >= 5
    for name, digest in rows:
        path = STATIC / name
        assert path.is_file(), f"{name} is listed in ASSETS.md but missing: run scripts/vendor_slide_assets.py"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{name} differs from ASSETS.md"


def test_template_fetches_nothing_from_the_web():
    """No reference that a browser would fetch from another host: src/href, url(...), @import."""
    fetched = re.compile(
        r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+(?:url\()?\s*["']?(?:https?:)?//"""
    )
    files = [TEMPLATE / "index.html.j2", *STATIC.rglob("*.css"), *STATIC.rglob("*.js")]
    for path in files:
        hits = [m.group(0) for m in fetched.finditer(path.read_text(errors="replace"))]
        assert hits == [], f"{path.relative_to(TEMPLATE)} fetches from the web: {hits}"
    conf = (TEMPLATE / "conf.json").read_text()
    assert "//" not in conf, "conf.json must point at local paths only"


def test_reveal_style_sheets_are_where_the_template_asks_for_them():
    conf = json.loads((TEMPLATE / "conf.json").read_text())
    reveal = conf["traitlet_configuration"]["resources"]["reveal"]
    prefix = f"/voila/templates/{slides.TEMPLATE}/static/"
    assert reveal["url_prefix"].startswith(prefix)
    local = STATIC / reveal["url_prefix"].removeprefix(prefix)
    assert (local / "dist" / "reveal.css").is_file()
    assert (local / "dist" / "theme" / f"{reveal['theme']}.css").is_file()
    assert conf["base_template"] == "reveal"


def test_voila_command_binds_localhost_and_finds_the_template(tmp_path):
    nb = tmp_path / "deck.ipynb"
    nb.write_text("{}")
    cmd, env = slides.voila_command(nb, port=9999)
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=9999" in cmd and "--no-browser" in cmd
    assert f"--template={slides.TEMPLATE}" in cmd and str(nb) in cmd
    assert env["JUPYTER_PATH"].split(":")[0] == str(slides.template_root())


@pytest.mark.parametrize("name", ["missing.ipynb", "notes.txt"])
def test_voila_command_rejects_what_is_not_a_notebook(tmp_path, name):
    if name.endswith(".txt"):
        (tmp_path / name).write_text("not a notebook")
    with pytest.raises(FileNotFoundError, match=r"give the path of an \.ipynb file.*make slides NB="):
        slides.voila_command(tmp_path / name)


def test_command_line_reports_a_bad_path(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        slides.main([str(tmp_path / "nope.ipynb"), "--no-browser"])
    assert exit_.value.code == 2
    assert "no notebook at" in capsys.readouterr().err

"""Static export works offline: PNG and SVG through kaleido with Debian's Chromium, standalone HTML."""

from __future__ import annotations

import os
import re
import stat

import pytest

from dnviz import plot_body_map, save_figure


@pytest.fixture(scope="module")
def figure(atlas):
    return plot_body_map(atlas, muscle="upper trapezius", view="posterior")


def test_png_and_svg(figure, tmp_path):
    png = save_figure(figure, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    svg = save_figure(figure, tmp_path / "map.svg")
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "Upper trapezius" in text


def test_html_is_standalone(figure, tmp_path):
    page = save_figure(figure, tmp_path / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*src=[\"']?(https?:)?//", page)  # nothing fetched from the network
    assert len(page) > 1_000_000  # plotly.js is inlined, so the page works offline


def test_unknown_format(figure, tmp_path):
    with pytest.raises(ValueError, match=r"\.png"):
        save_figure(figure, tmp_path / "map.jpeg")


def test_pdf(figure, tmp_path):
    assert save_figure(figure, tmp_path / "map.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.fixture(scope="module")
def small():
    """A small figure: HTML export needs no browser, so these tests are quick."""
    import plotly.graph_objects as go

    return go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))


def leftovers(folder):
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part"))


def test_existing_file_is_kept_unless_overwrite(small, tmp_path):
    target = tmp_path / "map.html"
    target.write_text("my notes")
    with pytest.raises(FileExistsError, match=r"map\.html already exists and was kept: pass overwrite=True"):
        save_figure(small, target)
    assert target.read_text() == "my notes"
    assert save_figure(small, target, overwrite=True) == target
    assert "plotly" in target.read_text(encoding="utf-8")
    assert leftovers(tmp_path) == []


def test_tilde_is_expanded(small, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    written = save_figure(small, "~/handouts/map.html")
    assert written == tmp_path / "home" / "handouts" / "map.html" and written.is_file()
    assert not (tmp_path / "~").exists()


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("dangling", [False, True])
def test_a_link_at_the_target_is_refused(small, tmp_path, overwrite, dangling):
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("someone else's file")
    link = tmp_path / "map.html"
    link.symlink_to(victim)
    with pytest.raises(ValueError, match=r"map\.html is a symbolic link .*never writes through a link"):
        save_figure(small, link, overwrite=overwrite)
    assert link.is_symlink()
    assert victim.exists() is not dangling and (dangling or victim.read_text() == "someone else's file")
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_nothing_behind(small, tmp_path, monkeypatch):
    import dnviz.export

    def disk_full(fd, data):
        os.write(fd, data[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dnviz.export, "_write_all", disk_full)
    with pytest.raises(OSError, match="No space left"):
        save_figure(small, tmp_path / "new" / "deeper" / "map.html")
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file, and the folders it made are gone


def test_a_failed_render_creates_nothing(small, tmp_path, monkeypatch):
    import plotly.graph_objects as go

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(go.Figure, "to_html", broken)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        save_figure(small, tmp_path / "new" / "map.html")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_replace_keeps_the_old_file(small, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("the old handout")

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        save_figure(small, target, overwrite=True)
    assert target.read_text() == "the old handout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_existing_folders_are_kept_when_a_write_fails(small, tmp_path, monkeypatch):
    import dnviz.export

    (tmp_path / "mine").mkdir()
    monkeypatch.setattr(dnviz.export, "_write_all", lambda fd, data: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError, match="I/O error"):
        save_figure(small, tmp_path / "mine" / "new" / "map.html")
    assert [p.name for p in tmp_path.iterdir()] == ["mine"] and list((tmp_path / "mine").iterdir()) == []


def test_new_file_has_the_usual_permissions(small, tmp_path):
    umask = os.umask(0o022)
    try:
        written = save_figure(small, tmp_path / "map.html")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf"), True, "2", None, 11])
def test_bad_scale_is_refused(small, tmp_path, scale):
    with pytest.raises(ValueError, match=r"^scale must be a positive number"):
        save_figure(small, tmp_path / "map.png", scale=scale)
    assert list(tmp_path.iterdir()) == []


def test_bad_targets(small, tmp_path):
    folder = tmp_path / "figures.html"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match=r"figures\.html is a folder"):
        save_figure(small, folder)
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OSError, match="afile"):
        save_figure(small, tmp_path / "afile" / "map.html")
    with pytest.raises(TypeError, match="fig must be a plotly figure"):
        save_figure({"data": []}, tmp_path / "map.html")
    with pytest.raises(ValueError, match="overwrite must be True or False"):
        save_figure(small, tmp_path / "map.html", overwrite="yes")


def test_a_file_that_appears_during_the_write_is_kept(small, tmp_path, monkeypatch):
    """The no-overwrite publish is atomic (a hard link), so a file made after the first check still wins."""
    import dnviz.export

    target = tmp_path / "map.html"
    real_render = dnviz.export._render

    def render_then_someone_writes(*args):
        data = real_render(*args)
        target.write_text("written meanwhile")
        return data

    monkeypatch.setattr(dnviz.export, "_render", render_then_someone_writes)
    with pytest.raises(FileExistsError, match="pass overwrite=True"):
        save_figure(small, target)
    assert target.read_text() == "written meanwhile" and leftovers(tmp_path) == []


def test_file_systems_without_hard_links(small, tmp_path, monkeypatch):
    def no_links(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    assert save_figure(small, tmp_path / "map.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]

"""Static export works offline: PNG and SVG through kaleido with Debian's Chromium, standalone HTML."""

from __future__ import annotations

import re

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

"""Static export of any figure for handouts: PNG, SVG (kaleido + Chromium) and offline HTML."""

from __future__ import annotations

import os
from pathlib import Path

import plotly.graph_objects as go

FORMATS = ("png", "svg", "pdf", "html")


def _ensure_browser_path() -> None:
    """Point kaleido at Debian's Chromium when it is there and nothing else was chosen."""
    if "BROWSER_PATH" not in os.environ:
        for candidate in (os.environ.get("DNVIZ_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
            if candidate and Path(candidate).exists():
                os.environ["BROWSER_PATH"] = candidate
                return


def save_figure(fig: go.Figure, path: str | os.PathLike, scale: float = 2.0) -> Path:
    """Write a figure to PNG, SVG, PDF or a standalone HTML page that works offline.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    path : path-like
        The file to write; its suffix chooses the format.
    scale : float
        Pixel density for PNG (2 gives crisp handouts).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot save {path.name!r}: use a file ending in one of {', '.join('.' + f for f in FORMATS)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        fig.write_html(path, include_plotlyjs=True, full_html=True, config={"displaylogo": False})
        return path
    _ensure_browser_path()
    try:
        fig.write_image(path, format=fmt, scale=scale if fmt == "png" else 1)
    except Exception as err:  # kaleido reports a missing browser in several ways
        if "hrome" in str(err) or "rowser" in str(err):
            raise RuntimeError(
                f"Saving {path.name} needs Chromium for kaleido: install it (Debian: sudo apt-get install chromium) "
                "or set BROWSER_PATH to a Chromium binary. HTML export works without it."
            ) from err
        raise
    return path

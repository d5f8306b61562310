"""Static export of any figure for handouts: PNG, SVG, PDF (kaleido + Chromium) and offline HTML.

:func:`save_figure` writes carefully: ``~`` is expanded; an existing file is kept unless
``overwrite=True``; a symbolic link at the target is refused (writing through it could overwrite
some other file); the figure is rendered first, written to a hidden temporary file in the target's
folder and renamed into place in one step, so a reader never sees half a file; and when anything
fails, the temporary file and any folders it created are removed again.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import os
import secrets
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure

FORMATS = ("png", "svg", "pdf", "html")


def _ensure_browser_path() -> None:
    """Point kaleido at Debian's Chromium when it is there and nothing else was chosen."""
    if "BROWSER_PATH" not in os.environ:
        for candidate in (os.environ.get("DNVIZ_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
            if candidate and Path(candidate).exists():
                os.environ["BROWSER_PATH"] = candidate
                return


def _check_scale(scale: object) -> float:
    if isinstance(scale, bool) or type(scale).__name__ == "bool_" or not isinstance(scale, numbers.Real):
        raise ValueError(f"scale must be a positive number such as 2 (pixel density for PNG), not {scale!r}")
    if not math.isfinite(scale) or scale <= 0 or scale > 10:
        raise ValueError(
            f"scale must be a positive number no larger than 10 (2 gives crisp handouts), not {scale!r}: pass scale=2"
        )
    return float(scale)


def _target(path: object) -> tuple[Path, str]:
    """The expanded target path and its format; ValueError for an unknown suffix."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name such as 'map.png', not {path!r}")
    target = Path(path).expanduser()
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot save {target.name!r}: use a file ending in one of {', '.join('.' + f for f in FORMATS)}"
        )
    return target, fmt


def _check_target(target: Path, overwrite: bool) -> None:
    """Refuse a link at the target, a folder, or an existing file unless overwrite=True."""
    if target.is_symlink():
        raise ValueError(
            f"{target} is a symbolic link (to {os.readlink(target)}): save_figure never writes through a link, "
            "which could overwrite some other file. Remove the link or choose another file name"
        )
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder: pass a file name inside it, such as {target / 'figure.png'}")
    if target.exists() and not overwrite:
        raise FileExistsError(
            f"{target} already exists and was kept: pass overwrite=True to replace it, or choose another file name"
        )


def _render(fig: go.Figure, fmt: str, scale: float, name: str) -> bytes:
    """The figure as the bytes of a file of format ``fmt``."""
    if fmt == "html":
        return fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False}).encode("utf-8")
    _ensure_browser_path()
    try:
        return fig.to_image(format=fmt, scale=scale if fmt == "png" else 1)
    except Exception as err:  # kaleido reports a missing browser in several ways
        if "hrome" in str(err) or "rowser" in str(err):
            raise RuntimeError(
                f"Saving {name} needs Chromium for kaleido: install it (Debian: sudo apt-get install chromium) "
                "or set BROWSER_PATH to a Chromium binary. HTML export works without it."
            ) from err
        raise


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and any missing parents; return the ones created, deepest last."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    created = []
    try:
        for parent in reversed(missing):
            parent.mkdir()
            created.append(parent)
    except OSError as err:
        _remove_folders(created)
        raise OSError(f"cannot create the folder {folder} for the figure: {err.strerror or err}") from err
    if not folder.is_dir():
        raise NotADirectoryError(f"cannot save into {folder}: it is a file, not a folder")
    return created


def _remove_folders(created: list[Path]) -> None:
    for folder in reversed(created):
        with contextlib.suppress(OSError):  # a folder someone else filled meanwhile stays
            folder.rmdir()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _publish(data: bytes, target: Path, overwrite: bool) -> None:
    """Write ``data`` to a hidden temporary file beside ``target`` and move it into place in one step."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    fd = os.open(temp, flags, 0o666)  # the usual permissions for a new file, after the umask
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, target)  # replaces a file (or a link put there meanwhile) and never follows a link
        else:
            try:
                os.link(temp, target)  # fails if anything, even a dangling link, appeared at the target meanwhile
            except FileExistsError as err:
                raise FileExistsError(
                    f"{target} already exists and was kept: pass overwrite=True to replace it, or choose another "
                    "file name"
                ) from err
            except OSError:  # a file system without hard links: check and rename
                _check_target(target, overwrite=False)
                os.rename(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def save_figure(fig: go.Figure, path: str | os.PathLike, scale: float = 2.0, overwrite: bool = False) -> Path:
    """Write a figure to PNG, SVG, PDF or a standalone HTML page that works offline.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    path : path-like
        The file to write; its suffix chooses the format. ``~`` is expanded, and missing folders
        are created (and removed again if the write fails).
    scale : float
        Pixel density for PNG (2 gives crisp handouts); a positive number up to 10.
    overwrite : bool
        Replace an existing file. By default an existing file is kept and a FileExistsError says
        so. A symbolic link at ``path`` is always refused, with or without ``overwrite``.

    Returns
    -------
    pathlib.Path
        The written file (with ``~`` expanded).

    Raises
    ------
    FileExistsError
        ``path`` exists and ``overwrite`` is False.
    ValueError
        An unknown suffix, a symbolic link at ``path``, or a scale that is not a positive number.
    RuntimeError
        Chromium, which kaleido needs for PNG, SVG and PDF, is missing.

    Examples
    --------
    >>> import tempfile, dnviz
    >>> fig = dnviz.plot_forest(dnviz.load_atlas())
    >>> folder = Path(tempfile.mkdtemp())
    >>> save_figure(fig, folder / "evidence.html").name
    'evidence.html'
    >>> save_figure(fig, folder / "evidence.html")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileExistsError: ... already exists and was kept: pass overwrite=True to replace it, or choose another file name
    """
    if not isinstance(fig, BaseFigure):
        raise TypeError(f"fig must be a plotly figure (from a dnviz plot_* function), not {type(fig).__name__}")
    target, fmt = _target(path)
    scale = _check_scale(scale)
    if not isinstance(overwrite, bool):
        raise ValueError(f"overwrite must be True or False, not {overwrite!r}")
    _check_target(target, overwrite)
    data = _render(fig, fmt, scale, target.name)  # before any folder is made: a failed render leaves nothing
    created = _make_folders(target.parent)
    try:
        _publish(data, target, overwrite)
    except BaseException:
        _remove_folders(created)
        raise
    return target

"""Present a notebook as reveal.js slides with live widgets, every asset served from this machine.

Voila runs the notebook and its ``dnviz-slides`` template (in this package, beside this module)
lays the cells out as reveal.js slides following each cell's ``slideshow.slide_type``. The template
extends Voila's own reveal template and replaces what that template fetches from CDNs (jQuery,
Font Awesome, the reveal.js style sheets) with the copies under ``voila/templates/dnviz-slides/static``
(their versions, sources and checksums: ``static/ASSETS.md``), so the slides work in a classroom
without internet. The server binds 127.0.0.1 only.

From a shell: ``python -m dnviz.slides notebooks/04_safety_zones.ipynb`` (``make slides NB=...``).

Examples
--------
>>> import pathlib, tempfile
>>> deck = pathlib.Path(tempfile.mkdtemp()) / "deck.ipynb"
>>> _ = deck.write_text("{}")
>>> cmd, env = voila_command(deck, port=8870)
>>> "--template=dnviz-slides" in cmd and "--Voila.ip=127.0.0.1" in cmd
True
>>> str(template_root()) in env["JUPYTER_PATH"]
True
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

TEMPLATE = "dnviz-slides"
DEFAULT_PORT = 8867


def template_root() -> Path:
    """The folder to put on ``JUPYTER_PATH`` so that Voila finds the ``dnviz-slides`` template."""
    return Path(__file__).resolve().parent


def voila_command(
    notebook: str | os.PathLike,
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    extra: Sequence[str] = (),
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that serve ``notebook`` as slides on 127.0.0.1:``port``.

    Raises
    ------
    FileNotFoundError
        When ``notebook`` does not exist or is not an ``.ipynb`` file.
    """
    path = Path(notebook)
    if not path.is_file() or path.suffix != ".ipynb":
        raise FileNotFoundError(
            f"no notebook at {str(path)!r}: give the path of an .ipynb file, "
            "for example make slides NB=notebooks/04_safety_zones.ipynb"
        )
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(template_root()), env.get("JUPYTER_PATH", "")) if p)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(path),
        f"--template={TEMPLATE}",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        *([] if open_browser else ["--no-browser"]),
        *extra,
    ]
    return cmd, env


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a notebook as slides until interrupted (Ctrl+C)."""
    parser = argparse.ArgumentParser(prog="python -m dnviz.slides", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="the .ipynb to present, e.g. notebooks/04_safety_zones.ipynb")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args, extra = parser.parse_known_args(argv)
    try:
        cmd, env = voila_command(args.notebook, port=args.port, open_browser=not args.no_browser, extra=extra)
    except FileNotFoundError as err:
        parser.error(str(err))
    print(f"dnviz slides: http://127.0.0.1:{args.port}/  (arrow keys or space to move; Ctrl+C to stop)", flush=True)
    os.execve(cmd[0], cmd, env)
    return 0  # not reached: execve replaces this process

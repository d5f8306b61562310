"""Kernel-free pages: the muscle explorer and the quiz as one offline HTML file each.

The page holds the map's JavaScript (the same module the explorers use), the scene's bundle, the
muscle cards and the names to search, so that choosing a muscle or answering a question works with
no Python running: for a course web page or a learning-management system. Nothing is fetched from
the network. JSON is embedded with ``<``, ``>`` and ``&`` escaped, so no text in the data can close
the script element; the cards are HTML built and escaped by :func:`dnviz.widgets._base.muscle_card`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from dnviz._constants import DISCLAIMER
from dnviz.scene.bundle import browser_bundle
from dnviz.widgets.map import theme_style

HERE = Path(__file__).parent
PAGE_CSS = """
body{font-family:DejaVu Sans,Arial,sans-serif;margin:12px;color:#1a1a1a}
.dv-layout{display:flex;gap:18px;align-items:flex-start;flex-wrap:wrap}
.dv-controls{display:flex;flex-direction:column;gap:10px;width:300px}
.dv-controls label{display:flex;flex-direction:column;gap:4px;font-weight:600}
.dv-controls input,.dv-controls select{font-size:1em;padding:6px;min-height:36px}
.dv-map{flex:1;min-width:420px;max-width:900px}
.dv-button{font-size:1em;min-height:40px;padding:4px 12px;margin:2px;border:1px solid #888;border-radius:4px;background:#f4f4f4;cursor:pointer}
.dv-button.dv-on{background:#1f4e79;color:#fff}
.dv-options{display:flex;flex-direction:column;gap:4px}
.dv-status{min-height:1.4em;color:#1f4e79}
.dv-card{max-width:900px;margin-top:12px}
.dv-disclaimer{font-style:italic;color:#444;margin-top:8px}
"""


def _module(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _script_json(data) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def page_html(atlas, kind: str, state: dict, extra: dict, title: str) -> str:
    """One self-contained page: data as JSON, the two modules joined through blob URLs."""
    from dnviz.themes import get_theme

    bundle = browser_bundle(atlas)
    page = {
        "kind": kind,
        "bundle": bundle,
        "state": {
            "colours": theme_style(get_theme("screen")),
            "disclaimer": DISCLAIMER,
            "side": "right",
            "window": "auto",
            "mode": "pattern",
            "font_px": 15,
            "cross_px": 16,
            "width_px": 860,
            "height_px": 640,
            "marked": [],
            "shade": [],
            "pins": [],
            "layers": {},
            **state,
        },
        **extra,
    }
    boot = (
        "const src=(id)=>URL.createObjectURL(new Blob([document.getElementById(id).textContent],"
        "{type:'text/javascript'}));"
        "const map=src('dnviz-map-js');"
        "const app=document.getElementById('dnviz-app-js').textContent.replace('\"./map.js\"',JSON.stringify(map));"
        "import(URL.createObjectURL(new Blob([app],{type:'text/javascript'}))).catch((e)=>{"
        "document.body.dataset.error=String(e);console.error(e);});"
    )
    from html import escape

    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{escape(title)}</title>"
        f"<style>{PAGE_CSS}</style></head><body><h1 style='font-size:1.4em'>{escape(title)}</h1>"
        "<div id='dnviz-root'></div>"
        f"<p class='dv-disclaimer'>{escape(DISCLAIMER)}</p>"
        f"<script type='application/json' id='dnviz-page'>{_script_json(page)}</script>"
        f"<script type='text/plain' id='dnviz-map-js'>{_module('map.js')}</script>"
        f"<script type='text/plain' id='dnviz-app-js'>{_module('offline.js')}</script>"
        f"<script type='module'>{boot}</script></body></html>"
    )


def write_page(path, html: str, overwrite: bool = False) -> Path:
    """Write a page atomically, as :func:`dnviz.save_figure` writes (a link or a folder is refused;
    an existing file is kept unless ``overwrite``; missing folders are made)."""
    from dnviz import export

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file name such as 'muscles.html', not {path!r}")
    target = Path(path).expanduser()
    if target.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"cannot save {target.name!r}: a kernel-free page is an .html file")
    export._check_target(target, overwrite)
    created = export._make_folders(target.parent)
    try:
        export._publish(html.encode("utf-8"), target, overwrite)
    except BaseException:
        export._remove_folders(created)
        raise
    return target

"""Render contact sheets of referral patterns, every muscle in its "auto" window with the muscle drawn.

Usage:
    python scripts/contact_sheet.py                      # every muscle, by body area: docs/images/contact_sheet_*.png
    python scripts/contact_sheet.py --out x.png SCM ...  # one sheet of the muscles named

The README shows ``docs/images/contact_sheet_head_neck_1.png`` (the head and neck sheet, first page).

Each cell is the muscle's scene drawn at the sheet's own scale: the trigger-point numbers and the
"deep" names are placed for the size they are drawn at (a figure built for another size and shrunk
into the cell would put them on the crosses). A wide window (both arms, or two views side by side)
takes two columns when that draws it at least ``WIDE_GAIN`` times larger.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from plotly.subplots import make_subplots

import dnviz
from dnviz.plotting.render import render_shape
from dnviz.scene import build_scene, frame_request
from dnviz.scene.windows import with_locator
from dnviz.themes import get_theme
from dnviz.vocabulary import BODY_AREA_NAMES

COLS = 5
ROWS = 4
CELL_W, CELL_H = 400, 470
H_SPACING = 0.012
MARGIN = dict(l=10, r=10, t=70, b=10)
WIDE_GAIN = 1.5
SKIP = ("legend", "region-names")
THEME = get_theme("screen")


def sheet_range(atlas: dnviz.Atlas, muscle: str) -> tuple[dict, list[float]]:
    """(the muscle's auto request, the range a cell shows: its panels and locator, 1 cm around)."""
    req = frame_request(atlas, muscle=muscle, side="right")
    x0, y0, x1, y1 = with_locator(req["frame"])
    return req, [x0 - 1, y0 - 1, x1 + 1, y1 + 1]


def cell_px(span: int, rows: int) -> tuple[float, float]:
    """Width and height in pixels of a cell spanning ``span`` columns on a sheet of ``rows`` rows."""
    col = (1 - (COLS - 1) * H_SPACING) / COLS
    plot_w = COLS * CELL_W - MARGIN["l"] - MARGIN["r"]
    plot_h = rows * CELL_H + 90 - MARGIN["t"] - MARGIN["b"]
    v = _v_spacing(rows)
    return (span * col + (span - 1) * H_SPACING) * plot_w, (1 - (rows - 1) * v) / rows * plot_h


def _v_spacing(rows: int) -> float:
    return 0.045 / max(1, rows / 4)


def scale_of(rng: list[float], span: int, rows: int = ROWS) -> float:
    """Pixels per cm a range is drawn at in a cell (1 cm = 1 cm both ways, the cell's shorter fit)."""
    w, h = cell_px(span, rows)
    return min(w / (rng[2] - rng[0]), h / (rng[3] - rng[1]))


def span_of(rng: list[float]) -> int:
    """Two columns for a window drawn at least WIDE_GAIN times larger across two, else one."""
    return 2 if scale_of(rng, 2) >= WIDE_GAIN * scale_of(rng, 1) else 1


def pack(spans: list[int], cols: int = COLS) -> list[list[int]]:
    """Rows of item indices, in order, each row at most ``cols`` columns wide; an item that does not fit
    in what is left of a row lets the next item that fits go first (no hole where a narrow one fits)."""
    rows: list[list[int]] = []
    row: list[int] = []
    used = 0
    pending = list(range(len(spans)))
    while pending:
        fit = next((i for i in pending if spans[i] <= cols - used), None)
        if fit is None:
            rows.append(row)
            row, used = [], 0
            continue
        row.append(fit)
        used += spans[fit]
        pending.remove(fit)
        if used == cols:
            rows.append(row)
            row, used = [], 0
    if row:
        rows.append(row)
    return rows


def cell_traces(atlas: dnviz.Atlas, req: dict, scale: float) -> list[dict]:
    """A muscle's scene as plotly traces, its labels placed for ``scale`` pixels per cm."""
    scene = build_scene(
        atlas, request=req, font_cm=THEME.font_size / scale, cross_cm=THEME.tp_size / scale, window="auto"
    )
    return [render_shape(s, THEME) for s in scene["shapes"] if s["role"] not in SKIP]


def contact_sheet(atlas: dnviz.Atlas, muscles: list[str], title: str, rows: list[list[int]] | None = None):
    """One sheet: each muscle's auto window (right side), its name above it; ``rows`` from :func:`pack`."""
    ranges = [sheet_range(atlas, m) for m in muscles]
    spans = [span_of(rng) for _, rng in ranges]
    rows = rows if rows is not None else pack(spans)
    specs = []
    for row in rows:
        line: list = []
        for i in row:
            line += [{"colspan": 2}, None] if spans[i] == 2 else [{}]
        specs.append(line + [None] * (COLS - len(line)))
    order = [i for row in rows for i in row]
    names = [atlas.find_muscle(muscles[i])["name"] for i in order]
    sheet = make_subplots(
        rows=len(rows),
        cols=COLS,
        specs=specs,
        subplot_titles=names,
        horizontal_spacing=H_SPACING,
        vertical_spacing=_v_spacing(len(rows)),
    )
    n = 0
    for r, row in enumerate(rows):
        c = 0
        for i in row:
            n += 1
            req, rng = ranges[i]
            for trace in cell_traces(atlas, req, scale_of(rng, spans[i], len(rows))):
                sheet.add_trace(trace, row=r + 1, col=c + 1)
            axis = "" if n == 1 else str(n)
            sheet.update_xaxes(visible=False, range=[rng[0], rng[2]], row=r + 1, col=c + 1)
            sheet.update_yaxes(
                visible=False, range=[rng[1], rng[3]], scaleanchor=f"x{axis}", constrain="domain", row=r + 1, col=c + 1
            )
            c += spans[i]
    sheet.update_annotations(font=dict(size=15))
    sheet.update_layout(
        width=COLS * CELL_W,
        height=len(rows) * CELL_H + 90,
        showlegend=False,
        paper_bgcolor="white",
        plot_bgcolor="white",
        title=dict(
            text=f"dnviz referral patterns: {title} (right side; essential zones solid, spillover stippled, "
            "numbered trigger points ×, the muscle outlined, deep muscles dashed). Educational use only.",
            x=0.5,
            font=dict(size=17),
        ),
        margin=MARGIN,
        font=dict(family=THEME.font_family, size=THEME.font_size),
    )
    return sheet


def pages(atlas: dnviz.Atlas, muscles: list[str]) -> list[tuple[list[str], list[list[int]]]]:
    """The muscles split into sheets of at most ROWS packed rows: (muscles, rows) per sheet."""
    spans = [span_of(sheet_range(atlas, m)[1]) for m in muscles]
    rows = pack(spans)
    out = []
    for start in range(0, len(rows), ROWS):
        chunk = rows[start : start + ROWS]
        ids = [i for row in chunk for i in row]
        local = {i: k for k, i in enumerate(ids)}
        out.append(([muscles[i] for i in ids], [[local[i] for i in row] for row in chunk]))
    return out


def all_sheets(atlas: dnviz.Atlas, folder: Path) -> list[Path]:
    """Every muscle, grouped by body area, ROWS rows to a sheet; the first head-and-neck sheet is the README's."""
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for area, name in BODY_AREA_NAMES.items():
        muscles = list(atlas.muscles.index[atlas.muscles["body_area"] == area])
        sheets = pages(atlas, muscles)
        for page, (chunk, rows) in enumerate(sheets, start=1):
            title = name if len(sheets) == 1 else f"{name} ({page} of {len(sheets)})"
            path = folder / f"contact_sheet_{area}_{page}.png"
            dnviz.save_figure(contact_sheet(atlas, chunk, title, rows), path, scale=1, overwrite=True)
            written.append(path)
        for stale in sorted(folder.glob(f"contact_sheet_{area}_*.png")):  # pages an earlier run had in excess
            if stale.stem.rsplit("_", 1)[-1].isdigit() and int(stale.stem.rsplit("_", 1)[-1]) > len(sheets):
                stale.unlink()
                print(f"removed {stale}")
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("muscles", nargs="*")
    parser.add_argument("--out", default=None, help="one sheet of the muscles named (default: every muscle)")
    args = parser.parse_args()
    atlas = dnviz.load_atlas()
    if args.muscles:
        out = args.out or "docs/images/contact_sheet.png"
        ids = [atlas.find_muscle(m).name for m in args.muscles]
        dnviz.save_figure(contact_sheet(atlas, ids, "selected muscles"), out, scale=1, overwrite=True)
        print(f"wrote {out}")
    else:
        for path in all_sheets(atlas, Path(args.out or "docs/images")):
            print(f"wrote {path}")

"""Render contact sheets of referral patterns, every muscle in its "auto" window with the muscle drawn.

Usage:
    python scripts/contact_sheet.py                      # every muscle, by body area: docs/images/contact_sheet_*.png
    python scripts/contact_sheet.py --out x.png SCM ...  # one sheet of the muscles named

The README shows ``docs/images/contact_sheet.png`` (the head and neck sheet, first page).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from plotly.subplots import make_subplots

import dnviz
from dnviz.vocabulary import BODY_AREA_NAMES

COLS = 5
ROWS = 4
CELL_W, CELL_H = 400, 470
SKIP = ("legend", "region-names")


def cell(atlas: dnviz.Atlas, muscle: str):
    """A muscle's auto window drawn near the size of a cell (labels placed at about the cell's scale)."""
    for size in ((CELL_W, CELL_H + 200), (None, CELL_H + 200), (None, None)):
        try:
            return dnviz.plot_body_map(atlas, muscle=muscle, side="right", width=size[0], height=size[1])
        except ValueError:
            continue
    raise ValueError(f"no size draws {muscle}")  # pragma: no cover


def contact_sheet(atlas: dnviz.Atlas, muscles: list[str], title: str, cols: int = COLS):
    """One sheet: each muscle's auto window (right side), its name above it."""
    rows = -(-len(muscles) // cols)
    names = [atlas.find_muscle(m)["name"] for m in muscles]
    sheet = make_subplots(
        rows=rows, cols=cols, subplot_titles=names, horizontal_spacing=0.012, vertical_spacing=0.045 / max(1, rows / 4)
    )
    for i, muscle in enumerate(muscles):
        fig = cell(atlas, muscle)
        r, c = divmod(i, cols)
        for trace in fig.data:
            if trace.meta and trace.meta.get("layer") not in SKIP:
                sheet.add_trace(trace, row=r + 1, col=c + 1)
        axis = "" if i == 0 else str(i + 1)
        boxes = [p["box"] for p in fig.layout.meta["panels"].values()]
        locator = [x for t in fig.data if t.meta and t.meta.get("layer") == "locator-body" for x in t.x]
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max([b[2] for b in boxes] + locator)  # the locator sits right of the panels
        y1 = max(b[3] for b in boxes)
        sheet.update_xaxes(visible=False, range=[x0 - 1, x1 + 1], row=r + 1, col=c + 1)
        sheet.update_yaxes(
            visible=False, range=[y0 - 1, y1 + 1], scaleanchor=f"x{axis}", constrain="domain", row=r + 1, col=c + 1
        )
    sheet.update_annotations(font=dict(size=15))
    sheet.update_layout(
        width=cols * CELL_W,
        height=rows * CELL_H + 90,
        showlegend=False,
        paper_bgcolor="white",
        plot_bgcolor="white",
        title=dict(
            text=f"dnviz referral patterns: {title} (right side; essential zones solid, spillover stippled, "
            "numbered trigger points ×, the muscle outlined, deep muscles dashed). Educational use only.",
            x=0.5,
            font=dict(size=17),
        ),
        margin=dict(l=10, r=10, t=70, b=10),
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=13),
    )
    return sheet


def all_sheets(atlas: dnviz.Atlas, folder: Path) -> list[Path]:
    """Every muscle, grouped by body area, ROWS x COLS to a sheet; the first head-and-neck sheet is the README's."""
    written = []
    per = ROWS * COLS
    for area, name in BODY_AREA_NAMES.items():
        muscles = list(atlas.muscles.index[atlas.muscles["body_area"] == area])
        for page, start in enumerate(range(0, len(muscles), per), start=1):
            chunk = muscles[start : start + per]
            pages = -(-len(muscles) // per)
            title = name if pages == 1 else f"{name} ({page} of {pages})"
            path = folder / f"contact_sheet_{area}_{page}.png"
            dnviz.save_figure(contact_sheet(atlas, chunk, title), path, scale=1, overwrite=True)
            written.append(path)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("muscles", nargs="*")
    parser.add_argument("--out", default=None, help="one sheet of the muscles named (default: every muscle)")
    args = parser.parse_args()
    atlas = dnviz.load_atlas()
    if args.muscles:
        out = args.out or "docs/images/contact_sheet.png"
        dnviz.save_figure(contact_sheet(atlas, args.muscles, "selected muscles"), out, scale=1, overwrite=True)
        print(f"wrote {out}")
    else:
        for path in all_sheets(atlas, Path(args.out or "docs/images")):
            print(f"wrote {path}")

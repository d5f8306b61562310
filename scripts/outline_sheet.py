"""Draw every muscle outline on the body, view by view, as one SVG (for curators reviewing outlines).

Superficial outlines are filled, deep ones dashed; each muscle keeps one colour on every view.
The right side is the mirror of the left, and the lateral view shows one side.

Usage: python scripts/outline_sheet.py [--out docs/images/muscle_outlines.svg] [--views anterior posterior ...]
"""

from __future__ import annotations

import argparse
import colorsys
import html
from pathlib import Path

from shapely.geometry import MultiPolygon

import dnviz
from dnviz import geometry as geo
from dnviz.outlines import muscle_outlines

SCALE = 5.0  # px per cm
TOP_CM = 180.0


def _colour(k: int) -> str:
    r, g, b = colorsys.hsv_to_rgb((k * 0.618) % 1.0, 0.6, 0.85)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _path(poly, origin: float, flip: float) -> str:
    parts = poly.geoms if isinstance(poly, MultiPolygon) else [poly]
    return " ".join(
        "M"
        + " L".join(f"{origin + flip * x * SCALE:.1f},{(TOP_CM - y) * SCALE:.1f}" for x, y in p.exterior.coords)
        + "Z"
        for p in parts
    )


def panel(atlas, view: str, origin: float) -> str:
    """One view: silhouette, then each muscle's rings on the sides the view shows."""
    body = geo.load_body()
    lateral = view in getattr(geo, "LATERAL_VIEWS", ())
    silhouette = body.lateral_outline if lateral else body.outline
    flip = geo.to_plot_x(view, 1.0)
    sides = geo.view_sides(view) if hasattr(geo, "view_sides") else ("left", "right")
    out = [f'<path d="{_path(silhouette, origin, flip)}" fill="#f3ead9" stroke="#999"/>']
    for k, muscle in enumerate(atlas.muscles.index):
        colour = _colour(k)
        for side in sides:
            for ring in muscle_outlines(atlas, muscle, side, views=[view]):
                title = (
                    f"<title>{html.escape(muscle)} ({html.escape(ring.part)}{', deep' if ring.deep else ''})</title>"
                )
                style = (
                    f'fill="none" stroke="{colour}" stroke-dasharray="3,2"'
                    if ring.deep
                    else f'fill="{colour}" fill-opacity="0.35" stroke="{colour}"'
                )
                out.append(f'<path d="{_path(ring.polygon, origin, flip)}" {style} stroke-width="1">{title}</path>')
    out.append(f'<text x="{origin:.0f}" y="16" font-size="16" text-anchor="middle">{html.escape(view)}</text>')
    return "".join(out)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/images/muscle_outlines.svg")
    parser.add_argument("--views", nargs="*", default=None, help="views to draw (default: every view)")
    args = parser.parse_args(argv)
    atlas = dnviz.load_atlas()
    views = args.views or list(geo.load_body().views)
    pieces, x = [], 0.0
    for view in views:
        half = (20 if view in getattr(geo, "LATERAL_VIEWS", ()) else 55) * SCALE
        x += half
        pieces.append(panel(atlas, view, x))
        x += half + 10
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x:.0f}" height="{TOP_CM * SCALE:.0f}" '
        f'style="background:white">{"".join(pieces)}</svg>'
    )
    out = Path(args.out)
    out.write_text(svg, encoding="utf-8")
    print(f"wrote {out} ({len(svg) // 1024} KB, {len(views)} views)")
    return out


if __name__ == "__main__":
    main()

"""Render a contact sheet of referral patterns (both views per muscle) for the README and handouts.

Usage: python scripts/contact_sheet.py [--out docs/images/contact_sheet.png] [muscle ...]
"""

from __future__ import annotations

import argparse

from plotly.subplots import make_subplots

import dnviz

DEFAULT = [
    "upper_trapezius",
    "levator_scapulae",
    "sternocleidomastoid",
    "scalenes",
    "masseter",
    "temporalis",
    "infraspinatus",
    "supraspinatus",
    "rhomboids",
    "pectoralis_major",
    "latissimus_dorsi",
    "extensor_digitorum",
    "quadratus_lumborum",
    "gluteus_minimus",
    "piriformis",
    "gastrocnemius",
]


def contact_sheet(atlas: dnviz.Atlas, muscles: list[str], cols: int = 4):
    rows = -(-len(muscles) // cols)
    names = [atlas.find_muscle(m)["name"] for m in muscles]
    sheet = make_subplots(rows=rows, cols=cols, subplot_titles=names, horizontal_spacing=0.01, vertical_spacing=0.03)
    for i, muscle in enumerate(muscles):
        fig = dnviz.plot_body_map(atlas, muscle=muscle, side="right")
        r, c = divmod(i, cols)
        for trace in fig.data:
            if trace.meta and trace.meta.get("layer") not in ("legend", "region-names"):
                sheet.add_trace(trace, row=r + 1, col=c + 1)
        axis = i + 1
        sheet.update_xaxes(visible=False, row=r + 1, col=c + 1)
        sheet.update_yaxes(visible=False, scaleanchor=f"x{axis if axis > 1 else ''}", row=r + 1, col=c + 1)
    sheet.update_layout(
        width=1800,
        height=560 * rows,
        showlegend=False,
        paper_bgcolor="white",
        plot_bgcolor="white",
        title=dict(
            text="dnviz referral patterns (right side; essential zones solid, spillover stippled, "
            "trigger points ×). Educational use only.",
            x=0.5,
        ),
        margin=dict(l=10, r=10, t=80, b=10),
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=14),
    )
    return sheet


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("muscles", nargs="*", default=DEFAULT)
    parser.add_argument("--out", default="docs/images/contact_sheet.png")
    args = parser.parse_args()
    dnviz.save_figure(contact_sheet(dnviz.load_atlas(), args.muscles), args.out, scale=1, overwrite=True)
    print(f"wrote {args.out}")

"""The safety explorer's depth bar: a needle's length drawn against the published depths at one site.

One row per published statistic of ``atlas.depths`` that :func:`dnviz.needle.needle_check` kept for
the chosen site, sex and build: the mean with its SD as a whisker, the shallowest depth measured,
and, for cadaver needle trials, each needle length tested with the fraction of specimens in which
it breached the pleural space. The needle is a grey band from the skin to its length, redrawn as
the slider moves. The bar is SVG built here (:func:`depth_svg`, every text escaped) and shown in an
``ipywidgets.HTML``: the needle check needs the kernel on every slider move anyway, so the bar is
redrawn in that same round trip (a few kB), with no plotly.js in the page; :func:`depth_figure`
builds the same bar as a static plotly figure for export. Nothing here calls a depth safe: the
caption says what each number is.

Also where each depth site is marked on the body map (:data:`SITE_MARKS`): a drawing aid placed
between landmarks from the site's published description, not a needling position.
"""

from __future__ import annotations

import html
import math
import textwrap

import ipywidgets
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import Point

from dnviz import geometry as geo

#: Where a depth site is drawn: (view, landmarks whose mean is the point, dx_cm, dy_cm), read from
#: the site's description in depths.csv. A drawing aid, not a needling position: a point that falls
#: above the drawn shoulder line (the drawing's C7 sits in the neck) is moved straight down onto the body.
SITE_MARKS: dict[str, tuple[str, tuple[str, ...], float, float]] = {
    "gb21": ("posterior", ("c7_spinous", "acromion"), 0.0, 0.0),  # top of the shoulder, C7 to acromion
    "ut_7cm_c7": ("posterior", ("c7_spinous",), 7.0, 0.0),  # 7 cm lateral to the C7 spinous process
    "ut_mid": ("posterior", ("c7_spinous", "acromion", "supraspinous_fossa"), 0.0, 0.0),  # mid belly
    "bl43_rib5": ("posterior", ("rib5_paravertebral", "rib5_scapular"), 0.0, 0.0),  # spine to scapula, rib 5
    "ics2_mcl": ("anterior", ("rib2_mcl", "rib3_mcl"), 0.0, 0.0),  # 2nd intercostal space, midclavicular
    "ics5_aal": ("anterior", ("rib5_mcl", "rib5_mal", "rib6_mcl", "rib6_mal"), 0.0, 0.0),  # anterior axillary
}

METHOD_WORDS = {
    "ultrasound": "ultrasound in living people",
    "MRI": "MRI in patients",
    "CT": "CT in patients",
    "cadaver_fluoroscopy": "needles placed in cadavers and read on fluoroscopy",
}
END_WORDS = {
    "pleura": "skin to pleura",
    "rib": "skin to rib (the pleura lies just deeper)",
    "dangerous_tissue": "skin to the nearest dangerous tissue",
    "pleural_space_breach": "needle length tested",
}
SHORT_ENDS = {"pleura": "to pleura", "rib": "to rib", "dangerous_tissue": "to dangerous tissue"}
NEEDLE_COLOUR = "rgba(90,90,90,0.28)"


def site_point(site_id: str, side: str = "right") -> tuple[str, Point] | None:
    """The view and body point (cm) where a depth site is marked, or ``None`` when it is not placed."""
    spec = SITE_MARKS.get(site_id)
    if spec is None:
        return None
    view, landmarks, dx, dy = spec
    if view not in geo.load_body().views:
        return None
    points = [geo.landmark(view, lm, side) for lm in landmarks]
    x = sum(p[0] for p in points) / len(points)
    y = sum(p[1] for p in points) / len(points)
    sign = -1.0 if geo._mirror_x(1.0, side, view) < 0 else 1.0  # lateral offsets point away from the midline
    point = Point(x + sign * dx, y + dy)
    outline = geo.load_body().outline  # the frontal silhouette (anterior and posterior views)
    for step in range(1, 81):  # above the drawn shoulder line: moved straight down onto the body
        if outline.contains(point):
            break
        point = Point(point.x, y + dy - 0.1 * step)
    else:
        return view, point
    if step > 1:
        point = Point(point.x, point.y - 0.8)  # clear of the contour line, so the mark reads as on the body
    return view, point


def depth_rows(atlas, check) -> pd.DataFrame:
    """The published rows behind a :class:`~dnviz.needle.NeedleCheck`, labelled for the bar (one per row)."""
    rows = atlas.depths.loc[list(check.findings["depth_id"])].copy()
    labels = []
    for _, r in rows.iterrows():
        who = atlas.cite(r["source_id"], short=True)[0]
        group = [str(r[c]) for c in ("sex", "bmi_group") if r[c] != "all"]
        group.append("n unknown" if pd.isna(r["n"]) else f"n={int(r['n'])}")
        if r["end_point"] == "pleural_space_breach":
            what = f"{r['max_mm']:g} mm: {r['breach_fraction']:.0%} breached"
        else:
            what = SHORT_ENDS.get(str(r["end_point"]), str(r["end_point"]))
        labels.append(f"{who} ({', '.join(group)}) {what}")
    rows["label"] = labels
    return rows


def caption(atlas, check) -> str:
    """Plain words (HTML, escaped) on what the bar's numbers are and are not."""
    rows = depth_rows(atlas, check)
    if rows.empty:
        return "<p>No published depth matches this site, sex and build: that is no reassurance.</p>"
    parts = []
    for method, g in rows.groupby("method", sort=False):
        ns = [int(n) for n in g["n"] if not pd.isna(n)]
        size = f"n = {', '.join(map(str, sorted(set(ns))))}" if ns else "number of people not published"
        small = " (a small sample)" if ns and max(ns) < 30 else ""
        parts.append(f"{METHOD_WORDS.get(str(method), str(method))}: {size}{small}")
    ends = sorted({END_WORDS.get(str(e), str(e)) for e in rows["end_point"]})
    cadaver = (rows["method"] == "cadaver_fluoroscopy").any()
    text = (
        f"What the bar shows: {'; '.join(parts)}. Depths are {', '.join(ends)}. "
        "Dots are group means with SD whiskers where an SD was published"
        + ("; triangles the shallowest depth measured" if rows["min_mm"].notna().any() else "")
        + ". "
        + ("crosses are needle lengths tested in cadavers, with the share of specimens breached. " if cadaver else "")
        + "A mean describes a group, not this patient: thin people can be far shallower. "
        "No length on this bar clears a needle for a patient."
    )
    return f"<p class='dnviz-depth-caption' style='font-size:smaller;line-height:1.35'>{html.escape(text)}</p>"


#: Colours of the bar's marks: the mean (with its SD), the shallowest depth, a cadaver trial.
MEAN_COLOUR, MIN_COLOUR, TRIAL_COLOUR, TIP_COLOUR = "#1f4e79", "#8b0000", "#7B2D8E", "#333333"
#: The depth axis reaches at least this far (mm), the needle slider's default end, so that the
#: marks stay put while the needle moves.
MIN_SPAN_MM = 75


def _lines(row: pd.Series, what: str) -> list[str]:
    """What a mark means, in plain words (its hover text), one line each."""
    method = METHOD_WORDS.get(str(row["method"]), str(row["method"]))
    if what == "mean":
        sd = "" if pd.isna(row["sd_mm"]) else f", SD {row['sd_mm']:g}"
        head = f"Mean {row['mean_mm']:g} mm{sd}"
    elif what == "minimum":
        head = f"Shallowest measured {row['min_mm']:g} mm"
    else:
        head = f"Needle of {row['max_mm']:g} mm: pleural space breached in {row['breach_fraction']:.0%} of specimens"
    return [
        str(s)
        for s in (
            head,
            END_WORDS.get(str(row["end_point"]), row["end_point"]),
            method,
            row["population"],
            row["stat_note"],
        )
    ]


def _hover(row: pd.Series, what: str) -> str:
    return "<br>".join(html.escape(s) for s in _lines(row, what))


def bar_marks(rows: pd.DataFrame) -> list[dict]:
    """The rows of :func:`depth_rows` as the marks the bar draws: plain numbers (``None`` if unpublished)."""

    def num(v) -> float | None:
        return None if pd.isna(v) else float(v)

    marks = []
    for _, r in rows.iterrows():
        trial = r["end_point"] == "pleural_space_breach"
        mark = {
            "label": str(r["label"]),
            "mean": num(r["mean_mm"]),
            "sd": num(r["sd_mm"]),
            "min": num(r["min_mm"]),
            "trial": num(r["max_mm"]) if trial else None,
            "breach": num(r["breach_fraction"]) if trial else None,
        }
        for what, key in (("mean", "mean"), ("minimum", "min"), ("trial", "trial")):
            if mark[key] is not None:
                mark[f"{key}_tip"] = "\n".join(_lines(r, what))
        marks.append(mark)
    return marks


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def depth_svg(
    marks: list[dict],
    site_name: str,
    needle_mm: float,
    font_px: int = 14,
    width_px: int = 460,
    font_family: str = "DejaVu Sans, Arial, sans-serif",
) -> str:
    """The depth bar as one SVG element (every text escaped): rows of published depths and the needle.

    Each row is a published statistic: its label above a track on which the mean is a dot with its SD
    as a whisker, the shallowest depth measured a triangle, a cadaver needle trial a cross. The needle
    is a grey band on every row's track from the skin (0 mm) to its length, its tip a dark line. The
    depth axis spans at least :data:`MIN_SPAN_MM`, so the marks stay put as the needle moves. Numbers
    the tests read sit in ``data-*`` attributes: ``data-x0`` and ``data-px-per-mm`` on the ``svg``
    (x = x0 + mm * px_per_mm) and ``data-mm`` on each mark.
    """
    esc = html.escape
    f = float(font_px)
    pad = round(0.6 * f)
    deepest = [needle_mm]
    for m in marks:
        deepest += [m[k] + ((m["sd"] or 0) if k == "mean" else 0) for k in ("mean", "min", "trial") if m[k] is not None]
    span = 10 * math.ceil(max(MIN_SPAN_MM, *deepest) * 1.05 / 10)
    step = 10 if span <= 120 else 20
    x0 = pad + 0.4 * f
    x1 = width_px - pad - 1.2 * f
    per_mm = (x1 - x0) / span

    def x(mm: float) -> float:
        return x0 + mm * per_mm

    out: list[str] = []
    y = pad
    title_font = round(1.15 * f)
    title = textwrap.wrap(f"Published depths at {site_name}", max(16, int((width_px - 2 * pad) / (0.6 * title_font))))
    for line in title or [""]:
        y += 1.25 * title_font
        out.append(
            f'<text class="db-title" x="{pad}" y="{_f(y)}" font-size="{title_font}" font-weight="700">{esc(line)}</text>'
        )
    y += 0.5 * f + 1.3 * f  # the needle's label sits above the rows
    label_y = y - 0.35 * f
    top = y
    if not marks:
        y += 0.4 * f
        for line in textwrap.wrap(
            "No published depth matches this site, sex and build: that is no reassurance.",
            max(16, int((width_px - 2 * pad) / (0.56 * f))),
        ):
            y += 1.25 * f
            out.append(f'<text class="db-none" x="{pad}" y="{_f(y)}">{esc(line)}</text>')
        y += 0.6 * f
    chars = max(16, int((width_px - 2 * pad) / (0.56 * f)))
    rows_svg: list[str] = []
    labels: list[str] = []
    centers: list[float] = []
    for i, m in enumerate(marks):
        y += 0.35 * f
        for line in textwrap.wrap(m["label"], chars) or [""]:
            y += 1.2 * f
            labels.append(
                f'<text class="db-label" x="{pad}" y="{_f(y)}" paint-order="stroke" stroke="#fff" '
                f'stroke-width="{_f(0.3 * f)}" stroke-linejoin="round">{esc(line)}</text>'
            )
        cy = y + 0.95 * f
        centers.append(cy)
        rows_svg.append(
            f'<line class="db-track" x1="{_f(x0)}" x2="{_f(x1)}" y1="{_f(cy)}" y2="{_f(cy)}" stroke="#d0d0d0" stroke-width="1"/>'
        )
        r = 0.42 * f
        if m["mean"] is not None:
            if m["sd"]:
                a, b = x(max(0.0, m["mean"] - m["sd"])), x(m["mean"] + m["sd"])
                cap = 0.35 * f
                rows_svg.append(
                    f'<path class="db-sd" data-row="{i}" data-mm="{_f(m["sd"])}" d="M{_f(a)} {_f(cy)}H{_f(b)}'
                    f'M{_f(a)} {_f(cy - cap)}V{_f(cy + cap)}M{_f(b)} {_f(cy - cap)}V{_f(cy + cap)}" '
                    f'stroke="{MEAN_COLOUR}" stroke-width="2" fill="none"/>'
                )
            rows_svg.append(
                f'<circle class="db-mean" data-row="{i}" data-mm="{_f(m["mean"])}" cx="{_f(x(m["mean"]))}" cy="{_f(cy)}" '
                f'r="{_f(r)}" fill="{MEAN_COLOUR}"><title>{esc(m["mean_tip"])}</title></circle>'
            )
        if m["min"] is not None:
            tx, s = x(m["min"]), 0.55 * f
            rows_svg.append(
                f'<path class="db-min" data-row="{i}" data-mm="{_f(m["min"])}" d="M{_f(tx)} {_f(cy)}L{_f(tx + s)} {_f(cy - s * 0.8)}'
                f'V{_f(cy + s * 0.8)}Z" fill="{MIN_COLOUR}"><title>{esc(m["min_tip"])}</title></path>'
            )
        if m["trial"] is not None:
            tx, s = x(m["trial"]), 0.42 * f
            rows_svg.append(
                f'<path class="db-trial" data-row="{i}" data-mm="{_f(m["trial"])}" data-breach="{m["breach"]:g}" '
                f'd="M{_f(tx - s)} {_f(cy - s)}L{_f(tx + s)} {_f(cy + s)}M{_f(tx - s)} {_f(cy + s)}L{_f(tx + s)} {_f(cy - s)}" '
                f'stroke="{TRIAL_COLOUR}" stroke-width="3.5" stroke-linecap="round" fill="none">'
                f"<title>{esc(m['trial_tip'])}</title></path>"
            )
        y = cy + 0.9 * f
    bottom = y + 0.2 * f
    needle_x = x(needle_mm)
    shafts = "".join(  # the needle on each row's track, from the skin to its tip
        f'<rect x="{_f(x0)}" y="{_f(cy - 0.5 * f)}" width="{_f(needle_x - x0)}" height="{_f(f)}"/>' for cy in centers
    )
    band = f'<g class="db-needle" data-mm="{_f(needle_mm)}" fill="{NEEDLE_COLOUR}">{shafts}</g>'
    anchor = "end" if needle_x > width_px - 5 * f else "start" if needle_x < x0 + 4 * f else "middle"
    tip = (
        f'<line class="db-needle-tip" data-mm="{_f(needle_mm)}" x1="{_f(needle_x)}" x2="{_f(needle_x)}" '
        f'y1="{_f(top - 0.2 * f)}" y2="{_f(bottom)}" stroke="{TIP_COLOUR}" stroke-width="3"/>'
        f'<text class="db-needle-label" x="{_f(needle_x)}" y="{_f(label_y)}" text-anchor="{anchor}" font-weight="700">'
        f"Needle {esc(_f(needle_mm))} mm</text>"
    )
    axis = [
        f'<line class="db-axis" x1="{_f(x0)}" x2="{_f(x1)}" y1="{_f(bottom)}" y2="{_f(bottom)}" stroke="#333" stroke-width="1.2"/>'
    ]
    tick_font = round(0.9 * f)
    for mm in range(0, span + 1, step):
        tx = x(mm)
        axis.append(
            f'<line x1="{_f(tx)}" x2="{_f(tx)}" y1="{_f(bottom)}" y2="{_f(bottom + 0.35 * f)}" stroke="#333" stroke-width="1.2"/>'
            f'<text class="db-tick" x="{_f(tx)}" y="{_f(bottom + 0.4 * f + tick_font)}" text-anchor="middle" '
            f'font-size="{tick_font}">{mm}</text>'
        )
    y = bottom + 0.4 * f + tick_font + 1.35 * f
    axis.append(
        f'<text class="db-axis-title" x="{_f((x0 + x1) / 2)}" y="{_f(y)}" text-anchor="middle">Depth from the skin (mm)</text>'
    )
    legend = []
    kinds = [  # the needle is named by its own label
        ("mean", "Group mean" + (", whisker ±1 SD" if any(m["sd"] for m in marks) else "")),
        ("min", "Shallowest depth measured"),
        ("trial", "Cadaver needle tested (label: share breached)"),
    ]
    y += 0.4 * f
    for key, text in kinds:
        if not any(m[key] is not None for m in marks):
            continue
        y += 1.35 * f
        cx, cy, s = pad + 0.6 * f, y - 0.35 * f, 0.4 * f
        sym = {
            "mean": f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(s)}" fill="{MEAN_COLOUR}"/>',
            "min": f'<path d="M{_f(cx - s)} {_f(cy)}L{_f(cx + s)} {_f(cy - s)}V{_f(cy + s)}Z" fill="{MIN_COLOUR}"/>',
            "trial": f'<path d="M{_f(cx - s)} {_f(cy - s)}L{_f(cx + s)} {_f(cy + s)}M{_f(cx - s)} {_f(cy + s)}L{_f(cx + s)} {_f(cy - s)}" stroke="{TRIAL_COLOUR}" stroke-width="3" fill="none"/>',
        }[key]
        words = textwrap.wrap(text, max(12, int((width_px - 2 * pad - 1.7 * f) / (0.56 * f))))
        tspans = "".join(
            f'<tspan x="{_f(pad + 1.7 * f)}" dy="{0 if k == 0 else _f(1.2 * f)}">{esc(w)}</tspan>'
            for k, w in enumerate(words)
        )
        legend.append(f'<g class="db-key" data-key="{key}">{sym}<text y="{_f(y)}">{tspans}</text></g>')
        y += 1.2 * f * (len(words) - 1)
    height = y + pad
    summary = f"Published depths at {site_name} and a needle of {_f(needle_mm)} mm"
    return (
        f'<svg class="dnviz-depth-bar" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(summary)}" '
        f'width="{width_px}" height="{_f(height)}" viewBox="0 0 {width_px} {_f(height)}" '
        f'style="max-width:100%;height:auto;background:#fff" font-size="{_f(f)}" font-family="{esc(font_family)}" fill="#1a1a1a" '
        f'data-x0="{_f(x0)}" data-px-per-mm="{per_mm:.4f}" data-span-mm="{span}" data-needle-mm="{_f(needle_mm)}">'
        + "".join(out)
        + band
        + "".join(axis)
        + tip
        + "".join(labels)
        + "".join(rows_svg)
        + "".join(legend)
        + "</svg>"
    )


class DepthBar:
    """The published depths at a site and a needle, drawn as SVG in an ``ipywidgets.HTML`` (:attr:`widget`).

    :meth:`show` takes the rows of a needle check, :meth:`set_needle` redraws for a new length from the
    rows kept (no table work). :attr:`svg` is what is drawn; :attr:`figure` builds the same bar as a
    static plotly figure for export (``dnviz.save_figure(bar.figure, "bar.png")``).
    """

    def __init__(self, theme, font_px: int | None = None, width_px: int | None = None):
        self.theme = theme
        self.font_px = font_px or max(14, theme.font_size + 1)
        self.width_px = width_px or 460
        self.widget = ipywidgets.HTML(layout=ipywidgets.Layout(max_width="100%"))
        self.widget.add_class("dnviz-depth-bar-box")
        self.needle_mm: float | None = None
        self.site_name = ""
        self.marks: list[dict] = []
        self.labels: list[str] = []
        self._rows = pd.DataFrame()

    @property
    def svg(self) -> str:
        return self.widget.value

    def show(self, atlas, check) -> None:
        """Draw the rows of a needle check (site, sex, build) and its needle."""
        self._rows = depth_rows(atlas, check)
        self.marks = bar_marks(self._rows)
        self.labels = [m["label"] for m in self.marks]
        self.site_name = str(check.site_name)
        self.set_needle(check.needle_mm)

    def set_needle(self, needle_mm: float) -> None:
        """Redraw for a new needle length (the rows are kept)."""
        self.needle_mm = float(needle_mm)
        self.redraw()

    def resize(self, font_px: int, width_px: int) -> None:
        """New sizes (presenting), redrawn."""
        self.font_px, self.width_px = int(font_px), int(width_px)
        if self.needle_mm is not None:
            self.redraw()

    def redraw(self) -> None:
        self.widget.value = depth_svg(
            self.marks, self.site_name, self.needle_mm, self.font_px, self.width_px, self.theme.font_family
        )

    @property
    def figure(self) -> go.Figure:
        """The same bar as a static plotly figure, for export (built on each call, never a FigureWidget)."""
        return depth_figure(self._rows, self.site_name, self.needle_mm or 0.0, self.theme)


def depth_figure(rows: pd.DataFrame, site_name: str, needle_mm: float, theme) -> go.Figure:
    """The depth bar as a static plotly figure (rows of :func:`depth_rows`), for PNG, SVG or PDF export."""
    big = theme.name == "present"
    lines = textwrap.wrap(str(site_name), 40) or [""]
    top = round(40 + 1.3 * theme.title_size * (len(lines) + 1))
    fig = go.Figure(
        layout=dict(
            width=760 if big else 520,
            height=top + 90 + max(140, round(2.4 * theme.font_size) * len(rows)),
            margin=dict(l=10, r=20, t=top, b=90),
            font=dict(size=theme.font_size, family=theme.font_family),
            title=dict(
                text="Published depths at<br>" + "<br>".join(map(html.escape, lines)),
                font=dict(size=theme.title_size),
            ),
            xaxis=dict(title="Depth from the skin (mm)", rangemode="tozero", zeroline=True),
            yaxis=dict(automargin=True, autorange="reversed"),
            showlegend=True,
            legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="bottom", yref="container"),
            plot_bgcolor="white",
            meta={"layer": "depth-bar"},
        )
    )
    if len(rows):
        mean = rows[rows["mean_mm"].notna()]
        sd = [0 if pd.isna(s) else s for s in mean["sd_mm"]]
        layers = [  # (rows, x column, marker, legend name, hover kind, layer)
            (
                mean,
                "mean_mm",
                dict(size=12, color=MEAN_COLOUR),
                "Mean (whisker: SD where published)",
                "mean",
                "depth-mean",
            ),
            (
                rows[rows["min_mm"].notna()],
                "min_mm",
                dict(size=13, symbol="triangle-left", color=MIN_COLOUR),
                "Shallowest measured",
                "minimum",
                "depth-min",
            ),
            (
                rows[rows["end_point"] == "pleural_space_breach"],
                "max_mm",
                dict(size=12, symbol="x", color=TRIAL_COLOUR),
                "Cadaver needle tested (share breached)",
                "trial",
                "depth-trial",
            ),
        ]
        fig.add_traces(
            [
                go.Scatter(
                    x=list(frame[column]),
                    y=[html.escape(v) for v in frame["label"]],
                    **({"error_x": dict(type="data", array=sd, visible=True)} if layer == "depth-mean" else {}),
                    mode="markers",
                    marker=marker,
                    name=name,
                    hovertext=[_hover(r, kind) for _, r in frame.iterrows()],
                    hoverinfo="text",
                    meta={"layer": layer},
                )
                for frame, column, marker, name, kind, layer in layers
                if len(frame)
            ]
        )
    deepest = [needle_mm] + [float(v) for t in fig.data for v in t.x if v is not None]
    for name, shape in (
        ("needle", dict(type="rect", x0=0, x1=needle_mm, fillcolor=NEEDLE_COLOUR, line=dict(width=0), layer="below")),
        ("needle-tip", dict(type="line", x0=needle_mm, x1=needle_mm, line=dict(color=TIP_COLOUR, width=3))),
    ):
        fig.add_shape(name=name, xref="x", yref="paper", y0=0, y1=1, **shape)
    fig.add_annotation(
        x=needle_mm,
        y=1.0,
        xref="x",
        yref="paper",
        yanchor="bottom",
        text=f"needle {needle_mm:g} mm",
        showarrow=False,
        font=dict(size=theme.font_size),
        name="needle-label",
    )
    fig.update_xaxes(range=[0, max(deepest) * 1.15 + 2])
    return fig

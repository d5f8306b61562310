"""The safety explorer's depth bar: a needle's length drawn against the published depths at one site.

One row per published statistic of ``atlas.depths`` that :func:`dnviz.needle.needle_check` kept for
the chosen site, sex and build: the mean with its SD as a whisker, the shallowest depth measured,
and, for cadaver needle trials, each needle length tested with the fraction of specimens in which
it breached the pleural space. The needle is a grey band from the skin to its length, moved in
place as the slider moves. Nothing here calls a depth safe: the caption says what each number is.

Also where each depth site is marked on the body map (:data:`SITE_MARKS`): a drawing aid placed
between landmarks from the site's published description, not a needling position.
"""

from __future__ import annotations

import html
import textwrap

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
    return f"<p class='dnviz-depth-caption' style='font-size:smaller'>{html.escape(text)}</p>"


class DepthBar:
    """A plotly FigureWidget of the published depths at a site; :meth:`show` redraws rows, :meth:`set_needle` the needle."""

    def __init__(self, theme):
        self.theme = theme
        big = theme.name == "present"
        self.figure = go.FigureWidget(
            layout=dict(
                width=760 if big else 520,
                height=360 if big else 300,
                margin=dict(l=10, r=20, t=60, b=90),
                font=dict(size=theme.font_size, family=theme.font_family),
                title=dict(text="Published depths", font=dict(size=theme.title_size)),
                xaxis=dict(title="Depth from the skin (mm)", rangemode="tozero", zeroline=True),
                yaxis=dict(automargin=True, autorange="reversed"),
                showlegend=True,
                legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="bottom", yref="container"),
                plot_bgcolor="white",
                meta={"layer": "depth-bar"},
            )
        )
        self.needle_mm: float | None = None
        self.labels: list[str] = []

    def show(self, atlas, check) -> None:
        """Draw the rows of a needle check (site, sex, build) and its needle."""
        rows = depth_rows(atlas, check)
        self.labels = list(rows["label"])
        mean = rows[rows["mean_mm"].notna()]
        sd = [0 if pd.isna(s) else s for s in mean["sd_mm"]]
        layers = [  # (rows, x column, marker, legend name, hover kind, layer)
            (
                mean,
                "mean_mm",
                dict(size=12, color="#1f4e79"),
                "Mean (whisker: SD where published)",
                "mean",
                "depth-mean",
            ),
            (
                rows[rows["min_mm"].notna()],
                "min_mm",
                dict(size=13, symbol="triangle-left", color="#8b0000"),
                "Shallowest measured",
                "minimum",
                "depth-min",
            ),
            (
                rows[rows["end_point"] == "pleural_space_breach"],
                "max_mm",
                dict(size=12, symbol="x", color="#7B2D8E"),
                "Cadaver needle tested (share breached)",
                "trial",
                "depth-trial",
            ),
        ]
        traces = [
            go.Scatter(
                x=list(frame[column]),
                y=list(frame["label"]),
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
        with self.figure.batch_update():
            self.figure.data = []
            self.figure.add_traces(traces)
            lines = textwrap.wrap(str(check.site_name), 40) or [""]
            self.figure.layout.title.text = "Published depths at<br>" + "<br>".join(map(html.escape, lines))
            top = round(40 + 1.3 * self.theme.title_size * (len(lines) + 1))
            self.figure.layout.margin.t = top
            self.figure.layout.height = top + 90 + max(140, round(2.4 * self.theme.font_size) * len(rows))
        self.set_needle(check.needle_mm)

    def set_needle(self, needle_mm: float) -> None:
        """Move the needle band to a new length (in place: the rows are not redrawn)."""
        self.needle_mm = float(needle_mm)
        deepest = [self.needle_mm]
        for t in self.figure.data:
            deepest += [float(v) + 0 for v in t.x if v is not None]
        with self.figure.batch_update():
            self.figure.layout.shapes = [
                dict(
                    type="rect",
                    xref="x",
                    yref="paper",
                    x0=0,
                    x1=self.needle_mm,
                    y0=0,
                    y1=1,
                    fillcolor=NEEDLE_COLOUR,
                    line=dict(width=0),
                    layer="below",
                    name="needle",
                ),
                dict(
                    type="line",
                    xref="x",
                    yref="paper",
                    x0=self.needle_mm,
                    x1=self.needle_mm,
                    y0=0,
                    y1=1,
                    line=dict(color="#333333", width=3),
                    name="needle-tip",
                ),
            ]
            self.figure.layout.annotations = [
                dict(
                    x=self.needle_mm,
                    y=1.0,
                    xref="x",
                    yref="paper",
                    yanchor="bottom",
                    text=f"needle {self.needle_mm:g} mm",
                    showarrow=False,
                    font=dict(size=self.theme.font_size),
                    name="needle-label",
                )
            ]
            self.figure.layout.xaxis.range = [0, max(deepest) * 1.15 + 2]


def _hover(row: pd.Series, what: str) -> str:
    esc = html.escape
    method = METHOD_WORDS.get(str(row["method"]), str(row["method"]))
    if what == "mean":
        sd = "" if pd.isna(row["sd_mm"]) else f", SD {row['sd_mm']:g}"
        head = f"Mean {row['mean_mm']:g} mm{sd}"
    elif what == "minimum":
        head = f"Shallowest measured {row['min_mm']:g} mm"
    else:
        head = f"Needle of {row['max_mm']:g} mm: pleural space breached in {row['breach_fraction']:.0%} of specimens"
    return "<br>".join(
        esc(str(s))
        for s in (
            head,
            END_WORDS.get(str(row["end_point"]), row["end_point"]),
            method,
            row["population"],
            row["stat_note"],
        )
    )

"""The plotly renderer of a scene: one trace per shape, styled by its role and the theme.

The scene's text is plain; here it is escaped for plotly's HTML-like labels (line breaks become
``<br>``). The renderer knows styles, never clinical rules.
"""

from __future__ import annotations

import html

from dnviz.scene.pattern import WEAK_GRADES
from dnviz.themes import Theme

WEAK_OPACITY = 0.5
"""How much lighter a zone that rests only on web pages is drawn (see :func:`weak_zone_style`)."""


def esc(text: object) -> str:
    """Escape data text for plotly's HTML-like labels."""
    return html.escape(str(text), quote=False)


def label(text: object) -> str:
    """Escaped text with its line breaks as ``<br>``."""
    return esc(text).replace("\n", "<br>")


def area_trace(view, shape, offset, name: str, meta: dict, **style) -> dict:
    """A filled region (hover and click on the fill) as a plain trace dict; ``style`` adds colours."""
    from dnviz.scene.coords import polygon_xy

    xs, ys = polygon_xy(view, shape, offset)
    return _area(xs, ys, name, meta, **style)


def _area(xs, ys, name, meta, **style) -> dict:
    return dict(
        type="scatter",
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        hoveron="fills",
        name=name,
        showlegend=False,
        meta=meta,
        **style,
    )


def lines_trace(xs: list, ys: list, name: str, meta: dict, line: dict) -> dict:
    """None-separated polylines with no hover and no legend entry (skeleton, outlines) as a trace dict."""
    return dict(
        type="scatter", x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False, name=name, meta=meta, line=line
    )


def _pattern(shape: str, colour: str, size: int, solidity: float) -> dict:
    return dict(shape=shape, fgcolor=colour, size=size, solidity=solidity)


def _spill(th: Theme, colour: str) -> dict:
    return dict(fillcolor="rgba(255,255,255,0)", fillpattern=_pattern(th.spillover_pattern, colour, 7, 0.45))


def area_style(role: str, th: Theme, colour: str, tier: str | None = None) -> dict:
    """Fill and line of an area shape by its role."""
    high, caution, low = th.safety_colours
    if role == "body":
        return dict(fillcolor=th.skin, line=dict(color=th.outline, width=th.line_width), hoverinfo="skip")
    if role == "region":
        return dict(fillcolor="rgba(255,255,255,0.01)", line=dict(color=th.region_line, width=0.6))
    if role == "pain":
        return dict(fillcolor=th.pain_colour, opacity=0.55, line=dict(color=th.pain_colour, width=th.line_width))
    if role == "zone-essential":
        return dict(fillcolor=colour, opacity=th.essential_opacity, line=dict(color=colour, width=0.8))
    if role == "zone-spillover":
        return dict(line=dict(color=colour, width=th.line_width), **_spill(th, colour))
    if role in ("muscle-outline", "muscle-outline-deep"):
        deep = role.endswith("deep")
        return dict(
            fillcolor="rgba(139,69,56,0.10)" if th.name != "print" else "rgba(0,0,0,0.05)",
            line=dict(color=th.muscle_line, width=th.line_width * 1.4, dash="dash" if deep else "solid"),
        )
    if role == "safety-high":
        return dict(fillcolor="rgba(0,0,0,0)", line=dict(width=0, color=high), fillpattern=_pattern("/", high, 9, 0.35))
    if role == "safety-caution":
        return dict(
            fillcolor="rgba(0,0,0,0)", line=dict(width=0, color=caution), fillpattern=_pattern("\\", caution, 9, 0.3)
        )
    if role == "safety-recess":
        return dict(fillcolor="rgba(0,0,0,0)", line=dict(width=0, color=low), fillpattern=_pattern(".", high, 5, 0.25))
    if role == "safety-sternum":
        return dict(
            fillcolor="rgba(0,0,0,0)",
            line=dict(width=1.0, color=high, dash="dot"),
            fillpattern=_pattern("/", high, 9, 0.35),
        )
    if role == "safety-apex":
        return dict(fillcolor=low, opacity=0.45, line=dict(width=0.8, color=high, dash="dot"))
    if role == "danger-zone":
        c = {"high": high, "caution": caution}.get(tier or "", low)
        return dict(
            fillcolor="rgba(0,0,0,0)",
            line=dict(color=c, width=th.line_width, dash="dot"),
            fillpattern=_pattern("x", c, 8, 0.3),
        )
    if role == "locator-body":
        return dict(fillcolor=th.skin, line=dict(color=th.outline, width=0.8), hoverinfo="skip")
    raise KeyError(f"no area style for role {role!r}")


def weak_zone_style(role: str, style: dict) -> dict:
    """A zone that rests only on web pages: the same colour, lighter, with a dotted edge."""
    style = {**style, "line": {**style.get("line", {}), "dash": "dot"}}
    if role == "zone-essential":
        style["opacity"] = round(style.get("opacity", 1.0) * WEAK_OPACITY, 3)
    elif "fillpattern" in style:
        pattern = style["fillpattern"]
        style["fillpattern"] = {**pattern, "solidity": round(pattern.get("solidity", 0.45) * WEAK_OPACITY, 3)}
    return style


def line_style(role: str, th: Theme) -> dict:
    high = th.safety_colours[0]
    return {
        "skeleton": dict(color=th.skeleton, width=th.skeleton_width),
        "region-lines": dict(color=th.region_line, width=0.6),
        "safety-pleura": dict(color=high, width=th.line_width * 1.3, dash="solid"),
        "safety-lung": dict(color=high, width=th.line_width * 1.3, dash="dash"),
        "tp-leader": dict(color=th.tp_colour, width=0.8),
        "safety-leader": dict(color=high, width=0.8),
        "locator-window": dict(color=th.tp_colour, width=1.6),
    }[role]


def cross_marker(th: Theme) -> dict:
    return dict(
        symbol="x-thin",
        size=th.tp_size,
        color=th.tp_colour,
        line=dict(width=max(2.0, th.line_width * 1.6), color=th.tp_colour),
    )


def render_shape(s: dict, th: Theme) -> dict:
    """One scene shape as a plotly trace dict."""
    role, geometry, meta = s["role"], s["geometry"], s["meta"]
    colour = th.colour(s.get("colour", 0))
    name = label(s["name"])
    if geometry == "area":
        style = area_style(role, th, colour, s.get("tier"))
        if s.get("grade") in WEAK_GRADES:
            style = weak_zone_style(role, style)
        trace = _area(s["x"], s["y"], name, meta, **style)
        if role in ("zone-essential", "zone-spillover") or role.startswith("muscle-outline"):
            trace["legendgroup"] = meta.get("muscle_id")
        return trace
    if geometry == "lines":
        return lines_trace(s["x"], s["y"], name, meta, line_style(role, th))
    if role == "region-names":
        return dict(
            type="scatter",
            x=s["x"],
            y=s["y"],
            mode="markers",
            marker=dict(size=6, opacity=0),
            text=[label(t) for t in s["text"]],
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
            name=name,
            meta=meta,
        )
    if role == "trigger-points":
        hover = ["<b>" + label(h[0]) + "</b><br>" + "<br>".join(label(x) for x in h[1:]) for h in s["hover"]]
        return dict(
            type="scatter",
            x=s["x"],
            y=s["y"],
            mode="markers",
            text=hover,
            customdata=s["text"],
            hovertemplate="%{text}<extra></extra>",
            name=name,
            marker=cross_marker(th),
            showlegend=False,
            meta=meta,
        )
    if role == "landmarks":
        return dict(
            type="scatter",
            x=s["x"],
            y=s["y"],
            mode="markers",
            text=[label(t) for t in s["text"]],
            marker=dict(symbol="circle", size=max(5, th.tp_size // 2), color="#333333"),
            hovertemplate="%{text}<extra></extra>",
            name="Landmarks",
            showlegend=False,
            meta=meta,
        )
    if geometry == "text":
        size = {
            "tp-label": th.font_size,
            "safety-label": th.font_size - 1,
            "danger-label": th.font_size - 2,
            "landmark-label": max(9, round(th.font_size * 0.85)),
            "deep-label": max(9, round(th.font_size * 0.85)),
        }
        colour = {
            "tp-label": th.tp_colour,
            "safety-label": th.safety_colours[0],
            "danger-label": th.safety_colours[0],
            "landmark-label": "#333333",
            "deep-label": th.muscle_line,
        }.get(role, "#222222")
        return dict(
            type="scatter",
            x=s["x"],
            y=s["y"],
            mode="text",
            text=[
                label(t)
                if role == "landmark-label"
                else f"<i>{label(t)}</i>"
                if role == "deep-label"
                else f"<b>{label(t)}</b>"
                for t in s["text"]
            ],
            textposition="middle center",
            textfont=dict(size=size.get(role, th.font_size), color=colour),
            hoverinfo="skip",
            showlegend=False,
            name=name,
            meta=meta,
        )
    if geometry == "legend":
        return legend_trace(s["style"], s["name"], th)
    raise KeyError(f"no style for shape {role!r} ({geometry})")


def legend_trace(role: str, text: str, th: Theme, colour: str | None = None) -> dict:
    """A legend entry that draws nothing, styled like its role."""
    blank = dict(type="scatter", x=[None], y=[None], mode="lines", hoverinfo="skip", meta={"layer": "legend"})
    if role in ("safety-pleura",):
        return {**blank, "name": label(text), "line": dict(color=th.safety_colours[0], dash="dash")}
    if role == "trigger-points":
        return {
            **blank,
            "mode": "markers",
            "name": label(text),
            "marker": dict(symbol="x-thin", size=th.tp_size, line=dict(width=2, color=th.tp_colour)),
        }
    style = area_style(role, th, colour or th.colour(0), "caution" if role == "danger-zone" else None)
    style.pop("hoverinfo", None)
    if role == "zone-spillover" or role.startswith("muscle-outline"):
        style["line"] = dict(color=colour, **({"dash": "dash"} if role.endswith("deep") else {}))
    if role == "zone-essential":
        style["line"] = dict(color=colour)
    if role == "danger-zone":
        style["line"] = dict(color=th.safety_colours[1], dash="dot")
    if role == "safety-high":
        style["line"] = dict(color=th.safety_colours[0])
    if role == "safety-caution":
        style["line"] = dict(color=th.safety_colours[1])
    return {**blank, "fill": "toself", "name": label(text), **style}

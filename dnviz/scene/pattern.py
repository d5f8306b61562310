"""A muscle's pattern as shapes: the muscle under it, its zones, and its numbered trigger points."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from dnviz import geometry as geo
from dnviz.citations import sources_label
from dnviz.scene.coords import Panel, plot_xy, polygon_xy, region_views, tp_on_view
from dnviz.scene.shapes import shape, view_sides
from dnviz.vocabulary import referral_sides

GRADE_WORDS = {
    "manual": "the Trigger Point Manual",
    "study": "a published study",
    "derived": "a source derived from the manual",
    "reference": "a reference work",
    "web": "web pages only, weaker",
}
"""What each evidence grade of a referral row (referrals.grade) means, in words for the hover."""
WEAK_GRADES = frozenset({"web"})
"""Grades drawn lighter, with a dotted edge: zones that rest only on clinic or self-help pages."""


def tp_number(atlas, tp_id: str) -> int:
    """The number a trigger point carries on the map: the data's own (``...tp2`` is 2), else its order."""
    found = re.search(r"tp(\d+)$", tp_id)
    if found:
        return int(found.group(1))
    muscle_id = atlas.trigger_points.at[tp_id, "muscle_id"]
    ids = list(atlas.trigger_points.index[atlas.trigger_points["muscle_id"] == muscle_id])
    return ids.index(tp_id) + 1


def landmark_name(landmark_id: str) -> str:
    """A short name for a landmark, as an anatomy plate labels it (``c7_spinous`` -> ``C7``)."""
    named = {
        "asis": "ASIS",
        "psis": "PSIS",
        "tmj": "TMJ",
        "sc_joint": "Sternoclavicular joint",
        "scapular_spine_root": "Root of the spine of the scapula",
        "scapular_spine_mid": "Spine of the scapula",
        "external_occipital_protuberance": "External occipital protuberance",
        "iliac_crest_top": "Iliac crest",
        "sternal_angle": "Sternal angle (2nd rib)",
    }
    if landmark_id in named:
        return named[landmark_id]
    spine = re.fullmatch(r"([ctl])(\d+)_spinous", landmark_id)
    if spine:
        return f"{spine.group(1).upper()}{spine.group(2)} spinous process"
    rib = re.fullmatch(r"rib(\d+)_(\w+)", landmark_id)
    if rib:
        n = int(rib.group(1))
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
        where = {"mcl": "midclavicular", "mal": "midaxillary", "sternal": "at the sternum"}.get(
            rib.group(2), rib.group(2)
        )
        return f"{n}{suffix} rib, {where}"
    text = landmark_id.replace("_", " ")
    return text[0].upper() + text[1:]


def _cm(value: float) -> str:
    return f"{abs(value):g} cm"


def where_in_words(atlas, tp_id: str) -> str:
    """Where a trigger point sits, measured from its landmark in words (the data's offsets)."""
    tp = atlas.trigger_points.loc[tp_id]
    dx, dy = float(tp["dx_cm"]), float(tp["dy_cm"])
    parts = []
    if dx:
        parts.append(f"{_cm(dx)} {'lateral to' if dx > 0 else 'medial to'}")
    if dy:
        parts.append(f"{_cm(dy)} {'above' if dy > 0 else 'below'}")
    name = landmark_name(tp["landmark_id"])
    if not parts:
        return f"At the {name}"
    return f"About {' and '.join(parts)} the {name}"


def _selected_tps(atlas, muscle_id: str, tp: str | None) -> list[str]:
    tps = list(atlas.trigger_points.index[atlas.trigger_points["muscle_id"] == muscle_id])
    return [tp] if tp in tps else tps


def pattern_shapes(
    atlas,
    panels: Mapping[str, Panel],
    muscle_ids: Sequence[str],
    sides: Sequence[str],
    tp: str | None = None,
    hide_names: bool = False,
) -> tuple[list[dict], list[dict]]:
    """(zones, trigger points) of each muscle, spillover first and essential on top; ``tp`` keeps one."""
    zones: list[dict] = []
    crosses: list[dict] = []
    for i, muscle_id in enumerate(muscle_ids):
        mname = "" if hide_names else str(atlas.muscles.at[muscle_id, "name"])
        keep = _selected_tps(atlas, muscle_id, tp)
        pattern = atlas.referral_pattern(muscle_id)
        pattern = pattern[pattern["tp_id"].isin(keep)]
        for row in pattern.sort_values("kind").itertuples():  # spillover first, essential on top
            for view in region_views(atlas, row.region_id):
                if view not in panels:
                    continue
                for tp_side in sides:
                    for side in referral_sides(row.laterality, tp_side):
                        if side not in view_sides(view):
                            continue
                        xs, ys = polygon_xy(view, geo.region_polygon(view, row.region_id, side), panels[view])
                        grade = str(row.grade)
                        label = (
                            f"{mname} {row.label}: {row.kind} zone, {side} {str(row.region_name).lower()},"
                            f" evidence: {GRADE_WORDS.get(grade, grade)} ({sources_label(atlas, row.source_ids)})"
                        ).strip()
                        meta = {
                            "muscle_id": muscle_id,
                            "region_id": row.region_id,
                            "side": side,
                            "tp_id": row.tp_id,
                            "grade": grade,
                        }
                        zones.append(
                            shape(f"zone-{row.kind}", "area", view, xs, ys, label, colour=i, meta=meta, grade=grade)
                        )
        for view, panel in panels.items():
            xs: list = []
            ys: list = []
            hover: list = []
            numbers: list = []
            ids: list = []
            for tp_id in keep:
                tp_row = atlas.trigger_points.loc[tp_id]
                for side in sides:
                    if side not in view_sides(view):
                        continue
                    here = tp_on_view(atlas, tp_id, view, side)
                    if here is None:
                        continue
                    px, py = plot_xy(view, [here], panel)
                    xs += px
                    ys += py
                    number = tp_number(atlas, tp_id)
                    numbers.append(str(number))
                    ids.append(tp_id)
                    hover.append(
                        [
                            f"{mname} trigger point {number}: {tp_row['label']} ({side})".strip(),
                            where_in_words(atlas, tp_id),
                            str(tp_row["location"]),
                            f"Source: {sources_label(atlas, tp_row['source_ids'])}",
                        ]
                    )
            if xs:
                crosses.append(
                    shape(
                        "trigger-points",
                        "points",
                        view,
                        xs,
                        ys,
                        f"{mname} trigger point".strip(),
                        text=numbers,
                        hover=hover,
                        colour=i,
                        meta={"muscle_id": muscle_id, "tp_ids": ids},
                    )
                )
    return zones, crosses


def _outlines(atlas, muscle_id: str, side: str, views) -> list:
    """(view, part, deep, polygon) of each outline ring (helper module :mod:`dnviz.outlines`)."""
    try:
        from dnviz import outlines
    except ImportError:  # the outlines table has not landed in this checkout
        return []
    if hasattr(outlines, "muscle_outlines"):
        return [(o.view, o.part, o.deep, o.polygon) for o in outlines.muscle_outlines(atlas, muscle_id, side, views)]
    out = []
    for view in views:
        polygon = outlines.muscle_outline(atlas, muscle_id, view, side)
        if polygon is not None:
            out.append((view, "main", False, polygon))
    return out


def outline_shapes(atlas, panels: Mapping[str, Panel], muscle_ids: Sequence[str], sides: Sequence[str]) -> list[dict]:
    """The muscle under its pattern; deep parts are dashed and named deep."""
    out = []
    for i, muscle_id in enumerate(muscle_ids):
        name = str(atlas.muscles.at[muscle_id, "name"])
        for side in sides:
            views = [v for v in panels if side in view_sides(v)]
            for view, part, deep, polygon in _outlines(atlas, muscle_id, side, views):
                if view not in panels or polygon is None or polygon.is_empty:
                    continue
                xs, ys = polygon_xy(view, polygon, panels[view])
                part_name = "" if part == "main" else f" {part}"
                label = f"{name}{part_name} ({side}{', deep' if deep else ''})"
                point = polygon.representative_point()
                lx, ly = plot_xy(view, [(point.x, point.y)], panels[view])
                out.append(
                    shape(
                        "muscle-outline-deep" if deep else "muscle-outline",
                        "area",
                        view,
                        xs,
                        ys,
                        label,
                        colour=i,
                        deep=bool(deep),
                        label_xy=[lx[0], ly[0]],
                        meta={"muscle_id": muscle_id, "side": side, "part": str(part)},
                    )
                )
    out += [
        shape(
            "deep-label",
            "text",
            s["view"],
            [s["label_xy"][0]],
            [s["label_xy"][1]],
            "deep",
            text=["deep"],
            meta={"muscle_id": s["meta"]["muscle_id"], "side": s["meta"]["side"]},
        )
        for s in out
        if s["deep"]
    ]
    return out

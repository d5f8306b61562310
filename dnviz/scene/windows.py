"""Regional windows: which views to show and which box of each, for a pattern or a body area.

``"whole"`` is every requested view, whole, side by side. A named window (``"head_neck"``,
``"shoulder_arm"``, ``"forearm_hand"``, ``"trunk"``, ``"hip_thigh"``, ``"leg_foot"``) frames that
body area, from the region groups of the geometry. ``"auto"`` frames what is selected (a pattern's
zones and trigger points, or marked regions), on as few views as show all of it, with context to
orient: the whole head (skull and jaw) when it is on the head, seen from behind or the side, and
when it is on the neck; the shoulder when it is on the arm, the elbow for the forearm and hand, the
hip for the thigh, the knee for the leg and foot.

All boxes are in plot coordinates of a view before its panel offset (``to_plot_x`` applied).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from shapely.geometry import Point, box
from shapely.ops import unary_union

from dnviz import geometry as geo
from dnviz.scene.coords import tp_on_view, whole_panels
from dnviz.scene.shapes import view_sides

#: Named windows -> the region groups of the geometry they frame, and whether they are one-sided (limbs).
NAMED = {
    "head_neck": (("head", "neck"), False),
    "shoulder_arm": (("shoulder", "arm", "elbow"), True),
    "forearm_hand": (("elbow", "forearm", "hand"), True),
    "trunk": (("chest", "abdomen", "upper_back", "low_back", "trunk"), False),
    "hip_thigh": (("hip", "thigh", "knee"), True),
    "leg_foot": (("knee", "leg", "foot"), True),
}
WINDOWS: tuple[str, ...] = ("auto", "whole", *NAMED)

#: Auto context: a pattern touching the group gets the landmark (or the group) added to its window.
CONTEXT = (
    ("head", "group:head"),
    ("neck", "group:head"),
    ("arm", "acromion"),
    ("forearm", "lateral_epicondyle"),
    ("hand", "radial_styloid"),
    ("thigh", "greater_trochanter"),
    ("leg", "fibular_head"),
    ("foot", "lateral_malleolus"),
)
#: Context kept to some views: a head pattern gets the whole head (skull and jaw) from behind and from
#: the side, where the skull's outline is what orients; from the front the face does, and the whole
#: head would shrink a small face pattern (orbicularis oculi, lateral pterygoid) under the 20% target.
CONTEXT_VIEWS = {"head": ("posterior", "lateral_right", "lateral_left")}
PAD_CM = 1.5
PAD_SHARE = 0.05
MIN_SIDE_CM = 12.0
LOCATOR_SHARE = 0.36  # the locator's height, as a share of the window's


def _plot_box(view: str, bounds) -> list[float]:
    x0, y0, x1, y1 = bounds
    a, b = geo.to_plot_x(view, x0), geo.to_plot_x(view, x1)
    return [min(a, b), y0, max(a, b), y1]


def _union(boxes: Iterable[Sequence[float]]) -> list[float] | None:
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


@lru_cache(maxsize=4096)
def _grown(view: str, region_id: str, side: str):
    """A region grown by 5 mm and prepared for point tests (a trigger point on a border belongs to both)."""
    from shapely import prepare

    area = geo.region_polygon(view, region_id, side).buffer(0.5)
    prepare(area)
    return area


def _groups_of(view: str, region_id: str) -> set[str]:
    groups = geo.load_body().view(view).region_groups
    return {g for g, members in groups.items() if region_id in members}


def _group_area(view: str, group: str, side: str):
    members = geo.load_body().view(view).region_groups.get(group, ())
    shapes = [geo.region_polygon(view, r, side) for r in members if r in geo.load_body().view(view).regions]
    return unary_union(shapes) if shapes else None


def pattern_items(atlas, views: Sequence[str], zones: Sequence[tuple], tps: Sequence[tuple]) -> dict[str, dict]:
    """Per view, what of a selection it can draw: shapes (region, side), points (tp, side) and groups."""
    body = geo.load_body()
    out: dict[str, dict] = {}
    for view in views:
        regions = body.view(view).regions
        sides = view_sides(view)
        items: dict = {"keys": set(), "shapes": [], "groups": set(), "sides": set()}
        for region_id, side in zones:
            if region_id in regions and side in sides:
                items["keys"].add(("zone", region_id, side))
                items["shapes"].append(geo.region_polygon(view, region_id, side))
                items["groups"] |= _groups_of(view, region_id)
                items["sides"].add(side)
        for tp_id, side in tps:
            here = tp_on_view(atlas, tp_id, view, side) if side in sides else None
            if here is not None:
                x, y = here
                items["keys"].add(("tp", tp_id, side))
                here = Point(x, y)
                items["shapes"].append(here)
                items["sides"].add(side)
                for region_id in regions:
                    if _grown(view, region_id, side).contains(here):
                        items["groups"] |= _groups_of(view, region_id)
        out[view] = items
    return out


def _groups_under(view: str, shapes: Iterable, sides: Iterable[str]) -> set[str]:
    """The groups of the regions holding a point inside each shape (where the muscle itself lies)."""
    regions = geo.load_body().view(view).regions
    out: set[str] = set()
    for polygon in shapes:
        here = polygon.representative_point()
        for side in sides:
            out |= {g for r in regions if _grown(view, r, side).contains(here) for g in _groups_of(view, r)}
    return out


def choose_views(items: dict[str, dict]) -> list[str]:
    """The fewest views that show every item (greedy cover, most items first; ties in view order)."""
    left = set().union(*(i["keys"] for i in items.values())) if items else set()
    order = list(items)
    chosen: list[str] = []
    while left:
        best = max(order, key=lambda v: (len(items[v]["keys"] & left), -order.index(v)))
        gained = items[best]["keys"] & left
        if not gained:
            break
        chosen.append(best)
        left -= gained
    return [v for v in order if v in chosen]


def _context_box(view: str, groups: set[str], sides: set[str]):
    landmarks = geo.load_body().view(view).landmarks
    boxes = []
    for group, what in CONTEXT:
        if group not in groups or view not in CONTEXT_VIEWS.get(group, (view,)):
            continue
        for side in sides:
            if what.startswith("group:"):
                area = _group_area(view, what.removeprefix("group:"), side)
                if area is not None:
                    boxes.append(_plot_box(view, area.bounds))
            elif what in landmarks:
                x, y = geo.landmark(view, what, side)
                px = geo.to_plot_x(view, x)
                boxes.append([px - 3, y - 3, px + 3, y + 3])
    return _union(boxes)


def _pad(b: list[float]) -> list[float]:
    x0, y0, x1, y1 = b
    pad = PAD_CM + PAD_SHARE * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    if x1 - x0 < MIN_SIDE_CM:
        c = (x0 + x1) / 2
        x0, x1 = c - MIN_SIDE_CM / 2, c + MIN_SIDE_CM / 2
    if y1 - y0 < MIN_SIDE_CM:
        c = (y0 + y1) / 2
        y0, y1 = c - MIN_SIDE_CM / 2, c + MIN_SIDE_CM / 2
    minx, _, maxx, top = geo.load_body().outline.bounds
    return [max(x0, minx - 1), max(y0, -1.0), min(x1, maxx + 1), min(y1, top + 1)]


def frame_panels(view_boxes: dict[str, list[float]]) -> dict[str, dict]:
    """Panels for boxes of views set side by side, sharing one height (y is the body's own)."""
    y0 = min(b[1] for b in view_boxes.values())
    y1 = max(b[3] for b in view_boxes.values())
    gap = max(3.0, 0.08 * (y1 - y0))
    panels = {}
    cursor = 0.0
    for view, (bx0, _, bx1, _) in view_boxes.items():
        dx = cursor - bx0
        panels[view] = {"dx": dx, "dy": 0.0, "box": [cursor, y0, cursor + bx1 - bx0, y1]}
        cursor += bx1 - bx0 + gap
    return panels


def auto_boxes(atlas, views, zones, tps, sides, extra=None) -> dict[str, list[float]] | None:
    """The auto window's box per chosen view, or None when nothing is selected.

    ``extra`` maps a view to more shapes the window must hold there (the muscle's outline); the
    groups where they lie add context as the pattern's do (a neck muscle gets the head). They do
    not choose the views, except that when none of the chosen views has any, the view with them that
    shows most of the pattern is added (a muscle outlined only from the front or back is still drawn
    when its pattern is best seen from the side).
    """
    items = pattern_items(atlas, views, zones, tps)
    chosen = choose_views(items)
    if not chosen:
        return None
    outlined = [v for v in items if (extra or {}).get(v)]
    if outlined and not set(chosen) & set(outlined):  # the muscle under its pattern: one view must show it
        order = list(items)
        best = max(outlined, key=lambda v: (len(items[v]["keys"]), -order.index(v)))
        chosen = [v for v in order if v in chosen or v == best]
    out = {}
    for view in chosen:
        found = items[view]
        outline = (extra or {}).get(view, ())
        target = _plot_box(view, unary_union([*found["shapes"], *outline]).bounds)
        shown = found["sides"] or set(sides)
        # the muscle's own place orients too: the scalenes' point sits above the clavicle (shoulder), the muscle on the neck
        context = _context_box(view, found["groups"] | _groups_under(view, outline, shown), shown)
        out[view] = _pad(_union([target, context]))
    y0 = min(b[1] for b in out.values())
    y1 = max(b[3] for b in out.values())
    return {v: [b[0], y0, b[2], y1] for v, b in out.items()}


def named_boxes(name: str, views: Sequence[str], sides: Sequence[str]) -> dict[str, list[float]]:
    """A named window's box per view (every view that has the area)."""
    groups, one_sided = NAMED[name]
    out = {}
    for view in views:
        shown = [s for s in (sides if one_sided else view_sides(view)) if s in view_sides(view)]
        areas = [a for g in groups for s in shown if (a := _group_area(view, g, s)) is not None]
        if areas:
            out[view] = _pad(_plot_box(view, unary_union(areas).bounds))
    y0 = min(b[1] for b in out.values())
    y1 = max(b[3] for b in out.values())
    return {v: [b[0], y0, b[2], y1] for v, b in out.items()}


def window_panels(
    atlas, window: str, views, zones=(), tps=(), sides=("right",), extra=None
) -> tuple[str, dict[str, dict]]:
    """(the window drawn, panels): ``"auto"`` with nothing selected draws the whole body."""
    if window == "auto":
        boxes = auto_boxes(atlas, views, zones, tps, sides, extra)
        if boxes is None:
            return "whole", whole_panels(views)
        return "auto", frame_panels(boxes)
    if window == "whole":
        return "whole", whole_panels(views)
    return window, frame_panels(named_boxes(window, views, sides))


def frame_of(panels: dict[str, dict]) -> list[float]:
    """The bounding box of every panel (plot coordinates)."""
    return _union(p["box"] for p in panels.values())


def with_locator(frame: list[float]) -> list[float]:
    """The frame grown by the locator's column (what :func:`locator_shapes` adds)."""
    minx, _, maxx, top = geo.load_body().outline.bounds
    x0, y0, x1, y1 = frame
    s = LOCATOR_SHARE * (y1 - y0) / top
    return [x0, y0, x1 + max(2.0, 0.04 * (y1 - y0)) + s * (maxx - minx) + 1.0, y1]


def locator_shapes(panels: dict[str, dict], frame: list[float]) -> tuple[list[dict], list[float]]:
    """A small whole-body silhouette right of the window, with the window's boxes drawn on it.

    Returns the shapes and the frame grown to hold the locator.
    """
    from dnviz.scene.shapes import shape

    outline = geo.load_body().outline
    minx, _, maxx, top = outline.bounds
    x0, y0, x1, y1 = frame
    s = LOCATOR_SHARE * (y1 - y0) / top
    gap = max(2.0, 0.04 * (y1 - y0))
    left = x1 + gap
    ox, oy = left - s * minx, y1 - s * top  # top aligned with the window
    ring = list(outline.exterior.coords)
    xs = [round(ox + s * x, 2) for x, _ in ring]
    ys = [round(oy + s * y, 2) for _, y in ring]
    shapes = [shape("locator-body", "area", None, xs, ys, "Where the window is")]
    bx: list = []
    by: list = []
    for view, panel in panels.items():
        px0, py0, px1, py1 = panel["box"]
        # back to body x (either way round), then onto the locator's front-facing silhouette
        ax, bx_ = sorted((geo.to_plot_x(view, px0 - panel["dx"]), geo.to_plot_x(view, px1 - panel["dx"])))
        if view not in ("anterior", "posterior"):  # a lateral box spans front to back: mark its height only
            ax, bx_ = minx * 0.5, maxx * 0.5
        rect = box(ox + s * ax, oy + s * py0, ox + s * bx_, oy + s * py1)
        rx, ry = rect.exterior.xy
        bx += [*(round(v, 2) for v in rx), None]
        by += [*(round(v, 2) for v in ry), None]
    shapes.append(shape("locator-window", "lines", None, bx[:-1], by[:-1], "The window"))
    grown = [x0, y0, ox + s * maxx + 1.0, y1]
    return shapes, grown

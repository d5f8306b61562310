"""Figure themes: ``screen``, ``present`` (the back of a classroom) and ``print`` (black and white).

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms of
colour blindness.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dnviz.vocabulary import check_choice

#: Okabe & Ito (2008) colour-blind-safe palette, without black and yellow (too weak on skin).
OKABE_ITO = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


@dataclass(frozen=True)
class Theme:
    """Sizes and colours shared by every ``plot_*`` function."""

    name: str
    font_size: int
    title_size: int
    line_width: float
    skin: str
    outline: str
    region_line: str
    skeleton: str
    skeleton_width: float
    palette: tuple[str, ...]
    tp_size: int
    tp_colour: str
    essential_opacity: float
    spillover_pattern: str
    pain_colour: str
    width: int
    height: int
    safety_colours: tuple[str, str, str]  # high, caution, low
    font_family: str = "DejaVu Sans, Arial, sans-serif"
    muscle_line: str = "#8B4538"  # the muscle's outline under its pattern

    def colour(self, i: int) -> str:
        return self.palette[i % len(self.palette)]


SCREEN = Theme(
    name="screen",
    font_size=13,
    title_size=18,
    line_width=1.2,
    skin="#F6EBE1",
    outline="#8C6D5A",
    region_line="rgba(120,100,90,0.35)",
    skeleton="rgba(95,110,140,0.45)",
    skeleton_width=1.0,
    palette=OKABE_ITO,
    tp_size=13,
    tp_colour="#111111",
    essential_opacity=0.72,
    spillover_pattern=".",
    pain_colour="#56B4E9",
    width=1000,
    height=820,
    safety_colours=("#7B2D8E", "#C17FD0", "#E6CFEA"),
)

PRESENT = replace(
    SCREEN,
    name="present",
    font_size=22,
    title_size=30,
    line_width=2.4,
    skeleton_width=1.8,
    tp_size=22,
    width=1400,
    height=1050,
)

PRINT = replace(
    SCREEN,
    name="print",
    skin="#FFFFFF",
    outline="#000000",
    region_line="rgba(0,0,0,0.25)",
    skeleton="rgba(0,0,0,0.35)",
    palette=("#000000", "#555555", "#888888"),
    tp_colour="#000000",
    essential_opacity=0.55,
    pain_colour="#9A9A9A",
    safety_colours=("#3A3A3A", "#7A7A7A", "#BBBBBB"),
    muscle_line="#333333",
)

THEMES = {t.name: t for t in (SCREEN, PRESENT, PRINT)}


def get_theme(theme: str | Theme) -> Theme:
    """Return a :class:`Theme` by name; raises ``ValueError`` naming the choices."""
    if isinstance(theme, Theme):
        return theme
    return THEMES[check_choice("theme", theme, tuple(THEMES))]

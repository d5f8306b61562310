"""dnviz: an open, cited, safety-first atlas of myofascial trigger points for dry-needling education.

Load the atlas, ask it questions, draw body maps, explore them in JupyterLab.

>>> import dnviz
>>> atlas = dnviz.load_atlas()
>>> atlas.find_muscle("QL")["name"]
'Quadratus lumborum'

Educational use only: nothing here is clinical guidance.
"""

from dnviz._constants import DISCLAIMER
from dnviz.atlas import Atlas, load_atlas
from dnviz.exceptions import (
    AtlasValidationError,
    MuscleNotFoundError,
    NotFoundError,
    Problem,
    RegionNotFoundError,
    SiteNotFoundError,
    SourceNotFoundError,
    SymptomNotFoundError,
)

# Names whose modules import plotly or ipywidgets are loaded on first use (module-level __getattr__,
# PEP 562), so `import dnviz` stays light: a Voila kernel imports only what its page draws.
_LAZY = {
    "save_figure": "dnviz.export",
    "reveal": "dnviz.notebook",
    "show_facts": "dnviz.notebook",
    "plot_body_map": "dnviz.plotting",
    "plot_referral_density": "dnviz.density",
    "plot_forest": "dnviz.teaching",
    "plot_needle_direction": "dnviz.teaching",
    "plot_side_effects": "dnviz.teaching",
    "classroom_app": "dnviz.widgets",
    "explore_muscles": "dnviz.widgets",
    "explore_safety": "dnviz.widgets",
    "pain_finder": "dnviz.widgets",
    "quiz": "dnviz.widgets.quiz",  # not the package: its attribute "quiz" is the module once imported
    "quiz_questions": "dnviz.widgets",
    "screening_checklist": "dnviz.widgets",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dnviz' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "DISCLAIMER",
    "Atlas",
    "AtlasValidationError",
    "MuscleNotFoundError",
    "NotFoundError",
    "Problem",
    "RegionNotFoundError",
    "SiteNotFoundError",
    "SourceNotFoundError",
    "SymptomNotFoundError",
    "classroom_app",
    "explore_muscles",
    "explore_safety",
    "load_atlas",
    "pain_finder",
    "plot_body_map",
    "plot_forest",
    "plot_needle_direction",
    "plot_referral_density",
    "plot_side_effects",
    "quiz",
    "quiz_questions",
    "reveal",
    "save_figure",
    "screening_checklist",
    "show_facts",
]

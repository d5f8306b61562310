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
)
from dnviz.export import save_figure
from dnviz.notebook import reveal, show_facts
from dnviz.plotting import plot_body_map
from dnviz.teaching import plot_forest, plot_needle_direction, plot_side_effects
from dnviz.widgets import (
    classroom_app,
    explore_muscles,
    explore_safety,
    pain_finder,
    quiz,
    quiz_questions,
    screening_checklist,
)

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
    "classroom_app",
    "explore_muscles",
    "explore_safety",
    "load_atlas",
    "pain_finder",
    "plot_body_map",
    "plot_forest",
    "plot_needle_direction",
    "plot_side_effects",
    "quiz",
    "quiz_questions",
    "reveal",
    "save_figure",
    "screening_checklist",
    "show_facts",
]

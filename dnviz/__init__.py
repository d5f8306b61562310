"""dnviz: an open, cited, safety-first atlas of myofascial trigger points for dry-needling education.

Load the atlas, ask it questions, draw body maps, explore them in JupyterLab.

>>> import dnviz
>>> atlas = dnviz.load_atlas()
>>> atlas.find_muscle("QL")["name"]
'Quadratus lumborum'

Educational use only: nothing here is clinical guidance.
"""

from dnviz._queries import MuscleNotFoundError, RegionNotFoundError
from dnviz._validation import AtlasValidationError, Problem
from dnviz.atlas import Atlas, load_atlas
from dnviz.export import save_figure
from dnviz.plotting import plot_body_map

__version__ = "0.1.0"

DISCLAIMER = (
    "Educational use only: dnviz is a teaching aid, not clinical guidance. Anatomy varies between "
    "people; dry needling must be learned and performed under qualified supervision."
)

__all__ = [
    "DISCLAIMER",
    "Atlas",
    "AtlasValidationError",
    "MuscleNotFoundError",
    "Problem",
    "RegionNotFoundError",
    "load_atlas",
    "plot_body_map",
    "save_figure",
]

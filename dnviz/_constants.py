"""Text shared by figures, widgets and notebooks."""

DISCLAIMER = (
    "Educational use only: dnviz is a teaching aid, not clinical guidance. Anatomy varies between "
    "people; dry needling must be learned and performed under qualified supervision."
)

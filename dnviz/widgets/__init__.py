"""Interactive explorers for JupyterLab and Voila: muscles, pain finder, safety, quiz.

Each ``explore_*`` function returns a displayable ipywidgets box whose state is readable and
settable from Python (traitlets), so notebooks and tests can drive it. The body map is one
``go.FigureWidget`` built once; interactions only change the data of fixed traces inside
``batch_update()``. An exception in a callback is shown in the widget in plain words and the
widget stays usable.
"""

from dnviz.widgets._base import Explorer, muscle_card
from dnviz.widgets.classroom import ClassroomApp, classroom_app
from dnviz.widgets.muscles import MuscleExplorer, explore_muscles
from dnviz.widgets.pain import PainFinder, pain_finder
from dnviz.widgets.quiz import Quiz, quiz, quiz_questions
from dnviz.widgets.safety import SafetyExplorer, ScreeningChecklist, explore_safety, screening_checklist

__all__ = [
    "ClassroomApp",
    "Explorer",
    "MuscleExplorer",
    "PainFinder",
    "Quiz",
    "SafetyExplorer",
    "ScreeningChecklist",
    "classroom_app",
    "explore_muscles",
    "explore_safety",
    "muscle_card",
    "pain_finder",
    "quiz",
    "quiz_questions",
    "screening_checklist",
]

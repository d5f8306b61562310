"""Interactive explorers for JupyterLab and Voila: muscles, pain finder, safety, quiz.

Each ``explore_*`` function returns a displayable ipywidgets box whose state is readable and
settable from Python (traitlets), so notebooks and tests can drive it. The body map is a
:class:`~dnviz.widgets.map.BodyMap` drawn in the browser as SVG from the scene, whose data
(:class:`~dnviz.widgets.map.MapData`) reach the page once per atlas: what only changes the picture
(a muscle, a side, a trigger point, a hover, a click on a region) repaints without the kernel.
An exception in a callback is shown in the widget in plain words and the widget stays usable.

The explorers' modules are imported on first use (module-level ``__getattr__``), so a page loads
only the explorers it shows.
"""

from dnviz import _lean

_lean.skip_unused_imports()  # only with DNVIZ_LEAN_KERNEL=1 (make class): see dnviz/_lean.py

_LAZY = {
    "Explorer": "dnviz.widgets._base",
    "BodyMap": "dnviz.widgets.map",
    "MapData": "dnviz.widgets.map",
    "muscle_card": "dnviz.widgets._base",
    "ClassroomApp": "dnviz.widgets.classroom",
    "classroom_app": "dnviz.widgets.classroom",
    "MuscleExplorer": "dnviz.widgets.muscles",
    "explore_muscles": "dnviz.widgets.muscles",
    "PainFinder": "dnviz.widgets.pain",
    "pain_finder": "dnviz.widgets.pain",
    "Quiz": "dnviz.widgets.quiz",
    "quiz": "dnviz.widgets.quiz",
    "quiz_questions": "dnviz.widgets.quiz",
    "SafetyExplorer": "dnviz.widgets.safety",
    "ScreeningChecklist": "dnviz.widgets.safety",
    "explore_safety": "dnviz.widgets.safety",
    "screening_checklist": "dnviz.widgets.safety",
}

__all__ = [
    "BodyMap",
    "ClassroomApp",
    "Explorer",
    "MapData",
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


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dnviz.widgets' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

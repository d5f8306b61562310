"""The words dnviz uses everywhere: views, sides, laterality, referral kinds, risk tiers.

One place for each list, one check for every choice a caller makes (:func:`check_choice`), and
the laterality rule that maps a trigger point's side to the sides of its referral zones.
``tests/test_vocabulary.py`` checks these lists against ``data/dictionary.csv``.

>>> from dnviz.vocabulary import check_choice, referral_sides
>>> check_choice("side", "left", SIDES)
'left'
>>> referral_sides("contralateral", "left")
('right',)
"""

from __future__ import annotations

import decimal
import difflib
import math
import numbers
from collections.abc import Collection

#: Body views that have geometry (data/geometry/body.json), in drawing order: the front, the back and the
#: two profiles (each lateral view shows one side; the left one is the mirror of the right).
VIEWS: tuple[str, ...] = ("anterior", "posterior", "lateral_right", "lateral_left")
#: What ``view="both"`` means: the front and the back, side by side (the figure of the manual's plates).
FRONT_AND_BACK: tuple[str, ...] = VIEWS[:2]
#: The patient's sides. Laterality is always the patient's, never the viewer's.
SIDES: tuple[str, ...] = ("left", "right")
#: What a caller may pass for "every view" or "both sides".
BOTH = "both"
VIEW_CHOICES: tuple[str, ...] = (*VIEWS, BOTH)
SIDE_CHOICES: tuple[str, ...] = (*SIDES, BOTH)

#: Referral zone kinds, in the order of the ordered categorical (spillover < essential).
KINDS: tuple[str, ...] = ("spillover", "essential")
#: Where a zone lies relative to its trigger point's side.
LATERALITIES: tuple[str, ...] = ("ipsilateral", "contralateral", "bilateral")
#: Safety tier ids, most serious first (``atlas.safety_tiers``).
TIERS: tuple[str, ...] = ("high", "caution", "low")
#: A muscle's pneumothorax risk flag, in the order of the ordered categorical (none < high).
PNEUMOTHORAX_RISKS: tuple[str, ...] = ("none", "caution", "high")
#: Body areas that group the muscles, head to foot, and how a page names them.
BODY_AREAS: tuple[str, ...] = ("head_neck", "shoulder_upper_limb", "trunk", "hip_lower_limb")
BODY_AREA_NAMES: dict[str, str] = {
    "head_neck": "Head and neck",
    "shoulder_upper_limb": "Shoulder and upper limb",
    "trunk": "Trunk",
    "hip_lower_limb": "Hip and lower limb",
}
#: Sex and WHO adult BMI group as the needle check takes them (the depths table adds ``all``).
SEXES: tuple[str, ...] = ("male", "female")
BMI_GROUPS: tuple[str, ...] = ("underweight", "normal", "overweight", "obese")

_LISTED = 20  # longer lists of choices are shortened in messages, after the closest matches


def check_choice(name: str, value: object, allowed: Collection) -> object:
    """Return ``value`` if it is one of ``allowed``; otherwise raise a ValueError that says so.

    Parameters
    ----------
    name : str
        The parameter's name as the caller typed it (``"view"``, ``"side"``, ``"theme"``).
    value : object
        What was given.
    allowed : collection
        The allowed values (a tuple keeps its order in the message; a set or mapping is sorted).

    Returns
    -------
    object
        ``value`` itself, so a check can sit inside an expression.

    Raises
    ------
    ValueError
        Naming the parameter, the allowed values and what was given, with the closest match
        when the value is a near-miss string. ``True`` is never taken for ``1``.

    Examples
    --------
    >>> check_choice("view", "front", VIEW_CHOICES)
    Traceback (most recent call last):
    ...
    ValueError: view must be one of 'anterior', 'posterior', 'lateral_right', 'lateral_left', 'both', not 'front'
    """
    try:
        ok = value in allowed and not (isinstance(value, bool) and not any(isinstance(a, bool) for a in allowed))
    except TypeError:  # an unhashable value asked of a set or a mapping
        ok = False
    if ok:
        return value
    choices = list(allowed) if isinstance(allowed, (tuple, list)) else sorted(allowed, key=str)
    listed = ", ".join(map(repr, choices[:_LISTED]))
    if len(choices) > _LISTED:
        listed += f" and {len(choices) - _LISTED} more"
    close = (
        difflib.get_close_matches(value, [c for c in choices if isinstance(c, str)], n=3, cutoff=0.7)
        if isinstance(value, str)
        else []
    )
    hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
    raise ValueError(f"{name} must be one of {listed}, not {value!r}{hint}")


def check_number(
    name: str, value: object, low: float, high: float, *, low_open: bool = False, meaning: str = ""
) -> float:
    """Return ``value`` as a float if it is a real number within ``[low, high]``; else raise ValueError.

    A number is an ``int``, ``float``, numpy number, :class:`~fractions.Fraction` or
    :class:`~decimal.Decimal`. ``True``/``False``, text (``"30"``), complex numbers, NaN and
    infinities are refused, so that ``needle_check(site, True)`` is never read as a 1 mm needle.

    Parameters
    ----------
    name : str
        The parameter's name as the caller typed it.
    value : object
        What was given.
    low, high : float
        The accepted range, both ends included unless ``low_open``.
    low_open : bool
        Exclude ``low`` itself (a length must be more than 0).
    meaning : str
        What the number is, for the message (``"a needle length in mm"``).

    Examples
    --------
    >>> check_number("needle_mm", 30, 0, 150, low_open=True)
    30.0
    >>> check_number("needle_mm", True, 0, 150, low_open=True, meaning="a needle length in mm")
    Traceback (most recent call last):
    ...
    ValueError: needle_mm must be a number (a needle length in mm) more than 0 and at most 150, not True (a bool)
    """
    what = f" ({meaning})" if meaning else ""
    bounds = f"{'more than' if low_open else 'at least'} {low:g} and at most {high:g}"
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, decimal.Decimal)):  # numpy bools are not Real
        kind = type(value).__name__
        raise ValueError(f"{name} must be a number{what} {bounds}, not {value!r} (a {kind})")
    number = float(value)
    if not math.isfinite(number) or number < low or number > high or (low_open and number == low):
        raise ValueError(f"{name} must be a number{what} {bounds}, not {value!r}")
    return number


def check_count(name: str, value: object, low: int, high: int, *, meaning: str = "") -> int:
    """Return ``value`` as an int if it is a whole number within ``[low, high]``; else raise ValueError.

    Like :func:`check_number`, but for counts (``n`` questions, ``choices`` per question): a bool,
    text or a fraction such as 2.5 is refused, a float with no fraction (``3.0``) is taken.

    Examples
    --------
    >>> check_count("n", 10, 1, 1000)
    10
    >>> check_count("choices", True, 2, 10, meaning="options per question")
    Traceback (most recent call last):
    ...
    ValueError: choices must be a whole number (options per question) at least 2 and at most 10, not True (a bool)
    """
    what = f" ({meaning})" if meaning else ""
    bounds = f"at least {low} and at most {high}"
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, decimal.Decimal)):
        raise ValueError(f"{name} must be a whole number{what} {bounds}, not {value!r} (a {type(value).__name__})")
    number = float(value)
    if not math.isfinite(number) or number != int(number) or not low <= number <= high:
        raise ValueError(f"{name} must be a whole number{what} {bounds}, not {value!r}")
    return int(number)


def views(view: str) -> tuple[str, ...]:
    """The views meant by a ``view`` argument: one view, or the front and the back for ``"both"``.

    >>> views("both")
    ('anterior', 'posterior')
    """
    check_choice("view", view, VIEW_CHOICES)
    return FRONT_AND_BACK if view == BOTH else (view,)


def sides(side: str) -> tuple[str, ...]:
    """The sides meant by a ``side`` argument: one side, or both for ``"both"``.

    >>> sides("right")
    ('right',)
    """
    check_choice("side", side, SIDE_CHOICES)
    return SIDES if side == BOTH else (side,)


def other_side(side: str) -> str:
    """The opposite side: ``"left"`` for ``"right"`` and back."""
    return SIDES[1 - SIDES.index(check_choice("side", side, SIDES))]


def referral_sides(laterality: str, side: str) -> tuple[str, ...]:
    """Sides of the body where a referral zone appears for a trigger point on ``side``.

    The rule is its own inverse, so it also gives the sides of the muscle whose trigger point
    refers pain to ``side`` (the reverse look-up).

    Parameters
    ----------
    laterality : {"ipsilateral", "contralateral", "bilateral"}
    side : {"left", "right"}

    Examples
    --------
    >>> referral_sides("ipsilateral", "right"), referral_sides("bilateral", "right")
    (('right',), ('left', 'right'))
    """
    laterality = str(laterality)
    check_choice("laterality", laterality, LATERALITIES)
    check_choice("side", side, SIDES)
    if laterality == "ipsilateral":
        return (side,)
    return (other_side(side),) if laterality == "contralateral" else SIDES

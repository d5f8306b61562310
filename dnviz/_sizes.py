"""Figure sizes: one check for the ``width`` and ``height`` of every ``plot_*`` function.

Below a minimum a figure stops being a figure: the margins for the title and the educational-use
line take the whole height and plotly divides by zero, mirrors the body or turns it upside down.
So a size is a whole, finite number of pixels between a stated minimum and :data:`MAX_PIXELS`;
anything else (``True``, ``nan``, ``-5``, ``"500"``) is refused with a message that names the
parameter, the limits and what was given.

>>> check_size("height", 500, minimum=400)
500
>>> check_size("height", None, minimum=400) is None
True
>>> check_size("width", 150, minimum=300, figure="a one-view body map")
Traceback (most recent call last):
...
ValueError: width must be at least 300 pixels for a one-view body map, not 150: pass a larger width, or leave it out for the theme's default
"""

from __future__ import annotations

import math
import numbers

#: The largest width or height any ``plot_*`` function accepts (an image export of a larger
#: figure would take minutes and gigabytes).
MAX_PIXELS = 10_000


def check_size(name: str, value: object, minimum: int, figure: str = "this figure") -> int | None:
    """Return ``value`` as whole pixels, or ``None`` for the default; ValueError if it cannot be drawn.

    Parameters
    ----------
    name : str
        The parameter's name as the caller typed it (``"width"`` or ``"height"``).
    value : int, float or None
        What was given; ``None`` means the theme's default. A float is rounded to whole pixels.
    minimum : int
        The smallest size that still draws a legible figure (stated in each function's docstring).
    figure : str
        What is being drawn, for the message ("a two-view body map").

    Returns
    -------
    int or None

    Raises
    ------
    ValueError
        For booleans, non-numbers, NaN, infinities, and values below ``minimum`` or above
        :data:`MAX_PIXELS`; the message names the parameter, the limits and the value.
    """
    if value is None:
        return None
    fix = f"pass a larger {name}, or leave it out for the theme's default"
    if isinstance(value, bool) or type(value).__name__ == "bool_" or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a number of pixels between {minimum} and {MAX_PIXELS} for {figure}, "
            f"not {value!r}: pass a whole number such as {name}={max(minimum, 600)}, or leave it out for the theme's default"
        )
    if math.isnan(value) or value < minimum:
        raise ValueError(f"{name} must be at least {minimum} pixels for {figure}, not {value!r}: {fix}")
    if value > MAX_PIXELS:
        raise ValueError(
            f"{name} must be at most {MAX_PIXELS} pixels, not {value!r}: pass a smaller {name} "
            "(for a sharper image export, raise save_figure's scale instead)"
        )
    return round(float(value))

"""Helpers the teaching notebooks call: hidden exercise answers and cited fact lists.

The notebooks hold no logic of their own; what they need lives here, tested. Every piece of text
that reaches HTML is escaped first, so a fact or an answer can never inject markup or script.

>>> import dnviz
>>> answer = dnviz.reveal("The **upper trapezius**.")
>>> answer.shown
False
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import ipywidgets

__all__ = ["Reveal", "escape_markdown", "reveal"]

DEFAULT_LABEL = "Show the answer"
# Code spans and fenced blocks: markdown shows their content literally, so it is never HTML.
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]+`)", re.DOTALL)


def escape_markdown(text: str) -> str:
    """Escape HTML in markdown text, keeping the markdown itself (bold, lists, code).

    ``<``, ``>`` and ``&`` are escaped outside code; inside code spans and fenced blocks markdown
    already shows them literally.

    Examples
    --------
    >>> escape_markdown("**bold** <script>alert(1)</script> and `a < b`")
    '**bold** &lt;script&gt;alert(1)&lt;/script&gt; and `a < b`'
    """
    if not isinstance(text, str):
        raise TypeError(f"escape_markdown expects a str, got {type(text).__name__}")
    parts = _CODE.split(text)
    return "".join(part if i % 2 else html.escape(part, quote=False) for i, part in enumerate(parts))


class Reveal(ipywidgets.Accordion):
    """A collapsed "Show the answer" control; the answers are drawn only when it is opened.

    Build it with :func:`reveal`. It is an ipywidgets ``Accordion`` holding one ``Output``: on
    Run All only the closed title shows; opening it (a click in JupyterLab or Voila, or
    ``selected_index = 0`` from Python) draws the answers into the output, once. Drawing on
    first opening also lets a plotly figure size itself to a visible container.
    """

    def __init__(self, answers: Iterable[object], label: str = DEFAULT_LABEL) -> None:
        self.answers = tuple(_displayable(a) for a in answers)
        self.output = ipywidgets.Output()
        super().__init__(children=[self.output], titles=(str(label),), selected_index=None)
        self._drawn = False
        self.observe(self._on_toggle, names="selected_index")

    @property
    def shown(self) -> bool:
        """Whether the answers have been drawn (the control was opened at least once)."""
        return self._drawn

    def show(self) -> None:
        """Open the control and draw the answers (what a click on the title does)."""
        self.selected_index = 0

    def hide(self) -> None:
        """Close the control again; the drawn answers stay ready for the next opening."""
        self.selected_index = None

    def _on_toggle(self, change: dict) -> None:
        if change["new"] is None or self._drawn:
            return
        self._drawn = True
        from IPython import get_ipython
        from IPython.display import display

        if getattr(get_ipython(), "kernel", None) is None:  # plain Python: store the mime bundles
            for answer in self.answers:
                self.output.append_display_data(answer)
            return
        with self.output:  # in a kernel: the usual ipywidgets capture, rich outputs included
            for answer in self.answers:
                display(answer)


def _displayable(answer: object) -> object:
    """Text becomes escaped markdown; anything else (DataFrame, figure, widget) is shown as is."""
    if isinstance(answer, str):
        from IPython.display import Markdown

        return Markdown(escape_markdown(answer))
    return answer


def reveal(*answers: object, label: str = DEFAULT_LABEL) -> Reveal:
    """Hide an exercise's answer behind a collapsed control until a student asks for it.

    Parameters
    ----------
    *answers : str, DataFrame, plotly Figure or any displayable object
        What the control shows when opened, in order. A ``str`` is markdown (bold, lists, code
        fences for preformatted text); any HTML in it is escaped and shows as text.
    label : str, default "Show the answer"
        The title of the closed control.

    Returns
    -------
    Reveal
        An ipywidgets ``Accordion``: make it the last expression of a cell (or ``display`` it).
        It works wherever ipywidgets do (JupyterLab, Notebook 7, Voila). In Markdown cells, a
        text-only answer can use ``<details><summary>Show the answer</summary>...</details>``.

    Examples
    --------
    >>> import dnviz
    >>> atlas = dnviz.load_atlas()
    >>> answer = dnviz.reveal(
    ...     f"**{atlas.find_muscle('SCM')['name']}** refers to the head.",
    ...     atlas.referral_pattern("SCM")[["label", "region_name"]].head(2),
    ...     label="Show one possible answer",
    ... )
    >>> answer.selected_index is None, answer.shown
    (True, False)
    >>> answer.show()
    >>> answer.shown
    True
    """
    if not answers:
        raise ValueError("reveal() needs at least one answer to hide, e.g. dnviz.reveal('The answer is ...')")
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"reveal(label=...) must be a non-empty str, got {label!r}")
    return Reveal(answers, label=label)

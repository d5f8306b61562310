"""Helpers the teaching notebooks call: hidden exercise answers and cited fact lists.

The notebooks hold no logic of their own; what they need lives here, tested. Every piece of text
that reaches HTML is escaped first, so a fact or an answer can never inject markup or script.

>>> import dnviz
>>> answer = dnviz.reveal("The **upper trapezius**.")
>>> answer.shown
False
>>> atlas = dnviz.load_atlas()
>>> print(dnviz.show_facts(atlas, "seed_emergency"))  # doctest: +ELLIPSIS
- ... (seed_emergency; source: ...)
<BLANKLINE>
References
1. ...
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import ipywidgets
import pandas as pd

if TYPE_CHECKING:
    from dnviz.atlas import Atlas

__all__ = ["FactList", "Reveal", "escape_markdown", "reveal", "show_facts"]

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
        # A wide figure scrolls inside the panel instead of being cut off at its edge.
        self.output = ipywidgets.Output(layout=ipywidgets.Layout(overflow="auto"))
        super().__init__(children=[self.output], titles=(str(label),), selected_index=None)
        self.add_class("dnviz-reveal")
        self._drawn = False
        self.observe(self._on_toggle, names="selected_index")

    def __repr__(self) -> str:
        # What a page without a widget renderer shows instead (GitHub, a static export): no answer.
        state = "shown" if self._drawn else "closed"
        return f"[{self.titles[0]}: {len(self.answers)} hidden answer(s), {state}; run the notebook to open it]"

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


# ------------------------------------------------------------------------------------- show_facts
class FactList:
    """Cited facts as a notebook shows them: one line each, then the full references.

    Built by :func:`show_facts`. Jupyter displays it as HTML (every statement, unit, id and
    citation escaped: a fact's text is data, never markup); ``str()`` gives the same as text.
    """

    def __init__(self, rows: pd.DataFrame, references: list[str]) -> None:
        self.facts = rows
        self.references = references

    def _lines(self) -> list[tuple[str, str, str, list[str]]]:
        lines = []
        for fact_id, row in self.facts.iterrows():
            value = ""
            if not pd.isna(row["value"]):
                unit = "" if pd.isna(row["unit"]) else f" {row['unit']}"
                value = f"{row['value']:.10g}{unit}"
            lines.append((str(row["statement"]), value, str(fact_id), [str(s) for s in row["source_ids"]]))
        return lines

    def _repr_html_(self) -> str:
        e = html.escape
        items = []
        for statement, value, fact_id, sources in self._lines():
            shown_value = f" <strong>[{e(value)}]</strong>" if value else ""
            label = "source" if len(sources) == 1 else "sources"
            codes = ", ".join(f"<code>{e(s)}</code>" for s in sources)
            items.append(f"<li>{e(statement)}{shown_value} (<code>{e(fact_id)}</code>; {label}: {codes})</li>")
        refs = "".join(f"<li>{e(ref)}</li>" for ref in self.references)
        if not items:
            return '<div class="dnviz-facts"><p><em>No facts.</em></p></div>'
        return (
            f'<div class="dnviz-facts"><ul>{"".join(items)}</ul><p><strong>References</strong></p><ol>{refs}</ol></div>'
        )

    def __str__(self) -> str:
        lines = []
        for statement, value, fact_id, sources in self._lines():
            shown_value = f" [{value}]" if value else ""
            label = "source" if len(sources) == 1 else "sources"
            lines.append(f"- {statement}{shown_value} ({fact_id}; {label}: {', '.join(sources)})")
        if not lines:
            return "No facts."
        lines += ["", "References"] + [f"{i}. {ref}" for i, ref in enumerate(self.references, 1)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<FactList: {len(self.facts)} facts, {len(self.references)} references>"

    def __len__(self) -> int:
        return len(self.facts)


def show_facts(atlas: Atlas, *fact_ids: str, topic: str | None = None) -> FactList:
    """Cited facts from ``atlas.facts``, by id or a whole topic, with their full references.

    Parameters
    ----------
    atlas : Atlas
        From :func:`dnviz.load_atlas`.
    *fact_ids : str
        Ids from ``atlas.facts.index``, shown in the order given.
    topic : str, optional
        Instead of ids, every fact of one topic (``atlas.facts["topic"]``), in table order.

    Returns
    -------
    FactList
        Displays as an escaped HTML list when it is the last expression of a cell.

    Raises
    ------
    ValueError
        Ids and a topic together, neither, an unknown topic, or unknown ids (named, with the
        closest known ids).

    Examples
    --------
    >>> import dnviz
    >>> atlas = dnviz.load_atlas()
    >>> len(dnviz.show_facts(atlas, topic="surface_anatomy")) > 0
    True
    """
    facts = atlas.facts
    if fact_ids and topic is not None:
        raise ValueError("show_facts takes fact ids or topic=..., not both")
    if topic is not None:
        topics = [str(t) for t in pd.unique(facts["topic"].astype(str))]
        if topic not in topics:
            raise ValueError(f"show_facts: unknown topic {topic!r}; topics in atlas.facts: {', '.join(sorted(topics))}")
        rows = facts[facts["topic"].astype(str) == topic]
    elif fact_ids:
        ids = [str(i) for i in fact_ids]
        unknown = [i for i in ids if i not in facts.index]
        if unknown:
            hints = []
            for i in unknown:
                close = difflib.get_close_matches(i, facts.index.astype(str), n=3)
                hints.append(f"{i!r} (did you mean {', '.join(close)}?)" if close else repr(i))
            raise ValueError(f"show_facts: no fact with id {'; '.join(hints)}. The ids are in atlas.facts.index.")
        rows = facts.loc[ids]
    else:
        raise ValueError('show_facts needs fact ids or topic=..., e.g. dnviz.show_facts(atlas, topic="incidence")')
    sources = list(dict.fromkeys(s for ids in rows["source_ids"] for s in ids))
    return FactList(rows, atlas.cite(sources) if sources else [])

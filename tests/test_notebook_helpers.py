"""The helpers the notebooks call (dnviz/notebook.py): hidden answers and cited fact lists."""

from __future__ import annotations

import ipywidgets
import pandas as pd
import plotly.graph_objects as go
import pytest
from IPython.display import Markdown

import dnviz
from dnviz.notebook import Reveal, escape_markdown

HOSTILE = "<script>alert('x')</script> **markdown** & <b>bold</b>"


# ------------------------------------------------------------------------------------------ reveal
def test_reveal_is_closed_and_draws_nothing_until_opened():
    answer = dnviz.reveal("The answer is 42.")
    assert isinstance(answer, ipywidgets.Accordion)
    assert answer.selected_index is None
    assert answer.titles == ("Show the answer",)
    assert not answer.shown
    assert answer.output.outputs == ()


def test_reveal_draws_once_when_opened_and_can_close_again():
    answer = dnviz.reveal("The answer is 42.")
    answer.show()
    assert answer.selected_index == 0 and answer.shown
    answer.hide()
    assert answer.selected_index is None and answer.shown
    answer.show()  # drawn once only: re-opening shows the same output
    assert answer.shown


def test_reveal_opened_by_a_click_on_the_title():
    """A click in the browser sets selected_index from the front end: same path as show()."""
    answer = dnviz.reveal("x")
    answer.set_state({"selected_index": 0})
    assert answer.shown


def test_reveal_escapes_html_in_text_but_keeps_markdown():
    answer = dnviz.reveal(HOSTILE)
    (shown,) = answer.answers
    assert isinstance(shown, Markdown)
    assert "<script>" not in shown.data and "<b>" not in shown.data
    assert "&lt;script&gt;" in shown.data
    assert "**markdown**" in shown.data


def test_reveal_keeps_tables_and_figures_as_they_are():
    table = pd.DataFrame({"muscle": ["<i>SCM</i>"]})
    fig = go.Figure()
    answer = dnviz.reveal("Text first.", table, fig, label="Show one possible answer")
    assert answer.answers[1] is table and answer.answers[2] is fig
    assert answer.titles == ("Show one possible answer",)
    assert "<i>" not in table.to_html()  # pandas escapes cell text itself


@pytest.mark.parametrize("label", ["", "   ", None, 3])
def test_reveal_rejects_a_bad_label(label):
    with pytest.raises(ValueError, match="label"):
        dnviz.reveal("x", label=label)


def test_reveal_needs_an_answer():
    with pytest.raises(ValueError, match="at least one answer"):
        dnviz.reveal()


def test_reveal_is_public():
    assert "reveal" in dnviz.__all__
    assert Reveal.__doc__


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("**bold** and _it_", "**bold** and _it_"),
        ("`<kbd>` stays code", "`<kbd>` stays code"),
        ("```\n<pre> block\n```\n<b>", "```\n<pre> block\n```\n&lt;b&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ],
)
def test_escape_markdown(text, expected):
    assert escape_markdown(text) == expected


def test_escape_markdown_rejects_non_text():
    with pytest.raises(TypeError, match="str"):
        escape_markdown(None)


def test_reveal_draws_its_answers_into_the_output_when_opened():
    answer = dnviz.reveal(HOSTILE, pd.DataFrame({"a": [1]}))
    answer.show()
    first, second = answer.output.outputs
    assert "&lt;script&gt;" in first["data"]["text/markdown"]
    assert "<script>" not in first["data"]["text/markdown"]
    assert "text/html" in second["data"]

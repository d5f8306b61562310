"""The helpers the notebooks call (dnviz/notebook.py): hidden answers and cited fact lists."""

from __future__ import annotations

from types import SimpleNamespace

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


def test_reveal_text_fallback_never_holds_the_answer():
    """Where widgets do not render (a static export), the text shown instead names no answer."""
    answer = dnviz.reveal("The answer is 42.", pd.DataFrame({"a": [42]}))
    text = answer._repr_mimebundle_()["text/plain"]
    assert text == "[Show the answer: 2 hidden answer(s), closed; run the notebook to open it]"
    assert "42" not in text


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


# -------------------------------------------------------------------------------------- show_facts
@pytest.fixture(scope="module")
def atlas() -> dnviz.Atlas:
    return dnviz.load_atlas()


def test_show_facts_by_id_lists_statement_id_sources_and_references(atlas):
    shown = dnviz.show_facts(atlas, "seed_emergency")
    html = shown._repr_html_()
    row = atlas.facts.loc["seed_emergency"]
    assert "<code>seed_emergency</code>" in html
    assert "<strong>References</strong>" in html
    for ref in atlas.cite(list(row["source_ids"])):
        assert ref.split(" (")[0] in html  # authors, escaped text
    assert str(shown).startswith("- ")
    assert len(shown) == 1


def test_show_facts_by_topic_keeps_table_order(atlas):
    shown = dnviz.show_facts(atlas, topic="surface_anatomy")
    expected = atlas.facts.index[atlas.facts["topic"] == "surface_anatomy"].tolist()
    assert shown.facts.index.tolist() == expected


def test_show_facts_shows_values_with_units(atlas):
    with_value = atlas.facts[atlas.facts["value"].notna() & atlas.facts["unit"].notna()].iloc[0]
    shown = dnviz.show_facts(atlas, with_value.name)
    assert f"[{with_value['value']:.10g} {with_value['unit']}]" in shown._repr_html_()


def _with_fact(atlas, statement, value=None, unit=None, citation=None):
    """A stand-in atlas whose fact ``seed_emergency`` says ``statement`` (show_facts reads facts and cite)."""
    facts = atlas.facts.astype({"statement": object, "unit": object})
    facts.loc["seed_emergency", ["statement", "value", "unit"]] = [statement, value, unit]
    cite = (lambda ids: [citation]) if citation else atlas.cite
    return SimpleNamespace(facts=facts, cite=cite)


def test_show_facts_escapes_a_fact_text(atlas):
    """A fact's text is data: <script> is shown as text and **markdown** is not rendered."""
    html = dnviz.show_facts(_with_fact(atlas, HOSTILE, 3.0, "<i>mm</i>"), "seed_emergency")._repr_html_()
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;mm&lt;/i&gt;" in html
    assert "**markdown**" in html and "<strong>markdown</strong>" not in html
    assert "&amp;" in html


def test_show_facts_escapes_citations(atlas):
    stand_in = _with_fact(atlas, "plain", citation="<script>x</script> Doe J (2020)")
    html = dnviz.show_facts(stand_in, "seed_emergency")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;x" in html


def test_show_facts_unknown_id_names_it_and_suggests(atlas):
    with pytest.raises(ValueError, match=r"seed_emergncy.*did you mean seed_emergency"):
        dnviz.show_facts(atlas, "seed_emergncy")


def test_show_facts_unknown_topic_lists_the_topics(atlas):
    with pytest.raises(ValueError, match=r"unknown topic 'incidents'.*incidence"):
        dnviz.show_facts(atlas, topic="incidents")


@pytest.mark.parametrize(("args", "kwargs"), [((), {}), (("seed_emergency",), {"topic": "incidence"})])
def test_show_facts_needs_ids_or_a_topic(atlas, args, kwargs):
    with pytest.raises(ValueError, match="ids or topic"):
        dnviz.show_facts(atlas, *args, **kwargs)

"""One citation helper: full and short forms, links, and an error for a source that does not exist."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import dnviz
from dnviz import citations
from dnviz.plotting import esc


def source(**fields):
    base = dict(authors="Simons DG, Travell JG", year=1999, title="T", container="C", volume_pages=pd.NA)
    base.update(doi=pd.NA, url=pd.NA)
    base.update(fields)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    ("fields", "short"),
    [
        ({}, "Simons 1999"),
        ({"authors": "Espejo-Antúnez L, Tejeda JF, et al."}, "Espejo-Antúnez 2017"),
        ({"authors": "Ferri B (medically reviewed by Olufade O)", "year": pd.NA}, "Ferri"),
        ({"authors": "National Association of Myofascial Trigger Point Therapists"}, "National Association of "),
        ({"authors": "unknown", "container": "Physiopedia", "year": pd.NA}, "Physiopedia"),
        ({"authors": "de la Hoz JL"}, "de la Hoz 1999"),
    ],
)
def test_short_form(fields, short):
    if "Espejo" in fields.get("authors", ""):
        fields["year"] = 2017
    assert citations.short_citation(source(**fields)).startswith(short)


def test_full_form_and_link():
    row = source(volume_pages="33:46-57", doi="10.1/x", url="https://example.org")
    assert citations.full_citation(row) == "Simons DG, Travell JG (1999). T. C, 33:46-57. doi:10.1/x"
    assert citations.source_link(row) == "https://doi.org/10.1/x"
    web = source(year=pd.NA, url="https://example.org/page")
    assert citations.full_citation(web) == "Simons DG, Travell JG (n.d.). T. C. https://example.org/page"
    assert citations.source_link(web) == "https://example.org/page"
    assert citations.source_link(source(url="javascript:alert(1)")) is None


def test_every_bundled_source_has_both_forms(atlas):
    full = atlas.cite(list(atlas.sources.index))
    short = atlas.cite(list(atlas.sources.index), short=True)
    for source_id, f, s in zip(atlas.sources.index, full, short):
        assert atlas.sources.at[source_id, "title"] in f
        assert 0 < len(s) <= 80 and "unknown" not in s.lower(), (source_id, s)
    assert atlas.cite("simons1999upper", short=True) == ["Simons 1999"]


def test_hover_label_names_two_and_counts_the_rest(atlas):
    ids = ["simons1999upper", "travell1983upper", "travell1992lower"]
    assert citations.sources_label(atlas, ids) == "Simons 1999; Travell 1983 +1"
    assert citations.sources_label(atlas, ids, most=3) == "Simons 1999; Travell 1983; Travell 1992"
    assert citations.sources_label(atlas, "simons1999upper") == "Simons 1999"


@pytest.mark.parametrize("bad", ["simons1998upper", ["simons1999upper", "nobody2020"], [None]])
def test_unknown_sources_raise_source_not_found(atlas, bad):
    with pytest.raises(dnviz.SourceNotFoundError) as info:
        atlas.cite(bad)
    with pytest.raises(dnviz.SourceNotFoundError):
        atlas.cite(bad, short=True)
    with pytest.raises(dnviz.SourceNotFoundError):
        citations.sources_label(atlas, bad)
    assert isinstance(info.value, KeyError) and isinstance(info.value, dnviz.NotFoundError)


def test_figures_needle_and_widgets_use_the_one_helper(atlas):
    fig = dnviz.plot_body_map(atlas, muscle="upper trapezius")
    names = " ".join(t.name or "" for t in fig.data)
    for ids in atlas.referral_pattern("upper trapezius")["source_ids"]:
        assert f"({esc(citations.sources_label(atlas, ids))})" in names
    check = atlas.needle_check("gb21", 30)
    for text, source_id in zip(check.findings["comparison"], check.findings["source_id"]):
        assert text.startswith(atlas.cite(source_id, short=True)[0] + " (")

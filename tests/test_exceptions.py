"""One error family: every look-up that finds nothing raises a NotFoundError with suggestions."""

from __future__ import annotations

import pickle

import pytest

import dnviz
from dnviz import exceptions

ATLAS = dnviz.load_atlas()


def test_every_class_is_exported_from_the_package_and_the_module():
    for name in exceptions.__all__:
        assert getattr(dnviz, name) is getattr(exceptions, name)
        assert name in dnviz.__all__


@pytest.mark.parametrize(
    ("lookup", "cls", "old_base", "query", "suggestion"),
    [
        (
            lambda: ATLAS.find_muscle("pectoralis tertius"),
            dnviz.MuscleNotFoundError,
            LookupError,
            "pectoralis tertius",
            None,
        ),
        (lambda: ATLAS.region("tempel"), dnviz.RegionNotFoundError, LookupError, "tempel", "temple"),
        (lambda: ATLAS.needle_check("gb12", 30), dnviz.SiteNotFoundError, ValueError, "gb12", "gb21"),
        (lambda: ATLAS.cite("simons1998upper"), dnviz.SourceNotFoundError, KeyError, "simons1998upper", None),
    ],
    ids=["muscle", "region", "site", "source"],
)
def test_each_lookup_raises_its_class_and_the_base_with_suggestions(lookup, cls, old_base, query, suggestion):
    with pytest.raises(cls) as info:
        lookup()
    err = info.value
    assert isinstance(err, dnviz.NotFoundError) and isinstance(err, LookupError)
    assert isinstance(err, old_base), "the class raised before the error family still catches it"
    assert err.suggestions, "a look-up that fails offers the closest names"
    assert all(isinstance(s, str) for s in err.suggestions)
    if query is not None:
        assert err.query == query
        assert repr(query) in str(err)
    if suggestion is not None:
        assert suggestion in err.suggestions
    assert str(err) == err.args[0] == err.message, "the message reads the same everywhere (no KeyError quotes)"


def test_source_error_names_every_missing_id_and_the_closest():
    with pytest.raises(dnviz.SourceNotFoundError) as info:
        ATLAS.cite(["simons1999upper", "simons1998upper", "nobody2020"])
    err = info.value
    assert err.missing == ["simons1998upper", "nobody2020"]
    assert "simons1999upper" in err.suggestions
    assert "'nobody2020'" in str(err) and "did you mean 'simons1999upper'" in str(err)


def test_ambiguous_muscle_name_lists_the_muscles_it_fits():
    with pytest.raises(dnviz.MuscleNotFoundError) as info:
        ATLAS.find_muscle("trapezius")
    assert info.value.ambiguous
    assert len(info.value.suggestions) > 1


def test_errors_survive_pickling_for_parallel_workers():
    for err in (
        dnviz.MuscleNotFoundError("x", ["a"], ambiguous=True),
        dnviz.RegionNotFoundError("x", ["a"]),
        dnviz.SiteNotFoundError("x", ["a"], "a (A)"),
        dnviz.SourceNotFoundError(["x"], ["a"]),
    ):
        copy = pickle.loads(pickle.dumps(err))
        assert type(copy) is type(err) and str(copy) == str(err)

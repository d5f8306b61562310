"""Muscle names: collisions are validation errors, groups offer a choice, any script, any word order."""

from __future__ import annotations

import random
import string
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dnviz
from dnviz._names import MAX_NAME_LENGTH, name_keys, normalise
from dnviz._tables import dictionary
from tests.conftest import write_rows

ATLAS = dnviz.load_atlas()
GROUPS = ATLAS.muscle_groups
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def columns(table: str) -> list[str]:
    return list(dictionary().query("table == @table")["column"])


def write(folder, table: str, rows: list[dict[str, str]]) -> None:
    header = columns(table)
    write_rows(folder / f"{table}.csv", header, [[row.get(c, "") for c in header] for row in rows])


def course(tmp_path, synonyms: str = "cm|our muscle", groups: list[dict[str, str]] | None = None):
    """A course folder adding one muscle (with these synonyms) and, optionally, groups."""
    folder = tmp_path / "course"
    folder.mkdir()
    cite = {"source_ids": "course2026notes"}
    write(
        folder,
        "sources",
        [
            {
                "source_id": "course2026notes",
                "kind": "web",
                "authors": "Course team",
                "year": "2026",
                "title": "Course notes",
                "container": "Our course",
                "supports": "The course's muscle.",
                "evidence": "web",
            }
        ],
    )
    muscle = {c: "unknown" for c in ("attachments", "action", "innervation", "needling_notes", "structures_at_risk")}
    muscle |= {"muscle_id": "course_muscle", "name": "Course muscle", "synonyms": synonyms, "body_area": "head_neck"}
    write(folder, "muscles", [muscle | {"pneumothorax_risk": "none"} | cite])
    tp = {"tp_id": "course_muscle.tp1", "muscle_id": "course_muscle", "label": "TrP1", "location": "Above the ear"}
    write(
        folder,
        "trigger_points",
        [tp | {"view": "anterior", "landmark_id": "temple", "dx_cm": "0", "dy_cm": "1"} | cite],
    )
    ref = {"tp_id": "course_muscle.tp1", "region_id": "temple", "kind": "essential", "laterality": "ipsilateral"}
    ref |= {"grade": "web"}
    write(folder, "referrals", [ref | cite])
    ring = ATLAS.muscle_outlines  # the course muscle borrows the temporalis's outline on the front
    ring = ring[(ring["muscle_id"] == "temporalis") & (ring["view"] == "anterior")]
    write(
        folder,
        "muscle_outlines",
        [
            {c: str(v) for c, v in row.items() if c in columns("muscle_outlines")}
            | {"muscle_id": "course_muscle", "source_ids": "course2026notes"}
            for row in ring.reset_index().to_dict("records")
        ],
    )
    if groups is not None:
        write(folder, "muscle_groups", groups)
    return folder


def load_error(folder) -> dnviz.AtlasValidationError:
    with pytest.raises(dnviz.AtlasValidationError) as info:
        dnviz.load_atlas(extra=folder)
    return info.value


def line_of(muscle_id: str) -> int:
    """The line of a muscle in the bundled muscles.csv (header is line 1)."""
    return list(ATLAS.muscles.index).index(muscle_id) + 2


# -- 1. collisions ---------------------------------------------------------------------------------


def test_the_course_folder_loads(tmp_path):
    assert dnviz.load_atlas(extra=course(tmp_path)).find_muscle("our muscle").name == "course_muscle"


@pytest.mark.parametrize("synonym", ["SCM", "s.c.m.", "Sternocleidomastoid", "sterno cleidomastoid"])
def test_a_course_synonym_that_names_a_bundled_muscle_is_an_error_naming_both_rows(tmp_path, synonym):
    folder = course(tmp_path, synonyms=f"cm|{synonym}")
    (problem,) = load_error(folder).problems
    assert problem.file == str(folder / "muscles.csv") and problem.row == 2
    assert problem.column == "synonyms" and problem.value == synonym
    assert "'sternocleidomastoid'" in problem.message
    assert f"muscles.csv row {line_of('sternocleidomastoid')}" in problem.message
    assert "muscle_groups.csv" in problem.fix


def test_word_order_collides_too(tmp_path):
    (problem,) = load_error(course(tmp_path, synonyms="Trap Upper")).problems
    assert "'upper_trapezius'" in problem.message and problem.value == "Trap Upper"


def test_a_name_shared_within_the_bundled_table_is_reported(edit_table, data_copy):
    def share(header, rows):
        rows[1][header.index("synonyms")] += "|SCM"  # levator scapulae, line 3
        return header, rows

    edit_table("muscles", share)
    with pytest.raises(dnviz.AtlasValidationError) as info:
        dnviz.load_atlas(data_copy)
    (problem,) = info.value.problems
    assert problem.row == 4 and problem.value == "SCM"  # the later row, sternocleidomastoid...
    assert "'levator_scapulae'" in problem.message and "row 3" in problem.message  # ...names the earlier one


# -- 2. groups -------------------------------------------------------------------------------------


def test_quads_offers_the_four_heads():
    with pytest.raises(dnviz.MuscleNotFoundError, match="ambiguous") as info:
        ATLAS.find_muscle("quads")
    assert info.value.ambiguous
    assert info.value.suggestions == ["Rectus femoris", "Vastus medialis", "Vastus lateralis", "Vastus intermedius"]


@pytest.mark.parametrize("group_id", list(GROUPS.index))
def test_every_group_name_offers_exactly_its_members(group_id):
    row = GROUPS.loc[group_id]
    members = [ATLAS.muscles.at[m, "name"] for m in row["muscle_ids"]]
    assert len(members) >= 2
    for alias in (group_id, row["name"], *row["synonyms"]):
        with pytest.raises(dnviz.MuscleNotFoundError) as info:
            ATLAS.find_muscle(alias)
        assert info.value.ambiguous and info.value.suggestions == members, alias


def test_a_course_declares_a_group_with_a_bundled_muscle(tmp_path):
    group = {
        "group_id": "course_pair",
        "name": "Course pair",
        "synonyms": "the pair",
        "muscle_ids": "course_muscle|masseter",
        "description": "Two muscles the course teaches together.",
    }
    loaded = dnviz.load_atlas(extra=course(tmp_path, groups=[group]))
    with pytest.raises(dnviz.MuscleNotFoundError) as info:
        loaded.find_muscle("the pair")
    assert info.value.suggestions == ["Course muscle", "Masseter"]
    with pytest.raises(dnviz.MuscleNotFoundError, match="ambiguous"):  # the bundled groups are still there
        loaded.find_muscle("quads")


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"muscle_ids": "masseter"}, "muscle_ids", "at least two muscles"),
        ({"muscle_ids": "masseter|masseter"}, "muscle_ids", "at least two muscles"),
        ({"synonyms": "SCM"}, "synonyms", "also names muscle 'sternocleidomastoid'"),
        ({"name": "Quads"}, "name", "also names group 'quadriceps'"),
        ({"synonyms": "★"}, "synonyms", "no letters or digits"),
    ],
)
def test_bad_groups_are_errors_naming_the_row(tmp_path, change, column, message):
    group = {"group_id": "course_pair", "name": "Course pair", "muscle_ids": "course_muscle|masseter"}
    folder = course(tmp_path, groups=[group | {"description": "A pair."} | change])
    problems = [p for p in load_error(folder).problems if message in p.message]
    assert problems, load_error(folder)
    assert problems[0].file == str(folder / "muscle_groups.csv") and problems[0].row == 2
    assert problems[0].column == column


# -- 3. any script, never an empty match ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Upper-Trap. ", "upper trap"),
        ("Ｓｃａｌｅｎｅｓ", "scalenes"),  # full-width letters
        ("Músculo Trapécio", "musculo trapecio"),  # accents stripped
        ("Трапециевидная мышца", "трапециевидная мышца"),  # Cyrillic kept
        ("Straße", "strasse"),
        ("💪", ""),
        ("-- ★ --", ""),
    ],
)
def test_normalise(text, key):
    assert normalise(text) == key


@pytest.mark.parametrize("query", ["💪", "★★★", "---", "  ", "\u200b", "_"])
def test_a_query_of_no_letters_never_matches(query):
    with pytest.raises(dnviz.MuscleNotFoundError, match="matches no muscle"):
        ATLAS.find_muscle(query)


def test_non_latin_synonyms_are_findable_and_symbols_are_rejected(tmp_path):
    loaded = dnviz.load_atlas(extra=course(tmp_path, synonyms="Курсовая мышца|κύριος μυς"))
    assert loaded.find_muscle("курсовая мышца").name == "course_muscle"
    assert loaded.find_muscle("ΚΎΡΙΟΣ ΜΥΣ").name == "course_muscle"
    with pytest.raises(dnviz.MuscleNotFoundError):
        loaded.find_muscle("💪")
    folder = tmp_path / "symbols"
    folder.mkdir()
    (problem,) = load_error(course(folder, synonyms="cm|💪")).problems
    assert problem.column == "synonyms" and problem.value == "💪" and "no letters or digits" in problem.message


# -- 4. word order and typos ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "muscle_id"),
    [
        ("trap upper", "upper_trapezius"),
        ("trapezius upper", "upper_trapezius"),
        ("Trapezius, upper", "upper_trapezius"),
        ("trapezuis upper", "upper_trapezius"),
        ("uppre trap", "upper_trapezius"),
        ("infraspinatis", "infraspinatus"),
        ("minor pectoralis", "pectoralis_minor"),
        ("maximus gluteus", "gluteus_maximus"),
        ("scapulae levator", "levator_scapulae"),
        ("capitis splenius", "splenius_capitis"),
    ],
)
def test_word_order_and_typos(typed, muscle_id):
    assert ATLAS.find_muscle(typed).name == muscle_id


# -- 5. the input cap -------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [MAX_NAME_LENGTH + 1, 10_000, 100_000])
def test_long_input_is_refused_at_once(length):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=f"at most {MAX_NAME_LENGTH} characters; this one has {length}"):
        ATLAS.find_muscle("trapezius " * (length // 10) + "x" * (length % 10))
    assert time.perf_counter() - start < 0.05


def test_fuzzy_matching_stays_cheap_up_to_the_cap():
    rng = random.Random(2026)
    ATLAS.find_muscle("SCM")  # build the index first
    worst = 0.0
    for _ in range(40):
        text = "".join(rng.choice(string.ascii_lowercase + "  ") for _ in range(MAX_NAME_LENGTH))
        start = time.perf_counter()
        try:
            ATLAS.find_muscle(text)
        except dnviz.MuscleNotFoundError:
            pass
        worst = max(worst, time.perf_counter() - start)
    assert worst < 0.25, f"slowest look-up took {worst * 1000:.0f} ms"


# -- 2 again: the explorer ---------------------------------------------------------------------------


def test_every_name_the_explorer_suggests_selects_a_muscle_or_offers_a_choice(atlas):
    explorer = dnviz.explore_muscles(atlas)
    for name in explorer.names:
        explorer.find(name)
        assert explorer.error == "", (name, explorer.error)
        if explorer.offered:
            assert len(explorer.offered) >= 2 and "choose one" in explorer.status.value, name
        else:
            found = atlas.muscles.loc[explorer.muscle_id]
            keys = set().union(*(name_keys(a) for a in (found.name, found["name"], *found["synonyms"])))
            assert normalise(name) in keys, name


def test_picking_a_group_shows_its_members_to_choose_from(atlas):
    explorer = dnviz.explore_muscles(atlas, muscle="SCM")
    explorer.find("hamstrings")
    assert explorer.muscle_id == "sternocleidomastoid" and explorer.error == ""
    assert explorer.offered == ["biceps_femoris", "medial_hamstrings"]
    explorer.map.muscle = "medial_hamstrings"  # a button in the browser sets the map's muscle
    assert explorer.muscle_id == "medial_hamstrings"
    explorer.map.muscle = "biceps_femoris"
    assert explorer.muscle_id == "biceps_femoris"
    explorer.find("piriformis")
    assert explorer.muscle_id == "piriformis" and explorer.offered == []
    explorer.find("glutues maxmus")  # a typo still selects
    assert explorer.muscle_id == "gluteus_maximus"


# -- 6. properties ---------------------------------------------------------------------------------

ALIASES = [(m, a, False) for m, row in ATLAS.muscles.iterrows() for a in (row["name"], *row["synonyms"])] + [
    (g, a, True) for g, row in GROUPS.iterrows() for a in (row["name"], *row["synonyms"])
]
KEYS = {k for _, a, _ in ALIASES for k in name_keys(a)} | {k for m in ATLAS.muscles.index for k in name_keys(m)}


def typo(word: str, kind: int, at: int, letter: str) -> str:
    i = at % len(word)
    if kind == 0:  # substitute
        return word[:i] + letter + word[i + 1 :]
    if kind == 1:  # delete
        return word[:i] + word[i + 1 :]
    if kind == 2:  # insert
        return word[:i] + letter + word[i:]
    j = min(i + 1, len(word) - 1)  # swap neighbours
    return word[:i] + word[j] + word[i] + word[j + 1 :] if j > i else word


def members_of(owner: str, is_group: bool) -> list[str]:
    ids = GROUPS.at[owner, "muscle_ids"] if is_group else (owner,)
    return [ATLAS.muscles.at[m, "name"] for m in ids]


def check_finds(query: str, owner: str, is_group: bool) -> None:
    try:
        found = ATLAS.find_muscle(query)
    except dnviz.MuscleNotFoundError as err:  # a named choice that includes it
        assert err.ambiguous, (query, str(err))
        assert set(members_of(owner, is_group)) <= set(err.suggestions), (query, err.suggestions)
        return
    assert not is_group, query
    assert found.name == owner, (query, found.name)


cases = st.sampled_from([str.upper, str.lower, str.title, str.swapcase])
spaces = st.sampled_from([" ", "  ", "-", " - ", ", "])


@SETTINGS
@given(st.sampled_from(ALIASES), cases, spaces, st.randoms(use_true_random=False))
def test_property_any_name_in_any_case_spacing_and_word_order(alias, case, space, rnd):
    owner, name, is_group = alias
    words = normalise(name).split()
    rnd.shuffle(words)
    check_finds(f"  {case(space.join(words))} ", owner, is_group)


@SETTINGS
@given(
    st.sampled_from([a for a in ALIASES if len(normalise(a[1]).replace(" ", "")) >= 6]),
    cases,
    st.randoms(use_true_random=False),
    st.integers(0, 3),
    st.integers(0, 99),
    st.sampled_from(string.ascii_lowercase),
)
def test_property_any_name_with_one_typo(alias, case, rnd, kind, at, letter):
    owner, name, is_group = alias
    words = normalise(name).split()
    rnd.shuffle(words)
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest] = typo(words[longest], kind, at, letter)
    query = case(" ".join(words))
    assume(not (name_keys(query) & KEYS) or name_keys(query) & name_keys(name))  # not another real name
    check_finds(query, owner, is_group)


# -- false neighbours: a word that makes a name another muscle ---------------------------------------

OPPOSITES = [
    ("flexor", "extensor"),
    ("abductor", "adductor"),
    ("internal", "external"),
    ("longus", "brevis"),
    ("major", "minor"),
    ("maximus", "medius", "minimus"),
    ("medial", "lateral"),
    ("anterior", "posterior"),
    ("superior", "inferior"),
    ("upper", "middle", "lower"),
    ("superficialis", "profundus"),
    ("radialis", "ulnaris"),
]


def swapped_names() -> list[tuple[str, str, str, str]]:
    """(muscle id, alias, the alias with one defining word swapped, the word swapped in)."""
    out = []
    for muscle_id, name, synonyms in zip(ATLAS.muscles.index, ATLAS.muscles["name"], ATLAS.muscles["synonyms"]):
        for alias in dict.fromkeys((name, *synonyms)):
            words = normalise(alias).split()
            for i, word in enumerate(words):
                for group in OPPOSITES:
                    if word in group:
                        for other in group:
                            if other != word:
                                out.append((muscle_id, alias, " ".join(words[:i] + [other] + words[i + 1 :]), other))
    return out


SWAPPED = swapped_names()


def names_of(muscle_id: str) -> set[str]:
    row = ATLAS.muscles.loc[muscle_id]
    return {w for alias in (muscle_id, row["name"], *row["synonyms"]) for w in normalise(alias).split()}


def test_there_are_neighbours_to_check():
    assert len(SWAPPED) >= 100


@pytest.mark.parametrize(("muscle_id", "alias", "swapped", "word"), SWAPPED, ids=[s[2] for s in SWAPPED])
def test_a_swapped_defining_word_never_finds_a_muscle_without_that_word(muscle_id, alias, swapped, word):
    """'flexor digitorum longus' must not find extensor digitorum longus, nor 'psoas minor' iliopsoas."""
    from dnviz._names import QUALIFIERS

    try:
        found = ATLAS.name_index.lookup(swapped)
    except dnviz.MuscleNotFoundError:
        return
    canon = QUALIFIERS.get(word, word)
    assert canon in {QUALIFIERS.get(w, w) for w in names_of(found)}, f"{swapped!r} found {found!r} (from {alias!r})"


@pytest.mark.parametrize(
    "query",
    [
        "flexor digitorum longus",
        "internal oblique",
        "flexor digitorum brevis",
        "psoas minor",
        "extensor digitorum brevis",
    ],
)
def test_the_reported_false_neighbours_find_that_muscle_or_nothing(query):
    """Refused with suggestions today; once the atlas has the muscle, found by its own name."""
    from dnviz._names import qualifiers

    try:
        found = ATLAS.find_muscle(query).name
    except dnviz.MuscleNotFoundError as err:
        assert err.suggestions
        return
    assert qualifiers(normalise(query)) <= qualifiers(" ".join(names_of(found)))


@pytest.mark.parametrize(
    ("typed", "muscle_id"),
    [
        ("mid trap", "middle_trapezius"),
        ("upper trap", "upper_trapezius"),
        ("pec minor", "pectoralis_minor"),
        ("glute med", "gluteus_medius"),
        ("extensor digitorum long", "extensor_digitorum_longus"),
        ("infraspinatis", "infraspinatus"),
        ("flexor digitorum superficalis", "flexor_digitorum_superficialis"),
    ],
)
def test_equivalent_words_and_typos_still_find_the_muscle(typed, muscle_id):
    assert ATLAS.find_muscle(typed).name == muscle_id


# -- found by the lead's review: a typo that is also a word of a group, hand against foot, abbreviations --


def test_a_typo_that_is_a_group_word_offers_both_the_group_and_the_muscle():
    with pytest.raises(dnviz.MuscleNotFoundError) as err:
        ATLAS.find_muscle("rotators")
    assert err.value.ambiguous
    assert "Rotatores" in err.value.suggestions and "Piriformis" in err.value.suggestions


@pytest.mark.parametrize("query", ["palmar interossei", "volar interossei"])
def test_a_hand_name_never_finds_a_foot_muscle(query):
    try:
        found = ATLAS.find_muscle(query)
    except dnviz.MuscleNotFoundError:
        return
    assert found["body_area"] != "hip_lower_limb", (query, found.name)


@pytest.mark.parametrize("query", ["FPB", "fpb", "FDX"])
def test_an_unknown_abbreviation_is_never_matched_by_similarity(query):
    with pytest.raises(dnviz.MuscleNotFoundError) as err:
        ATLAS.find_muscle(query)
    assert not err.value.ambiguous


@pytest.mark.parametrize(
    ("query", "muscle"), [("SCM", "sternocleidomastoid"), ("QL", "quadratus_lumborum"), ("TFL", "tensor_fasciae_latae")]
)
def test_known_abbreviations_still_find_their_muscle(query, muscle):
    assert ATLAS.find_muscle(query).name == muscle

"""An instructor's own folder adds and overrides rows, validated like the bundled data."""

from __future__ import annotations

import pytest

import dnviz
from dnviz._tables import dictionary, table_names
from tests.conftest import write_rows

COLUMNS = {t: list(dictionary().query("table == @t")["column"]) for t in table_names()}


def course_folder(tmp_path, muscle_name="Course muscle", kind="essential", region="temple"):
    folder = tmp_path / "course"
    folder.mkdir()
    write_rows(
        folder / "sources.csv",
        COLUMNS["sources"],
        [
            [
                "course2026notes",
                "web",
                "Course team",
                "2026",
                "Course notes",
                "Our course",
                "",
                "",
                "",
                "The course's muscle.",
                "web",
            ]
        ],
    )
    write_rows(
        folder / "muscles.csv",
        COLUMNS["muscles"],
        [
            [
                "course_muscle",
                muscle_name,
                "cm|our muscle",
                "head_neck",
                "unknown",
                "unknown",
                "unknown",
                "unknown",
                "unknown",
                "none",
                "",
                "course2026notes",
            ]
        ],
    )
    write_rows(
        folder / "trigger_points.csv",
        COLUMNS["trigger_points"],
        [
            [
                "course_muscle.tp1",
                "course_muscle",
                "TrP1",
                "Above the ear",
                "anterior",
                "temple",
                "0",
                "1",
                "course2026notes",
            ]
        ],
    )
    write_rows(
        folder / "referrals.csv",
        COLUMNS["referrals"],
        [["course_muscle.tp1", region, kind, "ipsilateral", "course2026notes", "web"]],
    )
    return folder


def test_extra_folder_adds_rows(tmp_path, atlas):
    loaded = dnviz.load_atlas(extra=course_folder(tmp_path))
    assert len(loaded.muscles) == len(atlas.muscles) + 1
    assert loaded.find_muscle("our muscle").name == "course_muscle"
    assert "course_muscle" in set(loaded.candidates("temple")["muscle_id"])


def test_extra_folder_overrides_a_row(tmp_path, atlas):
    folder = course_folder(tmp_path)
    header = COLUMNS["muscles"]
    row = atlas.muscles.loc["masseter"]
    values = ["masseter", "Masseter (course name)"] + [
        "|".join(v) if isinstance(v, tuple) else str(v) for v in row[header[2:]]
    ]
    write_rows(folder / "muscles.csv", header, [values])
    (folder / "trigger_points.csv").unlink()
    (folder / "referrals.csv").unlink()
    write_rows(
        folder / "sources.csv",
        COLUMNS["sources"],
        [],
    )
    loaded = dnviz.load_atlas(extra=folder)
    assert loaded.muscles.at["masseter", "name"] == "Masseter (course name)"
    assert len(loaded.muscles) == len(atlas.muscles)


def test_extra_folder_errors_name_the_users_file(tmp_path):
    folder = course_folder(tmp_path, kind="main", region="temple")
    with pytest.raises(dnviz.AtlasValidationError) as info:
        dnviz.load_atlas(extra=folder)
    (problem,) = info.value.problems
    assert problem.file == str(folder / "referrals.csv") and problem.row == 2 and problem.value == "main"

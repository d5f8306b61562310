"""Bad data: one broken copy per failure kind, each error naming file, row, column and value."""

from __future__ import annotations

import re

import pytest

import dnviz


def load_error(folder, **kwargs) -> dnviz.AtlasValidationError:
    with pytest.raises(dnviz.AtlasValidationError) as info:
        dnviz.load_atlas(folder, **kwargs)
    return info.value


def set_cell(table_rows_fn_row: int, column: str, value: str):
    def fn(header, rows):
        rows[table_rows_fn_row][header.index(column)] = value
        return header, rows

    return fn


def test_missing_column(edit_table, data_copy):
    def drop(header, rows):
        i = header.index("body_area")
        return header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows]

    edit_table("muscles", drop)
    err = load_error(data_copy)
    (problem,) = [p for p in err.problems if p.column == "body_area"]
    assert problem.file.endswith("muscles.csv") and problem.row == 1
    assert "missing" in problem.message and "body_area" in problem.fix
    assert "nothing was loaded" in str(err)


def test_duplicate_id(edit_table, data_copy):
    edit_table("trigger_points", lambda h, rows: (h, rows + [rows[3]]))
    err = load_error(data_copy)
    dup = [p for p in err.problems if p.message == "duplicate id"]
    assert dup and all(p.column == "tp_id" and p.file.endswith("trigger_points.csv") for p in dup)
    assert {p.row for p in dup} >= {5}  # the original (line 5) and the copy at the end
    assert "own id" in dup[0].fix


def test_dangling_reference(edit_table, data_copy):
    edit_table("referrals", set_cell(0, "region_id", "templ"))
    err = load_error(data_copy)
    (problem,) = err.problems
    assert (problem.column, problem.value, problem.row) == ("region_id", "templ", 2)
    assert problem.file.endswith("referrals.csv")
    assert "unknown regions.region_id 'templ'" in problem.message and "'temple'" in problem.message


def test_dangling_reference_in_a_list_column(edit_table, data_copy):
    edit_table("muscles", set_cell(2, "source_ids", "simons1999upper|simmons1999"))
    (problem,) = load_error(data_copy).problems
    assert problem.row == 4 and problem.column == "source_ids"
    assert "'simmons1999'" in problem.message and "simons1999upper" not in problem.message.split("(")[0]


def test_unknown_category(edit_table, data_copy):
    edit_table("referrals", set_cell(1, "kind", "primary"))
    (problem,) = load_error(data_copy).problems
    assert (problem.column, problem.value, problem.row) == ("kind", "primary", 3)
    assert "not an allowed value" in problem.message
    assert "spillover, essential" in problem.fix


def test_malformed_number(edit_table, data_copy):
    edit_table("trigger_points", set_cell(0, "dx_cm", "2,5"))
    (problem,) = load_error(data_copy).problems
    assert (problem.column, problem.value, problem.row) == ("dx_cm", "2,5", 2)
    assert "not a number" in problem.message and "decimal" in problem.fix


def test_unsourced_row(edit_table, data_copy):
    edit_table("trigger_points", set_cell(4, "source_ids", ""))
    (problem,) = load_error(data_copy).problems
    assert (problem.column, problem.row) == ("source_ids", 6)
    assert "empty" in problem.message and "unknown" in problem.fix


def test_uncited_pneumothorax_flag(edit_table, data_copy):
    def fn(header, rows):
        row = next(r for r in rows if r[header.index("pneumothorax_risk")] == "high")
        row[header.index("pneumothorax_source_ids")] = ""
        return header, rows

    edit_table("muscles", fn)
    problems = [p for p in load_error(data_copy).problems if p.column == "pneumothorax_source_ids"]
    assert len(problems) == 1 and "needs a source" in problems[0].message


def test_unused_source(edit_table, data_copy):
    def fn(header, rows):
        extra = [""] * len(header)
        for col, val in {
            "source_id": "nobody2020",
            "kind": "web",
            "authors": "unknown",
            "title": "T",
            "container": "C",
            "supports": "nothing",
        }.items():
            extra[header.index(col)] = val
        return header, rows + [extra]

    edit_table("sources", fn)
    (problem,) = load_error(data_copy).problems
    assert problem.value == "nobody2020" and "never cited" in problem.message


def test_group_region_as_referral_zone(edit_table, data_copy):
    edit_table("referrals", set_cell(0, "region_id", "head"))
    (problem,) = load_error(data_copy).problems
    assert "group region" in problem.message and problem.row == 2


def test_unknown_landmark(edit_table, data_copy):
    edit_table("trigger_points", set_cell(0, "landmark_id", "acromium"))
    (problem,) = load_error(data_copy).problems
    assert problem.column == "landmark_id" and "acromion" in problem.message + problem.fix


def test_several_problems_reported_together(edit_table, data_copy):
    edit_table("referrals", set_cell(1, "kind", "primary"))
    edit_table("trigger_points", set_cell(0, "dx_cm", "two"))
    err = load_error(data_copy)
    assert len(err.problems) == 2
    text = str(err)
    assert re.search(r"referrals\.csv, row 3, column 'kind', value 'primary'", text)
    assert re.search(r"trigger_points\.csv, row 2, column 'dx_cm', value 'two'", text)


def test_ragged_row_and_unknown_column(edit_table, data_copy):
    edit_table("regions", lambda h, rows: (h + ["colour"], [r + ["red"] for r in rows]))
    path = data_copy / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8") + "a,b\n", encoding="utf-8")
    err = load_error(data_copy)
    messages = {(p.file.rsplit("/", 1)[-1], p.message) for p in err.problems}
    assert ("regions.csv", "unknown column") in messages
    assert any(f == "sources.csv" and "fields" in m for f, m in messages)


def test_missing_folder_and_file(tmp_path):
    err = load_error(tmp_path / "nowhere")
    assert "no such folder" in str(err)
    (tmp_path / "empty").mkdir()
    assert "muscles.csv" in str(load_error(tmp_path / "empty"))


def test_not_utf8(data_copy):
    (data_copy / "regions.csv").write_bytes("region_id\n\xff\xfe".encode("latin-1"))
    assert "UTF-8" in str(load_error(data_copy))

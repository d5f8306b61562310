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
            "evidence": "web",
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


# -- helpers for the hardening tests ------------------------------------------------------------
def line_of(path, row_id: str) -> int:
    """The line number (1 = header) of the row whose first cell is ``row_id``."""
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        for record in reader:
            if record and record[0] == row_id:
                return reader.line_num
    raise AssertionError(f"{row_id} not in {path}")


def only_problem(folder, **kwargs) -> dnviz.Problem:
    problems = load_error(folder, **kwargs).problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def assert_cell(problem, path, row_id, column, value):
    assert problem.file == str(path)
    assert problem.row == line_of(path, row_id)
    assert (problem.column, problem.value) == (column, value)
    assert problem.fix


# -- 1. numbers that Python or pandas accept but nobody meant -----------------------------------
@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "message"),
    [
        ("trigger_points", "upper_trapezius.tp1", "dx_cm", "1_000", "not a number"),
        ("trigger_points", "upper_trapezius.tp1", "dy_cm", "１２", "not a number"),
        ("trigger_points", "upper_trapezius.tp1", "dx_cm", "nan", "not a number"),
        ("trigger_points", "upper_trapezius.tp1", "dx_cm", "inf", "not a number"),
        ("trigger_points", "upper_trapezius.tp1", "dx_cm", "-Infinity", "not a number"),
        ("trigger_points", "upper_trapezius.tp1", "dx_cm", "1e999", "too large to be finite"),
        ("trigger_points", "upper_trapezius.tp1", "dx_cm", "2.5 cm", "not a number"),
        ("sources", "simons1999upper", "year", "2_017", "not a whole number"),
        ("sources", "simons1999upper", "year", "1999.0", "not a whole number"),
        ("sources", "simons1999upper", "year", "１９９９", "not a whole number"),
        ("depths", "chen2018_gb21_m", "n", "4_1", "not a whole number"),
        ("depths", "chen2018_gb21_m", "mean_mm", "NaN", "not a number"),
    ],
)
def test_numbers_a_person_did_not_mean(set_field, data_copy, table, row_id, column, value, message):
    path = set_field(table, row_id, column, value)
    problem = only_problem(data_copy)
    assert_cell(problem, path, row_id, column, value)
    assert message in problem.message
    assert "ASCII digits" in problem.fix or "as published" in problem.fix


# -- 2. files that are not plain files, and files that are not tables --------------------------
def test_table_path_is_a_folder(data_copy):
    path = data_copy / "muscles.csv"
    path.unlink()
    path.mkdir()
    problem = only_problem(data_copy)
    assert problem.file == str(path) and "folder, not a file" in problem.message and "CSV file" in problem.fix


def test_named_pipe_does_not_hang(data_copy):
    import os
    import threading

    path = data_copy / "regions.csv"
    path.unlink()
    os.mkfifo(path)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(load_error(data_copy)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "load_atlas hung on a named pipe"
    (problem,) = result[0].problems
    assert problem.file == str(path) and "named pipe" in problem.message and "plain file" in problem.fix


def test_link_to_dev_zero_is_not_read(data_copy):
    path = data_copy / "facts.csv"
    path.unlink()
    path.symlink_to("/dev/zero")
    problem = only_problem(data_copy)
    assert problem.file == str(path) and "character device" in problem.message and "/dev/zero" in problem.message


def test_file_over_the_size_cap(data_copy):
    from dnviz._files import MAX_BYTES

    path = data_copy / "facts.csv"
    with open(path, "r+b") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no 20 MB written
    problem = only_problem(data_copy)
    assert problem.file == str(path) and "larger than the 20 MB limit" in problem.message


def test_broken_link(data_copy):
    path = data_copy / "screening.csv"
    path.unlink()
    path.symlink_to(data_copy / "gone.csv")
    problem = only_problem(data_copy)
    assert problem.file == str(path) and "broken link" in problem.message and "gone.csv" in problem.message


def test_broken_link_in_an_extra_folder(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "muscles.csv").symlink_to(tmp_path / "nowhere.csv")
    problem = only_problem(None, extra=folder)
    assert problem.file == str(folder / "muscles.csv") and "broken link" in problem.message


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("Muscles.csv", "muscles.csv"), ("trigger_point.csv", "trigger_points.csv"), ("muscles.xlsx", "muscles.csv")],
)
def test_extra_folder_file_that_is_not_a_table(tmp_path, name, suggestion):
    from dnviz._tables import dictionary

    folder = tmp_path / "course"
    folder.mkdir()
    header = ",".join(dictionary().query("table == 'muscles'")["column"])
    (folder / name).write_text(header + "\n", encoding="utf-8")
    problem = only_problem(None, extra=folder)
    assert problem.file == str(folder / name)
    assert "not an atlas table" in problem.message and f"did you mean '{suggestion}'" in problem.message
    assert suggestion in problem.fix


def test_unknown_csv_without_a_close_name_lists_the_tables(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problem = only_problem(None, extra=folder)
    assert "not an atlas table" in problem.message and "muscles, " in problem.fix


def test_other_files_are_named_in_a_warning(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "README.md").write_text("our course\n", encoding="utf-8")
    (folder / ".ipynb_checkpoints").mkdir()
    with pytest.warns(UserWarning, match=r"not atlas tables, so not read: .*README\.md") as record:
        dnviz.load_atlas(extra=folder)
    assert ".ipynb_checkpoints" not in str(record[0].message)


def test_path_folder_dictionary_must_equal_the_bundled_one(data_copy):
    path = data_copy / "dictionary.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sources,year,int,no,", "sources,year,float,no,"), encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.column == "dtype" and problem.value == "float"
    assert (
        problem.row
        == text.splitlines().index(next(ln for ln in text.splitlines() if ln.startswith("sources,year"))) + 1
    )
    assert "differs from the bundled dictionary ('int')" in problem.message and "copy dictionary.csv" in problem.fix


@pytest.mark.parametrize("missing", ["dictionary.csv", "manifest.json", "geometry"])
def test_path_folder_needs_its_dictionary_manifest_and_geometry(data_copy, missing):
    import shutil

    target = data_copy / missing
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    problem = only_problem(data_copy)
    assert problem.file == str(target) and "missing" in problem.message and "extra=" in problem.fix


def test_path_folder_manifest_is_read(data_copy):
    import json

    path = data_copy / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["tables"]["depths"]
    manifest["tables"]["muscles"]["license"] = ""
    path.write_text(json.dumps(manifest), encoding="utf-8")
    problems = load_error(data_copy).problems
    assert {(p.column, p.value, p.message) for p in problems} == {
        ("tables.muscles", None, "the entry lacks license"),
        ("tables", "depths", "the table is not described"),
    }
    assert all(p.file == str(path) for p in problems)


def test_path_folder_geometry_is_read(data_copy):
    """The landmarks checked are the loaded folder's, not the bundled ones."""
    import json

    path = data_copy / "geometry" / "body.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    landmark = "c2_spinous"
    body["views"]["posterior"]["landmarks"]["c2_spinous_process"] = body["views"]["posterior"]["landmarks"].pop(
        landmark
    )
    path.write_text(json.dumps(body), encoding="utf-8")
    problems = load_error(data_copy).problems
    assert problems and all(landmark in str(p) for p in problems)
    assert any(p.file.endswith("landmarks_spec.csv") for p in problems)  # the spec asks for it too


def test_self_intersecting_region_polygon(data_copy):
    import json

    path = data_copy / "geometry" / "body.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    ring = body["views"]["posterior"]["regions"]["occiput"][0]
    ring[0], ring[len(ring) // 2] = ring[len(ring) // 2], ring[0]  # a bow tie
    path.write_text(json.dumps(body), encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.value == "occiput"
    assert "posterior polygon of region 'occiput' is not valid" in problem.message
    assert "Self-intersection" in problem.message and "do not cross" in problem.fix


def test_geometry_that_is_not_json(data_copy):
    path = data_copy / "geometry" / "body.json"
    path.write_text('{"views": {', encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file == str(path) and "not valid JSON" in problem.message and problem.row == 1


def test_extra_folder_cannot_bring_geometry(tmp_path):
    folder = tmp_path / "course"
    (folder / "geometry").mkdir(parents=True)
    problem = only_problem(None, extra=folder)
    assert problem.file == str(folder / "geometry") and "main data folder" in problem.message


# -- 3. ranges, patterns and checks across the cells of a row ----------------------------------
@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "message"),
    [
        ("depths", "chen2018_gb21_m", "mean_mm", "-5", "at least 0"),
        ("depths", "wada2025_rib5_bl43_prone", "sd_mm", "-1", "at least 0"),
        ("depths", "kearns2022_ut_40mm", "breach_fraction", "5", "at most 1"),
        ("depths", "chen2018_gb21_m", "n", "0", "at least 1"),
        ("trigger_points", "upper_trapezius.tp1", "dx_cm", "500", "at most 30"),
        ("trigger_points", "upper_trapezius.tp1", "dy_cm", "-1e6", "at least -30"),
        ("sources", "simons1999upper", "year", "1066", "at least 1800"),
        ("sources", "simons1999upper", "year", "2999", "at most"),
        ("danger_zones", "kidney_upper_lumbar", "radius_cm", "0", "at least 0.5"),
        ("side_effects", "soreness", "max_days", "-2", "at least 0"),
        ("safety_tiers", "low", "rank", "0", "at least 1"),
    ],
)
def test_values_out_of_range(set_field, data_copy, table, row_id, column, value, message):
    path = set_field(table, row_id, column, value)
    problem = only_problem(data_copy)
    assert_cell(problem, path, row_id, column, value)
    assert "out of range" in problem.message and message in problem.message
    assert "data/dictionary.csv" in problem.fix


@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "fix"),
    [
        (
            "sources",
            "espejoantunez2017dry",
            "doi",
            "https://doi.org/10.1016/j.ctim.2017.06.003",
            "without the resolver",
        ),
        ("sources", "medlink_mps_upper_trapezius", "url", "www.medlink.com/media/Mpssi5", "https://"),
        ("trigger_points", "upper_trapezius.tp1", "source_ids", "simons1999upper|Simons 1999", None),
    ],
)
def test_values_in_the_wrong_form(set_field, data_copy, table, row_id, column, value, fix):
    path = set_field(table, row_id, column, value)
    problems = load_error(data_copy).problems
    assert len(problems) == 1, problems
    assert_cell(problems[0], path, row_id, column, value)
    if fix:
        assert "expected form" in problems[0].message and fix in problems[0].fix


@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "message"),
    [
        ("depths", "wada2025_rib5_bl43_prone", "min_mm", "30", "min_mm is larger than mean_mm (27"),
        ("depths", "wada2025_rib5_bl43_prone", "mean_mm", "40", "mean_mm is larger than max_mm (34"),
        ("depths", "kearns2022_ut_40mm", "breach_fraction", "", "needs the needle length tested"),
        ("depths", "chen2018_gb21_m", "breach_fraction", "0.5", "only pleural_space_breach rows"),
        ("effects", "sanchezinfante2021_smd_72h", "estimate", "-1.5", "outside its confidence interval"),
        ("side_effects", "soreness", "typical_days", "5", "longer than max_days"),
        ("facts", "mps_lifetime_share", "value", "185", "between 0 and 100"),
        ("safety_tiers", "low", "rank", "2", "share this rank"),
    ],
)
def test_cells_that_contradict_their_row(set_field, data_copy, table, row_id, column, value, message):
    path = set_field(table, row_id, column, value)
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.row == line_of(path, row_id)
    assert problem.column == column and message in problem.message and problem.fix


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"radius_cm": ""}, "radius_cm", "a circle zone needs a radius"),
        ({"landmark_ids": "glabella"}, "landmark_ids", "not on the posterior view: 'glabella'"),
        (
            {"shape": "polygon", "landmark_ids": "rib12_paravertebral|c7_spinous", "radius_cm": ""},
            "landmark_ids",
            "at least 3 landmarks",
        ),
        ({"landmark_ids": "rib12_paravertebral|c7_spinous"}, "landmark_ids", "exactly one landmark"),
        (
            {"shape": "polygon", "landmark_ids": "c7_spinous|t10_spinous|c7_spinous", "radius_cm": ""},
            "landmark_ids",
            "do not draw a simple polygon",
        ),
    ],
)
def test_danger_zone_that_would_crash_the_safety_map(edit_table, data_copy, cells, column, message):
    """The first three crashed plot_body_map(safety=True), the others drew a wrong or empty zone."""

    def fn(header, rows):
        row = next(r for r in rows if r[0] == "kidney_upper_lumbar")
        for key, value in cells.items():
            row[header.index(key)] = value
        return header, rows

    path = edit_table("danger_zones", fn)
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.row == line_of(path, "kidney_upper_lumbar")
    assert problem.column == column and message in problem.message and problem.fix


def test_bundled_safety_map_draws_every_danger_zone(atlas):
    fig = dnviz.plot_body_map(atlas, safety=True)
    drawn = [t for t in fig.data if (t.meta or {}).get("layer") == "danger-zone"]
    assert len(drawn) == 2 * len(atlas.danger_zones)


# -- 4. the root cause, once --------------------------------------------------------------------
def test_utf16_file_is_one_problem(data_copy):
    path = data_copy / "sources.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    problem = only_problem(data_copy)  # no "unknown sources.source_id" for every cited row
    assert problem.file == str(path) and "UTF-16" in problem.message and "UTF-8" in problem.fix


def test_utf16_without_a_byte_order_mark(data_copy):
    path = data_copy / "regions.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    problem = only_problem(data_copy)
    assert "UTF-16" in problem.message


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file_is_one_problem(data_copy, content):
    path = data_copy / "muscles.csv"
    path.write_bytes(content)
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.message == "the file is empty" and "header" in problem.fix


def test_header_only_table_is_no_rows(data_copy):
    path = data_copy / "depths.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file == str(path) and "no rows" in problem.message and "not a number" not in str(problem)


def test_repeated_header_is_one_problem(data_copy):
    path = data_copy / "referrals.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + lines) + "\n", encoding="utf-8")  # the file pasted twice
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.row == len(lines) + 1
    assert "header line is repeated" in problem.message and "delete this line" in problem.fix


def test_root_cause_comes_first(edit_table, data_copy):
    edit_table("referrals", set_cell(1, "kind", "primary"))
    path = data_copy / "trigger_points.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    problems = load_error(data_copy).problems
    assert problems[0].file == str(path) and "UTF-16" in problems[0].message
    assert not any("unknown trigger_points" in p.message for p in problems)


def test_not_utf8_names_the_line(data_copy):
    path = data_copy / "regions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",", ",\udcff", 1)
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape"))
    problem = only_problem(data_copy)
    assert problem.row == 4 and "0xff on line 4" in problem.message


def test_geometry_polygon_without_a_region_row(data_copy):
    """A polygon that no region row names is reported, not silently carried."""
    import json

    path = data_copy / "geometry" / "body.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    body["views"]["posterior"]["regions"]["spare_patch"] = body["views"]["posterior"]["regions"]["occiput"]
    path.write_text(json.dumps(body), encoding="utf-8")
    problem = only_problem(data_copy)
    assert (problem.file, problem.column, problem.value) == (str(path), "views.posterior.regions", "spare_patch")
    assert "regions.csv" in problem.message and "regions.csv" in problem.fix


def test_geometry_that_is_a_file_not_a_folder(data_copy):
    import shutil

    shutil.rmtree(data_copy / "geometry")
    (data_copy / "geometry").write_text("{}", encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file == str(data_copy / "geometry" / "body.json") and "Not a directory" in problem.message


def test_a_different_geometry_says_which_one_figures_draw(data_copy):
    import json

    path = data_copy / "geometry" / "body.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    body["provenance"] += " (edited)"
    path.write_text(json.dumps(body), encoding="utf-8")
    for _ in range(2):  # validated, then from the cache: the warning both times
        with pytest.warns(UserWarning, match="figures still draw the bundled body geometry"):
            dnviz.load_atlas(data_copy)


def test_a_long_list_of_problems_is_shortened_in_the_message(edit_table, data_copy):
    def fn(header, rows):
        for row in rows:
            row[header.index("dx_cm")] = "x"
        return header, rows

    edit_table("trigger_points", fn)
    err = load_error(data_copy)
    assert len(err.problems) > err.SHOWN
    text = str(err)
    assert text.count("\n  - ") == err.SHOWN and f"and {len(err.problems) - err.SHOWN} more" in text


def test_unlistable_extra_folder(tmp_path, monkeypatch):
    from pathlib import Path

    folder = tmp_path / "course"
    folder.mkdir()
    real = Path.iterdir

    def refuse(self):
        if self == folder:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)  # chmod 000 does not stop root, who runs make test
    problem = only_problem(None, extra=folder)
    assert problem.file == str(folder) and "cannot be listed (Permission denied)" in problem.message


def test_any_text_in_a_number_column_is_a_number_or_one_clear_problem():
    """Property: whatever a cell holds, the loader types it or names it; it never raises raw."""
    import math

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dnviz import _tables
    from dnviz._validation import Table, build_schema, schema_problems

    frame = dnviz.load_atlas().trigger_points.reset_index().head(1)
    raw = frame.astype(object).map(lambda v: "|".join(v) if isinstance(v, tuple) else str(v))
    refs: dict = {}
    schema = build_schema("trigger_points", _tables.dictionary(), refs)

    @settings(max_examples=300, deadline=None)
    @given(
        st.one_of(
            st.text(max_size=12),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.integers().map(lambda n: f"{n:_}"),
            st.sampled_from(["1e999", "-1e999", "１２", "2_017", "nan", "inf", "0x10", "1.", ".5", "+3", "٣"]),
        )
    )
    def check(text):
        cells = raw.copy()
        cells.loc[0, "dx_cm"] = text.strip() or None
        table = Table("trigger_points", cells, [("trigger_points.csv", 2)])
        problems = schema_problems(table, schema, _tables.dictionary(), refs)
        value = cells.loc[0, "dx_cm"]
        if problems:
            assert len(problems) == 1, problems
            (p,) = problems
            assert (p.file, p.row, p.column) == ("trigger_points.csv", 2, "dx_cm")
            if isinstance(value, str):
                assert p.value == value
            else:
                assert p.value is None and "required number is empty" in p.message
        else:
            number = float(value)
            assert math.isfinite(number) and -30 <= number <= 30
            typed = _tables._typed("trigger_points", cells)
            assert typed["dx_cm"].iloc[0] == number

    check()


def test_extra_folder_dictionary_is_read(tmp_path):
    import shutil
    import warnings

    from dnviz._paths import data_dir

    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(data_dir() / "dictionary.csv", folder / "dictionary.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # read, so not named as ignored
        dnviz.load_atlas(extra=folder)
    text = (folder / "dictionary.csv").read_text(encoding="utf-8")
    (folder / "dictionary.csv").write_text(text.replace("depths,mean_mm,float,no,", "depths,mean_mm,text,no,"), "utf-8")
    problem = only_problem(None, extra=folder)
    assert (problem.column, problem.value) == ("dtype", "text") and "bundled dictionary ('float')" in problem.message


@pytest.mark.parametrize(("sep", "said"), [(";", "';'"), ("\t", "a tab")])
def test_a_spreadsheet_separator_is_one_problem(data_copy, sep, said):
    import csv

    path = data_copy / "regions.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=sep).writerows(rows)
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.row == 1
    assert f"separated by {said}, not by commas" in problem.message and "commas" in problem.fix


@pytest.mark.parametrize("kind", ["fifo", "folder", "dev_zero", "huge"])
def test_file_type_and_size_are_checked_before_opening(tmp_path, monkeypatch, kind):
    import os

    from dnviz import _files

    path = tmp_path / "muscles.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "dev_zero":
        path.symlink_to("/dev/zero")
    else:
        with open(path, "wb") as fh:
            fh.truncate(_files.MAX_BYTES + 1)

    def no_open(*args, **kwargs):
        raise AssertionError("opened before its type and size were checked")

    monkeypatch.setattr(_files.os, "open", no_open)
    data, problem = _files.read_bytes(path)
    assert data is None and problem.file == str(path)


def test_trigger_point_off_the_body(set_field, data_copy):
    path = set_field("trigger_points", "masseter.tp1", "dy_cm", "29")  # above the head
    problem = only_problem(data_copy)
    assert problem.file == str(path) and problem.row == line_of(path, "masseter.tp1")
    assert problem.column == "dx_cm, dy_cm" and problem.value.endswith(", 29")
    assert "outside the body outline" in problem.message and "dy_cm cranial" in problem.fix


def test_a_second_copy_beside_the_table_is_not_renamed_over_it(data_copy):
    (data_copy / "Muscles.csv").write_text("muscle_id\n", encoding="utf-8")
    problem = only_problem(data_copy)
    assert "did you mean 'muscles.csv'" in problem.message and "move this file's rows there" in problem.fix


def test_landmark_spec_rows_with_several_views(data_copy):
    path = data_copy / "landmarks_spec.csv"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("no_such_point,both|lateral_right,A landmark the geometry lacks.\n")
    problem = only_problem(data_copy)
    assert (problem.file, problem.column, problem.value) == (str(path), "landmark_id", "no_such_point")
    assert "no such landmark on the anterior and posterior and lateral_right view" in problem.message

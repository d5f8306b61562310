"""The teaching notebooks are stored clean, presentable and on the public API.

The ``.ipynb`` files are the source, edited in JupyterLab; ``scripts/tidy_notebooks.py`` (``make
notebooks``) keeps their stored form clean, and nbval (``pytest notebooks``) executes them and
compares the outputs of the ``# NBVAL_CHECK_OUTPUT`` cells. These tests run the tidy script in
check mode, show that it catches a hand-edited copy, and check what neither does: the public
API only, hidden exercise answers, cited sources.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import dnviz

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
EXPECTED = [
    "00_start_here.ipynb",
    "01_trigger_points.ipynb",
    "02_referral_patterns.ipynb",
    "03_pain_finder.ipynb",
    "04_safety_zones.ipynb",
    "05_dry_needling_and_acupuncture.ipynb",
    "06_the_session.ipynb",
    "07_the_evidence.ipynb",
    "08_quiz.ipynb",
]
CHECK = "# NBVAL_CHECK_OUTPUT"
# The explorers: each notebook is one activity around one of them (their map's data reach a page
# once however many there are: tests/test_map_bundle.py).
FIGURE_EXPLORERS = {"explore_muscles", "pain_finder", "explore_safety", "quiz"}
# Notebooks whose outputs CI compares (the brief's regression checks).
CHECKED = {"00", "01", "03", "04", "08"}
PUBLIC = set(dnviz.__all__) | {"__version__"}
# Calls whose output would show an answer even when they are not a cell's last line.
PRINTING = {"print", "display", "Markdown", "HTML"}


def _load_tidy():
    spec = importlib.util.spec_from_file_location("tidy_notebooks", ROOT / "scripts" / "tidy_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tidy_notebooks", module)
    spec.loader.exec_module(module)
    return module


tidy = _load_tidy()


def is_check(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def markdown_cells(nb):
    return [c for c in nb.cells if c.cell_type == "markdown"]


@pytest.fixture(scope="module")
def atlas() -> dnviz.Atlas:
    return dnviz.load_atlas()


@pytest.fixture(params=EXPECTED, scope="module")
def notebook(request) -> tuple[str, nbformat.NotebookNode]:
    path = NOTEBOOK_DIR / request.param
    if not path.exists():
        pytest.fail(f"{request.param} is missing: restore it with git (the notebooks are the source)")
    with open(path, encoding="utf-8") as fh:
        return request.param, nbformat.read(fh, as_version=nbformat.NO_CONVERT)


def test_the_nine_notebooks_exist():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("0*.ipynb")) == EXPECTED


def test_valid_nbformat_v4_with_python3_kernel(notebook):
    name, nb = notebook
    nbformat.validate(nb)
    assert nb.nbformat == 4, name
    assert nb.metadata["kernelspec"]["name"] == "python3", name


def test_check_cells_where_ci_needs_them(notebook):
    name, nb = notebook
    n_checks = sum(is_check(c) for c in nb.cells)
    if name[:2] in CHECKED:
        assert n_checks >= 1, f"{name} lost its NBVAL_CHECK_OUTPUT cell"


def test_notebook_is_tidy(notebook):
    """What the builder used to enforce: ``scripts/tidy_notebooks.py --check`` finds nothing."""
    name, _ = notebook
    problems = tidy.process(NOTEBOOK_DIR / name, write=False)
    assert not problems, "\n".join(map(str, problems))


def test_whats_next_links_the_next_notebook(notebook):
    name, nb = notebook
    cell = next(c for c in markdown_cells(nb) if c.source.startswith("## What's next"))
    index = EXPECTED.index(name)
    target = EXPECTED[index + 1] if index + 1 < len(EXPECTED) else EXPECTED[0]
    assert f"]({target})" in cell.source, f"{name}: What's next does not link {target}"


def test_first_code_cell_imports_dnviz_and_loads_the_atlas(notebook):
    name, nb = notebook
    first = code_cells(nb)[0].source
    assert re.search(r"^import dnviz$", first, re.MULTILINE), name
    assert "atlas = dnviz.load_atlas()" in first, name


def _trees(nb):
    for cell in code_cells(nb):
        yield cell, ast.parse(cell.source)


def test_public_api_only(notebook):
    name, nb = notebook
    for cell, tree in _trees(nb):
        assert "dnviz._" not in cell.source, f"{name}: {cell.id} uses a private module"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "dnviz":
                assert node.module == "dnviz", f"{name}: {cell.id} imports from {node.module}"
                assert {a.name for a in node.names} <= PUBLIC, f"{name}: {cell.id} imports private names"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("dnviz."), f"{name}: {cell.id} imports {alias.name}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "dnviz":
                    assert node.attr in PUBLIC, f"{name}: {cell.id} uses dnviz.{node.attr}, not public"
                if node.value.id == "atlas":
                    assert not node.attr.startswith("_"), f"{name}: {cell.id} uses atlas.{node.attr}"


def _calls(tree, names):
    return [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "dnviz"
        and node.func.attr in names
    ]


def test_at_most_one_explorer_widget(notebook):
    """One explorer per notebook: each notebook is one activity around it.

    The seed-check cell of the quiz notebook builds a second, never displayed quiz; it is exempt.
    """
    name, nb = notebook
    calls = [call for cell, tree in _trees(nb) if not is_check(cell) for call in _calls(tree, FIGURE_EXPLORERS)]
    assert len(calls) <= 1, f"{name} builds {calls}"


def test_cites_its_sources(notebook, atlas):
    """Every notebook cites from the atlas, and every source or fact id it names exists."""
    name, nb = notebook
    code = "\n".join(c.source for c in code_cells(nb))
    assert "atlas.cite(" in code or "dnviz.show_facts(" in code, f"{name} never calls atlas.cite or dnviz.show_facts"
    markdown = "\n".join(c.source for c in markdown_cells(nb))
    cited = [
        sid
        for group in re.findall(r"\(sources?: ([^)]*)\)", markdown)
        for sid in re.findall(r"(?:`|<code>)([A-Za-z0-9_]+)(?:`|</code>)", group)
    ]
    assert cited, f"{name} names no source in its text"
    unknown = sorted(set(cited) - set(atlas.sources.index))
    assert not unknown, f"{name} cites unknown source ids: {unknown}"
    for cell, tree in _trees(nb):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "show_facts":
                ids = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
                missing = sorted(set(ids) - set(atlas.facts.index))
                assert not missing, f"{name}: {cell.id} shows unknown facts {missing}"
                for kw in node.keywords:
                    if kw.arg == "topic":
                        assert kw.value.value in set(atlas.facts["topic"]), f"{name}: unknown topic {kw.value.value}"


def test_cell_ids_are_unique_and_valid(notebook):
    name, nb = notebook
    ids = [c.id for c in nb.cells]
    assert len(set(ids)) == len(ids), f"{name}: repeated cell ids; run make notebooks"
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", i) for i in ids), name


def test_no_helpers_defined_in_notebooks(notebook):
    """A function or class a notebook needs lives in the package, tested there (dnviz.notebook)."""
    name, nb = notebook
    for cell, tree in _trees(nb):
        defined = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        assert not defined, f"{name}: cell {cell.id} defines {defined}; move it into dnviz and call it from there"


# ---------------------------------------------------------------------------------- hidden answers
def solution_cells(nb):
    """Code cells tagged ``solution``, announced as a solution by the markdown above, or revealing."""
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        above = cells[i - 1].source.lower() if i and cells[i - 1].cell_type == "markdown" else ""
        tagged = "solution" in cell.metadata.get("tags", [])
        announced = re.match(r"\W*(one possible |a possible )?(solution|answer)\b", above)
        if tagged or announced or "dnviz.reveal(" in cell.source:
            yield cell


def shows_output(statement: ast.stmt) -> list[str]:
    """Names of the calls in a statement that print or display something."""
    return [
        getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        for node in ast.walk(statement)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) in PRINTING or getattr(node.func, "attr", None) in PRINTING)
    ]


def is_reveal(statement: ast.stmt) -> bool:
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "reveal"
        and getattr(call.func.value, "id", None) == "dnviz"
    )


def test_solutions_print_nothing_until_revealed(notebook):
    """Run All shows a closed "Show the answer" control under each exercise, never the answer.

    A solution cell ends with ``dnviz.reveal(...)`` (its only displayed output: IPython shows a
    cell's last expression only) and calls nothing that prints or displays.
    """
    name, nb = notebook
    for cell in solution_cells(nb):
        body = ast.parse(cell.source).body
        assert body and is_reveal(body[-1]), f"{name}: solution cell {cell.id} must end with dnviz.reveal(...)"
        assert "solution" in cell.metadata.get("tags", []), f"{name}: tag solution cell {cell.id} 'solution'"
        for statement in body[:-1]:
            printing = shows_output(statement)
            assert not printing, f"{name}: solution cell {cell.id} calls {printing}; pass its answer to dnviz.reveal"
        reveal_args = body[-1].value.args
        assert not any(shows_output(ast.Expr(a)) for a in reveal_args), f"{name}: {cell.id} prints inside reveal"


def test_every_exercise_has_a_hidden_solution(notebook):
    name, nb = notebook
    if name.startswith("00"):
        return  # notebook 0's "Try it" has no single answer
    assert list(solution_cells(nb)), f"{name}: its exercise has no solution cell ending in dnviz.reveal(...)"


def test_the_solution_check_catches_a_printed_answer():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("*One possible solution:*"),
        nbformat.v4.new_code_cell('x = 3\nprint("the answer is", x)\ndnviz.reveal(f"{x}")'),
    ]
    nb.cells[1].metadata["tags"] = ["solution"]
    with pytest.raises(AssertionError, match="calls \\['print'\\]"):
        test_solutions_print_nothing_until_revealed(("broken.ipynb", nb))
    nb.cells[1].source = "x = 3\nx"
    with pytest.raises(AssertionError, match=r"must end with dnviz\.reveal"):
        test_solutions_print_nothing_until_revealed(("broken.ipynb", nb))


# ------------------------------------------------------------------------ the tidy script, broken
@pytest.fixture
def broken(tmp_path):
    """Edit a copy of notebook 04 as JSON, as a hand edit would, and return its path."""
    source = NOTEBOOK_DIR / "04_safety_zones.ipynb"

    def make(edit) -> Path:
        data = json.loads(source.read_text(encoding="utf-8"))
        edit(data)
        path = tmp_path / source.name
        path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    return make


def _first(data, kind, check=False):
    for i, cell in enumerate(data["cells"]):
        if cell["cell_type"] == kind and "".join(cell["source"]).startswith(CHECK) == check:
            return i, cell
    raise LookupError(kind)


def _messages(path, write=False):
    return "\n".join(map(str, tidy.process(path, write=write)))


def test_tidy_reports_stray_outputs_with_notebook_cell_and_fix(broken):
    def edit(data):
        _, cell = _first(data, "code")
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]
        cell["execution_count"] = 7

    path = broken(edit)
    text = _messages(path)
    assert "04_safety_zones.ipynb: cell 5 (id nb04-c005): stores 1 output(s)" in text
    assert "stores an execution count" in text and "make notebooks" in text


def test_tidy_reports_widget_state(broken):
    def edit(data):
        data["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
        data["cells"][0]["metadata"]["widgets"] = {}

    text = _messages(broken(edit))
    assert "stores widget state in its metadata" in text
    assert "cell 0 (id nb04-c000): stores 'widgets' metadata" in text


def test_tidy_reports_a_missing_heading_and_where_it_goes(broken):
    def edit(data):
        cell = next(c for c in data["cells"] if "".join(c["source"]).startswith("## Summary"))
        cell["source"] = ["Summary, without its heading."]

    path = broken(edit)
    text = _messages(path)
    assert "has no '## Summary' heading" in text
    assert "add a markdown cell starting '## Summary' before '## What's next'" in text
    # a person must fix it: tidying writes the fixable part and still fails
    assert tidy.main([str(path)]) == 1


def test_tidy_reports_headings_out_of_order(broken):
    def edit(data):
        cells = data["cells"]
        i = next(i for i, c in enumerate(cells) if "".join(c["source"]).startswith("## Overview"))
        cells.insert(len(cells) - 1, cells.pop(i))

    assert "out of order" in _messages(broken(edit))


def test_tidy_reports_a_check_cell_without_output(broken):
    def edit(data):
        _, cell = _first(data, "code", check=True)
        cell["outputs"] = []

    text = _messages(broken(edit))
    assert "NBVAL_CHECK_OUTPUT cell without a stored output" in text and "Run All, save" in text


def test_tidy_reports_invalid_json_with_line_and_column(tmp_path):
    path = tmp_path / "04_safety_zones.ipynb"
    path.write_text('{"cells": [\n  {"cell_type": "markdown",,}\n]}\n', encoding="utf-8")
    text = _messages(path)
    assert "not valid JSON at line 2, column" in text


def test_tidy_fixes_what_it_can_then_the_check_passes(broken, capsys):
    def edit(data):
        _, cell = _first(data, "code")
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]
        cell["execution_count"] = 3
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
        data["metadata"]["widgets"] = {}
        data["metadata"]["language_info"] = {"name": "python", "version": "3.13.1"}
        data["cells"][1]["metadata"]["slideshow"]["slide_type"] = "-"  # a '## ' heading
        data["cells"][2]["id"] = data["cells"][1]["id"]  # a duplicate, as a copy-paste makes
        del data["cells"][3]["id"]
        _first(data, "code", check=True)[1]["execution_count"] = 99  # the cell was run again and again

    path = broken(edit)
    assert tidy.main(["--check", str(path)]) == 1
    assert "04_safety_zones.ipynb: cell 5 (id nb04-c005)" in capsys.readouterr().err
    assert tidy.main([str(path)]) == 0
    assert tidy.main(["--check", str(path)]) == 0
    assert path.read_bytes() == _expected_after_fix(path)


def _expected_after_fix(path):
    """Tidying the broken copy gives back the original, except for the two cells that lost their ids."""
    original = json.loads((NOTEBOOK_DIR / path.name).read_text(encoding="utf-8"))
    fixed = json.loads(path.read_text(encoding="utf-8"))
    for i in (2, 3):
        assert fixed["cells"][i]["id"] not in {c["id"] for c in original["cells"]}
        assert re.fullmatch(r"nb04-[0-9a-f]{8}", fixed["cells"][i]["id"])
        original["cells"][i]["id"] = fixed["cells"][i]["id"]
    return (json.dumps(original, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def test_a_new_cell_renumbers_nothing_and_tidying_twice_changes_nothing(tmp_path):
    path = tmp_path / "04_safety_zones.ipynb"
    shutil.copy(NOTEBOOK_DIR / path.name, path)
    nb = tidy.read(path)
    before = [c.id for c in nb.cells]
    new = nbformat.v4.new_markdown_cell("A note an instructor added in class.")
    del new["id"]
    nb.cells.insert(10, new)
    path.write_text(json.dumps(nb, indent=1, sort_keys=True), encoding="utf-8")  # as a text editor might
    assert tidy.main([str(path)]) == 0
    after = [c.id for c in tidy.read(path).cells]
    assert after[:10] + after[11:] == before
    assert after[10] == "nb04-" + tidy._new_id(nb, copy.deepcopy(new), set())[5:]
    once = path.read_bytes()
    assert tidy.main([str(path)]) == 0 and path.read_bytes() == once


def test_make_notebooks_check_runs_from_the_command_line():
    result = subprocess.run(
        [sys.executable, "scripts/tidy_notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_make_notebooks_runs_the_tidy_script():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nnotebooks:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/tidy_notebooks.py" in recipe
    assert not (ROOT / "scripts" / "build_notebooks.py").exists(), (
        "the builder is retired: the notebooks are the source"
    )


def test_execute_refreshes_check_outputs_and_names_a_failing_cell(tmp_path, capsys):
    """``--execute`` is Run All and save without JupyterLab: check outputs refreshed, the rest stripped."""
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    for path, body in ((good, "print(6 * 7)"), (bad, "1 / 0")):
        nb = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell('print("not kept")'), nbformat.v4.new_code_cell(f"{CHECK}\n{body}")]
        )
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
        nb.cells[1].execution_count = 1
        path.write_text(tidy.dumps(nb), encoding="utf-8")
    assert tidy.main(["--execute", str(good), str(bad)]) == 1
    stored = tidy.read(good).cells
    assert stored[0].outputs == [] and stored[0].execution_count is None
    assert [o["text"] for o in stored[1].outputs] == ["42\n"] and stored[1].execution_count == 2
    err = capsys.readouterr().err
    assert "bad.ipynb: cell 1 (id " in err and "fails when run: ZeroDivisionError" in err
    assert "stale" in bad.read_text(encoding="utf-8")  # a failed run writes nothing


def test_nbval_fails_a_solution_cell_that_shows_its_answer(tmp_path):
    """Executed, not read: under nbval a solution cell may only show its dnviz.reveal control."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import dnviz"),
        nbformat.v4.new_code_cell('print("The answer is 42.")\ndnviz.reveal("42")'),
        nbformat.v4.new_code_cell('dnviz.reveal("The answer is 42.")'),
    ]
    for cell in nb.cells[1:]:
        cell.metadata["tags"] = ["solution"]
    path = tmp_path / "exercise.ipynb"
    nbformat.write(nb, path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--nbval-lax", "-p", "tests.nbval_solutions", "-p", "no:cacheprovider"]
        + ["--rootdir", str(tmp_path), str(path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "1 failed, 2 passed" in result.stdout, result.stdout[-2000:]
    assert "shows its answer on Run All (printed 'The answer is 42.\\n')" in result.stdout

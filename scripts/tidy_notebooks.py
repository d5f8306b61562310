"""Tidy the teaching notebooks in place, or check that they are tidy.

The ``.ipynb`` files in ``notebooks/`` are the source: instructors edit them in JupyterLab. This
script keeps them in the form CI and the slides expect, and changes nothing else (no cell is
renumbered, no text is touched):

- every cell has slide metadata: a ``#`` or ``##`` heading starts a slide, ``###`` a sub-slide,
  a cell tagged ``solution`` is skipped; other cells keep a valid type, or get ``-``;
- outputs and execution counts are stored only on cells whose first line is
  ``# NBVAL_CHECK_OUTPUT`` (nbval compares them in CI); their count is their place among the
  code cells, as in a fresh Run All, so re-running a cell leaves no diff;
- no widget state, no execution timing metadata, ``language_info`` reduced to its name;
- every cell id is unique and kept; a cell without one (or with a duplicate) gets an id derived
  from its content, others are never renumbered;
- the JSON is what Jupyter writes: nbformat 4, sorted keys, one-space indent.

Some problems need a person rather than a script, and are reported with the notebook, the cell
(index and id) and what to do: a numbered notebook missing a required heading (or with headings
out of order), a check cell without a stored output or with an error, invalid JSON.

Run from the project root::

    python scripts/tidy_notebooks.py            # tidy notebooks/*.ipynb in place (make notebooks)
    python scripts/tidy_notebooks.py --check    # report what is untidy, write nothing; exit 1 if any
    python scripts/tidy_notebooks.py --check notebooks/04_safety_zones.ipynb
    python scripts/tidy_notebooks.py --execute notebooks/00_start_here.ipynb   # run it, store check outputs

``--execute`` runs a notebook top to bottom in a fresh kernel (from ``notebooks/``) before tidying,
which refreshes the stored outputs of its check cells, as Run All and save in JupyterLab would.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4.rwbase import rejoin_lines

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CHECK = "# NBVAL_CHECK_OUTPUT"
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
SOLUTION_TAG = "solution"
# The sections every numbered notebook has, in this order (Project Pythia's cookbook layout).
REQUIRED_HEADINGS = ("Overview", "Learning goals", "Prerequisites", "Summary", "What's next")
NUMBERED = re.compile(r"^\d\d_")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
VOLATILE_CELL_METADATA = ("execution", "widgets", "ExecuteTime")
ID_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
MAKE = "run `make notebooks` (python scripts/tidy_notebooks.py) to fix it"
TIMEOUT = 300  # seconds per cell with --execute


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a notebook; ``fixable`` ones the tidy script repairs itself."""

    notebook: str
    message: str
    fix: str
    cell: int | None = None
    cell_id: str | None = None
    fixable: bool = True

    def __str__(self) -> str:
        where = self.notebook
        if self.cell is not None:
            where += f": cell {self.cell}" + (f" (id {self.cell_id})" if self.cell_id else "")
        return f"{where}: {self.message}; {self.fix}"


class NotebookError(Exception):
    """A notebook that cannot be tidied at all (not JSON, not nbformat 4)."""


# ------------------------------------------------------------------------------------------ reading
def read(path: Path) -> nbformat.NotebookNode:
    """Load a notebook as stored, without nbformat's own repairs (which would invent ids)."""
    name = _name(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise NotebookError(
            f"{name}: not valid JSON at line {err.lineno}, column {err.colno} ({err.msg}); "
            "open the file in a text editor, repair it there (or restore it from git) and run `make notebooks`"
        ) from err
    if not isinstance(data, dict) or data.get("nbformat") != 4 or not isinstance(data.get("cells"), list):
        raise NotebookError(f"{name}: not an nbformat 4 notebook; save it from JupyterLab 4 and run `make notebooks`")
    return rejoin_lines(nbformat.from_dict(data))


def _name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def is_check(cell) -> bool:
    return cell.get("cell_type") == "code" and _source(cell).lstrip().startswith(CHECK)


def is_solution(cell) -> bool:
    return cell.get("cell_type") == "code" and SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def heading_level(cell) -> int:
    """1, 2 or 3 for a markdown cell whose first non-blank line is such a heading, else 0."""
    if cell.get("cell_type") != "markdown":
        return 0
    first = next((line for line in _source(cell).splitlines() if line.strip()), "")
    match = re.match(r"(#{1,6}) \S", first)
    return len(match.group(1)) if match else 0


def slide_type_for(cell) -> str | None:
    """The slide type the headings (or the solution tag) impose, or None where the author chooses."""
    level = heading_level(cell)
    if level in (1, 2):
        return "slide"
    if level == 3:
        return "subslide"
    if is_solution(cell):
        return "skip"
    return None


# ------------------------------------------------------------------------------------------ tidying
def tidy(nb: nbformat.NotebookNode, name: str) -> tuple[nbformat.NotebookNode, list[Problem]]:
    """Return a tidy copy of ``nb`` and every problem found in the original (fixable or not)."""
    nb = copy.deepcopy(nb)
    problems: list[Problem] = []

    def found(message, fix=MAKE, cell=None, cell_id=None, fixable=True):
        problems.append(Problem(name, message, fix, cell, cell_id, fixable))

    # Notebook metadata
    if "widgets" in nb.metadata:
        found("stores widget state in its metadata")
        del nb.metadata["widgets"]
    kernelspec = nb.metadata.get("kernelspec", {})
    if kernelspec.get("name") != "python3":
        found(f"kernel is {kernelspec.get('name')!r}, not python3")
        nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    if nb.metadata.get("language_info") not in (None, {"name": "python"}):
        found("stores the kernel's language_info (versions of this machine)")
        nb.metadata["language_info"] = {"name": "python"}
    if nb.get("nbformat_minor", 0) < 5:
        found(f"is nbformat 4.{nb.get('nbformat_minor')}; cell ids need 4.5")
        nb.nbformat_minor = 5

    _tidy_ids(nb, found)
    code_number = 0
    for index, cell in enumerate(nb.cells):
        cid = cell.get("id")
        meta = cell.setdefault("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            if key in meta:
                found(f"stores {key!r} metadata", cell=index, cell_id=cid)
                del meta[key]
        wanted = slide_type_for(cell)
        current = meta.get("slideshow", {}).get("slide_type")
        if wanted is None:
            wanted = current if current in SLIDE_TYPES else "-"
        if current != wanted:
            found(f"has slide type {current!r}, expected {wanted!r}", cell=index, cell_id=cid)
            meta["slideshow"] = {"slide_type": wanted}
        if cell.cell_type != "code":
            continue
        code_number += 1
        if is_check(cell):
            _tidy_check_cell(cell, index, code_number, found)
            continue
        if cell.get("outputs"):
            found(f"stores {len(cell.outputs)} output(s); only {CHECK} cells keep theirs", cell=index, cell_id=cid)
            cell.outputs = []
        if cell.get("execution_count") is not None:
            found("stores an execution count", cell=index, cell_id=cid)
            cell.execution_count = None

    if NUMBERED.match(Path(name).name):
        _check_headings(nb, found)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        found(f"is not valid nbformat 4: {err.message}", fix="repair it in JupyterLab and save", fixable=False)
    return nb, problems


def _tidy_ids(nb, found) -> None:
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if isinstance(cid, str) and ID_PATTERN.match(cid) and cid not in seen:
            seen.add(cid)
            continue
        why = "has no id" if not cid else "repeats an earlier id" if cid in seen else "has an invalid id"
        new = _new_id(nb, cell, seen)
        found(f"{why}; it gets {new!r}", cell=index, cell_id=cid)
        cell["id"] = new
        seen.add(new)


def _new_id(nb, cell, taken: set[str]) -> str:
    """An id from the cell's content (stable across runs), or a short random one if that is taken."""
    prefix = ""
    first = nb.cells[0].get("id", "") if nb.cells else ""
    match = re.match(r"(nb\d\d)-", first or "")
    if match:
        prefix = match.group(1) + "-"
    digest = hashlib.sha1(f"{cell.get('cell_type')}\n{_source(cell)}".encode()).hexdigest()[:8]
    candidate = prefix + digest
    all_ids = taken | {c.get("id") for c in nb.cells if c is not cell}
    while candidate in all_ids:
        candidate = prefix + secrets.token_hex(4)
    return candidate


def _tidy_check_cell(cell, index: int, code_number: int, found) -> None:
    cid = cell.get("id")
    rerun = (
        "open the notebook in JupyterLab, Run All, save, then run `make notebooks` "
        "(nbval compares this cell's stored output)"
    )
    if not cell.get("outputs"):
        found(f"is a {CHECK} cell without a stored output", fix=rerun, cell=index, cell_id=cid, fixable=False)
        return
    for out in cell.outputs:
        if out.get("output_type") == "error" or (out.get("output_type") == "stream" and out.get("name") == "stderr"):
            found(
                f"is a {CHECK} cell whose stored output is an error or stderr",
                fix=rerun,
                cell=index,
                cell_id=cid,
                fixable=False,
            )
        if WIDGET_MIME in out.get("data", {}):
            found(
                f"is a {CHECK} cell that stores a widget",
                fix="print text in check cells, not widgets",
                cell=index,
                cell_id=cid,
                fixable=False,
            )
        if "execution" in out.get("metadata", {}):
            found("stores execution timing in an output", cell=index, cell_id=cid)
            del out.metadata["execution"]
    if cell.get("execution_count") != code_number:
        # nbval needs a count beside stored outputs; its place among the code cells (a fresh Run
        # All's count) keeps the stored form the same however often the cell was run.
        found(
            f"is a {CHECK} cell with execution count {cell.get('execution_count')!r}, expected {code_number} "
            "(its place among the code cells)",
            cell=index,
            cell_id=cid,
        )
        cell.execution_count = code_number


def _check_headings(nb, found) -> None:
    markdown = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    titles = [(i, c) for i, c in markdown if heading_level(c) == 1]
    if not markdown or heading_level(markdown[0][1]) != 1:
        i, c = markdown[0] if markdown else (0, nb.cells[0] if nb.cells else {})
        found(
            "does not start with a '# Title' markdown cell",
            fix="add a markdown cell '# <number>. <title>' at the top",
            cell=i,
            cell_id=c.get("id"),
            fixable=False,
        )
    for i, c in titles[1:]:
        found(
            "is a second '# ' title (one per notebook)",
            fix="make it a '## ' section heading",
            cell=i,
            cell_id=c.get("id"),
            fixable=False,
        )
    positions: dict[str, tuple[int, str]] = {}
    for i, c in markdown:
        if heading_level(c) == 2:
            first = next(line for line in _source(c).splitlines() if line.strip())
            text = first[3:].strip()
            if text in REQUIRED_HEADINGS and text not in positions:
                positions[text] = (i, c.get("id"))
    for k, heading in enumerate(REQUIRED_HEADINGS):
        if heading in positions:
            continue
        before = next((h for h in REQUIRED_HEADINGS[k + 1 :] if h in positions), None)
        after = next((h for h in reversed(REQUIRED_HEADINGS[:k]) if h in positions), None)
        if before:
            where, anchor = f"before '## {before}'", positions[before]
        elif after:
            where, anchor = f"after '## {after}'", positions[after]
        else:
            where, anchor = "", (None, None)
        found(
            f"has no '## {heading}' heading",
            fix=f"add a markdown cell starting '## {heading}' {where}".rstrip(),
            cell=anchor[0],
            cell_id=anchor[1],
            fixable=False,
        )
    present = [h for h in REQUIRED_HEADINGS if h in positions]
    ordered = sorted(present, key=lambda h: positions[h][0])
    if ordered != present:
        for expected, actual in zip(present, ordered):
            if expected != actual:
                i, cid = positions[actual]
                found(
                    f"has '## {actual}' out of order (the order is {', '.join(REQUIRED_HEADINGS)})",
                    fix="move the cell to its place",
                    cell=i,
                    cell_id=cid,
                    fixable=False,
                )
                break


# ------------------------------------------------------------------------------------------ writing
def dumps(nb: nbformat.NotebookNode) -> str:
    """The notebook as Jupyter writes it: sorted keys, one-space indent, a final newline."""
    return nbformat.writes(nb, version=nbformat.NO_CONVERT) + "\n"


def execute(nb: nbformat.NotebookNode, name: str) -> list[Problem]:
    """Run every cell in a fresh python3 kernel from ``notebooks/``; outputs land in ``nb``."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    try:
        client.execute()
    except CellExecutionError as err:
        index = next(
            (i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))),
            None,
        )
        cell_id = nb.cells[index].get("id") if index is not None else None
        return [
            Problem(
                name, f"fails when run: {err.ename}: {err.evalue}", "fix the cell in JupyterLab", index, cell_id, False
            )
        ]
    return []


def process(path: Path, write: bool, run: bool = False) -> list[Problem]:
    """Tidy one notebook (writing it if ``write``; executing it first if ``run``); return its problems."""
    name = _name(path)
    try:
        nb = read(path)
    except NotebookError as err:
        return [Problem(name, str(err).split(": ", 1)[1], "", fixable=False)]
    if run:
        failed = execute(nb, name)
        if failed:
            return failed
    tidied, problems = tidy(nb, name)
    text = dumps(tidied)
    if text != path.read_text(encoding="utf-8") and not any(p.fixable for p in problems):
        problems.append(Problem(name, "is not written as Jupyter writes it (key order, indent, line breaks)", MAKE))
    if write and text != path.read_text(encoding="utf-8"):
        path.write_text(text, encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="report what is untidy and write nothing")
    parser.add_argument("--execute", action="store_true", help="run each notebook first (refreshes check outputs)")
    args = parser.parse_args(argv)
    if args.check and args.execute:
        parser.error("--check writes nothing, so it cannot --execute; run one, then the other")
    paths = args.paths or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    failed = 0
    for path in paths:
        problems = process(path, write=not args.check, run=args.execute)
        left = problems if args.check else [p for p in problems if not p.fixable]
        fixed = len(problems) - len(left)
        for problem in left:
            print(problem, file=sys.stderr)
        if fixed and not args.check:
            print(f"{_name(path)}: tidied ({fixed} fix{'es' if fixed != 1 else ''})")
        failed += bool(left)
    if failed:
        what = "untidy" if args.check else "need a person"
        print(f"{failed} notebook(s) {what}; see above", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

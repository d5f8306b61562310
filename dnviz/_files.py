"""Reading one data file safely: its type and size are checked before a byte is read.

A table path may be anything a user's folder holds: a folder, a named pipe (opening it for reading
would wait forever), a link to ``/dev/zero`` (reading it would never end), a broken link, a huge
file, a UTF-16 export from a spreadsheet. Each is answered by one :class:`~dnviz._validation.Problem`
that names the file and says what to do, never by a raw exception or a hang.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from dnviz._validation import Problem

MAX_BYTES = 20 * 1024 * 1024
"""Largest data file read (20 MB): the bundled tables together are under 0.5 MB."""

_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_SAVE_UTF8 = "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8'; in an editor: encoding UTF-8)"


def _problem(path: Path, message: str, fix: str) -> Problem:
    return Problem(str(path), None, None, None, message, fix)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file, or the problem that stops it being read.

    The file type is checked before the file is opened, and again on the open descriptor (opened
    non-blocking, so even a pipe swapped in between cannot hang the load); at most ``max_bytes``
    bytes are read.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> read_bytes(folder)[1].message
    'the path is a folder, not a file'
    """
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return None, _problem(path, "the file does not exist", "restore it, or check the folder you passed")
    except OSError as err:
        return None, _problem(path, f"the file cannot be examined ({err.strerror})", "check the path and its folders")
    if stat.S_ISLNK(link.st_mode):
        try:
            before = os.stat(path)
        except FileNotFoundError:
            return None, _problem(
                path,
                f"the file is a broken link (it points to '{os.readlink(path)}', which does not exist)",
                "restore the file it points to, or replace the link by the file",
            )
        except OSError as err:
            return None, _problem(path, f"the link cannot be followed ({err.strerror})", "replace the link by the file")
    else:
        before = link
    if problem := _not_a_file(path, before, link, max_bytes):  # checked before opening: a pipe would block
        return None, problem
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        return None, _problem(path, "the file cannot be read (permission denied)", "make it readable for your user")
    except OSError as err:
        return None, _problem(path, f"the file cannot be opened ({err.strerror})", "check the path")
    try:
        if problem := _not_a_file(path, os.fstat(fd), link, max_bytes):  # and again: it may have been swapped
            return None, problem
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(max_bytes + 1)
    except OSError as err:
        return None, _problem(path, f"the file cannot be read ({err.strerror})", "check the file")
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:
        return None, _too_big(path, len(data), max_bytes)
    return data, None


def _not_a_file(path: Path, info: os.stat_result, link: os.stat_result, max_bytes: int) -> Problem | None:
    """The problem with a path that is not a regular file of at most ``max_bytes``, if any."""
    if stat.S_ISDIR(info.st_mode):
        return _problem(path, "the path is a folder, not a file", "put the CSV file itself at this path")
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        target = f" (a link to '{os.readlink(path)}')" if stat.S_ISLNK(link.st_mode) else ""
        return _problem(
            path, f"the path is {kind}{target}, not a regular file", "save the data as a plain file at this path"
        )
    if info.st_size > max_bytes:
        return _too_big(path, info.st_size, max_bytes)
    return None


def _too_big(path: Path, size: int, max_bytes: int) -> Problem:
    return _problem(
        path,
        f"the file is larger than the {max_bytes // (1024 * 1024)} MB limit ({size / (1024 * 1024):.1f} MB or more)",
        "check that it is the right file; atlas tables are small text files",
    )


def decode_text(data: bytes, path: Path) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a file's bytes, or one problem naming the root cause (UTF-16, binary, empty...)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return None, _problem(path, f"the file is {name} text, not UTF-8", _SAVE_UTF8)
    if b"\x00" in data:
        nuls = data[:4096].count(b"\x00")
        if nuls * 4 >= min(len(data), 4096):  # every other byte NUL: UTF-16 without its mark
            return None, _problem(
                path, "the file looks like UTF-16 text (without a byte-order mark), not UTF-8", _SAVE_UTF8
            )
        return None, _problem(path, "the file is binary (it holds NUL bytes), not CSV text", "export the table as CSV")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, Problem(
            str(path),
            line,
            None,
            None,
            f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} on line {line})",
            _SAVE_UTF8,
        )
    if not text.strip():
        return None, _problem(
            path, "the file is empty", "a table needs at least its header line (see data/dictionary.csv)"
        )
    return text, None


@dataclass
class CsvText:
    """A CSV file parsed as stripped strings, each row with its line number in the file."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]


def parse_csv(text: str, path: Path) -> tuple[CsvText | None, list[Problem]]:
    """Parse CSV text; ragged rows and a repeated header line are problems, blank lines are skipped.

    A repeated header line (two files pasted together) is the root cause of every duplicate that
    follows it, so it is reported alone and the rows are not returned.
    """
    shown = str(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        separator = next((sep for sep in (";", "\t") if len(header) == 1 and sep in header[0]), None)
        if separator is not None:  # every atlas file has several columns: a spreadsheet's export
            said = "a tab" if separator == "\t" else f"'{separator}'"
            return None, [
                Problem(
                    shown,
                    1,
                    None,
                    None,
                    f"the columns are separated by {said}, not by commas",
                    "save the file as CSV with commas (in a spreadsheet: 'CSV UTF-8 (comma delimited)')",
                )
            ]
        rows: list[list[str]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for record in reader:
            cells = [cell.strip() for cell in record]
            if any(cells):
                if cells == header:
                    return None, [
                        Problem(
                            shown,
                            start,
                            None,
                            None,
                            "the header line is repeated here",
                            "delete this line (and any rows pasted twice after it)",
                        )
                    ]
                if len(cells) != len(header):
                    problems.append(
                        Problem(
                            shown,
                            start,
                            None,
                            None,
                            f"the row has {len(cells)} fields but the header has {len(header)}",
                            "quote fields that contain commas, and give every row one value per column",
                        )
                    )
                else:
                    rows.append(cells)
                    lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        return None, [
            Problem(shown, start, None, None, f"the file is not valid CSV ({err})", "check the quoting on that line")
        ]
    if problems:
        return None, problems
    return CsvText(header, rows, lines), []


def parse_file(path: Path, data: bytes) -> tuple[CsvText | None, list[Problem]]:
    """Decode and parse the bytes of one CSV file."""
    text, problem = decode_text(data, path)
    if problem:
        return None, [problem]
    return parse_csv(text, path)

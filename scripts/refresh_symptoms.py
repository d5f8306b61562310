"""Rank each complaint's muscles in data/symptoms.csv again from the atlas's referral rows.

Usage: python scripts/refresh_symptoms.py [--check]

A complaint's name, synonyms, regions and note are curated by hand; its primary muscles (an
essential zone in its regions), secondary muscles (spillover only) and sources (those of the
referral rows behind them, strongest evidence first) are ranked by dnviz.symptoms.rank_muscles.
A source no referral row cites (a study of the complaint itself, added by hand) is kept, first.
Run it after referral rows change; --check exits 1 when the file is out of date. The file keeps
its CRLF line endings.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DNVIZ_CACHE"] = "0"

import dnviz._tables  # noqa: E402
from dnviz import load_atlas  # noqa: E402
from dnviz.symptoms import rank_muscles  # noqa: E402

PATH = ROOT / "data" / "symptoms.csv"


def refreshed() -> tuple[str, str]:
    dnviz._tables.symptom_problems = lambda t: []  # the rows being ranked may be out of date
    atlas = load_atlas()
    old = PATH.read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(old, newline="")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    cited = {s for ids in atlas.referrals["source_ids"] for s in ids}
    for row in rows:
        primary, secondary, sources = rank_muscles(atlas, row["region_ids"].split("|"))
        own = [s for s in row["source_ids"].split("|") if s and s not in cited]  # about the complaint itself
        sources = list(dict.fromkeys([*own, *sources]))
        row |= {
            "primary_muscle_ids": "|".join(primary),
            "secondary_muscle_ids": "|".join(secondary),
            "source_ids": "|".join(sources),
        }
        writer.writerow(row)
    return old, out.getvalue()


def main(argv: list[str]) -> int:
    old, new = refreshed()
    if "--check" in argv:
        if old != new:
            print("data/symptoms.csv is out of date: run python scripts/refresh_symptoms.py", file=sys.stderr)
            return 1
        return 0
    PATH.write_bytes(new.encode("utf-8"))
    print(f"data/symptoms.csv: {new.count(chr(10)) - 1} complaints ranked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

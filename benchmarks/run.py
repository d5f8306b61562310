"""Speed and size benchmarks (not timed tests). Run: make bench  (or python benchmarks/run.py [names...]).

Prints one line per measurement; targets are stated beside each number.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import dnviz


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, 95th percentile) wall time in ms over ``repeat`` calls, after one warm-up."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def cpu_median(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU time (this process) in ms over ``repeat`` calls, after one warm-up."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def bench_load() -> None:
    """First load (every cell validated, then cached) against a repeated load of unchanged data."""
    import os
    import tempfile

    from dnviz import _cache

    saved = {k: os.environ.get(k) for k in ("DNVIZ_CACHE_DIR", "DNVIZ_CACHE")}
    os.environ.pop("DNVIZ_CACHE", None)
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DNVIZ_CACHE_DIR"] = folder

            def first():
                _cache.clear()
                dnviz.load_atlas()

            median, p95 = timed(first, 20)
            print(
                f"load_atlas(), first load (validate + write cache): median {median:.0f} ms, p95 {p95:.0f} ms over 20 (target: no slower than 240-340 ms)"
            )
            dnviz.load_atlas()
            median, p95 = timed(dnviz.load_atlas, 30)
            print(
                f"load_atlas(), repeated load of unchanged data (hash every file, read cache): median {median:.0f} ms, p95 {p95:.0f} ms over 30 (target < 100 ms)"
            )
        os.environ["DNVIZ_CACHE"] = "0"
        median, p95 = timed(dnviz.load_atlas, 10)
        print(f"load_atlas(), cache off (DNVIZ_CACHE=0): median {median:.0f} ms, p95 {p95:.0f} ms over 10")
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def bench_body_map() -> None:
    atlas = dnviz.load_atlas()
    median, p95 = timed(lambda: dnviz.plot_body_map(atlas, muscle="upper trapezius", window="whole"), 20)
    size = len(dnviz.plot_body_map(atlas, muscle="upper trapezius", window="whole").to_json().encode())
    print(
        f"plot_body_map(whole, both views, upper trapezius): median {median:.1f} ms, p95 {p95:.1f} ms (target < 50 ms); "
        f"JSON {size / 1024:.0f} KB (target < 300 KB)"
    )
    for muscle in ("upper trapezius", "infraspinatus", "extensor digitorum", "gastrocnemius"):
        build = lambda m=muscle: dnviz.plot_body_map(atlas, muscle=m)  # noqa: E731 - the default "auto" window
        median, p95 = timed(build, 20)
        cpu = cpu_median(build, 20)
        size = len(build().to_json().encode())
        print(
            f"plot_body_map({muscle}, auto window): median {median:.1f} ms, p95 {p95:.1f} ms (target < 50 ms), "
            f"CPU time median {cpu:.1f} ms (what a busy machine adds is not in it); "
            f"JSON {size / 1024:.0f} KB (target < 300 KB)"
        )
    median, _ = timed(lambda: dnviz.plot_body_map(atlas, view="both", muscle="upper trapezius", safety=True), 10)
    size = len(dnviz.plot_body_map(atlas, view="both", safety=True).to_json().encode())
    print(
        f"plot_body_map(both views, pattern + safety overlays): median {median:.1f} ms; safety map JSON {size / 1024:.0f} KB"
    )


def bench_explorers() -> None:
    """Python's time per interaction (the browser repaints the map itself), against a naive explorer that
    rebuilds a whole-body plotly FigureWidget for each change."""
    import plotly.graph_objects as go

    atlas = dnviz.load_atlas()
    names = list(atlas.muscles.index)
    explorer = dnviz.explore_muscles(atlas)
    it = iter(names * 10)
    smart = timed(lambda: explorer.select(next(it)), 60)
    it2 = iter(names * 10)
    naive = timed(lambda: go.FigureWidget(dnviz.plot_body_map(atlas, muscle=next(it2), window="whole")), 20)
    print(
        f"select a muscle: median {smart[0]:.1f} ms, p95 {smart[1]:.1f} ms; naive rebuild: median {naive[0]:.1f} ms, "
        f"p95 {naive[1]:.1f} ms; {naive[0] / smart[0]:.0f}x faster (targets < 10 ms and >= 10x)"
    )
    finder = dnviz.pain_finder(atlas)
    regions = list(atlas.regions.index[atlas.regions["view"] != "both"])[:40]
    cycle = iter([(r, s) for r in regions for s in ("left", "right")] * 10)
    smart = timed(lambda: finder.toggle(*next(cycle)), 60)
    marked: list = []

    def naive_mark():
        marked.append(next(cycle))
        go.FigureWidget(dnviz.plot_body_map(atlas, clickable=True, regions=marked[-3:], window="whole"))
        atlas.candidates(marked[-3:])

    naive = timed(naive_mark, 10)
    print(
        f"mark a region: median {smart[0]:.1f} ms, p95 {smart[1]:.1f} ms; naive rebuild: median {naive[0]:.1f} ms, "
        f"p95 {naive[1]:.1f} ms; {naive[0] / smart[0]:.0f}x faster (targets < 10 ms and >= 10x)"
    )


def bench_notebooks() -> None:
    """Wall time to execute the whole teaching suite, one kernel per notebook, as nbval does."""
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    root = Path(__file__).resolve().parent.parent / "notebooks"
    total = 0.0
    for path in sorted(root.glob("0*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}).execute()
        seconds = time.perf_counter() - start
        total += seconds
        print(f"  {path.name}: {seconds:.1f} s")
    print(f"teaching suite (9 notebooks): {total:.1f} s in all (target < 60 s)")


BENCHES = {"load": bench_load, "body_map": bench_body_map, "explorers": bench_explorers, "notebooks": bench_notebooks}


if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHES:
        BENCHES[name]()

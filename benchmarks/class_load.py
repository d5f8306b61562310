"""A whole class at once: N pages of the classroom app opened together against the class server.

    .venv/bin/python benchmarks/class_load.py --pages 5             # smoke run: 5 pages, 2 in Chromium
    .venv/bin/python benchmarks/class_load.py --pages 40 --browser 4
    .venv/bin/python benchmarks/class_load.py --pages 5 --cold      # no pool, as `make voila` serves it

It starts Voila as ``make class`` does (scripts/class_server.py: pre-heated kernels, the pool sized
for ``--pages`` seats, lean kernels), on 127.0.0.1 at a free port with a random token in an
owner-only voila.json, waits for the pool to fill, then opens every page at the same moment:
``--browser`` of them in headless Debian Chromium (Playwright), timed until the app's body map is
drawn, and the rest by HTTP GET, timed until Voila has sent the whole page with the app's widget in
it. It then reports the time per page (median, slowest) and the memory of the server and of every
kernel (RSS and PSS from /proc via psutil), and stops: the server is asked to stop, and every
kernel it started is killed by its process id if it is still there. Bounded: at most 60 pages,
each waited for at most ``--page-timeout`` seconds, the whole run at most ``--deadline`` seconds.
Nothing is sent anywhere but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib.util
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.servers import CHROMIUM_FLAGS, HOST, chromium_path, free_port  # noqa: E402

_spec = importlib.util.spec_from_file_location("class_server", ROOT / "scripts" / "class_server.py")
class_server = importlib.util.module_from_spec(_spec)
sys.modules["class_server"] = class_server
_spec.loader.exec_module(class_server)

MAX_PAGES = 60
RENDERED = ".dnviz-classroom .js-plotly-plot .main-svg"  # the muscle explorer's body map, drawn
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def kernels_of(server: psutil.Process) -> list[psutil.Process]:
    """The server's kernel processes (ipykernel), however deep."""
    found = []
    for child in server.children(recursive=True):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def memory(proc: psutil.Process) -> tuple[float, float]:
    """(RSS, PSS) of a process in MB; PSS shares a shared page among the processes that map it."""
    try:
        info = proc.memory_full_info()
        return info.rss / 2**20, getattr(info, "pss", info.rss) / 2**20
    except psutil.Error:
        return 0.0, 0.0


_errors: list[str] = []


def http_page(url: str, token: str, timeout: float) -> tuple[float, bool, None]:
    """Seconds until the whole page arrived, and whether it carries the app's widget."""
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # 127.0.0.1 only
            body = response.read().decode("utf-8", errors="replace")
    except OSError:
        return time.perf_counter() - t0, False, None
    ok = WIDGET_MIME in body and "Traceback" not in body and "There was an error" not in body
    if not ok and not _errors:  # say once why a page is not the app (e.g. the notebook raised)
        found = re.search(r"There was an error[^<]{0,200}|Traceback[^<]{0,300}", body)
        _errors.append(found.group(0) if found else "the page has no widget of the app")
    return time.perf_counter() - t0, ok, None


async def browser_page(browser, url: str, timeout: float) -> tuple[float, bool, float | None]:
    """Seconds from navigation until the app's body map is drawn in Chromium (and until the HTML was in)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    t0 = time.perf_counter()
    loaded = None
    try:
        await page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
        loaded = time.perf_counter() - t0
        await page.wait_for_selector(RENDERED, state="visible", timeout=timeout * 1000)
        ok = True
    except Exception:  # a timeout or a closed page: reported as not rendered
        ok = False
    elapsed = time.perf_counter() - t0
    await context.close()
    return elapsed, ok, loaded


async def open_pages(url: str, token: str, pages: int, in_browser: int, timeout: float) -> list[dict]:
    """Open every page at the same moment; return one record per page."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = None
        if in_browser:
            browser = await pw.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS, timeout=60_000
            )
        link = f"{url}?token={token}"
        jobs = [browser_page(browser, link, timeout) for _ in range(in_browser)]
        jobs += [asyncio.to_thread(http_page, url, token, timeout) for _ in range(pages - in_browser)]
        results = await asyncio.gather(*jobs)
        if browser is not None:
            await browser.close()
    kinds = ["chromium"] * in_browser + ["http"] * (pages - in_browser)
    return [
        {"via": k, "seconds": round(s, 2), "rendered": ok, "html_s": None if h is None else round(h, 2)}
        for k, (s, ok, h) in zip(kinds, results)
    ]


def wait_for_pool(server: psutil.Process, log: Path, pool: int, deadline: float) -> float:
    """Wait until the log says the pool is full (or the deadline); seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() < deadline:
        if server.status() == psutil.STATUS_ZOMBIE or not server.is_running():
            raise RuntimeError(f"Voila exited:\n{log.read_text()[-2000:]}")
        if pool == 0:
            return 0.0
        if re.search(r"Kernel pool of .* is filled", log.read_text(errors="replace")):
            break  # the kernels are started; now wait until they have run the notebook (CPU quiet)
        time.sleep(1)
    else:
        raise TimeoutError(f"the pool of {pool} was not started in time:\n{log.read_text()[-2000:]}")
    last = -1.0
    while time.monotonic() < deadline:
        kernels = kernels_of(server)
        busy = 0.0
        for k in kernels:
            try:
                busy += sum(k.cpu_times()[:2])
            except psutil.Error:
                pass
        if len(kernels) >= pool and last >= 0 and busy - last < 0.05 * len(kernels):
            return time.monotonic() - t0
        last = busy
        time.sleep(2)
    raise TimeoutError(f"the pool of {pool} was not full in time:\n{log.read_text()[-2000:]}")


def wait_for_http(url: str, token: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(f"{url}/voila/static/voila.js", headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(req, timeout=5) as r:  # 127.0.0.1 only
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("Voila did not answer")


def stop(proc: subprocess.Popen, known: set[int]) -> list[int]:
    """Stop the server, then kill by id any process it started that is still there; ids killed."""
    try:
        server = psutil.Process(proc.pid)
        known |= {p.pid for p in server.children(recursive=True)}
    except psutil.Error:
        pass
    proc.send_signal(signal.SIGINT)  # Voila shuts its kernels down on SIGINT/SIGTERM
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    killed = []
    for pid in sorted(known):
        try:
            p = psutil.Process(pid)
            p.kill()
            killed.append(pid)
        except psutil.Error:
            pass
    return killed


def run(args: argparse.Namespace) -> dict:
    pages = class_server.parse_seats(args.pages)
    if pages > MAX_PAGES:
        raise SystemExit(f"--pages {pages}: at most {MAX_PAGES}")
    in_browser = min(args.browser, pages)
    deadline = time.monotonic() + args.deadline
    if args.cold:
        plan = None
        pool = 0
    else:
        plan = class_server.plan_pool(pages, class_server.mem_available_mb())
        if args.pool is not None:  # a smaller pool than the rule gives: pages beyond it start cold
            if not 1 <= args.pool <= plan.pool:
                raise SystemExit(f"--pool {args.pool}: from 1 to {plan.pool} (the rule's pool for {pages} seats)")
            plan = dataclasses.replace(plan, pool=args.pool)
        pool = plan.pool
    port = free_port()
    token = secrets.token_urlsafe(32)
    notebook = str(ROOT / class_server.NOTEBOOK)
    with tempfile.TemporaryDirectory(prefix="dnviz-class-") as tmp:
        root = Path(tmp)
        root.chmod(0o700)
        fd = os.open(root / "voila.json", os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({"Voila": {"token": token}}, fh)
        if plan is None:  # no pool: every page starts its kernel and runs the notebook (as `make voila`)
            cmd = [sys.executable, "-m", "voila", notebook, "--no-browser", f"--Voila.ip={HOST}", f"--port={port}"]
        else:
            cmd = class_server.voila_command(plan, host=HOST, port=port, notebook=notebook, fill_delay=args.fill_delay)
        env = dict(os.environ) if args.plain else class_server.kernel_env()
        env.update(JUPYTER_RUNTIME_DIR=str(root / "runtime"), PYTHONWARNINGS="ignore")
        for pair in args.env:  # e.g. MALLOC_ARENA_MAX=2, to try a setting on server and kernels
            name, _, value = pair.partition("=")
            env[name] = value
        if args.pythonpath:  # measure another checkout's dnviz (e.g. `git archive HEAD~5 | tar -x -C /tmp/old`)
            env["PYTHONPATH"] = args.pythonpath
        log = root / "server.log"
        known: set[int] = set()
        with open(log, "w") as out:
            proc = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, env=env)
            try:
                server = psutil.Process(proc.pid)
                wait_for_http(f"http://{HOST}:{port}", token, deadline)
                filled = wait_for_pool(server, log, pool, deadline)
                time.sleep(2)
                known |= {p.pid for p in server.children(recursive=True)}
                before = [memory(k) for k in kernels_of(server)]
                url = f"http://{HOST}:{port}/"
                remaining = max(deadline - time.monotonic(), 10)
                t0 = time.perf_counter()
                records = asyncio.run(open_pages(url, token, pages, in_browser, min(args.page_timeout, remaining)))
                wall = time.perf_counter() - t0
                known |= {p.pid for p in server.children(recursive=True)}
                kernels = kernels_of(server)
                mems = [memory(k) for k in kernels]
                server_rss, server_pss = memory(server)
                settled = None
                if args.settle and plan is not None:  # the pool refills behind the class: measure again
                    end = min(time.monotonic() + args.settle, deadline)
                    while time.monotonic() < end and len(kernels_of(server)) < pages + pool:
                        time.sleep(2)
                    time.sleep(min(10, max(end - time.monotonic(), 0)))
                    known |= {p.pid for p in server.children(recursive=True)}
                    later = [memory(k)[0] for k in kernels_of(server)]
                    settled = {"kernels": len(later), "total_rss_mb": round(memory(server)[0] + sum(later))}
            finally:
                killed = stop(proc, known)
    secs = [r["seconds"] for r in records]
    rss = [m[0] for m in mems]
    pss = [m[1] for m in mems]
    return {
        "pages": pages,
        "in_chromium": in_browser,
        "mode": ("cold, no pool" if args.cold else f"make class, pool {pool}")
        + (", plain kernels" if args.plain else ", lean kernels")
        + (f", PYTHONPATH={args.pythonpath}" if args.pythonpath else ""),
        "pool_filled_s": round(filled, 1),
        "pool_kernels_before": len(before),
        "pool_kernel_rss_mb_median_before": round(statistics.median(m[0] for m in before), 1) if before else None,
        "rendered": sum(r["rendered"] for r in records),
        "first_error": _errors[0] if _errors else None,
        "median_s": round(statistics.median(secs), 2),
        "slowest_s": round(max(secs), 2),
        "chromium_median_s": round(statistics.median(secs[:in_browser]), 2) if in_browser else None,
        "chromium_html_median_s": round(statistics.median(r["html_s"] or 0 for r in records[:in_browser]), 2)
        if in_browser
        else None,
        "http_median_s": round(statistics.median(secs[in_browser:]), 2) if pages > in_browser else None,
        "http_slowest_s": round(max(secs[in_browser:]), 2) if pages > in_browser else None,
        "wall_s": round(wall, 2),
        "kernels": len(kernels),
        "kernel_rss_mb_median": round(statistics.median(rss), 1) if rss else None,
        "kernel_rss_mb_max": round(max(rss), 1) if rss else None,
        "kernel_pss_mb_median": round(statistics.median(pss), 1) if pss else None,
        "server_rss_mb": round(server_rss, 1),
        "total_rss_mb": round(server_rss + sum(rss)),
        "total_pss_mb": round(server_pss + sum(pss)),
        "after_refill": settled,
        "leftover_processes_killed": len(killed),
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "per_page": records,
    }


def _terminated(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through run()'s finally: stop() runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="5", help=f"pages opened at once (at most {MAX_PAGES})")
    parser.add_argument("--browser", type=int, default=2, help="how many of them in headless Chromium")
    parser.add_argument("--cold", action="store_true", help="no pool: every page starts a kernel (as make voila)")
    parser.add_argument(
        "--pool", type=int, default=None, help="a smaller pool than the rule's (pages beyond it start cold)"
    )
    parser.add_argument("--plain", action="store_true", help="kernels without DNVIZ_LEAN_KERNEL (as make voila)")
    parser.add_argument("--fill-delay", type=float, default=class_server.FILL_DELAY)
    parser.add_argument("--settle", type=float, default=0, help="then wait up to this long for the refill")
    parser.add_argument("--page-timeout", type=float, default=180.0)
    parser.add_argument("--deadline", type=float, default=900.0, help="the whole run, pool filling included")
    parser.add_argument("--pythonpath", default="", help="PYTHONPATH for server and kernels (an older checkout)")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for server and kernels")
    parser.add_argument("--json", default="", help="also write the result to this file")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminated)  # `timeout` or kill: stop Voila and its kernels first
    result = run(args)
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0 if result["rendered"] == result["pages"] else 1


if __name__ == "__main__":
    sys.exit(main())

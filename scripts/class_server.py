"""Serve the classroom app to a whole class from one machine: Voila with a pool of pre-heated kernels.

    make class SEATS=40                      # http://127.0.0.1:8866, pool sized from memory
    make class SEATS=40 HOST=0.0.0.0         # every interface, with a token (see README, "Teaching a class")
    python scripts/class_server.py --seats 40 --dry-run    # print the plan and the command, start nothing

Voila's pre-heated kernels (``--preheat_kernel=True --pool_size=N``) run the notebook before anyone
asks for it, so a student who opens the page gets an app that is already built. Each page holds its
own kernel; when one is taken from the pool Voila starts another to refill it, ``FILL_DELAY``
seconds later. A request beyond the pool is not refused: it takes the next refilling kernel (or
Voila starts a fresh one for it) and waits while the notebook runs there. The delay is a trade:
refills started at once (Voila's 1 s) compete with the arrival rush (10 pages at once: the HTML
reached Chromium after 8.5 s with 1 s, 1.7 s with 10 s, on this shared 2-core machine), while a
page beyond the pool waits for the delay too (31 s with a 30 s delay). ``POOL=`` sets a smaller
pool than the rule's (less memory, more cold pages).

The pool size rule (:func:`plan_pool`): the class needs ``SEATS`` kernels in use plus the pool
refilled behind them, all within 70% of the memory available now (``MemAvailable`` in
/proc/meminfo) less the server's own share::

    kernels that fit = floor((0.7 * MemAvailable - SERVER_MB) / KERNEL_MB)
    pool             = min(SEATS, kernels that fit - SEATS)

A pool below one is refused with the numbers. ``KERNEL_MB`` is what one student's kernel holds
after the classroom app is built (measured by benchmarks/class_load.py; ``--kernel-mb`` overrides).

The kernels run with ``DNVIZ_LEAN_KERNEL=1`` (see dnviz/_lean.py) and a fixed malloc threshold
(:func:`kernel_env`). Nothing here sends traffic anywhere; the default address is 127.0.0.1.
"""

from __future__ import annotations

import argparse
import ipaddress
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "notebooks/classroom_app.ipynb"
HOST = "127.0.0.1"
PORT = 8866
KERNEL_MB = 180  # one student's kernel: 143 MB RSS measured once drawn (class_load.py); 180 kept as a margin
SERVER_MB = 600  # the Voila server itself: 587 MB RSS measured while it served 40 pages at once
SHARE = 0.7  # of the memory available now: the rest is left to the system and other programs
FILL_DELAY = 10.0  # s before a taken pool kernel is replaced (Voila: 1): see the docstring
MMAP_THRESHOLD = 128 * 1024  # bytes: glibc maps larger blocks on their own and returns them (kernel_env)


class ClassSetupError(ValueError):
    """A class size, address or memory plan that cannot be served; the message says what to change."""


@dataclass(frozen=True)
class Plan:
    """How many kernels a class gets, and the memory arithmetic behind it."""

    seats: int
    pool: int
    available_mb: int
    budget_mb: int
    kernel_mb: int

    @property
    def kernels(self) -> int:
        """Kernels alive once every seat is taken and the pool is refilled."""
        return self.seats + self.pool

    @property
    def need_mb(self) -> int:
        return self.kernels * self.kernel_mb

    def describe(self) -> str:
        return (
            f"{self.seats} seats: pool of {self.pool} pre-heated kernels; at most {self.kernels} kernels "
            f"x {self.kernel_mb} MB = {self.need_mb} MB, within {self.budget_mb} MB "
            f"({SHARE:.0%} of {self.available_mb} MB available, less {SERVER_MB} MB for the server)"
        )


def parse_seats(value: object) -> int:
    """The class size as a positive whole number; ClassSetupError naming the value otherwise.

    >>> parse_seats("40")
    40
    """
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ClassSetupError("SEATS is missing: give the class size, e.g. `make class SEATS=40`.")
    if isinstance(value, bool) or not text.isdigit() or not text.isascii():
        raise ClassSetupError(
            f"SEATS={text!r} is not a positive whole number: give the number of students, e.g. `make class SEATS=40`."
        )
    seats = int(text)
    if seats < 1:
        raise ClassSetupError(f"SEATS={seats} is not a positive whole number: a class has at least one seat.")
    return seats


def parse_kernel_mb(value: object) -> int:
    """Memory of one kernel in MB, a whole number from 50 to 4000."""
    text = str(value).strip()
    if not text.isdigit() or not 50 <= int(text) <= 4000:
        raise ClassSetupError(
            f"KERNEL_MB={text!r} is not a whole number of MB from 50 to 4000 (measured: {KERNEL_MB})."
        )
    return int(text)


def mem_available_mb(meminfo: str | None = None) -> int:
    """``MemAvailable`` from /proc/meminfo (or the text given), in MB."""
    if meminfo is None:
        try:
            meminfo = Path("/proc/meminfo").read_text()
        except OSError as err:
            raise ClassSetupError(f"cannot read /proc/meminfo ({err}): pass --available-mb") from err
    for line in meminfo.splitlines():
        if line.startswith("MemAvailable:"):
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                return int(parts[1]) // 1024
    raise ClassSetupError("/proc/meminfo has no MemAvailable line: pass --available-mb")


def plan_pool(seats: int, available_mb: int, kernel_mb: int = KERNEL_MB, server_mb: int = SERVER_MB) -> Plan:
    """The pool for ``seats`` students: ``min(seats, fit - seats)``, ``fit`` the kernels that fit in memory.

    >>> plan_pool(40, 23000, kernel_mb=160).pool
    40
    >>> plan_pool(40, 12000, kernel_mb=160).pool   # 0.7 * 12000 - 600 = 7800 MB: 48 kernels, 40 in use
    8
    """
    budget = math.floor(SHARE * available_mb) - server_mb
    fit = max(budget, 0) // kernel_mb
    pool = min(seats, fit - seats)
    if pool < 1:
        raise ClassSetupError(
            f"{seats} seats do not fit in memory: they need {seats} kernels in use plus at least one "
            f"pre-heated, {seats + 1} x {kernel_mb} MB = {(seats + 1) * kernel_mb} MB, but "
            f"{SHARE:.0%} of the {available_mb} MB available now, less {server_mb} MB for the server, "
            f"is {budget} MB ({fit} kernels). Lower SEATS to at most {max(fit - 1, 0)} (a pool of one) or "
            f"{fit // 2} (a pool as large as the class), free memory, or serve the course from JupyterHub "
            "(docs/deploy.md)."
        )
    return Plan(seats=seats, pool=pool, available_mb=available_mb, budget_mb=budget, kernel_mb=kernel_mb)


def smaller_pool(plan: Plan, value: object) -> Plan:
    """The plan with a pool the instructor chose (``POOL=``), from 1 to the rule's pool.

    >>> smaller_pool(plan_pool(40, 23000), "10").pool
    10
    """
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= plan.pool:
        raise ClassSetupError(
            f"POOL={text!r} is not a whole number from 1 to {plan.pool} (the largest pool that fits for "
            f"{plan.seats} seats); leave POOL out to use {plan.pool}."
        )
    return Plan(plan.seats, int(text), plan.available_mb, plan.budget_mb, plan.kernel_mb)


def check_host(host: str) -> str:
    """An IP address to bind (``localhost`` is 127.0.0.1); ClassSetupError for anything else."""
    host = host.strip()
    if host == "localhost":
        return HOST
    try:
        ipaddress.ip_address(host)
    except ValueError as err:
        raise ClassSetupError(
            f"HOST={host!r} is not an IP address: use 127.0.0.1 (this machine only, the default), "
            f"0.0.0.0 (every interface) or one interface's address."
        ) from err
    return host


def is_loopback(host: str) -> bool:
    return ipaddress.ip_address(host).is_loopback


def voila_command(
    plan: Plan,
    host: str = HOST,
    port: int = PORT,
    notebook: str = NOTEBOOK,
    fill_delay: float = FILL_DELAY,
    python: str = sys.executable,
) -> list[str]:
    """The Voila command line: pre-heated kernels, the pool, the address; a token off loopback."""
    cmd = [
        python,
        "-m",
        "voila",
        notebook,
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--preheat_kernel=True",
        f"--pool_size={plan.pool}",
        f"--VoilaKernelManager.fill_delay={fill_delay:g}",
    ]
    if not is_loopback(host):
        cmd.append("--token")  # Voila generates a random token and prints the link that carries it
    return cmd


def kernel_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Voila and its kernels run in: lean kernels on, large blocks given back.

    ``MALLOC_MMAP_THRESHOLD_`` fixes glibc's threshold for blocks it maps separately (and unmaps
    when freed) at 128 KiB; by default it rises after the first large block is freed, and the
    large JSON messages a kernel sends when a browser draws the app (the figure widget's state
    carries plotly's 5 MB script) then stay in its heap: 152 MB RSS after a browser drew the app,
    143 MB with the fixed threshold (142 MB before; benchmarks/class_load.py, 2 pages).
    """
    env = dict(os.environ if environ is None else environ)
    env["DNVIZ_LEAN_KERNEL"] = "1"
    env.setdefault("MALLOC_MMAP_THRESHOLD_", str(MMAP_THRESHOLD))
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seats", default=os.environ.get("SEATS"), help="class size, a positive whole number")
    parser.add_argument("--host", default=HOST, help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--notebook", default=NOTEBOOK)
    parser.add_argument("--kernel-mb", default=str(KERNEL_MB), help=f"MB per kernel (measured: {KERNEL_MB})")
    parser.add_argument("--pool", default=os.environ.get("POOL", ""), help="a smaller pool than the rule gives")
    parser.add_argument("--available-mb", type=int, default=None, help="memory to plan with (default: MemAvailable)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and the command, start nothing")
    args = parser.parse_args(argv)
    try:
        seats = parse_seats(args.seats)
        kernel_mb = parse_kernel_mb(args.kernel_mb)
        host = check_host(args.host)
        available = args.available_mb if args.available_mb is not None else mem_available_mb()
        plan = plan_pool(seats, available, kernel_mb=kernel_mb)
        if args.pool:
            plan = smaller_pool(plan, args.pool)
        if not (ROOT / args.notebook).is_file():
            raise ClassSetupError(f"notebook {args.notebook} not found under {ROOT.name}/")
    except ClassSetupError as err:
        print(f"make class: {err}", file=sys.stderr)
        return 2
    cmd = voila_command(plan, host=host, port=args.port, notebook=args.notebook)
    print(f"make class: {plan.describe()}")
    print(f"make class: the pool fills in the background (about {plan.pool} x 3 s of CPU); until then pages start cold")
    if is_loopback(host):
        print(f"make class: serving on http://{host}:{args.port} (this machine only)")
    else:
        print(
            f"make class: serving on {host}:{args.port} to the network, with a token: anyone with the link "
            "can use the app (Voila has no login). See README, 'Teaching a class'."
        )
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    sys.stdout.flush()
    os.chdir(ROOT)
    os.execve(cmd[0], cmd, kernel_env())  # Voila replaces this process; Ctrl-C stops it and its kernels
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())

"""A whole class at once: the pool sizing rule, its refusals, the Voila command, light imports."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dnviz

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("class_server", ROOT / "scripts" / "class_server.py")
cs = importlib.util.module_from_spec(_spec)
sys.modules["class_server"] = cs  # dataclasses look their module up
_spec.loader.exec_module(cs)

MEMINFO = "MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   23552000 kB\n"


# --- the sizing rule -------------------------------------------------------------------------


def test_mem_available_is_read_in_mb():
    assert cs.mem_available_mb(MEMINFO) == 23000
    assert cs.mem_available_mb() > 0  # this machine's /proc/meminfo


def test_meminfo_without_mem_available_is_refused():
    with pytest.raises(cs.ClassSetupError, match="MemAvailable"):
        cs.mem_available_mb("MemTotal: 1000 kB\n")


@pytest.mark.parametrize(
    ("seats", "available", "kernel_mb", "pool"),
    [
        (40, 23000, 160, 40),  # plenty: a pool as large as the class
        (1, 2000, 160, 1),
        (40, 12000, 160, 8),  # 0.7 * 12000 - 600 = 7800 MB -> 48 kernels, 40 in use, 8 warm
        (40, 12000, 200, 0),  # 8100 // 200 = 40 kernels: no room for one warm kernel -> refused
    ],
)
def test_pool_is_min_of_seats_and_what_fits_beyond_them(seats, available, kernel_mb, pool):
    budget = int(0.7 * available) - cs.SERVER_MB
    fit = budget // kernel_mb
    assert pool == max(min(seats, fit - seats), 0)
    if pool < 1:
        with pytest.raises(cs.ClassSetupError):
            cs.plan_pool(seats, available, kernel_mb=kernel_mb)
        return
    plan = cs.plan_pool(seats, available, kernel_mb=kernel_mb)
    assert plan.pool == pool
    assert plan.kernels == seats + pool
    assert plan.need_mb <= plan.budget_mb  # every seat taken and the pool refilled still fits


def test_a_class_that_does_not_fit_is_refused_with_the_numbers():
    with pytest.raises(cs.ClassSetupError) as err:
        cs.plan_pool(40, 9000, kernel_mb=160)
    text = str(err.value)
    for number in ("40 seats", "41 x 160 MB = 6560 MB", "9000 MB", "5700 MB", "35 kernels", "at most 34", "17"):
        assert number in text, (number, text)
    assert "docs/deploy.md" in text


@pytest.mark.parametrize("bad", ["", None, "0", "-3", "4x", "2.5", "forty", "٤٠", " ", True])
def test_seats_that_are_not_a_positive_whole_number_are_refused(bad):
    with pytest.raises(cs.ClassSetupError, match="SEATS") as err:
        cs.parse_seats(bad)
    assert "make class SEATS=" in str(err.value) or "at least one seat" in str(err.value)


def test_seats_accepts_whole_numbers():
    assert cs.parse_seats("40") == 40
    assert cs.parse_seats(" 7 ") == 7


@pytest.mark.parametrize("bad", ["0", "49", "abc", "4001", "1.5"])
def test_kernel_mb_out_of_range_is_refused(bad):
    with pytest.raises(cs.ClassSetupError, match="KERNEL_MB"):
        cs.parse_kernel_mb(bad)


@pytest.mark.parametrize("bad", ["my-laptop", "0.0.0.0; rm -rf /", "256.1.1.1", ""])
def test_host_must_be_an_ip_address(bad):
    with pytest.raises(cs.ClassSetupError, match="HOST"):
        cs.check_host(bad)


# --- the command line ------------------------------------------------------------------------


def test_command_has_the_pool_and_binds_loopback_by_default():
    plan = cs.plan_pool(40, 23000, kernel_mb=160)
    cmd = cs.voila_command(plan)
    assert cmd[1:3] == ["-m", "voila"]
    assert "notebooks/classroom_app.ipynb" in cmd
    assert "--preheat_kernel=True" in cmd
    assert "--pool_size=40" in cmd
    assert "--Voila.ip=127.0.0.1" in cmd
    assert not any(arg.startswith("--Voila.ip=") and arg != "--Voila.ip=127.0.0.1" for arg in cmd)
    assert "--token" not in cmd  # loopback: this machine only
    assert any(arg.startswith("--VoilaKernelManager.fill_delay=") for arg in cmd)


def test_another_interface_only_when_asked_and_then_with_a_token():
    plan = cs.plan_pool(10, 23000)
    cmd = cs.voila_command(plan, host=cs.check_host("0.0.0.0"))
    assert "--Voila.ip=0.0.0.0" in cmd and "--token" in cmd
    assert cs.check_host("localhost") == "127.0.0.1"


def test_kernels_run_lean():
    env = cs.kernel_env({"PATH": "/bin"})
    assert env == {"PATH": "/bin", "DNVIZ_LEAN_KERNEL": "1", "MALLOC_MMAP_THRESHOLD_": "131072"}
    assert cs.kernel_env({"MALLOC_MMAP_THRESHOLD_": "65536"})["MALLOC_MMAP_THRESHOLD_"] == "65536"  # a choice kept


def test_dry_run_prints_plan_and_command(capsys):
    assert cs.main(["--seats", "5", "--available-mb", "20000", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "pool of 5" in out and "--pool_size=5" in out and "127.0.0.1" in out


def test_main_refuses_bad_seats_with_exit_2(capsys):
    assert cs.main(["--seats", "many", "--dry-run"]) == 2
    assert "SEATS='many'" in capsys.readouterr().err


def test_voila_knows_the_options_we_pass():
    """The pool options exist in the installed Voila (names change between versions)."""
    voila = Path(sys.executable).parent / "voila"
    if not voila.exists():
        pytest.skip("voila is not installed in this environment")
    out = subprocess.run([str(voila), "--help-all"], capture_output=True, text=True, timeout=120).stdout
    for option in ("--preheat_kernel", "--pool_size", "--Voila.ip", "--Voila.port_retries", "--token"):
        assert option in out, option


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_class_binds_loopback_unless_host_is_given_on_the_command_line():
    env = {"PATH": "/usr/bin:/bin", "HOST": "somehost"}
    dry = subprocess.run(["make", "-n", "class", "SEATS=40"], cwd=ROOT, capture_output=True, text=True, env=env)
    line = dry.stdout.strip().splitlines()[-1]
    assert "scripts/class_server.py" in line and '--host "127.0.0.1"' in line and '--seats "40"' in line
    dry = subprocess.run(["make", "-n", "class", "SEATS=40", "HOST=0.0.0.0"], cwd=ROOT, capture_output=True, text=True)
    assert '--host "0.0.0.0"' in dry.stdout


# --- lighter kernels -------------------------------------------------------------------------


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_dnviz_does_not_import_plotting_widgets_or_validation():
    loaded = _modules_after("import dnviz")
    assert not loaded & {"plotly", "ipywidgets", "pandera", "anywidget", "ipyevents"}, loaded


def test_every_public_name_still_resolves():
    for name in dnviz.__all__:
        assert getattr(dnviz, name) is not None, name
    assert set(dnviz.__all__) <= set(dir(dnviz))
    from dnviz import classroom_app, plot_body_map  # from-imports go through __getattr__ too

    assert callable(classroom_app) and callable(plot_body_map)
    import dnviz.widgets as w

    for name in w.__all__:
        assert getattr(w, name) is not None, name
    with pytest.raises(AttributeError, match="no_such_name"):
        dnviz.no_such_name  # noqa: B018
    with pytest.raises(AttributeError, match="no_such_name"):
        w.no_such_name  # noqa: B018


def test_lean_kernel_skips_the_iri_parser_only_when_asked(tmp_path):
    import os

    base = {k: v for k, v in os.environ.items() if k != "DNVIZ_LEAN_KERNEL"}
    code = "import dnviz.widgets, plotly.graph_objects as go; go.FigureWidget"
    lean = _modules_after(code, env={**base, "DNVIZ_LEAN_KERNEL": "1"})
    assert "rfc3987_syntax" not in lean and "plotly" in lean
    if importlib.util.find_spec("rfc3987_syntax") is not None:
        assert "rfc3987_syntax" in _modules_after(code, env=base)  # unchanged without the variable


def test_the_sizing_rule_examples_in_the_docstrings_hold():
    import doctest

    assert doctest.testmod(cs).failed == 0


def test_a_smaller_pool_can_be_chosen_within_the_rule():
    plan = cs.plan_pool(40, 23000, kernel_mb=160)
    assert cs.smaller_pool(plan, "10").pool == 10
    for bad in ("0", "41", "ten", "-1"):
        with pytest.raises(cs.ClassSetupError, match="POOL"):
            cs.smaller_pool(plan, bad)
    assert cs.main(["--seats", "40", "--pool", "5", "--available-mb", "23000", "--dry-run"]) == 0


def test_a_page_beyond_the_pool_waits_for_a_kernel_and_every_process_is_stopped(tmp_path):
    """A real class server on 127.0.0.1 (pool of 1, 2 pages at once, by HTTP): both pages arrive."""
    out = tmp_path / "load.json"
    run = subprocess.run(
        [
            sys.executable,
            "benchmarks/class_load.py",
            "--pages",
            "2",
            "--pool",
            "1",
            "--browser",
            "0",
            "--fill-delay",
            "1",
        ]
        + ["--deadline", "240", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.exists(), run.stdout[-2000:] + run.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["mode"].startswith("make class, pool 1")
    # the second page was not refused: it waited for a kernel (an error here: the notebook raised)
    assert result["rendered"] == 2, result["first_error"]
    assert run.returncode == 0
    assert result["leftover_processes_killed"] == 0  # stopping Voila stopped its kernels
    assert result["kernels"] >= 2


_FIGURE = """
import json, plotly.graph_objects as go
fig = go.FigureWidget(go.Figure(
    [go.Scatter(x=[1, 2], y=[3, 4], mode="lines+markers", line={"dash": "dot", "width": 3},
                marker={"symbol": "diamond", "colorscale": "Viridis", "color": [1, 2]}, hoverinfo="text"),
     go.Heatmap(z=[[1, 2], [3, 4]], colorbar={"title": {"text": "n"}})],
    layout={"title": {"text": "t", "font": {"size": 20}}, "xaxis": {"range": [0, 3], "showgrid": False},
            "yaxis2": {"overlaying": "y"}, "shapes": [{"type": "rect", "x0": 0, "x1": 1, "y0": 0, "y1": 1}],
            "annotations": [{"text": "a", "showarrow": False}], "template": "plotly_white"}))
data = fig.to_plotly_json()
for trace in data["data"]:
    trace.pop("uid", None)  # random per figure
print(json.dumps(data, sort_keys=True, default=str))
"""


def _run(code: str, lean: bool) -> str:
    import os

    env = {k: v for k, v in os.environ.items() if k != "DNVIZ_LEAN_KERNEL"}
    if lean:
        env["DNVIZ_LEAN_KERNEL"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", "import dnviz.widgets\n" + code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_lean_kernel_builds_the_same_figures_with_the_compact_validator_table():
    assert _run(_FIGURE, lean=True) == _run(_FIGURE, lean=False)


def test_lean_kernel_defers_nbformat_kaleido_and_jsonschema_until_used():
    code = (
        "import sys, json, plotly.graph_objects as go, plotly.io\n"
        "from dnviz import _lean\n"
        "go.FigureWidget(go.Figure(go.Scatter(x=[1], y=[2])))\n"
        "before = [n for n in ('nbformat', 'kaleido', 'jsonschema') if _lean.is_deferred(n)]\n"
        "quiet = not {'choreographer', 'nbformat.v4', 'rfc3987_syntax'} & set(sys.modules)\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook()\n"
        "nbformat.validate(nb)\n"  # jsonschema imported for real here, without the IRI parser
        "from kaleido.errors import ChromeNotFoundError\n"
        "after = [n for n in ('nbformat', 'kaleido', 'jsonschema') if _lean.is_deferred(n)]\n"
        "print(json.dumps([before, quiet, after, 'rfc3987_syntax' in sys.modules, plotly.io.to_json({'data': []})]))"
    )
    before, quiet, after, iri, _ = json.loads(_run(code, lean=True))
    assert before == ["nbformat", "kaleido", "jsonschema"] and quiet
    assert after == [] and not iri


def test_validator_index_parses_a_table_and_returns_fresh_entries():
    from dnviz._lean import ValidatorIndex

    index = ValidatorIndex('{\n "a": {"params": {"x": [1, 2]}, "superclass": "S"},\n "b.c": {"params": {}}\n}\n')
    assert len(index) == 2 and "b.c" in index and "z" not in index
    first = index.get("a")
    assert first == {"params": {"x": [1, 2]}, "superclass": "S"}
    first["params"]["plotly_name"] = "a"  # plotly changes what it gets: the table is not changed
    assert index.get("a") == {"params": {"x": [1, 2]}, "superclass": "S"}
    assert index.get("missing") is None
    with pytest.raises(ValueError):
        ValidatorIndex('{"a" 1}')


def test_the_benchmark_stopped_by_a_signal_stops_voila_and_its_kernels(tmp_path):
    """`timeout` sends SIGTERM: the benchmark stops the server it started and every kernel of it."""
    import signal
    import time

    psutil = pytest.importorskip("psutil")
    bench = subprocess.Popen(
        [sys.executable, "benchmarks/class_load.py", "--pages", "1", "--browser", "0", "--deadline", "120"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        me = psutil.Process(bench.pid)
        started: set[int] = set()
        end = time.monotonic() + 90
        while time.monotonic() < end and not any("ipykernel" in " ".join(_cmd(p)) for p in me.children(True)):
            time.sleep(0.5)
        started = {p.pid for p in me.children(recursive=True)}
        assert started, "the benchmark started no server"
        bench.send_signal(signal.SIGTERM)
        bench.wait(timeout=60)
        time.sleep(1)
        alive = [pid for pid in started if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
        assert alive == []
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()


def _cmd(proc) -> list[str]:
    try:
        return proc.cmdline()
    except Exception:
        return []

"""JupyterLab and Voila servers for the browser tests, the latency benchmark and the screenshot script.

One place builds every test server, and none of them is open to the other users of the machine:

- bound to 127.0.0.1 on a free port;
- a fresh random token (``secrets.token_urlsafe``) per server. It travels in the environment
  (``JUPYTER_TOKEN``, JupyterLab) or in a ``voila.json`` readable only by its owner (Voila), never
  on the command line, where any local user could read it with ``ps``. The browser gets it in
  the first URL (``server.link(...)`` adds ``?token=...``); the server then sets its login cookie;
- XSRF checks on (jupyter_server's default: ``disable_check_xsrf`` is never set);
- terminals off (``--ServerApp.terminals_enabled=False``), so a server cannot hand out a shell.

Plain Python (no pytest), so scripts import it as ``from tests.browser.servers import ...``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT_FLAG = ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root


class ServerError(RuntimeError):
    """A test server or the browser could not be started."""


def chromium_path() -> str:
    """Debian's Chromium (or ``$DNVIZ_CHROMIUM``); raises ServerError saying what to install."""
    for candidate in (os.environ.get("DNVIZ_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    raise ServerError(
        "Chromium was not found: run `make browser` (Debian: apt-get install chromium) "
        "or set DNVIZ_CHROMIUM. The browser tests never skip."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def new_token() -> str:
    """A random token of 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Launch:
    """How a server is started: its command line, its extra environment and its token."""

    cmd: list[str]
    env: dict[str, str]
    token: str
    files: dict[str, str] = field(default_factory=dict)  # name -> text, written owner-only into the root


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and token (``repr`` hides the token)."""

    url: str
    token: str = field(repr=False)

    def link(self, path: str = "", **query: str) -> str:
        """The URL of ``path`` with the token added, for the browser's first visit."""
        url = f"{self.url}/{path.lstrip('/')}" if path else self.url
        return f"{url}?{urllib.parse.urlencode({**query, 'token': self.token})}"

    def request(self, path: str, token: bool = True, method: str = "GET") -> int:
        """HTTP status of a request to ``path`` (with the token in the Authorization header, or none)."""
        req = urllib.request.Request(f"{self.url}/{path.lstrip('/')}", method=method)
        if token:
            req.add_header("Authorization", f"token {self.token}")

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        try:
            with urllib.request.build_opener(NoRedirect).open(req, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code


def lab_launch(port: int, root: Path, token: str | None = None) -> Launch:
    """JupyterLab on 127.0.0.1 with a token, XSRF checks on, terminals off, the app exposed to scripts."""
    token = token or new_token()
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.expose_app_in_browser=True",
        *ROOT_FLAG,
    ]
    return Launch(cmd=cmd, env={"JUPYTER_TOKEN": token}, token=token)


def voila_launch(notebook: str, port: int, token: str | None = None) -> Launch:
    """Voila on 127.0.0.1 serving one notebook, with a token (Voila 0.5 reads ``Voila.token`` from voila.json)."""
    token = token or new_token()
    cmd = [sys.executable, "-m", "voila", notebook, "--no-browser", f"--port={port}", f"--Voila.ip={HOST}"]
    config = json.dumps({"Voila": {"token": token}})
    return Launch(cmd=cmd, env={}, token=token, files={"voila.json": config})


def isolated_env(root: Path) -> dict[str, str]:
    """The environment for a server: settings, workspaces and runtime files inside ``root``."""
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")}
    settings = root / "lab-settings"
    for plugin, values in {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }.items():
        path = settings / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        PYTHONWARNINGS="ignore",
    )
    return env


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _log_tail(log: Path, token: str) -> str:
    return log.read_text(errors="replace")[-3000:].replace(token, "<token>")


def wait_for(server: Server, probe: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Wait until ``probe`` answers 200 with the token; ServerError with the log's tail otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"server exited with {proc.returncode}:\n{_log_tail(log, server.token)}")
        try:
            if server.request(probe) == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise ServerError(f"server did not answer {server.url}/{probe} within {timeout} s:\n{_log_tail(log, server.token)}")


@contextmanager
def serve(launch: Launch, root: Path, port: int, probe: str) -> Iterator[Server]:
    """Start ``launch`` in ``root`` (its log in root/server.log), wait for ``probe``, stop it afterwards."""
    root.chmod(0o700)  # the token files and the log are for this user only
    for name, text in launch.files.items():
        _write_private(root / name, text)
    server = Server(f"http://{HOST}:{port}", launch.token)
    log = root / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            launch.cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, env={**isolated_env(root), **launch.env}
        )
        try:
            wait_for(server, probe, proc, log)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def lab_server(root: Path) -> Iterator[Server]:
    """JupyterLab on a free localhost port serving ``root``."""
    port = free_port()
    with serve(lab_launch(port, root), root, port, "api/status") as server:
        yield server


@contextmanager
def voila_server(root: Path, notebook: str) -> Iterator[Server]:
    """Voila on a free localhost port serving ``root / notebook``."""
    port = free_port()
    # the readiness probe is a static file: a GET of the page itself would start a kernel and run the notebook
    with serve(voila_launch(notebook, port), root, port, "voila/static/voila.js") as server:
        yield server

"""The test servers are not open: localhost, a random token, XSRF checks on, terminals off.

The launch checks are plain; the live checks reuse the session's JupyterLab and Voila servers.
"""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request

from tests.browser.servers import HOST, Server, lab_launch, voila_launch


def test_lab_launch_has_token_xsrf_and_no_terminals(tmp_path):
    launch = lab_launch(8888, tmp_path)
    cmd = " ".join(launch.cmd)
    assert len(launch.token) >= 40 and launch.env == {"JUPYTER_TOKEN": launch.token}
    assert launch.token not in cmd  # the command line is visible to every local user (ps); the environment is not
    assert "token=" not in cmd and "password=" not in cmd  # no empty token or password that would switch auth off
    options = [arg.split("=", 1)[0].lower() for arg in launch.cmd if arg.startswith("--")]
    assert not any("xsrf" in option for option in options)  # jupyter_server checks XSRF unless told not to
    assert "--ServerApp.terminals_enabled=False" in launch.cmd
    assert f"--ServerApp.ip={HOST}" in launch.cmd and HOST == "127.0.0.1"
    assert lab_launch(8888, tmp_path).token != launch.token  # a fresh token per server


def test_voila_launch_has_token_and_binds_localhost():
    launch = voila_launch("app.ipynb", 8866)
    assert len(launch.token) >= 40 and launch.token not in " ".join(launch.cmd)
    assert json.loads(launch.files["voila.json"]) == {"Voila": {"token": launch.token}}
    assert "--Voila.ip=127.0.0.1" in launch.cmd


def test_server_repr_hides_token():
    assert "secret" not in repr(Server("http://127.0.0.1:1", "secret"))
    assert Server("http://h", "t t").link("lab/tree/x.ipynb", reset="") == "http://h/lab/tree/x.ipynb?reset=&token=t+t"


def test_lab_refuses_requests_without_token(lab):
    assert lab.request("api/status") == 200
    for path in ("api/status", "api/contents", "api/kernels", "api/sessions"):
        assert lab.request(path, token=False) == 403, path
    assert lab.request("lab", token=False) == 302  # to the login page
    assert lab.request("api/kernels", token=False, method="POST") == 403


def test_lab_has_no_terminals(lab):
    assert lab.request("api/terminals") == 404
    assert lab.request("api/terminals", method="POST") == 404


def test_lab_checks_xsrf_for_browser_sessions(lab):
    """A logged-in browser (cookie) must send the XSRF token with a POST, so another page cannot post for it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(lab.link("lab"), timeout=30).close()  # the first visit with the token sets the login cookie
    cookies = {c.name: c.value for c in jar}
    assert "_xsrf" in cookies and any(name.startswith("username-") for name in cookies)

    def post(headers: dict[str, str]) -> int:
        req = urllib.request.Request(f"{lab.url}/api/sessions", data=b"{}", method="POST", headers=headers)
        try:
            with opener.open(req, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    assert post({"Content-Type": "application/json"}) == 403
    # with the XSRF token the same request gets past the check (and fails on its empty body instead)
    assert post({"Content-Type": "application/json", "X-XSRFToken": cookies["_xsrf"]}) == 400


def test_voila_refuses_requests_without_token(voila):
    assert voila.request("", token=False) in (302, 403)
    assert voila.request("api/kernels", token=False) in (302, 403)
    assert voila.request("api/terminals") in (302, 404)

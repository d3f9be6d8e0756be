"""`make lab` serves the project: JupyterLab on loopback lists notebooks/ and runs spbe_tools."""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from conftest import PROJECT_ROOT

TOKEN = "spbe-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, path: str, method: str = "GET", body: dict | None = None):
    req = urllib.request.Request(f"{base}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"token {TOKEN}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = resp.read()
        return json.loads(data) if data else None


async def _execute_cells(ws_url: str, cells: list[str]) -> list[tuple[str, str, list[str]]]:
    """Run code cells in order in one kernel over the Jupyter websocket protocol, as
    JupyterLab does: (status, stdout, mime types of displayed outputs) per cell."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {TOKEN}"}))
    session, results = uuid.uuid4().hex, []
    for code in cells:
        msg_id = uuid.uuid4().hex
        await conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False}}))
        out, status, mimes = "", "", []
        deadline = time.monotonic() + 300
        while not status and time.monotonic() < deadline:
            raw = await asyncio.wait_for(conn.read_message(), timeout=300)
            if raw is None:
                break
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out += msg["content"]["text"]
            elif kind in {"display_data", "execute_result"}:
                mimes += list(msg["content"]["data"])
            elif kind == "error":
                out += "\n".join(msg["content"]["traceback"])
            elif kind == "execute_reply":
                status = msg["content"]["status"]
        results.append((status, out, mimes))
    conn.close()
    return results


class Lab:
    """A JupyterLab server on loopback serving ``root``; stopped on exit."""

    def __init__(self, root, tmp_path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={self.port}",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
             f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
                 "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")})

    def __enter__(self):
        for _ in range(120):
            if self.proc.poll() is not None:
                break
            try:
                _api(self.base, "/api/status")
                return self
            except OSError:
                time.sleep(0.5)
        pytest.fail("JupyterLab did not start: " + self.proc.stderr.read1().decode()[-2000:])

    def __exit__(self, *exc):
        try:
            _api(self.base, "/api/shutdown", "POST")
            self.proc.wait(timeout=30)
        except OSError:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.terminate()
                self.proc.wait(timeout=30)

    def ws_url(self, kernel_id: str) -> str:
        return f"ws://127.0.0.1:{self.port}/api/kernels/{kernel_id}/channels"


@pytest.mark.slow
def test_jupyterlab_serves_notebooks_and_a_kernel_imports_spbe_tools(tmp_path):
    with Lab(PROJECT_ROOT, tmp_path) as lab:
        listing = _api(lab.base, "/api/contents/notebooks")
        names = {item["name"] for item in listing["content"]}
        assert {"02-compare.ipynb", "02-compare.py"} <= names
        kernel = _api(lab.base, "/api/kernels", "POST", {"name": "python3"})
        [(status, out, _)] = asyncio.run(_execute_cells(
            lab.ws_url(kernel["id"]),
            ["import spbe_tools, spbe_tools.compare; print('spbe', spbe_tools.__version__)"]))
        assert status == "ok"
        import spbe_tools

        assert out.strip() == f"spbe {spbe_tools.__version__}"
        _api(lab.base, f"/api/kernels/{kernel['id']}", "DELETE")


@pytest.mark.slow
def test_run_all_in_jupyterlab_on_a_fresh_clone_runs_every_cell_and_shows_charts(tmp_path):
    """Open notebooks/02-compare.ipynb as JupyterLab does (a session: the kernel starts in
    notebooks/, with the notebook's own kernelspec) and run all its cells unchanged."""
    from test_notebooks import make_clone

    clone = make_clone(tmp_path / "clone")
    with Lab(clone, tmp_path) as lab:
        model = _api(lab.base, "/api/contents/notebooks/02-compare.ipynb")
        nb = model["content"]
        kernel_name = nb["metadata"]["kernelspec"]["name"]
        session = _api(lab.base, "/api/sessions", "POST",
                       {"path": "notebooks/02-compare.ipynb", "type": "notebook",
                        "name": "02-compare.ipynb", "kernel": {"name": kernel_name}})
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                   for c in code]
        ran = asyncio.run(_execute_cells(lab.ws_url(session["kernel"]["id"]), sources))
        _api(lab.base, f"/api/sessions/{session['id']}", "DELETE")
    for source, (status, out, mimes) in zip(sources, ran):
        assert status == "ok", f"cell {source[:60]!r} failed: {out[-1500:]}"
        if "charts." in source or "maps.region_map" in source:
            assert "image/png" in mimes, f"chart cell {source!r} shows no image"
    assert (clone / "reports" / "kota-bengkulu-2023" / "02-compare-peers.csv").is_file()

"""`make lab` serves the project: JupyterLab on loopback lists notebooks/ and runs spbe_tools."""
from __future__ import annotations

import asyncio
import json
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


async def _execute(ws_url: str, code: str) -> tuple[str, str]:
    """Run code in a kernel over the Jupyter websocket protocol: (status, stdout)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {TOKEN}"}))
    msg_id = uuid.uuid4().hex
    await conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False}}))
    out, status = "", ""
    deadline = time.monotonic() + 120
    while not status and time.monotonic() < deadline:
        raw = await asyncio.wait_for(conn.read_message(), timeout=120)
        if raw is None:
            break
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out += msg["content"]["text"]
        elif msg["msg_type"] == "execute_reply":
            status = msg["content"]["status"]
    conn.close()
    return status, out


@pytest.mark.slow
def test_jupyterlab_serves_notebooks_and_a_kernel_imports_spbe_tools(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={PROJECT_ROOT}", "--ServerApp.open_browser=False",
         *(["--allow-root"] if __import__("os").geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**__import__("os").environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
             "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None:
                break
            try:
                _api(base, "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start: " + proc.stderr.read1().decode()[-2000:])
        listing = _api(base, "/api/contents/notebooks")
        names = {item["name"] for item in listing["content"]}
        assert {"02-compare.ipynb", "02-compare.py"} <= names
        kernel = _api(base, "/api/kernels", "POST", {"name": "python3"})
        ws_url = f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels"
        status, out = asyncio.run(_execute(
            ws_url, "import spbe_tools, spbe_tools.compare; print('spbe', spbe_tools.__version__)"))
        assert status == "ok"
        import spbe_tools

        assert out.strip() == f"spbe {spbe_tools.__version__}"
        _api(base, f"/api/kernels/{kernel['id']}", "DELETE")
        _api(base, "/api/shutdown", "POST")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)

"""A real dashboard server on a free loopback port, started as a class starts it (``serve.py``,
with a teacher token and a class data folder), and how to launch Debian's chromium here: shared
by the browser tests (conftest.py) and the benchmarks (benchmarks/classroom.py, live_view.py,
enhance.py)."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from classroom.access import TEACHER_ENV
from classroom.config import CLASS_URL_ENV, DATA_DIR_ENV, STORE_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINT = "dashboard.py"
"""The script ``serve.py`` runs; any other script is started with ``streamlit run`` itself."""
TEACHER_TOKEN = "e2e-teacher-token-Zq7Xk2Wm9Rt4"
"""The teacher token the servers started here get (``TEACHER_TOKEN``), unless told another."""
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags chromium keeps dialling hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every page is a student's own foreground window: no timer throttling for pages chromium
    # thinks are in the background (it slowed st.fragment's run_every to about once a second).
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
START_TIMEOUT = 30.0


class ServerError(RuntimeError):
    """The server exited or did not answer its health check in time."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


def server_command(port: int, script: str = ENTRY_POINT, data_dir: Path | None = None) -> list[str]:
    """The command that serves ``script`` on 127.0.0.1:``port``: the dashboard through
    ``serve.py`` (its banner, the token and ``data_dir`` checked first), any other script of
    the repository with ``streamlit run``."""
    streamlit_options = ["--server.headless", "true", "--server.address", "127.0.0.1"]
    if script == ENTRY_POINT:
        if data_dir is None:
            raise ValueError("the dashboard needs a class data folder: give data_dir")
        serve = ["serve.py", "--port", str(port), "--data-dir", str(data_dir)]
        return [sys.executable, *serve, *streamlit_options]
    return [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
            *streamlit_options]  # fmt: skip


@contextmanager
def streamlit_server(
    log_path: Path | None = None,
    port: int | None = None,
    script: str = ENTRY_POINT,
    *,
    data_dir: Path | None = None,
    token: str = TEACHER_TOKEN,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Start the dashboard (or another ``script`` of the repository) on ``port``, or a free
    one, wait until it is healthy, yield its URL; stop it afterwards.

    The dashboard starts through ``serve.py``, as ``make run`` starts it, with ``token`` as its
    ``TEACHER_TOKEN`` and ``data_dir`` as its class data folder (None: a new temporary folder,
    removed afterwards). ``env``: more environment variables for the server. Its output
    (serve.py's banner, then Streamlit's log) goes to ``log_path``."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    # The server's classroom settings are the ones given here, never the shell's or a test's.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {TEACHER_ENV, DATA_DIR_ENV, CLASS_URL_ENV, STORE_ENV}
    }
    environment.update({TEACHER_ENV: token, **(env or {})})
    with ExitStack() as cleanup:
        if script == ENTRY_POINT and data_dir is None:
            data_dir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="class-")))
        command = server_command(port, script, data_dir)
        log = cleanup.enter_context(open(log_path, "wb")) if log_path else subprocess.DEVNULL
        # No shell: terminate() must reach the server itself (serve.py becomes it by exec).
        server = subprocess.Popen(
            command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not is_healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise ServerError(f"the dashboard did not become healthy on {url}")
                time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

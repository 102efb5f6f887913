"""``serving.replicas.Supervisor`` with real processes: the real nginx, and small Python
programs standing in for Streamlit replicas (they answer ``/_stcore/health`` and then live or
exit as each test needs), so that a replica's death, a replica that cannot start and nginx's
death happen on cue and in seconds. tests/serving/test_serve_replicas.py and
tests/e2e/test_replicas_e2e.py run real Streamlit replicas."""

import io
import os
import signal
import sys
from pathlib import Path

import pytest

from serving import nginx
from serving.replicas import ReplicaError, StopRequest, Supervisor, exit_reason, free_ports
from tests import REPO_ROOT
from tests.e2e.server import free_port

# Answers the health check on the port given, for the seconds given, then exits with status 3.
REPLICA = """
import http.server, sys, threading, time
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Health)
threading.Thread(target=server.serve_forever, daemon=True).start()
time.sleep(float(sys.argv[2]))
sys.exit(3)
"""


def stand_in(seconds: float):
    return lambda port: [sys.executable, "-c", REPLICA, str(port), str(seconds)]


def supervisor(tmp_path: Path, command, replicas: int = 1, **options) -> Supervisor:
    binary = nginx.find_nginx()
    assert binary, "nginx is missing: make nginx (as root: apt-get install -y nginx)"
    ports = free_ports(replicas)
    runtime = tmp_path / "nginx"
    runtime.mkdir()
    text = nginx.render_config(
        ports, [f"127.0.0.1:{free_port()}"], runtime, 10, nginx.worker_user()
    )
    files = nginx.write_config(runtime, text)
    return Supervisor(
        command, ports, nginx.nginx_command(binary, files), os.environ, REPO_ROOT, **options
    )


def running(process) -> bool:
    return process is not None and process.poll() is None


def test_a_replica_that_keeps_dying_is_restarted_then_given_up_and_the_run_ends(
    tmp_path: Path,
) -> None:
    report = io.StringIO()
    class_ = supervisor(tmp_path, stand_in(1.0), max_restarts=1, report=report)

    status = class_.run(StopRequest(), start_timeout=30)

    assert status == 1
    said = report.getvalue()
    port = class_.replicas[0].port
    assert f"replica 1 (127.0.0.1:{port}) stopped (exit status 3); starting it again " in said
    assert "(restart 1 of at most 1)" in said
    assert f"replica 1 (127.0.0.1:{port}) stopped (exit status 3) after 1 restarts" in said
    assert "every replica has stopped for good; stopping nginx." in said
    assert class_.replicas[0].given_up
    assert class_.nginx.poll() is not None  # stopped, as the replica is


def test_nginx_stopping_ends_the_run_and_stops_every_replica(tmp_path: Path) -> None:
    report = io.StringIO()
    class_ = supervisor(tmp_path, stand_in(60.0), replicas=2, report=report)
    stop = StopRequest()
    try:
        class_.start(stop, timeout=30)
        assert running(class_.nginx)
        assert all(running(replica.process) for replica in class_.replicas)
        class_.nginx.send_signal(signal.SIGKILL)

        assert class_.watch(stop) == 1
    finally:
        class_.stop()

    assert "nginx stopped (killed by signal 9 (SIGKILL)), so students can no longer" in (
        report.getvalue()
    )
    assert not [replica for replica in class_.replicas if running(replica.process)]


def test_a_replica_that_cannot_start_stops_the_start_and_starts_no_nginx(tmp_path: Path) -> None:
    class_ = supervisor(tmp_path, lambda port: [sys.executable, "-c", "raise SystemExit(4)"])

    with pytest.raises(ReplicaError, match=r"replica 1 \(127.0.0.1:\d+\) stopped while starting "
                       r"\(exit status 4\)"):  # fmt: skip
        class_.run(StopRequest(), start_timeout=30)

    assert class_.nginx is None


def test_a_stop_asked_for_ends_the_run_with_0_and_stops_everything(tmp_path: Path) -> None:
    class_ = supervisor(tmp_path, stand_in(60.0))
    stop = StopRequest()

    status = class_.run(stop, ready=stop.set, start_timeout=30)  # asked as soon as it is up

    assert status == 0
    assert class_.nginx is not None and class_.nginx.returncode is not None
    assert class_.replicas[0].process.returncode == -signal.SIGTERM


def test_exit_reasons_are_said_in_words() -> None:
    assert exit_reason(0) == "exit status 0"
    assert exit_reason(1) == "exit status 1"
    assert exit_reason(-9) == "killed by signal 9 (SIGKILL)"
    assert exit_reason(-15) == "killed by signal 15 (SIGTERM)"

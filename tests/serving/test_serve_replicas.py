"""``serve.py --replicas N``, run as a subprocess as the teacher runs it: the dry run and its
refusals, then one real start of two Streamlit replicas behind the real nginx (what runs, what
they share, a replica killed and restarted, and a stop that leaves nothing behind)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from classroom import config
from serve import BANNER_END
from serving.nginx import REPLICA_HEADER, ROUTE_COOKIE, find_nginx
from tests import REPO_ROOT
from tests.e2e.server import free_port, is_healthy

SERVE = REPO_ROOT / "serve.py"
TOKEN = "a-teacher-token-for-the-replicas-0123"
START_TIMEOUT_S = 90.0


def clean_env(**values: str) -> dict[str, str]:
    """This process's environment without the launcher's variables, plus ``values``."""
    launcher = {"TEACHER_TOKEN", config.DATA_DIR_ENV, config.CLASS_URL_ENV, config.STORE_ENV}
    return {**{k: v for k, v in os.environ.items() if k not in launcher}, **values}


def dry_run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SERVE), "--dry-run", *args],
        env=clean_env(TEACHER_TOKEN=TOKEN),
        capture_output=True,
        text=True,
        timeout=60,
    )


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def command_of(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def environment_of(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def wait_until(condition, what: str, log: Path, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen:\n{log.read_text()}"
        time.sleep(0.2)


# ---- the dry run ---------------------------------------------------------------------------------
def test_a_dry_run_with_replicas_says_what_would_run_and_starts_nothing(tmp_path: Path) -> None:
    port = free_port()
    done = dry_run(
        "--replicas", "3", "--port", str(port), "--data-dir", str(tmp_path / "data"),
        "--server.address", "0.0.0.0", "--theme.base=dark",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "  Replicas:        3 Streamlit processes behind nginx" in done.stdout
    assert f"http://localhost:{port}/?teacher={TOKEN}" in done.stdout
    assert done.stdout.count(TOKEN) == 1
    (plan,) = [line for line in done.stdout.splitlines() if line.startswith("Dry run")]
    assert "3 replicas, each " in plan
    assert "--server.port '<free port>' --theme.base=dark --server.address 127.0.0.1," in plan
    assert "0.0.0.0" not in plan.split(", behind")[0]  # the replicas listen on loopback only
    assert plan.endswith(f"behind nginx on 0.0.0.0:{port}")
    network = re.search(r"On the network:  (http://\S+)", done.stdout).group(1)
    assert network.endswith(f":{port}")
    assert f"NN_CLASS_URL={network}." in done.stdout  # class links name nginx's address
    assert not list(Path("/tmp").glob(f"nn-class-{port}-*"))


def test_one_replica_is_streamlit_alone_as_before(tmp_path: Path) -> None:
    done = dry_run("--replicas", "1", "--data-dir", str(tmp_path / "data"))

    assert done.returncode == 0, done.stderr
    assert "Replicas:" not in done.stdout
    assert "-m streamlit run dashboard.py --server.port 8501" in done.stdout
    assert "nginx" not in done.stdout


@pytest.mark.parametrize("count", ["0", "33", "four"])
def test_a_replica_count_out_of_range_is_refused(tmp_path: Path, count: str) -> None:
    done = dry_run("--replicas", count, "--data-dir", str(tmp_path / "data"))

    assert done.returncode == 2
    assert "give a whole number from 1 to 32, e.g. --replicas 4" in done.stderr
    assert done.stdout == ""


def test_a_port_another_server_holds_is_refused_before_the_banner(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = dry_run("--replicas", "2", "--port", str(port), "--data-dir", str(tmp_path / "d"))

    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert f"nginx cannot listen on 127.0.0.1:{port}" in line
    assert "--port N" in line
    assert TOKEN not in line


# ---- a real start --------------------------------------------------------------------------------
def test_two_replicas_share_the_class_and_one_killed_comes_back(tmp_path: Path) -> None:
    assert find_nginx(), "nginx is missing: make nginx (as root: apt-get install -y nginx)"
    port, data, log = free_port(), tmp_path / "data", tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, str(SERVE), "--replicas", "2", "--port", str(port),
               "--data-dir", str(data), "--server.headless", "true"]  # fmt: skip
    with open(log, "wb") as output:
        serve = subprocess.Popen(
            command, env=clean_env(TEACHER_TOKEN=TOKEN), stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until(lambda: "Ready: 2 replicas" in log.read_text(), "the start", log)
        wait_until(lambda: is_healthy(url), "a healthy answer through nginx", log)
        started = children(serve.pid)
        assert len(started) == 3
        masters = [pid for pid in started if "nginx: master" in " ".join(command_of(pid))]
        (nginx_pid,) = masters  # nginx names its own process
        replicas = {}
        for pid in set(started) - {
            nginx_pid
        }:  # same class, same token, loopback only, token off the command
            line = command_of(pid)
            assert line[1:4] == ["-m", "streamlit", "run"] and TOKEN not in " ".join(line)
            assert line[-2:] == ["--server.address", "127.0.0.1"]
            env = environment_of(pid)
            assert env["TEACHER_TOKEN"] == TOKEN and env[config.DATA_DIR_ENV] == str(data)
            replicas[int(line[line.index("--server.port") + 1])] = pid
        assert len(replicas) == 2

        # Two first visits reach both replicas, each told by the header and its cookie.
        answers = set()
        for _ in range(2):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
                replica = response.headers[REPLICA_HEADER]
                cookies = response.headers.get_all("Set-Cookie")
                assert f"{ROUTE_COOKIE}={replica}; Path=/; HttpOnly; SameSite=Lax" in cookies
                answers.add(replica)
        assert answers == {"1", "2"}

        ports = re.search(r"Starting 2 replicas on 127.0.0.1 ports (\d+), (\d+),", log.read_text())
        assert ports and {int(ports[1]), int(ports[2])} == set(replicas)
        victim_port = int(ports[2])  # replica 2
        os.kill(replicas[victim_port], signal.SIGKILL)
        wait_until(lambda: "restart 1 of at most 5" in log.read_text(), "the report", log)
        assert f"replica 2 (127.0.0.1:{victim_port}) stopped (killed by signal 9" in log.read_text()
        wait_until(lambda: is_healthy(f"http://127.0.0.1:{victim_port}"), "the restart", log)
        assert len(children(serve.pid)) == 3
        runtime = Path(re.search(r"nginx files:\s+(\S+)", log.read_text()).group(1))
        assert (runtime / "logs" / "access.log").is_file()
        everyone = children(serve.pid)
    finally:
        serve.send_signal(signal.SIGTERM)
        status = serve.wait(timeout=30)

    assert status == 0
    assert not [pid for pid in everyone if alive(pid)]
    assert not runtime.exists()
    text = log.read_text()
    assert "Stopped nginx and the 2 replicas." in text
    assert "Traceback" not in text
    after_banner = text.split(BANNER_END, 1)[1].split("\n", 1)[1]
    assert TOKEN not in after_banner

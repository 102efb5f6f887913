"""serve.py, the launcher `make run` calls: run as a subprocess, as the teacher runs it.

Most tests use ``--dry-run`` (the checks, the banner and the command, nothing started); one
starts the real server on a free loopback port. Every run gets its own data folder under
``tmp_path`` and an environment without ``TEACHER_TOKEN`` or ``NN_DATA_DIR`` unless a test sets
them, so nothing is written into the repository.
"""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from classroom import config
from classroom.access import SECRET_BYTES, SECRET_FILE
from tests import REPO_ROOT
from tests.e2e.server import free_port, is_healthy

SERVE = REPO_ROOT / "serve.py"
TOKEN = "a-teacher-token-of-32-characters"
LINK_TOKEN = re.compile(r"\?teacher=([A-Za-z0-9_-]+)")
START_TIMEOUT_S = 60.0


def clean_env(**values: str) -> dict[str, str]:
    """This process's environment without the launcher's two variables, plus ``values``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TEACHER_TOKEN", "NN_DATA_DIR", "NN_CLASS_STORE"}
    }
    return {**env, **values}


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SERVE), "--dry-run", *args],
        env=clean_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def command_line(stdout: str) -> str:
    """The dry run's line with the command it would run."""
    (line,) = [line for line in stdout.splitlines() if line.startswith("Dry run")]
    return line


def test_a_set_token_is_in_the_teacher_link_and_never_in_the_command(tmp_path: Path) -> None:
    done = serve("--data-dir", str(tmp_path / "data"), env=clean_env(TEACHER_TOKEN=TOKEN))

    assert done.returncode == 0, done.stderr
    assert f"http://localhost:8501/?teacher={TOKEN}" in done.stdout
    assert LINK_TOKEN.findall(done.stdout) == [TOKEN]
    command = command_line(done.stdout)
    assert "-m streamlit run dashboard.py --server.port 8501" in command
    assert TOKEN not in command
    assert done.stdout.count(TOKEN) == 1  # the teacher link, nowhere else


def test_without_a_token_each_start_makes_a_new_random_one(tmp_path: Path) -> None:
    tokens = []
    for _ in range(2):
        done = serve("--data-dir", str(tmp_path / "data"))
        assert done.returncode == 0, done.stderr
        (token,) = LINK_TOKEN.findall(done.stdout)
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
        assert token not in command_line(done.stdout)
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_a_short_token_stops_before_anything_with_its_length_and_not_the_token(
    tmp_path: Path,
) -> None:
    short = "tooShort42"
    data = tmp_path / "data"
    done = serve("--data-dir", str(data), env=clean_env(TEACHER_TOKEN=short))

    assert done.returncode == 2
    assert "TEACHER_TOKEN is 10 characters long" in done.stderr
    assert "at least 16" in done.stderr
    assert short not in done.stderr + done.stdout
    assert done.stdout == ""  # no banner
    assert not data.exists()


def test_the_data_folder_gets_its_board_and_secret(tmp_path: Path) -> None:
    data = tmp_path / "class" / "data"
    done = serve("--data-dir", str(data))

    assert done.returncode == 0, done.stderr
    assert (data / config.STORE_FILE).is_file()
    assert len((data / SECRET_FILE).read_bytes()) == SECRET_BYTES
    assert f"Class data:      {data}" in done.stdout
    assert f"NN_DATA_DIR={data}" in done.stdout


def test_a_relative_data_folder_is_made_absolute(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SERVE), "--dry-run", "--data-dir", "relative"],
        env=clean_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "relative" / config.STORE_FILE).is_file()
    assert f"Class data:      {tmp_path / 'relative'}" in done.stdout


def test_nn_data_dir_is_the_default_and_data_dir_overrides_it(tmp_path: Path) -> None:
    from_env, given = tmp_path / "from-env", tmp_path / "given"

    done = serve(env=clean_env(NN_DATA_DIR=str(from_env)))
    assert done.returncode == 0, done.stderr
    assert (from_env / config.STORE_FILE).is_file()

    done = serve("--data-dir", str(given), env=clean_env(NN_DATA_DIR=str(from_env)))
    assert done.returncode == 0, done.stderr
    assert f"NN_DATA_DIR={given}" in done.stdout
    assert (given / config.STORE_FILE).is_file()


@pytest.mark.parametrize(
    ("make_bad", "expected"),
    [
        (lambda root: root / "a-file" / "data", "a part of its path is a file, not a folder"),
        (lambda root: root / "a-file", "is a file, not a folder"),
    ],
    ids=["under a file", "a file"],
)
def test_a_data_folder_that_cannot_be_made_stops_with_one_clear_line(
    tmp_path: Path, make_bad, expected: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    bad = make_bad(tmp_path)
    done = serve("--data-dir", str(bad), env=clean_env(TEACHER_TOKEN=TOKEN))

    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert str(bad) in line
    assert expected in line
    assert "--data-dir" in line
    assert TOKEN not in line


def test_a_damaged_board_or_secret_stops_with_the_store_s_message(tmp_path: Path) -> None:
    board = tmp_path / "board"
    board.mkdir()
    (board / config.STORE_FILE).write_text("not a database")
    done = serve("--data-dir", str(board))
    assert done.returncode == 2
    assert "is not a class database" in done.stderr
    assert len(done.stderr.splitlines()) == 1

    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / SECRET_FILE).write_bytes(b"short")
    done = serve("--data-dir", str(secret))
    assert done.returncode == 2
    assert "holds 5 bytes" in done.stderr


def test_streamlit_options_pass_through_in_order(tmp_path: Path) -> None:
    done = serve(
        "--data-dir",
        str(tmp_path / "data"),
        "--port",
        "8600",
        "--server.address",
        "0.0.0.0",
        "--theme.base=dark",
    )

    assert done.returncode == 0, done.stderr
    assert command_line(done.stdout).endswith(
        "-m streamlit run dashboard.py --server.port 8600 --server.address 0.0.0.0 "
        "--theme.base=dark"
    )
    network = re.search(r"On the network:  (http://\S+)", done.stdout)
    assert network is not None
    assert network.group(1).endswith(":8600")
    assert "localhost" not in network.group(1)
    assert f"Students open the plain address {network.group(1)}" in done.stdout
    assert "http://localhost:8600/?teacher=" in done.stdout
    assert f"Class links are made on NN_CLASS_URL={network.group(1)}." in done.stdout


def test_without_an_address_the_banner_says_how_to_serve_the_class(tmp_path: Path) -> None:
    done = serve("--data-dir", str(tmp_path / "data"))

    assert done.returncode == 0, done.stderr
    assert "On the network" not in done.stdout
    assert 'make run ARGS="--server.address 0.0.0.0"' in done.stdout
    assert "NN_CLASS_URL" not in done.stdout  # links take the address the browser shows


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--server.port", "9000"], "Use --port N instead"),
        (["--server.port=9000"], "Use --port N instead"),
        (["--port", "70000"], "from 1 to 65535"),
        (["--port", "web"], "from 1 to 65535"),
    ],
)
def test_a_port_given_the_wrong_way_is_refused(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    done = serve("--data-dir", str(tmp_path / "data"), *args)

    assert done.returncode == 2
    assert expected in done.stderr
    assert done.stdout == ""


def test_data_dir_reads_nn_data_dir_and_defaults_under_the_repository(tmp_path: Path) -> None:
    assert config.data_dir({"NN_DATA_DIR": str(tmp_path)}) == tmp_path
    assert config.data_dir({"NN_DATA_DIR": "~/class"}) == Path.home() / "class"
    assert config.data_dir({}) == REPO_ROOT / "classroom-data"
    assert config.data_dir({"NN_DATA_DIR": ""}) == config.DEFAULT_DATA_DIR
    assert config.DATA_DIR_ENV == "NN_DATA_DIR"
    assert config.STORE_FILE == "classroom.sqlite3"
    assert config.class_url({"NN_CLASS_URL": "http://10.0.0.5:8501"}) == "http://10.0.0.5:8501"
    assert config.class_url({}) is None


def test_the_real_server_starts_and_keeps_the_token_off_its_command_line(tmp_path: Path) -> None:
    port, data, log_path = free_port(), tmp_path / "data", tmp_path / "serve.log"
    command = [sys.executable, str(SERVE), "--port", str(port), "--data-dir", str(data),
               "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            command, env=clean_env(TEACHER_TOKEN=TOKEN), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not is_healthy(url):
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, f"no health on {url}:\n{log_path.read_text()}"
                time.sleep(0.2)
            # serve.py became Streamlit: same process, the token only in its environment.
            cmdline = Path(f"/proc/{server.pid}/cmdline").read_bytes().split(b"\0")
            assert b"streamlit" in cmdline
            assert TOKEN.encode() not in b" ".join(cmdline)
            environ = Path(f"/proc/{server.pid}/environ").read_bytes().split(b"\0")
            assert f"TEACHER_TOKEN={TOKEN}".encode() in environ
            assert f"NN_DATA_DIR={data}".encode() in environ
            with urllib.request.urlopen(f"{url}/?teacher={TOKEN}", timeout=10) as response:
                assert response.status == 200
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    lines = log_path.read_text().splitlines()
    ends = [index for index, line in enumerate(lines) if line.startswith("  Class data:")]
    assert ends, lines  # the banner was printed before exec
    banner, after = lines[: ends[0] + 1], lines[ends[0] + 1 :]
    assert any(f"?teacher={TOKEN}" in line for line in banner)
    assert not [line for line in after if TOKEN in line]

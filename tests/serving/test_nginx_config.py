"""The nginx configuration of ``serve.py --replicas``: what ``serving.nginx.render_config``
writes, read as text, then checked by the real nginx (``nginx -t``) and run by it in front of
two small HTTP servers standing in for the replicas (the routing is nginx's: its maps, cookie
and upstreams are what is under test here; tests/e2e/test_replicas_e2e.py runs real Streamlit
replicas)."""

import http.server
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from serving import nginx
from tests import REPO_ROOT
from tests.e2e.server import free_port

PORTS = [41001, 41002, 41003]
TOKEN = "a-teacher-token-that-must-stay-out-of-logs"
NGINX = nginx.find_nginx()


def rendered(tmp_path: Path, ports=PORTS, address: str | None = "0.0.0.0", port=8501) -> str:
    return nginx.render_config(
        ports, nginx.listen_addresses(address, port), tmp_path, 10, nginx.worker_user()
    )


def block(text: str, header: str) -> str:
    """The body of the block that starts with ``header {`` (no nested blocks inside)."""
    match = re.search(re.escape(header) + r"\s*\{(.*?)\n\s*\}", text, re.DOTALL)
    assert match, f"no block {header!r} in:\n{text}"
    return match.group(1)


def servers(body: str) -> list[str]:
    return [line.split(None, 1)[1].rstrip(";") for line in lines(body, "server ")]


def lines(body: str, start: str) -> list[str]:
    return [line.strip() for line in body.splitlines() if line.strip().startswith(start)]


def require_nginx() -> str:
    if NGINX is None:
        pytest.fail("nginx is missing: make nginx (as root: apt-get install -y nginx)")
    return NGINX


# ---- the configuration as text -------------------------------------------------------------------
def test_every_replica_is_an_upstream_and_each_has_its_own_group_with_the_others_as_backups(
    tmp_path: Path,
) -> None:
    text = rendered(tmp_path)

    everyone = servers(block(text, f"upstream {nginx.ALL_GROUP}"))
    assert [server.split()[0] for server in everyone] == [f"127.0.0.1:{p}" for p in PORTS]
    assert not [server for server in everyone if "backup" in server]
    for k, port in enumerate(PORTS, start=1):
        group = servers(block(text, f"upstream {nginx.GROUP_PREFIX}{k}"))
        assert group[0].split()[0] == f"127.0.0.1:{port}" and "backup" not in group[0]
        backups = {server.split()[0] for server in group[1:] if server.endswith("backup")}
        assert backups == {f"127.0.0.1:{other}" for other in PORTS if other != port}
        assert all("max_fails=1" in server for server in group)
    assert len(re.findall(r"^\s*upstream \S+ \{", text, re.MULTILINE)) == len(PORTS) + 1


def test_the_cookie_picks_the_replica_and_is_set_to_the_one_that_answered(tmp_path: Path) -> None:
    text = rendered(tmp_path)

    groups = block(text, f"map $cookie_{nginx.ROUTE_COOKIE} $nn_group")
    assert f"default {nginx.ALL_GROUP};" in groups
    for k in range(1, len(PORTS) + 1):
        assert f"{k} {nginx.GROUP_PREFIX}{k};" in groups
    answered = block(text, "map $upstream_addr $nn_replica")
    for k, port in enumerate(PORTS, start=1):
        assert f'"~(^|, )127\\.0\\.0\\.1:{port}$" {k};' in answered
    set_route = block(text, f'map "$cookie_{nginx.ROUTE_COOKIE}:$nn_replica" $nn_set_route')
    assert "nnroute=$nn_replica; Path=/; HttpOnly; SameSite=Lax" in set_route
    location = block(text, "location /")
    assert "proxy_pass http://$nn_group;" in location
    assert "add_header Set-Cookie $nn_set_route always;" in location
    assert "add_header X-Replica $nn_replica always;" in location
    assert "proxy_next_upstream error timeout;" in location
    assert "sticky" not in text  # nginx-plus only


def test_websockets_are_proxied_with_their_upgrade_and_long_timeouts(tmp_path: Path) -> None:
    location = block(rendered(tmp_path), "location /")

    assert "proxy_http_version 1.1;" in location
    assert "proxy_set_header Upgrade $http_upgrade;" in location
    assert "proxy_set_header Connection $nn_connection;" in location
    assert "proxy_set_header Host $http_host;" in location  # Streamlit checks Origin against it
    (read,) = lines(location, "proxy_read_timeout")
    assert int(re.search(r"(\d+)s;", read).group(1)) >= 3600
    upgrade = block(rendered(tmp_path), "map $http_upgrade $nn_connection")
    assert "default upgrade;" in upgrade


def test_every_file_nginx_writes_is_in_the_runtime_folder(tmp_path: Path) -> None:
    text = rendered(tmp_path)

    for directive in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (line,) = lines(text, f"{directive}_temp_path ")
        assert f'"{tmp_path}/temp/{directive}"' in line
    assert lines(text, "pid ") == [f'pid "{tmp_path}/nginx.pid";']
    assert lines(text, "error_log ") == [f'error_log "{tmp_path}/logs/error.log" crit;']
    assert lines(text, "access_log ") == [f'access_log "{tmp_path}/logs/access.log" nn_replicas;']
    quoted_paths = re.findall(r'"(/[^"]*)"', text)
    assert len(quoted_paths) == 8
    assert all(path.startswith(f"{tmp_path}/") for path in quoted_paths)
    assert "/var/" not in text


def test_the_access_log_holds_the_path_never_the_query_or_the_referer(tmp_path: Path) -> None:
    (log_format,) = lines(rendered(tmp_path), "log_format ")

    assert "$uri" in log_format
    for leaks in ("$request_uri", "$request ", '$request"', "$args", "$query_string",
                  "$arg_", "$http_referer", "$request_body"):  # fmt: skip
        assert leaks not in log_format
    assert "replica=$nn_replica" in log_format and "$upstream_addr" in log_format


def test_uploads_up_to_streamlit_s_limit_pass(tmp_path: Path) -> None:
    limit = nginx.max_upload_mb(REPO_ROOT / ".streamlit" / "config.toml")
    assert limit == 10  # .streamlit/config.toml: server.maxUploadSize

    text = nginx.render_config(PORTS, ["127.0.0.1:8501"], tmp_path, limit)
    assert lines(text, "client_max_body_size") == ["client_max_body_size 11m;"]

    config = tmp_path / "config.toml"
    config.write_text("[server]\nmaxUploadSize = 2.5\n")
    assert nginx.max_upload_mb(config) == 2.5
    assert "client_max_body_size 4m;" in nginx.render_config(PORTS, ["[::]:80"], tmp_path, 2.5)
    config.write_text("[server]\nheadless = true\n")
    assert nginx.max_upload_mb(config) == nginx.DEFAULT_MAX_UPLOAD_MB
    assert nginx.max_upload_mb(tmp_path / "missing.toml") == nginx.DEFAULT_MAX_UPLOAD_MB
    config.write_text('[server]\nmaxUploadSize = "ten"\n')
    with pytest.raises(ValueError, match="maxUploadSize .* is 'ten'"):
        nginx.max_upload_mb(config)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (None, ["127.0.0.1:8600"]),
        ("localhost", ["127.0.0.1:8600"]),
        ("0.0.0.0", ["0.0.0.0:8600"]),
        ("::", ["0.0.0.0:8600", "[::]:8600"]),
        ("::1", ["[::1]:8600"]),
        ("192.168.1.20", ["192.168.1.20:8600"]),
    ],
)
def test_nginx_listens_where_the_teacher_asked(address: str | None, expected: list[str]) -> None:
    assert nginx.listen_addresses(address, 8600) == expected
    text = nginx.render_config([9001], expected, Path("/srv/run"))
    assert lines(text, "listen ") == [f"listen {listen};" for listen in expected]


@pytest.mark.parametrize(
    ("ports", "runtime", "message"),
    [
        ([], "/srv/run", "no replica ports"),
        ([9001, 9001], "/srv/run", "repeat a port"),
        ([0], "/srv/run", "is not a port"),
        ([9001], "relative/run", "must be absolute"),
        ([9001], "/srv/my run", "without spaces"),
        ([9001], "/srv/run;evil", "without spaces"),
    ],
)
def test_what_nginx_cannot_read_is_refused_before_it_is_written(
    ports: list[int], runtime: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        nginx.render_config(ports, ["127.0.0.1:8501"], Path(runtime))


def test_as_root_the_workers_run_as_nobody(tmp_path: Path) -> None:
    user = nginx.worker_user()
    text = nginx.render_config(PORTS, ["127.0.0.1:8501"], tmp_path, 10, user)
    if user is None:
        assert lines(text, "user ") == []
    else:
        assert user[0] == "nobody"
        assert lines(text, "user ") == [f"user {user[0]} {user[1]};"]


# ---- the real nginx ------------------------------------------------------------------------------
@pytest.mark.parametrize("replicas", [1, 2, 4])
def test_the_real_nginx_accepts_the_configuration(tmp_path: Path, replicas: int) -> None:
    binary = require_nginx()
    ports = list(range(42001, 42001 + replicas))
    files = nginx.write_config(tmp_path, rendered(tmp_path, ports, port=free_port()))

    nginx.check_config(binary, files)  # raises NginxError with nginx's words otherwise

    assert files.config.is_file() and files.temp.is_dir() and files.error_log.parent.is_dir()


def test_a_configuration_nginx_refuses_says_what_nginx_said(tmp_path: Path) -> None:
    binary = require_nginx()
    files = nginx.write_config(tmp_path, rendered(tmp_path).replace("proxy_pass", "proxy_passs"))

    with pytest.raises(nginx.NginxError, match='unknown directive "proxy_passs"'):
        nginx.check_config(binary, files)


class _Named(http.server.BaseHTTPRequestHandler):
    """A stand-in replica: answers every GET with its own name."""

    def do_GET(self) -> None:
        body = self.server.name.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def backend(name: str) -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Named)
    server.name = name
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def running_nginx(files: nginx.RuntimeFiles, port: int) -> Iterator[str]:
    process = subprocess.Popen(nginx.nginx_command(require_nginx(), files))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except urllib.error.URLError:
                assert process.poll() is None, files.error_log.read_text()
                assert time.monotonic() < deadline, "nginx did not answer within 10 s"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, cookie: str | None = None) -> tuple[str, str | None, str | None]:
    """(the body, the X-Replica header, the Set-Cookie header)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return (
            response.read().decode(),
            response.headers.get(nginx.REPLICA_HEADER),
            response.headers.get("Set-Cookie"),
        )


def test_real_nginx_keeps_a_browser_on_its_replica_and_moves_it_when_that_one_is_down(
    tmp_path: Path,
) -> None:
    port = free_port()
    with backend("one") as one, backend("two") as two:
        ports = [one.server_address[1], two.server_address[1]]
        text = nginx.render_config(ports, [f"127.0.0.1:{port}"], tmp_path, 10, nginx.worker_user())
        files = nginx.write_config(tmp_path, text)
        with running_nginx(files, port) as url:
            # A first visit goes round-robin and gets the cookie of the replica that answered.
            first = [get(f"{url}/") for _ in range(4)]
            assert {body for body, _, _ in first} == {"one", "two"}
            for body, replica, cookie in first:
                assert replica == {"one": "1", "two": "2"}[body]
                assert cookie == f"nnroute={replica}; Path=/; HttpOnly; SameSite=Lax"
            # With the cookie, every request reaches that replica, and no cookie is set again.
            for path in ("/Rose", "/_stcore/health", "/media/x.png", "/component/a.js"):
                assert get(f"{url}{path}", "nnroute=2") == ("two", "2", None)
            # A cookie that names no replica counts as none.
            body, replica, cookie = get(f"{url}/", "nnroute=9")
            assert cookie == f"nnroute={replica}; Path=/; HttpOnly; SameSite=Lax"
            # Replica 2 is down: its browsers reach replica 1, and the cookie moves there.
            two.shutdown()
            two.server_close()
            assert get(f"{url}/", "nnroute=2") == (
                "one", "1", "nnroute=1; Path=/; HttpOnly; SameSite=Lax"
            )  # fmt: skip
            assert get(f"{url}/?teacher={TOKEN}", "nnroute=1") == ("one", "1", None)
        log = files.access_log.read_text()

    assert TOKEN not in log and "teacher" not in log
    assert '"GET / HTTP/1.1" 200' in log
    assert "replica=1 route=2" in log  # the request passed over to replica 1
    assert files.error_log.read_text() == ""  # crit only: request lines never land here

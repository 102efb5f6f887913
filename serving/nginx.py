"""nginx in front of the replicas: its configuration, rendered from ``TEMPLATE``, and the
commands that check and run it. Pure apart from ``write_config`` (writes files) and
``check_config`` (runs ``nginx -t``); nothing here starts a server.

What the configuration does (``render_config``):

- **One address for the class.** nginx listens on ``listen_addresses(address, port)``: the
  address given to ``serve.py --server.address`` (all interfaces for ``0.0.0.0``), else
  127.0.0.1 only. Replica *k* (1 to N) is Streamlit on ``127.0.0.1:<ports[k-1]>``.
- **Sticky by a cookie that names the replica.** A browser's first request has no
  ``nnroute`` cookie and goes round-robin to a replica; the answer sets ``nnroute=<k>``. Every
  later request of that browser (the pages, the ``/_stcore/stream`` websocket,
  ``/_stcore/upload_file``, ``/media/...``, ``/component/...``) then goes to upstream
  ``nn_replica_<k>``: replica *k*, the others as backups. Its Streamlit session, uploads and
  media files live in replica *k*'s memory. When replica *k* refuses connections (it died),
  nginx passes the request to a backup (``proxy_next_upstream error timeout``, ``max_fails``),
  and the answer sets the cookie to the replica that answered; the browser's reconnection then
  stays there, also after replica *k* is back. (A hash of a random cookie over the servers
  would send that browser back to replica *k* when it returns, away from the session and media
  it now has elsewhere.) The cookie is ``Path=/; HttpOnly; SameSite=Lax``, for the browser's
  session only; a value that names no replica counts as none.
- **Websockets.** HTTP/1.1 to the replicas with the ``Upgrade`` and ``Connection`` headers
  passed on, ``Host`` kept (Streamlit compares the websocket's ``Origin`` with it), and
  ``PROXY_TIMEOUT_S`` of silence allowed before a connection is closed.
- **Uploads.** Bodies up to Streamlit's ``server.maxUploadSize`` (``max_upload_mb``) plus
  ``UPLOAD_MARGIN_MB`` for the form's own bytes; a bigger file is refused by Streamlit in the
  browser before it is sent.
- **Everything in the runtime folder.** The pid file, the error and access logs and every
  ``*_temp_path`` are in ``runtime_dir``, so nginx runs without ``/var/lib/nginx`` or
  ``/var/log/nginx``; ``-e`` sends the errors of its start there too. Run as root, its workers
  run as ``nobody`` (``worker_user``).
- **No teacher token in the logs.** The access log (``LOG_FORMAT``) writes ``$uri``, which is
  the path without its query: never ``$request``, ``$request_uri``, ``$args`` or the
  ``Referer``, any of which can carry ``?teacher=<token>``. nginx's error lines quote the
  request line, so the error log keeps only ``crit`` and worse; ``serve.py`` itself reports a
  replica that stops.
- **Which replica answered** is in every response's ``X-Replica`` header and in the access
  log (``replica=<k>``, ``route=<the cookie>``), for the teacher's checks and the tests.
"""

import grp
import math
import os
import pwd
import re
import shutil
import string
import subprocess
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROUTE_COOKIE = "nnroute"
REPLICA_HEADER = "X-Replica"
ALL_GROUP = "nn_replicas"
"""The upstream of a browser that names no replica yet: every replica, round-robin."""
GROUP_PREFIX = "nn_replica_"
"""Upstream ``nn_replica_<k>``: replica k, every other replica as a backup."""
LOOPBACK = "127.0.0.1"
PROXY_TIMEOUT_S = 3600
"""How long a websocket may stay silent before nginx closes it: a paused lesson can sit for a
whole lesson."""
CONNECT_TIMEOUT_S = 3
"""A replica that has not accepted a connection by then is passed over for the next one."""
FAIL_TIMEOUT_S = 10
"""After a failed connection, how long nginx leaves a replica out before trying it again."""
UPLOAD_MARGIN_MB = 1
DEFAULT_MAX_UPLOAD_MB = 200
"""Streamlit's own default for ``server.maxUploadSize`` when the config file sets none."""
WORKER_USER = "nobody"
CONFIG_FILE = "nginx.conf"
PID_FILE = "nginx.pid"
ERROR_LOG = "logs/error.log"
ACCESS_LOG = "logs/access.log"
TEMP_DIR = "temp"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
"""nginx's five temporary folders (``<name>_temp_path``), each inside the runtime folder."""
LOG_FORMAT = (
    '$remote_addr [$time_local] "$request_method $uri $server_protocol" $status '
    "$body_bytes_sent $request_time replica=$nn_replica route=$cookie_nnroute "
    'upstream="$upstream_addr"'
)
"""The access log's line: the path without its query (``$uri``), never the request line."""
# Characters that would end or change a quoted path in nginx's configuration language.
_UNSAFE_PATH = re.compile(r'["\\$;{}\s\x00-\x1f]')


class NginxError(RuntimeError):
    """nginx is missing, or refused the configuration; the message says what to do."""


class _Template(string.Template):
    # nginx's own variables are written $name: the template's placeholders are @name.
    delimiter = "@"


TEMPLATE = _Template("""\
# Written by serve.py --replicas @replicas for this run; rewritten at every start.
@user_line
worker_processes 1;
pid "@pid";
error_log "@error_log" crit;

events {
    worker_connections 1024;
}

http {
    server_tokens off;
    client_body_temp_path "@temp/client_body";
    proxy_temp_path "@temp/proxy";
    fastcgi_temp_path "@temp/fastcgi";
    uwsgi_temp_path "@temp/uwsgi";
    scgi_temp_path "@temp/scgi";

    # $uri is the path without the query: a teacher link's ?teacher= never reaches the log.
    log_format nn_replicas '@log_format';
    access_log "@access_log" nn_replicas;

    # Which replica answered (a retried request lists every address tried, the last answered).
@replica_map
    # The upstream of this request: the replica the browser's cookie names, else any replica.
@group_map
    # Set the cookie when it does not name the replica that answered (a first visit, or a
    # replica that died and was passed over); nothing when no replica answered.
    map "$cookie_@cookie:$nn_replica" $nn_set_route {
        "~^([0-9]+):\\1$" "";
        "~:$" "";
        default "@cookie=$nn_replica; Path=/; HttpOnly; SameSite=Lax";
    }

    # A websocket asks to upgrade; other requests keep their connection to the replica open.
    map $http_upgrade $nn_connection {
        default upgrade;
        "" "";
    }

@upstreams
    server {
@listen_lines
        client_max_body_size @{max_body_mb}m;

        location / {
            proxy_pass http://$nn_group;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $nn_connection;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout @{connect_timeout}s;
            proxy_read_timeout @{proxy_timeout}s;
            proxy_send_timeout @{proxy_timeout}s;
            proxy_next_upstream error timeout;
            add_header Set-Cookie $nn_set_route always;
            add_header @replica_header $nn_replica always;
        }
    }
}
""")


@dataclass(frozen=True)
class RuntimeFiles:
    """Where one nginx run keeps its files, all inside ``root``."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def pid(self) -> Path:
        return self.root / PID_FILE

    @property
    def error_log(self) -> Path:
        return self.root / ERROR_LOG

    @property
    def access_log(self) -> Path:
        return self.root / ACCESS_LOG

    @property
    def temp(self) -> Path:
        return self.root / TEMP_DIR


def render_config(
    ports: Sequence[int],
    listen: Sequence[str],
    runtime_dir: Path,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    worker_user: tuple[str, str] | None = None,
) -> str:
    """The nginx configuration for replicas on ``127.0.0.1:<ports>`` (replica k on
    ``ports[k-1]``), listening on each of ``listen`` (``host:port``, IPv6 in brackets), with
    every file in ``runtime_dir`` (absolute), uploads of ``max_upload_mb`` MB, and workers
    running as ``worker_user`` (user, group; None: nginx's default, for a non-root start).
    ``ValueError`` for no ports, a port twice or out of range, no listen address, or a
    runtime folder that is relative or holds characters nginx would read as syntax."""
    if not ports:
        raise ValueError("no replica ports given: give the port of each Streamlit replica")
    for port in ports:
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise ValueError(f"replica port {port!r} is not a port: give whole numbers 1-65535")
    if len(set(ports)) != len(ports):
        raise ValueError(f"replica ports {list(ports)} repeat a port: each replica needs its own")
    if not listen:
        raise ValueError("no listen address given: give nginx's host:port, e.g. 0.0.0.0:8501")
    files = RuntimeFiles(_safe_path(runtime_dir))
    if not max_upload_mb > 0:
        raise ValueError(f"max_upload_mb {max_upload_mb!r} must be more than 0 (megabytes)")
    return TEMPLATE.substitute(
        replicas=len(ports),
        user_line=f"user {worker_user[0]} {worker_user[1]};" if worker_user else "",
        pid=files.pid,
        error_log=files.error_log,
        access_log=files.access_log,
        temp=files.temp,
        log_format=LOG_FORMAT,
        cookie=ROUTE_COOKIE,
        replica_map=_map(
            "$upstream_addr",
            "$nn_replica",
            '""',
            [
                (f'"~(^|, ){re.escape(_address(port))}$"', str(k))
                for k, port in enumerate(ports, start=1)
            ],
        ),
        group_map=_map(
            f"$cookie_{ROUTE_COOKIE}",
            "$nn_group",
            ALL_GROUP,
            [(str(k), f"{GROUP_PREFIX}{k}") for k in range(1, len(ports) + 1)],
        ),
        upstreams=_upstreams(ports),
        listen_lines="\n".join(f"        listen {address};" for address in listen),
        max_body_mb=math.ceil(max_upload_mb + UPLOAD_MARGIN_MB),
        connect_timeout=CONNECT_TIMEOUT_S,
        proxy_timeout=PROXY_TIMEOUT_S,
        replica_header=REPLICA_HEADER,
    )


def _map(source: str, target: str, default: str, entries: list[tuple[str, str]]) -> str:
    lines = [f"    map {source} {target} {{", f"        default {default};"]
    lines += [f"        {key} {value};" for key, value in entries]
    return "\n".join([*lines, "    }"])


def _upstreams(ports: Sequence[int]) -> str:
    """``nn_replicas`` (every replica, round-robin) and ``nn_replica_<k>`` (replica k, the
    others as backups), each keeping a few idle connections open."""
    server = f"max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s"

    def block(name: str, lines: list[str]) -> str:
        body = "\n".join(f"        {line}" for line in [*lines, "keepalive 8;"])
        return f"    upstream {name} {{\n{body}\n    }}"

    blocks = [block(ALL_GROUP, [f"server {_address(port)} {server};" for port in ports])]
    for k, port in enumerate(ports, start=1):
        lines = [f"server {_address(port)} {server};"]
        lines += [f"server {_address(other)} {server} backup;" for other in ports if other != port]
        blocks.append(block(f"{GROUP_PREFIX}{k}", lines))
    return "\n\n".join(blocks) + "\n"


def _address(port: int) -> str:
    return f"{LOOPBACK}:{port}"


def _safe_path(path: Path) -> Path:
    if not Path(path).is_absolute() or _UNSAFE_PATH.search(str(path)):
        raise ValueError(
            f"the runtime folder {str(path)!r} cannot go into nginx's configuration: it must "
            "be absolute, without spaces, quotes, backslashes or any of $ ; { }. Use a plain "
            "folder such as one made by tempfile.mkdtemp()."
        )
    return Path(path)


def listen_addresses(address: str | None, port: int) -> list[str]:
    """Where nginx listens for ``serve.py --server.address address`` on ``port``: every IPv4
    interface for ``0.0.0.0``, every IPv4 and IPv6 interface for ``::`` (as Streamlit
    does; nginx's ``[::]`` alone is IPv6 only), 127.0.0.1 when no address (or
    ``localhost``) is given, else the address itself (IPv6 in brackets)."""
    if address in (None, "", "localhost"):
        address = LOOPBACK
    if address.strip("[]") == "::":
        return [f"0.0.0.0:{port}", f"[::]:{port}"]
    if ":" in address:
        return [f"[{address.strip('[]')}]:{port}"]
    return [f"{address}:{port}"]


def max_upload_mb(config_file: Path) -> float:
    """``server.maxUploadSize`` (megabytes) in Streamlit's ``config_file``; Streamlit's
    default when the file or the setting is missing. ``ValueError`` for a value that is not
    a positive number."""
    try:
        settings = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DEFAULT_MAX_UPLOAD_MB
    value = settings.get("server", {}).get("maxUploadSize", DEFAULT_MAX_UPLOAD_MB)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(
            f"server.maxUploadSize in {config_file} is {value!r}; it should be a number of "
            "megabytes above 0, e.g. maxUploadSize = 10."
        )
    return value


def worker_user() -> tuple[str, str] | None:
    """The user and group nginx's workers run as: ``nobody`` and its group when this
    process is root (Debian has no group ``nobody``, nginx's default), else None (workers
    run as the user who starts nginx)."""
    if os.geteuid() != 0:
        return None
    user = pwd.getpwnam(WORKER_USER)
    return user.pw_name, grp.getgrgid(user.pw_gid).gr_name


def find_nginx() -> str | None:
    """The nginx program: on ``PATH``, else in ``/usr/sbin`` (Debian's place, not on a
    normal user's ``PATH``); None when it is not installed."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def write_config(runtime_dir: Path, text: str) -> RuntimeFiles:
    """Write ``text`` as ``runtime_dir/nginx.conf`` and make the logs and temp folders;
    ``runtime_dir`` must exist. The folders are readable by nginx's workers (``nobody``)."""
    files = RuntimeFiles(Path(runtime_dir))
    for folder in (files.root, files.error_log.parent, files.temp):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)
    files.config.write_text(text, encoding="utf-8")
    return files


def nginx_command(binary: str, files: RuntimeFiles, *, test: bool = False) -> list[str]:
    """nginx in the foreground with ``files``' configuration (``-t``: only check it)."""
    command = [binary, "-p", f"{files.root}/", "-e", str(files.error_log), "-c", str(files.config)]
    return [*command, "-t", "-q"] if test else [*command, "-g", "daemon off;"]


def check_config(binary: str, files: RuntimeFiles) -> None:
    """Run ``nginx -t`` on ``files``' configuration; ``NginxError`` with nginx's own words
    when it refuses it."""
    done = subprocess.run(
        nginx_command(binary, files, test=True), capture_output=True, text=True, timeout=30
    )
    if done.returncode != 0:
        said = " ".join((done.stderr + done.stdout).split()) or f"exit status {done.returncode}"
        raise NginxError(f"nginx refused the configuration {files.config}: {said}")

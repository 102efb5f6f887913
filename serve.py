"""Start the dashboard for a class; ``make run`` calls it.

``python serve.py [--data-dir DIR] [--store URL] [--port N] [--replicas N] [--dry-run]
[streamlit options]``

1. The teacher token is ``TEACHER_TOKEN`` from the environment (at least 16 characters), else a
   new random one (``classroom.access.teacher_token``). A shorter one stops here with exit
   status 2 and a message that gives its length, never the token.
2. The class data folder (``--data-dir``, else ``NN_DATA_DIR``, else ``<repo>/classroom-data``)
   is made absolute and created, and its board (``classroom.config.STORE_FILE``, or the
   PostgreSQL database of ``--store``, else ``NN_CLASS_STORE``) and server secret are opened
   once: a folder or database that cannot be used stops here with one line on stderr and exit
   status 2, not in a student's page.
3. The banner on stdout: the local address, the network address when ``--server.address`` is
   ``0.0.0.0``, the line for students, the teacher link, the board's database when it is on
   PostgreSQL (its password as ``***``) and the data folder. The banner is the only place the
   token is ever printed; a database password is never printed.
4. This process becomes ``python -m streamlit run dashboard.py --server.port N <options>``,
   run in the repository's folder (where Streamlit reads ``.streamlit/config.toml``), with
   ``TEACHER_TOKEN``, ``NN_DATA_DIR`` and ``NN_CLASS_STORE`` (the database it checked, if any)
   in its environment. The token is never on a command line, which ``ps`` shows to every user
   of the machine.
5. With ``--replicas N`` (N > 1; ``make class``), 4 becomes: N Streamlit processes on free
   loopback ports, each with that environment and the options (``--server.address`` becomes
   127.0.0.1), and nginx in front of them on ``--port`` and ``--server.address``, each
   browser staying on one replica (``serving/``). ``NN_CLASS_URL`` and the teacher link are on
   nginx's address. Before the banner, a missing nginx or a taken port stops here like 1 and
   2. This process stays, watches them (a replica that dies is reported and restarted) and
   stops them all on Ctrl+C or SIGTERM.

``--dry-run`` does 1 to 3, prints the command (which holds no token) and exits 0 without
starting anything. Options serve.py does not know go to Streamlit unchanged, in their order;
``--server.port`` is refused (give ``--port``, so the banner's addresses are the real ones).
"""

import argparse
import importlib.util
import os
import shlex
import shutil
import signal
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from classroom.access import TEACHER_ENV, AccessError, server_secret, teacher_link, teacher_token
from classroom.config import (
    CLASS_URL_ENV,
    DATA_DIR_ENV,
    STORE_ENV,
    STORE_FILE,
    data_dir,
    redact_url,
    store_url,
)
from classroom.store import StoreError, open_store
from serving.nginx import (
    NginxError,
    check_config,
    find_nginx,
    listen_addresses,
    max_upload_mb,
    nginx_command,
    render_config,
    worker_user,
    write_config,
)
from serving.replicas import ReplicaError, StopRequest, Supervisor, free_ports

REPO_ROOT = Path(__file__).resolve().parent
ENTRY_POINT = "dashboard.py"
DEFAULT_PORT = 8501
ADDRESS_OPTION = "--server.address"
PORT_OPTION = "--server.port"
ALL_INTERFACES = frozenset({"0.0.0.0", "::"})
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
UNKNOWN_ADDRESS = "<this-machine-ip>"
MAX_REPLICAS = 32
REPLICA_ADDRESS = "127.0.0.1"
STREAMLIT_CONFIG = Path(".streamlit") / "config.toml"
REFUSED = 2
"""Exit status when serve.py refuses to start: a bad option, token or data folder."""
BANNER_END = "  Class data:"
"""The start of the banner's last line; nothing printed after it holds the token."""


class ServeError(Exception):
    """Something that stops the server before it starts; the message is one line for the
    teacher's terminal."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run serve.py with ``argv`` (default: the command line). Returns 0 after a dry run or
    ``REFUSED`` when it cannot start; otherwise, with one replica, it never returns (the
    process becomes Streamlit), and with several it returns ``serve_replicas``' status once
    they are stopped."""
    options, passed = parser().parse_known_args(argv)
    try:
        if PORT_OPTION in passed or any(arg.startswith(PORT_OPTION + "=") for arg in passed):
            raise ServeError(
                f"{PORT_OPTION} {option_value(passed, PORT_OPTION) or ''} was given; serve.py "
                "sets the port itself so that the addresses it prints are right. Use --port N "
                "instead (make run PORT=N)."
            )
        token = teacher_token(os.environ)
        store = options.store.strip() or None
        folder = prepare_data_dir(Path(options.data_dir), store)
        if not options.dry_run and importlib.util.find_spec("streamlit") is None:
            raise ServeError(
                f"streamlit is not installed for {sys.executable}. Start the dashboard with "
                "`make run`, which installs it into .venv first."
            )
        if options.replicas > 1:
            check_replicas_can_start(options.port, option_value(passed, ADDRESS_OPTION))
    except (ServeError, AccessError) as error:
        print(f"serve.py: {error}", file=sys.stderr)
        return REFUSED

    address = option_value(passed, ADDRESS_OPTION)
    print("\n".join(banner(options.port, address, token, folder, store, options.replicas)))
    command = streamlit_command(options.port, passed)
    environment = {**os.environ, TEACHER_ENV: token, DATA_DIR_ENV: str(folder)}
    environment.pop(STORE_ENV, None)  # the app opens exactly the board checked here
    if store is not None:
        environment[STORE_ENV] = store
    if students := students_url(options.port, option_value(passed, ADDRESS_OPTION)):
        environment[CLASS_URL_ENV] = students
    if options.dry_run:
        plan = shlex.join(command)
        if options.replicas > 1:
            plan = replicas_plan(options.replicas, options.port, address, passed)
        print(f"Dry run, not started. Would run in {REPO_ROOT}: {plan}")
        print(f"with {DATA_DIR_ENV}={folder} and {TEACHER_ENV} set to the token above.")
        if CLASS_URL_ENV in environment:
            print(f"Class links are made on {CLASS_URL_ENV}={environment[CLASS_URL_ENV]}.")
        return 0
    if options.replicas > 1:
        return serve_replicas(options.replicas, options.port, address, passed, environment)
    sys.stdout.flush()  # exec discards Python's buffers: the banner must be out first
    sys.stderr.flush()
    os.chdir(REPO_ROOT)
    os.execve(command[0], command, environment)
    return 0  # not reached: execve replaced this process or raised


def parser() -> argparse.ArgumentParser:
    """serve.py's own options; ``parse_known_args`` leaves the rest for Streamlit. No
    abbreviations, so a Streamlit option is never taken for one of these."""
    parser = argparse.ArgumentParser(
        prog="serve.py",
        description="Serve the dashboard for a class and print the teacher link.",
        epilog=f"Other options go to Streamlit unchanged, e.g. {ADDRESS_OPTION} 0.0.0.0 to "
        f"serve the whole classroom. {TEACHER_ENV} sets the teacher token (16 characters or "
        "more); without it a random token is made at each start.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--data-dir",
        default=data_dir(os.environ),
        help=f"the class data folder, created if needed (default: ${DATA_DIR_ENV}, else "
        "classroom-data/ in the repository)",
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        default=store_url(os.environ) or "",
        help=f"the class board on PostgreSQL, postgresql://user:password@host:5432/dbname "
        f"(default: ${STORE_ENV}, else the SQLite file in the data folder). Prefer "
        f"{STORE_ENV} or ~/.pgpass for the password: a command line shows in ps.",
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help="the port (default: 8501)"
    )
    parser.add_argument(
        "--replicas",
        type=replica_count,
        default=1,
        metavar="N",
        help="serve the class from N Streamlit processes behind nginx on --port, each browser "
        f"staying on one (default: 1, Streamlit alone; at most {MAX_REPLICAS})",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check the token and data folder, print the banner and the command, start nothing",
    )
    return parser


def port_number(text: str) -> int:
    """``text`` as a TCP port, 1 to 65535; ``argparse.ArgumentTypeError`` otherwise."""
    port = int(text) if text.strip().isdigit() else 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port: give a whole number from 1 to 65535, e.g. --port 8501"
        )
    return port


def option_value(args: Sequence[str], name: str) -> str | None:
    """The value of option ``name`` in ``args`` (``name VALUE`` or ``name=VALUE``; the last
    one wins, as in Streamlit), or None when it is not there."""
    value = None
    for index, arg in enumerate(args):
        if arg == name and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith(name + "="):
            value = arg[len(name) + 1 :]
    return value


def prepare_data_dir(folder: Path, store: str | None = None) -> Path:
    """``folder`` made absolute and created, with its board (in the PostgreSQL database at URL
    ``store`` when given) and server secret opened (made on first use). Anything that makes
    it unusable raises ``ServeError``, whose message names the folder or the database (its
    password hidden), says why and says what to do."""
    folder = folder.expanduser().resolve()
    what_to_do = "Choose a folder you can write to: --data-dir DIR (make run DATA_DIR=DIR)."
    try:
        if folder.exists() and not folder.is_dir():
            raise ServeError(
                f"the class data folder {folder} is a file, not a folder. {what_to_do}"
            )
        folder.mkdir(parents=True, exist_ok=True)
        open_store(folder, {STORE_ENV: store} if store else {})
        server_secret(folder)
    except OSError as error:
        if isinstance(error, NotADirectoryError):
            reason = "a part of its path is a file, not a folder"
        else:
            reason = error.strerror or str(error)
        if error.filename and str(error.filename) != str(folder):
            reason += f" ({error.filename})"
        raise ServeError(
            f"cannot use {folder} as the class data folder: {reason}. {what_to_do}"
        ) from None
    except sqlite3.Error as error:
        raise ServeError(
            f"cannot open the class board {folder / STORE_FILE}: {error}. {what_to_do}"
        ) from None
    except (StoreError, AccessError) as error:
        raise ServeError(f"{error}".replace("\n", " ")) from None
    return folder


def banner(
    port: int,
    address: str | None,
    token: str,
    folder: Path,
    store: str | None = None,
    replicas: int = 1,
) -> list[str]:
    """The lines printed at start: where to open the dashboard, what students open, the
    teacher link, how many replicas serve it (a line only when ``replicas`` > 1: ``port`` is
    then nginx's), the board's PostgreSQL database (``store``, its password hidden; no line
    for the SQLite board) and where the class data lives. ``address`` is ``--server.address``
    (None when not given); the teacher link is on this machine's own address."""
    here = "localhost" if address is None or address in ALL_INTERFACES | LOOPBACK else address
    local = url(here, port)
    lines = ["Serving the dashboard (stop with Ctrl+C)", f"  On this machine: {local}"]
    if address in ALL_INTERFACES:
        shared = students_url(port, address)
        lines.append(f"  On the network:  {shared}")
        lines.append(f"  Students open the plain address {shared}, never the teacher link.")
    elif address is None or address in LOOPBACK:
        target = "run" if replicas == 1 else "class"
        lines.append(
            "  Students open the plain address, but only this machine can reach it now; to "
            f'serve the classroom: make {target} ARGS="{ADDRESS_OPTION} 0.0.0.0"'
        )
    else:
        lines.append(f"  Students open the plain address {local}, never the teacher link.")
    link = teacher_link(local, token)
    lines.append(f"  Teacher link:    {link}  (yours alone: whoever opens it is the teacher)")
    if replicas > 1:
        lines.append(
            f"  Replicas:        {replicas} Streamlit processes behind nginx at this one "
            "address; each browser stays on one"
        )
    if store is not None:
        lines.append(f"  Class board:     {redact_url(store)} (PostgreSQL)")
    lines.append(f"{BANNER_END}      {folder}")
    return lines


def students_url(port: int, address: str | None) -> str | None:
    """The address students open (class links are made on it), or None when only this
    machine can reach the server."""
    if address is None or address in LOOPBACK:
        return None
    if address in ALL_INTERFACES:
        return url(lan_address() or UNKNOWN_ADDRESS, port)
    return url(address, port)


def url(host: str, port: int) -> str:
    """``http://host:port``, with an IPv6 address in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def lan_address() -> str | None:
    """This machine's address on its network, as ``hostname -I`` lists first: the source
    address of a route to a private network (connecting a UDP socket sends nothing), else a
    non-loopback address of the host's name; None when neither is found."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        if not address.startswith("127.") and address != "0.0.0.0":
            return address
    except OSError:
        pass
    try:
        addresses = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        addresses = []
    return next((address for address in addresses if not address.startswith("127.")), None)


def streamlit_command(port: int, passed: Sequence[str]) -> list[str]:
    """The command this process becomes: Streamlit on ``dashboard.py`` at ``port`` with the
    ``passed`` options, run from the repository's folder. It never holds the token."""
    return [sys.executable, "-m", "streamlit", "run", ENTRY_POINT, PORT_OPTION, str(port), *passed]


# ---- several replicas behind nginx ---------------------------------------------------------------
def replica_count(text: str) -> int:
    """``text`` as a number of replicas, 1 to ``MAX_REPLICAS``; ``argparse.ArgumentTypeError``
    otherwise."""
    count = int(text) if text.strip().isdigit() else 0
    if not 1 <= count <= MAX_REPLICAS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of replicas: give a whole number from 1 to "
            f"{MAX_REPLICAS}, e.g. --replicas 4 (make class REPLICAS=4); one or two per core "
            "is plenty"
        )
    return count


def check_replicas_can_start(port: int, address: str | None) -> None:
    """``ServeError`` when nginx is not installed, or another program already listens where
    nginx would (``address``, ``port``)."""
    if find_nginx() is None:
        raise ServeError(
            "nginx is not installed, and --replicas needs it in front of the replicas. Install "
            "Debian's nginx with `make nginx` (as root it runs apt-get install -y nginx), or "
            "serve from one process: make run."
        )
    for listen in listen_addresses(address, port):
        host = listen.rpartition(":")[0].strip("[]")
        try:
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind((host, port))
        except OSError as error:
            raise ServeError(
                f"nginx cannot listen on {listen}: {error.strerror or error}. Another server may "
                f"be using port {port}: stop it, or choose another port with --port N (make "
                "class PORT=N)."
            ) from None


def replica_options(passed: Sequence[str]) -> list[str]:
    """Streamlit's options for a replica: ``passed`` without ``--server.address``, then
    127.0.0.1 (only nginx talks to the replicas)."""
    kept, skip = [], False
    for arg in passed:
        if skip:
            skip = False
        elif arg == ADDRESS_OPTION:
            skip = True
        elif not arg.startswith(ADDRESS_OPTION + "="):
            kept.append(arg)
    return [*kept, ADDRESS_OPTION, REPLICA_ADDRESS]


def replicas_plan(replicas: int, port: int, address: str | None, passed: Sequence[str]) -> str:
    """What ``serve_replicas`` would start, in one line for ``--dry-run``."""
    command = streamlit_command(0, replica_options(passed))
    command[command.index(PORT_OPTION) + 1] = "<free port>"
    listen = ", ".join(listen_addresses(address, port))
    return f"{replicas} replicas, each {shlex.join(command)}, behind nginx on {listen}"


def serve_replicas(
    replicas: int, port: int, address: str | None, passed: Sequence[str], env: Mapping[str, str]
) -> int:
    """Serve the class from ``replicas`` Streamlit processes on free loopback ports, each with
    ``env`` and the ``passed`` options, behind nginx on ``address``:``port``, until Ctrl+C,
    SIGTERM or SIGHUP (``serving.replicas.Supervisor``). Returns 0 after such a stop, 1 when
    the class could not start or go on (stderr says why). nginx's configuration, logs and
    temporary files are in a new temporary folder, removed after a stop asked for, else
    kept and named."""
    ports = free_ports(replicas)
    runtime = Path(tempfile.mkdtemp(prefix=f"nn-class-{port}-"))
    stop = StopRequest()
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, stop.set)
    status = 1
    try:
        text = render_config(
            ports,
            listen_addresses(address, port),
            runtime,
            max_upload_mb(REPO_ROOT / STREAMLIT_CONFIG),
            worker_user(),
        )
        files = write_config(runtime, text)
        print(f"  nginx files:     {runtime} (its access log: {files.access_log})")
        binary = find_nginx() or "nginx"
        check_config(binary, files)
        supervisor = Supervisor(
            lambda replica_port: streamlit_command(replica_port, replica_options(passed)),
            ports,
            nginx_command(binary, files),
            env,
            REPO_ROOT,
        )
        listen = ", ".join(listen_addresses(address, port))
        numbers = ", ".join(map(str, ports))
        print(
            f"Starting {replicas} replicas on {REPLICA_ADDRESS} ports {numbers}, then nginx on "
            f"{listen}.",
            flush=True,
        )
        status = supervisor.run(
            stop, ready=lambda: print(f"Ready: {replicas} replicas behind nginx.", flush=True)
        )
    except (NginxError, ReplicaError, ValueError, OSError) as error:
        print(f"serve.py: {error}", file=sys.stderr)
    if status == 0:
        shutil.rmtree(runtime, ignore_errors=True)
        print(f"Stopped nginx and the {replicas} replicas.")
    else:
        print(f"serve.py: nginx's configuration and logs are kept in {runtime}.", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())

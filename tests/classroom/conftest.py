"""A real PostgreSQL server for the class store's tests, started once per test session.

``postgresql`` finds the server's programs (Debian's ``/usr/lib/postgresql/<version>/bin``,
newest first, else ``initdb`` on PATH), runs ``initdb`` into a new temporary folder and starts
the server on a free port of 127.0.0.1, its unix socket in that folder. Over the socket the
superuser makes a login role with a password and a database it owns; the tests reach it over
TCP with that password (scram-sha-256), as a server on another machine would. At the end the
server stops (fast shutdown) and the folder goes. The server refuses to run as root, so as root
its programs run as the ``postgres`` user (``runuser``). It runs without fsync: a test server
loses nothing that matters in a crash, and starts in about a second.

Without the programs, the tests that need the server fail and say how to install them
(``make postgresql``; ``make test`` installs them first): a missing database is not a pass.
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
SERVER_USER = "postgres"
ROLE = "nnfs_teacher"
DATABASE = "classroom"
PASSWORD = "s3cret/p@ss:word%x"
"""The role's password, with the characters a URL must escape, to test that none leaks."""
START_TIMEOUT_S = 30
# Durability off: nothing here outlives the session, and fsync would dominate each commit.
SERVER_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


@dataclass(frozen=True)
class PostgreSQL:
    """The session's server: ``url`` reaches database ``DATABASE`` as ``ROLE`` over TCP with
    ``PASSWORD`` (percent-escaped in the URL)."""

    url: str
    port: int
    folder: Path

    def empty(self) -> str:
        """The database's schema emptied (every table an earlier test made is gone); its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute("DROP SCHEMA IF EXISTS public CASCADE")
            db.execute("CREATE SCHEMA public")
        return self.url


def binaries() -> Path | None:
    """The folder of the newest PostgreSQL's ``initdb`` and ``pg_ctl``, or None."""
    debian = sorted(
        (Path(folder) for folder in glob.glob(DEBIAN_BINARIES)),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    for folder in reversed(debian):
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgresql() -> Iterator[PostgreSQL]:
    """A PostgreSQL server of its own for this test session (see the module's docstring)."""
    folder_of_binaries = binaries()
    if folder_of_binaries is None:
        pytest.fail(
            "PostgreSQL's programs (initdb, pg_ctl) are not installed: `make postgresql`, or "
            "apt-get install -y postgresql"
        )
    run_as: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="nnfs-postgresql-"))
    try:
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(folder, user.pw_uid, user.pw_gid)
            run_as = ["runuser", "-u", SERVER_USER, "--"]
        data, log = folder / "data", folder / "server.log"
        made = subprocess.run(
            [*run_as, str(folder_of_binaries / "initdb"), "--pgdata", str(data),
             "--username", "postgres", "--auth-local", "trust", "--auth-host", "scram-sha-256",
             "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if made.returncode != 0:
            pytest.fail(f"initdb could not make a PostgreSQL cluster in {data}:\n{made.stderr}")
        port = free_port()
        options = " ".join(
            ["-c listen_addresses=127.0.0.1", f"-p {port}", f"-k {folder}"]
            + [f"-c {setting}" for setting in SERVER_SETTINGS]
        )
        pg_ctl = [*run_as, str(folder_of_binaries / "pg_ctl"), "--pgdata", str(data)]
        started = subprocess.run(
            [*pg_ctl, "--log", str(log), "--options", options, "--wait",
             "--timeout", str(START_TIMEOUT_S), "--silent", "start"],
            capture_output=True, text=True, timeout=START_TIMEOUT_S + 10,
        )  # fmt: skip
        if started.returncode != 0:
            server_log = log.read_text() if log.exists() else ""
            pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{server_log}")
        try:
            yield PostgreSQL(make_role_and_database(folder, port), port, folder)
        finally:
            subprocess.run(
                [*pg_ctl, "--mode", "fast", "--wait", "--silent", "stop"],
                capture_output=True, timeout=60,
            )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def make_role_and_database(socket_folder: Path, port: int) -> str:
    """As the superuser over the unix socket: ``ROLE`` with ``PASSWORD`` and ``DATABASE`` owned
    by it. Its URL over TCP."""
    import psycopg

    with (
        psycopg.connect(
            host=str(socket_folder), port=port, user="postgres", dbname="postgres", autocommit=True
        ) as admin,
        contextlib.closing(psycopg.ClientCursor(admin)) as cursor,
    ):
        # Role and database statements take no server-side parameters: the client quotes it.
        cursor.execute("CREATE ROLE nnfs_teacher LOGIN PASSWORD %s", (PASSWORD,))
        cursor.execute("CREATE DATABASE classroom OWNER nnfs_teacher")
    return f"postgresql://{ROLE}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/{DATABASE}"

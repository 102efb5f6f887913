"""The dashboard started as a class starts it, and what its processes cost.

``dashboard_server()`` runs ``serve.py`` (its checks and banner, then ``streamlit run
dashboard.py``: the same process) on a free loopback port with a teacher token and a
temporary class data folder, and stops it afterwards. ``Usage`` reads a set of processes and
their descendants from /proc: CPU seconds and resident memory (sampled for its peak).
"""

import os
import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.server import streamlit_server

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def dashboard_server(log_path: Path | None = None) -> Iterator[Server]:
    """The dashboard as the browser tests start it (``tests/e2e/server.streamlit_server``:
    serve.py on a free loopback port with a new temporary class data folder), with a random
    teacher token; yields its address and its process. Output goes to ``log_path`` (None:
    discarded)."""
    with streamlit_server(log_path, token=secrets.token_urlsafe(24)) as url:
        port = str(urlsplit(url).port).encode()
        (pid,) = [pid for pid in dashboard_pids() if port in _arguments(pid)]
        yield Server(url, pid)


def _arguments(pid: int) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


def dashboard_pids() -> list[int]:
    """Every process of this machine running ``streamlit run dashboard.py``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        args = _arguments(int(entry.name))
        if any(arg.endswith(b"streamlit") for arg in args) and b"dashboard.py" in args:
            found.append(int(entry.name))
    return sorted(found)


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat's fields after the command name (field 3 onwards), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def with_descendants(pids: Iterable[int]) -> set[int]:
    """``pids`` and every living process below them (joblib workers, for instance)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    found = set(pids)
    for _ in range(len(parents)):  # one more generation each time, until none is new
        more = {pid for pid, parent in parents.items() if parent in found} - found
        if not more:
            break
        found |= more
    return found


class Usage(threading.Thread):
    """The CPU seconds and resident memory of ``pids`` and their descendants: ``cpu_s()``
    now; ``peak_mb``, the largest resident total seen, sampled every ``period_s`` once
    started until ``stop()``."""

    def __init__(self, pids: Iterable[int], period_s: float = 0.2):
        super().__init__(daemon=True)
        self.pids, self.period_s = list(pids), period_s
        self.idle_mb = self.peak_mb = self.rss_mb()
        self._done = threading.Event()

    def processes(self) -> set[int]:
        return with_descendants(self.pids)

    def cpu_s(self) -> float:
        total = 0
        for pid in self.processes():
            if (fields := _stat(pid)) is not None:
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / CLOCK_TICKS

    def rss_mb(self) -> float:
        pages = 0
        for pid in self.processes():
            if (fields := _stat(pid)) is not None:
                pages += int(fields[21])  # rss, in pages
        return pages * PAGE_MB

    def run(self) -> None:
        while not self._done.wait(self.period_s):
            self.peak_mb = max(self.peak_mb, self.rss_mb())

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)


def machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (all cores, /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, *rest = map(int, fields)
    return (user + nice + system + sum(rest[:3])) / CLOCK_TICKS

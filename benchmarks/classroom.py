"""A class on one server: N students at once, each in their own browser context.

Starts `streamlit run dashboard.py` on 127.0.0.1 and one Debian chromium with N contexts,
spread over the four lessons with Play (plus one observer per lesson who never presses Play),
all pressing Play at the same moment (tests/e2e/classroom.py has the script each student
follows). For each class size it prints: sessions with an error (an exception box, a
timeout, an observer who sees training, a seed that is not the student's own), the median and
95th-percentile time from a Play/Pause click to the server's answer on the page (the
iteration moves, or the badge says "paused"), frames shown a second and iterations a second
per session, the server's peak resident memory, and how many cores the server
and the whole machine kept busy on average (the rest is the browser, which a real class runs
on its own machines).

    .venv/bin/python benchmarks/classroom.py [--students 5 10 20] [--seconds 20]
"""

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.async_api import async_playwright  # noqa: E402

from tests.e2e.classroom import LESSONS, hold_class  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, streamlit_server  # noqa: E402

LOGS = REPO_ROOT / "tests" / "artifacts"


def server_pid(url: str) -> int:
    """The `streamlit run` process serving ``url``."""
    port = str(urlsplit(url).port)
    for entry in Path("/proc").iterdir():
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if b"streamlit" in b" ".join(args) and port.encode() in args:
            return int(entry.name)
    raise RuntimeError(f"no streamlit process on port {port}")


def process_cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds of the processes ``pids`` (gone ones count 0)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_seconds(match: bytes) -> float:
    """User + system CPU seconds of every process whose command line contains ``match``."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and match in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return process_cpu_seconds(pids)


def busy_cores_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores, /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, *rest = map(int, fields)
    return (user + nice + system + sum(rest[:3])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory(threading.Thread):
    """Samples a process's resident memory every 0.2 s; ``peak`` is the largest seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, rss_mb(self.pid))


async def one_class(url: str, students: int, seconds: float):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await hold_class(browser, url, students, seconds)
        finally:
            await browser.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    rows = []
    LOGS.mkdir(parents=True, exist_ok=True)
    for students in args.students:
        log = LOGS / f"classroom-{students}.log"  # a fresh server per class, with its own log
        with streamlit_server(log) as url:
            pid = server_pid(url)
            idle = rss_mb(pid)
            memory = PeakMemory(pid)
            memory.start()
            start, server_cpu = time.perf_counter(), cpu_seconds(b"dashboard.py")
            machine_cpu = busy_cores_seconds()
            seen = asyncio.run(one_class(url, students, args.seconds))
            wall = time.perf_counter() - start
            server_share = (cpu_seconds(b"dashboard.py") - server_cpu) / wall
            machine_share = (busy_cores_seconds() - machine_cpu) / wall
            memory.done.set()
            memory.join()
        players = [s for s in seen if s.plays]
        latencies = [latency for s in players for latency in s.latencies]
        speed = {lesson: [s.iterations_per_second for s in players if s.lesson == lesson]
                 for lesson in LESSONS}  # fmt: skip
        states = statistics.median(s.states_per_second for s in players)
        cores = f"{server_share:.2f} of {machine_share:.2f}"
        rows.append(
            (students, len(seen), seen, latencies, speed, states, idle, memory.peak, wall, cores)
        )
        for student in seen:
            for error in student.errors:
                print(f"  N={students} {student.lesson} seed {student.seed}: {error}")
        if "Traceback" in log.read_text():
            print(f"  N={students}: the server logged an error, see {log}")

    print(f"\n{os.cpu_count()} CPUs; load average now {os.getloadavg()[0]:.2f}; "
          f"{args.seconds:g} s of training per student, then Pause/Play x 2\n")  # fmt: skip
    print(
        "| students (+ observers) | sessions with errors | click→update median s | p95 s "
        "| states/s per session, median | it/s per session: "
        + " / ".join(LESSONS)
        + " | server RSS idle → peak MB | cores busy: server of machine | wall s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")  # fmt: skip
    for students, sessions, seen, latencies, speed, states, idle, peak, wall, cores in rows:
        failed = sum(1 for s in seen if s.errors)
        rates = " / ".join(f"{statistics.median(speed[lesson] or [0]):.0f}" for lesson in LESSONS)
        print(
            f"| {students} (+{sessions - students}) | {failed} | "
            f"{statistics.median(latencies):.2f} | {percentile(latencies, 0.95):.2f} | "
            f"{states:.1f} | {rates} | {idle:.0f} → {peak:.0f} | {cores} | {wall:.0f} |"
        )


if __name__ == "__main__":
    main()

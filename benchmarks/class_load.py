"""A class on one server, without browsers: N students speaking Streamlit's own protocol.

For each class size: starts the dashboard through serve.py on a free loopback port (a fresh
server per class; or uses ``--url``), lets the students arrive four at a time, spread over
the lessons with a live view (Linear regression, Titanic, Rose, Mustafar; each with a seed of
their own), has them all press Play at once and keep their live view fed for ``--seconds``
as view.js does, then click Pause / Play twice and Pause (benchmarks/load/client.py). Prints:

- errors: exceptions on a page, disconnects, asks with no answer, pages that did not load;
- click → response: from sending an ask (Play, Pause, or "more frames") to the end of the
  run that answered it (its ``script_finished``), median and 95th percentile over every ask;
  and over the clicks only (Play / Pause), the browser benchmark's measure;
- frames a second and iterations a second per playing session (median);
- the server's processes (and their descendants): cores busy on average (user + system CPU
  from /proc/<pid>/stat over the wall time) and resident memory, idle → peak;
- the client's own cores and how late its event loop woke (p95): a client near one core, or
  late by more than a frame, would be measuring itself;
- the whole machine's busy cores: other work on it slows the server too.

The last line is ``capacity=N``: the most students with p95 ≤ 1 s and no error (0 if none).

    .venv/bin/python benchmarks/class_load.py [--students 10 20 40 80] [--seconds 30]
        [--url http://127.0.0.1:8080 [--replicas N] [--server-pid PID ...]]

``--url`` points at a server (or several behind a proxy) already running on this machine;
the script refuses any other host. Its server processes are ``--server-pid`` (and their
descendants), or else every ``streamlit run dashboard.py`` of the machine. ``--replicas``
says how many servers are behind ``--url`` (printed with the table; starting them is not this
script's job).
"""

import argparse
import asyncio
import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load.client import (  # noqa: E402
    LESSONS,
    ClassRun,
    NotLoopback,
    hold_class,
    loopback_url,
    median,
    percentile,
)
from benchmarks.load.server import (  # noqa: E402
    Usage,
    dashboard_pids,
    dashboard_server,
    machine_busy_s,
)

LOGS = Path(__file__).resolve().parents[1] / "tests" / "artifacts"
CAPACITY_P95_S = 1.0
SHOWN_ERRORS = 20  # error lines printed per class; the table counts them all


@dataclass
class Row:
    students: int
    run: ClassRun
    server_cores: float
    machine_cores: float
    idle_mb: float
    peak_mb: float

    @property
    def errors(self) -> int:
        return sum(len(report.errors) for report in self.run.reports)

    @property
    def p95_s(self) -> float:
        return percentile(self.latencies(), 0.95)

    def latencies(self, commands: bool = False) -> list[float]:
        return [s for report in self.run.reports for s in report.latencies(commands)]

    def fits(self) -> bool:
        return self.errors == 0 and self.p95_s <= CAPACITY_P95_S


def one_class(url: str | None, pids: list[int], students: int, seconds: float) -> Row:
    log = LOGS / f"class-load-{students}.log"
    with contextlib.ExitStack() as stack:
        if url is None:
            server = stack.enter_context(dashboard_server(log))
            address, measured = server.url, [server.pid]
        else:
            address, measured = url, pids or dashboard_pids()
        usage = Usage(measured)
        usage.start()
        start, server_cpu, machine = time.monotonic(), usage.cpu_s(), machine_busy_s()
        run = asyncio.run(hold_class(address, students, seconds))
        wall = time.monotonic() - start
        row = Row(
            students,
            run,
            server_cores=(usage.cpu_s() - server_cpu) / wall,
            machine_cores=(machine_busy_s() - machine) / wall,
            idle_mb=usage.idle_mb,
            peak_mb=usage.peak_mb,
        )
        usage.stop()
    if url is None and log.exists() and "Traceback" in log.read_text(errors="replace"):
        print(f"  N={students}: the server logged an error, see {log}")
    return row


def ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{1000 * seconds:.0f}"  # NaN: nothing measured


def print_table(rows: list[Row], seconds: float, url: str | None, replicas: int) -> None:
    where = url or "a fresh serve.py per class on 127.0.0.1"
    print(f"\n{os.cpu_count()} CPUs; load average now {os.getloadavg()[0]:.2f}; {where}, "
          f"{replicas} server(s); {seconds:g} s of play per student, then Pause/Play × 2, "
          f"Pause; lessons: {' / '.join(LESSONS)}\n")  # fmt: skip
    print(
        "| students | errors (sessions) | asks answered | click→response p50 ms | p95 ms "
        "| Play/Pause p50 / p95 ms | frames/s per session | it/s per session "
        "| server cores | server RSS idle → peak MB | client cores | client loop lag p95 ms "
        "| machine cores | wall s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        reports = row.run.reports
        failed = sum(1 for report in reports if report.errors)
        latencies, clicks = row.latencies(), row.latencies(commands=True)
        playing = [report for report in reports if report.play_s]
        print(
            f"| {row.students} | {row.errors} ({failed}) | {len(latencies)} "
            f"| {ms(median(latencies))} | {ms(percentile(latencies, 0.95))} "
            f"| {ms(median(clicks))} / {ms(percentile(clicks, 0.95))} "
            f"| {median([r.frames_per_second for r in playing]):.1f} "
            f"| {median([r.iterations_per_second for r in playing]):.0f} "
            f"| {row.server_cores:.2f} | {row.idle_mb:.0f} → {row.peak_mb:.0f} "
            f"| {row.run.client_cores:.2f} | {ms(percentile(row.run.loop_lag_s, 0.95))} "
            f"| {row.machine_cores:.2f} | {row.run.wall_s:.0f} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[10, 20, 40, 80])
    parser.add_argument("--seconds", type=float, default=30.0, help="of play per student")
    parser.add_argument("--url", help="a server already running on this machine")
    parser.add_argument("--replicas", type=int, default=1, help="servers behind --url")
    parser.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=[],
        dest="pids",
        metavar="PID",
        help="a process of the server(s) behind --url (repeat for several)",
    )
    args = parser.parse_args(argv)
    if args.url is not None:
        try:
            loopback_url(args.url)
        except NotLoopback as error:
            parser.error(str(error))
    if args.replicas < 1 or (args.replicas > 1 and args.url is None):
        parser.error(
            f"--replicas {args.replicas}: give 1, or the number of servers behind --url "
            "(this script starts one server itself; make class REPLICAS=N starts several)"
        )
    if not all(1 <= students <= 500 for students in args.students) or args.seconds <= 0:
        parser.error("give 1 to 500 students per class and a positive number of --seconds")
    LOGS.mkdir(parents=True, exist_ok=True)
    rows = []
    for students in args.students:
        row = one_class(args.url, args.pids, students, args.seconds)
        rows.append(row)
        lines = [f"  N={students} {report.lesson} seed {report.seed}: {error}"
                 for report in row.run.reports for error in report.errors]  # fmt: skip
        for line in lines[:SHOWN_ERRORS]:
            print(line)
        if len(lines) > SHOWN_ERRORS:
            print(f"  N={students}: {len(lines) - SHOWN_ERRORS} more errors")
    print_table(rows, args.seconds, args.url, args.replicas)
    print(f"\ncapacity={max((row.students for row in rows if row.fits()), default=0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start the replicas and nginx, watch them, stop them: the running part of
``serve.py --replicas N``.

``Supervisor(replica_command, ports, nginx_command, env, cwd).run(stop, ready)``:

1. starts replica k (1 to N) as ``replica_command(ports[k-1])``, all at once, in ``cwd`` with
   ``env``, and waits until each answers ``/_stcore/health`` (``START_TIMEOUT_S``); a replica
   that exits or stays silent stops everything with ``ReplicaError``;
2. starts nginx in the foreground (``nginx_command``) once the replicas answer, so the first
   student never meets a replica still starting, and calls ``ready``;
3. watches every ``POLL_S`` seconds until ``stop`` is set (``serve.py`` sets it on Ctrl+C or
   SIGTERM): a replica that exits is reported on ``report`` (what stopped it, its port) and
   started again on the same port, at most ``max_restarts`` times per replica, so the class goes
   on; nginx passes its students to the others meanwhile. A replica past its restarts stays
   stopped while any other runs. nginx exiting, or every replica given up, ends the run;
4. always stops nginx first (no new requests), then every replica: SIGTERM, then SIGKILL after
   ``STOP_TIMEOUT_S``.

``run`` returns 0 after ``stop`` was set, 1 when the run ended on its own (the report says why).
Each child runs in its own process group, so a Ctrl+C in the terminal reaches serve.py alone and
the children stop in that order; on Linux each child also gets SIGTERM if serve.py itself is
killed (``PR_SET_PDEATHSIG``), so no replica outlives it holding its port. The children write
to serve.py's own stdout and stderr.
"""

import contextlib
import ctypes
import functools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

HEALTH_PATH = "/_stcore/health"
START_TIMEOUT_S = 90.0
"""How long the replicas may take to answer at start: all start at once on the same cores."""
POLL_S = 0.5
STOP_TIMEOUT_S = 10.0
MAX_RESTARTS = 5
"""Restarts per replica over a run: enough for a crash or two in a lesson, not a loop."""
LOOPBACK = "127.0.0.1"
_PR_SET_PDEATHSIG = 1


class ReplicaError(RuntimeError):
    """The replicas or nginx could not be started; the message says which and why."""


class StopRequest:
    """Set by a signal handler, read by the supervisor's loop. A plain attribute, no lock: a
    handler runs in the main thread, between two steps of whatever it interrupted, and a lock
    it took could be the one that interrupted step holds (``threading.Event.set`` can
    deadlock there)."""

    def __init__(self) -> None:
        self.requested = False

    def set(self, *_signal_args: object) -> None:
        """Ask the run to stop; usable as a signal handler itself."""
        self.requested = True

    def is_set(self) -> bool:
        return self.requested

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, less once a stop is asked; whether one was asked."""
        deadline = time.monotonic() + seconds
        while not self.requested and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.1))
        return self.requested


@dataclass
class Replica:
    """Replica ``number`` (1 to N) on ``127.0.0.1:port``, its process while it runs, and how
    many times it was started again."""

    number: int
    port: int
    process: subprocess.Popen | None = None
    restarts: int = 0
    given_up: bool = False

    def __str__(self) -> str:
        return f"replica {self.number} ({LOOPBACK}:{self.port})"


def free_ports(count: int) -> list[int]:
    """``count`` different loopback ports that were free a moment ago (all held open at once
    while they are picked, so none repeats)."""
    with contextlib.ExitStack() as held:
        probes = [held.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind((LOOPBACK, 0))
        return [probe.getsockname()[1] for probe in probes]


def is_healthy(port: int) -> bool:
    """Whether Streamlit on ``127.0.0.1:port`` answers its health check with "ok"."""
    try:
        url = f"http://{LOOPBACK}:{port}{HEALTH_PATH}"
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


def exit_reason(status: int) -> str:
    """A process's ``returncode`` in words: "exit status 1", "killed by signal 9 (SIGKILL)"."""
    if status >= 0:
        return f"exit status {status}"
    try:
        name = signal.Signals(-status).name
    except ValueError:
        return f"killed by signal {-status}"
    return f"killed by signal {-status} ({name})"


class Supervisor:
    """The replicas and nginx of one class; see the module docstring."""

    def __init__(
        self,
        replica_command: Callable[[int], list[str]],
        ports: Sequence[int],
        nginx_command: Sequence[str],
        env: Mapping[str, str],
        cwd: Path,
        *,
        max_restarts: int = MAX_RESTARTS,
        report: TextIO | None = None,
    ):
        self.replica_command = replica_command
        self.replicas = [Replica(number, port) for number, port in enumerate(ports, start=1)]
        self.nginx_command = list(nginx_command)
        self.env = dict(env)
        self.cwd = cwd
        self.max_restarts = max_restarts
        self.report = report
        self.nginx: subprocess.Popen | None = None

    def say(self, message: str) -> None:
        print(f"serve.py: {message}", file=self.report or sys.stderr, flush=True)

    def run(
        self,
        stop: StopRequest,
        ready: Callable[[], None] | None = None,
        start_timeout: float = START_TIMEOUT_S,
    ) -> int:
        """Start everything (then call ``ready``), watch until ``stop`` is set or the class
        cannot go on, stop everything. 0 when ``stop`` ended it, 1 otherwise;
        ``ReplicaError`` when the start failed (everything started is stopped first)."""
        try:
            self.start(stop, start_timeout)
            if stop.is_set():
                return 0
            if ready is not None:
                ready()
            return self.watch(stop)
        finally:
            self.stop()

    def start(self, stop: StopRequest, timeout: float = START_TIMEOUT_S) -> None:
        """Start every replica, wait until each answers, then start nginx."""
        for replica in self.replicas:
            self._launch(replica)
        deadline = time.monotonic() + timeout
        waiting = list(self.replicas)
        while waiting and not stop.is_set():
            for replica in list(waiting):
                if replica.process is not None and replica.process.poll() is not None:
                    reason = exit_reason(replica.process.returncode)
                    raise ReplicaError(
                        f"{replica} stopped while starting ({reason}); its own lines above say "
                        "why. Nothing was started."
                    )
                if is_healthy(replica.port):
                    waiting.remove(replica)
            if waiting and time.monotonic() > deadline:
                names = ", ".join(str(replica) for replica in waiting)
                raise ReplicaError(
                    f"{names} did not answer within {timeout:.0f} s of starting. Start fewer "
                    "replicas (--replicas), or check the lines above for an error."
                )
            if waiting:
                stop.wait(0.2)
        if not stop.is_set():
            self.nginx = self._spawn(self.nginx_command)

    def watch(self, stop: StopRequest) -> int:
        """Every ``POLL_S`` seconds until ``stop`` is set: restart a replica that stopped (at
        most ``max_restarts`` times each); end when nginx stops or every replica is given
        up. 0 when ``stop`` ended it, else 1."""
        while not stop.wait(POLL_S):
            if self.nginx is not None and self.nginx.poll() is not None:
                self.say(
                    f"nginx stopped ({exit_reason(self.nginx.returncode)}), so students can no "
                    "longer reach the class; stopping the replicas. Its errors are above and in "
                    "its error log."
                )
                return 1
            for replica in self.replicas:
                self._check(replica)
            if all(replica.given_up for replica in self.replicas):
                self.say("every replica has stopped for good; stopping nginx.")
                return 1
        return 0

    def _check(self, replica: Replica) -> None:
        process = replica.process
        if replica.given_up or process is None or process.poll() is None:
            return
        reason = exit_reason(process.returncode)
        if replica.restarts >= self.max_restarts:
            replica.given_up = True
            self.say(
                f"{replica} stopped ({reason}) after {replica.restarts} restarts; it stays "
                "stopped and nginx sends its students to the other replicas. Restart serve.py "
                "after the lesson to have it back."
            )
            return
        replica.restarts += 1
        self.say(
            f"{replica} stopped ({reason}); starting it again (restart {replica.restarts} of "
            f"at most {self.max_restarts}). Its students reconnect to another replica."
        )
        self._launch(replica)

    def _launch(self, replica: Replica) -> None:
        replica.process = self._spawn(self.replica_command(replica.port))

    def _spawn(self, command: Sequence[str]) -> subprocess.Popen:
        return subprocess.Popen(
            list(command),
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            process_group=0,  # a terminal's Ctrl+C reaches serve.py, which stops the children
            preexec_fn=functools.partial(_stop_with_parent, os.getpid()),
        )

    def stop(self) -> None:
        """Stop nginx, then every replica: SIGTERM, and SIGKILL for any still running after
        ``STOP_TIMEOUT_S``. Safe to call more than once."""
        for group in ([self.nginx], [replica.process for replica in self.replicas]):
            running = [process for process in group if process and process.poll() is None]
            for process in running:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
            deadline = time.monotonic() + STOP_TIMEOUT_S
            for process in running:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _libc_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: children are stopped by stop() only
        return None


_PRCTL = _libc_prctl()


def _stop_with_parent(parent: int) -> None:
    """In the child, before it runs its program: SIGTERM when serve.py (``parent``) dies
    (Linux only). Runs between fork and exec, where serve.py has no other thread."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # serve.py died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

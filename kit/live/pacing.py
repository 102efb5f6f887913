"""Class pacing: the students training on one server share it.

Streamlit runs every session's script in one Python process, so the live views of a whole class
(training, snapshots, sending) share one interpreter lock with the loop that answers clicks. So
the batches of all the students together keep to two budgets:

- at most CLASS_CPU of a core of training;
- at most CLASS_RERUNS batches a second (each is a script run and a message).

A student alone gets short batches (BATCH_SECONDS of animation each, trained in DUTY of that
time). With ``players`` training, each batch covers ``players / CLASS_RERUNS`` seconds of
animation and trains for ``DUTY × CLASS_CPU / CLASS_RERUNS`` seconds: the animation stays
smooth, it just moves through fewer iterations a second (benchmarks/classroom.py).

A session counts as a player from one batch until its next is overdue (twice its animation
time, plus GRACE_SECONDS: a closed tab drops out by itself), or until it pauses.
"""

import threading
import time
from collections.abc import Callable

# Of one core, for all the students' training together. Half: the other half of the one
# interpreter answers the clicks and sends the frames (at 1.0, a class of 20 waited ~2x longer
# for every answer: benchmarks/class_load.py, docs/classroom.md).
CLASS_CPU = 0.5
CLASS_RERUNS = 8.0  # batches a second, for all the students together
BATCH_SECONDS = 0.5  # of animation per batch, alone
DUTY = 0.9  # the share of a batch's animation time its training (and snapshots) may take
GRACE_SECONDS = 2.0


class Class:
    """The sessions training now on this server (one per server: ``CLASS``)."""

    def __init__(
        self,
        cpu: float = CLASS_CPU,
        reruns: float = CLASS_RERUNS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.cpu, self.reruns, self.clock = cpu, reruns, clock
        self._expires: dict[str, float] = {}
        self._lock = threading.Lock()

    def trained(self, session: str, seconds: float) -> None:
        """``session`` sent a batch now, of ``seconds`` of animation."""
        with self._lock:
            self._expires[session] = self.clock() + 2 * seconds + GRACE_SECONDS

    def left(self, session: str) -> None:
        """``session`` paused (or its run ended)."""
        with self._lock:
            self._expires.pop(session, None)

    def players(self) -> int:
        """Sessions training now."""
        now = self.clock()
        with self._lock:
            for session, expires in list(self._expires.items()):
                if now > expires:
                    del self._expires[session]
            return len(self._expires)

    def batch_seconds(self) -> float:
        """Seconds of animation one batch covers: BATCH_SECONDS alone, longer in a busy
        class so that all the players together send ``reruns`` batches a second."""
        return max(BATCH_SECONDS, self.players() / self.reruns)

    def training_seconds(self, batch_seconds: float) -> float:
        """How long a batch of ``batch_seconds`` may train: DUTY of it alone, a share of
        ``cpu`` in a class."""
        share = min(1.0, self.cpu / max(self.players(), 1))
        return DUTY * batch_seconds * share

    def clear(self) -> None:
        with self._lock:
            self._expires.clear()


CLASS = Class()

"""Class pacing: the students training on one server share it.

Streamlit runs every session's script in one Python process, so the live frames of a whole
class (training, drawing, sending) share one interpreter lock with the loop that answers the
students' clicks, and one network. If the frames took all of it, a click would wait behind a
queue of frames. So the live frames of all the students together keep to two budgets:

- at most CLASS_CPU of a core: a frame that took ``c`` seconds of processor time comes back
  after at least ``c × players / CLASS_CPU`` seconds;
- at most CLASS_FRAMES frames a second: each player's frames at least ``players /
  CLASS_FRAMES`` seconds apart (every frame crosses the school's network, and is charts for
  a browser to draw).

Alone or in a small group, neither is longer than the page asks for; in a bigger class each
student's frames come less often, and clicks do not queue behind the class's frames
(benchmarks/classroom.py measures the class, benchmarks/browser_cost.py one frame).

A session counts as a player from one frame until its next is overdue (twice its interval,
plus GRACE_SECONDS: a closed tab drops out by itself), or until it pauses.
"""

import threading
import time
from collections.abc import Callable

CLASS_CPU = 1.0  # of one core, for all live frames together: one student alone gets it all
CLASS_FRAMES = 15  # a second, for all live frames together: Rose alone draws 12.5
GRACE_SECONDS = 2.0


class Class:
    """The sessions training now on this server (one per server: ``CLASS``)."""

    def __init__(
        self,
        cpu: float = CLASS_CPU,
        frames: float = CLASS_FRAMES,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.cpu, self.frames, self.clock = cpu, frames, clock
        self._expires: dict[str, float] = {}
        self._lock = threading.Lock()

    def drew(self, session: str, interval: float) -> None:
        """``session`` drew a live frame now; its next one comes in ``interval`` seconds."""
        with self._lock:
            self._expires[session] = self.clock() + 2 * interval + GRACE_SECONDS

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

    def interval(self, frame_cpu: float, wanted: float) -> float:
        """Seconds until a player's next frame: ``wanted``, or longer so that all the
        players' frames together keep to ``cpu`` of a core and ``frames`` a second."""
        players = max(self.players(), 1)
        return max(wanted, frame_cpu * players / self.cpu, players / self.frames)

    def clear(self) -> None:
        with self._lock:
            self._expires.clear()


CLASS = Class()
